"""Trusted drill code, run by the grading service itself: the examples' arguments, the
generator's random cases, the reference's outcomes and predict snippets' values.

A ``Plan`` holds one instance's calls (their arguments serialised for the sandbox, and the
reference's outcome of each); plans and predict truths are cached per (drill, seed, parameters).
A drill whose trusted code fails is a content bug: ``GradingError`` says which drill and part.
Trusted code runs under the drill's time limit (SIGALRM), so a looping reference cannot hang
the service.
"""

from __future__ import annotations

import hashlib
import io
import json
import random
import signal
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar, cast

import torch

from quizzer.errors import GradingError
from quizzer.grading.checks import summarise_call
from quizzer.grading.execution import CallOutcome, call, define, evaluate, namespace, scope_with, to_wire
from quizzer.grading.protocol import MAX_BLOB_BYTES

DEFAULT_CASES = 5
DEFAULT_TIME_LIMIT = 5.0
CACHE_SIZE = 256
T = TypeVar("T")


@dataclass
class Case:
    """One call of an instance: its label, how it is shown, and the reference's outcome."""

    label: str
    shown: str
    expected: CallOutcome | None


@dataclass
class Plan:
    """The calls of one write-drill instance."""

    cases: list[Case]
    args_blob: bytes
    """``torch.save`` of ``[(args, kwargs), ...]``, what the sandbox child loads."""
    grad_seeds: list[int] | None


class _Timeout(BaseException):
    """Raised by SIGALRM inside trusted code (a BaseException, so ``call`` does not catch it)."""


@contextmanager
def time_limit(seconds: float, what: str) -> Iterator[None]:
    def expire(_signum: int, _frame: object) -> None:
        raise _Timeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _Timeout:
        raise GradingError(f"{what} ran past the drill's {seconds:g} s time limit") from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def derive_seed(seed: int, *labels: object) -> int:
    """A seed for one use of the attempt's seed (a random case, a gradient weighting)."""
    digest = hashlib.sha256(repr((seed, *labels)).encode()).digest()
    return int.from_bytes(digest[:7], "big")


class Cache:
    """The most recently used plans and truths, by (drill content, seed, parameters, purpose)."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self.entries: OrderedDict[str, Any] = OrderedDict()

    @staticmethod
    def key(drill: dict[str, Any], seed: int, params: dict[str, Any], purpose: str) -> str:
        payload = json.dumps([drill, seed, params, purpose], sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode()).hexdigest()

    def get(self, key: str, build: Callable[[], T]) -> T:
        if key in self.entries:
            self.entries.move_to_end(key)
            return cast(T, self.entries[key])  # the key names what ``build`` made: one purpose, one type
        value = build()
        self.entries[key] = value
        if len(self.entries) > self.size:
            self.entries.popitem(last=False)
        return value


def write_plan(drill: dict[str, Any], seed: int, params: dict[str, Any], *, graded: bool) -> Plan:
    """The calls of a (placeholder-filled) write drill: its examples, and when ``graded`` its
    random cases and the reference's outcome of every call."""
    name, function = drill["id"], drill["function"]
    limit = float(drill.get("time_limit", DEFAULT_TIME_LIMIT))
    calls: list[tuple[str, str, tuple[Any, ...], dict[str, Any]]] = []
    with time_limit(limit, f"drill {name}: building its calls"):
        for n, source in enumerate(drill["examples"], 1):
            with _trusted(name, f"example {n}"):
                args, kwargs = _example_arguments(source, f"<example {n} of {name}>")
            calls.append((f"example {n}", f"{function}({source})", args, kwargs))
        if graded and "generator" in drill:
            with _trusted(name, "generator"):
                generate = define(drill["generator"], f"<generator of {name}>")["generate"]
            for n in range(1, int(drill.get("cases", DEFAULT_CASES)) + 1):
                case_seed = derive_seed(seed, "case", n)
                with _trusted(name, "generator"):
                    args = generate(torch.Generator().manual_seed(case_seed), random.Random(case_seed), dict(params))
                if not isinstance(args, tuple):
                    raise GradingError(f"drill {name}: generate() must return a tuple of arguments, not {type(args).__name__}")
                calls.append((f"random case {n}", summarise_call(function, args, {}), args, {}))
    blob, loaded = _serialise(name, [(args, kwargs) for _, _, args, kwargs in calls])
    grad_seeds = [derive_seed(seed, "grad", n) for n in range(len(calls))] if graded and "grad" in drill.get("compare", ()) else None
    expected: list[CallOutcome | None] = [None] * len(calls)
    if graded:
        with time_limit(limit, f"drill {name}: its reference"):
            with _trusted(name, "reference"):
                reference = define(drill["reference"], f"<reference of {name}>", scope_with(drill.get("used", [])))[function]
            keep = "arguments" in drill.get("compare", ())
            expected = [call(reference, tuple(a), dict(k), grad_seeds[i] if grad_seeds else None, keep) for i, (a, k) in enumerate(loaded)]
        for (label, *_), outcome in zip(calls, expected, strict=True):
            if outcome is not None and outcome.unsupported is not None:
                raise GradingError(f"drill {name}: the reference returns {outcome.unsupported} for {label}, which cannot be compared")
    return Plan([Case(label, shown, outcome) for (label, shown, _, _), outcome in zip(calls, expected, strict=True)], blob, grad_seeds)


def predict_truth(drill: dict[str, Any]) -> Any:
    """The value of a (placeholder-filled) predict drill's snippet: a wire value, or any object
    for a text answer (compared as its ``str``: a dtype, a device...)."""
    name = drill["id"]
    with time_limit(float(drill.get("time_limit", DEFAULT_TIME_LIMIT)), f"drill {name}: its snippet"):
        with _trusted(name, "snippet"):
            value = evaluate(drill["snippet"], f"<snippet of {name}>")
        if drill["answer_type"] == "text":
            return value
        with _trusted(name, "snippet's value"):
            return to_wire(value)


def _example_arguments(source: str, filename: str) -> tuple[tuple[Any, ...], dict[str, Any]]:
    scope = namespace() | {"__arguments__": lambda *args, **kwargs: (args, kwargs)}
    arguments: tuple[tuple[Any, ...], dict[str, Any]] = eval(compile(f"__arguments__({source})", filename, "eval"), scope)
    return arguments


@contextmanager
def _trusted(name: str, part: str) -> Iterator[None]:
    """Runs the block as the drill's trusted ``part``: any failure is a ``GradingError`` naming both."""
    try:
        yield
    except GradingError:
        raise
    except Exception as exc:
        raise GradingError(f"drill {name}: its {part} failed: {type(exc).__name__}: {exc}") from exc


def _serialise(name: str, calls: list[tuple[tuple[Any, ...], dict[str, Any]]]) -> tuple[bytes, Any]:
    """The calls as the sandbox gets them, and loaded back as it will load them (the reference
    runs on those very arguments)."""
    buffer = io.BytesIO()
    try:
        torch.save(calls, buffer)
        loaded = torch.load(io.BytesIO(buffer.getvalue()), weights_only=True)
    except Exception as exc:
        raise GradingError(f"drill {name}: its arguments cannot be sent to the sandbox (tensors, numbers, strings and "
                           f"tuples/lists of them can): {exc}") from exc
    if buffer.tell() > MAX_BLOB_BYTES:
        raise GradingError(f"drill {name}: its arguments take more than {MAX_BLOB_BYTES >> 20} MiB")
    return buffer.getvalue(), loaded
