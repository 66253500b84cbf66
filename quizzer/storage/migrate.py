"""Apply the Alembic migrations shipped inside the package, on every start.

A learner's history must survive upgrades: the app never creates tables with
``create_all``; it always walks the revision chain.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import SQLAlchemyError

from quizzer.errors import StorageError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SCHEMA_HEAD = "0014"
"""The newest revision in ``migrations/versions``, kept here so a start with an up-to-date
database never imports Alembic (~150 ms with its script directory). A test keeps it true."""


def _alembic_config() -> Config:
    from alembic.config import Config  # imported when a migration runs: start-up skips it

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    """The newest revision in the migration scripts, read by Alembic."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (default: the newest), in one transaction."""
    from alembic import command

    config = _alembic_config()
    try:
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
    except SQLAlchemyError as exc:
        raise StorageError(f"cannot migrate database {engine.url.render_as_string()}: {exc}") from exc


def ensure_schema(engine: Engine) -> None:
    """Upgrade to the newest revision if needed; a database from a newer quizzer is refused."""
    try:
        current = current_revision(engine)
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise StorageError(f"cannot open database {engine.url.render_as_string()}: {reason}") from exc
    if current == SCHEMA_HEAD:
        return
    try:
        upgrade(engine)
    except StorageError:
        raise
    except Exception as exc:  # alembic's "Can't locate revision": the DB is newer than this code
        raise StorageError(
            f"database {engine.url.render_as_string()} is at revision {current}, unknown to this quizzer "
            f"(newest known: {SCHEMA_HEAD}); upgrade quizzer"
        ) from exc
