"""The browser driven by keys: search as you type, act on marked cards, undo, card info."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static, Tree

from quizzer.app import QuizzerApp, make_app
from quizzer.screens import browser
from quizzer.screens.browser import BrowserScreen
from quizzer.screens.card_info import CardInfoScreen
from quizzer.screens.review import ReviewScreen
from quizzer.services.container import Services
from quizzer.storage.models import Card
from quizzer.vocabulary import Rating
from quizzer.widgets.card_table import CardTable, short_label
from quizzer.widgets.keys_footer import KeysFooter
from tests.test_search import EVERY, answer

SIZE = (120, 30)


def column(app: QuizzerApp, key: str) -> list[str]:
    """The cells of one column of the browser's table, top to bottom."""
    table: DataTable[object] = app.screen.query_one(DataTable)
    return [str(cell) for cell in table.get_column(key)]


def table_labels(app: QuizzerApp) -> set[str]:
    return set(column(app, "id"))


def status(app: QuizzerApp) -> str:
    return str(app.screen.query_one("#status", Static).render())


async def search(app: QuizzerApp, pilot: Pilot[None], query: str) -> None:
    app.screen.query_one("#search", Input).value = query
    app.screen.query_one(CardTable).focus()  # as enter in the box does
    await pilot.pause()


def suspended(services: Services) -> set[str]:
    with services.review.sessions() as session:
        return {f"{c.item_id}/{c.ordinal}" for c in session.scalars(select(Card).where(Card.suspended.is_(True)))}


def buried(services: Services) -> set[str]:
    with services.review.sessions() as session:
        return {f"{c.item_id}/{c.ordinal}" for c in session.scalars(select(Card).where(Card.buried_until.is_not(None)))}


async def test_slash_opens_the_browser_on_every_card_and_typing_filters_it(sqlite_services: Services) -> None:
    app = make_app(sqlite_services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        assert isinstance(app.screen, BrowserScreen)
        assert table_labels(app) == EVERY and status(app) == "6 cards"
        await pilot.press(*"beta")  # the search box has the keys: b buries nothing
        assert table_labels(app) == {"beta-basic"} and buried(sqlite_services) == set()


async def test_each_operator_filters_the_table(sqlite_services: Services) -> None:
    answer(sqlite_services, "alpha-basic-1", Rating.Again)
    app = make_app(sqlite_services)
    cases = {
        '"question one"': {"alpha-basic-1"},
        "梯度": {"alpha-cloze/c1", "alpha-cloze/c2"},
        "deck:alpha::sub": {"alpha-cloze/c1", "alpha-cloze/c2", "alpha-typed"},
        "tag:fixture -deck:alpha::sub": {"alpha-basic-1", "alpha-basic-2"},
        "kind:typed or id:beta-basic": {"alpha-typed", "beta-basic"},
        "is:learning": {"alpha-basic-1"},
        "prop:lapses=0 is:new kind:basic": {"alpha-basic-2", "beta-basic"},
        "rated:1": {"alpha-basic-1"},
        "prop:due<=0": {"alpha-basic-1"},
    }
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("B")
        for query, expected in cases.items():
            await search(app, pilot, query)
            assert table_labels(app) == expected, query


async def test_a_bad_search_says_where_in_the_status_line_and_keeps_the_table(sqlite_services: Services) -> None:
    app = make_app(sqlite_services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("B")
        await search(app, pilot, "kind:typed")
        await search(app, pilot, "kind:typed (")
        assert status(app).startswith("bad search at column 12")
        assert table_labels(app) == {"alpha-typed"}


async def test_marked_cards_are_suspended_together_and_undo_takes_it_back(sqlite_services: Services) -> None:
    app = make_app(sqlite_services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("B")
        await search(app, pilot, "deck:alpha::sub")
        await pilot.press("space", "space", "s")  # mark c1 and c2, suspend them
        assert suspended(sqlite_services) == {"alpha-cloze/1", "alpha-cloze/2"}
        assert column(app, "state") == ["suspended", "suspended", "new"]
        await pilot.press("u")
        assert suspended(sqlite_services) == set()


async def test_i_shows_card_info_with_the_cards_history(sqlite_services: Services) -> None:
    answer(sqlite_services, "beta-basic", Rating.Good, Rating.Again)
    app = make_app(sqlite_services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("B")
        await search(app, pilot, "id:beta-basic")
        await pilot.press("i")
        assert isinstance(app.screen, CardInfoScreen)
        text = str(app.screen.query_one("#info-text", Static).render())
        assert "beta-basic" in text and "state · 状态 learning" in text.replace("relearning", "learning")
        assert [line.split()[2] for line in text.splitlines() if line[:2] == "20"] == ["good", "again"]


async def test_slash_on_the_deck_tree_browses_the_selected_deck(sqlite_services: Services) -> None:
    app = make_app(sqlite_services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        tree: Tree[str] = app.screen.query_one(Tree)
        tree.move_cursor(tree.root.children[0].children[0])  # alpha::sub
        await pilot.press("slash")
        assert app.screen.query_one("#search", Input).value == 'deck:"alpha::sub"'
        assert table_labels(app) == {"alpha-cloze/c1", "alpha-cloze/c2", "alpha-typed"}


async def test_the_browser_opens_from_a_review_and_escape_returns_to_it(sqlite_services: Services) -> None:
    app = make_app(sqlite_services, deck="beta")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("B")
        assert isinstance(app.screen, BrowserScreen)
        await pilot.press("escape")  # out of the search box, to the table
        assert isinstance(app.screen, BrowserScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, ReviewScreen)


async def test_i_in_a_review_shows_the_shown_cards_info(sqlite_services: Services) -> None:
    app = make_app(sqlite_services, deck="beta")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("i")
        assert isinstance(app.screen, CardInfoScreen)
        assert "beta-basic" in str(app.screen.query_one("#info-text", Static).render())
        await pilot.press("escape")
        assert isinstance(app.screen, ReviewScreen)


async def test_the_deck_tree_shows_suspended_buried_and_flagged_counts(sqlite_services: Services) -> None:
    sqlite_services.actions.suspend(sqlite_services.collection.resolve(["alpha-cloze"]))
    sqlite_services.actions.bury(sqlite_services.collection.resolve(["alpha-basic-1"]))
    sqlite_services.actions.flag(sqlite_services.collection.resolve(["beta-basic"]), 1)
    app = make_app(sqlite_services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        tree: Tree[str] = app.screen.query_one(Tree)
        alpha, beta = tree.root.children
        assert str(tree.root.label).split()[-3:] == ["2", "1", "1"]
        assert str(alpha.label).split()[-2:] == ["2", "1"]  # suspended, buried; no flag
        assert str(alpha.children[0].label).split()[-1] == "2"  # alpha::sub: the cloze's two cards
        assert str(beta.label).split()[-1] == "1"


async def test_ctrl_a_marks_every_row_shown_for_one_action(sqlite_services: Services) -> None:
    app = make_app(sqlite_services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("B")
        await search(app, pilot, "deck:alpha")
        await pilot.press("ctrl+a", "b")
    assert {row.label for row in sqlite_services.collection.search("is:buried").rows} == EVERY - {"beta-basic"}


@pytest.mark.parametrize(("size", "columns"), [
    ((80, 24), ["mark", "id", "front", "state", "due"]),
    ((120, 40), ["mark", "id", "deck", "front", "state", "due", "ivl"]),
])
async def test_the_columns_fit_the_terminal_and_the_front_takes_the_rest(
    sqlite_services: Services, size: tuple[int, int], columns: list[str]
) -> None:
    app = make_app(sqlite_services)
    async with app.run_test(size=size) as pilot:
        await pilot.press("B")
        await pilot.pause()
        table: DataTable[object] = app.screen.query_one(DataTable)
        assert [str(key.value) for key in table.columns] == columns
        assert table.virtual_size.width <= table.scrollable_content_region.width  # no sideways scrolling
        widths = {str(key.value): column.width for key, column in table.columns.items()}
        assert max(widths, key=lambda key: widths[key]) == "front"


async def test_a_long_search_reads_the_next_page_at_the_last_row_and_counts_once_typing_pauses(
    sqlite_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(browser, "PAGE", 4)
    app = make_app(sqlite_services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("B")
        await search(app, pilot, "question or 梯度 or kind:typed")  # all six cards
        assert len(table_labels(app)) == 4 and status(app) == "4+ cards"
        await pilot.pause(browser.COUNT_AFTER + 0.2)
        assert status(app) == "6 cards, 4 shown (more as you scroll)"
        await pilot.press("down", "down", "down")  # onto the last row
        assert table_labels(app) == EVERY and status(app) == "6 cards"


async def test_s_and_b_on_the_deck_tree_restore_the_selected_decks_cards_and_u_takes_it_back(sqlite_services: Services) -> None:
    sqlite_services.actions.suspend(sqlite_services.collection.resolve(["alpha-cloze", "beta-basic"]))
    sqlite_services.actions.bury(sqlite_services.collection.resolve(["alpha-typed"]))
    app = make_app(sqlite_services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        tree: Tree[str] = app.screen.query_one(Tree)
        tree.move_cursor(tree.root.children[0])  # alpha, with alpha::sub below it
        await pilot.press("s")
        assert suspended(sqlite_services) == {"beta-basic/0"}  # beta is another deck
        await pilot.pause()
        assert tree.cursor_node is tree.root.children[0]  # alpha stays selected
        await pilot.press("b")
        assert buried(sqlite_services) == set()
        assert len(str(tree.root.children[0].label).split()) == 4  # alpha, new, learning, due: nothing marked
        await pilot.press("u")  # takes back the unbury
        assert buried(sqlite_services) == {"alpha-typed/0"}
    assert suspended(sqlite_services) == {"beta-basic/0"}


def test_a_long_cloze_id_is_cut_in_the_middle_so_its_deletion_number_shows() -> None:
    assert short_label("rl-mdp-interaction/c12") == "rl-mdp-interact…/c12"
    assert short_label("drill-saving-load-mlp-state-dict") == "drill-saving-load-m…"
    assert short_label("alpha-cloze/c1") == "alpha-cloze/c1"


async def test_card_info_shows_the_prompt_in_the_language_set(sqlite_services: Services) -> None:
    sqlite_services.settings.set_language("zh")
    app = make_app(sqlite_services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("B")
        await search(app, pilot, "id:beta-basic")
        await pilot.press("i")
        text = str(app.screen.query_one("#info-text", Static).render())
        assert "贝塔问题" in text and "Beta question" not in text


async def test_at_80_columns_the_browsers_footer_ends_with_question_mark_and_the_palette(sqlite_services: Services) -> None:
    app = make_app(sqlite_services)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("B", "enter")  # from the search box (where ? is a letter) to the table
        await pilot.pause()
        line = app.screen.query_one(KeysFooter).render().plain
        assert isinstance(app.screen, BrowserScreen) and line.endswith("▏ ? Keys  ^p palette ") and len(line) == 80
