"""The drill editor's text, saved as the learner types without ever making the editor wait.

Each change gets the next sequence number; ``save_until_stored`` (a worker) stores the newest
text in a thread, again after a pause while the database refuses, and ``store`` never writes
a text older than one already stored, so saves that finish out of order cannot lose the newest.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable

from quizzer.errors import QuizzerError
from quizzer.storage.retry import retrying

RETRY_PAUSE = 0.5


class Drafts:
    """The newest text of one drill and how much of it is stored; ``save(code)`` writes it."""

    def __init__(self, code: str, save: Callable[[str], None]) -> None:
        self.newest: tuple[int, str] = (0, code)
        self.stored = 0
        self.saving = False
        """A worker is running ``save_until_stored``: changes need no new one."""
        self._save = save
        self._lock = threading.Lock()

    def changed(self, code: str) -> bool:
        """Note a new text; True when a worker must be started to store it."""
        self.newest = (self.newest[0] + 1, code)
        start, self.saving = not self.saving, True
        return start

    async def save_until_stored(self, say: Callable[[str | None], None]) -> None:
        """Store the newest text until it is stored; while the database refuses, say so and retry."""
        try:
            while self.newest[0] > self.stored:
                try:
                    await asyncio.to_thread(self.store, *self.newest)
                    say(None)
                except QuizzerError as exc:
                    say(f"draft not saved yet ({exc.message}) · 草稿尚未保存")
                    await asyncio.sleep(RETRY_PAUSE)
        finally:
            self.saving = False

    def store(self, number: int, code: str) -> None:
        """Store text ``number`` unless a newer one is stored already (runs in a thread)."""
        with self._lock:
            if number > self.stored:
                retrying(lambda: self._save(code), patience=0)
                self.stored = number
