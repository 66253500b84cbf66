"""FSRS's predicted retrievability against what happened, in bins of the prediction."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, literal, select, union_all
from sqlalchemy.orm import Session

from quizzer.stats.scope import REVIEW, card_ids, count_where
from quizzer.storage.models import ReviewLog

EDGES = (0.0, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0)
"""Bin edges of the predicted probability of recall (most due reviews are predicted near 0.9)."""


@dataclass(frozen=True)
class CalibrationBin:
    low: float
    high: float
    reviews: int
    predicted: float | None
    """Mean predicted probability of recall in the bin (None when it is empty)."""
    actual: float | None
    """Share of those reviews answered Hard, Good or Easy."""


def calibration(session: Session, deck: str | None) -> list[CalibrationBin]:
    """Due reviews of quizzer's own cards, binned by the retrievability FSRS logged for them.

    One indexed range per bin (``ix_review_logs_calibration``) rather than a CASE over every
    row, which would need a sort of the whole log.
    """
    parts = []
    for k, (low, high) in enumerate(zip(EDGES, EDGES[1:])):
        r = ReviewLog.before_retrievability
        where = and_(ReviewLog.before_state == REVIEW, r >= low, r <= high if k == len(EDGES) - 2 else r < high)
        if deck is not None:
            where = and_(where, ReviewLog.card_id.in_(card_ids(deck)))
        parts.append(select(literal(k).label("k"), func.count(), func.avg(r), count_where(ReviewLog.rating > 1)).where(where))
    rows = {k: (n, mean, passed) for k, n, mean, passed in session.execute(union_all(*parts))}
    result = []
    for k, (low, high) in enumerate(zip(EDGES, EDGES[1:])):
        n, mean, passed = rows[k]
        result.append(CalibrationBin(low, high, n, None if not n else float(mean), None if not n else passed / n))
    return result
