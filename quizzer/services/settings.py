"""Learner preferences kept in the database, so every terminal sees the same ones."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from quizzer.config import SchedulingConfig
from quizzer.errors import ConfigError
from quizzer.scheduling.deck_options import check_retention, format_steps, options_of, parse_steps
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


OPTION_COLUMNS = {
    "new": "new_per_day", "reviews": "reviews_per_day", "new_drills": "new_drills_per_day",
    "retention": "desired_retention", "learning_steps": "learning_steps", "relearning_steps": "relearning_steps",
}
"""A deck option's name (as ``DeckOptions`` and the command line say it) → its column in ``decks``."""


@dataclass(frozen=True)
class DeckOptions:
    """A deck's options in effect: what ``quizzer options`` prints and the options screen edits."""

    new: int
    reviews: int
    new_drills: int | None
    """How many of the day's new cards may be drills (None: any)."""
    retention: float
    learning_steps: str
    relearning_steps: str


def _checked(name: str, value: int | float | str | None) -> int | float | str | None:
    """``value`` as stored for option ``name``, or a ``ConfigError`` naming the option."""
    if value is None:
        return None
    if name == "retention":
        return check_retention(float(value))
    if name.endswith("steps"):
        return format_steps(parse_steps(str(value)))
    if not isinstance(value, int) or value < 0:
        raise ConfigError(f"{name.replace('_', ' ')} must be a whole number, 0 or more, not {value}")
    return value


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

    def deck_options(self, path: str, config: SchedulingConfig) -> DeckOptions:
        """The options in effect for deck ``path`` ("": the collection, i.e. Review all): its
        own limits, and the retention and steps its cards are scheduled with (maybe inherited)."""
        with self.sessions() as session:
            limits = deck_limits(session, config).get(path, DeckLimits(config.new_per_day, config.reviews_per_day))
            fsrs = options_of(session, path, config)
        return DeckOptions(
            limits.new, limits.reviews, limits.new_drills, fsrs.desired_retention,
            format_steps(fsrs.learning_steps), format_steps(fsrs.relearning_steps),
        )

    def set_deck_options(self, path: str, **changes: int | float | str | None) -> None:
        """Store the options named in ``changes`` (``DeckOptions``'s names) for deck ``path``
        ("": the collection); None goes back to the default (the parent's, for retention and
        steps; any number, for new drills). Steps are written as ``parse_steps`` reads them."""
        values = {OPTION_COLUMNS[name]: _checked(name, value) for name, value in changes.items()}
        if not values:
            return
        with self.sessions.begin() as session:
            deck = session.get(Deck, path) or Deck(path=path)
            for column, value in values.items():
                setattr(deck, column, value)
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
