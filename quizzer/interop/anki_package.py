"""An Anki package (``.apkg``, ``.colpkg``) opened safely: its collection and its media.

A package is a zip (Anki's ``rslib/src/import_export/package``): a ``meta`` entry (protobuf
``PackageMetadata``: 1 ``collection.anki2``, 2 ``collection.anki21``, 3 the zstd-compressed
``collection.anki21b``; no ``meta``: an old package, anki21 if present, else anki2), the
collection (SQLite), and the media as entries ``0``, ``1`` … named by the ``media`` map (JSON
``{"0": "cat.png"}`` in old packages; in version 3 a zstd-compressed protobuf
``MediaEntries``, whose N-th entry is zip entry ``N``, each itself zstd-compressed).

Everything that would make an import unsafe or half-done is refused here, before anything is
written: a corrupt or encrypted zip, more unpacked bytes than ``max_unpacked`` (a zip bomb
stops at the cap, whatever its headers claim), an unknown package version, no collection,
a media name that would leave the media folder.
"""

from __future__ import annotations

import json
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from quizzer.errors import InteropError

MAX_UNPACKED = 4 * 1024**3
"""Bytes a package may unpack to (collection and media together)."""
LATEST = 3
COLLECTIONS = {1: "collection.anki2", 2: "collection.anki21", LATEST: "collection.anki21b"}
CHUNK = 1 << 20


class _Budget:
    """Counts unpacked bytes against the cap, across every entry read."""

    def __init__(self, path: Path, limit: int) -> None:
        self.path, self.left = path, limit

    def take(self, size: int) -> None:
        self.left -= size
        if self.left < 0:
            raise InteropError(f"{self.path}: unpacks to more than the {_size(self.left + size)} left of the cap (a zip bomb?); nothing imported")


def _size(count: int) -> str:
    return f"{max(count, 0) / 1024**2:.0f} MiB"


def _proto_classes() -> dict[str, Any]:
    """``PackageMetadata``, ``MediaEntries`` and ``NotetypeConfig`` as protobuf classes, built
    from the fields quizzer reads (Anki's ``proto/anki/*.proto``; unknown fields are skipped)."""
    from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

    field = descriptor_pb2.FieldDescriptorProto
    proto = descriptor_pb2.FileDescriptorProto(name="quizzer_anki.proto", package="quizzer_anki", syntax="proto3")
    proto.message_type.add(name="PackageMetadata").field.add(name="version", number=1, type=field.TYPE_INT32)
    entries = proto.message_type.add(name="MediaEntries")
    entry = entries.nested_type.add(name="MediaEntry")
    entry.field.add(name="name", number=1, type=field.TYPE_STRING)
    entry.field.add(name="size", number=2, type=field.TYPE_UINT32)
    entries.field.add(
        name="entries", number=1, type=field.TYPE_MESSAGE, label=field.LABEL_REPEATED, type_name=".quizzer_anki.MediaEntries.MediaEntry"
    )
    config = proto.message_type.add(name="NotetypeConfig")
    config.field.add(name="kind", number=1, type=field.TYPE_INT32)
    config.field.add(name="original_stock_kind", number=9, type=field.TYPE_INT32)
    pool = descriptor_pool.DescriptorPool()
    pool.Add(proto)
    names = ("PackageMetadata", "MediaEntries", "NotetypeConfig")
    return {name: message_factory.GetMessageClass(pool.FindMessageTypeByName(f"quizzer_anki.{name}")) for name in names}


_PROTO: dict[str, Any] = {}


def decode(message: str, data: bytes) -> Any:
    """``data`` parsed as the protobuf ``message`` (one of ``_proto_classes``)."""
    from google.protobuf.message import DecodeError

    if not _PROTO:
        _PROTO.update(_proto_classes())
    parsed = _PROTO[message]()
    try:
        parsed.ParseFromString(data)
    except DecodeError as exc:
        raise InteropError(f"cannot read the package's {message}: {exc}") from exc
    return parsed


def safe_media_name(name: str) -> bool:
    """A plain file name: no folder, no ``..``, nothing absolute (as Anki's ``filename_is_safe``)."""
    return bool(name) and name not in (".", "..") and not any(c in name for c in "/\\\0:") and not name.startswith(".")


@dataclass
class Package:
    """An opened package: its collection unpacked to an SQLite file, its media still in the zip."""

    path: Path
    version: int
    collection: Path
    media: dict[str, str]
    """Media file name → zip entry."""
    archive: zipfile.ZipFile
    budget: _Budget

    def read_media(self, name: str) -> bytes:
        """One media file's bytes (decompressed in a version-3 package)."""
        chunks = list(_unpack(self.archive, self.media[name], zstd=self.version == LATEST, budget=self.budget, path=self.path))
        return b"".join(chunks)


def _unpack(archive: zipfile.ZipFile, name: str, *, zstd: bool, budget: _Budget, path: Path) -> Iterator[bytes]:
    """The entry's bytes in chunks, counted against ``budget``; any damage is one ``InteropError``."""
    import zstandard

    try:
        with archive.open(name) as raw:
            stream: IO[bytes] = zstandard.ZstdDecompressor().stream_reader(raw) if zstd else raw
            while chunk := stream.read(CHUNK):
                budget.take(len(chunk))
                yield chunk
    except KeyError as exc:
        raise InteropError(f"{path}: the entry {name!r} the package names is missing from it; nothing imported") from exc
    except (zipfile.BadZipFile, zlib.error, zstandard.ZstdError, EOFError, OSError) as exc:
        raise InteropError(f"{path}: the package is damaged ({name}: {exc}); nothing imported") from exc


def _version(archive: zipfile.ZipFile, path: Path, budget: _Budget) -> int:
    names = set(archive.namelist())
    if "meta" not in names:
        return 2 if COLLECTIONS[2] in names else 1
    version = int(decode("PackageMetadata", b"".join(_unpack(archive, "meta", zstd=False, budget=budget, path=path))).version)
    if version not in COLLECTIONS:
        raise InteropError(f"{path}: package version {version} is unknown (made by a newer Anki?); quizzer reads versions 1–3; nothing imported")
    return version


def _media_map(archive: zipfile.ZipFile, version: int, path: Path, budget: _Budget) -> dict[str, str]:
    if "media" not in archive.namelist():
        return {}
    data = b"".join(_unpack(archive, "media", zstd=version == LATEST, budget=budget, path=path))
    if version == LATEST:
        names = {entry.name: str(index) for index, entry in enumerate(decode("MediaEntries", data).entries)}
    else:
        try:
            legacy = json.loads(data)
        except ValueError as exc:
            raise InteropError(f"{path}: the media list is not JSON ({exc}); nothing imported") from exc
        names = {str(name): str(entry) for entry, name in legacy.items()}
    for name in names:
        if not safe_media_name(name):
            raise InteropError(f"{path}: media file name {name!r} is not a plain name (it would land outside the media folder); nothing imported")
    return names


def _zip(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except FileNotFoundError as exc:
        raise InteropError(f"{path}: no such file") from exc
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InteropError(f"{path}: not an Anki package (not a readable zip file: {exc}); nothing imported") from exc


@contextmanager
def open_package(path: Path, max_unpacked: int = MAX_UNPACKED) -> Iterator[Package]:
    """Check and open ``path``; the unpacked collection is removed again on leaving."""
    budget = _Budget(path, max_unpacked)
    with _zip(path) as archive, tempfile.TemporaryDirectory(prefix="quizzer-anki-") as folder:
        if any(info.flag_bits & 0x1 for info in archive.infolist()):
            raise InteropError(f"{path}: the zip is encrypted (Anki never encrypts its packages); nothing imported")
        if sum(info.file_size for info in archive.infolist()) > max_unpacked:
            raise InteropError(f"{path}: says it unpacks to more than {_size(max_unpacked)} (a zip bomb?); nothing imported")
        version = _version(archive, path, budget)
        name = COLLECTIONS[version]
        if name not in archive.namelist():
            raise InteropError(f"{path}: no Anki collection in it (no {name}); nothing imported")
        collection = Path(folder) / "collection.sqlite3"
        with collection.open("wb") as out:
            for chunk in _unpack(archive, name, zstd=version == LATEST, budget=budget, path=path):
                out.write(chunk)
        yield Package(path, version, collection, _media_map(archive, version, path, budget), archive, budget)
