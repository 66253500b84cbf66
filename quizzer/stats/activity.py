"""Reviews, time and due-review outcomes per study day; streaks."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Table, and_, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from quizzer.stats.scope import card_ids, count_where
from quizzer.storage.models import ImportedReview, ReviewLog
from quizzer.vocabulary import Rating, State


@dataclass
class DayActivity:
    """One study day's answers: quizzer's own (cards, drills) and imported history."""

    cards: int = 0
    drills: int = 0
    imported: int = 0
    cards_ms: int = 0
    drills_ms: int = 0
    imported_ms: int = 0
    due: int = 0
    """Answers to due reviews: own cards in review state; imported reviews in review state,
    or, where the file gave no state, of a card already reviewed on an earlier day."""
    passed: int = 0
    """Of ``due``, those answered Hard, Good or Easy."""

    @property
    def reviews(self) -> int:
        return self.cards + self.drills + self.imported


def _own(session: Session, days: Table, cards: Table | None, result: list[DayActivity]) -> None:
    in_day = and_(ReviewLog.reviewed_at >= days.c.start, ReviewLog.reviewed_at < days.c.stop)
    if cards is not None:  # "+ 0": SQLite would otherwise walk the card_id index once per day
        in_day = and_(in_day, (ReviewLog.card_id + 0).in_(card_ids(cards)))
    due = ReviewLog.before_state == State.REVIEW
    rows = session.execute(
        select(
            days.c.i, func.count(), func.coalesce(func.sum(ReviewLog.duration_ms), 0),
            count_where(due), count_where(and_(due, ReviewLog.rating > Rating.Again)),
        ).join(ReviewLog, in_day).group_by(days.c.i)
    )
    for i, n, ms, n_due, n_passed in rows:
        day = result[i]
        day.cards, day.cards_ms, day.due, day.passed = n, ms, day.due + n_due, day.passed + n_passed


DrillAnswer = tuple[int, datetime, "int | None"]
"""(card id, when, milliseconds) of one answer to a drill card."""


def drill_answers(session: Session, cards: Table | None) -> list[DrillAnswer]:
    """Every answer to a drill card of ``cards`` (see ``deck_cards``), oldest first: drills are
    few, so their rows are read once and serve both the daily split and the first-try rate."""
    query = select(ReviewLog.card_id, ReviewLog.reviewed_at, ReviewLog.duration_ms).where(
        ReviewLog.card_id.in_(card_ids(cards, drills_only=True))
    )
    return [(card_id, at, ms) for card_id, at, ms in session.execute(query.order_by(ReviewLog.reviewed_at))]


def _drills(answers: list[DrillAnswer], bounds: Sequence[datetime], result: list[DayActivity]) -> None:
    """Moves drill answers from the cards' counts to the drills', so the big query needs no join."""
    for _, at, ms in answers:
        k = bisect_right(bounds, at) - 1
        if 0 <= k < len(result):
            day = result[k]
            day.drills, day.drills_ms = day.drills + 1, day.drills_ms + (ms or 0)
            day.cards, day.cards_ms = day.cards - 1, day.cards_ms - (ms or 0)


def _imported(session: Session, days: Table, result: list[DayActivity]) -> None:
    earlier = aliased(ImportedReview)
    seen_before = exists().where(earlier.card_key == ImportedReview.card_key, earlier.reviewed_at < days.c.start)
    due = or_(ImportedReview.state == State.REVIEW, and_(ImportedReview.state.is_(None), seen_before))
    in_day = and_(ImportedReview.reviewed_at >= days.c.start, ImportedReview.reviewed_at < days.c.stop)
    rows = session.execute(
        select(
            days.c.i, func.count(), func.coalesce(func.sum(ImportedReview.duration_ms), 0),
            count_where(due), count_where(and_(due, ImportedReview.rating > Rating.Again)),
        ).join(ImportedReview, in_day).group_by(days.c.i)
    )
    for i, n, ms, n_due, n_passed in rows:
        day = result[i]
        day.imported, day.imported_ms, day.due, day.passed = n, ms, day.due + n_due, day.passed + n_passed


def daily_activity(
    session: Session, days: Table, bounds: Sequence[datetime], cards: Table | None, drills: list[DrillAnswer],
    with_imported: bool,
) -> list[DayActivity]:
    """One ``DayActivity`` per day of ``days`` (see ``day_table``; ``bounds`` are its ranges)."""
    result = [DayActivity() for _ in range(len(bounds) - 1)]
    _own(session, days, cards, result)
    _drills(drills, bounds, result)
    if with_imported:
        _imported(session, days, result)
    return result


def streaks(reviews_per_day: Sequence[int]) -> tuple[int, int]:
    """(current, longest) runs of days with reviews; the last day is today, and a current
    streak still counts while today has no reviews yet."""
    longest = run = 0
    for n in reviews_per_day:
        run = run + 1 if n else 0
        longest = max(longest, run)
    days = list(reviews_per_day)
    if days and not days[-1]:
        days.pop()
    current = 0
    for n in reversed(days):
        if not n:
            break
        current += 1
    return current, longest
