"""Drill instances: parameters drawn from the seed, placeholders filled, the reference hidden."""

from __future__ import annotations

import pytest

from quizzer.errors import GradingError
from quizzer.grading.instance import resolve
from quizzer.kinds.drill import instance_view
from tests.grading.conftest import drill


def test_the_view_never_holds_the_reference_or_the_generator() -> None:
    view = instance_view(drill("softmax-rows"), seed=3)
    assert "reference" not in view and "generator" not in view
    assert "REFERENCE-MARKER" not in repr(view)
    assert view["starter"] == drill("softmax-rows")["starter"] and view["function"] == "softmax"


def test_the_same_seed_renders_the_same_instance() -> None:
    assert instance_view(drill("repeat-rows"), seed=11) == instance_view(drill("repeat-rows"), seed=11)


def test_different_seeds_draw_different_parameters() -> None:
    drawn = {instance_view(drill("repeat-rows"), seed=seed)["params"]["n"] for seed in range(20)}
    assert drawn == {2, 3, 4, 5}


def test_placeholders_are_filled_in_texts_and_code() -> None:
    view = instance_view(drill("repeat-rows"), seed=0, params={"n": 4})
    assert view["prompt"]["en"] == "Repeat each row 4 times."
    assert view["hints"][0]["zh"] == "repeat_interleave，重复 4 次。"
    filled, _ = resolve(drill("repeat-rows"), seed=0, params={"n": 4})
    assert "repeat_interleave(4, dim=0)" in filled["reference"]


def test_given_parameters_must_be_declared_values() -> None:
    with pytest.raises(GradingError, match="not an instance"):
        instance_view(drill("repeat-rows"), seed=0, params={"n": 7})
