"""The typed ORM schema (SQLAlchemy 2.0 declarative, as its quickstart writes it).

Content files are the source of truth for *what* is taught (``Item``); the database holds
*what the learner did* (``Card`` scheduling state and the append-only ``ReviewLog``).
Every column type is portable between SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import IntEnum
from typing import Any, TypeVar

from sqlalchemy import JSON, Boolean, ColumnElement, DateTime, Float, ForeignKey, Index, Integer, String, Text, and_, false, or_
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from quizzer.vocabulary import Rating, State

E = TypeVar("E", bound=IntEnum)


class UTCDateTime(TypeDecorator[datetime]):
    """A datetime stored as UTC and always read back timezone-aware.

    SQLite has no timezone type and hands back naive datetimes; fsrs refuses those, so
    the conversion happens here, once, for every dialect.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: quizzer stores UTC only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class IntEnumColumn(TypeDecorator[E]):
    """An ``IntEnum`` (a ``Rating``, a ``State``) stored as its integer, read back as the enum.

    Plain ints are taken too, checked against the enum, so a query may compare with either.
    """

    impl = Integer
    cache_ok = True

    def __init__(self, enum: type[E]) -> None:
        super().__init__()
        self.enum = enum

    def process_bind_param(self, value: int | None, dialect: Dialect) -> int | None:
        return None if value is None else int(self.enum(value))

    def process_result_value(self, value: int | None, dialect: Dialect) -> E | None:
        return None if value is None else self.enum(value)


LEECH_LAPSES = 8
"""A card forgotten this many times after learning it is a leech (Anki's default threshold)."""


class Base(DeclarativeBase):
    pass


class Item(Base):
    """One note, card or drill as written in a content file (its imported copy)."""

    __tablename__ = "items"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    deck: Mapped[str] = mapped_column(String(200))
    tags: Mapped[list[str]] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(String(300))
    source_file: Mapped[str] = mapped_column(String(300))
    source_line: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)
    """Order of the item in the content: new cards are introduced in this order."""
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    """The kind-specific fields, bilingual texts included, exactly as validated."""
    content_hash: Mapped[str] = mapped_column(String(64))
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """Set when the item disappeared from the content; its cards and history stay."""
    awaiting_proof: Mapped[bool] = mapped_column(Boolean, server_default=false(), default=False)
    """A drill the start-up sync brought in whose text is not proven yet: kept out of the queue
    until the grading service proves it in the background (``Services.prove_pending``)."""

    cards: Mapped[list[Card]] = relationship(back_populates="item", order_by="Card.ordinal")
    texts: Mapped[ItemText | None] = relationship(cascade="all, delete-orphan")

    __table_args__ = (
        # Covering: the statistics find the few drill cards from it, through ix_cards_item_ordinal.
        Index("ix_items_kind", "kind", "id"),
        # Covering: a search by deck reads the ids of a deck's items from it, not the items.
        Index("ix_items_deck", "deck", "id"),
    )

    def __repr__(self) -> str:
        return f"Item(id={self.id!r}, kind={self.kind!r}, deck={self.deck!r})"


class ItemText(Base):
    """An item's texts and tags as plain lower-case text, for the browser's search.

    A table of its own: the JSON body stores Chinese escaped, and a scan of the items table
    would read every body on the way (ten times the bytes). The tags come before the long
    text, so a tag search reads no text; on SQLite ``SEARCH_INDEX`` indexes the text by trigrams."""

    __tablename__ = "item_texts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    """A stable integer key: the full-text index refers to rows by it."""
    item_id: Mapped[str] = mapped_column(ForeignKey("items.id", onupdate="CASCADE"))
    tags: Mapped[str] = mapped_column(Text)
    """The tags between spaces (`` autograd pytorch ``): ``tag:`` matches a word of it."""
    text: Mapped[str] = mapped_column(Text)
    """Every string of the body (both languages, answers, code), one per line."""

    __table_args__ = (
        Index("ix_item_texts_item_id", "item_id", unique=True),
        # Covering: a search by tag scans this, not the rows with their long texts.
        Index("ix_item_texts_tags", "tags", "item_id"),
    )


SEARCH_INDEX = "item_texts_fts"
"""SQLite's trigram full-text index over ``ItemText.text`` (FTS5, external content keyed by
``ItemText.id``, kept by triggers; migration 0014). Absent on PostgreSQL and on an SQLite
without FTS5, where free text is found with LIKE."""


class Card(Base):
    """One schedulable unit: an item, or one deletion of a cloze item."""

    __tablename__ = "cards"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[str] = mapped_column(ForeignKey("items.id", onupdate="CASCADE"), index=True)
    ordinal: Mapped[int] = mapped_column(Integer, default=0)
    """0 for single cards; the cloze number (c1 → 1) for cloze siblings."""
    position: Mapped[int] = mapped_column(Integer, server_default="0")
    """The item's position in the content, copied here so new cards are taken in content
    order by one walk of ``ix_cards_queue_new`` instead of a sort over every new card."""
    state: Mapped[State] = mapped_column(IntEnumColumn(State), default=State.NEW)
    step: Mapped[int | None] = mapped_column(Integer)
    stability: Mapped[float | None] = mapped_column(Float)
    difficulty: Mapped[float | None] = mapped_column(Float)
    due: Mapped[datetime] = mapped_column(UTCDateTime)
    last_review: Mapped[datetime | None] = mapped_column(UTCDateTime)
    suspended: Mapped[bool] = mapped_column(Boolean, default=False)
    buried_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    """Mirrors the item's retirement (a cloze deletion can also retire on its own)."""
    flag: Mapped[int] = mapped_column(Integer, server_default="0")
    """0 none, else one of Anki's flag colours 1–7 (red, orange, green, blue, pink, turquoise, purple)."""
    version: Mapped[int] = mapped_column(Integer, server_default="1")
    """Raised by every change of the row; the ORM checks it in each UPDATE (``version_id_col``),
    and an answer carries the version its card was shown at (optimistic concurrency)."""

    item: Mapped[Item] = relationship(back_populates="cards")

    __table_args__ = (
        Index("ix_cards_item_ordinal", "item_id", "ordinal", unique=True),
        Index("ix_cards_queue_due", "state", "due"),
        Index("ix_cards_queue_new", "state", "position", "ordinal"),
        # The browser's order: its first rows of a search are read by walking this, not by a sort.
        Index("ix_cards_content_order", "position", "ordinal"),
    )
    # SQLAlchemy declares __mapper_args__ on the declarative base, so it cannot be a ClassVar here.
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    def __repr__(self) -> str:
        return f"Card(id={self.id}, item_id={self.item_id!r}, ordinal={self.ordinal}, state={self.state})"


class ReviewLog(Base):
    """One answer, with the card's scheduling state before and after it.

    Append-only, except that undo removes the newest row and restores ``before_*``.
    """

    __tablename__ = "review_logs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id"), index=True)
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    rating: Mapped[Rating] = mapped_column(IntEnumColumn(Rating))
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    before_state: Mapped[State] = mapped_column(IntEnumColumn(State))
    before_step: Mapped[int | None] = mapped_column(Integer)
    before_stability: Mapped[float | None] = mapped_column(Float)
    before_difficulty: Mapped[float | None] = mapped_column(Float)
    before_due: Mapped[datetime] = mapped_column(UTCDateTime)
    before_last_review: Mapped[datetime | None] = mapped_column(UTCDateTime)
    after_state: Mapped[State] = mapped_column(IntEnumColumn(State))
    after_step: Mapped[int | None] = mapped_column(Integer)
    after_stability: Mapped[float | None] = mapped_column(Float)
    after_difficulty: Mapped[float | None] = mapped_column(Float)
    after_due: Mapped[datetime] = mapped_column(UTCDateTime)
    before_retrievability: Mapped[float | None] = mapped_column(Float)
    """FSRS's probability of recall at the moment of the answer (None for a new card): what
    the calibration figure compares with what happened."""

    __table_args__ = (
        # Covering indexes for the statistics, which read a million rows without the table:
        # per study day (a range of reviewed_at), calibration by retrievability, lapses per card.
        Index("ix_review_logs_days", "reviewed_at", "before_state", "rating", "duration_ms", "card_id"),
        Index("ix_review_logs_calibration", "before_state", "before_retrievability", "rating", "card_id"),
        Index("ix_review_logs_lapses", "before_state", "rating", "card_id"),
    )

    def __repr__(self) -> str:
        return f"ReviewLog(id={self.id}, card_id={self.card_id}, rating={self.rating})"


class ImportedReview(Base):
    """One review from another app's history (e.g. Anki), kept for fitting FSRS and for statistics.

    Its card need not exist in quizzer: ``card_key`` is the other app's card id, as text.
    """

    __tablename__ = "imported_reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    card_key: Mapped[str] = mapped_column(String(64))
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    rating: Mapped[Rating] = mapped_column(IntEnumColumn(Rating))
    state: Mapped[State | None] = mapped_column(IntEnumColumn(State))
    """The card's state when reviewed, as the file gave it, or None when the file has no
    ``review_state`` column."""
    duration_ms: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_imported_reviews_card_time", "card_key", "reviewed_at", unique=True),
        Index("ix_imported_reviews_days", "reviewed_at", "rating", "state", "duration_ms"),
    )

    def __repr__(self) -> str:
        return f"ImportedReview(card_key={self.card_key!r}, reviewed_at={self.reviewed_at!r}, rating={self.rating})"


class Deck(Base):
    """Per-deck options; a deck without a row uses the configured defaults. The path ""
    holds the collection's own options: the limits of "Review all"."""

    __tablename__ = "decks"

    path: Mapped[str] = mapped_column(String(200), primary_key=True)
    new_per_day: Mapped[int | None] = mapped_column(Integer)
    reviews_per_day: Mapped[int | None] = mapped_column(Integer)
    new_drills_per_day: Mapped[int | None] = mapped_column(Integer)
    """How many of the day's new cards may be drills (None: any number)."""
    desired_retention: Mapped[float | None] = mapped_column(Float)
    """FSRS's target recall for this deck's cards; this one, the two below, and the same of its
    subdecks without their own (None: the parent's, up to the configured default)."""
    learning_steps: Mapped[str | None] = mapped_column(String(200))
    """Waits before a new card graduates, as written: ``"1m 10m"`` ("": none)."""
    relearning_steps: Mapped[str | None] = mapped_column(String(200))
    """Waits after a lapse before the card goes back to days, as written."""
    extra_new: Mapped[int | None] = mapped_column(Integer)
    """Custom study: new cards added to this deck's limit (and its subdecks') until ``extended_until``."""
    extra_reviews: Mapped[int | None] = mapped_column(Integer)
    """Custom study: reviews added to the limit likewise."""
    extended_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """The end of the study day the extra cards were given for."""

    def __repr__(self) -> str:
        return f"Deck(path={self.path!r})"


class Setting(Base):
    """A learner preference that outlives the process (e.g. the card language)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"Setting(key={self.key!r}, value={self.value!r})"


class DrillDraft(Base):
    """The drill a learner is working on: its instance, code and progress, saved as they type.

    One row per card while it is open; it goes when the card is rated (and comes back when that
    rating is undone), so a quit or a crash loses nothing and the same instance (seed) comes back.
    """

    __tablename__ = "drill_drafts"

    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id"), primary_key=True)
    seed: Mapped[int] = mapped_column(Integer)
    """Draws the instance's parameters and the grader's random inputs."""
    code: Mapped[str] = mapped_column(Text)
    """The editor's text (write drills) or the typed answer (predict drills)."""
    hints_shown: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DrillAttempt(Base):
    """One graded submission of a drill, with its verdict and every check (append-only)."""

    __tablename__ = "drill_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id"), index=True)
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    seed: Mapped[int] = mapped_column(Integer)
    submission: Mapped[str] = mapped_column(Text)
    passed: Mapped[bool] = mapped_column(Boolean)
    cause: Mapped[str | None] = mapped_column(String(32))
    """Why it failed before its checks could be judged (timeout, memory, …), if it did."""
    hints_shown: Mapped[int] = mapped_column(Integer)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    """The grader's full result: checks, expected and got, traceback, output."""


def is_lapse() -> ColumnElement[bool]:
    """A review-log row that is a lapse: Again to a card in review."""
    return and_(ReviewLog.before_state == State.REVIEW, ReviewLog.rating == Rating.Again)


def searchable_text(body: object) -> str:
    """Every string in an item's body (both languages, answers, code), lower-cased, one per line."""
    if isinstance(body, str):
        return body.lower()
    if isinstance(body, dict):
        return "\n".join(filter(None, (searchable_text(value) for value in body.values())))
    if isinstance(body, list):
        return "\n".join(filter(None, (searchable_text(value) for value in body)))
    return ""


def tags_text(tags: list[str]) -> str:
    """Tags as ``Item.tags_text`` holds them."""
    return " " + " ".join(tag.lower() for tag in tags) + " "


def in_deck(deck: str) -> ColumnElement[bool]:
    """Items in ``deck`` or any of its subdecks."""
    return or_(Item.deck == deck, Item.deck.startswith(deck + "::", autoescape=True))
