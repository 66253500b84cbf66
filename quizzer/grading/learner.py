"""What a confined sandbox child does: define the learner's code, call the function on each
call's arguments, send the outcomes back, exit. Nothing here is trusted afterwards: learner code
runs in this process and may have replaced any of it, so the service only reads the data sent.

With ``record`` in the job, what the learner's code runs is recorded (``recorder``) while it is
defined and during each call, and the record is sent for the service to judge. The reference
solutions of the drills it ``uses`` are defined first, in the learner's scope, as trusted code
(their own operations are not recorded).

The result is one frame on ``RESULT_FD``: JSON ``{"calls": [...], "missing": bool,
"error": {...}, "exit": "...", "record": {...}}`` and a ``torch.save`` blob ``{"outputs": [...],
"grads": [...], "arguments": [...]}`` that the service opens with ``torch.load(weights_only=True)``.
"""

from __future__ import annotations

import ast
import io
import os
import sys
from contextlib import nullcontext
from typing import Any, NoReturn

import torch

from quizzer.grading.confine import RESULT_FD
from quizzer.grading.execution import LEARNER_FILE, call, define, describe_exception, scope_with
from quizzer.grading.protocol import write_frame
from quizzer.grading.recorder import Recorder

FAILED_TO_REPORT = 70


def run(job: dict[str, Any], args_blob: bytes) -> NoReturn:
    """Run ``job`` (``code``, ``function``, ``grad_seeds``, ``record``, ``uses``) on the calls in ``args_blob``."""
    me = os.getpid()
    report: dict[str, Any] = {"calls": [], "missing": False}
    outputs: list[Any] = []
    grads: list[Any] = []
    arguments: list[Any] = []
    recorder = Recorder(job["seal"]) if job.get("record") else None
    watch = recorder.window if recorder else nullcontext
    try:
        calls = torch.load(io.BytesIO(args_blob), weights_only=True)
        scope, tree = scope_with(job.get("uses", [])), None
        if recorder:
            tree, hook = recorder.hooked(ast.parse(job["code"], LEARNER_FILE))
            scope |= hook
        with watch():
            function = define(job["code"], LEARNER_FILE, scope, tree).get(job["function"])
        if not callable(function):
            report["missing"] = True
        else:
            seeds = job["grad_seeds"]
            for index, (args, kwargs) in enumerate(calls):
                outcome = call(function, tuple(args), dict(kwargs), seeds[index] if seeds else None, bool(job.get("keep_arguments")), watch)
                _only_the_first_process(me)
                report["calls"].append({"error": outcome.error, "unsupported": outcome.unsupported, "grad_error": outcome.grad_error})
                outputs.append(outcome.output)
                grads.append(outcome.grads)
                arguments.append(outcome.arguments)
    except SystemExit as exc:
        report["exit"] = repr(exc.code)
    except BaseException as exc:  # raised while defining the code, or not an Exception (a call catches those)
        report["error"] = describe_exception(exc)
    _only_the_first_process(me)
    if recorder:
        report["record"] = recorder.record()
    try:
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
    except Exception:
        pass  # the learner closed or replaced them: what was printed is what was printed
    try:
        blob = io.BytesIO()
        torch.save({"outputs": outputs, "grads": grads, "arguments": arguments}, blob)
        write_frame(RESULT_FD, report, blob.getvalue())
    except BaseException:
        os._exit(FAILED_TO_REPORT)
    os._exit(0)


def _only_the_first_process(me: int) -> None:
    """A process the learner forked leaves quietly instead of reporting too."""
    if os.getpid() != me:
        os._exit(0)
