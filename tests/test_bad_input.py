"""Bad input anywhere is one line (``file:line`` for content) and a clean exit, never a
traceback, and leaves the database as it was: the deck-file and review-log cases found by
probing, then property tests that mutate a valid deck file and generate review-log CSVs."""

from __future__ import annotations

import contextlib
import io
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import String

from quizzer.cli import main
from quizzer.corpus.format import MAX_DECK_LENGTH, MAX_ID_LENGTH, MAX_SOURCE_LENGTH
from quizzer.storage.models import Item
from tests.conftest import FIXTURE_CONTENT
from tests.test_cli import quizzer

BASICS = (FIXTURE_CONTENT / "basics.toml").read_text(encoding="utf-8")
CARD = 'deck = "x"\n{top}\n[[card]]\nid = "{id}"\nkind = "basic"\nsource = "s"\nfront = {{zh = "问", en = "q"}}\nback = {{zh = "答", en = "a"}}\n'


def run(*argv: str) -> tuple[int, str]:
    """The CLI in this process: its exit code and what it wrote; an exception escapes (a traceback)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main(list(argv))
    return code, out.getvalue()


def snapshot(database: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(database) as connection:
        return [row for table in ("items", "cards", "review_logs", "settings") for row in connection.execute(f"SELECT * FROM {table} ORDER BY 1")]


@pytest.fixture(scope="module")
def seeded() -> Iterator[Path]:
    """A database with the fixture deck imported, copied for each case."""
    folder = Path(tempfile.mkdtemp())
    assert run("--db", f"sqlite:///{folder / 'seed.sqlite3'}", "import", str(FIXTURE_CONTENT))[0] == 0
    yield folder / "seed.sqlite3"
    shutil.rmtree(folder)


def fresh(seeded: Path, folder: Path) -> Path:
    database = folder / "q.sqlite3"
    shutil.copyfile(seeded, database)
    return database


def deck_folder(tmp_path: Path, name: str, content: bytes) -> Path:
    folder = tmp_path / "deck"
    folder.mkdir()
    (folder / name).write_bytes(content)
    return folder


@pytest.mark.parametrize(("content", "message"), [
    (b'deck = "x"\n\xff\xfe\n', "a.toml:2: not UTF-8 text (byte 0xff); save the file as UTF-8"),
    (b"a = " + b"[" * 100_000 + b"]" * 100_000 + b"\n", "a.toml:1: not a deck file: arrays or tables nested too deeply to read"),
    (CARD.format(top='tags = "python"', id="a").encode(), 'a.toml:2: `tags` must be a list of strings, such as ["python"]'),
    (CARD.format(top="", id="a" * (MAX_ID_LENGTH + 1)).encode(), f"a.toml:4: {'a' * (MAX_ID_LENGTH + 1)}: `id` is 101 characters long; at most 100"),
], ids=["not-utf8", "nested-100k-deep", "tags-a-string", "id-too-long"])
def test_a_bad_deck_file_is_one_problem_with_its_line_and_imports_nothing(seeded: Path, tmp_path: Path, content: bytes, message: str) -> None:
    folder = deck_folder(tmp_path, "a.toml", content)
    assert quizzer("check", str(folder)).stderr.splitlines() == [message, "1 problem(s)"]
    database = fresh(seeded, tmp_path)
    before = snapshot(database)
    result = quizzer("import", str(folder), db=f"sqlite:///{database}")
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr
    assert snapshot(database) == before


def test_a_broken_link_is_named_and_a_folder_named_like_a_deck_file_is_skipped(tmp_path: Path) -> None:
    folder = deck_folder(tmp_path, "good.toml", CARD.format(top="", id="a").encode())
    (folder / "gone.toml").symlink_to(tmp_path / "nowhere.toml")
    (folder / "sub.toml").mkdir()
    result = quizzer("check", str(folder))
    assert result.stderr.splitlines() == ["gone.toml:1: cannot read it: No such file or directory (a broken link?)", "1 problem(s)"]


def test_field_lengths_are_those_the_database_columns_hold() -> None:
    def length(column: str) -> int:
        kind = Item.__table__.c[column].type
        assert isinstance(kind, String) and kind.length is not None
        return kind.length

    assert length("id") >= MAX_ID_LENGTH and length("deck") >= MAX_DECK_LENGTH and length("source") >= MAX_SOURCE_LENGTH


@pytest.mark.parametrize(("row", "message"), [
    ("a,2026-01-01T00:00:00+00:00,3,inf", "review_duration 'inf' is not a whole number"),
    ("a,2026-01-01T00:00:00+00:00,3,1e300", "review_duration '1e300' is longer than a day (milliseconds are expected)"),
    (f"a,{'9' * 400},3,", "review_time '9999999999999999999999999999999999999...' is out of range"),
    ("a,0001-01-01T00:00:00+05:00,3,", "review_time '0001-01-01T00:00:00+05:00' is out of range in UTC"),
    ("a,9999-12-31T23:00:00-05:00,3,", "review_time '9999-12-31T23:00:00-05:00' is out of range in UTC"),
])
def test_a_bad_review_log_line_is_one_line_naming_it_and_imports_nothing(seeded: Path, tmp_path: Path, row: str, message: str) -> None:
    csv = tmp_path / "log.csv"
    csv.write_text(f"card_id,review_time,review_rating,review_duration\na,2026-01-01T00:00:00+00:00,3,1000\n{row}\n")
    database = fresh(seeded, tmp_path)
    before = snapshot(database)
    result = quizzer("import-log", str(csv), db=f"sqlite:///{database}")
    assert (result.returncode, result.stderr) == (2, f"quizzer: {csv}:3: {message}\n")
    assert snapshot(database) == before


def test_a_database_under_a_file_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    result = quizzer("due", db=f"sqlite:///{tmp_path / 'file' / 'sub' / 'q.sqlite3'}")
    assert (result.returncode, result.stderr) == (2, f"quizzer: cannot make the database's folder {tmp_path / 'file' / 'sub'}: Not a directory\n")


def test_a_database_that_is_a_folder_is_one_line(tmp_path: Path) -> None:
    result = quizzer("due", db=f"sqlite:///{tmp_path}")
    message = f"{tmp_path} is a folder, not a database file: pass a file's path, e.g. sqlite:///{tmp_path / 'quizzer.sqlite3'}"
    assert (result.returncode, result.stderr) == (2, f"quizzer: {message}\n")


# Property tests: whatever is done to a deck file or a review log, the outcome is an exit code,
# never a traceback, and a failed import changes nothing.

def mutated(text: str) -> st.SearchStrategy[bytes]:
    raw = text.encode()
    edits = st.lists(st.tuples(
        st.sampled_from(["delete", "insert", "replace", "duplicate-line"]),
        st.integers(0, len(raw)), st.integers(0, 40),
        st.binary(max_size=12) | st.sampled_from(
            [b"[[card]]", b'"', b"'''", b"{{c1::", b"= [", b"\n", b"\xff", b"id = ", b"kind = \"drill\"", b"tags = \"x\""]
        ),
    ), min_size=1, max_size=4)

    def apply(changes: list[tuple[str, int, int, bytes]]) -> bytes:
        data = raw
        for kind, at, length, chunk in changes:
            at = min(at, len(data))
            if kind == "delete":
                data = data[:at] + data[at + length:]
            elif kind == "insert":
                data = data[:at] + chunk + data[at:]
            elif kind == "replace":
                data = data[:at] + chunk + data[at + len(chunk):]
            else:
                start = data.rfind(b"\n", 0, at) + 1
                end = data.find(b"\n", at)
                data = data[:end] + b"\n" + data[start:end] + data[end:] if end >= 0 else data
        return data

    return edits.map(apply)


PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@PROPERTY
@given(content=mutated(BASICS))
def test_a_mutated_deck_file_imports_or_is_refused_whole(seeded: Path, tmp_path_factory: pytest.TempPathFactory, content: bytes) -> None:
    folder = tmp_path_factory.mktemp("mutated")
    (folder / "deck").mkdir()
    (folder / "deck" / "basics.toml").write_bytes(content)
    database = fresh(seeded, folder)
    before = snapshot(database)
    code, output = run("--db", f"sqlite:///{database}", "import", str(folder / "deck"))
    assert code in (0, 2) and "Traceback" not in output
    if code == 2:
        assert snapshot(database) == before and output.startswith("quizzer: ")


texts = st.text(max_size=30) | st.sampled_from(["", "nan", "inf", "-inf", "1e300", "-1", "0", "3", "1.5", "9" * 400])
times = texts | st.datetimes().map(lambda d: d.isoformat() + "+00:00") | st.sampled_from([
    "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "2026-01-01T00:00:00", "2026-01-01T00:00:00Z", "1" * 30,
]) | st.integers(-10**20, 10**20).map(str)
rows = st.tuples(st.text(max_size=70), times, texts | st.sampled_from(["1", "2", "3", "4"]), texts, texts)


@PROPERTY
@given(lines=st.lists(rows, min_size=1, max_size=5))
def test_a_generated_review_log_imports_or_is_refused_whole(
    seeded: Path, tmp_path_factory: pytest.TempPathFactory, lines: list[tuple[str, ...]],
) -> None:
    folder = tmp_path_factory.mktemp("csv")
    csv = folder / "log.csv"
    with csv.open("w", newline="", encoding="utf-8", errors="surrogatepass") as out:
        import csv as csv_module

        writer = csv_module.writer(out)
        writer.writerow(["card_id", "review_time", "review_rating", "review_state", "review_duration"])
        writer.writerows(lines)
    database = fresh(seeded, folder)
    before = snapshot(database)
    code, output = run("--db", f"sqlite:///{database}", "import-log", str(csv))
    assert code in (0, 2) and "Traceback" not in output
    if code == 2:
        assert snapshot(database) == before and len(output.splitlines()) == 1
