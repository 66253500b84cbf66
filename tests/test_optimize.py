"""FSRS fitted to the learner: parameters kept in settings and used by the next review; the
optimizer beats the defaults on a history drawn from other parameters."""

from __future__ import annotations

import random
from datetime import UTC, timedelta
from pathlib import Path

import fsrs_rs_python as rs
import pytest
from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler, State
from sqlalchemy import select

from quizzer.config import Config, SchedulingConfig
from quizzer.errors import UsageError
from quizzer.scheduling import optimize
from quizzer.scheduling.fsrs_adapter import FittedParameters
from quizzer.services.container import Services
from quizzer.services.history import fitting_reviews
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

    assert card is not None and card.intervals[Rating.Easy] == "2d"  # Easy on a new card: S0 = 2.0 days instead of 8.3


def test_each_answer_logs_what_fsrs_predicted(services: Services, clock: FakeClock) -> None:
    card = services.review.next_card("beta")
    assert card is not None
    services.review.answer(card.card_id, Rating.Easy)
    clock.advance(days=8)
    services.review.answer(card.card_id, Rating.Good)
    with services.review.sessions() as session:
        predicted = session.scalars(select(ReviewLog.before_retrievability).order_by(ReviewLog.id)).all()
    assert predicted[0] is None and predicted[1] == pytest.approx(0.9, abs=0.01)  # due after 8 days at 90 %


def history_of(parameters: tuple[float, ...], cards: int, seed: int) -> str:
    """A CSV review history of a learner whose memory follows FSRS with ``parameters``: each
    review comes after a random share of the card's stability, and is remembered with the
    probability those parameters give; a forgotten card is answered again ten minutes later."""
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
            if rating == 1:
                at += timedelta(minutes=10)
                lines.append(f"{card_id},{at.isoformat()},3")
                card, _ = truth.review_card(card, Rating.Good, at)
            at += timedelta(days=max(1.0, (card.stability or 1.0) * rng.uniform(0.5, 4)), minutes=rng.uniform(0, 600))
    return "\n".join(lines) + "\n"


@pytest.fixture
def slow_learner(services: Services, tmp_path: Path) -> Services:
    """Services whose imported history was drawn from ``SLOW_LEARNER``."""
    path = tmp_path / "slow-learner.csv"
    path.write_text(history_of(SLOW_LEARNER, cards=110, seed=5))
    services.history.import_csv(path)
    return services


def test_optimize_beats_the_defaults_on_a_history_drawn_from_other_parameters(slow_learner: Services) -> None:
    report = slow_learner.history.optimize()

    assert report.rows["fitted"].log_loss < report.rows["FSRS default"].log_loss
    assert report.applied
    fitted = slow_learner.settings.fitted_parameters()
    assert fitted is not None and fitted.parameters == report.fitted and fitted.reviews == report.train_reviews


def test_fitted_parameters_schedule_the_next_answer_without_a_restart(slow_learner: Services) -> None:
    card = slow_learner.review.next_card()
    assert card is not None and card.intervals[Rating.Easy] != "2d"

    slow_learner.history.optimize()

    fitted = slow_learner.settings.fitted_parameters()
    assert fitted is not None
    easy_days = round(fitted.parameters[3])
    assert slow_learner.review.card(card.card_id).intervals[Rating.Easy] == f"{easy_days}d"


def test_optimize_keeps_parameters_in_use_that_predict_better(slow_learner: Services) -> None:
    with slow_learner.history.sessions() as session:
        everything = optimize.histories(fitting_reviews(session), UTC, 4)
    # Fitted on the held-out reviews too: the fit on the oldest 80 % cannot predict them as well.
    in_use = FittedParameters(optimize.fit(optimize.training_items(everything, None)), START, 1, 0.1)
    slow_learner.settings.set_fitted_parameters(in_use)

    report = slow_learner.history.optimize()

    assert report.rows["in use"].log_loss < report.rows["fitted"].log_loss and not report.applied
    assert slow_learner.settings.fitted_parameters() == in_use


def test_same_day_reviews_are_judged_apart(slow_learner: Services) -> None:
    report = slow_learner.history.optimize(apply=False)

    held_out_pairs = report.rows["FSRS default"].reviews + report.same_day["FSRS default"].reviews
    assert 0 < report.same_day["FSRS default"].reviews < held_out_pairs
    assert set(report.same_day) == set(report.rows)
    assert report.same_day["fitted"].log_loss != report.same_day["fitted, no short-term"].log_loss


def test_evaluate_changes_nothing(slow_learner: Services) -> None:
    report = slow_learner.history.optimize(apply=False)
    assert not report.applied and slow_learner.settings.fitted_parameters() is None
    assert set(report.rows) == {"FSRS default", "fitted", "fitted, no short-term", "mean retention"}


def test_a_history_with_no_review_on_a_later_day_is_too_few(services: Services, tmp_path: Path) -> None:
    path = tmp_path / "one-day.csv"
    path.write_text("card_id,review_time,review_rating\n" + "".join(
        f"{card},{(START + timedelta(minutes=minute)).isoformat()},3\n" for card in range(50) for minute in (0, 10)
    ))
    services.history.import_csv(path)
    with pytest.raises(UsageError, match="100 reviews are too few"):
        services.history.optimize()


AGREEMENT_HISTORY = ((0, 3), (0, 3), (1, 3), (3, 1), (3, 3), (7, 4), (30, 2), (30, 3), (60, 3), (200, 1), (200, 2))
"""(day, rating): a new card through its learning steps, a lapse and relearning, later reviews."""


def test_py_fsrs_schedules_as_fsrs_rs_predicts_for_the_same_parameters_and_history() -> None:
    """The fit (fsrs-rs) and the scheduler (py-fsrs) must compute the same FSRS-6, or the fitted
    parameters would not mean what the evaluation measured."""
    scheduler = Scheduler(parameters=SLOW_LEARNER, enable_fuzzing=False, desired_retention=0.9)
    model = rs.FSRS(SLOW_LEARNER)
    card = FsrsCard(card_id=1, due=START)
    previous_day = 0
    reviews: list[rs.FSRSReview] = []
    for step, (day, rating) in enumerate(AGREEMENT_HISTORY):
        at = START + timedelta(days=day, minutes=10 * step)
        if card.last_review is not None and day > previous_day:
            state = model.memory_state(rs.FSRSItem(reviews))
            assert scheduler.get_card_retrievability(card, at) == pytest.approx(
                optimize.recall(SLOW_LEARNER, state.stability, day - previous_day), abs=1e-5
            )
        card, _ = scheduler.review_card(card, Rating(rating), at)
        reviews.append(rs.FSRSReview(rating, day - previous_day if step else 0))
        previous_day = day
        state = model.memory_state(rs.FSRSItem(reviews))
        assert (card.stability, card.difficulty) == pytest.approx((state.stability, state.difficulty), rel=1e-5)
        if card.state == State.Review:
            assert (card.due - at).days == max(1, round(model.next_interval(state.stability, 0.9, rating)))
