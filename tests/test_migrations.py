"""The schema is only ever built by walking Alembic's revisions, so history survives upgrades."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from quizzer.errors import StorageError
from quizzer.storage.engine import make_engine
from quizzer.storage.migrate import SCHEMA_HEAD, current_revision, ensure_schema, head_revision, upgrade
from quizzer.storage.models import SEARCH_INDEX, Base


def test_the_start_up_shortcut_knows_the_newest_migration() -> None:
    assert head_revision() == SCHEMA_HEAD


def test_empty_database_is_brought_to_the_newest_revision(db_url: str) -> None:
    engine = make_engine(db_url)
    ensure_schema(engine)
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_migrated_schema_matches_the_models(db_url: str) -> None:
    engine = make_engine(db_url)
    ensure_schema(engine)
    with engine.connect() as conn:
        models_know = {"include_name": lambda name, kind, _parent: kind != "table" or not str(name).startswith(SEARCH_INDEX)}
        assert compare_metadata(MigrationContext.configure(conn, opts=models_know), Base.metadata) == []
    engine.dispose()


def test_upgrade_from_the_previous_revision_keeps_history(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine, "0001")
    assert not inspect(engine).has_table("settings")
    when = datetime(2026, 1, 5, tzinfo=UTC).replace(tzinfo=None)
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


def test_upgrade_from_0004_logs_the_retrievability_of_past_answers(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine, "0004")
    last = datetime(2026, 1, 5, 9, tzinfo=UTC).replace(tzinfo=None)
    at = datetime(2026, 1, 15, 10, tzinfo=UTC).replace(tzinfo=None)
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO items (id, kind, deck, tags, source, source_file, source_line, position, body, content_hash)"
            " VALUES ('old', 'basic', 'd', '[]', 's', 'f.toml', 1, 7, '{}', 'h')"
        ))
        conn.execute(text(
            "INSERT INTO cards (id, item_id, ordinal, position, state, due, suspended, retired)"
            " VALUES (1, 'old', 0, 7, 2, :at, false, false)"
        ), {"at": at})
        conn.execute(text(
            "INSERT INTO review_logs (card_id, reviewed_at, rating, before_state, before_stability, before_due,"
            " before_last_review, after_state, after_due) VALUES (1, :at, 3, 2, 10.0, :at, :last, 2, :at),"
            " (1, :last, 3, 0, NULL, :last, NULL, 1, :last)"
        ), {"at": at, "last": last})

    ensure_schema(engine)

    with engine.connect() as conn:
        logged = conn.execute(text("SELECT before_retrievability FROM review_logs ORDER BY id")).scalars().all()
        assert inspect(conn).has_table("imported_reviews")
    decay = -0.1542
    assert logged[0] == pytest.approx((1 + (0.9 ** (1 / decay) - 1) * 10 / 10.0) ** decay)  # 10 whole days, S = 10: 0.9
    assert logged[0] == pytest.approx(0.9) and logged[1] is None
    engine.dispose()


def test_upgrade_from_0007_makes_items_already_imported_searchable(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine, "0007")
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO items (id, kind, deck, tags, source, source_file, source_line, position, body, content_hash)"
            " VALUES ('old', 'basic', 'd', '[\"Autograd\"]', 's', 'f.toml', 1, 7,"
            " '{\"front\": {\"zh\": \"\\u68af\\u5ea6\", \"en\": \"Gradient\"}}', 'h')"
        ))

    ensure_schema(engine)

    with engine.connect() as conn:
        assert conn.execute(text("SELECT text, tags FROM item_texts")).one() == ("梯度\ngradient", " autograd ")
    engine.dispose()


def test_upgrade_to_0014_indexes_the_texts_already_there_and_keeps_the_index_up_to_date(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    upgrade(engine, "0013")
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO items (id, kind, deck, tags, source, source_file, source_line, position, body, content_hash)"
            " VALUES ('old', 'basic', 'd', '[]', 's', 'f.toml', 1, 7, '{}', 'h')"
        ))
        conn.execute(text("INSERT INTO item_texts (item_id, text, tags) VALUES ('old', 'the gradient flows', ' ')"))

    ensure_schema(engine)

    def indexed(phrase: str) -> list[str]:
        found = f"SELECT item_id FROM item_texts WHERE id IN (SELECT rowid FROM {SEARCH_INDEX} WHERE {SEARCH_INDEX} MATCH :p)"
        return list(conn.execute(text(found), {"p": f'"{phrase}"'}).scalars())

    with engine.begin() as conn:
        assert indexed("gradient") == ["old"]
        conn.execute(text("UPDATE item_texts SET text = 'the loss falls' WHERE item_id = 'old'"))
        assert (indexed("gradient"), indexed("loss fa")) == ([], ["old"])
    engine.dispose()
