"""Review histories as CSV, in the columns FSRS tools read and write.

``card_id, review_time, review_rating, review_state, review_duration``: the card's id in the
app it came from, when (ISO 8601 with a UTC offset, or Unix milliseconds), 1 Again … 4 Easy,
the card's state before the review (0 new, 1 learning, 2 review, 3 relearning; optional, as
in Anki exports that lack it) and milliseconds spent (optional).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from quizzer.errors import HistoryError
from quizzer.vocabulary import Rating, State

COLUMNS = ("card_id", "review_time", "review_rating", "review_state", "review_duration")
REQUIRED = ("card_id", "review_time", "review_rating")
CARD_KEY_LENGTH = 64
MAX_DURATION_MS = 24 * 3600 * 1000


@dataclass(frozen=True)
class CsvReview:
    card_key: str
    reviewed_at: datetime
    rating: Rating
    state: State | None
    duration_ms: int | None


def _time(text: str) -> datetime:
    try:
        if text.isdigit():
            return datetime.fromtimestamp(int(text) / 1000, UTC)
        parsed = datetime.fromisoformat(text)
    except (OverflowError, OSError):
        raise ValueError(f"review_time {_clip(text)} is out of range") from None
    except ValueError:
        raise ValueError(f"review_time {_clip(text)} is neither ISO 8601 nor Unix milliseconds") from None
    if parsed.tzinfo is None:
        raise ValueError(f"review_time {_clip(text)} has no UTC offset (write e.g. {text}+00:00)")
    try:
        return parsed.astimezone(UTC)
    except OverflowError:  # year 1 east of UTC, year 9999 west of it
        raise ValueError(f"review_time {_clip(text)} is out of range in UTC") from None


def _clip(text: str) -> str:
    """``text`` quoted, shortened if long: a message stays one readable line."""
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _int(row: dict[str, str], column: str, allowed: range | None) -> int | None:
    text = (row.get(column) or "").strip()
    if not text:
        if column in REQUIRED:
            raise ValueError(f"{column} is empty")
        return None
    try:
        value = int(float(text)) if column == "review_duration" else int(text)
    except (ValueError, OverflowError):  # OverflowError: inf
        raise ValueError(f"{column} {_clip(text)} is not a whole number") from None
    if column == "review_duration" and value > MAX_DURATION_MS:
        raise ValueError(f"{column} {_clip(text)} is longer than a day (milliseconds are expected)")
    if allowed is not None and value not in allowed:
        raise ValueError(f"{column} {value} is not one of {allowed.start}–{allowed.stop - 1}")
    if value < 0:
        raise ValueError(f"{column} {value} is negative")
    return value


def _review(row: dict[str, str]) -> CsvReview:
    key = (row.get("card_id") or "").strip()
    if not key or len(key) > CARD_KEY_LENGTH:
        raise ValueError(f"card_id {_clip(key)} must have 1–{CARD_KEY_LENGTH} characters")
    rating = _int(row, "review_rating", range(1, 5))
    assert rating is not None
    state = _int(row, "review_state", range(0, 4))
    return CsvReview(
        key, _time((row.get("review_time") or "").strip()), Rating(rating),
        None if state is None else State(state), _int(row, "review_duration", None),
    )


def read_reviews(path: Path) -> list[CsvReview]:
    """Every review in ``path``; the first bad row raises ``HistoryError`` naming ``path:line``."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as file:
            reader = csv.DictReader(file)
            missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
            if missing:
                raise HistoryError(f"{path}:1: missing column(s) {', '.join(missing)} (needs {', '.join(REQUIRED)})")
            reviews = []
            for row in reader:
                try:
                    reviews.append(_review(row))
                except ValueError as exc:
                    raise HistoryError(f"{path}:{reader.line_num}: {exc}") from None
    except OSError as exc:
        raise HistoryError(f"cannot read {path}: {exc.strerror}") from exc
    except (UnicodeDecodeError, csv.Error) as exc:
        raise HistoryError(f"{path}: not a UTF-8 CSV file ({exc})") from exc
    return reviews


def write_reviews(path: Path, reviews: Iterable[CsvReview]) -> int:
    """Write ``reviews`` with a header; times as ISO 8601 in UTC. Returns how many."""
    count = 0
    try:
        with path.open("w", newline="", encoding="utf-8") as file:
            writer = csv.writer(file)
            writer.writerow(COLUMNS)
            for r in reviews:
                writer.writerow([
                    r.card_key, r.reviewed_at.astimezone(UTC).isoformat(), r.rating.value,
                    "" if r.state is None else r.state.value, "" if r.duration_ms is None else r.duration_ms,
                ])
                count += 1
    except OSError as exc:
        raise HistoryError(f"cannot write {path}: {exc.strerror}") from exc
    return count
