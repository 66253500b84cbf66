"""Importing a 10,000-note Anki package (target: under 30 s), and importing it again.

Anki's own backend (the ``anki`` package, a test dependency) builds the collection: Basic,
reversed, typed and cloze notes with a little HTML and tags in nested decks, half of the cards
answered a few times over the last months; it is exported as a current-format .apkg with
its scheduling. The import runs the path ``quizzer import deck.apkg`` does, on a fresh SQLite
database: package read, notes to deck files, the deck folder imported, every card's history
replayed. A second import of the same package (nothing new) is timed too, and, for scale, the
deck files it wrote imported as a plain deck folder (what any deck of that size costs).

    .venv/bin/python benchmarks/anki_import.py [--notes 10000]
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from anki.collection import Collection, ExportAnkiPackageOptions
from anki.decks import DeckId

from quizzer.config import Config
from quizzer.interop.anki_import import AnkiImporter
from quizzer.services.container import Services

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
TYPES = (("Basic", 6), ("Basic (and reversed card)", 1), ("Basic (type in the answer)", 1), ("Cloze", 2))
DECKS = ("DL::CNN", "DL::Attention", "DL::Optimisation", "PyTorch::Autograd", "PyTorch::Tensors")


def build(path: Path, notes: int, rng: random.Random) -> Path:
    """A collection of ``notes`` notes, half its cards answered; exported beside it as .apkg."""
    col = Collection(str(path))
    assert col.db is not None
    decks = [int(col.decks.id(name) or 1) for name in DECKS]
    types = [col.models.by_name(name) for name, weight in TYPES for _ in range(weight)]
    for n in range(notes):
        notetype = rng.choice(types)
        assert notetype is not None
        note = col.new_note(notetype)
        if notetype["type"] == 1:
            note.fields[0] = f"The {{{{c1::gradient}}}} of note {n} flows <i>backwards</i> through {{{{c2::layer {n % 7}}}}}"
        else:
            note.fields[0], note.fields[1] = f"What does <b>step {n}</b> compute?", f"The update<br>of parameter {n}"
        note.tags = [f"topic{n % 13}", "bench::anki"]
        col.add_note(note, DeckId(rng.choice(decks)))
    rows = []
    for (card_id,) in col.db.execute("SELECT id FROM cards"):
        if rng.random() < 0.5:
            at = NOW - timedelta(days=rng.uniform(60, 120))
            for _ in range(rng.randint(2, 5)):
                rows.append((int(at.timestamp() * 1000), card_id, rng.choice((1, 3, 3, 4)), rng.randint(2000, 20000)))
                at += timedelta(days=rng.uniform(1, 12))
    for row in rows:
        col.db.execute("INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type) VALUES (?, ?, -1, ?, 1, 0, 2500, ?, 1)", *row)
    package = path.with_suffix(".apkg")
    options = ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=False, with_media=False, legacy=False)
    col.export_anki_package(out_path=str(package), options=options, limit=None)
    col.close()
    return package


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notes", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ["QUIZZER_HOME"] = folder
        started = time.perf_counter()
        package = build(Path(folder) / "bench.anki2", args.notes, random.Random(7))
        print(f"built {args.notes} notes with Anki in {time.perf_counter() - started:.1f} s ({package.stat().st_size / 1024**2:.1f} MiB)")
        services = Services.open(Config(db_url=f"sqlite:///{folder}/quizzer.sqlite3"), clock=lambda: NOW, tz=UTC)
        importer = AnkiImporter(services.content, services.review, Path(folder) / "decks")
        for label in ("import", "again "):
            started = time.perf_counter()
            report = importer.import_package(package)
            took = time.perf_counter() - started
            print(f"{label} {took:6.1f} s  ({args.notes / took:,.0f} notes/s)  {report.summary()}")
        services.close()
        plain = Services.open(Config(db_url=f"sqlite:///{folder}/plain.sqlite3"), clock=lambda: NOW, tz=UTC)
        started = time.perf_counter()
        plain.content.import_path(Path(folder) / "decks")
        print(f"for scale: the same deck files imported as a plain deck folder into a fresh database: {time.perf_counter() - started:.1f} s")
        plain.close()


if __name__ == "__main__":
    main()
