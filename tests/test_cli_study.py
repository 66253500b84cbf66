"""``quizzer study``: custom study from the command line, run as a subprocess."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from quizzer.config import Config
from quizzer.services.container import Services
from quizzer.vocabulary import Rating
from tests.conftest import FIXTURE_CONTENT, FakeClock
from tests.test_cli import quizzer

NOW = "2026-12-03T09:00"


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A database with the fixture deck, as ``quizzer import`` leaves it."""
    url = f"sqlite:///{tmp_path / 'study.sqlite3'}"
    assert quizzer("import", str(FIXTURE_CONTENT), db=url).returncode == 0
    return url


def rows(url: str, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
        return conn.execute(sql).fetchall()


def test_extra_new_stores_today_s_extension_in_the_deck_s_row(db: str) -> None:
    quizzer("options", "alpha", "--new", "1", db=db)
    result = quizzer("study", "alpha", "--extra-new", "2", "--list", db=db, now=NOW)
    assert result.stdout == "alpha today: 3 new, 0 learning, 0 due\n"
    assert rows(db, "SELECT new_per_day, extra_new, extra_reviews, extended_until FROM decks WHERE path = 'alpha'") == [
        (1, 2, 0, "2026-12-04 04:00:00.000000")
    ]
    assert json.loads(quizzer("due", "--json", db=db, now="2026-12-04T09:00").stdout)["decks"]["alpha"]["new"] == 1


def test_a_tag_session_lists_its_cards_in_order(db: str) -> None:
    shown = json.loads(quizzer("study", "alpha::sub", "--tag", "fixture", "--list", "--json", db=db).stdout)
    assert shown["title"] == "tag fixture"
    assert [card["label"] for card in shown["cards"]] == ["alpha-cloze/c1", "alpha-cloze/c2", "alpha-typed"]


def test_review_ahead_lists_learned_cards_due_in_the_next_days(db: str) -> None:
    services = Services.open(Config(db_url=db, content_dir=FIXTURE_CONTENT), clock=FakeClock(datetime(2026, 12, 1, 9, tzinfo=UTC)), tz=UTC)
    card = services.review.next_card("beta")
    assert card is not None
    services.review.answer(card.card_id, Rating.Easy)  # due in about a week
    services.close()
    result = quizzer("study", "--ahead", "30", "--list", db=db, now=NOW)
    assert result.stdout.splitlines()[0] == "custom study, review ahead 30 day(s): 1 card(s)"
    assert result.stdout.splitlines()[1].split()[:3] == ["beta-basic", "beta", "review"]


def test_nothing_to_study_is_one_line_and_exit_0(db: str) -> None:
    result = quizzer("study", "--forgotten", "--list", db=db)
    assert (result.returncode, result.stdout, result.stderr) == (0, "nothing to study: no card for forgotten in 1 day(s) in all decks\n", "")


def test_nothing_to_study_as_json_is_a_session_without_cards(db: str) -> None:
    result = quizzer("study", "--ahead", "1", "--list", "--json", db=db, now=NOW)
    assert result.returncode == 0
    assert json.loads(result.stdout) == {"deck": "", "title": "review ahead 1 day(s)", "cards": []}


def test_nothing_to_study_without_list_says_so_instead_of_opening_the_app(db: str) -> None:
    result = quizzer("study", "--ahead", "1", db=db, now=NOW, timeout=20)
    assert (result.returncode, result.stdout) == (0, "nothing to study: no card for review ahead 1 day(s) in all decks\n")


def test_a_bad_search_names_its_own_column(db: str) -> None:
    result = quizzer("study", "beta", "--search", "is:new is:sleepy", "--list", db=db)
    assert result.returncode == 2
    assert result.stderr.startswith("quizzer: bad search at column 8: unknown 'is:sleepy'")


def test_extra_cards_do_not_mix_with_a_session_s_filters(db: str) -> None:
    result = quizzer("study", "--extra-new", "5", "--tag", "fixture", "--list", db=db)
    assert result.returncode == 2
    assert rows(db, "SELECT count(*) FROM decks") == [(0,)]
