"""Where quizzer keeps the learner's files."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizzer.config import data_dir, log_file, user_decks_dir


def test_data_folder_is_the_platform_user_data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("QUIZZER_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert data_dir() == tmp_path / "quizzer"


def test_quizzer_home_moves_the_data_folder_with_the_log_and_own_decks(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("QUIZZER_HOME", str(tmp_path / "mine"))
    assert (data_dir(), log_file().parent, user_decks_dir()) == (tmp_path / "mine",) * 2 + (tmp_path / "mine" / "decks",)
