"""The bundled deck covers the notes: every topic of the notes' README has cards, every
computational topic has drills, and the deck is as large as promised.

The manifests in ``tests/topics/`` list, per topic of the notes, the items that teach it.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from functools import cache
from pathlib import Path
from typing import TypedDict

import pytest

from quizzer.config import BUNDLED_CONTENT_DIR
from quizzer.corpus.format import ItemSpec, load_content
from quizzer.kinds.registry import CARD_KINDS, DRILL_KINDS

TOPICS = Path(__file__).parent / "topics"


class Topic(TypedDict):
    """One ``[[topic]]`` of a manifest."""

    title: str
    note: str
    computational: bool
    items: list[str]


@cache
def items() -> dict[str, ItemSpec]:
    return {item.id: item for item in load_content(BUNDLED_CONTENT_DIR)}


def topics() -> list[Topic]:
    return [topic for path in sorted(TOPICS.glob("*.toml")) for topic in tomllib.loads(path.read_text("utf-8"))["topic"]]


def topic_id(topic: Topic) -> str:
    return topic["title"]


@pytest.mark.parametrize("topic", topics(), ids=topic_id)
def test_every_item_a_topic_names_exists(topic: Topic) -> None:
    assert [i for i in topic["items"] if i not in items()] == []


@pytest.mark.parametrize("topic", topics(), ids=topic_id)
def test_every_topic_has_a_card(topic: Topic) -> None:
    assert any(items()[i].kind in CARD_KINDS for i in topic["items"] if i in items())


@pytest.mark.parametrize("topic", [t for t in topics() if t["computational"]], ids=topic_id)
def test_every_computational_topic_has_a_drill(topic: Topic) -> None:
    assert any(items()[i].kind in DRILL_KINDS for i in topic["items"] if i in items())


def test_the_deck_has_the_promised_number_of_cards_and_drills() -> None:
    kinds = Counter(item.kind for item in items().values())
    parametrised = sum(1 for item in items().values() if item.kind in DRILL_KINDS and item.body.get("params"))
    assert sum(kinds[k] for k in CARD_KINDS) >= 250
    assert kinds["write"] >= 30 and kinds["predict"] >= 30 and kinds["write"] + kinds["predict"] >= 80
    assert parametrised >= 15


def test_every_item_names_its_source_note() -> None:
    """A note, or the public exercise set an item's idea comes from (written anew, credited)."""
    notes = {"000_", "001_", "002_", "003_", "004_", "Tensor-Puzzles by Sasha Rush"}
    assert [i.id for i in items().values() if not any(i.source.startswith(n) for n in notes)] == []
