"""Import validated items into storage, keeping every learner's history.

Runs inside the caller's transaction, so a failure anywhere imports nothing.
Edited items keep their cards and review history; items gone from the content are
retired (hidden from review), never deleted.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from quizzer.corpus.format import ItemSpec
from quizzer.storage.models import Card, Item, ItemText, searchable_text, tags_text


@dataclass
class ImportReport:
    """What one import changed."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    restored: int = 0

    def summary(self) -> str:
        return (
            f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.retired} retired, {self.restored} restored"
        )


def _sync_cards(item: Item, ordinals: list[int], now: datetime) -> None:
    existing = {card.ordinal: card for card in item.cards}
    for ordinal in ordinals:
        if ordinal in existing:
            existing[ordinal].retired = item.retired_at is not None
            existing[ordinal].position = item.position
        else:
            item.cards.append(
                Card(ordinal=ordinal, position=item.position, state=0, due=now, suspended=False, retired=False)
            )
    for ordinal, card in existing.items():
        if ordinal not in ordinals:
            card.retired = True


def _apply(item: Item, spec: ItemSpec, position: int) -> None:
    item.kind, item.deck, item.tags, item.source = spec.kind, spec.deck, spec.tags, spec.source
    item.source_file, item.source_line, item.position = spec.file, spec.line, position
    item.body, item.content_hash = spec.body, spec.content_hash
    text, tags = searchable_text(spec.body), tags_text(spec.tags)
    if item.texts is None:
        item.texts = ItemText(item_id=spec.id, text=text, tags=tags)
    else:
        item.texts.text, item.texts.tags = text, tags


def introduction_order(specs: list[ItemSpec]) -> list[int]:
    """Each item's place in the order new cards are introduced: the files take turns (the
    first item of every file, then the second …) in a fixed shuffled order of files, so a
    day's new cards mix decks, and cards with drills, while each file keeps its own order."""
    seen: Counter[str] = Counter()
    keys = []
    for spec in specs:
        keys.append((seen[spec.file], zlib.crc32(spec.file.encode()), spec.file))
        seen[spec.file] += 1
    ranks = {key: rank for rank, key in enumerate(sorted(keys))}
    return [ranks[key] for key in keys]


def import_items(
    session: Session, specs: list[ItemSpec], now: datetime, *, retire_missing: Callable[[str], bool] | None = None
) -> ImportReport:
    """Upsert ``specs``; with ``retire_missing``, retire the stored items it accepts (by their
    ``source_file``) that are not among them."""
    report = ImportReport()
    stored = {item.id: item for item in session.scalars(select(Item).options(selectinload(Item.cards), selectinload(Item.texts)))}
    for position, spec in zip(introduction_order(specs), specs, strict=True):
        item = stored.get(spec.id)
        if item is None:
            item = Item(id=spec.id, retired_at=None, cards=[])
            session.add(item)
            report.added += 1
        elif item.retired_at is not None:
            item.retired_at = None
            report.restored += 1
        elif item.content_hash != spec.content_hash:
            report.updated += 1
        elif (item.position, item.source_line, item.source_file) == (position, spec.line, spec.file):
            report.unchanged += 1
            continue
        else:
            report.unchanged += 1  # moved within the files: same content, new place
        _apply(item, spec, position)
        _sync_cards(item, spec.ordinals, now)
    if retire_missing:
        present = {spec.id for spec in specs}
        for item_id, item in stored.items():
            if item_id not in present and item.retired_at is None and retire_missing(item.source_file):
                item.retired_at = now
                _sync_cards(item, [], now)
                report.retired += 1
    return report
