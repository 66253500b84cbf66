"""``a``: a form for a card of one's own, written into the own deck folder (see ``services.own_cards``).

One language is enough: fill the English (or any one-language) fields, and the Chinese ones
only if the card should have both. On save the browser opens on the new card.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label

from quizzer.errors import QuizzerError
from quizzer.services.container import Services
from quizzer.services.own_cards import OwnCard

FIELDS = (
    ("deck", "Deck (e.g. mine::attention)"), ("front", "Front (or the cloze text, with {{c1::…}})"), ("back", "Back"),
    ("front_zh", "Front in Chinese (optional)"), ("back_zh", "Back in Chinese (optional)"), ("tags", "Tags (spaces between)"),
)


class AddCardScreen(ModalScreen[str | None]):
    """Dismissed with the new item's id, or None when cancelled."""

    DEFAULT_CSS = """
    AddCardScreen {
        align: center middle;
    }
    AddCardScreen #form {
        width: 80%;
        height: auto;
        max-height: 90%;
        border: round $primary;
        padding: 0 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "save", "Save")]

    def __init__(self, services: Services, deck: str = "mine") -> None:
        super().__init__()
        self.services, self.deck = services, deck

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="form"):
            for name, label in FIELDS:
                yield Label(label)
                yield Input(self.deck if name == "deck" else "", id=name)
            yield Checkbox("Cloze: the front has {{c1::…}} deletions, no back", id="cloze")
            with Horizontal():
                yield Button("Save (ctrl+s)", id="save", variant="primary")
                yield Button("Cancel (escape)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#front", Input).focus()  # the deck is filled in already

    def value(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value.strip()

    def action_save(self) -> None:
        card = OwnCard(
            self.value("deck"), self.value("front"), self.value("back"), self.value("front_zh"), self.value("back_zh"),
            tuple(self.value("tags").split()), self.query_one("#cloze", Checkbox).value,
        )
        try:
            item_id = self.services.folders.add_card(card)
        except QuizzerError as exc:  # the form stays, filled in, to be corrected
            self.notify(exc.message, title="Not added", severity="error")
            return
        self.dismiss(item_id)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()
