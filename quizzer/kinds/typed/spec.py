"""A typed card: ``front``, ``answers`` (every accepted form), optional ``back``. The answer
typed is compared leniently (case, width, spacing and typeset signs do not matter) and
proposes Good or Again."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from quizzer.kinds.base import Body, Face, Kind
from quizzer.kinds.fields import bilingual, joined, string_list

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


def accepted_answers(value: Any) -> str | None:
    return string_list(value) or (None if value else "must list at least one answer")


def face(body: Body, _ordinal: int, _seed: int) -> Face:
    first = body["answers"][0]
    return Face(
        prompt=body["front"], answer=joined({"zh": first, "en": first}, body.get("back")),
        extras={"accepted": body["answers"]},
    )


KIND = Kind(
    name="typed", required={"front": bilingual, "answers": accepted_answers}, optional={"back": bilingual},
    face=face, view=f"{__package__}.view",
)
