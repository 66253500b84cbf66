"""FSRS parameters fitted to one learner's history, and judged on reviews they were not fitted on.

The fit is the ``fsrs`` package's own Optimizer, which needs torch: it is imported inside
``fit`` and ``optimal_retention`` only, so importing this module (as the CLI does) stays
torch-free, and the TUI never calls them. Predictions and metrics are plain Python.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler
from fsrs import ReviewLog as FsrsReviewLog
from fsrs.scheduler import DEFAULT_PARAMETERS

TRAIN_SHARE = 0.8
"""The oldest 80 % of reviews (by time) are fitted on, the newest 20 % held out."""
RMSE_BINS = 20
MIN_FIT_REVIEWS = 512
"""fsrs's optimizer returns the defaults unchanged below this many reviews on a later day."""


@dataclass(frozen=True)
class Review:
    """One answer, from quizzer's log or an imported history."""

    card: str
    at: datetime
    rating: int
    duration_ms: int | None


@dataclass(frozen=True)
class Metrics:
    """How well predicted probabilities of recall matched what happened."""

    log_loss: float
    rmse_bins: float
    """Root mean squared gap between mean prediction and recall rate in 20 equal-width bins of
    the prediction, weighted by the reviews in each bin."""
    auc: float | None
    """Chance that a remembered review was predicted higher than a forgotten one (None: all alike)."""
    reviews: int


def time_split(reviews: Sequence[Review]) -> tuple[list[Review], datetime | None]:
    """The oldest ``TRAIN_SHARE`` of ``reviews`` by time, and when the held-out rest begins."""
    ordered = sorted(reviews, key=lambda r: r.at)
    cut = int(len(ordered) * TRAIN_SHARE)
    return ordered[:cut], (ordered[cut].at if cut < len(ordered) else None)


def _fsrs_logs(reviews: Sequence[Review]) -> list[FsrsReviewLog]:
    ids: dict[str, int] = {}
    return [
        FsrsReviewLog(ids.setdefault(r.card, len(ids) + 1), Rating(r.rating), r.at, r.duration_ms) for r in reviews
    ]


def fit(train: Sequence[Review]) -> tuple[float, ...]:
    """Parameters fitted to ``train`` by fsrs's Optimizer (the defaults when there is too little)."""
    from fsrs.optimizer import Optimizer  # imports torch (~2 s): only `quizzer optimize` gets here

    return tuple(float(w) for w in Optimizer(_fsrs_logs(train)).compute_optimal_parameters())


def optimal_retention(reviews: Sequence[Review], parameters: Sequence[float]) -> float | None:
    """The desired retention (0.70 … 0.95) that fsrs's simulation finds cheapest in time per
    card remembered, or None when review durations are missing or the history is too short."""
    if len(reviews) < MIN_FIT_REVIEWS or any(r.duration_ms is None for r in reviews):
        return None
    from fsrs.optimizer import Optimizer  # imports torch and pandas, as in `fit`

    return float(Optimizer(_fsrs_logs(reviews)).compute_optimal_retention(list(parameters)))


def predictions(reviews: Sequence[Review], parameters: Sequence[float], since: datetime) -> list[tuple[float, int]]:
    """(predicted recall, 1 if recalled) for each review at or after ``since`` that comes a day or
    more after its card's previous one; each card's whole history is replayed to get there, as
    fsrs's optimizer does (same-day reviews update the card but are not predicted)."""
    scheduler = Scheduler(parameters=tuple(parameters), enable_fuzzing=False)
    cards: dict[str, FsrsCard] = {}
    result: list[tuple[float, int]] = []
    for ordinal, review in enumerate(sorted(reviews, key=lambda r: r.at)):
        card = cards.get(review.card) or FsrsCard(card_id=ordinal + 1, due=review.at)
        if review.at >= since and card.last_review is not None and (review.at - card.last_review).days > 0:
            result.append((scheduler.get_card_retrievability(card, review.at), int(review.rating > 1)))
        cards[review.card], _ = scheduler.review_card(card, Rating(review.rating), review.at)
    return result


def metrics(pairs: Sequence[tuple[float, int]]) -> Metrics:
    """Log loss, RMSE (bins) and AUC of ``(prediction, outcome)`` pairs."""
    if not pairs:
        raise ValueError("no predictions to judge")
    eps = 1e-7
    log_loss = -sum(y * math.log(max(p, eps)) + (1 - y) * math.log(max(1 - p, eps)) for p, y in pairs) / len(pairs)
    bins: dict[int, list[float]] = {}
    for p, y in pairs:
        b = bins.setdefault(min(int(p * RMSE_BINS), RMSE_BINS - 1), [0, 0.0, 0.0])
        b[0], b[1], b[2] = b[0] + 1, b[1] + p, b[2] + y
    rmse = math.sqrt(sum((s_p - s_y) ** 2 / n for n, s_p, s_y in bins.values()) / len(pairs))
    return Metrics(log_loss, rmse, _auc(pairs), len(pairs))


def _auc(pairs: Sequence[tuple[float, int]]) -> float | None:
    positives = sum(y for _, y in pairs)
    negatives = len(pairs) - positives
    if not positives or not negatives:
        return None
    ordered = sorted(pairs)
    rank_sum, i = 0.0, 0
    while i < len(ordered):  # tied predictions share their mean rank
        j = i
        while j < len(ordered) and ordered[j][0] == ordered[i][0]:
            j += 1
        rank_sum += (i + j + 1) / 2 * sum(y for _, y in ordered[i:j])
        i = j
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def mean_retention(reviews: Sequence[Review]) -> float:
    """Share of ``reviews`` coming a day or more after their card's previous one that were
    remembered: the baseline that predicts this for every review."""
    pairs = predictions(reviews, DEFAULT_PARAMETERS, datetime.min.replace(tzinfo=reviews[0].at.tzinfo))
    return sum(y for _, y in pairs) / len(pairs) if pairs else 0.0
