"""A write drill: the learner completes a function.

- ``prompt``, ``explanation`` (bilingual), ``hints`` (1 to 3 bilingual tables).
- ``function``: the name the learner must define. ``starter`` (shown in the editor; must fail)
  and ``reference`` (trusted; must pass) both define it at top level.
- ``examples``: at least one call, each written as the argument list of the call, e.g.
  ``"torch.tensor([[1.0, 2.0]]), dim=1"``; ``torch``, ``nn``, ``F`` and ``math`` are in scope.
- ``generator`` (optional): defines ``def generate(g, rng, params):`` returning a tuple of
  positional arguments for one call; ``g`` is a seeded ``torch.Generator``, ``rng`` a
  ``random.Random`` with the same seed, ``params`` the instance's parameter values. ``cases``
  (default 5) such calls are drawn per attempt, so code written for the examples alone fails.
- ``compare`` (default ``["value", "shape", "dtype"]``), from value, shape, dtype, grad,
  any-number, arguments and broadcast: broadcast accepts an output whose shape broadcasts to
  the expected one (compared as broadcast); grad makes floating tensor arguments require grad,
  weights the output with fixed random numbers, back-propagates and compares the arguments'
  gradients; any-number accepts a Python int where the reference returns a float of the same
  value, and the reverse; arguments compares the arguments after the call with the reference's
  after its call (so a prompt that says "do not modify x" is checked: the reference leaves x as
  it was). When the reference raises for a call, the learner's code must raise the same
  exception type (or a subclass).
- ``atol``, ``rtol``: tolerances for floating values; by default those of
  ``torch.testing.assert_close`` for the expected dtype (float32: atol 1e-5, rtol 1.3e-6).
- ``rules``: ``"no-loops"`` (no loops, comprehensions, recursion, map/filter/reduce/itertools
  or iterating a tensor), ``"no-call:<dotted.name>"`` (e.g. ``"no-call:torch.softmax"``: every
  spelling of it, down to the ATen operator), ``"max-lines:N"``, ``"max-columns:N"``.
- ``allow``: names and groups (``indexing``, ``arithmetic``, ``comparison``, ``matmul``,
  ``shape``) of the only calls allowed. Rules and allow-lists are checked on the syntax tree and
  on what the code runs in the sandbox; ``quizzer.grading.rules`` says exactly how. A deck file
  may set ``rules`` and ``allow`` at its top, and a folder's ``defaults.toml`` for every file
  under it: they add to each write drill's own.
- ``uses``: ids of other write drills whose reference functions are in scope for the learner
  (the drill's prompt names them), defined by the grader, never from the learner's answers.
- ``time_limit`` (seconds, default 5): for all calls of one attempt together.
- ``params``: see ``quizzer.kinds.drill``.
"""

from __future__ import annotations

import ast
import builtins
import keyword
from collections.abc import Callable
from typing import Any

from quizzer.grading.protocol import GradeResult
from quizzer.grading.rules import ALLOW_NAME, GROUPS, RULE
from quizzer.kinds import drill
from quizzer.kinds.base import Body, Grading, Kind, Problem
from quizzer.kinds.fields import code_text, tolerance

COMPARE_ASPECTS = ("value", "shape", "dtype", "grad", "any-number", "arguments", "broadcast")
DEFAULT_COMPARE = ["value", "shape", "dtype"]
RULE_EXAMPLES = "no-loops, no-call:<dotted.name>, max-lines:N or max-columns:N"
GENERATOR_ARGS = ("g", "rng", "params")
QUICK_SECONDS = 90.0
"""A first-try pass within this many seconds proposes Easy."""


def identifier(value: Any) -> str | None:
    if isinstance(value, str) and value.isidentifier() and not keyword.iskeyword(value):
        return None
    return "must be a Python function name"


def call_examples(value: Any) -> str | None:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        return 'must list at least one call\'s arguments as a string, e.g. "torch.ones(2, 3), dim=1"'
    for n, example in enumerate(value, 1):
        try:
            ast.parse(f"f({example})", mode="eval")
        except SyntaxError:
            return f"example {n} is not a Python argument list: {example!r}"
    return None


def positive_int(value: Any) -> str | None:
    return None if type(value) is int and 1 <= value <= 100 else "must be a whole number from 1 to 100"


def compare_list(value: Any) -> str | None:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        return f"must be a non-empty list from {', '.join(COMPARE_ASPECTS)}"
    unknown = [v for v in value if v not in COMPARE_ASPECTS]
    if unknown:
        return f"has unknown aspect(s) {', '.join(unknown)} (choose from {', '.join(COMPARE_ASPECTS)})"
    return "lists an aspect twice" if len(set(value)) != len(value) else None


def rule_list(value: Any) -> str | None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return 'must be a list of strings such as "no-loops" or "no-call:torch.softmax"'
    bad = [v for v in value if not RULE.match(v)]
    return f"has unknown rule(s) {', '.join(map(repr, bad))} (use {RULE_EXAMPLES})" if bad else None


def allow_list(value: Any) -> str | None:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        return 'must be a non-empty list of names and groups, such as ["torch.arange", "indexing"]'
    bad = [v for v in value if not ALLOW_NAME.match(v) or not ("." in v or v in GROUPS or hasattr(builtins, v))]
    if bad:
        groups = ", ".join(GROUPS)
        return f"has unknown name(s) {', '.join(map(repr, bad))} (a dotted name, a builtin, or a group: {groups})"
    return None


def drill_ids(value: Any) -> str | None:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        return "must list the ids of write drills whose reference functions this drill may call"
    return None


def _defines(tree: ast.Module, name: str) -> ast.FunctionDef | None:
    return next((n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == name), None)


def across(body: Body) -> list[Problem]:
    """The starter and reference define the function; the generator defines ``generate``."""
    problems: list[Problem] = []
    function = body["function"]
    for key in ("starter", "reference"):
        tree, syntax = drill.syntax(key, body[key])
        problems += syntax
        if tree is not None and _defines(tree, function) is None:
            problems.append((key, f"must define `def {function}(…)` at top level"))
    if "generator" in body:
        tree, syntax = drill.syntax("generator", body["generator"])
        problems += syntax
        generate = _defines(tree, "generate") if tree is not None else None
        if tree is not None and (generate is None or len(generate.args.args) != len(GENERATOR_ARGS)):
            problems.append(("generator", f"must define `def generate({', '.join(GENERATOR_ARGS)}):` at top level"))
    elif "cases" in body:
        problems.append(("cases", "needs a `generator` to draw random cases from"))
    return problems


def prove(filled: Body, seed: int, grade: Callable[[str], GradeResult]) -> list[str]:
    """The reference passes its own checks without raising on every call (any code raising
    alike would pass), and the starter fails them."""
    problems = []
    if not (result := grade(filled["reference"])).passed:
        problems.append(f"the reference fails its own checks (seed {seed}): {drill.first_failure(result)}")
    elif result.checks and all(check.name == "raises" for check in result.checks):
        problems.append(f"the reference raises on every call (seed {seed}), so any code raising alike passes")
    if grade(filled["starter"]).passed:
        problems.append(f"the starter code passes (seed {seed}); it must fail")
    return problems


KIND = Kind(
    name="write",
    required={
        **drill.REQUIRED, "function": identifier, "starter": code_text, "reference": code_text,
        "examples": call_examples,
    },
    optional={
        **drill.OPTIONAL, "generator": code_text, "cases": positive_int, "compare": compare_list,
        "atol": tolerance, "rtol": tolerance, "rules": rule_list, "allow": allow_list, "uses": drill_ids,
    },
    across=across,
    face=drill.face,
    show_lines=drill.code_lines("starter"),
    portable=drill.portable("starter", "reference"),
    propose=drill.drill_rating(QUICK_SECONDS),
    view=f"{__package__}.view",
    grading=Grading(f"{__package__}.grade", prove, runnable=True),
)
