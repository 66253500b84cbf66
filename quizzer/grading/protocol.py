"""What crosses the pipes between the client, the grading service and the sandbox.

This module is plain Python on purpose: the UI process imports it, and the UI process must
never import torch or numpy.

Every message is one *frame*: an 8-byte header (the JSON length and the blob length, both
big-endian uint32), a UTF-8 JSON object, then an opaque blob. Between client and service the
blob is empty; between service and sandbox it carries ``torch.save`` bytes (inputs one way,
learner outputs the other), which the service only ever opens with
``torch.load(weights_only=True)``. No pickle crosses a process boundary.
"""

from __future__ import annotations

import json
import os
import select
import struct
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, TypedDict, get_args

HEADER = struct.Struct(">II")
MAX_JSON_BYTES = 16 << 20
MAX_BLOB_BYTES = 64 << 20

Cause = Literal[
    "timeout",
    "memory",
    "crash",
    "exception",
    "missing-function",
    "syntax-error",
    "rule-violation",
    "output-limit",
    "exited",
    "service-restarted",
    "unreadable-answer",
]
"""Why an attempt failed before (or instead of) its checks could be judged: ``exception`` is
an error raised while the learner's code was being defined (not inside a call)."""
CAUSES: tuple[Cause, ...] = get_args(Cause)

CheckName = Literal["shape", "dtype", "value", "grad", "arguments", "type", "raises", "error", "answer"]
"""``type``: the kind of result differs (tensor, number, tuple...); ``raises``: the reference
raised and the learner's code had to raise alike; ``error``: the learner's call raised;
``arguments``: the arguments after the call differ from the reference's after its call."""
CHECK_NAMES: tuple[CheckName, ...] = get_args(CheckName)


class SandboxFeatures(TypedDict):
    """Zygote → service → client, once: what learner code is confined with on this machine."""

    uid: int
    landlock_abi: int
    network_namespace: bool
    seccomp: bool
    private_folders: list[str]
    workspace_limit_mib: int | None
    memory_budget_mib: int
    max_tasks: int
    output_limit_bytes: int


class CallError(TypedDict):
    """Learner child → service: an exception a call raised, as data (``execution.describe_exception``)."""

    type: str
    mro: list[str]
    """The names of its classes, for ``isinstance`` judged by the service."""
    message: str
    traceback: str


class BrokenRule(TypedDict):
    """A broken drill rule as ``rules.Violation``'s fields, so the learner reads it in their language."""

    rule: str
    line: int
    reason: str
    subject: str


class Request(TypedDict):
    """Client → service: grade or run one submission (code, or a predict drill's typed answer)."""

    op: Literal["grade", "run"]
    drill: dict[str, Any]
    submission: str
    seed: int
    params: dict[str, Any] | None


class Reply(TypedDict, total=False):
    """Service → client: ``result`` (a ``GradeResult`` or ``RunResult`` as a dict) or ``error``
    (misuse, or a drill whose own code is broken); ``restarting`` when the service re-executes
    itself after this reply. The first frame instead says ``ready``, with the ``sandbox``'s features."""

    result: dict[str, Any]
    error: str
    restarting: bool
    ready: bool
    sandbox: SandboxFeatures


class Job(TypedDict):
    """Service → zygote → learner child: one attempt; the calls' arguments are the frame's blob."""

    code: str
    function: str
    grad_seeds: list[int] | None
    time_limit: float
    keep_arguments: bool
    record: bool
    """Whether the child records what the learner's code runs (the drill has rules)."""
    uses: list[dict[str, str]]
    """The drills the learner may call: each ``id``, ``function`` and trusted ``reference``."""
    seal: str
    """A secret for this attempt that the record must carry back, so it cannot be forged."""


class ChildExit(TypedDict):
    """Zygote → service: how the learner child ended; what it sent back (untrusted) is the blob."""

    exit_code: int | None
    signal: int | None
    timed_out: bool
    output_limit: bool
    result_limit: bool
    output: str
    wall_ms: float


@dataclass
class Check:
    """One named check (one of ``CHECK_NAMES``) of one call of an attempt."""

    name: CheckName
    passed: bool
    expected: str | None = None
    got: str | None = None
    detail: str = ""
    """The difference in words: first differing element, max abs diff, which output..."""
    call: str = ""
    """Which call: ``example 2``, ``random case 3`` (empty for a predict drill's answer)."""
    args: str = ""
    """That call written out, arguments summarised: ``softmax(tensor(4×7, float32), 1)``."""


@dataclass
class GradeResult:
    """The outcome of one attempt. A failing drill is a result, never an exception."""

    verdict: Literal["pass", "fail"]
    checks: list[Check] = field(default_factory=list)
    cause: Cause | None = None
    """Set when the attempt could not be judged on its checks."""
    cause_detail: str = ""
    """The cause in words: ``killed by SIGSEGV``, ``ran past the 2 s time limit``..."""
    traceback: str = ""
    """The learner's own traceback: file ``<your code>``, line numbers as in the editor."""
    stdout: str = ""
    duration_ms: float = 0.0
    params: dict[str, Any] = field(default_factory=dict)
    seed: int = 0
    violations: list[BrokenRule] = field(default_factory=list)
    """With ``rule-violation``: each broken rule."""

    @property
    def passed(self) -> bool:
        return self.verdict == "pass"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> GradeResult:
        return cls(**{**data, "checks": [Check(**c) for c in data.get("checks", [])]})

    @classmethod
    def failure(cls, cause: Cause, detail: str, *, seed: int, params: dict[str, Any]) -> GradeResult:
        return cls(verdict="fail", cause=cause, cause_detail=detail, seed=seed, params=params)


@dataclass
class CaseRun:
    """What the learner's function did on one example (for "run on the examples")."""

    label: str
    call: str
    output: str | None = None
    error: str | None = None


@dataclass
class RunResult:
    """The learner's code run on the drill's examples, shown as is (no verdict)."""

    cases: list[CaseRun] = field(default_factory=list)
    cause: Cause | None = None
    cause_detail: str = ""
    traceback: str = ""
    stdout: str = ""
    duration_ms: float = 0.0
    params: dict[str, Any] = field(default_factory=dict)
    seed: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunResult:
        return cls(**{**data, "cases": [CaseRun(**c) for c in data.get("cases", [])]})


def encode_frame(message: Mapping[str, Any], blob: bytes = b"") -> bytes:
    payload = json.dumps(message, ensure_ascii=False).encode()
    return HEADER.pack(len(payload), len(blob)) + payload + blob


def decode_frame(data: bytes) -> tuple[dict[str, Any], bytes]:
    """Split one complete frame; ``ValueError`` if it is not exactly one well-formed frame."""
    if len(data) < HEADER.size:
        raise ValueError("truncated frame header")
    json_len, blob_len = HEADER.unpack_from(data)
    if len(data) != HEADER.size + json_len + blob_len:
        raise ValueError("frame length does not match its header")
    message = json.loads(data[HEADER.size : HEADER.size + json_len])
    if not isinstance(message, dict):
        raise ValueError("frame message is not a JSON object")
    return message, data[HEADER.size + json_len :]


def write_frame(fd: int, message: Mapping[str, Any], blob: bytes = b"") -> None:
    view = memoryview(encode_frame(message, blob))
    while view:
        view = view[os.write(fd, view) :]


def read_frame(fd: int, deadline: float | None = None) -> tuple[dict[str, Any], bytes]:
    """Read one frame; ``EOFError`` if the writer is gone, ``TimeoutError`` past ``deadline``
    (a ``time.monotonic()`` value)."""
    json_len, blob_len = HEADER.unpack(_read_exact(fd, HEADER.size, deadline))
    if json_len > MAX_JSON_BYTES or blob_len > MAX_BLOB_BYTES:
        raise ValueError(f"frame too large ({json_len} + {blob_len} bytes)")
    message = json.loads(_read_exact(fd, json_len, deadline))
    return message, _read_exact(fd, blob_len, deadline)


def _read_exact(fd: int, size: int, deadline: float | None) -> bytes:
    chunks: list[bytes] = []
    while size:
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                raise TimeoutError("no answer in time")
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            raise EOFError("the other end closed the pipe")
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)
