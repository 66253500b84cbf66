"""FSRS fitted to the learner: parameters kept in settings and used by the next review; the
optimizer beats the defaults on a history drawn from other parameters."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

import pytest
from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler
from sqlalchemy import select

from quizzer.config import Config, SchedulingConfig
from quizzer.scheduling.fsrs_adapter import FittedParameters
from quizzer.services.container import Services
from quizzer.storage.models import ReviewLog
from tests.conftest import FIXTURE_CONTENT, START, FakeClock

SLOW_LEARNER = (
    0.05, 0.2, 0.6, 2.0, 6.4133, 0.8334, 3.0194, 0.001, 1.2, 0.1666, 0.796, 1.4835, 0.0614, 0.2629, 1.6483, 0.6014,
    1.8729, 0.5425, 0.0912, 0.0658, 0.3,
)
"""A learner who forgets much faster than FSRS's defaults assume."""


def test_fitted_parameters_are_used_from_the_next_start(db_url: str, clock: FakeClock, scheduling: SchedulingConfig) -> None:
    config = Config(db_url=db_url, content_dir=FIXTURE_CONTENT, scheduling=scheduling)
    first = Services.open(config, clock=clock)
    first.content.import_path(FIXTURE_CONTENT)
    first.settings.set_fitted_parameters(FittedParameters(SLOW_LEARNER, START, 1000, 0.3))
    first.close()

    reopened = Services.open(config, clock=clock)
    card = reopened.review.next_card()
    reopened.close()

    assert card is not None and card.intervals[4] == "2d"  # Easy on a new card: S0 = 2.0 days instead of 8.3


def test_each_answer_logs_what_fsrs_predicted(services: Services, clock: FakeClock) -> None:
    card = services.review.next_card("beta")
    assert card is not None
    services.review.answer(card.card_id, 4)
    clock.advance(days=8)
    services.review.answer(card.card_id, 3)
    with services.review.sessions() as session:
        predicted = session.scalars(select(ReviewLog.before_retrievability).order_by(ReviewLog.id)).all()
    assert predicted[0] is None and predicted[1] == pytest.approx(0.9, abs=0.01)  # due after 8 days at 90 %


def history_of(parameters: tuple[float, ...], cards: int, seed: int) -> str:
    """A CSV review history of a learner whose memory follows FSRS with ``parameters``: each
    review comes after a random share of the card's stability, and is remembered with the
    probability those parameters give."""
    rng = random.Random(seed)
    truth = Scheduler(parameters=parameters, enable_fuzzing=False)
    lines = ["card_id,review_time,review_rating"]
    for card_id in range(cards):
        at = START + timedelta(days=rng.uniform(0, 30))
        card = FsrsCard(card_id=card_id + 1, due=at)
        for _ in range(8):
            recalled = card.last_review is None or rng.random() < truth.get_card_retrievability(card, at)
            rating = rng.choice((3, 3, 3, 4, 2)) if recalled else 1
            lines.append(f"{card_id},{at.isoformat()},{rating}")
            card, _ = truth.review_card(card, Rating(rating), at)
            at += timedelta(days=max(1.0, (card.stability or 1.0) * rng.uniform(0.5, 4)), minutes=rng.uniform(0, 600))
    return "\n".join(lines) + "\n"


def test_optimize_beats_the_defaults_on_a_history_drawn_from_other_parameters(
    services: Services, tmp_path: Path
) -> None:
    path = tmp_path / "slow-learner.csv"
    path.write_text(history_of(SLOW_LEARNER, cards=110, seed=5))
    services.history.import_csv(path)

    report = services.history.optimize()

    assert report.rows["fitted"].log_loss < report.rows["FSRS default"].log_loss
    assert report.applied
    fitted = services.settings.fitted_parameters()
    assert fitted is not None and fitted.parameters == report.fitted and fitted.reviews == report.train_reviews
    assert report.optimal_retention is None  # the history has no durations to weigh the workload with


def test_evaluate_changes_nothing(services: Services, tmp_path: Path) -> None:
    path = tmp_path / "slow-learner.csv"
    path.write_text(history_of(SLOW_LEARNER, cards=110, seed=5))
    services.history.import_csv(path)
    report = services.history.optimize(apply=False)
    assert not report.applied and services.settings.fitted_parameters() is None
    assert set(report.rows) == {"FSRS default", "fitted", "mean retention"}
