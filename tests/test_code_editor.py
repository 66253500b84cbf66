"""The write drill's editor: Enter keeps the indentation (one level more after ``:``, one less
after ``return``), backspace leaves it a level at a time, long lines wrap, and the editor
takes the height the terminal leaves."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import TextArea

from quizzer.app import QuizzerApp, make_app
from quizzer.kinds.write.view import next_indent
from quizzer.services.container import Services
from tests.test_drill_screen import drill_services  # noqa: F401  (the fixture)


@pytest.mark.parametrize(
    ("line", "indent"),
    [
        ("def f(x):", "    "),
        ("    for i in range(3):  # each row", "        "),
        ("    y = x + 1", "    "),
        ("        return y", "    "),
        ("    pass", ""),
        ("    # note:", "    "),
        ("", ""),
    ],
)
def test_the_next_line_is_indented_by_what_the_line_before_the_cursor_opens_or_ends(line: str, indent: str) -> None:
    assert next_indent(line) == indent


async def empty_editor(app: QuizzerApp, pilot: Pilot[None]) -> TextArea:
    await pilot.pause()
    editor = app.screen.query_one("#editor", TextArea)
    editor.clear()
    editor.focus()
    await pilot.pause()
    return editor


async def test_enter_after_a_colon_indents_the_next_line(drill_services: Services) -> None:  # noqa: F811
    app = make_app(drill_services, deck="drills")
    async with app.run_test(size=(100, 40)) as pilot:
        editor = await empty_editor(app, pilot)
        await pilot.press(*"def f(x):", "enter")
        assert editor.text == "def f(x):\n    "
        assert editor.cursor_location == (1, 4)


async def test_enter_keeps_the_indentation_and_return_ends_the_block(drill_services: Services) -> None:  # noqa: F811
    app = make_app(drill_services, deck="drills")
    async with app.run_test(size=(100, 40)) as pilot:
        editor = await empty_editor(app, pilot)
        await pilot.press(*"def f(x):", "enter", *"y = x", "enter", *"return y", "enter", *"g = f")
        assert editor.text == "def f(x):\n    y = x\n    return y\ng = f"


async def test_backspace_in_the_indentation_goes_back_one_level(drill_services: Services) -> None:  # noqa: F811
    app = make_app(drill_services, deck="drills")
    async with app.run_test(size=(100, 40)) as pilot:
        editor = await empty_editor(app, pilot)
        await pilot.press(*"def f(x):", "enter", *"for i in x:", "enter", "backspace", *"y = i", "backspace")
        assert editor.text == "def f(x):\n    for i in x:\n    y = "


async def test_long_lines_wrap(drill_services: Services) -> None:  # noqa: F811
    app = make_app(drill_services, deck="drills")
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await empty_editor(app, pilot)
        editor.insert("x = " + " + ".join(["torch.ones(2, 3)"] * 10))
        await pilot.pause()
        assert editor.soft_wrap and editor.wrapped_document.height > editor.document.line_count


async def editor_height(services: Services, size: tuple[int, int]) -> int:
    app = make_app(services, deck="drills")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        return app.screen.query_one("#editor", TextArea).outer_size.height


async def test_the_editor_grows_with_the_terminal(drill_services: Services) -> None:  # noqa: F811
    assert await editor_height(drill_services, (120, 40)) > await editor_height(drill_services, (80, 24)) >= 8
