"""A deck's retention and steps, stored in the decks table, schedule its cards' answers."""

from __future__ import annotations

from datetime import timedelta

import pytest

from quizzer.errors import ConfigError
from quizzer.services.container import Services
from quizzer.storage.models import Deck, ReviewLog
from quizzer.vocabulary import Rating
from tests.conftest import FakeClock


def answer(services: Services, deck: str, rating: Rating) -> ReviewLog:
    """Answer the next card of ``deck``; the log row that answer left."""
    card = services.review.next_card(deck)
    assert card is not None
    services.review.answer(card.card_id, rating)
    with services.review.sessions() as session:
        log = session.query(ReviewLog).filter_by(card_id=card.card_id).order_by(ReviewLog.id.desc()).first()
        assert log is not None
        return log


def waited(log: ReviewLog) -> timedelta:
    return log.after_due - log.reviewed_at


def test_a_deck_s_learning_steps_schedule_its_new_cards(services: Services) -> None:
    services.settings.set_deck_options("beta", learning_steps="2m 30m")
    assert waited(answer(services, "beta", Rating.Again)) == timedelta(minutes=2)
    assert waited(answer(services, "beta", Rating.Good)) == timedelta(minutes=30)


def test_the_buttons_show_the_deck_s_steps(services: Services) -> None:
    services.settings.set_deck_options("beta", learning_steps="3m 1h")
    card = services.review.next_card("beta")
    assert card is not None
    assert (card.intervals[Rating.Again], card.intervals[Rating.Good]) == ("3m", "1h")


def test_a_lower_retention_gives_a_longer_interval(services: Services) -> None:
    default = waited(answer(services, "beta", Rating.Easy))
    services.settings.set_deck_options("alpha", retention=0.75)
    lower = waited(answer(services, "alpha", Rating.Easy))
    assert lower > default * 1.5


def test_relearning_steps_follow_a_lapse(services: Services, clock: FakeClock) -> None:
    services.settings.set_deck_options("beta", relearning_steps="5m", learning_steps="")
    graduated = answer(services, "beta", Rating.Good)  # no learning steps: straight to days
    assert waited(graduated) >= timedelta(days=1)
    clock.advance(days=3)
    assert waited(answer(services, "beta", Rating.Again)) == timedelta(minutes=5)


def test_a_subdeck_inherits_its_parent_s_options_unless_it_sets_its_own(services: Services) -> None:
    services.settings.set_deck_options("alpha", retention=0.8, learning_steps="5m")
    services.settings.set_deck_options("alpha::sub", learning_steps="7m")
    sub = services.settings.deck_options("alpha::sub", services.config.scheduling)
    assert (sub.retention, sub.learning_steps, sub.relearning_steps) == (0.8, "7m", "10m")
    with services.review.sessions() as session:
        row = session.get_one(Deck, "alpha::sub")
        assert (row.desired_retention, row.learning_steps) == (None, "7m")


def test_the_collection_s_options_hold_for_every_deck_without_its_own(services: Services) -> None:
    services.settings.set_deck_options("", learning_steps="4m")
    assert waited(answer(services, "beta", Rating.Again)) == timedelta(minutes=4)


def test_none_goes_back_to_the_inherited_value(services: Services) -> None:
    services.settings.set_deck_options("beta", retention=0.8)
    services.settings.set_deck_options("beta", retention=None)
    assert services.settings.deck_options("beta", services.config.scheduling).retention == 0.9


@pytest.mark.parametrize(("option", "value", "message"), [
    ("retention", 0.5, "retention must be between 0.7 and 0.99 (e.g. 0.9), not 0.5"),
    ("learning_steps", "1m ten", "steps: 'ten' is not a step such as 1m, 10m, 1h or 1d"),
    ("new", -3, "new must be a whole number, 0 or more, not -3"),
])
def test_a_bad_option_is_refused_and_nothing_is_stored(services: Services, option: str, value: object, message: str) -> None:
    with pytest.raises(ConfigError) as refused:
        services.settings.set_deck_options("beta", **{option: value})  # type: ignore[arg-type]
    assert refused.value.message == message
    with services.review.sessions() as session:
        assert session.get(Deck, "beta") is None
