"""Cards of the learner's own, written as deck files into their own deck folder.

An own card is a plain ``[[card]]`` in ``decks/<deck>.toml`` under the data folder, as a
bundled one would be written, so it can be edited, checked and moved like any other. Its id
is readable and stable: a slug of the front and a short hash of what it says. A card given in
one language only has that text under both ``zh`` and ``en`` (it shows whatever the language
setting), since every text of a deck file is a pair.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from quizzer.errors import UsageError


@dataclass(frozen=True)
class OwnCard:
    """What the learner typed: a front and a back (or a cloze text), in one language or two."""

    deck: str
    front: str
    back: str = ""
    front_zh: str = ""
    back_zh: str = ""
    tags: tuple[str, ...] = ()
    cloze: bool = False
    """``front`` is a cloze text (``{{c1::answer}}``) and there is no back."""

    @property
    def id(self) -> str:
        """``slug-of-the-front-1a2b3c``: readable, and the same for the same card."""
        return readable_id(self.front, self.deck, self.front, self.back, self.front_zh, self.back_zh)

    def toml(self) -> str:
        """The ``[[card]]`` table (TOML strings written as JSON ones, which TOML reads the same)."""
        def pair(name: str, other: str, zh: str) -> list[str]:
            return [f"{name}.zh = {json.dumps(zh or other, ensure_ascii=False)}", f"{name}.en = {json.dumps(other, ensure_ascii=False)}"]

        lines = ["", "[[card]]", f"id = {json.dumps(self.id)}", f'kind = "{"cloze" if self.cloze else "basic"}"', 'source = "own card"']
        if self.tags:
            lines.append(f"tags = {json.dumps(list(self.tags), ensure_ascii=False)}")
        if self.cloze:
            lines += pair("text", self.front, self.front_zh)
        else:
            lines += pair("front", self.front, self.front_zh) + pair("back", self.back, self.back_zh)
        return "\n".join(lines) + "\n"


def readable_id(front: str, *key: str) -> str:
    """A slug of ``front`` and a short hash of ``key``: ``what-does-a-query-attend-to-3f9a1c``."""
    words = re.findall(r"[a-z0-9]+", re.sub(r"\{\{c\d+::|\}\}", " ", front.lower()))
    slug = "-".join(words)[:40].strip("-") or "card"
    return f"{slug}-{hashlib.sha256(chr(0).join(key).encode()).hexdigest()[:6]}"


def deck_file(folder: Path, deck: str) -> Path:
    """``folder/<deck, :: as __>.toml``: one file per deck of the learner's own."""
    if not re.fullmatch(r"[\w-]+(::[\w-]+)*", deck):
        raise UsageError(f"deck {deck!r}: use words joined by :: (e.g. mine::attention)")
    return folder / (deck.replace("::", "__") + ".toml")


def write_card(folder: Path, card: OwnCard) -> Path:
    """Append ``card`` to its deck's file (creating the file with its ``deck =`` line)."""
    if not card.front.strip() or not (card.cloze or card.back.strip()):
        raise UsageError("a card needs a front and a back (or a cloze text)")
    file = deck_file(folder, card.deck)
    folder.mkdir(parents=True, exist_ok=True)
    if not file.exists():
        file.write_text(f"# Your own cards in {card.deck} (quizzer add).\ndeck = {json.dumps(card.deck)}\n", encoding="utf-8")
    with file.open("a", encoding="utf-8") as out:
        out.write(card.toml())
    return file
