"""Drill prompts, hints and explanations as Markdown, read the way deck files are written.

Deck texts use Markdown's emphasis (``**row**``), inline code, lists and fenced code, but
are written line by line: a line break stays one. Identifiers such as ``__init__`` are
written bare, so ``_`` never emphasises; ``<pad>`` is text, not HTML; a fence that names no
language is Python.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from textual.await_complete import AwaitComplete
from textual.widgets import Markdown

CODE = re.compile(r"(```.*?(?:```|\Z)|`[^`\n]*`)", re.DOTALL)
"""Fenced and inline code, left exactly as written."""


def _default_python(state: StateCore) -> None:
    for token in state.tokens:
        if token.type == "fence" and not token.info.strip():
            token.info = "python"


def deck_parser() -> MarkdownIt:
    """CommonMark with tables, kept line breaks and no HTML; bare fences are Python."""
    parser = MarkdownIt("commonmark", {"breaks": True, "html": False}).enable("table")
    parser.core.ruler.push("python_fences", _default_python)
    return parser


def deck_markdown(text: str) -> str:
    """``text`` with every ``_`` outside code escaped: underscores in deck texts are names."""
    return "".join(part if CODE.fullmatch(part) else part.replace("_", r"\_") for part in CODE.split(text))


class DeckMarkdown(Markdown):
    """Textual's Markdown widget over ``deck_parser``, spaced for 80×24."""

    DEFAULT_CSS = """
    DeckMarkdown {
        padding: 0;
        margin: 0;
    }
    DeckMarkdown MarkdownFence {
        margin: 0 0 1 0;
    }
    DeckMarkdown > MarkdownBlock:last-child {
        margin-bottom: 0;
    }
    DeckMarkdown MarkdownFence > Label {
        padding: 0 1;
    }
    """

    def __init__(self, text: str = "", *, id: str | None = None) -> None:
        super().__init__(text, id=id, parser_factory=deck_parser)  # shown on mount, through ``update``

    def update(self, markdown: str) -> AwaitComplete:
        return super().update(deck_markdown(markdown))
