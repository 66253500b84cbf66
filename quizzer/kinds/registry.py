"""The one registry of item kinds: every package under ``quizzer/kinds/`` is a kind, found by
looking, never listed, so that adding a kind is adding its package and nothing else.

The specs are plain Python (no Textual, no torch). A kind's answer widget and its grading
part are imported here only when asked for, by the screens and by the grading service.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

import quizzer.kinds
from quizzer.errors import GradingError
from quizzer.kinds.base import Grading, Kind


def _discover() -> dict[str, Kind]:
    found: dict[str, Kind] = {}
    for module in pkgutil.iter_modules(quizzer.kinds.__path__):
        if module.ispkg:
            kind: Kind = importlib.import_module(f"quizzer.kinds.{module.name}.spec").KIND
            found[kind.name] = kind
    return dict(sorted(found.items()))


KINDS: dict[str, Kind] = _discover()
"""Every item kind content may use, by the name written as ``kind = "..."``, in name order."""

DRILL_KINDS = tuple(name for name, kind in KINDS.items() if kind.is_drill)
"""The kinds graded by running code (one card each)."""

CARD_KINDS = tuple(name for name, kind in KINDS.items() if not kind.is_drill)


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
