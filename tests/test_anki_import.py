"""`quizzer import deck.apkg`: packages Anki itself wrote come in faithfully — items, decks,
tags, media, history and due dates, suspension — in every format, and again without duplicates."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from anki.collection import Collection, ExportAnkiPackageOptions
from sqlalchemy import func, select

from quizzer.config import Config, SchedulingConfig
from quizzer.interop import anki_collection as anki
from quizzer.interop.anki_import import item_id, plan_items
from quizzer.services.container import Services
from quizzer.storage.models import Card, Item, ReviewLog
from quizzer.vocabulary import Rating, State
from tests.anki_packages import ANSWER_MS, GREEN, Built, answer_again, build_collection, export
from tests.conftest import FIXTURE_CONTENT, FakeClock
from tests.test_cli import quizzer

NOW = "2026-03-01T09:00"


LATER = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)
"""When the basic card is answered once more in Anki, for ``later.apkg``."""


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Path], Built]:
    """Every format of the built collection; ``later.apkg``: the same after one more answer
    in Anki (``built`` lists the answers up to the others)."""
    folder = tmp_path_factory.mktemp("anki")
    col, built = build_collection(folder / "collection.anki2")
    paths = export(col, folder)  # the .colpkg export closes the collection
    col = Collection(str(folder / "collection.anki2"))
    try:
        answered = Built(built.guids, {name: list(answers) for name, answers in built.answers.items()})
        answer_again(col, answered, LATER)
        options = ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=False, with_media=True, legacy=False)
        col.export_anki_package(out_path=str(folder / "later.apkg"), options=options, limit=None)
        return paths | {"later.apkg": folder / "later.apkg"}, built
    finally:
        col.close()


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'anki.sqlite3'}"


def open_db(db: str) -> Services:
    return Services.open(Config(db_url=db, content_dir=FIXTURE_CONTENT, scheduling=SchedulingConfig(enable_fuzzing=False)), tz=UTC)


@pytest.fixture
def imported(packages: tuple[dict[str, Path], Built], db: str) -> Iterator[tuple[Services, Built, str]]:
    """The current-format package imported through the CLI; services open on its database."""
    paths, built = packages
    result = quizzer("import", str(paths["current.apkg"]), db=db, now=NOW)
    assert result.returncode == 0, result.stderr
    services = open_db(db)
    yield services, built, result.stderr
    services.close()


def items(services: Services) -> dict[str, Item]:
    with services.sessions() as session:
        return {item.id: item for item in session.scalars(select(Item).where(Item.id.startswith("anki-")))}


def card(services: Services, item: str, ordinal: int = 0) -> Card:
    with services.sessions() as session:
        return session.scalars(select(Card).where(Card.item_id == item, Card.ordinal == ordinal)).one()


def test_each_stock_note_type_becomes_its_kind_and_each_reversed_card_an_item(imported: tuple[Services, Built, str]) -> None:
    services, built, _ = imported
    kinds = {item_id: item.kind for item_id, item in items(services).items()}
    ids = {name: item_id(guid) for name, guid in built.guids.items()}
    assert kinds == {
        ids["basic"]: "basic", ids["reversed"]: "basic", ids["reversed"] + "-reversed": "basic",
        ids["optional"]: "basic", ids["optional"] + "-reversed": "basic", ids["typed"]: "typed",
        ids["cloze"]: "cloze", ids["vocabulary"]: "basic",
    }
    stored = items(services)
    assert stored[ids["reversed"] + "-reversed"].body["front"]["en"] == "normalised exponentials"
    assert stored[ids["typed"]].body["answers"] == ["4"]
    assert [card(services, ids["cloze"], n).ordinal for n in (1, 2)] == [1, 2]
    assert stored[ids["cloze"]].body["extra"]["en"] == "scaled dot product"


def test_html_becomes_markdown_and_an_image_a_link_to_its_copy_in_the_deck_folder(imported: tuple[Services, Built, str], data_folder: Path) -> None:
    services, built, _ = imported
    front = items(services)[item_id(built.guids["basic"])].body["front"]
    assert front == {"zh": "What does a **query** attend to?[image: keys.png](media/keys.png)"} | {"en": front["zh"]}
    assert (data_folder / "decks" / "imported" / "media" / "keys.png").read_bytes().startswith(b"\x89PNG")


def test_tags_and_the_nested_deck_are_kept(imported: tuple[Services, Built, str]) -> None:
    services, built, _ = imported
    basic = items(services)[item_id(built.guids["basic"])]
    assert (basic.deck, basic.tags) == ("deep-learning::attention", ["attention", "nlp::transformer"])
    assert items(services)[item_id(built.guids["typed"])].deck == "default"


def test_a_note_type_of_its_own_is_named_in_a_warning_and_keeps_every_field(imported: tuple[Services, Built, str]) -> None:
    services, built, stderr = imported
    vocabulary = items(services)[item_id(built.guids["vocabulary"])]
    assert (vocabulary.body["front"]["en"], vocabulary.body["back"]["en"]) == ("tensor", "an n-dimensional array\n\ntorch.zeros(2, 3)")
    assert "note type 'Vocabulary' is not one of Anki's stock types" in stderr


def test_each_answer_comes_into_the_review_log_and_the_due_date_follows_it(imported: tuple[Services, Built, str]) -> None:
    services, built, _ = imported
    basic = card(services, item_id(built.guids["basic"]))
    with services.sessions() as session:
        logs = session.scalars(select(ReviewLog).where(ReviewLog.card_id == basic.id).order_by(ReviewLog.reviewed_at)).all()
    assert [(log.reviewed_at, log.rating, log.duration_ms) for log in logs] == [(at, Rating(r), ANSWER_MS) for at, r in built.answers["basic"]]
    assert (basic.state, basic.due, basic.last_review) == (State.REVIEW, logs[-1].after_due, built.answers["basic"][-1][0])


def test_the_replayed_due_date_is_the_one_answering_in_quizzer_at_those_times_gives(imported: tuple[Services, Built, str], tmp_path: Path) -> None:
    services, built, _ = imported
    clock = FakeClock()
    fresh = open_db(f"sqlite:///{tmp_path / 'by-hand.sqlite3'}")
    fresh.review.clock = clock
    fresh.content.import_path(FIXTURE_CONTENT)
    with fresh.sessions() as session:
        card_id = session.scalars(select(Card.id).join(Item).where(Item.kind == "basic").order_by(Card.id)).first()
    assert card_id is not None
    for at, rating in built.answers["basic"]:
        clock.now = at
        after = fresh.review.answer(card_id, Rating(rating))
    fresh.close()
    assert card(services, item_id(built.guids["basic"])).due == after.due


def test_a_suspended_card_stays_suspended_and_its_sibling_keeps_its_history(imported: tuple[Services, Built, str]) -> None:
    services, built, _ = imported
    cloze = item_id(built.guids["cloze"])
    first, second = card(services, cloze, 1), card(services, cloze, 2)
    assert (first.suspended, second.suspended) == (False, True)
    assert (first.state, second.state) == (State.REVIEW, State.NEW)


def test_the_import_with_its_history_works_on_every_database(packages: tuple[dict[str, Path], Built], db_url: str) -> None:
    paths, built = packages
    for _ in range(2):  # the second time: nothing new
        assert quizzer("import", str(paths["current.apkg"]), db=db_url, now=NOW).returncode == 0
    services = open_db(db_url)
    with services.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Item).where(Item.id.startswith("anki-"))) == len(built.guids) + 2
        assert session.scalar(select(func.count()).select_from(ReviewLog)) == sum(len(answers) for answers in built.answers.values())
    assert card(services, item_id(built.guids["basic"])).last_review == built.answers["basic"][-1][0]
    services.close()


def test_a_flagged_card_keeps_its_colour(imported: tuple[Services, Built, str]) -> None:
    services, built, _ = imported
    assert card(services, item_id(built.guids["typed"])).flag == GREEN
    assert card(services, item_id(built.guids["basic"])).flag == 0


@pytest.mark.parametrize("name", ["legacy.apkg", "anki2.apkg", "collection.colpkg"])
def test_every_package_format_gives_the_same_items_and_history(packages: tuple[dict[str, Path], Built], db: str, tmp_path: Path, name: str) -> None:
    paths, _ = packages
    assert quizzer("import", str(paths[name]), db=db, now=NOW).returncode == 0
    other = f"sqlite:///{tmp_path / 'current.sqlite3'}"
    assert quizzer("import", str(paths["current.apkg"]), db=other, now=NOW).returncode == 0
    snapshots = []
    for url in (db, other):
        services = open_db(url)
        with services.sessions() as session:
            rows = session.execute(select(Item.id, Item.kind, Item.deck, Item.body).where(Item.id.startswith("anki-")).order_by(Item.id)).all()
            logs = session.execute(select(Card.item_id, Card.ordinal, Card.suspended, Card.due, ReviewLog.reviewed_at).join(ReviewLog)).all()
        services.close()
        snapshots.append((sorted(rows), sorted(logs)))
    assert snapshots[0] == snapshots[1]


def test_importing_the_package_again_updates_without_duplicating(
    packages: tuple[dict[str, Path], Built], imported: tuple[Services, Built, str], db: str
) -> None:
    services, _, _ = imported
    with services.sessions() as session:
        before = session.scalar(select(func.count()).select_from(Item)), session.scalar(select(func.count()).select_from(ReviewLog))
    again = quizzer("import", str(packages[0]["legacy.apkg"]), db=db, now=NOW)
    assert again.returncode == 0, again.stderr
    assert "0 added, 0 updated" in again.stdout and "0 reviews added" in again.stdout
    with services.sessions() as session:
        assert (session.scalar(select(func.count()).select_from(Item)), session.scalar(select(func.count()).select_from(ReviewLog))) == before


def test_an_answer_given_in_quizzer_stays_when_newer_anki_answers_come_in(
    packages: tuple[dict[str, Path], Built], imported: tuple[Services, Built, str], db: str
) -> None:
    services, built, _ = imported
    basic = card(services, item_id(built.guids["basic"]))
    in_quizzer = built.answers["basic"][-1][0] + timedelta(days=20)
    services.review.clock = lambda: in_quizzer
    services.review.answer(basic.id, Rating.Again)
    assert quizzer("import", str(packages[0]["later.apkg"]), db=db, now=NOW).returncode == 0
    with services.sessions() as session:
        logs = session.scalars(select(ReviewLog).where(ReviewLog.card_id == basic.id).order_by(ReviewLog.reviewed_at)).all()
    expected = [*built.answers["basic"], (in_quizzer, Rating.Again), (LATER, Rating.Good)]
    assert [(log.reviewed_at, log.rating) for log in logs] == [(at, Rating(r)) for at, r in expected]
    assert [log.before_due for log in logs[1:]] == [log.after_due for log in logs[:-1]]  # one replay, in time order
    assert card(services, item_id(built.guids["basic"])).last_review == LATER


def test_a_note_that_would_make_no_valid_card_is_skipped_and_named() -> None:
    basic, cloze = anki.NoteType("Basic", "Basic", cloze=False), anki.NoteType("Cloze", "Cloze", cloze=True)
    notes = [anki.Note(1, "a", basic, ["front", ""], []), anki.Note(2, "b", cloze, ["no deletion", ""], [])]
    cards = [anki.Card(10, 1, "Default", 0, suspended=False, flag=0), anki.Card(20, 2, "Default", 0, suspended=False, flag=0)]
    plan = plan_items(anki.Collection(notes, cards, []))
    assert (plan.tables, plan.skipped) == ([], ["note 1: its back is empty", "note 2: a cloze without a {{c1::…}} deletion"])


def test_the_items_are_deck_files_the_learner_can_edit_and_check(imported: tuple[Services, Built, str], data_folder: Path) -> None:
    _, built, _ = imported
    file = data_folder / "decks" / "imported" / "deep-learning__attention.toml"
    data = tomllib.loads(file.read_text(encoding="utf-8"))
    assert data["deck"] == "deep-learning::attention"
    assert {table["id"] for table in data["card"]} == {item_id(built.guids["basic"]), item_id(built.guids["cloze"])}
    assert quizzer("check", str(data_folder / "decks")).returncode == 0
