"""Grading results as text a learner reads: the CLI prints it, the drill screen shows it.

Headings and names follow the language setting (``zh``, ``en``, or both as ``en · zh``); the
learner's own code, values and tracebacks are shown as they came.
"""

from __future__ import annotations

from quizzer.grading.protocol import Cause, Check, GradeResult, RunResult
from quizzer.grading.rules import Violation
from quizzer.vocabulary import Showing, said

CAUSE_NAMES: dict[Cause, tuple[str, str]] = {
    "timeout": ("time limit", "超时"), "memory": ("memory limit", "超出内存限制"), "crash": ("crashed", "崩溃"),
    "exception": ("error while defining your code", "定义代码时出错"), "missing-function": ("function missing", "缺少函数"),
    "syntax-error": ("syntax error", "语法错误"), "rule-violation": ("rule broken", "违反规则"),
    "output-limit": ("too much output", "输出过多"), "exited": ("exited early", "提前退出"),
    "service-restarted": ("grader restarted", "评分服务已重启"), "unreadable-answer": ("answer not understood", "无法理解答案"),
}
"""Each cause of a failed attempt in words, English and Chinese."""
HEADINGS: dict[str, tuple[str, str]] = {
    "pass": ("PASS", "通过"), "fail": ("FAIL", "未通过"), "instance": ("instance", "本题参数"), "rules": ("rule broken", "违反规则"),
    "checks": ("{passed}/{total} checks passed", "{passed}/{total} 项检查通过"), "expected": ("expected", "期望"), "got": ("got", "得到"),
    "printed": ("printed", "输出"), "ran": ("ran on the examples", "示例运行结果"), "raised": ("raised", "抛出"),
    "more": ("more kinds of failure", "种其他失败"), "hint": ("hint", "提示"), "reference": ("reference", "参考答案"),
    "grading": ("grading…", "评分中…"), "running": ("running on the examples…", "运行示例中…"),
    "gave up": ("Gave up: the solution is below.", "已放弃：答案见下方。"),
}
"""The feedback's own words, English and Chinese (``said`` picks by the language setting)."""
MAX_FAILED_SHOWN = 5
"""Failed checks listed in full; the rest are counted (the first few teach the most)."""


def format_result(result: GradeResult, language: Showing = "en") -> str:
    """The result as text, the verdict on its first line (the drill screen keeps that line in
    view); headings and broken rules in ``language`` (zh, en or both)."""
    def say(key: str) -> str:
        return said(HEADINGS[key], language)

    lines = [say("pass" if result.passed else "fail") + f"  ({result.duration_ms:.0f} ms)"]
    if result.params:
        lines.append(f"{say('instance')}: " + ", ".join(f"{k}={v}" for k, v in result.params.items()))
    if result.violations:
        lines.append(f"{say('rules')}:")
        languages = ("zh", "en") if language == "both" else (language,)
        lines += [f"✗ {Violation(**v).message(lang)}" for v in result.violations for lang in languages]
    elif result.cause:
        lines.append(f"{said(CAUSE_NAMES[result.cause], language)}: {result.cause_detail}")
    failed = [check for check in result.checks if not check.passed]
    passed = len(result.checks) - len(failed)
    alike: dict[tuple[str, str | None, str | None, str], list[Check]] = {}
    for check in failed:  # the same failure on several calls is shown once, with a count
        alike.setdefault((check.name, check.expected, check.got, check.detail), []).append(check)
    if result.checks:
        lines.append(say("checks").format(passed=passed, total=len(result.checks)))
    width = max(len(say("expected")), len(say("got")))
    for same in list(alike.values())[:MAX_FAILED_SHOWN]:
        check, again = same[0], len(same) - 1
        where = f" on {check.call}" if check.call else ""
        lines.append(f"✗ {check.name}{where}" + (f": {check.args}" if check.args else "")
                     + (f"  (and {again} more call{'s' if again > 1 else ''} alike)" if again else ""))
        if check.expected is not None:
            lines.append(f"    {say('expected'):<{width}} {check.expected}")
        if check.got is not None:
            lines.append(f"    {say('got'):<{width}} {check.got}")
        if check.detail:
            lines.append(f"    {check.detail}")
    if len(alike) > MAX_FAILED_SHOWN:
        lines.append(f"… {len(alike) - MAX_FAILED_SHOWN} {say('more')}")
    return "\n".join(lines + _output(result.traceback, result.stdout, language))


def format_run(run: RunResult, language: Showing = "en") -> str:
    """What each example returned, under a first line that says it ran."""
    lines = [f"{said(HEADINGS['ran'], language)} ({run.duration_ms:.0f} ms)"]
    if run.cause:
        lines.append(f"{said(CAUSE_NAMES[run.cause], language)}: {run.cause_detail}")
    for case in run.cases:
        lines.append(f"{case.label}: {case.call}")
        lines.append(f"    → {case.output}" if case.error is None else f"    {said(HEADINGS['raised'], language)} {case.error}")
    lines += _output(run.traceback, run.stdout, language)
    return "\n".join(lines)


def _output(traceback: str, stdout: str, language: Showing) -> list[str]:
    lines = []
    if traceback:
        lines += ["", traceback.rstrip()]
    if stdout:
        lines += ["", f"{said(HEADINGS['printed'], language)}:", stdout.rstrip()]
    return lines
