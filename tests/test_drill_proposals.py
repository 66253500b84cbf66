"""The rating a drill proposes weighs the whole study day: tries, hints and give-ups before an
undo or an earlier pass of the card count, yesterday's do not. Through ``DrillService`` and the
database; the attempts are stored as the grader's verdicts would be."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC
from pathlib import Path

import pytest
from sqlalchemy import delete, select

from quizzer.config import Config, SchedulingConfig
from quizzer.services.container import Services
from quizzer.storage.models import Card, DrillAttempt, DrillDraft
from quizzer.vocabulary import Rating
from tests.conftest import FIXTURES, FakeClock

DRILLS = FIXTURES / "drill_deck"


@pytest.fixture
def services(tmp_path: Path, clock: FakeClock, scheduling: SchedulingConfig) -> Iterator[Services]:
    opened = Services.open(Config(db_url=f"sqlite:///{tmp_path / 'p.sqlite3'}", content_dir=DRILLS, scheduling=scheduling), clock=clock, tz=UTC)
    opened.content.import_path(DRILLS)
    yield opened
    opened.close()


def card_of(services: Services, item_id: str) -> int:
    with services.sessions() as session:
        return session.scalars(select(Card.id).where(Card.item_id == item_id)).one()


def attempt(services: Services, card_id: int, *, passed: bool, hints: int = 0, cause: str | None = None) -> None:
    """Store a graded attempt at the clock's time, as ``DrillService.grade`` does."""
    with services.sessions.begin() as session:
        session.add(DrillAttempt(
            card_id=card_id, attempted_at=services.clock(), seed=0, submission="", passed=passed, cause=cause, hints_shown=hints, result={},
        ))


def start_again(services: Services, card_id: int) -> None:
    """The drill comes back with a fresh draft, as after an undo or a rating."""
    with services.sessions.begin() as session:
        session.execute(delete(DrillDraft).where(DrillDraft.card_id == card_id))
    services.drills.open(card_id)


def test_a_quick_first_try_pass_proposes_easy(services: Services, clock: FakeClock) -> None:
    card = card_of(services, "drill-softmax")
    services.drills.open(card)
    clock.advance(seconds=30)
    attempt(services, card, passed=True)
    assert services.drills.proposed_rating(card) == Rating.Easy


def test_a_failed_try_before_an_undo_caps_the_next_first_try_pass_at_hard(services: Services, clock: FakeClock) -> None:
    card = card_of(services, "drill-softmax")
    services.drills.open(card)
    attempt(services, card, passed=False)
    start_again(services, card)
    clock.advance(seconds=30)
    attempt(services, card, passed=True)
    assert services.drills.proposed_rating(card) == Rating.Hard


def test_a_hint_in_an_earlier_try_the_same_day_caps_the_pass_at_hard(services: Services, clock: FakeClock) -> None:
    card = card_of(services, "drill-softmax")
    services.drills.open(card)
    attempt(services, card, passed=True, hints=1)
    clock.advance(minutes=10)
    start_again(services, card)
    attempt(services, card, passed=True)
    assert services.drills.proposed_rating(card) == Rating.Hard


def test_a_failed_try_yesterday_does_not_cap_todays_pass(services: Services, clock: FakeClock) -> None:
    card = card_of(services, "drill-softmax")
    services.drills.open(card)
    attempt(services, card, passed=False)
    clock.advance(days=1)
    start_again(services, card)
    clock.advance(seconds=30)
    attempt(services, card, passed=True)
    assert services.drills.proposed_rating(card) == Rating.Easy


def test_a_wrong_prediction_retyped_right_proposes_again(services: Services) -> None:
    card = card_of(services, "drill-conv-shape")
    services.drills.open(card)
    attempt(services, card, passed=False)
    attempt(services, card, passed=True)
    assert services.drills.proposed_rating(card) == Rating.Again


def test_an_unreadable_prediction_is_no_wrong_one(services: Services) -> None:
    card = card_of(services, "drill-conv-shape")
    services.drills.open(card)
    attempt(services, card, passed=False, cause="unreadable-answer")
    attempt(services, card, passed=True)
    assert services.drills.proposed_rating(card) == Rating.Easy


def test_giving_up_proposes_again_and_is_stored_as_a_failed_attempt(services: Services) -> None:
    card = card_of(services, "drill-softmax")
    services.drills.open(card)
    assert services.drills.give_up(card) == Rating.Again
    with services.sessions() as session:
        assert session.execute(select(DrillAttempt.passed, DrillAttempt.cause)).all() == [(False, "gave-up")]


def test_a_pass_after_giving_up_the_same_day_proposes_hard_at_best(services: Services, clock: FakeClock) -> None:
    card = card_of(services, "drill-softmax")
    services.drills.open(card)
    services.drills.give_up(card)
    clock.advance(minutes=10)
    start_again(services, card)
    clock.advance(seconds=30)
    attempt(services, card, passed=True)
    assert services.drills.proposed_rating(card) == Rating.Hard


def test_a_pass_of_a_prediction_after_giving_up_is_hard_not_again(services: Services, clock: FakeClock) -> None:
    card = card_of(services, "drill-conv-shape")
    services.drills.open(card)
    services.drills.give_up(card)
    start_again(services, card)
    attempt(services, card, passed=True)
    assert services.drills.proposed_rating(card) == Rating.Hard
