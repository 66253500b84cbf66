"""Start-up to the first card on screen, against a bare Textual app showing one label.

Each run is a fresh interpreter, timed from spawn until the app has painted what matters and
exited: for quizzer, the first card (or drill) of a review (the same path as ``quizzer --deck d2l::transformer``:
open the database, migrate, sync the bundled deck, build the app, show a card); for the bare
app, one Label. Runs alternate so both see the same machine load; the figure that matters is
the ratio of the medians (target ≤ 2.0).

    .venv/bin/python benchmarks/startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

BARE = """
from textual.app import App
from textual.widgets import Label

class Bare(App):
    def compose(self):
        yield Label("hello")

async def shown(pilot):
    await pilot.pause()
    pilot.app.exit()

Bare().run(headless=True, size=(80, 24), auto_pilot=shown)
"""

QUIZZER = """
import sys
from quizzer.app import make_app
from quizzer.config import Config
from quizzer.services.container import Services

services = Services.open(Config(db_url=sys.argv[1]))
services.content.sync(services.config.content_dir)
app = make_app(services, deck="d2l::transformer")

async def shown(pilot):
    while not pilot.app.screen.query("CardView, DrillScreen #prompt"):  # a card, or a drill
        await pilot.pause(0.005)
    await pilot.pause()
    pilot.app.exit()

app.run(headless=True, size=(80, 24), auto_pilot=shown)
services.close()
"""


def timed(code: str, *args: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, *args], check=True, cwd=REPO)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        timed(QUIZZER, url)  # first start imports the deck; later starts are the daily case
        bare, quizzer = [], []
        for _ in range(runs):
            bare.append(timed(BARE))
            quizzer.append(timed(QUIZZER, url))
    b, q = statistics.median(bare), statistics.median(quizzer)
    print(f"bare Textual app, first frame:   median {b * 1000:6.0f} ms  ({runs} runs)")
    print(f"quizzer, first card of a review: median {q * 1000:6.0f} ms  ({runs} runs)")
    print(f"ratio quizzer / bare:            {q / b:.2f}x  (target <= 2.0x)")


if __name__ == "__main__":
    main()
