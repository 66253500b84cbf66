"""Custom study's sessions: Anki's filtered decks, in small and kept in memory.

A session is the cards a search found when it began, shown once each outside the day's
limits; a card answered Again (or Hard) in its learning steps comes back when its step is
due, as in the daily queue. Every answer is an ordinary one: scheduled by FSRS from the real
time and logged, so studying ahead or again changes nothing but what was answered. Nothing
is stored for the session itself: which of its cards are done is read from the review log
(answers after it began), so an undo puts a card back into it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from quizzer.config import SchedulingConfig
from quizzer.scheduling.queue import LEARNING_STATES, available
from quizzer.storage.models import Card, ReviewLog

SESSION_LIMIT = 100
"""Cards a session takes at most unless told otherwise (Anki's filtered decks default to 100)."""


@dataclass(frozen=True)
class CustomStudy:
    """One custom session: ``card_ids`` in the order they come."""

    deck: str | None
    """The deck it was chosen in (None: every deck)."""
    title: str
    """What it studies, for the screen: ``review ahead 3 day(s)``."""
    card_ids: tuple[int, ...]
    after_log: int
    """The newest review log row when it began: its answers are the rows after (a time would
    not tell an answer given just before it began from one just after)."""


def next_custom_card(
    session: Session, study: CustomStudy, now: datetime, config: SchedulingConfig, later: Sequence[int] = (),
) -> Card | None:
    """The session's card to show now: a learning step due, else the first card not yet
    answered in it, else a learning step due within the learn-ahead window; None when done.
    Never one of ``later`` (cards the learner skipped)."""
    base = available(now, None).where(Card.id.in_(study.card_ids))
    if later:
        base = base.where(Card.id.not_in(later))
    learning = base.where(Card.state.in_(LEARNING_STATES)).order_by(Card.due).limit(1)
    if (card := session.scalars(learning.where(Card.due <= now)).first()) is not None:
        return card
    answered = select(ReviewLog.card_id).where(ReviewLog.id > study.after_log, ReviewLog.card_id.in_(study.card_ids))
    waiting = set(session.scalars(
        base.with_only_columns(Card.id).where(Card.state.not_in(LEARNING_STATES), Card.id.not_in(answered))
    ))
    if (first := next((card_id for card_id in study.card_ids if card_id in waiting), None)) is not None:
        return session.get(Card, first)
    return session.scalars(learning.where(Card.due <= now + config.learn_ahead)).first()
