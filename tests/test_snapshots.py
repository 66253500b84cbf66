"""What key screens look like at 80×24, Chinese and English together (wide characters).

Regenerate after an intended change with ``pytest tests/test_snapshots.py --snapshot-update``
and look at the SVGs in ``tests/__snapshots__/``.
"""

from __future__ import annotations

from typing import Any

from quizzer.app import make_app
from quizzer.services.container import Services

SIZE = (80, 24)


def test_home_screen_lists_decks_with_counts(snap_compare: Any, sqlite_services: Services) -> None:
    assert snap_compare(make_app(sqlite_services), terminal_size=SIZE)


def test_review_screen_shows_both_languages_and_intervals(snap_compare: Any, sqlite_services: Services) -> None:
    assert snap_compare(make_app(sqlite_services, deck="beta"), terminal_size=SIZE, press=["space"])


def test_review_screen_in_chinese_only(snap_compare: Any, sqlite_services: Services) -> None:
    sqlite_services.settings.set_language("zh")
    assert snap_compare(make_app(sqlite_services, deck="beta"), terminal_size=SIZE, press=["space"])


def test_drill_screen_shows_prompt_and_editor(snap_compare: Any, tmp_path: Any, clock: Any, scheduling: Any) -> None:
    from quizzer.config import Config
    from tests.conftest import FIXTURES

    drills = FIXTURES / "drill_deck"
    services = Services.open(Config(db_url=f"sqlite:///{tmp_path / 's.sqlite3'}", content_dir=drills, scheduling=scheduling), clock=clock)
    services.content.import_path(drills)
    try:
        assert snap_compare(make_app(services, deck="drills"), terminal_size=SIZE)
    finally:
        services.close()
