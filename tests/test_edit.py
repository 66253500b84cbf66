"""Editing an item in $EDITOR from the browser, a review and the shell: a fake editor (a script
that changes a line) stands in for the learner's."""

from __future__ import annotations

import shutil
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fsrs import Rating
from textual.pilot import Pilot
from textual.widgets import Markdown, Static, TextArea

from quizzer.app import QuizzerApp, make_app
from quizzer.config import Config, SchedulingConfig
from quizzer.screens.editing import EditProblems
from quizzer.services.container import Services
from tests.conftest import FIXTURE_CONTENT, FakeClock
from tests.test_browser_screen import SIZE, column, search
from tests.test_cli import quizzer
from tests.test_drill_screen import DRILLS, WRONG_SOFTMAX, drill_on_screen, submit, write_code
from tests.test_search import answer

FAKE_EDITOR = """#!{python}
import pathlib, sys
line, path = sys.argv[1], pathlib.Path(sys.argv[2])
pathlib.Path({log!r}).open("a").write(line + " " + path.name + "\\n")
path.write_text(path.read_text(encoding="utf-8").replace({old!r}, {new!r}), encoding="utf-8")
"""


def fake_editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, old: str, new: str) -> Path:
    """$VISUAL becomes a script replacing ``old`` by ``new`` in the file it is given; returns its log."""
    script, log = tmp_path / "editor", tmp_path / "editor.log"
    script.write_text(FAKE_EDITOR.format(python=sys.executable, log=str(log), old=old, new=new), encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("VISUAL", str(script))
    return log


@pytest.fixture
def deck(tmp_path: Path) -> Path:
    """A copy of the fixture deck that the tests may edit."""
    return Path(shutil.copytree(FIXTURE_CONTENT, tmp_path / "deck"))


@pytest.fixture
def editable(tmp_path: Path, deck: Path, clock: FakeClock, scheduling: SchedulingConfig) -> Iterator[Services]:
    services = Services.open(
        Config(db_url=f"sqlite:///{tmp_path / 'edit.sqlite3'}", content_dir=deck, scheduling=scheduling), clock=clock
    )
    services.content.import_path(deck)
    yield services
    services.close()


async def edit_answered_card_in_the_browser(services: Services, app: QuizzerApp, pilot: Pilot[None]) -> None:
    """alpha-basic-1 answered Good, then ``e`` on its row in the browser (the fake editor runs)."""
    answer(services, "alpha-basic-1", Rating.Good)
    await pilot.press("B")
    await search(app, pilot, "id:alpha-basic-1")
    await pilot.press("e")
    await pilot.pause()


def assert_history_kept(services: Services) -> None:
    (info,) = services.info.info("alpha-basic-1")
    assert [review.rating for review in info.reviews] == ["good"]


async def test_e_in_the_browser_edits_the_item_at_its_line_and_keeps_its_history(
    editable: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = fake_editor(tmp_path, monkeypatch, "Question one", "Question uno")
    app = make_app(editable)
    async with app.run_test(size=SIZE) as pilot:
        await edit_answered_card_in_the_browser(editable, app, pilot)
        assert "Question uno" in column(app, "front")[0]
    assert log.read_text() == "+5 basics.toml\n"
    assert editable.content.show("alpha-basic-1").prompt["en"] == "Question uno"
    assert_history_kept(editable)


async def test_an_edit_that_does_not_check_offers_to_discard_it(
    editable: Services, deck: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_editor(tmp_path, monkeypatch, 'kind = "basic"\nsource = "test § one"', 'kind = "basik"\nsource = "test § one"')
    before = (deck / "basics.toml").read_text(encoding="utf-8")
    app = make_app(editable, deck="alpha")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, EditProblems)
        assert "basics.toml:7" in str(app.screen.query_one("#problem-text", Static).render())
        await pilot.press("d")
        await pilot.pause()
    assert (deck / "basics.toml").read_text(encoding="utf-8") == before
    assert editable.content.show("alpha-basic-1").kind == "basic"


async def test_edit_again_after_a_problem_fixes_it_and_keeps_the_change_and_the_history(
    editable: Services, deck: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_editor(tmp_path, monkeypatch, 'kind = "basic"\nsource = "test § one"\nfront.zh = "问题一"\nfront.en = "Question one"',
                'kind = "basik"\nsource = "test § one"\nfront.zh = "问题一"\nfront.en = "Question uno"')
    app = make_app(editable)
    async with app.run_test(size=SIZE) as pilot:
        await edit_answered_card_in_the_browser(editable, app, pilot)
        assert isinstance(app.screen, EditProblems)
        fake_editor(tmp_path, monkeypatch, 'kind = "basik"', 'kind = "basic"')  # the learner's second go fixes the kind
        await pilot.press("e")
        await pilot.pause()
        assert not isinstance(app.screen, EditProblems)
        assert column(app, "front") == ["问题一 · Question uno"]
    assert 'front.en = "Question uno"' in (deck / "basics.toml").read_text(encoding="utf-8")
    assert_history_kept(editable)


def test_quizzer_edit_from_the_shell_imports_the_change(deck: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_editor(tmp_path, monkeypatch, "Beta question", "Beta query")
    db = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    result = quizzer("edit", "beta-basic", db=db, content=deck)
    assert result.returncode == 0, result.stderr
    assert "Beta query" in quizzer("show", "beta-basic", db=db, content=deck).stdout


@pytest.fixture
def editable_drills(tmp_path: Path, clock: FakeClock, scheduling: SchedulingConfig) -> Iterator[Services]:
    """A copy of the drill fixture deck that the tests may edit, imported."""
    drills = Path(shutil.copytree(DRILLS, tmp_path / "drills"))
    services = Services.open(Config(db_url=f"sqlite:///{tmp_path / 'd.sqlite3'}", content_dir=drills, scheduling=scheduling), clock=clock)
    services.content.import_path(drills)
    yield services
    services.close()


async def test_e_on_a_drill_edits_its_prompt_and_the_drill_shows_again_with_its_id_and_attempts(
    editable_drills: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = fake_editor(tmp_path, monkeypatch, "Write softmax over dim 1", "Write a stable softmax over dim 1")
    app = make_app(editable_drills, deck="drills")
    async with app.run_test(size=SIZE) as pilot:
        await write_code(pilot, app, WRONG_SOFTMAX)
        await submit(pilot, app)
        await pilot.press("e")
        await app.workers.wait_for_complete()
        drill = await drill_on_screen(pilot, app, "drill-softmax")
        assert "Write a stable softmax" in drill.query_one("#prompt", Markdown).source
        assert drill.query_one("#editor", TextArea).text == WRONG_SOFTMAX  # the draft too
    assert log.read_text().endswith(" drills.toml\n")
    (info,) = editable_drills.info.info("drill-softmax")
    assert [attempt.passed for attempt in info.attempts] == [False]
