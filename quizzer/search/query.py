"""Parse a search such as ``deck:d2l::cnn -is:suspended (tag:autograd or "exact phrase")``.

Grammar (Anki's, in small): terms side by side must all match; ``or`` between two terms
makes either enough (it binds tighter than the implicit *and*, as in Anki); ``-`` negates
the term after it; parentheses group. A term is free text (a word, or ``"an exact phrase"``)
or ``field:value`` (``deck:``, ``tag:``, ``kind:``, ``id:``, ``is:``, ``flag:``, ``rated:7``,
``rated:1:1`` (answered Again today), ``prop:lapses>3``); ``"deck:a deck"`` quotes a value with spaces. A bad query raises
``QueryError`` naming the column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from quizzer.errors import QueryError

FIELDS = ("deck", "tag", "kind", "id", "is", "flag", "rated", "prop")
STATES = ("new", "learning", "review", "due", "suspended", "buried", "leech", "flagged")
PROPS = ("lapses", "reps", "due", "stability", "difficulty")


@dataclass(frozen=True)
class Text:
    """Free text: the item's texts (both languages) contain ``words`` (lower-cased)."""

    words: str


@dataclass(frozen=True)
class Field:
    """``name:value``; for ``prop:`` the value is split into ``prop``, ``op`` and ``number``."""

    name: str
    value: str
    op: str = ""
    number: float = 0.0


@dataclass(frozen=True)
class Not:
    term: Node


@dataclass(frozen=True)
class And:
    terms: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    terms: tuple[Node, ...]


Node = Text | Field | Not | And | Or

_TOKEN = re.compile(r'\s*(?:(?P<open>\()|(?P<close>\))|(?P<neg>-)(?=\S)|(?P<word>(?:"[^"]*"?|[^\s()"]+)+))')


@dataclass(frozen=True)
class _Token:
    type: str
    text: str
    column: int


def _tokens(query: str) -> list[_Token]:
    tokens, at = [], 0
    while query[at:].strip():
        match = _TOKEN.match(query, at)
        if match is None:  # only a lone '-' is left unmatched
            raise QueryError(f"bad search at column {at + 1}: '-' must be followed by a term")
        type_ = match.lastgroup or "word"
        tokens.append(_Token(type_, match.group(type_), match.start(type_) + 1))
        at = match.end()
    return tokens


class _Parser:
    def __init__(self, query: str) -> None:
        self.tokens = _tokens(query)
        self.at = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def conjunction(self, opened: _Token | None) -> Node:
        """Terms up to the end, or up to the ')' that closes ``opened``."""
        terms: list[Node] = []
        while (token := self.peek()) is not None and token.type != "close":
            terms.append(self.disjunction())
        if opened is not None and token is None:
            raise QueryError(f"bad search at column {opened.column}: '(' is never closed")
        if opened is None and token is not None:
            raise QueryError(f"bad search at column {token.column}: ')' without '('")
        if not terms:
            what = "empty parentheses" if opened else "nothing to search for"
            raise QueryError(f"bad search at column {opened.column if opened else 1}: {what}")
        return terms[0] if len(terms) == 1 else And(tuple(terms))

    def disjunction(self) -> Node:
        terms = [self.unary()]
        while (token := self.peek()) is not None and token.type == "word" and token.text.lower() == "or":
            self.take()
            following = self.peek()
            if following is None or following.type == "close":
                raise QueryError(f"bad search at column {token.column}: 'or' needs a term after it")
            terms.append(self.unary())
        return terms[0] if len(terms) == 1 else Or(tuple(terms))

    def unary(self) -> Node:
        token = self.take()
        if token.type == "neg":
            if self.peek() is None:
                raise QueryError(f"bad search at column {token.column}: '-' must be followed by a term")
            return Not(self.unary())
        if token.type == "open":
            inner = self.conjunction(opened=token)
            self.take()  # the ')'
            return inner
        if token.text.lower() == "or":
            raise QueryError(f"bad search at column {token.column}: 'or' needs a term before it")
        return _term(token)


def _term(token: _Token) -> Node:
    text = token.text.replace('"', "")
    if token.text.count('"') % 2:
        raise QueryError(f'bad search at column {token.column}: a quote (") is never closed')
    name, colon, value = text.partition(":")
    if not colon or (token.text.startswith('"') and " " in text.split(":", 1)[0]):
        return Text(text.lower())
    name = name.lower()
    if name not in FIELDS:
        raise QueryError(f"bad search at column {token.column}: unknown field '{name}:' (one of {', '.join(FIELDS)})")
    if not value:
        raise QueryError(f"bad search at column {token.column}: '{name}:' needs a value")
    return _field(name, value, token.column)


def _field(name: str, value: str, column: int) -> Field:
    where = f"bad search at column {column}"
    if name == "is" and value.lower() not in STATES:
        raise QueryError(f"{where}: unknown 'is:{value}' (one of {', '.join(STATES)})")
    if name == "flag" and value not in tuple("01234567"):
        raise QueryError(f"{where}: 'flag:' takes 0 (none) to 7, not {value!r}")
    days, _, rating = value.partition(":")
    if name == "rated" and not (days.isdigit() and 1 <= int(days) <= 365 and rating in ("", "1", "2", "3", "4")):
        raise QueryError(f"{where}: 'rated:' takes a number of days from 1 to 365, and maybe :1–:4 for one rating, not {value!r}")
    if name != "prop":
        return Field(name, value.lower() if name in ("is", "kind", "deck") else value)
    match = re.fullmatch(r"([a-z]+)(<=|>=|!=|<|>|=)(-?\d+(?:\.\d+)?)", value.lower())
    if match is None or match.group(1) not in PROPS:
        raise QueryError(
            f"{where}: 'prop:' takes one of {', '.join(PROPS)}, an operator and a number, e.g. prop:lapses>3"
        )
    return Field(name, match.group(1), match.group(2), float(match.group(3)))


def parse(query: str) -> Node | None:
    """The query's tree, or None for an empty query (every card)."""
    if not query.strip():
        return None
    return _Parser(query).conjunction(opened=None)
