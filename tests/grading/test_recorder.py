"""What learner code runs is recorded and judged on its own, without the syntax check: each
walk-around of the syntax rules is still caught by the operators it executes. (The code runs
in this process here, to isolate the recorder; graded attempts run it in the sandbox child.)"""

from __future__ import annotations

import ast
from typing import Any

import pytest
import torch

from quizzer.grading.execution import LEARNER_FILE, call, define, namespace
from quizzer.grading.recorder import Recorder
from quizzer.grading.rules import RuleSet, Violation, judge_record

CUMSUM_PUZZLE = RuleSet.of({
    "rules": ["no-loops", "no-call:torch.cumsum"],
    "allow": ["torch.arange", "torch.where", "indexing", "arithmetic", "comparison", "shape"],
})
NO_CUMSUM = RuleSet.of({"rules": ["no-call:torch.cumsum"]})
NO_LOOPS = RuleSet.of({"rules": ["no-loops"]})
SEAL = "the attempt's secret"


def recorded(code: str, *args: Any) -> dict[str, Any]:
    """The record of defining ``code`` and calling its ``f`` once, as the sandbox child sends it."""
    recorder = Recorder(SEAL)
    tree, hook = recorder.hooked(ast.parse(code))
    with recorder.window():
        function = define(code, LEARNER_FILE, namespace() | hook, tree)["f"]
    outcome = call(function, args, {}, None, False, recorder.window)
    assert outcome.error is None, outcome.error
    return recorder.record()


def judged(code: str, rules: RuleSet) -> list[Violation]:
    return judge_record(recorded(code, torch.arange(1.0, 6.0)), rules, 2, SEAL)


@pytest.mark.parametrize(
    ("code", "subject"),
    [
        ("def f(a):\n    return torch.cumsum(a, 0)\n", "torch.cumsum"),
        ("def f(a):\n    return a.cumsum(0)\n", "Tensor.cumsum"),
        ("def f(a):\n    return torch.ops.aten.cumsum(a, 0)\n", "torch.ops.aten.cumsum"),
        ("def f(a):\n    return torch.ops.aten.cumsum.default(a, 0)\n", "torch.ops.aten.cumsum"),
        ("def f(a):\n    return torch._C._VariableFunctions.cumsum(a, 0)\n", "torch.cumsum"),
        ("def f(a):\n    return a.clone().cumsum_(0)\n", "Tensor.cumsum_"),
        ("def f(a):\n    return getattr(torch, 'cum' + 'sum')(a, 0)\n", "torch.cumsum"),
    ],
)
def test_every_spelling_of_a_denied_operator_is_seen_running(code: str, subject: str) -> None:
    (violation,) = judged(code, NO_CUMSUM)
    assert (violation.rule, violation.reason, violation.subject, violation.line) == ("no-call:torch.cumsum", "denied", subject, 2)


def test_an_operator_reached_inside_another_function_is_still_denied() -> None:
    found = judged("def f(a):\n    return torch.nn.functional.softmax(a, 0)\n", RuleSet.of({"rules": ["no-call:torch.softmax"]}))
    assert [(v.rule, v.subject) for v in found] == [("no-call:torch.softmax", "torch.nn.functional.softmax")]
    inside = judged("def f(a):\n    return torch.nn.functional.gumbel_softmax(a, tau=1.0)\n", RuleSet.of({"rules": ["no-call:torch.softmax"]}))
    assert ("no-call:torch.softmax", "aten._softmax") in {(v.rule, v.subject) for v in inside}


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("def f(a):\n    return a * 0 + sum(a)\n", "iteration"),
        ("def f(a):\n    return torch.stack(tuple(a))\n", "iteration"),
        ("def f(a):\n    return max(a)\n", "iteration"),
        ("def f(a):\n    g = lambda h, k: a[:1] if k == 1 else h(h, k - 1)\n    return g(g, a.shape[0])\n", "recursion"),
        ("def f(a):\n    return g(a, 3)\ndef g(a, n):\n    return a if n == 0 else h(a, n)\ndef h(a, n):\n    return g(a, n - 1) + 0\n", "recursion"),
    ],
)
def test_looping_without_loop_syntax_is_seen_running(code: str, reason: str) -> None:
    assert reason in {v.reason for v in judged(code, NO_LOOPS)}


def test_an_allow_list_names_the_first_call_it_does_not_allow() -> None:
    found = judged("def f(a):\n    b = a.new_tensor([0.0])\n    return a + b.float()\n", CUMSUM_PUZZLE)
    assert [(v.rule, v.subject, v.line) for v in found] == [("allow", "Tensor.new_tensor", 2), ("allow", "Tensor.float", 3)]


def test_allowed_operations_and_what_they_run_inside_pass() -> None:
    code = "def f(a):\n    i = torch.arange(a.shape[0])\n    return (torch.where(i[:, None] >= i, a, 0) * 1).__matmul__(i * 0 + 1.0)\n"
    assert judged(code, RuleSet.of({"allow": ["torch.arange", "torch.where", "indexing", "arithmetic", "comparison", "shape", "matmul"]})) == []


def test_the_canary_proves_each_window_was_watched() -> None:
    record = recorded("def f(a):\n    return a\n", torch.ones(2))
    assert [w["canary"] for w in record["windows"]] == [[True, True], [True, True]]
    assert record["windows"][1]["entered"] == 1 and all(w["intact"] for w in record["windows"])


@pytest.mark.parametrize(
    ("change", "subject"),
    [
        (lambda r: r["windows"][1].update(canary=[True, False]), "was tampered with"),
        (lambda r: r["windows"][1].update(intact=False), "was tampered with"),
        (lambda r: r["windows"][1].update(entered=0), "does not add up"),
        (lambda r: r.update(seal="guessed"), "was tampered with"),
    ],
)
def test_a_record_that_does_not_add_up_is_a_violation(change: Any, subject: str) -> None:
    record = recorded("def f(a):\n    return a\n", torch.ones(2))
    change(record)
    (violation,) = judge_record(record, NO_LOOPS, 2, SEAL)
    assert (violation.rule, violation.subject) == ("record", subject)


@pytest.mark.parametrize(
    "record",
    [None, {}, {"seal": SEAL, "windows": [{}]},
     {"seal": SEAL, "windows": [{"entered": 1, "intact": True, "canary": [True, True], "events": [["torch", 1, "", 2]]}] * 2}],
)
def test_a_malformed_record_is_refused(record: Any) -> None:
    with pytest.raises(ValueError):
        judge_record(record, NO_LOOPS, 2, SEAL)


def test_functions_torch_compiles_into_private_namespaces_keep_their_public_names() -> None:
    """F.linear is torch._C._nn.linear underneath: calling it is not touching the dispatcher."""
    code = "def f(a):\n    return F.gelu(F.linear(a[None, :], torch.ones(2, 5))) + torch.special.expit(a).sum()\n"
    record = recorded(code, torch.arange(1.0, 6.0))
    names = {name for kind, name, _, _ in record["windows"][1]["events"] if kind == "torch"}
    assert {"torch.nn.functional.linear", "torch.nn.functional.gelu", "torch.special.expit"} <= names
    assert judge_record(record, RuleSet.of({"rules": ["no-call:torch.nn.functional.scaled_dot_product_attention"]}), 2, SEAL) == []
    allowed = RuleSet.of({"allow": ["torch.nn.functional.linear", "torch.nn.functional.gelu", "torch.special.expit", "Tensor.sum",
                                    "arithmetic", "indexing", "torch.ones"]})
    assert judge_record(record, allowed, 2, SEAL) == []
