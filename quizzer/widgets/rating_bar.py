"""The four answer buttons, each with the interval it would schedule."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button
from textual.widgets.button import ButtonVariant

RATINGS: dict[int, tuple[str, ButtonVariant]] = {
    1: ("Again", "error"), 2: ("Hard", "warning"), 3: ("Good", "success"), 4: ("Easy", "primary"),
}

RATING_BINDINGS = [Binding(str(rating), f"rate({rating})", label, show=False) for rating, (label, _) in RATINGS.items()]
"""Keys 1–4: every screen that rates takes them (its ``action_rate`` decides what rating means there)."""


class RatingBar(Horizontal):
    """Posts ``Rated`` when a button is pressed; the screen decides what that means."""

    class Rated(Message):
        def __init__(self, rating: int) -> None:
            super().__init__()
            self.rating = rating

    def __init__(self, intervals: dict[int, str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.intervals = intervals

    def compose(self) -> ComposeResult:
        for rating, (label, variant) in RATINGS.items():
            yield Button(
                f"{rating} {label}\n{self.intervals[rating]}", variant=variant, id=f"rate-{rating}",
                compact=True,
            )

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        assert event.button.id is not None
        self.post_message(self.Rated(int(event.button.id.removeprefix("rate-"))))

    def propose(self, rating: int) -> None:
        """Focus the suggested rating, so Enter accepts it."""
        self.query_one(f"#rate-{rating}", Button).focus()
