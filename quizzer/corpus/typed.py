"""Lenient comparison of a typed answer with the accepted ones."""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")
_EDGE_PUNCT = "。.,，;；:：!！?？\"'“”‘’`"
_SIGNS = str.maketrans({"−": "-", "×": "x", "·": "*"})
"""Typeset signs to what a keyboard types: minus, times, middle dot."""


def normalize_answer(text: str) -> str:
    """Fold width (full-width ＡＢＣ, （）), case, spacing and typeset signs (− × ·); drop
    surrounding punctuation."""
    folded = unicodedata.normalize("NFKC", text).translate(_SIGNS).casefold().strip().strip(_EDGE_PUNCT).strip()
    return _SPACE.sub("", folded)


def answer_matches(given: str, accepted: list[str]) -> bool:
    """True when ``given`` equals one accepted answer, ignoring case, width and spacing."""
    target = normalize_answer(given)
    return bool(target) and any(target == normalize_answer(a) for a in accepted)
