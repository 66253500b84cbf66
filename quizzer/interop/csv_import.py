"""``quizzer import cards.csv``: rows of front, back[, tags][, deck] as cards (Anki's text import).

Tab or comma separated (``csv.Sniffer`` tells which), a header row optional (``front,back,…``
names the columns in its order), Anki's ``#separator:…`` lines at the top skipped. Fields may
hold HTML (Anki's export does) and become Markdown text; a front with ``{{c1::…}}`` is a
cloze (the back, if any, its extra). Tags are space separated; the deck defaults to the file's
name. The cards go to the learner's own deck folder like an Anki import's, each id a slug of
the front and a hash of deck and front: importing the file again updates the backs and tags.

One bad row names its ``file:line`` and nothing is imported.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from quizzer.errors import InteropError
from quizzer.interop.anki_import import IMPORTED, deck_path, pair
from quizzer.interop.deck_files import FileChanges, Table, deck_texts
from quizzer.interop.markup import to_text
from quizzer.services.own_cards import readable_id

if TYPE_CHECKING:
    from quizzer.corpus.importer import ImportReport
    from quizzer.services.content import ContentService, Prover

COLUMNS = ("front", "back", "tags", "deck")
CLOZE = re.compile(r"\{\{c\d+::")


def _rows(path: Path) -> tuple[list[tuple[int, list[str]]], str]:
    """The data rows with the line each starts on, and the delimiter."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise InteropError(f"{path}: no such file") from exc
    except OSError as exc:  # a folder named like a CSV file, a file this user cannot read
        raise InteropError(f"cannot read {path}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise InteropError(f"{path}:{_line_of(path.read_bytes(), exc.start)}: not UTF-8 text; save the file as UTF-8") from exc
    lines = text.splitlines(keepends=True)
    skipped = next((n for n, line in enumerate(lines) if not line.startswith("#")), len(lines))
    body = "".join(lines[skipped:])
    try:
        delimiter = csv.Sniffer().sniff(body[:4096], delimiters="\t,").delimiter
    except csv.Error:
        delimiter = "\t" if "\t" in body.partition("\n")[0] else ","
    reader = csv.reader(body.splitlines(keepends=True), delimiter=delimiter)
    rows, start = [], skipped + 1
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append((start, row))
            start = skipped + reader.line_num + 1
    except csv.Error as exc:
        raise InteropError(f"{path}:{start}: {exc}") from exc
    return rows, delimiter


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def read_cards(path: Path) -> list[Table]:
    """Every row of ``path`` as a ``[[card]]`` table; the first bad row is an ``InteropError``."""
    rows, _ = _rows(path)
    columns = list(COLUMNS)
    if rows and [cell.strip().casefold() for cell in rows[0][1][:2]] == ["front", "back"]:
        header = [cell.strip().casefold() for cell in rows.pop(0)[1]]
        if unknown := [name for name in header if name not in COLUMNS]:
            raise InteropError(f"{path}:1: unknown column {unknown[0]!r} (columns: front, back, tags, deck)")
        columns = header
    cards = [_card(path, line, dict(zip(columns, row, strict=False)), len(row), len(columns)) for line, row in rows]
    if not cards:
        raise InteropError(f"{path}: no cards in it (rows of front, back[, tags][, deck])")
    return cards


def _card(path: Path, line: int, cells: dict[str, str], width: int, columns: int) -> Table:
    if width > columns:
        raise InteropError(f"{path}:{line}: {width} columns; a row has at most {columns} ({', '.join(COLUMNS[:columns])})")
    front, back = to_text(cells.get("front", "")), to_text(cells.get("back", ""))
    if not front:
        raise InteropError(f"{path}:{line}: the front is empty")
    cloze = bool(CLOZE.search(front))
    if not back and not cloze:
        raise InteropError(f"{path}:{line}: the back is empty (a row needs front and back, separated by a tab or comma)")
    deck = deck_path(cells.get("deck", "").strip() or path.stem)
    table: Table = {"id": readable_id(front, deck, front), "kind": "cloze" if cloze else "basic", "deck": deck, "source": f"CSV {path.name}"}
    if tags := cells.get("tags", "").split():
        table["tags"] = tags
    if cloze:
        return table | {"text": pair(front)} | ({"extra": pair(back)} if back else {})
    return table | {"front": pair(front), "back": pair(back)}


@dataclass(frozen=True)
class CsvImportReport:
    cards: int
    items: ImportReport

    def summary(self) -> str:
        return f"{self.cards} cards → deck folder: {self.items.summary()}"


def import_csv(content: ContentService, own: Path, path: Path, prove: Prover | None = None) -> CsvImportReport:
    """Write ``path``'s cards into ``own``'s ``imported/`` and import ``own``, all or nothing."""
    cards = read_cards(path)
    with FileChanges() as changes:
        changes.write_texts(deck_texts(own / IMPORTED, cards))
        report = content.import_path(own, prove)
    return CsvImportReport(len(cards), report)
