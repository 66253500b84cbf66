"""FSRS parameters fitted to one learner's history by fsrs-rs, and judged on reviews they were not fitted on.

The fit is fsrs-rs, the Rust optimizer Anki ships (``fsrs-rs-python``): a tenth of a second
where py-fsrs's torch Optimizer took half a minute. py-fsrs stays the scheduler; both compute
the same FSRS-6 (tests/test_optimize.py proves they agree on retrievability and intervals).

fsrs-rs reads a card's history as ratings with the number of *study days* between them, a
study day starting at the scheduler's local hour (04:00), so two answers at 23:00 and 01:00
are one day's. A review that comes a day or more after the card's previous one is judged on
FSRS's long-term prediction; one on the same study day on its short-term prediction, with the
elapsed time in fractions of a day: the two are reported apart.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from itertools import pairwise

import fsrs_rs_python as rs

from quizzer.vocabulary import Rating

TRAIN_SHARE = 0.8
"""The oldest 80 % of reviews (by time) are fitted on, the newest 20 % held out."""
RMSE_BINS = 20
DEFAULT_PARAMETERS = tuple(rs.DEFAULT_PARAMETERS)


@dataclass(frozen=True)
class Review:
    """One answer, from quizzer's log or an imported history."""

    card: str
    at: datetime
    rating: Rating
    duration_ms: int | None


@dataclass(frozen=True)
class CardHistory:
    """One card's reviews in time order, and the study days since the previous one (0 first)."""

    reviews: tuple[Review, ...]
    days: tuple[int, ...]

    def item(self, end: int | None = None) -> rs.FSRSItem:
        """The first ``end`` reviews (all: None) as fsrs-rs reads them."""
        pairs = zip(self.reviews[:end], self.days[:end], strict=True)
        return rs.FSRSItem([rs.FSRSReview(r.rating, d) for r, d in pairs])


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


@dataclass(frozen=True)
class Predictions:
    """(predicted recall, 1 if recalled) for the reviews judged, long-term and same-day apart."""

    long_term: list[tuple[float, int]]
    """Reviews a study day or more after the card's previous one."""
    same_day: list[tuple[float, int]]
    """Reviews on the same study day as the card's previous one."""


def study_day(at: datetime, tz: tzinfo, day_start_hour: int) -> int:
    """The ordinal of the study day ``at`` falls in (days start at ``day_start_hour`` local time)."""
    return (at.astimezone(tz) - timedelta(hours=day_start_hour)).toordinal()


def histories(reviews: Sequence[Review], tz: tzinfo, day_start_hour: int) -> list[CardHistory]:
    """Every card's history, in the order of each card's first review."""
    by_card: dict[str, list[Review]] = {}
    for review in sorted(reviews, key=lambda r: r.at):
        by_card.setdefault(review.card, []).append(review)
    result = []
    for card_reviews in by_card.values():
        days = [study_day(r.at, tz, day_start_hour) for r in card_reviews]
        result.append(CardHistory(tuple(card_reviews), (0, *(b - a for a, b in pairwise(days)))))
    return result


def split_time(reviews: Sequence[Review]) -> datetime | None:
    """When the newest ``1 - TRAIN_SHARE`` of ``reviews`` begins (None: nothing to hold out)."""
    ordered = sorted(r.at for r in reviews)
    cut = int(len(ordered) * TRAIN_SHARE)
    return ordered[cut] if cut < len(ordered) else None


def training_items(cards: Sequence[CardHistory], until: datetime | None) -> list[rs.FSRSItem]:
    """One item per review before ``until`` (None: every review): the card's history up to it.

    Items without a review a day or more after the first make fsrs-rs panic: they are left out
    (their reviews still count as the history of the card's later items)."""
    items = []
    for card in cards:
        # shared by the prefixes
        reviews = [rs.FSRSReview(r.rating, d) for r, d in zip(card.reviews, card.days, strict=True)]
        long_term = False
        for end in range(2, len(card.reviews) + 1):
            if until is not None and card.reviews[end - 1].at >= until:
                break
            long_term = long_term or card.days[end - 1] > 0
            if long_term:
                items.append(rs.FSRSItem(reviews[:end]))
    return items


def fit(items: Sequence[rs.FSRSItem], *, short_term: bool = True) -> tuple[float, ...]:
    """Parameters fitted to ``items`` by fsrs-rs; ``short_term=False`` leaves same-day reviews
    out of the model (w17–w19 = 0), as Anki does when a learner has no same-day reviews."""
    return tuple(rs.FSRS(DEFAULT_PARAMETERS).compute_parameters(list(items), enable_short_term=short_term))


def recall(parameters: Sequence[float], stability: float, elapsed_days: float) -> float:
    """FSRS's probability of recall ``elapsed_days`` after a review that left ``stability``."""
    card = rs.Card()
    card.stability, card.last_date, card.parameters = stability, 0.0, list(parameters)
    return card.retention_on(elapsed_days)


def predictions(cards: Sequence[CardHistory], parameters: Sequence[float], since: datetime) -> Predictions:
    """FSRS's prediction for every review at or after ``since`` from the card's whole history
    before it; the first review of a card is not predicted."""
    states = rs.FSRS(parameters).historical_memory_state_batch([card.item() for card in cards])
    long_term: list[tuple[float, int]] = []
    same_day: list[tuple[float, int]] = []
    for card, memory in zip(cards, states, strict=True):
        for k in range(1, len(card.reviews)):
            review = card.reviews[k]
            if review.at < since:
                continue
            if card.days[k] > 0:
                long_term.append((recall(parameters, memory[k - 1].stability, card.days[k]), int(review.rating > Rating.Again)))
            else:
                elapsed = (review.at - card.reviews[k - 1].at).total_seconds() / 86400
                same_day.append((recall(parameters, memory[k - 1].stability, elapsed), int(review.rating > Rating.Again)))
    return Predictions(long_term, same_day)


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


def recall_rates(cards: Sequence[CardHistory], until: datetime) -> tuple[float, float]:
    """The share of long-term and of same-day reviews before ``until`` that were remembered:
    the baselines that predict this for every review (0.5 where there are none)."""
    outcomes: tuple[list[int], list[int]] = ([], [])
    for card in cards:
        for k in range(1, len(card.reviews)):
            if card.reviews[k].at < until:
                outcomes[card.days[k] == 0].append(int(card.reviews[k].rating > Rating.Again))
    long_term, same_day = (sum(ys) / len(ys) if ys else 0.5 for ys in outcomes)
    return long_term, same_day
