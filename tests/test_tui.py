"""The Textual UI driven by key presses, checked against the rows it leaves in the database."""

from __future__ import annotations

from sqlalchemy import select
from textual.command import CommandPalette
from textual.widgets import Button, Input, Static, Tree

from quizzer.app import QuizzerApp, make_app
from quizzer.screens.home import HomeScreen
from quizzer.screens.keys import KeysScreen
from quizzer.screens.review import ReviewScreen
from quizzer.services.container import Services
from quizzer.storage.models import Card, ReviewLog
from quizzer.widgets.card_view import CardView, in_language
from quizzer.widgets.keys_footer import KeysFooter
from quizzer.widgets.title_bar import TitleBar

SIZE = (80, 24)


def review_logs(services: Services) -> list[ReviewLog]:
    with services.review.sessions() as session:
        return list(session.scalars(select(ReviewLog).order_by(ReviewLog.id)))


def prompt_text(app: QuizzerApp) -> str:
    return str(app.screen.query_one("#prompt", Static).content)


async def test_home_lists_decks_as_a_tree_with_counts(sqlite_services: Services) -> None:
    app = make_app(sqlite_services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        tree = app.screen.query_one(Tree)
        labels = [str(node.label) for node in tree.root.children]
        assert labels[0].startswith("alpha") and labels[0].split()[-3:] == ["5", "0", "0"]
        assert [str(n.label).split()[0] for n in tree.root.children[0].children] == ["sub"]


async def test_a_whole_session_by_keys_stores_every_answer(sqlite_services: Services) -> None:
    app = make_app(sqlite_services, deck="beta")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Beta question" in prompt_text(app)
        await pilot.press("3")  # rating before reveal does nothing
        assert review_logs(sqlite_services) == []
        await pilot.press("space", "3")  # Good: learning, due in 10 minutes
        await pilot.press("space", "3")  # shown again early (nothing else left): graduates
        await pilot.pause()
        assert "All done" in str(app.screen.query_one("#done", Static).render())
    logs = review_logs(sqlite_services)
    assert [(log.rating, log.before_state, log.after_state) for log in logs] == [(3, 0, 1), (3, 1, 2)]
    assert all(log.duration_ms is not None for log in logs)


async def test_buttons_show_the_interval_of_each_rating(sqlite_services: Services) -> None:
    app = make_app(sqlite_services, deck="beta")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        labels = [str(b.label) for b in app.screen.query(Button)]
        assert labels == ["1 Again\n1m", "2 Hard\n6m", "3 Good\n10m", "4 Easy\n8d"]


async def test_clicking_a_rating_button_answers(sqlite_services: Services) -> None:
    app = make_app(sqlite_services, deck="beta")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await pilot.click("#rate-4")
        await pilot.pause()
    assert [log.rating for log in review_logs(sqlite_services)] == [4]


async def test_undo_takes_back_the_answer_and_shows_the_card_again(sqlite_services: Services) -> None:
    app = make_app(sqlite_services, deck="alpha")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "4")
        assert "Question two" in prompt_text(app)
        await pilot.press("u")
        await pilot.pause()
        assert "Question one" in prompt_text(app)
    assert review_logs(sqlite_services) == []
    with sqlite_services.review.sessions() as session:
        assert session.scalars(select(Card.state).join(Card.item).where(Card.item_id == "alpha-basic-1")).one() == 0


async def test_suspend_removes_the_card_from_review(sqlite_services: Services) -> None:
    app = make_app(sqlite_services, deck="beta")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert app.screen.query("#done")
    with sqlite_services.review.sessions() as session:
        assert session.scalars(select(Card.suspended).where(Card.item_id == "beta-basic")).one() is True


async def test_bury_hides_the_card_until_tomorrow(sqlite_services: Services) -> None:
    app = make_app(sqlite_services, deck="beta")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("b")
        await pilot.pause()
        assert app.screen.query("#done")
    with sqlite_services.review.sessions() as session:
        buried = session.scalars(select(Card.buried_until).where(Card.item_id == "beta-basic")).one()
    assert buried is not None and buried.hour == 4


async def test_typed_answer_is_checked_leniently_and_proposes_good(sqlite_services: Services) -> None:
    app = make_app(sqlite_services, deck="alpha::sub")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "4")  # the cloze first
        await pilot.pause()
        typed = app.screen.query_one("#typed", Input)
        assert typed.has_focus
        await pilot.press(*"torch.size([2,3])", "enter")
        assert typed.border_title is not None and "correct" in typed.border_title
        assert app.screen.query_one(CardView).revealed
        await pilot.press("enter")  # accepts the proposed rating
        await pilot.pause()
    assert [log.rating for log in review_logs(sqlite_services)] == [4, 3]


async def test_wrong_typed_answer_proposes_again(sqlite_services: Services) -> None:
    app = make_app(sqlite_services, deck="alpha::sub")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "4")
        await pilot.pause()
        await pilot.press(*"(3, 2)", "enter", "enter")
        await pilot.pause()
    assert [log.rating for log in review_logs(sqlite_services)] == [4, 1]


async def test_language_setting_switches_card_text_and_is_remembered(sqlite_services: Services) -> None:
    app = make_app(sqlite_services, deck="beta")
    async with app.run_test(size=SIZE) as pilot:
        assert prompt_text(app) == "贝塔问题\n\nBeta question"
        await pilot.press("l")  # both → zh
        assert prompt_text(app) == "贝塔问题"
        await pilot.press("l")  # zh → en
        assert prompt_text(app) == "Beta question"
    assert sqlite_services.settings.language() == "en"


async def test_language_can_be_chosen_from_the_command_palette(sqlite_services: Services) -> None:
    app = make_app(sqlite_services, deck="beta")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"Language: English", "enter")
        await pilot.pause()
        assert prompt_text(app) == "Beta question"


async def test_escape_returns_home_with_updated_counts(sqlite_services: Services) -> None:
    app = make_app(sqlite_services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("space", "4", "escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        today = str(app.screen.query_one("#today", Static).render())
        assert "1 answers" in today


async def test_escape_from_a_review_started_with_a_deck_opens_the_deck_tree(sqlite_services: Services) -> None:
    app = make_app(sqlite_services, deck="beta")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "3", "escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "1 answers" in str(app.screen.query_one("#today", Static).render())
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)


async def test_enter_on_a_deck_starts_its_review(sqlite_services: Services) -> None:
    app = make_app(sqlite_services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()  # the deck tree has put its cursor on All decks
        await pilot.press("down", "down", "down", "enter")  # All decks → alpha → sub → beta
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen) and app.screen.deck == "beta"


def test_both_languages_show_shared_leading_lines_once() -> None:
    code_prompt = {"zh": "x = torch.ones(2)\nx.sum() 是多少？", "en": "x = torch.ones(2)\nWhat is x.sum()?"}
    assert in_language(code_prompt, "both") == "x = torch.ones(2)\nx.sum() 是多少？\n\nWhat is x.sum()?"
    typed_answer = {"zh": "4x\n\n导数是 4x。", "en": "4x\n\nThe gradient is 4x."}
    assert in_language(typed_answer, "both") == "4x\n\n导数是 4x。\n\nThe gradient is 4x."
    assert in_language(typed_answer, "en") == typed_answer["en"]


async def test_review_all_from_the_palette_inside_a_review_does_not_stack_reviews(sqlite_services: Services) -> None:
    app = make_app(sqlite_services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await pilot.pause()
        app.start_review(None)
        await pilot.pause()
        assert sum(isinstance(screen, ReviewScreen) for screen in app.screen_stack) == 1
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_the_footer_offers_only_keys_that_do_something(sqlite_services: Services) -> None:
    app = make_app(sqlite_services, deck="beta")
    async with app.run_test(size=SIZE) as pilot:
        assert app.screen.check_action("reveal", ()) and app.screen.check_action("bury", ())
        await pilot.press("space")
        assert not app.screen.check_action("reveal", ())
        await pilot.press("4")  # Easy: beta's only card is done for today
        await pilot.pause()
        assert app.screen.query("#done")
        assert not app.screen.check_action("suspend", ()) and app.screen.check_action("undo", ())


async def test_a_click_on_a_key_in_the_footer_presses_it(sqlite_services: Services) -> None:
    app = make_app(sqlite_services, deck="beta")
    async with app.run_test(size=SIZE) as pilot:
        footer = app.screen.query_one(KeysFooter)
        line = footer.render().plain
        assert "Show answer" in line and "palette" in line
        await pilot.click(KeysFooter, offset=(line.index("Show answer"), 0))
        assert app.screen.query_one(CardView).revealed
        assert "Show answer" not in footer.render().plain  # the key left the footer once it did nothing


async def test_the_title_bar_names_the_screen_and_its_icon_opens_the_command_palette(sqlite_services: Services) -> None:
    app = make_app(sqlite_services, deck="beta")
    async with app.run_test(size=SIZE) as pilot:
        title = app.screen.query_one(TitleBar)
        assert "quizzer — beta" in title.render().plain
        await pilot.click(TitleBar, offset=(1, 0))
        assert isinstance(app.screen, CommandPalette)


def footer_line(app: QuizzerApp) -> str:
    return app.screen.query_one(KeysFooter).render().plain


async def test_at_80_columns_the_footer_shows_whole_keys_and_ends_with_question_mark_and_the_palette(sqlite_services: Services) -> None:
    app = make_app(sqlite_services, deck="beta")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        line = footer_line(app)
        assert line.startswith(" space Show answer ") and line.endswith("▏ ? Keys  ^p palette ") and len(line) == 80
        await pilot.click(KeysFooter, offset=(line.index("? Keys"), 0))
        await pilot.pause()
        assert isinstance(app.screen, KeysScreen)  # every key, the ones the footer had no room for too
