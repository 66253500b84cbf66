"""Read deck files (TOML) into validated ``ItemSpec`` records.

Why TOML: it is in the standard library (``tomllib``), diffs line by line, needs no
indentation care, and its literal strings (``'''…'''``) hold code verbatim. Items are
``[[card]]`` (and ``[[drill]]``) tables, so the N-th table in a file is the N-th header
line: that is how every problem is reported with its file and line.

All problems in all files are collected before anything is reported, so one run of
``quizzer check`` lists everything to fix.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from quizzer.corpus.shared import FOLDER_DEFAULTS, defaults_problems, is_folder_defaults, merge_defaults, resolve_uses, shared_into
from quizzer.errors import ContentError
from quizzer.kinds.registry import KINDS

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
DECK_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*(::[a-z0-9][a-z0-9_-]*)*$")
ITEM_TABLES = ("card", "drill")
TOML_POSITION = re.compile(r"\(at line (\d+), column \d+\)")
FILE_KEYS = {"deck", "tags", "rules", "allow", *ITEM_TABLES}
ITEM_KEYS = {"id", "kind", "deck", "tags", "source"}
NOTE_SUFFIX = ".md"
"""A Markdown note (``corpus.markdown``, loaded only to read one: a start with the deck folder
unchanged reads none)."""
DECK_FILES = ("*.toml", f"*{NOTE_SUFFIX}")
MAX_ID_LENGTH = 100
MAX_DECK_LENGTH = 200
MAX_SOURCE_LENGTH = 300
"""Checked here, before any database sees them, so SQLite (which ignores a column's length) and
PostgreSQL (which refuses a longer value) take exactly the same files; a test keeps them within
the columns."""


@dataclass(frozen=True)
class ItemSpec:
    """One validated item, as the importer stores it."""

    id: str
    kind: str
    deck: str
    tags: list[str]
    source: str
    file: str
    line: int
    body: dict[str, Any]

    @property
    def ordinals(self) -> list[int]:
        """The cards this item produces (one, or one per cloze deletion)."""
        return KINDS[self.kind].ordinals(self.body)

    @property
    def content_hash(self) -> str:
        """Changes whenever anything a learner sees or the grader uses changes."""
        payload = [self.kind, self.deck, self.tags, self.source, self.body]
        return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


class _Lines:
    """Finds the line of an item table, or of a key inside it, in one file's text."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.headers = {
            table: [n for n, line in enumerate(self.lines, 1) if re.match(rf"^\s*\[\[\s*{table}\s*\]\]", line)]
            for table in ITEM_TABLES
        }

    def top(self, key: str) -> int:
        """The line of a top-level ``key``, before the first item table (1 if not found)."""
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        first = min((h for hs in self.headers.values() for h in hs), default=len(self.lines) + 1)
        return next((n for n in range(1, first) if pattern.match(self.lines[n - 1])), 1)

    def item(self, table: str, index: int) -> int:
        headers = self.headers[table]
        return headers[index] if index < len(headers) else (headers[-1] if headers else 1)

    def key(self, table: str, index: int, key: str) -> int:
        start = self.item(table, index)
        following = [h for hs in self.headers.values() for h in hs if h > start]
        end = min(following, default=len(self.lines) + 1)
        pattern = re.compile(rf"^\s*(\[\s*{table}\.)?{re.escape(key)}\s*(=|\.|\])")
        for n in range(start + 1, end):
            if pattern.match(self.lines[n - 1]):
                return n
        return start


def _check_item(raw: dict[str, Any], table: str, defaults: dict[str, Any]) -> tuple[ItemSpec | None, list[tuple[str, str]]]:
    problems: list[tuple[str, str]] = []
    item_id, kind_name = raw.get("id"), raw.get("kind")
    if not isinstance(item_id, str) or not ID_PATTERN.match(item_id):
        problems.append(("id", "must be a lowercase id like `autograd-detach` (letters, digits, . _ -)"))
    elif len(item_id) > MAX_ID_LENGTH:
        problems.append(("id", f"is {len(item_id)} characters long; at most {MAX_ID_LENGTH}"))
    kind = KINDS.get(kind_name) if isinstance(kind_name, str) else None
    if kind is None or kind.table != table:
        names = [k.name for k in KINDS.values() if k.table == table]
        problems.append(("kind", f"must be one of {', '.join(names)} in a [[{table}]] table, not {kind_name!r}"))
    deck = raw.get("deck", defaults.get("deck"))
    if not isinstance(deck, str) or not DECK_PATTERN.match(deck):
        problems.append(("deck", f"must be a deck path like `pytorch::autograd`, not {deck!r}"[:200]))
    elif len(deck) > MAX_DECK_LENGTH:
        problems.append(("deck", f"is {len(deck)} characters long; at most {MAX_DECK_LENGTH}"))
    tags = raw.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        problems.append(("tags", "must be a list of strings"))
        tags = []
    source = raw.get("source")
    if not isinstance(source, str) or not source.strip():
        problems.append(("source", "is missing: name the note file and section, e.g. `002_….txt § 2.5 自动微分`"))
    elif len(source) > MAX_SOURCE_LENGTH:
        problems.append(("source", f"is {len(source)} characters long; at most {MAX_SOURCE_LENGTH}"))
    body = {k: v for k, v in raw.items() if k not in ITEM_KEYS}
    if kind is not None:
        body = shared_into(body, defaults, {*kind.required, *kind.optional})
        problems.extend(kind.check(body))
    if problems:
        return None, problems
    assert isinstance(item_id, str) and isinstance(kind_name, str) and isinstance(deck, str) and isinstance(source, str)
    merged_tags = list(dict.fromkeys([*defaults.get("tags", []), *tags]))
    return ItemSpec(item_id, kind_name, deck, merged_tags, source, "", 0, body), []


def _read(path: Path, label: str) -> tuple[str | None, str | None]:
    """The file's text, or the problem (``file:line: …``) that keeps it from being read."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, f"{label}:1: cannot read it: {exc.strerror}" + (" (a broken link?)" if path.is_symlink() else "")
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return None, f"{label}:{line}: not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8"


def _parse(text: str, label: str) -> tuple[dict[str, Any] | None, str | None]:
    import tomllib  # here, not at the top: a start whose deck is unchanged parses no TOML

    try:
        return tomllib.loads(text), None
    except tomllib.TOMLDecodeError as exc:
        match = TOML_POSITION.search(str(exc))
        line = match.group(1) if match else "1"
        reason = TOML_POSITION.sub("", str(exc)).strip()
        return None, f"{label}:{line}: not valid TOML: {reason}"
    except RecursionError:
        return None, f"{label}:1: not a deck file: arrays or tables nested too deeply to read"


def _load_file(path: Path, label: str, folder: dict[str, Any]) -> tuple[list[ItemSpec], list[str]]:
    text, problem = _read(path, label)
    data, problem = _parse(text, label) if text is not None else (None, problem)
    if data is None or text is None:
        return [], [str(problem)]
    lines = _Lines(text)
    problems = [f"{label}:1: unknown top-level key `{key}` (expected: {', '.join(sorted(FILE_KEYS))})" for key in data if key not in FILE_KEYS]
    for key in ("tags", "rules", "allow"):
        if key in data and not (isinstance(data[key], list) and all(isinstance(t, str) for t in data[key])):
            problems.append(f"{label}:{lines.top(key)}: `{key}` must be a list of strings, such as [\"python\"]")
            return [], problems
    defaults: dict[str, Any] = merge_defaults(folder, {k: data[k] for k in ("deck", "tags", "rules", "allow") if k in data})
    items: list[ItemSpec] = []
    for table in ITEM_TABLES:
        entries = data.get(table, [])
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            problems.append(f"{label}:1: `{table}` must be written as [[{table}]] tables")
            continue
        for index, raw in enumerate(entries):
            spec, item_problems = _check_item(raw, table, defaults)
            name = raw.get("id", f"{table} #{index + 1}")
            problems += [f"{label}:{lines.key(table, index, key)}: {name}: `{key}` {msg}" for key, msg in item_problems]
            if spec is not None:
                items.append(_located(spec, label, lines.item(table, index)))
    return items, problems


def _load_note(path: Path, label: str, folder: dict[str, Any]) -> tuple[list[ItemSpec], list[str]]:
    """A Markdown note's items (``corpus.markdown``), checked as a deck file's are; each problem
    is on the line of the card it is in."""
    from quizzer.corpus.markdown import read_note

    text, problem = _read(path, label)
    if text is None:
        return [], [str(problem)]
    raws, problems = read_note(text, label)
    items: list[ItemSpec] = []
    for raw in raws:
        spec, item_problems = _check_item(raw.fields, raw.table, folder)
        problems += [f"{label}:{raw.line}: {raw.fields['id']}: `{key}` {msg}" for key, msg in item_problems]
        if spec is not None:
            items.append(_located(spec, label, raw.line))
    return items, problems


def _located(spec: ItemSpec, file: str, line: int) -> ItemSpec:
    return ItemSpec(spec.id, spec.kind, spec.deck, spec.tags, spec.source, file, line, spec.body)


def content_files(root: Path) -> list[Path]:
    """Every deck file (``*.toml``, and Markdown notes ``*.md``) under ``root`` (or ``root``
    itself if it is a file), in a stable order."""
    if root.is_file():
        return [root]
    if not root.is_dir():
        raise ContentError([f"{root}: no such file or directory"])
    found = [path for pattern in DECK_FILES for path in root.rglob(pattern)]
    return sorted(path for path in found if not path.is_dir() and not is_folder_defaults(path))  # a folder named x.toml is a folder


def _folder_defaults(folder: Path, base: Path, seen: dict[Path, dict[str, Any]], problems: list[str]) -> dict[str, Any]:
    """The defaults for deck files in ``folder``: every ``defaults.toml`` from ``base`` down to it."""
    if folder in seen:
        return seen[folder]
    outer = _folder_defaults(folder.parent, base, seen, problems) if folder != base and base in folder.parents else {}
    path, own = folder / FOLDER_DEFAULTS, {}
    if path.is_file():
        label = str(path.relative_to(base))
        text, problem = _read(path, label)
        data, problem = _parse(text, label) if text is not None else (None, problem)
        found = [str(problem)] if data is None else defaults_problems(data, label)
        problems += found
        own = data if data is not None and not found else {}
    seen[folder] = merge_defaults(outer, own)
    return seen[folder]


def load_content(root: Path, allow_empty: bool = False) -> list[ItemSpec]:
    """Validate every deck file under ``root``; raise ``ContentError`` listing all problems (and,
    unless ``allow_empty``, when there is no item at all: a mistyped path is not an empty deck)."""
    files = content_files(root)
    base = root if root.is_dir() else root.parent
    items: list[ItemSpec] = []
    problems: list[str] = []
    folders: dict[Path, dict[str, Any]] = {}
    for path in files:
        folder = _folder_defaults(path.parent, base, folders, problems)
        load = _load_note if path.suffix == NOTE_SUFFIX else _load_file
        file_items, file_problems = load(path, str(path.relative_to(base)), folder)
        items += file_items
        problems += file_problems
    first_seen: dict[str, ItemSpec] = {}
    for item in items:
        if item.id in first_seen:
            other = first_seen[item.id]
            copied = "; a copied card: delete its <!--qz:…--> marker and it gets an id of its own" if item.file.endswith(NOTE_SUFFIX) else ""
            problems.append(f"{item.file}:{item.line}: {item.id}: duplicate id (first used at {other.file}:{other.line}){copied}")
        first_seen.setdefault(item.id, item)
    unresolved = resolve_uses({item.id: (item.kind, item.body) for item in first_seen.values()})
    problems += [f"{first_seen[i].file}:{first_seen[i].line}: {i}: {problem}" for i, problem in unresolved.items()]
    if problems:
        raise ContentError(problems, str(root))
    if not items and not allow_empty:
        raise ContentError([f"{root}: no items found (deck files are *.toml with [[card]] tables, or Markdown notes with cards)"])
    return items
