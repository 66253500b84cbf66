"""Line breaking of card text: Chinese fills its lines, punctuation keeps its place."""

from __future__ import annotations

from rich.cells import cell_len

from quizzer.widgets.wrapping import wrap_offsets


def rows(line: str, width: int) -> list[str]:
    return [line[start:end].rstrip() for start, end in wrap_offsets(line, width)]


def test_a_chinese_run_fills_the_row_instead_of_moving_whole_to_the_next() -> None:
    text = "要得到独立的副本，还得再调用 clone()，这样两者就不再共享存储了。"
    shown = rows(text, 20)
    assert shown[0] == "要得到独立的副本，还"  # 20 cells, broken inside the run
    assert all(cell_len(row) <= 20 for row in shown) and "".join(shown).replace(" ", "") == text.replace(" ", "")


def test_closing_punctuation_never_starts_a_row() -> None:
    shown = rows("一二三四五六七八九，十一", 18)  # the comma would be the 10th character, past 18 cells
    assert shown == ["一二三四五六七八", "九，十一"]


def test_english_breaks_at_spaces_and_a_word_wider_than_the_row_is_folded() -> None:
    assert rows("the quick brown fox", 10) == ["the quick", "brown fox"]
    assert rows("x" * 12, 5) == ["xxxxx", "xxxxx", "xx"]


def test_leading_indentation_is_kept() -> None:
    assert rows("    return x", 40) == ["    return x"]
