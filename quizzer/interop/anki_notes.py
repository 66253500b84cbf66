"""quizzer's own Anki note types: what ``export-apkg`` writes, and what ``import`` reads back
as the items they came from (a note's GUID is its item's id).

A field per language, so a learner who studies in one language can drop the other in Anki;
a one-language text fills only its own language's field.
"""

from __future__ import annotations

import re

from quizzer.kinds.base import Bilingual

FIELDS: dict[str, tuple[str, ...]] = {
    "basic": ("Front (zh)", "Front (en)", "Back (zh)", "Back (en)"),
    "typed": ("Front (zh)", "Front (en)", "Answer", "Also accepted", "Back (zh)", "Back (en)"),
    "cloze": ("Text (zh)", "Text (en)", "Extra (zh)", "Extra (en)"),
}
"""Each of quizzer's note types (by the ``Portable.model`` it writes) and its fields in order."""
PREFIX = "quizzer "
"""A quizzer note type's name is this and its model: ``quizzer basic``."""
CJK = re.compile(r"[\u3400-\u9fff]")


def model_of(name: str, fields: int) -> str | None:
    """The model a note type of this name and field count is, if it is one of quizzer's own."""
    model = name.removeprefix(PREFIX)
    return model if name.startswith(PREFIX) and len(FIELDS.get(model, ())) == fields else None


def split(text: Bilingual) -> tuple[str, str]:
    """``text`` as its (zh, en) fields: a text the same in both languages (one written in one
    language) goes to the field of the language its script is."""
    if text["zh"] != text["en"]:
        return text["zh"], text["en"]
    return (text["zh"], "") if CJK.search(text["zh"]) else ("", text["en"])


def from_fields(zh: str, en: str) -> Bilingual:
    """The two fields read back as one text: a language left empty takes the other's."""
    return {"zh": zh or en, "en": en or zh}
