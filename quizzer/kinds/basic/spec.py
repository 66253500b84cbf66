"""A basic card: ``front`` and ``back``, both bilingual. Shown, revealed, rated."""

from __future__ import annotations

from quizzer.kinds.base import Body, Face, Kind, Portable
from quizzer.kinds.fields import bilingual


def face(body: Body, _ordinal: int, _seed: int) -> Face:
    return Face(prompt=body["front"], answer=body["back"])


def portable(body: Body) -> Portable:
    return Portable("basic", {"front": body["front"], "back": body["back"]})


KIND = Kind(name="basic", required={"front": bilingual, "back": bilingual}, face=face, portable=portable)
