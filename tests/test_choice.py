"""Choice cards: validated as file:line, shuffled per showing, answered by keys in the review screen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from textual.widgets import Button

from quizzer.app import QuizzerApp, make_app
from quizzer.config import Config, SchedulingConfig
from quizzer.corpus.format import load_content
from quizzer.errors import ContentError
from quizzer.kinds.choice.view import ChoiceAnswer
from quizzer.kinds.registry import KINDS
from quizzer.services.container import Services
from quizzer.storage.models import Card, ReviewLog
from quizzer.vocabulary import Rating
from tests.conftest import FIXTURES, FakeClock
from tests.test_cli import quizzer

DECK = FIXTURES / "choice"
SIZE = (100, 40)
CARD = '''deck = "d"

[[card]]
id = "c"
kind = "choice"
source = "s"
front = {{ zh = "问", en = "Q" }}
options = [
{options}
]
'''


def problems_of(tmp_path: Path, options: str) -> list[str]:
    (tmp_path / "deck.toml").write_text(CARD.format(options=options), encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_content(tmp_path)
    return info.value.problems


def test_a_choice_card_without_a_correct_option_is_named_at_its_line(tmp_path: Path) -> None:
    options = '{ zh = "甲", en = "A" },\n{ zh = "乙", en = "B" },'
    assert problems_of(tmp_path, options) == ["deck.toml:8: c: `options` has no correct option: mark at least one with correct = true"]


def test_duplicate_options_are_named_at_their_line(tmp_path: Path) -> None:
    options = '{ zh = "甲", en = "A", correct = true },\n{ zh = "乙", en = "a " },'
    assert problems_of(tmp_path, options) == ["deck.toml:8: c: `options` options 1 and 2 are the same (en: 'a ')"]


def test_one_option_is_too_few(tmp_path: Path) -> None:
    (problem,) = problems_of(tmp_path, '{ zh = "甲", en = "A", correct = true },')
    assert "must list 2 to 6 options" in problem


def test_the_same_showing_gives_the_same_order_and_showings_differ() -> None:
    body = next(item.body for item in load_content(DECK) if item.id == "choice-one")
    order = {seed: [o["en"] for o in KINDS["choice"].face(body, 0, seed).extras["options"]] for seed in range(8)}
    assert order[3] == [o["en"] for o in KINDS["choice"].face(body, 0, 3).extras["options"]]
    assert len({tuple(o) for o in order.values()}) > 1


@pytest.fixture
def choice_services(tmp_path: Path, clock: FakeClock, scheduling: SchedulingConfig) -> Iterator[Services]:
    config = Config(db_url=f"sqlite:///{tmp_path / 'c.sqlite3'}", content_dir=DECK, scheduling=scheduling)
    services = Services.open(config, clock=clock)
    services.content.import_path(DECK)
    yield services
    services.close()


def shown(app: QuizzerApp) -> ChoiceAnswer:
    return app.screen.query_one(ChoiceAnswer)


def key_of(choice: ChoiceAnswer, english: str) -> str:
    return str(next(n for n, option in enumerate(choice.options, 1) if option["en"] == english))


def ratings(services: Services) -> list[tuple[str, Rating]]:
    with services.review.sessions() as session:
        rows = session.execute(select(Card.item_id, ReviewLog.rating).join(Card, Card.id == ReviewLog.card_id).order_by(ReviewLog.id))
        return [(item_id, rating) for item_id, rating in rows]


@pytest.mark.parametrize(
    ("pick", "verdict", "proposed"),
    [("nn.ReLU", "✓ correct · 正确", Rating.Good), ("nn.Linear", "✗ not quite · 不对", Rating.Again)],
)
async def test_a_pick_is_checked_and_enter_stores_the_rating_it_proposes(
    choice_services: Services, pick: str, verdict: str, proposed: Rating
) -> None:
    app = make_app(choice_services, deck="choice")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        choice = shown(app)
        assert choice.has_focus and len(choice.correct) == 1
        await pilot.press(key_of(choice, pick), "enter")
        await pilot.pause()
        assert choice.border_title == verdict
        assert isinstance(app.focused, Button) and app.focused.id == f"rate-{proposed.value}"
        await pilot.press("enter")
        await pilot.pause()
    assert ratings(choice_services) == [("choice-one", proposed)]


async def test_keys_toggle_when_several_options_are_correct(choice_services: Services) -> None:
    app = make_app(choice_services, deck="choice")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(key_of(shown(app), "nn.ReLU"), "enter", "3")  # the first card, rated Good
        await pilot.pause()
        choice = shown(app)
        dropout, norm, linear = (key_of(choice, name) for name in ("nn.Dropout", "nn.BatchNorm2d", "nn.Linear"))
        await pilot.press(dropout, linear, norm, linear)  # linear picked, then unpicked
        assert choice.picked == {int(dropout), int(norm)}
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.focused, Button) and app.focused.id == "rate-3"
        await pilot.press("4")
        await pilot.pause()
    assert ratings(choice_services) == [("choice-one", Rating.Good), ("choice-several", Rating.Easy)]


async def test_submitting_nothing_keeps_the_card_unanswered(choice_services: Services) -> None:
    app = make_app(choice_services, deck="choice")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter", "3")
        await pilot.pause()
        assert not shown(app).submitted and shown(app).has_focus
    assert ratings(choice_services) == []


async def test_undo_shows_the_options_in_the_same_order(choice_services: Services) -> None:
    app = make_app(choice_services, deck="choice")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        before = [option["en"] for option in shown(app).options]
        await pilot.press(key_of(shown(app), "nn.ReLU"), "enter", "3", "u")
        await pilot.pause()
        assert [option["en"] for option in shown(app).options] == before
    assert ratings(choice_services) == []


def test_show_lists_the_options_numbered(tmp_path: Path) -> None:
    result = quizzer("show", "choice-several", db=f"sqlite:///{tmp_path / 's.sqlite3'}", content=DECK)
    assert result.returncode == 0, result.stderr
    assert {line.split(". ", 1)[1] for line in result.stdout.splitlines() if line[:2] in ("1.", "2.", "3.")} == {
        "nn.Dropout", "nn.BatchNorm2d", "nn.Linear",
    }
