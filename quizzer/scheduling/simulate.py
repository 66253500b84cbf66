"""What a desired retention costs: fsrs-rs's simulator, fed with how this learner answers.

The simulator draws each answer's rating and time from the learner's own history (first
ratings, Hard/Good/Easy among passed reviews, median seconds per state and rating); its
transitions within learning steps stay fsrs-rs's defaults. ``simulate`` starts from an empty
deck of the learner's size; ``optimal_retention`` starts from the learner's actual cards.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import fsrs_rs_python as rs

from quizzer.scheduling.optimize import CardHistory
from quizzer.vocabulary import Rating

RETENTIONS = (0.70, 0.75, 0.80, 0.85, 0.88, 0.90, 0.92, 0.95, 0.97)
"""The desired retentions compared when none are asked for."""
LEARNING, REVIEW, RELEARNING = 0, 1, 2
"""Rows of fsrs-rs's ``state_rating_costs``."""
MIN_SAMPLES = 5
"""Fewer timed answers than this for a state and rating: fsrs-rs's default time is used."""
SEED = 2026


@dataclass(frozen=True)
class Workload:
    """How this learner answers: what the simulator draws ratings and seconds from."""

    first_rating_prob: tuple[float, ...]
    """Again, Hard, Good, Easy on a card's first answer."""
    review_rating_prob: tuple[float, ...]
    """Hard, Good, Easy among passed reviews."""
    state_rating_costs: tuple[tuple[float, ...], ...]
    """Seconds per answer, by state (learning, review, relearning) and rating."""


@dataclass(frozen=True)
class RetentionCost:
    """One desired retention, simulated."""

    retention: float
    reviews_per_day: float
    """Answers to cards already learned, on average."""
    minutes_per_day: float
    """Time for every answer, new cards included, on average."""
    remembered: float
    """Items expected to be remembered on the last simulated day."""


def _states(card: CardHistory) -> list[int]:
    """Which ``state_rating_costs`` row each answer of ``card`` falls in."""
    states, lapsed = [], False
    for k, review in enumerate(card.reviews):
        if k == 0 or (card.days[k] == 0 and not lapsed):
            states.append(LEARNING)
        elif card.days[k] == 0:
            states.append(RELEARNING)
        else:
            states.append(REVIEW)
            lapsed = review.rating == Rating.Again
    return states


def _shares(counts: Sequence[int], default: Sequence[float]) -> tuple[float, ...]:
    total = sum(counts)
    return tuple(n / total for n in counts) if total else tuple(default)


def workload(cards: Sequence[CardHistory]) -> Workload:
    """The learner's ratings and answer times, from their histories (fsrs-rs's defaults where
    the history says nothing)."""
    default = rs.default_simulator_config()
    first = [0] * 4
    passed = [0] * 3
    seconds: dict[tuple[int, int], list[float]] = {}
    for card in cards:
        first[card.reviews[0].rating - 1] += 1
        for k, (review, state) in enumerate(zip(card.reviews, _states(card), strict=True)):
            if k and state == REVIEW and review.rating > Rating.Again:
                passed[review.rating - 2] += 1
            if review.duration_ms is not None and review.duration_ms > 0:
                seconds.setdefault((state, review.rating), []).append(review.duration_ms / 1000)
    costs = tuple(
        tuple(
            statistics.median(times) if len(times := seconds.get((state, rating), [])) >= MIN_SAMPLES else cost
            for rating, cost in enumerate(row, start=1)
        )
        for state, row in enumerate(default.state_rating_costs)
    )
    return Workload(_shares(first, default.first_rating_prob), _shares(passed, default.review_rating_prob), costs)


@dataclass(frozen=True)
class Deck:
    """The size and daily limits of the simulated collection."""

    cards: int
    new_per_day: int
    reviews_per_day: int
    maximum_interval_days: int
    learning_steps: int
    relearning_steps: int


def _config(learner: Workload, deck: Deck, days: int, cards: int) -> rs.SimulatorConfig:
    """fsrs-rs's simulator set up for ``cards`` cards of ``deck`` and ``learner``, over ``days`` days."""
    default = rs.default_simulator_config()
    return rs.SimulatorConfig(
        deck_size=cards, learn_span=days, max_cost_perday=math.inf, max_ivl=deck.maximum_interval_days,
        first_rating_prob=learner.first_rating_prob, review_rating_prob=learner.review_rating_prob,
        learn_limit=deck.new_per_day, review_limit=deck.reviews_per_day, new_cards_ignore_review_limit=True,
        learning_step_transitions=default.learning_step_transitions,
        relearning_step_transitions=default.relearning_step_transitions,
        state_rating_costs=learner.state_rating_costs,
        learning_step_count=deck.learning_steps, relearning_step_count=deck.relearning_steps,
    )


def retention_costs(
    parameters: Sequence[float], learner: Workload, deck: Deck, days: int, retentions: Sequence[float]
) -> list[RetentionCost]:
    """Each desired retention simulated for ``days`` days on a deck that starts empty (the same
    seed for all)."""
    config = _config(learner, deck, days, deck.cards)
    rows = []
    for retention in retentions:
        result = rs.simulate(list(parameters), retention, config, SEED)
        days = len(result.cost_per_day)
        rows.append(RetentionCost(
            retention, sum(result.review_cnt_per_day) / days, sum(result.cost_per_day) / days / 60,
            result.memorized_cnt_per_day[-1],
        ))
    return rows


@dataclass(frozen=True)
class KnownCard:
    """A card already answered, as the simulator starts it: memory state and days from today."""

    stability: float
    difficulty: float
    last_review: datetime
    due: datetime


def optimal_retention(
    parameters: Sequence[float], learner: Workload, deck: Deck, days: int, known: Sequence[KnownCard], now: datetime
) -> float:
    """The desired retention with the least time per item remembered over ``days`` days
    (fsrs-rs's target), from the learner's ``known`` cards and the rest of ``deck`` still new."""
    cards = []
    for i, state in enumerate(known):
        card = _card(i, parameters)
        card.stability, card.difficulty = state.stability, state.difficulty
        card.last_date = (state.last_review - now).total_seconds() / 86400
        card.due = (state.due - now).total_seconds() / 86400
        card.interval = card.due - card.last_date
        cards.append(card)
    for i in range(max(deck.cards - len(known), 0)):  # new cards, marked as Anki marks them
        card = _card(len(known) + i, parameters)
        card.stability, card.difficulty, card.last_date, card.interval = 1e-8, -math.inf, -math.inf, -math.inf
        card.due = float(i // max(deck.new_per_day, 1))
        cards.append(card)
    return rs.optimal_retention(_config(learner, deck, days, len(cards)), list(parameters), cards)


def _card(card_id: int, parameters: Sequence[float]) -> rs.Card:
    card = rs.Card()
    card.id, card.lapses, card.desired_retention, card.parameters = card_id, 0, 0.9, list(parameters)
    return card
