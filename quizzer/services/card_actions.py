"""Acting on cards the learner picked: suspend, bury, forget, set a due date, flag — each undoable.

Every action is a step of the window's one undo history (``services.undo``, shared with the
review), so ``undo`` puts back exactly what was there, newest action first, whether it was
taken here or in a review. Forgetting keeps the review history: only the card's state goes
back to new.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from quizzer.errors import UsageError
from quizzer.scheduling.queue import StudyDay
from quizzer.services.review import ReviewService
from quizzer.services.undo import Snapshot, Step
from quizzer.storage.models import Card
from quizzer.vocabulary import State


class CardActions:
    """The browser's and the CLI's actions on one or many cards."""

    def __init__(self, sessions: sessionmaker[Session], review: ReviewService) -> None:
        self.sessions = sessions
        self.review = review

    def _day(self, now: datetime) -> StudyDay:
        return StudyDay.containing(now, self.review.config.day_start_hour, self.review.tz)

    def _apply(self, name: tuple[str, str], card_ids: Sequence[int], change: Callable[[Card], None]) -> Step:
        """Change the cards in one transaction; the step, named ``(english, chinese)``, holds those it changed."""
        with self.sessions.begin() as session:
            snapshot = Snapshot(session.scalars(select(Card).where(Card.id.in_(card_ids))))
            for card in snapshot.cards:
                change(card)
            step = snapshot.step(session, name[0], zh=name[1])
        return self.review.history.push(step)

    def suspend(self, card_ids: Sequence[int]) -> Step:
        """Keep the cards out of every queue until unsuspended."""
        return self._apply(("suspend", "暂停"), card_ids, lambda card: setattr(card, "suspended", True))

    def unsuspend(self, card_ids: Sequence[int]) -> Step:
        return self._apply(("unsuspend", "取消暂停"), card_ids, lambda card: setattr(card, "suspended", False))

    def bury(self, card_ids: Sequence[int]) -> Step:
        """Hide the cards until the next study day starts."""
        end = self._day(self.review.clock()).end
        return self._apply(("bury", "搁置"), card_ids, lambda card: setattr(card, "buried_until", end))

    def unbury(self, card_ids: Sequence[int]) -> Step:
        return self._apply(("unbury", "取消搁置"), card_ids, lambda card: setattr(card, "buried_until", None))

    def forget(self, card_ids: Sequence[int]) -> Step:
        """Back to new, due now; the review history stays (statistics and fitting still use it)."""
        now = self.review.clock()

        def reset(card: Card) -> None:
            card.state, card.step, card.stability, card.difficulty = State.NEW, None, None, None
            card.due, card.last_review = now, None

        return self._apply(("forget", "重置为新卡"), card_ids, reset)

    def set_due(self, card_ids: Sequence[int], days: int) -> Step:
        """Due ``days`` study days from today (0: today); a new card stays new, as it has no schedule yet."""
        if not 0 <= days <= 36500:
            raise UsageError(f"a due date is 0 (today) to 36500 days away, not {days}")
        due = self._day(self.review.clock()).start + timedelta(days=days)

        def move(card: Card) -> None:
            if card.state != State.NEW:
                card.due = due

        return self._apply((f"due in {days} days", f"设为 {days} 天后到期"), card_ids, move)

    def flag(self, card_ids: Sequence[int], colour: int) -> Step:
        """Flag the cards with one of Anki's colours 1–7, or 0 to take the flag off."""
        if not 0 <= colour <= 7:
            raise UsageError(f"a flag is 0 (none) to 7, not {colour}")
        return self._apply((f"flag {colour}", f"旗标 {colour}"), card_ids, lambda card: setattr(card, "flag", colour))
