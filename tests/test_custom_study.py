"""Custom study: extra cards today, and sessions of chosen cards that schedule honestly."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from quizzer.errors import UsageError
from quizzer.scheduling.custom import CustomStudy
from quizzer.scheduling.fsrs_adapter import CardState, make_scheduler, review
from quizzer.services.container import Services
from quizzer.services.custom_study import Choice
from quizzer.storage.models import Card, Deck, ReviewLog
from quizzer.vocabulary import Rating
from tests.conftest import FakeClock


def card_of(services: Services, item_id: str, ordinal: int = 0) -> Card:
    with services.review.sessions() as session:
        card = session.scalar(select(Card).where(Card.item_id == item_id, Card.ordinal == ordinal))
        assert card is not None
        return card


def learn(services: Services, item_id: str) -> None:
    """Answer the item's new card Easy: learned, due in days."""
    services.review.answer(card_of(services, item_id).id, Rating.Easy)


def study(services: Services, deck: str | None = None, custom: CustomStudy | None = None, rating: Rating = Rating.Good) -> list[str]:
    """Answer every card the queue (or the custom session) gives; the items, in order."""
    shown: list[str] = []
    while (card := services.review.next_card(deck, custom)) is not None and len(shown) < 30:
        services.review.answer(card.card_id, rating)
        shown.append(card.item.id)
    return shown


def test_extra_new_cards_today_raise_the_deck_s_limit_until_the_day_ends(services: Services, clock: FakeClock) -> None:
    services.settings.set_deck_options("alpha", new=1)
    assert len(study(services, "alpha", rating=Rating.Easy)) == 1
    services.custom_study.extend("alpha", new=2)
    assert len(study(services, "alpha", rating=Rating.Easy)) == 2
    with services.review.sessions() as session:
        row = session.get_one(Deck, "alpha")
        assert (row.new_per_day, row.extra_new, row.extended_until) == (1, 2, services.review.study_day_end())
    clock.advance(days=1)
    assert services.review.overview().decks["alpha"].new == 1  # tomorrow: the deck's own limit again


def test_extra_new_cards_reach_the_subdecks_whose_own_limit_is_used_up(services: Services) -> None:
    services.settings.set_deck_options("alpha::sub", new=1)
    assert study(services, "alpha::sub", rating=Rating.Easy) == ["alpha-cloze"]
    services.custom_study.extend("alpha", new=1)
    assert services.review.overview().decks["alpha::sub"].new == 1


def test_extra_reviews_raise_the_review_limit(services: Services, clock: FakeClock) -> None:
    learn(services, "alpha-basic-1")
    learn(services, "beta-basic")
    services.settings.set_deck_options("", reviews=1)
    clock.advance(days=60)
    assert services.review.overview().total.due == 1
    services.custom_study.extend("", reviews=5)
    assert services.review.overview().total.due == 2


def test_review_ahead_answers_are_scheduled_from_the_real_time(services: Services, clock: FakeClock) -> None:
    learn(services, "beta-basic")
    clock.advance(days=1)
    before = card_of(services, "beta-basic")
    days_left = (before.due - clock.now).days + 1
    assert before.due > services.review.study_day_end()  # not due today
    session = services.custom_study.start(None, Choice(ahead=days_left))
    assert study(services, custom=session) == ["beta-basic"]
    after = card_of(services, "beta-basic")
    expected = review(
        make_scheduler(services.config.scheduling),  # what the daily queue would do, answered now
        before.id, CardState(before.state, before.step, before.stability, before.difficulty, before.due, before.last_review),
        Rating.Good, clock.now,
    )
    assert (after.last_review, after.due, after.stability) == (clock.now, expected.due, expected.stability)
    with services.review.sessions() as db:
        log = db.scalars(select(ReviewLog).order_by(ReviewLog.id.desc())).first()
        assert log is not None and (log.reviewed_at, log.before_due) == (clock.now, before.due)


def test_review_ahead_leaves_out_cards_due_today_and_new_ones(services: Services, clock: FakeClock) -> None:
    learn(services, "beta-basic")
    with pytest.raises(UsageError, match="nothing to study"):
        services.custom_study.start("alpha", Choice(ahead=30))
    clock.advance(days=60)  # beta-basic is due today: the daily queue has it, not review ahead
    with pytest.raises(UsageError, match="nothing to study"):
        services.custom_study.start(None, Choice(ahead=30))


def test_forgotten_today_studies_the_cards_answered_again_today(services: Services) -> None:
    services.review.answer(card_of(services, "alpha-basic-2").id, Rating.Again)
    services.review.answer(card_of(services, "alpha-basic-2").id, Rating.Easy)
    session = services.custom_study.start(None, Choice(forgotten=1))
    assert session.card_ids == (card_of(services, "alpha-basic-2").id,)
    assert study(services, custom=session) == ["alpha-basic-2"]


def test_a_tag_session_takes_its_cards_once_each_and_again_ones_come_back(services: Services) -> None:
    session = services.custom_study.start("alpha::sub", Choice(tag="fixture"))
    assert len(session.card_ids) == 3  # the cloze's two deletions and the typed card
    first = services.review.next_card(custom=session)
    assert first is not None
    services.review.answer(first.card_id, Rating.Again)  # learning: back after the others
    assert study(services, custom=session, rating=Rating.Easy) == ["alpha-cloze", "alpha-typed", "alpha-cloze"]


def test_undo_puts_a_card_back_into_the_session(services: Services) -> None:
    session = services.custom_study.start("beta", Choice(search="is:new"))
    assert study(services, custom=session, rating=Rating.Easy) == ["beta-basic"]
    services.review.undo()
    assert study(services, custom=session, rating=Rating.Easy) == ["beta-basic"]


@pytest.mark.parametrize(("choice", "message"), [
    (Choice(), "custom study needs a filter: ahead, forgotten, tag or search"),
    (Choice(tag="nope"), "nothing to study: no card for tag nope in all decks"),
    (Choice(search="is:new", limit=0), "a custom session takes 1 to 1000 cards, not 0"),
])
def test_a_session_that_cannot_be_built_says_why(services: Services, choice: Choice, message: str) -> None:
    with pytest.raises(UsageError) as refused:
        services.custom_study.start(None, choice)
    assert refused.value.message == message


def test_a_session_is_limited_and_learned_cards_come_first(services: Services, clock: FakeClock) -> None:
    learn(services, "beta-basic")
    clock.advance(days=60)
    session = services.custom_study.start(None, Choice(search="-is:suspended", limit=2))
    assert session.card_ids == (card_of(services, "beta-basic").id, card_of(services, "alpha-basic-1").id)
