"""The zygote: forked by the grading service at start, before the service reads any request,
so its memory holds torch and quizzer's grading code but never a drill, a reference or a cached
reference output. It forks one confined child per attempt (``confine.Confinement``, then
``learner.run``), and is the only process that waits on learner code:

- forking a torch process and faulting in the pages a child touches costs ~15 ms, so children
  are forked ahead of time (``SPARES`` of them, a new one after each attempt, once its result
  is sent): each prepares its confinement, warms up and waits for its job on a pipe;
- it sends the result as soon as the child's result frame is complete, without waiting for the
  child to exit;
- it enforces the wall-time limit (SIGKILL to the child's process group at the time limit),
  caps what the child prints (``OUTPUT_LIMIT``) and what it sends back (``RESULT_LIMIT``);
- it is a child subreaper, so processes the learner forked (even after ``setsid``) are
  re-parented to it; after each attempt it kills every descendant left before it takes the next
  job, and reaps them (and removes the child's directory) while it waits;
- it relays the child's exit status, output and result bytes to the service unread.

A child can kill its own process group but not the zygote nor the service (another uid when
root; Landlock's signal scope otherwise). If the zygote is lost anyway, the service re-executes
itself to get a clean one.
"""

from __future__ import annotations

import contextlib
import os
import select
import shutil
import signal
import tempfile
import time
import traceback
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from quizzer.grading import confine, learner
from quizzer.grading.execution import warm_up
from quizzer.grading.protocol import HEADER, MAX_BLOB_BYTES, MAX_JSON_BYTES, ChildExit, Job, SandboxFeatures, read_frame, write_frame

OUTPUT_LIMIT = 1 << 20
RESULT_LIMIT = MAX_JSON_BYTES + MAX_BLOB_BYTES
REPLY_GRACE = 10.0
"""Seconds the service waits for the zygote beyond the time limit before giving it up."""
READ_CHUNK = 1 << 16
SPARES = 2
"""Children kept forked and prepared ahead, so even back-to-back attempts find one ready."""
REAP_POLL = 0.02
"""Seconds between looks for killed leftovers to reap while the zygote waits for a job."""
CLOSE_TIMEOUT = 1.0


class ZygoteLost(Exception):
    """The zygote died or stopped answering."""


class Zygote:
    """The service's handle on its zygote process."""

    def __init__(self, workspace: str) -> None:
        """Fork the zygote; its children work in directories made in ``workspace``."""
        jobs_r, jobs_w = os.pipe()
        replies_r, replies_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                os.close(jobs_w)
                os.close(replies_r)
                _serve(jobs_r, replies_w, workspace)
            except BaseException:
                traceback.print_exc()  # to the service's stderr, which the client reports
                os._exit(1)
            os._exit(0)
        os.close(jobs_r)
        os.close(replies_w)
        self.pid, self.jobs, self.replies = pid, jobs_w, replies_r
        features, _ = read_frame(self.replies, time.monotonic() + 60)
        self.features = cast(SandboxFeatures, features)  # written by ``_serve`` below
        """What the children are confined with (uid, Landlock ABI, network, limits)."""

    def attempt(self, job: Job, args_blob: bytes) -> tuple[ChildExit, bytes]:
        """Run one learner job; the reply (exit status, output, limits hit) and the child's raw result."""
        try:
            write_frame(self.jobs, job, args_blob)
            reply, result = read_frame(self.replies, time.monotonic() + job["time_limit"] + REPLY_GRACE)
            return cast(ChildExit, reply), result  # the zygote wrote it (``_Child.watch``); the child's part is ``result``
        except (OSError, EOFError, TimeoutError, ValueError) as exc:
            raise ZygoteLost(str(exc)) from exc

    def close(self) -> None:
        """Stop the zygote: it kills and reaps its children and removes their directories
        once its job pipe closes; it is killed if it takes longer than ``CLOSE_TIMEOUT``."""
        os.close(self.jobs)
        os.close(self.replies)
        pidfd = os.pidfd_open(self.pid)
        if not select.select([pidfd], [], [], CLOSE_TIMEOUT)[0]:
            os.kill(self.pid, signal.SIGKILL)
        os.close(pidfd)
        os.waitpid(self.pid, 0)


def _serve(jobs: int, replies: int, workspace: str) -> None:
    service = os.getppid()
    confine.prctl(confine.PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != service:
        return
    confine.prctl(confine.PR_SET_CHILD_SUBREAPER, 1)
    _close_all_but({0, 1, 2, jobs, replies})
    user = confine.sandbox_user()
    abi = confine.landlock_abi()
    network_namespace = confine.leave_network()
    seccomp = confine.deny_sockets()
    mount_namespace = confine.private_mounts()
    hidden = confine.hide_shared_folders(workspace) if mount_namespace and not seccomp else []
    bounded_workspace = mount_namespace and confine.bound_workspace(workspace)
    max_tasks = confine.tasks_of(user[0] if user else os.getuid()) + confine.EXTRA_TASKS
    settings = _Settings(workspace, user, (abi, confine.readable_roots()) if abi else None, max_tasks)
    features: SandboxFeatures = {
        "uid": user[0] if user else os.getuid(),
        "landlock_abi": abi,
        "network_namespace": network_namespace,
        "seccomp": seccomp,
        "private_folders": hidden,
        "workspace_limit_mib": confine.WORKSPACE_SIZE >> 20 if bounded_workspace else None,
        "memory_budget_mib": confine.MEMORY_BUDGET >> 20,
        "max_tasks": settings.max_tasks,
        "output_limit_bytes": OUTPUT_LIMIT,
    }
    write_frame(replies, features)
    spares = deque(_Child.fork(settings) for _ in range(SPARES))
    dying: list[_Child] = []
    while (request := _next_job(jobs, dying, spares)) is not None:
        job, blob = request
        current = spares.popleft()
        current.start(job, blob)
        keep = {spare.pid for spare in spares}
        reply, result = current.watch(job["time_limit"], keep)
        write_frame(replies, reply, result)
        dying.append(current)  # it and all it left can run no more code: reaped when idle
        spares.append(_Child.fork(settings))
    for child in [*spares, *dying]:
        child.kill()
        child.reap()


def _next_job(jobs: int, dying: list[_Child], spares: deque[_Child]) -> tuple[dict[str, Any], bytes] | None:
    """Wait for the next job (None when the service is gone), reaping dead children meanwhile:
    those of attempts as they exit, leftovers re-parented to the zygote by polling."""
    while True:
        expected = {child.pid for child in (*dying, *spares)}
        leftovers = any(pid not in expected for pid in _children(os.getpid()))
        ready, _, _ = select.select([jobs, *(child.pidfd for child in dying)], [], [], REAP_POLL if leftovers else None)
        for child in [c for c in dying if c.pidfd in ready]:
            child.reap()
            dying.remove(child)
        _reap_exited()
        if jobs in ready:
            try:
                return read_frame(jobs)
            except EOFError:
                return None


@dataclass
class _Settings:
    workspace: str
    user: tuple[int, int] | None
    landlock: tuple[int, list[str]] | None
    max_tasks: int


class _Child:
    """A confined child: forked ahead of time, it prepares its confinement and waits for a job."""

    def __init__(self, pid: int, job_w: int, result_r: int, output_r: int, workdir: str) -> None:
        self.pid, self.job_w, self.result_r, self.output_r, self.workdir = pid, job_w, result_r, output_r, workdir
        self.pidfd = os.pidfd_open(pid)
        self.started = 0.0
        self.reaped = False

    @classmethod
    def fork(cls, settings: _Settings) -> _Child:
        workdir = tempfile.mkdtemp(prefix="attempt-", dir=settings.workspace)
        if settings.user:
            os.chown(workdir, *settings.user)
        job_r, job_w = os.pipe()
        result_r, result_w = os.pipe()
        output_r, output_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                confinement = confine.Confinement(workdir=workdir, job_fd=job_r, result_fd=result_w, output_fd=output_w, landlock=settings.landlock)
                warm_up()  # fault in the pages every attempt touches, before the clock starts
                job, blob = read_frame(confine.JOB_FD)
                confinement.restrict(time_limit=job["time_limit"], user=settings.user, max_tasks=settings.max_tasks)
                learner.run(job, blob)
            except EOFError:
                os._exit(0)  # the zygote is stopping: no job will come
            except BaseException:
                traceback.print_exc()  # the sandbox could not be set up: shown as the attempt's output
            finally:
                os._exit(learner.FAILED_TO_REPORT)
        for fd in (job_r, result_w, output_w):
            os.close(fd)
        for fd in (result_r, output_r):
            os.set_blocking(fd, False)
        return cls(pid, job_w, result_r, output_r, workdir)

    def start(self, job: dict[str, Any], blob: bytes) -> None:
        self.started = time.monotonic()
        with contextlib.suppress(BrokenPipeError):  # it died getting ready: ``watch`` reports how, with what it printed
            write_frame(self.job_w, job, blob)

    def watch(self, time_limit: float, keep: set[int]) -> tuple[ChildExit, bytes]:
        """Wait until the child's result is complete, the child exits, its time runs out or it
        writes past a cap; then stop it and everything it started (all but ``keep``), and return
        what it wrote. Only a child that exited by itself is waited for: its status tells why."""
        buffers = {self.result_r: bytearray(), self.output_r: bytearray()}
        caps = {self.result_r: RESULT_LIMIT, self.output_r: OUTPUT_LIMIT}
        over: set[int] = set()
        timed_out = exited = False
        deadline = self.started + time_limit
        while not over and not _complete(buffers[self.result_r]):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                timed_out = True
                break
            ready, _, _ = select.select([self.pidfd, self.result_r, self.output_r], [], [], remaining)
            if self.pidfd in ready:
                exited = True
                break
            for fd in ready:
                _read_some(fd, buffers[fd], caps[fd], over)
        status = self.reap_status() if exited and not _complete(buffers[self.result_r]) else None
        _kill_descendants(keep)
        for fd in (self.result_r, self.output_r):
            while fd not in over and _read_some(fd, buffers[fd], caps[fd], over):
                pass
        reply: ChildExit = {
            "exit_code": os.WEXITSTATUS(status) if status is not None and os.WIFEXITED(status) else None,
            "signal": os.WTERMSIG(status) if status is not None and os.WIFSIGNALED(status) else None,
            "timed_out": timed_out,
            "output_limit": self.output_r in over,
            "result_limit": self.result_r in over,
            "output": buffers[self.output_r][:OUTPUT_LIMIT].decode("utf-8", errors="replace"),
            "wall_ms": (time.monotonic() - self.started) * 1000,
        }
        return reply, bytes(buffers[self.result_r]) if self.result_r not in over else b""

    def reap_status(self) -> int | None:
        """Wait for the child; its wait status (None if something else reaped it)."""
        self.reaped = True
        try:
            return os.waitpid(self.pid, 0)[1]
        except ChildProcessError:
            return None

    def kill(self) -> None:
        for kill in (os.kill, os.killpg):  # the process itself: it may not have called setsid yet
            with contextlib.suppress(ProcessLookupError):
                kill(self.pid, signal.SIGKILL)

    def reap(self) -> None:
        """Wait for the (killed or exited) child, close its pipes and remove its directory."""
        if not self.reaped:
            self.reap_status()
        for fd in (self.pidfd, self.job_w, self.result_r, self.output_r):
            os.close(fd)
        shutil.rmtree(self.workdir, ignore_errors=True)


def _complete(buffer: bytearray) -> bool:
    """Whether ``buffer`` holds a whole frame."""
    if len(buffer) < HEADER.size:
        return False
    json_len, blob_len = HEADER.unpack_from(buffer)
    needed: int = HEADER.size + json_len + blob_len
    return len(buffer) >= needed


def _close_all_but(keep: set[int]) -> None:
    start = 0
    for fd in sorted(keep):
        if start < fd:  # an empty range would close everything (CPython passes fd - 1 on)
            os.closerange(start, fd)
        start = fd + 1
    os.closerange(start, os.sysconf("SC_OPEN_MAX"))


def _read_some(fd: int, buffer: bytearray, cap: int, over: set[int]) -> bool:
    """Read what is there into ``buffer``; False at end of file or when nothing is there now.
    Past ``cap``, ``fd`` joins ``over``."""
    try:
        chunk = os.read(fd, READ_CHUNK)
    except BlockingIOError:
        return False
    buffer += chunk
    if len(buffer) > cap:
        over.add(fd)
    return bool(chunk)


def _kill_descendants(keep: set[int]) -> None:
    """SIGKILL every process below the zygote but ``keep``, again until no new one shows up: a
    process with SIGKILL pending never runs user code again, so nothing left can act, even if
    it has not finished dying. Orphans are re-parented to the zygote, so none escapes the walk."""
    killed: set[int] = set()
    while fresh := set(_descendants(os.getpid(), keep)) - killed:
        for pid in fresh:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        killed |= fresh


def _reap_exited() -> None:
    """Reap every child that has exited (killed leftovers re-parented to the zygote)."""
    while True:
        try:
            if os.waitpid(-1, os.WNOHANG)[0] == 0:
                return
        except ChildProcessError:
            return


def _descendants(root: int, keep: set[int]) -> list[int]:
    """Every process below ``root``, except those in ``keep`` (which have none)."""
    children = _children if os.path.exists(f"/proc/{root}/task/{root}/children") else _children_by_scan()
    found, frontier = [], [root]
    while frontier:
        below = [pid for pid in children(frontier.pop()) if pid not in keep]
        found += below
        frontier += below
    return found


def _children(pid: int) -> list[int]:
    """A process's children, from the kernel's lists (CONFIG_PROC_CHILDREN)."""
    children: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as listing:
                children += map(int, listing.read().split())
    except (FileNotFoundError, ProcessLookupError):
        pass  # it exited meanwhile
    return children


def _children_by_scan() -> Callable[[int], list[int]]:
    """The same from every process's parent in /proc/*/stat, for kernels without those lists."""
    by_parent: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as stat:
                    parent = int(stat.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            by_parent.setdefault(parent, []).append(int(entry.name))
    return lambda pid: by_parent.get(pid, [])
