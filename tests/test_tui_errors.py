"""Errors inside the TUI reach the learner as a notification or a dialog, never a traceback:
a failing service call is injected and the app must still be running, with the message shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from textual.app import App
from textual.widgets import Static

from quizzer.app import make_app
from quizzer.dialogs.error import ErrorDialog
from quizzer.errors import StorageError
from quizzer.screens.drill import DrillScreen
from quizzer.screens.review import ReviewScreen
from quizzer.services.container import Services
from quizzer.storage.models import ReviewLog
from tests.test_drill_screen import SIZE, drill_services  # noqa: F401  (the fixture)


def notifications(app: App[None]) -> list[str]:
    """The text of every notification on screen, as the learner reads it."""
    return [str(toast.render()) for toast in app.screen.query("Toast")]


def ratings_stored(services: Services) -> list[int]:
    with services.review.sessions() as session:
        return list(session.scalars(select(ReviewLog.rating).order_by(ReviewLog.id)))


def fail_with(error: Exception) -> object:
    def failing(*_args: object, **_kwargs: object) -> None:
        raise error

    return failing


async def test_a_locked_database_while_rating_is_a_dialog_and_the_answer_can_be_given_again(
    sqlite_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(sqlite_services, deck="alpha")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("space", "3")
        with monkeypatch.context() as patch:
            patch.setattr(sqlite_services.review, "answer", fail_with(StorageError("database is locked")))
            await pilot.press("space", "3")
            await pilot.pause()
            assert isinstance(app.screen, ErrorDialog)
            assert "database is locked" in str(app.screen.query_one("#error-message", Static).render())
        await pilot.press("enter")  # closes the dialog: the same card is still there, revealed
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("3")
        assert app.is_running
    assert ratings_stored(sqlite_services) == [3, 3]


async def test_an_unexpected_error_goes_to_the_log_and_a_one_line_message_names_it(
    sqlite_services: Services, monkeypatch: pytest.MonkeyPatch, data_folder: Path
) -> None:
    monkeypatch.setattr(sqlite_services.review, "undo", fail_with(RuntimeError("undo went wrong")))
    app = make_app(sqlite_services, deck="alpha")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("space", "3", "u")
        await pilot.pause()
        shown = notifications(app)
        assert app.is_running and isinstance(app.screen, ReviewScreen)
    log = data_folder / "quizzer.log"
    assert "Traceback" in log.read_text() and "RuntimeError: undo went wrong" in log.read_text()
    [message] = [text for text in shown if str(log) in text]
    assert "RuntimeError" in message and "\n" not in message
    assert ratings_stored(sqlite_services) == [3]


async def test_an_error_in_a_message_handler_is_reported_too(sqlite_services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sqlite_services.review, "answer", fail_with(StorageError("disk I/O error")))
    app = make_app(sqlite_services, deck="alpha")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("space")
        await pilot.click("#rate-3")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, ErrorDialog)


async def test_an_unexpected_error_in_the_grading_worker_leaves_the_drill_open(
    drill_services: Services, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    monkeypatch.setattr(drill_services.drills, "grade", fail_with(BrokenPipeError("the grading service is gone")))
    app = make_app(drill_services, deck="drills")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, DrillScreen)
        assert any("BrokenPipeError: the grading service is gone" in text for text in notifications(app))
