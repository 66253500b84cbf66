"""Checkers for fields that several kinds share; each returns a problem or None."""

from __future__ import annotations

from typing import Any

from quizzer.kinds.base import Bilingual
from quizzer.vocabulary import LANGUAGES


def bilingual(value: Any) -> str | None:
    if not isinstance(value, dict):
        return "must be a table with `zh` and `en` texts"
    missing = [lang for lang in LANGUAGES if not isinstance(value.get(lang), str) or not value[lang].strip()]
    if missing:
        return f"needs non-empty text for {' and '.join(missing)}"
    extra = sorted(set(value) - set(LANGUAGES))
    return f"has unknown language key(s) {', '.join(extra)} (use zh and en)" if extra else None


def string_list(value: Any) -> str | None:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        return "must be a list of non-empty strings"
    return None


def code_text(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return None
    return "must be non-empty code (write several lines between ''' marks)"


def tolerance(value: Any) -> str | None:
    return None if type(value) in (int, float) and value >= 0 else "must be a number ≥ 0"


def joined(*texts: Bilingual | None) -> Bilingual:
    """Each language's non-empty texts, separated by blank lines."""
    return {lang: "\n\n".join(t[lang] for t in texts if t and t[lang]) for lang in LANGUAGES}
