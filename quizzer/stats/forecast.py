"""Reviews coming due per study day."""

from __future__ import annotations

from sqlalchemy import Table, and_, func, select
from sqlalchemy.orm import Session

from quizzer.stats.scope import card_ids
from quizzer.storage.models import Card
from quizzer.vocabulary import State


def due_forecast(session: Session, days: Table, n_days: int, cards: Table | None) -> list[int]:
    """Cards due on each of ``days`` (index 0 … ``n_days - 1``); suspended and retired cards
    are left out, and the first day's range should start early enough to hold the overdue."""
    in_day = and_(Card.due >= days.c.start, Card.due < days.c.stop)
    query = (
        select(days.c.i, func.count())
        .join(Card, in_day)
        .where(Card.state.in_((State.LEARNING, State.REVIEW, State.RELEARNING)))
        .where(Card.suspended.is_(False), Card.retired.is_(False))
        .group_by(days.c.i)
    )
    if cards is not None:
        query = query.where(Card.id.in_(card_ids(cards)))
    counts: dict[int, int] = {i: n for i, n in session.execute(query)}
    return [counts.get(i, 0) for i in range(n_days)]
