"""The review service: FSRS scheduling, the daily queue, limits, siblings, undo, suspend, bury."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from quizzer.config import SchedulingConfig
from quizzer.scheduling.fsrs_adapter import format_interval
from quizzer.scheduling.queue import StudyDay
from quizzer.services.container import Services
from quizzer.services.review import ReviewService
from quizzer.storage.models import Card, Deck, ReviewLog
from quizzer.vocabulary import Rating
from tests.conftest import FIXTURES, FakeClock


def logs(services: Services) -> list[ReviewLog]:
    with services.review.sessions() as session:
        return list(session.scalars(select(ReviewLog).order_by(ReviewLog.id)))


def shown_next(services: Services, deck: str | None = None) -> str:
    """The id of the item whose card comes next."""
    card = services.review.next_card(deck)
    assert card is not None
    return card.item.id


def answer_next(services: Services, rating: Rating, deck: str | None = None) -> str:
    card = services.review.next_card(deck)
    assert card is not None
    services.review.answer(card.card_id, rating, duration_ms=1500)
    return card.item.id


def test_new_cards_come_in_content_order(services: Services) -> None:
    card = services.review.next_card()
    assert card is not None and card.item.id == "alpha-basic-1" and card.state == 0


def test_buttons_show_the_interval_each_rating_would_give_a_new_card(services: Services) -> None:
    card = services.review.next_card()
    assert card is not None
    assert card.intervals == {1: "1m", 2: "6m", 3: "10m", 4: "8d"}


def test_answer_is_logged_with_state_before_and_after(services: Services, clock: FakeClock) -> None:
    card = services.review.next_card()
    assert card is not None
    services.review.answer(card.card_id, Rating.Good, duration_ms=2100)
    (log,) = logs(services)
    assert (log.card_id, log.rating, log.duration_ms, log.reviewed_at) == (card.card_id, 3, 2100, clock.now)
    assert (log.before_state, log.before_stability, log.before_last_review) == (0, None, None)
    assert (log.after_state, log.after_step) == (1, 1)
    assert log.after_due == clock.now + timedelta(minutes=10)


def test_stored_times_come_back_as_utc_and_feed_fsrs_again(services: Services, clock: FakeClock) -> None:
    card = services.review.next_card()
    assert card is not None
    services.review.answer(card.card_id, Rating.Easy)
    with services.review.sessions() as session:
        stored = session.get(Card, card.card_id)
        assert stored is not None and stored.last_review == clock.now
        assert stored.due.tzinfo == UTC
    clock.advance(days=8)
    services.review.answer(card.card_id, Rating.Good)  # fsrs raises on naive datetimes: this proves they are aware
    assert len(logs(services)) == 2


def test_learning_card_comes_back_after_its_step(services: Services, clock: FakeClock) -> None:
    first = answer_next(services, Rating.Again)  # Again: due in 1 minute
    assert shown_next(services) != first
    clock.advance(minutes=2)
    assert shown_next(services) == first


def test_learning_card_is_shown_early_when_nothing_else_is_left(services: Services) -> None:
    first = answer_next(services, Rating.Again, deck="beta")
    assert shown_next(services, "beta") == first


def test_daily_new_limit_stops_new_cards(services: Services) -> None:
    with services.review.sessions.begin() as session:
        session.add(Deck(path="alpha", new_per_day=2))
    answer_next(services, Rating.Easy, "alpha")
    answer_next(services, Rating.Easy, "alpha")
    assert services.review.next_card("alpha") is None
    assert services.review.next_card("beta") is not None


def test_answers_given_by_another_process_count_towards_the_limit(services: Services, clock: FakeClock) -> None:
    with services.review.sessions.begin() as session:
        session.add(Deck(path="alpha", new_per_day=2))
    answer_next(services, Rating.Easy, "alpha")
    assert services.review.next_card("alpha") is not None
    elsewhere = ReviewService(services.review.sessions, services.review.config, clock, UTC)
    card = elsewhere.next_card("alpha")
    assert card is not None
    elsewhere.answer(card.card_id, Rating.Easy)
    assert services.review.next_card("alpha") is None


def test_undo_gives_back_a_place_under_the_limit(services: Services) -> None:
    with services.review.sessions.begin() as session:
        session.add(Deck(path="alpha", new_per_day=1))
    answer_next(services, Rating.Easy, "alpha")
    assert services.review.next_card("alpha") is None
    services.review.undo()
    assert services.review.next_card("alpha") is not None


def test_limit_of_a_parent_deck_covers_its_subdecks(services: Services) -> None:
    with services.review.sessions.begin() as session:
        session.add(Deck(path="alpha", new_per_day=1))
    answer_next(services, Rating.Easy, "alpha::sub")
    assert services.review.next_card("alpha") is None


def test_review_all_is_capped_by_the_collections_own_limit_not_each_deck_s(services: Services) -> None:
    with services.review.sessions.begin() as session:
        session.add(Deck(path="", new_per_day=2))
    answer_next(services, Rating.Easy)
    answer_next(services, Rating.Easy)
    assert services.review.next_card() is None
    assert services.review.next_card("alpha") is not None


def test_the_limit_of_a_deck_above_the_studied_one_does_not_count(services: Services) -> None:
    with services.review.sessions.begin() as session:
        session.add(Deck(path="alpha", new_per_day=1))
    answer_next(services, Rating.Easy, "alpha")
    assert services.review.next_card("alpha") is None
    assert services.review.next_card("alpha::sub") is not None


def test_a_deck_s_new_drills_limit_holds_back_its_new_drills(services: Services) -> None:
    services.content.import_path(FIXTURES / "drill_deck")
    with services.review.sessions.begin() as session:
        session.add(Deck(path="drills", new_drills_per_day=1))
    answer_next(services, Rating.Easy, "drills")
    assert services.review.next_card("drills") is None


def test_review_all_with_no_new_drills_brings_every_new_card_and_no_drill(services: Services) -> None:
    services.content.import_path(FIXTURES / "drill_deck")
    with services.review.sessions.begin() as session:
        session.add(Deck(path="", new_drills_per_day=0))
    answered = [answer_next(services, Rating.Easy) for _ in range(5)]  # five items; the cloze sibling waits for tomorrow
    assert services.review.next_card() is None
    assert not any(item.startswith("drill-") for item in answered)
    assert services.review.next_card("drills") is not None


def test_new_limit_resets_on_the_next_study_day(services: Services, clock: FakeClock) -> None:
    with services.review.sessions.begin() as session:
        session.add(Deck(path="alpha", new_per_day=1))
    answer_next(services, Rating.Easy, "alpha")
    assert services.review.next_card("alpha") is None
    clock.advance(days=1)
    card = services.review.next_card("alpha")
    assert card is not None and card.item.id == "alpha-basic-2"


def test_a_limit_of_zero_holds_back_every_new_card(services: Services) -> None:
    with services.review.sessions.begin() as session:
        session.add(Deck(path="beta", new_per_day=0))
    assert services.review.next_card("beta") is None


def test_review_limit_stops_due_reviews(services: Services, clock: FakeClock) -> None:
    for _ in range(5):
        answer_next(services, Rating.Easy)
    clock.advance(days=40)
    with services.review.sessions.begin() as session:
        session.add(Deck(path="alpha", reviews_per_day=1, new_per_day=0))
    answer_next(services, Rating.Good, "alpha")
    assert services.review.next_card("alpha") is None


def test_cloze_sibling_is_buried_for_the_day_once_one_is_answered(services: Services, clock: FakeClock) -> None:
    card = services.review.next_card("alpha::sub")
    assert card is not None and card.item.id == "alpha-cloze"
    services.review.answer(card.card_id, Rating.Easy)
    nxt = services.review.next_card("alpha::sub")
    assert nxt is not None and nxt.item.id == "alpha-typed"
    services.review.answer(nxt.card_id, Rating.Easy)
    assert services.review.next_card("alpha::sub") is None
    clock.advance(days=1)
    sibling = services.review.next_card("alpha::sub")
    assert sibling is not None and sibling.item.id == "alpha-cloze" and sibling.card_id != card.card_id


def test_cloze_siblings_show_their_own_deletion(services: Services) -> None:
    card = services.review.next_card("alpha::sub")
    assert card is not None
    assert card.item.prompt["en"] == "[…] accumulate"
    assert card.item.answer["en"] == "Gradients accumulate"
    assert card.item.marks == {"zh": [(0, 2)], "en": [(0, 9)]}  # the filled deletion, highlighted on screen


def test_undo_restores_the_card_and_removes_the_log(services: Services) -> None:
    card = services.review.next_card()
    assert card is not None
    services.review.answer(card.card_id, Rating.Good)
    step = services.review.undo()
    assert step is not None and step.shown == card.card_id
    assert logs(services) == []
    restored = services.review.card(card.card_id)
    assert restored.state == 0 and restored.intervals == card.intervals


def test_undo_with_nothing_answered_returns_none(services: Services) -> None:
    assert services.review.undo() is None


def test_suspended_card_leaves_the_queue(services: Services) -> None:
    card = services.review.next_card("beta")
    assert card is not None
    services.review.suspend(card.card_id)
    assert services.review.next_card("beta") is None
    services.actions.unsuspend([card.card_id])
    assert services.review.next_card("beta") is not None


def test_buried_card_returns_on_the_next_study_day(services: Services, clock: FakeClock) -> None:
    card = services.review.next_card("beta")
    assert card is not None
    services.review.bury(card.card_id)
    assert services.review.next_card("beta") is None
    clock.advance(days=1)
    assert services.review.next_card("beta") is not None


def test_overview_counts_new_learning_and_due_per_deck_and_parents(services: Services) -> None:
    answer_next(services, Rating.Again)
    overview = services.review.overview()
    assert vars(overview.decks["alpha"]) == {"new": 4, "learning": 1, "due": 0}
    assert vars(overview.decks["alpha::sub"]) == {"new": 3, "learning": 0, "due": 0}
    assert overview.reviewed_today == 1 and overview.seconds_today == 1


def test_parent_new_count_is_capped_by_its_subdecks_limits(services: Services) -> None:
    with services.review.sessions.begin() as session:
        session.add(Deck(path="alpha::sub", new_per_day=1))
    assert services.review.overview().decks["alpha"].new == 3


@pytest.mark.parametrize(
    ("now", "start"),
    [
        (datetime(2026, 3, 2, 9, 0, tzinfo=UTC), datetime(2026, 3, 2, 4, 0, tzinfo=UTC)),
        (datetime(2026, 3, 2, 3, 59, tzinfo=UTC), datetime(2026, 3, 1, 4, 0, tzinfo=UTC)),
    ],
)
def test_study_day_starts_at_the_configured_hour(now: datetime, start: datetime) -> None:
    day = StudyDay.containing(now, 4, UTC)
    assert day.start == start and day.end == start + timedelta(days=1)


@pytest.mark.parametrize(
    ("interval", "label"),
    [(timedelta(seconds=30), "<1m"), (timedelta(minutes=10), "10m"), (timedelta(hours=5), "5h"),
     (timedelta(days=4), "4d"), (timedelta(days=45), "1.5mo"), (timedelta(days=800), "2.2y")],
)
def test_intervals_are_labelled_as_anki_does(interval: timedelta, label: str) -> None:
    assert format_interval(interval) == label


def test_fuzz_spreads_the_intervals_of_cards_answered_alike(services: Services) -> None:
    review = ReviewService(services.review.sessions, SchedulingConfig(enable_fuzzing=True), services.review.clock, UTC)
    dues = set()
    for _ in range(6):
        card = review.next_card("beta")
        assert card is not None
        dues.add(review.answer(card.card_id, Rating.Easy).due)
        review.undo()
    assert len(dues) > 1
