"""Grading results as the learner reads them."""

from __future__ import annotations

from quizzer.grading.protocol import CAUSES, Check, GradeResult
from quizzer.services.feedback import CAUSE_NAMES, format_result


def test_the_same_failure_on_several_calls_is_shown_once_with_a_count() -> None:
    same = [Check("error", False, None, "RuntimeError: boom", "", call=f"random case {n}") for n in range(1, 8)]
    text = format_result(GradeResult("fail", checks=same))
    assert text.count("RuntimeError: boom") == 1
    assert "✗ error on random case 1  (and 6 more calls alike)" in text


def test_different_failures_are_each_shown() -> None:
    checks = [Check("value", False, "1", "2", "", call="example 1"), Check("shape", False, "(2,)", "(3,)", "", call="example 2")]
    text = format_result(GradeResult("fail", checks=checks))
    assert "✗ value on example 1" in text and "✗ shape on example 2" in text and "0/2 checks passed" in text


def test_every_cause_a_result_can_carry_has_a_name_in_words() -> None:
    assert set(CAUSE_NAMES) == set(CAUSES)
