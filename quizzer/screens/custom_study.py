"""``c`` on the deck tree (or *Custom study…* in the palette): Anki's custom study dialog.

Pick what to study in the deck, give the one value it needs, ``enter``: more new cards or
reviews today start the deck's usual review with the raised limits; the other choices start a
session of the cards they select (``services.custom_study``). What cannot be done (a value
that is no number, a search with an error, nothing to study) is said in the dialog.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from quizzer.errors import QuizzerError, UsageError
from quizzer.screens.messages import StartReview
from quizzer.services.container import Services

CHOICES = (  # (what, label, what the box takes, its default)
    ("extra_new", "More new cards today · 今天多学新卡", "How many:", "10"),
    ("extra_reviews", "More reviews today · 今天多复习", "How many:", "50"),
    ("ahead", "Review ahead · 提前复习", "Days ahead:", "1"),
    ("forgotten", "Review forgotten cards · 复习遗忘的卡片", "Days back (1: today):", "1"),
    ("tag", "Study by tag · 按标签学习", "Tag (e.g. autograd):", ""),
    ("search", "Study by state or search · 按状态或搜索学习", "Search:", "is:new"),
)
NUMBERS = ("extra_new", "extra_reviews", "ahead", "forgotten")


def whole_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise UsageError(f"{text.strip() or 'nothing'!r} is not a whole number") from None


class CustomStudyScreen(ModalScreen[StartReview | None]):
    """Dismissed with the review to start, or None when cancelled."""

    DEFAULT_CSS = """
    CustomStudyScreen {
        align: center middle;
    }
    CustomStudyScreen #dialog {
        width: 64;
        height: auto;
        border: round $primary;
        padding: 0 1;
    }
    CustomStudyScreen RadioSet {
        width: 100%;
    }
    CustomStudyScreen #error {
        color: $error;
        height: auto;
    }
    CustomStudyScreen #row {
        height: 1;
        margin-bottom: 1;
    }
    CustomStudyScreen #hint {
        width: 24;
    }
    CustomStudyScreen #buttons {
        height: 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, services: Services, deck: str) -> None:
        super().__init__()
        self.services, self.deck = services, deck

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = f"Custom study · 自定义学习: {self.deck or 'all decks'}"
            with RadioSet():
                for index, (_, label, _, _) in enumerate(CHOICES):
                    yield RadioButton(label, value=index == 0)
            with Horizontal(id="row"):
                yield Label(CHOICES[0][2], id="hint")
                yield Input(CHOICES[0][3], id="value", compact=True)
            yield Static(id="error", markup=False)
            with Horizontal(id="buttons"):
                yield Button("Study (enter)", id="study", variant="primary", compact=True)
                yield Button("Cancel (escape)", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        """Another choice: its value's hint and default in the box."""
        _, _, hint, default = CHOICES[event.index]
        self.query_one("#hint", Label).update(hint)
        self.query_one("#error", Static).update("")
        box = self.query_one(Input)
        box.value = default
        box.focus()

    def chosen(self) -> StartReview:
        """The review the dialog's choice starts (raising limits first, for the first two)."""
        what = CHOICES[self.query_one(RadioSet).pressed_index][0]
        text = self.query_one(Input).value.strip()
        deck = self.deck or None
        if what in ("extra_new", "extra_reviews"):
            self.services.custom_study.extend(self.deck, **{what.removeprefix("extra_"): whole_number(text)})
            return StartReview(deck)
        from quizzer.services.custom_study import Choice  # with the search language: only when used

        days = whole_number(text) if what in NUMBERS else None
        choice = Choice(
            ahead=days if what == "ahead" else None, forgotten=days if what == "forgotten" else None,
            tag=text if what == "tag" else None, search=text if what == "search" else None,
        )
        return StartReview(deck, self.services.custom_study.start(deck, choice))

    def action_study(self) -> None:
        try:
            start = self.chosen()
        except QuizzerError as exc:  # the dialog stays, to be corrected
            self.query_one("#error", Static).update(exc.message)
            return
        self.dismiss(start)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_input_submitted(self) -> None:
        self.action_study()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "study":
            self.action_study()
        else:
            self.action_cancel()
