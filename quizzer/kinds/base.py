"""What a kind declares (``Kind``), and the plain records it hands to the rest of quizzer."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol, runtime_checkable

from quizzer.vocabulary import Rating

if TYPE_CHECKING:
    from quizzer.grading.protocol import GradeResult

Bilingual = dict[str, str]
"""A text in both languages: ``{"zh": …, "en": …}``."""
Body = dict[str, Any]
"""An item's kind-specific fields, as written in its deck file."""
Problem = tuple[str, str]
"""``(key, message)``: what is wrong, and the key whose line the message points at."""
Checker = Callable[[Any], str | None]
"""Checks one field's value: a problem, or None."""
Marks = dict[str, list[tuple[int, int]]]
"""Per language, ``(start, end)`` character spans of a text to highlight."""


@dataclass(frozen=True)
class Face:
    """What the learner sees of one card: the prompt, the answer, and kind-specific extras
    (a typed card's accepted answers, a drill's starter code, a choice card's options)."""

    prompt: Bilingual
    answer: Bilingual
    extras: dict[str, Any] = field(default_factory=dict)
    marks: Marks = field(default_factory=dict)
    """Spans of ``answer`` to highlight: what a cloze's deletions filled in."""


@dataclass(frozen=True)
class Outcome:
    """How an answer went, for the rating it proposes (drills also count tries, hints, time)."""

    passed: bool
    failed_attempts: int = 0
    """Failed tries in the whole study day (earlier passes of the card and undone ones included)."""
    hints_shown: int = 0
    """The most hints shown in any of the study day's tries."""
    seconds: float = 0.0
    gave_up_today: bool = False
    """The learner gave this drill up earlier in the same study day."""


@dataclass(frozen=True)
class Portable:
    """An item as a note of another app (``export-apkg``): which of quizzer's note types it
    is written as, and its texts. ``basic`` takes ``front`` and ``back``; ``typed`` the same
    and ``answers`` (every accepted form); ``cloze`` takes ``text`` (deletions as Anki writes
    them) and optionally ``extra``."""

    model: Literal["basic", "typed", "cloze"]
    texts: dict[str, Bilingual]
    answers: tuple[str, ...] = ()
    stand_in: bool = False
    """Anki has no type for the item's kind: this basic note stands in for it (``export-apkg``
    counts them)."""


@runtime_checkable
class FollowsLanguage(Protocol):
    """An answer widget showing bilingual text (choice options): the screen sets ``language``
    (zh, en or both) when the learner switches it."""

    language: str


def one_card(_body: Body) -> list[int]:
    return [0]


def no_lines(_face: Face) -> list[str]:
    return []


def good_or_again(outcome: Outcome) -> Rating:
    """A checked answer proposes Good when right, Again when wrong; the learner may change it."""
    return Rating.Good if outcome.passed else Rating.Again


@dataclass(frozen=True)
class Grading:
    """How a drill kind is graded by running code."""

    module: str
    """Module with ``grade(grader, drill, filled, submission, seed, params)`` (and ``run`` with
    the same arguments when ``runnable``), imported only by the grading service."""
    prove: Callable[[Body, int, Callable[[str], GradeResult]], list[str]]
    """``(filled drill, seed, grade)``: problems with the drill's own code, found by grading
    it (``quizzer check``)."""
    runnable: bool = False
    """The learner can run the code on the drill's examples before submitting."""


@dataclass(frozen=True)
class Kind:
    """Everything quizzer knows about one item kind.

    ``view`` and ``grading`` are module names, imported only by those who need them: the
    screens load the answer widget, the grading service loads how answers are judged.
    """

    name: str
    required: Mapping[str, Checker]
    face: Callable[[Body, int, int], Face]
    """``(body, ordinal, seed)``: card ``ordinal`` of the item as shown; ``seed`` is the
    drill instance, or the showing of a card whose face changes per showing."""
    optional: Mapping[str, Checker] = field(default_factory=dict)
    across: Callable[[Body], list[Problem]] | None = None
    """Problems between fields, checked once every field is valid on its own."""
    ordinals: Callable[[Body], list[int]] = one_card
    show_lines: Callable[[Face], list[str]] = no_lines
    """What ``quizzer show`` prints after the prompt (code, options)."""
    propose: Callable[[Outcome], Rating] = good_or_again
    """The rating an answer's outcome proposes (kinds that take an answer; the learner may
    pick another)."""
    answer_in_place: bool = False
    """The answer is the prompt filled in (a cloze): the back shows it instead of the prompt,
    not the prompt again above it."""
    per_showing: bool = False
    """The face changes at every showing (``seed`` is then drawn from the card and its
    number of reviews, so that undo shows it again the same way)."""
    view: str | None = None
    """Module whose ``answer(...)`` builds the widget that takes the answer (screens only);
    None: the card is revealed and rated."""
    grading: Grading | None = None
    """Set for drills: items written as ``[[drill]]`` tables, graded by running code."""
    portable: Callable[[Body], Portable] | None = None
    """How ``export-apkg`` writes the item; None: a stand-in basic note of its first card's
    prompt (with ``show_lines``) and answer."""

    @property
    def is_drill(self) -> bool:
        return self.grading is not None

    @property
    def table(self) -> Literal["card", "drill"]:
        """The array of tables the kind is written in: ``[[card]]`` or ``[[drill]]``."""
        return "drill" if self.is_drill else "card"

    def check(self, body: Body) -> list[Problem]:
        """Problems as ``(key, message)`` pairs; ``key`` locates the line."""
        problems = [(key, "is missing") for key in self.required if key not in body]
        known = {**self.required, **self.optional}
        for key, value in body.items():
            if key not in known:
                problems.append((key, f"is not a field of a {self.name} item (expected: {', '.join(known)})"))
            elif problem := known[key](value):
                problems.append((key, problem))
        if not problems and self.across is not None:
            problems = self.across(body)
        return problems
