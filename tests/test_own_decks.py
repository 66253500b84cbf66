"""Cards of one's own and several deck folders: `quizzer add` and `quizzer decks` as scripts
run them, and an own card reviewed in the app."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from sqlalchemy import select
from textual.widgets import Input, Tree

from quizzer.app import make_app
from quizzer.screens.add_card import AddCardScreen
from quizzer.screens.browser import BrowserScreen
from quizzer.services.container import Services
from quizzer.storage.engine import make_engine
from quizzer.storage.models import Item, ReviewLog
from tests.conftest import FIXTURE_CONTENT
from tests.test_cli import quizzer
from tests.test_tui import prompt_text


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


def keys(text: str) -> list[str]:
    """The keys that type ``text`` (letters, digits and spaces)."""
    return ["space" if char == " " else char for char in text]


async def test_a_one_language_card_added_with_the_form_lands_in_the_own_folder_shows_in_the_browser_and_is_reviewed(
    sqlite_services: Services, data_folder: Path
) -> None:
    app = make_app(sqlite_services)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        assert isinstance(app.screen, AddCardScreen)
        app.screen.query_one("#deck", Input).value = "mine::rnn"
        await pilot.press(*keys("What does an LSTM cell state carry"), "tab", *keys("Long term memory"), "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, BrowserScreen)
        (row,) = app.screen.rows.values()
        assert (row.deck, row.front, row.state) == ("mine::rnn", "What does an LSTM cell state carry", "new")  # shown once
        assert row.item_id.startswith("what-does-an-lstm-cell-state-carry-")
        await pilot.press("escape", "escape")  # out of the search box, then out of the browser
        tree: Tree[str] = app.screen.query_one(Tree)
        await pilot.pause()
        mine = next(node for node in tree.root.children if node.data == "mine")
        tree.move_cursor(mine)
        await pilot.press("enter")
        await pilot.pause()
        assert prompt_text(app) == "What does an LSTM cell state carry"
        await pilot.press("space", "3")
    written = (data_folder / "decks" / "mine__rnn.toml").read_text(encoding="utf-8")
    assert f'id = "{row.item_id}"' in written and 'back.en = "Long term memory"' in written
    with sqlite_services.review.sessions() as session:
        (log,) = session.scalars(select(ReviewLog))
        assert (log.card_id, log.rating) == (row.card_id, 3)
    assert sqlite_services.content.show(row.item_id).prompt == {"zh": row.front, "en": row.front}


def test_a_folders_items_are_retired_only_by_an_import_of_that_folder(tmp_path: Path, data_folder: Path) -> None:
    db = f"sqlite:///{tmp_path / 'own.sqlite3'}"
    extra = Path(shutil.copytree(FIXTURE_CONTENT / "ml", tmp_path / "extra"))
    (extra / "beta.toml").write_text((extra / "beta.toml").read_text().replace('"beta', '"gamma'), encoding="utf-8")
    assert quizzer("decks", "add", str(extra), "--json", db=db).returncode == 0
    added = json.loads(quizzer("add", "--deck", "mine", "--front", "Q", "--back", "A", "--json", db=db).stdout)

    assert quizzer("import", str(FIXTURE_CONTENT), db=db).returncode == 0  # the bundled folder alone
    assert json.loads(quizzer("search", "deck:mine or deck:gamma", "--json", db=db).stdout)["total"] == 2

    own = data_folder / "decks" / "mine.toml"
    own.write_text(own.read_text(encoding="utf-8").split("[[card]]")[0], encoding="utf-8")  # its last card taken out
    found = quizzer("search", "deck:mine or deck:gamma", "--json", db=db)  # every command first imports the changed folder
    assert found.returncode == 0, found.stderr
    assert [row["label"] for row in json.loads(found.stdout)["cards"]] == ["gamma-basic"]
    engine = make_engine(db)
    with engine.connect() as conn:
        assert conn.scalar(select(Item.retired_at).where(Item.id == added["id"])) is not None  # retired, not deleted
    engine.dispose()
