"""Drills in the TUI, driven by keys through the real grader, checked in the database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from sqlalchemy import Select, func, select
from textual.containers import VerticalScroll
from textual.pilot import Pilot
from textual.widgets import Button, Input, Markdown, Static, TextArea
from textual.widgets.markdown import MarkdownBlock, MarkdownFence

from quizzer.app import QuizzerApp, make_app
from quizzer.config import Config, SchedulingConfig
from quizzer.kinds.registry import CARD_KINDS, DRILL_KINDS
from quizzer.screens.card_info import CardInfoScreen
from quizzer.screens.drill import DrillScreen
from quizzer.screens.review import ReviewScreen
from quizzer.services.container import Services
from quizzer.storage.models import Card, DrillAttempt, DrillDraft, Item, ReviewLog
from quizzer.widgets.keys_footer import KeysFooter
from tests.conftest import FIXTURES, FakeClock
from tests.test_review_flow import palette, typed_while_loading

T = TypeVar("T")

SIZE = (100, 40)
DRILLS = FIXTURES / "drill_deck"
GOOD_SOFTMAX = "def softmax(X):\n    e = (X - X.max(dim=1, keepdim=True).values).exp()\n    return e / e.sum(dim=1, keepdim=True)\n"
WRONG_SOFTMAX = "def softmax(X):\n    return X / X.sum(dim=1, keepdim=True)\n"


@pytest.fixture
def drill_services(tmp_path: Path, clock: FakeClock, scheduling: SchedulingConfig) -> Iterator[Services]:
    services = Services.open(Config(db_url=f"sqlite:///{tmp_path / 'd.sqlite3'}", content_dir=DRILLS, scheduling=scheduling), clock=clock)
    services.content.import_path(DRILLS)
    yield services
    services.close()


def count(services: Services, query: Select[T]) -> T:
    """The one value ``query`` selects (a count, or a column of the one row)."""
    with services.review.sessions() as session:
        return session.scalars(query).one()


async def drill_on_screen(pilot: Pilot[None], app: QuizzerApp, item_id: str | None = None) -> DrillScreen:
    """The drill screen, once it shows (the review opens it after reading the drill in a
    thread): keys pressed before that are dropped, as they were meant for what came before."""
    for _ in range(200):
        screen = app.screen
        if isinstance(screen, DrillScreen) and screen.is_mounted and item_id in (None, screen.drill.item_id):
            return screen
        await pilot.pause(0.01)
    raise AssertionError(f"no drill {item_id or ''} on screen: {app.screen!r}")


async def given_up(pilot: Pilot[None], app: QuizzerApp) -> None:
    """Give up the drill once it shows, and wait until its reference is shown."""
    await drill_on_screen(pilot, app)
    await pilot.press("ctrl+g")
    await app.workers.wait_for_complete()
    await pilot.pause()


async def write_code(pilot: Pilot[None], app: QuizzerApp, code: str) -> None:
    editor = (await drill_on_screen(pilot, app)).query_one("#editor", TextArea)
    editor.clear()
    editor.insert(code)
    await pilot.pause()


async def submit(pilot: Pilot[None], app: QuizzerApp) -> str:
    await pilot.press("ctrl+s")
    await app.workers.wait_for_complete()
    await pilot.pause()
    return shown_feedback(app)


def shown_feedback(app: QuizzerApp) -> str:
    """The verdict line (kept in view below the drill) and the feedback under it."""
    return "\n".join(str(app.screen.query_one(f"#{part}", Static).render()) for part in ("verdict", "feedback")).strip()


async def test_a_drill_in_the_queue_opens_the_drill_screen_with_the_starter(drill_services: Services) -> None:
    app = make_app(drill_services, deck="drills")
    async with app.run_test(size=SIZE) as pilot:
        drill = await drill_on_screen(pilot, app)
        assert "raise NotImplementedError" in drill.query_one("#editor", TextArea).text


async def test_a_passing_submission_shows_pass_proposes_a_rating_and_rating_stores_everything(drill_services: Services) -> None:
    app = make_app(drill_services, deck="drills")
    async with app.run_test(size=SIZE) as pilot:
        await write_code(pilot, app, GOOD_SOFTMAX)
        assert "PASS" in await submit(pilot, app)
        assert "reference" in app.screen.query_one("#solution", Markdown).source
        assert app.focused is not None and app.focused.id in ("rate-3", "rate-4")  # first try: Good or Easy
        await pilot.press("3")
        await pilot.pause()
        assert isinstance(app.screen, (DrillScreen, ReviewScreen))
    assert count(drill_services, select(func.count(DrillAttempt.id)).where(DrillAttempt.passed)) == 1
    assert count(drill_services, select(func.count(ReviewLog.id)).where(ReviewLog.rating == 3)) == 1
    assert count(drill_services, select(func.count()).select_from(DrillDraft).where(DrillDraft.card_id == 1)) == 0


async def test_a_failing_submission_shows_expected_and_got_and_is_stored_as_failed(drill_services: Services) -> None:
    app = make_app(drill_services, deck="drills")
    async with app.run_test(size=SIZE) as pilot:
        await write_code(pilot, app, WRONG_SOFTMAX)
        feedback = await submit(pilot, app)
        assert "FAIL" in feedback and "expected" in feedback and "got" in feedback
        assert isinstance(app.screen, DrillScreen) and not app.screen.done
    assert count(drill_services, select(func.count(DrillAttempt.id)).where(DrillAttempt.passed.is_(False))) == 1


async def test_passing_after_a_failed_try_proposes_hard(drill_services: Services) -> None:
    app = make_app(drill_services, deck="drills")
    async with app.run_test(size=SIZE) as pilot:
        await write_code(pilot, app, WRONG_SOFTMAX)
        await submit(pilot, app)
        await write_code(pilot, app, GOOD_SOFTMAX)
        await submit(pilot, app)
        assert app.focused is not None and app.focused.id == "rate-2"


async def test_hints_are_revealed_one_at_a_time_and_counted(drill_services: Services) -> None:
    app = make_app(drill_services, deck="drills")
    async with app.run_test(size=SIZE) as pilot:
        await drill_on_screen(pilot, app)
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert "subtract the max" in app.screen.query_one("#hints", Markdown).source
    assert count(drill_services, select(DrillDraft.hints_shown)) == 1


async def test_giving_up_shows_the_reference_and_proposes_again(drill_services: Services) -> None:
    app = make_app(drill_services, deck="drills")
    async with app.run_test(size=SIZE) as pilot:
        await given_up(pilot, app)
        assert "X.max(dim=1" in app.screen.query_one("#solution", Markdown).source
        assert app.focused is not None and app.focused.id == "rate-1"
        await pilot.press("enter")
        await pilot.pause()
    assert count(drill_services, select(func.count(ReviewLog.id)).where(ReviewLog.rating == 1)) == 1


async def test_the_draft_is_saved_as_you_type_and_comes_back(drill_services: Services) -> None:
    app = make_app(drill_services, deck="drills")
    async with app.run_test(size=SIZE) as pilot:
        await write_code(pilot, app, "def softmax(X):\n    return X  # half done\n")
        await pilot.press("escape")
        await pilot.pause()
    assert "half done" in count(drill_services, select(DrillDraft.code))
    app = make_app(drill_services, deck="drills")
    async with app.run_test(size=SIZE) as pilot:
        assert "half done" in (await drill_on_screen(pilot, app)).query_one("#editor", TextArea).text


async def test_running_on_the_examples_shows_the_output_without_a_verdict(drill_services: Services) -> None:
    app = make_app(drill_services, deck="drills")
    async with app.run_test(size=SIZE) as pilot:
        await write_code(pilot, app, GOOD_SOFTMAX)
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = shown_feedback(app)
        assert "example" in shown and "PASS" not in shown
    assert count(drill_services, select(func.count(DrillAttempt.id))) == 0


async def test_a_predicted_shape_is_typed_and_graded(drill_services: Services) -> None:
    app = make_app(drill_services, deck="drills")
    async with app.run_test(size=SIZE) as pilot:
        await drill_on_screen(pilot, app)
        await pilot.press("ctrl+g", "1")  # past the write drill: give up, rate Again
        drill = await drill_on_screen(pilot, app, "drill-conv-shape")
        k = drill.drill.view["params"]["k"]
        side = 16 - k + 2 + 1
        await pilot.press("enter", *f"2x8x{side}x{side}", "enter")  # into the box, the shape, submit
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "PASS" in shown_feedback(app)
        assert app.screen.query_one("#rate-4", Button) is not None


async def test_code_typed_key_by_key_is_graded_and_rated(drill_services: Services) -> None:
    app = make_app(drill_services, deck="drills")
    async with app.run_test(size=SIZE) as pilot:
        await drill_on_screen(pilot, app)
        await pilot.press("enter", "down", "ctrl+k")  # into the editor; the starter's `raise NotImplementedError` line
        await pilot.press(*"    e = (X - X.max(1, keepdim=True).values).exp()", "enter")
        await pilot.press(*"return e / e.sum(1, keepdim=True)")  # the editor keeps the indentation
        assert "return e / e.sum" in app.screen.query_one("#editor", TextArea).text
        assert "PASS" in await submit(pilot, app)
        await pilot.press("enter")  # takes the proposed rating
        await pilot.pause()
    assert count(drill_services, select(func.count(ReviewLog.id))) == 1


async def test_a_review_of_the_bundled_deck_mixes_cards_and_drills_from_several_decks(
    tmp_path: Path, clock: FakeClock, scheduling: SchedulingConfig
) -> None:
    services = Services.open(Config(db_url=f"sqlite:///{tmp_path / 'b.sqlite3'}", scheduling=scheduling), clock=clock)
    services.content.import_path(services.config.content_dir)  # imported as by hand: no drill waits for its proof
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        for _ in range(12):
            await pilot.pause()
            if isinstance(app.screen, DrillScreen):
                await pilot.press("ctrl+g", "1")
            elif app.screen.query("#typed"):
                await pilot.press("enter", "1")
            else:
                await pilot.press("space", "3")
    with services.review.sessions() as session:
        answered = session.execute(
            select(Item.deck, Item.kind).join(Card, Card.item_id == Item.id).join(ReviewLog, ReviewLog.card_id == Card.id)
        ).all()
    services.close()
    assert len(answered) == 12
    assert {kind for _, kind in answered} & set(DRILL_KINDS) and {kind for _, kind in answered} & set(CARD_KINDS)
    assert len({deck for deck, _ in answered}) >= 5


async def test_escape_in_the_editor_gives_the_keys_back_and_a_second_one_leaves(drill_services: Services) -> None:
    app = make_app(drill_services, deck="drills")
    async with app.run_test(size=SIZE) as pilot:
        await drill_on_screen(pilot, app)
        await pilot.press("enter")
        assert app.focused is not None and app.focused.id == "editor"
        await pilot.press("escape")
        assert isinstance(app.screen, DrillScreen) and app.focused is not None and app.focused.id == "drill"
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, DrillScreen)


async def test_an_unreadable_prediction_is_not_counted_as_a_failed_try(drill_services: Services) -> None:
    app = make_app(drill_services, deck="drills")
    async with app.run_test(size=SIZE) as pilot:
        await drill_on_screen(pilot, app)
        await pilot.press("ctrl+g", "1")  # past the write drill
        drill = await drill_on_screen(pilot, app, "drill-conv-shape")
        k = drill.drill.view["params"]["k"]
        await pilot.press("enter", "enter")  # into the box; an empty answer
        await app.workers.wait_for_complete()
        side = 16 - k + 2 + 1
        app.screen.query_one("#answer", Input).value = f"2x8x{side}x{side}"
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.focused is not None and app.focused.id in ("rate-3", "rate-4")


async def test_a_submission_too_large_to_grade_is_refused_in_the_feedback_and_stores_no_attempt(drill_services: Services) -> None:
    app = make_app(drill_services, deck="drills")
    async with app.run_test(size=SIZE) as pilot:
        await write_code(pilot, app, GOOD_SOFTMAX + "#" * (300 << 10))
        assert await submit(pilot, app) == "the submission is 300 KiB; the grader takes at most 256 KiB"
        assert isinstance(app.screen, DrillScreen)
    assert count(drill_services, select(func.count(DrillAttempt.id))) == 0


async def test_a_broken_rule_is_shown_in_the_learners_language_and_stored_as_failed(drill_services: Services) -> None:
    drill_services.settings.set_language("zh")
    app = make_app(drill_services, deck="drills")
    async with app.run_test(size=SIZE) as pilot:
        await write_code(pilot, app, "def softmax(X):\n    return X.softmax(1)\n")
        feedback = await submit(pilot, app)
    assert "第 2 行：用了本题不让用的 .softmax()（规则 no-call:torch.softmax）" in feedback
    assert "which this drill asks you not to use" not in feedback
    assert count(drill_services, select(func.count(DrillAttempt.id)).where(DrillAttempt.passed.is_(False))) == 1


def drill_cards(services: Services) -> list[tuple[object, ...]]:
    with services.review.sessions() as session:
        return [(c.item_id, c.state, c.due, c.suspended, c.buried_until) for c in session.scalars(select(Card).order_by(Card.id))]


@pytest.mark.parametrize("key", ["b", "s", "k"], ids=["bury", "suspend", "skip"])
async def test_a_drill_is_buried_suspended_or_skipped_and_undo_brings_the_same_drill_back(drill_services: Services, key: str) -> None:
    before = drill_cards(drill_services)
    app = make_app(drill_services, deck="drills")
    async with app.run_test(size=SIZE) as pilot:
        await drill_on_screen(pilot, app, "drill-softmax")
        await pilot.press(key)
        await drill_on_screen(pilot, app, "drill-conv-shape")
        assert drill_cards(drill_services) != before or key == "k"  # a skip stores nothing
        await pilot.press("u")
        await drill_on_screen(pilot, app, "drill-softmax")
    assert drill_cards(drill_services) == before


async def test_undoing_the_answer_of_a_passed_drill_brings_it_back_with_the_code_that_passed(drill_services: Services) -> None:
    app = make_app(drill_services, deck="drills")
    async with app.run_test(size=SIZE) as pilot:
        await write_code(pilot, app, GOOD_SOFTMAX)
        assert "PASS" in await submit(pilot, app)
        await pilot.press("3")
        await drill_on_screen(pilot, app, "drill-conv-shape")
        await pilot.press("u")
        drill = await drill_on_screen(pilot, app, "drill-softmax")
        assert drill.query_one("#editor", TextArea).text == GOOD_SOFTMAX
    draft = select(DrillDraft.code).join(Card, Card.id == DrillDraft.card_id).where(Card.item_id == "drill-softmax")
    assert count(drill_services, draft) == GOOD_SOFTMAX
    assert count(drill_services, select(func.count(ReviewLog.id))) == 0


async def test_in_the_editor_esc_gives_the_letter_keys_back_and_the_code_stays(drill_services: Services) -> None:
    app = make_app(drill_services, deck="drills")
    async with app.run_test(size=SIZE) as pilot:
        await drill_on_screen(pilot, app)
        await pilot.press("enter", *"# sb", "escape", "b")  # typed into the code, then out of it: bury
        await drill_on_screen(pilot, app, "drill-conv-shape")
        await pilot.press("u")
        drill = await drill_on_screen(pilot, app, "drill-softmax")
        assert drill.query_one("#editor", TextArea).text.startswith("# sb")
    assert count(drill_services, select(Card.buried_until).where(Card.item_id == "drill-softmax")) is None


async def test_the_editor_takes_the_keys_only_by_enter(drill_services: Services) -> None:
    app = make_app(drill_services, deck="drills")
    async with app.run_test(size=SIZE) as pilot:
        drill = await drill_on_screen(pilot, app)
        starter = drill.query_one("#editor", TextArea).text
        await pilot.press(*"2df")  # a rating and letters from the card before, by habit (`e` would edit the item)
        assert drill.query_one("#editor", TextArea).text == starter and not drill.query_one("#editor").has_focus
        await pilot.press("enter", *"# x")
        assert drill.query_one("#editor", TextArea).text.startswith("# x")
    assert count(drill_services, select(func.count(ReviewLog.id))) == 0


async def test_keys_typed_while_the_next_drill_loads_are_dropped(drill_services: Services) -> None:
    app = make_app(drill_services, deck="drills")
    async with app.run_test(size=SIZE) as pilot:
        await given_up(pilot, app)
        pressed = await typed_while_loading(app, drill_services, "1", ["enter", "2", "d", "e", "f"])  # Again, then habit
        drill = await drill_on_screen(pilot, app, "drill-conv-shape")
        for key in pressed:
            app.post_message(key)
        await pilot.pause()
        assert drill.query_one("#answer", Input).value == "" and not drill.query_one("#answer").has_focus
    assert count(drill_services, select(func.count(ReviewLog.id))) == 1


async def test_the_palette_lists_the_drills_actions(drill_services: Services) -> None:
    app = make_app(drill_services, deck="drills")
    async with app.run_test(size=SIZE) as pilot:
        await drill_on_screen(pilot, app)
        await pilot.press("ctrl+p")
        listed = set(palette(app))
        assert {"Run examples", "Submit", "Hint", "Give up", "Bury", "Suspend", "Skip", "Answer", "Info", "Edit"} <= listed
        assert "Undo" not in listed  # nothing done yet in this window
        await pilot.press(*"give up", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "X.max(dim=1" in app.screen.query_one("#solution", Markdown).source


async def test_in_the_editor_ctrl_z_undoes_text_and_u_is_a_letter(drill_services: Services) -> None:
    app = make_app(drill_services, deck="drills")
    async with app.run_test(size=SIZE) as pilot:
        drill = await drill_on_screen(pilot, app)
        starter = drill.query_one("#editor", TextArea).text
        await pilot.press("enter", "u")
        assert drill.query_one("#editor", TextArea).text == "u" + starter
        await pilot.press("ctrl+z")
        assert drill.query_one("#editor", TextArea).text == starter and app.screen is drill


async def test_an_explanation_renders_as_markdown_its_fenced_code_highlighted_as_python(drill_services: Services) -> None:
    app = make_app(drill_services, deck="drills")
    async with app.run_test(size=SIZE) as pilot:
        await given_up(pilot, app)
        solution = app.screen.query_one("#solution", Markdown)
        fences = list(solution.query(MarkdownFence))
        assert [fence.lexer for fence in fences] == ["python"] * 3  # the reference, then the explanation's in zh and in en
        assert "e = torch.exp(" in fences[1].code
        shown = "\n".join(str(block._content) for block in solution.query(MarkdownBlock) if not isinstance(block, MarkdownFence))
        assert "```" not in shown and "numerical stability" in shown and "**" not in shown
        assert "as log_softmax does" in shown  # an underscore in a name is neither emphasis nor escaped


async def test_the_verdict_stays_in_view_after_a_long_feedback_is_scrolled_to(drill_services: Services) -> None:
    app = make_app(drill_services, deck="drills")
    async with app.run_test(size=(80, 24)) as pilot:
        chatty = GOOD_SOFTMAX.replace("    e = ", "    print('\\n'.join(map(str, range(60))))\n    e = ")
        await write_code(pilot, app, chatty)
        await submit(pilot, app)
        assert app.screen.query_one("#drill", VerticalScroll).scroll_y > 0  # the feedback and solution were scrolled to
        verdict = app.screen.query_one("#verdict", Static)
        assert str(verdict.render()).startswith("PASS") and verdict.region.height == 1
        assert app.screen.region.contains_region(verdict.region)


async def test_page_down_scrolls_the_drill_while_the_rating_bar_has_the_focus(drill_services: Services) -> None:
    app = make_app(drill_services, deck="drills")
    async with app.run_test(size=(80, 24)) as pilot:
        await given_up(pilot, app)
        scroll = app.screen.query_one("#drill", VerticalScroll)
        scroll.scroll_home(animate=False)
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "rate-1"
        await pilot.press("pagedown")
        await pilot.pause()
        assert scroll.scroll_y > 0


async def test_feedback_headings_follow_the_language_setting(drill_services: Services) -> None:
    drill_services.settings.set_language("zh")
    app = make_app(drill_services, deck="drills")
    async with app.run_test(size=SIZE) as pilot:
        await write_code(pilot, app, WRONG_SOFTMAX)
        shown = await submit(pilot, app)
        assert shown.startswith("未通过") and "项检查通过" in shown and "期望" in shown
        assert "FAIL" not in shown and "expected" not in shown and "checks passed" not in shown


async def test_i_on_a_drill_opens_card_info_with_its_attempts(drill_services: Services) -> None:
    app = make_app(drill_services, deck="drills")
    async with app.run_test(size=SIZE) as pilot:
        await write_code(pilot, app, WRONG_SOFTMAX)
        await submit(pilot, app)
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, CardInfoScreen)
        assert "failed" in str(app.screen.query_one("#info-text", Static).render())
        await pilot.press("i")
        await drill_on_screen(pilot, app, "drill-softmax")


async def test_in_the_editor_i_and_e_are_letters(drill_services: Services) -> None:
    app = make_app(drill_services, deck="drills")
    async with app.run_test(size=SIZE) as pilot:
        drill = await drill_on_screen(pilot, app)
        await pilot.press("enter", "i", "e")
        assert app.screen is drill and drill.query_one("#editor", TextArea).text.startswith("ie")


async def test_at_80_columns_the_drills_footer_ends_with_question_mark_and_the_palette(drill_services: Services) -> None:
    app = make_app(drill_services, deck="drills")
    async with app.run_test(size=(80, 24)) as pilot:
        line = (await drill_on_screen(pilot, app)).query_one(KeysFooter).render().plain
        assert line.startswith(" ⏎ Answer ") and line.endswith("▏ ? Keys  ^p palette ") and len(line) == 80


async def test_enter_after_a_failed_submission_brings_the_editor_back_into_view_at_80x24(drill_services: Services) -> None:
    app = make_app(drill_services, deck="drills")
    async with app.run_test(size=(80, 24)) as pilot:
        await write_code(pilot, app, WRONG_SOFTMAX)
        assert "FAIL" in await submit(pilot, app)
        await pilot.wait_for_scheduled_animations()  # the scroll to the feedback has ended (slow under load)
        await pilot.press("enter")  # back into the editor, to fix the code
        await pilot.pause()
        editor, scroll = app.screen.query_one("#editor", TextArea), app.screen.query_one("#drill", VerticalScroll)
        assert app.focused is editor
        assert scroll.scroll_y <= editor.virtual_region.y < scroll.scroll_y + scroll.scrollable_content_region.height
