"""The text of a card in the chosen language(s): prompt, and the answer once revealed."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.widgets import Static

from quizzer.services.views import Bilingual


def in_language(texts: Bilingual, language: str) -> str:
    """``zh``, ``en``, or both separated by a blank line."""
    if language == "both":
        return f"{texts['zh']}\n\n{texts['en']}" if texts["zh"] != texts["en"] else texts["zh"]
    return texts[language]


class CardView(VerticalScroll):
    """Shows a prompt and, after ``revealed`` is set, the answer below a rule."""

    language: reactive[str] = reactive("both")
    revealed: reactive[bool] = reactive(False)

    def __init__(self, prompt: Bilingual, answer: Bilingual, language: str, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.prompt, self.answer = prompt, answer
        self.set_reactive(CardView.language, language)

    def compose(self) -> ComposeResult:
        # markup=False: card text is content, and `x[0]` must not be read as a style tag.
        yield Static(in_language(self.prompt, self.language), markup=False, id="prompt")
        yield Static(in_language(self.answer, self.language), markup=False, id="answer")

    def watch_language(self, language: str) -> None:
        if self.is_mounted:
            self.query_one("#prompt", Static).update(in_language(self.prompt, language))
            self.query_one("#answer", Static).update(in_language(self.answer, language))

    def watch_revealed(self, revealed: bool) -> None:
        self.set_class(revealed, "-revealed")
