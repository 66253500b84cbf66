"""A one-line question with a whole-number answer (a due date in days, a flag colour)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label


class AskNumber(ModalScreen[int | None]):
    """Dismissed with the number typed (``enter``), or None (``escape``); out of range is refused."""

    DEFAULT_CSS = """
    AskNumber {
        align: center middle;
    }
    AskNumber #ask {
        width: 60;
        height: auto;
        border: round $primary;
        padding: 0 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question: str, lowest: int, highest: int) -> None:
        super().__init__()
        self.question, self.lowest, self.highest = question, lowest, highest

    def compose(self) -> ComposeResult:
        with Vertical(id="ask"):
            yield Label(self.question)
            yield Input(type="integer", id="number")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        value = int(event.value) if event.value.lstrip("-").isdigit() else None
        if value is None or not self.lowest <= value <= self.highest:
            self.notify(f"a whole number from {self.lowest} to {self.highest}", severity="warning")
            return
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)
