"""Layering, proved at run time and by import-linter's contracts in pyproject.toml.

A static contract cannot tell a module-level import from one deferred into the function
that needs it, so each module is also imported in a fresh interpreter and ``sys.modules``
is inspected.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from quizzer.kinds.registry import KINDS

REPO = Path(__file__).resolve().parent.parent


def modules_after_import(module: str) -> set[str]:
    code = f"import sys, {module}; print('\\n'.join(sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    return {name.split(".")[0] for name in result.stdout.split()}


@pytest.mark.parametrize(
    "module",
    [
        "quizzer.cli", "quizzer.app", "quizzer.kinds.registry",
        "quizzer.grading.client", "quizzer.grading.instance", "quizzer.grading.answers", "quizzer.grading.rules",
    ],
)
def test_the_ui_process_never_imports_torch(module: str) -> None:
    loaded = modules_after_import(module)
    assert "torch" not in loaded and "numpy" not in loaded


@pytest.mark.parametrize(
    "module",
    ["quizzer.storage.models", "quizzer.corpus.importer", "quizzer.scheduling.queue", "quizzer.services.container", "quizzer.grading.service"],
)
def test_the_domain_never_imports_textual(module: str) -> None:
    assert "textual" not in modules_after_import(module)


@pytest.mark.parametrize("kind", KINDS)
def test_a_kinds_spec_imports_neither_textual_nor_torch(kind: str) -> None:
    assert not {"textual", "torch", "numpy"} & modules_after_import(f"quizzer.kinds.{kind}.spec")


@pytest.mark.parametrize("view", [kind.view for kind in KINDS.values() if kind.view is not None])
def test_a_kinds_answer_widget_never_imports_torch(view: str) -> None:
    assert not {"torch", "numpy"} & modules_after_import(view)


def test_the_cli_imports_textual_only_to_start_the_tui() -> None:
    assert "textual" not in modules_after_import("quizzer.cli")


def test_import_linter_contracts_hold() -> None:
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint is not None, "import-linter is a test dependency"
    result = subprocess.run([lint], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize(
    "module",
    [
        "quizzer.services.stats", "quizzer.services.history", "quizzer.services.optimizer", "quizzer.services.simulation",
        "quizzer.scheduling.optimize", "quizzer.screens.stats",
    ],
)
def test_statistics_and_the_optimizer_never_load_torch_or_pandas(module: str) -> None:
    loaded = modules_after_import(module)
    assert not {"torch", "numpy", "pandas"} & loaded


@pytest.mark.parametrize("module", ["quizzer.stats.activity", "quizzer.services.stats", "quizzer.scheduling.optimize"])
def test_statistics_never_import_textual(module: str) -> None:
    assert "textual" not in modules_after_import(module)
