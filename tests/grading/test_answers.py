"""Reading a predict drill's typed answer: lenient formats, never evaluated."""

from __future__ import annotations

import math
from typing import Any

import pytest

from quizzer.grading.answers import UnreadableAnswer, parse_answer


@pytest.mark.parametrize(
    ("answer_type", "text", "value"),
    [
        ("shape", "(8, 16, 32, 32)", (8, 16, 32, 32)),
        ("shape", "torch.Size([8, 16, 32, 32])", (8, 16, 32, 32)),
        ("shape", "[8,16,32,32]", (8, 16, 32, 32)),
        ("shape", "8x16x32x32", (8, 16, 32, 32)),
        ("shape", "8×16×32×32", (8, 16, 32, 32)),
        ("shape", "8, 16, 32, 32", (8, 16, 32, 32)),
        ("shape", "8 16 32 32", (8, 16, 32, 32)),
        ("shape", "`(8,)`", (8,)),
        ("shape", "torch.Size([])", ()),
        ("int", "-12", -12),
        ("int", "1_000", 1000),
        ("int", "tensor(6)", 6),
        ("float", "0.5", 0.5),
        ("float", ".5", 0.5),
        ("float", "1/2", 0.5),
        ("float", "1e-3", 0.001),
        ("float", "tensor(0.5000)", 0.5),
        ("float", "-inf", -math.inf),
        ("bool", "True", True),
        ("bool", "false", False),
        ("bool", "Yes", True),
        ("bool", "否", False),
        ("bool", "tensor(True)", True),
        ("tensor", "tensor([1., 2.])", [1.0, 2.0]),
        ("tensor", "torch.tensor([[1, 2], [3, 4]])", [[1, 2], [3, 4]]),
        ("tensor", "[1, 2]", [1, 2]),
        ("tensor", "1, 2", [1, 2]),
        ("tensor", "tensor([2., 4.], grad_fn=<MulBackward0>)", [2.0, 4.0]),
        ("tensor", "tensor(3.)", 3.0),
        ("text", "  'torch.float32' ", "float32"),
        ("text", "torch.int64", "int64"),
    ],
)
def test_answer_formats_that_read_the_same(answer_type: str, text: str, value: Any) -> None:
    assert parse_answer(answer_type, text) == value


@pytest.mark.parametrize(
    ("answer_type", "text"),
    [
        ("shape", "8x"),
        ("shape", "(-1, 4)"),
        ("int", "1.5"),
        ("int", "__import__('os').system('true')"),
        ("float", "1/0"),
        ("float", "one half"),
        ("bool", "1"),
        ("tensor", "[[1], [2, 3]]"),
        ("text", "   "),
    ],
)
def test_unreadable_answers_are_refused(answer_type: str, text: str) -> None:
    with pytest.raises(UnreadableAnswer):
        parse_answer(answer_type, text)


def test_an_unreadable_answer_says_which_format_is_expected() -> None:
    with pytest.raises(UnreadableAnswer, match=r"expected a shape such as \(8, 16, 32, 32\)"):
        parse_answer("shape", "eight by sixteen")
