"""The statistics screen's and ``quizzer stats``' figures, computed in one session per call."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from fsrs.scheduler import DEFAULT_PARAMETERS
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from quizzer.config import SchedulingConfig
from quizzer.errors import NotFoundError
from quizzer.scheduling.deck_options import options_of
from quizzer.scheduling.fsrs_adapter import FittedParameters
from quizzer.scheduling.queue import COLLECTION, StudyDay, ancestors, deck_paths
from quizzer.services.optimizer import OptimizerRun, read_run
from quizzer.services.settings import FSRS_PARAMETERS_KEY, read_setting
from quizzer.stats.activity import DayActivity, daily_activity, drill_answers, streaks
from quizzer.stats.calibration import CalibrationBin, calibration
from quizzer.stats.forecast import due_forecast
from quizzer.stats.mastery import STATES, FirstTries, HardItem, card_states, drill_first_tries, hardest
from quizzer.stats.ranges import day_table
from quizzer.stats.scope import deck_cards
from quizzer.storage.models import ImportedReview, ReviewLog

HEATMAP_DAYS = 365
WEEKS = 52
MONTHS = 12
FORECAST_DAYS = 30
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
"""Start of the forecast's first day, so that overdue cards count as due today."""


@dataclass(frozen=True)
class Period:
    """Due reviews in a week or month, and the share remembered (true retention)."""

    start: date
    due: int
    passed: int

    @property
    def retention(self) -> float | None:
        return self.passed / self.due if self.due else None


@dataclass(frozen=True)
class StatsReport:
    """Every figure of the statistics screen, for one deck (subdecks included) or all."""

    deck: str | None
    today: date
    days: list[tuple[date, DayActivity]]
    """Every study day from the first review (at least the last year) to today."""
    current_streak: int
    longest_streak: int
    desired_retention: float
    weeks: list[Period]
    months: list[Period]
    calibration: list[CalibrationBin]
    forecast: list[tuple[date, int]]
    decks: dict[str, dict[str, int]]
    topics: dict[str, dict[str, int]]
    hardest: list[HardItem]
    leeches: int
    first_tries: list[tuple[date, FirstTries]]
    parameters: tuple[float, ...]
    fitted: FittedParameters | None
    imported_included: bool
    sources: dict[str, int] = field(default_factory=dict)
    optimizer_run: OptimizerRun | None = None
    """The last background fit of the parameters (or ``quizzer optimize`` never ran one)."""

    def last_days(self, n: int) -> list[tuple[date, DayActivity]]:
        return self.days[-n:]

    def to_dict(self) -> dict[str, Any]:
        """The JSON form printed by ``quizzer stats --json``."""
        return {
            "deck": self.deck,
            "today": self.today.isoformat(),
            "sources": {
                **self.sources,
                "imported_included": self.imported_included,
                "note": "imported history counts in activity, streaks and retention only, and never under a deck filter",
            },
            "activity": {
                "current_streak": self.current_streak,
                "longest_streak": self.longest_streak,
                "days": [{"date": d.isoformat(), **asdict(a)} for d, a in self.last_days(HEATMAP_DAYS)],
            },
            "retention": {
                "desired": self.desired_retention,
                "weeks": [_period(p) for p in self.weeks],
                "months": [_period(p) for p in self.months],
                "calibration": [asdict(b) for b in self.calibration],
            },
            "forecast": [{"date": d.isoformat(), "due": n} for d, n in self.forecast],
            "mastery": {"decks": self.decks, "topics": self.topics},
            "hardest": [{**asdict(h), "leech": h.leech} for h in self.hardest],
            "leeches": self.leeches,
            "drills_first_try": [{"month": d.isoformat(), **asdict(t)} for d, t in self.first_tries],
            "scheduler": {
                "parameters": list(self.parameters),
                "fitted_at": None if self.fitted is None else self.fitted.fitted_at.isoformat(),
                "fitted_on_reviews": None if self.fitted is None else self.fitted.reviews,
                "last_background_fit": None if self.optimizer_run is None else {
                    **asdict(self.optimizer_run), "started_at": self.optimizer_run.started_at.isoformat()
                },
            },
        }


def _period(period: Period) -> dict[str, Any]:
    return {"start": period.start.isoformat(), "due": period.due, "passed": period.passed, "retention": period.retention}


def _periods(days: list[tuple[date, DayActivity]], key: Callable[[date], date], starts: list[date]) -> list[Period]:
    due = dict.fromkeys(starts, 0)
    passed = dict.fromkeys(starts, 0)
    for day, activity in days:
        if (k := key(day)) in due:
            due[k] += activity.due
            passed[k] += activity.passed
    return [Period(start, due[start], passed[start]) for start in starts]


def _month(day: date) -> date:
    return day.replace(day=1)


def _months_back(day: date, n: int) -> date:
    months = day.year * 12 + day.month - 1 - n
    return date(months // 12, months % 12 + 1, 1)


class StatsService:
    """Computes a ``StatsReport``; the clock and time zone are the review service's."""

    def __init__(
        self, sessions: sessionmaker[Session], config: SchedulingConfig, clock: Callable[[], datetime], tz: tzinfo
    ) -> None:
        self.sessions = sessions
        self.config = config
        self.clock = clock
        self.tz = tz

    def decks(self) -> list[str]:
        """Every deck node (parents included), for the deck filter."""
        with self.sessions() as session:
            return sorted({node for deck in deck_paths(session) for node in ancestors(deck)})

    def _start(self, day: date) -> datetime:
        """When study day ``day`` (a local date) begins, in UTC."""
        return datetime.combine(day, time(self.config.day_start_hour), self.tz).astimezone(UTC)

    def _study_date(self, at: datetime) -> date:
        return StudyDay.containing(at, self.config.day_start_hour, self.tz).start.astimezone(self.tz).date()

    def report(self, deck: str | None = None) -> StatsReport:
        """Every figure, for ``deck`` and its subdecks (None: everything, imported history included)."""
        today = self._study_date(self.clock())
        with self.sessions() as session:
            if deck is not None and deck not in {n for d in deck_paths(session) for n in ancestors(d)}:
                raise NotFoundError(f"no deck {deck!r} (see `quizzer due`)")
            first = self._first_review(session)
            start = min(today - timedelta(days=HEATMAP_DAYS - 1), _months_back(today, MONTHS - 1))
            if first is not None:
                start = min(start, self._study_date(first))
            dates = [start + timedelta(days=k) for k in range((today - start).days + 1)]
            bounds = [self._start(d) for d in dates] + [self._start(today + timedelta(days=1))]
            with deck_cards(session, deck) as cards:
                drills = drill_answers(session, cards)
                with day_table(session, bounds) as days:
                    activity = daily_activity(session, days, bounds, cards, drills, with_imported=deck is None)
                ahead = [today + timedelta(days=k) for k in range(FORECAST_DAYS)]
                with day_table(session, [EPOCH] + [self._start(d + timedelta(days=1)) for d in ahead]) as days:
                    forecast = due_forecast(session, days, FORECAST_DAYS, cards)
                months = [_months_back(today, n) for n in range(MONTHS - 1, -1, -1)]
                first_tries = drill_first_tries(session, [self._start(m) for m in months] + bounds[-1:], cards, drills)
                decks, topics = card_states(session, cards)
                hard, leeches = hardest(session, cards)
                bins = calibration(session, cards)
            fitted_text = read_setting(session, FSRS_PARAMETERS_KEY)
            optimizer_run = read_run(session)
            retention = options_of(session, deck or COLLECTION, self.config).desired_retention
        fitted = None if fitted_text is None else FittedParameters.from_json(fitted_text)
        series = list(zip(dates, activity, strict=True))
        current, longest = streaks([a.reviews for a in activity])
        monday = today - timedelta(days=today.weekday())
        return StatsReport(
            deck=deck, today=today, days=series, current_streak=current, longest_streak=longest,
            desired_retention=retention,
            weeks=_periods(series, lambda d: d - timedelta(days=d.weekday()), [monday - timedelta(weeks=n) for n in range(WEEKS - 1, -1, -1)]),
            months=_periods(series, _month, months),
            calibration=bins, forecast=list(zip(ahead, forecast, strict=True)),
            decks={d: {s: c[s] for s in STATES} for d, c in sorted(decks.items())},
            topics={t: {s: c[s] for s in STATES} for t, c in sorted(topics.items())},
            hardest=hard, leeches=leeches, first_tries=list(zip(months, first_tries, strict=True)),
            parameters=DEFAULT_PARAMETERS if fitted is None else fitted.parameters, fitted=fitted,
            imported_included=deck is None,
            sources={
                "own_reviews": sum(a.cards + a.drills for a in activity),
                "imported_reviews": sum(a.imported for a in activity),
            },
            optimizer_run=optimizer_run,
        )

    @staticmethod
    def _first_review(session: Session) -> datetime | None:
        """The first answer in the whole history: under a deck filter the series may start with
        empty days, which is cheaper than finding the deck's first answer among a million."""
        times = [session.scalar(select(func.min(table.reviewed_at))) for table in (ReviewLog, ImportedReview)]
        return min((t for t in times if t is not None), default=None)


__all__ = ["Period", "StatsReport", "StatsService"]
