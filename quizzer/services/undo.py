"""One undo history per window: answers, buries, suspends, skips and the browser's actions
are all taken back by the same steps, newest first.

A step keeps each changed card's fields from before it and the card's version after it. It
is taken back only while every such card still has that version: a card changed since (in
another window, whose own steps live in its own history) is not put back over that change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from quizzer.errors import CardChanged
from quizzer.storage.models import Card, DrillDraft, ReviewLog
from quizzer.vocabulary import Showing, said

FIELDS = ("state", "step", "stability", "difficulty", "due", "last_review", "suspended", "buried_until", "flag")
"""What an action may change on a card, and so what its undo restores."""


@dataclass(frozen=True)
class Step:
    """One action: its name, each changed card's fields before it and version after it, the
    review log rows it wrote, and the card a review showed when it was taken (shown again on undo)."""

    name: str
    before: dict[int, dict[str, object]]
    versions: dict[int, int]
    log_ids: tuple[int, ...] = ()
    shown: int | None = None
    also: Callable[[], None] | None = field(default=None, compare=False)
    """What else to take back, outside the database (a skip: the card leaves the later pile)."""
    zh: str | None = None
    """The name in Chinese, for a learner who studies in it (the English name is also the CLI's)."""
    drafts: tuple[dict[str, object], ...] = ()
    """The drill drafts the answer deleted (their columns): put back on undo, so the drill comes
    back with the learner's code and instance, not the starter."""

    def named(self, showing: Showing = "en") -> str:
        """The name in the learner's language."""
        return said((self.name, self.zh or self.name), showing)

    def summary(self, showing: Showing = "en") -> str:
        cards = len(self.before)
        return said((f"{self.name}: {cards} card{'s' if cards != 1 else ''}", f"{self.zh or self.name}：{cards} 张卡片"), showing)


class Snapshot:
    """The fields of cards about to change, taken inside the transaction that changes them."""

    def __init__(self, cards: Iterable[Card]) -> None:
        self.cards = list(cards)
        self.fields = {card.id: {name: getattr(card, name) for name in FIELDS} for card in self.cards}

    def step(
        self, session: Session, name: str, *, zh: str | None = None, log_ids: Sequence[int] = (), shown: int | None = None,
        drafts: Sequence[DrillDraft] = (),
    ) -> Step:
        """The step the change made (call after changing the cards): only the cards it changed."""
        session.flush()  # the UPDATEs raise each changed card's version
        changed = [card for card in self.cards if any(getattr(card, f) != v for f, v in self.fields[card.id].items())]
        kept = tuple({column.key: getattr(draft, column.key) for column in DrillDraft.__table__.columns} for draft in drafts)
        return Step(name, {card.id: self.fields[card.id] for card in changed}, {card.id: card.version for card in changed},
                    tuple(log_ids), shown, zh=zh, drafts=kept)


class UndoHistory:
    """The steps this window took, newest last."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions
        self.steps: list[Step] = []

    def push(self, step: Step) -> Step:
        """Remember a committed step."""
        self.steps.append(step)
        return step

    def undo(self) -> Step | None:
        """Take back the newest step (None when there is none). ``CardChanged``, and the step
        is dropped, when one of its cards was changed since elsewhere: that change stays."""
        if not self.steps:
            return None
        step = self.steps.pop()
        try:
            with self.sessions.begin() as session:
                restored = self._restore(session, step)
        except StaleDataError as exc:  # changed between the read and the write
            raise CardChanged(f"{step.name} cannot be undone: a card of it was changed elsewhere meanwhile") from exc
        self._carry_versions(restored)
        if step.also is not None:
            step.also()
        return step

    def _carry_versions(self, versions: dict[int, int]) -> None:
        """Putting a card back raised its version; the step before on that card left it as it is
        now, so that step may still be taken back."""
        for older in reversed(self.steps):
            for card_id in versions.keys() & older.versions.keys():
                older.versions[card_id] = versions.pop(card_id)

    @staticmethod
    def _restore(session: Session, step: Step) -> dict[int, int]:
        cards = session.scalars(select(Card).where(Card.id.in_(step.before))).all()
        if changed := sorted(card.id for card in cards if card.version != step.versions[card.id]):
            raise CardChanged(f"{step.name} cannot be undone: card {changed[0]} was changed elsewhere since; that change stays")
        if step.log_ids:
            session.execute(delete(ReviewLog).where(ReviewLog.id.in_(step.log_ids)))
        for card in cards:
            for name, value in step.before[card.id].items():
                setattr(card, name, value)
        for draft in step.drafts:
            session.merge(DrillDraft(**draft))
        session.flush()
        return {card.id: card.version for card in cards}


__all__ = ["FIELDS", "Snapshot", "Step", "UndoHistory"]
