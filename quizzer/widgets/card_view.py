"""The text of a card in the chosen language(s): prompt, and the answer once revealed."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.widgets import Static

from quizzer.kinds.base import Bilingual, Face, Marks
from quizzer.vocabulary import Showing
from quizzer.widgets.wrapping import Wrapped

MARK_STYLE = "bold reverse"
"""How a cloze's filled deletion stands out in its answer."""
PAGE_BINDINGS = [Binding("pageup", "page(-1)", "Page up", show=False), Binding("pagedown", "page(1)", "Page down", show=False)]
"""Keys every screen showing a card takes whatever has the focus (the rating bar, after an
answer): its ``action_page`` scrolls what it shows by a page."""


def _trimmed(lines: list[Text]) -> list[Text]:
    """Without the blank lines at either end."""
    while lines and not lines[0].plain:
        lines = lines[1:]
    while lines and not lines[-1].plain:
        lines = lines[:-1]
    return lines


def bilingual_text(texts: Bilingual, language: Showing, marks: Marks | None = None) -> Text:
    """``zh``, ``en``, or both: leading lines they share (code, a typed answer) once, then
    the Chinese rest and the English rest, separated by blank lines. ``marks``: spans to
    highlight, per language."""
    styled = {}
    for lang in ("zh", "en") if language == "both" else (language,):
        styled[lang] = Text(texts[lang])
        for start, end in (marks or {}).get(lang, []):
            styled[lang].stylize(MARK_STYLE, start, end)
    if language != "both":
        return styled[language]
    zh, en = (list(styled[lang].split("\n", allow_blank=True)) for lang in ("zh", "en"))
    n = 0
    while n < min(len(zh), len(en)) and zh[n].plain == en[n].plain:
        n += 1
    newline = Text("\n")
    shared = newline.join(_trimmed(zh[:n]))
    rest = Text("\n\n").join(newline.join(part) for part in (_trimmed(zh[n:]), _trimmed(en[n:])) if part)
    if not shared or not rest:
        return shared or rest
    return Text.assemble(shared, "\n\n" if not zh[n - 1].plain else "\n", rest)


def in_language(texts: Bilingual, language: Showing) -> str:
    """``bilingual_text`` as plain text."""
    return bilingual_text(texts, language).plain


class CardView(VerticalScroll):
    """Shows a prompt and, after ``revealed`` is set, the answer: below a rule, or in the
    prompt's place (``in_place``: a cloze, whose answer is its prompt filled in)."""

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
    CardView.-in-place #answer {
        border-top: none;
        padding-top: 0;
    }
    CardView.-in-place.-revealed #prompt {
        display: none;
    }
    """

    language: reactive[Showing] = reactive[Showing]("both")
    revealed: reactive[bool] = reactive(False)

    def __init__(self, face: Face, language: Showing, *, in_place: bool = False) -> None:
        super().__init__(classes="-in-place" if in_place else "")
        self.face = face
        self.set_reactive(CardView.language, language)

    def _texts(self, language: Showing) -> tuple[Wrapped, Wrapped]:
        # Text, not markup: card text is content, and `x[0]` must not be read as a style tag.
        face = self.face
        return Wrapped(bilingual_text(face.prompt, language)), Wrapped(bilingual_text(face.answer, language, face.marks))

    def compose(self) -> ComposeResult:
        prompt, answer = self._texts(self.language)
        yield Static(prompt, id="prompt")
        yield Static(answer, id="answer")

    def watch_language(self, language: Showing) -> None:
        if self.is_mounted:
            prompt, answer = self._texts(language)
            self.query_one("#prompt", Static).update(prompt)
            self.query_one("#answer", Static).update(answer)

    def watch_revealed(self, revealed: bool) -> None:
        self.set_class(revealed, "-revealed")
