"""``quizzer import`` proves the drills it brings in, as ``check`` does, so a drill that
``check`` rejects (here: a reference that raises on every call) never imports; a drill proven once, in exactly its
text, is not proven again."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from quizzer.corpus.format import ItemSpec
from quizzer.errors import ContentError
from quizzer.services.container import Services
from quizzer.vocabulary import Rating
from tests.test_cli import quizzer

DRILL = '''deck = "drills"
[[drill]]
id = "double"
kind = "write"
source = "test § proofs"
prompt = {{ zh = "返回 2x。", en = "Return 2x." }}
function = "double"
starter = """
def double(x):
    return x
"""
reference = """
def double(x):
    {body}
"""
examples = ["torch.arange(4.0)"]
hints = [{{ zh = "乘以 2。", en = "Multiply by 2." }}]
explanation = {{ zh = "乘法。", en = "Multiplication." }}
'''


def deck(folder: Path, body: str) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "drills.toml").write_text(DRILL.format(body=body), encoding="utf-8")
    return folder


def test_a_reference_that_raises_on_every_call_is_a_problem_for_check(tmp_path: Path) -> None:
    result = quizzer("check", str(deck(tmp_path / "deck", 'raise ValueError("no")')))
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        "drills.toml:2: double: the reference raises on every call (seed 0), so any code raising alike passes"
    )


def test_import_refuses_a_drill_that_check_rejects_and_imports_nothing(tmp_path: Path) -> None:
    database = tmp_path / "q.sqlite3"
    assert quizzer("due", db=f"sqlite:///{database}").returncode == 0
    result = quizzer("import", str(deck(tmp_path / "deck", 'raise ValueError("no")')), db=f"sqlite:///{database}")
    assert result.returncode == 2 and "drills.toml:2: double: the reference raises on every call" in result.stderr
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT count(*) FROM items WHERE id = 'double'").fetchone()[0] == 0


def test_a_drill_is_proven_once_per_text(sqlite_services: Services, tmp_path: Path) -> None:
    proven: list[str] = []

    def prove(specs: list[ItemSpec]) -> list[str]:
        proven.extend(spec.id for spec in specs)
        return []

    folder = deck(tmp_path / "deck", "return x * 2")
    sqlite_services.content.import_path(folder, prove=prove)
    sqlite_services.content.import_path(folder, prove=prove)
    assert proven == ["double"]
    deck(folder, "return x + x")
    sqlite_services.content.import_path(folder, prove=prove)
    assert proven == ["double", "double"]


def test_a_failed_proof_imports_nothing_and_stores_no_proof(sqlite_services: Services, tmp_path: Path) -> None:
    folder = deck(tmp_path / "deck", "return x * 2")
    with pytest.raises(ContentError):
        sqlite_services.content.import_path(folder, prove=lambda specs: ["drills.toml:3: double: broken"])
    proven: list[str] = []

    def prove(specs: list[ItemSpec]) -> list[str]:
        proven.extend(spec.id for spec in specs)
        return []

    sqlite_services.content.import_path(folder, prove=prove)
    assert proven == ["double"]


def queue_ids(services: Services) -> list[str]:
    """Every item the review would show today, in order, answering each with Easy."""
    shown = []
    while (card := services.review.next_card(None)) is not None:
        shown.append(card.item.id)
        services.review.answer(card.card_id, Rating.Easy, version=card.version)
    return shown


def test_the_sync_at_start_keeps_an_unproven_drill_out_of_the_queue_until_it_is_proven(sqlite_services: Services, tmp_path: Path) -> None:
    folder = deck(tmp_path / "deck", "return x * 2")
    sqlite_services.content.sync(folder)  # what every start does: no grader is waited for
    assert [spec.id for spec in sqlite_services.content.awaiting_proof()] == ["double"]
    assert "double" not in queue_ids(sqlite_services)
    assert sqlite_services.prove_pending() == (1, [])  # the app does this after its first frame
    assert sqlite_services.content.awaiting_proof() == []
    assert queue_ids(sqlite_services) == ["double"]


def test_a_drill_that_fails_its_proof_stays_out_of_the_queue_and_says_why(sqlite_services: Services, tmp_path: Path) -> None:
    sqlite_services.content.sync(deck(tmp_path / "deck", 'raise ValueError("no")'))
    proven, problems = sqlite_services.prove_pending()
    assert proven == 0 and [problem.rsplit("/", 1)[-1] for problem in problems] == [
        f"drills.toml:2: double: the reference raises on every call (seed {seed}), so any code raising alike passes" for seed in (0, 1)
    ]
    assert "double" not in queue_ids(sqlite_services)


def test_a_drill_proven_before_in_the_same_text_is_not_held_back_again(sqlite_services: Services, tmp_path: Path) -> None:
    folder = deck(tmp_path / "deck", "return x * 2")
    sqlite_services.content.import_path(folder, prove=lambda specs: [])
    (folder / "other.toml").write_text('deck = "x"\n')  # the folder changed: the sync imports again
    sqlite_services.content.sync(folder)
    assert sqlite_services.content.awaiting_proof() == []
