"""Markdown notes as decks (Obsidian Spaced Repetition's syntax): what a note imports to, the id
markers written back into it and nothing else, history kept through an edit, problems as
file:line, a predict drill graded by the grader, and a note's card reviewed in the app."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from quizzer.app import make_app
from quizzer.corpus.format import load_content
from quizzer.corpus.markdown import guess_answer_type, missing_markers
from quizzer.errors import ContentError
from quizzer.services.container import Services
from quizzer.storage.models import Card, Item, ReviewLog
from quizzer.vocabulary import Rating
from tests.conftest import FIXTURES
from tests.test_cli import quizzer
from tests.test_tui import SIZE, prompt_text

NOTES = FIXTURES / "notes"
MARKER = re.compile(rb" <!--qz:[a-z0-9._-]+-->")

EXPECTED = [  # id, kind, deck, tags, line, cards, what it asks (English)
    ("what-does-a-query-attend-622208", "basic", "attention", ["transformers"], 11, 1, "What does a query attend to?"),
    ("softmax-131a82", "basic", "attention", ["transformers", "basics"], 12, 1, "Softmax"),
    ("softmax-131a82.r", "basic", "attention", ["transformers", "basics"], 12, 1, "normalised exponentials"),
    ("why-divide-the-scores-by-92345a", "basic", "attention::scaling", ["transformers"], 16, 1, "Why divide the scores by sqrt(d)?"),
    ("scaled-dot-product-atten-655a45", "basic", "attention::scaling", ["transformers"], 21, 1, "Scaled dot-product attention"),
    ("scaled-dot-product-atten-655a45.r", "basic", "attention::scaling", ["transformers"], 21, 1, "softmax(QK^T / sqrt(d)) V"),
    ("dot-products-grow-with-t-480023", "cloze", "attention::scaling", ["transformers", "scaling"], 25, 2,
     "Dot products grow with {{c2::the dimension d}}, so the scores are divided by {{c1::sqrt(d)}}."),
    ("how-do-you-build-a-causa-e6dc6c", "basic", "attention::scaling::code", [], 28, 1, "How do you build a causal mask for 4 positions?"),
    ("what-shape-comes-out-c15d5f", "predict", "attention::scaling::code", [], 34, 1, "What shape comes out?"),
    ("how-many-elements-does-i-9db2c6", "predict", "attention::scaling::code", [], 43, 1, "How many elements does it hold?"),
]


@pytest.fixture
def notes(tmp_path: Path) -> Path:
    return Path(shutil.copytree(NOTES, tmp_path / "notes"))


def note_items(services: Services) -> list[Item]:
    with services.review.sessions() as session:
        items = session.scalars(select(Item).where(Item.source_file.endswith("attention.md")).order_by(Item.source_line, Item.id))
        return [item for item in items if item.cards]  # loads the cards while the session is open


def asked(item: Item) -> str:
    return str((item.body.get("front") or item.body.get("text") or item.body["prompt"])["en"])


def test_a_note_with_each_syntax_imports_to_the_expected_items(services: Services, notes: Path) -> None:
    services.content.import_path(notes)
    rows = [(i.id, i.kind, i.deck, i.tags, i.source_line, len(i.cards), asked(i)) for i in note_items(services)]
    assert rows == EXPECTED


def test_a_note_card_is_in_one_language_standing_under_both(services: Services, notes: Path) -> None:
    services.content.import_path(notes)
    shown = services.content.show("why-divide-the-scores-by-92345a")
    assert shown.answer == {lang: "It keeps their variance near 1,\nso the softmax does not saturate." for lang in ("zh", "en")}


def test_a_code_block_in_an_answer_shows_as_its_code(services: Services, notes: Path) -> None:
    services.content.import_path(notes)
    assert services.content.show("how-do-you-build-a-causa-e6dc6c").answer["en"] == "torch.tril(torch.ones(4, 4, dtype=torch.bool))"


def test_a_predict_fence_takes_its_hints_and_explanation_from_the_lines_below(services: Services, notes: Path) -> None:
    services.content.import_path(notes)
    body = {item.id: item.body for item in note_items(services)}
    assert body["what-shape-comes-out-c15d5f"] == {
        "prompt": {"zh": "What shape comes out?", "en": "What shape comes out?"},
        "snippet": "import torch\ntorch.zeros(2, 3).T.shape",
        "answer_type": "shape",  # guessed from `.shape`
        "hints": [{"zh": ".T swaps the two dimensions of a matrix.", "en": ".T swaps the two dimensions of a matrix."}],
        "explanation": {lang: "a 2x3 matrix transposed is 3x2,\nso the shape is (3, 2)." for lang in ("zh", "en")},
    }
    assert body["how-many-elements-does-i-9db2c6"]["answer_type"] == "int"  # named in the fence
    assert "hints" not in body["how-many-elements-does-i-9db2c6"]


def variants() -> dict[str, bytes]:
    lf = (NOTES / "attention.md").read_bytes()
    return {
        "lf": lf,
        "crlf": lf.replace(b"\n", b"\r\n"),
        "crlf, no final newline": lf.replace(b"\n", b"\r\n") + b"\r\nLast::card",
        "byte order mark": "\ufeff".encode() + lf,
    }


@pytest.mark.parametrize("variant", variants())
def test_import_writes_each_missing_marker_once_and_not_another_byte(services: Services, notes: Path, variant: str) -> None:
    note = notes / "attention.md"
    original = variants()[variant]
    note.write_bytes(original)
    services.content.import_path(notes)
    written = note.read_bytes()
    assert MARKER.sub(b"", written) == original
    assert len(MARKER.findall(written)) == (9 if variant.endswith("newline") else 8)
    if variant.endswith("newline"):
        assert re.search(rb"\r\nLast::card <!--qz:last-[0-9a-f]{6}-->$", written)
    services.content.import_path(notes)
    assert note.read_bytes() == written  # once: the next import finds every marker
    assert services.content.show("what-does-a-query-attend-622208").answer["en"] == "The keys"


def test_a_markers_place_is_the_end_of_the_card_or_its_closing_code_fences_first_line(services: Services, notes: Path) -> None:
    services.content.import_path(notes)
    lines = (notes / "attention.md").read_text(encoding="utf-8").split("\n")
    assert lines[18] == "so the softmax does not saturate. <!--qz:why-divide-the-scores-by-92345a-->"
    assert lines[29] == "```python <!--qz:how-do-you-build-a-causa-e6dc6c-->"  # the fence still closes
    assert lines[43] == "```python predict int <!--qz:how-many-elements-does-i-9db2c6-->"


def test_editing_a_cards_text_keeps_its_id_and_review_history(services: Services, notes: Path) -> None:
    services.content.import_path(notes)
    with services.review.sessions() as session:
        card_id = session.scalars(select(Card.id).where(Card.item_id == "what-does-a-query-attend-622208")).one()
    services.review.answer(card_id, Rating.Good)
    note = notes / "attention.md"
    marked = note.read_text(encoding="utf-8")
    note.write_text(marked.replace("attend to?::The keys", "attend to, in one word?::Keys"), encoding="utf-8")

    report = services.content.import_path(notes)

    assert (report.added, report.updated, report.retired) == (0, 1, 0)
    shown = services.content.show("what-does-a-query-attend-622208")
    assert (shown.prompt["en"], shown.answer["en"]) == ("What does a query attend to, in one word?", "Keys")
    with services.review.sessions() as session:
        assert [log.card_id for log in session.scalars(select(ReviewLog))] == [card_id]
    assert services.review.card(card_id).state == 1  # still learning, not new again
    assert note.read_text(encoding="utf-8") == marked.replace("attend to?::The keys", "attend to, in one word?::Keys")


def test_check_reports_a_notes_problems_as_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "bad.md").write_text(
        "A::B <!--qz:same-->\n\nC::D <!--qz:same-->\n\nQuestion\n?\n\nWhat?\n```python predict shap\n1\n```\n\n"
        "Orphan::\n",
        encoding="utf-8",
    )
    result = quizzer("check", str(tmp_path), content=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines()[:-1] == [
        "bad.md:6: a `?` card needs its answer on the lines right below the `?` (no blank line between)",
        "bad.md:9: unknown predict fence 'python predict shap': open it with python predict, optionally followed by one "
        "answer type (shape, int, float, bool, tensor, text)",
        "bad.md:13: a `::` card needs text on both sides of `::`",
        "bad.md:3: same: duplicate id (first used at bad.md:1); a copied card: delete its <!--qz:…--> marker and it gets an id of its own",
    ]


def test_check_never_writes_markers(tmp_path: Path) -> None:
    (tmp_path / "plain.md").write_text("Q::A\n", encoding="utf-8")
    assert quizzer("check", str(tmp_path), content=tmp_path).returncode == 0
    assert (tmp_path / "plain.md").read_text(encoding="utf-8") == "Q::A\n"


def test_a_notes_predict_drill_is_proven_on_import_and_graded_by_the_grader(tmp_path: Path, notes: Path) -> None:
    db = f"sqlite:///{tmp_path / 'notes.sqlite3'}"
    assert quizzer("import", str(notes), db=db, content=notes, timeout=300).returncode == 0
    (tmp_path / "right").write_text("(3, 2)", encoding="utf-8")
    (tmp_path / "wrong").write_text("2x3", encoding="utf-8")
    answers = [str(tmp_path / "right"), str(tmp_path / "wrong")]
    result = quizzer("grade", "what-shape-comes-out-c15d5f", *answers, "--json", db=db, content=notes, timeout=300)
    assert [json.loads(line)["verdict"] for line in result.stdout.splitlines()] == ["pass", "fail"]


def test_check_names_the_line_of_a_predict_drill_whose_value_is_not_the_guessed_type(tmp_path: Path) -> None:
    (tmp_path / "strings.md").write_text("What does it give?\n```python predict\n'abc'.upper()\n```\n", encoding="utf-8")
    result = quizzer("check", str(tmp_path), content=tmp_path, timeout=300)
    assert result.returncode == 1
    assert result.stderr.startswith("strings.md:1: what-does-it-give-")
    assert "is not a tensor answer" in result.stderr


async def test_a_notes_card_is_reviewed_in_the_app(sqlite_services: Services, notes: Path) -> None:
    sqlite_services.content.import_path(notes)
    app = make_app(sqlite_services, deck="attention")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "What does a query attend to?" in prompt_text(app)
        await pilot.press("space", "3")
    with sqlite_services.review.sessions() as session:
        (log,) = session.scalars(select(ReviewLog))
        card = session.get(Card, log.card_id)
        assert card is not None and (card.item_id, log.rating) == ("what-does-a-query-attend-622208", 3)


def test_the_readmes_example_note_is_the_deck_it_describes(tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    (example,) = re.findall(r"````markdown\n(.+?)````", readme, re.DOTALL)
    (tmp_path / "attention.md").write_text(example, encoding="utf-8")
    items = load_content(tmp_path)
    assert [(item.kind, item.deck, item.tags) for item in items] == [
        *[("basic", "attention", ["transformers"])] * 4, ("cloze", "attention", ["transformers"]), ("predict", "attention", ["transformers"]),
    ]


def test_a_deck_tag_on_a_cards_own_line_moves_only_that_card(tmp_path: Path) -> None:
    (tmp_path / "trivia.md").write_text("#flashcards/cats\nA::B\n\n#flashcards/dogs/pups Q::R\n\nC::D\n", encoding="utf-8")
    assert [(item.deck, item.tags) for item in load_content(tmp_path)] == [
        ("trivia::cats", []), ("trivia::dogs::pups", []), ("trivia::cats", []),
    ]


def test_markers_are_not_written_into_a_note_edited_since_it_was_read(tmp_path: Path) -> None:
    note = tmp_path / "note.md"
    note.write_text("Q::A\n", encoding="utf-8")
    (write,) = missing_markers([note], tmp_path)
    note.write_text("Q::A, edited\n", encoding="utf-8")
    with pytest.raises(ContentError, match="changed while it was being imported"):
        write.apply()
    assert note.read_text(encoding="utf-8") == "Q::A, edited\n"
    assert [path.name for path in tmp_path.iterdir()] == ["note.md"]  # no temporary file left behind


def test_show_prints_a_one_language_card_once(tmp_path: Path, notes: Path) -> None:
    result = quizzer("show", "what-does-a-query-attend-622208", db=f"sqlite:///{tmp_path / 'show.sqlite3'}", content=notes)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[1:] == ["", "What does a query attend to?", "", "─" * 40, "", "The keys", ""]


@pytest.mark.parametrize(("last_line", "answer_type"), [
    ("x.shape", "shape"), ("x.size()", "shape"), ("x.shape[0]", "int"), ("x.size(0)", "int"), ("len(xs)", "int"),
    ("x.numel()", "int"), ("x.sum().item()", "float"), ("x.is_contiguous()", "bool"), ("a is b", "bool"),
    ("x.requires_grad", "bool"), ("x.dtype", "text"), ("x @ y", "tensor"), ("3", "int"),
])
def test_a_predict_fence_naming_no_type_takes_the_one_its_last_line_suggests(last_line: str, answer_type: str) -> None:
    assert guess_answer_type(f"x = 1\n{last_line}") == answer_type


def test_discarding_an_edit_puts_a_crlf_note_back_byte_for_byte(services: Services, notes: Path) -> None:
    note = notes / "attention.md"
    note.write_bytes(note.read_bytes().replace(b"\n", b"\r\n"))
    services.content.import_path(notes)
    before = note.read_bytes()
    edit = services.content.begin_edit("why-divide-the-scores-by-92345a")
    note.write_bytes(before.replace(b"It keeps their variance near 1,\r\nso", b""))
    edit.discard()
    assert note.read_bytes() == before
