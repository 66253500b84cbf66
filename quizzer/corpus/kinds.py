"""What each item kind must and may contain, and the cards it produces.

A kind is a small table of fields, each with a checker that returns a problem or None, and
optionally a check across fields. Adding a kind means adding one ``Kind`` here; the loader and
importer need no change.

Drills (``[[drill]]`` tables, one card each) are graded by running code; see
``quizzer.grading`` for how. Their fields:

``kind = "write"``: the learner completes a function.

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
  the expected one (compared as broadcast); grad makes floating tensor arguments require grad, weights the
  output with fixed random numbers, back-propagates and compares the arguments' gradients;
  any-number accepts a Python int where the reference returns a float of the same value, and
  the reverse; arguments compares the arguments after the call with the reference's after its
  call (so a prompt that says "do not modify x" is checked: the reference leaves x as it was).
  When the reference raises
  for a call, the learner's code must raise the same exception type (or a subclass).
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

``kind = "predict"``: the learner predicts what a snippet evaluates to.

- ``prompt``, ``explanation``, ``hints`` as above; ``snippet``: trusted code whose last
  statement is an expression, its value the truth; ``answer_type``: one of ``ANSWER_TYPES``;
  ``atol``/``rtol`` for float and tensor answers; ``time_limit``.

Both kinds take ``params``: a table of name to non-empty list of scalar values. One value per
name is drawn from the attempt's seed and ``{name}`` is filled in the texts, code and examples.
In code a placeholder stands for a value: write it where an expression can go
(``torch.randn({n}, 3)``, ``"{mode}"``), so that the code parses before it is filled.
"""

from __future__ import annotations

import ast
import builtins
import keyword
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from quizzer.corpus.cloze import cloze_numbers
from quizzer.grading.rules import ALLOW_NAME, GROUPS, RULE

Checker = Callable[[Any], str | None]


def bilingual(value: Any) -> str | None:
    if not isinstance(value, dict):
        return "must be a table with `zh` and `en` texts"
    missing = [lang for lang in ("zh", "en") if not isinstance(value.get(lang), str) or not value[lang].strip()]
    if missing:
        return f"needs non-empty text for {' and '.join(missing)}"
    extra = sorted(set(value) - {"zh", "en"})
    return f"has unknown language key(s) {', '.join(extra)} (use zh and en)" if extra else None


def string_list(value: Any) -> str | None:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        return "must be a list of non-empty strings"
    return None


def non_empty_string_list(value: Any) -> str | None:
    return string_list(value) or (None if value else "must list at least one answer")


def cloze_text(value: Any) -> str | None:
    if problem := bilingual(value):
        return problem
    zh, en = cloze_numbers(value["zh"]), cloze_numbers(value["en"])
    if not zh:
        return "has no deletion: mark one as {{c1::answer}}"
    if zh != en:
        return f"zh and en must use the same deletions (zh: {sorted(zh)}, en: {sorted(en)})"
    return None


ANSWER_TYPES = ("shape", "int", "float", "bool", "tensor", "text")
"""What a predict drill's answer is typed as (``quizzer.grading.answers`` reads each)."""
COMPARE_ASPECTS = ("value", "shape", "dtype", "grad", "any-number", "arguments", "broadcast")
RULE_EXAMPLES = "no-loops, no-call:<dotted.name>, max-lines:N or max-columns:N"
GENERATOR_ARGS = ("g", "rng", "params")
MAX_HINTS = 3
MAX_TIME_LIMIT = 60


def identifier(value: Any) -> str | None:
    if isinstance(value, str) and value.isidentifier() and not keyword.iskeyword(value):
        return None
    return "must be a Python function name"


def code_text(value: Any) -> str | None:
    return None if isinstance(value, str) and value.strip() else "must be non-empty code (write several lines between ''' marks)"


def call_examples(value: Any) -> str | None:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        return 'must list at least one call\'s arguments as a string, e.g. "torch.ones(2, 3), dim=1"'
    for n, example in enumerate(value, 1):
        try:
            ast.parse(f"f({example})", mode="eval")
        except SyntaxError:
            return f"example {n} is not a Python argument list: {example!r}"
    return None


def bilingual_hints(value: Any) -> str | None:
    if not isinstance(value, list) or not 1 <= len(value) <= MAX_HINTS:
        return f"must list 1 to {MAX_HINTS} hints, each {{ zh = \"…\", en = \"…\" }}"
    for n, hint in enumerate(value, 1):
        if problem := bilingual(hint):
            return f"hint {n} {problem}"
    return None


def positive_int(value: Any) -> str | None:
    return None if type(value) is int and 1 <= value <= 100 else "must be a whole number from 1 to 100"


def tolerance(value: Any) -> str | None:
    return None if type(value) in (int, float) and value >= 0 else "must be a number ≥ 0"


def time_limit(value: Any) -> str | None:
    if type(value) in (int, float) and 0 < value <= MAX_TIME_LIMIT:
        return None
    return f"must be a number of seconds above 0 and at most {MAX_TIME_LIMIT}"


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
    bad = [v for v in value if not ALLOW_NAME.match(v) or ("." not in v and v not in GROUPS and not hasattr(builtins, v))]
    if bad:
        return f"has unknown name(s) {', '.join(map(repr, bad))} (a dotted name, a builtin, or a group: {', '.join(GROUPS)})"
    return None


def drill_ids(value: Any) -> str | None:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        return "must list the ids of write drills whose reference functions this drill may call"
    return None


def answer_type(value: Any) -> str | None:
    return None if value in ANSWER_TYPES else f"must be one of {', '.join(ANSWER_TYPES)}, not {value!r}"


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


def _syntax(key: str, source: str) -> tuple[ast.Module | None, list[tuple[str, str]]]:
    try:
        return ast.parse(source), []
    except SyntaxError as exc:
        return None, [(key, f"has a syntax error on line {exc.lineno} of its code: {exc.msg}")]


def _defines(tree: ast.Module, name: str) -> ast.FunctionDef | None:
    return next((n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == name), None)


def _write_drill_problems(body: dict[str, Any]) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    function = body["function"]
    for key in ("starter", "reference"):
        tree, syntax = _syntax(key, body[key])
        problems += syntax
        if tree is not None and _defines(tree, function) is None:
            problems.append((key, f"must define `def {function}(…)` at top level"))
    if "generator" in body:
        tree, syntax = _syntax("generator", body["generator"])
        problems += syntax
        generate = _defines(tree, "generate") if tree is not None else None
        if tree is not None and (generate is None or len(generate.args.args) != len(GENERATOR_ARGS)):
            problems.append(("generator", f"must define `def generate({', '.join(GENERATOR_ARGS)}):` at top level"))
    elif "cases" in body:
        problems.append(("cases", "needs a `generator` to draw random cases from"))
    return problems


def _predict_drill_problems(body: dict[str, Any]) -> list[tuple[str, str]]:
    tree, problems = _syntax("snippet", body["snippet"])
    if tree is not None and not (tree.body and isinstance(tree.body[-1], ast.Expr)):
        problems.append(("snippet", "must end with an expression: its value is the answer"))
    if body["answer_type"] not in ("float", "tensor"):
        problems += [(key, "applies only to float and tensor answers") for key in ("atol", "rtol") if key in body]
    return problems


def _one_card(_body: dict[str, Any]) -> list[int]:
    return [0]


def _cloze_cards(body: dict[str, Any]) -> list[int]:
    return sorted(cloze_numbers(body["text"]["zh"]))


@dataclass(frozen=True)
class Kind:
    """The fields of one item kind and the card ordinals it produces."""

    name: str
    required: dict[str, Checker]
    optional: dict[str, Checker] = field(default_factory=dict)
    ordinals: Callable[[dict[str, Any]], list[int]] = _one_card
    table: str = "card"
    """The array of tables the kind is written in: ``[[card]]`` or ``[[drill]]``."""
    across: Callable[[dict[str, Any]], list[tuple[str, str]]] | None = None
    """Problems between fields, checked once every field is valid on its own."""

    def check(self, body: dict[str, Any]) -> list[tuple[str, str]]:
        """Problems as ``(key, message)`` pairs; ``key`` locates the line."""
        problems = [(key, "is missing") for key in self.required if key not in body]
        known = self.required | self.optional
        for key, value in body.items():
            if key not in known:
                problems.append((key, f"is not a field of a {self.name} item (expected: {', '.join(known)})"))
            elif problem := known[key](value):
                problems.append((key, problem))
        if not problems and self.across is not None:
            problems = self.across(body)
        return problems


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("basic", {"front": bilingual, "back": bilingual}),
        Kind("cloze", {"text": cloze_text}, {"extra": bilingual}, ordinals=_cloze_cards),
        Kind("typed", {"front": bilingual, "answers": non_empty_string_list}, {"back": bilingual}),
        Kind(
            "write",
            {
                "prompt": bilingual, "function": identifier, "starter": code_text, "reference": code_text,
                "examples": call_examples, "hints": bilingual_hints, "explanation": bilingual,
            },
            {
                "generator": code_text, "cases": positive_int, "compare": compare_list, "atol": tolerance,
                "rtol": tolerance, "rules": rule_list, "params": param_table, "time_limit": time_limit,
                "allow": allow_list, "uses": drill_ids,
            },
            table="drill",
            across=_write_drill_problems,
        ),
        Kind(
            "predict",
            {
                "prompt": bilingual, "snippet": code_text, "answer_type": answer_type,
                "hints": bilingual_hints, "explanation": bilingual,
            },
            {"atol": tolerance, "rtol": tolerance, "params": param_table, "time_limit": time_limit},
            table="drill",
            across=_predict_drill_problems,
        ),
    )
}
"""Every item kind content may use, by the name written as ``kind = "..."``."""

DRILL_KINDS = tuple(name for name, kind in KINDS.items() if kind.table == "drill")
"""The kinds graded by running code (one card each)."""
