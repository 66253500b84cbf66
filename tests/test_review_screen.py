"""What the review screen shows around the card: the counts left today, a cloze's answer in
its question's place, and scrolling that works whatever has the focus."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.widgets import Button, Static

from quizzer.app import QuizzerApp, make_app
from quizzer.config import Config, SchedulingConfig
from quizzer.services.container import Services
from quizzer.widgets.card_view import MARK_STYLE, CardView
from quizzer.widgets.queue_counts import QueueCounts
from quizzer.widgets.wrapping import Wrapped
from tests.conftest import FIXTURES, FakeClock

SIZE = (80, 24)


async def counts_shown(app: QuizzerApp) -> tuple[str, str]:
    """The counts as shown once computed, and the one underlined (the card's own)."""
    await app.workers.wait_for_complete()
    text = app.screen.query_one(QueueCounts).content
    assert isinstance(text, Text)
    (current,) = [text.plain[span.start:span.end] for span in text.spans if "underline" in str(span.style)]
    return text.plain, current


async def test_counts_show_new_learning_due_and_mark_the_cards_own(sqlite_services: Services) -> None:
    app = make_app(sqlite_services, deck="alpha")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert await counts_shown(app) == ("5 + 0 + 0", "5")


async def test_counts_change_after_an_answer_and_come_back_after_undo(sqlite_services: Services) -> None:
    app = make_app(sqlite_services, deck="alpha")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "1")  # Again: the card is learning now, due in a minute
        await pilot.pause()
        assert (await counts_shown(app))[0] == "4 + 1 + 0"
        await pilot.press("u")
        await pilot.pause()
        assert await counts_shown(app) == ("5 + 0 + 0", "5")


async def test_a_learning_card_shown_again_underlines_the_learning_count(sqlite_services: Services) -> None:
    app = make_app(sqlite_services, deck="beta")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "3")  # Good: learning, and shown again at once (nothing else is left)
        await pilot.pause()
        assert await counts_shown(app) == ("0 + 1 + 0", "1")


async def test_a_clozes_answer_takes_the_questions_place_with_the_deletion_highlighted(sqlite_services: Services) -> None:
    sqlite_services.settings.set_language("en")
    app = make_app(sqlite_services, deck="alpha::sub")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await pilot.pause()
        prompt, answer = (app.screen.query_one(f"#{part}", Static) for part in ("prompt", "answer"))
        assert not prompt.display and answer.display
        shown = answer.content.text if isinstance(answer.content, Wrapped) else None
        assert shown is not None and shown.plain == "Gradients accumulate"  # once, filled in, no brackets
        assert [(shown.plain[s.start:s.end], str(s.style)) for s in shown.spans] == [("Gradients", MARK_STYLE)]


async def test_page_down_scrolls_a_long_answer_while_the_rating_bar_has_the_focus(
    tmp_path: Path, clock: FakeClock, scheduling: SchedulingConfig
) -> None:
    folder = FIXTURES / "long_cloze"
    services = Services.open(Config(db_url=f"sqlite:///{tmp_path / 'l.sqlite3'}", content_dir=folder, scheduling=scheduling), clock=clock)
    services.content.import_path(folder)
    app = make_app(services, deck="optim")
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("space")
            app.screen.query_one("#rate-3", Button).focus()
            await pilot.pause()
            view = app.screen.query_one(CardView)
            assert view.scroll_y == 0 and view.max_scroll_y > 0
            await pilot.press("pagedown")
            await pilot.pause()
            assert view.scroll_y > 0
            await pilot.press("pageup")
            await pilot.pause()
            assert view.scroll_y == 0
    finally:
        services.close()
