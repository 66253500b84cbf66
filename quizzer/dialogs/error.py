"""Errors shown to the learner instead of a traceback, and the guard that catches them.

A ``QuizzerError`` is the learner's to read: a notification, or this dialog when it is fatal.
Anything else is a bug: its traceback goes to the log file and a one-line notification names
the file. Either way the app keeps running; every answer was committed when it was given.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Coroutine
from typing import Any, ClassVar, Concatenate, ParamSpec, TypeVar, overload

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from quizzer.errorlog import log_unexpected
from quizzer.errors import QuizzerError

P = ParamSpec("P")
Node = TypeVar("Node", bound=DOMNode)


class ErrorDialog(ModalScreen[None]):
    """A fatal error's title and message, until the learner closes it."""

    DEFAULT_CSS = """
    ErrorDialog {
        align: center middle;
    }
    ErrorDialog > Vertical {
        width: 70%;
        height: auto;
        border: thick $error;
        background: $surface;
        padding: 1 2;
    }
    ErrorDialog #error-title {
        text-style: bold;
        color: $error;
    }
    ErrorDialog #error-message {
        margin: 1 0;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,enter", "dismiss", "Close")]

    def __init__(self, error: QuizzerError) -> None:
        super().__init__()
        self.error = error

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.error.title, markup=False, id="error-title")
            yield Static(self.error.message, markup=False, id="error-message")
            yield Button("OK", variant="error", id="error-ok")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss()


def report_error(app: App[Any], error: Exception) -> None:
    """Show ``error`` to the learner: a QuizzerError as itself, any other as a pointer to the log."""
    if isinstance(error, QuizzerError):
        if error.fatal:
            app.push_screen(ErrorDialog(error))
        else:
            app.notify(error.message, title=error.title, severity="error", markup=False)
        return
    path = log_unexpected(error)
    first_line = (str(error).splitlines() or [""])[0]
    app.notify(f"Unexpected {type(error).__name__}: {first_line} · details in {path}", severity="error", markup=False)


@overload
def reports_errors(
    handler: Callable[Concatenate[Node, P], Coroutine[Any, Any, None]],
) -> Callable[Concatenate[Node, P], Coroutine[Any, Any, None]]: ...
@overload
def reports_errors(handler: Callable[Concatenate[Node, P], None]) -> Callable[Concatenate[Node, P], None]: ...
def reports_errors(handler: Callable[Concatenate[Node, P], Any]) -> Callable[Concatenate[Node, P], Any]:
    """Guard a message handler, callback or worker of a screen: an exception it raises is reported
    (see ``report_error``) instead of ending the app. Actions need no guard: the app runs them guarded.

    Safe in thread workers: the report is posted to the app's own message queue.
    """
    if inspect.iscoroutinefunction(handler):

        @functools.wraps(handler)
        async def guarded_async(node: Node, /, *args: P.args, **kwargs: P.kwargs) -> None:
            try:
                await handler(node, *args, **kwargs)
            except Exception as error:
                node.app.call_later(report_error, node.app, error)

        return guarded_async

    @functools.wraps(handler)
    def guarded(node: Node, /, *args: P.args, **kwargs: P.kwargs) -> None:
        try:
            handler(node, *args, **kwargs)
        except Exception as error:
            node.app.call_later(report_error, node.app, error)

    return guarded
