"""Compile a parsed search to one SQLAlchemy condition on ``Card`` alone.

What a term asks of the item (its deck, kind, tags, indexed text) is a subquery of item ids
(``Card.item_id IN (…)``) read from an index or a narrow column once per search: walking the
cards in content order, one that does not match costs a lookup in that list, never a read of
its item, and the walk stops at the page's last row. (On SQLite the term is written
``+cards.item_id IN …``: otherwise its planner fetches every card of the list through the
item index and sorts them all, ten times slower for a deck of thousands of cards.) Text too
short for the index is looked for card by card (EXISTS), so a search that matches many cards
stops at the first page instead of reading every text.

Only portable constructs (LIKE with escapes, EXISTS and counting subqueries, comparisons of
timestamps computed here): the same query runs on SQLite and PostgreSQL. Times come in as
arguments, so a search is a pure function of the query and the clock. One exception, where
SQLite has it: free text of three characters or more is looked up in the trigram index
(``SEARCH_INDEX``) instead of scanned; it finds exactly what LIKE would.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, SQLColumnExpression, String, and_, column, exists, false, func, not_, or_, select, table, true
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.selectable import ScalarSelect

from quizzer.search.query import And, Field, Node, Not, Or, Text
from quizzer.storage.models import LEECH_LAPSES, SEARCH_INDEX, Card, Item, ItemText, ReviewLog, in_deck, is_lapse
from quizzer.vocabulary import State

TRIGRAM = 3
"""The shortest text the trigram index can look up; shorter text is scanned."""
_index = table(SEARCH_INDEX, column("rowid"), column(SEARCH_INDEX))


@dataclass(frozen=True)
class Moment:
    """When the search runs: ``now``, and the start of the study day containing it."""

    now: datetime
    day_start: datetime


def lapses() -> ScalarSelect[int]:
    """The card's lapses, as a correlated count."""
    return select(func.count(ReviewLog.id)).where(ReviewLog.card_id == Card.id, is_lapse()).scalar_subquery()


def _reps() -> ScalarSelect[int]:
    return select(func.count(ReviewLog.id)).where(ReviewLog.card_id == Card.id).scalar_subquery()


def _state(value: str, at: Moment) -> ColumnElement[bool]:
    tomorrow = at.day_start + timedelta(days=1)
    conditions: dict[str, Callable[[], ColumnElement[bool]]] = {
        "new": lambda: Card.state == State.NEW,
        "learning": lambda: Card.state.in_((State.LEARNING, State.RELEARNING)),
        "review": lambda: Card.state.in_((State.REVIEW, State.RELEARNING)),
        "due": lambda: and_(Card.state != State.NEW, Card.due < tomorrow),
        "suspended": lambda: Card.suspended.is_(True),
        "buried": lambda: and_(Card.buried_until.is_not(None), Card.buried_until > at.now),
        "leech": lambda: lapses() >= LEECH_LAPSES,
        "flagged": lambda: Card.flag > 0,
    }
    return conditions[value]()


def _compare(column: SQLColumnExpression[Any], op: str, number: float) -> ColumnElement[bool]:
    return {
        "<": column < number, "<=": column <= number, ">": column > number,
        ">=": column >= number, "=": column == number, "!=": column != number,
    }[op]


def _due_days(op: str, days: int, at: Moment) -> ColumnElement[bool]:
    """``prop:due`` counts study days from today (0 today, 1 tomorrow, -1 yesterday), as Anki's."""
    start, end = at.day_start + timedelta(days=days), at.day_start + timedelta(days=days + 1)
    within = {
        "<": Card.due < start, "<=": Card.due < end, ">": Card.due >= end,
        ">=": Card.due >= start, "=": and_(Card.due >= start, Card.due < end),
        "!=": or_(Card.due < start, Card.due >= end),
    }[op]
    return and_(Card.state != State.NEW, within)


def _prop(term: Field, at: Moment) -> ColumnElement[bool]:
    if term.value == "due":
        return _due_days(term.op, int(term.number), at)
    columns: dict[str, Callable[[], SQLColumnExpression[Any]]] = {
        "lapses": lapses, "reps": _reps, "stability": lambda: Card.stability, "difficulty": lambda: Card.difficulty,
    }
    return _compare(columns[term.value](), term.op, term.number)


def _like(value: str) -> str:
    """An id pattern: ``*`` is any run of characters, everything else literal."""
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped.replace("*", "%")


class _Walked(FunctionElement[str]):
    """A card's item id that SQLite's planner must not look up through an index (``+x``)."""

    type = String()
    inherit_cache = True


@compiles(_Walked)
def _walked(element: _Walked, compiler: SQLCompiler, **kw: Any) -> str:
    return str(compiler.process(element.clauses, **kw))


@compiles(_Walked, "sqlite")
def _walked_on_sqlite(element: _Walked, compiler: SQLCompiler, **kw: Any) -> str:
    return "+" + str(compiler.process(element.clauses, **kw))


def _items(where: ColumnElement[bool]) -> ColumnElement[bool]:
    """Cards of the items ``where`` finds among the items."""
    return _Walked(Card.item_id).in_(select(Item.id).where(where).correlate(None))


def _texts(where: ColumnElement[bool]) -> ColumnElement[bool]:
    """Cards of the items ``where`` finds among the items' texts."""
    return _Walked(Card.item_id).in_(select(ItemText.item_id).where(where).correlate(None))


def _field(term: Field, at: Moment) -> ColumnElement[bool]:
    name, value = term.name, term.value
    if name == "deck":
        return _items(in_deck(value))
    if name == "tag":
        tag = value.lower()
        return _texts(or_(
            ItemText.tags.contains(f" {tag} ", autoescape=True), ItemText.tags.contains(f" {tag}::", autoescape=True)
        ))
    if name == "kind":
        return _items(Item.kind == value)
    if name == "id":
        return Card.item_id.like(_like(value), escape="\\") if "*" in value else Card.item_id == value
    if name == "is":
        return _state(value, at)
    if name == "flag":
        return Card.flag == int(value)
    if name == "rated":  # rated:DAYS, or rated:DAYS:RATING (rated:1:1: answered Again today)
        days, _, rating = value.partition(":")
        since = at.day_start - timedelta(days=int(days) - 1)
        answered = exists().where(ReviewLog.card_id == Card.id, ReviewLog.reviewed_at >= since)
        return answered.where(ReviewLog.rating == int(rating)) if rating else answered
    return _prop(term, at)


def _text(words: str, indexed: bool) -> ColumnElement[bool]:
    """Items whose texts contain ``words``: through the trigram index where there is one (an
    FTS5 phrase of trigrams is the substring itself), else by LIKE."""
    if not words:
        return true()
    if indexed and len(words) >= TRIGRAM:
        phrase = '"' + words.replace('"', '""') + '"'
        return _texts(ItemText.id.in_(select(_index.c.rowid).where(_index.c[SEARCH_INDEX].match(phrase))))
    found = exists().where(ItemText.item_id == Card.item_id, ItemText.text.contains(words, autoescape=True))
    return found.correlate_except(ItemText)


def condition(node: Node | None, at: Moment, indexed: bool = False) -> ColumnElement[bool]:
    """The WHERE clause for ``node`` (None: every card); ``indexed``: the database has ``SEARCH_INDEX``."""
    if node is None:
        return true()
    if isinstance(node, Text):
        return _text(node.words, indexed)
    if isinstance(node, Field):
        return _field(node, at)
    if isinstance(node, Not):
        return not_(condition(node.term, at, indexed))
    if isinstance(node, And):
        return and_(*(condition(term, at, indexed) for term in node.terms))
    if isinstance(node, Or):
        return or_(*(condition(term, at, indexed) for term in node.terms))
    return false()
