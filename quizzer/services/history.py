"""The review history as data: CSV out and in, and FSRS parameters fitted to it.

An import is one transaction: a bad row names its file and line and nothing is imported.
Reviews already present (the same card and instant, in quizzer's own log or imported
before) are skipped, so importing an export again changes nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, sessionmaker

from quizzer.config import SchedulingConfig
from quizzer.errors import UsageError
from quizzer.scheduling import optimize
from quizzer.scheduling.fsrs_adapter import FittedParameters
from quizzer.scheduling.revlog_csv import CsvReview, read_reviews, write_reviews
from quizzer.services.settings import FSRS_PARAMETERS_KEY, read_setting, write_setting
from quizzer.storage.models import ImportedReview, ReviewLog


@dataclass(frozen=True)
class ImportReport:
    imported: int
    already_present: int
    cards: int

    def summary(self) -> str:
        return f"{self.imported} reviews of {self.cards} cards imported, {self.already_present} already present"


@dataclass(frozen=True)
class OptimizeReport:
    """What ``quizzer optimize`` found: each parameter set's fit to the held-out reviews."""

    train_reviews: int
    test_reviews: int
    rows: dict[str, optimize.Metrics]
    """Reviews a day or more after the card's previous one, by parameter set: ``FSRS default``,
    ``in use`` (when fitted parameters are), ``fitted``, ``fitted, no short-term``, ``mean retention``."""
    same_day: dict[str, optimize.Metrics]
    """The same for reviews on the card's previous review's study day (empty when none is held out)."""
    fitted: tuple[float, ...]
    applied: bool
    fit_seconds: float

    @property
    def current(self) -> str:
        """The row of the parameters the fit had to beat."""
        return "in use" if "in use" in self.rows else "FSRS default"

    @property
    def better(self) -> bool:
        return self.rows["fitted"].log_loss < self.rows[self.current].log_loss

    def to_dict(self) -> dict[str, object]:
        return {
            "train_reviews": self.train_reviews, "test_reviews": self.test_reviews,
            "metrics": {name: vars(m) for name, m in self.rows.items()},
            "same_day_metrics": {name: vars(m) for name, m in self.same_day.items()},
            "fitted_parameters": list(self.fitted), "applied": self.applied,
            "fit_seconds": round(self.fit_seconds, 3),
        }


def _own(session: Session, since: datetime | None = None, until: datetime | None = None) -> list[CsvReview]:
    """quizzer's own answers: the card id as text, the state before the answer."""
    query = select(
        ReviewLog.card_id, ReviewLog.reviewed_at, ReviewLog.rating, ReviewLog.before_state, ReviewLog.duration_ms
    ).order_by(ReviewLog.reviewed_at)
    if since is not None and until is not None:
        query = query.where(ReviewLog.reviewed_at >= since, ReviewLog.reviewed_at <= until)
    return [CsvReview(str(card_id), at, rating, state, ms) for card_id, at, rating, state, ms in session.execute(query)]


def _imported(session: Session, since: datetime | None = None, until: datetime | None = None) -> list[CsvReview]:
    query = select(
        ImportedReview.card_key, ImportedReview.reviewed_at, ImportedReview.rating, ImportedReview.state,
        ImportedReview.duration_ms,
    ).order_by(ImportedReview.reviewed_at)
    if since is not None and until is not None:
        query = query.where(ImportedReview.reviewed_at >= since, ImportedReview.reviewed_at <= until)
    return [CsvReview(*row) for row in session.execute(query)]


class HistoryService:
    """Export, import and fitting; one transaction each."""

    def __init__(
        self, sessions: sessionmaker[Session], config: SchedulingConfig, clock: Callable[[], datetime], tz: tzinfo,
        applied: Callable[[tuple[float, ...]], None] = lambda parameters: None,
    ) -> None:
        self.sessions = sessions
        self.applied = applied
        """Called with the parameters an optimization applied: the review service's ``use_parameters``."""
        self.config = config
        self.clock = clock
        self.tz = tz
        """The learner's time zone: fitting counts the study days between reviews, as scheduling does."""

    def export_csv(self, path: Path) -> int:
        """Write every review (own and imported) to ``path``; returns how many."""
        with self.sessions() as session:
            reviews = sorted(_own(session) + _imported(session), key=lambda r: r.reviewed_at)
        return write_reviews(path, reviews)

    def import_csv(self, path: Path) -> ImportReport:
        """Add the reviews in ``path`` to the imported history, all or none."""
        reviews = read_reviews(path)  # raises on the first bad line, before anything is written
        if not reviews:
            return ImportReport(0, 0, 0)
        span = min(r.reviewed_at for r in reviews), max(r.reviewed_at for r in reviews)
        with self.sessions.begin() as session:
            present = {(r.card_key, r.reviewed_at) for r in _own(session, *span) + _imported(session, *span)}
            new = []
            for r in reviews:
                if (r.card_key, r.reviewed_at) not in present:
                    present.add((r.card_key, r.reviewed_at))
                    new.append(r)
            if new:
                session.execute(insert(ImportedReview), [
                    {"card_key": r.card_key, "reviewed_at": r.reviewed_at, "rating": r.rating, "state": r.state,
                     "duration_ms": r.duration_ms} for r in new
                ])
        return ImportReport(len(new), len(reviews) - len(new), len({r.card_key for r in new}))

    def optimize(self, *, apply: bool = True) -> OptimizeReport:
        """Fit FSRS to the oldest 80 % of the history, judge it on the newest 20 %, and schedule
        with the fitted parameters if they beat those in use (unless ``apply`` is False)."""
        with self.sessions() as session:
            reviews = fitting_reviews(session)
            in_use_text = read_setting(session, FSRS_PARAMETERS_KEY)
        in_use = None if in_use_text is None else FittedParameters.from_json(in_use_text)
        cards = optimize.histories(reviews, self.tz, self.config.day_start_hour)
        since = optimize.split_time(reviews)
        items = optimize.training_items(cards, since)
        if since is None or not items or not optimize.predictions(cards, optimize.DEFAULT_PARAMETERS, since).long_term:
            raise UsageError(f"{len(reviews)} reviews are too few to fit and test FSRS parameters")
        started = time.perf_counter()
        fitted = optimize.fit(items)
        fit_seconds = time.perf_counter() - started
        candidates = {"FSRS default": optimize.DEFAULT_PARAMETERS}
        if in_use is not None:
            candidates["in use"] = in_use.parameters
        candidates |= {"fitted": fitted, "fitted, no short-term": optimize.fit(items, short_term=False)}
        judged = {name: optimize.predictions(cards, p, since) for name, p in candidates.items()}
        long_term_rate, same_day_rate = optimize.recall_rates(cards, since)
        outcomes = judged["FSRS default"]
        judged["mean retention"] = optimize.Predictions(
            [(long_term_rate, y) for _, y in outcomes.long_term], [(same_day_rate, y) for _, y in outcomes.same_day]
        )
        report = OptimizeReport(
            train_reviews=sum(r.at < since for r in reviews), test_reviews=sum(r.at >= since for r in reviews),
            rows={name: optimize.metrics(p.long_term) for name, p in judged.items()},
            same_day={name: optimize.metrics(p.same_day) for name, p in judged.items() if p.same_day},
            fitted=fitted, applied=False, fit_seconds=fit_seconds,
        )
        if apply and report.better:
            with self.sessions.begin() as session:
                write_setting(session, FSRS_PARAMETERS_KEY, FittedParameters(
                    fitted, self.clock(), report.train_reviews, report.rows["fitted"].log_loss
                ).to_json())
            report = replace(report, applied=True)
            self.applied(fitted)
        return report


OWN, IMPORTED = "q", "i"
"""Prefixes of card ids in ``fitting_reviews``."""


def fitting_reviews(session: Session) -> list[optimize.Review]:
    """Every review, own and imported; their card ids live in different namespaces (an imported
    "17" is not card 17), so each is prefixed by where it comes from."""
    reviews = [optimize.Review(OWN + r.card_key, r.reviewed_at, r.rating, r.duration_ms) for r in _own(session)]
    return reviews + [optimize.Review(IMPORTED + r.card_key, r.reviewed_at, r.rating, r.duration_ms) for r in _imported(session)]


__all__ = ["IMPORTED", "OWN", "HistoryService", "ImportReport", "OptimizeReport", "fitting_reviews"]
