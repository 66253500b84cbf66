"""`quizzer import cards.csv`: rows of front, back[, tags][, deck] become cards in the learner's
own deck folder, comma or tab separated, with or without a header."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from quizzer.config import Config
from quizzer.services.container import Services
from quizzer.storage.models import Item
from tests.conftest import FIXTURE_CONTENT
from tests.test_cli import quizzer


def imported(file: Path, db: str) -> list[tuple[str, str, list[str], dict[str, dict[str, str]]]]:
    """Import ``file`` through the CLI; the CSV items stored: kind, deck, tags, body."""
    result = quizzer("import", str(file), db=db)
    assert result.returncode == 0, result.stderr
    services = Services.open(Config(db_url=db, content_dir=FIXTURE_CONTENT))
    with services.sessions() as session:
        rows = session.scalars(select(Item).where(Item.source == f"CSV {file.name}").order_by(Item.position)).all()
        found = [(item.kind, item.deck, item.tags, item.body) for item in rows]
    services.close()
    return found


def test_a_comma_separated_file_with_a_header_gives_cards_with_their_tags_and_decks(tmp_path: Path) -> None:
    cards = tmp_path / "cards.csv"
    cards.write_text('front,back,tags,deck\n"What is a tensor?","An <b>n</b>-dimensional array",basics pytorch,DL::Tensors\n', encoding="utf-8")
    ((kind, deck, tags, body),) = imported(cards, f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert (kind, deck, tags) == ("basic", "dl::tensors", ["basics", "pytorch"])
    assert body["back"] == {"zh": "An **n**-dimensional array", "en": "An **n**-dimensional array"}


def test_a_tab_separated_file_without_a_header_goes_to_the_deck_named_after_it(tmp_path: Path) -> None:
    cards = tmp_path / "Vocabulary.tsv"
    cards.write_text("#separator:tab\n#html:true\nsoftmax\tnormalised exponentials\n{{c1::ReLU}} is max(0, x)\t\n", encoding="utf-8")
    found = imported(cards, f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert [(kind, deck) for kind, deck, _, _ in found] == [("basic", "vocabulary"), ("cloze", "vocabulary")]
    assert found[1][3]["text"]["en"] == "{{c1::ReLU}} is max(0, x)"


def test_importing_the_file_again_after_an_edit_updates_the_card(tmp_path: Path) -> None:
    cards, db = tmp_path / "cards.csv", f"sqlite:///{tmp_path / 'db.sqlite3'}"
    cards.write_text("What is a tensor?,An array\n", encoding="utf-8")
    imported(cards, db)
    cards.write_text("What is a tensor?,An n-dimensional array\n", encoding="utf-8")
    ((_, _, _, body),) = imported(cards, db)
    assert body["back"]["en"] == "An n-dimensional array"
