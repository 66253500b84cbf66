"""Study days as a temporary table, so one query can count rows per day.

A study day starts at a local hour (daylight saving included), so days are ranges of UTC
instants computed in Python, not a date function of the column: joining the log's
``reviewed_at`` index to these ranges reads each row once and needs no dialect's date maths.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import Column, Integer, MetaData, Table, insert
from sqlalchemy.orm import Session

from quizzer.storage.models import UTCDateTime


@contextmanager
def day_table(session: Session, bounds: Sequence[datetime], first_index: int = 0) -> Iterator[Table]:
    """A temporary table of days ``i`` = ``first_index``…, day ``k`` spanning ``[bounds[k], bounds[k + 1])``.

    Dropped on leaving; the statistics run in one session, so one connection sees it.
    """
    table = Table(
        "stats_days", MetaData(),
        Column("i", Integer, primary_key=True, autoincrement=False),
        Column("start", UTCDateTime, nullable=False),
        Column("stop", UTCDateTime, nullable=False),
        prefixes=["TEMPORARY"],
    )
    connection = session.connection()
    # A rolled-back session can leave one behind on a pooled SQLite connection (the driver
    # runs CREATE outside the transaction that a later DROP was part of).
    table.drop(connection, checkfirst=True)
    table.create(connection)
    try:
        rows = [{"i": first_index + k, "start": bounds[k], "stop": bounds[k + 1]} for k in range(len(bounds) - 1)]
        if rows:
            connection.execute(insert(table), rows)
        yield table
    finally:
        table.drop(connection)
