"""Backups of an SQLite database, with SQLite's online backup API (consistent while the app
writes; a file copy of a WAL database is not).

Beside the database file, in ``backups/``: ``daily-YYYY-MM-DD.sqlite3`` taken on the first
start of each day (the newest ``DAILY_KEPT`` are kept), ``manual-….sqlite3`` from
``quizzer backup``, ``before-restore-….sqlite3`` from ``quizzer restore``, which never
overwrites a database it has not copied first. A PostgreSQL database is backed up with the
server's own tools.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from quizzer.errors import StorageError, UsageError
from quizzer.storage.integrity import QUIZZER_TABLES, quick_check, sqlite_tables

DAILY_KEPT = 7
USE_PG_DUMP = "this database is on a PostgreSQL server: back it up with pg_dump and restore it with pg_restore (or psql)"


def sqlite_file(url: str) -> Path:
    """The file of an SQLite URL; UsageError for a server database, which quizzer does not copy."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        raise UsageError(USE_PG_DUMP)
    if parsed.database in (None, "", ":memory:"):
        raise UsageError("an in-memory database has no file to back up")
    return Path(parsed.database)


def folder(database: Path) -> Path:
    return database.parent / "backups"


def copy(source: Path, target: Path) -> None:
    """Copy the SQLite database ``source`` into ``target`` (created or replaced), page by page."""
    try:
        _copy_pages(source, target)
    except sqlite3.Error as exc:
        raise StorageError(f"cannot copy {source} to {target}: {exc}") from exc


def _copy_whole(source: Path, target: Path) -> None:
    """``copy`` through a ``.partial`` file, removed if the copy fails: a backup cut short by a
    crash or of an unreadable database never leaves a file that looks like a whole one."""
    partial = target.with_suffix(".partial")
    try:
        _copy_pages(source, partial)
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise StorageError(f"cannot copy {source} to {target}: {exc}") from exc
    partial.replace(target)


def _copy_pages(source: Path, target: Path) -> None:
    reader = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        writer = sqlite3.connect(target)
        try:
            reader.backup(writer)
        finally:
            writer.close()
    finally:
        reader.close()


def backup(database: Path, target: Path | None, now: datetime) -> Path:
    """Copy ``database`` to ``target`` (default: a ``manual-`` file in its backups folder)."""
    if not database.is_file():
        raise UsageError(f"{database}: no database there yet")
    if target is None:
        target = folder(database) / f"manual-{now:%Y%m%d-%H%M%S}.sqlite3"
    if target.exists():
        raise UsageError(f"{target} exists already: name a new file")
    _make_folder(target.parent)
    _copy_whole(database, target)
    return target


def daily(database: Path, now: datetime) -> Path | None:
    """Today's backup, unless one exists already (or there is no database file yet); keeps the
    newest ``DAILY_KEPT``."""
    target = folder(database) / f"daily-{now:%Y-%m-%d}.sqlite3"
    if target.exists() or not database.is_file():
        return None
    _make_folder(target.parent)
    _copy_whole(database, target)
    for old in sorted(folder(database).glob("daily-*.sqlite3"))[:-DAILY_KEPT]:
        old.unlink()
    return target


def newest(database: Path) -> Path | None:
    """The most recent backup of any kind, by modification time."""
    found = [p for p in folder(database).glob("*.sqlite3") if p.is_file()]
    return max(found, key=lambda p: p.stat().st_mtime) if found else None


def restore(database: Path, source: Path, now: datetime) -> Path | None:
    """Replace ``database`` by the quizzer database ``source``; the database as it was is first
    copied to a ``before-restore-`` backup (returned; None if there was none)."""
    if not source.is_file():
        raise UsageError(f"{source}: no such file")
    tables = sqlite_tables(source)
    if not QUIZZER_TABLES.issubset(tables):
        raise UsageError(f"{source} is not a quizzer database: nothing restored")
    with sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True) as checked:
        if problem := quick_check(checked):
            raise UsageError(f"{source} is damaged ({problem}): nothing restored")
    kept = None
    if database.is_file() and database.stat().st_size:
        kept = folder(database) / f"before-restore-{now:%Y%m%d-%H%M%S}.sqlite3"
        _make_folder(kept.parent)
        try:
            copy(database, kept)
        except StorageError:  # too damaged for SQLite to read: keep its bytes as they are
            shutil.copyfile(database, kept)
    copy(source, database)
    return kept


def _make_folder(path: Path) -> None:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(f"cannot make the backups folder {path}: {exc.strerror}") from exc
