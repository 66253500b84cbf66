"""Cards of one's own and several deck folders: `quizzer add` and `quizzer decks` as scripts
run them, and an own card reviewed in the app."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from sqlalchemy import select
from textual.widgets import Input

from quizzer.app import make_app
from quizzer.screens.add_card import AddCardScreen
from quizzer.screens.browser import BrowserScreen
from quizzer.services.container import Services
from quizzer.services.own_cards import OwnCard
from quizzer.storage.models import ReviewLog
from tests.conftest import FIXTURE_CONTENT
from tests.test_cli import quizzer
from tests.test_tui import SIZE, prompt_text


def test_add_writes_a_one_language_card_into_the_own_folder_and_search_finds_it(tmp_path: Path, data_folder: Path) -> None:
    db = f"sqlite:///{tmp_path / 'own.sqlite3'}"
    result = quizzer("add", "--deck", "mine::attention", "--front", "What does a query attend to?", "--back", "The keys", "--json", db=db)
    assert result.returncode == 0, result.stderr
    added = json.loads(result.stdout)
    assert added["id"].startswith("what-does-a-query-attend-to-") and len(added["id"]) == len("what-does-a-query-attend-to-") + 6
    assert Path(added["file"]) == data_folder / "decks" / "mine__attention.toml"
    found = json.loads(quizzer("search", "deck:mine", "--json", db=db).stdout)["cards"]
    assert [(row["label"], row["front"]) for row in found] == [(added["id"], "What does a query attend to?")]


def test_an_own_card_that_does_not_check_is_refused_and_the_file_left_as_it_was(tmp_path: Path, data_folder: Path) -> None:
    db = f"sqlite:///{tmp_path / 'own.sqlite3'}"
    assert quizzer("add", "--deck", "mine", "--front", "Q", "--back", "A", db=db).returncode == 0
    before = (data_folder / "decks" / "mine.toml").read_text(encoding="utf-8")
    result = quizzer("add", "--deck", "mine", "--cloze", "--front", "no deletion here", db=db)
    assert result.returncode == 2
    assert "mine.toml:" in result.stderr
    assert (data_folder / "decks" / "mine.toml").read_text(encoding="utf-8") == before


def test_decks_add_list_and_remove_a_folder(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'own.sqlite3'}"
    extra = Path(shutil.copytree(FIXTURE_CONTENT / "ml", tmp_path / "extra"))
    (extra / "beta.toml").write_text((extra / "beta.toml").read_text().replace('"beta', '"gamma'), encoding="utf-8")
    assert quizzer("decks", "add", str(extra), db=db).returncode == 0
    assert str(extra) in json.loads(quizzer("decks", "list", "--json", db=db).stdout)["folders"]
    assert json.loads(quizzer("search", "deck:gamma", "--json", db=db).stdout)["total"] == 1
    assert quizzer("decks", "remove", str(extra), db=db).returncode == 0
    assert str(extra) not in json.loads(quizzer("decks", "list", "--json", db=db).stdout)["folders"]
    assert json.loads(quizzer("search", "deck:gamma", "--json", db=db).stdout)["total"] == 1  # its cards stay


async def test_an_own_one_language_card_is_reviewed_like_any_other(sqlite_services: Services) -> None:
    item_id = sqlite_services.folders.add_card(OwnCard("mine", "Name the gate that forgets.", "The forget gate"))
    app = make_app(sqlite_services, deck="mine")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Name the gate that forgets." in prompt_text(app)
        await pilot.press("space", "3")
    with sqlite_services.review.sessions() as session:
        (log,) = session.scalars(select(ReviewLog))
        assert log.rating == 3
    assert sqlite_services.content.show(item_id).prompt == {"zh": "Name the gate that forgets.", "en": "Name the gate that forgets."}


async def test_the_a_form_adds_an_english_only_card_and_the_browser_shows_it(sqlite_services: Services) -> None:
    app = make_app(sqlite_services)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("a")
        assert isinstance(app.screen, AddCardScreen)
        app.screen.query_one("#deck", Input).value = "mine::rnn"
        app.screen.query_one("#front", Input).value = "What does an LSTM's cell state carry?"
        app.screen.query_one("#back", Input).value = "Long-term memory"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, BrowserScreen)
        rows = app.screen.rows.values()
        assert [(row.deck, row.front) for row in rows] == [
            ("mine::rnn", "What does an LSTM's cell state carry?")  # one language: shown once
        ]
