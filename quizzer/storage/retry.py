"""Database calls that wait out a busy or unreachable database instead of ending the review.

SQLite answers "database is locked" while another program (a long ``quizzer import`` in
another terminal) holds the write lock; PostgreSQL refuses connections while it restarts and
drops those it had. Both pass: ``retrying`` calls the action again with a growing pause
(``FIRST_PAUSE`` doubling up to ``LONGEST_PAUSE``), tells ``on_wait`` why it waits, and gives
up after ``patience`` seconds with a ``DatabaseUnavailable`` in one line. Every other database
error is a ``StorageError`` in one line at once: retrying a corrupt page cannot help.

Each action must be one whole transaction (a service method opens and commits its own), so a
retry repeats all of it or nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import DBAPIError, OperationalError

from quizzer.errors import StorageError

T = TypeVar("T")
FIRST_PAUSE = 0.05
LONGEST_PAUSE = 2.0
BUSY = "busy: another program is writing to it"
UNREACHABLE = "unreachable"


class DatabaseUnavailable(StorageError):
    """The database stayed busy or unreachable for the whole patience."""

    title = "Not saved"


def transient_reason(exc: DBAPIError) -> str | None:
    """Why a retry may succeed (``BUSY``, ``UNREACHABLE``), or None when it cannot."""
    message = str(exc.orig).lower()
    if "database is locked" in message or "database table is locked" in message or "database is busy" in message:
        return BUSY
    if exc.connection_invalidated:
        return UNREACHABLE
    if isinstance(exc, OperationalError) and not type(exc.orig).__module__.startswith("sqlite3"):
        return UNREACHABLE  # a server's: refused, reset, shut down by its administrator, timed out
    return None


def one_line(exc: DBAPIError) -> str:
    """The driver's message, first line only, without SQL or parameters."""
    return (str(exc.orig).strip().splitlines() or [type(exc.orig).__name__])[0]


def retrying(
    action: Callable[[], T],
    *,
    patience: float,
    on_wait: Callable[[str, float], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> T:
    """``action()``, called again while the database is busy or unreachable, for at most
    ``patience`` seconds; ``on_wait(reason, seconds waited)`` before each pause."""
    started, pause = clock(), FIRST_PAUSE
    while True:
        try:
            return action()
        except DBAPIError as exc:
            reason = transient_reason(exc)
            if reason is None:
                raise StorageError(f"database error: {one_line(exc)}") from exc
            waited = clock() - started
            if waited >= patience:
                raise DatabaseUnavailable(f"the database stayed {reason} for {patience:g} s ({one_line(exc)})") from exc
            if on_wait is not None:
                on_wait(reason, waited)
            sleep(min(pause, patience - waited))
            pause = min(2 * pause, LONGEST_PAUSE)
