"""Rules shared by a deck file or folder, allow-lists and `uses`, as the content loader reads them."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizzer.corpus.format import load_content
from quizzer.errors import ContentError
from tests.grading.test_drill_format import WRITE, problems_of


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_rules_and_allow_at_the_top_of_a_file_add_to_each_write_drill(tmp_path: Path) -> None:
    top = 'rules = ["no-loops"]\nallow = ["arithmetic"]\n'
    text = top + WRITE.replace('examples = ["torch.ones(2)"]', 'examples = ["torch.ones(2)"]\nrules = ["max-lines:1"]\nallow = ["torch.ones"]')
    (item,) = load_content(write(tmp_path / "deck.toml", text))
    assert (item.body["rules"], item.body["allow"]) == (["no-loops", "max-lines:1"], ["arithmetic", "torch.ones"])


def test_a_folders_defaults_apply_to_every_file_below_it(tmp_path: Path) -> None:
    write(tmp_path / "puzzles" / "defaults.toml", 'tags = ["puzzle"]\nallow = ["indexing", "shape"]\n')
    write(tmp_path / "puzzles" / "more" / "defaults.toml", 'rules = ["no-loops"]\n')
    write(tmp_path / "puzzles" / "more" / "deck.toml", 'allow = ["arithmetic"]\n' + WRITE)
    write(tmp_path / "other.toml", WRITE.replace('id = "w"', 'id = "v"'))
    items = {item.id: item for item in load_content(tmp_path)}
    assert items["w"].tags == ["puzzle"]
    assert (items["w"].body["rules"], items["w"].body["allow"]) == (["no-loops"], ["indexing", "shape", "arithmetic"])
    assert "allow" not in items["v"].body and "rules" not in items["v"].body


def test_a_folders_defaults_take_only_tags_rules_and_allow(tmp_path: Path) -> None:
    write(tmp_path / "defaults.toml", 'deck = "x"\n')
    write(tmp_path / "deck.toml", WRITE)
    with pytest.raises(ContentError) as info:
        load_content(tmp_path)
    assert info.value.problems == ["defaults.toml:1: unknown key `deck` in folder defaults (expected: tags, rules, allow)"]


def test_an_allow_list_names_dotted_names_builtins_and_groups(tmp_path: Path) -> None:
    (problem,) = problems_of(tmp_path, WRITE + 'allow = ["torch.arange", "sum", "indexing", "loops"]\n')
    assert problem == ("deck.toml:20: w: `allow` has unknown name(s) 'loops' "
                       "(a dotted name, a builtin, or a group: indexing, arithmetic, comparison, matmul, shape)")


USED = WRITE.replace('id = "w"', 'id = "base"').replace('function = "f"', 'function = "double"').replace("def f(x)", "def double(x)")


def test_uses_brings_the_used_drills_references_in_dependency_order(tmp_path: Path) -> None:
    middle = WRITE.replace('id = "w"', 'id = "middle"').replace('function = "f"', 'function = "quad"').replace("def f(x)", "def quad(x)")
    middle = middle.replace("return x * 2", "return double(double(x))") + 'uses = ["base"]\n'
    top = WRITE.replace("return x * 2", "return quad(x) / 2") + 'uses = ["middle"]\n'
    items = {i.id: i for i in load_content(write(tmp_path / "deck.toml", USED + middle.split('deck = "d"')[1] + top.split('deck = "d"')[1]))}
    assert [(u["id"], u["function"]) for u in items["w"].body["used"]] == [("base", "double"), ("middle", "quad")]
    assert "used" not in items["base"].body


@pytest.mark.parametrize(
    ("uses", "problem"),
    [
        ('["nowhere"]', "`uses` names 'nowhere', which is not a write drill"),
        ('["w"]', "`uses` goes round in a circle: w → w"),
    ],
)
def test_uses_must_name_write_drills_without_a_circle(tmp_path: Path, uses: str, problem: str) -> None:
    assert problems_of(tmp_path, WRITE + f"uses = {uses}\n") == [f"deck.toml:3: w: {problem}"]
