"""FSRS refitted in the background: after every 1,000 new answers, and when the learner asks.

The fit runs in a separate process, not a thread: fsrs-rs holds the GIL for its whole fit
(the UI would freeze), and a panic inside it surfaces as a ``BaseException`` that must not
reach the app. The child (``python -m quizzer.services.optimizer``, its orders as JSON on
stdin so a database password never shows in a process list; not ``multiprocessing``, which
needs a real stderr that Textual has replaced) opens its own connection, runs
``HistoryService.optimize`` — which applies the fitted parameters only if they predict the
held-out reviews better than those in use — and records what happened in the settings; the
parent only asks whether it has exited.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from quizzer.config import SchedulingConfig
from quizzer.errors import QuizzerError
from quizzer.services.settings import read_setting, write_setting
from quizzer.storage.engine import make_engine, make_sessionmaker
from quizzer.storage.models import ReviewLog

OPTIMIZER_RUN_KEY = "optimizer_run"
EVERY = 1000
"""New answers between two automatic fits."""
AUTOMATIC, ON_DEMAND = "after 1,000 new reviews", "on demand"
APPLIED, KEPT, FAILED = "applied", "kept", "failed"


@dataclass(frozen=True)
class OptimizerRun:
    """One background fit: when, why, and what came of it."""

    started_at: datetime
    trigger: str
    """``AUTOMATIC`` or ``ON_DEMAND``."""
    own_reviews: int
    """quizzer's own answers when it started: the next automatic fit waits for ``EVERY`` more."""
    outcome: str
    """``APPLIED`` (the fit predicted better and schedules now), ``KEPT`` (it did not), ``FAILED``."""
    fitted_log_loss: float | None = None
    current_log_loss: float | None = None
    """Held-out log loss of the parameters that were in use before."""
    error: str | None = None

    def to_json(self) -> str:
        return json.dumps({**asdict(self), "started_at": self.started_at.isoformat()})

    @classmethod
    def from_json(cls, text: str) -> OptimizerRun:
        data = json.loads(text)
        return cls(**{**data, "started_at": datetime.fromisoformat(data["started_at"])})


def read_run(session: Session) -> OptimizerRun | None:
    text = read_setting(session, OPTIMIZER_RUN_KEY)
    return None if text is None else OptimizerRun.from_json(text)


def _fit_and_record(orders: dict[str, object]) -> None:
    """The child process: fit, apply only if better, record the outcome. Never raises."""
    from quizzer.services.history import HistoryService  # the child's own work: the app never loads the fitter

    started_at = datetime.fromisoformat(str(orders["started_at"]))
    trigger, own_reviews = str(orders["trigger"]), int(str(orders["own_reviews"]))
    zone = orders["tz"]
    tz = ZoneInfo(zone) if isinstance(zone, str) else timezone(timedelta(seconds=float(str(zone))))
    # Fitting reads only the study day's start hour from the scheduling settings.
    config = SchedulingConfig(day_start_hour=int(str(orders["day_start_hour"])))
    engine = make_engine(str(orders["db_url"]))
    sessions = make_sessionmaker(engine)
    try:
        report = HistoryService(sessions, config, lambda: started_at, tz).optimize()
        run = OptimizerRun(
            started_at, trigger, own_reviews, APPLIED if report.applied else KEPT,
            report.rows["fitted"].log_loss, report.rows[report.current].log_loss,
        )
    except BaseException as exc:
        message = exc.message if isinstance(exc, QuizzerError) else f"{type(exc).__name__}: {exc}"
        run = OptimizerRun(started_at, trigger, own_reviews, FAILED, error=message)
    with sessions.begin() as session:
        write_setting(session, OPTIMIZER_RUN_KEY, run.to_json())
    engine.dispose()


def _zone(tz: tzinfo, at: datetime) -> str | float:
    """``tz`` as the child rebuilds it: a zone name, or a fixed offset in seconds."""
    if isinstance(tz, ZoneInfo):
        return tz.key
    offset = tz.utcoffset(at)
    return 0.0 if offset is None else offset.total_seconds()


class BackgroundOptimizer:
    """Starts the fitting process and collects its outcome; the UI polls ``collect``."""

    def __init__(
        self, db_url: str, sessions: sessionmaker[Session], config: SchedulingConfig, clock: Callable[[], datetime],
        tz: tzinfo,
    ) -> None:
        self.db_url = db_url
        self.sessions = sessions
        self.config = config
        self.clock = clock
        self.tz = tz
        self._process: subprocess.Popen[bytes] | None = None
        self._started: tuple[datetime, str, int] | None = None
        self._own_reviews: int | None = None
        """Own answers so far, counted once and then kept up by ``after_answer``."""
        self._last_counted: int | None = None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def last_run(self) -> OptimizerRun | None:
        with self.sessions() as session:
            return read_run(session)

    def after_answer(self) -> None:
        """Count one more answer; start a fit when ``EVERY`` have come since the last one."""
        if self._own_reviews is None or self._last_counted is None:
            with self.sessions() as session:
                self._own_reviews = session.scalar(select(func.count(ReviewLog.id))) or 0
                last = read_run(session)
            self._last_counted = 0 if last is None else last.own_reviews
        else:
            self._own_reviews += 1
        if self._own_reviews - self._last_counted >= EVERY:
            self.start(AUTOMATIC)

    def start(self, trigger: str) -> bool:
        """Start a fit in a fresh process; False when one is still running."""
        if self.running:
            return False
        if self._own_reviews is None:
            with self.sessions() as session:
                self._own_reviews = session.scalar(select(func.count(ReviewLog.id))) or 0
        self._last_counted = self._own_reviews
        started_at = self.clock()
        self._started = (started_at, trigger, self._own_reviews)
        orders = {
            "db_url": self.db_url, "tz": _zone(self.tz, started_at), "day_start_hour": self.config.day_start_hour,
            "started_at": started_at.isoformat(), "trigger": trigger, "own_reviews": self._own_reviews,
        }
        self._process = subprocess.Popen(
            [sys.executable, "-m", "quizzer.services.optimizer"],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        assert self._process.stdin is not None
        self._process.stdin.write(json.dumps(orders).encode())
        self._process.stdin.close()
        return True

    def collect(self) -> OptimizerRun | None:
        """The outcome of a fit that has just ended (once), or None while none has."""
        if self._process is None or self._process.poll() is None or self._started is None:
            return None
        exitcode, self._process = self._process.returncode, None
        started_at, trigger, own_reviews = self._started
        with self.sessions.begin() as session:
            run = read_run(session)
            if run is None or run.started_at != started_at:  # the child died before it could say
                run = OptimizerRun(started_at, trigger, own_reviews, FAILED, error=f"the fitting process exited with {exitcode}")
                write_setting(session, OPTIMIZER_RUN_KEY, run.to_json())
        return run

    def close(self) -> None:
        """Stop a fit still running (its transaction is rolled back with it)."""
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            self._process.wait()


__all__ = ["BackgroundOptimizer", "OptimizerRun", "read_run"]

if __name__ == "__main__":
    _fit_and_record(json.loads(sys.stdin.read()))
