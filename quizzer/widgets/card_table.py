"""The browser's table of cards: the columns that fit the terminal, the front taking the rest.

At 80 columns a row shows the id, the front, the state and the due date; wider terminals add
the deck, interval, kind, lapses and last review, in that order of importance (card info, ``i``,
has all of them at any width). The table is kept, not rebuilt, as a search is typed: only its
rows change, and its columns only when its width does.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.widgets import DataTable

from quizzer.services.collection import CardRow


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int
    """Cells wider than this are cut with an ellipsis; the front's is its least."""
    priority: int
    """Columns are added by priority (0 first) while the front keeps its least width."""


FRONT = Column("front", "front", 26, 0)
ID = Column("id", "id", 20, 0)
COLUMNS = (
    Column("mark", "", 1, 0), ID, Column("deck", "deck", 18, 2), Column("kind", "kind", 7, 5),
    FRONT, Column("state", "state", 10, 0), Column("due", "due", 10, 1), Column("ivl", "ivl", 5, 3),
    Column("lapses", "lapses", 6, 4), Column("last", "last review", 11, 6),
)
"""In the order shown, left to right."""
FLAG_STYLES = ("", "red", "dark_orange", "green", "blue", "magenta", "cyan", "purple")
PADDING = 1
"""Blank cells each side of a column (DataTable's ``cell_padding``)."""
SCROLLBAR = 2
LONGEST = 300
"""A front is cut to this many characters before it is laid out (some are whole code listings)."""


def layout(width: int) -> dict[str, int]:
    """The columns shown at ``width`` cells, each with its width, in display order; the front
    keeps at least a third of the width."""
    room = width - SCROLLBAR - (max(FRONT.width, width // 3) + 2 * PADDING)
    chosen: set[str] = set()
    for column in sorted((column for column in COLUMNS if column is not FRONT), key=lambda column: column.priority):
        cost = column.width + 2 * PADDING
        if cost > room and column.priority > 0:
            break
        chosen.add(column.key)
        room -= cost
    widths = {column.key: column.width for column in COLUMNS if column.key in chosen or column is FRONT}
    widths[FRONT.key] = width - SCROLLBAR - sum(cost + 2 * PADDING for cost in widths.values()) + FRONT.width
    return widths


def short_label(label: str, width: int = ID.width) -> str:
    """``label`` cut to ``width`` in the middle, so a cloze's ``/cN`` stays in sight."""
    if len(label) <= width:
        return label
    _item, slash, number = label.rpartition("/c")
    tail = slash + number if slash and number.isdigit() else ""
    return label[: width - len(tail) - 1] + "…" + tail


def cells(row: CardRow, marked: bool) -> dict[str, str | Text]:
    """Every column's cell for ``row``; the flag colours the id."""
    state = "suspended" if row.suspended else "buried" if row.buried else row.state
    return {
        "mark": "•" if marked else "",
        "id": Text(short_label(row.label), style=FLAG_STYLES[row.flag]),
        "deck": Text(row.deck, overflow="ellipsis", no_wrap=True),
        "kind": row.kind,
        "front": Text(row.front[:LONGEST], overflow="ellipsis", no_wrap=True),
        "state": state,
        "due": row.due,
        "ivl": "" if row.interval_days is None else f"{row.interval_days}d",
        "lapses": str(row.lapses),
        "last": row.last_review,
    }


class CardTable(DataTable[str | Text]):
    """Rows keyed by card id; ``show`` replaces (or extends) them."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True, cell_padding=PADDING)
        self.widths: dict[str, int] = {}
        self.shown: list[tuple[CardRow, bool]] = []

    def on_resize(self, event: events.Resize) -> None:
        widths = layout(event.size.width)
        if widths != self.widths:
            self.widths = widths
            self.clear(columns=True)
            for column in COLUMNS:
                if column.key in widths:
                    self.add_column(column.label, width=widths[column.key], key=column.key)
            self.show([row for row, _ in self.shown], {row.card_id for row, marked in self.shown if marked})

    def show(self, rows: list[CardRow], marked: set[int], extend: bool = False) -> None:
        """Show ``rows`` (after those shown, with ``extend``), the cursor kept on its line."""
        cursor = self.cursor_row
        if not extend:
            self.clear()
            self.shown = []
        shown = [(row, row.card_id in marked) for row in rows]
        self.shown += shown
        if self.widths:
            self.add_rows_keyed(shown)
        self.move_cursor(row=min(cursor, max(self.row_count - 1, 0)))

    def add_rows_keyed(self, rows: list[tuple[CardRow, bool]]) -> None:
        for row, marked in rows:
            every = cells(row, marked)
            self.add_row(*(every[key] for key in self.widths), key=str(row.card_id))

    def mark(self, marks: dict[int, bool]) -> None:
        """Show or clear the mark of these cards' rows."""
        for card, marked in marks.items():
            self.update_cell(str(card), "mark", "•" if marked else "")
        self.shown = [(row, marks.get(row.card_id, marked)) for row, marked in self.shown]

    def cursor_card(self) -> int | None:
        """The card id of the row under the cursor."""
        if not self.row_count:
            return None
        return int(self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value or 0)
