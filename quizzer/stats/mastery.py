"""How far the learner got: cards by state per deck and topic, the hardest items, drills
passed at the first try."""

from __future__ import annotations

import json
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import String, Table, and_, case, cast, func, select
from sqlalchemy.orm import Session

from quizzer.stats.activity import DrillAnswer
from quizzer.stats.scope import card_ids
from quizzer.storage.models import LEECH_LAPSES, Card, DrillAttempt, Item, ReviewLog, is_lapse
from quizzer.vocabulary import State

MATURE_DAYS = 21.0
"""A card in review with at least this stability (days) is mature, as in Anki."""
STATES = ("new", "learning", "young", "mature")


def _ancestors(deck: str) -> list[str]:
    parts = deck.split("::")
    return ["::".join(parts[: i + 1]) for i in range(len(parts))]


def card_states(session: Session, cards: Table | None) -> tuple[dict[str, Counter[str]], dict[str, Counter[str]]]:
    """Cards by state (new / learning / young / mature) per deck node (subdecks included)
    and per topic (an item's tags); retired cards are left out."""
    bucket = case(
        (Card.state == State.NEW, "new"),
        (Card.state.in_((State.LEARNING, State.RELEARNING)), "learning"),
        (Card.stability < MATURE_DAYS, "young"),
        else_="mature",
    )
    counts = select(func.count()).join(Card.item).where(Card.retired.is_(False))
    if cards is not None:
        counts = counts.where(Card.id.in_(card_ids(cards)))
    decks: dict[str, Counter[str]] = {}
    for n, path, state in session.execute(counts.add_columns(Item.deck, bucket).group_by(Item.deck, bucket)):
        for node in _ancestors(path):
            decks.setdefault(node, Counter())[state] += n
    topics: dict[str, Counter[str]] = {}
    tags = cast(Item.tags, String)  # a JSON list: grouped as text, so only distinct lists reach Python
    for n, tag_list, state in session.execute(counts.add_columns(tags, bucket).group_by(tags, bucket)):
        for tag in json.loads(tag_list):
            topics.setdefault(tag, Counter())[state] += n
    return decks, topics


@dataclass(frozen=True)
class HardItem:
    item_id: str
    deck: str
    card_id: int
    ordinal: int
    lapses: int
    """Again answers to the card while it was in review."""

    @property
    def leech(self) -> bool:
        return self.lapses >= LEECH_LAPSES


def hardest(session: Session, cards: Table | None, limit: int = 10) -> tuple[list[HardItem], int]:
    """The cards with the most lapses (most first), and how many cards are leeches."""
    lapse = is_lapse()
    if cards is not None:
        lapse = and_(lapse, ReviewLog.card_id.in_(card_ids(cards)))
    lapses = func.count().label("lapses")
    per_card = select(ReviewLog.card_id, lapses).where(lapse).group_by(ReviewLog.card_id)
    top = session.execute(per_card.order_by(lapses.desc(), ReviewLog.card_id).limit(limit)).all()
    leeches = session.scalar(select(func.count()).select_from(per_card.having(func.count() >= LEECH_LAPSES).subquery()))
    by_id = {
        card.id: card
        for card in session.scalars(select(Card).where(Card.id.in_([card_id for card_id, _ in top])))
    }
    items = [
        HardItem(by_id[card_id].item_id, by_id[card_id].item.deck, card_id, by_id[card_id].ordinal, n)
        for card_id, n in top
    ]
    return items, leeches or 0


@dataclass
class FirstTries:
    """Drill sessions in one period: how many, and how many passed at the first attempt without hints."""

    tries: int = 0
    passed: int = 0


def drill_first_tries(
    session: Session, bounds: Sequence[datetime], cards: Table | None, answers: list[DrillAnswer]
) -> list[FirstTries]:
    """Per period ``[bounds[k], bounds[k + 1])``: drill sessions whose first graded attempt
    fell in it. A session is a card's attempts between two of its ``answers`` (ratings);
    drill attempts are few, so they are walked here."""
    attempts = session.execute(
        select(DrillAttempt.card_id, DrillAttempt.attempted_at, DrillAttempt.passed, DrillAttempt.hints_shown)
        .where(DrillAttempt.card_id.in_(card_ids(cards, drills_only=True)))
        .order_by(DrillAttempt.card_id, DrillAttempt.attempted_at)
    ).all()
    answered: dict[int, list[datetime]] = {}
    for card_id, at, _ in answers:
        answered.setdefault(card_id, []).append(at)
    result = [FirstTries() for _ in range(len(bounds) - 1)]
    previous: tuple[int, int] | None = None  # (card, answers before the attempt) of the attempt before
    for card_id, at, passed, hints in attempts:
        session_key = (card_id, bisect_right(answered.get(card_id, []), at))
        k = bisect_right(bounds, at) - 1
        if session_key != previous and 0 <= k < len(result):
            result[k].tries += 1
            result[k].passed += bool(passed and not hints)
        previous = session_key
    return result
