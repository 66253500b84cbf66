"""Integrity and backups, through the CLI as a script would use it: a damaged or foreign
database is refused untouched, backups rotate, restore puts one back and keeps what it replaced,
and ``quizzer doctor`` says what is fine and what to do."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quizzer.app import make_app
from quizzer.services.container import Services
from quizzer.storage import backup
from tests.test_cli import quizzer

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "quizzer.sqlite3"
    assert quizzer("due", db=f"sqlite:///{path}").returncode == 0
    return path


def reviews(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        return int(connection.execute("SELECT count(*) FROM cards").fetchone()[0])


def test_another_programs_sqlite_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    foreign = tmp_path / "notes.db"
    with sqlite3.connect(foreign) as connection:
        connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    before = foreign.read_bytes()
    result = quizzer("due", db=f"sqlite:///{foreign}")
    assert result.returncode == 2
    assert result.stderr == f"quizzer: {foreign} is another program's database (tables notes), not quizzer's: left untouched; pass another --db\n"
    assert foreign.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]


def test_a_file_that_is_not_sqlite_is_refused_in_one_line(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("hello\n")
    result = quizzer("due", db=f"sqlite:///{text}")
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1 and "is not an SQLite database" in result.stderr
    assert text.read_text() == "hello\n"


def test_a_damaged_database_is_refused_on_start_naming_restore(database: Path) -> None:
    with sqlite3.connect(database) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        root = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = 'cards'").fetchone()[0]
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
    with database.open("r+b") as file:  # scribble over the cards table's first page
        file.seek((root - 1) * page_size)
        file.write(b"\xff" * 64)
    result = quizzer("due", db=f"sqlite:///{database}")
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1
    assert "is damaged" in result.stderr and "quizzer restore" in result.stderr


def test_backup_writes_a_consistent_copy_into_the_backups_folder_beside_the_database(database: Path) -> None:
    result = quizzer("backup", db=f"sqlite:///{database}")
    assert result.returncode == 0
    [copy] = (database.parent / "backups").glob("manual-*.sqlite3")
    assert reviews(copy) == reviews(database) > 0


def test_a_backup_that_fails_leaves_no_file_behind(tmp_path: Path) -> None:
    damaged = tmp_path / "quizzer.sqlite3"
    damaged.write_text("not a database")
    result = quizzer("backup", str(tmp_path / "copy.sqlite3"), db=f"sqlite:///{damaged}")
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["quizzer.sqlite3"]


def test_daily_backups_are_taken_once_a_day_and_the_newest_seven_kept(database: Path) -> None:
    taken = [backup.daily(database, NOW + timedelta(days=day)) for day in range(9)]
    assert backup.daily(database, NOW + timedelta(days=8, hours=1)) is None  # one a day
    assert all(taken)
    kept = sorted(p.name for p in (database.parent / "backups").iterdir())
    assert kept == [f"daily-2026-03-{day:02d}.sqlite3" for day in range(4, 11)]


def test_restore_puts_a_backup_back_and_keeps_the_database_it_replaced(database: Path, tmp_path: Path) -> None:
    saved = tmp_path / "saved.sqlite3"
    assert quizzer("backup", str(saved), db=f"sqlite:///{database}").returncode == 0
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE cards SET suspended = 1")
    result = quizzer("restore", str(saved), db=f"sqlite:///{database}")
    assert result.returncode == 0 and "the database as it was is in" in result.stdout
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT count(*) FROM cards WHERE suspended").fetchone()[0] == 0
    [kept] = (database.parent / "backups").glob("before-restore-*.sqlite3")
    with sqlite3.connect(kept) as connection:
        assert connection.execute("SELECT count(*) FROM cards WHERE NOT suspended").fetchone()[0] == 0


def test_restore_refuses_a_file_that_is_not_a_quizzer_database(database: Path, tmp_path: Path) -> None:
    foreign = tmp_path / "other.sqlite3"
    with sqlite3.connect(foreign) as connection:
        connection.execute("CREATE TABLE t (x)")
    before = database.read_bytes()
    result = quizzer("restore", str(foreign), db=f"sqlite:///{database}")
    assert (result.returncode, result.stderr) == (2, f"quizzer: {foreign} is not a quizzer database: nothing restored\n")
    assert database.read_bytes() == before


@pytest.mark.parametrize("command", [("backup",), ("restore", "x.sqlite3")])
def test_backup_and_restore_on_postgresql_say_to_use_pg_dump(command: tuple[str, ...]) -> None:
    result = quizzer(*command, db="postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert result.returncode == 2 and "pg_dump" in result.stderr and len(result.stderr.splitlines()) == 1


def test_doctor_says_ok_or_what_to_do_for_each_finding(database: Path) -> None:
    result = quizzer("doctor", db=f"sqlite:///{database}")
    lines = {line.split()[1]: line for line in result.stdout.splitlines()}
    assert list(lines) == ["schema", "integrity", "deck", "backups", "uid", "landlock", "network", "seccomp", "memory"]
    assert all(line.startswith(("OK ", "FIX ")) for line in lines.values())
    assert lines["schema"].startswith("OK") and lines["integrity"].startswith("OK") and lines["deck"].startswith("OK")
    assert lines["backups"].startswith("FIX") and "quizzer backup" in lines["backups"] and result.returncode == 1
    assert quizzer("backup", db=f"sqlite:///{database}").returncode == 0
    assert quizzer("doctor", db=f"sqlite:///{database}").stdout.splitlines()[3].startswith("OK   backups")


async def test_the_app_takes_the_days_backup_after_its_first_frame(sqlite_services: Services, tmp_path: Path) -> None:
    app = make_app(sqlite_services, deck="beta")
    async with app.run_test() as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
    assert [p.name for p in (tmp_path / "backups").iterdir()] == ["daily-2026-03-02.sqlite3"]
