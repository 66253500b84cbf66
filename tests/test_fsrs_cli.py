"""``quizzer optimize`` and ``quizzer simulate`` run as a script would, on a generated history."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_cli import quizzer
from tests.test_optimize import SLOW_LEARNER, history_of


@pytest.fixture
def history_db(tmp_path: Path) -> str:
    """A database holding only an imported history drawn from ``SLOW_LEARNER``."""
    url = f"sqlite:///{tmp_path / 'history.sqlite3'}"
    (tmp_path / "history.csv").write_text(history_of(SLOW_LEARNER, cards=110, seed=5))
    assert quizzer("import-log", str(tmp_path / "history.csv"), db=url).returncode == 0
    return url


def test_optimize_evaluate_prints_the_long_term_and_the_same_day_table(history_db: str) -> None:
    result = quizzer("optimize", "--evaluate", db=history_db)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    same_day = next(i for i, line in enumerate(lines) if line.startswith("Same-day reviews"))
    assert [line.split()[0] for line in lines[same_day + 2:same_day + 6]] == ["FSRS", "fitted", "fitted,", "mean"]
    assert lines[-1] == "Not applied: evaluation only."


def test_optimize_of_an_empty_history_is_a_one_line_error(tmp_path: Path) -> None:
    result = quizzer("optimize", db=f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    assert result.returncode == 2
    assert result.stderr == "quizzer: 0 reviews are too few to fit and test FSRS parameters\n"
