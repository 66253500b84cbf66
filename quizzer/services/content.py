"""Checking, importing and browsing content."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from quizzer.corpus.format import ItemSpec, content_files, load_content
from quizzer.errors import ContentError, NotFoundError, UsageError
from quizzer.kinds.registry import DRILL_KINDS
from quizzer.services.editing import Edit
from quizzer.services.settings import read_setting, write_setting
from quizzer.services.views import ItemView, item_view
from quizzer.storage.models import Item, Setting, in_deck

if TYPE_CHECKING:
    from quizzer.corpus.importer import ImportReport
    from quizzer.corpus.markdown import MarkerWrite


def fingerprint_key(root: Path) -> str:
    """The setting holding ``root``'s fingerprint (one per imported directory)."""
    return "content_fingerprint:" + hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]


def fingerprint(root: Path) -> str:
    """Changes when any deck file under ``root`` is added, removed or edited."""
    digest = hashlib.sha256()
    for path in content_files(root):
        stat = path.stat() if path.exists() else path.lstat()  # a broken link: ``check`` names it
        digest.update(f"{path}\0{stat.st_mtime_ns}\0{stat.st_size}\n".encode())
    return digest.hexdigest()


PROOF_PREFIX = "drill_proof:"
Prover = Callable[[list[ItemSpec]], list[str]]
"""Proves drills (``services.drills.prove_drills``): the problems found, as ``file:line: id: what``."""


def proof_key(spec: ItemSpec) -> str:
    """The setting that records that this drill, in exactly this text, was proven: a drill
    proven once is not graded again on the next import, and any edit needs a new proof."""
    return PROOF_PREFIX + spec.content_hash[:40]


class ContentService:
    """Content files in, items out."""

    def __init__(self, sessions: sessionmaker[Session], clock: Callable[[], datetime], content_root: Path) -> None:
        self.sessions = sessions
        self.clock = clock
        self.content_root = content_root.resolve()

    @staticmethod
    def check(path: Path) -> list[ItemSpec]:
        """Validate without touching the database."""
        return load_content(path)

    def import_path(
        self, path: Path, prove: Prover | None = None, *, defer_proof: bool = False, then: Callable[[Session], None] | None = None,
        allow_empty: bool = False,
    ) -> ImportReport:
        """Import a file or a directory in one transaction.

        A directory is the whole of what came from it: its items that are gone from its files
        are retired, and items from other places are left alone. A single file only adds and
        updates. Items remember their file relative to the bundled content, or else absolutely.

        With ``prove`` (``quizzer import``), drills not proven before in this exact text are
        proven first (see ``proof_key``); any problem is a ``ContentError`` and imports nothing.
        With ``defer_proof`` (the sync at start, which must not wait for a grader), such drills
        are imported ``awaiting_proof``: out of the queue until ``mark_proven``.
        ``then`` runs in the same transaction after the items are in (and flushed): an Anki
        import puts its cards' history there, so items and history come in together or not at all.
        With ``allow_empty`` a folder without items retires all of its items (a learner's own
        folder whose last card was deleted), instead of being refused.
        """
        from quizzer.corpus.importer import import_items  # only when the deck changed: not on a daily start

        specs = load_content(path, allow_empty)
        base = path.resolve() if path.is_dir() else path.resolve().parent
        markers = self._missing_markers(path, base, specs)
        unproven = self._unproven(specs) if prove is not None or defer_proof else []
        if prove is not None and unproven and (problems := prove(unproven)):
            raise ContentError(problems, str(path))
        specs = [replace(spec, file=self._label(base / spec.file)) for spec in specs]
        within = self._located(path.resolve()) if path.is_dir() else None
        with self.sessions.begin() as session:
            if not defer_proof:
                for spec in unproven:
                    write_setting(session, proof_key(spec), self.clock().isoformat())
            report = import_items(session, specs, self.clock(), retire_missing=within)
            for write in markers:  # a failed write undoes the import; a failed commit leaves ids that are used anyway
                write.apply()
            if defer_proof:
                waiting = {spec.id for spec in unproven}
                for item in session.scalars(select(Item).where(Item.id.in_([spec.id for spec in specs if spec.kind in DRILL_KINDS]))):
                    item.awaiting_proof = item.id in waiting
            if path.is_dir():
                write_setting(session, fingerprint_key(path), fingerprint(path))
            if then is not None:
                session.flush()
                then(session)
        return report

    @staticmethod
    def _missing_markers(path: Path, base: Path, specs: list[ItemSpec]) -> list[MarkerWrite]:
        """The id markers to write into Markdown notes on this import (``corpus.markdown``)."""
        from quizzer.corpus.markdown import missing_markers

        writes = missing_markers(content_files(path), base)
        ids = {spec.id for spec in specs}
        if changed := [str(write.path) for write in writes if not write.ids <= ids]:
            raise ContentError([f"{file}:1: changed while it was being imported; import again" for file in changed])
        return writes

    def _unproven(self, specs: list[ItemSpec]) -> list[ItemSpec]:
        """The drills of ``specs`` whose text has no proof stored yet."""
        with self.sessions() as session:
            proven = set(session.scalars(select(Setting.key).where(Setting.key.startswith(PROOF_PREFIX))))
        return [spec for spec in specs if spec.kind in DRILL_KINDS and proof_key(spec) not in proven]

    def _label(self, file: Path) -> str:
        return str(file.relative_to(self.content_root)) if file.is_relative_to(self.content_root) else str(file)

    def _located(self, directory: Path) -> Callable[[str], bool]:
        """Whether an item's stored file lies in ``directory``."""
        return lambda label: (self.content_root / label).is_relative_to(directory)

    def sync(self, root: Path, allow_empty: bool = False) -> ImportReport | None:
        """Import ``root`` if its files changed since the last import (cheap on every start)."""
        with self.sessions() as session:
            if read_setting(session, fingerprint_key(root)) == fingerprint(root):
                return None
        return self.import_path(root, defer_proof=True, allow_empty=allow_empty)

    def awaiting_proof(self) -> list[ItemSpec]:
        """The drills the sync left out of the queue until they are proven, as their files have them."""
        with self.sessions() as session:
            items = session.scalars(select(Item).where(Item.awaiting_proof.is_(True), Item.retired_at.is_(None)).order_by(Item.position))
            return [ItemSpec(i.id, i.kind, i.deck, list(i.tags), i.source, i.source_file, i.source_line, i.body) for i in items]

    def mark_proven(self, spec: ItemSpec) -> None:
        """Record the proof of this drill's text and let it into the queue."""
        with self.sessions.begin() as session:
            write_setting(session, proof_key(spec), self.clock().isoformat())
            item = session.get(Item, spec.id)
            if item is not None and item.content_hash == spec.content_hash:  # not edited again meanwhile
                item.awaiting_proof = False

    def begin_edit(self, item_id: str) -> Edit:
        """Where ``item_id`` is written, with the file's text as it is now (see ``services.editing``)."""
        with self.sessions() as session:
            item = session.get(Item, item_id)
            if item is None:
                raise NotFoundError(f"no item with id {item_id!r} (see `quizzer search`)")
            file, line = self.content_root / item.source_file, item.source_line
        if not file.is_file():
            raise UsageError(f"{file}: the file {item_id!r} was imported from is gone")
        return Edit(item_id, file, line, file.read_bytes())

    def finish_edit(self, edit: Edit) -> ImportReport:
        """Check and import the deck folder the edited file is in; ``ContentError`` (file:line) if it does not check."""
        folder = self.content_root if edit.file.resolve().is_relative_to(self.content_root) else edit.file.parent
        return self.import_path(folder)

    def has_deck(self, deck: str) -> bool:
        """Whether ``deck`` (or a subdeck of it) holds any item in use."""
        with self.sessions() as session:
            query = select(Item.id).where(in_deck(deck), Item.retired_at.is_(None)).limit(1)
            return session.scalar(query) is not None

    def items(self, include_retired: bool = False) -> list[ItemView]:
        with self.sessions() as session:
            query = select(Item).order_by(Item.position)
            if not include_retired:
                query = query.where(Item.retired_at.is_(None))
            return [item_view(item) for item in session.scalars(query)]

    def show(self, item_id: str) -> ItemView:
        with self.sessions() as session:
            item = session.get(Item, item_id)
            if item is None:
                raise NotFoundError(f"no item with id {item_id!r} (see `quizzer list`)")
            return item_view(item)
