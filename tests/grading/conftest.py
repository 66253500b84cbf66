"""The fixture drills as the caller passes them (body plus ``kind`` and ``id``), and one
grading client per test module: starting the service costs about two seconds."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

import pytest

from quizzer.corpus.format import load_content
from quizzer.grading.client import GradingClient
from tests.conftest import FIXTURES

DRILLS = FIXTURES / "drills"


@cache
def _specs() -> dict[str, Any]:
    return {spec.id: spec for spec in load_content(DRILLS)}


def drill(item_id: str) -> dict[str, Any]:
    """A fixture drill as the app stores and sends it."""
    spec = _specs()[item_id]
    return {**spec.body, "kind": spec.kind, "id": spec.id}


@pytest.fixture(scope="module")
def client() -> Iterator[GradingClient]:
    with GradingClient() as started:
        yield started
