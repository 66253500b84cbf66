"""What is left today, over the card: new + learning + due, as Anki shows them."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from quizzer.scheduling.queue import DeckCounts
from quizzer.vocabulary import State

COLOURS = {"new": "blue", "learning": "red", "due": "green"}
"""The deck tree's colours for the same three counts."""
QUEUE_OF = {State.NEW: "new", State.LEARNING: "learning", State.RELEARNING: "learning", State.REVIEW: "due"}
CURRENT_STYLE = "bold underline"


def counts_text(counts: DeckCounts, current: State | None) -> Text:
    """``12 + 3 + 40``, coloured; the count the card shown belongs to underlined."""
    shown = QUEUE_OF.get(current) if current is not None else None
    parts: list[str | tuple[str, str]] = []
    for queue, colour in COLOURS.items():
        if parts:
            parts.append(" + ")
        parts.append((str(getattr(counts, queue)), f"{colour} {CURRENT_STYLE}" if queue == shown else colour))
    return Text.assemble(*parts)


class QueueCounts(Static):
    """``show`` the counts after every card; blank until the first."""

    DEFAULT_CSS = "QueueCounts { width: auto; height: 1; padding: 0 1; }"

    def show(self, counts: DeckCounts, current: State | None) -> None:
        self.update(counts_text(counts, current))
