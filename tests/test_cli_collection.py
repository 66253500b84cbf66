"""search, the card actions and info from the shell, as scripts run them (subprocesses, --json)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select

from quizzer.storage.models import Card
from tests.conftest import FIXTURE_CONTENT
from tests.test_cli import quizzer


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A database with the fixture deck, as ``quizzer import`` leaves it."""
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    assert quizzer("import", str(FIXTURE_CONTENT), db=url).returncode == 0
    return url


def test_search_json_lists_matching_cards_with_their_state(db: str) -> None:
    result = quizzer("search", "deck:alpha::sub -kind:typed", "--json", db=db)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["total"] == 2
    assert [(row["label"], row["state"], row["kind"]) for row in found["cards"]] == [
        ("alpha-cloze/c1", "new", "cloze"), ("alpha-cloze/c2", "new", "cloze"),
    ]


def test_a_bad_search_is_one_line_on_stderr_and_exit_2(db: str) -> None:
    result = quizzer("search", "is:sleeping", db=db)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "quizzer: bad search at column 1: unknown 'is:sleeping' (one of new, learning, review, due, suspended, "
        "buried, leech, flagged)"
    ]


def test_suspend_an_item_acts_on_all_its_cards_and_unsuspend_by_deck_takes_it_back(db: str) -> None:
    suspended = json.loads(quizzer("suspend", "alpha-cloze", "beta-basic", "--json", db=db).stdout)
    assert suspended["action"] == "suspend" and len(suspended["card_ids"]) == 3
    assert json.loads(quizzer("search", "is:suspended", "--json", db=db).stdout)["total"] == 3
    assert quizzer("unsuspend", "--deck", "alpha", db=db).returncode == 0
    assert [row["label"] for row in json.loads(quizzer("search", "is:suspended", "--json", db=db).stdout)["cards"]] == [
        "beta-basic"
    ]


@pytest.mark.parametrize("action", ["bury", "suspend", "forget"])
def test_each_action_names_the_cards_it_changed(db: str, action: str) -> None:
    result = quizzer(action, "alpha-cloze/c2", "--json", db=db)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["action"] == action and len(json.loads(result.stdout)["card_ids"]) == 1


def test_an_unknown_id_is_refused_and_nothing_changes(db: str) -> None:
    result = quizzer("suspend", "alpha-basic-1", "no-such-item", db=db)
    assert result.returncode == 2
    assert result.stderr.strip() == "quizzer: no card or item with id 'no-such-item' (see `quizzer search`)"
    assert json.loads(quizzer("search", "is:suspended", "--json", db=db).stdout)["total"] == 0


def test_flag_then_search_by_flag(db: str) -> None:
    assert quizzer("flag", "alpha-typed", "4", "--json", db=db).returncode == 0
    rows = json.loads(quizzer("search", "flag:4", "--json", db=db).stdout)["cards"]
    assert [(row["label"], row["flag"]) for row in rows] == [("alpha-typed", 4)]


def test_info_json_has_state_and_an_empty_history_for_a_new_card(db: str) -> None:
    result = quizzer("info", "alpha-basic-1", "--json", db=db)
    assert result.returncode == 0, result.stderr
    (card,) = json.loads(result.stdout)
    assert (card["label"], card["state"], card["recall_now"], card["reviews"]) == ("alpha-basic-1", "new", None, [])


def test_info_shows_the_prompt_in_the_language_set(db: str) -> None:
    assert quizzer("--lang", "zh", "info", "alpha-basic-1", db=db).stdout.splitlines()[1] == "  问题一"
    assert quizzer("--lang", "both", "info", "alpha-basic-1", db=db).stdout.splitlines()[1:3] == ["  问题一", "  Question one"]


def marked(db: str, column: str) -> list[tuple[str, int]]:
    """The cards whose ``column`` (suspended, buried_until) is set, read from the database."""
    engine = create_engine(db)
    with engine.connect() as conn:
        rows = conn.execute(select(Card.item_id, Card.ordinal, getattr(Card, column))).all()
    engine.dispose()
    return sorted((item, ordinal) for item, ordinal, mark in rows if mark)


@pytest.mark.parametrize(("mark", "unmark", "column"), [("bury", "unbury", "buried_until"), ("suspend", "unsuspend", "suspended")])
def test_unbury_and_unsuspend_take_an_item_id_for_all_its_cards_or_a_deck(db: str, mark: str, unmark: str, column: str) -> None:
    assert quizzer(mark, "alpha-cloze", "alpha-basic-1", "beta-basic", db=db).returncode == 0
    result = quizzer(unmark, "alpha-cloze", "--json", db=db)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["action"] == unmark and len(json.loads(result.stdout)["card_ids"]) == 2
    assert marked(db, column) == [("alpha-basic-1", 0), ("beta-basic", 0)]
    result = quizzer(unmark, "--deck", "alpha", db=db)
    assert (result.returncode, result.stdout.strip()) == (0, f"{unmark}: 1 card")  # only the card that was marked
    assert marked(db, column) == [("beta-basic", 0)]


def test_unbury_of_an_unknown_deck_is_refused_with_exit_2(db: str) -> None:
    result = quizzer("unbury", "--deck", "gamma", db=db)
    assert (result.returncode, result.stderr.strip()) == (2, "quizzer: no deck 'gamma' (see `quizzer due`)")
