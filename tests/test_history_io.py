"""Review histories in and out as CSV: round trip, optional columns, one transaction, clear errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from quizzer.errors import HistoryError
from quizzer.services.container import Services
from quizzer.storage.models import ImportedReview
from quizzer.vocabulary import Rating
from tests.conftest import FakeClock

REPO = Path(__file__).resolve().parent.parent
HEADER = "card_id,review_time,review_rating,review_state,review_duration\n"


def imported_count(services: Services) -> int:
    with services.review.sessions() as session:
        return session.scalar(select(func.count()).select_from(ImportedReview)) or 0


def answer_some(services: Services, clock: FakeClock) -> None:
    for rating in (Rating.Good, Rating.Good, Rating.Again):
        card = services.review.next_card()
        assert card is not None
        services.review.answer(card.card_id, rating, duration_ms=2500)
        clock.advance(minutes=15)


def test_export_then_import_elsewhere_gives_the_same_history(services: Services, clock: FakeClock, tmp_path: Path) -> None:
    answer_some(services, clock)
    (tmp_path / "anki.csv").write_text(HEADER + "anki-7,2026-01-05T10:00:00.250000+00:00,3,2,8000\n")
    services.history.import_csv(tmp_path / "anki.csv")
    exported = tmp_path / "out.csv"
    assert services.history.export_csv(exported) == 4

    other = Services.open(services.config.__class__(db_url=f"sqlite:///{tmp_path / 'other.sqlite3'}"), clock=clock)
    report = other.history.import_csv(exported)
    again = tmp_path / "again.csv"
    other.history.export_csv(again)
    other.close()

    assert (report.imported, report.already_present) == (4, 0)
    assert again.read_text() == exported.read_text()
    lines = exported.read_text().splitlines()
    assert lines[0] == HEADER.strip() and lines[1] == "anki-7,2026-01-05T10:00:00.250000+00:00,3,2,8000"
    own = [line.split(",") for line in lines[2:]]
    assert tuple(own[0][2:]) == ("3", "0", "2500")  # a new card's first answer
    assert [rating for _, _, rating, _, _ in own] == ["3", "3", "1"]


def test_importing_a_file_again_adds_nothing(services: Services, clock: FakeClock, tmp_path: Path) -> None:
    answer_some(services, clock)
    exported = tmp_path / "out.csv"
    services.history.export_csv(exported)
    report = services.history.import_csv(exported)
    assert (report.imported, report.already_present) == (0, 3) and imported_count(services) == 0


def test_review_state_and_duration_are_optional_and_times_may_be_unix_milliseconds(services: Services, tmp_path: Path) -> None:
    path = tmp_path / "anki.csv"
    path.write_text("card_id,review_rating,review_time\n17,1,1711744352250\n17,3,2024-03-30T20:32:39+00:00\n")
    report = services.history.import_csv(path)
    with services.review.sessions() as session:
        rows = session.execute(select(ImportedReview.card_key, ImportedReview.state, ImportedReview.duration_ms)).all()
    assert report.summary() == "2 reviews of 1 cards imported, 0 already present"
    assert sorted(rows) == [("17", None, None), ("17", None, None)]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("9,2024-03-30T20:32:39+00:00,5,,", "review_rating 5 is not one of 1–4"),
        ("9,2024-03-30T20:32:39,3,,", "has no UTC offset"),
        ("9,yesterday,3,,", "review_time 'yesterday' is neither ISO 8601 nor Unix milliseconds"),
        (",2024-03-30T20:32:39+00:00,3,,", "card_id '' must have 1–64 characters"),
        ("9,2024-03-30T20:32:39+00:00,3,7,", "review_state 7 is not one of 0–3"),
    ],
)
def test_a_bad_row_names_the_file_and_line_and_nothing_is_imported(
    services: Services, tmp_path: Path, row: str, message: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "8,2024-03-29T20:32:39+00:00,3,,\n" + row + "\n")
    with pytest.raises(HistoryError) as error:
        services.history.import_csv(path)
    assert error.value.message.startswith(f"{path}:3: ") and message in error.value.message
    assert imported_count(services) == 0


def test_a_file_without_the_required_columns_is_refused(services: Services, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("id,when\n1,2\n")
    with pytest.raises(HistoryError, match=r"bad.csv:1: missing column\(s\) card_id, review_time, review_rating"):
        services.history.import_csv(path)


def test_import_log_on_the_command_line_reports_a_bad_line_in_one_line_and_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "8,2024-03-29T20:32:39+00:00,0,,\n")
    command = [sys.executable, "-m", "quizzer", "--db", f"sqlite:///{tmp_path / 'h.sqlite3'}", "import-log", str(path)]
    result = subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=60)
    assert result.returncode == 2
    assert result.stderr == f"quizzer: {path}:2: review_rating 0 is not one of 1–4\n"
