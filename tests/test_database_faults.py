"""The database never ends the review: a held SQLite write lock and a stopped, restarted or
frozen PostgreSQL server make the screen wait and say so; an answer it could not save stays on
screen to be given again, and is stored exactly once."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC
from pathlib import Path

import pytest
from sqlalchemy import select
from textual.widgets import Static, TextArea

from quizzer.app import QuizzerApp, make_app
from quizzer.config import Config, SchedulingConfig
from quizzer.dialogs.error import ErrorDialog
from quizzer.services.container import Services
from quizzer.storage.models import DrillDraft, ReviewLog
from quizzer.vocabulary import Rating
from tests.conftest import FIXTURE_CONTENT, FIXTURES, FakeClock, reset_postgres
from tests.postgres_server import PrivateServer, binaries

SIZE = (100, 30)


def open_at(url: str, clock: FakeClock, scheduling: SchedulingConfig, patience: float = 30.0, content: Path = FIXTURE_CONTENT) -> Services:
    services = Services.open(Config(db_url=url, content_dir=content, scheduling=scheduling, db_patience=patience), clock=clock, tz=UTC)
    services.content.import_path(content)
    return services


def ratings(services: Services) -> list[int]:
    with services.review.sessions() as session:
        return list(session.scalars(select(ReviewLog.rating).order_by(ReviewLog.id)))


def status(app: QuizzerApp) -> str:
    return str(app.screen.query_one("#status", Static).render())


def dialog(app: QuizzerApp) -> str:
    """The message of the error dialog on screen."""
    assert isinstance(app.screen, ErrorDialog)
    return str(app.screen.query_one("#error-message", Static).render())


async def until(condition: Callable[[], object], timeout: float = 20.0) -> bool:
    for _ in range(int(timeout / 0.05)):
        if condition():
            return True
        await asyncio.sleep(0.05)
    return False


@contextmanager
def write_lock(path: Path) -> Iterator[threading.Event]:
    """Hold SQLite's write lock on ``path`` (as a long import in another terminal) until the
    yielded event is set or the block ends."""
    release = threading.Event()
    taken = threading.Event()

    def hold() -> None:
        connection = sqlite3.connect(path, isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")
        taken.set()
        release.wait()
        connection.rollback()
        connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    taken.wait()
    try:
        yield release
    finally:
        release.set()
        holder.join()


@pytest.fixture
def sqlite_file(tmp_path: Path) -> Path:
    return tmp_path / "locked.sqlite3"


async def test_an_answer_waits_while_sqlite_is_locked_says_so_and_is_stored_when_released(
    sqlite_file: Path, clock: FakeClock, scheduling: SchedulingConfig,
) -> None:
    services = open_at(f"sqlite:///{sqlite_file}", clock, scheduling)
    app = make_app(services, deck="beta")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        with write_lock(sqlite_file) as release:
            pressed = asyncio.create_task(pilot.press("3"))
            assert await until(lambda: "waiting for the database (busy" in status(app))
            assert ratings(services) == []
            release.set()
            await pressed
        await pilot.pause()
        assert "waiting" not in status(app)
    assert ratings(services) == [3]
    services.close()


async def test_an_answer_not_saved_within_the_patience_is_kept_and_stored_once_on_the_next_try(
    sqlite_file: Path, clock: FakeClock, scheduling: SchedulingConfig,
) -> None:
    services = open_at(f"sqlite:///{sqlite_file}", clock, scheduling, patience=1.0)
    app = make_app(services, deck="beta")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        with write_lock(sqlite_file):
            await pilot.press("3")
            await pilot.pause()
            assert "Your answer (Good) is not saved: the database stayed busy" in dialog(app)
            await pilot.press("enter")
            assert "Beta question" in str(app.screen.query_one("#prompt", Static).content)
        await pilot.press("3")
        await pilot.pause()
        assert "Beta question" in str(app.screen.query_one("#prompt", Static).content)  # learning: shown again
    assert ratings(services) == [3]
    services.close()


async def test_typing_in_a_drill_while_sqlite_is_locked_saves_the_draft_once_released(
    sqlite_file: Path, clock: FakeClock, scheduling: SchedulingConfig,
) -> None:
    drills = FIXTURES / "drill_deck"
    services = open_at(f"sqlite:///{sqlite_file}", clock, scheduling, content=drills)
    app = make_app(services, deck="drills")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        with write_lock(sqlite_file) as release:
            app.screen.query_one("#editor", TextArea).insert("# typed while locked\n")
            await pilot.pause()
            assert app.screen.query_one("#editor", TextArea).text.startswith("# typed while locked")
            assert await until(lambda: "draft not saved yet" in status(app))
            release.set()
            assert await until(lambda: "draft not saved" not in status(app))
    with services.review.sessions() as session:
        assert session.scalars(select(DrillDraft.code)).one().startswith("# typed while locked")
    services.close()


@pytest.fixture(scope="module")
def postgres() -> Iterator[PrivateServer]:
    found = binaries()
    if found is None:
        pytest.skip("no PostgreSQL installed")
    server = PrivateServer(found)
    server.start()
    yield server
    server.remove()


@pytest.fixture
def pg_services(postgres: PrivateServer, clock: FakeClock, scheduling: SchedulingConfig) -> Iterator[Services]:
    if not postgres.running():  # a test stopped it and failed before starting it again
        postgres.start()
    reset_postgres(postgres.url)
    services = open_at(postgres.url, clock, scheduling, patience=15.0)
    yield services
    services.close()


def test_a_postgresql_restart_while_idle_does_not_fail_the_next_answer(postgres: PrivateServer, pg_services: Services) -> None:
    first = pg_services.review.next_card("beta")
    assert first is not None
    pg_services.review.answer(first.card_id, Rating.Good, version=first.version)
    postgres.restart()  # the pooled connection is dead now
    again = pg_services.review.next_card("beta")
    assert again is not None
    pg_services.review.answer(again.card_id, Rating.Good, version=again.version)
    assert ratings(pg_services) == [3, 3]


async def test_an_answer_given_while_postgresql_is_stopped_is_stored_when_it_returns(postgres: PrivateServer, pg_services: Services) -> None:
    app = make_app(pg_services, deck="beta")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        postgres.stop()
        pressed = asyncio.create_task(pilot.press("3"))
        assert await until(lambda: "waiting for the database (unreachable" in status(app))
        await asyncio.to_thread(postgres.start)
        await pressed
        await pilot.pause()
    assert ratings(pg_services) == [3]


async def test_an_answer_postgresql_cannot_take_within_the_patience_is_said_to_be_not_saved(postgres: PrivateServer, pg_services: Services) -> None:
    pg_services.config = replace(pg_services.config, db_patience=1.0)
    app = make_app(pg_services, deck="beta")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        postgres.stop()
        try:
            await pilot.press("4")
            await pilot.pause()
            assert "Your answer (Easy) is not saved: the database stayed unreachable" in dialog(app)
            await pilot.press("enter")
        finally:
            postgres.start()
        await pilot.press("4")
        await pilot.pause()
    assert ratings(pg_services) == [4]


def test_a_frozen_postgresql_server_ends_a_command_with_one_line_instead_of_hanging(postgres: PrivateServer, pg_services: Services) -> None:
    pg_services.engine.dispose()
    postgres.freeze(True)
    try:
        result = subprocess.run([sys.executable, "-m", "quizzer", "--db", postgres.url, "due"], capture_output=True, text=True, timeout=60)
    finally:
        postgres.freeze(False)
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1 and "timeout" in result.stderr
