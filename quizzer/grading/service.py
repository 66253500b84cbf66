"""The grading service: ``python -m quizzer.grading.service REQUEST_FD REPLY_FD WORKSPACE``.

Started by ``GradingClient`` in the background. It imports torch once (one thread), forks its
zygote before reading any request (so learner children never inherit a drill, a reference or a
cached output), then answers framed JSON requests one at a time:
``{"op": "grade" | "run", "drill": {...}, "submission": "...", "seed": n, "params": {...}}``
→ ``{"result": {...}}`` or ``{"error": "..."}`` (misuse, or a drill whose own code is broken).

The service runs trusted code itself (``trusted``), never learner code: that runs in a sandbox
child of the zygote, and the verdict is computed here from the data the child sent back. The
service is not dumpable, so a same-uid child could not read its memory through /proc either.
If the zygote is lost, the attempt is answered as ``service-restarted`` and the service
re-executes itself on the same pipes, to fork a clean zygote from a process that holds nothing.
"""

from __future__ import annotations

import ast
import io
import os
import secrets
import signal
import sys
import time
import traceback
from dataclasses import dataclass, field
from typing import Any, cast

import torch

from quizzer.errors import GradingError, QuizzerError
from quizzer.grading import confine
from quizzer.grading.answers import UnreadableAnswer, parse_answer
from quizzer.grading.checks import Tolerance, judge_answer, judge_call
from quizzer.grading.execution import KEY_TYPES, LEARNER_FILE, MAX_DEPTH, CallOutcome, warm_up
from quizzer.grading.instance import kind_of, resolve
from quizzer.grading.protocol import (
    CallError,
    CaseRun,
    Cause,
    ChildExit,
    GradeResult,
    Job,
    Reply,
    Request,
    RunResult,
    decode_frame,
    read_frame,
    write_frame,
)
from quizzer.grading.rules import RuleSet, Violation, judge_record
from quizzer.grading.rules_syntax import check_syntax
from quizzer.grading.sandbox import OUTPUT_LIMIT, Zygote, ZygoteLost
from quizzer.grading.trusted import DEFAULT_TIME_LIMIT, Cache, Plan, predict_truth, write_plan

DEFAULT_COMPARE = ["value", "shape", "dtype"]
MEMORY_ERRORS = ("MemoryError",)
MEMORY_MESSAGES = ("can't allocate memory", "not enough memory", "out of memory")


@dataclass
class LearnerRun:
    """What the sandbox reported: a cause that ends the attempt, or one outcome per call."""

    calls: list[CallOutcome] = field(default_factory=list)
    cause: Cause | None = None
    detail: str = ""
    traceback: str = ""
    stdout: str = ""
    record: Any = None
    """What the learner's code ran, as the child reported it (only when rules ask for it)."""
    seal: str = ""
    """The secret the record must carry back: only the child's recorder was given it."""


class Grader:
    """Answers requests; holds the zygote and the cache of trusted results."""

    def __init__(self, zygote: Zygote) -> None:
        self.zygote = zygote
        self.cache = Cache()
        self.zygote_lost = False

    def handle(self, request: Request) -> Reply:
        op = request.get("op")
        try:
            drill, submission, seed = request["drill"], request["submission"], int(request["seed"])
            if op == "grade":
                return {"result": self.grade(drill, submission, seed, request.get("params")).to_dict()}
            if op == "run":
                return {"result": self.run(drill, submission, seed, request.get("params")).to_dict()}
            raise GradingError(f"unknown request {op!r}")
        except ZygoteLost as exc:
            self.zygote_lost = True
            detail = f"the grading sandbox was lost ({exc}) and is being restarted; try again"
            lost = (GradeResult.failure("service-restarted", detail, seed=0, params={}) if op == "grade"
                    else RunResult(cause="service-restarted", cause_detail=detail))
            return {"result": lost.to_dict(), "restarting": True}
        except QuizzerError as exc:
            return {"error": exc.message}
        except Exception as exc:  # a malformed request or a bug here: say so, and stay up
            traceback.print_exc()
            return {"error": f"the grading service failed on this request: {type(exc).__name__}: {exc}"}

    def grade(self, drill: dict[str, Any], submission: str, seed: int, params: dict[str, Any] | None) -> GradeResult:
        started = time.perf_counter()
        filled, chosen = resolve(drill, seed, params)
        kind = kind_of(drill)
        if kind == "write":
            result = self._grade_write(drill, filled, submission, seed, chosen)
        elif kind == "predict":
            result = self._grade_predict(drill, filled, submission, seed, chosen)
        else:
            raise GradingError(f"{drill.get('id')} is a {kind} item, not a drill")
        result.seed, result.params = seed, chosen
        result.duration_ms = (time.perf_counter() - started) * 1000
        return result

    def run(self, drill: dict[str, Any], code: str, seed: int, params: dict[str, Any] | None) -> RunResult:
        started = time.perf_counter()
        if kind_of(drill) != "write":
            raise GradingError(f"{drill.get('id')}: only write drills can be run on their examples")
        filled, chosen = resolve(drill, seed, params)
        result = RunResult(params=chosen, seed=seed)
        if syntax := _syntax_error(code):
            result.cause, result.cause_detail, result.traceback = "syntax-error", *syntax
        else:
            plan = self.cache.get(Cache.key(drill, seed, chosen, "run"), lambda: write_plan(filled, seed, chosen, graded=False))
            outcome = self._sandbox(filled, code, plan)
            result.cause, result.cause_detail, result.traceback, result.stdout = outcome.cause, outcome.detail, outcome.traceback, outcome.stdout
            result.cases = [_case_run(case.label, case.shown, got) for case, got in zip(plan.cases, outcome.calls, strict=False)]
        result.duration_ms = (time.perf_counter() - started) * 1000
        return result

    def _grade_write(self, drill: dict[str, Any], filled: dict[str, Any], code: str, seed: int, params: dict[str, Any]) -> GradeResult:
        if syntax := _syntax_error(code):
            return GradeResult("fail", cause="syntax-error", cause_detail=syntax[0], traceback=syntax[1])
        rules = RuleSet.of(filled)
        if violations := check_syntax(code, rules, filled["function"]):
            return _violated(violations)
        plan = self.cache.get(Cache.key(drill, seed, params, "grade"), lambda: write_plan(filled, seed, params, graded=True))
        outcome = self._sandbox(filled, code, plan, record=rules.watches_execution)
        result = GradeResult("fail", cause=outcome.cause, cause_detail=outcome.detail, traceback=outcome.traceback, stdout=outcome.stdout)
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
                if _is_memory_error(got.error):
                    result.cause, result.cause_detail = "memory", f"{case.label}: {got.error['type']}: {got.error['message']}"
        result.verdict = "pass" if result.cause is None and all(c.passed for c in result.checks) else "fail"
        return result

    def _grade_predict(self, drill: dict[str, Any], filled: dict[str, Any], answer: str, seed: int, params: dict[str, Any]) -> GradeResult:
        answer_type = filled["answer_type"]
        # The truth first: a broken snippet is a content error even when the answer is unreadable.
        truth = self.cache.get(Cache.key(drill, seed, params, "truth"), lambda: predict_truth(filled))
        try:
            parsed = parse_answer(answer_type, answer)
        except UnreadableAnswer as exc:
            return GradeResult("fail", cause="unreadable-answer", cause_detail=str(exc))
        try:
            check = judge_answer(answer_type, truth, parsed, Tolerance(filled.get("rtol"), filled.get("atol")))
        except (TypeError, ValueError, RuntimeError) as exc:
            raise GradingError(f"drill {filled['id']}: its snippet's value {truth!r} is not a {answer_type} answer ({exc})") from exc
        return GradeResult("pass" if check.passed else "fail", checks=[check])

    def _sandbox(self, drill: dict[str, Any], code: str, plan: Plan, *, record: bool = False) -> LearnerRun:
        limit = float(drill.get("time_limit", DEFAULT_TIME_LIMIT))
        job: Job = {"code": code, "function": drill["function"], "grad_seeds": plan.grad_seeds, "time_limit": limit,
                    "keep_arguments": "arguments" in drill.get("compare", ()), "record": record, "uses": drill.get("used", []),
                    "seal": secrets.token_hex(16)}
        reply, raw = self.zygote.attempt(job, plan.args_blob)
        run = _interpret(reply, raw, limit, drill["function"], len(plan.cases))
        run.seal = job["seal"]
        return run


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


def _is_memory_error(error: CallError) -> bool:
    return any(name in error["mro"] for name in MEMORY_ERRORS) or any(m in error["message"] for m in MEMORY_MESSAGES)


def _interpret(reply: ChildExit, raw: bytes, limit: float, function: str, calls: int) -> LearnerRun:
    """Turn the zygote's reply and the child's (untrusted) result into a ``LearnerRun``."""
    run = LearnerRun(stdout=reply["output"])
    code, number = reply["exit_code"], reply["signal"]
    if reply["timed_out"] or number == signal.SIGXCPU:
        run.cause, run.detail = "timeout", f"ran past the {limit:g} s time limit"
    elif reply["output_limit"]:
        run.cause, run.detail = "output-limit", f"printed more than {OUTPUT_LIMIT >> 20} MiB; the output was cut there"
    elif reply["result_limit"]:
        run.cause, run.detail = "output-limit", "returned more data than the grader accepts"
    elif number is not None:
        run.cause, run.detail = "crash", f"killed by {_signal_name(number)}"
    elif not raw:
        run.cause, run.detail = "exited", f"the process ended (exit status {code}) before returning its results"
    if run.cause:
        return run
    try:
        report, blob = decode_frame(raw)
        if "exit" in report:
            run.cause, run.detail = "exited", f"your code called sys.exit({report['exit']})"
        elif report.get("error"):
            error = report["error"]
            run.cause = "memory" if _is_memory_error(error) else "exception"
            run.detail, run.traceback = f"{error['type']}: {error['message']}", str(error["traceback"])
        elif report.get("missing"):
            run.cause, run.detail = "missing-function", f"your code does not define a function named `{function}`"
        else:
            run.calls = _outcomes(report, torch.load(io.BytesIO(blob), weights_only=True), calls)
            run.record = report.get("record")
    except Exception as exc:
        run.cause, run.detail = "crash", f"sent back results that cannot be read ({type(exc).__name__})"
    return run


def _outcomes(report: dict[str, Any], data: Any, calls: int) -> list[CallOutcome]:
    """The outcome of every call, checked for shape: this data comes from learner code."""
    entries, outputs, grads, arguments = report["calls"], data["outputs"], data["grads"], data["arguments"]
    if not (isinstance(entries, list) and len(entries) == len(outputs) == len(grads) == len(arguments) == calls):
        raise ValueError("the result does not have one entry per call")
    outcomes = []
    for entry, output, grad, after in zip(entries, outputs, grads, arguments, strict=True):
        error = _call_error(entry["error"])
        if grad is not None and not (isinstance(grad, list) and all(g is None or isinstance(g, torch.Tensor) for g in grad)):
            raise ValueError("malformed gradients")
        _check_wire(output)
        _check_wire(grad)
        _check_wire(after)
        outcomes.append(CallOutcome(output, error, _optional_str(entry["unsupported"]), grad, _optional_str(entry["grad_error"]), after))
    return outcomes


def _call_error(error: Any) -> CallError | None:
    """The exception a call reported, checked and copied field by field: it comes from learner code."""
    if error is None:
        return None
    texts = ("type", "message", "traceback")
    if not (isinstance(error, dict) and all(isinstance(error.get(k), str) for k in texts)
            and isinstance(error.get("mro"), list) and all(isinstance(name, str) for name in error["mro"])):
        raise ValueError("malformed error")
    return CallError(type=error["type"], mro=list(error["mro"]), message=error["message"], traceback=error["traceback"])


def _check_wire(value: Any, depth: int = 0) -> None:
    """``ValueError`` unless ``value`` is made of wire values only, its tensors plain, dense and
    backed by storage of their full size (what ``execution.to_wire`` sends), so that judging
    them cannot fail or allocate more than what was sent."""
    if depth > MAX_DEPTH:
        raise ValueError("nested too deeply")
    if type(value) is torch.Tensor:
        if value.layout != torch.strided or value.device.type != "cpu" or value.is_quantized:
            raise ValueError("not a plain tensor")
        if value.numel() * value.element_size() > value.untyped_storage().nbytes():
            raise ValueError("a tensor larger than its storage")
    elif type(value) in (list, tuple):
        for item in value:
            _check_wire(item, depth + 1)
    elif type(value) is dict:
        for key, item in value.items():
            if type(key) not in KEY_TYPES:
                raise ValueError("a dict key that is neither a string nor an int")
            _check_wire(item, depth + 1)
    elif value is not None and type(value) not in (bool, int, float, str):
        raise ValueError(f"a {type(value).__name__}")


def _optional_str(value: Any) -> str | None:
    if value is not None and not isinstance(value, str):
        raise ValueError("expected a string")
    return value


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _case_run(label: str, shown: str, got: CallOutcome) -> CaseRun:
    if got.error is not None:
        return CaseRun(label, shown, error=f"{got.error['type']}: {got.error['message']}")
    if got.unsupported is not None:
        return CaseRun(label, shown, error=f"returned an object of type {got.unsupported}")
    return CaseRun(label, shown, output=repr(got.output))


def main(argv: list[str]) -> None:
    requests, replies, workspace = int(argv[1]), int(argv[2]), argv[3]
    confine.prctl(confine.PR_SET_DUMPABLE, 0)
    torch.set_num_threads(1)
    warm_up()  # before the zygote forks: children cannot read /proc, where torch looks at the CPU
    grader = Grader(Zygote(workspace))  # forked now, while this process holds no drill
    write_frame(replies, {"ready": True, "sandbox": grader.zygote.features})
    while True:
        try:
            request, _ = read_frame(requests)
        except EOFError:
            grader.zygote.close()
            return
        write_frame(replies, grader.handle(cast(Request, request)))  # from the client; ``handle`` refuses a malformed one
        if grader.zygote_lost:
            grader.zygote.close()
            os.set_inheritable(requests, True)
            os.set_inheritable(replies, True)
            os.execv(sys.executable, [sys.executable, "-m", "quizzer.grading.service", *argv[1:]])


if __name__ == "__main__":
    main(sys.argv)
