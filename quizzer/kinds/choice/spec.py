"""A choice card: a question (``front``), 2 to 6 ``options`` of which one or more are correct,
optional ``back`` (why). For concepts best checked by telling things apart (which of these
layers has no parameters?).

    options = [
      { zh = "nn.ReLU", en = "nn.ReLU", correct = true },
      { zh = "nn.Linear", en = "nn.Linear" },
    ]

Options are shuffled at every showing (seeded by the card and its number of reviews, so undo
shows the same order). The answer proposes Good when exactly the correct options are picked,
Again otherwise.
"""

from __future__ import annotations

import random
from typing import Any

from quizzer.kinds.base import Bilingual, Body, Face, Kind
from quizzer.kinds.fields import bilingual, joined
from quizzer.vocabulary import LANGUAGES

MIN_OPTIONS, MAX_OPTIONS = 2, 6


def option_list(value: Any) -> str | None:
    if not isinstance(value, list) or not MIN_OPTIONS <= len(value) <= MAX_OPTIONS:
        return f'must list {MIN_OPTIONS} to {MAX_OPTIONS} options, each {{ zh = "…", en = "…" }} (add correct = true to the right ones)'
    for n, option in enumerate(value, 1):
        if problem := _option(option):
            return f"option {n} {problem}"
    if not any(option.get("correct") for option in value):
        return "has no correct option: mark at least one with correct = true"
    for lang in LANGUAGES:
        seen: dict[str, int] = {}
        for n, option in enumerate(value, 1):
            text = " ".join(option[lang].split()).casefold()
            if text in seen:
                return f"options {seen[text]} and {n} are the same ({lang}: {option[lang]!r})"
            seen[text] = n
    return None


def _option(option: Any) -> str | None:
    if not isinstance(option, dict):
        return 'must be a table { zh = "…", en = "…" }'
    if "correct" in option and not isinstance(option["correct"], bool):
        return "has `correct` that is not true or false"
    return bilingual({k: v for k, v in option.items() if k != "correct"})


def face(body: Body, _ordinal: int, seed: int) -> Face:
    """The options in this showing's order; the answer names the correct ones, then ``back``."""
    options = [{**option, "correct": bool(option.get("correct"))} for option in body["options"]]
    random.Random(seed).shuffle(options)
    right: Bilingual = {lang: "\n".join(f"✓ {o[lang]}" for o in options if o["correct"]) for lang in LANGUAGES}
    return Face(prompt=body["front"], answer=joined(right, body.get("back")), extras={"options": options})


def option_lines(face: Face) -> list[str]:
    """``quizzer show``: the options numbered as the keys that pick them."""
    return ["\n".join(f"{n}. {_both(o)}" for n, o in enumerate(face.extras["options"], 1))]


def _both(option: dict[str, Any]) -> str:
    return option["en"] if option["zh"] == option["en"] else f"{option['zh']} · {option['en']}"


KIND = Kind(
    name="choice", required={"front": bilingual, "options": option_list}, optional={"back": bilingual},
    face=face, show_lines=option_lines, per_showing=True, view=f"{__package__}.view",
)
