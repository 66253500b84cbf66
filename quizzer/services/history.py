"""The review history as data: CSV out and in, and FSRS parameters fitted to it.

An import is one transaction: a bad row names its file and line and nothing is imported.
Reviews already present (the same card and instant, in quizzer's own log or imported
before) are skipped, so importing an export again changes nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from fsrs.scheduler import DEFAULT_PARAMETERS
from sqlalchemy import insert, select
from sqlalchemy.orm import Session, sessionmaker

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
    """``FSRS default``, ``in use`` (when fitted parameters are), ``fitted``, ``mean retention``."""
    fitted: tuple[float, ...]
    applied: bool
    optimal_retention: float | None
    fit_seconds: float

    def to_dict(self) -> dict[str, object]:
        return {
            "train_reviews": self.train_reviews, "test_reviews": self.test_reviews,
            "metrics": {name: vars(m) for name, m in self.rows.items()},
            "fitted_parameters": list(self.fitted), "applied": self.applied,
            "optimal_retention": self.optimal_retention, "fit_seconds": round(self.fit_seconds, 2),
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

    def __init__(self, sessions: sessionmaker[Session], clock: Callable[[], datetime]) -> None:
        self.sessions = sessions
        self.clock = clock

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
        """Fit FSRS to the oldest 80 % of the history, judge it on the newest 20 %, and use the
        fitted parameters from the next start if they beat those in use (unless ``apply`` is False)."""
        with self.sessions() as session:
            # Own and imported card ids live in different namespaces: an imported "17" is not card 17.
            reviews = [optimize.Review(f"q{r.card_key}", r.reviewed_at, r.rating, r.duration_ms) for r in _own(session)]
            reviews += [optimize.Review(f"i{r.card_key}", r.reviewed_at, r.rating, r.duration_ms) for r in _imported(session)]
            in_use_text = read_setting(session, FSRS_PARAMETERS_KEY)
        in_use = None if in_use_text is None else FittedParameters.from_json(in_use_text)
        train, since = optimize.time_split(reviews)
        if since is None or not (held_out := optimize.predictions(reviews, DEFAULT_PARAMETERS, since)):
            raise UsageError(f"{len(reviews)} reviews are too few to fit and test FSRS parameters")
        started = time.perf_counter()
        fitted = optimize.fit(train)
        fit_seconds = time.perf_counter() - started
        rows = {"FSRS default": optimize.metrics(held_out)}
        if in_use is not None:
            rows["in use"] = optimize.metrics(optimize.predictions(reviews, in_use.parameters, since))
        rows["fitted"] = optimize.metrics(optimize.predictions(reviews, fitted, since))
        mean = optimize.mean_retention(train)
        rows["mean retention"] = optimize.metrics([(mean, y) for _, y in held_out])
        current = rows["in use" if in_use is not None else "FSRS default"]
        better = rows["fitted"].log_loss < current.log_loss
        if apply and better:
            with self.sessions.begin() as session:
                write_setting(session, FSRS_PARAMETERS_KEY, FittedParameters(
                    fitted, self.clock(), len(train), rows["fitted"].log_loss
                ).to_json())
        retention = optimize.optimal_retention(reviews, fitted if better else (in_use.parameters if in_use else DEFAULT_PARAMETERS))
        return OptimizeReport(
            len(train), len(reviews) - len(train), rows, fitted, apply and better, retention, fit_seconds
        )


__all__ = ["HistoryService", "ImportReport", "OptimizeReport"]
