"""A typed answer marked against the expected one, as Anki's typed-answer comparison marks it:
what was typed right and wrong, and what of the expected answer is missing. Loaded with the
answer box only (``difflib`` aligns, ``rapidfuzz`` picks the nearest accepted form)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz, process

from quizzer.kinds.typed.answers import fold, normalize_answer


def shape_forms(shape: tuple[int, ...]) -> list[str]:
    """The ways people write ``shape``: the one nearest to what a learner typed is compared."""
    listed = ", ".join(map(str, shape))
    return [f"({listed})", f"[{listed}]", f"torch.Size([{listed}])", "x".join(map(str, shape)), " ".join(map(str, shape))]


Mark = Literal["good", "bad", "missed", "space"]
"""A character of the typed answer is ``good`` or ``bad``; one of the expected answer ``good``
or ``missed``; spacing, which never counts, is ``space``."""


@dataclass(frozen=True)
class Comparison:
    """The typed and the expected answer cut into runs of characters with one mark each."""

    typed: list[tuple[str, Mark]]
    expected: list[tuple[str, Mark]]


def closest(given: str, candidates: list[str]) -> str:
    """The candidate nearest to ``given`` (rapidfuzz ``ratio`` of the normalised texts)."""
    choices = [normalize_answer(c) for c in candidates]
    best = process.extractOne(normalize_answer(given), choices, scorer=fuzz.ratio)
    return candidates[best[2]] if best is not None else candidates[0]


def compare(given: str, expected: str) -> Comparison:
    """Character by character, as folded for matching (width, case, signs); spacing is left
    out of the alignment and never marked wrong."""
    typed_at = [i for i, c in enumerate(given) if not c.isspace()]
    expected_at = [i for i, c in enumerate(expected) if not c.isspace()]
    typed_marks: list[Mark] = ["space"] * len(given)
    expected_marks: list[Mark] = ["space"] * len(expected)
    matcher = difflib.SequenceMatcher(None, [fold(given[i]) for i in typed_at], [fold(expected[i]) for i in expected_at], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for i in typed_at[i1:i2]:
            typed_marks[i] = "good" if tag == "equal" else "bad"
        for j in expected_at[j1:j2]:
            expected_marks[j] = "good" if tag == "equal" else "missed"
    return Comparison(_runs(given, typed_marks), _runs(expected, expected_marks))


def _runs(text: str, marks: list[Mark]) -> list[tuple[str, Mark]]:
    runs: list[tuple[str, Mark]] = []
    for char, mark in zip(text, marks, strict=True):
        if runs and runs[-1][1] == mark:
            runs[-1] = (runs[-1][0] + char, mark)
        else:
            runs.append((char, mark))
    return runs
