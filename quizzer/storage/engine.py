"""Engine and session factories. Nothing here runs at import: the app factory calls them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

from quizzer.errors import StorageError
from quizzer.storage.integrity import refuse_foreign

SQLITE_BUSY_MS = 1000
CONNECT_TIMEOUT_S = 5
STATEMENT_TIMEOUT_MS = 60_000
"""A server statement running longer is cancelled (a lock held by a stuck client, say)."""


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL: a reader (the stats screen, a second terminal) never blocks the answer being written.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # Short: a write that finds the lock taken is retried (storage.retry) while the screen says so.
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    cursor.close()


def make_engine(url: str) -> Engine:
    """Create the engine for ``url``; SQLite gets WAL and foreign keys, PostgreSQL a connect
    and a statement timeout (a frozen server never hangs a command) and pre-pinged connections."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StorageError(f"cannot parse database URL {url!r}: {exc}") from exc
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        refuse_foreign(Path(parsed.database))
        folder = Path(parsed.database).parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"cannot make the database's folder {folder}: {exc.strerror}") from exc
    options: dict[str, Any] = {}
    if parsed.get_backend_name() == "postgresql":
        # pre-ping: a pooled connection the server dropped (a restart) is replaced, not used.
        options = {"pool_pre_ping": True, "connect_args": {
            "connect_timeout": CONNECT_TIMEOUT_S, "options": f"-c statement_timeout={STATEMENT_TIMEOUT_MS}",
        }}
    try:
        engine = create_engine(parsed, **options)
    except Exception as exc:  # missing driver, bad options: say which URL
        raise StorageError(f"cannot open database {parsed.render_as_string()}: {exc}") from exc
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded values after commit, so results outlive the transaction."""
    return sessionmaker(engine, expire_on_commit=False)
