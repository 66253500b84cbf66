"""A typed card: ``front``, ``answers`` (every accepted form), optional ``back``, and
``answer_type = "shape"`` when the answer is a tensor shape (then read in any form predict
drills read). The answer typed is compared leniently (``quizzer.kinds.typed.answers``) and
proposes Good or Again."""

from __future__ import annotations

from typing import Any

from quizzer.kinds.base import Body, Face, Kind, Portable, Problem
from quizzer.kinds.fields import bilingual, joined, string_list
from quizzer.kinds.typed.answers import read_shape

ANSWER_TYPES = ("shape",)
"""The answer types a typed card may declare (words and numbers need none)."""


def accepted_answers(value: Any) -> str | None:
    return string_list(value) or (None if value else "must list at least one answer")


def answer_type(value: Any) -> str | None:
    return None if value in ANSWER_TYPES else f"must be one of {', '.join(ANSWER_TYPES)}, not {value!r}"


def across(body: Body) -> list[Problem]:
    """A shape card's answers are all one shape, each readable as one."""
    if body.get("answer_type") != "shape":
        return []
    shapes = {answer: read_shape(answer) for answer in body["answers"]}
    unreadable = [answer for answer, shape in shapes.items() if shape is None]
    if unreadable:
        return [("answers", f"{unreadable[0]!r} is not a shape such as (2, 3) or torch.Size([2, 3])")]
    return [] if len(set(shapes.values())) == 1 else [("answers", "must all be the same shape (each form is read as one)")]


def face(body: Body, _ordinal: int, _seed: int) -> Face:
    first = body["answers"][0]
    typed = {"answer_type": body["answer_type"]} if "answer_type" in body else {}
    return Face(
        prompt=body["front"], answer=joined({"zh": first, "en": first}, body.get("back")),
        extras={"accepted": body["answers"], **typed},
    )


def portable(body: Body) -> Portable:
    """Anki's type-in-the-answer note, every accepted form kept."""
    return Portable("typed", {"front": body["front"]} | ({"back": body["back"]} if "back" in body else {}), tuple(body["answers"]))


KIND = Kind(
    name="typed", required={"front": bilingual, "answers": accepted_answers},
    optional={"back": bilingual, "answer_type": answer_type}, across=across,
    face=face, view=f"{__package__}.view", portable=portable,
)
