"""A predict drill: the learner predicts what a snippet evaluates to.

- ``prompt``, ``explanation``, ``hints`` as every drill (``quizzer.kinds.drill``).
- ``snippet``: trusted code whose last statement is an expression, its value the truth.
- ``answer_type``: one of ``ANSWER_TYPES`` (``quizzer.grading.answers`` reads each).
- ``atol``/``rtol`` for float and tensor answers; ``time_limit``; ``params``.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import Any

from quizzer.grading.answers import ANSWER_TYPES
from quizzer.grading.protocol import GradeResult
from quizzer.kinds import drill
from quizzer.kinds.base import Body, Grading, Kind, Problem
from quizzer.kinds.fields import code_text, tolerance
from quizzer.vocabulary import Rating

QUICK_SECONDS = 20.0
"""A first-try pass within this many seconds proposes Easy."""


def answer_type(value: Any) -> str | None:
    return None if value in ANSWER_TYPES else f"must be one of {', '.join(ANSWER_TYPES)}, not {value!r}"


def across(body: Body) -> list[Problem]:
    """The snippet ends with an expression; tolerances only where values are approximate."""
    tree, problems = drill.syntax("snippet", body["snippet"])
    if tree is not None and not (tree.body and isinstance(tree.body[-1], ast.Expr)):
        problems.append(("snippet", "must end with an expression: its value is the answer"))
    if body["answer_type"] not in ("float", "tensor"):
        problems += [(key, "applies only to float and tensor answers") for key in ("atol", "rtol") if key in body]
    return problems


def prove(_filled: Body, _seed: int, grade: Callable[[str], GradeResult]) -> list[str]:
    """The snippet runs: grading any answer computes its value first, and a broken one raises."""
    grade("")
    return []


KIND = Kind(
    name="predict",
    required={**drill.REQUIRED, "snippet": code_text, "answer_type": answer_type},
    optional={**drill.OPTIONAL, "atol": tolerance, "rtol": tolerance},
    across=across,
    face=drill.face,
    show_lines=drill.code_lines("snippet"),
    portable=drill.portable("snippet"),
    propose=drill.drill_rating(QUICK_SECONDS, after_a_failed_try=Rating.Again),
    view=f"{__package__}.view",
    grading=Grading(f"{__package__}.grade", prove),
)
