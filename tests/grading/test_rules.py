"""Drill rules on the syntax tree, before the code runs: whatever the spelling, each broken rule
is named with its line."""

from __future__ import annotations

import pytest

from quizzer.grading.rules import RuleSet, Violation
from quizzer.grading.rules_syntax import check_syntax

NO_SOFTMAX = RuleSet.of({"rules": ["no-call:torch.softmax"]})
NO_LOOPS = RuleSet.of({"rules": ["no-loops"]})
PUZZLE = RuleSet.of({"rules": ["no-loops"], "allow": ["torch.arange", "torch.where", "indexing", "arithmetic", "comparison", "shape"]})


def rules_broken(code: str, rules: RuleSet, function: str = "f") -> set[str]:
    return {v.rule for v in check_syntax(code, rules, function)}


@pytest.mark.parametrize(
    "code",
    [
        "def f(x):\n    return torch.softmax(x, 1)\n",
        "def f(x):\n    return F.softmax(x, 1)\n",
        "def f(x):\n    return torch.nn.functional.softmax(x, 1)\n",
        "def f(x):\n    return x.softmax(1)\n",
        "def f(x):\n    return (x * 2).softmax(dim=1)\n",
        "from torch.nn.functional import softmax\ndef f(x):\n    return softmax(x, 1)\n",
        "from torch.nn.functional import softmax as sm\ndef f(x):\n    return sm(x, 1)\n",
        "import torch.nn.functional as G\ndef f(x):\n    return G.softmax(x, 1)\n",
        "from torch import *\ndef f(x):\n    return softmax(x, 1)\n",
        "def f(x):\n    g = torch.special.softmax\n    return g(x, 1)\n",
        "def f(x):\n    return getattr(torch, 'softmax')(x, 1)\n",
        "def f(x):\n    return getattr(torch, 'soft' + 'max')(x, 1)\n",
        "def f(x):\n    return vars(F)['softmax'](x, 1)\n",
        "def f(x):\n    return eval('F.soft' + 'max')(x, 1)\n",
        "import importlib\ndef f(x):\n    return importlib.import_module('torch').softmax(x, 1)\n",
        "def f(x):\n    return torch.ops.aten._softmax(x, 1, False)\n",
        "def f(x):\n    return torch._C._VariableFunctions.softmax(x, 1)\n",
        "def f(x):\n    return x.__class__.softmax(x, 1)\n",
    ],
)
def test_every_spelling_of_a_forbidden_call_is_found(code: str) -> None:
    assert check_syntax(code, NO_SOFTMAX, "f")


@pytest.mark.parametrize(
    "code",
    [
        "def f(x):\n    e = x.exp()\n    return e / e.sum(1, keepdim=True)\n",
        "def f(x):\n    return F.log_softmax(x, 1).exp()\n",
        "def f(x):\n    return torch.nn.Softmax(dim=1)(x)\n",
    ],
)
def test_other_calls_are_allowed(code: str) -> None:
    assert check_syntax(code, NO_SOFTMAX, "f") == []


def test_a_violation_names_its_line_and_rule_in_either_language() -> None:
    (violation,) = check_syntax("def f(x):\n    y = x\n    return F.softmax(y, 1)\n", NO_SOFTMAX, "f")
    assert violation.message("en") == "line 3: uses torch.nn.functional.softmax, which this drill asks you not to use (no-call:torch.softmax)"
    assert violation.message("zh") == "第 3 行：用了本题不让用的 torch.nn.functional.softmax（规则 no-call:torch.softmax）"


@pytest.mark.parametrize(
    ("code", "subject"),
    [
        ("def f(x):\n    for r in x:\n        pass\n", "a for loop"),
        ("def f(x):\n    while x:\n        pass\n", "a while loop"),
        ("def f(x):\n    return [r for r in x]\n", "a list comprehension"),
        ("def f(x):\n    return sum(r for r in x)\n", "a generator expression"),
    ],
)
def test_no_loops_finds_loops_and_comprehensions(code: str, subject: str) -> None:
    (violation,) = check_syntax(code, NO_LOOPS, "f")
    assert (violation.line, violation.subject) == (2, subject)


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("def f(x, n):\n    return x if n == 0 else f(x, n - 1) + x\n", "recursion"),
        ("def f(x, n):\n    return x if n == 0 else g(x, n)\ndef g(x, n):\n    return f(x, n - 1)\n", "recursion"),
        ("def f(x):\n    return list(map(lambda r: r * 2, x))\n", "loop-helper"),
        ("def f(x):\n    return list(filter(None, x))\n", "loop-helper"),
        ("import functools\ndef f(x):\n    return functools.reduce(lambda a, b: a + b, x)\n", "loop-helper"),
        ("from itertools import accumulate\ndef f(x):\n    return list(accumulate(x))\n", "loop-helper"),
    ],
)
def test_no_loops_finds_looping_without_loop_syntax(code: str, reason: str) -> None:
    assert reason in {v.reason for v in check_syntax(code, NO_LOOPS, "f")}


def test_vectorised_code_has_no_loops() -> None:
    assert check_syntax("def f(x):\n    return (x - x.mean(0)).abs().sum(1)\n", NO_LOOPS, "f") == []


@pytest.mark.parametrize(
    "code",
    [
        "import sys\ndef f(x):\n    sys.settrace(None)\n    return x\n",
        "from torch.overrides import TorchFunctionMode\ndef f(x):\n    return x\n",
        "import torch.utils._python_dispatch as d\ndef f(x):\n    return x\n",
        "def f(x):\n    torch._C._set_torch_function_mode(None)\n    return x\n",
        "import gc\ndef f(x):\n    return x\n",
        "import quizzer.grading.recorder\ndef f(x):\n    return x\n",
        "class T(torch.Tensor):\n    def __torch_function__(self, *a):\n        pass\ndef f(x):\n    return x\n",
    ],
)
def test_reaching_for_the_rules_machinery_is_a_violation_under_any_rule(code: str) -> None:
    assert rules_broken(code, NO_LOOPS) & {"no-dispatcher", "no-interpreter"}


def test_an_allow_list_refuses_whatever_it_does_not_name() -> None:
    code = "def f(a):\n    return torch.cumsum(a, 0) + torch.ones(3) + sum([a])\n"
    found = check_syntax(code, PUZZLE, "f")
    assert [(v.rule, v.subject) for v in found] == [("allow", "sum"), ("allow", "torch.cumsum"), ("allow", "torch.ones")]


def test_an_allow_list_accepts_its_names_groups_and_plain_builtins() -> None:
    code = "def f(a):\n    n = len(a)\n    i = torch.arange(n)\n    return torch.where(i[:, None] >= i, a, 0) * 1\n"
    assert check_syntax(code, PUZZLE, "f") == []


def test_an_allowed_builtin_or_standard_function_is_named_in_the_list() -> None:
    rules = RuleSet.of({"allow": ["sum", "itertools.accumulate"]})
    assert check_syntax("import itertools\ndef f(a):\n    return sum(itertools.accumulate(a))\n", rules, "f") == []


@pytest.mark.parametrize(
    ("rules", "code", "broken"),
    [
        (["max-lines:1"], "def f(a):\n    return a + 1\n", set()),
        (["max-lines:1"], "def f(a):\n    # a comment\n\n    return a + 1\n", set()),
        (["max-lines:1"], "def f(a):\n    b = a + 1\n    return b\n", {"max-lines:1"}),
        (["max-columns:20"], "def f(a):\n    return a + 1\n", set()),
        (["max-columns:20"], "def f(a):\n    return a + 1 + a + 1 + a\n", {"max-columns:20"}),
    ],
)
def test_one_liner_rules_count_the_body_lines_and_columns(rules: list[str], code: str, broken: set[str]) -> None:
    assert rules_broken(code, RuleSet.of({"rules": rules})) == broken


def test_max_lines_says_how_many_lines_the_body_has() -> None:
    (violation,) = check_syntax("def f(a):\n    b = a\n    return b\n", RuleSet.of({"rules": ["max-lines:1"]}), "f")
    assert violation == Violation("max-lines:1", 1, "max-lines", "2")
    assert violation.message("en") == "line 1: the function body has 2 lines (max-lines:1)"


@pytest.mark.parametrize(
    ("code", "broken"),
    [
        ("import numpy as np\ndef f(x):\n    return torch.from_numpy(np.cumsum(x.numpy()))\n", ("no-call:torch.cumsum", "numpy.cumsum")),
        ("def f(x):\n    return torch.from_numpy(x.numpy().cumsum())\n", ("no-call:torch.cumsum", ".cumsum()")),
        ("def f(x):\n    torch.exp = torch.cumsum\n    return x\n", ("no-interpreter", "torch.exp")),
        ("def f(x):\n    return torch.jit.script(lambda y: y)(x)\n", ("no-dispatcher", "torch.jit.script")),
        ("from concurrent.futures import ThreadPoolExecutor\ndef f(x):\n    return x\n", ("no-interpreter", "concurrent.futures")),
        ("def f(x):\n    __quizzer_entered__ = None\n    return x\n", ("no-private", "__quizzer_entered__")),
    ],
)
def test_work_done_out_of_the_recorders_sight_is_a_violation(code: str, broken: tuple[str, str]) -> None:
    rules = RuleSet.of({"rules": ["no-call:torch.cumsum"]})
    assert broken in {(v.rule, v.subject) for v in check_syntax(code, rules, "f")}


def test_iter_and_next_loop_without_loop_syntax() -> None:
    code = "def f(x):\n    rows = iter(x.tolist())\n    return next(rows)\n"
    assert {(v.rule, v.subject) for v in check_syntax(code, NO_LOOPS, "f")} == {("no-loops", "iter"), ("no-loops", "next")}


@pytest.mark.parametrize(
    ("code", "broken"),
    [
        ("def f(x):\n    open(3, 'wb').write(b'')\n    return x\n", ("no-interpreter", "open")),
        ("import io\ndef f(x):\n    io.FileIO(3, 'wb')\n    return x\n", ("no-interpreter", "io.FileIO")),
        ("def f(x):\n    def g():\n        yield\n    gen = g()\n    return gen.gi_frame.f_back\n", ("no-dynamic-lookup", ".gi_frame")),
        ("def f(x, __quizzer_entered__=print):\n    return x\n", ("no-private", "__quizzer_entered__")),
        ("def __quizzer_entered__():\n    pass\ndef f(x):\n    return x\n", ("no-private", "__quizzer_entered__")),
    ],
)
def test_what_could_forge_or_silence_the_record_is_a_violation(code: str, broken: tuple[str, str]) -> None:
    assert broken in {(v.rule, v.subject) for v in check_syntax(code, NO_LOOPS, "f")}


def test_in_memory_buffers_are_not_the_interpreter() -> None:
    assert check_syntax("import io\ndef f(x):\n    torch.save(x, io.BytesIO())\n    return x\n", NO_LOOPS, "f") == []


def test_special_methods_of_a_class_are_not_private_names() -> None:
    code = "class Box:\n    def __init__(self, x):\n        self.x = x\n    def __len__(self):\n        return 1\ndef f(x):\n    return Box(x).x\n"
    assert check_syntax(code, NO_LOOPS, "f") == []
