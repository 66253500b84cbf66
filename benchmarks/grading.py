"""Grading latency: a typical write drill through the warm client, against a cold interpreter.

Warm: ``--attempts`` gradings of a softmax drill, and as many of the same drill with rules
(``no-loops``, ``no-call:torch.softmax``: checked on the syntax tree and on the operations
recorded in the sandbox child), alternating; each (one example and five random cases, value,
shape and dtype compared) through one ``GradingClient`` whose service has started, each with
a new seed (so the reference is run every time, nothing is cached), timed from the call to the
result. Cold: a fresh interpreter that imports torch and runs the same attempt in-process (no
sandbox at all), ``--cold-runs`` times. Targets: warm p50 ≤ 30 ms and ≥ 50× faster than cold.

    .venv/bin/python benchmarks/grading.py [--attempts 200] [--cold-runs 7]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from quizzer.grading.client import GradingClient  # noqa: E402  (after the path is set)

DRILL = {
    "id": "bench-softmax",
    "kind": "write",
    "function": "softmax",
    "reference": (
        "def softmax(x, dim):\n"
        "    e = (x - x.amax(dim, keepdim=True)).exp()\n"
        "    return e / e.sum(dim, keepdim=True)\n"
    ),
    "examples": ["torch.tensor([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]]), 1"],
    "generator": (
        "def generate(g, rng, params):\n"
        "    return (torch.randn(rng.randint(2, 16), rng.randint(2, 16), generator=g), rng.choice([0, 1]))\n"
    ),
    "cases": 5,
}
RULED = {**DRILL, "id": "bench-softmax-ruled", "rules": ["no-loops", "no-call:torch.softmax"]}
"""The same drill with rules, so every attempt's operations are recorded in the sandbox child."""
SUBMISSION = (
    "def softmax(x, dim):\n"
    "    shifted = x - x.max(dim=dim, keepdim=True).values\n"
    "    e = torch.exp(shifted)\n"
    "    return e / e.sum(dim=dim, keepdim=True)\n"
)
COLD = f"""
import sys, time
sys.path.insert(0, {str(REPO)!r})
import torch
from quizzer.grading.checks import Tolerance, judge_call
from quizzer.grading.execution import LEARNER_FILE, call, define
from quizzer.grading.trusted import write_plan
import io, json
drill, code, seed = json.loads(sys.argv[1]), sys.argv[2], int(sys.argv[3])
plan = write_plan(drill, seed, {{}}, graded=True)
learner = define(code, LEARNER_FILE)[drill["function"]]
calls = torch.load(io.BytesIO(plan.args_blob), weights_only=True)
checks = [c for case, (a, k) in zip(plan.cases, calls)
          for c in judge_call(case.label, case.shown, case.expected, call(learner, tuple(a), k, None),
                              ["value", "shape", "dtype"], Tolerance())]
assert all(c.passed for c in checks)
"""


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def warm(attempts: int) -> tuple[list[float], list[float]]:
    """Timings of the drill as it is, and with rules that the sandbox child records the
    learner's operations for, alternating so both see the same machine load."""
    with GradingClient() as client:
        assert client.grade(DRILL, SUBMISSION, seed=0).passed  # waits for the service to be ready
        timings: tuple[list[float], list[float]] = ([], [])
        for seed in range(1, attempts + 1):
            for drill, times in ((DRILL, timings[0]), (RULED, timings[1])):
                started = time.perf_counter()
                result = client.grade(drill, SUBMISSION, seed=seed)
                times.append((time.perf_counter() - started) * 1000)
                assert result.passed, result
        print(f"sandbox: {client.sandbox}")
    return timings


def cold(runs: int) -> list[float]:
    timings = []
    for seed in range(1, runs + 1):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", COLD, json.dumps(DRILL), SUBMISSION, str(seed)], check=True, cwd=REPO)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=200)
    parser.add_argument("--cold-runs", type=int, default=7)
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    hot, ruled = warm(args.attempts)
    slow = cold(args.cold_runs)
    warm_p50, ruled_p50, cold_p50 = statistics.median(hot), statistics.median(ruled), statistics.median(slow)
    print(f"warm: {len(hot)} attempts, p50 {warm_p50:.1f} ms, p95 {percentile(hot, 0.95):.1f} ms (target p50 ≤ 30 ms)")
    print(f"warm with rules recorded at run time: p50 {ruled_p50:.1f} ms, p95 {percentile(ruled, 0.95):.1f} ms, "
          f"{ruled_p50 / warm_p50:.2f}× the time without (target ≤ 1.2×)")
    print(f"cold: {len(slow)} fresh interpreters, p50 {cold_p50:.0f} ms, p95 {percentile(slow, 0.95):.0f} ms")
    print(f"warm is {cold_p50 / warm_p50:.0f}× faster than cold (target ≥ 50×)")


if __name__ == "__main__":
    main()
