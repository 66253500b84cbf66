"""What the drill kinds share: the prompt, hints and explanation fields, parameters, the view
of one instance, and the rating a drill's outcome proposes.

A drill is graded by running code (see ``quizzer.grading``); each drill is one card.
``params`` is a table of name to non-empty list of scalar values. One value per name is drawn
from the attempt's seed and ``{name}`` is filled in the texts, code and examples. In code a
placeholder stands for a value: write it where an expression can go (``torch.randn({n}, 3)``,
``"{mode}"``), so that the code parses before it is filled.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import Any

from quizzer.grading.instance import resolve
from quizzer.grading.protocol import GradeResult
from quizzer.kinds.base import Body, Checker, Face, Outcome, Portable, Problem
from quizzer.kinds.fields import bilingual, joined
from quizzer.vocabulary import LANGUAGES, Rating

MAX_HINTS = 3
MAX_TIME_LIMIT = 60
HIDDEN = ("reference", "generator")
"""Fields the learner never sees, not even in the view of an instance."""


def bilingual_hints(value: Any) -> str | None:
    if not isinstance(value, list) or not 1 <= len(value) <= MAX_HINTS:
        return f"must list 1 to {MAX_HINTS} hints, each {{ zh = \"…\", en = \"…\" }}"
    for n, hint in enumerate(value, 1):
        if problem := bilingual(hint):
            return f"hint {n} {problem}"
    return None


def time_limit(value: Any) -> str | None:
    if type(value) in (int, float) and 0 < value <= MAX_TIME_LIMIT:
        return None
    return f"must be a number of seconds above 0 and at most {MAX_TIME_LIMIT}"


def param_table(value: Any) -> str | None:
    if not isinstance(value, dict) or not value:
        return "must be a table of name = [value, …]"
    for name, choices in value.items():
        if not name.isidentifier():
            return f"has a parameter name {name!r} that is not an identifier"
        if not isinstance(choices, list) or not choices:
            return f"`{name}` must list at least one value"
        if not all(type(c) in (int, float, str, bool) for c in choices):
            return f"`{name}` values must be numbers, strings or booleans"
    return None


REQUIRED: dict[str, Checker] = {"prompt": bilingual}
"""Fields every drill has."""
OPTIONAL: dict[str, Checker] = {"hints": bilingual_hints, "explanation": bilingual, "params": param_table, "time_limit": time_limit}
"""Hints and the explanation are optional for drills from Markdown notes (``corpus.markdown``);
every bundled drill has them (a lint warns of a drill without, and the bundled deck passes ``check --strict``)."""
NO_EXPLANATION = {"zh": "", "en": ""}


def syntax(key: str, source: str) -> tuple[ast.Module | None, list[Problem]]:
    """The parsed code of field ``key``, or its syntax error as a problem."""
    try:
        return ast.parse(source), []
    except SyntaxError as exc:
        return None, [(key, f"has a syntax error on line {exc.lineno} of its code: {exc.msg}")]


def instance_view(drill: Body, seed: int, params: dict[str, Any] | None = None) -> dict[str, Any]:
    """What the learner sees of one instance (never the reference nor the generator), with
    its ``seed`` and the ``params`` drawn."""
    filled, chosen = resolve(drill, seed, params)
    return {**{k: v for k, v in filled.items() if k not in HIDDEN}, "seed": seed, "params": chosen}


def face(body: Body, _ordinal: int, seed: int) -> Face:
    """The face of instance ``seed``: the prompt, the explanation as the answer, the rest
    (starter or snippet, hints, parameters drawn) as extras."""
    view = instance_view(body, seed)
    extras = {k: v for k, v in view.items() if k not in ("prompt", "explanation")}
    return Face(prompt=view["prompt"], answer=view.get("explanation", NO_EXPLANATION), extras=extras)


def code_lines(key: str) -> Callable[[Face], list[str]]:
    """``quizzer show`` prints the drill's code field ``key`` (starter, snippet)."""
    return lambda face: [face.extras[key].strip()]


def portable(shown: str, solution: str | None = None) -> Callable[[Body], Portable]:
    """A drill as a basic note (Anki runs no code): the prompt and the code of field ``shown``
    on the front; the code of field ``solution``, if any, and the explanation on the back. A
    drill with parameters is written as its instance for seed 0."""

    def note(body: Body) -> Portable:
        filled, _ = resolve(body, 0, None)

        def code(key: str) -> dict[str, str]:
            return dict.fromkeys(LANGUAGES, f"```python\n{filled[key].strip()}\n```")

        back = joined(code(solution) if solution else None, filled.get("explanation"))
        return Portable("basic", {"front": joined(filled["prompt"], code(shown)), "back": back}, stand_in=True)

    return note


def first_failure(result: GradeResult) -> str:
    """Why a failed attempt failed, in one line: its cause, or its first failed check."""
    if result.cause:
        return f"{result.cause}: {result.cause_detail}"
    check = next(c for c in result.checks if not c.passed)
    return f"{check.name} on {check.call}: expected {check.expected}, got {check.got} {check.detail}".strip()


def drill_rating(quick_seconds: float, after_a_failed_try: Rating = Rating.Hard) -> Callable[[Outcome], Rating]:
    """A first-try pass without hints is Good, or Easy within ``quick_seconds``; giving up is
    Again. The whole study day counts, so that neither undo nor a second pass makes a drill
    look new: a pass after a failed try that day proposes ``after_a_failed_try`` (a wrong
    prediction retyped right was not known: Again), after a hint or a give-up Hard at best."""

    def propose(outcome: Outcome) -> Rating:
        if not outcome.passed:
            return Rating.Again
        if outcome.failed_attempts:
            return after_a_failed_try
        if outcome.hints_shown or outcome.gave_up_today:
            return Rating.Hard
        return Rating.Easy if outcome.seconds <= quick_seconds else Rating.Good

    return propose
