"""Card info: a card's current state, today's predicted recall and its whole history.

Each review shows what FSRS made of it: the interval it gave, the memory state (stability,
difficulty) after it and the recall it predicted at that moment; each drill attempt its
verdict, cause and hints.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from quizzer.scheduling.fsrs_adapter import CardState, retrievability
from quizzer.services.collection import CollectionService, card_label
from quizzer.services.review import ReviewService
from quizzer.services.views import item_view
from quizzer.storage.models import Card, DrillAttempt, ReviewLog
from quizzer.vocabulary import LANGUAGES, Showing, said


@dataclass(frozen=True)
class ReviewLine:
    at: datetime
    rating: str
    interval_days: float
    """From this answer to the due date it set."""
    stability: float | None
    difficulty: float | None
    recall: float | None
    """FSRS's predicted recall at the moment of the answer (None for a new card)."""
    seconds: float | None


@dataclass(frozen=True)
class AttemptLine:
    at: datetime
    passed: bool
    cause: str | None
    hints: int


@dataclass(frozen=True)
class CardInfo:
    card_id: int
    label: str
    deck: str
    kind: str
    prompt: dict[str, str]
    state: str
    due: datetime
    stability: float | None
    difficulty: float | None
    recall_now: float | None
    suspended: bool
    flag: int
    reviews: list[ReviewLine] = field(default_factory=list)
    attempts: list[AttemptLine] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return asdict(self, dict_factory=lambda pairs: {k: v.isoformat() if isinstance(v, datetime) else v for k, v in pairs})


class CardInfoService:
    def __init__(self, sessions: sessionmaker[Session], review: ReviewService, collection: CollectionService) -> None:
        self.sessions = sessions
        self.review = review
        self.collection = collection

    def info(self, name: str) -> list[CardInfo]:
        """Every card ``name`` stands for (an item id: all its cards; ``item/cN``: one)."""
        card_ids = self.collection.resolve([name])
        with self.sessions() as session:
            return [self._info(session, card_id) for card_id in card_ids]

    def card(self, card_id: int) -> CardInfo:
        with self.sessions() as session:
            return self._info(session, card_id)

    def _info(self, session: Session, card_id: int) -> CardInfo:
        card = session.get_one(Card, card_id)
        state = CardState(card.state, card.step, card.stability, card.difficulty, card.due, card.last_review)
        logs = session.scalars(select(ReviewLog).where(ReviewLog.card_id == card_id).order_by(ReviewLog.reviewed_at))
        attempts = session.scalars(
            select(DrillAttempt).where(DrillAttempt.card_id == card_id).order_by(DrillAttempt.attempted_at)
        )
        return CardInfo(
            card_id=card.id,
            label=card_label(card.item_id, card.ordinal, len(card.item.cards)),
            deck=card.item.deck,
            kind=card.item.kind,
            prompt=item_view(card.item, card.ordinal).prompt,
            state=card.state.name.lower(),
            due=card.due,
            stability=card.stability,
            difficulty=card.difficulty,
            recall_now=retrievability(self.review.scheduler, card.id, state, self.review.clock()),
            suspended=card.suspended,
            flag=card.flag,
            reviews=[
                ReviewLine(
                    log.reviewed_at, log.rating.name.lower(), round((log.after_due - log.reviewed_at).total_seconds() / 86400, 2),
                    log.after_stability, log.after_difficulty, log.before_retrievability,
                    None if log.duration_ms is None else log.duration_ms / 1000,
                )
                for log in logs
            ],
            attempts=[AttemptLine(a.attempted_at, a.passed, a.cause, a.hints_shown) for a in attempts],
        )


LABELS: dict[str, tuple[str, str]] = {
    "state": ("state", "状态"), "suspended": ("suspended", "已暂停"), "due": ("due", "到期"), "stability": ("stability", "稳定性"),
    "difficulty": ("difficulty", "难度"), "recall today": ("recall today", "今日记忆率"), "reviewed": ("reviewed (UTC)", "复习时间 (UTC)"),
    "rating": ("rating", "评分"), "interval": ("interval", "间隔"), "recall": ("recall", "记忆率"), "attempt": ("attempt", "尝试"),
    "passed": ("passed", "通过"), "failed": ("failed", "未通过"), "hint": ("hint", "个提示"), "hints": ("hints", "个提示"),
    "never": ("never reviewed", "从未复习"), "new": ("new", "新卡"), "learning": ("learning", "学习中"), "review": ("review", "复习"),
    "relearning": ("relearning", "重新学习"),
}
"""The card info's own words, English and Chinese (``said`` picks by the language setting)."""


def info_lines(info: CardInfo, language: Showing = "both") -> list[str]:
    """``quizzer info``'s text, and the card info screen's: the prompt in ``language`` (both: the
    Chinese, then the English, once when they are the same), as the card itself shows; its
    labels in ``language`` too."""
    def number(value: float | None, form: str) -> str:
        return "—" if value is None else format(value, form)

    def say(key: str) -> str:
        return said(LABELS[key], language)

    shown = LANGUAGES if language == "both" else (language,)
    suspended = f" ({say('suspended')})" if info.suspended else ""
    lines = [
        f"{info.label}  ({info.kind}, {info.deck})",
        *(f"  {prompt}" for prompt in dict.fromkeys(info.prompt[lang] for lang in shown)),
        f"{say('state')} {say(info.state)}{suspended}, {say('due')} {info.due:%Y-%m-%d %H:%M} UTC, "
        f"{say('stability')} {number(info.stability, '.2f')} d, {say('difficulty')} {number(info.difficulty, '.2f')}, "
        f"{say('recall today')} {number(info.recall_now, '.0%')}",
    ]
    if info.reviews:
        lines.append(f"{say('reviewed'):<17} {say('rating'):<6} {say('interval'):>9} {say('stability'):>9} "
                     f"{say('difficulty'):>10} {say('recall'):>6}")
    lines += [
        f"{r.at:%Y-%m-%d %H:%M} {r.rating:<6} {r.interval_days:>8.2f}d {number(r.stability, '9.2f')} "
        f"{number(r.difficulty, '10.2f')} {number(r.recall, '6.0%')}"
        for r in info.reviews
    ]
    lines += [
        f"{say('attempt')} {a.at:%Y-%m-%d %H:%M}: {say('passed' if a.passed else 'failed')}{f' ({a.cause})' if a.cause else ''}, "
        f"{a.hints} {say('hint' if a.hints == 1 else 'hints')}"
        for a in info.attempts
    ]
    if not info.reviews and not info.attempts:
        lines.append(say("never"))
    return lines
