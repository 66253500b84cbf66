"""The code passes its static checks: ruff's lint rules (pyproject.toml's ``[tool.ruff]``)."""

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


def test_ruff_finds_nothing() -> None:
    result = subprocess.run([tool("ruff"), "check", "--no-cache", "quizzer", "tests"], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr
