"""``quizzer doctor``: is this installation sound? One finding per line, each OK or what to do.

It opens the database without migrating, syncing or writing anything, so it can describe a
database that the app would refuse (damaged, foreign, from a newer quizzer).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.exc import SQLAlchemyError

from quizzer.config import Config
from quizzer.corpus.format import load_content
from quizzer.errors import QuizzerError
from quizzer.grading.client import GradingClient
from quizzer.services.content import fingerprint, fingerprint_key
from quizzer.services.settings import read_setting
from quizzer.storage import backup
from quizzer.storage.engine import make_engine, make_sessionmaker
from quizzer.storage.integrity import engine_quick_check
from quizzer.storage.migrate import SCHEMA_HEAD, current_revision
from quizzer.storage.models import Item

BACKUP_STALE_DAYS = 2


@dataclass(frozen=True)
class Finding:
    """One line of the report: what was looked at, whether it is fine, and what was found or is to do."""

    topic: str
    ok: bool
    text: str

    def line(self) -> str:
        return f"{'OK' if self.ok else 'FIX':4} {self.topic:10} {self.text}"


def examine(config: Config, now: datetime, client: GradingClient) -> list[Finding]:
    """Every finding, database first; a database that cannot be opened ends those early."""
    try:
        engine = make_engine(config.db_url)
    except QuizzerError as exc:
        return [Finding("database", False, exc.message), *sandbox(client)]
    try:
        return [*database(engine, config, now), *sandbox(client)]
    finally:
        engine.dispose()


def database(engine: Engine, config: Config, now: datetime) -> list[Finding]:
    try:
        revision = current_revision(engine)
    except SQLAlchemyError as exc:
        return [Finding("database", False, f"cannot be read: {(str(exc.orig) if hasattr(exc, 'orig') else str(exc)).splitlines()[0]}")]
    if revision is None:
        return [Finding("schema", False, "no quizzer database here yet: start quizzer or run `quizzer import`")]
    schema = Finding("schema", revision == SCHEMA_HEAD, f"revision {revision}" + (
        "" if revision == SCHEMA_HEAD else f", this quizzer's is {SCHEMA_HEAD}: start quizzer to upgrade (or upgrade quizzer)"))
    return [schema, integrity(engine), deck(engine, config.content_dir), backups(engine, now)]


def integrity(engine: Engine) -> Finding:
    if engine.dialect.name != "sqlite":
        return Finding("integrity", True, f"a {engine.dialect.name} server checks its own pages")
    if problem := engine_quick_check(engine):
        return Finding("integrity", False, f"quick_check: {problem}: `quizzer restore` the newest backup")
    return Finding("integrity", True, "quick_check passed")


def deck(engine: Engine, root: Path) -> Finding:
    """Whether the database holds the deck folder as it is now (what a start would import)."""
    with make_sessionmaker(engine)() as session:
        if read_setting(session, fingerprint_key(root)) == fingerprint(root):
            return Finding("deck", True, f"the database holds {root} as it is")
        stored = dict(session.execute(select(Item.id, Item.content_hash).where(Item.retired_at.is_(None))).tuples().all())
    try:
        specs = load_content(root)
    except QuizzerError as exc:
        return Finding("deck", False, f"{root} has invalid files ({exc.message.splitlines()[0]}): run `quizzer check`")
    new = sum(spec.id not in stored for spec in specs)
    changed = sum(spec.id in stored and stored[spec.id] != spec.content_hash for spec in specs)
    return Finding("deck", False, f"{root} has {new} new and {changed} changed items the database lacks: start quizzer or run `quizzer import`")


def backups(engine: Engine, now: datetime) -> Finding:
    if engine.dialect.name != "sqlite":
        return Finding("backups", True, backup.USE_PG_DUMP)
    database = backup.sqlite_file(str(engine.url))
    newest = backup.newest(database)
    if newest is None:
        return Finding("backups", False, f"none in {backup.folder(database)}: run `quizzer backup` (the app takes one a day)")
    days = (now.timestamp() - newest.stat().st_mtime) / 86400
    kept = len(list(backup.folder(database).glob("*.sqlite3")))
    return Finding("backups", days <= BACKUP_STALE_DAYS, f"newest {newest.name}, {days:.1f} days old, {kept} kept in {newest.parent}"
                   + ("" if days <= BACKUP_STALE_DAYS else ": start quizzer or run `quizzer backup`"))


def sandbox(client: GradingClient) -> list[Finding]:
    """How strongly learner code is confined here (as the grading service reports it)."""
    try:
        features = client.sandbox_features()
    except QuizzerError as exc:
        return [Finding("sandbox", False, f"the grading service does not start: {exc.message}")]
    abi = features["landlock_abi"]
    return [
        Finding("uid", features["uid"] != os.getuid() or abi >= 1, f"learner code runs as uid {features['uid']}" + (
            "" if features["uid"] != os.getuid() else ", yours: only Landlock keeps your files from it")),
        Finding("landlock", abi >= 1, f"Landlock ABI {abi}: files outside the sandbox are out of reach" if abi
                else "no Landlock in this kernel (5.13 or newer has it): learner code can read what your user can"),
        Finding("network", features["network_namespace"], "an empty network namespace" if features["network_namespace"]
                else "no network namespace (quizzer must run as root to make one): UDP, and TCP before Landlock ABI 4, stay reachable"),
        Finding("seccomp", features["seccomp"], "no socket can be made" if features["seccomp"]
                else f"unavailable (install libseccomp2): only {', '.join(features['private_folders']) or 'nothing'} hidden from learner code"),
        Finding("memory", True, f"{features['memory_budget_mib']} MiB per attempt beyond the interpreter"),
    ]
