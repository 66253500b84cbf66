"""The home screen: decks as a tree with today's new / learning / due counts."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static, Tree
from textual.widgets.tree import TreeNode

from quizzer.dialogs.error import reports_errors
from quizzer.errors import QuizzerError
from quizzer.scheduling.queue import DeckCounts
from quizzer.screens.keys import KeyHelp
from quizzer.screens.messages import ShowBrowser, StartReview
from quizzer.services.container import Services
from quizzer.storage.retry import retrying
from quizzer.vocabulary import said
from quizzer.widgets.keys_footer import KeysFooter
from quizzer.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from quizzer.services.collection import DeckMarks  # the module loads with the tree, not with the app

NAME_WIDTH = 32

RESTORED = {"unsuspend": "取消暂停", "unbury": "取消搁置"}
"""What ``s`` and ``b`` on a deck restore, in Chinese (the English is the action's own name)."""


def deck_label(name: str, counts: DeckCounts, depth: int, marks: DeckMarks | None = None) -> str:
    """One tree row; names are padded by depth so the count columns line up. Suspended, buried
    and flagged cards show after the counts, only where a deck has any."""
    width = NAME_WIDTH - 4 * depth
    label = f"{escape(name):<{width}} [blue]{counts.new:>4}[/] [red]{counts.learning:>4}[/] [green]{counts.due:>4}[/]"
    if marks is None:
        return label
    shown = [f"{number or '':>4}" for number in (marks.suspended, marks.buried, marks.flagged)]
    return label + f" [dim]{shown[0]} {shown[1]}[/] [magenta]{shown[2]}[/]"


class HomeScreen(Screen[None]):
    """Pick a deck to review; Enter on a deck starts it, ``r`` reviews everything."""

    DEFAULT_CSS = """
    HomeScreen #today {
        height: 1;
        padding: 0 1;
        color: $text-muted;
    }
    HomeScreen #columns {
        height: 1;
        padding: 0 1 0 5;
        text-style: bold;
    }
    HomeScreen #decks {
        height: 1fr;
    }
    """

    EXTRA_KEYS: ClassVar[list[tuple[str, KeyHelp]]] = [("enter", KeyHelp("navigate", "review the selected deck", "复习选中的牌组"))]
    """For ``?``: the tree's own key, as it works here."""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "review_all", "Review all"),
        Binding("slash", "browse_deck", "Browse deck", key_display="/"),
        Binding("o", "options", "Options"),
        Binding("c", "app.custom_study", "Custom study", show=False),  # the footer is full at 80 columns: ? and the palette list it
        Binding("s", "restore('unsuspend')", "Unsuspend deck", show=False),  # ? lists these three
        Binding("b", "restore('unbury')", "Unbury deck", show=False),
        Binding("u", "undo", "Undo unsuspend/unbury", show=False),
        Binding("t", "app.show_stats", "Statistics"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(id="today")
        yield Static(f"{'deck':<{NAME_WIDTH - 4}} [blue]{'new':>4}[/] [red]{'lrn':>4}[/] [green]{'due':>4}[/]"
                     f" [dim]{'susp':>4} {'bury':>4}[/] [magenta]{'flag':>4}[/]", id="columns")
        yield Tree("All decks", id="decks")
        yield KeysFooter()

    @reports_errors
    def on_mount(self) -> None:
        self.query_one(Tree).focus()
        self.refresh_counts()

    @reports_errors
    def on_screen_resume(self) -> None:
        self.refresh_counts()

    def refresh_counts(self) -> None:
        """Rebuild the tree from the service's counts (after every review session)."""
        try:
            overview = retrying(self.services.review.overview, patience=0)
        except QuizzerError as exc:
            self.query_one("#today", Static).update(escape(f"The database cannot be read: {exc.message}"))
            return
        minutes = overview.seconds_today / 60
        self.query_one("#today", Static).update(
            f"Today · 今天: {overview.reviewed_today} answers · {minutes:.0f} min"
        )
        marks = self.services.collection.deck_marks()
        tree: Tree[str] = self.query_one(Tree)
        selected = self.selected_deck()
        tree.clear()
        tree.root.set_label(deck_label("All decks", overview.total, 0, marks.get("")))
        tree.root.data = ""
        nodes: dict[str, TreeNode[str]] = {"": tree.root}
        for path in sorted(overview.decks):
            parent, _, name = path.rpartition("::")
            label = deck_label(name, overview.decks[path], path.count("::") + 1, marks.get(path))
            nodes[path] = nodes[parent].add(label, data=path, expand=True)
        tree.root.expand()
        if tree.last_line >= 0:  # lays the new lines out now (Textual would at the next refresh), so that the
            tree.move_cursor(nodes.get(selected, tree.root))  # deck stays selected before a key can move the cursor

    def on_tree_node_selected(self, event: Tree.NodeSelected[str]) -> None:
        self.post_message(StartReview(event.node.data or None))

    def action_review_all(self) -> None:
        self.post_message(StartReview(None))

    def selected_deck(self) -> str:
        """The deck under the cursor ("": *All decks*, the collection)."""
        node = self.query_one(Tree).cursor_node
        return (node.data if node is not None else None) or ""

    def action_browse_deck(self) -> None:
        """The browser on the deck under the cursor (on *All decks*: every card)."""
        deck = self.selected_deck()
        self.post_message(ShowBrowser(f'deck:"{deck}"' if deck else ""))

    @reports_errors
    def action_restore(self, action: str) -> None:
        """Unsuspend (or unbury) every card of the deck under the cursor, its subdecks' too; ``u`` takes it back."""
        deck = self.selected_deck()
        marked = "is:suspended" if action == "unsuspend" else "is:buried"
        cards = self.services.collection.card_ids(f'deck:"{deck}" {marked}' if deck else marked)
        language, where = self.services.settings.language(), deck or "all decks"
        if not cards:
            self.notify(said((f"Nothing to {action} in {where}", f"{deck or '所有牌组'}中没有可{RESTORED[action]}的卡片"), language))
            return
        done = getattr(self.services.actions, action)(cards)
        self.notify(said((f"{done.summary('en')} in {where} (u: undo)", f"{deck or '所有牌组'}：{done.summary('zh')}（u：撤销）"), language))
        self.refresh_counts()

    @reports_errors
    def action_undo(self) -> None:
        """Take back the window's newest action (``services.undo``: an unsuspend or unbury here)."""
        done = self.services.review.undo()
        words = (f"Undone: {done.summary('en')}", f"已撤销：{done.summary('zh')}") if done else ("Nothing to undo", "没有可撤销的操作")
        self.notify(said(words, self.services.settings.language()))
        self.refresh_counts()

    def action_options(self) -> None:
        """The options of the deck under the cursor (on *All decks*: the collection's)."""
        from quizzer.screens.options import OptionsScreen  # loaded when first used, as the browser is

        self.app.push_screen(OptionsScreen(self.services, self.selected_deck()))
