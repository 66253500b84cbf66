"""Cloze deletions: ``{{c1::answer}}`` or ``{{c1::answer::hint}}``, as in Anki."""

from __future__ import annotations

import re

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
