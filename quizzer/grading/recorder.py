"""What the learner's code executes, recorded in the sandbox child while it runs: the torch
functions it calls (a ``TorchFunctionMode``), the ATen operators they reach (a
``TorchDispatchMode``) and learner functions entered while already running (a call to the
recorder compiled into the start of every function and lambda of the learner's code, which
costs nothing elsewhere, unlike a trace function on every Python call). Active only inside a
*window* around the learner's own code (defining it, one call), never around quizzer's
handling of arguments and results.

The record is data for the grading service, which judges it (``rules.judge_record``); nothing
here decides a verdict. The record proves itself to that judge: a canary operation run as the
first window opens must be seen by both modes, each window must open and close with the
recorder's modes on top of torch's mode stacks (``intact``), and each call must be seen
entering the learner's function (``entered``). The syntax rules keep the learner's code from
the names that could switch any of this off (dunder names, ``torch._C``, ``sys``...).

Events are kept once per (kind, name, via), with the first line they came from, so a loop of a
million operations costs a few entries.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import CodeType, FrameType
from typing import Any

import torch
from torch.overrides import TorchFunctionMode
from torch.utils._python_dispatch import TorchDispatchMode, _get_current_dispatch_mode

from quizzer.grading.execution import LEARNER_FILE
from quizzer.grading.rules import MAX_EVENTS

SKIPPED_MODULES = ("torch.overrides", "torch.utils._python_dispatch", "torch._ops", __name__)
"""Frames between the learner's code and an operation that are plumbing, not a function the
learner called."""
TORCH_METHOD_OWNERS = ("TensorBase", "Tensor", "_TensorBase")
PUBLIC_NAMESPACES = {"nn": "nn.functional"}
"""Where torch's compiled namespaces (``torch._C._nn``...) are public, when not under their own name."""
HOOK = "__quizzer_entered__"
"""The name the compiled-in entry call uses, in the learner's scope."""


class Recorder:
    """Collects one window of events at a time into ``windows``."""

    def __init__(self, seal: str) -> None:
        self.seal = seal
        """The service's secret for this attempt, returned with the record."""
        self.windows: list[dict[str, Any]] = []
        self.events: dict[tuple[str, str, str], int] = {}
        self.current: tuple[str, int] | None = None
        """The torch function being run and its line (set while the function mode runs it)."""
        self.canary = [False, False]
        self.in_canary = False
        self.canary_run = False
        self.entered = 0
        self.functions = _FunctionMode(self)
        self.operators = _DispatchMode(self)

    @contextmanager
    def window(self) -> Iterator[None]:
        """Record what runs inside, under both modes (the canary run in the first window)."""
        self.events, self.entered, self.current = {}, 0, None
        intact = False
        try:
            with self.functions, self.operators:
                if not self.canary_run:
                    self.in_canary = self.canary_run = True
                    torch.zeros(())
                    self.in_canary = False
                opened = self._on_top()
                try:
                    yield
                finally:
                    intact = opened and self._on_top()
        finally:  # a window the learner's exception ends is recorded too
            self.windows.append({
                "entered": self.entered, "intact": intact, "canary": self.canary,
                "events": [[kind, name, via, line] for (kind, name, via), line in list(self.events.items())[:MAX_EVENTS + 1]],
            })

    def record(self) -> dict[str, Any]:
        return {"seal": self.seal, "windows": self.windows}

    def add(self, kind: str, name: str, via: str, line: int) -> None:
        self.events.setdefault((kind, name, via), line)

    def _on_top(self) -> bool:
        return _get_current_dispatch_mode() is self.operators and _top_function_mode() is self.functions

    def hooked(self, tree: ast.Module) -> tuple[ast.Module, dict[str, Any]]:
        """``tree`` with a call to the recorder at the start of every function and lambda,
        and the scope entry that call needs."""
        return ast.fix_missing_locations(_EntryCalls().visit(tree)), {HOOK: self._entered}

    def _entered(self) -> None:
        """A learner function starts: count it, and find it already running (recursion)."""
        frame = sys._getframe(1)
        code = frame.f_code
        self.entered += 1
        caller = frame.f_back
        while caller is not None:
            if caller.f_code is code:
                self.add("recursion", code.co_qualname, "", _learner_line(frame.f_back))
                return
            caller = caller.f_back


class _EntryCalls(ast.NodeTransformer):
    """Puts ``HOOK()`` first in every function body and lambda (``(HOOK(), body)[1]``)."""

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> ast.AST:
        self.generic_visit(node)
        call = ast.copy_location(ast.Expr(_hook_call(node)), node.body[0])
        node.body.insert(0, call)
        return node

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node: ast.Lambda) -> ast.AST:
        self.generic_visit(node)
        pair = ast.Tuple([_hook_call(node), node.body], ast.Load())
        node.body = ast.copy_location(ast.Subscript(pair, ast.Constant(1), ast.Load()), node.body)
        return node


def _hook_call(node: ast.AST) -> ast.Call:
    return ast.copy_location(ast.Call(ast.Name(HOOK, ast.Load()), [], []), node)


class _FunctionMode(TorchFunctionMode):
    def __init__(self, recorder: Recorder) -> None:
        super().__init__()
        self.recorder = recorder

    def __torch_function__(self, func: Any, types: Any, args: Any = (), kwargs: Any = None) -> Any:
        recorder = self.recorder
        if recorder.in_canary:
            recorder.canary[0] = True
            return func(*args, **(kwargs or {}))
        name = function_name(func)
        learner, via = _caller(sys._getframe(1))
        if learner is not None:
            recorder.add("torch", name, "" if via == name else via, learner.f_lineno)
        outer, recorder.current = recorder.current, (name, learner.f_lineno) if learner is not None else None
        try:
            return func(*args, **(kwargs or {}))
        finally:
            recorder.current = outer


class _DispatchMode(TorchDispatchMode):
    def __init__(self, recorder: Recorder) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # torch leaves TorchDispatchMode.__init__ unannotated
        self.recorder = recorder

    def __torch_dispatch__(self, func: Any, types: Any, args: Any = (), kwargs: Any = None) -> Any:
        recorder = self.recorder
        if recorder.in_canary:
            recorder.canary[1] = True
        elif recorder.current is not None:
            recorder.add("aten", func.overloadpacket.__name__, *recorder.current)
        else:
            learner, via = _caller(sys._getframe(1))
            if learner is not None:
                recorder.add("aten", func.overloadpacket.__name__, via, learner.f_lineno)
        return func(*args, **(kwargs or {}))


def function_name(func: Any) -> str:
    """``torch.cumsum``, ``Tensor.cumsum_``, ``Tensor.shape``, ``torch.nn.functional.softmax``,
    ``torch.ops.aten.cumsum``: one name whatever spelling reached the function."""
    if type(func).__name__ in ("OpOverloadPacket", "OpOverload"):
        return f"torch.ops.{func.name().replace('::', '.').split('.default')[0]}" if hasattr(func, "name") else f"torch.ops.{func}"
    name = getattr(func, "__name__", "") or ""
    if name == "__get__" and hasattr(getattr(func, "__self__", None), "__name__"):
        return f"Tensor.{func.__self__.__name__}"  # a property: x.shape, x.T
    qualname = getattr(func, "__qualname__", name) or name
    owner = qualname.split(".")[0]
    if owner in TORCH_METHOD_OWNERS:
        return f"Tensor.{name}"
    if owner == "_VariableFunctionsClass":
        return f"torch.{name}"
    module = (getattr(func, "__module__", None) or "torch").replace("torch.functional", "torch")
    if module.startswith("torch._C._"):  # F.linear is torch._C._nn.linear, torch.special.expit torch._C._special.special_expit
        public = module.removeprefix("torch._C._")
        return f"torch.{PUBLIC_NAMESPACES.get(public, public)}.{name.removeprefix(public + '_')}"
    return f"{module}.{name if '<locals>' in qualname else qualname}"


def _caller(frame: FrameType | None) -> tuple[FrameType | None, str]:
    """The innermost frame of learner code above ``frame``, and the function the learner
    called to get here (the outermost non-plumbing frame below it), or None when the call came
    from trusted code (a drill this one ``uses``)."""
    via = ""
    while frame is not None:
        code = frame.f_code
        if code.co_filename == LEARNER_FILE:
            return frame, via
        if code.co_filename.startswith("<uses "):
            return None, ""
        module = frame.f_globals.get("__name__", "")
        if not module.startswith(SKIPPED_MODULES):
            via = _frame_name(code, module)
        frame = frame.f_back
    return None, ""


def _frame_name(code: CodeType, module: str) -> str:
    qualname = code.co_qualname
    if module == "torch._tensor" and qualname.startswith("Tensor."):
        return qualname
    return f"{module.replace('torch.functional', 'torch')}.{qualname}"


def _learner_line(frame: FrameType | None) -> int:
    while frame is not None and frame.f_code.co_filename != LEARNER_FILE:
        frame = frame.f_back
    return frame.f_lineno if frame is not None else 0


def _top_function_mode() -> Any:
    depth = torch._C._len_torch_function_stack()
    return torch._C._get_function_stack_at(depth - 1) if depth else None
