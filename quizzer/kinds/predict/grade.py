"""How the grading service judges a prediction: the snippet's value (trusted code, run here
and cached per instance) compared with the answer as read for its ``answer_type``. Imported
only by the grading service (it needs torch)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from quizzer.errors import GradingError
from quizzer.grading.answers import UnreadableAnswer, parse_answer
from quizzer.grading.checks import Tolerance, expected_answer, judge_answer
from quizzer.grading.protocol import GradeResult
from quizzer.grading.trusted import Cache, predict_truth

if TYPE_CHECKING:
    from quizzer.grading.service import Grader


def grade(
    grader: Grader, drill: dict[str, Any], filled: dict[str, Any], answer: str, seed: int, params: dict[str, Any]
) -> GradeResult:
    answer_type = filled["answer_type"]
    # The truth first: a broken snippet is a content error even when the answer is unreadable.
    truth = grader.cache.get(Cache.key(drill, seed, params, "truth"), lambda: predict_truth(filled))
    try:
        expected_answer(answer_type, truth)  # so that the proof, which grades no answer, finds a value of another type
        parsed = parse_answer(answer_type, answer)
        check = judge_answer(answer_type, truth, parsed, Tolerance(filled.get("rtol"), filled.get("atol")))
    except UnreadableAnswer as exc:
        return GradeResult("fail", cause="unreadable-answer", cause_detail=str(exc))
    except (TypeError, ValueError, RuntimeError) as exc:
        detail = f"its snippet's value {truth!r} is not a {answer_type} answer ({exc})"
        raise GradingError(f"drill {filled['id']}: {detail}") from exc
    return GradeResult("pass" if check.passed else "fail", checks=[check])
