"""The log file in the learner's data folder, where errors that are bugs are kept with their traceback."""

from __future__ import annotations

import traceback
from datetime import UTC, datetime
from pathlib import Path

from quizzer.config import log_file


def log_unexpected(error: BaseException) -> Path:
    """Append ``error`` and its traceback to the log file; return the file, for the message that names it."""
    path = log_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    with path.open("a", encoding="utf-8") as log:
        log.write(f"{stamp} unexpected error\n{''.join(traceback.format_exception(error))}\n")
    return path
