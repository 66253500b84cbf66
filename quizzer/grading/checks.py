"""Judge what the learner's code returned against the reference, one ``Check`` per aspect.

Everything here runs in the grading service on plain data (wire values loaded with
``torch.load(weights_only=True)``), with the service's own torch: nothing the learner's code
patched in its sandbox can reach it.

Tolerances for floating values: the drill's ``atol``/``rtol`` if given, else those of
``torch.testing.assert_close`` for the expected dtype (float32: rtol 1.3e-6, atol 1e-5;
float64: 1e-7 both; float16: 1e-3/1e-5; bfloat16: 1.6e-2/1e-5; Python floats as float32).
Integers, booleans, strings and None compare exactly. NaN equals NaN. With the ``any-number``
aspect, a Python int and a float of the same value are both right (``dtype`` still applies to
tensors). With ``broadcast``, a tensor whose shape broadcasts to the expected one is compared
as broadcast to it (a (1, n) answer for an (m, n) result that repeats one row).
A predict drill's typed float or tensor answer is rounded by hand, so it defaults to rtol 5e-3
(right to three significant digits) and almost no atol, so that ``0`` is not accepted for a
small non-zero truth such as 1.5e-5.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch

from quizzer.grading.answers import normalise_text
from quizzer.grading.execution import CallOutcome
from quizzer.grading.protocol import Check, CheckName

DEFAULT_TOLERANCES = {  # dtype: (rtol, atol), as torch.testing.assert_close
    torch.float16: (1e-3, 1e-5),
    torch.bfloat16: (1.6e-2, 1e-5),
    torch.float32: (1.3e-6, 1e-5),
    torch.float64: (1e-7, 1e-7),
}
PREDICT_TOLERANCE = (5e-3, 1e-12)
MAX_SHOWN = 200

Aspect = tuple[CheckName, bool, str | None, str | None, str]
"""One compared aspect: ``(name, passed, expected, got, detail)``."""


@dataclass(frozen=True)
class Tolerance:
    """The drill's ``rtol``/``atol`` (None: the defaults for the dtype)."""

    rtol: float | None = None
    atol: float | None = None

    def for_dtype(self, dtype: torch.dtype) -> tuple[float, float]:
        if not dtype.is_floating_point:
            return 0.0, 0.0
        return self._or(DEFAULT_TOLERANCES.get(dtype, DEFAULT_TOLERANCES[torch.float32]))

    def for_typed_answer(self) -> tuple[float, float]:
        return self._or(PREDICT_TOLERANCE)

    def _or(self, default: tuple[float, float]) -> tuple[float, float]:
        return (default[0] if self.rtol is None else self.rtol), (default[1] if self.atol is None else self.atol)


def judge_call(label: str, shown: str, expected: CallOutcome, got: CallOutcome, aspects: list[str], tolerance: Tolerance) -> list[Check]:
    """The checks of one call: the same exception as the reference, or each compared aspect of
    the output, then the gradients."""
    def check(name: CheckName, passed: bool, expected: str | None, got: str | None, detail: str = "") -> Check:
        return Check(name, passed, expected, got, detail, call=label, args=shown)

    if expected.error is not None:
        wanted = expected.error["type"]
        if got.error is not None:
            passed = wanted in got.error["mro"]
            return [check("raises", passed, f"raises {wanted}", f"raises {got.error['type']}: {got.error['message']}")]
        returned = f"an object of type {got.unsupported}" if got.unsupported is not None else _shown(got.output)
        return [check("raises", False, f"raises {wanted}", f"returned {returned}", f"the reference raises {wanted} for this call, so yours must too")]
    if got.error is not None:
        return [check("error", False, "a return value", f"{got.error['type']}: {got.error['message']}", "your function raised an exception")]
    if got.unsupported is not None:
        return [check("type", False, _describe(expected.output), f"an object of type {got.unsupported}",
                      "return tensors, numbers, strings, None, or tuples/lists/dicts of them")]
    checks = [check(*c) for c in compare(expected.output, got.output, aspects, tolerance, "")]
    if "grad" in aspects:
        checks.append(check(*_compare_grads(expected, got, tolerance)))
    if "arguments" in aspects:
        checks.append(check(*_compare_arguments(expected, got, tolerance)))
    return checks


def _compare_arguments(expected: CallOutcome, got: CallOutcome, tolerance: Tolerance) -> Aspect:
    """The arguments after the call against the reference's after its call: unchanged when the
    reference leaves them alone, changed alike when the drill is to update them in place."""
    (expected_args, expected_kwargs), (got_args, got_kwargs) = expected.arguments, got.arguments
    named = [(f"argument {n}", e, g) for n, (e, g) in enumerate(zip(expected_args, got_args, strict=False), 1)]
    named += [(f"argument {key}", expected_kwargs[key], got_kwargs.get(key)) for key in expected_kwargs]
    for name, before, after in named:
        failed = [c for c in compare(before, after, ["value", "shape", "dtype"], tolerance, "") if not c[1]]
        if failed:
            _, _, shown_expected, shown_got, detail = failed[0]
            return "arguments", False, shown_expected, shown_got, f"your function changed {name}" + (f": {detail}" if detail else "")
    return "arguments", True, "arguments left as the reference leaves them", "the same", ""


def compare(expected: Any, got: Any, aspects: list[str], tolerance: Tolerance, path: str) -> list[Aspect]:
    """``(name, passed, expected, got, detail)`` for each compared aspect of two wire values."""
    where = f" (output{path})" if path else ""
    if _kind(expected) != _kind(got):
        return [("type", False, _describe(expected), _describe(got), f"the result has the wrong kind{where}")]
    if isinstance(expected, torch.Tensor):
        return _compare_tensors(expected, got, aspects, tolerance, where)
    if isinstance(expected, tuple | list):
        if len(expected) != len(got):
            return [("type", False, f"{_describe(expected)} of {len(expected)}", f"{_describe(got)} of {len(got)}", f"wrong number of items{where}")]
        return [c for i, (e, g) in enumerate(zip(expected, got, strict=True)) for c in compare(e, g, aspects, tolerance, f"{path}[{i}]")]
    if isinstance(expected, dict):
        if set(expected) != set(got):
            return [("type", False, f"keys {sorted(expected, key=repr)}", f"keys {sorted(got, key=repr)}", f"different keys{where}")]
        return [c for k in expected for c in compare(expected[k], got[k], aspects, tolerance, f"{path}[{k!r}]")]
    results: list[Aspect] = []
    if "dtype" in aspects and "any-number" not in aspects and type(expected) is not type(got):
        results.append(("dtype", False, type(expected).__name__, type(got).__name__, f"wrong Python type{where}"))
    if "value" in aspects:
        results.append(("value", _same_scalar(expected, got, tolerance), _shown(expected), _shown(got), where.strip()))
    return results


def _kind(value: Any) -> str:
    """What must match between expected and got: a tuple and a list are alike, as are numbers."""
    if isinstance(value, bool | int | float):
        return "number"
    return "sequence" if isinstance(value, tuple | list) else _describe(value)


def _describe(value: Any) -> str:
    if isinstance(value, torch.Tensor):
        return "tensor"
    return "None" if value is None else type(value).__name__


def _same_scalar(expected: Any, got: Any, tolerance: Tolerance) -> bool:
    if isinstance(expected, float) or isinstance(got, float):
        return _close(float(expected), float(got), *tolerance.for_dtype(torch.float32))
    return bool(expected == got)


def _close(expected: float, got: float, rtol: float, atol: float) -> bool:
    """As ``torch.isclose`` (NaN equal to NaN): |got - expected| ≤ atol + rtol·|expected|."""
    if math.isnan(expected) or math.isnan(got):
        return math.isnan(expected) and math.isnan(got)
    if math.isinf(expected) or math.isinf(got):
        return expected == got  # else |x - inf| ≤ rtol·inf would accept any finite answer
    return expected == got or abs(got - expected) <= atol + rtol * abs(expected)


def _compare_tensors(expected: torch.Tensor, got: torch.Tensor, aspects: list[str], tolerance: Tolerance, where: str) -> list[Aspect]:
    results: list[Aspect] = []
    if "broadcast" in aspects and _broadcasts(got, expected):
        results.append(("shape", True, _shape(expected), _shape(got), f"broadcasts to the expected shape{where}"))
        got, aspects = got.broadcast_to(expected.shape), [a for a in aspects if a != "shape"]
    same_shape = expected.shape == got.shape
    if "shape" in aspects:
        results.append(("shape", same_shape, _shape(expected), _shape(got), where.strip()))
    if "dtype" in aspects:
        results.append(("dtype", expected.dtype == got.dtype, str(expected.dtype), str(got.dtype), where.strip()))
    if "value" in aspects and same_shape:
        passed, shown_expected, shown_got, detail = tensor_difference(expected, got, tolerance)
        results.append(("value", passed, shown_expected, shown_got, f"{detail}{where}"))
    elif "value" in aspects and "shape" not in aspects:
        results.append(("value", False, _shape(expected), _shape(got), f"values cannot match: the shapes differ{where}"))
    return results


def _broadcasts(got: torch.Tensor, expected: torch.Tensor) -> bool:
    """Whether ``got`` broadcasts to ``expected``'s shape (its own dims of 1 stretched, missing ones added)."""
    if got.dim() > expected.dim():
        return False
    return all(g in (1, e) for g, e in zip(reversed(got.shape), reversed(expected.shape), strict=False))


def tensor_difference(expected: torch.Tensor, got: torch.Tensor, tolerance: Tolerance) -> tuple[bool, str, str, str]:
    """Compare two same-shape tensors: passed, expected and got at the first difference, and
    how many elements differ and by how much."""
    rtol, atol = tolerance.for_dtype(expected.dtype)
    common = torch.complex128 if expected.is_complex() or got.is_complex() else torch.float64
    e, g = expected.to(common), got.to(common)
    close = torch.isclose(g, e, rtol=rtol, atol=atol, equal_nan=True)
    if bool(close.all()):
        same = f"{expected.numel()} matching elements"  # values are shown only where they differ
        return True, same, same, ""
    wrong = (~close).nonzero()
    first = tuple(int(i) for i in wrong[0]) if wrong.numel() else ()
    diff = (g - e).abs()
    max_diff = float(diff[~torch.isnan(diff)].max()) if bool((~torch.isnan(diff)).any()) else math.nan
    index = list(first)
    detail = (f"{len(wrong)} of {expected.numel()} elements differ (max abs diff {max_diff:.4g}, "
              f"tolerance atol={atol:g} rtol={rtol:g}); the first at index {index}")
    return False, f"{_item(expected[first])} at {index}", f"{_item(got[first])} at {index}", detail


def _compare_grads(expected: CallOutcome, got: CallOutcome, tolerance: Tolerance) -> Aspect:
    if expected.grad_error is not None and got.grad_error is not None:
        return "grad", True, "no gradient", "no gradient", ""
    if got.grad_error is not None or got.grads is None:
        return "grad", False, "gradients for the inputs", "no gradient", got.grad_error or ""
    expected_grads = expected.grads or [None] * len(got.grads)  # no gradient reached any input
    if len(expected_grads) != len(got.grads):
        return "grad", False, f"{len(expected_grads)} gradients", f"{len(got.grads)} gradients", "one gradient per argument"
    for position, (e, g) in enumerate(zip(expected_grads, got.grads, strict=True)):
        if e is None:
            if g is None:
                continue
            e = torch.zeros_like(g)
        elif g is None:
            g = torch.zeros_like(e)
        if e.shape != g.shape:
            return "grad", False, _shape(e), _shape(g), f"gradient of argument {position + 1} has the wrong shape"
        passed, shown_expected, shown_got, detail = tensor_difference(e, g, tolerance)
        if not passed:
            return "grad", False, shown_expected, shown_got, f"gradient of argument {position + 1}: {detail}"
    return "grad", True, "matching gradients", "matching gradients", ""


def judge_answer(answer_type: str, truth: Any, answer: Any, tolerance: Tolerance) -> Check:
    """The check of a predict drill's parsed answer against the snippet's value."""
    if answer_type == "tensor":
        expected = expected_answer(answer_type, truth)
        given = torch.tensor(answer, dtype=torch.float64)
        if expected.shape != given.shape:
            return Check("answer", False, _brief(expected), _brief(given), f"the shape differs: expected {_shape(expected)}, got {_shape(given)}")
        passed, _, _, detail = tensor_difference(expected.to(torch.float64), given, Tolerance(*tolerance.for_typed_answer()))
        return Check("answer", passed, _brief(expected), _brief(given), "" if passed else detail)
    expected = expected_answer(answer_type, truth)
    passed = _close(expected, answer, *tolerance.for_typed_answer()) if answer_type == "float" else expected == answer
    return Check("answer", passed, _shown(expected), _shown(answer))


def expected_answer(answer_type: str, truth: Any) -> Any:
    """The snippet's value as an answer of its type (a tensor, or a plain Python value); a
    ``TypeError``, ``ValueError`` or ``RuntimeError`` when it is no such answer."""
    return torch.as_tensor(truth).detach() if answer_type == "tensor" else _plain(answer_type, truth)


def _plain(answer_type: str, truth: Any) -> Any:
    """The snippet's value as the answer type's plain Python value."""
    if isinstance(truth, torch.Tensor) and truth.dim() == 0 and answer_type in ("int", "float", "bool"):
        truth = truth.item()
    if answer_type == "shape" and not isinstance(truth, tuple | list):
        raise TypeError("a shape answer needs a torch.Size or a tuple of ints")
    converters: dict[str, Callable[[Any], Any]] = {
        "shape": lambda v: tuple(int(d) for d in v),
        "int": int,
        "float": float,
        "bool": bool,
        "text": lambda v: normalise_text(v if isinstance(v, str) else str(v)),
    }
    return converters[answer_type](truth)


def _shape(tensor: torch.Tensor) -> str:
    return str(tuple(tensor.shape))


def _item(value: torch.Tensor) -> str:
    return f"{value.item():.6g}" if value.is_floating_point() else str(value.item())


def _brief(tensor: torch.Tensor) -> str:
    text = repr(tensor)
    return text if len(text) <= MAX_SHOWN else f"tensor of shape {_shape(tensor)}, {tensor.dtype}"


def _shown(value: Any) -> str:
    return _brief(value) if isinstance(value, torch.Tensor) else _clip(repr(value))


def summarise_call(function: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    """``name(arg, …)`` with tensors as ``tensor(4×7, float32)``, for random cases."""
    parts = [_summarise(a) for a in args] + [f"{k}={_summarise(v)}" for k, v in kwargs.items()]
    return _clip(f"{function}({', '.join(parts)})")


def _summarise(value: Any) -> str:
    if isinstance(value, torch.Tensor):
        shape = "×".join(map(str, value.shape)) or "scalar"
        return f"tensor({shape}, {str(value.dtype).removeprefix('torch.')})"
    if isinstance(value, tuple | list):
        inner = ", ".join(_summarise(v) for v in value)
        return f"({inner})" if isinstance(value, tuple) else f"[{inner}]"
    return repr(value)


def _clip(text: str) -> str:
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"
