"""Anki packages made by Anki itself (the ``anki`` backend, a test dependency) from a collection
built here: a note of each stock type, one of a type of its own, some answered at fixed times,
one suspended, tags, a nested deck and an image."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from anki.collection import Collection, ExportAnkiPackageOptions
from anki.decks import DeckId

FIRST_ANSWER = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)
"""The first answer in every built history; the next ones a day or more apart."""
ANSWER_MS = 4_000
GREEN = 3
"""The flag set on the typed note's card."""


@dataclass
class Built:
    """What a built collection holds, for the tests to compare an import with."""

    guids: dict[str, str] = field(default_factory=dict)
    """Name used here → the note's GUID."""
    answers: dict[str, list[tuple[datetime, int]]] = field(default_factory=dict)
    """Name (``name`` or ``name/ordN``) → its card's answers: time, rating."""


def _answer(col: Collection, card_id: int, ratings: list[int], start: datetime) -> list[tuple[datetime, int]]:
    """Answer the card with ``ratings`` and move the log rows to fixed times, ``start`` then days apart."""
    assert col.db is not None
    answers = []
    for n, rating in enumerate(ratings):
        card = col.get_card(card_id)  # type: ignore[arg-type]
        card.start_timer()
        col.sched.answerCard(card, rating)  # type: ignore[arg-type]
        logged = col.db.scalar("SELECT max(id) FROM revlog WHERE cid = ?", card_id)
        at = start + timedelta(days=3 * n)
        col.db.execute("UPDATE revlog SET id = ?, time = ? WHERE id = ?", int(at.timestamp() * 1000), ANSWER_MS, logged)
        answers.append((at, rating))
    return answers


def _note(col: Collection, built: Built, name: str, notetype: str, deck: int, fields: list[str], tags: list[str] = []) -> int:  # noqa: B006
    note = col.new_note(col.models.by_name(notetype))  # type: ignore[arg-type]
    for index, value in enumerate(fields):
        note.fields[index] = value
    note.tags = tags
    col.add_note(note, DeckId(deck))
    built.guids[name] = note.guid
    return int(note.id)


def build_collection(path: Path) -> tuple[Collection, Built]:
    """The collection every import test reads (left open: the caller exports and closes it)."""
    col = Collection(str(path))
    built = Built()
    sub = int(col.decks.id("Deep Learning::Attention") or 0)
    default = 1
    front = 'What does a <b>query</b> attend to?<img src="keys.png">'
    basic = _note(col, built, "basic", "Basic", sub, [front, "The keys"], ["attention", "nlp::transformer"])
    _note(col, built, "reversed", "Basic (and reversed card)", default, ["softmax", "normalised exponentials"])
    _note(col, built, "optional", "Basic (optional reversed card)", default, ["ReLU", "max(0, x)", "y"])
    typed = _note(col, built, "typed", "Basic (type in the answer)", default, ["2 + 2 =", "4"])
    cloze = _note(col, built, "cloze", "Cloze", sub, ["{{c1::Queries}} are matched against {{c2::keys}}", "scaled dot product"])
    own = col.models.copy(col.models.by_name("Basic"))  # type: ignore[arg-type]
    own["name"] = "Vocabulary"
    col.models.add_field(own, col.models.new_field("Example"))
    col.models.update_dict(own)
    _note(col, built, "vocabulary", "Vocabulary", default, ["tensor", "an n-dimensional array", "torch.zeros(2, 3)"])
    col.media.write_data("keys.png", b"\x89PNG\r\n\x1a\n not really an image")
    basic_card = col.get_note(basic).cards()[0]  # type: ignore[arg-type]
    built.answers["basic"] = _answer(col, basic_card.id, [3, 3, 1, 3], FIRST_ANSWER)
    first_cloze, second_cloze = col.get_note(cloze).cards()  # type: ignore[arg-type]
    built.answers["cloze/ord0"] = _answer(col, first_cloze.id, [3, 4], FIRST_ANSWER + timedelta(hours=1))
    col.sched.suspend_cards([second_cloze.id])
    col.set_user_flag_for_cards(GREEN, [col.get_note(typed).cards()[0].id])  # type: ignore[arg-type]
    return col, built


def answer_again(col: Collection, built: Built, at: datetime) -> None:
    """One more Good for the basic note's card, at ``at`` (for a package exported later)."""
    assert col.db is not None
    card_id = col.db.scalar("SELECT cards.id FROM cards JOIN notes ON notes.id = cards.nid WHERE notes.guid = ?", built.guids["basic"])
    built.answers["basic"] += _answer(col, card_id, [3], at)


def export(col: Collection, folder: Path) -> dict[str, Path]:
    """The package in each format Anki writes: current .apkg, legacy .apkg (collection.anki21),
    a legacy one with only collection.anki2 (as Anki 2.0 wrote), and a .colpkg."""
    paths = {name: folder / name for name in ("current.apkg", "legacy.apkg", "anki2.apkg", "collection.colpkg")}
    for name, legacy in (("current.apkg", False), ("legacy.apkg", True)):
        options = ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=False, with_media=True, legacy=legacy)
        col.export_anki_package(out_path=str(paths[name]), options=options, limit=None)
    col.export_collection_package(str(paths["collection.colpkg"]), include_media=True, legacy=False)
    with zipfile.ZipFile(paths["legacy.apkg"]) as legacy_zip, zipfile.ZipFile(paths["anki2.apkg"], "w") as old:
        for info in legacy_zip.infolist():
            if info.filename not in ("meta", "collection.anki2"):
                old.writestr("collection.anki2" if info.filename == "collection.anki21" else info.filename, legacy_zip.read(info))
    return paths
