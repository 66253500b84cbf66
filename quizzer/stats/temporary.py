"""Temporary tables that one statistics session fills and its queries join."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Table
from sqlalchemy.orm import Session


@contextmanager
def temporary_table(session: Session, table: Table) -> Iterator[Connection]:
    """Creates ``table`` (declared with ``prefixes=["TEMPORARY"]``) on the session's connection
    for filling, and drops it on leaving; the statistics run in one session, so one connection sees it."""
    connection = session.connection()
    # A rolled-back session can leave one behind on a pooled SQLite connection (the driver
    # runs CREATE outside the transaction that a later DROP was part of).
    table.drop(connection, checkfirst=True)
    table.create(connection)
    try:
        yield connection
    finally:
        table.drop(connection)
