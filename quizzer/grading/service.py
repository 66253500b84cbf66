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
How an answer to each drill kind is judged is that kind's ``grade`` module (``quizzer/kinds/<kind>/``),
found through the kinds' registry and imported on first use.
"""

from __future__ import annotations

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
from quizzer.grading.execution import KEY_TYPES, MAX_DEPTH, CallOutcome, is_memory_error, warm_up
from quizzer.grading.instance import resolve
from quizzer.grading.protocol import CallError, Cause, ChildExit, GradeResult, Job, Reply, Request, RunResult, decode_frame, read_frame, write_frame
from quizzer.grading.sandbox import OUTPUT_LIMIT, Zygote, ZygoteLost
from quizzer.grading.trusted import DEFAULT_TIME_LIMIT, Cache, Plan
from quizzer.kinds.registry import drill_grading, grading_part


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
        part = grading_part(drill.get("kind"))
        filled, chosen = resolve(drill, seed, params)
        result: GradeResult = part.grade(self, drill, filled, submission, seed, chosen)
        result.seed, result.params = seed, chosen
        result.duration_ms = (time.perf_counter() - started) * 1000
        return result

    def run(self, drill: dict[str, Any], code: str, seed: int, params: dict[str, Any] | None) -> RunResult:
        started = time.perf_counter()
        part = grading_part(drill.get("kind"))
        if not drill_grading(drill["kind"]).runnable:
            raise GradingError(f"{drill.get('id')}: a {drill['kind']} drill cannot be run on examples, only submitted")
        filled, chosen = resolve(drill, seed, params)
        result: RunResult = part.run(self, drill, filled, code, seed, chosen)
        result.duration_ms = (time.perf_counter() - started) * 1000
        return result

    def sandbox(self, drill: dict[str, Any], code: str, plan: Plan, *, record: bool = False) -> LearnerRun:
        """The learner's ``code`` run in a fresh child of the zygote on ``plan``'s calls (and what
        it ran recorded, when ``record``)."""
        limit = float(drill.get("time_limit", DEFAULT_TIME_LIMIT))
        job: Job = {"code": code, "function": drill["function"], "grad_seeds": plan.grad_seeds, "time_limit": limit,
                    "keep_arguments": "arguments" in drill.get("compare", ()), "record": record, "uses": drill.get("used", []),
                    "seal": secrets.token_hex(16)}
        reply, raw = self.zygote.attempt(job, plan.args_blob)
        run = _interpret(reply, raw, limit, drill["function"], len(plan.cases))
        run.seal = job["seal"]
        return run


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
            run.cause = "memory" if is_memory_error(error) else "exception"
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
