"""The closed sets every layer speaks in: ratings, card states, languages.

They travel as these types, never as bare ints or strings. A rating is fsrs's own ``Rating``
(1 Again … 4 Easy). A card's ``State`` is fsrs's ``State`` plus ``NEW``: fsrs calls a card never
answered Learning at step 0, but the queue, the limits and the statistics must tell the two
apart. Both are ``IntEnum``s, stored as their integers (``storage.models.IntEnumColumn``).
"""

from __future__ import annotations

from enum import IntEnum
from typing import Literal, TypeGuard, get_args

import fsrs
from fsrs import Rating

__all__ = ["LANGUAGES", "RATING_WORDS", "SHOWINGS", "Language", "Rating", "Showing", "State", "is_showing", "said"]


class State(IntEnum):
    """Where a card is in its scheduling: fsrs.State's values, and 0 for a card never answered."""

    NEW = 0
    LEARNING = fsrs.State.Learning.value
    REVIEW = fsrs.State.Review.value
    RELEARNING = fsrs.State.Relearning.value

    def to_fsrs(self) -> fsrs.State:
        """As fsrs knows it: a new card is Learning (at step 0)."""
        return fsrs.State.Learning if self is State.NEW else fsrs.State(self.value)


RATING_WORDS: dict[Rating, tuple[str, str]] = {
    Rating.Again: ("Again", "重来"), Rating.Hard: ("Hard", "困难"), Rating.Good: ("Good", "良好"), Rating.Easy: ("Easy", "简单"),
}
"""Each rating in English and Chinese, as the rating keys' help names them."""

Language = Literal["zh", "en"]
"""A language every text of the deck is written in."""
LANGUAGES: tuple[Language, ...] = get_args(Language)

Showing = Literal["zh", "en", "both"]
"""Which language cards show: the learner's setting."""
SHOWINGS: tuple[Showing, ...] = get_args(Showing)


def is_showing(text: str) -> TypeGuard[Showing]:
    """Whether ``text`` (a stored setting, a command-line value) names a ``Showing``."""
    return text in SHOWINGS


def said(words: tuple[str, str], showing: Showing) -> str:
    """``(english, chinese)`` as the learner reads them: one, or both as ``english · chinese``.
    Every learner-facing word that follows the language setting goes through here."""
    en, zh = words
    return {"en": en, "zh": zh}.get(showing, f"{en} · {zh}")
