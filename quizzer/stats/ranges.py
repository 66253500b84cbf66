"""Ranges (study days, bins of a prediction) as a temporary table, so one query can count rows per range.

A study day starts at a local hour (daylight saving included), so days are ranges of UTC
instants computed in Python, not a date function of the column. Joining an index to such
ranges reads each row once, needs no dialect's date maths, comes out already in range order
(no sort for GROUP BY), and lets a deck filter's subquery run once instead of once per range.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from typing import TypeVar

from sqlalchemy import Column, Float, Integer, MetaData, Table, insert
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeEngine

from quizzer.stats.temporary import temporary_table
from quizzer.storage.models import UTCDateTime

T = TypeVar("T")


@contextmanager
def range_table(session: Session, bounds: Sequence[T], value_type: TypeEngine[T]) -> Iterator[Table]:
    """A temporary table of ranges ``i`` = 0…, range ``i`` spanning ``[bounds[i], bounds[i + 1])``,
    dropped on leaving."""
    table = Table(
        "stats_ranges", MetaData(),
        Column("i", Integer, primary_key=True, autoincrement=False),
        Column("start", value_type, nullable=False),
        Column("stop", value_type, nullable=False),
        prefixes=["TEMPORARY"],
    )
    with temporary_table(session, table) as connection:
        rows = [{"i": i, "start": bounds[i], "stop": bounds[i + 1]} for i in range(len(bounds) - 1)]
        if rows:
            connection.execute(insert(table), rows)
        yield table


def day_table(session: Session, bounds: Sequence[datetime]) -> AbstractContextManager[Table]:
    """``range_table`` of UTC instants: day ``i`` is ``[bounds[i], bounds[i + 1])``."""
    return range_table(session, bounds, UTCDateTime())


def bin_table(session: Session, edges: Sequence[float]) -> AbstractContextManager[Table]:
    """``range_table`` of numbers: bin ``i`` is ``[edges[i], edges[i + 1])``."""
    return range_table(session, edges, Float())
