"""The one "now" of the domain: every command, the app and the services read the time here.

``QUIZZER_NOW`` (an ISO time, e.g. ``2026-12-05T08:00``; UTC when it names no offset) starts
the clock at that moment, so a later day can be tried and tested without editing the database.
The clock then runs on from there in real time, so a learning step of one minute still comes
due a minute later.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from quizzer.errors import ConfigError

Clock = Callable[[], datetime]

_started = time.monotonic()
"""When this process began reading the clock: ``QUIZZER_NOW`` is the time at this instant."""


def pinned_start(text: str) -> datetime:
    """Read ``QUIZZER_NOW``'s text as an aware UTC time, or say plainly why it cannot be."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ConfigError(f"QUIZZER_NOW: {text!r} is not an ISO time such as 2026-12-05T08:00") from None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def utc_now() -> datetime:
    """Now, in UTC: the real time, or ``QUIZZER_NOW`` plus the time this process has run since."""
    text = os.environ.get("QUIZZER_NOW")
    if not text:
        return datetime.now(UTC)
    return pinned_start(text) + timedelta(seconds=time.monotonic() - _started)
