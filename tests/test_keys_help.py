"""``?``: quizzer's own keys for the screen shown, grouped, in the language set."""

from __future__ import annotations

import pytest
from rich.console import Console
from textual.screen import Screen
from textual.widgets import Static

from quizzer.app import QuizzerApp, make_app
from quizzer.screens.browser import BrowserScreen
from quizzer.screens.drill import DrillScreen
from quizzer.screens.home import HomeScreen
from quizzer.screens.keys import ACTIONS, KeysScreen, _bindings, help_for
from quizzer.screens.review import ReviewScreen
from quizzer.screens.stats import StatsScreen
from quizzer.services.container import Services

SIZE = (80, 24)


async def keys_shown(app: QuizzerApp) -> str:
    await app.workers.wait_for_complete()
    assert isinstance(app.screen, KeysScreen)
    console = Console(width=120)
    with console.capture() as shown:
        console.print(app.screen.query_one("#keys-list", Static).content)
    return shown.get()


async def test_the_review_screens_keys_in_chinese(sqlite_services: Services) -> None:
    sqlite_services.settings.set_language("zh")
    app = make_app(sqlite_services, deck="beta")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        shown = await keys_shown(app)
    for words in ("作答", "导航", "条目操作", "应用", "显示答案", "评分", "撤销最近的作答", "搁置到明天", "跳过", "返回牌组列表", "翻页"):
        assert words in shown
    assert "show the answer" not in shown and "Answer" not in shown
    assert shown.index("作答") < shown.index("导航") < shown.index("条目操作") < shown.index("应用")


async def test_the_review_screens_keys_in_english_and_again_closes_them(sqlite_services: Services) -> None:
    sqlite_services.settings.set_language("en")
    app = make_app(sqlite_services, deck="beta")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        shown = await keys_shown(app)
        assert "space" in shown and "show the answer" in shown and "1 2 3 4" in shown and "PgUp PgDn" in shown
        assert "显示答案" not in shown
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)


async def test_the_deck_trees_keys_say_enter_reviews_the_selected_deck_and_leave_out_the_trees_own(sqlite_services: Services) -> None:
    sqlite_services.settings.set_language("en")
    app = make_app(sqlite_services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        shown = await keys_shown(app)
    assert "enter" in shown.split("review the selected deck")[0].splitlines()[-1]
    assert "Toggle" not in shown and "Expand" not in shown and "cursor" not in shown.lower()


@pytest.mark.parametrize("screen", [ReviewScreen, DrillScreen, HomeScreen, BrowserScreen, StatsScreen, QuizzerApp])
def test_every_key_of_quizzers_screens_is_said_in_both_languages(screen: type[Screen[object]] | type[QuizzerApp]) -> None:
    unsaid = [b.action for b in _bindings(screen.BINDINGS) if help_for(screen.__name__, b.action) is None]
    assert unsaid == [], f"add what {unsaid} do to quizzer.screens.keys.ACTIONS, in English and Chinese"
    assert all(entry.en and entry.zh for entry in ACTIONS.values())
