"""The drill screen: write code (or predict a value), run it, submit, read feedback, rate.

Dismissed with the chosen rating, or None when the learner leaves (the draft stays).
"""

from __future__ import annotations

import asyncio
from dataclasses import replace

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static, TextArea

from quizzer.dialogs.error import reports_errors
from quizzer.errors import QuizzerError
from quizzer.services.container import Services
from quizzer.services.feedback import format_result, format_run
from quizzer.services.review import ReviewCard
from quizzer.widgets.card_view import in_language
from quizzer.widgets.rating_bar import RATING_BINDINGS, RatingBar


class DrillScreen(Screen[int | None]):
    """One drill card: the editor (write) or the answer box (predict), then the rating."""

    BINDINGS = [
        Binding("ctrl+r", "run", "Run examples"),
        Binding("ctrl+s", "submit", "Submit"),
        Binding("ctrl+t", "hint", "Hint"),
        Binding("ctrl+g", "give_up", "Give up"),
        *RATING_BINDINGS,
        Binding("escape", "leave", "Decks", priority=True),  # before the editor takes Esc to unfocus
    ]

    def __init__(self, services: Services, card: ReviewCard, language: str) -> None:
        super().__init__()
        self.services, self.card, self.language = services, card, language
        self.drill = services.drills.open(card.card_id)
        self.done = False

    def compose(self) -> ComposeResult:
        view, item = self.drill.view, self.card.item
        yield Header()
        instance = ", ".join(f"{k}={v}" for k, v in view["params"].items())
        yield Static(f"{item.deck}  ·  {item.kind}  ·  {item.id}" + (f"  ·  {instance}" if instance else ""), id="status")
        with VerticalScroll(id="drill"):
            yield Static(in_language(view["prompt"], self.language), markup=False, id="prompt")
            if self.drill.kind == "write":
                yield TextArea.code_editor(self.drill.code, language="python", id="editor")
            else:
                yield TextArea(view["snippet"], language="python", read_only=True, id="snippet")
                yield Input(self.drill.code, placeholder="Your answer, Enter to submit · 输入答案，回车提交", id="answer")
            yield Static(markup=False, id="hints")
            yield Static(markup=False, id="feedback")
            yield Static(markup=False, id="solution")
        yield RatingBar(self.card.intervals, id="ratings")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "drill · 练习"
        self._show_hints()
        self.query_one("#editor" if self.drill.kind == "write" else "#answer").focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("run", "submit", "hint", "give_up"):
            return not self.done and (action != "run" or self.drill.kind == "write")
        return self.done if action == "rate" else True

    def _submission(self) -> str:
        if self.drill.kind == "write":
            return self.query_one("#editor", TextArea).text
        return self.query_one("#answer", Input).value

    @reports_errors
    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if event.text_area.id == "editor" and not self.done:
            self.services.drills.save_draft(self.card.card_id, event.text_area.text)

    @reports_errors
    def on_input_changed(self, event: Input.Changed) -> None:
        if not self.done:
            self.services.drills.save_draft(self.card.card_id, event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def action_run(self) -> None:
        self._feedback("running on the examples… · 运行示例中…")
        self.run_worker(self._run(self._submission()), exclusive=True, group="grader")

    @reports_errors
    async def _run(self, code: str) -> None:
        try:
            run = await asyncio.to_thread(self.services.drills.run, self.card.card_id, code)
        except QuizzerError as exc:
            self._feedback(exc.message)
            return
        self._feedback(format_run(run))

    def action_submit(self) -> None:
        self._feedback("grading… · 评分中…")
        self.run_worker(self._grade(self._submission()), exclusive=True, group="grader")

    @reports_errors
    async def _grade(self, submission: str) -> None:
        try:
            result = await asyncio.to_thread(self.services.drills.grade, self.card.card_id, submission)
        except QuizzerError as exc:  # refused or the grader is unavailable: not a failed try
            self._feedback(exc.message)
            return
        self._feedback(format_result(result))
        if result.passed:
            self._finish(gave_up=False)

    def action_hint(self) -> None:
        shown = self.services.drills.show_hint(self.card.card_id)
        if shown == self.drill.hints_shown:
            self.notify("No more hints · 没有更多提示了", severity="warning")
        self.drill = replace(self.drill, hints_shown=shown)
        self._show_hints()

    def action_give_up(self) -> None:
        self._feedback("Gave up: the solution is below. · 已放弃：答案见下方。")
        self._finish(gave_up=True)

    def action_rate(self, rating: int) -> None:
        self.dismiss(rating)

    def on_rating_bar_rated(self, event: RatingBar.Rated) -> None:
        self.dismiss(event.rating)

    def action_leave(self) -> None:
        self.dismiss(None)

    def _show_hints(self) -> None:
        hints = self.drill.view.get("hints", [])[: self.drill.hints_shown]
        text = "\n".join(f"hint {n} · 提示 {n}: {in_language(hint, self.language)}" for n, hint in enumerate(hints, 1))
        self.query_one("#hints", Static).update(text)

    def _feedback(self, text: str) -> None:
        feedback = self.query_one("#feedback", Static)
        feedback.update(text)
        self.call_after_refresh(feedback.scroll_visible)

    def _finish(self, *, gave_up: bool) -> None:
        """Show the explanation (and reference), then let the learner rate."""
        self.done = True
        for editor in self.query(TextArea):
            editor.read_only = True
        for box in self.query(Input):
            box.disabled = True
        parts = []
        if reference := self.services.drills.solution(self.card.card_id)["reference"]:
            parts.append("reference · 参考答案:\n" + reference.strip())
        parts.append(in_language(self.drill.view["explanation"], self.language))
        solution = self.query_one("#solution", Static)
        solution.update("\n\n".join(parts))
        self.call_after_refresh(solution.scroll_visible)
        bar = self.query_one(RatingBar)
        bar.add_class("-revealed")
        bar.propose(self.services.drills.proposed_rating(self.card.card_id, gave_up=gave_up))
        self.refresh_bindings()
