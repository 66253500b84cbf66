"""A write drill's ``rules``, checked on the learner's syntax tree (the code is never run).

- ``no-loops``: no ``for``/``while`` statement and no comprehension or generator expression.
- ``no-call:<dotted.name>``: the name may not be used, called or not, under any spelling the
  tree can show: through import aliases (``import torch.nn.functional as F``,
  ``from torch.nn.functional import softmax as sm``, star imports), and for a ``torch.*`` name
  as the same function in torch's other namespaces (``torch.softmax``,
  ``torch.nn.functional.softmax``, ``torch.special.softmax``...) or as a method
  (``x.softmax(1)``). Looking a name up dynamically is refused while such a rule holds:
  ``eval``, ``exec``, ``compile``, ``__import__``, ``importlib``, ``vars``/``globals``,
  ``__dict__``, ``getattr`` with a computed name, or the name written in a string.

Plain Python (no torch), so the UI may run the same check.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

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
TORCH_NAMESPACES = ("torch", "torch.nn.functional", "torch.special", "torch.linalg", "torch.fft", "torch.Tensor")
DYNAMIC_NAMES = {"eval", "exec", "compile", "__import__", "vars", "globals", "locals", "__builtins__"}
DYNAMIC_ATTRIBUTES = {"__dict__", "__getattribute__", "__getattr__"}


@dataclass(frozen=True)
class Violation:
    """One place where the code breaks one rule."""

    rule: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.what} ({self.rule})"


def check_rules(code: str, rules: list[str]) -> list[Violation]:
    """Every violation of ``rules`` in ``code`` (which must parse), in line order."""
    tree = ast.parse(code)
    found: set[Violation] = set()
    for rule in rules:
        if rule == "no-loops":
            found |= {Violation(rule, n.lineno, f"uses {LOOP_NODES[type(n)]}") for n in ast.walk(tree) if type(n) in LOOP_NODES}
        elif rule.startswith("no-call:"):
            found |= _ForbiddenName(rule, rule.removeprefix("no-call:"), tree).violations
    return sorted(found, key=lambda v: (v.line, v.rule, v.what))


class _ForbiddenName(ast.NodeVisitor):
    """Finds every use of one dotted name, resolving import aliases as Python would bind them."""

    def __init__(self, rule: str, dotted: str, tree: ast.Module) -> None:
        self.rule = rule
        self.leaf = dotted.rsplit(".", 1)[-1]
        in_torch = dotted.startswith("torch.")
        self.forbidden = {f"{ns}.{self.leaf}" for ns in TORCH_NAMESPACES} | {dotted} if in_torch else {dotted}
        self.methods_count = in_torch
        self.aliases = dict(PRELUDE)
        self.star_modules: list[str] = []
        self.violations: set[Violation] = set()
        for node in ast.walk(tree):  # bindings first: an import anywhere counts everywhere
            self._bind(node)
        self.visit(tree)

    def _bind(self, node: ast.AST) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    self.aliases[alias.asname] = alias.name
                else:
                    top = alias.name.split(".")[0]
                    self.aliases[top] = top
                self._flag_module(node, alias.name)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                if alias.name == "*":
                    self.star_modules.append(node.module)
                else:
                    self.aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
                    self._flag(node, f"{node.module}.{alias.name}")
            self._flag_module(node, node.module)

    def _flag_module(self, node: ast.AST, module: str) -> None:
        if module.split(".")[0] == "importlib":
            self._add(node, "imports importlib (dynamic imports are not allowed here)")

    def _resolve(self, node: ast.expr) -> str | None:
        if isinstance(node, ast.Name):
            if node.id in self.aliases:
                return self.aliases[node.id]
            star = next((m for m in self.star_modules if f"{m}.{node.id}" in self.forbidden), None)
            return f"{star}.{node.id}" if star else None
        if isinstance(node, ast.Attribute):
            base = self._resolve(node.value)
            return f"{base}.{node.attr}" if base else None
        return None

    def _flag(self, node: ast.AST, dotted: str | None) -> bool:
        if dotted in self.forbidden:
            self._add(node, f"uses {dotted}, which this drill asks you not to use")
            return True
        return False

    def _add(self, node: ast.AST, what: str) -> None:
        self.violations.add(Violation(self.rule, getattr(node, "lineno", 1), what))

    def visit_Name(self, node: ast.Name) -> None:
        if not self._flag(node, self._resolve(node)) and node.id in DYNAMIC_NAMES:
            self._add(node, f"uses {node.id} (dynamic lookups are not allowed here)")

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if self._flag(node, self._resolve(node)):
            return
        if node.attr in DYNAMIC_ATTRIBUTES:
            self._add(node, f"uses .{node.attr} (dynamic lookups are not allowed here)")
        elif self.methods_count and node.attr == self.leaf and self._resolve(node.value) is None:
            self._add(node, f"calls the method .{self.leaf}(), which this drill asks you not to use")
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        if isinstance(node.func, ast.Name) and node.func.id == "getattr" and len(node.args) >= 2:
            name = node.args[1]
            if not (isinstance(name, ast.Constant) and isinstance(name.value, str)):
                self._add(node, "calls getattr with a computed name (dynamic lookups are not allowed here)")
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and node.value == self.leaf:
            self._add(node, f"writes {self.leaf!r} in a string (looking it up by name is not allowed here)")
