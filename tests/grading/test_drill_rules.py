"""Graded attempts at a cumsum puzzle (only arange, where, indexing, arithmetic, comparison and
shape allowed): each way around the rules fails with the rule it broke, whether the syntax
check or the record of what ran in the sandbox child caught it."""

from __future__ import annotations

from typing import Any

import pytest

from quizzer.grading.client import GradingClient
from quizzer.services.feedback import format_result
from tests.grading.conftest import drill

CUMSUM: dict[str, Any] = {
    "id": "puzzle-cumsum",
    "kind": "write",
    "function": "cumsum",
    "reference": "def cumsum(a):\n    i = torch.arange(a.shape[0])\n    return torch.where(i[None, :] <= i[:, None], a, 0) @ (i * 0 + 1.0)\n",
    "examples": ["torch.tensor([1.0, 2.0, 3.0])"],
    "generator": "def generate(g, rng, params):\n    return (torch.randn(rng.randint(1, 8), generator=g),)\n",
    "rules": ["no-loops"],
    "allow": ["torch.arange", "torch.where", "indexing", "arithmetic", "comparison", "shape", "matmul"],
}


def violations(client: GradingClient, code: str, drill: dict[str, Any] = CUMSUM) -> set[tuple[str, str]]:
    result = client.grade(drill, code, seed=3)
    assert (result.verdict, result.cause) == ("fail", "rule-violation"), (result.cause, result.cause_detail)
    return {(v["rule"], v["subject"]) for v in result.violations}


def test_the_reference_passes_within_its_rules(client: GradingClient) -> None:
    assert client.grade(CUMSUM, CUMSUM["reference"], seed=3).passed


@pytest.mark.parametrize(
    ("code", "broken"),
    [
        ("def cumsum(a):\n    return torch.cumsum(a, 0)\n", ("allow", "torch.cumsum")),
        ("def cumsum(a):\n    return torch.ops.aten.cumsum(a, 0)\n", ("no-dispatcher", "torch.ops.aten.cumsum")),
        ("def cumsum(a):\n    return torch._C._VariableFunctions.cumsum(a, 0)\n", ("no-dispatcher", "torch._C._VariableFunctions.cumsum")),
        ("def cumsum(a):\n    return (a * 1).cumsum_(0)\n", ("allow", "Tensor.cumsum_")),
        ("def cumsum(a):\n    return a if a.shape[0] < 2 else torch.where(torch.arange(a.shape[0]) < 1, a, cumsum(a[:-1])[-1:] + a)\n",
         ("no-loops", "cumsum")),
        ("def cumsum(a):\n    return a * 0 + list(map(lambda x: x, a))[0]\n", ("no-loops", "map")),
        ("import itertools\ndef cumsum(a):\n    return a.new_tensor(list(itertools.accumulate(a.tolist())))\n", ("no-loops", "itertools")),
        ("def cumsum(a):\n    return a * 0 + max(a)\n", ("no-loops", "Tensor.__iter__")),
        ("def cumsum(a):\n    g = lambda h, k: a[:1] if k == 1 else h(h, k - 1)\n    return a * 0 + g(g, a.shape[0])\n",
         ("no-loops", "cumsum.<locals>.<lambda>")),
        ("from torch.utils._python_dispatch import _disable_current_modes\ndef cumsum(a):\n    return a\n",
         ("no-dispatcher", "torch.utils._python_dispatch")),
        ("def cumsum(a):\n    return a.new_tensor([0.0]) + a\n", ("allow", "Tensor.new_tensor")),
    ],
)
def test_each_way_around_the_rules_fails_with_a_named_rule(client: GradingClient, code: str, broken: tuple[str, str]) -> None:
    assert broken in violations(client, code)


def test_a_denied_operator_spelled_dynamically_is_caught_where_it_runs(client: GradingClient) -> None:
    deny = {**CUMSUM, "rules": ["no-call:torch.cumsum"]}
    del deny["allow"]
    code = "def cumsum(a):\n    name = ''.join(['cum', 's', 'um'])\n    return torch.Tensor.__dict__[name](a, 0)\n"
    assert violations(client, code, deny)  # a dunder look-up on the tree
    code = "def cumsum(a):\n    return a.cumsum(0)\n"
    assert ("no-call:torch.cumsum", ".cumsum()") in violations(client, code, deny)


def test_the_violation_is_shown_in_the_learners_language(client: GradingClient) -> None:
    result = client.grade(CUMSUM, "def cumsum(a):\n    return torch.cumsum(a, 0)\n", seed=3)
    assert "第 2 行：用了 torch.cumsum，它不在本题允许的列表里（规则 allow）" in format_result(result, "zh")
    assert "line 2: uses torch.cumsum, which is not in this drill's allow-list (allow)" in format_result(result, "en")


def test_one_liner_rules_fail_a_longer_body(client: GradingClient) -> None:
    one_line = {**CUMSUM, "rules": ["max-lines:1", "max-columns:120"]}
    assert client.grade(one_line, CUMSUM["reference"], seed=3).passed is False
    code = "def cumsum(a):\n    return torch.where(torch.arange(a.shape[0])[None, :] <= torch.arange(a.shape[0])[:, None], a, 0) @ (a * 0 + 1)\n"
    assert client.grade(one_line, code, seed=3).passed


def test_broadcast_accepts_an_output_that_broadcasts_to_the_expected_shape(client: GradingClient) -> None:
    ones = {
        "id": "puzzle-ones-rows", "kind": "write", "function": "rows",
        "reference": "def rows(a, n):\n    return a[None, :] + torch.arange(n)[:, None] * 0\n",
        "examples": ["torch.tensor([1.0, 2.0]), 3"],
    }
    lazy = "def rows(a, n):\n    return a[None, :]\n"
    assert client.grade(ones, lazy, seed=0).passed is False
    assert client.grade({**ones, "compare": ["value", "shape", "dtype", "broadcast"]}, lazy, seed=0).passed


def test_a_used_drills_reference_is_in_scope_and_its_operations_are_trusted(client: GradingClient) -> None:
    ones = {"id": "puzzle-ones", "function": "ones", "reference": "def ones(i):\n    return torch.ones(i)\n"}
    total = {**CUMSUM, "id": "puzzle-sum", "function": "total", "used": [ones],
             "reference": "def total(a):\n    return a @ ones(a.shape[0])\n", "examples": ["torch.tensor([1.0, 2.0])"]}
    assert client.grade(total, "def total(a):\n    return ones(a.shape[0]) @ a\n", seed=1).passed
    assert ("allow", "torch.ones") in violations(client, "def total(a):\n    return torch.ones(a.shape[0]) @ a\n", total)


def test_an_existing_drills_denied_call_is_caught_running_when_the_syntax_cannot_see_it(client: GradingClient) -> None:
    """nn.Softmax is not the name `softmax` on the tree, but it runs torch.nn.functional.softmax."""
    rules = drill("softmax-no-builtin")
    result = client.grade(rules, "def softmax(x):\n    return torch.nn.Softmax(dim=1)(x)\n", seed=1)
    assert (result.cause, {v["rule"] for v in result.violations}) == ("rule-violation", {"no-call:torch.softmax"})
