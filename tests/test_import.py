"""Importing content: idempotent, history-preserving, transactional, retiring not deleting."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from quizzer.errors import ContentError
from quizzer.services.container import Services
from quizzer.storage.models import Card, Item, ReviewLog
from quizzer.vocabulary import Rating
from tests.conftest import FIXTURE_CONTENT, FIXTURES


@pytest.fixture
def editable(tmp_path: Path, services: Services) -> Path:
    """A copy of the fixture deck the test may edit, imported from there."""
    copy = Path(shutil.copytree(FIXTURE_CONTENT, tmp_path / "content"))
    services.content.import_path(copy)
    return copy


def count(services: Services, model: type) -> int:
    with services.review.sessions() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_first_import_creates_one_card_per_cloze_deletion(services: Services) -> None:
    assert count(services, Item) == 5
    assert count(services, Card) == 6


def test_reimporting_unchanged_content_changes_nothing(services: Services) -> None:
    report = services.content.import_path(FIXTURE_CONTENT)
    assert (report.added, report.updated, report.unchanged, report.retired) == (0, 0, 5, 0)
    assert count(services, Card) == 6


def test_edited_text_is_updated_and_history_kept(services: Services, editable: Path) -> None:
    card = services.review.next_card("alpha")
    assert card is not None and card.item.id == "alpha-basic-1"
    services.review.answer(card.card_id, Rating.Good)
    deck = editable / "basics.toml"
    deck.write_text(deck.read_text(encoding="utf-8").replace("Answer one", "Answer one, revised"), encoding="utf-8")

    report = services.content.import_path(editable)

    assert report.updated == 1
    assert services.content.show("alpha-basic-1").answer["en"] == "Answer one, revised"
    assert count(services, ReviewLog) == 1
    assert services.review.card(card.card_id).state == 1  # still learning, not reset to new


def test_item_removed_from_content_is_retired_with_its_history(services: Services, editable: Path) -> None:
    card = services.review.next_card("beta")
    assert card is not None
    services.review.answer(card.card_id, Rating.Good)
    (editable / "ml" / "beta.toml").unlink()

    report = services.content.import_path(editable)

    assert report.retired == 1
    assert [i.id for i in services.content.items()].count("beta-basic") == 0
    assert "beta-basic" in [i.id for i in services.content.items(include_retired=True)]
    assert count(services, ReviewLog) == 1
    assert services.review.next_card("beta") is None


def test_retired_item_returns_with_its_cards_when_restored(services: Services, editable: Path) -> None:
    beta = editable / "ml" / "beta.toml"
    saved = beta.read_text(encoding="utf-8")
    beta.unlink()
    services.content.import_path(editable)
    beta.write_text(saved, encoding="utf-8")

    report = services.content.import_path(editable)

    assert report.restored == 1
    assert count(services, Card) == 6
    assert services.review.next_card("beta") is not None


def test_removing_a_cloze_deletion_retires_only_that_sibling(services: Services, editable: Path) -> None:
    deck = editable / "basics.toml"
    text = deck.read_text(encoding="utf-8")
    deck.write_text(text.replace("{{c2::累加}}", "累加").replace("{{c2::accumulate}}", "accumulate"), encoding="utf-8")
    services.content.import_path(editable)
    with services.review.sessions() as session:
        retired = dict(session.execute(select(Card.ordinal, Card.retired).where(Card.item_id == "alpha-cloze")).all())
    assert retired == {1: False, 2: True}


def test_importing_another_directory_leaves_the_collection_alone(services: Services, tmp_path: Path) -> None:
    extra = tmp_path / "extra"
    extra.mkdir()
    text = (FIXTURE_CONTENT / "ml" / "beta.toml").read_text(encoding="utf-8").replace('id = "beta-basic"', 'id = "extra-basic"')
    (extra / "extra.toml").write_text(text, encoding="utf-8")
    report = services.content.import_path(extra)
    assert (report.added, report.retired) == (1, 0)
    assert services.content.import_path(FIXTURE_CONTENT).retired == 0
    assert len(services.content.items()) == 6


def test_importing_a_single_file_never_retires_the_others(services: Services) -> None:
    report = services.content.import_path(FIXTURE_CONTENT / "ml" / "beta.toml")
    assert report.retired == 0
    assert len(services.content.items()) == 5


def test_one_bad_file_imports_nothing(services: Services, editable: Path) -> None:
    shutil.copy(FIXTURES / "bad" / "missing_back_and_bad_deck.toml", editable / "bad.toml")
    (editable / "basics.toml").write_text(
        (editable / "basics.toml").read_text(encoding="utf-8").replace("Answer one", "changed"), encoding="utf-8"
    )
    with pytest.raises(ContentError):
        services.content.import_path(editable)
    assert services.content.show("alpha-basic-1").answer["en"] == "Answer one"


def test_sync_skips_unchanged_files_and_imports_edited_ones(services: Services, editable: Path) -> None:
    assert services.content.sync(editable) is None
    (editable / "ml" / "beta.toml").write_text(
        (editable / "ml" / "beta.toml").read_text(encoding="utf-8").replace("Beta answer", "Beta answer 2"),
        encoding="utf-8",
    )
    report = services.content.sync(editable)
    assert report is not None and report.updated == 1


def test_new_cards_are_introduced_with_the_files_taking_turns(services: Services) -> None:
    with services.review.sessions() as session:
        order = session.scalars(select(Item.id).order_by(Item.position)).all()
    assert order[:3] == ["alpha-basic-1", "beta-basic", "alpha-basic-2"]
