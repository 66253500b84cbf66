"""The answer box of a typed card: Enter checks the answer."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Input

from quizzer.kinds.base import Face, Outcome
from quizzer.kinds.typed.spec import answer_matches


class TypedAnswer(Input):
    """Checks the answer once; marked right or wrong, then read-only."""

    DEFAULT_CSS = """
    TypedAnswer { margin: 0 0 1 0; }
    TypedAnswer.-correct { border: tall $success; }
    TypedAnswer.-wrong { border: tall $error; }
    """

    def __init__(self, accepted: list[str], answered: Callable[[Outcome], object]) -> None:
        super().__init__(placeholder="Type your answer, Enter to check · 输入答案，回车检查", id="typed")
        self.accepted, self.answered = accepted, answered

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        correct = answer_matches(event.value, self.accepted)
        self.disabled = True
        self.add_class("-correct" if correct else "-wrong")
        self.border_title = "✓ correct · 正确" if correct else "✗ not quite · 不对"
        self.answered(Outcome(passed=correct))


def answer(face: Face, language: str, answered: Callable[[Outcome], object]) -> TypedAnswer:
    """The widget that takes the answer to ``face``; ``answered`` gets how it went."""
    return TypedAnswer(face.extras["accepted"], answered)
