"""Is this file a quizzer database, and is it whole? Checked before anything writes to it.

``refuse_foreign`` runs before the engine's first connection (which would switch the file to
WAL and create quizzer's tables): a file that is not SQLite, or an SQLite database of another
program (tables, but not quizzer's), is refused with one line and left exactly as it was.
``quick_check`` is SQLite's own fast consistency check, run on every start.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import Engine

from quizzer.errors import StorageError

SQLITE_HEADER = b"SQLite format 3\x00"
QUIZZER_TABLES = frozenset({"alembic_version", "items", "cards", "review_logs"})
"""Tables every quizzer database has had since its first revision."""


def sqlite_tables(path: Path) -> set[str]:
    """The tables of the SQLite file ``path``, read without changing it; StorageError if it is not one."""
    try:
        with path.open("rb") as file:
            header = file.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StorageError(f"cannot read {path}: {exc.strerror}") from exc
    if header != SQLITE_HEADER:
        raise StorageError(f"{path} is not an SQLite database (if it was quizzer's, it is damaged: `quizzer restore` a backup)")
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            connection.close()
    except sqlite3.Error as exc:
        raise StorageError(f"{path} cannot be read as an SQLite database: {exc}") from exc


def refuse_foreign(path: Path) -> None:
    """StorageError unless ``path`` is missing, empty, or a quizzer database (maybe an older one)."""
    if path.is_dir():
        raise StorageError(f"{path} is a folder, not a database file: pass a file's path, e.g. sqlite:///{path / 'quizzer.sqlite3'}")
    if not path.is_file() or path.stat().st_size == 0:
        return
    tables = sqlite_tables(path)
    if tables and not QUIZZER_TABLES.issubset(tables):
        shown = ", ".join(sorted(tables)[:5]) + (", …" if len(tables) > 5 else "")
        raise StorageError(f"{path} is another program's database (tables {shown}), not quizzer's: left untouched; pass another --db")


def engine_quick_check(engine: Engine) -> str | None:
    """``quick_check`` on the database of an SQLite ``engine``."""
    with engine.connect() as connection:
        raw = connection.connection.dbapi_connection
        assert isinstance(raw, sqlite3.Connection)  # the pysqlite driver's own connection
        return quick_check(raw)


def quick_check(connection: sqlite3.Connection) -> str | None:
    """What SQLite's ``quick_check`` found wrong (its first line), or None when the file is whole."""
    try:
        rows = [row[0] for row in connection.execute("PRAGMA quick_check").fetchall()]
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return None if rows == ["ok"] else str(rows[0])


def check_on_start(engine: Engine) -> None:
    """StorageError, naming the way back, when an SQLite database fails ``quick_check``."""
    if engine.dialect.name != "sqlite":
        return
    if problem := engine_quick_check(engine):
        raise StorageError(f"database {engine.url.database} is damaged ({problem}): put a backup back with "
                           f"`quizzer restore FILE` (daily ones are in the backups folder beside it)")
