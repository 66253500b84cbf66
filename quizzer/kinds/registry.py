"""The one registry of item kinds: every package under ``quizzer/kinds/`` is a kind, found by
looking, never listed, so that adding a kind is adding its package and nothing else. Finding
them reads only the folder: a kind's spec is imported when that kind is first asked for.

The specs are plain Python (no Textual, no torch). A kind's answer widget and its grading
part are imported here only when asked for, by the screens and by the grading service.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
from collections.abc import Iterable, Iterator, Mapping
from types import ModuleType

import quizzer.kinds
from quizzer.errors import GradingError
from quizzer.kinds.base import Grading, Kind


def _kind_packages() -> dict[str, list[str]]:
    """Each kind's package name and the names of its modules, read from the folder."""
    return {
        package.name: [module.name for module in pkgutil.iter_modules([os.path.join(quizzer.kinds.__path__[0], package.name)])]
        for package in pkgutil.iter_modules(quizzer.kinds.__path__)
        if package.ispkg
    }


class _Kinds(Mapping[str, Kind]):
    """The kinds by name, each spec imported the first time it is asked for: the app's first
    card loads its own kind's, not every kind's (with the grading rules behind the drills')."""

    def __init__(self, names: Iterable[str]) -> None:
        self._names = sorted(names)
        self._loaded: dict[str, Kind] = {}

    def __getitem__(self, name: str) -> Kind:
        if name not in self._loaded:
            if name not in self._names:
                raise KeyError(name)
            self._loaded[name] = importlib.import_module(f"quizzer.kinds.{name}.spec").KIND
        return self._loaded[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


_PACKAGES = _kind_packages()

KINDS: Mapping[str, Kind] = _Kinds(_PACKAGES)
"""Every item kind content may use, by the name written as ``kind = "..."``, in name order
(the package's name is the kind's)."""

DRILL_KINDS = tuple(name for name in KINDS if "grade" in _PACKAGES[name])
"""The kinds graded by running code (one card each): those whose home has a ``grade.py``, the
part the grading service judges their answers with (``Kind.grading`` names it)."""

CARD_KINDS = tuple(name for name in KINDS if name not in DRILL_KINDS)


def answer_view(name: str) -> ModuleType | None:
    """The module with kind ``name``'s answer widget (None: the card is only revealed and rated)."""
    module = KINDS[name].view
    return None if module is None else importlib.import_module(module)


def drill_grading(name: object) -> Grading:
    """How drills of kind ``name`` are graded; a ``GradingError`` if ``name`` is no drill kind."""
    kind = KINDS.get(name) if isinstance(name, str) else None
    if kind is None or kind.grading is None:
        raise GradingError(f"{name!r} is not a drill kind (drills are {', '.join(DRILL_KINDS)})")
    return kind.grading


def grading_part(name: object) -> ModuleType:
    """The module with which the grading service judges answers to drills of kind ``name``."""
    return importlib.import_module(drill_grading(name).module)
