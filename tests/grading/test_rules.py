"""Drill rules are found on the syntax tree, whatever the spelling."""

from __future__ import annotations

import pytest

from quizzer.grading.rules import check_rules

NO_SOFTMAX = ["no-call:torch.softmax"]


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
    ],
)
def test_every_spelling_of_a_forbidden_call_is_found(code: str) -> None:
    assert check_rules(code, NO_SOFTMAX)


@pytest.mark.parametrize(
    "code",
    [
        "def f(x):\n    e = x.exp()\n    return e / e.sum(1, keepdim=True)\n",
        "def f(x):\n    return F.log_softmax(x, 1).exp()\n",
        "def f(x):\n    return torch.nn.Softmax(dim=1)(x)\n",
    ],
)
def test_other_calls_are_allowed(code: str) -> None:
    assert check_rules(code, NO_SOFTMAX) == []


def test_a_violation_names_its_line_and_rule() -> None:
    (violation,) = check_rules("def f(x):\n    y = x\n    return F.softmax(y, 1)\n", NO_SOFTMAX)
    assert str(violation) == "line 3: uses torch.nn.functional.softmax, which this drill asks you not to use (no-call:torch.softmax)"


@pytest.mark.parametrize(
    ("code", "what"),
    [
        ("def f(x):\n    for r in x:\n        pass\n", "uses a for loop"),
        ("def f(x):\n    while x:\n        pass\n", "uses a while loop"),
        ("def f(x):\n    return [r for r in x]\n", "uses a list comprehension"),
        ("def f(x):\n    return sum(r for r in x)\n", "uses a generator expression"),
    ],
)
def test_no_loops_finds_loops_and_comprehensions(code: str, what: str) -> None:
    (violation,) = check_rules(code, ["no-loops"])
    assert (violation.line, violation.what) == (2, what)


def test_vectorised_code_has_no_loops() -> None:
    assert check_rules("def f(x):\n    return (x - x.mean(0)).abs().sum(1)\n", ["no-loops"]) == []
