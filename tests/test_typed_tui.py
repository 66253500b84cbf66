"""A typed card in the TUI: an answer in either language is accepted, and what was typed is
marked against the expected answer (Anki's typed-answer comparison)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.text import Text
from sqlalchemy import select
from textual.widgets import Input, Static

from quizzer.app import make_app
from quizzer.config import Config, SchedulingConfig
from quizzer.kinds.typed.view import STYLES, TypedAnswer
from quizzer.services.container import Services
from quizzer.storage.models import ReviewLog
from tests.conftest import FakeClock

DECK = '''deck = "typed"

[[card]]
id = "saddle"
kind = "typed"
source = "test § saddle"
front.zh = "Hessian 的特征值一正一负。这是什么点？"
front.en = "The Hessian has one positive and one negative eigenvalue. What kind of point is it?"
answers = ["saddle point", "鞍点"]

[[card]]
id = "rnn-input"
kind = "typed"
deck = "shapes"
source = "test § shape"
front.zh = "nn.RNN(28, 64)，32 条长度 10 的序列，输入形状？"
front.en = "nn.RNN(28, 64), 32 sequences of 10 steps: the input's shape?"
answers = ["(10, 32, 28)"]
answer_type = "shape"
'''


@pytest.fixture
def typed_services(tmp_path: Path, clock: FakeClock, scheduling: SchedulingConfig) -> Iterator[Services]:
    content = tmp_path / "content"
    content.mkdir()
    (content / "typed.toml").write_text(DECK, encoding="utf-8")
    services = Services.open(Config(db_url=f"sqlite:///{tmp_path / 't.sqlite3'}", content_dir=content, scheduling=scheduling), clock=clock)
    services.content.import_path(content)
    yield services
    services.close()


def ratings(services: Services) -> list[int]:
    with services.review.sessions() as session:
        return list(session.scalars(select(ReviewLog.rating).order_by(ReviewLog.id)))


def marks(text: Text) -> set[str]:
    """The styles spanning ``text``, by the mark each stands for."""
    by_style = {style: mark for mark, style in STYLES.items() if style}
    return {by_style[str(span.style)] for span in text.spans}


async def test_a_chinese_answer_to_a_card_asked_in_english_words_is_accepted_and_marked_right(typed_services: Services) -> None:
    app = make_app(typed_services, deck="typed")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*"鞍点", "enter")
        box = app.screen.query_one("#typed", Input)
        assert box.border_title is not None and "correct" in box.border_title
        assert box.highlighter is not None and marks(box.highlighter(Text(box.value))) == {"good"}
        assert not app.screen.query_one("#expected", Static).display
        await pilot.press("enter")  # the proposed rating: Good
        await pilot.pause()
    assert ratings(typed_services) == [3]


async def test_a_wrong_answer_shows_the_expected_one_with_what_is_missing_marked(typed_services: Services) -> None:
    app = make_app(typed_services, deck="typed")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*"saddle paint", "enter")
        box = app.screen.query_one("#typed", Input)
        assert box.border_title is not None and "not quite" in box.border_title
        assert box.highlighter is not None and marks(box.highlighter(Text(box.value))) == {"good", "bad"}
        expected = app.screen.query_one("#expected", Static)
        assert expected.display and "saddle point" in str(expected.render())
        comparison = app.screen.query_one(TypedAnswer).comparison
        assert comparison is not None and ("o", "missed") in comparison.expected
        await pilot.press("enter")  # the proposed rating: Again
        await pilot.pause()
    assert ratings(typed_services) == [1]


async def test_a_shape_typed_as_predict_drills_take_it_is_accepted(typed_services: Services) -> None:
    app = make_app(typed_services, deck="shapes")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*"10 32 28", "enter")
        box = app.screen.query_one("#typed", Input)
        assert box.border_title is not None and "correct" in box.border_title
