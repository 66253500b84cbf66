"""One undo history per window: answers, buries, suspends, skips and the browser's actions are
taken back newest first, each exactly, and never over another window's change (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from quizzer.config import SchedulingConfig
from quizzer.errors import CardChanged
from quizzer.services.container import Services
from quizzer.storage.models import Card, ReviewLog
from quizzer.vocabulary import Rating
from tests.conftest import FakeClock, open_services
from tests.test_search import card_of


def card_row(services: Services, card_id: int) -> tuple[object, ...]:
    with services.review.sessions() as session:
        card = session.get_one(Card, card_id)
        return (card.state, card.due, card.last_review, card.suspended, card.buried_until)


def ratings(services: Services) -> list[tuple[int, int]]:
    with services.review.sessions() as session:
        return [(log.card_id, log.rating) for log in session.scalars(select(ReviewLog).order_by(ReviewLog.id))]


def shown(services: Services, deck: str | None = None) -> int:
    card = services.review.next_card(deck)
    assert card is not None
    return card.card_id


def test_answer_bury_suspend_and_skip_are_taken_back_newest_first_each_exactly(services: Services) -> None:
    review = services.review
    first = shown(services, "alpha")
    untouched = {card: card_row(services, card) for card in (first, card_of(services, "alpha-basic-2"),
                                                             card_of(services, "alpha-cloze", 1), card_of(services, "alpha-typed"))}
    review.answer(first, Rating.Good)
    buried = shown(services, "alpha")
    review.bury(buried)
    suspended = shown(services, "alpha")
    review.suspend(suspended)
    skipped = shown(services, "alpha")
    review.skip(skipped)
    assert shown(services, "alpha") not in (skipped, buried, suspended)
    undone = [step.shown for step in iter(review.undo, None)]
    assert undone == [skipped, suspended, buried, first]
    assert {card: card_row(services, card) for card in untouched} == untouched
    assert ratings(services) == [] and review.later == []


def test_a_skipped_card_comes_back_once_nothing_else_is_left(services: Services) -> None:
    skipped = shown(services, "beta")
    services.review.skip(skipped)
    assert shown(services, "beta") == skipped  # beta has only this card: its turn comes at once
    assert services.review.later == []


def test_a_skipped_card_waits_behind_the_others_of_its_deck(services: Services) -> None:
    review = services.review
    skipped = shown(services, "alpha")
    review.skip(skipped)
    others = []
    while (card := review.next_card("alpha")) is not None and card.card_id != skipped:
        others.append(card.item.id)
        review.answer(card.card_id, Rating.Easy)
    assert others == ["alpha-basic-2", "alpha-cloze", "alpha-typed"]  # the cloze's other deletion waits for tomorrow
    assert card is not None and card.item.id == "alpha-basic-1"


def test_the_browsers_actions_and_the_reviews_answers_share_one_history(services: Services) -> None:
    card = shown(services, "beta")
    services.review.answer(card, Rating.Again)
    services.actions.suspend([card])
    assert services.review.undo() is not None  # the suspend
    assert card_row(services, card)[3] is False and ratings(services) == [(card, 1)]
    assert services.review.undo() is not None  # the answer before it
    assert ratings(services) == []


def test_undo_refuses_a_bury_the_other_window_has_answered_on_top_of(
    sqlite_services: Services, clock: FakeClock, scheduling: SchedulingConfig,
) -> None:
    other = open_services(str(sqlite_services.engine.url), clock, scheduling)
    try:
        card = shown(sqlite_services, "beta")
        sqlite_services.review.bury(card)
        other.review.answer(card, Rating.Good)  # there, the card was answered all the same
        with pytest.raises(CardChanged):
            sqlite_services.review.undo()
        assert card_row(sqlite_services, card)[4] is not None and ratings(sqlite_services) == [(card, 3)]
        assert sqlite_services.review.undo() is None  # the refused step is gone, not stuck in front
    finally:
        other.close()


def test_undo_never_takes_back_the_other_windows_bury(sqlite_services: Services, clock: FakeClock, scheduling: SchedulingConfig) -> None:
    other = open_services(str(sqlite_services.engine.url), clock, scheduling)
    try:
        mine = shown(sqlite_services, "alpha")
        sqlite_services.review.suspend(mine)
        theirs = shown(other, "beta")
        other.review.bury(theirs)
        step = sqlite_services.review.undo()
        assert step is not None and step.shown == mine
        assert card_row(sqlite_services, theirs)[4] is not None and card_row(sqlite_services, mine)[3] is False
        assert sqlite_services.review.undo() is None
    finally:
        other.close()
