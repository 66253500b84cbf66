"""A field's HTML (Anki's, or a CSV cell's) as the Markdown text a deck file holds.

markdownify does the converting; quizzer adds only what is Anki's own: an image and a
``[sound:…]`` become a labelled link to the copy in the deck folder's ``media/``. Text without
markup is taken as it is (most fields are plain, and the converter is the import's slowest step).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

MEDIA_FOLDER = "media"
"""Beside the deck files: where an import copies images and audio, and where links point."""
SOUND = re.compile(r"\[sound:([^\]]+)\]")
BLANK_LINES = re.compile(r"\n{3,}")
MARKUP = re.compile(r"[<&]")


def media_link(kind: str, name: str) -> str:
    """``[image: cat.png](media/cat.png)``: what a learner reads in place of the file."""
    return f"[{kind}: {name}]({MEDIA_FOLDER}/{name.replace(' ', '%20')})"


@cache
def _converter() -> Any:
    from markdownify import MarkdownConverter

    class FieldConverter(MarkdownConverter):
        def convert_img(self, el: Any, text: str, parent_tags: set[str]) -> str:
            name = str(el.attrs.get("src") or "")
            return media_link("image", name) if name else ""

    return FieldConverter(escape_asterisks=False, escape_underscores=False, escape_misc=False, heading_style="ATX", bullets="-")


def to_text(html: str) -> str:
    """``html`` as Markdown text, blank runs squeezed, each line without trailing spaces."""
    text = str(_converter().convert(html)) if MARKUP.search(html) else html
    text = SOUND.sub(lambda match: media_link("audio", match.group(1)), text.replace("\xa0", " "))
    lines = "\n".join(line.rstrip() for line in text.splitlines())
    return BLANK_LINES.sub("\n\n", lines).strip()
