"""Hostile submissions: each fails clearly, and the same client grades normally afterwards."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from quizzer.grading.client import GradingClient
from quizzer.grading.protocol import CAUSES, CHECK_NAMES, GradeResult
from quizzer.grading.sandbox import SPARES
from tests.grading.conftest import DRILLS, drill

REPOSITORY = Path(__file__).resolve().parents[2]


def attempt(client: GradingClient, body: str) -> GradeResult:
    """Grade ``body`` (the lines of ``double``) on the hostile drill, then check that a normal
    attempt on the same client still passes."""
    hostile = drill("hostile-double")
    result = client.grade(hostile, body, seed=1)
    assert client.grade(hostile, hostile["reference"], seed=1).verdict == "pass"
    assert result.cause is None or result.cause in CAUSES
    assert all(check.name in CHECK_NAMES for check in result.checks)
    return result


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as listing:
            found += map(int, listing.read().split())
    return found


def descendants(pid: int) -> list[int]:
    below = children(pid)
    return below + [d for child in below for d in descendants(child)]


def eventually(condition: Callable[[], bool], timeout: float = 10.0) -> bool:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            return False
        time.sleep(0.02)
    return True


def test_an_infinite_loop_times_out(client: GradingClient) -> None:
    result = attempt(client, "def double(x):\n    while True:\n        pass\n")
    assert (result.cause, result.cause_detail) == ("timeout", "ran past the 1 s time limit")


def test_ignoring_sigterm_does_not_escape_the_time_limit(client: GradingClient) -> None:
    code = "import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\ndef double(x):\n    while True:\n        time.sleep(0.01)\n"
    assert attempt(client, code).cause == "timeout"


def test_allocating_past_the_memory_budget_fails_with_memory(client: GradingClient) -> None:
    result = attempt(client, "def double(x):\n    return torch.empty(10**11)\n")
    assert result.cause == "memory" and "can't allocate memory" in result.cause_detail


def test_os_exit_fails_as_exited(client: GradingClient) -> None:
    result = attempt(client, "import os\ndef double(x):\n    os._exit(0)\n")
    assert (result.cause, result.cause_detail) == ("exited", "the process ended (exit status 0) before returning its results")


def test_sys_exit_fails_as_exited(client: GradingClient) -> None:
    result = attempt(client, "import sys\ndef double(x):\n    sys.exit(0)\n")
    assert (result.cause, result.cause_detail) == ("exited", "your code called sys.exit(0)")


def test_a_segfault_fails_as_a_crash_naming_the_signal(client: GradingClient) -> None:
    result = attempt(client, "import ctypes\ndef double(x):\n    return ctypes.string_at(0)\n")
    assert (result.cause, result.cause_detail) == ("crash", "killed by SIGSEGV")


def test_a_fork_bomb_fails_and_leaves_no_process_behind(client: GradingClient) -> None:
    code = "import os\ndef double(x):\n    while True:\n        try:\n            os.fork()\n        except OSError:\n            pass\n"
    assert attempt(client, code).verdict == "fail"
    assert client.pid is not None
    (zygote,) = children(client.pid)
    assert eventually(lambda: len(children(zygote)) == SPARES and descendants(zygote) == children(zygote))


def test_printing_100_mb_is_cut_at_the_output_limit(client: GradingClient) -> None:
    result = attempt(client, "def double(x):\n    print('x' * 100_000_000)\n    return x * 2\n")
    assert result.cause == "output-limit" and len(result.stdout) == 1 << 20


def test_patching_torch_comparisons_in_the_sandbox_changes_no_verdict(client: GradingClient) -> None:
    code = "def double(x):\n    torch.allclose = lambda *a, **k: True\n    torch.Tensor.__eq__ = lambda a, b: True\n    return x * 3\n"
    result = attempt(client, code)
    assert [c.name for c in result.checks if not c.passed] == ["value"]


def test_an_object_equal_to_everything_fails_the_type_check(client: GradingClient) -> None:
    code = "class Anything:\n    def __eq__(self, other):\n        return True\ndef double(x):\n    return Anything()\n"
    (check,) = attempt(client, code).checks
    assert (check.name, check.passed, check.expected, check.got) == ("type", False, "tensor", "an object of type Anything")


def test_a_forged_result_frame_without_calls_fails(client: GradingClient) -> None:
    code = (
        "import io, json, os, struct\n"
        "def double(x):\n"
        "    blob = io.BytesIO()\n"
        "    torch.save({'outputs': [], 'grads': []}, blob)\n"
        "    report = json.dumps({'calls': [], 'missing': False}).encode()\n"
        "    os.write(3, struct.pack('>II', len(report), len(blob.getvalue())) + report + blob.getvalue())\n"
        "    os._exit(0)\n"
    )
    result = attempt(client, code)
    assert (result.verdict, result.cause) == ("fail", "crash")


def test_a_forged_tensor_larger_than_its_storage_fails(client: GradingClient) -> None:
    code = (
        "import io, json, os, struct\n"
        "def double(x):\n"
        "    blob = io.BytesIO()\n"
        "    huge = torch.zeros(1).expand(10**9)\n"
        "    torch.save({'outputs': [huge], 'grads': [None]}, blob)\n"
        "    call = {'error': None, 'unsupported': None, 'grad_error': None}\n"
        "    report = json.dumps({'calls': [call], 'missing': False}).encode()\n"
        "    os.write(3, struct.pack('>II', len(report), len(blob.getvalue())) + report + blob.getvalue())\n"
        "    os._exit(0)\n"
    )
    result = attempt(client, code)
    assert (result.verdict, result.cause) == ("fail", "crash")


def test_killing_the_sandbox_parent_is_refused(client: GradingClient) -> None:
    result = attempt(client, "import os, signal\ndef double(x):\n    os.kill(os.getppid(), signal.SIGKILL)\n    return x * 2\n")
    assert result.checks[0].got == "PermissionError: [Errno 1] Operation not permitted"


def test_killing_its_own_process_group_fails_as_a_crash(client: GradingClient) -> None:
    result = attempt(client, "import os, signal\ndef double(x):\n    os.killpg(0, signal.SIGKILL)\n")
    assert (result.cause, result.cause_detail) == ("crash", "killed by SIGKILL")


def test_files_outside_the_sandbox_cannot_be_read_or_written(client: GradingClient, tmp_path: Path) -> None:
    if not client.sandbox_features()["landlock_abi"]:
        pytest.skip("without Landlock only the uid limits file access")
    database = tmp_path / "quizzer.sqlite3"
    database.write_bytes(b"SQLite format 3\x00")
    targets = [DRILLS / "write.toml", REPOSITORY / "quizzer" / "grading" / "service.py", database, Path("/etc/shadow"), Path("/etc/hostname")]
    code = (
        "def double(x):\n"
        f"    for path in {[str(t) for t in targets]!r}:\n"
        "        for mode in ('rb', 'ab'):\n"
        "            try:\n"
        "                open(path, mode).close()\n"
        "                print('opened', path, mode)\n"
        "            except OSError:\n"
        "                pass\n"
        "    with open('scratch.txt', 'w') as scratch:\n"
        "        scratch.write('mine')\n"
        "    print(open('scratch.txt').read())\n"
        "    return x * 2\n"
    )
    result = attempt(client, code)
    assert (result.verdict, result.stdout) == ("pass", "mine\n")
    assert database.read_bytes() == b"SQLite format 3\x00"


def test_files_written_together_stay_within_the_workspace_limit(client: GradingClient) -> None:
    limit = client.sandbox_features()["workspace_limit_mib"]
    if limit is None:
        pytest.skip("the workspace is bounded only where the service may mount (as root)")
    code = (
        "def double(x):\n"
        "    written, chunk = 0, b'x' * (1 << 20)\n"
        "    try:\n"
        "        for n in range(1000):\n"
        "            with open(f'file{n}', 'wb') as out:\n"
        "                for _ in range(8):\n"
        "                    out.write(chunk)\n"
        "                    out.flush()\n"
        "                    written += len(chunk)\n"
        "    except OSError:\n"
        "        print(written >> 20)\n"
        "    return x * 2\n"
    )
    result = attempt(client, code)
    assert result.verdict == "pass" and int(result.stdout) <= limit


def test_network_connections_are_refused(client: GradingClient) -> None:
    if not (client.sandbox_features()["network_namespace"] or client.sandbox_features()["landlock_abi"] >= 4):
        pytest.skip("no network namespace and no Landlock network rules on this machine")
    code = (
        "import socket\n"
        "def double(x):\n"
        "    try:\n"
        "        socket.create_connection(('127.0.0.1', 9), timeout=0.5)\n"
        "        print('connected')\n"
        "    except OSError:\n"
        "        pass\n"
        "    return x * 2\n"
    )
    result = attempt(client, code)
    assert (result.verdict, result.stdout) == ("pass", "")


def test_learner_code_cannot_find_the_reference_in_its_memory(client: GradingClient) -> None:
    softmax = drill("softmax-rows")
    assert client.grade(softmax, softmax["reference"], seed=1).passed  # the service now holds it
    search = (
        "import gc, re, sys  # LEARNER-MARKER-55\n"
        "def seen(pattern):\n"
        "    found = re.compile(pattern)\n"
        "    def holds(value):\n"
        "        if isinstance(value, (bytes, bytearray)):\n"
        "            value = bytes(value).decode('latin-1')\n"
        "        return isinstance(value, str) and found.search(value) is not None\n"
        "    for obj in gc.get_objects() + [vars(m) for m in list(sys.modules.values())]:\n"
        "        values = obj.values() if isinstance(obj, dict) else obj if isinstance(obj, (list, tuple)) else ()\n"
        "        if any(holds(v) for v in values):\n"
        "            return True\n"
        "    return False\n"
        "def softmax(x, dim):\n"
        "    print(seen('LEARNER-MARKER-5[5]'), seen('REFERENCE-MARKER-7f3[a]'), seen('x.amax[(]dim, keepdim=True[)]  #'))\n"
        "    return torch.softmax(x, dim)\n"
    )
    # Walking every object takes seconds on a loaded machine: past the 5 s default the child is killed
    # before it prints, so the limit is raised; this test is about what the child can see, not its speed.
    result = client.grade({**softmax, "cases": 1, "time_limit": 30}, search, seed=1)
    assert result.cause is None, result.cause_detail
    assert result.stdout.splitlines()[0] == "True False False"  # its own code is found; the reference is not


def test_a_service_killed_during_an_attempt_is_named_and_restarted(client: GradingClient) -> None:
    slow = {**drill("hostile-double"), "time_limit": 30}
    code = (
        "import ctypes, time\n"
        "def double(x):\n"
        "    ctypes.CDLL(None).prctl(15, b'learner-sleeps', 0, 0, 0)\n"
        "    time.sleep(30)\n"
    )
    service = client.pid
    assert service is not None

    def kill_once_the_learner_runs() -> None:
        def sleeping() -> bool:
            return any(Path(f"/proc/{p}/comm").read_text().strip() == "learner-sleeps" for p in descendants(service))

        if eventually(sleeping):
            os.kill(service, signal.SIGKILL)

    killer = threading.Thread(target=kill_once_the_learner_runs)
    killer.start()
    result = client.grade(slow, code, seed=1)
    killer.join()
    assert result.cause == "service-restarted" and client.pid != service
    assert client.grade(slow, slow["reference"], seed=1).passed


def test_a_service_found_dead_between_attempts_is_restarted_quietly(client: GradingClient) -> None:
    service = client.pid
    assert service is not None
    os.kill(service, signal.SIGKILL)
    assert eventually(lambda: Path(f"/proc/{service}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z")
    hostile = drill("hostile-double")
    assert client.grade(hostile, hostile["reference"], seed=1).passed


def test_a_lost_sandbox_is_named_and_replaced(client: GradingClient) -> None:
    hostile = drill("hostile-double")
    assert client.grade(hostile, hostile["reference"], seed=1).passed and client.pid is not None
    (zygote,) = children(client.pid)
    os.kill(zygote, signal.SIGKILL)
    assert client.grade(hostile, hostile["reference"], seed=1).cause == "service-restarted"
    assert client.grade(hostile, hostile["reference"], seed=1).passed
