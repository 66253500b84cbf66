"""The editor of a write drill: Python highlighting, tab indents, auto-indent on Enter (and
backspace out of the indentation a level at a time), soft wrap, as tall as the screen leaves
room for; the draft as its text."""

from __future__ import annotations

import re
from typing import Any

from textual import events
from textual.widgets import TextArea

INDENT = "    "
"""One level of indentation: four spaces, as ``tab`` inserts."""
OPENS_BLOCK = re.compile(r":\s*(#.*)?$")
"""A line ending in ``:`` (a comment may follow) opens a block: the next line goes one level in."""
ENDS_BLOCK = re.compile(r"\s*(return|pass|raise|break|continue)\b")
"""A line starting with one of these ends its block: the next line goes one level out."""


def next_indent(line: str) -> str:
    """The indentation for the line after ``line`` (the text before the cursor): the same as
    ``line``'s, one level more after ``:``, one level less after ``return``, ``pass`` …"""
    indent = line[: len(line) - len(line.lstrip(" "))]
    code = line.strip()
    if code and not code.startswith("#") and OPENS_BLOCK.search(code):
        return indent + INDENT
    if ENDS_BLOCK.match(code):
        return indent[: max(0, len(indent) - len(INDENT))]
    return indent


class CodeAnswer(TextArea):
    """A code editor (as ``TextArea.code_editor`` makes one) holding the learner's code.

    TextArea has no auto-indent, so ``enter`` is taken here before TextArea inserts a bare
    newline (the ``_on_key`` hook Textual's docs extend TextArea by)."""

    DEFAULT_CSS = "CodeAnswer { height: 1fr; min-height: 8; }"
    """The height the screen leaves after the prompt, hints and feedback (at least 8 rows;
    below that the drill scrolls)."""

    async def _on_key(self, event: events.Key) -> None:
        if event.key != "enter" or self.read_only:
            await super()._on_key(event)
            return
        event.stop()
        event.prevent_default()
        start, end = sorted(self.selection)
        before = self.document.get_line(start[0])[: start[1]]
        self.replace("\n" + next_indent(before), start, end, maintain_selection_offset=False)

    def action_delete_left(self) -> None:
        """``backspace`` in the indentation goes back one level (to the previous multiple of
        four), as it went in, not one space at a time."""
        (row, column), _ = self.selection
        before = self.document.get_line(row)[:column]
        if self.read_only or not self.selection.is_empty or not before or before.strip(" "):
            super().action_delete_left()
            return
        self.delete((row, column - ((column - 1) % len(INDENT) + 1)), (row, column), maintain_selection_offset=False)

    @property
    def submission(self) -> str:
        return self.text

    def focus_answer(self) -> None:
        self.focus(scroll_visible=False)  # the screen scrolls it into view, without an animation

    def lock_answer(self) -> None:
        """After a pass or giving up: the code stays readable, no longer editable."""
        self.read_only = True


def answer(view: dict[str, Any], code: str) -> CodeAnswer:
    """The editor, holding the learner's ``code`` (the draft, or the starter)."""
    return CodeAnswer(code, theme="monokai", tab_behavior="indent", show_line_numbers=True, soft_wrap=True, id="editor")
