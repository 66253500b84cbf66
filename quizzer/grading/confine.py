"""The operating-system fences around a learner child, through ``prctl``, ``setrlimit``,
``unshare`` and Landlock (ctypes, Linux only).

What a confined child gets (``Confinement`` applies it, in this order):

- its own session and process group (``setsid``), SIGKILL when the zygote dies
  (``PR_SET_PDEATHSIG``), one torch thread;
- stdin from /dev/null, stdout and stderr into the zygote's capped pipe, the result pipe on
  fd 3, the job pipe on fd 4 until the job is read, no other descriptor; its own temporary
  working directory; an environment of PATH, HOME and TMPDIR (that directory), LANG and thread
  counts only;
- rlimits: ``RLIMIT_CPU`` ceil(time limit) s (then SIGXCPU), ``RLIMIT_AS`` its size at fork +
  ``MEMORY_BUDGET``, ``RLIMIT_NPROC`` the sandbox user's tasks at zygote start +
  ``EXTRA_TASKS``, ``RLIMIT_FSIZE`` ``FILE_SIZE_LIMIT`` (writes past it fail with EFBIG),
  ``RLIMIT_NOFILE`` ``OPEN_FILES``, ``RLIMIT_CORE`` 0;
- ``PR_SET_NO_NEW_PRIVS``; when the service runs as root, the uid and gid of ``nobody`` and no
  supplementary groups: it can neither signal nor ptrace the service, and ``RLIMIT_NPROC``
  holds (it does nothing for root);
- with Landlock (kernel ≥ 5.13): reading only under Python's standard library, site-packages
  and the directories of the shared libraries loaded (never a directory holding the source
  checkout, so neither the content nor ``db/``), /dev/null and /dev/urandom; writing only in
  its own directory; from Landlock ABI 4 no TCP bind or connect; from ABI 6 no signal to and
  no abstract unix socket of a process outside its own domain.

The zygote, not each child, moves to a new, empty network namespace when it may (as root), so
the children have only a loopback device that is down; and it mounts a ``WORKSPACE_SIZE``
tmpfs over the children's workspace in a private mount namespace, so that together they cannot
fill a disk. Without root, UDP (and TCP before Landlock ABI 4) stay reachable and files are
bounded only per file; without Landlock, files are limited only by the uid.

The zygote also loads a seccomp filter (through libseccomp, ``pyseccomp``) that its children
inherit: ``SOCKET_CALLS`` fail with EPERM, so learner code makes no socket at all, not even to a
Unix socket it can reach by path (which neither Landlock nor the network namespace covers: a
database server's socket with trust authentication would let it run SQL). Where seccomp is
unavailable, the zygote's mount namespace gets an empty private tmpfs over ``SHARED_FOLDERS``,
where such sockets usually live, and the service reports the weaker sandbox.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import math
import os
import pwd
import resource
import signal
import site
import sys
import sysconfig
from collections.abc import Iterable
from pathlib import Path

try:
    import pyseccomp
except (ImportError, RuntimeError):  # RuntimeError: it found no libseccomp to bind
    pyseccomp = None

MEMORY_BUDGET = 512 << 20
EXTRA_TASKS = 16
FILE_SIZE_LIMIT = 16 << 20
OPEN_FILES = 64
RESULT_FD = 3
JOB_FD = 4
NOBODY = "nobody"
FALLBACK_NOBODY_ID = 65534

PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_SET_CHILD_SUBREAPER = 36
PR_SET_NO_NEW_PRIVS = 38
CLONE_NEWNET = 0x40000000
CLONE_NEWNS = 0x00020000
MS_NOSUID, MS_NODEV, MS_REC, MS_PRIVATE = 2, 4, 1 << 14, 1 << 18
WORKSPACE_SIZE = 64 << 20
SOCKET_CALLS = (
    "socket", "socketpair", "socketcall", "connect", "bind", "listen", "accept", "accept4", "sendto", "sendmsg", "sendmmsg",
    "io_uring_setup", "io_uring_enter", "io_uring_register",  # io_uring can open and connect sockets by itself
    "pidfd_getfd",  # a socket copied out of another process
)
SHARED_FOLDERS = ("/tmp", "/run", "/var/run", "/dev/shm")

SYS_LANDLOCK_CREATE_RULESET = 444  # the same number on every architecture
SYS_LANDLOCK_ADD_RULE = 445
SYS_LANDLOCK_RESTRICT_SELF = 446
LANDLOCK_CREATE_RULESET_VERSION = 1
LANDLOCK_RULE_PATH_BENEATH = 1
FS_EXECUTE, FS_WRITE_FILE, FS_READ_FILE, FS_READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
FS_TRUNCATE = 1 << 14
FS_READ = FS_EXECUTE | FS_READ_FILE | FS_READ_DIR
FILE_ONLY = FS_EXECUTE | FS_WRITE_FILE | FS_READ_FILE | FS_TRUNCATE
NET_BIND_TCP, NET_CONNECT_TCP = 1 << 0, 1 << 1
SCOPE_ABSTRACT_UNIX_SOCKET, SCOPE_SIGNAL = 1 << 0, 1 << 1
CHECKOUT = Path(__file__).resolve().parents[2]
"""The source checkout when quizzer runs from one (it holds the content and ``db/``)."""

_libc = ctypes.CDLL(None, use_errno=True)


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64), ("scoped", ctypes.c_uint64)]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def _check(result: int, what: str) -> int:
    if result < 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{what}: {os.strerror(errno)}")
    return result


def prctl(option: int, value: int = 0) -> None:
    _check(_libc.prctl(option, ctypes.c_ulong(value), ctypes.c_ulong(0), ctypes.c_ulong(0), ctypes.c_ulong(0)), "prctl")


def leave_network() -> bool:
    """Move this process (and its future children) to an empty network namespace, if allowed."""
    return int(_libc.unshare(CLONE_NEWNET)) == 0


def deny_sockets() -> bool:
    """Make every ``SOCKET_CALLS`` system call fail with EPERM in this process and its future
    children, for good; False where seccomp (or libseccomp) is unavailable."""
    if pyseccomp is None:
        return False
    try:
        syscalls = pyseccomp.SyscallFilter(pyseccomp.ALLOW)
        for name in SOCKET_CALLS:
            syscalls.add_rule(pyseccomp.ERRNO(errno.EPERM), name)
        syscalls.load()
    except OSError:
        return False
    return True


def private_mounts() -> bool:
    """Give this process (and its future children) a mount namespace of its own, where mounts
    stay unseen by the rest of the system; False if not allowed (not root)."""
    if _libc.unshare(CLONE_NEWNS) != 0:
        return False
    return int(_libc.mount(None, b"/", None, ctypes.c_ulong(MS_REC | MS_PRIVATE), None)) == 0


def _mount_tmpfs(path: str, mode: int) -> bool:
    options = f"size={WORKSPACE_SIZE},mode={mode:o}".encode()
    return int(_libc.mount(b"tmpfs", os.fsencode(path), b"tmpfs", ctypes.c_ulong(MS_NOSUID | MS_NODEV), options)) == 0


def hide_shared_folders(workspace: str) -> list[str]:
    """Cover ``SHARED_FOLDERS`` (each real folder once) with an empty tmpfs, in the private
    mount namespace, and make ``workspace`` again on it if it was under one; the folders hidden."""
    hidden: list[str] = []
    for folder in SHARED_FOLDERS:
        if os.path.isdir(folder) and os.path.realpath(folder) not in map(os.path.realpath, hidden) and _mount_tmpfs(folder, 0o755):
            hidden.append(folder)
    os.makedirs(workspace, mode=0o711, exist_ok=True)
    return hidden


def bound_workspace(path: str) -> bool:
    """Mount a ``WORKSPACE_SIZE`` tmpfs on ``path`` (in the private mount namespace): all
    children's files together then stay within that size, and vanish with the zygote."""
    return _mount_tmpfs(path, 0o711)


def sandbox_user() -> tuple[int, int] | None:
    """The uid/gid children run as: ``nobody`` when running as root, else None (unchanged)."""
    if os.geteuid() != 0:
        return None
    try:
        entry = pwd.getpwnam(NOBODY)
        return entry.pw_uid, entry.pw_gid
    except KeyError:
        return FALLBACK_NOBODY_ID, FALLBACK_NOBODY_ID


def tasks_of(uid: int) -> int:
    """How many tasks (threads included) the user runs now: ``RLIMIT_NPROC`` counts them all."""
    count = 0
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    count += len(os.listdir(f"/proc/{entry.name}/task"))
            except OSError:
                continue
    return count


def _syscall(number: int, *args: object) -> int:
    return int(_libc.syscall(ctypes.c_long(number), *args))


def landlock_abi() -> int:
    """The kernel's Landlock ABI version, 0 when Landlock is unavailable."""
    return max(_syscall(SYS_LANDLOCK_CREATE_RULESET, None, ctypes.c_size_t(0), ctypes.c_uint32(LANDLOCK_CREATE_RULESET_VERSION)), 0)


def readable_roots() -> list[str]:
    """Directories a child may read: the standard library, site-packages and the directories of
    the shared libraries this process has loaded; never "/" nor a directory holding the checkout."""
    paths = sysconfig.get_paths()
    candidates = {paths[k] for k in ("stdlib", "platstdlib", "purelib", "platlib")} | set(site.getsitepackages())
    candidates |= {"/usr/lib", "/usr/lib64", "/lib", "/lib64"}
    with open("/proc/self/maps") as maps:
        candidates |= {os.path.dirname(line.split(maxsplit=5)[5].strip()) for line in maps if ".so" in line and len(line.split()) == 6}
    real = {os.path.realpath(c) for c in candidates if os.path.isdir(c)}
    protected = CHECKOUT if (CHECKOUT / "pyproject.toml").is_file() else None  # not site-packages
    return sorted(p for p in real if p != "/" and not (protected and protected.is_relative_to(p)))


class Ruleset:
    """One child's Landlock ruleset: read-only ``readable``, read-write ``writable``."""

    def __init__(self, abi: int, readable: Iterable[str], writable: str) -> None:
        self.fs_access = (1 << 13) - 1 | (1 << 13 if abi >= 2 else 0) | (FS_TRUNCATE if abi >= 3 else 0) | (1 << 15 if abi >= 5 else 0)
        net = NET_BIND_TCP | NET_CONNECT_TCP if abi >= 4 else 0
        scoped = SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL if abi >= 6 else 0
        attr = _RulesetAttr(self.fs_access, net, scoped)
        size = 24 if abi >= 6 else 16 if abi >= 4 else 8
        created = _syscall(SYS_LANDLOCK_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0))
        self.fd = _check(created, "landlock_create_ruleset")
        for path in readable:
            self._allow(path, FS_READ)
        self._allow("/dev/null", FS_READ_FILE | FS_WRITE_FILE)
        self._allow("/dev/urandom", FS_READ_FILE)
        self._allow(writable, self.fs_access)

    def _allow(self, path: str, access: int) -> None:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
        try:
            if not os.path.isdir(path):
                access &= FILE_ONLY
            rule = _PathBeneathAttr(access & self.fs_access, fd)
            added = _syscall(SYS_LANDLOCK_ADD_RULE, ctypes.c_int(self.fd), ctypes.c_int(LANDLOCK_RULE_PATH_BENEATH),
                             ctypes.byref(rule), ctypes.c_uint32(0))
            _check(added, f"landlock_add_rule {path}")
        finally:
            os.close(fd)

    def enforce(self) -> None:
        """Restrict the calling process for good (it needs no_new_privs or CAP_SYS_ADMIN)."""
        _check(_syscall(SYS_LANDLOCK_RESTRICT_SELF, ctypes.c_int(self.fd), ctypes.c_uint32(0)), "landlock_restrict_self")
        os.close(self.fd)


class Confinement:
    """Confines the calling child of the zygote, in two steps: ``prepare`` while it waits for a
    job (nothing about the job is needed), ``restrict`` once the job is known, just before the
    learner's code runs. The caller must ``_exit`` on any error."""

    def __init__(self, *, workdir: str, job_fd: int, result_fd: int, output_fd: int, landlock: tuple[int, list[str]] | None) -> None:
        self.zygote = os.getppid()
        os.setsid()
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != self.zygote:
            os._exit(1)
        import torch  # already loaded: the zygote imported it

        torch.set_num_threads(1)
        wanted = {0: os.open("/dev/null", os.O_RDONLY), 1: output_fd, 2: output_fd, RESULT_FD: result_fd, JOB_FD: job_fd}
        above = {target: fcntl.fcntl(fd, fcntl.F_DUPFD, JOB_FD + 1) for target, fd in wanted.items()}  # none is overwritten early
        for target, fd in above.items():
            os.dup2(fd, target)
        os.closerange(JOB_FD + 1, resource.getrlimit(resource.RLIMIT_NOFILE)[1])
        os.chdir(workdir)
        os.environ.clear()
        os.environ.update(PATH="/usr/bin:/bin", HOME=workdir, TMPDIR=workdir, LANG="C.UTF-8", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
        self.ruleset = Ruleset(landlock[0], landlock[1], workdir) if landlock else None

    def restrict(self, *, time_limit: float, user: tuple[int, int] | None, max_tasks: int) -> None:
        os.close(JOB_FD)
        with open("/proc/self/statm") as statm:
            size = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        cpu = max(1, math.ceil(time_limit))
        for limit, value in (
            (resource.RLIMIT_CPU, (cpu, cpu + 1)),
            (resource.RLIMIT_AS, (size + MEMORY_BUDGET,) * 2),
            (resource.RLIMIT_NPROC, (max_tasks,) * 2),
            (resource.RLIMIT_FSIZE, (FILE_SIZE_LIMIT,) * 2),
            (resource.RLIMIT_NOFILE, (OPEN_FILES,) * 2),
            (resource.RLIMIT_CORE, (0, 0)),
        ):
            resource.setrlimit(limit, value)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        prctl(PR_SET_NO_NEW_PRIVS, 1)
        if user is not None:
            os.setgroups([])
            os.setgid(user[1])
            os.setuid(user[0])
            prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # changing the uid cleared it
            if os.getppid() != self.zygote:
                os._exit(1)
        if self.ruleset is not None:
            self.ruleset.enforce()
        # The child's standard streams for the rest of its life (closefd=False: the descriptors stay).
        sys.stdout = open(1, "w", encoding="utf-8", errors="backslashreplace", closefd=False)  # noqa: SIM115
        sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False)  # noqa: SIM115
        sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115
