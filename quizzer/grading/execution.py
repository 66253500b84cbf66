"""Define drill code and call its function: the same steps for the learner's code (in the
sandbox child) and for trusted code (reference, generator, examples, snippet, in the service),
so both sides are judged on equal terms.

A call's result is reduced to *wire* values, the only things that cross back from the child:
plain tensors (detached, no subclass), None, bool, int, float, str, and tuples, lists and
dicts (str or int keys) of them. ``torch.Size`` becomes a tuple and a dtype its name; a subclass
of tuple, list or dict (namedtuple, Counter, OrderedDict, defaultdict) becomes its base type.
"""

from __future__ import annotations

import ast
import builtins
import functools
import importlib
import io
import linecache
import math
import operator
import traceback
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from quizzer.grading.protocol import CallError

LEARNER_FILE = "<your code>"
DRILL_MODULE = "__drill__"
"""The module name of drill code, left out of the type names shown: ``Anything``."""
PACKAGE_DIR = str(Path(__file__).resolve().parent)
MAX_MESSAGE = 2000
MAX_TRACEBACK = 20000
MAX_DEPTH = 16
KEY_TYPES = (str, int)
"""The types a returned dict's keys may have (a ``Counter`` of class indices has int keys)."""
PRELOADED = ("decimal", "fractions", "statistics", "encodings.idna")
"""Standard modules drill code may import that torch does not load: a sandbox child running as
``nobody`` cannot read a Python installed in a private directory (such as /root/.pyenv)."""


MEMORY_ERRORS = ("MemoryError",)
MEMORY_MESSAGES = ("can't allocate memory", "not enough memory", "out of memory")


def is_memory_error(error: CallError) -> bool:
    """Whether a described exception means the code ran out of memory (torch says so in its message)."""
    return any(name in error["mro"] for name in MEMORY_ERRORS) or any(m in error["message"] for m in MEMORY_MESSAGES)


class Unsupported(Exception):
    """A returned value that is not a wire value (the message names its type)."""


@dataclass
class CallOutcome:
    """What one call did: its output as a wire value, or the exception it raised."""

    output: Any = None
    error: CallError | None = None
    """What the call raised."""
    unsupported: str | None = None
    """The type of a returned value that cannot be compared (an arbitrary object)."""
    grads: list[torch.Tensor | None] | None = None
    """With grad checking: the gradient of each positional argument (None: not a float tensor,
    or no gradient reached it)."""
    grad_error: str | None = None
    arguments: Any = None
    """With argument checking: ``[args, kwargs]`` as wire values after the call, to show
    whether the function changed them."""


def warm_up() -> None:
    """Run torch's lazy, once-per-process set-up (CPU feature detection, autograd, serialisation)
    and import ``PRELOADED``."""
    for module in PRELOADED:
        importlib.import_module(module)
    x = torch.linspace(-1, 1, 64, requires_grad=True).reshape(8, 8)
    (x @ x).softmax(1).log().sum().backward()
    buffer = io.BytesIO()
    torch.save({"calls": [((x.detach(), 1), {})]}, buffer)
    torch.load(io.BytesIO(buffer.getvalue()), weights_only=True)
    # An optimizer's first construction imports hundreds of modules (torch._dynamo, cProfile…)
    # that a child running as nobody could not read from a private Python installation.
    weight = torch.zeros(2, requires_grad=True)
    optimizer = torch.optim.SGD([weight], lr=0.1, momentum=0.9)
    weight.sum().backward()
    optimizer.step()
    # Recording under torch's function and dispatch modes loads and caches ~30 ms worth the
    # first time: paid here, before the zygote forks, not in every attempt with rules.
    from quizzer.grading.recorder import Recorder  # here: the recorder builds on this module

    with Recorder("").window():
        (x.detach() @ x.detach()).cumsum(0)[0]


def namespace() -> dict[str, Any]:
    """What drill code starts with: torch, nn, F and math."""
    return {"__name__": DRILL_MODULE, "__builtins__": builtins, "torch": torch, "nn": torch.nn, "F": torch.nn.functional, "math": math}


def scope_with(used: list[dict[str, str]]) -> dict[str, Any]:
    """What drill code starts with, plus the reference function of each drill it uses (its
    ``id``, ``function`` and ``reference``), each defined from a file named ``<uses ID>``."""
    trusted = namespace()
    for drill in used:
        define(drill["reference"], f"<uses {drill['id']}>", trusted)
    return namespace() | {drill["function"]: trusted[drill["function"]] for drill in used}


def define(code: str, filename: str, scope: dict[str, Any] | None = None, tree: ast.Module | None = None) -> dict[str, Any]:
    """Run ``code`` (compiled from ``tree`` if given) as a module named ``filename`` (shown in
    tracebacks, with its source lines), in ``scope`` if given."""
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
    scope = namespace() if scope is None else scope
    exec(compile(code if tree is None else tree, filename, "exec"), scope)
    return scope


def evaluate(code: str, filename: str) -> Any:
    """Run ``code`` and return the value of its last statement, an expression (as a REPL would)."""
    tree = ast.parse(code, filename)
    last = tree.body.pop()
    if not isinstance(last, ast.Expr):
        raise ValueError(f"{filename} must end with an expression")
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
    scope = namespace()
    exec(compile(tree, filename, "exec"), scope)
    return eval(compile(ast.Expression(last.value), filename, "eval"), scope)


def call(function: Any, args: tuple[Any, ...], kwargs: dict[str, Any], grad_seed: int | None, keep_arguments: bool = False,
         watch: Callable[[], AbstractContextManager[None]] = nullcontext) -> CallOutcome:
    """Call ``function`` (inside ``watch()``, which records what it runs); with ``grad_seed``,
    floating tensor arguments require grad and the output, weighted by fixed random numbers
    drawn from the seed, is back-propagated; with ``keep_arguments``, the arguments as they are
    after the call come back too.

    ``SystemExit`` and ``KeyboardInterrupt`` are not caught: the caller decides what they mean."""
    if grad_seed is not None:
        args = tuple(a.detach().requires_grad_() if _floating(a) else a for a in args)
    try:
        with watch():
            result = function(*args, **kwargs)
    except Exception as exc:
        return CallOutcome(error=describe_exception(exc))
    try:
        outcome = CallOutcome(output=to_wire(result), arguments=to_wire([list(args), kwargs]) if keep_arguments else None)
    except Unsupported as exc:
        return CallOutcome(unsupported=str(exc))
    if grad_seed is not None:
        outcome.grads, outcome.grad_error = _gradients(result, args, grad_seed)
    return outcome


def _floating(value: Any) -> bool:
    return isinstance(value, torch.Tensor) and value.is_floating_point()


def _gradients(result: Any, args: tuple[Any, ...], seed: int) -> tuple[list[torch.Tensor | None] | None, str | None]:
    outputs = [t for t in _tensors(result) if t.requires_grad and _floating(t)]
    if not outputs:
        return None, "the output does not depend on the inputs through autograd (no grad_fn)"
    try:
        total = functools.reduce(operator.add, [(o * _grad_weights(o, seed + k)).sum() for k, o in enumerate(outputs)])
        total.backward()
    except Exception as exc:
        return None, f"backward failed: {_message(exc)}"
    return [a.grad.detach().clone() if isinstance(a, torch.Tensor) and a.grad is not None else None for a in args], None


def _grad_weights(output: torch.Tensor, seed: int) -> torch.Tensor:
    """The fixed random weighting of one output, so sums that cancel out still show."""
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(output.shape, generator=generator, dtype=torch.float64).to(output.dtype)


def _tensors(value: Any) -> list[torch.Tensor]:
    if isinstance(value, torch.Tensor):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, tuple | list):
        return [t for v in value for t in _tensors(v)]
    return []


def to_wire(value: Any, depth: int = 0) -> Any:
    """``value`` as wire values, or ``Unsupported``."""
    if depth > MAX_DEPTH:
        raise Unsupported("a structure nested too deeply")
    if isinstance(value, torch.Tensor):
        with torch._C.DisableTorchFunctionSubclass():  # a subclass's __torch_function__ is learner code
            tensor = torch.Tensor.detach(value)
            if tensor.device.type != "cpu" or tensor.layout != torch.strided:
                raise Unsupported(f"a {tensor.layout} tensor on {tensor.device}")
            return tensor.as_subclass(torch.Tensor).clone()
    if value is None or type(value) in (bool, int, float, str):
        return value
    if isinstance(value, torch.Size):
        return tuple(int(v) for v in value)
    if isinstance(value, torch.dtype):
        return str(value)
    if isinstance(value, tuple | list):  # a namedtuple is compared as the tuple it is; a subclass's __iter__ is not run
        items = tuple.__iter__(value) if isinstance(value, tuple) else list.__iter__(value)
        return (tuple if isinstance(value, tuple) else list)(to_wire(v, depth + 1) for v in items)
    if isinstance(value, dict) and all(type(k) in KEY_TYPES for k in dict.keys(value)):  # Counter, OrderedDict, defaultdict too
        return {k: to_wire(v, depth + 1) for k, v in dict.items(value)}
    raise Unsupported(type_name(type(value)))


def type_name(cls: type) -> str:
    """``ValueError``, ``Anything`` (defined by drill code), ``numpy.ndarray``."""
    return cls.__qualname__ if cls.__module__ in ("builtins", DRILL_MODULE) else f"{cls.__module__}.{cls.__qualname__}"


def describe_exception(exc: BaseException) -> CallError:
    """An exception as data: its type, the names of its classes (for isinstance checks done
    elsewhere), message and the traceback without this package's own frames."""
    return {
        "type": type_name(type(exc)),
        "mro": [type_name(c) for c in type(exc).__mro__],
        "message": _message(exc),
        "traceback": format_traceback(exc),
    }


def _message(exc: BaseException) -> str:
    try:
        return str(exc)[:MAX_MESSAGE]
    except Exception:
        return "(its message could not be shown)"


def format_traceback(exc: BaseException) -> str:
    """The traceback as Python prints it, minus the frames of quizzer's grading code."""
    try:
        report = traceback.TracebackException.from_exception(exc)
        pending = [report]
        while pending:
            current = pending.pop()
            current.stack = traceback.StackSummary.from_list([f for f in current.stack if not f.filename.startswith(PACKAGE_DIR)])
            pending += [e for e in (current.__cause__, current.__context__) if e is not None]
        return "".join(report.format())[-MAX_TRACEBACK:]
    except Exception:
        return f"{type_name(type(exc))}: {_message(exc)}\n"
