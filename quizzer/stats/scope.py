"""What a statistic counts: every card, or the cards of one deck and its subdecks."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Column, ColumnElement, Integer, MetaData, Select, Table, case, func, insert, select
from sqlalchemy.orm import Session

from quizzer.kinds.registry import DRILL_KINDS
from quizzer.stats.temporary import temporary_table
from quizzer.storage.models import Card, Item, in_deck


@contextmanager
def deck_cards(session: Session, deck: str | None) -> Iterator[Table | None]:
    """The ids of the cards in ``deck`` and its subdecks as a temporary table (None for all decks),
    dropped on leaving. The deck's prefix match scans every card and item, so a report resolves
    it once; each figure then looks its rows' cards up by primary key."""
    if deck is None:
        yield None
        return
    table = Table(
        "stats_cards", MetaData(), Column("id", Integer, primary_key=True, autoincrement=False), prefixes=["TEMPORARY"]
    )
    with temporary_table(session, table) as connection:
        connection.execute(insert(table).from_select(["id"], select(Card.id).join(Card.item).where(in_deck(deck))))
        yield table


def card_ids(cards: Table | None, *, drills_only: bool = False) -> Select[int]:
    """The ids of ``cards`` (a ``deck_cards`` table; None: every card), as a subquery for ``IN``."""
    if not drills_only:
        return select(Card.id) if cards is None else select(cards.c.id)
    drills = select(Card.id).join(Card.item).where(Item.kind.in_(DRILL_KINDS))
    return drills if cards is None else drills.join(cards, cards.c.id == Card.id)


def count_where(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """How many rows of the group meet ``condition`` (0 for none), in portable SQL."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)
