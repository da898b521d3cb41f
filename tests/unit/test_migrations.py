"""The Alembic history and station_desktop.db.migrate, on SQLite and MariaDB."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from helpers.prisma_ddl import CLIENT_IDS, create_platform_database, insert_rows, snapshot
from sqlalchemy import create_engine, inspect, text

from station_desktop.db import migrate
from station_desktop.db.engine import create_db_engine, normalize_url
from station_desktop.db.models import (
    DEFAULT_STORAGE_QUOTA,
    SEARCH_INDEX_TABLE,
    SEED_TABLES,
    Base,
)
from station_desktop.errors import SchemaMismatch


def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(migrate.alembic_config())


def _alembic(url: str, action: Callable[[Config, str], Any], revision: str) -> None:
    """Run an Alembic command on ``url`` the way migrate.upgrade does (for downgrades)."""
    engine = create_db_engine(url, sqlite_foreign_keys=False)
    try:
        with engine.connect() as conn:
            action(migrate.alembic_config(conn), revision)
            conn.commit()
    finally:
        engine.dispose()


def _differences(url: str) -> list[Any]:
    """What ``alembic check`` would report: model metadata against the live schema."""
    engine = create_db_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={
                "compare_type": True, "compare_server_default": True,
                # SQLite's FTS5 search index (migration 0009) is no model.
                "include_name": lambda name, kind, _parent: not (
                    kind == "table" and (name or "").startswith(SEARCH_INDEX_TABLE)),
            })
            return list(compare_metadata(context, Base.metadata))
    finally:
        engine.dispose()


def _tables(url: str) -> set[str]:
    engine = create_engine(normalize_url(url))
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def _fill(url: str) -> None:
    engine = create_engine(normalize_url(url))
    with engine.begin() as conn:
        insert_rows(conn)
    engine.dispose()


def _project(rows: list[dict[str, Any]], like: list[dict[str, Any]]) -> list[dict[str, Any]]:
    keys = set(like[0])
    return [{k: v for k, v in row.items() if k in keys} for row in rows]


def _assert_rows_kept(before: dict[str, list[dict[str, Any]]], url: str) -> None:
    after = snapshot(url)
    assert set(after) == set(before)
    for table, rows in before.items():
        assert rows, table
        assert _project(after[table], rows) == rows, table


# --- the history -------------------------------------------------------------------------


def test_revisions_form_one_linear_chain() -> None:
    script = _script()
    revisions = list(script.walk_revisions())
    ids = {r.revision for r in revisions}
    assert len(script.get_heads()) == 1
    assert script.get_heads()[0] == migrate.head_revision()
    assert len(script.get_bases()) == 1
    assert script.get_bases()[0] == "0001"
    for revision in revisions:
        assert revision.down_revision is None or isinstance(revision.down_revision, str), (
            f"{revision.revision} is a merge point")
        if revision.down_revision is not None:
            assert revision.down_revision in ids
        assert revision.path is not None
        assert f"_{revision.revision}_" in Path(revision.path).name
    # Walking down from the head reaches every revision: no orphans, no branches.
    assert len(revisions) == len(ids)
    children = [r.down_revision for r in revisions if r.down_revision]
    assert len(children) == len(set(children))


def test_migrations_never_import_application_code() -> None:
    for revision in _script().walk_revisions():
        assert revision.path is not None
        source = Path(revision.path).read_text()
        assert not re.search(r"^\s*(from|import) station_desktop", source, re.M), revision.path


# --- upgrade ------------------------------------------------------------------------------


def test_upgrade_from_empty_matches_the_models(empty_database_url: str) -> None:
    state = migrate.upgrade(empty_database_url)

    assert state.current and state.revision == migrate.head_revision()
    assert set(SEED_TABLES) <= _tables(empty_database_url)
    assert _differences(empty_database_url) == []
    assert migrate.ensure_current(empty_database_url).current


def test_upgrade_is_idempotent(empty_database_url: str) -> None:
    migrate.upgrade(empty_database_url)
    again = migrate.upgrade(empty_database_url)
    assert again.current


def test_rows_written_at_0001_survive_the_upgrade(empty_database_url: str) -> None:
    url = empty_database_url
    migrate.upgrade(url, "0001")
    _fill(url)
    before = snapshot(url)

    state = migrate.upgrade(url)

    assert state.current
    _assert_rows_kept(before, url)
    after = snapshot(url)
    assert {(r["timezone"], r["storageQuota"]) for r in after["Client"]} == {
        ("UTC", DEFAULT_STORAGE_QUOTA)}
    assert _differences(url) == []


def test_downgrade_and_upgrade_again_on_sqlite_with_rows(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'station.db'}"
    migrate.upgrade(url, "0001")
    _fill(url)
    at_0001 = snapshot(url)
    foreign_keys = {t: len(inspect(create_engine(url)).get_foreign_keys(t)) for t in SEED_TABLES}

    migrate.upgrade(url)
    _alembic(url, command.downgrade, "0001")  # SQLite rebuilds the tables it alters

    assert migrate.schema_state(url).revision == "0001"
    assert snapshot(url) == at_0001
    engine = create_engine(url)
    try:
        inspector = inspect(engine)
        assert {t: len(inspector.get_foreign_keys(t)) for t in SEED_TABLES} == foreign_keys
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
    finally:
        engine.dispose()

    migrate.upgrade(url)
    _assert_rows_kept(at_0001, url)
    assert _differences(url) == []

    _alembic(url, command.downgrade, "base")
    assert _tables(url) <= {"alembic_version"}
    assert migrate.schema_state(url).revision is None

    assert migrate.upgrade(url).current
    assert _differences(url) == []


# --- ensure_current -----------------------------------------------------------------------


def test_ensure_current_on_an_empty_database_says_upgrade(empty_database_url: str) -> None:
    with pytest.raises(SchemaMismatch, match="is empty") as raised:
        migrate.ensure_current(empty_database_url)
    assert raised.value.fix is not None
    assert raised.value.fix.startswith("stationd db upgrade --database-url")


def test_ensure_current_on_an_older_revision_says_upgrade(empty_database_url: str) -> None:
    migrate.upgrade(empty_database_url, "0001")
    with pytest.raises(SchemaMismatch, match=rf"revision 0001; this version needs "
                                             rf"{migrate.head_revision()}") as raised:
        migrate.ensure_current(empty_database_url)
    assert raised.value.fix is not None
    assert raised.value.fix.startswith("stationd db upgrade --database-url")


def test_ensure_current_on_platform_tables_says_adopt(empty_database_url: str) -> None:
    create_platform_database(empty_database_url)
    with pytest.raises(SchemaMismatch, match="not adopted") as raised:
        migrate.ensure_current(empty_database_url)
    assert raised.value.fix is not None
    assert raised.value.fix.startswith("stationd db adopt --database-url")
    # upgrade refuses too, rather than creating the baseline over the platform's tables
    with pytest.raises(SchemaMismatch) as refused:
        migrate.upgrade(empty_database_url)
    assert refused.value.fix is not None and refused.value.fix.startswith("stationd db adopt")
    assert "alembic_version" not in _tables(empty_database_url)


def test_ensure_current_on_a_newer_revision_says_update_the_app(
    empty_database_url: str,
) -> None:
    migrate.upgrade(empty_database_url)
    engine = create_engine(normalize_url(empty_database_url))
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0999_from_the_future'"))
    engine.dispose()

    with pytest.raises(SchemaMismatch, match="newer than this version") as raised:
        migrate.ensure_current(empty_database_url)
    assert "Update Station Desktop" in str(raised.value)
    assert raised.value.fix is None  # nothing to run here: a newer app is needed
    with pytest.raises(SchemaMismatch, match="Update Station Desktop"):
        migrate.upgrade(empty_database_url)


# --- the migration lock ---------------------------------------------------------------------


def test_concurrent_upgrades_both_succeed(empty_database_url: str) -> None:
    barrier = threading.Barrier(2)
    results: list[object] = []

    def run() -> None:
        barrier.wait()
        try:
            results.append(migrate.upgrade(empty_database_url))
        except Exception as error:  # reported below
            results.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert len(results) == 2
    assert all(isinstance(r, migrate.SchemaState) and r.current for r in results), results
    assert _differences(empty_database_url) == []
    _fill(empty_database_url)  # the schema works: rows go in, relations hold
    assert {r["id"] for r in snapshot(empty_database_url)["Client"]} == set(CLIENT_IDS)
