"""Which rating a drill's outcome proposes."""

from __future__ import annotations

from quizzer.kinds.base import Outcome
from quizzer.kinds.registry import DRILL_KINDS, KINDS
from quizzer.vocabulary import Rating

write, predict = KINDS["write"].propose, KINDS["predict"].propose


def test_a_quick_first_try_pass_is_easy() -> None:
    assert write(Outcome(True, 0, 0, seconds=30)) == Rating.Easy


def test_a_slow_first_try_pass_is_good() -> None:
    assert write(Outcome(True, 0, 0, seconds=300)) == Rating.Good


def test_quick_means_less_time_for_a_prediction_than_for_code() -> None:
    assert predict(Outcome(True, 0, 0, seconds=30)) == Rating.Good


def test_a_pass_after_a_failed_try_is_hard() -> None:
    assert write(Outcome(True, 1, 0, seconds=30)) == Rating.Hard


def test_a_pass_after_a_hint_is_hard() -> None:
    assert predict(Outcome(True, 0, 1, seconds=5)) == Rating.Hard


def test_giving_up_is_again() -> None:
    assert write(Outcome(False, 3, 2, seconds=600)) == Rating.Again


def test_every_drill_kind_proposes_easy_for_an_instant_first_try_pass() -> None:
    """No drill kind silently lacks a notion of quick."""
    assert [kind for kind in DRILL_KINDS if KINDS[kind].propose(Outcome(True, seconds=0)) != Rating.Easy] == []


def test_a_prediction_passed_after_a_wrong_one_is_again() -> None:
    assert predict(Outcome(True, 1, 0, seconds=5)) == Rating.Again


def test_a_pass_after_giving_up_the_same_day_is_hard() -> None:
    assert write(Outcome(True, 0, 0, seconds=30, gave_up_today=True)) == Rating.Hard
