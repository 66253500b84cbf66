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


def render_cloze(text: str, ordinal: int) -> str:
    """The question of sibling ``ordinal``: its deletions as ``[…]`` gaps (with the hint, if
    any), the others as written."""

    def replace(match: re.Match[str]) -> str:
        number, answer, hint = int(match.group(1)), match.group(2), match.group(3)
        if number != ordinal:
            return answer
        return f"[…{hint}]" if hint else "[…]"

    return CLOZE.sub(replace, text)


def fill_cloze(text: str, ordinal: int) -> tuple[str, list[tuple[int, int]]]:
    """The answer of sibling ``ordinal``: every deletion filled in, and the spans of its own
    (for the screen to highlight, rather than bracket)."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    length = end = 0
    for match in CLOZE.finditer(text):
        parts.append(text[end:match.start()])
        length += match.start() - end
        answer = match.group(2)
        if int(match.group(1)) == ordinal:
            spans.append((length, length + len(answer)))
        parts.append(answer)
        length += len(answer)
        end = match.end()
    parts.append(text[end:])
    return "".join(parts), spans


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
    """The filled text leads the answer (the extra follows it), so its spans hold there too."""
    filled = {lang: fill_cloze(body["text"][lang], ordinal) for lang in LANGUAGES}
    return Face(
        prompt={lang: render_cloze(body["text"][lang], ordinal) for lang in LANGUAGES},
        answer=joined({lang: text for lang, (text, _) in filled.items()}, body.get("extra")),
        marks={lang: spans for lang, (_, spans) in filled.items()},
    )


def portable(body: Body) -> Portable:
    """Anki's own cloze note: the deletions are already written its way."""
    return Portable("cloze", {"text": body["text"]} | ({"extra": body["extra"]} if "extra" in body else {}))


KIND = Kind(
    name="cloze", required={"text": cloze_text}, optional={"extra": bilingual}, ordinals=ordinals, face=face,
    portable=portable,
    answer_in_place=True,
)
