"""The drill screen: write code (or predict a value), run it, submit, read feedback, rate.

Dismissed with the chosen rating, one of the review's actions for the review screen to take
(undo, bury, suspend, skip), "edited" once its item was edited (`e`: the review shows it again
as saved), or None when the learner leaves (the draft stays).

The answer box takes the focus only by `enter`, never by itself: keys from the card before
(a rating, a letter) do nothing here; `esc` in it gives the keys back to the screen.

The draft is saved as the learner types, by a worker, never on the UI thread: a busy database
delays the save (the status line says so), not the editor (see ``drafts``). Grading and hints
wait for the database ``patiently``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace
from typing import ClassVar, Literal, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Static, TextArea

from quizzer.dialogs.error import reports_errors
from quizzer.errors import QuizzerError
from quizzer.kinds.registry import KINDS, answer_view
from quizzer.scheduling.queue import DeckCounts
from quizzer.screens.drafts import Drafts
from quizzer.screens.item_keys import SKIP, ItemKeys
from quizzer.screens.patience import patiently
from quizzer.services.container import Services
from quizzer.services.drills import DrillState
from quizzer.services.feedback import HEADINGS, format_result, format_run
from quizzer.services.review import ReviewCard
from quizzer.vocabulary import Rating, Showing, said
from quizzer.widgets.card_view import PAGE_BINDINGS, in_language
from quizzer.widgets.deck_markdown import DeckMarkdown
from quizzer.widgets.keys_footer import KeysFooter
from quizzer.widgets.queue_counts import QueueCounts, counts_text
from quizzer.widgets.rating_bar import RATING_BINDINGS, RatingBar
from quizzer.widgets.title_bar import TitleBar

T = TypeVar("T")

DrillOutcome = Rating | Literal["undo", "bury", "suspend", "skip", "edited"] | None
"""How a drill ends: rated, one of the review's actions, edited, or left."""


class DrillScreen(ItemKeys[DrillOutcome]):
    """One drill card: the widget its kind takes the answer with (an editor, a snippet and an
    answer box), then the rating."""

    DEFAULT_CSS = """
    DrillScreen #bar {
        height: 1;
    }
    DrillScreen #status {
        width: 1fr;
        padding: 0 1;
        color: $text-muted;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    DrillScreen #drill {
        height: 1fr;
        padding: 0 1;
    }
    DrillScreen #prompt {
        margin-bottom: 1;
    }
    DrillScreen #hints {
        color: $warning;
    }
    DrillScreen #feedback, DrillScreen #solution {
        margin-top: 1;
    }
    DrillScreen #verdict {
        display: none;
        padding: 0 1;
        text-style: bold;
    }
    DrillScreen #verdict.-shown {
        display: block;
    }
    DrillScreen #verdict.-pass {
        color: $success;
    }
    DrillScreen #verdict.-fail {
        color: $error;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "write", "Answer"),
        Binding("ctrl+r", "run", "Run examples"),
        Binding("ctrl+s", "submit", "Submit"),
        Binding("ctrl+t", "hint", "Hint"),
        Binding("ctrl+g", "give_up", "Give up"),
        *RATING_BINDINGS,
        Binding("u", "review('undo')", "Undo"),
        Binding("s", "review('suspend')", "Suspend"),
        Binding("b", "review('bury')", "Bury"),
        Binding("k", "review('skip')", "Skip", tooltip=SKIP),
        *PAGE_BINDINGS,
        Binding("i", "info", "Info"),
        Binding("e", "edit", "Edit"),
        Binding("escape", "leave", "Decks", priority=True),  # before the editor takes Esc to unfocus
    ]
    card: ReviewCard
    AUTO_FOCUS = "#drill"
    """The drill's scroll area, not the answer box: letters are the screen's, PageUp scrolls."""

    def __init__(self, services: Services, card: ReviewCard, language: Showing, drill: DrillState, counts: DeckCounts | None) -> None:
        """``counts``: what is left today in the review, this drill included (None: not shown)."""
        super().__init__()
        self.services, self.card, self.language, self.drill, self.counts = services, card, language, drill, counts
        grading, view = KINDS[drill.kind].grading, answer_view(drill.kind)
        assert grading is not None and view is not None, f"{drill.kind} is a drill kind with an answer widget"
        self.runnable = grading.runnable
        self.answer = view.answer(drill.view, drill.code)
        self.done = False
        self.status = ""
        self.drafts = Drafts(drill.code, lambda code: services.drills.save_draft(card.card_id, code))

    def compose(self) -> ComposeResult:
        view, item = self.drill.view, self.card.item
        yield TitleBar()
        instance = ", ".join(f"{k}={v}" for k, v in view["params"].items())
        self.status = f"{item.deck}  ·  {item.kind}  ·  {item.id}" + (f"  ·  {instance}" if instance else "")
        with Horizontal(id="bar"):
            yield Static(self.status, id="status")
            yield QueueCounts("" if self.counts is None else counts_text(self.counts, self.card.state))
        with VerticalScroll(id="drill"):
            yield DeckMarkdown(in_language(view["prompt"], self.language), id="prompt")
            yield self.answer
            yield DeckMarkdown(id="hints")
            yield Static(markup=False, id="feedback")
            yield DeckMarkdown(id="solution")
        yield Static(markup=False, id="verdict")  # below the scrolling part: a verdict stays in view
        yield RatingBar(self.card.intervals, id="ratings")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.sub_title = "drill · 练习"
        self._show_hints()
        self.item_shown()
        self.call_after_refresh(self._highlight)

    def _highlight(self) -> None:
        """Python highlighting, one frame after the code is shown: tree-sitter's parse and
        highlight query take longer (~0.05 s) than the rest of the drill's first paint."""
        for area in self.query(TextArea):
            area.language = "python"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("run", "submit", "hint", "give_up", "write"):
            return not self.done and (action != "run" or self.runnable)
        if action == "review" and parameters == ("undo",):
            return self.services.review.can_undo()
        return self.done if action == "rate" else True

    def _submission(self) -> str:
        return str(self.answer.submission)

    @reports_errors
    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if not event.text_area.read_only:
            self._save_draft()

    @reports_errors
    def on_input_changed(self, _event: Input.Changed) -> None:
        self._save_draft()

    def _save_draft(self) -> None:
        if not self.done:
            self._draft_changed(self._submission())

    def _draft_changed(self, code: str) -> None:
        if self.drafts.changed(code):
            self.run_worker(self._save_drafts(), group="draft")

    @reports_errors
    async def _save_drafts(self) -> None:
        await self.drafts.save_until_stored(self._say)

    async def _patiently(self, action: Callable[[], T]) -> T:
        return await patiently(self.app, self.services.config.db_patience, action, self._say)

    def _say(self, waiting: str | None) -> None:
        self.query_one("#status", Static).update(waiting or self.status)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def action_run(self) -> None:
        self._feedback(self._say_in_language("running"))
        self.run_worker(self._run(self._submission()), exclusive=True, group="grader")

    @reports_errors
    async def _run(self, code: str) -> None:
        try:
            run = await self._patiently(lambda: self.services.drills.run(self.card.card_id, code))
        except QuizzerError as exc:
            self._feedback(exc.message)
            return
        self._feedback(format_run(run, self.language))

    def action_submit(self) -> None:
        self._feedback(self._say_in_language("grading"))
        self.run_worker(self._grade(self._submission()), exclusive=True, group="grader")

    @reports_errors
    async def _grade(self, submission: str) -> None:
        try:
            result = await self._patiently(lambda: self.services.drills.grade(self.card.card_id, submission))
        except QuizzerError as exc:  # refused, the grader or the database unavailable: not a failed try
            self._feedback(exc.message)
            return
        self._feedback(format_result(result, self.language), passed=result.passed)
        if result.passed:
            await self._finish(gave_up=False)

    async def action_hint(self) -> None:
        try:
            shown = await self._patiently(lambda: self.services.drills.show_hint(self.card.card_id))
        except QuizzerError as exc:
            self.notify(f"No hint: {exc.message}", severity="error", markup=False)
            return
        if shown == self.drill.hints_shown:
            self.notify("No more hints · 没有更多提示了", severity="warning")
        self.drill = replace(self.drill, hints_shown=shown)
        self._show_hints()

    async def action_give_up(self) -> None:
        self._feedback(self._say_in_language("gave up"))
        await self._finish(gave_up=True)

    def action_rate(self, key: int) -> None:
        """Keys 1–4."""
        self.dismiss(Rating(key))

    def on_rating_bar_rated(self, event: RatingBar.Rated) -> None:
        self.dismiss(event.rating)

    def action_write(self) -> None:
        """Into the answer box (the only way in: a key meant for the card before never lands there),
        scrolled back into view: feedback scrolled to after a failed try can hide it on a small terminal."""
        self.answer.focus_answer()
        self.call_after_refresh(self._focused_into_view)

    def _focused_into_view(self) -> None:
        if self.focused is not None:
            self.focused.scroll_visible(animate=False)

    async def action_review(self, action: Literal["undo", "bury", "suspend", "skip", "edited"]) -> None:
        """Undo, bury, suspend or skip, as on any card: the review screen takes them (and shows an edited drill again)."""
        await self._store_draft()
        self.dismiss(action)

    def edited(self, card: ReviewCard) -> None:
        self.run_worker(self.action_review("edited"))

    async def action_leave(self) -> None:
        """Esc: out of the answer box first; then leave, storing the newest text first."""
        if not self.leave_text_box(self.query_one("#drill")):
            await self._store_draft()
            self.dismiss(None)

    async def _store_draft(self) -> None:
        """The newest text, stored now (one try: leaving must not wait)."""
        try:
            await asyncio.to_thread(self.drafts.store, *self.drafts.newest)
        except QuizzerError as exc:
            self.notify(f"The last changes to your code are not saved: {exc.message}", severity="error", markup=False)

    def _say_in_language(self, heading: str) -> str:
        return said(HEADINGS[heading], self.language)

    def _show_hints(self) -> None:
        hints = self.drill.view.get("hints", [])[: self.drill.hints_shown]
        label = self._say_in_language("hint")
        self.query_one("#hints", DeckMarkdown).update(
            "\n".join(f"**{label} {n}**: {in_language(hint, self.language)}" for n, hint in enumerate(hints, 1))
        )

    def _feedback(self, text: str, *, passed: bool | None = None) -> None:
        """The first line of ``text`` (a verdict, or what is going on) under the scrolling
        part, where it stays in view; the rest in the feedback, scrolled to."""
        head, _, rest = text.partition("\n")
        verdict = self.query_one("#verdict", Static)
        verdict.update(head)
        verdict.add_class("-shown")
        verdict.set_class(passed is True, "-pass")
        verdict.set_class(passed is False, "-fail")
        feedback = self.query_one("#feedback", Static)
        feedback.update(rest)
        if rest:
            self.call_after_refresh(feedback.scroll_visible)

    def action_page(self, pages: int) -> None:
        """PageUp/PageDown scroll the drill whatever has the focus, the editor aside (it pages its code)."""
        scroll = self.query_one("#drill", VerticalScroll)
        scroll.scroll_page_down() if pages > 0 else scroll.scroll_page_up()

    async def _finish(self, *, gave_up: bool) -> None:
        """Show the explanation (and reference), then let the learner rate."""
        try:
            reference = (await self._patiently(lambda: self.services.drills.solution(self.card.card_id)))["reference"]
            drills, card_id = self.services.drills, self.card.card_id
            proposed = await self._patiently(lambda: drills.give_up(card_id) if gave_up else drills.proposed_rating(card_id))
        except QuizzerError as exc:
            self.notify(f"Cannot show the solution: {exc.message}", severity="error", markup=False)
            return
        self.done = True
        self.answer.lock_answer()
        parts = []
        if reference:
            parts.append(f"**{self._say_in_language('reference')}**\n```python\n{reference.strip()}\n```")
        if "explanation" in self.drill.view:  # optional in drills from Markdown notes
            parts.append(in_language(self.drill.view["explanation"], self.language))
        solution = self.query_one("#solution", DeckMarkdown)
        await solution.update("\n\n".join(parts))
        self.call_after_refresh(solution.scroll_visible)
        bar = self.query_one(RatingBar)
        bar.add_class("-revealed")
        bar.propose(proposed)
        self.refresh_bindings()
