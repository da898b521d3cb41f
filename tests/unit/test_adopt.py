"""Adopting a database the platform created with Prisma (station_desktop.db.adopt).

Every test runs on SQLite and on MariaDB (``empty_database_url``); the platform's tables
are made with the DDL Prisma writes for each (tests/helpers/prisma_ddl.py).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from helpers import prisma_ddl
from helpers.prisma_ddl import CLIENT_IDS, ORPHAN_CLIENT_ID, create_platform_database, snapshot
from sqlalchemy import create_engine, inspect, make_url, text

from station_desktop.db import adopt, migrate
from station_desktop.db.engine import Database, normalize_url
from station_desktop.db.models import DEFAULT_STORAGE_QUOTA
from station_desktop.errors import SchemaMismatch, StationError
from station_desktop.services.fleet import FleetService
from station_desktop.services.stations import StationService


def _tables(url: str) -> set[str]:
    engine = create_engine(normalize_url(url))
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def _touch(url: str) -> None:
    """Make the (SQLite) database exist, with nothing in it."""
    engine = create_engine(normalize_url(url))
    with engine.connect():
        pass
    engine.dispose()


def _string_type(url: str) -> str:
    return "TEXT" if url.startswith("sqlite") else "VARCHAR(191)"


def _project(rows: list[dict[str, Any]], like: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``rows`` cut down to the columns ``like`` has (what existed before an upgrade)."""
    keys = set(like[0]) if like else set()
    return [{k: v for k, v in row.items() if k in keys} for row in rows]


def test_adopts_prisma_database_without_touching_rows_then_upgrades(
    empty_database_url: str,
) -> None:
    url = empty_database_url
    create_platform_database(url)
    before = snapshot(url)
    assert sum(len(rows) for rows in before.values()) == 17

    report = adopt.adopt(url)

    assert report.revision == "0001"
    assert migrate.schema_state(url).revision == "0001"
    assert snapshot(url) == before  # stamping changed no row
    assert not report.client_table_created and report.clients_added == ()
    assert report.next_step is not None and report.next_step.startswith("stationd db upgrade")
    assert not report.upgraded
    warnings = [str(w) for w in report.warnings]
    assert any("StreamConfig`(`mountpoint`)" in w and "unique" in w for w in warnings)
    # Prisma's @updatedAt has no database default: inserts from the app would be refused.
    assert any("`StreamServer`.`updatedAt`" in w and "no default" in w for w in warnings)
    notes = " ".join(str(n) for n in report.notes)
    assert "`_prisma_migrations`" in notes and "`createdAt`" in notes
    assert "Next, bring the schema up to date: stationd db upgrade" in report.lines()[-1]

    state = migrate.upgrade(url)

    assert state.current
    migrate.ensure_current(url)
    after = snapshot(url)
    for table, rows in before.items():  # later migrations add columns, never change values
        assert _project(after[table], rows) == rows, table
    assert {(r["timezone"], r["storageQuota"]) for r in after["Client"]} == {
        ("UTC", DEFAULT_STORAGE_QUOTA)}
    assert "_prisma_migrations" in _tables(url)
    engine = create_engine(normalize_url(url))
    try:  # the platform's unique index survived the upgrade (SQLite rebuilds tables)
        inspector = inspect(engine)
        unique = [i["column_names"] for i in inspector.get_indexes("StreamConfig") if i["unique"]]
        unique += [u["column_names"] for u in inspector.get_unique_constraints("StreamConfig")]
        assert ["clientId"] in unique
    finally:
        engine.dispose()

    db = Database(url)
    try:
        stations = {s.id: s for s in StationService(db).list_stations()}
        assert set(stations) == set(CLIENT_IDS)
        sur = stations[CLIENT_IDS[0]]
        assert (sur.name, sur.mountpoint, sur.server_name) == ("Radio Ñandú 'Sur'", "/sur", "vps-1")
        assert sur.timezone == "UTC"
        config = StationService(db).get_config(CLIENT_IDS[0])
        assert config.settings.bitrates == (64, 128, 320)
        assert config.settings.crossfade_duration == 3.5
        assert config.settings.autodj_enabled is True
        (server,) = FleetService(db).list_servers()
        assert (server.host, server.port) == ("203.0.113.10", 8000)
    finally:
        db.dispose()


def test_adopt_with_upgrade_brings_schema_to_head(empty_database_url: str) -> None:
    create_platform_database(empty_database_url)
    report = adopt.adopt(empty_database_url, upgrade=True)
    assert report.upgraded
    assert report.revision == report.head == migrate.head_revision()
    assert report.next_step is None
    assert migrate.schema_state(empty_database_url).current


def test_every_blocking_difference_is_listed_and_nothing_changes(
    empty_database_url: str,
) -> None:
    url = empty_database_url
    create_platform_database(
        url,
        drop_tables=("Schedule",),
        drop_columns=(("AudioFile", "duration"), ("LiveSession", "avgListeners")),
        retype={("StreamStats", "listeners"): "DOUBLE",
                ("StreamConfig", "autodjEnabled"): _string_type(url)},
        nullable=(("StreamServer", "host"),),
    )
    tables_before, rows_before = _tables(url), snapshot(url)

    with pytest.raises(adopt.SchemaDifferences) as raised:
        adopt.adopt(url)

    error = raised.value
    assert isinstance(error, SchemaMismatch)
    message = str(error)
    expected = [
        "table `Schedule` is missing",
        "column `AudioFile`.`duration` is missing",
        "column `LiveSession`.`avgListeners` is missing",
        "column `StreamStats`.`listeners` is DOUBLE, but Station Desktop needs an integer",
        f"column `StreamConfig`.`autodjEnabled` is {_string_type(url)}, but Station Desktop "
        "needs a boolean column",
        "column `StreamServer`.`host` allows NULL",
    ]
    for fragment in expected:
        assert fragment in message
    assert len(error.problems) == len(expected)
    assert all(p.level == "error" for p in error.problems)
    assert "6 ways" in message and "Nothing was changed" in message
    # Nothing changed: no version table, no Client rows added, no row rewritten.
    assert _tables(url) == tables_before
    assert "alembic_version" not in _tables(url)
    assert snapshot(url) == rows_before
    assert migrate.schema_state(url).revision is None


def test_compatible_types_are_accepted(empty_database_url: str) -> None:
    url = empty_database_url
    sqlite = url.startswith("sqlite")
    create_platform_database(url, retype={
        ("AudioFile", "title"): "TEXT",  # Prisma's @db.Text
        ("AudioFile", "fileSize"): "BIGINT",
        ("StreamConfig", "crossfadeDuration"): "NUMERIC" if sqlite else "DECIMAL(8,3)",
        ("StreamServer", "status"): "TEXT" if sqlite else "ENUM('online','offline','maintenance')",
    })
    report = adopt.adopt(url)
    assert report.revision == "0001"


def test_table_with_wrong_case_gets_a_hint(empty_database_url: str) -> None:
    url = empty_database_url
    create_platform_database(url, drop_tables=("Playlist",), rows=False)
    engine = create_engine(normalize_url(url))
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE playlist (id VARCHAR(191) PRIMARY KEY)"))
    engine.dispose()
    with pytest.raises(SchemaMismatch, match=r"`Playlist` is missing \(there is a `playlist`"):
        adopt.adopt(url)


def test_already_adopted_database_is_refused(empty_database_url: str) -> None:
    create_platform_database(empty_database_url)
    adopt.adopt(empty_database_url)

    with pytest.raises(SchemaMismatch, match="revision 0001") as raised:
        adopt.adopt(empty_database_url)
    assert raised.value.fix is not None and raised.value.fix.startswith("stationd db upgrade")

    migrate.upgrade(empty_database_url)
    with pytest.raises(SchemaMismatch, match=rf"revision {migrate.head_revision()}, the latest"):
        adopt.adopt(empty_database_url)


def test_database_created_by_station_desktop_is_refused(empty_database_url: str) -> None:
    database_url = empty_database_url  # (not the shared migrated one: this test edits it)
    migrate.upgrade(database_url)
    with pytest.raises(SchemaMismatch, match="already managed by Station Desktop"):
        adopt.adopt(database_url)
    engine = create_engine(normalize_url(database_url))
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0999_future'"))
    engine.dispose()
    with pytest.raises(SchemaMismatch, match="newer version of Station Desktop") as raised:
        adopt.adopt(database_url)
    assert raised.value.fix is None


def test_empty_database_is_refused(empty_database_url: str) -> None:
    _touch(empty_database_url)
    with pytest.raises(SchemaMismatch, match="none of the station tables") as raised:
        adopt.adopt(empty_database_url)
    assert raised.value.fix is not None and raised.value.fix.startswith("stationd db upgrade")
    assert _tables(empty_database_url) == set()


def test_database_with_only_prisma_bookkeeping_is_refused(empty_database_url: str) -> None:
    engine = create_engine(normalize_url(empty_database_url))
    with engine.begin() as conn:
        conn.exec_driver_sql(prisma_ddl.platform_ddl(engine.dialect.name)[0])
    engine.dispose()
    with pytest.raises(SchemaMismatch, match="stationd db upgrade"):
        adopt.adopt(empty_database_url)
    assert _tables(empty_database_url) == {"_prisma_migrations"}


def test_missing_sqlite_file_is_refused_and_not_created(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.db"
    with pytest.raises(StationError, match="no database file"):
        adopt.adopt(f"sqlite:///{path}")
    assert not path.exists()


def test_missing_client_table_is_created_and_filled(empty_database_url: str) -> None:
    url = empty_database_url
    create_platform_database(url, with_client=False)
    if not url.startswith("sqlite"):
        # The database's default collation differs from the platform's columns: the new
        # Client table must follow the columns it is joined with, not the default.
        engine = create_engine(normalize_url(url))
        with engine.begin() as conn:
            conn.execute(text(f"ALTER DATABASE `{make_url(url).database}` "
                              "COLLATE utf8mb4_general_ci"))
        engine.dispose()
    before = snapshot(url)
    assert "Client" not in before

    report = adopt.adopt(url)

    expected_ids = tuple(sorted((*CLIENT_IDS, ORPHAN_CLIENT_ID)))
    assert report.client_table_created
    assert report.clients_added == expected_ids
    assert "Created the Client table with 3 station(s)" in "\n".join(report.lines())
    after = snapshot(url)
    assert after.pop("Client") == [{"id": i, "name": i} for i in expected_ids]
    assert after == before
    if not url.startswith("sqlite"):
        engine = create_engine(normalize_url(url))
        with engine.connect() as conn:
            collation = conn.execute(text(
                "SELECT COLLATION_NAME FROM information_schema.COLUMNS WHERE "
                "TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'Client' AND COLUMN_NAME = 'id'"
            )).scalar_one()
        engine.dispose()
        assert collation == "utf8mb4_unicode_ci"

    migrate.upgrade(url)
    db = Database(url)
    try:
        stations = StationService(db).list_stations()  # joins Client with StreamConfig
    finally:
        db.dispose()
    assert {s.id for s in stations} == set(expected_ids)
    assert {s.id: s.mountpoint for s in stations}[CLIENT_IDS[0]] == "/sur"
    assert all(s.timezone == "UTC" for s in stations)


def test_two_adoptions_at_once_stamp_once(empty_database_url: str) -> None:
    create_platform_database(empty_database_url, with_client=False)
    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def run() -> None:
        barrier.wait()
        try:
            outcomes.append(adopt.adopt(empty_database_url))
        except StationError as error:
            outcomes.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    reports = [o for o in outcomes if isinstance(o, adopt.AdoptReport)]
    refusals = [o for o in outcomes if isinstance(o, SchemaMismatch)]
    assert len(reports) == 1 and len(refusals) == 1, outcomes
    assert "already managed" in str(refusals[0])
    assert len(snapshot(empty_database_url)["Client"]) == 3


def test_check_reports_without_changing_anything(empty_database_url: str) -> None:
    create_platform_database(empty_database_url, drop_columns=(("Playlist", "isMain"),))
    findings = adopt.check(empty_database_url)
    assert [str(f) for f in findings if f.level == "error"] == [
        "column `Playlist`.`isMain` is missing (Station Desktop needs a boolean column "
        "(BOOLEAN/TINYINT(1)))"
    ]
    assert findings[0].level == "error"  # errors come first
    assert "alembic_version" not in _tables(empty_database_url)


def test_missing_unique_indexes_are_warnings(empty_database_url: str) -> None:
    url = empty_database_url
    create_platform_database(url, with_client=False)  # no foreign key needs the index
    engine = create_engine(normalize_url(url))
    with engine.begin() as conn:
        on_table = "" if url.startswith("sqlite") else " ON `StreamConfig`"
        conn.exec_driver_sql(f"DROP INDEX StreamConfig_clientId_key{on_table}")
    engine.dispose()

    report = adopt.adopt(url)

    warnings = [str(w) for w in report.warnings if "unique index" in str(w)]
    assert len(warnings) == 2
    assert any("`StreamConfig`(`clientId`)" in w for w in warnings)
    assert any("`StreamConfig`(`mountpoint`)" in w for w in warnings)


def test_station_ids_without_a_client_row_are_a_warning(empty_database_url: str) -> None:
    url = empty_database_url
    create_platform_database(url)
    engine = create_engine(normalize_url(url))
    with engine.begin() as conn:  # a row the platform wrote without its Client
        if not url.startswith("sqlite"):
            conn.exec_driver_sql("SET FOREIGN_KEY_CHECKS = 0")
        conn.execute(text(
            "UPDATE AudioFile SET clientId = :orphan WHERE id = 'af3'"
        ), {"orphan": ORPHAN_CLIENT_ID})
    engine.dispose()
    before = snapshot(url)

    report = adopt.adopt(url)

    assert any(f"have no row in `Client` ({ORPHAN_CLIENT_ID})" in str(w)
               for w in report.warnings)
    assert snapshot(url) == before  # an existing Client table is never filled in


def test_after_upgrade_the_app_can_write_rows_prisma_timestamps_included(
    empty_database_url: str,
) -> None:
    """Prisma's ``updatedAt`` is NOT NULL with no default (Prisma fills it itself); after
    adopt + upgrade (migration 0003) the services' inserts must be accepted."""
    from station_desktop.services.fleet import ServerFields
    from station_desktop.services.playlists import PlaylistFields, PlaylistService
    from station_desktop.services.stations import StationFields

    create_platform_database(empty_database_url)
    adopt.adopt(empty_database_url, upgrade=True)
    before = snapshot(empty_database_url)
    db = Database(empty_database_url)
    try:
        server = FleetService(db).create_server(ServerFields("vps-new", "198.51.100.7"))
        station = StationService(db).create_station(StationFields("Nueva"))
        StationService(db).assign_server(station.id, server.id)
        PlaylistService(db).create_playlist(station.id, PlaylistFields("Mix", "rotation", None,
                                                                       True))
    finally:
        db.dispose()
    after = snapshot(empty_database_url)
    new_server = next(r for r in after["StreamServer"] if r["name"] == "vps-new")
    assert new_server["updatedAt"] is not None and new_server["createdAt"] is not None
    for table, rows in before.items():  # the platform's rows are untouched
        old_ids = {row["id"] for row in rows}
        kept = [row for row in after[table] if row["id"] in old_ids]
        assert _project(kept, rows) == rows, table
