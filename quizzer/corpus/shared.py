"""What items share beyond their own table: rules set for a whole deck file or folder, and the
drills a drill ``uses``.

- A deck file may set ``rules`` and ``allow`` at its top, next to ``deck`` and ``tags``; a
  folder's ``defaults.toml`` may set ``tags``, ``rules`` and ``allow`` for every deck file under
  it (its subfolders too). They add to each item's own, for the kinds that take those fields
  (write drills): a folder of puzzles states its allow-list once.
- ``uses = ["drill-id", …]`` names write drills whose reference functions are in scope for
  the learner. They are resolved here, once every file is read, into ``used``: each used
  drill's ``id``, ``function`` and ``reference`` (and those of the drills it uses in turn,
  first), which the grader defines as trusted code. The learner's own answers never enter.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

FOLDER_DEFAULTS = "defaults.toml"
FOLDER_KEYS = ("tags", "rules", "allow")
SHARED_FIELDS = ("rules", "allow")
"""Fields a file's top or a folder's defaults add to each item that takes them."""


def is_folder_defaults(path: Path) -> bool:
    return path.name == FOLDER_DEFAULTS


def merge_defaults(outer: dict[str, Any], inner: dict[str, Any]) -> dict[str, Any]:
    """``inner`` (a file's top, or a deeper folder's defaults) over ``outer``: lists add up, the
    rest is replaced."""
    merged = dict(outer)
    for key, value in inner.items():
        merged[key] = list(dict.fromkeys([*outer.get(key, []), *value])) if key in FOLDER_KEYS else value
    return merged


def shared_into(body: dict[str, Any], defaults: dict[str, Any], fields: set[str]) -> dict[str, Any]:
    """The item's body with the shared ``rules`` and ``allow`` added, where its kind takes them."""
    body = dict(body)
    for key in SHARED_FIELDS:
        if key in fields and defaults.get(key):
            own = body.get(key, [])
            body[key] = list(dict.fromkeys([*defaults[key], *(own if isinstance(own, list) else [own])]))
    return body


def defaults_problems(data: dict[str, Any], label: str) -> list[str]:
    """What is wrong with a folder's defaults: unknown keys, values that are not lists of strings."""
    problems = [f"{label}:1: unknown key `{key}` in folder defaults (expected: {', '.join(FOLDER_KEYS)})" for key in data if key not in FOLDER_KEYS]
    for key in FOLDER_KEYS:
        value = data.get(key, [])
        if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            problems.append(f"{label}:1: `{key}` must be a list of strings")
    return problems


def resolve_uses(bodies: dict[str, tuple[str, dict[str, Any]]]) -> dict[str, str]:
    """Fill ``used`` in every body that ``uses`` others (``bodies``: id → (kind, body)); the
    problem of each item whose ``uses`` cannot be resolved, by id."""
    problems: dict[str, str] = {}
    for item_id, (_, body) in bodies.items():
        if "uses" not in body:
            continue
        order: list[str] = []
        problem = _visit(item_id, bodies, order, [])
        if problem:
            problems[item_id] = problem
        else:
            body["used"] = [{"id": used, "function": bodies[used][1]["function"], "reference": bodies[used][1]["reference"]}
                            for used in order if used != item_id]
    return problems


def _visit(item_id: str, bodies: dict[str, tuple[str, dict[str, Any]]], order: list[str], path: list[str]) -> str | None:
    """Depth first: the drills ``item_id`` uses, before it, into ``order``."""
    if item_id in path:
        return f"`uses` goes round in a circle: {' → '.join([*path[path.index(item_id):], item_id])}"
    if item_id in order:
        return None
    body = bodies[item_id][1]
    for used in body.get("uses", []):
        if used not in bodies or not {"function", "reference"} <= bodies[used][1].keys():  # a write drill
            return f"`uses` names {used!r}, which is not a write drill"
        if problem := _visit(used, bodies, order, [*path, item_id]):
            return problem
    order.append(item_id)
    return None
