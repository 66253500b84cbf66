"""Open the database and build the services: the one factory the CLI, the app and tests share.

The services a review needs are built at once; search, card actions and card info,
statistics, history and simulation (and the modules behind them: the query compiler,
aggregates, the FSRS fitter, CSV) are built the first time they are used, so the app reaches
its first card without loading them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from quizzer.clock import Clock, utc_now
from quizzer.config import Config, user_decks_dir
from quizzer.services.content import ContentService
from quizzer.services.drills import DrillService, prove_drills
from quizzer.services.optimizer import APPLIED, BackgroundOptimizer, OptimizerRun
from quizzer.services.review import ReviewService
from quizzer.services.settings import SettingsService
from quizzer.storage import backup
from quizzer.storage.engine import make_engine, make_sessionmaker
from quizzer.storage.integrity import check_on_start
from quizzer.storage.migrate import ensure_schema

if TYPE_CHECKING:
    from quizzer.services.card_actions import CardActions
    from quizzer.services.card_info import CardInfoService
    from quizzer.services.collection import CollectionService
    from quizzer.services.custom_study import CustomStudyService
    from quizzer.services.deck_folders import DeckFolders
    from quizzer.services.history import HistoryService
    from quizzer.services.simulation import SimulationService
    from quizzer.services.stats import StatsService


@dataclass
class Services:
    """Everything a front end (TUI or CLI) calls, bound to one database."""

    config: Config
    engine: Engine
    sessions: sessionmaker[Session]
    clock: Clock
    review: ReviewService
    content: ContentService
    settings: SettingsService
    drills: DrillService
    optimizer: BackgroundOptimizer

    @classmethod
    def open(cls, config: Config, clock: Clock = utc_now, tz: tzinfo | None = None) -> Services:
        """Connect to ``config.db_url`` and bring its schema to the newest revision."""
        engine = make_engine(config.db_url)
        try:
            check_on_start(engine)
            ensure_schema(engine)
        except Exception:
            engine.dispose()
            raise
        sessions = make_sessionmaker(engine)
        settings = SettingsService(sessions)
        fitted = settings.fitted_parameters()
        review = ReviewService(sessions, config.scheduling, clock, tz, None if fitted is None else fitted.parameters)
        optimizer = BackgroundOptimizer(config.db_url, sessions, config.scheduling, clock, review.tz)
        return cls(
            config=config,
            engine=engine,
            sessions=sessions,
            clock=clock,
            review=review,
            content=ContentService(sessions, clock, config.content_dir),
            settings=settings,
            drills=DrillService(sessions, clock, review.study_day_start),
            optimizer=optimizer,
        )

    @cached_property
    def collection(self) -> CollectionService:
        from quizzer.services.collection import CollectionService

        return CollectionService(self.sessions, self.review)

    @cached_property
    def actions(self) -> CardActions:
        from quizzer.services.card_actions import CardActions

        return CardActions(self.sessions, self.review)

    @cached_property
    def custom_study(self) -> CustomStudyService:
        from quizzer.services.custom_study import CustomStudyService

        return CustomStudyService(self.sessions, self.review, self.collection)

    @cached_property
    def info(self) -> CardInfoService:
        from quizzer.services.card_info import CardInfoService

        return CardInfoService(self.sessions, self.review, self.collection)

    @cached_property
    def stats(self) -> StatsService:
        from quizzer.services.stats import StatsService

        return StatsService(self.sessions, self.config.scheduling, self.clock, self.review.tz)

    @cached_property
    def history(self) -> HistoryService:
        from quizzer.services.history import HistoryService

        return HistoryService(self.sessions, self.config.scheduling, self.clock, self.review.tz, self.review.use_parameters)

    @cached_property
    def simulation(self) -> SimulationService:
        from quizzer.services.simulation import SimulationService

        return SimulationService(self.sessions, self.config.scheduling, self.clock, self.review.tz)

    @cached_property
    def folders(self) -> DeckFolders:
        from quizzer.services.deck_folders import DeckFolders

        return DeckFolders(self.content, user_decks_dir())

    def collect_optimization(self) -> OptimizerRun | None:
        """The outcome of a background fit that has just ended; parameters it applied schedule
        the next answer (this process's review service still had the old ones)."""
        run = self.optimizer.collect()
        if run is not None and run.outcome == APPLIED and (fitted := self.settings.fitted_parameters()):
            self.review.use_parameters(fitted.parameters)
        return run

    def prove_pending(self) -> tuple[int, list[str]]:
        """Prove, one by one with the app's grading service, the drills the start-up sync left
        out of the queue; those that pass go in. How many went in, and the problems of the rest
        (those stay out: ``quizzer check`` shows the same)."""
        proven, problems = 0, []
        for spec in self.content.awaiting_proof():
            if found := prove_drills([spec], self.drills.client):
                problems += found
            else:
                self.content.mark_proven(spec)
                proven += 1
        return proven, problems

    def daily_backup(self) -> Path | None:
        """Today's backup of an SQLite database, unless taken already (see ``storage.backup``)."""
        if self.engine.dialect.name != "sqlite":
            return None
        return backup.daily(backup.sqlite_file(self.config.db_url), self.review.clock())

    def close(self) -> None:
        self.optimizer.close()
        self.drills.close()
        self.engine.dispose()
