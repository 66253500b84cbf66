"""Batch grading: ``quizzer grade DRILL FILE… --json`` on ``--files`` submissions in one command,
as a teacher or a test suite would run it. One grading service grades them all; the figure that
counts is the time per file once it is up (target ≤ 50 ms), taken between the first and the
last result line as they arrive. Half the files pass, half fail on a value, every one differs
(so nothing is answered from a cache of identical code).

    .venv/bin/python benchmarks/grade_batch.py [--files 200]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DECK = REPO / "tests" / "fixtures" / "drill_deck"
RIGHT = "def softmax(X):\n    e = (X - X.max(1, keepdim=True).values).exp()\n    return e / e.sum(1, keepdim=True)  # {n}\n"
WRONG = "def softmax(X):\n    return X / X.sum(1, keepdim=True)  # {n}\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=200)
    count = parser.parse_args().files
    with tempfile.TemporaryDirectory() as folder:
        files = []
        for n in range(count):
            path = Path(folder) / f"student{n:03d}.py"
            path.write_text((RIGHT if n % 2 == 0 else WRONG).format(n=n))
            files.append(str(path))
        command = [sys.executable, "-m", "quizzer", "--db", f"sqlite:///{folder}/bench.sqlite3", "grade", "drill-softmax", *files, "--json"]
        started = time.monotonic()
        process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=REPO, env={**os.environ, "QUIZZER_CONTENT": str(DECK)})
        assert process.stdout is not None
        arrivals, results = [], []
        for line in process.stdout:
            arrivals.append(time.monotonic())
            results.append(json.loads(line))
        process.wait()
    total = time.monotonic() - started
    assert len(results) == count, f"{len(results)} results for {count} files"
    passed = sum(r["verdict"] == "pass" for r in results)
    per_file = (arrivals[-1] - arrivals[0]) / (count - 1) * 1000
    service = statistics.median(r["duration_ms"] for r in results)
    print(f"{count} files in {total:.1f} s ({passed} pass, {count - passed} fail); first result after {arrivals[0] - started:.1f} s (start-up, service up)")
    print(f"after that: {per_file:.1f} ms per file (target <= 50 ms); grading itself median {service:.1f} ms")


if __name__ == "__main__":
    main()
