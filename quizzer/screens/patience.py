"""Database calls from a screen that never end the review.

``patiently`` runs a service call in a thread, so the screen keeps drawing while SQLite is
locked by another program or PostgreSQL restarts; ``storage.retry`` calls it again meanwhile
and the screen's status line says what it waits for. After ``Config.db_patience`` seconds it
raises a one-line ``StorageError``, for the screen to say what was not saved.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

from textual.app import App

from quizzer.storage.retry import retrying

T = TypeVar("T")


async def patiently(app: App[object], patience: float, action: Callable[[], T], say: Callable[[str | None], None]) -> T:
    """``action()`` retried for up to ``patience`` s; ``say(text)`` while waiting, ``say(None)`` after."""

    def waiting(reason: str, waited: float) -> None:
        app.call_from_thread(say, f"⏳ waiting for the database ({reason}) {waited:.0f}/{patience:g} s · 等待数据库")

    try:
        return await asyncio.to_thread(retrying, action, patience=patience, on_wait=waiting)
    finally:
        say(None)
