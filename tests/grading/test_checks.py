"""Judging outcomes directly (in this process): what counts as the same result."""

from __future__ import annotations

import torch

from quizzer.grading.checks import Tolerance, judge_call
from quizzer.grading.execution import CallOutcome

ALL = ["value", "shape", "dtype"]
DEFAULT_TOLERANCE = Tolerance()


def judged(expected: CallOutcome, got: CallOutcome, aspects: list[str] = ALL, tolerance: Tolerance = DEFAULT_TOLERANCE) -> list[tuple[str, bool]]:
    return [(c.name, c.passed) for c in judge_call("example 1", "f(x)", expected, got, aspects, tolerance)]


def test_a_tuple_and_a_list_of_the_same_values_match() -> None:
    expected = CallOutcome(output=(torch.ones(2), 3))
    assert all(passed for _, passed in judged(expected, CallOutcome(output=[torch.ones(2), 3])))


def test_float32_values_match_within_the_default_tolerance_and_not_beyond() -> None:
    expected = CallOutcome(output=torch.tensor([1.0, 2.0]))
    assert judged(expected, CallOutcome(output=torch.tensor([1.0, 2.0 + 1e-6])), ["value"]) == [("value", True)]
    assert judged(expected, CallOutcome(output=torch.tensor([1.0, 2.001])), ["value"]) == [("value", False)]


def test_a_drill_tolerance_replaces_the_default() -> None:
    expected = CallOutcome(output=torch.tensor([1.0, 2.0]))
    assert judged(expected, CallOutcome(output=torch.tensor([1.0, 2.001])), ["value"], Tolerance(atol=0.01)) == [("value", True)]


def test_nan_matches_nan() -> None:
    expected = CallOutcome(output=torch.tensor([float("nan"), 1.0]))
    assert judged(expected, CallOutcome(output=torch.tensor([float("nan"), 1.0])), ["value"]) == [("value", True)]


def test_where_the_reference_has_no_gradient_the_learners_must_be_zero() -> None:
    expected = CallOutcome(output=torch.ones(2), grad_error="no grad_fn")
    nonzero = CallOutcome(output=torch.ones(2), grads=[torch.ones(2)])
    zero = CallOutcome(output=torch.ones(2), grads=[torch.zeros(2)])
    assert judged(expected, nonzero, ["grad"]) == [("grad", False)]
    assert judged(expected, zero, ["grad"]) == [("grad", True)]


def test_gradients_must_come_one_per_argument() -> None:
    expected = CallOutcome(output=torch.ones(2), grads=[torch.ones(2), None])
    assert judged(expected, CallOutcome(output=torch.ones(2), grads=[]), ["grad"]) == [("grad", False)]
