"""The deck folders kept imported: the bundled (or ``QUIZZER_CONTENT``) one, the learner's own
``decks/`` in the data folder, and any added with ``quizzer decks add``.

Each is synced on start like the bundled one; a folder's items are retired only by an import
of that folder, so removing a folder from the list keeps its cards (and they stay reviewable).
"""

from __future__ import annotations

import json
from pathlib import Path

from quizzer.errors import ContentError, UsageError
from quizzer.services.content import ContentService
from quizzer.services.own_cards import OwnCard, deck_file, write_card
from quizzer.services.settings import read_setting, write_setting

FOLDERS_KEY = "deck_folders"
"""The setting listing the folders added with ``quizzer decks add`` (a JSON list of absolute paths)."""


class DeckFolders:
    def __init__(self, content: ContentService, own: Path) -> None:
        self.content = content
        self.own = own
        """The learner's own deck folder, where ``add`` writes."""

    def added(self) -> list[Path]:
        with self.content.sessions() as session:
            return [Path(path) for path in json.loads(read_setting(session, FOLDERS_KEY) or "[]")]

    def folders(self) -> list[Path]:
        """Every folder kept imported, the bundled one first; the own one once it exists."""
        own = [self.own] if self.own.is_dir() else []
        return [self.content.content_root, *own, *self.added()]

    def sync_all(self) -> None:
        """Import each folder whose files changed since its last import. The learner's folders may
        be emptied (their items are then retired); one that is gone is skipped, its cards kept."""
        self.content.sync(self.content.content_root)
        for folder in self.folders()[1:]:
            if folder.is_dir():
                self.content.sync(folder, allow_empty=True)

    def add(self, path: Path) -> int:
        """Keep ``path`` imported from now on (it is checked and imported now); returns its item count."""
        folder = path.expanduser().resolve()
        if not folder.is_dir():
            raise UsageError(f"{path}: not a folder")
        if folder in self.folders():
            raise UsageError(f"{folder}: already a deck folder")
        report = self.content.import_path(folder)
        self._store([*self.added(), folder])
        return report.added + report.updated + report.unchanged + report.restored

    def remove(self, path: Path) -> None:
        """Stop importing ``path``; its cards stay (an import of that folder would retire them)."""
        folder = path.expanduser().resolve()
        if folder not in self.added():
            raise UsageError(f"{folder}: not among the added deck folders (see `quizzer decks list`)")
        self._store([added for added in self.added() if added != folder])

    def _store(self, folders: list[Path]) -> None:
        with self.content.sessions.begin() as session:
            write_setting(session, FOLDERS_KEY, json.dumps([str(folder) for folder in folders]))

    def add_card(self, card: OwnCard) -> str:
        """Write ``card`` into the own deck folder and import it; if it does not check, the file is
        put back as it was and ``ContentError`` says why. Returns the new item's id."""
        file = deck_file(self.own, card.deck)
        before = file.read_text(encoding="utf-8") if file.exists() else None
        write_card(self.own, card)
        try:
            self.content.import_path(self.own)
        except ContentError:
            if before is None:
                file.unlink()
            else:
                file.write_text(before, encoding="utf-8")
            raise
        return card.id
