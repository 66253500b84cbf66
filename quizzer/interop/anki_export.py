"""``quizzer export-apkg``: the collection's items as an Anki package (written with genanki).

Each item becomes one note of quizzer's own note types (``anki_notes``), in its deck, with its
tags; its GUID is the item's id, so that ``quizzer import`` of the package gives the same items
back and Anki updates a note exported twice instead of duplicating it. A cloze keeps its
numbering (Anki makes one card per number, as quizzer does). Kinds Anki has no type for (drills,
choice cards) are written as basic notes, as their ``Kind.portable`` (or their face) says.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import genanki
from sqlalchemy import select
from sqlalchemy.orm import Session

from quizzer.errors import UsageError
from quizzer.interop.anki_notes import FIELDS, PREFIX, split
from quizzer.kinds.base import Kind, Portable
from quizzer.kinds.fields import joined
from quizzer.kinds.registry import KINDS
from quizzer.scheduling.queue import in_scope
from quizzer.storage.models import Item
from quizzer.vocabulary import LANGUAGES

FENCE = re.compile(r"```[^\n]*\n(.*?)\n?```", re.DOTALL)
CSS = ".card { font-family: sans-serif; font-size: 20px; text-align: left; } [lang=en] { color: #555; } pre { text-align: left; }"


def stable_id(name: str) -> int:
    """An id Anki keeps across exports (genanki asks for one per note type and deck)."""
    return (1 << 30) + int(hashlib.sha256(name.encode()).hexdigest()[:7], 16)


def to_html(text: str) -> str:
    """A deck file's Markdown text as a field's HTML: fenced code as ``<pre>``, line breaks kept."""
    parts, last = [], 0
    for match in FENCE.finditer(text):
        parts.append(html.escape(text[last:match.start()]).replace("\n", "<br>"))
        parts.append(f"<pre><code>{html.escape(match.group(1))}</code></pre>")
        last = match.end()
    parts.append(html.escape(text[last:]).replace("\n", "<br>"))
    return "".join(parts)


def _both(field: str, wrap: str = "{{%s}}") -> str:
    """Template text showing a field's zh and en versions, each only when it is filled."""
    return "".join(f'{{{{#{field} ({lang})}}}}<div lang="{lang}">{wrap % f"{field} ({lang})"}</div>{{{{/{field} ({lang})}}}}' for lang in LANGUAGES)


def _card(name: str, question: str, answer: str) -> list[dict[str, str]]:
    return [{"name": name, "qfmt": question, "afmt": answer}]


_CLOZE = _both("Text", "{{cloze:%s}}")
_TYPED = "{{type:Answer}}"
TEMPLATES: dict[str, list[dict[str, str]]] = {
    "basic": _card("Card 1", _both("Front"), _both("Front") + '<hr id="answer">' + _both("Back")),
    "typed": _card(
        "Card 1", _both("Front") + _TYPED,
        _both("Front") + '<hr id="answer">' + _TYPED + "{{#Also accepted}}<div>{{Also accepted}}</div>{{/Also accepted}}" + _both("Back"),
    ),
    "cloze": _card("Cloze", _CLOZE, _CLOZE + "<br>" + _both("Extra")),
}
"""Each of quizzer's note types' card templates (``anki_notes.FIELDS`` has their fields)."""
CLOZE_MODELS = {"cloze"}
"""The note types Anki makes a card per deletion number for."""


def _model(model: str) -> genanki.Model:
    name = PREFIX + model
    return genanki.Model(
        stable_id(name), name, fields=[{"name": field} for field in FIELDS[model]], templates=TEMPLATES[model], css=CSS,
        model_type=genanki.Model.CLOZE if model in CLOZE_MODELS else genanki.Model.FRONT_BACK,
    )


def _face_note(kind: Kind, body: dict[str, Any]) -> Portable:
    """A kind without a ``portable`` of its own: its first card's prompt (and what ``quizzer
    show`` prints after it) on the front, its answer on the back."""
    face = kind.face(body, kind.ordinals(body)[0], 0)
    lines = "\n".join(kind.show_lines(face))
    return Portable("basic", {"front": joined(face.prompt, dict.fromkeys(LANGUAGES, lines)), "back": face.answer}, stand_in=True)


def _fields(note: Portable) -> list[str]:
    """The note's field values, in its note type's order."""
    values: dict[str, str] = {}
    for key, text in note.texts.items():
        zh, en = split(text)
        values[f"{key.capitalize()} (zh)"], values[f"{key.capitalize()} (en)"] = to_html(zh), to_html(en)
    if note.answers:
        values["Answer"] = html.escape(note.answers[0])
        values["Also accepted"] = "<br>".join(html.escape(answer) for answer in note.answers[1:])
    return [values.get(field, "") for field in FIELDS[note.model]]


@dataclass(frozen=True)
class ExportReport:
    notes: int
    decks: int
    as_basic: Counter[str]
    """Kinds Anki has no type for, written as basic notes: how many items of each."""

    def summary(self) -> str:
        basic = ", ".join(f"{n} {kind}" for kind, n in sorted(self.as_basic.items()))
        return f"{self.notes} notes in {self.decks} decks" + (f"; written as basic notes (Anki has no such type): {basic}" if basic else "")


def _items(session: Session, deck: str | None) -> list[Item]:
    items = session.scalars(select(Item).where(Item.retired_at.is_(None)).order_by(Item.deck, Item.position)).all()
    return [item for item in items if in_scope(item.deck, deck)]


def export_package(session: Session, file: Path, deck: str | None = None) -> ExportReport:
    """Write the items (of ``deck`` and its subdecks, or all) to ``file``; replaced whole or not at all."""
    if not file.parent.is_dir():
        raise UsageError(f"{file.parent}: no such folder")
    items = _items(session, deck)
    if not items:
        raise UsageError(f"no items to export{f' in deck {deck!r}' if deck else ''}")
    models = {model: _model(model) for model in FIELDS}
    decks: dict[str, genanki.Deck] = {}
    as_basic: Counter[str] = Counter()
    for item in items:
        kind = KINDS[item.kind]
        note = kind.portable(item.body) if kind.portable else _face_note(kind, item.body)
        if note.stand_in:
            as_basic[item.kind] += 1
        if item.deck not in decks:
            decks[item.deck] = genanki.Deck(stable_id("deck " + item.deck), item.deck)
        tags = [tag.replace(" ", "_") for tag in item.tags]
        decks[item.deck].add_note(genanki.Note(model=models[note.model], fields=_fields(note), tags=tags, guid=item.id))
    _write(genanki.Package(list(decks.values())), file)
    return ExportReport(len(items), len(decks), as_basic)


def _write(package: genanki.Package, file: Path) -> None:
    """Write beside ``file`` and move it into place, so a failed export leaves no half package."""
    handle, temporary = tempfile.mkstemp(suffix=".apkg", dir=file.parent)
    os.close(handle)
    try:
        package.write_to_file(temporary)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # mkstemp's file is private; the package is an ordinary file
        os.replace(temporary, file)
    except BaseException as exc:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError):  # a folder or a read-only file where the package should go
            raise UsageError(f"cannot write {file}: {exc.strerror}") from exc
        raise

