"""``quizzer import deck.apkg``: an Anki package's notes as deck files, its history as quizzer's.

The notes become ``[[card]]`` tables in ``imported/`` of the learner's own deck folder (one
file per deck, so they can be edited), which is then imported like any deck folder; in the
same transaction each Anki card's answers are replayed onto its quizzer card, so due dates
follow the learner's past, and suspended cards stay suspended. A failure anywhere leaves
files and database as they were.

Stock note types map to kinds: Basic → basic, Basic (type in the answer) → typed, Cloze →
cloze, the two reversed types → a basic item per card (the reverse one's id ends in
``-reversed``). Any other type: front = first field, back = the rest, with a warning. An
item's id is made from the note's GUID, so importing again updates instead of duplicating.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from quizzer.corpus.format import ID_PATTERN
from quizzer.errors import InteropError
from quizzer.interop import anki_collection as anki
from quizzer.interop.anki_notes import FIELDS, from_fields
from quizzer.interop.anki_package import MAX_UNPACKED, open_package
from quizzer.interop.deck_files import FileChanges, Table, deck_texts
from quizzer.interop.markup import MEDIA_FOLDER, to_text
from quizzer.kinds.registry import KINDS
from quizzer.services.review import CHUNK, PastAnswer
from quizzer.storage.models import Card, Item
from quizzer.vocabulary import Rating

if TYPE_CHECKING:
    from quizzer.corpus.importer import ImportReport
    from quizzer.services.content import ContentService, Prover
    from quizzer.services.review import ReviewService

IMPORTED = "imported"
"""The folder, inside the learner's own deck folder, that importers write."""
REVERSED = "-reversed"
MAX_DECK_PART = 40


def item_id(guid: str) -> str:
    """``anki-…``: the same for the same note in every package and every import."""
    return "anki-" + hashlib.sha256(guid.encode()).hexdigest()[:16]


def deck_path(name: str) -> str:
    """Anki's deck name as a quizzer deck path: each ``::`` part lower-case letters, digits, - and _."""
    parts = []
    for part in name.split("::"):
        slug = re.sub(r"[^a-z0-9_-]+", "-", part.lower()).strip("-_")[:MAX_DECK_PART].strip("-_")
        parts.append(slug or "deck-" + hashlib.sha256(part.encode()).hexdigest()[:6])
    return "::".join(parts)


def pair(text: str) -> dict[str, str]:
    """One language given: the text stands for both (as a card added by hand does)."""
    return {"zh": text, "en": text}


@dataclass(frozen=True)
class Link:
    """Where one Anki card went: the quizzer item and card ordinal."""

    item: str
    ordinal: int
    card: anki.Card


@dataclass
class Plan:
    tables: list[Table] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    other_types: Counter[str] = field(default_factory=Counter)
    skipped: list[str] = field(default_factory=list)


def _table(note: anki.Note, id_: str, kind: str, deck: str, body: Table) -> Table:
    tags = {"tags": note.tags} if note.tags else {}
    return {"id": id_, "kind": kind, "deck": deck_path(deck), "source": f"Anki note type {note.type.name}"[:300], **tags, **body}


def _plan_own(note: anki.Note, model: str, cards: list[anki.Card], plan: Plan) -> None:
    """A note of quizzer's own note types (``export-apkg``): the item it was, with its id (the
    note's GUID) and its texts back; ``model`` is that item's kind."""
    values = dict(zip(FIELDS[model], (to_text(html) for html in note.fields), strict=False))

    def text(name: str) -> dict[str, dict[str, str]]:
        zh, en = values.get(f"{name} (zh)", ""), values.get(f"{name} (en)", "")
        return {name.lower(): from_fields(zh, en)} if zh or en else {}

    accepted = [values.get("Answer", ""), *values.get("Also accepted", "").splitlines()]
    body = text("Text") | text("Extra") | text("Front") | text("Back") | ({"answers": [a for a in accepted if a]} if "Answer" in values else {})
    if missing := [key for key in KINDS[model].required if key not in body]:
        plan.skipped.append(f"note {note.id}: its {' and '.join(missing)} is empty")
        return
    id_ = note.guid if ID_PATTERN.match(note.guid) else item_id(note.guid)
    plan.tables.append(_table(note, id_, model, cards[0].deck, body))
    plan.links += [Link(id_, card.ordinal + 1 if note.type.cloze else 0, card) for card in cards]


def _plan_note(note: anki.Note, cards: list[anki.Card], plan: Plan) -> None:
    """Add the items ``note`` becomes, and where each of its cards goes."""
    if note.type.own is not None:
        _plan_own(note, note.type.own, cards, plan)
        return
    texts = [to_text(html) for html in note.fields]
    first, rest = (texts or [""])[0], [text for text in texts[1:] if text]
    base = item_id(note.guid)
    stock = "Cloze" if note.type.cloze else note.type.stock
    if stock == "Cloze":
        if not re.search(r"\{\{c\d+::", first):
            plan.skipped.append(f"note {note.id}: a cloze without a {{{{c1::…}}}} deletion")
            return
        body = {"text": pair(first)} | ({"extra": pair("\n\n".join(rest))} if rest else {})
        plan.tables.append(_table(note, base, "cloze", cards[0].deck, body))
        plan.links += [Link(base, card.ordinal + 1, card) for card in cards]
        return
    back = texts[1] if len(texts) > 1 and stock is not None else "\n\n".join(rest)
    if not first or not back:
        plan.skipped.append(f"note {note.id}: its {'front' if not first else 'back'} is empty")
        return
    if stock is None:
        plan.other_types[note.type.name] += 1
    if stock == "Basic (type in the answer)":
        plan.tables.append(_table(note, base, "typed", cards[0].deck, {"front": pair(first), "answers": [back]}))
        plan.links.append(Link(base, 0, cards[0]))
        return
    reversible = stock in ("Basic (and reversed card)", "Basic (optional reversed card)")
    for card in cards if reversible else cards[:1]:
        reverse = card.ordinal == 1
        id_ = base + REVERSED if reverse else base
        front, answer = (back, first) if reverse else (first, back)
        plan.tables.append(_table(note, id_, "basic", card.deck, {"front": pair(front), "back": pair(answer)}))
        plan.links.append(Link(id_, 0, card))


def plan_items(collection: anki.Collection) -> Plan:
    cards: dict[int, list[anki.Card]] = defaultdict(list)
    for card in collection.cards:
        cards[card.note_id].append(card)
    plan = Plan()
    for note in collection.notes:
        if cards[note.id]:  # a note without cards shows nothing in Anki either
            _plan_note(note, cards[note.id], plan)
    return plan


@dataclass(frozen=True)
class AnkiImportReport:
    notes: int
    items: ImportReport
    reviews: int
    suspended: int
    media: int
    warnings: list[str]

    def summary(self) -> str:
        return (
            f"{self.notes} notes → deck folder: {self.items.summary()}; {self.reviews} reviews added to the history, "
            f"{self.suspended} cards suspended, {self.media} media files"
        )


def _warnings(plan: Plan) -> list[str]:
    lines = [
        f"note type {name!r} is not one of Anki's stock types: front = its first field, back = the rest ({count} notes)"
        for name, count in sorted(plan.other_types.items())
    ]
    return lines + [f"skipped {reason}" for reason in plan.skipped]


class AnkiImporter:
    def __init__(self, content: ContentService, review: ReviewService, own: Path) -> None:
        self.content, self.review = content, review
        self.own = own
        """The learner's own deck folder; items go to its ``imported/``, media to ``imported/media/``."""

    def import_package(self, path: Path, prove: Prover | None = None, max_unpacked: int = MAX_UNPACKED) -> AnkiImportReport:
        """Import ``path`` (.apkg or .colpkg), all or nothing."""
        folder, counts = self.own / IMPORTED, Counter[str]()
        with open_package(path, max_unpacked) as package, FileChanges() as changes:
            collection = anki.read_collection(package.collection, path)
            plan = plan_items(collection)
            self._leave_others(plan, folder)
            if not plan.tables:
                raise InteropError(f"{path}: no note to import ({'; '.join(_warnings(plan)) or 'the package has none'}); nothing imported")
            changes.write_texts(deck_texts(folder, plan.tables))
            for name in package.media:  # one at a time: a package's media may not fit in memory together
                data, file = package.read_media(name), folder / MEDIA_FOLDER / name
                if not file.exists() or file.read_bytes() != data:
                    changes.write(file, data)
            report = self.content.import_path(self.own, prove, then=_linker(self.review, plan, collection.reviews, counts))
        return AnkiImportReport(len(collection.notes), report, counts["reviews"], counts["suspended"], len(package.media), _warnings(plan))

    def _leave_others(self, plan: Plan, folder: Path) -> None:
        """Take out of ``plan`` the notes that are items another deck folder holds (a package
        quizzer exported, brought back into the same collection): that folder's file stays
        their text, rather than an Anki note turning a drill into a basic card."""
        ids, own = [table["id"] for table in plan.tables], folder.resolve()
        with self.content.sessions() as session:
            sources = [
                row for start in range(0, len(ids), CHUNK)
                for row in session.execute(select(Item.id, Item.source_file).where(Item.id.in_(ids[start:start + CHUNK])))
            ]
        elsewhere = {id_ for id_, source in sources if not self.content.content_root.joinpath(source).resolve().is_relative_to(own)}
        if elsewhere:
            plan.tables = [table for table in plan.tables if table["id"] not in elsewhere]
            plan.links = [link for link in plan.links if link.item not in elsewhere]
            plan.skipped.append(f"{len(elsewhere)} notes that are items of another deck folder (e.g. {min(elsewhere)}): left as that folder has them")


def _linker(review: ReviewService, plan: Plan, reviews: list[anki.Review], counts: Counter[str]) -> Callable[[Session], None]:
    """What runs in the deck folder's import transaction: each Anki card's suspension, flag and
    answers onto the quizzer card it became (``counts``: reviews added, cards suspended)."""
    by_card: dict[int, list[PastAnswer]] = defaultdict(list)
    for past in reviews:
        by_card[past.card_id].append(PastAnswer(past.at, Rating(past.rating), past.duration_ms))

    def link_cards(session: Session) -> None:
        stored = _cards(session, [link.item for link in plan.links])
        answers = []
        for link in plan.links:
            card = stored.get((link.item, link.ordinal))
            if card is None:  # an Anki card its note's text no longer makes (a cloze number gone)
                continue
            if link.card.suspended and not card.suspended:
                card.suspended = True
                counts["suspended"] += 1
            if link.card.flag and card.flag != link.card.flag:
                card.flag = link.card.flag
            answers.append((card, by_card.get(link.card.id, [])))
        counts["reviews"] = review.replay(session, answers)

    return link_cards


def _cards(session: Session, item_ids: list[str]) -> dict[tuple[str, int], Card]:
    """The items' cards by item and ordinal, each with its item (the replay reads its deck)."""
    ids = list(dict.fromkeys(item_ids))
    found: dict[tuple[str, int], Card] = {}
    for start in range(0, len(ids), CHUNK):
        for card in session.scalars(select(Card).options(joinedload(Card.item)).where(Card.item_id.in_(ids[start:start + CHUNK]))):
            found[card.item_id, card.ordinal] = card
    return found
