"""The code passes its static checks: mypy in strict mode and ruff's lint rules, as configured
in pyproject.toml (``[tool.mypy]``, ``[tool.ruff]``), on the package and its tests."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent))
    assert found is not None, f"{name} is a test dependency"
    return found


def test_mypy_strict_finds_no_type_error() -> None:
    result = subprocess.run([tool("mypy")], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_finds_nothing() -> None:
    result = subprocess.run([tool("ruff"), "check", "--no-cache", "quizzer", "tests"], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr
