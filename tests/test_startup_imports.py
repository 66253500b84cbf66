"""What the app loads before its first card: only what showing that card needs.

The app is started (in a fresh interpreter) on a database whose deck is already imported, the
daily case, and ``sys.modules`` is read the moment the first card is on screen.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from quizzer.config import Config
from quizzer.services.container import Services
from tests.conftest import FIXTURE_CONTENT, FIXTURES

REPO = Path(__file__).resolve().parent.parent

FIRST_CARD = """
import sys
from pathlib import Path
from quizzer.app import make_app
from quizzer.config import Config
from quizzer.services.container import Services

services = Services.open(Config(db_url=sys.argv[1], content_dir=Path(sys.argv[2])))
services.content.sync(services.config.content_dir)
app = make_app(services, deck="alpha")
loaded = []

async def shown(pilot):
    while not pilot.app.screen.query("CardView"):
        await pilot.pause(0.005)
    loaded.extend(sys.modules)
    pilot.app.exit()

app.run(headless=True, size=(80, 24), auto_pilot=shown)
services.close()
print("\\n".join(loaded))
"""

WAIT_UNTIL_USED = [
    "quizzer.corpus.importer",  # the deck is unchanged: nothing to import
    "tomllib",  # nor to parse
    "alembic",  # the schema is current
    "quizzer.grading.client",  # the grader starts after the first card
    "plotext",  # statistics
    "textual_plotext",
    "quizzer.services.collection",  # search and card actions
    "quizzer.search",
    "quizzer.services.stats",
    "quizzer.scheduling.optimize",  # the FSRS fitter
    "fsrs_rs_python",
    "quizzer.screens.drill",  # the first card is not a drill
    "quizzer.kinds.write.spec",  # nor of another kind than basic: their specs wait,
    "quizzer.kinds.predict.spec",
    "quizzer.kinds.choice.spec",
    "quizzer.kinds.cloze.spec",
    "quizzer.kinds.typed.spec",
    "quizzer.grading.rules",  # and the drills' grading rules and answer types with them
    "quizzer.grading.answers",
    "quizzer.corpus.markdown",  # the deck folder is unchanged: no note to read
]


@pytest.fixture
def imported_deck(tmp_path: Path) -> tuple[str, Path]:
    """A database with a deck of cards and drills already imported, as on any day but the first."""
    deck = tmp_path / "deck"
    shutil.copytree(FIXTURE_CONTENT, deck)
    shutil.copy(FIXTURES / "drill_deck" / "drills.toml", deck / "drills.toml")
    url = f"sqlite:///{tmp_path / 'start.sqlite3'}"
    services = Services.open(Config(db_url=url, content_dir=deck))
    services.content.sync(deck)
    services.close()
    return url, deck


def test_the_first_card_loads_nothing_it_does_not_need(imported_deck: tuple[str, Path]) -> None:
    url, deck = imported_deck
    result = subprocess.run(
        [sys.executable, "-c", FIRST_CARD, url, str(deck)], capture_output=True, text=True, check=True, cwd=REPO, timeout=60
    )
    loaded = set(result.stdout.split())
    assert "quizzer.widgets.card_view" in loaded
    assert [module for module in WAIT_UNTIL_USED if module in loaded] == []
