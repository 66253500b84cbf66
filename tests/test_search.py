"""The search language, operator by operator, on the fixture deck (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from quizzer.errors import QueryError
from quizzer.services.container import Services
from quizzer.storage.models import Card
from quizzer.vocabulary import Rating
from tests.conftest import FakeClock

EVERY = {"alpha-basic-1", "alpha-basic-2", "alpha-cloze/c1", "alpha-cloze/c2", "alpha-typed", "beta-basic"}


def found(services: Services, query: str) -> set[str]:
    return {row.label for row in services.collection.search(query).rows}


def card_of(services: Services, item_id: str, ordinal: int = 0) -> int:
    with services.review.sessions() as session:
        card = session.scalar(select(Card.id).where(Card.item_id == item_id, Card.ordinal == ordinal))
        assert card is not None
        return card


def answer(services: Services, item_id: str, *ratings: Rating, ordinal: int = 0) -> None:
    for rating in ratings:
        services.review.answer(card_of(services, item_id, ordinal), rating)


def test_an_empty_search_finds_every_card_in_use(services: Services) -> None:
    assert found(services, "") == EVERY


def test_free_text_finds_english_and_chinese_words_in_any_case(services: Services) -> None:
    assert found(services, "question") == {"alpha-basic-1", "alpha-basic-2", "beta-basic"}
    assert found(services, "QUESTION two") == {"alpha-basic-2"}
    assert found(services, "梯度") == {"alpha-cloze/c1", "alpha-cloze/c2"}


def test_free_text_is_looked_up_in_the_trigram_index_on_sqlite_and_finds_what_a_scan_would(sqlite_services: Services) -> None:
    assert sqlite_services.collection.indexed()
    assert found(sqlite_services, "question") == {"alpha-basic-1", "alpha-basic-2", "beta-basic"}  # indexed
    assert found(sqlite_services, "梯度") == {"alpha-cloze/c1", "alpha-cloze/c2"}  # two characters: scanned
    assert found(sqlite_services, '"on one"') == {"alpha-basic-1"}  # a phrase across a word break
    assert found(sqlite_services, "-question kind:basic") == set()


def test_a_quoted_phrase_matches_only_as_a_whole(services: Services) -> None:
    assert found(services, '"question one"') == {"alpha-basic-1"}
    assert found(services, '"one question"') == set()


def test_deck_matches_the_deck_and_its_subdecks(services: Services) -> None:
    assert found(services, "deck:alpha") == EVERY - {"beta-basic"}
    assert found(services, "deck:alpha::sub") == {"alpha-cloze/c1", "alpha-cloze/c2", "alpha-typed"}


def test_tag_kind_and_id(services: Services) -> None:
    assert found(services, "tag:fixture") == EVERY - {"beta-basic"}
    assert found(services, "kind:typed") == {"alpha-typed"}
    assert found(services, "id:alpha-cloze") == {"alpha-cloze/c1", "alpha-cloze/c2"}
    assert found(services, "id:alpha-basic*") == {"alpha-basic-1", "alpha-basic-2"}


def test_negation_and_or(services: Services) -> None:
    assert found(services, "-deck:alpha") == {"beta-basic"}
    assert found(services, "kind:typed or id:beta-basic") == {"alpha-typed", "beta-basic"}
    assert found(services, "deck:alpha -(kind:cloze or kind:typed)") == {"alpha-basic-1", "alpha-basic-2"}


def test_is_states(services: Services, clock: FakeClock) -> None:
    answer(services, "alpha-basic-1", Rating.Good)  # learning
    answer(services, "alpha-basic-2", Rating.Easy)  # straight to review
    services.actions.suspend([card_of(services, "beta-basic")])
    services.actions.bury([card_of(services, "alpha-typed")])
    services.actions.flag([card_of(services, "alpha-cloze", 1)], 2)
    assert found(services, "is:learning") == {"alpha-basic-1"}
    assert found(services, "is:review") == {"alpha-basic-2"}
    assert found(services, "is:new") == {"alpha-cloze/c1", "alpha-cloze/c2", "alpha-typed", "beta-basic"}
    assert found(services, "is:due") == {"alpha-basic-1"}  # the review card is due in days
    assert found(services, "is:suspended") == {"beta-basic"}
    assert found(services, "is:buried") == {"alpha-typed"}
    assert found(services, "is:flagged") == found(services, "flag:2") == {"alpha-cloze/c1"}


def test_lapses_leech_rated_and_due_properties(services: Services, clock: FakeClock) -> None:
    card = card_of(services, "alpha-basic-1")
    services.review.answer(card, Rating.Easy)
    for _ in range(8):  # eight lapses: a leech
        clock.advance(days=30)
        services.review.answer(card, Rating.Again)
        services.review.answer(card, Rating.Easy)
    assert found(services, "prop:lapses>3") == found(services, "is:leech") == {"alpha-basic-1"}
    assert found(services, "prop:lapses=0") == EVERY - {"alpha-basic-1"}
    assert found(services, "rated:1") == {"alpha-basic-1"}
    clock.advance(days=2)
    assert found(services, "rated:2") == set()
    assert found(services, "rated:3") == {"alpha-basic-1"}
    services.actions.set_due([card], 2)
    assert found(services, "prop:due<=2") == found(services, "prop:due=2") == {"alpha-basic-1"}
    assert found(services, "prop:due<2") == set()


def test_rated_with_a_rating_finds_cards_given_that_rating_in_those_days(services: Services, clock: FakeClock) -> None:
    answer(services, "alpha-basic-1", Rating.Again)
    answer(services, "beta-basic", Rating.Good)
    assert found(services, "rated:1:1") == {"alpha-basic-1"}
    assert found(services, "rated:1:3") == {"beta-basic"}
    clock.advance(days=1)
    assert found(services, "rated:1:1") == set()
    assert found(services, "rated:2:1") == {"alpha-basic-1"}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("colour:red", "bad search at column 1: unknown field 'colour:'"),
        ("is:sleeping", "bad search at column 1: unknown 'is:sleeping'"),
        ("deck:alpha (kind:typed", "bad search at column 12: '(' is never closed"),
        ("kind:typed or", "bad search at column 12: 'or' needs a term after it"),
        ('"open phrase', 'bad search at column 1: a quote (") is never closed'),
        ("prop:age>3", "bad search at column 1: 'prop:' takes one of lapses"),
        ("a )", "bad search at column 3: ')' without '('"),
        ("rated:1:5", "bad search at column 1: 'rated:' takes a number of days from 1 to 365, and maybe :1–:4"),
    ],
)
def test_a_bad_query_is_one_line_naming_the_column(sqlite_services: Services, query: str, message: str) -> None:
    with pytest.raises(QueryError) as raised:
        sqlite_services.collection.search(query)
    assert raised.value.message.startswith(message)
    assert "\n" not in raised.value.message
