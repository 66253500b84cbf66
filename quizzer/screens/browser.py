"""The browser: find cards with the search language, see their state, act on one or many.

The table shows the first ``PAGE`` matches (content order), and the next page when the cursor
reaches the last row; it is refilled as the search is typed, and how many match (counted up to
``COUNTED``) follows once typing pauses, so a keystroke never waits for a count. ``space``
marks rows; an action applies to the marked rows, or to the row under the cursor when none is
marked, and ``u`` takes it back.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static

from quizzer.dialogs.ask import AskNumber
from quizzer.dialogs.error import reports_errors
from quizzer.errors import QueryError
from quizzer.screens.card_info import CardInfoScreen
from quizzer.services.collection import FLAG_NAMES, CardRow, SearchResult
from quizzer.services.container import Services
from quizzer.vocabulary import Showing, said
from quizzer.widgets.card_table import CardTable
from quizzer.widgets.keys_footer import KeysFooter
from quizzer.widgets.title_bar import TitleBar

PAGE = 60
"""Rows read at a time (more as the cursor reaches the last): each costs time on every keystroke."""
COUNTED = 1000
"""Matches are counted up to this many (``1000+``): a broad search need not read every card."""
COUNT_AFTER = 0.25
"""Seconds of no typing before the matches are counted."""


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
        self.found = SearchResult([], 0)
        self.counting: Timer | None = None

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Input(self.query_text, placeholder="search: deck:… tag:… is:due -is:new \"a phrase\" … (enter: to the table)",
                    id="search")
        yield CardTable(id="cards")
        yield Static(id="status")
        yield KeysFooter()

    @reports_errors
    def on_mount(self) -> None:
        self.sub_title = "Browse"
        self.refill()
        self.action_focus_search()  # typing searches at once; the table's one-letter actions wait for enter

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        self.refill(keep_shown=False)

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        self.query_one(CardTable).focus()

    def refill(self, keep_shown: bool = True) -> None:
        """Show what the search finds now (as many rows as are shown, with ``keep_shown``: after an
        action), keeping the marks that are still among it."""
        status = self.query_one("#status", Static)
        limit = max(PAGE, len(self.rows)) if keep_shown else PAGE
        try:
            found = self.services.collection.search(self.query_text, self.language, limit=limit, count=False)
        except QueryError as exc:
            status.update(Text(exc.message, style="red"))
            return
        self.rows = {row.card_id: row for row in found.rows}
        self.marked &= set(self.rows)
        self.found = found
        self.query_one(CardTable).show(found.rows, self.marked)
        self.show_status()
        if self.counting is not None:
            self.counting.stop()
        self.counting = self.set_timer(COUNT_AFTER, self.count) if found.at_least else None

    @reports_errors
    def count(self) -> None:
        total, at_least = self.services.collection.count(self.query_text, COUNTED)
        self.found = SearchResult(self.found.rows, total, at_least)
        self.show_status()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """The cursor on the last row reads the next page of the search."""
        if event.cursor_row < len(self.rows) - 1 or not (self.found.at_least or len(self.rows) < self.found.total):
            return
        more = self.services.collection.search(self.query_text, self.language, limit=PAGE, offset=len(self.rows), count=False)
        if not more.at_least:  # the last page: now the count is known
            self.found = SearchResult(self.found.rows, more.total)
        self.rows |= {row.card_id: row for row in more.rows}
        self.query_one(CardTable).show(more.rows, self.marked, extend=True)
        self.show_status()

    def show_status(self) -> None:
        total = f"{self.found.total:,}{'+' if self.found.at_least else ''}"  # "60+" until counted
        shown = f", {len(self.rows)} shown (more as you scroll)" if self.found.total > len(self.rows) else ""
        marked = f" · {len(self.marked)} marked" if self.marked else ""
        plural = "s" if self.found.total != 1 else ""
        self.query_one("#status", Static).update(f"{total} card{plural}{shown}{marked}")

    def cursor_card(self) -> int | None:
        return self.query_one(CardTable).cursor_card()

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
        """``esc`` in the search box goes to the table (as in every text box); from the table it leaves."""
        if self.focused is self.query_one("#search", Input):
            self.query_one(CardTable).focus()
        else:
            self.dismiss()

    def action_mark(self) -> None:
        card = self.cursor_card()
        if card is not None:
            self.marked ^= {card}
            self.query_one(CardTable).mark({card: card in self.marked})
            self.show_status()
            self.query_one(CardTable).action_cursor_down()

    def action_mark_all(self) -> None:
        """Mark every row shown, or clear the marks when all are marked already."""
        self.marked = set() if self.marked == set(self.rows) else set(self.rows)
        self.query_one(CardTable).mark({card: card in self.marked for card in self.rows})
        self.show_status()

    def act(self, name: str, *args: int) -> None:
        cards = self.targets()
        if cards:
            done = getattr(self.services.actions, name)(cards, *args)
            self.notify(said((f"{done.summary('en')} (u: undo)", f"{done.summary('zh')}（u：撤销）"), self.language))
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
        question = said(("Due in how many days? (0: today)", "几天后到期？（0：今天）"), self.language)
        self.app.push_screen(AskNumber(question, 0, 36500), self.due_answered)

    def due_answered(self, days: int | None) -> None:
        if days is not None:
            self.act("set_due", days)

    def action_flag(self) -> None:
        colours = ", ".join(f"{number} {name}" for number, name in enumerate(FLAG_NAMES) if number)
        question = said((f"Flag colour: {colours} (0: none)", f"旗标颜色：{colours}（0：无）"), self.language)
        self.app.push_screen(AskNumber(question, 0, 7), self.flag_answered)

    def flag_answered(self, colour: int | None) -> None:
        if colour is not None:
            self.act("flag", colour)

    def action_undo(self) -> None:
        done = self.services.review.undo()
        self.notify(said((f"Undone: {done.summary('en')}", f"已撤销：{done.summary('zh')}") if done
                         else ("Nothing to undo", "没有可撤销的操作"), self.language))
        self.refill()

    def action_info(self) -> None:
        card = self.cursor_card()
        if card is not None:
            self.app.push_screen(CardInfoScreen(self.services.info.card(card), self.language))

    def action_edit(self) -> None:
        """Edit the row's item in $VISUAL/$EDITOR at its line; the table shows it as saved."""
        from quizzer.screens.editing import ItemEditor

        card = self.cursor_card()
        if card is not None:
            ItemEditor(self.app, self.services, self.rows[card].item_id, self.refill).run()
