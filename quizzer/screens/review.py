"""The review screen: one card at a time, reveal, rate, undo, suspend, bury, skip.

Every database call goes through ``patiently``: a busy or unreachable database makes the
status line say it waits, and if it stays so, the screen says what was not saved and keeps the
card (and the answer's time) to be answered again. An answer refused because another window
answered the card first shows the card's new state and says so.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, TypeVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Static

from quizzer.dialogs.error import reports_errors
from quizzer.errors import CardChanged, QuizzerError, StorageError
from quizzer.kinds.base import FollowsLanguage, Outcome
from quizzer.kinds.registry import KINDS, answer_view
from quizzer.scheduling.custom import CustomStudy
from quizzer.scheduling.queue import DeckCounts
from quizzer.screens.item_keys import SKIP, ItemKeys
from quizzer.screens.messages import ShowDecks
from quizzer.screens.patience import patiently
from quizzer.services.container import Services
from quizzer.services.review import ReviewCard
from quizzer.vocabulary import Rating, Showing, said
from quizzer.widgets.card_view import PAGE_BINDINGS, CardView
from quizzer.widgets.keys_footer import KeysFooter
from quizzer.widgets.queue_counts import QueueCounts
from quizzer.widgets.rating_bar import RATING_BINDINGS, RatingBar
from quizzer.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from quizzer.screens.drill import DrillOutcome

T = TypeVar("T")


class ReviewScreen(ItemKeys[None]):
    """Reviews ``deck`` (None: every deck) until nothing is due today."""

    DEFAULT_CSS = """
    ReviewScreen #bar {
        height: 1;
    }
    ReviewScreen #status {
        width: 1fr;
        padding: 0 1;
        color: $text-muted;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    ReviewScreen #card {
        height: 1fr;
        padding: 0 1;
    }
    ReviewScreen #done {
        padding: 2 4;
        text-align: center;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "reveal", "Show answer"),
        *RATING_BINDINGS,
        *PAGE_BINDINGS,
        Binding("u", "undo", "Undo"),
        Binding("s", "suspend", "Suspend"),
        Binding("b", "bury", "Bury"),
        Binding("k", "skip", "Skip", tooltip=SKIP),
        Binding("enter", "type_answer", "Type the answer"),
        Binding("i", "info", "Info"),
        Binding("e", "edit", "Edit"),
        Binding("escape", "leave", "Decks"),
        Binding("ctrl+r", "retry", "Try again"),
    ]

    def __init__(self, services: Services, deck: str | None, language: Showing, custom: CustomStudy | None = None) -> None:
        super().__init__()
        self.services, self.deck, self.language = services, deck, language
        self.custom = custom
        """A custom study session to take the cards from, instead of the deck's daily queue."""
        self.card: ReviewCard | None = None
        self.answer: Widget | None = None
        """The answer widget of the card shown, when its kind takes an answer (a typed card's box)."""
        self.revealed = False
        self.shown_at = 0.0
        self.unsaved_ms: int | None = None
        """How long the shown card took, kept when its answer could not be saved."""
        self.unavailable = False
        """The next card could not be read: ``ctrl+r`` tries again."""
        self.status = ""

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="bar"):
            yield Static(id="status")
            yield QueueCounts()
        yield Vertical(id="card")
        yield KeysFooter()

    @reports_errors
    async def on_mount(self) -> None:
        self.sub_title = self.deck or "all decks"
        if self.custom is not None:
            self.sub_title += f" · custom study: {self.custom.title}"
        await self.show_next()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys that need a card (or an unrevealed one) leave the footer when they do nothing."""
        if action in ("suspend", "bury", "skip", "info", "edit"):
            return self.card is not None
        if action == "reveal":
            return self.card is not None and not self.revealed
        if action == "rate":
            return self.card is not None and self.revealed
        if action == "type_answer":  # back into the box after esc took the keys from it
            return self.answer is not None and not self.revealed and not self.answer.has_focus_within
        if action == "retry":
            return self.unavailable
        return True

    async def _patiently(self, action: Callable[[], T]) -> T:
        return await patiently(self.app, self.services.config.db_patience, action, self._say)

    def _say(self, waiting: str | None) -> None:
        self.query_one("#status", Static).update(waiting or self.status)

    def _show_status(self, text: str) -> None:
        self.status = text
        self._say(None)

    async def action_retry(self) -> None:
        await self.show_next()

    async def show_next(self, card: ReviewCard | None = None) -> None:
        """Lay out ``card`` (default: the next one due), question side up; keys pressed until
        it shows are dropped."""
        self.item_loading()
        try:
            await self._show(card)
        finally:
            self.item_shown()

    async def _show(self, card: ReviewCard | None) -> None:
        holder = self.query_one("#card", Vertical)
        try:
            self.card = card or await self._patiently(lambda: self.services.review.next_card(self.deck, self.custom))
            self.unavailable = False
        except QuizzerError as exc:
            self.card, self.unavailable = None, True
            self.refresh_bindings()
            await holder.remove_children()
            unreadable = f"The database cannot be read: {exc.message}\n\nctrl+r tries again, Esc for the decks."
            await holder.mount(Static(unreadable, id="done", markup=False))
            return
        self.revealed, self.answer = False, None
        self.unsaved_ms = None
        self.refresh_bindings()
        self.shown_at = time.monotonic()
        await holder.remove_children()
        if self.card is None:
            self._show_status("")
            self._count()
            done = "Custom study done. 自定义学习完成了。" if self.custom else "All done for today. 今天的复习完成了。"
            await holder.mount(Static(f"{done}\n\nPress Esc for the decks.", id="done"))
            return
        item = self.card.item
        self._show_status(f"{item.deck}  ·  {item.kind}  ·  {item.id}")
        if KINDS[item.kind].is_drill:
            from quizzer.screens.drill import DrillScreen  # the editor and feedback load with the first drill

            await holder.mount(Static("Drill in progress · 练习中", id="done"))
            card_id = self.card.card_id
            try:
                drill, counts = await self._patiently(lambda: (self.services.drills.open(card_id), self._counts_now()))
            except QuizzerError as exc:
                self.unavailable = True
                self.refresh_bindings()
                self.notify(f"The drill cannot be opened: {exc.message}", severity="error", markup=False)
                return
            self.app.push_screen(DrillScreen(self.services, self.card, self.language, drill, counts), self._drill_done)
            return
        widgets: list[Widget] = [CardView(item.face, self.language, in_place=KINDS[item.kind].answer_in_place)]
        if (view := answer_view(item.kind)) is not None:
            self.answer = view.answer(item.face, self.language, self._answered)
            widgets.append(self.answer)
        await holder.mount_all([*widgets, RatingBar(self.card.intervals, id="ratings")])
        self._count()
        if self.answer is not None:
            self.answer.focus()

    def _counts_now(self) -> DeckCounts | None:
        """What is left today in the deck; None in a custom study session, whose cards are
        not the day's queue (its counts would mislead)."""
        return None if self.custom is not None else self.services.review.counts(self.deck)

    @work(exclusive=True, group="counts")
    async def _count(self) -> None:
        """What is left today, with the card shown: computed beside it, never before it."""
        card = self.card
        try:
            counts = await self._patiently(self._counts_now)
        except QuizzerError:
            return  # the card matters, not its counts: they stay as they were
        if counts is not None:
            self.query_one(QueueCounts).show(counts, None if card is None else card.state)

    @reports_errors
    async def _drill_done(self, outcome: DrillOutcome) -> None:
        """Back from a drill: rate it and go on, take one of the review's actions (undo, bury,
        suspend, skip), show it again after an edit, or (None) leave the review as Esc does."""
        drill = self.card
        if outcome is None:
            self.post_message(ShowDecks())
        elif isinstance(outcome, Rating):
            self.revealed = True
            await self._rate(outcome)
        elif outcome == "edited":  # its item was edited (``e`` on the drill): the drill as saved
            assert drill is not None
            await self.reshow(drill.card_id)
        else:
            await self.run_action(outcome)
            if self.card is drill:  # the action could not be taken: the drill again
                await self.show_next(drill)

    def action_leave(self) -> None:
        """Esc: out of the text box first (the letter keys work again), then back to the decks."""
        if not self.leave_text_box():
            self.post_message(ShowDecks())

    def action_type_answer(self) -> None:
        if self.answer is not None:
            self.answer.focus()

    def set_language(self, language: Showing) -> None:
        self.language = language
        for view in self.query(CardView):
            view.language = language
        if isinstance(self.answer, FollowsLanguage):
            self.answer.language = language

    def action_page(self, pages: int) -> None:
        """PageUp/PageDown scroll the card whatever has the focus (a long answer, the rating bar focused)."""
        for view in self.query(CardView):
            view.scroll_page_down() if pages > 0 else view.scroll_page_up()

    def action_reveal(self) -> None:
        if self.card is None or self.revealed:
            return
        self.revealed = True
        if self.answer is not None:  # revealed without answering, or answered: the keys now rate
            self.answer.disabled = True
        self.query_one(CardView).revealed = True
        self.query_one(RatingBar).add_class("-revealed")
        self.refresh_bindings()

    def _answered(self, outcome: Outcome) -> None:
        """The answer widget checked the answer: show the card's answer and propose the
        rating its kind gives that outcome (the learner may pick another)."""
        assert self.card is not None
        self.action_reveal()
        self.query_one(RatingBar).propose(KINDS[self.card.item.kind].propose(outcome))

    @reports_errors
    async def on_rating_bar_rated(self, event: RatingBar.Rated) -> None:
        await self._rate(event.rating)

    async def action_rate(self, key: int) -> None:
        """Keys 1–4."""
        await self._rate(Rating(key))

    async def _rate(self, rating: Rating) -> None:
        if self.card is None or not self.revealed:
            return
        card = self.card
        elapsed_ms = self.unsaved_ms if self.unsaved_ms is not None else int((time.monotonic() - self.shown_at) * 1000)
        try:
            await self._patiently(lambda: self.services.review.answer(card.card_id, rating, elapsed_ms, version=card.version))
        except CardChanged:
            self.notify(f"{card.item.id} was answered in another window; this answer is not stored. Its new state is shown. · 已在别处作答",
                        severity="warning", timeout=10)
            await self.show_next()
            return
        except QuizzerError as exc:  # shown by the app's guard, in a dialog: the card stays, revealed
            self.unsaved_ms = elapsed_ms
            message = (f"Your answer ({rating.name}) is not saved: {exc.message}. It is kept: press {rating.value} to try again."
                       " · 答案未保存")
            raise StorageError(message, title="Not saved") from exc
        await self.show_next()

    async def _change(self, action: Callable[[], object], what: str) -> None:
        """A change other than an answer; the app's guard shows why if it could not be saved."""
        try:
            await self._patiently(action)
        except QuizzerError as exc:
            raise StorageError(f"Not {what}: {exc.message}", title="Not saved") from exc

    async def action_undo(self) -> None:
        """Take back the newest action of this window; the card it was taken on shows again."""
        try:
            step = await self._patiently(self.services.review.undo)
            shown = None if step is None else step.shown
            card = None if shown is None else await self._patiently(lambda: self.services.review.card(shown))
        except QuizzerError as exc:
            raise StorageError(f"Not undone: {exc.message}", title="Not saved") from exc
        if step is None:
            self.notify(said(("Nothing to undo", "没有可撤销的操作"), self.language), severity="warning")
            return
        what = step.summary if shown is None else step.named
        self.notify(said((f"Undone: {what('en')}", f"已撤销：{what('zh')}"), self.language))
        await self.show_next(card)

    async def action_skip(self) -> None:
        """Later in this session: the card comes back once nothing else is left."""
        if (card := self.card) is not None:
            self.services.review.skip(card.card_id)
            words = (f"Skipped {card.item.id}: it comes back later (u: undo)", f"已跳过 {card.item.id}：稍后再出现（u：撤销）")
            self.notify(said(words, self.language))
            await self.show_next()

    async def action_suspend(self) -> None:
        if (card := self.card) is not None:
            await self._change(lambda: self.services.review.suspend(card.card_id), "suspended")
            self.notify(said((f"Suspended {card.item.id}", f"已暂停 {card.item.id}"), self.language))
            await self.show_next()

    def edited(self, card: ReviewCard) -> None:
        self.run_worker(self.reshow(card.card_id))

    async def reshow(self, card_id: int) -> None:
        await self.show_next(self.services.review.card(card_id))

    async def action_bury(self) -> None:
        if (card := self.card) is not None:
            await self._change(lambda: self.services.review.bury(card.card_id), "buried")
            self.notify(said((f"Buried {card.item.id} until tomorrow", f"已搁置 {card.item.id} 到明天"), self.language))
            await self.show_next()
