"""Which rating a drill's outcome proposes."""

from __future__ import annotations

from quizzer.scheduling.drill_rating import DrillOutcome, proposed_rating
from quizzer.vocabulary import Rating


def test_a_quick_first_try_pass_is_easy() -> None:
    assert proposed_rating(DrillOutcome("write", True, 0, 0, seconds=30)) == Rating.Easy


def test_a_slow_first_try_pass_is_good() -> None:
    assert proposed_rating(DrillOutcome("write", True, 0, 0, seconds=300)) == Rating.Good


def test_quick_means_less_time_for_a_prediction_than_for_code() -> None:
    assert proposed_rating(DrillOutcome("predict", True, 0, 0, seconds=30)) == Rating.Good


def test_a_pass_after_a_failed_try_is_hard() -> None:
    assert proposed_rating(DrillOutcome("write", True, 1, 0, seconds=30)) == Rating.Hard


def test_a_pass_after_a_hint_is_hard() -> None:
    assert proposed_rating(DrillOutcome("predict", True, 0, 1, seconds=5)) == Rating.Hard


def test_giving_up_is_again() -> None:
    assert proposed_rating(DrillOutcome("write", False, 3, 2, seconds=600)) == Rating.Again
