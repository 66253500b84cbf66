"""A cloze card: ``text`` with ``{{c1::answer}}`` or ``{{c1::answer::hint}}`` deletions, as in
Anki (one sibling card per number, the same numbers in both languages), optional ``extra``."""

from __future__ import annotations

import re
from typing import Any

from quizzer.kinds.base import Body, Face, Kind, Portable
from quizzer.kinds.fields import bilingual, joined
from quizzer.vocabulary import LANGUAGES

CLOZE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.DOTALL)


def cloze_numbers(text: str) -> set[int]:
    """The deletion numbers used in ``text`` (each becomes one sibling card)."""
    return {int(m.group(1)) for m in CLOZE.finditer(text)}


def render_cloze(text: str, ordinal: int, *, reveal: bool) -> str:
    """Plain text for sibling ``ordinal``: its deletions as ``[…]`` gaps (or ``[answer]``), others as written."""

    def replace(match: re.Match[str]) -> str:
        number, answer, hint = int(match.group(1)), match.group(2), match.group(3)
        if number != ordinal:
            return answer
        if reveal:
            return f"[{answer}]"
        return f"[…{hint}]" if hint else "[…]"

    return CLOZE.sub(replace, text)


def cloze_text(value: Any) -> str | None:
    if problem := bilingual(value):
        return problem
    zh, en = cloze_numbers(value["zh"]), cloze_numbers(value["en"])
    if not zh:
        return "has no deletion: mark one as {{c1::answer}}"
    if zh != en:
        return f"zh and en must use the same deletions (zh: {sorted(zh)}, en: {sorted(en)})"
    return None


def ordinals(body: Body) -> list[int]:
    return sorted(cloze_numbers(body["text"]["zh"]))


def face(body: Body, ordinal: int, _seed: int) -> Face:
    text = body["text"]
    return Face(
        prompt={lang: render_cloze(text[lang], ordinal, reveal=False) for lang in LANGUAGES},
        answer=joined({lang: render_cloze(text[lang], ordinal, reveal=True) for lang in LANGUAGES}, body.get("extra")),
    )


def portable(body: Body) -> Portable:
    """Anki's own cloze note: the deletions are already written its way."""
    return Portable("cloze", {"text": body["text"]} | ({"extra": body["extra"]} if "extra" in body else {}))


KIND = Kind(
    name="cloze", required={"text": cloze_text}, optional={"extra": bilingual}, ordinals=ordinals, face=face,
    portable=portable,
)
