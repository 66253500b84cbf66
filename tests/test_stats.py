"""Statistics against values worked out by hand on a small log, through the service and
through ``quizzer stats --json`` run as a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from quizzer.config import Config
from quizzer.scheduling.queue import StudyDay
from quizzer.services.container import Services
from quizzer.services.stats import StatsReport
from quizzer.storage.models import Card, DrillAttempt, ImportedReview, ReviewLog
from quizzer.vocabulary import State
from tests.conftest import FIXTURE_CONTENT, FIXTURES, START, FakeClock

REPO = Path(__file__).resolve().parent.parent
H = timedelta(hours=1)
D = timedelta(days=1)

# (card, hours from the start of today's study day, state before, rating, seconds, predicted recall)
OWN = [
    ("A", 4, 2, 3, 10, 0.9),
    ("B", 1, 2, 1, 20, 0.8),
    ("A", -1, 0, 3, 5, None),  # 03:00 belongs to yesterday's study day
    ("C", -18, 2, 4, 30, 0.95),
    ("B", -66, 2, 3, 10, 0.7),
    ("B", -90, 1, 3, 10, None),
    ("B", -114, 0, 3, 10, None),
]
IMPORTED = [("x", -234), ("x", -42)]  # ten and two days ago, no review_state: the second is a due review
CARDS = {"A": ("alpha-basic-1", 0), "B": ("beta-basic", 0), "C": ("alpha-cloze", 1)}


def card_ids(services: Services) -> dict[str, int]:
    with services.review.sessions() as session:
        return {
            name: session.scalars(select(Card.id).where(Card.item_id == item, Card.ordinal == ordinal)).one()
            for name, (item, ordinal) in CARDS.items()
        }


def write_small_log(services: Services, today: datetime) -> None:
    """The log above, anchored at ``today`` (the start of today's study day, UTC)."""
    ids = card_ids(services)
    with services.review.sessions.begin() as session:
        for name, hours, state, rating, seconds, predicted in OWN:
            at = today + hours * H
            session.add(ReviewLog(
                card_id=ids[name], reviewed_at=at, rating=rating, duration_ms=seconds * 1000, before_state=state,
                before_due=at, after_state=2, after_due=at + D, before_retrievability=predicted,
            ))
        for key, hours in IMPORTED:
            session.add(ImportedReview(card_key=key, reviewed_at=today + hours * H, rating=3, state=None, duration_ms=4000))
        states = {
            "A": (State.REVIEW, 30.0, today + 3 * D + 5 * H), "B": (State.RELEARNING, 1.0, today + 5 * H),
            "C": (State.REVIEW, 5.0, today - 2 * D),
        }
        for name, (state, stability, due) in states.items():
            card = session.get(Card, ids[name])
            assert card is not None
            card.state, card.stability, card.due = state, stability, due


@pytest.fixture
def report(services: Services) -> StatsReport:
    write_small_log(services, datetime(2026, 3, 2, 4, tzinfo=UTC))
    return services.stats.report()


def by_date(report: StatsReport) -> dict[date, tuple[int, int, int]]:
    return {d: (a.cards, a.imported, a.cards_ms) for d, a in report.days if a.reviews}


def test_reviews_and_time_are_counted_per_study_day(report: StatsReport) -> None:
    assert by_date(report) == {
        date(2026, 2, 20): (0, 1, 0), date(2026, 2, 25): (1, 0, 10_000), date(2026, 2, 26): (1, 0, 10_000),
        date(2026, 2, 27): (1, 0, 10_000), date(2026, 2, 28): (0, 1, 0), date(2026, 3, 1): (2, 0, 35_000),
        date(2026, 3, 2): (2, 0, 30_000),
    }


def test_the_desired_retention_shown_is_the_deck_s_own_or_the_collection_s(services: Services) -> None:
    services.settings.set_deck_options("", retention=0.85)
    services.settings.set_deck_options("alpha", retention=0.8)
    assert (services.stats.report().desired_retention, services.stats.report("alpha").desired_retention) == (0.85, 0.8)


def test_streaks_count_imported_days_too(report: StatsReport) -> None:
    assert (report.current_streak, report.longest_streak) == (6, 6)


def test_true_retention_is_the_share_of_due_reviews_remembered_per_week_and_month(report: StatsReport) -> None:
    weeks = {p.start: (p.due, p.passed) for p in report.weeks[-3:]}
    assert weeks == {date(2026, 2, 16): (0, 0), date(2026, 2, 23): (3, 3), date(2026, 3, 2): (2, 1)}
    assert [(p.start, p.due, p.passed) for p in report.months[-2:]] == [
        (date(2026, 2, 1), 2, 2), (date(2026, 3, 1), 3, 2)
    ]
    assert report.desired_retention == 0.9


def test_calibration_puts_each_due_review_in_the_bin_of_its_prediction(report: StatsReport) -> None:
    filled = {(b.low, b.high): (b.reviews, b.predicted, b.actual) for b in report.calibration if b.reviews}
    expected: dict[tuple[float, float], tuple[object, object, object]] = {
        (0.7, 0.75): (1, pytest.approx(0.7), 1.0), (0.8, 0.85): (1, pytest.approx(0.8), 0.0),
        (0.9, 0.95): (1, pytest.approx(0.9), 1.0), (0.95, 1.0): (1, pytest.approx(0.95), 1.0),
    }
    assert filled == expected


def test_forecast_counts_overdue_cards_today(report: StatsReport) -> None:
    assert [n for _, n in report.forecast[:5]] == [2, 0, 0, 1, 0]
    assert report.forecast[0][0] == date(2026, 3, 2) and len(report.forecast) == 30


def test_mastery_counts_cards_by_state_per_deck_node_and_topic(report: StatsReport) -> None:
    assert report.decks == {
        "alpha": {"new": 3, "learning": 0, "young": 1, "mature": 1},
        "alpha::sub": {"new": 2, "learning": 0, "young": 1, "mature": 0},
        "beta": {"new": 0, "learning": 1, "young": 0, "mature": 0},
    }
    assert report.topics == {"fixture": {"new": 3, "learning": 0, "young": 1, "mature": 1}}


def test_hardest_items_are_those_with_the_most_lapses(report: StatsReport) -> None:
    assert [(h.item_id, h.lapses, h.leech) for h in report.hardest] == [("beta-basic", 1, False)]
    assert report.leeches == 0


def test_a_deck_filter_leaves_out_other_decks_and_imported_history(services: Services) -> None:
    write_small_log(services, datetime(2026, 3, 2, 4, tzinfo=UTC))
    alpha = services.stats.report("alpha")
    assert by_date(alpha) == {date(2026, 3, 1): (2, 0, 35_000), date(2026, 3, 2): (1, 0, 10_000)}
    assert (alpha.current_streak, alpha.longest_streak) == (2, 2)
    assert alpha.hardest == [] and set(alpha.decks) == {"alpha", "alpha::sub"}
    assert alpha.sources == {"own_reviews": 3, "imported_reviews": 0} and not alpha.imported_included


def test_an_unknown_deck_is_refused(services: Services) -> None:
    with pytest.raises(Exception, match="no deck 'gamma'"):
        services.stats.report("gamma")


def test_drills_first_try_rate_counts_one_try_per_drill_session(db_url: str, clock: FakeClock) -> None:
    services = Services.open(Config(db_url=db_url, content_dir=FIXTURES / "drill_deck"), clock=clock, tz=UTC)
    services.content.import_path(FIXTURES / "drill_deck")
    with services.review.sessions.begin() as session:
        card_id = session.scalars(select(Card.id).join(Card.item).where(Card.item_id == "drill-softmax")).one()
        for minutes, passed in ((0, False), (2, True), (60 * 24 * 3, True)):  # fail then pass; days later, a first-try pass
            session.add(DrillAttempt(
                card_id=card_id, attempted_at=START + timedelta(minutes=minutes), seed=0, submission="", passed=passed,
                hints_shown=0, result={},
            ))
        session.add(ReviewLog(
            card_id=card_id, reviewed_at=START + 3 * H, rating=2, duration_ms=60_000, before_state=0, before_due=START,
            after_state=1, after_due=START + D,
        ))
    clock.advance(days=4)
    report = services.stats.report()
    services.close()
    assert [(m, t.tries, t.passed) for m, t in report.first_tries if t.tries] == [(date(2026, 3, 1), 2, 1)]
    day = dict(report.days)[date(2026, 3, 2)]
    assert (day.cards, day.drills, day.drills_ms) == (0, 1, 60_000)


def test_stats_json_on_the_command_line_gives_the_same_figures(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    services = Services.open(Config(db_url=db, content_dir=FIXTURE_CONTENT), tz=UTC)
    services.content.import_path(FIXTURE_CONTENT)
    write_small_log(services, StudyDay.containing(datetime.now(UTC), 4, UTC).start)
    services.close()
    command = [sys.executable, "-m", "quizzer", "--db", db, "stats", "--json"]
    environment = {**os.environ, "TZ": "UTC", "QUIZZER_CONTENT": str(FIXTURE_CONTENT)}
    result = subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=60, env=environment)
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    days = [(d["cards"], d["imported"], d["cards_ms"]) for d in figures["activity"]["days"][-3:]]
    assert days == [(0, 1, 0), (2, 0, 35_000), (2, 0, 30_000)]
    assert (figures["activity"]["current_streak"], figures["activity"]["longest_streak"]) == (6, 6)
    assert figures["sources"]["own_reviews"] == 7 and figures["sources"]["imported_reviews"] == 2
    assert figures["hardest"] == [
        {"item_id": "beta-basic", "deck": "beta", "card_id": figures["hardest"][0]["card_id"], "ordinal": 0,
         "lapses": 1, "leech": False}
    ]
    assert figures["mastery"]["decks"]["alpha"] == {"new": 3, "learning": 0, "young": 1, "mature": 1}
    assert figures["scheduler"]["fitted_at"] is None and len(figures["scheduler"]["parameters"]) == 21
