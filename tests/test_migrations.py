"""The schema is only ever built by walking Alembic's revisions, so history survives upgrades."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from quizzer.errors import StorageError
from quizzer.storage.engine import make_engine
from quizzer.storage.migrate import SCHEMA_HEAD, current_revision, ensure_schema, head_revision, upgrade
from quizzer.storage.models import Base


def test_the_start_up_shortcut_knows_the_newest_migration() -> None:
    assert SCHEMA_HEAD == head_revision()


def test_empty_database_is_brought_to_the_newest_revision(db_url: str) -> None:
    engine = make_engine(db_url)
    ensure_schema(engine)
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_migrated_schema_matches_the_models(db_url: str) -> None:
    engine = make_engine(db_url)
    ensure_schema(engine)
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    engine.dispose()


def test_upgrade_from_the_previous_revision_keeps_history(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine, "0001")
    assert not inspect(engine).has_table("settings")
    when = datetime(2026, 1, 5, tzinfo=timezone.utc).replace(tzinfo=None)
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO items (id, kind, deck, tags, source, source_file, source_line, position, body, content_hash)"
            " VALUES ('old', 'basic', 'd', '[]', 's', 'f.toml', 1, 7, '{}', 'h')"
        ))
        conn.execute(text(
            "INSERT INTO cards (id, item_id, ordinal, state, due, suspended, retired) VALUES (1, 'old', 0, 2, :due, false, false)"
        ), {"due": when})
        conn.execute(text(
            "INSERT INTO review_logs (card_id, reviewed_at, rating, before_state, before_due, after_state, after_due)"
            " VALUES (1, :at, 3, 1, :at, 2, :at)"
        ), {"at": when})

    ensure_schema(engine)

    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM review_logs")).scalar() == 1
        assert inspect(conn).has_table("settings")
        assert conn.execute(text("SELECT position FROM cards WHERE id = 1")).scalar() == 7
    engine.dispose()


def test_database_from_a_newer_quizzer_is_refused_with_a_clear_message(db_url: str) -> None:
    engine = make_engine(db_url)
    ensure_schema(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffff'"))
    with pytest.raises(StorageError, match="revision ffff, unknown to this quizzer"):
        ensure_schema(engine)
    engine.dispose()
