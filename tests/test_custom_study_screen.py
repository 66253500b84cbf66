"""The custom-study dialog (``c`` on the deck tree, or the palette), driven by keys."""

from __future__ import annotations

from sqlalchemy import select
from textual.pilot import Pilot
from textual.widgets import Input, Static

from quizzer.app import QuizzerApp, make_app
from quizzer.screens.custom_study import CHOICES, CustomStudyScreen
from quizzer.screens.review import ReviewScreen
from quizzer.services.container import Services
from quizzer.storage.models import Card, Deck, ReviewLog

SIZE = (80, 24)


async def choose(pilot: Pilot[None], app: QuizzerApp, what: str, value: str) -> None:
    """Pick ``what`` in the dialog's list by keys and type ``value`` in its box."""
    await pilot.press("shift+tab")  # from the box to the list
    await pilot.press(*["down"] * [choice[0] for choice in CHOICES].index(what), "enter")
    app.screen.query_one(Input).value = ""
    await pilot.press(*value)


def answered_items(services: Services) -> list[str]:
    with services.review.sessions() as session:
        return list(session.scalars(select(Card.item_id).join(ReviewLog, ReviewLog.card_id == Card.id).order_by(ReviewLog.id)))


async def test_c_then_enter_gives_ten_more_new_cards_today_and_reviews_the_deck(sqlite_services: Services) -> None:
    app = make_app(sqlite_services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()  # the deck tree has put its cursor on All decks
        await pilot.press("down", "c")  # the cursor on alpha
        assert isinstance(app.screen, CustomStudyScreen) and app.screen.deck == "alpha"
        await pilot.press("enter")  # the first choice, with its default: 10 more new cards
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen) and app.screen.deck == "alpha"
    with sqlite_services.review.sessions() as session:
        row = session.get_one(Deck, "alpha")
        assert (row.extra_new, row.extra_reviews, row.extended_until) == (10, 0, sqlite_services.review.study_day_end())


async def test_a_search_session_shows_only_its_cards_and_answers_are_logged(sqlite_services: Services) -> None:
    app = make_app(sqlite_services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()  # the deck tree has put its cursor on All decks
        await pilot.press("down", "down", "c")  # alpha::sub
        await choose(pilot, app, "search", "kind:typed")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen) and "custom study: search kind:typed" in str(app.screen.sub_title)
        app.screen.query_one(Input).value = "(2, 3)"
        await pilot.press("enter", "4")  # checked right; Easy: graduates, the session is done
        await pilot.pause()
        assert "Custom study done" in str(app.screen.query_one("#done", Static).render())
    assert answered_items(sqlite_services) == ["alpha-typed"]


async def test_a_bad_search_is_said_in_the_dialog_which_stays(sqlite_services: Services) -> None:
    app = make_app(sqlite_services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await choose(pilot, app, "search", "is:sleepy")
        await pilot.press("enter")
        assert isinstance(app.screen, CustomStudyScreen)
        assert str(app.screen.query_one("#error", Static).render()).startswith("bad search at column 1: unknown 'is:sleepy'")


async def test_nothing_to_review_ahead_is_said_in_the_dialog(sqlite_services: Services) -> None:
    app = make_app(sqlite_services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await choose(pilot, app, "ahead", "3")
        await pilot.press("enter")
        error = str(app.screen.query_one("#error", Static).render())
        assert error == "nothing to study: no card for review ahead 3 day(s) in all decks"


async def test_the_palette_opens_custom_study_for_the_deck_under_review(sqlite_services: Services) -> None:
    app = make_app(sqlite_services, deck="beta")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p", *"Custom study", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CustomStudyScreen) and app.screen.deck == "beta"
        await pilot.press("escape")
        assert isinstance(app.screen, ReviewScreen)
    with sqlite_services.review.sessions() as session:
        assert session.get(Deck, "beta") is None
