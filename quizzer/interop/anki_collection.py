"""An Anki collection (SQLite) read with Anki's documented schema: note types, decks, notes,
cards and the review log, as plain records.

Schema 11 (``collection.anki2``, ``collection.anki21``) keeps note types and decks as JSON in
the ``col`` row; schema 18 (``collection.anki21b``) keeps them in tables of their own, with a
note type's kind in its protobuf ``config`` and deck names' ``::`` stored as ``\\x1f``.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from quizzer.errors import InteropError
from quizzer.interop.anki_notes import model_of
from quizzer.interop.anki_package import decode

SCHEMAS = range(11, 19)
"""The collection schema versions quizzer reads (Anki 2.1's 11 to today's 18)."""
STOCK_KINDS = {1: "Basic", 2: "Basic (and reversed card)", 3: "Basic (optional reversed card)", 4: "Basic (type in the answer)", 5: "Cloze"}
"""Anki's ``OriginalStockKind`` numbers (set on note types made by Anki 2.1.62 and later) → the stock name."""
STOCK_FIELDS = {"Basic": 2, "Basic (and reversed card)": 2, "Basic (optional reversed card)": 3, "Basic (type in the answer)": 2, "Cloze": 2}
SUSPENDED = -1
"""``cards.queue`` of a suspended card."""


@dataclass(frozen=True)
class NoteType:
    name: str
    stock: str | None
    """The stock note type it was made from (one of ``STOCK_KINDS``' names) and still is (its
    fields not added to), or None."""
    cloze: bool
    own: str | None = None
    """Which of quizzer's own note types (``anki_notes.FIELDS``) it is: a note quizzer exported."""


@dataclass(frozen=True)
class Note:
    id: int
    guid: str
    type: NoteType
    fields: list[str]
    """The fields' HTML, in the note type's order."""
    tags: list[str]


@dataclass(frozen=True)
class Card:
    id: int
    note_id: int
    deck: str
    """The deck path with ``::`` (a card in a filtered deck: its home deck)."""
    ordinal: int
    """Anki's ``ord``: the template (0, 1 for a reversed card) or the cloze number − 1."""
    suspended: bool
    flag: int


@dataclass(frozen=True)
class Review:
    card_id: int
    at: datetime
    rating: int
    """1 Again … 4 Easy."""
    duration_ms: int


@dataclass(frozen=True)
class Collection:
    notes: list[Note]
    cards: list[Card]
    reviews: list[Review]
    """Answers only (Anki's rescheduling entries, rating 0, are left out), oldest first."""


def _stock(name: str, original: int, fields: int) -> str | None:
    """A copy of Basic keeps its ``original_stock_kind`` whatever is added to it: one with more
    fields than its stock type is a type of its own."""
    stock = STOCK_KINDS.get(original, name)
    return stock if STOCK_FIELDS.get(stock) == fields else None


def _legacy_types(db: sqlite3.Connection) -> tuple[dict[int, NoteType], dict[int, str]]:
    models_json, decks_json = db.execute("SELECT models, decks FROM col").fetchone()
    models, decks = json.loads(models_json), json.loads(decks_json)
    types = {
        int(mid): NoteType(
            m["name"], _stock(m["name"], int(m.get("originalStockKind", 0)), len(m["flds"])), m.get("type") == 1, model_of(m["name"], len(m["flds"]))
        )
        for mid, m in models.items()
    }
    return types, {int(did): d["name"] for did, d in decks.items()}


def _table_types(db: sqlite3.Connection) -> tuple[dict[int, NoteType], dict[int, str]]:
    types = {}
    fields = dict(db.execute("SELECT ntid, count(*) FROM fields GROUP BY ntid").fetchall())
    for mid, name, config_blob in db.execute("SELECT id, name, config FROM notetypes"):
        config = decode("NotetypeConfig", config_blob)
        count = fields.get(mid, 0)
        types[mid] = NoteType(name, _stock(name, int(config.original_stock_kind), count), int(config.kind) == 1, model_of(name, count))
    return types, {did: name.replace("\x1f", "::") for did, name in db.execute("SELECT id, name FROM decks")}


def _read(db: sqlite3.Connection, label: Path) -> Collection:
    (schema,) = db.execute("SELECT ver FROM col").fetchone()
    if schema not in SCHEMAS:
        raise InteropError(f"{label}: collection schema version {schema} is unknown (quizzer reads {SCHEMAS[0]}–{SCHEMAS[-1]}); nothing imported")
    tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    types, decks = _table_types(db) if "notetypes" in tables else _legacy_types(db)
    unknown = NoteType("(missing note type)", None, cloze=False)
    notes = [
        Note(nid, guid, types.get(mid, unknown), fields.split("\x1f"), tags.split())
        for nid, guid, mid, tags, fields in db.execute("SELECT id, guid, mid, tags, flds FROM notes ORDER BY id")
    ]
    cards = [
        Card(cid, nid, decks.get(odid or did, "Default"), ordinal, queue == SUSPENDED, flags & 0b111)
        for cid, nid, did, odid, ordinal, queue, flags in db.execute("SELECT id, nid, did, odid, ord, queue, flags FROM cards ORDER BY nid, ord")
    ]
    reviews = [
        Review(cid, datetime.fromtimestamp(ms / 1000, UTC), ease, max(duration, 0))
        for ms, cid, ease, duration in db.execute("SELECT id, cid, ease, time FROM revlog WHERE ease BETWEEN 1 AND 4 ORDER BY id")
    ]
    return Collection(notes, cards, reviews)


def read_collection(path: Path, label: Path) -> Collection:
    """Everything quizzer takes from the collection at ``path`` (``label``: the package, for messages)."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return _read(db, label)
    except (sqlite3.DatabaseError, TypeError, KeyError, ValueError) as exc:
        raise InteropError(f"{label}: not a readable Anki collection ({exc}); nothing imported") from exc
    finally:
        db.close()
