"""Finding cards: the browser's rows for a search, and the cards that ids or a deck name.

A card is labelled by its item id, plus ``/cN`` for one deletion of a cloze with several
(``autograd-detach/c2``); an item id alone stands for all of its cards.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, sessionmaker

from quizzer.errors import NotFoundError, UsageError
from quizzer.scheduling.queue import StudyDay
from quizzer.search.query import parse
from quizzer.search.sql import Moment, condition
from quizzer.services.review import ReviewService
from quizzer.services.views import item_view
from quizzer.storage.models import Card, Item, ReviewLog, in_deck, is_lapse
from quizzer.vocabulary import Showing, State

FLAG_NAMES = ("", "red", "orange", "green", "blue", "pink", "turquoise", "purple")
"""Anki's flag colours by number (0: no flag)."""


def card_label(item_id: str, ordinal: int, siblings: int) -> str:
    """``item-id`` for an item's only card, ``item-id/cN`` for deletion N of a cloze with several."""
    return f"{item_id}/c{ordinal}" if siblings > 1 else item_id


@dataclass(frozen=True)
class CardRow:
    """One row of the browser (and of ``quizzer search --json``)."""

    card_id: int
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


@dataclass(frozen=True)
class SearchResult:
    rows: list[CardRow]
    total: int
    """How many cards match; ``rows`` holds at most the limit asked for."""


def front_text(prompt: dict[str, str], language: Showing) -> str:
    """The card's front in ``language`` (``both``: Chinese · English), on one line."""
    texts = [prompt["zh"], prompt["en"]] if language == "both" else [prompt[language]]
    return " · ".join(" ".join(text.split()) for text in texts)


class CollectionService:
    """Searches the learner's cards; the clock and time zone are the review service's."""

    def __init__(self, sessions: sessionmaker[Session], review: ReviewService) -> None:
        self.sessions = sessions
        self.review = review

    def moment(self) -> Moment:
        now = self.review.clock()
        return Moment(now, StudyDay.containing(now, self.review.config.day_start_hour, self.review.tz).start)

    def matching(self, query: str) -> ColumnElement[bool]:
        """The condition for ``query`` on cards in use (raises ``QueryError`` for a bad one)."""
        return condition(parse(query), self.moment()) & Card.retired.is_(False)

    def search(self, query: str, language: Showing = "both", limit: int = 500) -> SearchResult:
        """The first ``limit`` cards matching ``query``, by deck and content order, and how many match."""
        where = self.matching(query)
        with self.sessions() as session:
            total = session.scalar(select(func.count(Card.id)).join(Card.item).where(where)) or 0
            cards = session.scalars(
                select(Card).join(Card.item).where(where).order_by(Item.deck, Card.position, Card.ordinal).limit(limit)
            ).all()
            return SearchResult(self._rows(session, cards, language), total)

    def card_ids(self, query: str) -> list[int]:
        """Every card matching ``query``, for acting on a whole search."""
        with self.sessions() as session:
            return list(session.scalars(select(Card.id).join(Card.item).where(self.matching(query)).order_by(Card.id)))

    def _rows(self, session: Session, cards: Sequence[Card], language: Showing) -> list[CardRow]:
        ids = [card.id for card in cards]
        lapses = dict(
            session.execute(
                select(ReviewLog.card_id, func.count()).where(ReviewLog.card_id.in_(ids), is_lapse()).group_by(ReviewLog.card_id)
            ).all()
        )
        siblings = dict(
            session.execute(
                select(Card.item_id, func.count()).where(Card.item_id.in_({card.item_id for card in cards}))
                .group_by(Card.item_id)
            ).all()
        )
        now = self.review.clock()
        return [self._row(card, siblings[card.item_id], lapses.get(card.id, 0), language, now) for card in cards]

    def _row(self, card: Card, siblings: int, lapses: int, language: Showing, now: datetime) -> CardRow:
        learned = card.state != State.NEW and card.last_review is not None
        return CardRow(
            card_id=card.id,
            label=card_label(card.item_id, card.ordinal, siblings),
            deck=card.item.deck,
            kind=card.item.kind,
            front=front_text(item_view(card.item, card.ordinal).prompt, language),
            state=card.state.name.lower(),
            due=self._date(card.due) if card.state != State.NEW else "",
            interval_days=(card.due - card.last_review).days if learned and card.last_review else None,
            lapses=lapses,
            last_review=self._date(card.last_review) if card.last_review else "",
            suspended=card.suspended,
            buried=card.buried_until is not None and card.buried_until > now,
            flag=card.flag,
        )

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
