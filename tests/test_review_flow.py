"""The daily flow by keys, as a learner goes through it: every action on a card (answer, bury,
suspend, skip) is undone newest first with the same card shown again, on typed cards too;
`esc` gives the letter keys back from the answer box; keys typed ahead of a card never land
in it; the palette lists the review's actions. Checked on the database rows."""

from __future__ import annotations

import asyncio
import threading

import pytest
from sqlalchemy import select
from textual import events
from textual.command import CommandList
from textual.widgets import Input, Static

from quizzer.app import QuizzerApp, make_app
from quizzer.scheduling.custom import CustomStudy
from quizzer.screens.review import ReviewScreen
from quizzer.services.container import Services
from quizzer.services.review import ReviewCard
from quizzer.storage.models import Card, ReviewLog

SIZE = (80, 24)


def cards(services: Services) -> dict[tuple[str, int], tuple[object, ...]]:
    """Every card's scheduling fields and marks, by item and deletion."""
    with services.review.sessions() as session:
        return {
            (card.item_id, card.ordinal): (card.state, card.due, card.last_review, card.suspended, card.buried_until)
            for card in session.scalars(select(Card))
        }


def ratings(services: Services) -> list[int]:
    with services.review.sessions() as session:
        return list(session.scalars(select(ReviewLog.rating).order_by(ReviewLog.id)))


def shown(app: QuizzerApp) -> str:
    """The id of the item on screen (the status line names it)."""
    status = str(app.screen.query_one("#status", Static).render())
    return status.rsplit("·", 1)[-1].strip()


def shown_card(app: QuizzerApp, services: Services) -> tuple[str, int]:
    """The card on screen: its item and deletion (0 for an item with one card)."""
    assert isinstance(app.screen, ReviewScreen) and app.screen.card is not None
    with services.review.sessions() as session:
        card = session.get_one(Card, app.screen.card.card_id)
        return card.item_id, card.ordinal


def palette(app: QuizzerApp) -> list[str]:
    """The commands the open palette lists (their names, without the help line)."""
    return [str(option.prompt).split("\n")[0] for option in app.screen.query_one(CommandList).options]


async def typed_while_loading(app: QuizzerApp, services: Services, first: str, then: list[str]) -> list[events.Key]:
    """Press ``first``, and the keys ``then`` while the next item is read from the database
    (held there until they are pressed), as a learner typing ahead does. The app is still
    busy with them when the item shows: the caller hands them over then."""
    reading, typed = threading.Event(), threading.Event()
    next_card = services.review.next_card

    def held(scope: str | None = None, custom: CustomStudy | None = None) -> ReviewCard | None:
        reading.set()
        typed.wait(10)
        return next_card(scope, custom)

    services.review.next_card = held  # type: ignore[method-assign]
    app.post_message(events.Key(first, first))
    await asyncio.to_thread(reading.wait, 10)
    pressed = [events.Key(key, "\r" if key == "enter" else key) for key in then]
    typed.set()
    services.review.next_card = next_card  # type: ignore[method-assign]
    return pressed


@pytest.mark.parametrize("key", ["b", "s", "k"], ids=["bury", "suspend", "skip"])
async def test_an_action_on_a_card_is_undone_and_the_same_card_shows_again(sqlite_services: Services, key: str) -> None:
    before = cards(sqlite_services)
    app = make_app(sqlite_services, deck="alpha")
    async with app.run_test(size=SIZE) as pilot:
        assert shown(app) == "alpha-basic-1"
        await pilot.press(key)
        assert shown(app) == "alpha-basic-2"
        assert cards(sqlite_services) != before or key == "k"  # a skip stores nothing
        await pilot.press("u")
        assert shown(app) == "alpha-basic-1"
    assert cards(sqlite_services) == before


async def test_repeated_undo_takes_back_answer_bury_and_skip_newest_first(sqlite_services: Services) -> None:
    before = cards(sqlite_services)
    app = make_app(sqlite_services, deck="alpha")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "3")  # basic-1 answered Good
        await pilot.press("b")  # basic-2 buried
        await pilot.press("k")  # the cloze's first deletion skipped: its second shows
        assert shown_card(app, sqlite_services) == ("alpha-cloze", 2)
        undone = []
        for _ in range(3):
            await pilot.press("u")
            undone.append(shown_card(app, sqlite_services))
        assert undone == [("alpha-cloze", 1), ("alpha-basic-2", 0), ("alpha-basic-1", 0)]
    assert cards(sqlite_services) == before and ratings(sqlite_services) == []


@pytest.mark.parametrize("key", ["b", "s", "k"], ids=["bury", "suspend", "skip"])
async def test_on_a_typed_card_esc_gives_the_letter_keys_back_and_the_action_is_undone(sqlite_services: Services, key: str) -> None:
    app = make_app(sqlite_services, deck="alpha::sub")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "1")  # the cloze first, Again: it comes back when nothing else is left
        box = app.screen.query_one("#typed", Input)
        await pilot.press(key)
        assert box.value == key  # in the box, a letter is text
        await pilot.press("backspace", "escape")
        assert isinstance(app.screen, ReviewScreen) and app.focused is None  # the first esc does not leave
        before = cards(sqlite_services)
        await pilot.press(key)
        assert shown(app) != "alpha-typed"
        await pilot.press("u")
        assert shown(app) == "alpha-typed" and app.screen.query_one("#typed", Input).has_focus
    assert cards(sqlite_services) == before and ratings(sqlite_services) == [1]


async def test_a_checked_typed_card_can_be_buried_and_the_bury_undone(sqlite_services: Services) -> None:
    app = make_app(sqlite_services, deck="alpha::sub")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "4")
        await pilot.press(*"(2, 3)", "enter")  # checked: right, Good proposed
        await pilot.press("b")
        assert cards(sqlite_services)[("alpha-typed", 0)][4] is not None
        await pilot.press("u")
        assert shown(app) == "alpha-typed" and app.screen.query_one("#typed", Input).value == ""
    assert cards(sqlite_services)[("alpha-typed", 0)][4] is None and ratings(sqlite_services) == [4]


async def test_enter_takes_the_keys_back_into_the_box_after_esc(sqlite_services: Services) -> None:
    app = make_app(sqlite_services, deck="alpha::sub")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "4")
        await pilot.press("escape", "enter")
        assert app.screen.query_one("#typed", Input).has_focus
        await pilot.press(*"(2, 3)", "enter")
        assert "correct" in str(app.screen.query_one("#typed", Input).border_title)


async def test_keys_typed_while_the_next_card_loads_do_not_land_in_it(sqlite_services: Services) -> None:
    app = make_app(sqlite_services, deck="alpha::sub")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        pressed = await typed_while_loading(app, sqlite_services, "4", ["2", "d", "e", "f"])  # Easy, then habit
        await pilot.pause()
        assert shown(app) == "alpha-typed"
        for key in pressed:
            app.post_message(key)
        await pilot.pause()
        assert app.screen.query_one("#typed", Input).value == ""
    assert ratings(sqlite_services) == [4]


async def test_the_palette_lists_the_reviews_actions_and_runs_them(sqlite_services: Services) -> None:
    app = make_app(sqlite_services, deck="alpha")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "3", "ctrl+p")
        listed = palette(app)
        assert {"Undo", "Suspend", "Bury", "Skip", "Info", "Edit", "Show answer"} <= set(listed)
        await pilot.press(*"skip", "enter")
        await pilot.pause()
        assert shown(app) == "alpha-cloze"
        assert sqlite_services.review.later == [sqlite_services.collection.resolve(["alpha-basic-2"])[0]]
