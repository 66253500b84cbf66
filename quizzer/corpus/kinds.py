"""What each item kind must and may contain, and the cards it produces.

A kind is a small table of fields, each with a checker that returns a problem or None.
Adding a kind means adding one ``Kind`` here; the loader and importer need no change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from quizzer.corpus.cloze import cloze_numbers

Checker = Callable[[Any], str | None]


def bilingual(value: Any) -> str | None:
    if not isinstance(value, dict):
        return "must be a table with `zh` and `en` texts"
    missing = [lang for lang in ("zh", "en") if not isinstance(value.get(lang), str) or not value[lang].strip()]
    if missing:
        return f"needs non-empty text for {' and '.join(missing)}"
    extra = sorted(set(value) - {"zh", "en"})
    return f"has unknown language key(s) {', '.join(extra)} (use zh and en)" if extra else None


def string_list(value: Any) -> str | None:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        return "must be a list of non-empty strings"
    return None


def non_empty_string_list(value: Any) -> str | None:
    return string_list(value) or (None if value else "must list at least one answer")


def cloze_text(value: Any) -> str | None:
    if problem := bilingual(value):
        return problem
    zh, en = cloze_numbers(value["zh"]), cloze_numbers(value["en"])
    if not zh:
        return "has no deletion: mark one as {{c1::answer}}"
    if zh != en:
        return f"zh and en must use the same deletions (zh: {sorted(zh)}, en: {sorted(en)})"
    return None


def _one_card(_body: dict[str, Any]) -> list[int]:
    return [0]


def _cloze_cards(body: dict[str, Any]) -> list[int]:
    return sorted(cloze_numbers(body["text"]["zh"]))


@dataclass(frozen=True)
class Kind:
    """The fields of one item kind and the card ordinals it produces."""

    name: str
    required: dict[str, Checker]
    optional: dict[str, Checker] = field(default_factory=dict)
    ordinals: Callable[[dict[str, Any]], list[int]] = _one_card
    table: str = "card"
    """The array of tables the kind is written in: ``[[card]]`` or ``[[drill]]``."""

    def check(self, body: dict[str, Any]) -> list[tuple[str, str]]:
        """Problems as ``(key, message)`` pairs; ``key`` locates the line."""
        problems = [(key, "is missing") for key in self.required if key not in body]
        known = self.required | self.optional
        for key, value in body.items():
            if key not in known:
                problems.append((key, f"is not a field of a {self.name} item (expected: {', '.join(known)})"))
            elif problem := known[key](value):
                problems.append((key, problem))
        return problems


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("basic", {"front": bilingual, "back": bilingual}),
        Kind("cloze", {"text": cloze_text}, {"extra": bilingual}, ordinals=_cloze_cards),
        Kind("typed", {"front": bilingual, "answers": non_empty_string_list}, {"back": bilingual}),
    )
}
"""Every item kind content may use, by the name written as ``kind = "..."``."""
