"""FSRS refitted in a separate process: from the palette and after every 1,000 new answers,
without blocking the app, applying the fit only when it predicts better."""

from __future__ import annotations

import time
from datetime import UTC, timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert
from textual.pilot import Pilot

from quizzer.app import QuizzerApp, make_app
from quizzer.scheduling import optimize
from quizzer.scheduling.fsrs_adapter import FittedParameters
from quizzer.services.container import Services
from quizzer.services.history import fitting_reviews
from quizzer.services.optimizer import APPLIED, AUTOMATIC, EVERY, FAILED, KEPT, ON_DEMAND, OptimizerRun
from quizzer.storage.models import ReviewLog
from quizzer.vocabulary import Rating
from tests.conftest import START
from tests.test_optimize import SLOW_LEARNER, history_of
from tests.test_stats_screen import open_stats, text_of

FIT_TIMEOUT = 60.0


@pytest.fixture
def learner(sqlite_services: Services, tmp_path: Path) -> Services:
    """Services whose imported history was drawn from ``SLOW_LEARNER``."""
    (tmp_path / "history.csv").write_text(history_of(SLOW_LEARNER, cards=110, seed=5))
    sqlite_services.history.import_csv(tmp_path / "history.csv")
    return sqlite_services


def run_palette_command(app: QuizzerApp, title: str) -> None:
    next(c for c in app.get_system_commands(app.screen) if c.title == title).callback()


async def until_fitted(app: QuizzerApp, pilot: Pilot[None]) -> None:
    deadline = time.monotonic() + FIT_TIMEOUT
    while app.services.optimizer.running and time.monotonic() < deadline:
        await pilot.pause(0.1)
    await pilot.pause(1.2)  # the app collects the outcome every second


def wait_for(services: Services) -> OptimizerRun:
    deadline = time.monotonic() + FIT_TIMEOUT
    while services.optimizer.running and time.monotonic() < deadline:
        time.sleep(0.1)
    run = services.collect_optimization()
    assert run is not None
    return run


async def test_a_fit_from_the_palette_runs_beside_a_responsive_app_and_applies_a_better_fit(learner: Services) -> None:
    app = make_app(learner)
    async with app.run_test() as pilot:
        await pilot.pause()
        run_palette_command(app, "Optimize FSRS now")
        assert learner.optimizer.running

        await pilot.press("l")
        await pilot.pause()
        assert app.language == "zh"  # the key was handled …
        assert learner.optimizer.running  # … while the other process was still fitting

        await until_fitted(app, pilot)

    fitted = learner.settings.fitted_parameters()
    run = learner.optimizer.last_run()
    assert run is not None and (run.outcome, run.trigger) == (APPLIED, ON_DEMAND)
    assert fitted is not None and fitted.parameters != SLOW_LEARNER
    assert learner.review.scheduler.parameters == fitted.parameters  # schedules the next answer, no restart


async def test_a_fit_no_better_than_the_parameters_in_use_changes_nothing(learner: Services) -> None:
    with learner.history.sessions() as session:
        everything = optimize.histories(fitting_reviews(session), UTC, 4)
    in_use = FittedParameters(optimize.fit(optimize.training_items(everything, None)), START, 1, 0.1)
    learner.settings.set_fitted_parameters(in_use)
    app = make_app(learner)
    async with app.run_test() as pilot:
        await pilot.pause()
        run_palette_command(app, "Optimize FSRS now")
        await until_fitted(app, pilot)

    run = learner.optimizer.last_run()
    assert run is not None and run.outcome == KEPT
    assert learner.settings.fitted_parameters() == in_use


async def test_the_scheduler_tab_says_when_the_last_fit_ran_and_what_came_of_it(learner: Services) -> None:
    learner.optimizer.start(ON_DEMAND)
    run = wait_for(learner)
    app = make_app(learner)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_stats(app, pilot)
        assert f"Background fit 2026-03-02 09:00 UTC (on demand): applied, held-out log loss {run.fitted_log_loss:.4f}" \
            in text_of(screen, "#scheduler")


async def test_the_thousandth_answer_in_the_app_starts_a_fit(learner: Services) -> None:
    card = learner.review.next_card()
    assert card is not None
    with learner.review.sessions.begin() as session:
        session.execute(insert(ReviewLog), [
            {"card_id": card.card_id, "reviewed_at": START - timedelta(minutes=k), "rating": 3, "before_state": 2,
             "before_due": START, "after_state": 2, "after_due": START}
            for k in range(1, EVERY)
        ])
    app = make_app(learner)
    async with app.run_test() as pilot:
        await pilot.pause()
        learner.review.answer(card.card_id, Rating.Good)  # as the review screen does
        assert learner.optimizer.running
        await until_fitted(app, pilot)

    run = learner.optimizer.last_run()
    assert run is not None and (run.trigger, run.own_reviews) == (AUTOMATIC, EVERY)


def test_a_failed_fit_is_recorded_and_changes_nothing(sqlite_services: Services) -> None:
    sqlite_services.optimizer.start(ON_DEMAND)
    run = wait_for(sqlite_services)
    assert run.outcome == FAILED and run.error == "0 reviews are too few to fit and test FSRS parameters"
    assert sqlite_services.settings.fitted_parameters() is None
