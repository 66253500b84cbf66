"""Learner code makes no socket: a listener it could reach by path (a Unix socket in a
world-writable folder, as PostgreSQL keeps one) or by address (loopback TCP) sees no
connection, and the attempt is an ordinary failed one."""

from __future__ import annotations

import io
import os
import socket
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import torch

from quizzer.grading import confine
from quizzer.grading.client import GradingClient
from quizzer.grading.execution import warm_up
from quizzer.grading.sandbox import Zygote
from tests.grading.conftest import drill


@contextmanager
def listening(server: socket.socket) -> Iterator[list[object]]:
    """Accept connections on ``server`` in a thread while the block runs; yields what came."""
    came: list[object] = []
    server.listen()
    server.settimeout(0.1)
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                came.append(server.accept()[1])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept)
    thread.start()
    try:
        yield came
    finally:
        stop.set()
        thread.join()
        server.close()


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A folder anyone may write in, under /tmp, as a server's socket directory often is."""
    folder = Path(tempfile.mkdtemp(prefix="quizzer-socket-", dir="/tmp"))
    folder.chmod(0o1777)
    yield folder
    for entry in folder.iterdir():
        entry.unlink()
    folder.rmdir()


def unix_listener(folder: Path) -> socket.socket:
    path = folder / ".s.PGSQL.5432"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    path.chmod(0o777)
    return server


def connecting(family: str, address: object) -> str:
    return (
        "import socket\n"
        "def double(x):\n"
        f"    with socket.socket(socket.{family}) as s:\n"
        f"        s.connect({address!r})\n"
        "    return x * 2\n"
    )


def test_a_unix_socket_in_a_world_writable_folder_sees_no_connection(client: GradingClient, shared_folder: Path) -> None:
    server = unix_listener(shared_folder)
    with listening(server) as came:
        result = client.grade(drill("hostile-double"), connecting("AF_UNIX", str(shared_folder / ".s.PGSQL.5432")), seed=1)
    assert came == []
    assert result.verdict == "fail" and str(result.checks[0].got).startswith("PermissionError")


def test_a_loopback_tcp_listener_sees_no_connection(client: GradingClient) -> None:
    server = socket.socket(socket.AF_INET)
    server.bind(("127.0.0.1", 0))
    with listening(server) as came:
        result = client.grade(drill("hostile-double"), connecting("AF_INET", server.getsockname()), seed=1)
    assert came == []
    assert result.verdict == "fail" and str(result.checks[0].got).startswith("PermissionError")


def test_the_service_reports_that_sockets_are_denied(client: GradingClient) -> None:
    client.grade(drill("hostile-double"), "def double(x):\n    return x * 2\n", seed=1)
    assert client.sandbox_features()["seccomp"] is True


def test_without_seccomp_the_shared_folders_are_empty_and_private(shared_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if os.geteuid() != 0:
        pytest.skip("private mounts need root (a mount namespace)")
    monkeypatch.setattr(confine, "pyseccomp", None)  # as where libseccomp is missing
    server = unix_listener(shared_folder)
    workspace = tempfile.mkdtemp(prefix="quizzer-grading-")
    os.chmod(workspace, 0o711)
    torch.set_num_threads(1)  # as the service prepares itself before it forks its zygote
    warm_up()
    zygote = Zygote(workspace)
    code = connecting("AF_UNIX", str(shared_folder / ".s.PGSQL.5432"))
    blob = io.BytesIO()
    torch.save([((torch.arange(4.0),), {})], blob)
    try:
        with listening(server) as came:
            reply, raw = zygote.attempt(
                {"code": code, "function": "double", "grad_seeds": None, "time_limit": 5, "keep_arguments": False,
                 "record": False, "uses": [], "seal": ""},
                blob.getvalue(),
            )
    finally:
        zygote.close()
        os.rmdir(workspace)
    assert came == []
    assert zygote.features["seccomp"] is False and {"/tmp", "/dev/shm"} <= set(zygote.features["private_folders"])
    assert b"FileNotFoundError" in raw, str(reply)  # the folder is not there for it: the socket could be made
