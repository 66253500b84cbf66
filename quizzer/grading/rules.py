"""A write drill's rules, and the verdict on them: plain Python (no torch), so the UI may run
the syntax check too.

A drill's ``rules`` (and its deck file's and folder's) are:

- ``no-loops``: no loop statement, comprehension or generator expression; no recursion (a
  function calling itself, directly or through others); no ``map``, ``filter``,
  ``functools.reduce`` or ``itertools``; and no iterating over a tensor (``for``, ``sum(t)``,
  ``list(t)``... dispatch ``unbind`` per element, which is seen when the code runs).
- ``no-call:<dotted.name>``: a deny-list entry. For a torch name, every spelling of the same
  function counts: other namespaces, the method, the in-place ``_`` variant and the ATen
  operator it runs (``torch.ops.aten.cumsum``, ``torch._C._VariableFunctions.cumsum``).
- ``max-lines:N``, ``max-columns:N``: the function's body is at most N lines (not counting
  blank and comment lines); no line of the code is longer than N characters.

and its ``allow`` list, which makes every other call a violation: names (``torch.arange``,
``torch.where``, ``sum``, ``itertools.accumulate``, ``Tensor.float``) and ``GROUPS``. A torch
name allows its function and method spellings (``torch.where`` and ``x.where``), not its
in-place variant.

Under any rule the dispatcher machinery (``torch._C``, ``torch.overrides``,
``torch.utils._python_dispatch``, ``torch.ops``...), private attributes, modules that reach
the interpreter (``sys``, ``gc``, ``inspect``...) and dynamic look-ups are violations unless
allowed by name: they are how a rule would be switched off.

Rules are judged twice: on the syntax tree before the code runs (``rules_syntax``), and on
the record of what the code executed in the sandbox child (``quizzer.grading.recorder``): the
torch functions it called and the ATen operators they reached. ``judge_record`` turns that
record (untrusted data) into violations; a record that is missing or does not add up is one.
"""

from __future__ import annotations

import builtins
import re
from dataclasses import dataclass, field
from typing import Any

from quizzer.grading.protocol import BrokenRule

GROUPS: dict[str, frozenset[str]] = {
    "indexing": frozenset({"__getitem__"}),
    "arithmetic": frozenset({
        "add", "sub", "subtract", "rsub", "__rsub__", "mul", "multiply", "div", "divide", "true_divide", "__rdiv__",
        "__rtruediv__", "__floordiv__", "__rfloordiv__", "floor_divide", "remainder", "__rmod__", "pow", "__rpow__",
        "neg", "negative", "positive", "abs",
    }),
    "comparison": frozenset({
        "lt", "le", "gt", "ge", "eq", "__eq__", "ne", "__ne__", "less", "greater", "less_equal", "greater_equal",
        "not_equal", "__and__", "__or__", "__xor__", "__invert__", "__rand__", "__ror__", "__rxor__",
        "logical_and", "logical_or", "logical_not", "logical_xor", "bitwise_and", "bitwise_or", "bitwise_not",
    }),
    "matmul": frozenset({"matmul", "__matmul__", "__rmatmul__"}),
    "shape": frozenset({"shape", "size", "dim", "ndim", "numel", "__len__", "dtype", "device"}),
}
"""Named sets of torch leaves (function or method names, ``Tensor.__getitem__`` as ``__getitem__``):
``a[i]``, ``a + b``, ``a < b`` and ``a & b``, ``a @ b``, ``a.shape``."""
ALWAYS_ALLOWED = frozenset({"__repr__", "__str__", "__format__", "requires_grad", "is_floating_point"})
"""Torch leaves no allow-list forbids: printing a tensor, asking what it is."""
ALWAYS_BUILTINS = frozenset({
    "print", "len", "range", "int", "float", "bool", "str", "tuple", "slice", "isinstance", "abs", "min", "max",
    "super", "object", "property", "staticmethod", "classmethod", "True", "False", "None", "NotImplemented", "Ellipsis",
})
"""Builtins an allow-list need not name (exceptions are allowed too)."""
LOOP_HELPERS = ("builtins.map", "builtins.filter", "builtins.iter", "builtins.next", "functools.reduce", "itertools")
"""What ``no-loops`` forbids besides loop syntax: looping through a function."""
DISPATCHER = ("torch._C", "torch.overrides", "torch.utils._python_dispatch", "torch.ops", "torch._ops", "torch.library",
              "torch._dynamo", "torch._subclasses", "torch._decomp", "torch._refs", "torch._prims", "torch.fx", "torch.jit",
              "torch.compile", "torch.autograd.Function")
"""What runs or reroutes torch operations out of the recorder's sight."""
INTERPRETER = ("sys", "gc", "inspect", "ctypes", "importlib", "builtins", "os", "types", "threading", "_thread",
               "multiprocessing", "signal", "code", "codeop", "runpy", "pickle", "marshal", "linecache", "traceback",
               "weakref", "atexit", "faulthandler", "quizzer", "subprocess", "dis", "concurrent", "asyncio", "io.FileIO",
               "io.open", "io.open_code", "_io", "posix", "fcntl", "mmap", "select", "pty", "socket", "resource", "tempfile",
               "shutil", "pathlib")
"""Modules (and the parts of ``io`` that open descriptors) that reach the interpreter, the grader or
its pipes: under any rule, using them is a violation."""
ARRAY_LIBRARIES = ("numpy", "scipy")
"""Where a denied torch function has a namesake that would do the same work out of torch's sight."""
ITERATION = "Tensor.__iter__"
RULE = re.compile(r"^(no-loops|no-call:[A-Za-z_]\w*(\.[A-Za-z_]\w*)*|max-lines:[1-9]\d*|max-columns:[1-9]\d*)$")
ALLOW_NAME = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$")
MAX_EVENTS = 10_000
"""Distinct events one window of the record may hold; more is an inconsistent record."""

MESSAGES = {
    "loop": ("uses {subject}", "用了{subject_zh}"),
    "recursion": ("calls {subject} recursively", "递归调用了 {subject}"),
    "iteration": ("iterates over a tensor ({subject})", "逐个遍历了张量（{subject}）"),
    "loop-helper": ("loops through {subject}", "用 {subject} 做了循环"),
    "denied": ("uses {subject}, which this drill asks you not to use", "用了本题不让用的 {subject}"),
    "not-allowed": ("uses {subject}, which is not in this drill's allow-list", "用了 {subject}，它不在本题允许的列表里"),
    "dispatcher": ("touches PyTorch's dispatcher machinery ({subject})", "碰了 PyTorch 的分派机制（{subject}）"),
    "interpreter": ("uses {subject}, which reaches into the interpreter", "用了 {subject}，它会触及解释器内部"),
    "dynamic": ("looks a name up dynamically ({subject})", "动态查找了名字（{subject}）"),
    "private": ("uses the private attribute {subject}", "用了私有属性 {subject}"),
    "override": ("defines {subject}, which would intercept torch's calls", "定义了会拦截 torch 调用的 {subject}"),
    "patch": ("changes {subject}, which belongs to a library", "改动了库里的 {subject}"),
    "max-lines": ("the function body has {subject} lines", "函数体有 {subject} 行"),
    "max-columns": ("the line is {subject} characters long", "这一行有 {subject} 个字符"),
    "record": ("the record of what your code ran {subject}", "代码运行记录{subject_zh}"),
}
"""Each reason as (English, Chinese) templates; ``{subject_zh}`` falls back to ``{subject}``."""
LOOP_WORDS_ZH = {"a for loop": "for 循环", "a while loop": "while 循环", "a list comprehension": "列表推导式",
                 "a set comprehension": "集合推导式", "a dict comprehension": "字典推导式", "a generator expression": "生成器表达式"}
RECORD_WORDS_ZH = {"is missing": "缺失", "does not add up": "对不上", "was tampered with": "被篡改了"}


@dataclass(frozen=True)
class Violation:
    """One place where the code breaks one rule: which rule, why, about what, on which line."""

    rule: str
    line: int
    reason: str
    """A key of ``MESSAGES``."""
    subject: str
    """The call, operator or construct: ``torch.cumsum``, ``aten.cumsum_``, ``a for loop``."""

    def message(self, language: str = "en") -> str:
        english, chinese = MESSAGES[self.reason]
        zh = {**LOOP_WORDS_ZH, **RECORD_WORDS_ZH}.get(self.subject, self.subject)
        if language == "zh":
            where = f"第 {self.line} 行：" if self.line else ""
            return f"{where}{chinese.format(subject=self.subject, subject_zh=zh)}（规则 {self.rule}）"
        where = f"line {self.line}: " if self.line else ""
        return f"{where}{english.format(subject=self.subject, subject_zh=self.subject)} ({self.rule})"

    def __str__(self) -> str:
        return self.message("en")

    def to_dict(self) -> BrokenRule:
        return BrokenRule(rule=self.rule, line=self.line, reason=self.reason, subject=self.subject)


@dataclass(frozen=True)
class RuleSet:
    """A drill's rules and allow-list, parsed."""

    no_loops: bool = False
    denied: tuple[str, ...] = ()
    allowed: frozenset[str] | None = None
    """Names and group members allowed, or None: no allow-list."""
    max_lines: int | None = None
    max_columns: int | None = None
    spelled: dict[str, str] = field(default_factory=dict, compare=False)
    """The rule as the drill wrote it, for each kind of rule, for messages."""

    @classmethod
    def of(cls, drill: dict[str, Any]) -> RuleSet:
        rules, allow = drill.get("rules", []), drill.get("allow")
        numbers = {key: int(r.split(":", 1)[1]) for r in rules for key in ("max-lines", "max-columns") if r.startswith(key + ":")}
        allowed = None
        if allow is not None:
            allowed = frozenset(n for name in allow for n in (GROUPS.get(name) or {name}))
        return cls("no-loops" in rules, tuple(r.removeprefix("no-call:") for r in rules if r.startswith("no-call:")), allowed,
                   numbers.get("max-lines"), numbers.get("max-columns"),
                   {k: r for r in rules for k in ("max-lines", "max-columns") if r.startswith(k + ":")})

    @property
    def active(self) -> bool:
        return bool(self.no_loops or self.denied or self.allowed is not None or self.max_lines or self.max_columns)

    @property
    def watches_execution(self) -> bool:
        """Whether the code's execution must be recorded: line counts are judged on the text alone."""
        return bool(self.no_loops or self.denied or self.allowed is not None)

    def deny_rule(self, name: str) -> str | None:
        """The ``no-call:`` rule ``name`` breaks, if any."""
        leaf = _leaf(name)
        for denied in self.denied:
            namesake = _is_torch(name) or name.split(".")[0] in ARRAY_LIBRARIES
            if name == denied or (_is_torch(denied) and namesake and leaf and leaf == _leaf(denied)):
                return f"no-call:{denied}"
            if not _is_torch(denied) and (name == denied or name.startswith(denied + ".")):
                return f"no-call:{denied}"
        return None

    def allows(self, name: str) -> bool:
        """Whether the allow-list (if any) lets ``name`` be used."""
        if self.allowed is None:
            return True
        if name in self.allowed or (name.startswith("builtins.") and name.removeprefix("builtins.") in self.allowed):
            return True
        if _is_torch(name):
            leaf = name.rsplit(".", 1)[-1]
            return leaf in ALWAYS_ALLOWED or leaf in self.allowed or any(_is_torch(a) and a.rsplit(".", 1)[-1] == leaf for a in self.allowed)
        return False


def _is_torch(name: str) -> bool:
    return name.split(".")[0] in ("torch", "Tensor", "aten")


def _leaf(name: str) -> str:
    """The operator a torch name stands for: ``cumsum`` for ``Tensor.cumsum_``, ``aten._softmax``, ``F.softmax``."""
    return name.rsplit(".", 1)[-1].strip("_")


def is_dispatcher(name: str) -> bool:
    return any(name == d or name.startswith(d + ".") for d in DISPATCHER)


def reaches_interpreter(name: str) -> bool:
    if name.startswith("builtins."):
        return False  # a builtin used by name is judged as itself; the module ``builtins`` is not
    return any(name == m or name.startswith(m + ".") for m in INTERPRETER)


def is_loop_helper(name: str) -> bool:
    return any(name == h or name.startswith(h + ".") for h in LOOP_HELPERS)


def is_builtin(name: str) -> bool:
    return hasattr(builtins, name)


def judge_record(record: Any, rules: RuleSet, windows: int, seal: str) -> list[Violation]:
    """The violations in a sandbox record (untrusted: ``ValueError`` if it is malformed).

    ``record`` is ``{"seal": seal, "windows": [...]}``: the seal the service gave this attempt
    (a record written by anything but the child's recorder cannot know it), and one window per run of learner code (defining it, then each
    call), each ``{"entered": n, "intact": bool, "canary": [bool, bool], "events": [[kind,
    name, via, line], ...]}``: ``torch`` events are functions called through torch's function
    layer, ``aten`` events operators reached through the dispatcher (``via`` the torch function
    that reached them), ``recursion`` a learner function entered while already running."""
    if not (isinstance(record, dict) and isinstance(record.get("windows"), list) and len(record["windows"]) == windows):
        raise ValueError("not one window per run of your code")
    if record.get("seal") != seal:
        return [Violation("record", 0, "record", "was tampered with")]
    found: set[Violation] = set()
    for index, window in enumerate(record["windows"]):
        entered, intact, canary, events = _window(window)
        if not intact or canary != [True, True]:
            return [Violation("record", 0, "record", "was tampered with")]
        if index > 0 and entered < 1:
            return [Violation("record", 0, "record", "does not add up")]
        for source, name, via, line in events:
            found |= _judge_event(rules, source, name, via, line)
    return sorted(found, key=lambda v: (v.line, v.rule, v.subject))


def _window(window: Any) -> tuple[int, bool, list[bool], list[tuple[str, str, str, int]]]:
    if not isinstance(window, dict):
        raise ValueError("a window is not a table")
    entered, intact, canary, events = window.get("entered"), window.get("intact"), window.get("canary"), window.get("events")
    if type(entered) is not int or type(intact) is not bool or not isinstance(canary, list) or not isinstance(events, list):
        raise ValueError("a malformed window")
    if len(events) > MAX_EVENTS:
        raise ValueError("too many events")
    checked = []
    for event in events:
        if not (isinstance(event, list) and len(event) == 4 and all(isinstance(e, str) for e in event[:3]) and type(event[3]) is int):
            raise ValueError("a malformed event")
        checked.append((event[0], event[1], event[2], event[3]))
    return entered, intact, canary, checked


def _judge_event(rules: RuleSet, source: str, name: str, via: str, line: int) -> set[Violation]:
    """At most one violation for what the learner called, besides iterating a tensor."""
    if source == "recursion":
        return {Violation("no-loops", line, "recursion", name)} if rules.no_loops else set()
    if source not in ("torch", "aten"):
        raise ValueError(f"an unknown event source {source!r}")
    shown = f"aten.{name}" if source == "aten" else name
    found: set[Violation] = set()
    iterating = rules.no_loops and via == ITERATION
    if iterating:
        found.add(Violation("no-loops", line, "iteration", via))
    if source == "aten" and via:  # reached from a torch function, itself judged: the operator counts only when denied
        if not rules.deny_rule(via) and (rule := rules.deny_rule(shown)):
            found.add(Violation(rule, line, "denied", shown))
        return found
    denied = next(((rule, spelled) for spelled in (shown, via) if spelled and (rule := rules.deny_rule(spelled))), None)
    if denied:
        found.add(Violation(denied[0], line, "denied", denied[1]))
    elif is_dispatcher(name) and not rules.allows(name):
        found.add(Violation("no-dispatcher", line, "dispatcher", name))
    elif rules.allowed is not None and not iterating and not rules.allows(shown) and not (via and rules.allows(via)):
        found.add(Violation("allow", line, "not-allowed", via or shown))
    return found
