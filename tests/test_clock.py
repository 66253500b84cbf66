"""QUIZZER_NOW: the time every command and the app take as now."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from quizzer.clock import pinned_start, utc_now
from quizzer.errors import ConfigError


def test_without_quizzer_now_the_clock_is_the_real_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QUIZZER_NOW", raising=False)
    before = datetime.now(UTC)
    assert before <= utc_now() <= datetime.now(UTC)


def test_quizzer_now_without_an_offset_is_utc_and_the_clock_runs_on_from_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZZER_NOW", "2026-12-05T08:00")
    first, second = utc_now(), utc_now()
    assert datetime(2026, 12, 5, 8, tzinfo=UTC) <= first <= second < datetime(2026, 12, 5, 8, tzinfo=UTC) + timedelta(days=1)


def test_quizzer_now_with_an_offset_is_turned_into_utc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZZER_NOW", "2026-12-05T08:00+08:00")
    start = datetime(2026, 12, 5, 0, tzinfo=UTC)
    assert pinned_start("2026-12-05T08:00+08:00") == start
    assert start <= utc_now() < start + timedelta(days=1)  # runs on from it since this process began


def test_a_quizzer_now_that_is_no_time_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZZER_NOW", "monday")
    with pytest.raises(ConfigError, match="QUIZZER_NOW: 'monday' is not an ISO time"):
        utc_now()
