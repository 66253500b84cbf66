"""Typed answers are compared leniently: what differs only in how it was typed matches."""

from __future__ import annotations

import pytest

from quizzer.kinds.typed.spec import answer_matches


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
    ],
)
def test_answers_that_differ_only_in_typing_match(given: str, accepted: str) -> None:
    assert answer_matches(given, [accepted])


def test_a_different_answer_does_not_match() -> None:
    assert not answer_matches("(3, 2)", ["(2, 3)"])


def test_an_empty_answer_never_matches() -> None:
    assert not answer_matches("  ", [""])
