"""What a statistic counts: every card, or the cards of one deck and its subdecks."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, case, func, select

from quizzer.corpus.kinds import DRILL_KINDS
from quizzer.storage.models import Card, Item, in_deck


def card_ids(deck: str | None = None, *, drills_only: bool = False) -> Select[tuple[int]]:
    """The ids of the cards in ``deck`` (None: all decks), as a subquery for ``IN``."""
    query = select(Card.id).join(Card.item)
    if deck is not None:
        query = query.where(in_deck(deck))
    if drills_only:
        query = query.where(Item.kind.in_(DRILL_KINDS))
    return query


def count_where(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """How many rows of the group meet ``condition`` (0 for none), in portable SQL."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)
