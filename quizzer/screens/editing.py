"""``e``: edit the item on screen in the learner's editor, with the app suspended meanwhile.

On return the file's deck folder is checked and imported; a problem shows as file:line with
the choice to edit again or to discard the edit (the file is put back as it was).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from rich.markup import escape
from textual.app import App, ComposeResult, SuspendNotSupported
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from quizzer.errors import ContentError
from quizzer.services.container import Services
from quizzer.services.editing import Edit


class EditProblems(ModalScreen[bool]):
    """The problems an edit has; dismissed with True to edit again, False to discard it."""

    DEFAULT_CSS = """
    EditProblems {
        align: center middle;
    }
    EditProblems #problems {
        width: 90%;
        height: auto;
        max-height: 80%;
        border: round $error;
        padding: 0 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "choose(True)", "Edit again"), Binding("d", "choose(False)", "Discard the edit"),
    ]

    def __init__(self, problems: list[str]) -> None:
        super().__init__()
        self.problems = problems

    def compose(self) -> ComposeResult:
        with Vertical(id="problems"):
            yield Static(escape("The edit does not check:\n" + "\n".join(self.problems)), id="problem-text")
            with Horizontal():
                yield Button("e  Edit again", id="again", variant="primary")
                yield Button("d  Discard the edit", id="discard", variant="error")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "again")

    def action_choose(self, again: bool) -> None:
        self.dismiss(again)


class ItemEditor:
    """One edit of one item, from the editor to the import; ``done`` runs when it is over (saved or discarded)."""

    def __init__(self, app: App[Any], services: Services, item_id: str, done: Callable[[], object]) -> None:
        self.app, self.services, self.done = app, services, done
        self.edit: Edit = services.content.begin_edit(item_id)

    def run(self) -> None:
        """Hand the terminal to the editor, then check and import what it left."""
        try:
            with self.app.suspend():
                self.edit.run_editor()
        except SuspendNotSupported:  # no terminal to hand over (headless): the editor runs beside the app
            self.edit.run_editor()
        try:
            report = self.services.content.finish_edit(self.edit)
        except ContentError as exc:
            self.app.push_screen(EditProblems(exc.problems), self.chosen)
            return
        self.app.notify(f"{self.edit.item_id}: saved ({report.summary()})")
        self.done()

    def chosen(self, again: bool | None) -> None:
        if again:
            self.run()
            return
        self.edit.discard()
        self.app.notify(f"{self.edit.item_id}: edit discarded, the file is as it was")
        self.done()
