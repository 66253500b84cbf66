"""`quizzer export-apkg`: Anki itself (the ``anki`` backend) opens the package with every item
as a note in its deck, with both languages, its tags and its cloze cards; drills and choice
cards come as basic notes, counted; and quizzer → Anki → quizzer keeps every card's id and text."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from anki.collection import Collection, ExportAnkiPackageOptions, ImportAnkiPackageRequest
from anki.notes import Note
from sqlalchemy import select

from quizzer.config import Config
from quizzer.kinds.registry import KINDS
from quizzer.services.container import Services
from quizzer.storage.models import Item
from tests.conftest import FIXTURE_CONTENT
from tests.test_cli import quizzer

FIXTURES = FIXTURE_CONTENT.parent


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture cards (basic, cloze, typed), choice cards and drills, in one deck folder."""
    folder = tmp_path_factory.mktemp("content")
    shutil.copytree(FIXTURE_CONTENT, folder, dirs_exist_ok=True)
    for name in ("choice", "drills"):
        shutil.copytree(FIXTURES / name, folder / name)
    return folder


@pytest.fixture(scope="module")
def exported(content: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, dict[str, Item]]:
    """The package ``export-apkg`` wrote of the whole collection, its output, and the items."""
    folder = tmp_path_factory.mktemp("export")
    db = f"sqlite:///{folder / 'q.sqlite3'}"
    result = quizzer("export-apkg", str(folder / "all.apkg"), db=db, content=content, timeout=120)
    assert result.returncode == 0, result.stderr
    services = Services.open(Config(db_url=db, content_dir=content))
    with services.sessions() as session:
        items = {item.id: item for item in session.scalars(select(Item))}
    services.close()
    return folder / "all.apkg", result.stdout, items


@pytest.fixture
def anki(exported: tuple[Path, str, dict[str, Item]], tmp_path: Path) -> Iterator[Collection]:
    """A new Anki collection that has imported the package."""
    col = Collection(str(tmp_path / "collection.anki2"))
    col.import_anki_package(ImportAnkiPackageRequest(package_path=str(exported[0])))
    yield col
    col.close()


def by_guid(col: Collection) -> dict[str, Note]:
    """Every note, by its GUID (the item's id)."""
    return {note.guid: note for note in (col.get_note(note_id) for note_id in col.find_notes(""))}


def notes(col: Collection) -> dict[str, dict[str, str]]:
    """Each note's fields by name, by GUID."""
    return {guid: dict(note.items()) for guid, note in by_guid(col).items()}


def test_anki_opens_every_item_as_one_note_named_by_its_id(anki: Collection, exported: tuple[Path, str, dict[str, Item]]) -> None:
    assert set(notes(anki)) == set(exported[2])


def test_a_card_keeps_both_languages_a_field_each(anki: Collection) -> None:
    fields = notes(anki)["alpha-basic-1"]
    assert (fields["Front (zh)"], fields["Front (en)"]) == ("问题一", "Question one")
    assert fields["Back (en)"] and fields["Back (zh)"]


def test_a_cloze_note_makes_one_anki_card_per_deletion_number(anki: Collection, exported: tuple[Path, str, dict[str, Item]]) -> None:
    cloze = next(item for item in exported[2].values() if item.kind == "cloze")
    note = by_guid(anki)[cloze.id]
    assert len(note.cards()) == len(KINDS["cloze"].ordinals(cloze.body)) == 2
    assert "{{c1::" in note["Text (en)"]


def test_tags_and_the_deck_path_arrive_in_anki(anki: Collection, exported: tuple[Path, str, dict[str, Item]]) -> None:
    notes = by_guid(anki)
    for item in exported[2].values():
        note = notes[item.id]
        assert sorted(note.tags) == sorted(item.tags)
        assert {anki.decks.name(card.did) for card in note.cards()} == {item.deck}


def test_drills_and_choice_cards_become_basic_notes_and_the_command_counts_them(
    anki: Collection, exported: tuple[Path, str, dict[str, Item]]
) -> None:
    drill = next(item for item in exported[2].values() if item.kind == "write")
    note = by_guid(anki)[drill.id]
    fields = dict(note.items())
    assert note.note_type()["name"] == "quizzer basic"  # type: ignore[index]
    assert "def " in fields["Front (en)"] and "<pre>" in fields["Back (en)"]  # the starter on the front, the reference behind
    assert "written as basic notes (Anki has no such type): 2 choice, 6 predict, 7 write" in exported[1]


def test_an_item_exported_to_anki_and_back_keeps_its_id_and_text(
    anki: Collection, exported: tuple[Path, str, dict[str, Item]], tmp_path: Path
) -> None:
    """Through Anki's own export, into a collection whose deck folder is empty."""
    package = tmp_path / "from-anki.apkg"
    options = ExportAnkiPackageOptions(with_scheduling=False, with_deck_configs=False, with_media=False, legacy=False)
    anki.export_anki_package(out_path=str(package), options=options, limit=None)
    db, empty = f"sqlite:///{tmp_path / 'back.sqlite3'}", tmp_path / "empty"
    empty.mkdir()
    result = quizzer("import", str(package), db=db, content=empty, timeout=120)
    assert result.returncode == 0, result.stderr
    services = Services.open(Config(db_url=db, content_dir=empty))
    with services.sessions() as session:
        back = {item.id: item for item in session.scalars(select(Item))}
    services.close()
    cards = {id_: item for id_, item in exported[2].items() if item.kind in ("basic", "typed", "cloze")}
    assert {id_: (back[id_].kind, back[id_].deck, back[id_].body) for id_ in cards} == {
        id_: (item.kind, item.deck, item.body) for id_, item in cards.items()
    }


def test_an_export_of_one_deck_holds_its_subdecks_only(exported: tuple[Path, str, dict[str, Item]], content: Path, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'q.sqlite3'}"
    result = quizzer("export-apkg", "--deck", "alpha", str(tmp_path / "alpha.apkg"), db=db, content=content, timeout=120)
    assert result.returncode == 0, result.stderr
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        col.import_anki_package(ImportAnkiPackageRequest(package_path=str(tmp_path / "alpha.apkg")))
        expected = {id_ for id_, item in exported[2].items() if item.deck == "alpha" or item.deck.startswith("alpha::")}
        assert set(notes(col)) == expected
    finally:
        col.close()


def test_an_export_to_a_missing_folder_says_so_in_one_line(content: Path, tmp_path: Path) -> None:
    result = quizzer("export-apkg", str(tmp_path / "no" / "such.apkg"), db=f"sqlite:///{tmp_path / 'q.sqlite3'}", content=content)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [f"quizzer: {tmp_path / 'no'}: no such folder"]


def test_an_export_onto_a_folder_says_so_in_one_line_and_leaves_nothing_behind(content: Path, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    result = quizzer("export-apkg", str(tmp_path / "out"), db=f"sqlite:///{tmp_path / 'q.sqlite3'}", content=content)
    assert (result.returncode, result.stderr) == (2, f"quizzer: cannot write {tmp_path / 'out'}: Is a directory\n")
    assert not list(tmp_path.glob("*.apkg")) and not list((tmp_path / "out").iterdir())


def test_a_package_brought_back_into_the_same_collection_leaves_its_items_as_their_folder_has_them(
    exported: tuple[Path, str, dict[str, Item]], content: Path, tmp_path: Path
) -> None:
    """The drills stay drills: an exported note never overwrites the deck file its item came from."""
    db = f"sqlite:///{tmp_path / 'q.sqlite3'}"
    assert quizzer("import", str(content), db=db, content=content, timeout=120).returncode == 0
    result = quizzer("import", str(exported[0]), db=db, content=content, timeout=120)
    assert result.returncode == 2
    assert "20 notes that are items of another deck folder" in result.stderr and "nothing imported" in result.stderr
    services = Services.open(Config(db_url=db, content_dir=content))
    with services.sessions() as session:
        kinds = {item.id: item.kind for item in session.scalars(select(Item))}
    services.close()
    assert kinds == {id_: item.kind for id_, item in exported[2].items()}
