"""Learner preferences kept in the database, so every terminal sees the same ones."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from quizzer.config import LANGUAGES
from quizzer.errors import ConfigError
from quizzer.scheduling.fsrs_adapter import FittedParameters
from quizzer.storage.models import Setting

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

    def language(self) -> str:
        """Which text cards show: ``zh``, ``en`` or ``both`` (default)."""
        with self.sessions() as session:
            return read_setting(session, LANGUAGE_KEY) or "both"

    def set_language(self, language: str) -> None:
        if language not in LANGUAGES:
            raise ConfigError(f"language must be one of {', '.join(LANGUAGES)}, not {language!r}")
        with self.sessions.begin() as session:
            write_setting(session, LANGUAGE_KEY, language)

    def fitted_parameters(self) -> FittedParameters | None:
        """The FSRS weights fitted to this learner and in use, or None while the defaults are."""
        with self.sessions() as session:
            text = read_setting(session, FSRS_PARAMETERS_KEY)
        return None if text is None else FittedParameters.from_json(text)

    def set_fitted_parameters(self, fitted: FittedParameters) -> None:
        """Use ``fitted`` from the next start of quizzer on."""
        with self.sessions.begin() as session:
            write_setting(session, FSRS_PARAMETERS_KEY, fitted.to_json())
