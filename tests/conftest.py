"""Shared fixtures: a fixed clock, a fresh database per test (SQLite, and PostgreSQL when
``QUIZZER_TEST_PG_URL`` names a server), and services over the tiny fixture deck."""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from quizzer.config import Config, SchedulingConfig
from quizzer.services.container import Services
from quizzer.storage.engine import make_engine

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE_CONTENT = FIXTURES / "content"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
"""A Monday morning, well after the 04:00 day start."""


@dataclass
class FakeClock:
    """A clock tests move by hand."""

    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


@pytest.fixture(autouse=True)
def fixed_randomness() -> None:
    random.seed(1234)  # fsrs draws its interval fuzz from `random`


@pytest.fixture(autouse=True)
def data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Tests (and the CLI they start) write logs and own decks here, never in the learner's folder."""
    monkeypatch.setenv("QUIZZER_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def reset_postgres(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


DB_BACKENDS = ["sqlite"] + (["postgres"] if os.environ.get("QUIZZER_TEST_PG_URL") else [])


@pytest.fixture(params=DB_BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database: a SQLite file, or the test PostgreSQL server wiped clean."""
    if request.param == "postgres":
        url = os.environ["QUIZZER_TEST_PG_URL"]
        reset_postgres(url)
        return url
    return f"sqlite:///{tmp_path / 'test.sqlite3'}"


@pytest.fixture
def scheduling() -> SchedulingConfig:
    return SchedulingConfig(enable_fuzzing=False, new_per_day=20, reviews_per_day=200)


def open_services(db_url: str, clock: FakeClock, scheduling: SchedulingConfig) -> Services:
    opened = Services.open(
        Config(db_url=db_url, content_dir=FIXTURE_CONTENT, scheduling=scheduling), clock=clock, tz=UTC
    )
    opened.content.import_path(FIXTURE_CONTENT)
    return opened


@pytest.fixture
def services(db_url: str, clock: FakeClock, scheduling: SchedulingConfig) -> Iterator[Services]:
    """Services over an empty database (each backend), with the fixture deck imported."""
    opened = open_services(db_url, clock, scheduling)
    yield opened
    opened.close()


@pytest.fixture
def sqlite_services(tmp_path: Path, clock: FakeClock, scheduling: SchedulingConfig) -> Iterator[Services]:
    """The same over SQLite only: for UI tests, whose database behaviour is covered above."""
    opened = open_services(f"sqlite:///{tmp_path / 'ui.sqlite3'}", clock, scheduling)
    yield opened
    opened.close()
