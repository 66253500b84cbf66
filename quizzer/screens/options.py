"""``o`` on the deck tree: a deck's options (the root: the collection's, i.e. Review all's).

The form shows the options in effect; only the fields changed are stored, so a subdeck keeps
inheriting its parent's retention and steps until one of them is edited here. A blank field
goes back to the default (the parent's, for retention and steps; any number, for new drills).
A value the service refuses is said in the form, which stays filled in.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from quizzer.errors import ConfigError, QuizzerError
from quizzer.services.container import Services
from quizzer.services.settings import DeckOptions
from quizzer.vocabulary import said

InputType = Literal["integer", "number", "text"]
FIELDS: tuple[tuple[str, str, InputType], ...] = (
    ("new", "New cards a day · 每天新卡", "integer"),
    ("reviews", "Reviews a day · 每天复习", "integer"),
    ("new_drills", "New drills a day (blank: any) · 每天新练习", "integer"),
    ("retention", "Desired retention, 0.70–0.99 · 目标记忆率", "number"),
    ("learning_steps", "Learning steps, e.g. 1m 10m · 学习步长", "text"),
    ("relearning_steps", "Relearning steps, e.g. 10m · 重学步长", "text"),
)


def shown(value: int | float | str | None) -> str:
    return "" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def read(name: str, text: str) -> int | float | str | None:
    """A field's text as the option's value (blank: None, the default)."""
    if not text.strip():
        return None
    input_type = next(input_type for field, _, input_type in FIELDS if field == name)
    try:
        return int(text) if input_type == "integer" else float(text) if input_type == "number" else text.strip()
    except ValueError:
        raise ConfigError(f"{name.replace('_', ' ')}: {text.strip()!r} is not a number") from None


class OptionsScreen(ModalScreen[bool]):
    """Dismissed with True once saved, False when cancelled."""

    DEFAULT_CSS = """
    OptionsScreen {
        align: center middle;
    }
    OptionsScreen #form {
        width: 70;
        height: auto;
        max-height: 95%;
        border: round $primary;
        padding: 0 1;
    }
    OptionsScreen .field {
        height: 1;
        margin-bottom: 1;
    }
    OptionsScreen .field Label {
        width: 44;
    }
    OptionsScreen #error {
        color: $error;
        height: auto;
    }
    OptionsScreen #buttons {
        height: 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "save", "Save")]

    def __init__(self, services: Services, deck: str) -> None:
        super().__init__()
        self.services, self.deck = services, deck
        self.current: DeckOptions = services.settings.deck_options(deck, services.config.scheduling)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="form") as form:
            form.border_title = f"Options · 选项: {self.deck or 'All decks (Review all)'}"
            for name, label, input_type in FIELDS:
                with Horizontal(classes="field"):
                    yield Label(label)
                    yield Input(shown(getattr(self.current, name)), id=name, type=input_type, compact=True)
            yield Static(id="error", markup=False)
            with Horizontal(id="buttons"):
                yield Button("Save (enter)", id="save", variant="primary", compact=True)
                yield Button("Cancel (escape)", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def changes(self) -> dict[str, int | float | str | None]:
        """The fields edited, as option values."""
        edited = {}
        for name, _, _ in FIELDS:
            text = self.query_one(f"#{name}", Input).value
            if text.strip() != shown(getattr(self.current, name)):
                edited[name] = read(name, text)
        return edited

    def action_save(self) -> None:
        try:
            self.services.settings.set_deck_options(self.deck, **self.changes())
        except QuizzerError as exc:  # the form stays, filled in, to be corrected
            self.query_one("#error", Static).update(exc.message)
            return
        words = (f"Options saved for {self.deck or 'all decks'}", f"已保存{self.deck or '所有牌组'}的选项")
        self.notify(said(words, self.services.settings.language()))
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)

    def on_input_submitted(self) -> None:
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()
