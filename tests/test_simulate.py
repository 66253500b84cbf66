"""What a desired retention costs: simulated from the learner's collection, answer times and parameters."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import DataTable

from quizzer.app import make_app
from quizzer.config import SchedulingConfig
from quizzer.errors import UsageError
from quizzer.services.container import Services
from tests.conftest import FakeClock, open_services
from tests.test_cli import quizzer
from tests.test_optimize import SLOW_LEARNER, history_of
from tests.test_stats_screen import open_stats, rows_of, text_of


def timed_history(seconds: int) -> str:
    """``history_of`` with every answer taking ``seconds``."""
    lines = history_of(SLOW_LEARNER, cards=60, seed=3).splitlines()
    return "\n".join([lines[0] + ",review_duration"] + [f"{line},{seconds * 1000}" for line in lines[1:]]) + "\n"


@pytest.fixture
def timed(services: Services, tmp_path: Path) -> Services:
    (tmp_path / "timed.csv").write_text(timed_history(30))
    services.history.import_csv(tmp_path / "timed.csv")
    return services


def test_a_higher_retention_costs_more_reviews_and_minutes_and_keeps_more_remembered(timed: Services) -> None:
    low, high = timed.simulation.report([0.7, 0.97], days=120).rows
    assert low.reviews_per_day < high.reviews_per_day
    assert low.minutes_per_day < high.minutes_per_day
    assert low.remembered < high.remembered


def test_minutes_follow_the_learners_own_answer_times(
    timed: Services, tmp_path: Path, clock: FakeClock, scheduling: SchedulingConfig
) -> None:
    quick = open_services(f"sqlite:///{tmp_path / 'quick.sqlite3'}", clock, scheduling)
    (tmp_path / "quick.csv").write_text(timed_history(3))
    quick.history.import_csv(tmp_path / "quick.csv")

    slow_row, = timed.simulation.report([0.9], days=60).rows
    quick_row, = quick.simulation.report([0.9], days=60).rows
    quick.close()

    assert timed.simulation.report([0.9], days=1).workload.state_rating_costs[1][2] == 30  # a passed review (Good)
    assert slow_row.reviews_per_day == quick_row.reviews_per_day
    assert slow_row.minutes_per_day > 5 * quick_row.minutes_per_day


def test_the_simulation_uses_the_collection_s_retention_steps_and_limits(timed: Services) -> None:
    timed.settings.set_deck_options("", retention=0.85, new=7, reviews=90, learning_steps="1m 10m 1h")
    report = timed.simulation.report([0.9], days=5)
    assert report.desired_retention == 0.85
    assert (report.deck.new_per_day, report.deck.reviews_per_day, report.deck.learning_steps) == (7, 90, 3)


def test_the_simulated_deck_is_the_size_of_the_collection(timed: Services) -> None:
    report = timed.simulation.report([0.9], days=30)
    assert report.deck.cards == 6 + 60  # the fixture deck's cards and the imported history's


def test_the_optimal_retention_is_among_those_the_simulator_searches(timed: Services) -> None:
    assert 0.7 <= timed.simulation.report([0.9], days=60).optimal_retention <= 0.99


def test_a_retention_outside_the_schedulers_range_is_refused(timed: Services) -> None:
    with pytest.raises(UsageError, match=r"desired retention 0\.5 is outside 0\.70–0\.99"):
        timed.simulation.report([0.5])


def test_simulate_json_gives_each_retentions_figures(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'sim.sqlite3'}"
    (tmp_path / "timed.csv").write_text(timed_history(30))
    assert quizzer("import-log", str(tmp_path / "timed.csv"), db=db).returncode == 0

    result = quizzer("simulate", "--retention", "0.8", "0.9", "--days", "30", "--json", db=db)

    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert [row["retention"] for row in report["retentions"]] == [0.8, 0.9]
    assert set(report["retentions"][0]) == {"retention", "reviews_per_day", "minutes_per_day", "remembered"}
    assert report["days"] == 30 and 0.7 <= report["optimal_retention"] <= 0.99


async def test_the_retention_cost_tab_marks_the_optimal_and_the_retention_in_use(timed: Services) -> None:
    app = make_app(timed)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_stats(app, pilot)
        rows = rows_of(screen.query_one("#cost", DataTable))
        optimal = timed.simulation.report([0.9], days=1).optimal_retention
        assert [row[0] for row in rows if "optimal" in row[4]] == [f"{optimal:.2f}"]
        assert [row[0] for row in rows if "in use" in row[4]] == ["0.90"]
        assert f"Optimal desired retention: {optimal:.2f}" in text_of(screen, "#cost-line")
