"""Which card comes next: learning cards, then reviews due today, then new cards.

Daily limits (new cards introduced, reviews answered) hold for every deck in the studied
subtree, as in Anki: a deck whose limit is reached is left out of the query, together with
its subdecks (the query then names the decks still open, and is skipped when none is).
Siblings of a card answered today (the other deletions of a cloze) are buried for the rest
of the day. Each choice is one indexed query with ``LIMIT 1``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta, tzinfo

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, contains_eager

from quizzer.config import SchedulingConfig
from quizzer.storage.models import Card, Deck, Item, ReviewLog, in_deck
from quizzer.vocabulary import State

LEARNING_STATES = (State.LEARNING, State.RELEARNING)


@dataclass(frozen=True)
class StudyDay:
    """The current study day in UTC: it starts at the configured local hour."""

    start: datetime
    end: datetime

    @classmethod
    def containing(cls, now: datetime, day_start_hour: int, tz: tzinfo) -> StudyDay:
        local = now.astimezone(tz)
        start = datetime.combine(local.date(), time(day_start_hour), tz)
        if local < start:
            start -= timedelta(days=1)
        start_utc = start.astimezone(now.tzinfo)
        return cls(start_utc, (start + timedelta(days=1)).astimezone(now.tzinfo))


COLLECTION = ""
"""The deck node of the whole collection: its limits are those of "Review all"."""


def ancestors(deck: str) -> list[str]:
    """``a::b::c`` → ``[a, a::b, a::b::c]``."""
    parts = deck.split("::")
    return ["::".join(parts[: i + 1]) for i in range(len(parts))]


@dataclass(frozen=True)
class TodayActivity:
    """What was answered since the study day began, per deck node (subdecks included)."""

    new_done: Counter[str] = field(default_factory=Counter)
    reviews_done: Counter[str] = field(default_factory=Counter)
    new_drills_done: Counter[str] = field(default_factory=Counter)
    """New cards answered that were drills (part of ``new_done``)."""
    items_seen: dict[str, set[int]] = field(default_factory=dict)
    """Item id → the cards of it answered today, for items with sibling cards (cloze
    deletions): the other siblings are buried for the day."""

    def count(self, deck: str, before_state: State, answers: int = 1, *, drill: bool = False) -> None:
        """Count answers given in ``deck`` (and so in its parents and the collection) to cards
        that were in ``before_state``; ``drill``: the cards were drills."""
        done = self.new_done if before_state == State.NEW else (
            self.reviews_done if before_state == State.REVIEW else None
        )
        if done is None:
            return
        for node in (COLLECTION, *ancestors(deck)):
            done[node] += answers
            if drill and before_state == State.NEW:
                self.new_drills_done[node] += answers

    def saw(self, item_id: str, card_id: int, ordinal: int) -> None:
        """Note a card answered; only cards with siblings (ordinal > 0: cloze) bury others."""
        if ordinal > 0:
            self.items_seen.setdefault(item_id, set()).add(card_id)


def today_activity(session: Session, day: StudyDay, drill_kinds: Sequence[str] = ()) -> TodayActivity:
    """Today's answers; ``drill_kinds``: the item kinds counted as drills."""
    today = ReviewLog.reviewed_at >= day.start
    activity = TodayActivity()
    counts = session.execute(
        select(Item.deck, Item.kind, ReviewLog.before_state, func.count())
        .join(Card, ReviewLog.card_id == Card.id)
        .join(Item, Card.item_id == Item.id)
        .where(today)
        .group_by(Item.deck, Item.kind, ReviewLog.before_state)
    )
    for deck, kind, before_state, answers in counts:
        activity.count(deck, before_state, answers, drill=kind in drill_kinds)
    siblings = select(Card.item_id, Card.id, Card.ordinal).join(ReviewLog, ReviewLog.card_id == Card.id)
    for item_id, card_id, ordinal in session.execute(siblings.where(today, Card.ordinal > 0).distinct()):
        activity.saw(item_id, card_id, ordinal)
    return activity


def activity_mark(session: Session, day: StudyDay) -> tuple[datetime, int, int | None]:
    """Changes whenever today's answers change: lets a caller keep a ``TodayActivity``."""
    count, newest = session.execute(
        select(func.count(ReviewLog.id), func.max(ReviewLog.id)).where(ReviewLog.reviewed_at >= day.start)
    ).one()
    return day.start, count, newest


@dataclass(frozen=True)
class DeckLimits:
    """A deck node's daily limits; ``new_drills``: how many of its new cards may be drills."""

    new: int
    reviews: int
    new_drills: int | None = None


def deck_limits(
    session: Session, config: SchedulingConfig, now: datetime | None = None, decks: Sequence[Deck] | None = None,
) -> dict[str, DeckLimits]:
    """Per-deck overrides (``COLLECTION``: "Review all"'s); absent decks use the defaults.
    With ``now``, custom study's extra cards for today are added: to the deck they were given
    for and to each of its subdecks, so that studying it brings that many more. ``decks``: the
    deck rows when the caller has read them already (the next card reads them once)."""
    rows = list(session.scalars(select(Deck))) if decks is None else decks
    default = DeckLimits(config.new_per_day, config.reviews_per_day)
    limits = {
        d.path: DeckLimits(
            default.new if d.new_per_day is None else d.new_per_day,
            default.reviews if d.reviews_per_day is None else d.reviews_per_day,
            d.new_drills_per_day,
        )
        for d in rows
    }
    extended = [d for d in rows if now is not None and d.extended_until is not None and d.extended_until > now]
    if extended:
        nodes = {COLLECTION, *(node for deck in deck_paths(session) for node in ancestors(deck))}
        for d in extended:
            for node in (n for n in nodes if d.path == COLLECTION or in_scope(n, d.path)):
                base = limits.get(node, default)
                limits[node] = replace(base, new=base.new + (d.extra_new or 0), reviews=base.reviews + (d.extra_reviews or 0))
    return limits


def in_scope(deck: str, scope: str | None) -> bool:
    return scope is None or deck == scope or deck.startswith(scope + "::")


def blocked_decks(
    activity: TodayActivity, limits: dict[str, DeckLimits], config: SchedulingConfig, which: str, scope: str | None
) -> list[str]:
    """Deck nodes whose limit ``which`` (new, reviews, new_drills) is used up today. As in
    Anki's v3 scheduler the studied deck's limits cap its whole subtree and its subdecks'
    their own, while the decks above it do not count; "Review all" (``scope`` None) is
    capped by the collection's own limits."""
    done = {"new": activity.new_done, "reviews": activity.reviews_done, "new_drills": activity.new_drills_done}[which]
    default = DeckLimits(config.new_per_day, config.reviews_per_day)
    nodes = (set(done) | set(limits)) - ({COLLECTION} if scope is not None else set())
    limit_of = {node: getattr(limits.get(node, default), which) for node in nodes}
    return sorted(node for node in nodes if in_scope(node, scope) and limit_of[node] is not None and done[node] >= limit_of[node])


def deck_paths(session: Session) -> list[str]:
    """Every deck that has items, by a loose index scan: one index seek per deck, not a
    pass over all items (a recursive CTE, which SQLite and PostgreSQL both run well)."""
    first = select(func.min(Item.deck).label("deck")).cte("decks", recursive=True)
    following = select(select(func.min(Item.deck)).where(Item.deck > first.c.deck).scalar_subquery())
    decks = first.union_all(following.where(first.c.deck.is_not(None)))
    return [deck for deck in session.scalars(select(decks.c.deck)) if deck is not None]


def open_decks(decks: list[str], blocked: list[str]) -> list[str]:
    """The decks of ``decks`` not inside a blocked deck node (the collection holds them all)."""
    return [deck for deck in decks if not any(node == COLLECTION or in_scope(deck, node) for node in blocked)]


def available(now: datetime, scope: str | None) -> Select[Card]:
    """Cards that may be shown now, in deck ``scope``: not suspended, retired, buried or awaiting proof."""
    query = (
        select(Card)
        .join(Card.item)
        .where(Card.suspended.is_(False), Card.retired.is_(False), Item.awaiting_proof.is_(False))
        .where(or_(Card.buried_until.is_(None), Card.buried_until <= now))
    )
    return query.where(in_deck(scope)) if scope else query


def _not_buried_siblings(query: Select[Card], activity: TodayActivity) -> Select[Card]:
    if not activity.items_seen:
        return query
    answered = [card_id for cards in activity.items_seen.values() for card_id in cards]
    return query.where(or_(Card.item_id.not_in(activity.items_seen), Card.id.in_(answered)))


def next_card(
    session: Session, scope: str | None, now: datetime, day: StudyDay, config: SchedulingConfig, activity: TodayActivity,
    drill_kinds: Sequence[str] = (), later: Sequence[int] = (), decks: Sequence[Deck] | None = None,
) -> Card | None:
    """The card to show now, or None when the day's work in ``scope`` is done; never one of
    ``later`` (cards the learner skipped). ``decks``: the deck rows, if read already. The card
    comes with its item (loaded by the same query: it is shown next)."""
    limits = deck_limits(session, config, now, decks)
    base = available(now, scope).options(contains_eager(Card.item))
    if later:
        base = base.where(Card.id.not_in(later))
    learning = base.where(Card.state.in_(LEARNING_STATES)).order_by(Card.due).limit(1)
    if (card := session.scalars(learning.where(Card.due <= now)).first()) is not None:
        return card
    queues = (
        (base.where(Card.state == State.REVIEW, Card.due < day.end), (Card.due,), "reviews"),
        (base.where(Card.state == State.NEW), (Card.position, Card.ordinal), "new"),
    )
    for query, order, which in queues:
        if blocked := blocked_decks(activity, limits, config, which, scope):
            if COLLECTION in blocked or scope in blocked:  # the whole scope is at its limit: no deck is open
                continue
            allowed = open_decks([d for d in deck_paths(session) if in_scope(d, scope)], blocked)
            if not allowed:  # every deck in scope is at its limit: skip the query, which would scan
                continue
            query = query.where(Item.deck.in_(allowed))
        if which == "new" and (no_drills := blocked_decks(activity, limits, config, "new_drills", scope)):
            with_drills = open_decks([d for d in deck_paths(session) if in_scope(d, scope)], no_drills)
            query = query.where(or_(Item.kind.not_in(drill_kinds), Item.deck.in_(with_drills)))
        query = _not_buried_siblings(query, activity).order_by(*order).limit(1)
        if (card := session.scalars(query).first()) is not None:
            return card
    return session.scalars(learning.where(Card.due <= now + config.learn_ahead)).first()


@dataclass
class DeckCounts:
    """What a deck (with its subdecks) has for today, limits applied."""

    new: int = 0
    learning: int = 0
    due: int = 0


def deck_counts(
    session: Session, now: datetime, day: StudyDay, config: SchedulingConfig, scope: str | None = None
) -> dict[str, DeckCounts]:
    """Counts for every deck node (leaves and their parents, and ``COLLECTION`` for Review
    all), limits applied, as on the home screen.

    A parent shows what studying it would give: its own cards plus its subdecks' capped
    counts, capped again by its own limit. ``scope``: count only that deck's cards (its own
    entry and its subdecks' are then whole, those above it are not).
    """
    activity = today_activity(session, day)
    limits = deck_limits(session, config, now)
    own: dict[str, DeckCounts] = {}
    rows = session.execute(
        _not_buried_siblings(available(now, scope), activity)
        .with_only_columns(Item.deck, Card.state, Card.due)
        .where(or_(Card.state == State.NEW, Card.due < day.end))
    )
    for deck, state, due_at in rows:
        for node in ancestors(deck):
            own.setdefault(node, DeckCounts())
        counts = own[deck]
        if state == State.NEW:
            counts.new += 1
        elif state == State.REVIEW:
            counts.due += 1
        elif due_at <= now + config.learn_ahead:
            counts.learning += 1
    result: dict[str, DeckCounts] = {}
    for node in sorted(own, key=lambda d: -d.count("::")):  # children before parents
        children = [result[c] for c in result if c.startswith(node + "::") and c.count("::") == node.count("::") + 1]
        limit = limits.get(node, DeckLimits(config.new_per_day, config.reviews_per_day))
        new_limit, review_limit = limit.new, limit.reviews
        new = own[node].new + sum(c.new for c in children)
        due = own[node].due + sum(c.due for c in children)
        result[node] = DeckCounts(
            new=min(new, max(0, new_limit - activity.new_done[node])),
            learning=own[node].learning + sum(c.learning for c in children),
            due=min(due, max(0, review_limit - activity.reviews_done[node])),
        )
    top = [counts for node, counts in result.items() if "::" not in node]
    limit = limits.get(COLLECTION, DeckLimits(config.new_per_day, config.reviews_per_day))
    result[COLLECTION] = DeckCounts(  # Review all: the top-level decks, capped by the collection's own limits
        new=min(sum(c.new for c in top), max(0, limit.new - activity.new_done[COLLECTION])),
        learning=sum(c.learning for c in top),
        due=min(sum(c.due for c in top), max(0, limit.reviews - activity.reviews_done[COLLECTION])),
    )
    return result
