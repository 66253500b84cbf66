"""A deck's FSRS options: desired retention, learning steps and relearning steps.

Each is stored per deck (``None``: not set) and inherited down the tree: a card is scheduled
with the value set nearest to its own deck, looking at the deck, then its parents, then the
collection (the deck node ""), and last the configured default. So setting a retention on
``d2l`` holds for ``d2l::cnn`` too, unless ``d2l::cnn`` sets its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from quizzer.config import SchedulingConfig
from quizzer.errors import ConfigError
from quizzer.scheduling.fsrs_adapter import FsrsOptions
from quizzer.storage.models import Deck

RETENTION_RANGE = (0.7, 0.99)
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_STEP = re.compile(r"(\d+)([smhd])")


def check_retention(value: float) -> float:
    """``value``, or a ``ConfigError`` saying the range when FSRS should not aim for it."""
    low, high = RETENTION_RANGE
    if not low <= value <= high:
        raise ConfigError(f"retention must be between {low} and {high} (e.g. 0.9), not {value:g}")
    return value


def parse_steps(text: str) -> tuple[timedelta, ...]:
    """``"1m 10m"`` → one minute, ten minutes; units s, m, h, d; empty: no steps (Anki's notation)."""
    steps = []
    for word in text.replace(",", " ").split():
        match = _STEP.fullmatch(word.lower())
        if match is None or int(match.group(1)) == 0:
            raise ConfigError(f"steps: {word!r} is not a step such as 1m, 10m, 1h or 1d")
        steps.append(timedelta(seconds=int(match.group(1)) * UNITS[match.group(2)]))
    return tuple(steps)


def format_steps(steps: Iterable[timedelta]) -> str:
    """The inverse of ``parse_steps``, each step in its largest whole unit."""
    words = []
    for step in steps:
        seconds = int(step.total_seconds())
        unit = next(unit for unit, size in reversed(UNITS.items()) if seconds % size == 0)
        words.append(f"{seconds // UNITS[unit]}{unit}")
    return " ".join(words)


def fsrs_options(decks: Iterable[Deck], deck: str, config: SchedulingConfig) -> FsrsOptions:
    """The options a card of ``deck`` is scheduled with, from the deck rows ``decks`` (those
    of ``deck``, its parents and the collection are enough)."""
    by_path = {row.path: row for row in decks}
    chain = [by_path[path] for path in deck_chain(deck) if path in by_path]
    retention = next((row.desired_retention for row in chain if row.desired_retention is not None), None)
    learning = next((row.learning_steps for row in chain if row.learning_steps is not None), None)
    relearning = next((row.relearning_steps for row in chain if row.relearning_steps is not None), None)
    return FsrsOptions(
        config.desired_retention if retention is None else retention,
        config.learning_steps if learning is None else parse_steps(learning),
        config.relearning_steps if relearning is None else parse_steps(relearning),
    )


def options_of(session: Session, deck: str, config: SchedulingConfig) -> FsrsOptions:
    """The options a card of ``deck`` is scheduled with ("": those of the collection), read at
    once, so a change made in the options screen or another terminal holds at the next call."""
    return fsrs_options(session.scalars(select(Deck).where(Deck.path.in_(deck_chain(deck)))), deck, config)


def deck_chain(deck: str) -> list[str]:
    """The deck nodes whose options may hold for ``deck``: itself, its parents, the collection."""
    parts = deck.split("::") if deck else []
    return ["::".join(parts[:n]) for n in range(len(parts), -1, -1)]
