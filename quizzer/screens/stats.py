"""The statistics screen: activity, retention, forecast, mastery and the scheduler, per deck."""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Select, Static, TabbedContent, TabPane

from quizzer.dialogs.error import reports_errors
from quizzer.errors import QuizzerError
from quizzer.services.container import Services
from quizzer.services.simulation import SimulationReport
from quizzer.services.stats import StatsReport
from quizzer.services.stats_text import NO_DATA, optimizer_line, parameters_line
from quizzer.widgets.heatmap import Heatmap
from quizzer.widgets.keys_footer import KeysFooter
from quizzer.widgets.stats_plots import CalibrationPlot, DailyPlot, FirstTryPlot, ForecastPlot, RetentionPlot
from quizzer.widgets.stats_tables import HardestTable, MasteryTable, RetentionCostTable
from quizzer.widgets.title_bar import TitleBar

SPANS = (30, 90, 365)


def summary(report: StatsReport) -> str:
    """The line over the tabs: streaks, this week's retention, what is imported."""
    week = report.weeks[-1].retention
    imported = f" · {report.sources['imported_reviews']:,} imported" if report.imported_included else ""
    return (
        f"Streak {report.current_streak} d, best {report.longest_streak} · "
        f"week {'–' if week is None else f'{week:.0%}'}{imported}"
    )


def calendar_line(report: StatsReport) -> str:
    year = report.last_days(365)
    total = sum(a.reviews for _, a in year)
    busiest = max(year, key=lambda day: day[1].reviews)
    return (
        f"{total:,} reviews in the last year on {(active := sum(1 for _, a in year if a.reviews))} day{'s' if active != 1 else ''} · "
        f"busiest {busiest[0]:%Y-%m-%d} ({busiest[1].reviews})"
    )


def no_data(figure: str, what: str) -> Static:
    """The line shown in place of ``figure`` while it has nothing to show."""
    return Static(f"{what}: {NO_DATA} · 暂无数据", id=f"{figure}-none", classes="no-data")


class StatsScreen(Screen[None]):
    """Progress over time; the Select at the top narrows every figure to one deck."""

    DEFAULT_CSS = """
    StatsScreen #stats-bar {
        height: 3;
    }
    StatsScreen #stats-deck {
        width: 32;
    }
    StatsScreen #stats-summary {
        width: 1fr;
        padding: 1 1 0 1;
        color: $text-muted;
    }
    StatsScreen #stats-tabs {
        height: 1fr;
    }
    StatsScreen #stats-tabs TabPane {
        padding: 0 1;
    }
    StatsScreen #hardest, StatsScreen #first-try {
        height: 1fr;
    }
    StatsScreen .no-data {
        width: 1fr;
        height: auto;
        padding: 1 2;
        color: $text-muted;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "app.pop_screen", "Back"),
        Binding("s", "cycle_span", "Span"),
        Binding("w", "toggle_months", "Week/month"),
        Binding("o", "toggle_topics", "Decks/topics"),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.report: StatsReport | None = None
        self.span = SPANS[0]
        self.monthly = False
        self.topics = False

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="stats-bar"):
            yield Select[str]([], prompt="All decks", id="stats-deck")
            yield Static("computing…", id="stats-summary")
        with TabbedContent(id="stats-tabs"):
            with TabPane("Calendar", id="tab-calendar"):
                yield Heatmap(id="heatmap")
                yield Static(id="calendar-line")
                yield no_data("heatmap", "Reviews in the last year")
            with TabPane("Daily", id="tab-daily"):
                yield DailyPlot(id="daily")
                yield no_data("daily", "Reviews per day")
            with TabPane("Retention", id="tab-retention"), Horizontal():
                yield RetentionPlot(id="retention")
                yield no_data("retention", "True retention")
                yield CalibrationPlot(id="calibration")
                yield no_data("calibration", "Predicted against actual recall")
            with TabPane("Forecast", id="tab-forecast"):
                yield ForecastPlot(id="forecast")
                yield no_data("forecast", "Due in the next 30 days")
            with TabPane("Mastery", id="tab-mastery"):
                yield MasteryTable(id="mastery", cursor_type="row")
                yield no_data("mastery", "Cards by state")
            with TabPane("Hard items", id="tab-hardest"), Vertical():
                yield HardestTable(id="hardest", cursor_type="row")
                yield no_data("hardest", "Items forgotten after they were learnt")
                yield FirstTryPlot(id="first-try")
                yield no_data("first-try", "Drills passed at the first try")
            with TabPane("Scheduler", id="tab-scheduler"):
                yield Static(id="scheduler")
            with TabPane("Retention cost", id="tab-cost"), Vertical():
                yield Static("simulating…", id="cost-line")
                yield RetentionCostTable(id="cost", cursor_type="row")
        yield KeysFooter()

    @reports_errors
    def on_mount(self) -> None:
        self.query_one(Select).set_options((deck, deck) for deck in self.services.stats.decks())
        self.load(None)
        self.simulate()

    def on_select_changed(self, event: Select.Changed) -> None:
        self.load(None if event.value is Select.BLANK else str(event.value))

    @work(thread=True, exclusive=True)
    @reports_errors
    def load(self, deck: str | None) -> None:
        """Compute the report away from the UI thread (a second on a million reviews)."""
        report = self.services.stats.report(deck)
        self.app.call_from_thread(self.show, report)

    @work(thread=True, exclusive=True, group="simulation")
    @reports_errors
    def simulate(self) -> None:
        """Simulate a year of the collection at each desired retention (a second or two; fsrs-rs
        lets the UI thread run meanwhile)."""
        try:
            report = self.services.simulation.report()
        except QuizzerError as exc:
            self.app.call_from_thread(self.query_one("#cost-line", Static).update, exc.message)
            return
        self.app.call_from_thread(self.show_costs, report)

    def show_costs(self, report: SimulationReport) -> None:
        self.query_one("#cost-line", Static).update(
            f"A year of your {report.deck.cards:,} cards at {report.deck.new_per_day} new a day, at your pace. "
            f"Optimal desired retention: {report.optimal_retention:.2f} (least time per item remembered)."
        )
        self.query_one(RetentionCostTable).show(report)

    def show(self, report: StatsReport) -> None:
        self.report = report
        self.query_one("#stats-summary", Static).update(summary(report))
        year = report.last_days(365)
        self.query_one(Heatmap).show([(d, a.reviews) for d, a in year])
        self.query_one("#calendar-line", Static).update(calendar_line(report))
        reviewed = any(a.reviews for _, a in year)
        self._drawn("heatmap", reviewed)
        self.query_one("#calendar-line").display = reviewed
        self._drawn("daily", self.query_one(DailyPlot).show(report, self.span))
        self._drawn("retention", self.query_one(RetentionPlot).show(report, self.monthly))
        self._drawn("calibration", self.query_one(CalibrationPlot).show(report))
        self._drawn("forecast", self.query_one(ForecastPlot).show(report))
        self._drawn("mastery", self.query_one(MasteryTable).show(report, self.topics))
        self._drawn("hardest", self.query_one(HardestTable).show(report))
        self._drawn("first-try", self.query_one(FirstTryPlot).show(report))
        weights = ", ".join(f"{w:.4f}" for w in report.parameters)
        fit = optimizer_line(report.optimizer_run, self.services.optimizer.running)
        self.query_one("#scheduler", Static).update(
            f"{parameters_line(report)}\n{fit}\n\nDesired retention {report.desired_retention:.2f}"
            f"\n\nWeights w0–w20:\n{weights}"
        )

    def _drawn(self, figure: str, has_data: bool) -> None:
        """The figure, or (nothing to show) the line saying so in its place."""
        self.query_one(f"#{figure}").display = has_data
        self.query_one(f"#{figure}-none").display = not has_data

    def action_cycle_span(self) -> None:
        self.span = SPANS[(SPANS.index(self.span) + 1) % len(SPANS)]
        if self.report is not None:
            self._drawn("daily", self.query_one(DailyPlot).show(self.report, self.span))

    def action_toggle_months(self) -> None:
        self.monthly = not self.monthly
        if self.report is not None:
            self._drawn("retention", self.query_one(RetentionPlot).show(self.report, self.monthly))

    def action_toggle_topics(self) -> None:
        self.topics = not self.topics
        if self.report is not None:
            self._drawn("mastery", self.query_one(MasteryTable).show(self.report, self.topics))
