"""How a typed answer is judged (plain Python, no UI; the marks shown after it are in ``compare``).

An answer matches an accepted form when the two differ only in how they were typed: width
(full-width ＡＢＣ，２３), case, spacing, typeset signs (− × ·, the enumeration comma 、) and
surrounding punctuation. Beyond that:

- a number matches the same number however written (``0.2``, ``.2``, ``1/5``, ``2e-1``,
  ``tensor(0.2000)``, ``1,050,624``), after ``约``/``about`` and before a measure word or a
  unit the question itself uses (``12个``, ``16个均值``, ``938 iterations``), never a
  multiplier (``12万``, ``12 thousand``);
- on a card whose ``answer_type`` is ``shape``, a shape matches the same shape in any form
  predict drills read (``10 32 28``, ``(10, 32, 28)``, ``torch.Size([10, 32, 28])``, ``10×32×28``).
"""

from __future__ import annotations

import re
import unicodedata

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
