"""The UI side of grading: starts the grading service and talks to it over two pipes.

Torch-free (the UI process must never import torch). Thread-safe: one request at a time under
a lock, so the TUI may call it from a worker thread.

``start()`` only spawns the service (importing torch takes it ~2 s), so an app calls it at
start-up and the first ``grade`` waits for what is left of that. If the service is found dead
between requests it is restarted silently; if it dies during an attempt, that attempt is a
failed result with cause ``service-restarted`` and a new service is started at once.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from quizzer.errors import GradingError, UsageError
from quizzer.grading.protocol import GradeResult, Request, RunResult, SandboxFeatures, read_frame, write_frame

STARTUP_TIMEOUT = 120.0
REPLY_GRACE = 30.0
"""Seconds the client waits for a reply beyond three time limits (the drill's trusted code may
take one to build the calls and one for the reference, the learner's code one)."""
DEFAULT_TIME_LIMIT = 5.0
STOP_TIMEOUT = 2.0
MAX_SUBMISSION_BYTES = 256 << 10
"""Larger code or answers are refused before anything is sent: no drill needs more, and the
service would spend its time (and a frame limit) on them."""
SOURCE_ROOT = str(Path(__file__).resolve().parents[2])


class GradingClient:
    """Grades drills through a background grading service (started on first use)."""

    def __init__(self, python: str = sys.executable) -> None:
        self.python = python
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._stderr: IO[bytes] | None = None
        self._workspace: str | None = None
        """The directory the sandbox children work in, removed with the service."""
        self._requests = self._replies = -1
        self._ready = False
        self.sandbox: SandboxFeatures | None = None
        """What learner code is confined with, as the service reported it (once ready)."""

    @property
    def pid(self) -> int | None:
        """The grading service's process id, while one is running."""
        return self._process.pid if self._process is not None else None

    def start(self) -> None:
        """Spawn the service if it is not running; returns at once."""
        with self._lock:
            self._ensure_spawned()

    def sandbox_features(self) -> SandboxFeatures:
        """What learner code is confined with on this machine, once the service has started."""
        with self._lock:
            self._ensure_spawned()
            self._wait_ready()
            assert self.sandbox is not None  # the ready frame carries it
            return self.sandbox

    def grade(self, drill: dict[str, Any], submission: str, *, seed: int, params: dict[str, Any] | None = None) -> GradeResult:
        """Grade one attempt: code for a write drill, the typed answer for a predict drill."""
        reply = self._request({"op": "grade", "drill": drill, "submission": submission, "seed": seed, "params": params}, drill)
        if reply is None:
            detail = "the grading service stopped during this attempt and was restarted; try again"
            return GradeResult.failure("service-restarted", detail, seed=seed, params=params or {})
        return GradeResult.from_dict(reply)

    def run(self, drill: dict[str, Any], code: str, *, seed: int, params: dict[str, Any] | None = None) -> RunResult:
        """Run a write drill's code on its examples only and return what each call gave."""
        reply = self._request({"op": "run", "drill": drill, "submission": code, "seed": seed, "params": params}, drill)
        if reply is None:
            detail = "the grading service stopped during this run and was restarted; try again"
            return RunResult(cause="service-restarted", cause_detail=detail, params=params or {}, seed=seed)
        return RunResult.from_dict(reply)

    def close(self) -> None:
        """Stop the service (it also stops by itself when this process exits)."""
        with self._lock:
            self._stop()

    def __enter__(self) -> GradingClient:
        self.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def _request(self, message: Request, drill: dict[str, Any]) -> dict[str, Any] | None:
        """The service's result for ``message``; None if the service was lost meanwhile."""
        if (size := len(message["submission"].encode("utf-8", errors="replace"))) > MAX_SUBMISSION_BYTES:
            raise UsageError(f"the submission is {size >> 10} KiB; the grader takes at most {MAX_SUBMISSION_BYTES >> 10} KiB")
        limit = float(drill.get("time_limit", DEFAULT_TIME_LIMIT))
        with self._lock:
            if self._process is not None and self._process.poll() is not None:
                self._stop()  # died between requests: start afresh, nothing was lost
            self._ensure_spawned()
            self._wait_ready()
            try:
                write_frame(self._requests, message)
                reply, _ = read_frame(self._replies, time.monotonic() + 3 * limit + REPLY_GRACE)
            except (OSError, EOFError, TimeoutError, ValueError):
                self._stop()
                self._ensure_spawned()
                return None
            if reply.get("restarting"):
                self._ready = False  # the service re-executes itself and will say when it is ready
        if "error" in reply:
            raise GradingError(str(reply["error"]))
        result: dict[str, Any] = reply["result"]
        result.update({"seed": message["seed"], "params": result.get("params") or message["params"] or {}})
        return result

    def _ensure_spawned(self) -> None:
        if self._process is not None:
            return
        to_service, self._requests = os.pipe()
        self._replies, from_service = os.pipe()
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 -- lives as long as the service; closed by close()
        self._workspace = tempfile.mkdtemp(prefix="quizzer-grading-")
        os.chmod(self._workspace, 0o711)  # children running as nobody reach their own directory in it
        environment = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [SOURCE_ROOT, os.environ.get("PYTHONPATH")]))}
        try:
            self._process = subprocess.Popen(
                [self.python, "-m", "quizzer.grading.service", str(to_service), str(from_service), self._workspace],
                pass_fds=(to_service, from_service),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=self._stderr,
                env=environment,
                start_new_session=True,
            )
        except OSError as exc:
            self._stop()
            raise GradingError(f"cannot start the grading service with {self.python}: {exc}") from exc
        finally:
            os.close(to_service)
            os.close(from_service)
        self._ready = False

    def _wait_ready(self) -> None:
        if self._ready:
            return
        try:
            hello, _ = read_frame(self._replies, time.monotonic() + STARTUP_TIMEOUT)
        except (OSError, EOFError, TimeoutError, ValueError) as exc:
            output = self._stderr_tail()
            self._stop()
            raise GradingError(f"the grading service did not start ({exc}){': ' + output if output else ''}") from exc
        self.sandbox = hello["sandbox"]
        self._ready = True

    def _stderr_tail(self) -> str:
        if self._stderr is None:
            return ""
        self._stderr.seek(0)
        return self._stderr.read().decode(errors="replace").strip()[-2000:]

    def _stop(self) -> None:
        for fd in (self._requests, self._replies):
            if fd >= 0:
                os.close(fd)
        self._requests = self._replies = -1
        if self._process is not None:
            if not self._ready:  # still importing torch: it would notice the closed pipe only after
                self._process.kill()
            try:
                self._process.wait(STOP_TIMEOUT)  # it exits on its own once its request pipe closes
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None
        if self._workspace is not None:  # what a killed service could not clean up
            shutil.rmtree(self._workspace, ignore_errors=True)
            self._workspace = None
        self._ready = False
