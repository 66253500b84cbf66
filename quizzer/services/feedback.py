"""Grading results as text a learner reads: the CLI prints it, the drill screen shows it."""

from __future__ import annotations

from quizzer.grading.protocol import Cause, Check, GradeResult, RunResult
from quizzer.grading.rules import Violation
from quizzer.vocabulary import Showing

CAUSE_NAMES: dict[Cause, str] = {
    "timeout": "time limit", "memory": "memory limit", "crash": "crashed", "exception": "error while defining your code",
    "missing-function": "function missing", "syntax-error": "syntax error", "rule-violation": "rule broken",
    "output-limit": "too much output", "exited": "exited early", "service-restarted": "grader restarted",
    "unreadable-answer": "answer not understood",
}
MAX_FAILED_SHOWN = 5
"""Failed checks listed in full; the rest are counted (the first few teach the most)."""


def format_result(result: GradeResult, language: Showing = "en") -> str:
    """The result as text; broken rules in ``language`` (zh, en or both)."""
    lines = [("PASS · 通过" if result.passed else "FAIL · 未通过") + f"  ({result.duration_ms:.0f} ms)"]
    if result.params:
        lines.append("instance: " + ", ".join(f"{k}={v}" for k, v in result.params.items()))
    if result.violations:
        lines.append("rule broken · 违反规则:")
        languages = ("zh", "en") if language == "both" else (language,)
        lines += [f"✗ {Violation(**v).message(lang)}" for v in result.violations for lang in languages]
    elif result.cause:
        lines.append(f"{CAUSE_NAMES[result.cause]}: {result.cause_detail}")
    failed = [check for check in result.checks if not check.passed]
    passed = len(result.checks) - len(failed)
    alike: dict[tuple[str, str | None, str | None, str], list[Check]] = {}
    for check in failed:  # the same failure on several calls is shown once, with a count
        alike.setdefault((check.name, check.expected, check.got, check.detail), []).append(check)
    if result.checks:
        lines.append(f"{passed}/{len(result.checks)} checks passed")
    for same in list(alike.values())[:MAX_FAILED_SHOWN]:
        check, again = same[0], len(same) - 1
        where = f" on {check.call}" if check.call else ""
        lines.append(f"✗ {check.name}{where}" + (f": {check.args}" if check.args else "")
                     + (f"  (and {again} more call{'s' if again > 1 else ''} alike)" if again else ""))
        if check.expected is not None:
            lines.append(f"    expected {check.expected}")
        if check.got is not None:
            lines.append(f"    got      {check.got}")
        if check.detail:
            lines.append(f"    {check.detail}")
    if len(alike) > MAX_FAILED_SHOWN:
        lines.append(f"… and {len(alike) - MAX_FAILED_SHOWN} more kinds of failure")
    lines += _output(result.traceback, result.stdout)
    return "\n".join(lines)


def format_run(run: RunResult) -> str:
    lines = [f"ran on the examples ({run.duration_ms:.0f} ms)"]
    if run.cause:
        lines.append(f"{CAUSE_NAMES[run.cause]}: {run.cause_detail}")
    for case in run.cases:
        lines.append(f"{case.label}: {case.call}")
        lines.append(f"    → {case.output}" if case.error is None else f"    raised {case.error}")
    lines += _output(run.traceback, run.stdout)
    return "\n".join(lines)


def _output(traceback: str, stdout: str) -> list[str]:
    lines = []
    if traceback:
        lines += ["", traceback.rstrip()]
    if stdout:
        lines += ["", "printed:", stdout.rstrip()]
    return lines
