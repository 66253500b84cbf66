"""Editing an item where it is written: its own file, at its own line, in the learner's editor.

The file's text is kept before the editor opens, so a change that does not check can be
discarded exactly; a change that checks is imported with the rest of its deck folder, and the
item keeps its id, cards and history.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from dataclasses import dataclass
from pathlib import Path

from quizzer.errors import UsageError


def editor_command(file: Path, line: int) -> list[str]:
    """``$VISUAL``, else ``$EDITOR``, else ``vi``, opened at ``line`` by the ``+LINE`` convention."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    return [*shlex.split(editor), f"+{line}", str(file)]


@dataclass(frozen=True)
class Edit:
    """One item's file being edited, with its text from before."""

    item_id: str
    file: Path
    line: int
    original: bytes
    """The file's bytes, so that a discard keeps its line endings (a note's ``\r\n`` too)."""

    def run_editor(self) -> None:
        """Open the editor and wait for it (the caller hands it the terminal)."""
        command = editor_command(self.file, self.line)
        try:
            subprocess.run(command, check=False)
        except OSError as exc:
            raise UsageError(f"cannot start the editor {command[0]!r}: {exc.strerror} (set $VISUAL or $EDITOR)") from exc

    def discard(self) -> None:
        """Put the file back as it was before the edit."""
        self.file.write_bytes(self.original)
