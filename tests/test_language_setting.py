"""Messages the app says follow the language setting, as the cards do: Chinese, English or both."""

from __future__ import annotations

from textual.widgets import Static

from quizzer.app import make_app
from quizzer.screens.card_info import CardInfoScreen
from quizzer.services.container import Services
from tests.test_drill_screen import SIZE
from tests.test_tui_errors import notifications


async def test_undoing_an_answer_in_chinese_says_so_in_chinese(sqlite_services: Services) -> None:
    sqlite_services.settings.set_language("zh")
    app = make_app(sqlite_services, deck="alpha")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("space", "2", "u")  # Hard, then take it back
        await pilot.pause()
        shown = notifications(app)
        assert "已撤销：作答 困难" in shown
        assert not any("Undone" in message for message in shown)


async def test_undoing_an_answer_in_both_languages_says_it_in_english_then_chinese(sqlite_services: Services) -> None:
    sqlite_services.settings.set_language("both")
    app = make_app(sqlite_services, deck="alpha")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("space", "2", "u")
        await pilot.pause()
        assert "Undone: answer Hard · 已撤销：作答 困难" in notifications(app)


async def test_card_info_in_chinese_labels_its_fields_in_chinese(sqlite_services: Services) -> None:
    sqlite_services.settings.set_language("zh")
    app = make_app(sqlite_services, deck="alpha")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")  # the first card, never answered
        assert isinstance(app.screen, CardInfoScreen)
        text = str(app.screen.query_one("#info-text", Static).render())
        assert "状态 新卡" in text and "到期 " in text and "从未复习" in text
        assert "state" not in text and "never reviewed" not in text


async def test_unsuspending_a_deck_in_chinese_says_so_in_chinese(sqlite_services: Services) -> None:
    sqlite_services.actions.suspend(sqlite_services.collection.card_ids("id:beta-basic"))
    sqlite_services.settings.set_language("zh")
    app = make_app(sqlite_services)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("s")  # on All decks: every suspended card
        await pilot.pause()
        assert "所有牌组：取消暂停：1 张卡片（u：撤销）" in notifications(app)
