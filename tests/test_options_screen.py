"""``o`` on the deck tree: the options screen, driven by keys, checked against the decks table."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Input, Static

from quizzer.app import QuizzerApp, make_app
from quizzer.screens.home import HomeScreen
from quizzer.screens.options import OptionsScreen
from quizzer.services.container import Services
from quizzer.storage.models import Deck

SIZE = (80, 24)


def deck_row(services: Services, path: str) -> tuple[object, ...] | None:
    with services.review.sessions() as session:
        row = session.get(Deck, path)
        if row is None:
            return None
        return (row.new_per_day, row.reviews_per_day, row.new_drills_per_day, row.desired_retention, row.learning_steps)


async def type_into(pilot: Pilot[None], app: QuizzerApp, field: str, text: str) -> None:
    app.screen.query_one(f"#{field}", Input).value = ""
    app.screen.query_one(f"#{field}", Input).focus()
    await pilot.press(*text)


async def test_o_on_a_deck_edits_its_options_and_enter_stores_only_the_changed_ones(sqlite_services: Services) -> None:
    app = make_app(sqlite_services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()  # the deck tree has put its cursor on All decks
        await pilot.press("down", "o")  # the cursor on alpha
        assert isinstance(app.screen, OptionsScreen) and app.screen.deck == "alpha"
        assert app.screen.query_one("#retention", Input).value == "0.9"
        await type_into(pilot, app, "retention", "0.85")
        await type_into(pilot, app, "new", "5")
        await pilot.press("enter")
        assert isinstance(app.screen, HomeScreen)
    assert deck_row(sqlite_services, "alpha") == (5, None, None, 0.85, None)


async def test_a_retention_out_of_range_is_said_in_the_form_and_nothing_is_stored(sqlite_services: Services) -> None:
    app = make_app(sqlite_services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()  # the deck tree has put its cursor on All decks
        await pilot.press("down", "o")
        await type_into(pilot, app, "retention", "0.5")
        await pilot.press("enter")
        assert isinstance(app.screen, OptionsScreen)
        error = str(app.screen.query_one("#error", Static).render())
        assert error == "retention must be between 0.7 and 0.99 (e.g. 0.9), not 0.5"
    assert deck_row(sqlite_services, "alpha") is None


async def test_bad_steps_are_said_in_the_form(sqlite_services: Services) -> None:
    app = make_app(sqlite_services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        await type_into(pilot, app, "learning_steps", "1m 10x")
        await pilot.press("enter")
        assert str(app.screen.query_one("#error", Static).render()) == "steps: '10x' is not a step such as 1m, 10m, 1h or 1d"
    assert deck_row(sqlite_services, "") is None


async def test_escape_cancels_without_storing(sqlite_services: Services) -> None:
    app = make_app(sqlite_services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()  # the deck tree has put its cursor on All decks
        await pilot.press("down", "o")
        await type_into(pilot, app, "new", "7")
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
    assert deck_row(sqlite_services, "alpha") is None


async def test_o_on_all_decks_sets_review_all_s_limits_and_the_tree_shows_them(sqlite_services: Services) -> None:
    app = make_app(sqlite_services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")  # the cursor on the root: the collection
        await type_into(pilot, app, "new", "2")
        await type_into(pilot, app, "learning_steps", "2m 20m")
        await pilot.click("#save")
        await pilot.pause()
        root = str(app.screen.query_one("#decks").root.label)  # type: ignore[attr-defined]
        assert root.split()[2:5] == ["2", "0", "0"]
    assert deck_row(sqlite_services, "") == (2, None, None, None, "2m 20m")
