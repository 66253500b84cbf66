"""The four answer buttons, each with the interval it would schedule."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button
from textual.widgets.button import ButtonVariant

from quizzer.vocabulary import Rating

VARIANTS: dict[Rating, ButtonVariant] = {
    Rating.Again: "error", Rating.Hard: "warning", Rating.Good: "success", Rating.Easy: "primary",
}

RATING_BINDINGS = [Binding(str(rating.value), f"rate({rating.value})", rating.name, show=False) for rating in Rating]
"""Keys 1–4: every screen that rates takes them (its ``action_rate`` decides what rating means there)."""


class RatingBar(Horizontal):
    """Posts ``Rated`` when a button is pressed; the screen decides what that means."""

    DEFAULT_CSS = """
    RatingBar {
        height: auto;
        display: none;
        align-horizontal: center;
    }
    RatingBar.-revealed {
        display: block;
    }
    RatingBar Button {
        width: 1fr;
        height: 3;
        margin: 0 1;
    }
    """

    class Rated(Message):
        def __init__(self, rating: Rating) -> None:
            super().__init__()
            self.rating = rating

    def __init__(self, intervals: dict[Rating, str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.intervals = intervals

    def compose(self) -> ComposeResult:
        for rating, variant in VARIANTS.items():
            yield Button(
                f"{rating.value} {rating.name}\n{self.intervals[rating]}", variant=variant, id=f"rate-{rating.value}",
                compact=True,
            )

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        assert event.button.id is not None
        self.post_message(self.Rated(Rating(int(event.button.id.removeprefix("rate-")))))

    def propose(self, rating: Rating) -> None:
        """Focus the suggested rating, so Enter accepts it."""
        self.query_one(f"#rate-{rating.value}", Button).focus()
