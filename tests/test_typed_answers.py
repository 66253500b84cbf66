"""Typed answers are compared leniently: what differs only in how it was typed matches, in
either language; a number or a shape however written; nothing that says something else."""

from __future__ import annotations

import pytest

from quizzer.kinds.typed.answers import answer_matches
from quizzer.kinds.typed.compare import closest, compare, shape_forms

MEANS = "一共计算出多少个均值？ How many means does it compute?"


@pytest.mark.parametrize(
    ("given", "accepted"),
    [
        ("（２，３）", "(2, 3)"),  # full-width
        ("TORCH.SIZE([2, 3])", "torch.Size([2, 3])"),  # case
        ("  4 x ", "4x"),  # spacing
        ("16。", "16"),  # trailing punctuation
        ("½ (ŷ − y)²", "½(ŷ - y)²"),  # typeset minus
        ("8×16", "8x16"),  # typeset times
        ("4·x", "4*x"),  # middle dot
        ("D、B、C、A", "D, B, C, A"),  # the Chinese enumeration comma
    ],
)
def test_answers_that_differ_only_in_typing_match(given: str, accepted: str) -> None:
    assert answer_matches(given, [accepted])


@pytest.mark.parametrize("given", ["0.2", ".2", "0.20", "1/5", "2e-1", "tensor(0.2000)", "约0.2", "about 0.2"])
def test_a_number_matches_however_it_is_written(given: str) -> None:
    assert answer_matches(given, ["0.2"])


@pytest.mark.parametrize("given", ["2", "0.02", "0.2 0.2", "(0.2)x"])
def test_another_number_never_matches(given: str) -> None:
    assert not answer_matches(given, ["0.2", ".2"])


def test_thousands_may_be_separated_by_commas_but_a_list_is_no_number() -> None:
    assert answer_matches("1,050,624", ["1050624"])
    assert not answer_matches("10,50", ["1050"])


@pytest.mark.parametrize("given", ["12个", "12 个"])
def test_a_count_may_carry_its_chinese_measure_word(given: str) -> None:
    assert answer_matches(given, ["12"])


def test_a_full_width_count_with_its_measure_word_matches() -> None:
    assert answer_matches("２３个", ["23"])


@pytest.mark.parametrize("given", ["16个均值", "16 means", "16 mean"])
def test_a_count_may_name_what_it_counts_in_the_question_s_words(given: str) -> None:
    assert answer_matches(given, ["16"], question=MEANS)


@pytest.mark.parametrize("given", ["16万", "16k", "16 thousand", "16 channels", "16个通道"])
def test_a_multiplier_or_a_word_the_question_does_not_use_is_not_a_unit(given: str) -> None:
    assert not answer_matches(given, ["16"], question=MEANS)


@pytest.mark.parametrize("given", ["10 32 28", "(10, 32, 28)", "torch.Size([10, 32, 28])", "10×32×28", "[10,32,28]"])
def test_a_shape_card_reads_a_shape_as_predict_drills_do(given: str) -> None:
    assert answer_matches(given, ["(10, 32, 28)"], shape=True)


def test_a_full_width_shape_matches() -> None:
    assert answer_matches("（２，３）", ["(2, 3)"], shape=True)


def test_another_shape_never_matches() -> None:
    assert not answer_matches("10 28 32", ["(10, 32, 28)"], shape=True)
    assert not answer_matches("10 32 28 1", ["(10, 32, 28)"], shape=True)


def test_only_a_shape_card_reads_shapes() -> None:
    """``2x3`` is a shape, not the values 2 and 3 a card may list as ``(2, 3)``."""
    assert not answer_matches("2x3", ["(2, 3)"])


def test_an_empty_answer_never_matches() -> None:
    assert not answer_matches("  ", [""])


def test_the_comparison_marks_typed_characters_good_or_bad_and_expected_ones_missed() -> None:
    comparison = compare("(2, 5, 17)", "(2, 5, 16)")
    assert [run for run in comparison.typed if run[1] != "space"] == [("(2,", "good"), ("5,", "good"), ("1", "good"), ("7", "bad"), (")", "good")]
    assert ("6", "missed") in comparison.expected


def test_the_comparison_works_on_chinese_and_shows_what_is_missing() -> None:
    comparison = compare("4倍x", "4倍的x")
    assert comparison.typed == [("4倍x", "good")]
    assert comparison.expected == [("4倍", "good"), ("的", "missed"), ("x", "good")]


def test_the_comparison_ignores_case_width_and_spacing() -> None:
    comparison = compare("ＡＢＣ.long", "abc . long")
    assert {mark for _, mark in comparison.typed} == {"good"}
    assert {mark for _, mark in comparison.expected} == {"good", "space"}


def test_a_wrong_shape_is_marked_against_the_form_it_was_typed_in() -> None:
    assert closest("2x5x17", ["(2, 5, 16)", *shape_forms((2, 5, 16))]) == "2x5x16"
    assert closest("2 5 17", ["(2, 5, 16)", *shape_forms((2, 5, 16))]) == "2 5 16"
