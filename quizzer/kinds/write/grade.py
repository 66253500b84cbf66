"""How the grading service judges a write drill: the rules on the code's syntax tree, then
the learner's function called in the sandbox on the examples and generated cases, each call
compared with the reference's. Imported only by the grading service (it needs torch)."""

from __future__ import annotations

import ast
import traceback
from typing import TYPE_CHECKING, Any

from quizzer.grading.checks import Tolerance, judge_call
from quizzer.grading.execution import LEARNER_FILE, CallOutcome, is_memory_error
from quizzer.grading.protocol import CaseRun, GradeResult, RunResult
from quizzer.grading.rules import RuleSet, Violation, judge_record
from quizzer.grading.rules_syntax import check_syntax
from quizzer.grading.trusted import Cache, write_plan
from quizzer.kinds.write.spec import DEFAULT_COMPARE

if TYPE_CHECKING:
    from quizzer.grading.service import Grader


def grade(
    grader: Grader, drill: dict[str, Any], filled: dict[str, Any], code: str, seed: int, params: dict[str, Any]
) -> GradeResult:
    if syntax := _syntax_error(code):
        return GradeResult("fail", cause="syntax-error", cause_detail=syntax[0], traceback=syntax[1])
    rules = RuleSet.of(filled)
    if violations := check_syntax(code, rules, filled["function"]):
        return _violated(violations)
    plan = grader.cache.get(
        Cache.key(drill, seed, params, "grade"), lambda: write_plan(filled, seed, params, graded=True)
    )
    outcome = grader.sandbox(filled, code, plan, record=rules.watches_execution)
    result = GradeResult(
        "fail", cause=outcome.cause, cause_detail=outcome.detail, traceback=outcome.traceback, stdout=outcome.stdout
    )
    if outcome.cause:
        return result
    if rules.watches_execution:
        try:
            violations = judge_record(outcome.record, rules, len(plan.cases) + 1, outcome.seal)
        except ValueError as exc:
            violations = [Violation("record", 0, "record", "does not add up")]
            result.traceback = f"the record was rejected: {exc}"
        if violations:
            return _violated(violations, result)
    aspects = filled.get("compare", DEFAULT_COMPARE)
    tolerance = Tolerance(filled.get("rtol"), filled.get("atol"))
    for case, got in zip(plan.cases, outcome.calls, strict=False):
        assert case.expected is not None  # a graded plan has the reference's outcomes
        result.checks += judge_call(case.label, case.shown, case.expected, got, aspects, tolerance)
        if got.error is not None and case.expected.error is None:
            result.traceback = result.traceback or got.error["traceback"]
            if is_memory_error(got.error):
                result.cause = "memory"
                result.cause_detail = f"{case.label}: {got.error['type']}: {got.error['message']}"
    result.verdict = "pass" if result.cause is None and all(c.passed for c in result.checks) else "fail"
    return result


def run(
    grader: Grader, drill: dict[str, Any], filled: dict[str, Any], code: str, seed: int, params: dict[str, Any]
) -> RunResult:
    """The learner's code on the examples, each call's result shown as is."""
    result = RunResult(params=params, seed=seed)
    if syntax := _syntax_error(code):
        result.cause, result.cause_detail, result.traceback = "syntax-error", *syntax
        return result
    plan = grader.cache.get(
        Cache.key(drill, seed, params, "run"), lambda: write_plan(filled, seed, params, graded=False)
    )
    outcome = grader.sandbox(filled, code, plan)
    result.cause, result.cause_detail = outcome.cause, outcome.detail
    result.traceback, result.stdout = outcome.traceback, outcome.stdout
    calls = zip(plan.cases, outcome.calls, strict=False)
    result.cases = [_case_run(case.label, case.shown, got) for case, got in calls]
    return result


def _violated(violations: list[Violation], result: GradeResult | None = None) -> GradeResult:
    """A failed attempt whose cause is the rules it broke (each also as data, for the learner's language)."""
    result = result or GradeResult("fail")
    result.verdict, result.cause, result.cause_detail = "fail", "rule-violation", "; ".join(map(str, violations))
    result.violations = [v.to_dict() for v in violations]
    return result


def _syntax_error(code: str) -> tuple[str, str] | None:
    """``(detail, traceback)`` of the code's syntax error, with the editor's line numbers."""
    try:
        ast.parse(code, LEARNER_FILE)
    except SyntaxError as exc:
        return f"line {exc.lineno}: {exc.msg}", "".join(traceback.format_exception_only(exc))
    return None


def _case_run(label: str, shown: str, got: CallOutcome) -> CaseRun:
    if got.error is not None:
        return CaseRun(label, shown, error=f"{got.error['type']}: {got.error['message']}")
    if got.unsupported is not None:
        return CaseRun(label, shown, error=f"returned an object of type {got.unsupported}")
    return CaseRun(label, shown, output=repr(got.output))
