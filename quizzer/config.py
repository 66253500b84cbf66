"""Settings and paths in one place.

Everything has a default that works from a fresh clone; the database URL comes from
``--db``, then ``QUIZZER_DB``, then the SQLite file under the repository's ``db/``. The
learner's own files (log, own decks) live in one data folder, ``data_dir()``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from quizzer.errors import ConfigError

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent
BUNDLED_CONTENT_DIR = REPO_DIR / "content"
"""The bundled deck, read by ``quizzer`` and ``quizzer import`` when no path is given."""


def default_content_dir() -> Path:
    """The deck files the app keeps imported: ``QUIZZER_CONTENT``, or the bundled ``content/``."""
    return Path(os.environ["QUIZZER_CONTENT"]) if os.environ.get("QUIZZER_CONTENT") else BUNDLED_CONTENT_DIR


def data_dir() -> Path:
    """The learner's own folder: ``QUIZZER_HOME``, or the platform's user data directory.

    It holds the log file and the learner's own decks; it is created by whoever first writes there.
    """
    if home := os.environ.get("QUIZZER_HOME"):
        return Path(home).expanduser()
    from platformdirs import user_data_path  # only when asked: most runs never need it

    return user_data_path("quizzer", appauthor=False)


def user_decks_dir() -> Path:
    """Where the learner keeps decks of their own (``data_dir()/decks``)."""
    return data_dir() / "decks"


def log_file() -> Path:
    """Where unexpected errors are written with their traceback (``data_dir()/quizzer.log``)."""
    return data_dir() / "quizzer.log"


def default_db_url() -> str:
    """The database used when neither ``--db`` nor ``QUIZZER_DB`` says otherwise."""
    if env := os.environ.get("QUIZZER_DB"):
        return env
    if (REPO_DIR / "db").is_dir():
        db_dir = REPO_DIR / "db"
    else:  # installed without the repository: the learner's data folder
        db_dir = data_dir()
        db_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{db_dir / 'quizzer.sqlite3'}"


@dataclass(frozen=True)
class SchedulingConfig:
    """How FSRS schedules answers and how big each day's queue may be."""

    desired_retention: float = 0.9
    """Probability of recall FSRS aims for at the moment a card comes due."""
    learning_steps: tuple[timedelta, ...] = (timedelta(minutes=1), timedelta(minutes=10))
    """Waits between the first answers of a new card, before it graduates to days."""
    relearning_steps: tuple[timedelta, ...] = (timedelta(minutes=10),)
    """Waits after a lapse, before the card goes back to days."""
    maximum_interval_days: int = 36500
    """No interval is ever longer than this."""
    enable_fuzzing: bool = True
    """Spread intervals a little so cards learned together do not stay together."""
    new_per_day: int = 20
    """Default limit of new cards a deck introduces per day (a deck may override it)."""
    reviews_per_day: int = 200
    """Default limit of review answers a deck takes per day (a deck may override it)."""
    day_start_hour: int = 4
    """Local hour at which a new study day starts (as in Anki)."""
    learn_ahead: timedelta = timedelta(minutes=20)
    """When nothing else is due, learning cards due within this window are shown early."""

    def __post_init__(self) -> None:
        if not 0.7 <= self.desired_retention <= 0.99:
            raise ConfigError(f"desired retention {self.desired_retention} is outside 0.70–0.99")
        if not 0 <= self.day_start_hour <= 23:
            raise ConfigError(f"day start hour {self.day_start_hour} is outside 0–23")


@dataclass(frozen=True)
class Config:
    """What one run of quizzer works with."""

    db_url: str = field(default_factory=default_db_url)
    """Any SQLAlchemy URL; SQLite by default."""
    content_dir: Path = BUNDLED_CONTENT_DIR
    """Deck files imported when the app starts."""
    scheduling: SchedulingConfig = field(default_factory=SchedulingConfig)
    db_patience: float = 30.0
    """Seconds the app waits for a busy or unreachable database before it says an answer (or
    other change) was not saved; the answer is kept on screen to be given again."""
