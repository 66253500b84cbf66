"""The statistics screen at 80×24 on a generated year of history, driven by Pilot."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from textual.pilot import Pilot
from textual.widgets import DataTable, Select, Static, TabbedContent

from quizzer.app import QuizzerApp, make_app
from quizzer.scheduling.fsrs_adapter import FittedParameters
from quizzer.screens.stats import StatsScreen
from quizzer.services.container import Services
from quizzer.storage.models import Card, ReviewLog
from quizzer.vocabulary import State
from quizzer.widgets.heatmap import Heatmap
from quizzer.widgets.stats_plots import DailyPlot
from tests.conftest import START
from tests.test_optimize import SLOW_LEARNER

SIZE = (80, 24)
DAYS = 365


def reviewed(days_ago: int) -> bool:
    return days_ago % 9 != 4  # a gap every nine days: runs of eight, and four days up to today


def lapsed(days_ago: int) -> bool:
    return days_ago % 5 == 0


def generate_year(services: Services) -> None:
    """Every reviewed day: alpha-basic-1 remembered, beta-basic forgotten every fifth day."""
    with services.review.sessions.begin() as session:
        ids = {item: card for item, card in session.execute(select(Card.item_id, Card.id).where(Card.ordinal == 0))}
        for days_ago in range(DAYS):
            if not reviewed(days_ago):
                continue
            for item, hour, rating in (("alpha-basic-1", 1, 3), ("beta-basic", 2, 1 if lapsed(days_ago) else 3)):
                at = START - timedelta(days=days_ago) + timedelta(hours=hour)
                session.add(ReviewLog(
                    card_id=ids[item], reviewed_at=at, rating=rating, duration_ms=9000, before_state=2,
                    before_due=at, after_state=2, after_due=at + timedelta(days=1), before_retrievability=0.9,
                ))
        for item, state, stability in (("alpha-basic-1", State.REVIEW, 40.0), ("beta-basic", State.RELEARNING, 2.0)):
            card = session.get(Card, ids[item])
            assert card is not None
            card.state, card.stability, card.due = state, stability, START + timedelta(days=2)


async def open_stats(app: QuizzerApp, pilot: Pilot[None]) -> StatsScreen:
    await pilot.pause()
    await pilot.press("t")
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(app.screen, StatsScreen)
    return app.screen


def text_of(screen: StatsScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def rows_of(table: DataTable[str]) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(k)] for k in range(table.row_count)]


async def test_the_summary_shows_the_current_and_the_longest_streak(sqlite_services: Services) -> None:
    generate_year(sqlite_services)
    app = make_app(sqlite_services)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_stats(app, pilot)
        assert text_of(screen, "#stats-summary").startswith("Streak 4 d, best 8 · week ")


async def test_the_calendar_marks_every_day_of_the_year_with_or_without_reviews(sqlite_services: Services) -> None:
    generate_year(sqlite_services)
    app = make_app(sqlite_services)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_stats(app, pilot)
        calendar = str(screen.query_one(Heatmap).render())
        busy = sum(reviewed(d) for d in range(DAYS))
        assert calendar.count("■") == busy and calendar.count("·") == DAYS - busy
        assert text_of(screen, "#calendar-line").startswith(f"{2 * busy:,} reviews in the last year on {busy} days")


async def test_the_span_key_widens_the_daily_plot(sqlite_services: Services) -> None:
    generate_year(sqlite_services)
    app = make_app(sqlite_services)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_stats(app, pilot)
        screen.query_one("#stats-tabs", TabbedContent).active = "tab-daily"
        await pilot.pause()
        in_30 = 2 * sum(reviewed(d) for d in range(30))
        assert f"Reviews per day, last 30 days: {in_30} in" in str(screen.query_one(DailyPlot).render())
        await pilot.press("s")
        await pilot.pause()
        assert "last 90 days" in str(screen.query_one(DailyPlot).render())


async def test_mastery_lists_cards_by_state_per_deck_and_per_topic(sqlite_services: Services) -> None:
    generate_year(sqlite_services)
    app = make_app(sqlite_services)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_stats(app, pilot)
        table = screen.query_one("#mastery", DataTable)
        assert rows_of(table) == [
            ["alpha", "4", "0", "0", "1"], ["  sub", "3", "0", "0", "0"], ["beta", "0", "1", "0", "0"]
        ]
        await pilot.press("o")
        assert rows_of(table) == [["fixture", "4", "0", "0", "1"]]


async def test_the_hardest_items_flag_a_leech(sqlite_services: Services) -> None:
    generate_year(sqlite_services)
    app = make_app(sqlite_services)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_stats(app, pilot)
        lapses = sum(reviewed(d) and lapsed(d) for d in range(DAYS))
        assert rows_of(screen.query_one("#hardest", DataTable)) == [["beta-basic", "beta", str(lapses), "leech"]]


async def test_the_deck_filter_narrows_the_figures_to_one_deck(sqlite_services: Services) -> None:
    generate_year(sqlite_services)
    app = make_app(sqlite_services)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_stats(app, pilot)
        screen.query_one(Select).value = "alpha"
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.report is not None and screen.report.deck == "alpha"
        assert [row[0] for row in rows_of(screen.query_one("#mastery", DataTable))] == ["alpha", "  sub"]
        assert rows_of(screen.query_one("#hardest", DataTable)) == []
        assert "imported" not in text_of(screen, "#stats-summary")


async def test_the_scheduler_tab_says_which_parameters_are_in_use_and_when_fitted(sqlite_services: Services) -> None:
    sqlite_services.settings.set_fitted_parameters(FittedParameters(SLOW_LEARNER, START, 1234, 0.3021))
    app = make_app(sqlite_services)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_stats(app, pilot)
        shown = text_of(screen, "#scheduler")
        assert shown.startswith("Scheduler: parameters fitted 2026-03-02 09:00 UTC on 1,234 reviews")
        assert "0.0500, 0.2000, 0.6000, 2.0000" in shown


async def test_statistics_are_in_the_command_palette_and_escape_goes_back(sqlite_services: Services) -> None:
    app = make_app(sqlite_services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "Statistics")
        command.callback()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, StatsScreen)


async def test_tabs_with_nothing_to_show_say_no_data_yet_in_both_languages(sqlite_services: Services) -> None:
    app = make_app(sqlite_services)  # the fixture deck, never reviewed
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_stats(app, pilot)
        empty = {str(note.id).removesuffix("-none") for note in screen.query(".no-data") if note.display}
        assert empty == {"heatmap", "daily", "retention", "calibration", "forecast", "hardest", "first-try"}
        assert not any(screen.query_one(f"#{figure}").display for figure in empty)
        assert str(screen.query_one("#retention-none", Static).render()) == "True retention: no data yet · 暂无数据"
        assert screen.query_one("#mastery").display  # new cards are something to show


async def test_a_figure_with_data_is_drawn_and_says_nothing_of_missing_data(sqlite_services: Services) -> None:
    generate_year(sqlite_services)
    app = make_app(sqlite_services)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_stats(app, pilot)
        shown = {note.id for note in screen.query(".no-data") if note.display}
        assert shown == {"first-try-none"}  # the generated year has cards only, no drills
        assert screen.query_one("#retention").display and screen.query_one("#heatmap").display
