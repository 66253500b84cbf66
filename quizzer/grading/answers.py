"""Read a predict drill's typed answer leniently, without ever evaluating it.

Plain Python (no torch): the UI can check an answer's format before sending it. Each reader
normalises the text, then parses it with ``ast.literal_eval`` (literals only) or a regex.
What each answer type accepts:

- shape: ``(8, 16, 32, 32)``, ``torch.Size([8, 16, 32, 32])``, ``[8,16,32,32]``,
  ``8x16x32x32``, ``8×16×32×32``, ``8, 16, 32, 32``, ``8 16 32 32``; ``()`` for a scalar.
- int: ``12``, ``-3``, ``1_000``, ``tensor(12)``.
- float: ``0.5``, ``.5``, ``5e-1``, ``1/2`` (a fraction), ``-inf``, ``nan``, ``tensor(0.5000)``.
- bool: ``True``/``true``/``yes``/``是``/``对`` and ``False``/``false``/``no``/``否``/``错``
  (any case); numbers are not booleans.
- tensor: ``tensor([1., 2.])``, ``torch.tensor([[1, 2], [3, 4]])``, ``[1, 2]``, ``1, 2``,
  ``tensor(3.)`` for a 0-d tensor; a trailing ``dtype=…``/``grad_fn=…`` is ignored. Compared by
  shape and values, not dtype.
- text: any text; surrounding quotes and repeated spaces are ignored, case matters. A leading
  ``torch.`` is optional (``float32`` is ``torch.float32``).
"""

from __future__ import annotations

import ast
import math
import re
from fractions import Fraction
from typing import Any

ANSWER_TYPES = ("shape", "int", "float", "bool", "tensor", "text")

EXPECTED_FORMAT = {
    "shape": "a shape such as (8, 16, 32, 32), torch.Size([8, 16]) or 8x16x32",
    "int": "a whole number such as 12 or -3",
    "float": "a number such as 0.5, .5, 1e-3 or 1/2",
    "bool": "True or False (yes/no also work)",
    "tensor": "a tensor such as tensor([1., 2.]) or [[1, 2], [3, 4]]",
    "text": "some text",
}

TRUE_WORDS = {"true", "yes", "是", "对"}
FALSE_WORDS = {"false", "no", "否", "错"}
NUMBER = r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?"
FRACTION = re.compile(rf"^({NUMBER})\s*/\s*({NUMBER})$")
SPECIAL_FLOATS = {"inf": math.inf, "+inf": math.inf, "-inf": -math.inf, "nan": math.nan}
TENSOR_WRAPPER = re.compile(r"^(torch\.)?tensor\s*\((.*)\)$", re.DOTALL)
SIZE_WRAPPER = re.compile(r"^(torch\.)?Size\s*\((.*)\)$", re.DOTALL)
TRAILING_KEYWORDS = re.compile(r",\s*(dtype|requires_grad|grad_fn|device)\s*=.*$", re.DOTALL)
DIMENSION_SEPARATOR = re.compile(r"(?<=\d)\s*[x×X*]\s*(?=\d)|(?<=\d)\s+(?=\d)")


class UnreadableAnswer(ValueError):
    """The answer is not in a format its type accepts; the message says which format is."""


def parse_answer(answer_type: str, text: str) -> Any:
    """The answer as a plain value: tuple of ints (shape), int, float, bool, nested list or
    number (tensor), or normalised text; ``UnreadableAnswer`` if it cannot be read."""
    if answer_type not in ANSWER_TYPES:
        raise ValueError(f"unknown answer type {answer_type!r}")
    cleaned = text.strip().strip("`").strip()
    value = _READERS[answer_type](cleaned) if cleaned else None
    if value is None:
        raise UnreadableAnswer(f"Could not read {text.strip()!r}: expected {EXPECTED_FORMAT[answer_type]}.")
    return value


def normalise_text(text: str) -> str:
    """Text as compared: no surrounding quotes, single spaces, no leading ``torch.``."""
    text = " ".join(text.strip().split())
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1].strip()
    return text.removeprefix("torch.")


def _literal(text: str) -> Any:
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None


def _unwrap(pattern: re.Pattern[str], text: str) -> str:
    match = pattern.match(text)
    return TRAILING_KEYWORDS.sub("", match.group(2)).strip() if match else text


def _read_shape(text: str) -> tuple[int, ...] | None:
    text = _unwrap(SIZE_WRAPPER, text)
    text = DIMENSION_SEPARATOR.sub(",", text)
    value = _literal(text if text[:1] in "([" else f"({text},)")
    if isinstance(value, list | tuple) and len(value) == 1 and isinstance(value[0], list | tuple):
        value = value[0]  # torch.Size([8, 16]) unwraps to [8, 16]
    if type(value) is int:
        value = (value,)  # (16) is what people type for a 1-D shape
    if isinstance(value, list | tuple) and all(type(v) is int and v >= 0 for v in value):
        return tuple(value)
    return None


def _read_int(text: str) -> int | None:
    value = _literal(_unwrap(TENSOR_WRAPPER, text))
    return value if type(value) is int else None


def _read_float(text: str) -> float | None:
    text = _unwrap(TENSOR_WRAPPER, text).lower()
    if text in SPECIAL_FLOATS:
        return SPECIAL_FLOATS[text]
    if match := FRACTION.match(text):
        numerator, denominator = Fraction(match.group(1)), Fraction(match.group(4))
        return float(numerator / denominator) if denominator else None
    value = _literal(text)
    return float(value) if type(value) in (int, float) else None


def _read_bool(text: str) -> bool | None:
    word = _unwrap(TENSOR_WRAPPER, text).lower()
    return True if word in TRUE_WORDS else False if word in FALSE_WORDS else None


def _read_tensor(text: str) -> Any:
    text = _unwrap(TENSOR_WRAPPER, text)
    value = _literal(text if text[:1] == "[" or "," not in text else f"[{text}]")
    return value if _rectangular(value) is not None else None


def _rectangular(value: Any) -> tuple[int, ...] | None:
    """The shape of a nested list of numbers, or None if it is ragged or holds other things."""
    if type(value) in (int, float, bool):
        return ()
    if not isinstance(value, list | tuple):
        return None
    shapes = {_rectangular(v) for v in value}
    if len(shapes) > 1:
        return None
    inner = shapes.pop() if shapes else ()
    return None if inner is None else (len(value), *inner)


def _read_text(text: str) -> str | None:
    return normalise_text(text) or None


_READERS = {
    "shape": _read_shape,
    "int": _read_int,
    "float": _read_float,
    "bool": _read_bool,
    "tensor": _read_tensor,
    "text": _read_text,
}
