"""Where start-up's time goes: CPU time per phase, quizzer beside the bare Textual app.

The same two starts as ``startup.py`` (quizzer's first card of ``d2l::transformer`` on the
bundled deck, already imported; the bare app's one Label), each in a fresh interpreter, with
the process's CPU time read between phases: the imports (Textual, then SQLAlchemy's core, its
ORM, the models, then the rest of quizzer's), opening the database, the deck check, building the
app, reaching the first screen, and painting until the app is idle. CPU time, unlike wall
time, barely depends on what else the machine runs; medians of the runs, which alternate.

    .venv/bin/python benchmarks/startup_phases.py [--runs 9]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

CLOCK = """
import json, sys, time
phases, last = [], 0.0  # process time counts from the interpreter's start
def phase(name):
    global last
    now = time.process_time()
    phases.append((name, now - last))
    last = now
import textual.app, textual.widgets
phase("Python and Textual imports")
"""

SHOWN = """
async def shown(pilot):
    phase("to the first screen")
    while not pilot.app.screen.query(FIRST_SHOWN):
        await pilot.pause(0.005)
    await pilot.pause()
    phase("first paint until idle")
    pilot.app.exit()
"""

BARE = CLOCK + SHOWN + """
FIRST_SHOWN = "Label"

class Bare(textual.app.App):
    def compose(self):
        yield textual.widgets.Label("hello")

Bare().run(headless=True, size=(80, 24), auto_pilot=shown)
phase("exit")
print(json.dumps(phases))
"""

QUIZZER = CLOCK + SHOWN + """
FIRST_SHOWN = "CardView, DrillScreen #prompt"  # a card, or a drill
import sqlalchemy
phase("SQLAlchemy core")
import sqlalchemy.orm
phase("SQLAlchemy ORM")
import quizzer.storage.models
phase("the ORM models")
from quizzer.app import make_app
from quizzer.config import Config
from quizzer.services.container import Services
phase("quizzer's other modules")
services = Services.open(Config(db_url=sys.argv[1]))
services.content.sync(services.config.content_dir)
app = make_app(services, deck="d2l::transformer")
phase("open, deck check, build the app")
app.run(headless=True, size=(80, 24), auto_pilot=shown)
services.close()
phase("exit")
print(json.dumps(phases))
"""


def phases(code: str, *args: str) -> list[tuple[str, float]]:
    result = subprocess.run([sys.executable, "-c", code, *args], check=True, cwd=REPO, capture_output=True, text=True)
    return [(name, seconds) for name, seconds in json.loads(result.stdout.splitlines()[-1])]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    runs = parser.parse_args().runs
    cpu: dict[str, dict[str, list[float]]] = {"bare": defaultdict(list), "quizzer": defaultdict(list)}
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        phases(QUIZZER, url)  # the first start imports the deck; later starts are the daily case
        for _ in range(runs):
            for app, code, args in (("bare", BARE, ()), ("quizzer", QUIZZER, (url,))):
                for name, seconds in phases(code, *args):
                    cpu[app][name].append(seconds)
    print(f"CPU ms, median of {runs} runs    bare  quizzer")
    totals = {"bare": 0.0, "quizzer": 0.0}
    for name in cpu["quizzer"]:
        row = {app: statistics.median(cpu[app][name]) * 1000 if name in cpu[app] else 0.0 for app in cpu}
        totals = {app: totals[app] + row[app] for app in cpu}
        bare = f"{row['bare']:5.0f}" if name in cpu["bare"] else "    -"
        print(f"{name:32s} {bare}  {row['quizzer']:7.0f}")
    print(f"{'total':32s} {totals['bare']:5.0f}  {totals['quizzer']:7.0f}  ({totals['quizzer'] / totals['bare']:.2f}x)")


if __name__ == "__main__":
    main()
