"""Imported items written as deck files, one per deck, in a folder the importers keep.

An item is a ``[[card]]`` table keyed by its id: importing it again replaces it where it is
(so a second import of the same package updates, never duplicates), an item whose deck
changed moves to that deck's file, and items of other imports stay. The files are plain TOML
the learner may edit; an import rewrites the cards it brings.

``FileChanges`` writes them (and media) so that a failure later in the import puts every file
back as it was: an import is all or nothing, on disk as in the database.
"""

from __future__ import annotations

import tomllib
from collections import defaultdict
from pathlib import Path
from types import TracebackType
from typing import Any

from quizzer.errors import InteropError
from quizzer.services.own_cards import deck_file

Table = dict[str, Any]
"""One ``[[card]]`` table: ``id``, ``kind``, ``deck``, ``source``, ``tags`` and the kind's fields."""


def _stored(folder: Path) -> dict[str, Table]:
    """The cards already in ``folder``'s deck files, by id, each with its deck."""
    tables: dict[str, Table] = {}
    for file in sorted(folder.glob("*.toml")):
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise InteropError(f"{file}: cannot add to it, it is not valid TOML ({exc}); fix it (see `quizzer check`) and import again") from exc
        for table in data.get("card", []):
            tables[table["id"]] = {"deck": data.get("deck"), **table}
    return tables


def deck_texts(folder: Path, items: list[Table]) -> dict[Path, str | None]:
    """What changes in ``folder`` when ``items`` come in: each deck file's new text (None: the
    file is left without cards and goes)."""
    import tomli_w

    tables = _stored(folder)
    tables.update({item["id"]: item for item in items})
    by_deck: dict[str, list[Table]] = defaultdict(list)
    for table in tables.values():
        by_deck[table["deck"]].append({key: value for key, value in table.items() if key != "deck"})
    texts: dict[Path, str | None] = {file: None for file in folder.glob("*.toml")}
    for deck, cards in by_deck.items():
        texts[deck_file(folder, deck)] = tomli_w.dumps({"deck": deck, "card": cards}, multiline_strings=True)
    return {file: text for file, text in texts.items() if text is None or not file.exists() or file.read_text(encoding="utf-8") != text}


class FileChanges:
    """Files written with what they held kept, put back if the ``with`` block fails."""

    def __init__(self) -> None:
        self.before: dict[Path, bytes | None] = {}
        self.folders: list[Path] = []
        """Folders made here, outermost first."""

    def write(self, file: Path, data: bytes | None) -> None:
        """Write ``data`` to ``file`` (None: remove it), remembering what was there."""
        if file not in self.before:
            self.before[file] = file.read_bytes() if file.exists() else None
        if data is None:
            file.unlink(missing_ok=True)
            return
        missing = [folder for folder in (file.parent, *file.parent.parents) if not folder.exists()]
        self.folders += reversed(missing)
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(data)

    def write_texts(self, texts: dict[Path, str | None]) -> None:
        for file, text in texts.items():
            self.write(file, None if text is None else text.encode("utf-8"))

    def __enter__(self) -> FileChanges:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        if error is None:
            return
        for file, data in self.before.items():
            if data is None:
                file.unlink(missing_ok=True)
            else:
                file.write_bytes(data)
        for folder in reversed(self.folders):
            folder.rmdir()
