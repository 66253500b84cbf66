"""What a desired retention would cost this learner: ``quizzer simulate`` and the statistics tab."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any

import fsrs_rs_python as rs
from fsrs.scheduler import DEFAULT_PARAMETERS
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from quizzer.config import SchedulingConfig
from quizzer.errors import UsageError
from quizzer.scheduling import optimize, simulate
from quizzer.scheduling.deck_options import options_of
from quizzer.scheduling.fsrs_adapter import FittedParameters
from quizzer.scheduling.queue import COLLECTION, DeckLimits, deck_limits
from quizzer.services.history import IMPORTED, fitting_reviews
from quizzer.services.settings import FSRS_PARAMETERS_KEY, read_setting
from quizzer.storage.models import Card, ImportedReview
from quizzer.vocabulary import State

DAYS = 365


@dataclass(frozen=True)
class SimulationReport:
    """Each desired retention's simulated cost, and the cheapest per item remembered."""

    days: int
    deck: simulate.Deck
    workload: simulate.Workload
    rows: list[simulate.RetentionCost]
    optimal_retention: float
    """Least time per item remembered, from the learner's actual cards (fsrs-rs's ``optimal_retention``)."""
    desired_retention: float
    """The one the scheduler uses now."""
    fitted: bool
    """Whether the simulated memory follows parameters fitted to the learner (else FSRS's defaults)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "days": self.days, "deck": asdict(self.deck), "workload": asdict(self.workload),
            "retentions": [asdict(row) for row in self.rows], "optimal_retention": self.optimal_retention,
            "desired_retention": self.desired_retention, "fitted_parameters": self.fitted,
        }


@dataclass(frozen=True)
class SimulationService:
    """Simulates the learner's collection; reads only, one session per call."""

    sessions: sessionmaker[Session]
    config: SchedulingConfig
    clock: Callable[[], datetime]
    tz: tzinfo
    """The learner's time zone, for the study days between reviews."""

    def report(self, retentions: Sequence[float] | None = None, days: int = DAYS) -> SimulationReport:
        """Simulate ``days`` days at each of ``retentions`` with the parameters in use (None:
        ``simulate.RETENTIONS`` and the optimal retention)."""
        if bad := [r for r in retentions or () if not 0.7 <= r <= 0.99]:
            raise UsageError(f"desired retention {bad[0]} is outside 0.70–0.99")
        if days < 1:
            raise UsageError(f"--days {days}: simulate at least one day")
        with self.sessions() as session:
            fitted_text = read_setting(session, FSRS_PARAMETERS_KEY)
            parameters = DEFAULT_PARAMETERS if fitted_text is None else FittedParameters.from_json(fitted_text).parameters
            histories = optimize.histories(fitting_reviews(session), self.tz, self.config.day_start_hour)
            in_use = options_of(session, COLLECTION, self.config)  # the collection's: Review all's
            limits = deck_limits(session, self.config).get(COLLECTION, DeckLimits(self.config.new_per_day, self.config.reviews_per_day))
            known = self._own_cards(session) + self._imported_cards(histories, parameters, in_use.desired_retention)
            own = session.scalar(select(func.count(Card.id)).where(~Card.retired, ~Card.suspended)) or 0
            imported = session.scalar(select(func.count(func.distinct(ImportedReview.card_key)))) or 0
        deck = simulate.Deck(
            own + imported, limits.new, limits.reviews, self.config.maximum_interval_days,
            len(in_use.learning_steps), len(in_use.relearning_steps),
        )
        if not deck.cards:
            raise UsageError("no cards to simulate: import a deck or a review history first")
        learner = simulate.workload(histories)
        optimal = simulate.optimal_retention(parameters, learner, deck, days, known, self.clock())
        if retentions is None:
            retentions = sorted({*simulate.RETENTIONS, round(optimal, 2)})
        return SimulationReport(
            days, deck, learner, simulate.retention_costs(parameters, learner, deck, days, retentions),
            optimal, in_use.desired_retention, fitted_text is not None,
        )

    @staticmethod
    def _own_cards(session: Session) -> list[simulate.KnownCard]:
        rows = session.execute(
            select(Card.stability, Card.difficulty, Card.last_review, Card.due)
            .where(Card.state != State.NEW, ~Card.retired, ~Card.suspended)
        )
        return [
            simulate.KnownCard(s, d, last, due) for s, d, last, due in rows
            if s is not None and d is not None and last is not None
        ]

    @staticmethod
    def _imported_cards(
        histories: list[optimize.CardHistory], parameters: Sequence[float], retention: float
    ) -> list[simulate.KnownCard]:
        """Imported cards have no scheduling state: their memory comes from their history, and
        they come due when the desired ``retention`` says."""
        imported = [h for h in histories if h.reviews[0].card.startswith(IMPORTED)]
        model = rs.FSRS(list(parameters))
        states = model.memory_state_batch([h.item() for h in imported])
        known = []
        for history, state in zip(imported, states, strict=True):
            last = history.reviews[-1].at
            interval = model.next_interval(state.stability, retention, 3)
            known.append(simulate.KnownCard(state.stability, state.difficulty, last, last + timedelta(days=interval)))
        return known


__all__ = ["SimulationReport", "SimulationService"]
