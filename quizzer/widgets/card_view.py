"""The text of a card in the chosen language(s): prompt, and the answer once revealed."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.widgets import Static

from quizzer.kinds.base import Bilingual
from quizzer.vocabulary import Showing


def in_language(texts: Bilingual, language: Showing) -> str:
    """``zh``, ``en``, or both: leading lines they share (code, a typed answer) once, then
    the Chinese rest and the English rest, separated by blank lines."""
    if language != "both":
        return texts[language]
    zh, en = texts["zh"].split("\n"), texts["en"].split("\n")
    n = 0
    while n < min(len(zh), len(en)) and zh[n] == en[n]:
        n += 1
    shared = "\n".join(zh[:n]).strip("\n")
    rest = "\n\n".join(part for part in ("\n".join(zh[n:]).strip("\n"), "\n".join(en[n:]).strip("\n")) if part)
    if not shared or not rest:
        return shared or rest
    return shared + ("\n\n" if zh[n - 1] == "" else "\n") + rest


class CardView(VerticalScroll):
    """Shows a prompt and, after ``revealed`` is set, the answer below a rule."""

    DEFAULT_CSS = """
    CardView {
        height: 1fr;
        border: round $primary;
        padding: 0 1;
    }
    CardView #prompt {
        margin-bottom: 1;
    }
    CardView #answer {
        display: none;
        border-top: solid $secondary;
        padding-top: 1;
    }
    CardView.-revealed #answer {
        display: block;
    }
    """

    language: reactive[Showing] = reactive[Showing]("both")
    revealed: reactive[bool] = reactive(False)

    def __init__(self, prompt: Bilingual, answer: Bilingual, language: Showing) -> None:
        super().__init__()
        self.prompt, self.answer = prompt, answer
        self.set_reactive(CardView.language, language)

    def compose(self) -> ComposeResult:
        # markup=False: card text is content, and `x[0]` must not be read as a style tag.
        yield Static(in_language(self.prompt, self.language), markup=False, id="prompt")
        yield Static(in_language(self.answer, self.language), markup=False, id="answer")

    def watch_language(self, language: Showing) -> None:
        if self.is_mounted:
            self.query_one("#prompt", Static).update(in_language(self.prompt, language))
            self.query_one("#answer", Static).update(in_language(self.answer, language))

    def watch_revealed(self, revealed: bool) -> None:
        self.set_class(revealed, "-revealed")
