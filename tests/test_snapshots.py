"""What key screens look like at 80×24, Chinese and English together (wide characters).

Regenerate after an intended change with ``pytest tests/test_snapshots.py --snapshot-update``
and look at the SVGs in ``tests/__snapshots__/``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from quizzer.app import make_app
from quizzer.config import Config, SchedulingConfig
from quizzer.services.container import Services
from quizzer.widgets.queue_counts import QueueCounts
from tests.conftest import FIXTURES, FakeClock

SIZE = (80, 24)


def settled(*keys: str) -> Callable[[Pilot[None]], Awaitable[None]]:
    """Press ``keys``, then wait for what the screen computes beside the card (its counts)."""

    async def run(pilot: Pilot[None]) -> None:
        await pilot.pause()
        await pilot.press(*keys)
        for _ in range(50):
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            if all(counts.content for counts in pilot.app.screen.query(QueueCounts)):
                return
        raise AssertionError("the counts never showed")

    return run


def deck_services(folder: Path, tmp_path: Path, clock: FakeClock, scheduling: SchedulingConfig) -> Services:
    services = Services.open(Config(db_url=f"sqlite:///{tmp_path / 's.sqlite3'}", content_dir=folder, scheduling=scheduling), clock=clock)
    services.content.import_path(folder)
    return services


@pytest.fixture
def long_cloze(tmp_path: Path, clock: FakeClock, scheduling: SchedulingConfig) -> Iterator[Services]:
    services = deck_services(FIXTURES / "long_cloze", tmp_path, clock, scheduling)
    yield services
    services.close()


def test_home_screen_lists_decks_with_counts(snap_compare: Any, sqlite_services: Services) -> None:
    assert snap_compare(make_app(sqlite_services), terminal_size=SIZE)


def test_review_screen_shows_both_languages_intervals_and_counts(snap_compare: Any, sqlite_services: Services) -> None:
    assert snap_compare(make_app(sqlite_services, deck="beta"), terminal_size=SIZE, run_before=settled("space"))


def test_review_screen_in_chinese_only(snap_compare: Any, sqlite_services: Services) -> None:
    sqlite_services.settings.set_language("zh")
    assert snap_compare(make_app(sqlite_services, deck="beta"), terminal_size=SIZE, run_before=settled("space"))


def test_a_long_cloze_shows_its_answer_in_place_of_the_question(snap_compare: Any, long_cloze: Services) -> None:
    """Both languages: the filled text (the deletion highlighted) starts at the top of the card."""
    assert snap_compare(make_app(long_cloze, deck="optim"), terminal_size=SIZE, run_before=settled("space"))


def test_a_long_cloze_in_chinese_fills_its_lines(snap_compare: Any, long_cloze: Services) -> None:
    long_cloze.settings.set_language("zh")
    assert snap_compare(make_app(long_cloze, deck="optim"), terminal_size=SIZE, run_before=settled("space"))


def test_drill_screen_shows_prompt_and_editor(snap_compare: Any, tmp_path: Path, clock: FakeClock, scheduling: SchedulingConfig) -> None:
    services = deck_services(FIXTURES / "drill_deck", tmp_path, clock, scheduling)
    try:
        assert snap_compare(make_app(services, deck="drills"), terminal_size=SIZE, run_before=settled())
    finally:
        services.close()
