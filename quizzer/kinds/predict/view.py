"""A prediction: the snippet, read-only, and a box for its value (Enter submits)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, TextArea


class PredictAnswer(Vertical):
    DEFAULT_CSS = """
    PredictAnswer { height: auto; }
    PredictAnswer #snippet { height: auto; max-height: 14; }
    """

    def __init__(self, snippet: str, answer: str) -> None:
        super().__init__()
        self.snippet, self.answer = snippet, answer

    def compose(self) -> ComposeResult:
        yield TextArea(self.snippet, read_only=True, id="snippet")
        yield Input(self.answer, placeholder="Your answer, Enter to submit · 输入答案，回车提交", id="answer")

    @property
    def submission(self) -> str:
        return self.query_one("#answer", Input).value

    def focus_answer(self) -> None:
        self.query_one("#answer", Input).focus(scroll_visible=False)  # the screen scrolls it into view

    def lock_answer(self) -> None:
        self.query_one("#answer", Input).disabled = True


def answer(view: dict[str, Any], code: str) -> PredictAnswer:
    """The snippet of this instance and the answer box, holding the draft ``code``."""
    return PredictAnswer(view["snippet"], code)
