"""The browser: find cards with the search language, see their state, act on one or many.

The table shows the first ``ROWS`` matches (deck and content order) and says how many match;
it is refilled as the search is typed. ``space`` marks rows; an action applies to the marked
rows, or to the row under the cursor when none is marked, and ``u`` takes it back.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from quizzer.dialogs.ask import AskNumber
from quizzer.dialogs.error import reports_errors
from quizzer.errors import QueryError
from quizzer.screens.card_info import CardInfoScreen
from quizzer.services.collection import FLAG_NAMES, CardRow
from quizzer.services.container import Services
from quizzer.vocabulary import Showing

ROWS = 200
"""Rows the table holds: five screens of them; a longer list is for narrowing the search, and each
row costs time on every keystroke."""
COLUMNS = ("", "id", "deck", "kind", "front", "state", "due", "ivl", "lapses", "last review")
FLAG_STYLES = ("", "red", "dark_orange", "green", "blue", "magenta", "cyan", "purple")


def cells(row: CardRow, marked: bool) -> tuple[str | Text, ...]:
    state = "suspended" if row.suspended else "buried" if row.buried else row.state
    label = Text(row.label, style=FLAG_STYLES[row.flag]) if row.flag else row.label
    interval = "" if row.interval_days is None else f"{row.interval_days}d"
    return ("•" if marked else "", label, row.deck, row.kind, row.front[:60], state, row.due, interval,
            str(row.lapses), row.last_review)


class BrowserScreen(Screen[None]):
    """Search, inspect and act on cards; ``escape`` goes back where it was opened."""

    DEFAULT_CSS = """
    BrowserScreen #cards {
        height: 1fr;
    }
    BrowserScreen #status {
        height: 1;
        padding: 0 1;
        color: $text-muted;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave", "Back"),
        Binding("slash", "focus_search", "Search", key_display="/"),
        Binding("space", "mark", "Mark"),
        Binding("ctrl+a", "mark_all", "Mark all ±"),
        Binding("s", "suspend", "Suspend ±"),
        Binding("b", "bury", "Bury ±"),
        Binding("n", "forget", "Forget"),
        Binding("d", "set_due", "Due in…"),
        Binding("f", "flag", "Flag…"),
        Binding("u", "undo", "Undo"),
        Binding("i", "info", "Info"),
        Binding("e", "edit", "Edit"),
    ]

    def __init__(self, services: Services, query: str = "", language: Showing = "both") -> None:
        super().__init__()
        self.services, self.query_text, self.language = services, query, language
        self.rows: dict[int, CardRow] = {}
        self.marked: set[int] = set()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(self.query_text, placeholder="search: deck:… tag:… is:due -is:new \"a phrase\" … (enter: to the table)",
                    id="search")
        table: DataTable[str | Text] = DataTable(id="cards", cursor_type="row", zebra_stripes=True)
        table.add_columns(*COLUMNS)
        yield table
        yield Static(id="status")
        yield Footer()

    @reports_errors
    def on_mount(self) -> None:
        self.sub_title = "Browse"
        self.refill()
        self.query_one(DataTable).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        self.refill()

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        self.query_one(DataTable).focus()

    def refill(self) -> None:
        """Show what the search finds now, keeping the marks that are still among it."""
        status = self.query_one("#status", Static)
        try:
            found = self.services.collection.search(self.query_text, self.language, limit=ROWS)
        except QueryError as exc:
            status.update(Text(exc.message, style="red"))
            return
        table: DataTable[str | Text] = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear()
        self.rows = {row.card_id: row for row in found.rows}
        self.marked &= set(self.rows)
        table.add_rows([cells(row, row.card_id in self.marked) for row in found.rows])
        table.move_cursor(row=min(cursor, max(len(found.rows) - 1, 0)))
        shown = f", first {len(found.rows)} shown" if found.total > len(found.rows) else ""
        marked = f" · {len(self.marked)} marked" if self.marked else ""
        status.update(f"{found.total} card{'s' if found.total != 1 else ''}{shown}{marked}")

    def cursor_card(self) -> int | None:
        table: DataTable[str | Text] = self.query_one(DataTable)
        if not self.rows or table.cursor_row >= len(self.rows):
            return None
        return list(self.rows)[table.cursor_row]

    def targets(self) -> list[int]:
        """The marked cards, else the one under the cursor."""
        card = self.cursor_card()
        return sorted(self.marked) if self.marked else [] if card is None else [card]

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def search_for(self, query: str) -> None:
        """Show ``query``'s cards (empty: keep the search), with the search box focused."""
        if query:
            self.query_one("#search", Input).value = query
        self.action_focus_search()

    def action_leave(self) -> None:
        self.dismiss()

    def action_mark(self) -> None:
        card = self.cursor_card()
        if card is not None:
            self.marked ^= {card}
            self.refill()
            self.query_one(DataTable).action_cursor_down()

    def action_mark_all(self) -> None:
        """Mark every row shown, or clear the marks when all are marked already."""
        self.marked = set() if self.marked == set(self.rows) else set(self.rows)
        self.refill()

    def act(self, name: str, *args: int) -> None:
        cards = self.targets()
        if cards:
            done = getattr(self.services.actions, name)(cards, *args)
            self.notify(f"{done.summary()} (u: undo)")
            self.refill()

    def action_suspend(self) -> None:
        cards = self.targets()
        self.act("unsuspend" if cards and all(self.rows[card].suspended for card in cards) else "suspend")

    def action_bury(self) -> None:
        cards = self.targets()
        self.act("unbury" if cards and all(self.rows[card].buried for card in cards) else "bury")

    def action_forget(self) -> None:
        self.act("forget")

    def action_set_due(self) -> None:
        self.app.push_screen(AskNumber("Due in how many days? (0: today)", 0, 36500), self.due_answered)

    def due_answered(self, days: int | None) -> None:
        if days is not None:
            self.act("set_due", days)

    def action_flag(self) -> None:
        colours = ", ".join(f"{number} {name}" for number, name in enumerate(FLAG_NAMES) if number)
        self.app.push_screen(AskNumber(f"Flag colour: {colours} (0: none)", 0, 7), self.flag_answered)

    def flag_answered(self, colour: int | None) -> None:
        if colour is not None:
            self.act("flag", colour)

    def action_undo(self) -> None:
        done = self.services.actions.undo()
        self.notify(f"Undone: {done.summary()}" if done else "Nothing to undo")
        self.refill()

    def action_info(self) -> None:
        card = self.cursor_card()
        if card is not None:
            self.app.push_screen(CardInfoScreen(self.services.info.card(card)))

    def action_edit(self) -> None:
        """Edit the row's item in $VISUAL/$EDITOR at its line; the table shows it as saved."""
        from quizzer.screens.editing import ItemEditor

        card = self.cursor_card()
        if card is not None:
            ItemEditor(self.app, self.services, self.rows[card].item_id, self.refill).run()
