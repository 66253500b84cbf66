"""Custom study, as Anki has it: more new cards or reviews today, or a session of chosen cards.

``extend`` raises a deck's limits for the rest of the study day (stored in its row of the decks
table, so every window and command sees it). ``start`` builds a session (``scheduling.custom``)
from a ``Choice``: review ahead, forgotten cards, a tag, or any search; each is a term of the
search language, so what a session takes is exactly what the browser shows for that search.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, sessionmaker

from quizzer.errors import NothingToStudy, UsageError
from quizzer.scheduling.custom import SESSION_LIMIT, CustomStudy
from quizzer.scheduling.queue import available
from quizzer.search.query import parse
from quizzer.services.collection import CollectionService
from quizzer.services.review import ReviewService
from quizzer.storage.models import Card, Deck, ReviewLog
from quizzer.vocabulary import State


@dataclass(frozen=True)
class Choice:
    """What a custom session studies: the cards matching every filter given, in its deck."""

    ahead: int | None = None
    """Review ahead: learned cards due in the next N study days (not today's: those are due anyway)."""
    forgotten: int | None = None
    """Cards answered Again in the last N study days (1: today)."""
    tag: str | None = None
    search: str | None = None
    """Any search, e.g. ``is:new``, ``prop:lapses>2``."""
    limit: int = SESSION_LIMIT

    def terms(self) -> list[str]:
        """The search terms the filters stand for."""
        terms = []
        if self.ahead is not None:
            terms.append(f"prop:due>0 prop:due<={self.ahead} -is:learning")
        if self.forgotten is not None:
            terms.append(f"rated:{self.forgotten}:1")
        if self.tag:
            terms.append(f'"tag:{self.tag}"')
        if self.search:
            terms.append(f"({self.search})")
        return terms

    def title(self) -> str:
        parts = [
            f"review ahead {self.ahead} day(s)" if self.ahead is not None else "",
            f"forgotten in {self.forgotten} day(s)" if self.forgotten is not None else "",
            f"tag {self.tag}" if self.tag else "",
            f"search {self.search}" if self.search else "",
        ]
        return ", ".join(part for part in parts if part)


class CustomStudyService:
    """Extends limits and builds sessions; the clock and study day are the review service's."""

    def __init__(self, sessions: sessionmaker[Session], review: ReviewService, collection: CollectionService) -> None:
        self.sessions, self.review, self.collection = sessions, review, collection

    def extend(self, deck: str, new: int = 0, reviews: int = 0) -> None:
        """``new`` more new cards and ``reviews`` more reviews today in ``deck`` ("": Review all) and
        its subdecks; a later extension on the same day replaces this one, and tomorrow it is gone."""
        if new < 0 or reviews < 0 or not 0 < new + reviews <= 9999:
            raise UsageError(f"extra cards must be 0 to 9999 and not all 0, not {new} new and {reviews} reviews")
        until = self.review.study_day_end()
        with self.sessions.begin() as session:
            row = session.get(Deck, deck) or Deck(path=deck)
            row.extra_new, row.extra_reviews, row.extended_until = new, reviews, until
            session.add(row)

    def start(self, deck: str | None, choice: Choice) -> CustomStudy:
        """A session over the cards ``choice`` selects in ``deck`` (None: every deck) that may be
        shown now: learned ones by due date, then new ones in the order they are introduced.
        ``UsageError`` when the choice has no filter, ``NothingToStudy`` when it selects nothing."""
        terms = choice.terms()
        if not terms:
            raise UsageError("custom study needs a filter: ahead, forgotten, tag or search")
        if choice.search:
            parse(choice.search)  # its errors name columns of the search as given
        if not 1 <= choice.limit <= 1000:
            raise UsageError(f"a custom session takes 1 to 1000 cards, not {choice.limit}")
        query = " ".join([f'"deck:{deck}"', *terms] if deck else terms)
        now = self.review.clock()
        learned_by_due = case((Card.state == State.NEW, None), else_=Card.due)
        chosen = (
            available(now, None).with_only_columns(Card.id)
            .where(self.collection.matching(query))
            .order_by(case((Card.state == State.NEW, 1), else_=0), learned_by_due, Card.position, Card.ordinal)
            .limit(choice.limit)
        )
        with self.sessions() as session:
            card_ids = tuple(session.scalars(chosen))
            after_log = session.scalar(select(func.max(ReviewLog.id))) or 0
        if not card_ids:
            raise NothingToStudy(f"nothing to study: no card for {choice.title()} in {deck or 'all decks'}")
        return CustomStudy(deck, choice.title(), card_ids, after_log)
