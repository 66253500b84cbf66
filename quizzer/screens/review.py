"""The review screen: one card at a time, reveal, rate, undo, suspend, bury."""

from __future__ import annotations

import time

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from quizzer.corpus.typed import answer_matches
from quizzer.dialogs.error import reports_errors
from quizzer.screens.drill import DrillScreen
from quizzer.screens.messages import ShowDecks
from quizzer.services.container import Services
from quizzer.corpus.kinds import DRILL_KINDS
from quizzer.services.review import ReviewCard
from quizzer.widgets.card_view import CardView
from quizzer.widgets.rating_bar import RATING_BINDINGS, RatingBar


class ReviewScreen(Screen[None]):
    """Reviews ``deck`` (None: every deck) until nothing is due today."""

    BINDINGS = [
        Binding("space", "reveal", "Show answer"),
        *RATING_BINDINGS,
        Binding("u", "undo", "Undo"),
        Binding("s", "suspend", "Suspend"),
        Binding("b", "bury", "Bury"),
        Binding("escape", "app.show_decks", "Decks"),
    ]

    def __init__(self, services: Services, deck: str | None, language: str) -> None:
        super().__init__()
        self.services, self.deck, self.language = services, deck, language
        self.card: ReviewCard | None = None
        self.revealed = False
        self.shown_at = 0.0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="status")
        yield Vertical(id="card")
        yield Footer()

    @reports_errors
    async def on_mount(self) -> None:
        self.sub_title = self.deck or "all decks"
        await self.show_next()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys that need a card (or an unrevealed one) leave the footer when they do nothing."""
        if action in ("suspend", "bury"):
            return self.card is not None
        if action == "reveal":
            return self.card is not None and not self.revealed
        return True

    async def show_next(self, card: ReviewCard | None = None) -> None:
        """Lay out ``card`` (default: the next one due), question side up."""
        self.card = card or self.services.review.next_card(self.deck)
        self.revealed = False
        self.refresh_bindings()
        self.shown_at = time.monotonic()
        holder = self.query_one("#card", Vertical)
        await holder.remove_children()
        if self.card is None:
            self.query_one("#status", Static).update("")
            await holder.mount(Static("All done for today. 今天的复习完成了。\n\nPress Esc for the decks.", id="done"))
            return
        item = self.card.item
        self.query_one("#status", Static).update(f"{item.deck}  ·  {item.kind}  ·  {item.id}")
        if item.kind in DRILL_KINDS:
            await holder.mount(Static("Drill in progress · 练习中", id="done"))
            self.app.push_screen(DrillScreen(self.services, self.card, self.language), self._drill_rated)
            return
        widgets = [CardView(item.prompt, item.answer, self.language)]
        if item.kind == "typed":
            widgets.append(Input(placeholder="Type your answer, Enter to check · 输入答案，回车检查", id="typed"))
        widgets.append(RatingBar(self.card.intervals, id="ratings"))
        await holder.mount_all(widgets)
        if item.kind == "typed":
            self.query_one("#typed", Input).focus()

    @reports_errors
    async def _drill_rated(self, rating: int | None) -> None:
        """Back from a drill: rate it and go on, or (None) leave the review as Esc does."""
        if rating is None:
            self.post_message(ShowDecks())
            return
        self.revealed = True
        await self.action_rate(rating)

    def set_language(self, language: str) -> None:
        self.language = language
        for view in self.query(CardView):
            view.language = language

    def action_reveal(self) -> None:
        if self.card is None or self.revealed:
            return
        self.revealed = True
        self.query_one(CardView).revealed = True
        self.query_one(RatingBar).add_class("-revealed")
        self.refresh_bindings()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        assert self.card is not None
        correct = answer_matches(event.value, self.card.item.accepted)
        event.input.disabled = True
        event.input.add_class("-correct" if correct else "-wrong")
        event.input.border_title = "✓ correct · 正确" if correct else "✗ not quite · 不对"
        self.action_reveal()
        self.query_one(RatingBar).propose(3 if correct else 1)

    @reports_errors
    async def on_rating_bar_rated(self, event: RatingBar.Rated) -> None:
        await self.action_rate(event.rating)

    async def action_rate(self, rating: int) -> None:
        if self.card is None or not self.revealed:
            return
        elapsed_ms = int((time.monotonic() - self.shown_at) * 1000)
        self.services.review.answer(self.card.card_id, rating, elapsed_ms)
        await self.show_next()

    async def action_undo(self) -> None:
        card_id = self.services.review.undo()
        if card_id is None:
            self.notify("Nothing to undo", severity="warning")
            return
        self.notify("Last answer undone")
        await self.show_next(self.services.review.card(card_id))

    async def action_suspend(self) -> None:
        if self.card is not None:
            self.services.review.suspend(self.card.card_id)
            self.notify(f"Suspended {self.card.item.id}")
            await self.show_next()

    async def action_bury(self) -> None:
        if self.card is not None:
            self.services.review.bury(self.card.card_id)
            self.notify(f"Buried {self.card.item.id} until tomorrow")
            await self.show_next()
