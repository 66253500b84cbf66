"""Deck files: what is accepted, and how each problem is reported (file:line: what)."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizzer.corpus.format import load_content
from quizzer.errors import ContentError
from quizzer.kinds.registry import CARD_KINDS, DRILL_KINDS, KINDS
from tests.conftest import FIXTURE_CONTENT, FIXTURES


def problems_of(path: Path) -> list[str]:
    with pytest.raises(ContentError) as info:
        load_content(path)
    return info.value.problems


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "deck.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_fixture_deck_loads_every_kind_in_file_order() -> None:
    items = load_content(FIXTURE_CONTENT)
    assert [i.id for i in items] == ["alpha-basic-1", "alpha-basic-2", "alpha-cloze", "alpha-typed", "beta-basic"]
    assert {i.kind for i in items} == {"basic", "cloze", "typed"}


def test_cloze_item_produces_one_card_per_deletion() -> None:
    cloze = next(i for i in load_content(FIXTURE_CONTENT) if i.id == "alpha-cloze")
    assert cloze.ordinals == [1, 2]


def test_file_level_deck_and_tags_apply_unless_item_overrides() -> None:
    items = {i.id: i for i in load_content(FIXTURE_CONTENT)}
    assert items["alpha-basic-1"].deck == "alpha"
    assert items["alpha-typed"].deck == "alpha::sub"
    assert items["alpha-basic-1"].tags == ["fixture"]


def test_item_records_its_file_and_header_line() -> None:
    items = {i.id: i for i in load_content(FIXTURE_CONTENT)}
    assert (items["alpha-cloze"].file, items["alpha-cloze"].line) == ("basics.toml", 23)


def test_missing_field_is_reported_with_file_and_line_of_the_item() -> None:
    problems = problems_of(FIXTURES / "bad" / "missing_back_and_bad_deck.toml")
    assert "missing_back_and_bad_deck.toml:12: no-back: `back` is missing" in problems


def test_bad_deck_path_is_reported_on_its_own_line() -> None:
    problems = problems_of(FIXTURES / "bad" / "missing_back_and_bad_deck.toml")
    assert any(p.startswith("missing_back_and_bad_deck.toml:15: no-back: `deck` must be a deck path") for p in problems)


def test_invalid_toml_is_reported_with_its_line() -> None:
    (problem,) = problems_of(FIXTURES / "bad" / "not_toml.toml")
    assert problem.startswith("not_toml.toml:4: not valid TOML")


def test_all_problems_in_all_files_are_collected_before_reporting() -> None:
    assert len(problems_of(FIXTURES / "bad")) == 3


def test_duplicate_id_names_both_places(tmp_path: Path) -> None:
    card = '[[card]]\nid = "same"\nkind = "basic"\nsource = "s"\nfront = {zh = "问", en = "Q"}\nback = {zh = "答", en = "A"}\n'
    (problem,) = problems_of(write(tmp_path, 'deck = "d"\n' + card + "\n" + card))
    assert problem == "deck.toml:9: same: duplicate id (first used at deck.toml:2)"


def test_unknown_field_is_named_with_the_fields_the_kind_accepts(tmp_path: Path) -> None:
    path = write(tmp_path, 'deck = "d"\n[[card]]\nid = "x"\nkind = "basic"\nsource = "s"\nfront = {zh = "问", en = "Q"}\n'
                           'back = {zh = "答", en = "A"}\nfrnt = 1\n')
    (problem,) = problems_of(path)
    assert problem == "deck.toml:8: x: `frnt` is not a field of a basic item (expected: front, back)"


def test_missing_language_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, 'deck = "d"\n[[card]]\nid = "x"\nkind = "basic"\nsource = "s"\nfront.zh = "问"\n'
                           'back = {zh = "答", en = "A"}\n')
    (problem,) = problems_of(path)
    assert problem == "deck.toml:6: x: `front` needs non-empty text for en"


def test_cloze_languages_must_use_the_same_deletions(tmp_path: Path) -> None:
    path = write(tmp_path, 'deck = "d"\n[[card]]\nid = "x"\nkind = "cloze"\nsource = "s"\n'
                           'text.zh = "{{c1::甲}}{{c2::乙}}"\ntext.en = "{{c1::A}}"\n')
    (problem,) = problems_of(path)
    assert "zh and en must use the same deletions" in problem


def test_unknown_kind_lists_the_kinds(tmp_path: Path) -> None:
    path = write(tmp_path, 'deck = "d"\n[[card]]\nid = "x"\nkind = "flash"\nsource = "s"\n')
    (problem,) = problems_of(path)
    assert problem.startswith(f"deck.toml:4: x: `kind` must be one of {', '.join(CARD_KINDS)} in a [[card]] table")


def test_missing_source_asks_for_note_and_section(tmp_path: Path) -> None:
    path = write(tmp_path, 'deck = "d"\n[[card]]\nid = "x"\nkind = "basic"\nfront = {zh = "问", en = "Q"}\n'
                           'back = {zh = "答", en = "A"}\n')
    (problem,) = problems_of(path)
    assert problem.startswith("deck.toml:2: x: `source` is missing")


SHAPE_CARD = """[[card]]
id = "shape"
kind = "typed"
deck = "d"
source = "test § shape"
front = { zh = "形状？", en = "Shape?" }
answers = ANSWERS
answer_type = "shape"
"""


def test_a_shape_card_loads_when_its_answers_are_one_shape(tmp_path: Path) -> None:
    items = load_content(write(tmp_path, SHAPE_CARD.replace("ANSWERS", '["(2, 3)", "2x3"]')))
    assert items[0].body["answer_type"] == "shape"


@pytest.mark.parametrize(
    ("answers", "problem"),
    [
        ('["(2, 3)", "two by three"]', "'two by three' is not a shape such as (2, 3) or torch.Size([2, 3])"),
        ('["(2, 3)", "(3, 2)"]', "must all be the same shape (each form is read as one)"),
    ],
)
def test_a_shape_card_whose_answers_are_not_one_shape_is_refused(tmp_path: Path, answers: str, problem: str) -> None:
    assert problems_of(write(tmp_path, SHAPE_CARD.replace("ANSWERS", answers))) == [f"deck.toml:7: shape: `answers` {problem}"]


def test_a_typed_card_takes_no_other_answer_type(tmp_path: Path) -> None:
    card = SHAPE_CARD.replace("ANSWERS", '["2"]').replace('answer_type = "shape"', 'answer_type = "int"')
    assert problems_of(write(tmp_path, card)) == ["deck.toml:8: shape: `answer_type` must be one of shape, not 'int'"]


@pytest.mark.parametrize("name", KINDS)
def test_a_kind_is_named_after_its_home_and_is_a_drill_when_the_home_has_a_grading_part(name: str) -> None:
    kind = KINDS[name]
    assert kind.name == name
    assert kind.is_drill == (name in DRILL_KINDS) == (name not in CARD_KINDS)
    assert kind.grading is None or kind.grading.module == f"quizzer.kinds.{name}.grade"
