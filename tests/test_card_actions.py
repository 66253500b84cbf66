"""Actions on picked cards, each undone exactly, and card info's history (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from quizzer.config import Config, SchedulingConfig
from quizzer.services.card_info import info_lines
from quizzer.services.container import Services
from quizzer.storage.models import Card, DrillAttempt, ReviewLog
from quizzer.vocabulary import Rating, State
from tests.conftest import FIXTURES, START, FakeClock
from tests.test_search import answer, card_of


def row(services: Services, card_id: int) -> tuple[object, ...]:
    with services.review.sessions() as session:
        card = session.get_one(Card, card_id)
        return (card.state, card.stability, card.due, card.last_review, card.suspended, card.buried_until, card.flag)


def test_forget_puts_a_card_back_to_new_and_keeps_its_history(services: Services) -> None:
    answer(services, "alpha-basic-1", Rating.Good, Rating.Good)
    card = card_of(services, "alpha-basic-1")
    services.actions.forget([card])
    with services.review.sessions() as session:
        assert session.get_one(Card, card).state == State.NEW
        assert session.scalar(select(func.count()).where(ReviewLog.card_id == card)) == 2


@pytest.mark.parametrize(
    "act",
    [
        lambda s, ids: s.actions.suspend(ids), lambda s, ids: s.actions.bury(ids), lambda s, ids: s.actions.forget(ids),
        lambda s, ids: s.actions.set_due(ids, 5), lambda s, ids: s.actions.flag(ids, 7),
    ],
    ids=["suspend", "bury", "forget", "set-due", "flag"],
)
def test_undo_restores_every_card_of_a_multi_selection_exactly(services: Services, act: Callable[[Services, list[int]], object]) -> None:
    answer(services, "alpha-basic-1", Rating.Easy)
    answer(services, "alpha-cloze", Rating.Good, ordinal=1)
    cards = [card_of(services, "alpha-basic-1"), card_of(services, "alpha-cloze", 1), card_of(services, "beta-basic")]
    before = [row(services, card) for card in cards]
    act(services, cards)
    assert [row(services, card) for card in cards] != before
    assert services.review.undo() is not None
    assert [row(services, card) for card in cards] == before
    assert services.review.undo() is not None  # the answers before it, from the same history
    assert services.review.undo() is not None
    assert services.review.undo() is None


def test_unsuspend_and_unbury_take_the_marks_off(services: Services) -> None:
    card = card_of(services, "beta-basic")
    services.actions.suspend([card])
    services.actions.bury([card])
    services.actions.unsuspend([card])
    services.actions.unbury([card])
    assert row(services, card)[4:6] == (False, None)


def test_set_due_moves_a_learned_card_to_the_start_of_that_study_day_and_leaves_new_ones(services: Services) -> None:
    answer(services, "alpha-basic-1", Rating.Easy)
    learned, new = card_of(services, "alpha-basic-1"), card_of(services, "beta-basic")
    new_due = row(services, new)[2]
    services.actions.set_due([learned, new], 3)
    assert row(services, learned)[2] == START.replace(hour=4) + timedelta(days=3)  # tests run in UTC, day starts 04:00
    assert row(services, new)[2] == new_due


def test_card_info_lists_every_review_with_what_fsrs_made_of_it(services: Services, clock: FakeClock) -> None:
    answer(services, "alpha-basic-1", Rating.Easy)
    clock.advance(days=10)
    answer(services, "alpha-basic-1", Rating.Good)
    (info,) = services.info.info("alpha-basic-1")
    assert [review.rating for review in info.reviews] == ["easy", "good"]
    first, second = info.reviews
    assert first.recall is None and second.recall is not None and 0 < second.recall < 1
    assert second.stability is not None and first.stability is not None and second.stability > first.stability
    assert second.interval_days > first.interval_days > 1
    assert info.state == "review" and info.recall_now == pytest.approx(1.0)


def test_card_info_lists_every_drill_attempt_with_verdict_time_and_hints(
    tmp_path: Path, clock: FakeClock, scheduling: SchedulingConfig
) -> None:
    drills = FIXTURES / "drill_deck"
    services = Services.open(Config(db_url=f"sqlite:///{tmp_path / 'd.sqlite3'}", content_dir=drills, scheduling=scheduling), clock=clock)
    services.content.import_path(drills)
    try:
        card = card_of(services, "drill-softmax")
        with services.review.sessions.begin() as session:
            for minutes, passed, cause, hints in ((0, False, "timeout", 0), (3, True, None, 1)):
                session.add(DrillAttempt(
                    card_id=card, attempted_at=clock.now + timedelta(minutes=minutes), seed=0, submission="...",
                    passed=passed, cause=cause, hints_shown=hints, result={},
                ))
        (info,) = services.info.info("drill-softmax")
        assert [(a.passed, a.cause, a.hints) for a in info.attempts] == [(False, "timeout", 0), (True, None, 1)]
        assert info_lines(info, "en")[-2:] == [
            "attempt 2026-03-02 09:00: failed (timeout), 0 hints", "attempt 2026-03-02 09:03: passed, 1 hint",
        ]
    finally:
        services.close()
