"""FSRS's predicted retrievability against what happened, in bins of the prediction."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from sqlalchemy import Table, and_, func, select
from sqlalchemy.orm import Session

from quizzer.stats.ranges import bin_table
from quizzer.stats.scope import card_ids, count_where
from quizzer.storage.models import ReviewLog
from quizzer.vocabulary import Rating, State

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


def calibration(session: Session, cards: Table | None) -> list[CalibrationBin]:
    """Due reviews of quizzer's own cards, binned by the retrievability FSRS logged for them
    (``ix_review_logs_calibration`` is read once, in bin order)."""
    r = ReviewLog.before_retrievability
    with bin_table(session, (*EDGES[:-1], 2.0)) as bins:  # 2.0: the top bin holds 1.0 itself
        in_bin = and_(ReviewLog.before_state == State.REVIEW, r >= bins.c.start, r < bins.c.stop)
        if cards is not None:  # "+ 0": keeps SQLite on the calibration index, the deck's cards checked per row
            in_bin = and_(in_bin, (ReviewLog.card_id + 0).in_(card_ids(cards)))
        query = select(bins.c.i, func.count(), func.avg(r), count_where(ReviewLog.rating > Rating.Again))
        found = session.execute(query.join(ReviewLog, in_bin).group_by(bins.c.i))
        rows = {k: (n, mean, passed) for k, n, mean, passed in found}
    result = []
    for k, (low, high) in enumerate(pairwise(EDGES)):
        n, mean, passed = rows.get(k, (0, None, 0))
        result.append(CalibrationBin(low, high, n, None if not n else float(mean), None if not n else passed / n))
    return result
