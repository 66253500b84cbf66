"""How a typed answer is judged and shown against the expected one (plain Python, no UI).

An answer matches an accepted form when the two differ only in how they were typed: width
(full-width ＡＢＣ，２３), case, spacing, typeset signs (− × ·, the enumeration comma 、) and
surrounding punctuation. Beyond that:

- a number matches the same number however written (``0.2``, ``.2``, ``1/5``, ``2e-1``,
  ``tensor(0.2000)``, ``1,050,624``), after ``约``/``about`` and before a measure word or a
  unit the question itself uses (``12个``, ``16个均值``, ``938 iterations``), never a
  multiplier (``12万``, ``12 thousand``);
- on a card whose ``answer_type`` is ``shape``, a shape matches the same shape in any form
  predict drills read (``10 32 28``, ``(10, 32, 28)``, ``torch.Size([10, 32, 28])``, ``10×32×28``).

``compare`` marks what differs, as Anki's typed-answer comparison does.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz, process

from quizzer.grading.answers import UnreadableAnswer, parse_answer

_SPACE = re.compile(r"\s+")
_EDGE_PUNCT = re.compile(r"^([。,，;；:：!！?？\"'“”‘’`]|\.(?!\d))+|[。.,，;；:：!！?？\"'“”‘’`]+$")
"""Punctuation around an answer (not the point of ``.5``)."""
_SIGNS = str.maketrans({"−": "-", "×": "x", "·": "*", "、": ","})
"""Typeset signs to what a keyboard types: minus, times, middle dot, the enumeration comma."""
_APPROXIMATELY = re.compile(r"^(约|大约|大概|about|approx\.?|approximately|around|~|≈)\s*")
_NUMBER_THEN_WORDS = re.compile(r"^([-+]?(?:\d[\d,]*(?:\.\d*)?|\.\d+))\s*([^\W\d_][^\d]*)$")
_THOUSANDS = re.compile(r"^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$")
_MEASURE_WORD = re.compile(r"^(个|次|步|张|条|层|项|维|阶|倍|轮|批)")
"""Chinese measure words after a count: ``12个`` is ``12``."""
_MULTIPLIERS = re.compile(r"^([十百千万亿]|(k|m|b|thousands?|millions?|billions?)\b)")
"""What makes a number larger (``12万``, ``12k``): never taken for a unit."""
_CJK = re.compile(r"[\u3400-\u9fff]")
_SIZE = re.compile(r"^(torch\.)?size", re.IGNORECASE)


def fold(text: str) -> str:
    """Width, case and typeset signs folded; spacing kept."""
    return unicodedata.normalize("NFKC", text).translate(_SIGNS).casefold()


def normalize_answer(text: str) -> str:
    """Fold width (full-width ＡＢＣ, （）), case, spacing and typeset signs (− × ·); drop
    surrounding punctuation."""
    return _SPACE.sub("", _bare(text))


def _bare(text: str) -> str:
    """Folded, without surrounding spaces and punctuation."""
    return _EDGE_PUNCT.sub("", fold(text).strip()).strip()


def answer_matches(given: str, accepted: list[str], *, shape: bool = False, question: str = "") -> bool:
    """True when ``given`` is one of the ``accepted`` forms as typed differently, the same
    number, or (``shape``) the same shape; ``question`` is the card's text, whose words may
    follow a number as its unit."""
    target = normalize_answer(given)
    if not target:
        return False
    if any(target == normalize_answer(a) for a in accepted):
        return True
    if shape:
        read = read_shape(given)
        return read is not None and any(read == read_shape(a) for a in accepted)
    number = _number(_bare(given), fold(question))
    return number is not None and any(number == _value(_bare(a)) for a in accepted)


def read_shape(text: str) -> tuple[int, ...] | None:
    """The shape ``text`` writes, read as predict drills read one (None: not a shape)."""
    folded = _SIZE.sub("torch.Size", unicodedata.normalize("NFKC", text).translate(_SIGNS).strip())
    try:
        return tuple(parse_answer("shape", folded))
    except UnreadableAnswer:
        return None


def shape_forms(shape: tuple[int, ...]) -> list[str]:
    """The ways people write ``shape``: the one nearest to what a learner typed is compared."""
    listed = ", ".join(map(str, shape))
    return [f"({listed})", f"[{listed}]", f"torch.Size([{listed}])", "x".join(map(str, shape)), " ".join(map(str, shape))]


def _value(text: str) -> float | None:
    """A number as predict drills read a float (``.5``, ``1/2``, ``5e-1``, ``tensor(0.5)``),
    thousands separated by commas allowed."""
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    try:
        return float(parse_answer("float", text))
    except UnreadableAnswer:
        return None


def _number(text: str, question: str) -> float | None:
    """The number ``text`` gives, after ``约``/``about`` and before a measure word or a unit
    that the question uses; None when it gives none, or more than a number."""
    text = _APPROXIMATELY.sub("", text)
    if (value := _value(text)) is not None:
        return value
    match = _NUMBER_THEN_WORDS.match(text)
    if match is None or not _is_unit(match.group(2), question):
        return None
    return _value(match.group(1))


def _is_unit(words: str, question: str) -> bool:
    """``words`` after a number only name what it counts: a measure word, then nothing or
    words of the question (``个均值`` after ``多少个均值``, ``iterations``), no multiplier."""
    words = _MEASURE_WORD.sub("", words.strip()).strip()
    if not words:
        return True
    if _MULTIPLIERS.match(words):
        return False
    if _CJK.search(words):
        return _SPACE.sub("", words) in _SPACE.sub("", question)
    asked = {w.removesuffix("s") for w in re.findall(r"[^\W\d_]+", question)}
    return all(w.removesuffix("s") in asked for w in re.findall(r"[^\W\d_]+", words))


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
