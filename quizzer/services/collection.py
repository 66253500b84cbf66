"""Finding cards: the browser's rows for a search, and the cards that ids or a deck name.

A card is labelled by its item id, plus ``/cN`` for one deletion of a cloze with several
(``autograd-detach/c2``); an item id alone stands for all of its cards.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, and_, func, inspect, or_, select
from sqlalchemy.orm import Session, sessionmaker

from quizzer.errors import NotFoundError, UsageError
from quizzer.scheduling.queue import StudyDay, ancestors
from quizzer.search.query import parse
from quizzer.search.sql import Moment, condition
from quizzer.services.review import ReviewService
from quizzer.services.views import item_view
from quizzer.storage.models import SEARCH_INDEX, Card, Item, ReviewLog, in_deck, is_lapse
from quizzer.vocabulary import SHOWINGS, Showing, State

ROW_COLUMNS = (
    Card.id, Card.item_id, Card.ordinal, Card.state, Card.due, Card.last_review, Card.suspended, Card.buried_until,
    Card.flag, Item.deck, Item.kind, Item.content_hash,
)
"""What a browser row shows, read without the item's body."""
FLAG_NAMES = ("", "red", "orange", "green", "blue", "pink", "turquoise", "purple")
"""Anki's flag colours by number (0: no flag)."""


def card_label(item_id: str, ordinal: int, siblings: int) -> str:
    """``item-id`` for an item's only card, ``item-id/cN`` for deletion N of a cloze with several."""
    return f"{item_id}/c{ordinal}" if siblings > 1 else item_id


@dataclass(frozen=True)
class CardRow:
    """One row of the browser (and of ``quizzer search --json``)."""

    card_id: int
    item_id: str
    label: str
    deck: str
    kind: str
    front: str
    state: str
    due: str
    """The study day it is due (local date), empty for a new card."""
    interval_days: int | None
    lapses: int
    last_review: str
    suspended: bool
    buried: bool
    flag: int

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class DeckMarks:
    """How many of a deck's cards (subdecks included) are suspended, buried today and flagged."""

    suspended: int = 0
    buried: int = 0
    flagged: int = 0


@dataclass(frozen=True)
class SearchResult:
    rows: list[CardRow]
    total: int
    """How many cards match; ``rows`` holds at most the limit asked for."""
    at_least: bool = False
    """``total`` is only a lower bound: the cards were not all counted."""


def front_text(prompt: dict[str, str], language: Showing) -> str:
    """The card's front in ``language`` (``both``: Chinese · English, once if they are the same), on one line."""
    if language == "both":
        return " · ".join(dict.fromkeys(" ".join(prompt[lang].split()) for lang in ("zh", "en")))
    return " ".join(prompt[language].split())


class CollectionService:
    """Searches the learner's cards; the clock and time zone are the review service's."""

    def __init__(self, sessions: sessionmaker[Session], review: ReviewService) -> None:
        self.sessions = sessions
        self.review = review
        self._fronts: dict[tuple[str, str, int], dict[Showing, str]] = {}
        self._indexed: bool | None = None

    def moment(self) -> Moment:
        now = self.review.clock()
        return Moment(now, StudyDay.containing(now, self.review.config.day_start_hour, self.review.tz).start)

    def matching(self, query: str) -> ColumnElement[bool]:
        """The condition for ``query`` on cards in use (raises ``QueryError`` for a bad one)."""
        return condition(parse(query), self.moment(), self.indexed()) & Card.retired.is_(False)

    def indexed(self) -> bool:
        """Whether the database has the trigram index for free text (SQLite with FTS5), asked once."""
        if self._indexed is None:
            with self.sessions() as session:
                self._indexed = inspect(session.connection()).has_table(SEARCH_INDEX)
        return self._indexed

    def search(
        self, query: str, language: Showing = "both", limit: int = 200, offset: int = 0, count: bool = True
    ) -> SearchResult:
        """``limit`` cards matching ``query`` from the ``offset``-th, in the order new cards are introduced,
        and how many match (without ``count``, at least those read: the browser counts once typing pauses).

        Narrow rows only (never the items' bodies), read by walking the content-order index and
        stopping at the limit; fewer rows than the limit are the count, so a narrow search is read once."""
        where = self.matching(query)
        with self.sessions() as session:
            page = select(*ROW_COLUMNS).join(Card.item).where(where).order_by(Card.position, Card.ordinal)
            found: Sequence[Any] = session.execute(page.offset(offset).limit(limit)).all()
            rows = self._rows(session, found, language)
            if len(found) < limit and (found or not offset):
                return SearchResult(rows, offset + len(found))
            if not count:
                return SearchResult(rows, offset + len(found), at_least=True)
            return SearchResult(rows, self._count(session, where))

    def count(self, query: str, up_to: int) -> tuple[int, bool]:
        """How many cards match ``query``, counted up to ``up_to``; and whether counting stopped there."""
        where = self.matching(query)
        with self.sessions() as session:
            total = self._count(session, where, up_to)
        return total, total == up_to

    def _count(self, session: Session, where: ColumnElement[bool], up_to: int | None = None) -> int:
        matches = select(Card.id).where(where).limit(up_to)
        return session.scalar(select(func.count()).select_from(matches.subquery())) or 0

    def rows(self, card_ids: Sequence[int], language: Showing = "both") -> list[CardRow]:
        """The browser's rows for ``card_ids``, in that order (a custom session's cards)."""
        with self.sessions() as session:
            found: Sequence[Any] = session.execute(select(*ROW_COLUMNS).join(Card.item).where(Card.id.in_(card_ids))).all()
            by_id = {row.card_id: row for row in self._rows(session, found, language)}
        return [by_id[card_id] for card_id in card_ids]

    def deck_marks(self) -> dict[str, DeckMarks]:
        """``DeckMarks`` for every deck with any, and for all decks together under ``""``."""
        now = self.review.clock()
        buried = and_(Card.buried_until.is_not(None), Card.buried_until > now)
        with self.sessions() as session:
            rows = session.execute(
                select(Item.deck, func.count().filter(Card.suspended.is_(True)), func.count().filter(buried), func.count().filter(Card.flag > 0))
                .join(Card.item).where(Card.retired.is_(False), or_(Card.suspended.is_(True), buried, Card.flag > 0))
                .group_by(Item.deck)
            ).all()
        marks: dict[str, DeckMarks] = {}
        for deck, suspended, buried_count, flagged in rows:
            for node in ["", *ancestors(deck)]:
                mark = marks.setdefault(node, DeckMarks())
                mark.suspended, mark.buried, mark.flagged = mark.suspended + suspended, mark.buried + buried_count, mark.flagged + flagged
        return marks

    def card_ids(self, query: str) -> list[int]:
        """Every card matching ``query``, for acting on a whole search."""
        with self.sessions() as session:
            return list(session.scalars(select(Card.id).where(self.matching(query)).order_by(Card.id)))

    def _rows(self, session: Session, found: Sequence[Row[Any]], language: Showing) -> list[CardRow]:
        ids, item_ids = [row.id for row in found], {row.item_id for row in found}
        lapses = dict(session.execute(
            select(ReviewLog.card_id, func.count()).where(ReviewLog.card_id.in_(ids), is_lapse()).group_by(ReviewLog.card_id)
        ).all())
        siblings = dict(session.execute(
            select(Card.item_id, func.count()).where(Card.item_id.in_(item_ids)).group_by(Card.item_id)
        ).all())
        self._render_fronts(session, found)
        now = self.review.clock()
        return [self._row(row, siblings[row.item_id], lapses.get(row.id, 0), language, now) for row in found]

    def _row(self, row: Row[Any], siblings: int, lapses: int, language: Showing, now: datetime) -> CardRow:
        learned = row.state != State.NEW and row.last_review is not None
        return CardRow(
            card_id=row.id,
            item_id=row.item_id,
            label=card_label(row.item_id, row.ordinal, siblings),
            deck=row.deck,
            kind=row.kind,
            front=self._fronts[row.item_id, row.content_hash, row.ordinal][language],
            state=State(row.state).name.lower(),
            due=self._date(row.due) if row.state != State.NEW else "",
            interval_days=(row.due - row.last_review).days if learned else None,
            lapses=lapses,
            last_review=self._date(row.last_review) if row.last_review else "",
            suspended=row.suspended,
            buried=row.buried_until is not None and row.buried_until > now,
            flag=row.flag,
        )

    def _render_fronts(self, session: Session, found: Sequence[Row[Any]]) -> None:
        """Render the fronts not yet known (each language's line), once per version of their item:
        typing a search shows the same rows again and again, and only those rows' bodies are read."""
        missing = {row.item_id for row in found if (row.item_id, row.content_hash, row.ordinal) not in self._fronts}
        if not missing:
            return
        for item in session.scalars(select(Item).where(Item.id.in_(missing))):
            for ordinal in [row.ordinal for row in found if row.item_id == item.id]:
                prompt = item_view(item, ordinal).prompt
                self._fronts[item.id, item.content_hash, ordinal] = {language: front_text(prompt, language) for language in SHOWINGS}

    def _date(self, moment: datetime) -> str:
        return moment.astimezone(self.review.tz).date().isoformat()

    def resolve(self, ids: Sequence[str], deck: str | None = None) -> list[int]:
        """The cards named: each id an item (all its cards) or ``item/cN``; with ``deck``, all of its cards."""
        if not ids and deck is None:
            raise UsageError("name cards: one or more ids, or --deck DECK")
        found: set[int] = set()
        with self.sessions() as session:
            for name in ids:
                found.update(self._named(session, name))
            if deck is not None:
                in_use = select(Card.id).join(Card.item).where(in_deck(deck), Card.retired.is_(False))
                deck_cards = set(session.scalars(in_use))
                if not deck_cards:
                    raise NotFoundError(f"no deck {deck!r} (see `quizzer due`)")
                found.update(deck_cards)
        return sorted(found)

    @staticmethod
    def _named(session: Session, name: str) -> list[int]:
        item_id, slash, number = name.rpartition("/c")
        if slash and number.isdigit():
            query = select(Card.id).where(Card.item_id == item_id, Card.ordinal == int(number))
        else:
            query = select(Card.id).where(Card.item_id == name, Card.retired.is_(False))
        cards = list(session.scalars(query))
        if not cards:
            raise NotFoundError(f"no card or item with id {name!r} (see `quizzer search`)")
        return cards
