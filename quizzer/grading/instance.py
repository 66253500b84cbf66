"""Parametrised drills: draw one value per parameter from the attempt's seed, fill placeholders.

Plain Python (no torch), so the UI renders an instance without a round trip to the service,
and the service draws exactly the same values from the same seed.

``{name}`` is replaced in every field (texts, code, examples; not in ``params`` itself) and
only for the drill's declared parameter names, so other braces in code (dicts, f-strings) are
left alone; authors must not write a set literal ``{name}`` that collides with a parameter name.
"""

from __future__ import annotations

import random
import re
from typing import Any

from quizzer.errors import GradingError


def draw_params(drill: dict[str, Any], seed: int) -> dict[str, Any]:
    """One value per parameter, the same for the same seed in every process."""
    choices: dict[str, list[Any]] = drill.get("params") or {}
    rng = random.Random(seed)
    return {name: rng.choice(choices[name]) for name in sorted(choices)}


def substitute(value: Any, params: dict[str, Any]) -> Any:
    """``value`` with ``{name}`` placeholders filled, recursing into dicts and lists."""
    if not params:
        return value
    if isinstance(value, str):
        pattern = re.compile(r"\{(" + "|".join(re.escape(name) for name in params) + r")\}")
        return pattern.sub(lambda m: str(params[m.group(1)]), value)
    if isinstance(value, list):
        return [substitute(v, params) for v in value]
    if isinstance(value, dict):
        return {k: substitute(v, params) for k, v in value.items()}
    return value


def resolve(drill: dict[str, Any], seed: int, params: dict[str, Any] | None) -> tuple[dict[str, Any], dict[str, Any]]:
    """The drill with placeholders filled, and the parameters used (drawn unless given).

    Given ``params`` must name every declared parameter with one of its declared values."""
    declared: dict[str, list[Any]] = drill.get("params") or {}
    if params is not None and (set(params) != set(declared) or any(params[k] not in declared[k] for k in params)):
        raise GradingError(f"parameters {params!r} are not an instance of {declared!r}")
    chosen = draw_params(drill, seed) if params is None else dict(params)
    filled = {k: v if k == "params" else substitute(v, chosen) for k, v in drill.items()}
    return filled, chosen
