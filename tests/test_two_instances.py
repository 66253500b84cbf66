"""Two instances of quizzer on one database (two terminals, one learner): no card is answered
twice from the same state and no answer is lost. The version a card was shown at travels with
the answer; the instance that answers second is refused and shows the card's new state."""

from __future__ import annotations

import threading
from collections import Counter
from functools import partial
from itertools import pairwise

import pytest
from sqlalchemy import select

from quizzer.app import make_app
from quizzer.config import SchedulingConfig
from quizzer.errors import CardChanged
from quizzer.services.container import Services
from quizzer.storage.models import ReviewLog
from quizzer.storage.retry import retrying
from quizzer.vocabulary import Rating
from tests.conftest import FakeClock, open_services

AFTER = ("after_state", "after_step", "after_stability", "after_difficulty", "after_due")
BEFORE = ("before_state", "before_step", "before_stability", "before_difficulty", "before_due")


def logs(services: Services) -> list[ReviewLog]:
    with services.review.sessions() as session:
        return list(session.scalars(select(ReviewLog).order_by(ReviewLog.id)))


def review_in_step(first: Services, second: Services) -> Counter[str]:
    """Both instances take the card each shows next, then answer it at the same moment, until
    nothing is left; how many answers were stored and how many refused."""
    outcomes: Counter[str] = Counter()
    together = threading.Barrier(2)
    lock = threading.Lock()

    def review(services: Services) -> None:
        while True:
            card = retrying(lambda: services.review.next_card(None), patience=10)
            together.wait()
            if card is None:
                return
            try:
                retrying(partial(services.review.answer, card.card_id, Rating.Good, 1000, version=card.version), patience=10)
                outcome = "stored"
            except CardChanged:
                outcome = "refused"
            with lock:
                outcomes[outcome] += 1
            together.wait()

    threads = [threading.Thread(target=review, args=(s,)) for s in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def test_two_instances_answering_together_never_answer_a_card_twice_from_the_same_state(
    db_url: str, clock: FakeClock, scheduling: SchedulingConfig,
) -> None:
    first = open_services(db_url, clock, scheduling)
    second = open_services(db_url, clock, scheduling)
    try:
        outcomes = review_in_step(first, second)
        history = logs(first)
    finally:
        first.close()
        second.close()
    assert outcomes["stored"] == len(history) and outcomes["refused"] == outcomes["stored"]  # both saw each card
    by_card: dict[int, list[ReviewLog]] = {}
    for log in history:
        by_card.setdefault(log.card_id, []).append(log)
    for answers in by_card.values():  # each answer starts from the state the one before left
        assert answers[0].before_state == 0
        for earlier, later in pairwise(answers):
            assert [getattr(later, b) for b in BEFORE] == [getattr(earlier, a) for a in AFTER]


async def test_the_instance_answering_second_shows_the_new_state_and_says_so(
    sqlite_services: Services, clock: FakeClock, scheduling: SchedulingConfig,
) -> None:
    other = open_services(str(sqlite_services.engine.url), clock, scheduling)
    app = make_app(sqlite_services, deck="beta")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        shown = other.review.next_card("beta")
        assert shown is not None
        other.review.answer(shown.card_id, Rating.Easy, version=shown.version)  # answered in the other window first
        await pilot.press("1")
        await pilot.pause()
        assert any("was answered in another window; this answer is not stored" in n.message for n in app._notifications)
        assert app.screen.query("#done")  # Easy there: not due again today
    assert [log.rating for log in logs(sqlite_services)] == [4]
    other.close()


def test_undo_takes_back_only_this_instances_answer(sqlite_services: Services, clock: FakeClock, scheduling: SchedulingConfig) -> None:
    other = open_services(str(sqlite_services.engine.url), clock, scheduling)
    try:
        mine = sqlite_services.review.next_card("alpha")
        assert mine is not None
        sqlite_services.review.answer(mine.card_id, Rating.Good, version=mine.version)
        theirs = other.review.next_card("beta")
        assert theirs is not None
        other.review.answer(theirs.card_id, Rating.Easy, version=theirs.version)  # the newest row is the other window's
        undone = sqlite_services.review.undo()
        assert undone is not None and undone.shown == mine.card_id
        assert [(log.card_id, log.rating) for log in logs(sqlite_services)] == [(theirs.card_id, 4)]
        assert sqlite_services.review.undo() is None  # nothing of this window's is left to take back
    finally:
        other.close()


def test_undo_refuses_an_answer_the_other_instance_has_built_on(
    sqlite_services: Services, clock: FakeClock, scheduling: SchedulingConfig,
) -> None:
    other = open_services(str(sqlite_services.engine.url), clock, scheduling)
    try:
        card = sqlite_services.review.next_card("beta")
        assert card is not None
        sqlite_services.review.answer(card.card_id, Rating.Again, version=card.version)
        again = other.review.card(card.card_id)
        other.review.answer(card.card_id, Rating.Good, version=again.version)  # answered on top of it
        with pytest.raises(CardChanged):
            sqlite_services.review.undo()
        assert [log.rating for log in logs(sqlite_services)] == [1, 3]
    finally:
        other.close()
