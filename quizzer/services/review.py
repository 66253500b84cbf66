"""The daily review: what is due, the next card, answering, undo, suspend, bury, skip.

Every public method opens its own session and commits before returning, so an answer is
stored before the next card is chosen.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from functools import partial
from typing import Any

from fsrs import Scheduler
from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from quizzer.clock import Clock, utc_now
from quizzer.config import SchedulingConfig
from quizzer.errors import CardChanged, NotFoundError
from quizzer.kinds.registry import DRILL_KINDS, KINDS
from quizzer.scheduling.custom import CustomStudy, next_custom_card
from quizzer.scheduling.deck_options import fsrs_options, options_of
from quizzer.scheduling.fsrs_adapter import CardState, FsrsOptions, button_intervals, format_interval, make_scheduler, retrievability, review
from quizzer.scheduling.queue import COLLECTION, DeckCounts, StudyDay, TodayActivity, activity_mark, deck_counts, next_card, today_activity
from quizzer.services.undo import Snapshot, Step, UndoHistory
from quizzer.services.views import ItemView, item_view
from quizzer.storage.models import Card, Deck, DrillDraft, ReviewLog
from quizzer.vocabulary import RATING_WORDS, Rating, State


@dataclass(frozen=True)
class ReviewCard:
    """A card ready to show: its item rendered, and the interval each rating would give."""

    card_id: int
    item: ItemView
    state: State
    intervals: dict[Rating, str]
    version: int
    """The card row's version as shown: the answer carries it (see ``ReviewService.answer``)."""


@dataclass(frozen=True)
class Overview:
    """The home screen's figures."""

    decks: dict[str, DeckCounts]
    total: DeckCounts
    """What Review all gives: the top-level decks, capped by the collection's own limits."""
    reviewed_today: int
    seconds_today: int


def _state_of(card: Card) -> CardState:
    return CardState(card.state, card.step, card.stability, card.difficulty, card.due, card.last_review)


CHUNK = 500
"""Card ids per ``IN (…)``: well under every database's limit on bound parameters."""


@dataclass(frozen=True)
class PastAnswer:
    """One answer from another app's history (an Anki revlog row), for one quizzer card."""

    at: datetime
    rating: Rating
    duration_ms: int | None


def schedule_answer(
    scheduler: Scheduler, card_id: int, before: CardState, rating: Rating, now: datetime, duration_ms: int | None
) -> tuple[CardState, dict[str, Any]]:
    """The card's state after ``rating`` at ``now`` and the review log row that records it (its
    columns): an answer given here, or one replayed from another app's history."""
    after = review(scheduler, card_id, before, rating, now)
    return after, {
        "card_id": card_id, "reviewed_at": now, "rating": rating, "duration_ms": duration_ms,
        "before_state": before.state, "before_step": before.step, "before_stability": before.stability,
        "before_difficulty": before.difficulty, "before_due": before.due, "before_last_review": before.last_review,
        "after_state": after.state, "after_step": after.step, "after_stability": after.stability,
        "after_difficulty": after.difficulty, "after_due": after.due,
        "before_retrievability": retrievability(scheduler, card_id, before, now),
    }


def _columns(state: CardState) -> dict[str, Any]:
    return {
        "state": state.state, "step": state.step, "stability": state.stability, "difficulty": state.difficulty,
        "due": state.due, "last_review": state.last_review,
    }


def _logged(session: Session, card_ids: list[int]) -> dict[int, list[PastAnswer]]:
    """The answers already in the review log of each card (columns only: no ORM objects)."""
    logged: dict[int, list[PastAnswer]] = {card_id: [] for card_id in card_ids}
    columns = ReviewLog.card_id, ReviewLog.reviewed_at, ReviewLog.rating, ReviewLog.duration_ms
    for start in range(0, len(card_ids), CHUNK):
        for card_id, at, rating, duration_ms in session.execute(select(*columns).where(ReviewLog.card_id.in_(card_ids[start:start + CHUNK]))):
            logged[card_id].append(PastAnswer(at, rating, duration_ms))
    return logged


def _store_replayed(session: Session, rows: list[dict[str, Any]], replayed: list[tuple[Card, CardState]], again: list[int]) -> None:
    """Replace the logs of the cards ``again`` by ``rows`` and give the cards their replayed
    states, with the tables' plain executemanys (ORM objects and versioned updates cost
    several times more); the cards are expired, so what the session reads next is the stored."""
    session.flush()  # first: a card's version is raised by what the caller changed
    connection, tables = session.connection(), Card.metadata.tables
    cards, logs = tables[Card.__tablename__], tables[ReviewLog.__tablename__]
    for start in range(0, len(again), CHUNK):
        connection.execute(delete(logs).where(logs.c.card_id.in_(again[start:start + CHUNK])))
    connection.execute(insert(logs), rows)
    states = [{"card_id": card.id, "version": card.version + 1, **_columns(state)} for card, state in replayed]
    connection.execute(update(cards).where(cards.c.id == bindparam("card_id")), states)
    for card, _ in replayed:
        session.expire(card)


class ReviewService:
    """Answers and schedules cards; the clock and time zone are injected for tests.

    ``parameters``: FSRS weights fitted to this learner (None: the package's defaults).
    """

    def __init__(
        self, sessions: sessionmaker[Session], config: SchedulingConfig, clock: Clock = utc_now, tz: tzinfo | None = None,
        parameters: Sequence[float] | None = None,
    ) -> None:
        self.sessions = sessions
        self.config = config
        self.clock = clock
        self.tz = tz or datetime.now().astimezone().tzinfo or UTC
        self.use_parameters(parameters)
        self.answered: Callable[[], None] = lambda: None
        """Called after each committed answer: the app hands it to the background optimizer."""
        self._activity: tuple[tuple[datetime, int, int | None], TodayActivity] | None = None
        """Today's answers per deck, kept between calls while ``activity_mark`` is unchanged
        (recounting them on every card cost more than the rest of choosing it)."""
        self.history = UndoHistory(sessions)
        """What this window did (answers here, the browser's actions): undo takes back only
        these, so with two windows on one database neither can take back the other's."""
        self.later: list[int] = []
        """Cards skipped in this session: shown again once nothing else is left."""

    def use_parameters(self, parameters: Sequence[float] | None) -> None:
        """Schedule every answer from now on with these FSRS weights (None: the defaults)."""
        self.parameters = parameters
        self.scheduler = make_scheduler(self.config, parameters=parameters)
        """With the configured retention and steps: enough for a recall probability, which
        depends on the weights alone; answers are scheduled with their deck's (``_scheduler``)."""
        self._schedulers: dict[tuple[FsrsOptions, bool], Scheduler] = {}

    def _scheduler(self, session: Session, deck: str, *, preview: bool = False, decks: Sequence[Deck] | None = None) -> Scheduler:
        """The scheduler for a card of ``deck``, with its deck's retention and steps (read at
        every card); ``preview``: without fuzz, for the intervals the buttons show; ``decks``:
        the deck rows, when the caller has read them already."""
        options = options_of(session, deck, self.config) if decks is None else fsrs_options(decks, deck, self.config)
        key = (options, preview)
        if key not in self._schedulers:
            fuzz = False if preview else None
            self._schedulers[key] = make_scheduler(self.config, fuzz=fuzz, parameters=self.parameters, options=options)
        return self._schedulers[key]

    def _day(self, now: datetime) -> StudyDay:
        return StudyDay.containing(now, self.config.day_start_hour, self.tz)

    def study_day_start(self) -> datetime:
        """When the study day that holds now began (a drill's proposal weighs the whole day)."""
        return self._day(self.clock()).start

    def study_day_end(self) -> datetime:
        """When the study day that holds now ends (custom study's extra cards last until then)."""
        return self._day(self.clock()).end

    def overview(self) -> Overview:
        now = self.clock()
        day = self._day(now)
        with self.sessions() as session:
            counts = deck_counts(session, now, day, self.config)
            reviewed, ms = session.execute(
                select(func.count(ReviewLog.id), func.sum(ReviewLog.duration_ms)).where(
                    ReviewLog.reviewed_at >= day.start
                )
            ).one()
        total = counts.pop(COLLECTION)
        return Overview(counts, total, reviewed, (ms or 0) // 1000)  # no reviews today: SUM is NULL

    def counts(self, scope: str | None = None) -> DeckCounts:
        """What is left today in deck ``scope`` (None: Review all), limits applied, as the
        deck tree counts it: the review screen shows it after every answer."""
        now = self.clock()
        with self.sessions() as session:
            counts = deck_counts(session, now, self._day(now), self.config, scope)
        return counts.get(COLLECTION if scope is None else scope, DeckCounts())

    def next_card(self, scope: str | None = None, custom: CustomStudy | None = None) -> ReviewCard | None:
        """The card to show now in deck ``scope`` (None: all decks), or None when done for today;
        with ``custom``, the next of that custom study session's instead (``scope`` unused)."""
        now = self.clock()
        with self.sessions() as session:
            decks = list(session.scalars(select(Deck)))  # once: the limits and the card's options both need them
            card = self._next(session, scope, custom, now, self.later, decks)
            if card is None and self.later:  # only skipped cards are left: their turn
                self.later.clear()
                card = self._next(session, scope, custom, now, [], decks)
            return None if card is None else self._review_card(session, card, now, decks)

    def _next(
        self, session: Session, scope: str | None, custom: CustomStudy | None, now: datetime, later: list[int], decks: list[Deck],
    ) -> Card | None:
        if custom is not None:
            return next_custom_card(session, custom, now, self.config, later)
        day = self._day(now)
        return next_card(session, scope, now, day, self.config, self._today(session, day), DRILL_KINDS, later, decks)

    def _today(self, session: Session, day: StudyDay) -> TodayActivity:
        mark = activity_mark(session, day)
        if self._activity is None or self._activity[0] != mark:
            self._activity = (mark, today_activity(session, day, DRILL_KINDS))
        return self._activity[1]

    def card(self, card_id: int) -> ReviewCard:
        """One given card, ready to show (e.g. the one an undo gave back)."""
        with self.sessions() as session:
            return self._review_card(session, self._card(session, card_id), self.clock())

    def _review_card(self, session: Session, card: Card, now: datetime, decks: Sequence[Deck] | None = None) -> ReviewCard:
        scheduler = self._scheduler(session, card.item.deck, preview=True, decks=decks)
        intervals = button_intervals(scheduler, card.id, _state_of(card), now)
        return ReviewCard(
            card_id=card.id,
            item=item_view(card.item, card.ordinal, self._showing(session, card)),
            state=card.state,
            intervals={rating: format_interval(interval) for rating, interval in intervals.items()},
            version=card.version,
        )

    @staticmethod
    def _showing(session: Session, card: Card) -> int:
        """The seed of this showing, for kinds whose face changes at each (a choice card's
        order): drawn from the card and its number of reviews, so that undo shows it again
        the same way. Other kinds are not charged the count."""
        if not KINDS[card.item.kind].per_showing:
            return 0
        reviews = session.scalar(select(func.count()).select_from(ReviewLog).where(ReviewLog.card_id == card.id)) or 0
        return card.id * 100_003 + reviews

    def answer(self, card_id: int, rating: Rating, duration_ms: int | None = None, *, version: int | None = None) -> CardState:
        """Schedule ``card_id`` after ``rating`` and log it, in one commit.

        ``version``: the card's version when it was shown (``ReviewCard.version``); if the card
        changed since (another window answered it), ``CardChanged`` and nothing is stored. The
        UPDATE itself checks the version read here, so a change between read and write is
        refused too. None (scripts, tests): whatever the card is now."""
        now = self.clock()
        day = self._day(now)
        try:
            return self._answer(card_id, rating, duration_ms, version, now, day)
        except StaleDataError as exc:
            raise CardChanged(f"card {card_id} was changed elsewhere while it was being answered here") from exc

    def _answer(self, card_id: int, rating: Rating, duration_ms: int | None, version: int | None, now: datetime, day: StudyDay) -> CardState:
        with self.sessions.begin() as session:
            mark = activity_mark(session, day)
            card = self._card(session, card_id)
            if version is not None and card.version != version:
                raise CardChanged(f"card {card_id} was answered or changed elsewhere after it was shown here")
            snapshot, before = Snapshot([card]), _state_of(card)
            scheduler = self._scheduler(session, card.item.deck)
            after, row = schedule_answer(scheduler, card.id, before, rating, now, duration_ms)
            for name, value in _columns(after).items():
                setattr(card, name, value)
            log = ReviewLog(**row)
            session.add(log)
            drafts = [draft] if (draft := session.get(DrillDraft, card.id)) is not None else []
            for done in drafts:  # the drill is done; its undo puts the draft back
                session.delete(done)
            session.flush()
            step = snapshot.step(session, f"answer {rating.name}", zh=f"作答 {RATING_WORDS[rating][1]}", log_ids=[log.id], shown=card.id,
                                 drafts=drafts)
            deck, item_id, ordinal, log_id, kind = card.item.deck, card.item_id, card.ordinal, log.id, card.item.kind
        self.history.push(step)
        if self._activity is not None and self._activity[0] == mark:  # committed: count it in
            activity = self._activity[1]
            activity.count(deck, before.state, drill=kind in DRILL_KINDS)
            activity.saw(item_id, card_id, ordinal)
            self._activity = ((day.start, mark[1] + 1, log_id), activity)
        self.answered()
        return after

    def replay(self, session: Session, answers: list[tuple[Card, list[PastAnswer]]]) -> int:
        """Add each card's past answers to its review log and replay FSRS over its whole log, so
        its state and due date are those its history gives (within the caller's transaction).
        Answers already logged (the same instant) are skipped; returns how many were added.

        Replayed with each deck's options and without fuzz: importing again gives the same dates."""
        logged = _logged(session, [card.id for card, _ in answers])
        decks = {card.item.deck for card, _ in answers}
        schedulers = {deck: self._scheduler(session, deck, preview=True) for deck in decks}  # before any change: no flush per card
        added, rows, replayed = 0, [], []
        for card, past in answers:
            present = {answer.at for answer in logged[card.id]}
            new = list({answer.at: answer for answer in past if answer.at not in present}.values())
            if not new:
                continue
            added += len(new)
            merged = sorted(logged[card.id] + new, key=lambda a: a.at)
            state, scheduler = CardState(State.NEW, None, None, None, merged[0].at, None), schedulers[card.item.deck]
            for answer in merged:
                state, row = schedule_answer(scheduler, card.id, state, answer.rating, answer.at, answer.duration_ms)
                rows.append(row)
            replayed.append((card, state))
        if rows:
            _store_replayed(session, rows, replayed, [card.id for card, _ in replayed if logged[card.id]])
        return added

    def undo(self) -> Step | None:
        """Take back the newest action this window took (an answer, bury, suspend, skip, or a
        browser action): the card gets its old fields and an answer's log row goes. None when
        there is nothing to take back.

        Only this window's own actions are taken back, and only while nothing was built on
        them: ``CardChanged`` if a card of the action was changed elsewhere since."""
        self._activity = None
        return self.history.undo()

    def can_undo(self) -> bool:
        return bool(self.history.steps)

    def suspend(self, card_id: int) -> Step:
        """Keep the card out of every queue until it is unsuspended."""
        return self._change(("suspend", "暂停"), card_id, lambda card: setattr(card, "suspended", True))

    def bury(self, card_id: int) -> Step:
        """Hide the card until the next study day starts."""
        end = self._day(self.clock()).end
        return self._change(("bury", "搁置"), card_id, lambda card: setattr(card, "buried_until", end))

    def skip(self, card_id: int) -> Step:
        """Show the card again later in this session, once nothing else is left (nothing stored)."""
        self.later.append(card_id)
        return self.history.push(Step("skip", {}, {}, shown=card_id, also=partial(self._unskip, card_id), zh="跳过"))

    def _unskip(self, card_id: int) -> None:
        if card_id in self.later:  # not when its turn has come already
            self.later.remove(card_id)

    def _change(self, name: tuple[str, str], card_id: int, change: Callable[[Card], None]) -> Step:
        with self.sessions.begin() as session:
            card = self._card(session, card_id)
            snapshot = Snapshot([card])
            change(card)
            step = snapshot.step(session, name[0], zh=name[1], shown=card_id)
        return self.history.push(step)

    @staticmethod
    def _card(session: Session, card_id: int) -> Card:
        card = session.get(Card, card_id)
        if card is None:
            raise NotFoundError(f"no card with id {card_id}")
        return card


__all__ = ["Overview", "ReviewCard", "ReviewService"]
