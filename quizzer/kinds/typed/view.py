"""The answer box of a typed card: Enter checks the answer, then marks it against the expected
one as Anki does (what was typed right green, wrong red; below, the expected answer with what
is missing marked)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Self

from rich.highlighter import Highlighter
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from quizzer.kinds.base import Face, Outcome
from quizzer.kinds.typed.answers import answer_matches, read_shape
from quizzer.kinds.typed.compare import Comparison, Mark, closest, compare, shape_forms

STYLES: dict[Mark, str] = {"good": "bold green", "bad": "bold white on red", "missed": "bold black on yellow", "space": ""}


class Marked(Highlighter):
    """Styles the typed answer by its comparison's marks."""

    def __init__(self, runs: list[tuple[str, Mark]]) -> None:
        self.runs = runs

    def highlight(self, text: Text) -> None:
        start = 0
        for run, mark in self.runs:
            text.stylize(STYLES[mark], start, start + len(run))
            start += len(run)


def marked(runs: list[tuple[str, Mark]]) -> Text:
    return Text.assemble(*((run, STYLES[mark]) for run, mark in runs))


class TypedAnswer(Vertical):
    """Checks the answer once; marked right or wrong, then read-only."""

    DEFAULT_CSS = """
    TypedAnswer { height: auto; margin: 0 0 1 0; }
    TypedAnswer.-compared { margin: 0; }
    TypedAnswer #expected { display: none; padding: 0 1; }
    TypedAnswer.-compared #expected { display: block; }
    TypedAnswer Input:disabled { color: $foreground; }
    TypedAnswer .-correct { border: tall $success; }
    TypedAnswer .-wrong { border: tall $error; }
    """

    def __init__(self, face: Face, answered: Callable[[Outcome], object]) -> None:
        super().__init__()
        self.accepted: list[str] = face.extras["accepted"]
        self.shape = face.extras.get("answer_type") == "shape"
        self.question = " ".join(face.prompt.values())
        self.answered = answered
        self.comparison: Comparison | None = None

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Type your answer, Enter to check · 输入答案，回车检查", id="typed")
        yield Static(id="expected")

    def focus(self, scroll_visible: bool = True) -> Self:
        """The box takes the focus the screen gives the answer widget."""
        self.query_one(Input).focus(scroll_visible)
        return self

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        correct = answer_matches(event.value, self.accepted, shape=self.shape, question=self.question)
        box = event.input
        box.disabled = True
        box.add_class("-correct" if correct else "-wrong")
        box.border_title = "✓ correct · 正确" if correct else "✗ not quite · 不对"
        self.comparison = compare(event.value, event.value if correct else self._nearest(event.value))
        box.highlighter = Marked(self.comparison.typed)
        if not correct:
            self.query_one("#expected", Static).update(Text.assemble("answer · 答案  ", marked(self.comparison.expected)))
            self.add_class("-compared")
        self.answered(Outcome(passed=correct))

    def _nearest(self, given: str) -> str:
        """The accepted form to mark ``given`` against: the nearest one, a shape written the
        way the learner wrote theirs."""
        shape = read_shape(self.accepted[0]) if self.shape else None
        return closest(given, self.accepted + (shape_forms(shape) if shape is not None else []))


def answer(face: Face, language: str, answered: Callable[[Outcome], object]) -> TypedAnswer:
    """The widget that takes the answer to ``face``; ``answered`` gets how it went."""
    return TypedAnswer(face, answered)
