"""One error hierarchy: every failure the user should read is a QuizzerError.

The CLI prints ``message`` on one line and exits with status 2; the TUI shows it in a
notification, or in an error dialog with ``title`` when it is ``fatal``, and stays usable.
Any other exception is a bug: the TUI writes it with its traceback to the log file in the
data folder. A drill that fails is a grading *result*, never an exception.
"""

from __future__ import annotations


class QuizzerError(Exception):
    """Base class for errors shown to the learner."""

    title = "Error"
    fatal = False
    """True when the learner must stop and read it (a dialog), not just glance at it (a notification)."""

    def __init__(self, message: str, title: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if title is not None:
            self.title = title


class ContentError(QuizzerError):
    """Content files are invalid; ``problems`` holds every ``file:line: what`` found, their
    file names relative to ``where`` (the path the learner gave, which the header names)."""

    title = "Invalid content"

    def __init__(self, problems: list[str], where: str = "content") -> None:
        self.problems = problems
        if len(problems) == 1:  # one problem is one line: the header would only repeat it
            super().__init__(problems[0])
        else:
            super().__init__(f"{len(problems)} problems in {where}:\n" + "\n".join(problems))


class StorageError(QuizzerError):
    """The database cannot be opened, migrated or written."""

    title = "Database error"
    fatal = True


class CardChanged(StorageError):
    """The card was changed (answered, undone, suspended…) elsewhere after it was shown here:
    the answer given to the old state is refused, not stored a second time."""

    title = "Answered elsewhere"


class ConfigError(QuizzerError):
    """A setting has a value quizzer cannot use."""

    title = "Invalid setting"


class NotFoundError(QuizzerError):
    """An item, deck or card id that does not exist."""

    title = "Not found"


class GradingError(QuizzerError):
    """The grader itself cannot run (not: the learner's code failed)."""

    title = "Grader unavailable"


class UsageError(QuizzerError):
    """A command was given something it cannot use (a missing file, a bad argument)."""

    title = "Cannot do that"


class NothingToStudy(UsageError):
    """A custom study choice selects no card: an answer, not a mistake. The CLI says so and
    exits 0; the custom study dialog stays open to choose again."""

    title = "Nothing to study"


class HistoryError(QuizzerError):
    """A review history file cannot be read; the message names the file and line."""

    title = "Invalid review history"


class InteropError(QuizzerError):
    """A file from another app (an Anki package, a CSV of cards) that cannot be imported; the
    message says what is wrong and where (``file:line`` for a row)."""

    title = "Cannot import"


class QueryError(UsageError):
    """A search the browser cannot read; the message names the column."""

    title = "Bad search"
