"""Read a learner's Markdown notes as decks, in the syntax of Obsidian Spaced Repetition.

A ``*.md`` file in a deck folder is a deck named after its path (``notes/Attention.md`` is
``notes::attention``); its headings add to that path (a first heading that repeats the file's
name adds nothing). Cards, each a paragraph or a line:

- ``question::answer``, and ``question:::answer`` for a card each way;
- a paragraph with ``?`` (``??`` each way) on a line of its own between question and answer;
- a paragraph with ``==deletions==`` or ``{{c1::deletions}}``: a cloze, one card per deletion;
- a paragraph ending in a fence opened with ```` ```python predict ```` (optionally naming the
  answer type, ```` ```python predict shape ````): a predict drill, the text above the fence its
  prompt, the value of the code's last line its truth; ``Hint:`` and ``Explanation:`` lines may
  follow the fence.

``#tags`` are the card's tags (``a/b`` becomes ``a::b``): on the card's own lines for it alone,
on a line of their own for the cards after it. Obsidian's deck tags ``#flashcards/x/y`` put the
cards after them in the subdeck ``x::y`` instead. A card is in one language: its text stands
under both ``zh`` and ``en``.

An item's id lives in the note as ``<!--qz:ID-->`` at the end of the card's last line (the way
Obsidian SR keeps its data), so editing a card keeps its history. A card without one gets an id
from its text, and ``MarkerWrite`` writes it in once, on import: that marker is the only change
quizzer ever makes to a note. A card ending in a code fence has it at the end of the fence's
first line instead, where Markdown keeps it out of sight and the fence stays closed.

This module turns text into item tables as a TOML deck file holds them; ``corpus.format``
checks them as it checks those.
"""

from __future__ import annotations

import ast
import hashlib
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from quizzer.corpus.format import NOTE_SUFFIX
from quizzer.errors import ContentError
from quizzer.grading.answers import ANSWER_TYPES

MARKER = re.compile(r"[ \t]?<!--qz:(.*?)-->")
OTHER_COMMENT = re.compile(r"[ \t]?<!--SR:.*?-->")
"""Obsidian SR's own scheduling comment: left where it is, never part of a card's text."""
HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
TAG = re.compile(r"(?<![^\s(])#([\w/-]*[^\W\d][\w/-]*)")
"""Obsidian's tags: letters, digits, ``_ - /``, at least one not a digit (``#1`` is no tag)."""
DECK_TAG = "flashcards"
HIGHLIGHT = re.compile(r"==(?=\S)(.+?)(?<=\S)==")
CLOZE = re.compile(r"\{\{c(\d+)::")
ONE_WAY, BOTH_WAYS = "::", ":::"
INLINE_CODE = re.compile(r"(`+).+?\1")
HINT, EXPLANATION = re.compile(r"^hint:\s*(.*)$", re.I), re.compile(r"^explanation:\s*(.*)$", re.I)
REVERSED_SUFFIX = ".r"
"""The id of a card's other direction: the marker's id with this added."""


@dataclass
class Row:
    """One line of the note (``index`` from 0), or one fenced code block (``end`` its last line)."""

    index: int
    text: str
    end: int = -1
    info: str = ""
    code: list[str] = field(default_factory=list)
    closed: bool = True

    @property
    def is_fence(self) -> bool:
        return self.end >= 0

    @property
    def last(self) -> int:
        return self.end if self.is_fence else self.index

    @cached_property
    def clean(self) -> str:
        """The line as a card shows it (see ``_clean``); a code block's is empty."""
        return "" if self.is_fence else _clean(self.text)

    @property
    def only_tags(self) -> bool:
        """A line of nothing but ``#tags``."""
        return not self.is_fence and not self.clean.strip() and bool(_tags_in(self.text))


@dataclass(frozen=True)
class RawItem:
    """An item table read from a note, with the line its id marker is (or goes) on."""

    table: str
    fields: dict[str, Any]
    line: int
    marker_line: int
    """The line (from 0) the ``<!--qz:ID-->`` marker is on, or is written to."""
    has_marker: bool


@dataclass
class _Section:
    """Where in the note the reader is: the heading path and the tags in force."""

    headings: list[tuple[int, str, str]] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    subdeck: list[str] = field(default_factory=list)


def slug(text: str) -> str:
    """Lowercase ASCII words joined by ``-`` (what a deck path or an id may hold)."""
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))


def file_deck(label: str) -> str:
    """``notes/Self Attention.md`` → ``notes::self-attention`` (a name with no ASCII word: a hash)."""
    parts = Path(label).with_suffix("").parts
    return "::".join(slug(part) or "deck-" + hashlib.sha256(part.encode()).hexdigest()[:6] for part in parts)


def _outside_code(text: str, change: Callable[[str], str]) -> str:
    """``change`` applied to the parts of ``text`` that are not inline code."""
    out, start = [], 0
    for match in INLINE_CODE.finditer(text):
        out += [change(text[start:match.start()]), match.group(0)]
        start = match.end()
    return "".join([*out, change(text[start:])])


def _tags_in(text: str) -> list[str]:
    return list(TAG.findall(INLINE_CODE.sub(" ", text)))


def _clean(text: str) -> str:
    """A line as the card shows it: no markers, no Obsidian SR comments, no tags."""
    text = OTHER_COMMENT.sub("", MARKER.sub("", text))
    return _outside_code(text, lambda part: TAG.sub("", part)).rstrip()


def _rows(lines: list[str]) -> Iterator[Row | None]:
    """The note's lines as rows: a fenced block is one row, ``None`` stands for a blank line
    (the end of a paragraph). A YAML front matter block is skipped."""
    n = 0
    if lines and lines[0].rstrip() == "---":
        closing = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
        n = closing + 1 if closing is not None else 0
    while n < len(lines):
        line = lines[n]
        if not line.strip():
            yield None
        elif fence := FENCE.match(line):
            mark = fence.group(1)
            end = next((i for i in range(n + 1, len(lines)) if lines[i].strip().startswith(mark) and not lines[i].strip().strip(mark[0])), None)
            last = len(lines) - 1 if end is None else end
            yield Row(n, line, end=last, info=fence.group(2), code=lines[n + 1:end], closed=end is not None)
            n = last
        else:
            yield Row(n, line)
        n += 1


def _paragraphs(lines: list[str]) -> Iterator[list[Row]]:
    """Runs of rows without a blank line; a heading is a paragraph of its own."""
    block: list[Row] = []
    for row in _rows(lines):
        if row is None or (not row.is_fence and HEADING.match(row.text)):
            if block:
                yield block
            block = []
            if row is not None:
                yield [row]
        else:
            block.append(row)
    if block:
        yield block


class NoteReader:
    """Reads one note into ``RawItem`` tables and the problems found (``file:line: …``)."""

    def __init__(self, text: str, label: str) -> None:
        self.lines = [line.removesuffix("\r") for line in text.removeprefix("\ufeff").split("\n")]  # a BOM is no text
        self.label = label
        self.deck = file_deck(label)
        self.items: list[RawItem] = []
        self.problems: list[str] = []
        self.section = _Section()

    def read(self) -> tuple[list[RawItem], list[str]]:
        for block in _paragraphs(self.lines):
            self._block(block)
        return self.items, self.problems

    def _problem(self, index: int, message: str) -> None:
        self.problems.append(f"{self.label}:{index + 1}: {message}")

    def _block(self, block: list[Row]) -> None:
        first = block[0]
        if not first.is_fence and (heading := HEADING.match(first.text)):
            level = len(heading.group(1))
            kept = [h for h in self.section.headings if h[0] < level]
            self.section.headings = [*kept, (level, slug(_clean(heading.group(2))), _clean(heading.group(2)).strip())]
            return
        while block and block[0].only_tags:
            self._section_tags(_tags_in(block.pop(0).text))
        if not block:
            return
        if any(row.is_fence and self._predict_words(row) is not None for row in block):
            self._predict(block)
        elif any(row.clean.strip() in ("?", "??") for row in block):
            self._multiline(block)
        elif any(self._separator(row) for row in block):
            for row in block:
                if separator := self._separator(row):
                    self._one_liner(row, separator)
                elif self._is_cloze(row.clean):
                    self._cloze([row])
        elif any(self._is_cloze(row.clean) for row in block):
            self._cloze(block)

    def _section_tags(self, tags: list[str]) -> None:
        """A line of tags alone: they hold for the cards after it (Obsidian SR's convention)."""
        deck_tags = [t for t in tags if _is_deck_tag(t)]
        self.section.tags = [t for t in tags if not _is_deck_tag(t)]
        self.section.subdeck = _subdeck(deck_tags[0]) if deck_tags else []

    # --- reading each kind of card ---------------------------------------------------------

    @staticmethod
    def _separator(row: Row) -> str | None:
        """``::`` or ``:::`` if the row is a one-line card (not a cloze's ``{{c1::``, not in code)."""
        bare = CLOZE.sub("", INLINE_CODE.sub("", row.clean))
        return BOTH_WAYS if BOTH_WAYS in bare else ONE_WAY if ONE_WAY in bare else None

    @staticmethod
    def _is_cloze(text: str) -> bool:
        bare = INLINE_CODE.sub("", text)
        return bool(HIGHLIGHT.search(bare) or CLOZE.search(bare))

    def _one_liner(self, row: Row, separator: str) -> None:
        text = row.clean
        at = self._split_at(text, separator)
        front, back = text[:at].strip(), text[at + len(separator):].strip()
        if not front or not back:
            self._problem(row.index, f"a `{separator}` card needs text on both sides of `{separator}`")
            return
        self._pair(front, back, [row], both_ways=separator == BOTH_WAYS)

    @staticmethod
    def _split_at(text: str, separator: str) -> int:
        """Where ``separator`` is in ``text``, outside inline code and ``{{c1::`` deletions."""
        hidden = CLOZE.sub(lambda m: "#" * len(m.group(0)), INLINE_CODE.sub(lambda m: "#" * len(m.group(0)), text))
        return hidden.index(separator)

    def _multiline(self, block: list[Row]) -> None:
        at = next(n for n, row in enumerate(block) if row.clean.strip() in ("?", "??"))
        both_ways = block[at].clean.strip() == "??"
        front, back = self._text(block[:at]), self._text(block[at + 1:])
        if not front:
            self._problem(block[at].index, "a `?` card needs its question on the lines right above the `?`")
        elif not back:
            self._problem(block[at].index, "a `?` card needs its answer on the lines right below the `?` (no blank line between)")
        else:
            self._pair(front, back, block, both_ways=both_ways)

    def _cloze(self, block: list[Row]) -> None:
        text = self._text(block)
        numbers = [int(n) for n in CLOZE.findall(text)]
        counter = iter(range(max(numbers, default=0) + 1, 10**6))
        text = _outside_code(text, lambda part: HIGHLIGHT.sub(lambda m: f"{{{{c{next(counter)}::{m.group(1)}}}}}", part))
        self._add("card", {"kind": "cloze", "text": _both(text)}, block, text)

    def _predict(self, block: list[Row]) -> None:
        at = next(n for n, row in enumerate(block) if row.is_fence and self._predict_words(row) is not None)
        fence, prompt = block[at], self._text(block[:at])
        words = self._predict_words(fence) or []
        unknown = [w for w in words if w not in ANSWER_TYPES]
        if unknown or len(words) > 1:
            self._problem(fence.index, f"unknown predict fence {_clean(fence.info).strip()!r}: open it with python predict, "
                                       f"optionally followed by one answer type ({', '.join(ANSWER_TYPES)})")
            return
        if not fence.closed:
            self._problem(fence.index, "this predict fence is never closed: end the code with a ``` line")
            return
        if not prompt:
            self._problem(fence.index, "a predict drill needs its question on the lines right above the fence")
            return
        snippet = "\n".join(fence.code)
        fields: dict[str, Any] = {"kind": "predict", "prompt": _both(prompt), "snippet": snippet,
                                  "answer_type": words[0] if words else guess_answer_type(snippet)}
        if not self._drill_notes(block[at + 1:], fields):
            return
        self._add("drill", fields, block, prompt)

    def _drill_notes(self, rows: list[Row], fields: dict[str, Any]) -> bool:
        """``Hint:`` lines and an ``Explanation:`` (running to the paragraph's end) into ``fields``."""
        hints: list[str] = []
        explanation: list[str] | None = None
        for row in rows:
            line = row.clean
            if explanation is not None:
                explanation.append(self._text([row]))
            elif hint := HINT.match(line):
                hints.append(hint.group(1).strip())
            elif found := EXPLANATION.match(line):
                explanation = [found.group(1).strip()]
            else:
                self._problem(row.index, "below a predict drill's code only `Hint: …` and `Explanation: …` lines may follow")
                return False
        if hints:
            fields["hints"] = [_both(hint) for hint in hints]
        if explanation is not None:
            fields["explanation"] = _both("\n".join(explanation).strip())
        return True

    @staticmethod
    def _predict_words(row: Row) -> list[str] | None:
        """The words after ``python predict`` in a fence's opening line; None if it is no predict fence."""
        words = _clean(row.info).split()
        if "predict" not in words:
            return None
        return words[2:] if words[:2] == ["python", "predict"] else [*words]

    # --- building items -----------------------------------------------------------------------

    def _text(self, rows: list[Row]) -> str:
        """The rows as the card shows them: a code block as its code, without the fence lines
        (the card shows plain text)."""
        return "\n".join(line for row in rows for line in (row.code if row.is_fence else [row.clean])).strip()

    def _pair(self, front: str, back: str, rows: list[Row], *, both_ways: bool) -> None:
        marker = self._add("card", {"kind": "basic", "front": _both(front), "back": _both(back)}, rows, front)
        if both_ways and marker is not None:
            reverse = {"kind": "basic", "front": _both(back), "back": _both(front), "id": marker + REVERSED_SUFFIX}
            self._add("card", reverse, rows, back, reverse=True)

    def _add(self, table: str, fields: dict[str, Any], rows: list[Row], title: str, *, reverse: bool = False) -> str | None:
        """Add the item of ``rows``; its id (the marker's, or one made from its text)."""
        found = [m for row in rows for m in MARKER.findall(row.text)]
        if len(set(found)) > 1:
            self._problem(rows[0].index, f"one card has several ids ({', '.join(found)}): keep one <!--qz:…--> marker")
            return None
        own = [t for row in rows if not row.is_fence for t in _tags_in(row.text)]
        item_id = fields.pop("id", None) or (found[0] if found else self._new_id(title, rows))
        headings = [h for h in self.section.headings if h[1]]
        path = headings[1:] if headings and headings[0][1] == self.deck.rsplit("::", 1)[-1] else headings  # a title repeating the file's name
        own_decks = [t for t in own if _is_deck_tag(t)]
        subdeck = _subdeck(own_decks[0]) if own_decks else self.section.subdeck
        deck = "::".join([self.deck, *(h[1] for h in path), *subdeck])
        source = " § ".join([self.label, " > ".join(h[2] for h in headings)]) if headings else self.label
        tags = list(dict.fromkeys(t.replace("/", "::") for t in [*self.section.tags, *own] if not _is_deck_tag(t)))
        self.items.append(RawItem(
            table, {"id": item_id, "deck": deck, "tags": tags, "source": source[:300], **fields},
            rows[0].index + 1, rows[-1].index, has_marker=bool(found) or reverse,
        ))
        return str(item_id)

    def _new_id(self, title: str, rows: list[Row]) -> str:
        raw = "\n".join(self.lines[rows[0].index:rows[-1].last + 1])
        digest = hashlib.sha256(f"{self.label}\0{rows[0].index}\0{raw}".encode()).hexdigest()[:6]
        return f"{slug(CLOZE.sub('', title))[:24].strip('-') or 'card'}-{digest}"


def _is_deck_tag(tag: str) -> bool:
    return tag.split("/")[0].lower() == DECK_TAG


def _subdeck(tag: str) -> list[str]:
    """``flashcards/Linear Algebra/svd`` → ``["linear-algebra", "svd"]``."""
    return [slug(part) for part in tag.split("/")[1:] if slug(part)]


def _both(text: str) -> dict[str, str]:
    """A one-language text, under both languages (it shows whatever the language setting)."""
    return {"zh": text, "en": text}


GUESS_BY_CALL = {
    "size": "shape", "len": "int", "int": "int", "dim": "int", "numel": "int", "ndimension": "int", "element_size": "int",
    "item": "float", "float": "float", "bool": "bool", "isinstance": "bool", "equal": "bool", "allclose": "bool",
    "str": "text", "type": "text", "repr": "text",
}
GUESS_BY_ATTRIBUTE = {"shape": "shape", "ndim": "int", "requires_grad": "bool", "dtype": "text", "device": "text", "layout": "text"}


def guess_answer_type(snippet: str) -> str:
    """The answer type a predict fence that names none takes, from the form of the last line
    (never by running it): ``.shape``/``.size()`` a shape (``.shape[0]``, ``.size(0)`` an int),
    ``len()``/``.numel()`` an int, ``.item()`` a float, comparisons and ``is_…`` a bool,
    ``.dtype`` text, anything else a tensor (which takes any number too). ``check`` runs it and
    names the drill's line when its value is not of that type."""
    try:
        last = ast.parse(snippet).body[-1]
    except (SyntaxError, IndexError):
        return "tensor"  # the predict kind reports the code itself
    expr = last.value if isinstance(last, ast.Expr) else None
    if isinstance(expr, ast.Constant) and type(expr.value) in (int, float, bool, str):
        return {int: "int", float: "float", bool: "bool", str: "text"}[type(expr.value)]
    if isinstance(expr, ast.Compare | ast.BoolOp) or (isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.Not)):
        return "bool"
    if isinstance(expr, ast.Subscript) and isinstance(expr.value, ast.Attribute) and expr.value.attr == "shape":
        return "int"
    if isinstance(expr, ast.Call):
        name = expr.func.attr if isinstance(expr.func, ast.Attribute) else expr.func.id if isinstance(expr.func, ast.Name) else ""
        if name == "size" and expr.args:
            return "int"
        return GUESS_BY_CALL.get(name, "bool" if name.startswith("is_") else "tensor")
    if isinstance(expr, ast.Attribute):
        return GUESS_BY_ATTRIBUTE.get(expr.attr, "bool" if expr.attr.startswith("is_") else "tensor")
    return "tensor"


def read_note(text: str, label: str) -> tuple[list[RawItem], list[str]]:
    """The item tables of one note (``label``: its path in the deck folder) and its problems."""
    return NoteReader(text, label).read()


@dataclass(frozen=True)
class MarkerWrite:
    """The id markers a note is missing, to be written into it once."""

    path: Path
    original: bytes
    markers: dict[int, str]
    """Line (from 0) → the id whose marker goes at its end."""

    @property
    def ids(self) -> set[str]:
        return set(self.markers.values())

    def apply(self) -> None:
        """Write the note back with the markers added and not one other byte changed: line
        endings (``\\r\\n`` too) and a missing last newline kept. Atomic (a new file renamed over
        the old), and only if the note is still exactly as it was read."""
        if self.path.read_bytes() != self.original:
            raise ContentError([f"{self.path}:1: changed while it was being imported; import again"])
        lines = self.original.decode("utf-8").split("\n")
        for index, item_id in self.markers.items():
            line = lines[index]
            ending = "\r" if line.endswith("\r") else ""
            lines[index] = f"{line.removesuffix(ending)} <!--qz:{item_id}-->{ending}"
        _replace(self.path, "\n".join(lines).encode("utf-8"))


def _replace(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, keeping its permissions."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, path.stat().st_mode & 0o7777)
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise ContentError([f"{path}:1: cannot write the cards' id markers into it: {exc.strerror}"]) from exc


def missing_markers(files: list[Path], base: Path) -> list[MarkerWrite]:
    """For each note among ``files`` (deck files under ``base``) with cards lacking an id marker,
    what writing them in takes."""
    writes = []
    for path in files:
        if path.suffix != NOTE_SUFFIX:
            continue
        original = path.read_bytes()
        items, _ = read_note(original.decode("utf-8", errors="replace"), str(path.relative_to(base)))
        markers = {item.marker_line: str(item.fields["id"]) for item in items if not item.has_marker}
        if markers:
            writes.append(MarkerWrite(path, original, markers))
    return writes
