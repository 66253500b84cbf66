"""Learner preferences kept in the database, so every terminal sees the same ones."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from quizzer.config import SchedulingConfig
from quizzer.errors import ConfigError
from quizzer.scheduling.fsrs_adapter import FittedParameters
from quizzer.scheduling.queue import DeckLimits, deck_limits
from quizzer.storage.models import Deck, Setting
from quizzer.vocabulary import SHOWINGS, Showing, is_showing

LANGUAGE_KEY = "language"
FSRS_PARAMETERS_KEY = "fsrs_parameters"


def read_setting(session: Session, key: str) -> str | None:
    row = session.get(Setting, key)
    return None if row is None else row.value


def write_setting(session: Session, key: str, value: str) -> None:
    session.merge(Setting(key=key, value=value))


class SettingsService:
    """Reads and writes preferences, one transaction each."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def language(self) -> Showing:
        """Which text cards show: ``zh``, ``en`` or ``both`` (the default, and for a value no longer known)."""
        with self.sessions() as session:
            stored = read_setting(session, LANGUAGE_KEY) or "both"
        return stored if is_showing(stored) else "both"

    def set_language(self, language: str) -> None:
        if not is_showing(language):
            raise ConfigError(f"language must be one of {', '.join(SHOWINGS)}, not {language!r}")
        with self.sessions.begin() as session:
            write_setting(session, LANGUAGE_KEY, language)

    def deck_options(self, path: str, config: SchedulingConfig) -> DeckLimits:
        """The daily limits of deck ``path`` ("": the collection, i.e. Review all)."""
        with self.sessions() as session:
            return deck_limits(session, config).get(path, DeckLimits(config.new_per_day, config.reviews_per_day))

    def set_deck_options(self, path: str, *, new: int | None = None, reviews: int | None = None, new_drills: int | None = None) -> None:
        """Store the limits given (None: leave as is) for deck ``path`` ("": the collection)."""
        given = {"new_per_day": new, "reviews_per_day": reviews, "new_drills_per_day": new_drills}
        if negative := [name for name, value in given.items() if value is not None and value < 0]:
            raise ConfigError(f"{negative[0]} must be 0 or more")
        with self.sessions.begin() as session:
            deck = session.get(Deck, path) or Deck(path=path)
            for name, value in given.items():
                if value is not None:
                    setattr(deck, name, value)
            session.add(deck)

    def fitted_parameters(self) -> FittedParameters | None:
        """The FSRS weights fitted to this learner and in use, or None while the defaults are."""
        with self.sessions() as session:
            text = read_setting(session, FSRS_PARAMETERS_KEY)
        return None if text is None else FittedParameters.from_json(text)

    def set_fitted_parameters(self, fitted: FittedParameters) -> None:
        """Use ``fitted`` from the next start of quizzer on."""
        with self.sessions.begin() as session:
            write_setting(session, FSRS_PARAMETERS_KEY, fitted.to_json())
