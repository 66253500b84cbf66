"""Card info (``i``): the card's state, today's predicted recall and its whole history."""

from __future__ import annotations

from typing import ClassVar

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from quizzer.services.card_info import CardInfo, info_lines
from quizzer.vocabulary import Showing


class CardInfoScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    CardInfoScreen {
        align: center middle;
    }
    CardInfoScreen #info {
        width: 90%;
        height: 80%;
        border: round $primary;
        padding: 0 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Close"), Binding("i", "dismiss", "Close", show=False),
    ]

    def __init__(self, info: CardInfo, language: Showing) -> None:
        super().__init__()
        self.info, self.language = info, language

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="info"):
            yield Static(escape("\n".join(info_lines(self.info, self.language))), id="info-text")
