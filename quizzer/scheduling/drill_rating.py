"""The FSRS rating a drill's outcome suggests; the learner may change it before going on.

A first-try pass without hints is Good, or Easy when it was also quick; a pass after
failed tries or hints is Hard; giving up is Again.
"""

from __future__ import annotations

from dataclasses import dataclass

from quizzer.vocabulary import Rating

QUICK_SECONDS = {"write": 90.0, "predict": 20.0}
"""A first-try pass within this many seconds is rated Easy."""


@dataclass(frozen=True)
class DrillOutcome:
    kind: str
    passed: bool
    failed_attempts: int
    hints_shown: int
    seconds: float


def proposed_rating(outcome: DrillOutcome) -> Rating:
    if not outcome.passed:
        return Rating.Again
    if outcome.failed_attempts or outcome.hints_shown:
        return Rating.Hard
    return Rating.Easy if outcome.seconds <= QUICK_SECONDS.get(outcome.kind, 0.0) else Rating.Good
