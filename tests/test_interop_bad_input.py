"""A package or card file that cannot be imported is refused with one line (exit 2) and
nothing comes in: no item, no review, no file in the deck folder."""

from __future__ import annotations

import io
import sqlite3
import zipfile
from pathlib import Path

import pytest
import zstandard
from sqlalchemy import func, select

from quizzer.config import Config
from quizzer.errors import InteropError
from quizzer.interop.anki_import import AnkiImporter
from quizzer.services.container import Services
from quizzer.storage.models import Item, ReviewLog
from tests.anki_packages import build_collection, export
from tests.conftest import FIXTURE_CONTENT
from tests.test_cli import quizzer


@pytest.fixture(scope="module")
def legacy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real legacy package (collection.anki21, JSON media map) to damage."""
    folder = tmp_path_factory.mktemp("anki")
    col, _ = build_collection(folder / "collection.anki2")
    try:
        return export(col, folder)["legacy.apkg"]
    finally:
        col.close()


def rewritten(source: Path, target: Path, changes: dict[str, bytes | None]) -> Path:
    """``source`` with the entries in ``changes`` replaced (None: left out) or added."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            if info.filename not in changes:
                new.writestr(info, old.read(info))
        for name, data in changes.items():
            if data is not None:
                new.writestr(name, data)
    return target


def refused(path: Path, tmp_path: Path, data_folder: Path, says: str) -> None:
    db = f"sqlite:///{tmp_path / 'refused.sqlite3'}"
    result = quizzer("import", str(path), db=db)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and says in result.stderr and str(path) in result.stderr
    services = Services.open(Config(db_url=db, content_dir=FIXTURE_CONTENT))
    with services.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Item)) == session.scalar(select(func.count()).select_from(ReviewLog)) == 0
    services.close()
    assert not (data_folder / "decks").exists()


def test_a_corrupt_zip_is_refused(legacy: Path, tmp_path: Path, data_folder: Path) -> None:
    broken = tmp_path / "broken.apkg"
    broken.write_bytes(legacy.read_bytes()[: legacy.stat().st_size // 2])
    refused(broken, tmp_path, data_folder, "not a readable zip file")


def test_a_damaged_entry_is_refused(legacy: Path, tmp_path: Path, data_folder: Path) -> None:
    data = bytearray(legacy.read_bytes())
    with zipfile.ZipFile(legacy) as package:
        info = package.getinfo("collection.anki21")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 100
    data[start:start + 16] = bytes(16)
    damaged = tmp_path / "damaged.apkg"
    damaged.write_bytes(bytes(data))
    refused(damaged, tmp_path, data_folder, "the package is damaged")


def test_an_encrypted_zip_is_refused(legacy: Path, tmp_path: Path, data_folder: Path) -> None:
    """Python cannot write an encrypted zip: the package gets the flag an encrypting zip sets,
    in every local header and central directory entry, which is what a reader goes by."""
    data = bytearray(legacy.read_bytes())
    with zipfile.ZipFile(legacy) as package:
        for info in package.infolist():
            data[info.header_offset + 6] |= 0x1
    entry = int.from_bytes(data[data.rfind(b"PK\x05\x06") + 16:][:4], "little")
    while data[entry:entry + 4] == b"PK\x01\x02":
        data[entry + 8] |= 0x1
        entry += 46 + sum(int.from_bytes(data[entry + 28 + 2 * i:][:2], "little") for i in range(3))
    encrypted = tmp_path / "encrypted.apkg"
    encrypted.write_bytes(bytes(data))
    refused(encrypted, tmp_path, data_folder, "the zip is encrypted")


def test_a_package_without_a_collection_is_refused(legacy: Path, tmp_path: Path, data_folder: Path) -> None:
    refused(rewritten(legacy, tmp_path / "empty.apkg", {"collection.anki21": None}), tmp_path, data_folder, "no Anki collection in it")


def test_a_package_version_from_a_newer_anki_is_refused(legacy: Path, tmp_path: Path, data_folder: Path) -> None:
    refused(rewritten(legacy, tmp_path / "newer.apkg", {"meta": b"\x08\x04"}), tmp_path, data_folder, "package version 4 is unknown")


def test_an_unknown_collection_schema_version_is_refused(legacy: Path, tmp_path: Path, data_folder: Path) -> None:
    collection = tmp_path / "collection.anki21"
    with zipfile.ZipFile(legacy) as package:
        collection.write_bytes(package.read("collection.anki21"))
    with sqlite3.connect(collection) as db:
        db.execute("UPDATE col SET ver = 99")
    db.close()
    future = rewritten(legacy, tmp_path / "future.apkg", {"collection.anki21": collection.read_bytes()})
    refused(future, tmp_path, data_folder, "collection schema version 99 is unknown")


def test_a_media_name_leaving_the_media_folder_is_refused(legacy: Path, tmp_path: Path, data_folder: Path) -> None:
    escaping = rewritten(legacy, tmp_path / "escaping.apkg", {"media": b'{"0": "../../evil.png"}'})
    refused(escaping, tmp_path, data_folder, "media file name '../../evil.png' is not a plain name")
    assert not (data_folder.parent / "evil.png").exists()


def bomb(tmp_path: Path) -> Path:
    """A current-format package whose collection is 64 MiB of zeros in a few kilobytes."""
    zeros = zstandard.ZstdCompressor().compress(bytes(64 << 20))
    package = tmp_path / "bomb.apkg"
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("meta", b"\x08\x03")
        archive.writestr("collection.anki21b", zeros)
    return package


def test_a_zip_bomb_stops_at_the_cap_whatever_its_headers_say(tmp_path: Path, services: Services, data_folder: Path) -> None:
    importer = AnkiImporter(services.content, services.review, data_folder / "decks")
    with pytest.raises(InteropError, match="unpacks to more than"):
        importer.import_package(bomb(tmp_path), max_unpacked=16 << 20)
    assert not (data_folder / "decks").exists()


def test_a_zip_whose_entries_say_they_unpack_past_the_cap_is_refused_before_reading(tmp_path: Path, services: Services, data_folder: Path) -> None:
    package = tmp_path / "big.apkg"
    with zipfile.ZipFile(package, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("collection.anki2", io.BytesIO(bytes(20 << 20)).getvalue())
    importer = AnkiImporter(services.content, services.review, data_folder / "decks")
    with pytest.raises(InteropError, match="says it unpacks to more than 16 MiB"):
        importer.import_package(package, max_unpacked=16 << 20)


def test_a_bad_csv_row_is_refused_with_its_file_and_line(tmp_path: Path, data_folder: Path) -> None:
    cards = tmp_path / "cards.csv"
    cards.write_text("front,back\nWhat is a tensor?,An n-dimensional array\nWhat is a gradient?\n", encoding="utf-8")
    refused(cards, tmp_path, data_folder, f"{cards}:3: the back is empty")


def test_a_folder_named_like_a_csv_file_is_refused(tmp_path: Path, data_folder: Path) -> None:
    folder = tmp_path / "cards.csv"
    folder.mkdir()
    refused(folder, tmp_path, data_folder, f"cannot read {folder}: Is a directory")


def test_a_failing_deck_folder_import_puts_the_files_back(legacy: Path, tmp_path: Path, data_folder: Path) -> None:
    own = data_folder / "decks"
    own.mkdir(parents=True)
    (own / "broken.toml").write_text('deck = "mine"\n[[card]]\nid = "x"\n', encoding="utf-8")
    result = quizzer("import", str(legacy), db=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert result.returncode == 2 and "broken.toml" in result.stderr
    assert sorted(path.name for path in own.rglob("*")) == ["broken.toml"]
