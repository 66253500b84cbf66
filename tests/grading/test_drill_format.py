"""Drill validation, reported as file:line through the content loader."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizzer.corpus.format import load_content
from quizzer.errors import ContentError
from quizzer.kinds.registry import CARD_KINDS
from tests.grading.conftest import DRILLS

WRITE = '''deck = "d"

[[drill]]
id = "w"
kind = "write"
source = "s"
prompt = { zh = "问", en = "Q" }
function = "f"
starter = """
def f(x):
    return x
"""
reference = """
def f(x):
    return x * 2
"""
examples = ["torch.ones(2)"]
hints = [{ zh = "提示", en = "hint" }]
explanation = { zh = "解释", en = "why" }
'''

PREDICT = '''deck = "d"

[[drill]]
id = "p"
kind = "predict"
source = "s"
prompt = { zh = "问", en = "Q" }
snippet = "torch.ones(2).shape"
answer_type = "shape"
hints = [{ zh = "提示", en = "hint" }]
explanation = { zh = "解释", en = "why" }
'''


def problems_of(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "deck.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_content(path)
    return info.value.problems


def test_fixture_drills_load_with_one_card_each() -> None:
    items = load_content(DRILLS)
    assert {i.kind for i in items} == {"write", "predict"}
    assert all(i.ordinals == [0] for i in items)


def test_valid_drills_of_both_kinds_load(tmp_path: Path) -> None:
    (tmp_path / "w.toml").write_text(WRITE, encoding="utf-8")
    (tmp_path / "p.toml").write_text(PREDICT, encoding="utf-8")
    assert [i.id for i in load_content(tmp_path)] == ["p", "w"]


def test_drill_kinds_are_only_accepted_in_drill_tables(tmp_path: Path) -> None:
    (problem,) = problems_of(tmp_path, WRITE.replace("[[drill]]", "[[card]]"))
    assert problem == f"deck.toml:5: w: `kind` must be one of {', '.join(CARD_KINDS)} in a [[card]] table, not 'write'"


def test_a_syntax_error_names_the_line_within_the_code(tmp_path: Path) -> None:
    (problem,) = problems_of(tmp_path, WRITE.replace("return x * 2", "return x *"))
    assert problem == "deck.toml:13: w: `reference` has a syntax error on line 2 of its code: invalid syntax"


def test_starter_must_define_the_function_at_top_level(tmp_path: Path) -> None:
    (problem,) = problems_of(tmp_path, WRITE.replace("def f(x):\n    return x\n", "def g(x):\n    return x\n"))
    assert problem == "deck.toml:9: w: `starter` must define `def f(…)` at top level"


def test_function_must_be_an_identifier(tmp_path: Path) -> None:
    (problem,) = problems_of(tmp_path, WRITE.replace('function = "f"', 'function = "f-1"'))
    assert problem == "deck.toml:8: w: `function` must be a Python function name"


def test_generator_must_take_g_rng_and_params(tmp_path: Path) -> None:
    text = WRITE + 'generator = """\ndef generate(g):\n    return (torch.ones(2),)\n"""\n'
    (problem,) = problems_of(tmp_path, text)
    assert problem == "deck.toml:20: w: `generator` must define `def generate(g, rng, params):` at top level"


def test_cases_need_a_generator(tmp_path: Path) -> None:
    (problem,) = problems_of(tmp_path, WRITE + "cases = 3\n")
    assert problem == "deck.toml:20: w: `cases` needs a `generator` to draw random cases from"


def test_an_example_must_be_an_argument_list(tmp_path: Path) -> None:
    (problem,) = problems_of(tmp_path, WRITE.replace('["torch.ones(2)"]', '["torch.ones(2)", "x ="]'))
    assert problem == "deck.toml:17: w: `examples` example 2 is not a Python argument list: 'x ='"


def test_compare_aspects_and_rules_are_checked(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, WRITE + 'compare = ["value", "speed"]\nrules = ["no-goto"]\n')
    assert problems == [
        "deck.toml:20: w: `compare` has unknown aspect(s) speed (choose from value, shape, dtype, grad, any-number, arguments, broadcast)",
        "deck.toml:21: w: `rules` has unknown rule(s) 'no-goto' (use no-loops, no-call:<dotted.name>, max-lines:N or max-columns:N)",
    ]


def test_hints_are_one_to_three_bilingual_tables(tmp_path: Path) -> None:
    four = "hints = [" + ", ".join(['{ zh = "提示", en = "hint" }'] * 4) + "]"
    assert problems_of(tmp_path, WRITE.replace('hints = [{ zh = "提示", en = "hint" }]', four)) == [
        'deck.toml:18: w: `hints` must list 1 to 3 hints, each { zh = "…", en = "…" }'
    ]
    (problem,) = problems_of(tmp_path, WRITE.replace('{ zh = "提示", en = "hint" }', '{ zh = "提示" }'))
    assert problem == "deck.toml:18: w: `hints` hint 1 needs non-empty text for en"


def test_params_are_lists_of_scalars(tmp_path: Path) -> None:
    (problem,) = problems_of(tmp_path, WRITE + "params = { n = [] }\n")
    assert problem == "deck.toml:20: w: `params` `n` must list at least one value"


def test_answer_type_must_be_known(tmp_path: Path) -> None:
    (problem,) = problems_of(tmp_path, PREDICT.replace('"shape"', '"matrix"'))
    assert problem == "deck.toml:9: p: `answer_type` must be one of shape, int, float, bool, tensor, text, not 'matrix'"


def test_snippet_must_end_with_an_expression(tmp_path: Path) -> None:
    (problem,) = problems_of(tmp_path, PREDICT.replace('"torch.ones(2).shape"', '"s = torch.ones(2).shape"'))
    assert problem == "deck.toml:8: p: `snippet` must end with an expression: its value is the answer"


def test_tolerances_apply_only_to_float_and_tensor_answers(tmp_path: Path) -> None:
    (problem,) = problems_of(tmp_path, PREDICT + "atol = 0.1\n")
    assert problem == "deck.toml:12: p: `atol` applies only to float and tensor answers"
