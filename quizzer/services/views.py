"""What screens and the CLI receive: plain data, never live ORM objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from quizzer.corpus.cloze import render_cloze
from quizzer.corpus.kinds import DRILL_KINDS, KINDS
from quizzer.grading import instance
from quizzer.storage.models import Item

Bilingual = dict[str, str]


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
    accepted: list[str] = field(default_factory=list)
    """Accepted typed answers (typed cards only)."""
    extras: dict[str, Any] = field(default_factory=dict)
    """Kind-specific fields a learner sees (choices, starter code, hints)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "kind": self.kind, "deck": self.deck, "tags": self.tags, "source": self.source,
            "prompt": self.prompt, "answer": self.answer, "accepted": self.accepted, **self.extras,
        }


def _texts(render: Any) -> Bilingual:
    return {lang: render(lang) for lang in ("zh", "en")}


def item_view(item: Item, ordinal: int | None = None, seed: int = 0) -> ItemView:
    """Render ``item`` for display: sibling ``ordinal`` of a cloze (default: its first), the
    instance ``seed`` of a parametrised drill."""
    body = item.body
    common = {"id": item.id, "kind": item.kind, "deck": item.deck, "tags": item.tags, "source": item.source}
    if item.kind == "cloze":
        number = KINDS["cloze"].ordinals(body)[0] if ordinal is None else ordinal
        extra = body.get("extra", {"zh": "", "en": ""})
        return ItemView(
            **common,
            prompt=_texts(lambda lang: render_cloze(body["text"][lang], number, reveal=False)),
            answer=_texts(lambda lang: "\n\n".join(filter(None, [render_cloze(body["text"][lang], number, reveal=True), extra[lang]]))),
        )
    if item.kind == "typed":
        back = body.get("back", {"zh": "", "en": ""})
        return ItemView(
            **common, prompt=body["front"], answer=_texts(lambda lang: "\n\n".join(filter(None, [body["answers"][0], back[lang]]))),
            accepted=body["answers"],
        )
    if item.kind in DRILL_KINDS:
        view = instance.render({**body, "kind": item.kind}, seed)
        shown = {key: view[key] for key in ("starter", "snippet", "answer_type", "hints", "params") if key in view}
        return ItemView(**common, prompt=view["prompt"], answer=view["explanation"], extras=shown)
    return ItemView(**common, prompt=body["front"], answer=body["back"])
