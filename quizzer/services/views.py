"""What screens and the CLI receive: plain data, never live ORM objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from quizzer.kinds.base import Bilingual, Face, Marks
from quizzer.kinds.registry import KINDS
from quizzer.storage.models import Item


@dataclass(frozen=True)
class ItemView:
    """One item as the learner sees it: prompt, answer, and kind-specific extras."""

    id: str
    kind: str
    deck: str
    tags: list[str]
    source: str
    prompt: Bilingual
    answer: Bilingual
    extras: dict[str, Any] = field(default_factory=dict)
    """Kind-specific fields a learner sees (accepted answers, options, starter code, hints)."""
    marks: Marks = field(default_factory=dict)
    """Spans of ``answer`` the screen highlights (a cloze's filled deletions)."""

    @property
    def face(self) -> Face:
        """What its kind rendered: for the kind's answer widget and ``quizzer show``."""
        return Face(self.prompt, self.answer, self.extras, self.marks)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "kind": self.kind, "deck": self.deck, "tags": self.tags, "source": self.source,
            "prompt": self.prompt, "answer": self.answer, **self.extras,
        }


def item_view(item: Item, ordinal: int | None = None, seed: int = 0) -> ItemView:
    """Render ``item`` for display: card ``ordinal`` (default: its first), as drawn by ``seed``
    (a drill's instance, or the showing of a card whose face changes per showing)."""
    kind = KINDS[item.kind]
    face = kind.face(item.body, kind.ordinals(item.body)[0] if ordinal is None else ordinal, seed)
    return ItemView(
        id=item.id, kind=item.kind, deck=item.deck, tags=item.tags, source=item.source,
        prompt=face.prompt, answer=face.answer, extras=face.extras, marks=face.marks,
    )

