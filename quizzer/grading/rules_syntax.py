"""A drill's rules checked on the learner's syntax tree, before the code runs (see ``rules``).

Names are resolved as Python would bind them: import aliases (``import torch.nn.functional as
F``, ``from torch import cumsum as c``, star imports), the names the sandbox starts with
(``torch``, ``nn``, ``F``, ``math``) and builtins not shadowed by the code. What the tree cannot
resolve (a method on a value, a function passed around) is left to the record of what ran.

Plain Python (no torch), so the UI may run the same check.
"""

from __future__ import annotations

import ast
import builtins

from quizzer.grading.rules import ALWAYS_BUILTINS, RuleSet, Violation, is_builtin, is_dispatcher, is_loop_helper, reaches_interpreter

LOOP_NODES = {
    ast.For: "a for loop",
    ast.AsyncFor: "a for loop",
    ast.While: "a while loop",
    ast.ListComp: "a list comprehension",
    ast.SetComp: "a set comprehension",
    ast.DictComp: "a dict comprehension",
    ast.GeneratorExp: "a generator expression",
}
PRELUDE = {"torch": "torch", "nn": "torch.nn", "F": "torch.nn.functional", "math": "math"}
"""Names the learner's code starts with (as in the sandbox)."""
DYNAMIC_NAMES = {"eval", "exec", "compile", "__import__", "vars", "globals", "locals", "__builtins__", "setattr", "delattr"}
FRAME_ATTRIBUTES = {"gi_frame", "cr_frame", "ag_frame", "tb_frame", "tb_next", "f_back", "f_locals", "f_globals", "f_builtins",
                    "f_code", "co_consts", "co_code", "gi_code", "cr_code"}
"""What reaches the frames and code of the running program, quizzer's own included."""
FORBIDDEN_BUILTINS = {"open", "breakpoint"}
"""Builtins that reach past the learner's own objects: ``open(3, "wb")`` writes to a descriptor."""
DYNAMIC_ATTRIBUTES = FRAME_ATTRIBUTES | {"__dict__", "__getattribute__", "__getattr__", "__class__", "__globals__", "__builtins__",
                      "__subclasses__", "__bases__", "__base__", "__mro__", "__code__", "__closure__", "__self__", "__func__"}
OVERRIDES = {"__torch_function__", "__torch_dispatch__", "__del__"}
PUBLIC_DUNDERS = {"__init__", "__name__", "__doc__"}


def check_syntax(code: str, rules: RuleSet, function: str) -> list[Violation]:
    """Every violation of ``rules`` in ``code`` (which must parse), in line order."""
    tree = ast.parse(code)
    found: set[Violation] = set()
    if rules.no_loops:
        loops = [n for n in ast.walk(tree) if isinstance(n, ast.stmt | ast.expr) and type(n) in LOOP_NODES]
        found |= {Violation("no-loops", n.lineno, "loop", LOOP_NODES[type(n)]) for n in loops}
        found |= _recursion(tree)
    if rules.max_lines is not None:
        found |= _too_many_lines(tree, code, function, rules)
    if rules.max_columns is not None:
        rule = rules.spelled["max-columns"]
        found |= {Violation(rule, n, "max-columns", str(len(line))) for n, line in enumerate(code.splitlines(), 1) if len(line) > rules.max_columns}
    if rules.watches_execution:
        found |= _Names(rules, tree).violations
    return sorted(found, key=lambda v: (v.line, v.rule, v.subject))


def _too_many_lines(tree: ast.Module, code: str, function: str, rules: RuleSet) -> set[Violation]:
    definition = next((n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == function), None)
    if definition is None:
        return set()  # the missing function is reported when the code runs
    text = code.splitlines()
    lines = {n for stmt in definition.body for n in range(stmt.lineno, (stmt.end_lineno or stmt.lineno) + 1)}
    counted = [n for n in lines if text[n - 1].strip() and not text[n - 1].strip().startswith("#")]
    assert rules.max_lines is not None
    if len(counted) <= rules.max_lines:
        return set()
    return {Violation(rules.spelled["max-lines"], definition.lineno, "max-lines", str(len(counted)))}


def _recursion(tree: ast.Module) -> set[Violation]:
    """Functions that call themselves by name, directly or through other functions of the code."""
    calls: dict[str, list[tuple[str, int]]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            calls.setdefault(node.name, []).extend(
                (c.func.id, c.lineno) for c in ast.walk(node) if isinstance(c, ast.Call) and isinstance(c.func, ast.Name))
    found = set()
    for name, callees in calls.items():
        for callee, line in callees:
            if _reaches(calls, callee, name, set()):
                found.add(Violation("no-loops", line, "recursion", name))
    return found


def _reaches(calls: dict[str, list[tuple[str, int]]], start: str, goal: str, seen: set[str]) -> bool:
    if start == goal:
        return True
    if start in seen or start not in calls:
        return False
    seen.add(start)
    return any(_reaches(calls, callee, goal, seen) for callee, _ in calls[start])


class _Names(ast.NodeVisitor):
    """Judges every name the code uses, resolved through imports, against the rules."""

    def __init__(self, rules: RuleSet, tree: ast.Module) -> None:
        self.rules = rules
        self.aliases = dict(PRELUDE)
        self.star_modules: list[str] = []
        self.local_names: set[str] = set()
        self.own_attributes: set[str] = set()
        self.methods: set[ast.AST] = set()
        self.violations: set[Violation] = set()
        for node in ast.walk(tree):  # bindings first: an import or assignment anywhere counts everywhere
            self._bind(node)
        self.visit(tree)

    def _bind(self, node: ast.AST) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                self.aliases[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname else alias.name.split(".")[0]
                self._judge(node, alias.name)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                if alias.name == "*":
                    self.star_modules.append(node.module)
                else:
                    self.aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
                    self._judge(node, f"{node.module}.{alias.name}")
            self._judge(node, node.module)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            self.local_names.add(node.name)
            self.own_attributes.add(node.name)
            if node.name in OVERRIDES:
                self._add(node, "no-dispatcher", "override", node.name)
            elif _dunder(node.name) and node not in self.methods:
                self._add(node, "no-private", "private", node.name)  # would rebind the recorder's entry call
            if isinstance(node, ast.ClassDef):
                self.methods |= {n for n in node.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}
        elif isinstance(node, ast.arg):
            self.local_names.add(node.arg)
            if _dunder(node.arg):
                self._add(node, "no-private", "private", node.arg)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store | ast.Del):
            self.local_names.add(node.id)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            self.own_attributes.add(node.attr)

    def _resolve(self, node: ast.expr) -> str | None:
        if isinstance(node, ast.Name):
            if node.id in self.aliases:
                return self.aliases[node.id]
            if node.id in self.local_names:
                return None
            if is_builtin(node.id):
                return f"builtins.{node.id}"
            return f"{self.star_modules[0]}.{node.id}" if self.star_modules else None
        if isinstance(node, ast.Attribute):
            base = self._resolve(node.value)
            return f"{base}.{node.attr}" if base else None
        return None

    def _add(self, node: ast.AST, rule: str, reason: str, subject: str) -> None:
        self.violations.add(Violation(rule, getattr(node, "lineno", 1), reason, subject))

    def _judge(self, node: ast.AST, dotted: str) -> None:
        """One resolved name: the first rule it breaks."""
        rules = self.rules
        shown = dotted.removeprefix("builtins.")
        if rules.allowed is not None and rules.allows(dotted):
            return
        if dotted.startswith("builtins.") and shown in DYNAMIC_NAMES:
            self._add(node, "no-dynamic-lookup", "dynamic", shown)
        elif dotted.startswith("builtins.") and shown in FORBIDDEN_BUILTINS:
            self._add(node, "no-interpreter", "interpreter", shown)
        elif is_dispatcher(dotted) or _private_torch(dotted):
            self._add(node, "no-dispatcher", "dispatcher", dotted)
        elif reaches_interpreter(dotted):
            self._add(node, "no-interpreter", "interpreter", dotted)
        elif rule := rules.deny_rule(dotted):
            self._add(node, rule, "denied", shown)
        elif rules.no_loops and is_loop_helper(dotted):
            self._add(node, "no-loops", "loop-helper", shown)
        elif rules.allowed is not None and not self._always_allowed(dotted):
            self._add(node, "allow", "not-allowed", shown)

    def _always_allowed(self, dotted: str) -> bool:
        """Builtins every drill may use, and module paths toward an allowed name."""
        if dotted.startswith("builtins."):
            name = dotted.removeprefix("builtins.")
            value = getattr(builtins, name, None)
            return name in ALWAYS_BUILTINS or (isinstance(value, type) and issubclass(value, BaseException))
        assert self.rules.allowed is not None
        return any(a.startswith(dotted + ".") for a in self.rules.allowed) or dotted in ("torch", "torch.Tensor")

    def _chain_top(self, node: ast.expr) -> None:
        if (dotted := self._resolve(node)) is not None:
            self._judge(node, dotted)
        elif isinstance(node, ast.Attribute):
            self._method(node)

    def _method(self, node: ast.Attribute) -> None:
        """An attribute of a value the tree cannot name: a denied torch method still counts."""
        leaf = node.attr.strip("_")
        for denied in self.rules.denied:
            if denied.split(".")[0] == "torch" and leaf and leaf == denied.rsplit(".", 1)[-1].strip("_"):
                self._add(node, f"no-call:{denied}", "denied", f".{node.attr}()")

    def visit_Name(self, node: ast.Name) -> None:
        if node.id.startswith("__") and node.id.endswith("__") and node.id not in PUBLIC_DUNDERS and node.id not in DYNAMIC_NAMES:
            self._add(node, "no-private", "private", node.id)  # the recorder's entry call is one
        elif isinstance(node.ctx, ast.Load):
            self._chain_top(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if not isinstance(node.ctx, ast.Load) and (dotted := self._resolve(node)) is not None:
            self._add(node, "no-interpreter", "patch", dotted)  # torch.zeros = …: rebinding what others run
        self._chain_top(node)
        self._walk_chain(node)

    def _walk_chain(self, node: ast.Attribute) -> None:
        """Private attributes anywhere in a chain; the chain's inner names are judged as part of it."""
        current: ast.expr = node
        while isinstance(current, ast.Attribute):
            attr = current.attr
            if attr in DYNAMIC_ATTRIBUTES:
                self._add(current, "no-dynamic-lookup", "dynamic", f".{attr}")
            elif attr.startswith("_") and attr not in PUBLIC_DUNDERS and attr not in self.own_attributes and not self._resolved_private(current):
                self._add(current, "no-private", "private", f".{attr}")
            current = current.value
        if not isinstance(current, ast.Name):
            self.visit(current)

    def _resolved_private(self, node: ast.Attribute) -> bool:
        """A private torch name already reported as dispatcher machinery."""
        dotted = self._resolve(node)
        return dotted is not None and (is_dispatcher(dotted) or _private_torch(dotted))

    def visit_Call(self, node: ast.Call) -> None:
        if isinstance(node.func, ast.Name) and node.func.id == "getattr" and len(node.args) >= 2 and "getattr" not in self.local_names:
            name = node.args[1]
            if not (isinstance(name, ast.Constant) and isinstance(name.value, str)):
                self._add(node, "no-dynamic-lookup", "dynamic", "getattr with a computed name")
            elif name.value.startswith("_"):
                self._add(node, "no-private", "private", f".{name.value}")
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str):
            for denied in self.rules.denied:
                if node.value.strip("_") == denied.rsplit(".", 1)[-1].strip("_"):
                    self._add(node, f"no-call:{denied}", "dynamic", repr(node.value))


def _dunder(name: str) -> bool:
    return name.startswith("__") and name.endswith("__")


def _private_torch(dotted: str) -> bool:
    parts = dotted.split(".")
    return parts[0] == "torch" and any(p.startswith("_") and not (p.startswith("__") and p.endswith("__")) for p in parts[1:])
