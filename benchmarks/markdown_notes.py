"""A vault of Markdown notes as a deck folder: reading, the first import (which writes every
card's id marker into its note) and the start-up sync of an unchanged vault, at 10,000 cards.

Writes ``--notes`` notes of 20 cards each (one-liners both ways, ``?`` cards, clozes, under
headings and tags), then times ``check``'s reading of the folder, the first import into a fresh
SQLite database, the sync that finds nothing changed (what every start does), and an import
after one note was edited. For scale, reading the bundled TOML deck is timed per item too.

    .venv/bin/python benchmarks/markdown_notes.py [--notes 500]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from quizzer.config import BUNDLED_CONTENT_DIR, Config
from quizzer.corpus.format import load_content
from quizzer.services.container import Services

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def note(n: int) -> str:
    """One note of 20 cards (four each of five shapes) under two headings."""
    cards = []
    for k in range(4):
        cards += [
            f"What is fact {n}.{k}?::It is answer {n}.{k} #topic-{k}",
            f"Term {n}.{k}:::Definition {n}.{k}",
            f"Why does effect {n}.{k} happen?\n?\nBecause of cause {n}.{k},\nwhich follows from law {k}.",
            f"The value of ==quantity {n}.{k}== is {{{{c2::{k * n}}}}} units.",
        ]
    return f"# Note {n}\n#notes\n\n" + "\n\n".join(cards[:8]) + "\n\n## Details\n\n" + "\n\n".join(cards[8:]) + "\n"


def timed(step: str, action: Callable[[], object], per: int) -> float:
    """Run ``action`` once; print its time, and per one of ``per`` (cards, or items)."""
    started = time.perf_counter()
    result = action()
    seconds = time.perf_counter() - started
    print(f"{step:44} {seconds * 1000:9.0f} ms  ({seconds * 1e6 / per:6.0f} µs each)  {result or ''}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        vault = Path(tmp) / "vault"
        vault.mkdir()
        for n in range(args.notes):
            (vault / f"note {n:04}.md").write_text(note(n), encoding="utf-8")
        cards = sum(len(item.ordinals) for item in load_content(vault))
        print(f"{args.notes} notes, {cards:,} cards")
        services = Services.open(Config(db_url=f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", content_dir=vault), clock=lambda: NOW, tz=UTC)
        read = timed("read and check every note", lambda: len(load_content(vault)), cards)
        timed("first import, writing every id marker", lambda: services.content.import_path(vault).summary(), cards)
        timed("start-up sync, nothing changed", lambda: services.content.sync(vault), cards)
        first = vault / "note 0000.md"
        first.write_text(first.read_text(encoding="utf-8").replace("It is answer 0.0", "It is answer zero"), encoding="utf-8")
        timed("sync after one note was edited", lambda: services.content.sync(vault), cards)
        services.close()
        bundled = load_content(BUNDLED_CONTENT_DIR)
        toml = timed("for scale: read the bundled TOML deck", lambda: len(load_content(BUNDLED_CONTENT_DIR)), len(bundled))
        print(f"reading a Markdown card costs {read / cards / (toml / len(bundled)):.2f}x reading a TOML item")


if __name__ == "__main__":
    main()
