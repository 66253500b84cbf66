"""Line breaking that fills lines of Chinese text.

Textual and Rich break lines only at spaces: a run of Chinese without one is a single "word",
moved whole to the next line when it does not fit, which leaves lines half empty. Chinese
may break between any two characters, except before closing punctuation (，。）…) and after
opening punctuation (（「…), as UAX #14 and the usual 禁则 rules have it.
"""

from __future__ import annotations

from collections.abc import Iterator

from rich.cells import cell_len, get_character_cell_size
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text

NO_LINE_START = frozenset("，。、；：？！）》」』】〕〉”’…·,.;:?!)]}%")  # noqa: RUF001 (Chinese punctuation, meant)
"""Punctuation that stays at the end of the line before rather than start the next."""
NO_LINE_END = frozenset("（《「『【〔〈“‘([{")  # noqa: RUF001 (Chinese punctuation, meant)
"""Punctuation that stays with what it opens."""


def _can_break(before: str, after: str) -> bool:
    if after in NO_LINE_START or before in NO_LINE_END:
        return False
    if before.isspace() or after.isspace():
        return before.isspace() and not after.isspace()  # spaces end the piece before them
    return get_character_cell_size(before) == 2 or get_character_cell_size(after) == 2


def pieces(line: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of the pieces a line may break between: a word with the spaces after
    it, a wide character with the punctuation that clings to it."""
    start = 0
    for i in range(1, len(line)):
        if _can_break(line[i - 1], line[i]):
            yield start, i
            start = i
    if line:
        yield start, len(line)


def wrap_offsets(line: str, width: int) -> list[tuple[int, int]]:
    """``(start, end)`` of each row ``line`` takes at ``width`` cells (spaces where a row
    breaks end the row before, to be stripped); a piece wider than a row is folded."""
    rows: list[tuple[int, int]] = []
    row_start, used = 0, 0
    for start, end in pieces(line):
        piece = line[start:end]
        if used and used + cell_len(piece.rstrip()) > width:
            rows.append((row_start, start))
            row_start, used = start, 0
        for ch in piece:  # a piece wider than the row is folded
            size = get_character_cell_size(ch)
            if used + size > width and used and not ch.isspace():
                rows.append((row_start, start))
                row_start, used = start, 0
            used += size
            start += 1
    rows.append((row_start, len(line)))
    return rows


class Wrapped:
    """Rich text, broken into rows by ``wrap_offsets`` at whatever width it is drawn."""

    def __init__(self, text: Text) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text.plain

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(1, options.max_width)
        for line in self.text.split("\n", allow_blank=True):
            for start, end in wrap_offsets(line.plain, width):
                row = line[start:end]
                row.rstrip()
                row.no_wrap, row.end = True, "\n"
                yield row

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.text)
