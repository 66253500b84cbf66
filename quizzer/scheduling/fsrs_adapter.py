"""The ``fsrs`` package used as a pure function: stored row in, new state out, clock passed in."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from fsrs import Card as FsrsCard
from fsrs import Scheduler
from fsrs.scheduler import DEFAULT_PARAMETERS

from quizzer.config import SchedulingConfig
from quizzer.vocabulary import Rating, State


@dataclass(frozen=True)
class CardState:
    """Everything FSRS needs to schedule one card; what a review log keeps before and after."""

    state: State
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None


@dataclass(frozen=True)
class FittedParameters:
    """FSRS weights fitted to this learner's history by ``quizzer optimize``, and how well they did."""

    parameters: tuple[float, ...]
    fitted_at: datetime
    reviews: int
    """How many reviews they were fitted on."""
    log_loss: float
    """Log loss on the held-out (most recent) reviews, which the parameters in use did worse on."""

    def to_json(self) -> str:
        return json.dumps({
            "parameters": list(self.parameters), "fitted_at": self.fitted_at.isoformat(),
            "reviews": self.reviews, "log_loss": self.log_loss,
        })

    @classmethod
    def from_json(cls, text: str) -> FittedParameters:
        data = json.loads(text)
        return cls(
            tuple(data["parameters"]), datetime.fromisoformat(data["fitted_at"]), data["reviews"], data["log_loss"]
        )


@dataclass(frozen=True)
class FsrsOptions:
    """What fsrs's ``Scheduler`` takes besides the weights, set per deck (``deck_options``)."""

    desired_retention: float
    learning_steps: tuple[timedelta, ...]
    relearning_steps: tuple[timedelta, ...]

    @classmethod
    def of(cls, config: SchedulingConfig) -> FsrsOptions:
        """The configured defaults."""
        return cls(config.desired_retention, config.learning_steps, config.relearning_steps)


def make_scheduler(
    config: SchedulingConfig, *, fuzz: bool | None = None, parameters: Sequence[float] | None = None,
    options: FsrsOptions | None = None,
) -> Scheduler:
    """An fsrs Scheduler for ``config``; ``fuzz=False`` gives the unfuzzed intervals shown on buttons.

    ``parameters`` are the 21 FSRS weights fitted to the learner (``quizzer optimize``); None: the defaults.
    ``options``: a deck's retention and steps (None: the configured ones).
    """
    chosen = options or FsrsOptions.of(config)
    return Scheduler(
        parameters=DEFAULT_PARAMETERS if parameters is None else tuple(parameters),
        desired_retention=chosen.desired_retention,
        learning_steps=chosen.learning_steps,
        relearning_steps=chosen.relearning_steps,
        maximum_interval=config.maximum_interval_days,
        enable_fuzzing=config.enable_fuzzing if fuzz is None else fuzz,
    )


def to_fsrs(card_id: int, state: CardState) -> FsrsCard:
    # Always pass card_id: without it fsrs.Card sleeps 1 ms to make one up.
    if state.state == State.NEW:
        return FsrsCard(card_id=card_id, state=State.NEW.to_fsrs(), step=0, due=state.due)
    return FsrsCard(
        card_id=card_id,
        state=state.state.to_fsrs(),
        step=state.step,
        stability=state.stability,
        difficulty=state.difficulty,
        due=state.due,
        last_review=state.last_review,
    )


def from_fsrs(card: FsrsCard) -> CardState:
    return CardState(State(card.state.value), card.step, card.stability, card.difficulty, card.due, card.last_review)


def review(scheduler: Scheduler, card_id: int, before: CardState, rating: Rating, now: datetime) -> CardState:
    """The card's state after answering ``rating`` at ``now`` (UTC)."""
    after, _log = scheduler.review_card(to_fsrs(card_id, before), rating, review_datetime=now)
    return from_fsrs(after)


def retrievability(scheduler: Scheduler, card_id: int, state: CardState, now: datetime) -> float | None:
    """FSRS's probability that the card is recalled at ``now``; None for a card never answered."""
    if state.state == State.NEW or state.stability is None:
        return None
    return scheduler.get_card_retrievability(to_fsrs(card_id, state), now)


def button_intervals(scheduler: Scheduler, card_id: int, before: CardState, now: datetime) -> dict[Rating, timedelta]:
    """What each rating would schedule, for the labels under the four buttons."""
    return {rating: review(scheduler, card_id, before, rating, now).due - now for rating in Rating}


def format_interval(interval: timedelta) -> str:
    """Anki-style short interval: ``<1m``, ``10m``, ``3h``, ``4d``, ``1.5mo``, ``2.1y``."""
    seconds = interval.total_seconds()
    if seconds < 60:
        return "<1m"
    if seconds < 3600:
        return f"{round(seconds / 60)}m"
    if seconds < 86400:
        return f"{round(seconds / 3600)}h"
    days = seconds / 86400
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo"
    return f"{days / 365:.1f}y"
