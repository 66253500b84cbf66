"""The options of a choice card: keys 1–6 pick (toggle, when several are correct), Enter submits."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.widgets import Static

from quizzer.kinds.base import Face, Outcome
from quizzer.kinds.choice.spec import MAX_OPTIONS


class ChoiceAnswer(Static, can_focus=True):
    """Shows the numbered options; once submitted, marks each right or wrong and locks."""

    DEFAULT_CSS = """
    ChoiceAnswer { height: auto; margin: 0 0 1 0; padding: 0 1; border: round $secondary; }
    ChoiceAnswer:focus { border: round $accent; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        *[Binding(str(n), f"pick({n})", f"Option {n}", show=False) for n in range(1, MAX_OPTIONS + 1)],
        Binding("enter", "submit", "Submit"),
    ]

    language: reactive[str] = reactive("both")
    picked: reactive[frozenset[int]] = reactive(frozenset())
    submitted: reactive[bool] = reactive(False)

    def __init__(self, options: list[dict[str, Any]], language: str, answered: Callable[[Outcome], object]) -> None:
        super().__init__(markup=False, id="choice")
        self.options, self.answered = options, answered
        self.correct = frozenset(n for n, option in enumerate(options, 1) if option["correct"])
        self.set_reactive(ChoiceAnswer.language, language)

    def on_mount(self) -> None:
        self.update(self._text())

    def action_pick(self, number: int) -> None:
        if self.submitted or number > len(self.options):
            return
        if len(self.correct) > 1:
            self.picked = self.picked ^ {number}
        else:
            self.picked = frozenset({number})

    def action_submit(self) -> None:
        if self.submitted:
            return
        if not self.picked:
            self.notify("Pick an option first (1–6) · 先按数字键选择", severity="warning")
            return
        self.submitted = True
        self.border_title = "✓ correct · 正确" if self.picked == self.correct else "✗ not quite · 不对"
        self.answered(Outcome(passed=self.picked == self.correct))

    def watch_language(self) -> None:
        self.update(self._text())

    def watch_picked(self) -> None:
        self.update(self._text())

    def watch_submitted(self) -> None:
        self.update(self._text())

    def _text(self) -> str:
        several = len(self.correct) > 1
        head = "Pick all that apply, Enter to check · 选出所有正确项，回车检查" if several else "Pick one, Enter to check · 选一项，回车检查"
        return "\n".join([head, *(self._line(n, option, several) for n, option in enumerate(self.options, 1))])

    def _line(self, number: int, option: dict[str, Any], several: bool) -> str:
        chosen = number in self.picked
        box = ("[x]" if chosen else "[ ]") if several else ("(•)" if chosen else "( )")
        mark = ""
        if self.submitted:
            mark = " ✓" if option["correct"] else (" ✗" if chosen else "")
        text = option[self.language] if self.language != "both" else " · ".join(dict.fromkeys([option["zh"], option["en"]]))
        return f"{box} {number}. {text}{mark}"


def answer(face: Face, language: str, answered: Callable[[Outcome], object]) -> ChoiceAnswer:
    """The options of this showing, in its order; ``answered`` gets how it went."""
    return ChoiceAnswer(face.extras["options"], language, answered)
