"""FSRS fitted to the learner: parameters kept in settings and used by the next review; the
optimizer beats the defaults on a history drawn from other parameters."""

from __future__ import annotations

from datetime import timedelta

import pytest
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
