"""Three simulated study days under QUIZZER_NOW: each day's queue keeps to the limits."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path

import pytest
from sqlalchemy import func, select

from quizzer.config import Config
from quizzer.services.container import Services
from quizzer.storage.models import ReviewLog
from quizzer.vocabulary import Rating, State
from tests.conftest import FIXTURE_CONTENT

DAYS = ("2026-12-01T09:00", "2026-12-02T09:00", "2026-12-03T09:00")


def study_all(services: Services) -> int:
    """Answer Review all's queue until it is done for the day; returns how many cards came."""
    shown = 0
    while (card := services.review.next_card()) is not None and shown < 50:
        services.review.answer(card.card_id, Rating.Easy)
        shown += 1
    return shown


def test_each_of_three_days_brings_review_all_s_new_limit_and_no_more(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'days.sqlite3'}"
    shown = []
    for day in DAYS:
        monkeypatch.setenv("QUIZZER_NOW", day)
        services = Services.open(Config(db_url=url, content_dir=FIXTURE_CONTENT), tz=UTC)  # the clock: QUIZZER_NOW
        try:
            services.content.import_path(FIXTURE_CONTENT)
            if day == DAYS[0]:
                services.settings.set_deck_options("", new=2)
            shown.append(study_all(services))
        finally:
            services.close()
    with services.sessions() as session:
        on_day = func.date(ReviewLog.reviewed_at)
        new_by_day = session.execute(select(on_day, func.count()).where(ReviewLog.before_state == State.NEW).group_by(on_day)).all()
    assert shown == [2, 2, 2]
    assert new_by_day == [("2026-12-01", 2), ("2026-12-02", 2), ("2026-12-03", 2)]
