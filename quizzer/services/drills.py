"""Working on a drill: its instance, the draft, running, grading, hints, giving up.

The grader is reached through ``GradingClient`` (torch-free); it decides verdicts in its
own process. Every attempt is stored with its checks; the draft is saved as the learner
types and goes when the card is rated (see ``ReviewService.answer``).
"""

from __future__ import annotations

import contextlib
import functools
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from quizzer.corpus.format import ItemSpec
from quizzer.errors import GradingError, NotFoundError, QuizzerError
from quizzer.grading import instance
from quizzer.grading.protocol import GradeResult, RunResult
from quizzer.kinds.base import Outcome
from quizzer.kinds.drill import instance_view
from quizzer.kinds.registry import DRILL_KINDS, KINDS, drill_grading
from quizzer.storage.models import Card, DrillAttempt, DrillDraft, Item
from quizzer.vocabulary import Rating

if TYPE_CHECKING:
    from quizzer.grading.client import GradingClient


GAVE_UP = "gave-up"
"""The cause of the attempt that records giving up."""
NOT_TRIES = ("unreadable-answer", GAVE_UP)
"""Attempts that are no try at the drill: an unreadable answer is a slip, giving up no answer."""


def a_try() -> ColumnElement[bool]:
    """A stored attempt that was a real try at the drill (see ``NOT_TRIES``)."""
    return or_(DrillAttempt.cause.is_(None), DrillAttempt.cause.not_in(NOT_TRIES))


def drill_of(item: Item) -> dict[str, Any]:
    """The drill as the grader takes it: the stored body plus its kind and id."""
    return {**item.body, "kind": item.kind, "id": item.id}


@dataclass(frozen=True)
class DrillState:
    """One open drill: what the learner sees of this instance and how far they got."""

    card_id: int
    item_id: str
    kind: str
    view: dict[str, Any]
    """``instance_view``: prompt, starter or snippet, hints, explanation (never the reference)."""
    code: str
    hints_shown: int
    failed_attempts: int
    passed: bool


class DrillService:
    """Drafts and attempts in the database; grading through one shared client."""

    def __init__(self, sessions: sessionmaker[Session], clock: Callable[[], datetime], day_start: Callable[[], datetime]) -> None:
        """``day_start``: when the current study day began (the review's day, at the same clock)."""
        self.sessions = sessions
        self.clock = clock
        self.day_start = day_start
        self._client: GradingClient | None = None

    @property
    def client(self) -> GradingClient:
        if self._client is None:
            from quizzer.grading.client import GradingClient  # after the first card: see QuizzerApp.on_mount

            self._client = GradingClient()
        return self._client

    def has_drills(self) -> bool:
        with self.sessions() as session:
            return session.scalar(select(Item.id).where(Item.kind.in_(DRILL_KINDS), Item.retired_at.is_(None)).limit(1)) is not None

    def start_grader(self) -> None:
        """Start the grading service in the background (it takes ~2 s to import torch)."""
        self.client.start()

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

    def open(self, card_id: int) -> DrillState:
        """The drill of ``card_id`` as last left: its draft, or a fresh instance."""
        now = self.clock()
        with self.sessions.begin() as session:
            card, draft = self._card(session, card_id), session.get(DrillDraft, card_id)
            if draft is None:
                seed = random.randrange(2**31)
                start = instance_view(card.item.body, seed).get("starter", "")
                draft = DrillDraft(card_id=card_id, seed=seed, code=start, hints_shown=0, started_at=now, updated_at=now)
                session.add(draft)
            return self._state(session, card, draft)

    def save_draft(self, card_id: int, code: str) -> None:
        """Store the editor's text (on every keystroke: one row, nothing else)."""
        with self.sessions.begin() as session:
            draft = self._draft(session, card_id)
            draft.code, draft.updated_at = code, self.clock()

    def _submit(self, card_id: int, code: str) -> tuple[dict[str, Any], int]:
        """Store what is about to be run; returns the drill and the instance's seed."""
        with self.sessions.begin() as session:
            draft = self._draft(session, card_id)
            draft.code, draft.updated_at = code, self.clock()
            return drill_of(self._card(session, card_id).item), draft.seed

    def show_hint(self, card_id: int) -> int:
        """Reveal one more hint; returns how many are shown now."""
        with self.sessions.begin() as session:
            card, draft = self._card(session, card_id), self._draft(session, card_id)
            draft.hints_shown = min(draft.hints_shown + 1, len(card.item.body.get("hints", [])))
            return draft.hints_shown

    def run(self, card_id: int, code: str) -> RunResult:
        """The learner's code on the drill's examples, shown as is (write drills)."""
        drill, seed = self._submit(card_id, code)
        return self.client.run(drill, code, seed=seed)

    def grade(self, card_id: int, submission: str) -> GradeResult:
        """Grade one attempt and store it with every check, in one commit."""
        drill, seed = self._submit(card_id, submission)
        result = self.client.grade(drill, submission, seed=seed)
        with self.sessions.begin() as session:
            session.add(DrillAttempt(
                card_id=card_id, attempted_at=self.clock(), seed=seed, submission=submission, passed=result.passed,
                cause=result.cause, hints_shown=self._draft(session, card_id).hints_shown, result=result.to_dict(),
            ))
        return result

    def grade_submissions(self, item_id: str, submissions: list[str], seed: int) -> Iterator[GradeResult | QuizzerError]:
        """Grade submissions for a drill by id, without storing anything (for scripts): the drill
        is read once; each result (or why that one could not be graded) as soon as it is ready."""
        with self.sessions() as session:
            item = session.get(Item, item_id)
            if item is None or item.kind not in DRILL_KINDS:
                raise NotFoundError(f"no drill with id {item_id!r} (see `quizzer list`)")
            drill = drill_of(item)
        for submission in submissions:
            try:
                yield self.client.grade(drill, submission, seed=seed)
            except QuizzerError as exc:  # refused (too large) or not gradable: the others still are
                yield exc

    def solution(self, card_id: int) -> dict[str, str]:
        """The reference (write drills) for this instance, shown after a pass or on giving up."""
        drill, seed = self._drill_and_seed(card_id)
        filled, _ = instance.resolve(drill, seed, None)
        return {"reference": filled.get("reference", "")}

    def give_up(self, card_id: int) -> Rating:
        """Record giving up (a failed try with cause ``gave-up``, so that a later pass the same
        day, after an undo too, is not taken for a first one); returns the rating proposed."""
        with self.sessions.begin() as session:
            draft = self._draft(session, card_id)
            session.add(DrillAttempt(
                card_id=card_id, attempted_at=self.clock(), seed=draft.seed, submission=draft.code, passed=False,
                cause=GAVE_UP, hints_shown=draft.hints_shown, result={},
            ))
        return self.proposed_rating(card_id)

    def proposed_rating(self, card_id: int) -> Rating:
        """The rating this drill's outcome suggests (the learner may pick another): this draft's
        pass, weighed against every try, hint and give-up of the study day."""
        with self.sessions() as session:
            card, draft = self._card(session, card_id), self._draft(session, card_id)
            state = self._state(session, card, draft)
            failed, hints, gave_up = session.execute(
                select(
                    func.count().filter(DrillAttempt.passed.is_(False), a_try()),
                    func.max(DrillAttempt.hints_shown),
                    func.count().filter(DrillAttempt.cause == GAVE_UP),
                ).where(DrillAttempt.card_id == card_id, DrillAttempt.attempted_at >= self.day_start())
            ).one()
            seconds = (self.clock() - draft.started_at).total_seconds()
        outcome = Outcome(state.passed, failed, max(hints or 0, state.hints_shown), seconds, gave_up_today=bool(gave_up))
        return KINDS[state.kind].propose(outcome)

    def _state(self, session: Session, card: Card, draft: DrillDraft) -> DrillState:
        attempts = session.execute(
            select(DrillAttempt.passed, func.count())
            .where(DrillAttempt.card_id == card.id, DrillAttempt.attempted_at >= draft.started_at)
            .where(a_try())
            .group_by(DrillAttempt.passed)
        ).all()
        counts = {passed: n for passed, n in attempts}
        return DrillState(
            card_id=card.id, item_id=card.item_id, kind=card.item.kind,
            view=instance_view(card.item.body, draft.seed), code=draft.code,
            hints_shown=draft.hints_shown, failed_attempts=counts.get(False, 0), passed=bool(counts.get(True)),
        )

    def _drill_and_seed(self, card_id: int) -> tuple[dict[str, Any], int]:
        with self.sessions() as session:
            return drill_of(self._card(session, card_id).item), self._draft(session, card_id).seed

    @staticmethod
    def _card(session: Session, card_id: int) -> Card:
        card = session.get(Card, card_id)
        if card is None or card.item.kind not in DRILL_KINDS:
            raise NotFoundError(f"no drill card with id {card_id}")
        return card

    @staticmethod
    def _draft(session: Session, card_id: int) -> DrillDraft:
        draft = session.get(DrillDraft, card_id)
        if draft is None:
            raise NotFoundError(f"drill card {card_id} is not open")
        return draft


PROOF_SEEDS = (0, 1)
"""Instances each drill is proved on (parametrised drills draw different values for each)."""


def prove_drills(specs: list[ItemSpec], client: GradingClient | None = None) -> list[str]:
    """Problems (``file:line: id: what``) with drills whose own code fails its kind's proof (a
    reference that fails its checks, a starter that passes them) or does not run; through
    ``client`` (the app's own), or a grading service started for the purpose."""
    from quizzer.grading.client import GradingClient

    problems: list[str] = []
    with contextlib.nullcontext(client) if client is not None else GradingClient() as client:
        for spec in specs:
            drill = {**spec.body, "kind": spec.kind, "id": spec.id}
            prove = drill_grading(spec.kind).prove
            where = f"{spec.file}:{spec.line}: {spec.id}"
            try:
                for seed in PROOF_SEEDS:
                    filled, _ = instance.resolve(drill, seed, None)
                    grade = functools.partial(client.grade, drill, seed=seed)
                    problems += [f"{where}: {problem}" for problem in prove(filled, seed, grade)]
            except GradingError as exc:
                problems.append(f"{where}: {exc.message}")
    return problems
