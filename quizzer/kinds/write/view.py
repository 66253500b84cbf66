"""The editor of a write drill: Python highlighting, tab indents, the draft as its text."""

from __future__ import annotations

from typing import Any

from textual.widgets import TextArea


class CodeAnswer(TextArea):
    """A code editor (as ``TextArea.code_editor`` makes one) holding the learner's code."""

    DEFAULT_CSS = "CodeAnswer { height: auto; min-height: 8; max-height: 20; }"

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
    return CodeAnswer(code, theme="monokai", tab_behavior="indent", show_line_numbers=True, id="editor")
