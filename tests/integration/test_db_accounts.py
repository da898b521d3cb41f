"""The least-privilege accounts of ``packaging/sql/accounts.sql`` on a REAL MariaDB.

The accounts are made the way docs/operators/database.md tells an operator to: the
``mariadb`` command-line client, the variables typed into the session, then ``SOURCE``.
Then each account does its program's real work through the real code:

- the migrator creates the schema from empty with ``stationd db upgrade`` (the CLI's
  ``main``), including the triggers on AudioFile (migrations 0009 and 0011);
- the desktop app's account opens a workspace (the schema guard) and runs the services that
  write every table the app writes, with a real import; the triggers run (as their
  definer) on its AudioFile writes; DDL and stationd's writes are refused;
- stationd's account runs the daemon's rounds (``Runner``: samples from a real Icecast,
  alerts and a server's status, live sessions and play history from an events file, the
  programme export, roll-ups and retention, live logins) and is refused everything that
  would change the library, playlists, stations, servers or passwords.

Also: running the file again, the backup and restore commands of the docs, moving the
triggers to another account with ``packaging/sql/triggers.sql``, and binary logging
(a second throwaway server started with ``--log-bin``).

The tests share one database and one set of accounts (module fixture ``accounts``); each
makes its own stations, and the one that changes an account's password or the triggers'
definer puts it back.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import io
import json
import os
import re
import secrets
import shutil
import subprocess
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pymysql
import pytest
from helpers.databases import MariaDBDatabases
from helpers.factories import new_track, table_snapshot
from helpers.mariadb import ThrowawayMariaDB
from helpers.prisma_ddl import create_platform_database
from helpers.stack import RadioStack, StackError
from sqlalchemy import Engine, make_url, text

from station_desktop.daemon.cli import ENV_PASSWORD, ENV_URL, main
from station_desktop.daemon.config import (
    DaemonConfig,
    LiveAuthConfig,
    PathsConfig,
    RetentionConfig,
    SupervisorConfig,
)
from station_desktop.daemon.live_auth import LiveAuthChecker
from station_desktop.daemon.runner import Runner
from station_desktop.db import migrate
from station_desktop.db.engine import Database, create_db_engine
from station_desktop.db.models import (
    SEARCH_STALE_TRIGGER,
    AudioFile,
    Base,
    Client,
    DjAccount,
    Playlist,
    PlaylistItem,
    Schedule,
    StreamConfig,
    StreamServer,
)
from station_desktop.db.types import utcnow
from station_desktop.services.alerts import AlertService
from station_desktop.services.dj_accounts import DjAccountService
from station_desktop.services.fleet import FleetService, ServerFields
from station_desktop.services.history import PlayHistoryService
from station_desktop.services.library import LibraryService, TrackMetadata
from station_desktop.services.playlists import PlaylistFields, PlaylistService
from station_desktop.services.rollups import RollupService
from station_desktop.services.schedule import BlockFields
from station_desktop.services.stations import StationFields, StationService, StreamSettings
from station_desktop.services.stats import StatsService
from station_desktop.services.stream_control import StreamControlService
from station_desktop.services.workspace import open_workspace

SQL_DIR = Path(__file__).parents[2] / "packaging" / "sql"
ACCOUNTS_SQL = SQL_DIR / "accounts.sql"
TRIGGERS_SQL = SQL_DIR / "triggers.sql"
HOST = "127.0.0.1"  # the throwaway server skips name resolution: 'localhost' would not match
ROLES = ("migrator", "app", "stationd")
AUDIO_FILE_TRIGGERS = ["AudioFile_change_ad", "AudioFile_change_ai", "AudioFile_change_au",
                       SEARCH_STALE_TRIGGER]  # by name

# MariaDB error codes the refusals come with
TABLE_DENIED, COLUMN_DENIED, DEFINER_MISSING, ACCOUNT_LOCKED = 1142, 1143, 1449, 4151
ACCESS_DENIED, DB_ACCESS_DENIED = 1045, 1044

mariadb_only = [pytest.mark.mariadb, pytest.mark.integration]


# -- running the mariadb client as an operator would ---------------------------------------


def sql_literal(value: str) -> str:
    """``value`` as a string literal typed into the mariadb client."""
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"


@dataclasses.dataclass(frozen=True)
class Server:
    """A MariaDB server reached as its administrator (root over TCP)."""

    admin_url: str

    @property
    def port(self) -> int:
        return make_url(self.admin_url).port or 3306

    def client(self, *args: str, user: str | None = None, password: str | None = None,
               stdin: str | bytes | None = None, tool: str = "mariadb",
               stdout: Any = subprocess.PIPE) -> subprocess.CompletedProcess[Any]:
        """Run ``tool`` (mariadb, mariadb-dump) against this server as ``user``."""
        url = make_url(self.admin_url)
        user = user or url.username or "root"
        password = password if user != (url.username or "root") else url.password
        environment = {k: v for k, v in os.environ.items() if k != "MYSQL_PWD"}
        if password:
            environment["MYSQL_PWD"] = password  # not on the command line
        data = stdin.encode() if isinstance(stdin, str) else stdin
        return subprocess.run(
            [tool, "--no-defaults", f"--host={url.host or HOST}", f"--port={self.port}",
             f"--user={user}", *args],
            input=data, stdout=stdout, stderr=subprocess.PIPE, env=environment, check=False,
            timeout=120)

    def source_accounts(self, variables: dict[str, str | None], sql: Path = ACCOUNTS_SQL,
                        ) -> subprocess.CompletedProcess[Any]:
        """What the docs tell an operator to type: SET the variables, SOURCE the file."""
        assignments = ", ".join(f"@{name} = {'NULL' if value is None else sql_literal(value)}"
                                for name, value in variables.items())
        session = f"SET {assignments};\n" if assignments else ""
        return self.client("--batch", "--raw", stdin=f"{session}SOURCE {sql}\n")

    def engine(self) -> Engine:
        return create_db_engine(self.admin_url)

    def query(self, statement: str, **params: Any) -> list[tuple[Any, ...]]:
        engine = self.engine()
        try:
            with engine.begin() as conn:
                result = conn.execute(text(statement), params)
                return [tuple(row) for row in result] if result.returns_rows else []
        finally:
            engine.dispose()

    def grants(self, user: str) -> list[str]:
        """SHOW GRANTS, without the password hash (logins tell whether that changed)."""
        return sorted(re.sub(r" IDENTIFIED BY PASSWORD '[^']*'", "", row[0])
                      for row in self.query(f"SHOW GRANTS FOR '{user}'@'{HOST}'"))


def summary(result: subprocess.CompletedProcess[Any]) -> dict[str, str]:
    """accounts.sql's closing table: account -> what it did."""
    assert result.returncode == 0 and not result.stderr, result.stderr.decode()
    lines = result.stdout.decode().splitlines()
    assert lines[0] == "account\tresult", lines
    return dict(line.split("\t", 1) for line in lines[1:])


def driver_code(error: BaseException) -> int:
    """The MariaDB error number behind a service's error (or a driver error)."""
    seen: BaseException | None = error
    while seen is not None:
        orig = getattr(seen, "orig", None)
        for candidate in (orig, seen):
            args = getattr(candidate, "args", ())
            if isinstance(candidate, pymysql.err.MySQLError) and args and \
                    isinstance(args[0], int):
                return args[0]
        seen = seen.__cause__ or seen.__context__
    raise AssertionError(f"no MariaDB error behind {error!r}")


def refused(call: Callable[[], object]) -> int:
    """Run ``call``; it must fail on the database: return the error number."""
    try:
        call()
    except Exception as error:  # a service's error, or the driver's
        return driver_code(error)
    raise AssertionError("the call was not refused")


# -- the accounts -----------------------------------------------------------------------------


@dataclasses.dataclass
class Accounts:
    server: Server
    database: str
    users: dict[str, str]
    passwords: dict[str, str]
    first_run: dict[str, str]
    upgrade_output: str
    second_run: dict[str, str]

    def variables(self, **extra: str | None) -> dict[str, str | None]:
        values: dict[str, str | None] = {"database": self.database}
        for role in ROLES:
            values[f"{role}_user"] = self.users[role]
            values[f"{role}_host"] = HOST
        return values | extra

    def url(self, role: str, *, password: bool = True, database: str | None = None) -> str:
        url = make_url(f"mysql://{HOST}:{self.server.port}/").set(
            username=self.users[role], database=database or self.database,
            password=self.passwords[role] if password else None)
        return url.render_as_string(hide_password=False)

    def db(self, role: str) -> Database:
        return Database(self.url(role))


def stationd_cli(*argv: str, password: str) -> tuple[int, str, str]:
    """``stationd`` through its real entry point, the password from the environment."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(ENV_URL, raising=False)
        patch.setenv(ENV_PASSWORD, password)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def accounts(mariadb_admin_url: str, mariadb_databases: MariaDBDatabases) -> Iterator[Accounts]:
    if shutil.which("mariadb") is None:
        pytest.fail("the mariadb command-line client is missing (apt-get install mariadb-client)")
    server = Server(mariadb_admin_url)
    database = make_url(mariadb_databases.create("accounts")).database
    assert database is not None
    tag = uuid.uuid4().hex[:8]
    users = {"migrator": f"mig_{tag}", "app": f"app_{tag}", "stationd": f"sd_{tag}"}
    passwords = {"migrator": secrets.token_urlsafe(18),
                 "app": "ñ'" + secrets.token_urlsafe(18),  # quotes and UTF-8 survive
                 "stationd": secrets.token_urlsafe(18)}
    made = Accounts(server, database, users, passwords, {}, "", {})
    try:
        # 1. before the schema: the three accounts; stationd's password comes later
        made.first_run = summary(server.source_accounts(made.variables(
            migrator_password=passwords["migrator"], app_password=passwords["app"],
            stationd_password=None)))
        # 2. the migrator creates the schema
        code, out, err = stationd_cli("db", "upgrade", "--database-url",
                                      made.url("migrator", password=False),
                                      password=passwords["migrator"])
        assert (code, err) == (0, ""), err
        made.upgrade_output = out
        # 3. again, now that the tables exist: the app's and stationd's grants
        made.second_run = summary(server.source_accounts(made.variables(
            stationd_password=passwords["stationd"])))
        yield made
    finally:
        for user in users.values():
            server.query(f"DROP USER IF EXISTS '{user}'@'{HOST}'")
        mariadb_databases.drop(make_url(mariadb_admin_url).set(database=database)
                               .render_as_string(hide_password=False))


def login(accounts: Accounts, role: str, password: str | None = None) -> int | None:
    """None when ``role`` can log in with ``password`` (default: its own), else the error."""
    try:
        connection = pymysql.connect(
            host=HOST, port=accounts.server.port, user=accounts.users[role],
            password=(password if password is not None else accounts.passwords[role]).encode(),
            database=accounts.database, charset="utf8mb4")
    except pymysql.err.OperationalError as error:
        return int(error.args[0])
    connection.close()
    return None


# -- the file itself ---------------------------------------------------------------------------


def test_the_file_names_every_table_of_the_schema() -> None:
    """A migration that adds a table must add it to accounts.sql (and its revision)."""
    source = ACCOUNTS_SQL.read_text()
    listed = re.search(r"SET @station_tables = '([^']+)';", source)
    assert listed is not None
    tables = set(listed.group(1).split(","))
    assert tables == set(Base.metadata.tables) | {"alembic_version"}
    assert f"@tables_found = {len(tables)};" in source
    granted = set(re.findall(r"\.`(\w+)` TO ", source))
    assert granted == tables
    revision = re.search(r"SET @accounts_sql_revision = '(\w+)';", source)
    assert revision is not None and revision.group(1) == migrate.head_revision()


@pytest.mark.mariadb
@pytest.mark.integration
def test_first_run_creates_the_accounts_and_waits_for_the_schema(accounts: Accounts) -> None:
    users = accounts.users
    assert accounts.first_run == {
        f"{users['migrator']}@{HOST}": f"created; password set; schema owner of "
                                       f"{accounts.database}",
        f"{users['app']}@{HOST}": f"created; password set; NOT YET: the schema is missing (0 of "
                                  f"16 tables); run stationd db upgrade as {users['migrator']}, "
                                  "then SOURCE this again",
        f"{users['stationd']}@{HOST}": "created; LOCKED until you give it a password; NOT YET: "
                                       "the schema is missing (0 of 16 tables); run stationd "
                                       f"db upgrade as {users['migrator']}, then SOURCE this "
                                       "again",
        "(schema)": "no schema yet",
    }
    assert accounts.second_run[f"{users['stationd']}@{HOST}"] == \
        "kept; password set; stationd privileges granted"
    assert accounts.second_run[f"{users['app']}@{HOST}"] == \
        "kept; password unchanged; desktop app privileges granted"
    assert accounts.second_run["(schema)"] == f"revision {migrate.head_revision()}"
    # the migrator may do anything to this database's tables, nothing elsewhere
    escaped = accounts.database.replace("_", "\\_")
    assert [g for g in accounts.server.grants(users["migrator"]) if " ON *.* " not in g] == [
        f"GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, REFERENCES, INDEX, ALTER, "
        f"TRIGGER ON `{escaped}`.* TO `{users['migrator']}`@`{HOST}`"]
    assert all(login(accounts, role) is None for role in ROLES)


@pytest.mark.mariadb
@pytest.mark.integration
def test_the_checks_stop_the_file_before_it_changes_anything(accounts: Accounts) -> None:
    server = accounts.server
    before = server.query("SELECT COUNT(*) FROM mysql.user")
    for variables, message in [
        ({}, "accounts.sql: set the database first, e.g. SET @database = 'radio'; then SOURCE "
             "again."),
        ({"database": "no_such_database"}, "accounts.sql: there is no database "
                                           "no_such_database; CREATE DATABASE it first"),
        ({"database": accounts.database, "app_user": "someone_new", "app_password": ""},
         "accounts.sql: a password variable is empty"),
        ({"database": accounts.database, "app_user": "x", "stationd_user": "x"},
         "accounts.sql: two of the three accounts have the same name and host."),
    ]:
        # a fresh session each time: nothing left over from the previous one
        result = server.source_accounts(variables)
        assert message in result.stderr.decode(), result.stderr.decode()
        assert result.stdout.decode() == ""  # no summary: nothing was done
    assert server.query("SELECT COUNT(*) FROM mysql.user") == before


# -- the migrator ------------------------------------------------------------------------------


@pytest.mark.mariadb
@pytest.mark.integration
def test_the_migrator_creates_the_schema_and_the_triggers(accounts: Accounts) -> None:
    head = migrate.head_revision()
    assert accounts.upgrade_output.startswith("Created the station schema in ")
    assert f"(revision {head})" in accounts.upgrade_output
    migrator = f"{accounts.users['migrator']}@{HOST}"
    assert {name: row[0] for name, row in triggers(accounts.server, accounts.database).items()} \
        == dict.fromkeys(AUDIO_FILE_TRIGGERS, migrator)
    # every account reads the schema's state (the guard of the app and of stationd)
    for role in ROLES:
        code, out, err = stationd_cli("db", "status", "--database-url",
                                      accounts.url(role, password=False),
                                      password=accounts.passwords[role])
        assert (code, err) == (0, "")
        assert "status:   up to date; nothing to do." in out
    code, out, _ = stationd_cli("db", "upgrade", "--database-url",
                                accounts.url("migrator", password=False),
                                password=accounts.passwords["migrator"])
    assert code == 0 and "nothing to do" in out


@pytest.mark.mariadb
@pytest.mark.integration
def test_the_migrator_adopts_a_database_the_platform_made(
    accounts: Accounts, mariadb_databases: MariaDBDatabases, tmp_path: Path
) -> None:
    """The adoption path of docs/operators/database.md, with the same three accounts."""
    url = mariadb_databases.create("platform")
    name = make_url(url).database
    assert name is not None
    try:
        create_platform_database(url)  # Prisma's tables and rows, made by the platform
        made = summary(accounts.server.source_accounts(accounts.variables(database=name)))
        assert "NOT YET: the schema is missing" in made[f"{accounts.users['app']}@{HOST}"]
        migrator = accounts.url("migrator", password=False, database=name)
        password = accounts.passwords["migrator"]

        code, out, _ = stationd_cli("db", "status", "--database-url", migrator,
                                    password=password)
        assert code == 0 and "not adopted yet. Adopt them: stationd db adopt" in out
        # the command it advises names the database, never the password from the environment
        assert f"stationd db adopt --database-url 'mysql+pymysql://{accounts.users['migrator']}" \
               f"@{HOST}:" in out and password not in out
        code, out, err = stationd_cli("db", "adopt", "--upgrade", "--database-url", migrator,
                                      password=password)
        assert (code, err) == (0, "") and password not in out
        assert out.startswith("Adopted ") and \
            f"Upgraded the schema to revision {migrate.head_revision()}" in out

        again = summary(accounts.server.source_accounts(accounts.variables(database=name)))
        assert again[f"{accounts.users['app']}@{HOST}"].endswith("privileges granted")
        workspace = open_workspace(accounts.url("app", database=name), media_root=tmp_path)
        try:
            assert workspace.stations.list_stations()  # the platform's stations
        finally:
            workspace.importer.close()
            workspace.db.dispose()
    finally:
        mariadb_databases.drop(url)


@pytest.mark.mariadb
@pytest.mark.integration
def test_only_the_migrator_may_upgrade(accounts: Accounts) -> None:
    for role in ("app", "stationd"):
        engine = create_db_engine(accounts.url(role))
        try:
            for statement in ("CREATE TABLE `Scratch` (id INT PRIMARY KEY)",
                              "ALTER TABLE `AudioFile` ADD COLUMN `extra` INT",
                              "DROP TABLE `PlayHistory`",
                              "CREATE INDEX `x_idx` ON `Client` (`name`)",
                              f"DROP TRIGGER `{SEARCH_STALE_TRIGGER}`",
                              "UPDATE `alembic_version` SET version_num = '0001'"):
                with engine.connect() as conn:
                    assert refused(lambda s=statement: conn.execute(
                        text(s))) == TABLE_DENIED, (role, statement)
        finally:
            engine.dispose()


# -- the desktop app ---------------------------------------------------------------------------


def make_audio(folder: Path, title: str) -> Path:
    path = folder / f"{title.lower().replace(' ', '-')}.mp3"
    subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                    "sine=frequency=440:duration=10", "-c:a", "libmp3lame", "-b:a", "128k",
                    "-metadata", f"title={title}", "-metadata", "artist=Cuentas", str(path)],
                   check=True, timeout=60)
    return path


def changes_logged(accounts: Accounts, station_id: str) -> int:
    rows = accounts.server.query(
        f"SELECT COUNT(*) FROM `{accounts.database}`.`AudioFileChange` WHERE clientId = :id",
        id=station_id)
    return int(rows[0][0])


def stored_search_key(accounts: Accounts, track_id: str) -> bytes | None:
    rows = accounts.server.query(
        f"SELECT searchKey FROM `{accounts.database}`.`AudioFile` WHERE id = :id", id=track_id)
    return rows[0][0]


@pytest.mark.mariadb
@pytest.mark.integration
@pytest.mark.asyncio
async def test_the_app_account_does_the_apps_work(accounts: Accounts, tmp_path: Path) -> None:
    media = tmp_path / "audio"
    media.mkdir()
    workspace = open_workspace(accounts.url("app"), media_root=media)  # the schema guard
    try:
        await _app_work(accounts, workspace.db, workspace, tmp_path)
    finally:
        workspace.importer.close()
        workspace.db.dispose()


async def _app_work(accounts: Accounts, db: Database, workspace: Any, tmp_path: Path) -> None:
    fleet, stations, library = workspace.fleet, workspace.stations, workspace.library
    playlists, schedule, djs = workspace.playlists, workspace.schedule, workspace.dj_accounts

    # the fleet and the stations (an admin's work)
    server = fleet.create_server(ServerFields("VPS cuentas", "vps.example.net", capacity=4))
    server = fleet.update_server(server.id, dataclasses.replace(server.fields, region="eu"),
                                 server.version)
    assert fleet.set_liquidsoap_version(server.id, "2.1.3").liquidsoap_version == "2.1.3"
    station = stations.create_station(StationFields("Radio Cuentas", "Europe/Madrid"))
    station = stations.update_station(station.id, StationFields("Radio Cuentas Ñ", "UTC"),
                                      station.version)
    config = stations.assign_server(station.id, server.id)
    config = stations.update_config(
        station.id, dataclasses.replace(config.settings, crossfade_duration=5.0), config.version)
    before = stations.get_live_credentials(station.id).password
    assert stations.regenerate_live_password(station.id).password != before
    control = StreamControlService(db)
    try:
        assert control.stop(station.id).settings.status == "inactive"
        assert control.start(station.id).settings.status == "active"
    finally:
        await control.aclose()
    spare = fleet.create_server(ServerFields("Spare", "spare.example.net"))
    fleet.delete_server(spare.id, spare.version)

    # the library: a real import, an edit, a status, a delete
    report = await workspace.importer.import_files(
        station.id, [make_audio(tmp_path, "Cuenta atras"), make_audio(tmp_path, "Otra")])
    assert [o.status for o in report.outcomes] == ["imported", "imported"], report.outcomes
    first, second = (library.get_track(o.track_id) for o in report.imported)
    extra = library.add_track(station.id, new_track("Extra"))
    assert library.set_status(extra.id, "error", status_message="no file").status == "error"

    # the triggers run (as their definer) on the app's AudioFile writes. The app sees them
    # (so it trusts searchKey and keeps its search text in memory); 0009's: the app's own
    # edit keeps the search columns, an edit that does not write them (as the platform's)
    # empties them, and the search stays right either way; 0011's log every change
    with db.engine.connect() as conn:
        assert sorted(conn.execute(text(
            "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS "
            "WHERE TRIGGER_SCHEMA = DATABASE()")).scalars()) == AUDIO_FILE_TRIGGERS
    assert changes_logged(accounts, station.id) >= 3  # two imports and an add_track
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE `AudioFile` SET title = 'Platform title' WHERE id = :id"),
                     {"id": second.id})
    assert stored_search_key(accounts, second.id) is None
    assert [t.id for t in library.list_tracks(station.id, search="platform").tracks] == \
        [second.id]
    first = library.update_metadata(first.id, TrackMetadata(title="Cuenta atrás",
                                                             artist="Prueba"), first.version)
    assert stored_search_key(accounts, first.id) == "Cuenta atrás\x1fPrueba\x1fcuenta-atras.mp3" \
        .encode()
    assert [t.id for t in library.list_tracks(station.id, search="atrás").tracks] == [first.id]
    # the app prunes the change log (entries older than a day)
    accounts.server.query(
        f"INSERT INTO `{accounts.database}`.`AudioFileChange` (clientId, audioFileId, at) "
        "VALUES (:client, 'gone', NOW(3) - INTERVAL 2 DAY)", client=station.id)
    before = changes_logged(accounts, station.id)
    LibraryService(db).warm_search(station.id)  # a new service prunes at once
    assert changes_logged(accounts, station.id) == before - 1

    # playlists, the schedule, DJ accounts
    morning = playlists.create_playlist(station.id, PlaylistFields("Mañanas"))
    detail = playlists.add_items(morning.id, [first.id, second.id, first.id])
    detail = playlists.reorder(morning.id, list(reversed(detail.item_ids)), detail.items_version)
    morning = playlists.update_playlist(
        morning.id, PlaylistFields("Mañanas", description="De 8 a 12"), detail.playlist.version)
    playlists.set_main(morning.id)
    block = schedule.create_block(station.id, BlockFields(morning.id, 1, "08:00", "12:00"))
    block = schedule.update_block(block.id, dataclasses.replace(block.fields, end="13:00"),
                                  block.version)
    block = schedule.set_active(block.id, False, block.version)
    schedule.delete_block(block.id, block.version)
    night = playlists.create_playlist(station.id, PlaylistFields("Noches"))
    playlists.add_items(night.id, [second.id])
    schedule.create_block(station.id, BlockFields(night.id, 5, "22:00", "02:00"))
    playlists.delete_playlist(night.id)  # with its items and its block
    dj = djs.create(station.id, "Ana", "ana")
    djs.rename(dj.account.id, "Ana B.")
    djs.set_active(dj.account.id, False)
    djs.regenerate_password(dj.account.id)
    djs.delete(djs.create(station.id, "Luis", "luis").account.id)
    library.delete_track(second.id)  # and its playlist entries
    assert [i.audio_file_id for i in playlists.get_playlist(morning.id).items] == \
        [first.id, first.id]

    # what stationd records, the app reads
    now = utcnow()
    assert workspace.stats.latest(station.id) is None
    assert workspace.stats.live_sessions(station.id) == []
    assert PlayHistoryService(db).history(station.id) == []
    assert isinstance(RollupService(db).history(station.id, now - dt.timedelta(days=30), now,
                                                dt.timedelta(days=1)), list)
    assert AlertService(db).list_alerts(server_id=server.id) == []
    assert server.id not in fleet.listeners_now()

    # and may not write it
    with db.engine.connect() as conn:
        for statement in (
            "INSERT INTO `StreamStats` (id, clientId, timestamp, listeners, peakListeners, "
            "listeners64, listeners128, listeners320, streamStatus, uptime) VALUES "
            "('x', :client, NOW(), 1, 1, 0, 1, 0, 'online', 1)",
            "DELETE FROM `Alert`", "DELETE FROM `LiveSession`", "DELETE FROM `PlayHistory`",
            "DELETE FROM `Client` WHERE id = :client",
        ):
            assert refused(lambda s=statement: conn.execute(
                text(s), {"client": station.id})) == TABLE_DENIED, statement
        assert refused(lambda: conn.execute(text("UPDATE `Alert` SET message = 'x'"))) == \
            COLUMN_DENIED


# -- stationd ----------------------------------------------------------------------------------


@pytest.fixture
def icecast() -> Iterator[RadioStack]:
    """A real Icecast (no Liquidsoap) on a free loopback port."""
    try:
        stack = RadioStack.create()
    except StackError as error:
        pytest.skip(str(error))
    try:
        stack.start_icecast()
        yield stack
    finally:
        stack.destroy()


def event(name: str, station: str, at: dt.datetime, **fields: str) -> str:
    """One line of a station's events.jsonl, as its Liquidsoap script appends it."""
    return json.dumps({"event": name, "station_id": station, "ts": at.timestamp(), **fields}) \
        + "\n"


@pytest.mark.mariadb
@pytest.mark.integration
@pytest.mark.asyncio
async def test_the_stationd_account_runs_the_daemon(
    accounts: Accounts, icecast: RadioStack, tmp_path: Path
) -> None:
    app, daemon = accounts.db("app"), accounts.db("stationd")
    try:
        await _daemon_work(accounts, app, daemon, icecast, tmp_path)
    finally:
        app.dispose()
        daemon.dispose()


async def _daemon_work(accounts: Accounts, app: Database, daemon: Database,
                       icecast: RadioStack, tmp_path: Path) -> None:
    # the admin's setup, with the app's account
    fleet, stations = FleetService(app), StationService(app)
    server = fleet.create_server(ServerFields("Icecast here", HOST, port=icecast.icecast_port))
    station = stations.create_station(StationFields("Radio Daemon"))
    config = stations.assign_server(station.id, server.id)
    stations.update_config(station.id, StreamSettings(mountpoint="/daemon", bitrates=(128,)),
                           config.version)
    track = LibraryService(app).add_track(station.id, new_track("On air"))
    playlist = PlaylistService(app).create_playlist(station.id, PlaylistFields("Main",
                                                                             is_main=True))
    PlaylistService(app).add_items(playlist.id, [track.id])
    dj = DjAccountService(app).create(station.id, "Marta", "marta")
    live_password = stations.get_live_credentials(station.id).password

    runner = Runner(DaemonConfig(
        source=tmp_path / "stationd.toml", database_url=daemon.url, server_id=server.id,
        paths=PathsConfig(stations_dir=tmp_path / "stations", log_dir=tmp_path / "log",
                          secrets_dir=tmp_path / "secrets", state_dir=tmp_path / "state"),
        retention=RetentionConfig(raw_days=1),
        live_auth=LiveAuthConfig(socket=tmp_path / "state" / "auth.sock"),
        supervisor=SupervisorConfig(liquidsoap=False)), daemon)
    alerts = AlertService(app)

    # samples from the real Icecast, three days ago (for the roll-ups below): the station's
    # mount has no source, so the third round raises its mount_down alert
    long_ago = utcnow() - dt.timedelta(days=3)
    for n in range(3):
        report = await runner.collector.collect_once([server.id],
                                                     at=long_ago + dt.timedelta(minutes=5 * n))
        assert report.server(server.id).ok and report.server(server.id).stored == 1
    (down,) = alerts.list_alerts(server_id=server.id)
    assert (down.kind, down.client_id, down.failures) == ("mount_down", station.id, 3)
    await runner.stats_round()  # a fourth: the open alert is touched
    assert alerts.list_alerts(server_id=server.id)[0].failures == 4
    # stopped on purpose (the app): the next round clears it
    StreamControlService(app).stop(station.id)
    await runner.stats_round()
    assert alerts.list_alerts(server_id=server.id) == []

    # Icecast stops answering (the app moves the server to a dead port): alert, offline
    dead = fleet.get_server(server.id)
    dead = fleet.update_server(server.id, dataclasses.replace(dead.fields, port=1), dead.version)
    for _ in range(3):
        await runner.stats_round()
    (outage,) = alerts.list_alerts(server_id=server.id)
    assert outage.kind == "icecast_unreachable"
    assert fleet.get_server(server.id).status == "offline"
    back = fleet.get_server(server.id)
    fleet.update_server(server.id, dataclasses.replace(back.fields, port=icecast.icecast_port,
                                                       status="offline"), back.version)
    await runner.stats_round()
    assert alerts.list_alerts(server_id=server.id) == []
    assert fleet.get_server(server.id).status == "online"
    assert alerts.acknowledge(outage.id, "Operator").acknowledged_by == "Operator"  # the app
    # a server with open alerts goes (an admin deletes it): its alerts go with it, by the
    # foreign key's cascade, though the app may not delete alerts itself
    gone = fleet.create_server(ServerFields("Retired", HOST, port=1))
    for _ in range(3):
        await runner.collector.collect_once([gone.id])
    assert [a.kind for a in alerts.list_alerts(server_id=gone.id)] == ["icecast_unreachable"]
    fleet.delete_server(gone.id)
    assert alerts.list_alerts(open_only=False, server_id=gone.id) == []

    # live sessions and play history, from the events file Liquidsoap appends to
    start = utcnow() - dt.timedelta(minutes=10)
    events = tmp_path / "stations" / station.id / "events.jsonl"
    events.parent.mkdir(parents=True, exist_ok=True)
    events.write_text(
        event("live_connect", station.id, start, user="marta", dj_name="Marta")
        + event("track", station.id, start + dt.timedelta(seconds=1), title="Live set",
                artist="Marta", kind="live")
        + event("track", station.id, start + dt.timedelta(minutes=5), title="On air",
                artist="Cuentas", audio_id=track.id, playlist_id=playlist.id, kind="music")
        + event("live_disconnect", station.id, start + dt.timedelta(minutes=5)))
    await runner.events_round()
    (session,) = StatsService(app).live_sessions(station.id)
    assert session.dj_name == "Marta" and session.end is not None
    played = PlayHistoryService(app).history(station.id)
    assert [(p.title, p.ended_at is not None) for p in played] == \
        [("On air", False), ("Live set", True)]

    # the programme export and the live logins: reads only
    await runner.export_round()
    programme = json.loads((events.parent / "programme.json").read_text())
    assert programme
    checker = LiveAuthChecker(daemon, server.id)
    assert checker.check(station.id, "source", live_password).result == "accept"
    assert checker.check(station.id, "marta", dj.password).result == "accept"
    assert checker.check(station.id, "marta", "wrong").result == "refuse"

    # roll-ups, then retention deletes the raw samples older than a day
    await runner.rollup_round()
    assert runner.last_rollup is not None and runner.last_rollup.hourly_rows >= 1
    assert runner.last_rollup.daily_rows >= 1
    assert runner.pruned == 3
    assert StatsService(app).latest(station.id) is not None  # today's samples stay

    # what stationd must not do is refused, and changes nothing
    watched = (Client, StreamServer, StreamConfig, AudioFile, Playlist, PlaylistItem, Schedule,
               DjAccount)
    snapshot = table_snapshot(app, *watched)
    current = fleet.get_server(server.id)
    attempts: list[tuple[str, Callable[[], object], int]] = [
        ("edit a track", lambda: LibraryService(daemon).update_metadata(
            track.id, TrackMetadata(title="Hacked"), None), TABLE_DENIED),
        ("delete a track", lambda: LibraryService(daemon).delete_track(track.id),
         TABLE_DENIED),
        ("add a track", lambda: LibraryService(daemon).add_track(station.id, new_track()),
         TABLE_DENIED),
        ("rename a playlist", lambda: PlaylistService(daemon).update_playlist(
            playlist.id, PlaylistFields("Hacked"), None), TABLE_DENIED),
        ("empty a playlist", lambda: PlaylistService(daemon).delete_playlist(playlist.id),
         TABLE_DENIED),
        ("new live password", lambda: StationService(daemon).regenerate_live_password(
            station.id), TABLE_DENIED),
        ("new DJ password", lambda: DjAccountService(daemon).regenerate_password(
            dj.account.id), TABLE_DENIED),
        ("add a DJ", lambda: DjAccountService(daemon).create(station.id, "Eve", "eve"),
         TABLE_DENIED),
        ("add a station", lambda: StationService(daemon).create_station(StationFields("X")),
         TABLE_DENIED),
        ("edit a server", lambda: FleetService(daemon).update_server(
            server.id, dataclasses.replace(current.fields, host="evil.example.net"), None),
         COLUMN_DENIED),
        ("start a station", lambda: control.start(station.id), TABLE_DENIED),
    ]
    control = StreamControlService(daemon)
    try:
        for what, attempt, code in attempts:
            assert refused(attempt) == code, what
    finally:
        await control.aclose()
    assert table_snapshot(app, *watched) == snapshot


# -- running it again, changing a password -----------------------------------------------------


@pytest.mark.mariadb
@pytest.mark.integration
def test_running_the_file_again_is_harmless(accounts: Accounts) -> None:
    server = accounts.server
    grants = {role: server.grants(accounts.users[role]) for role in ROLES}
    again = summary(server.source_accounts(accounts.variables()))
    assert set(again.values()) == {
        f"kept; password unchanged; schema owner of {accounts.database}",
        "kept; password unchanged; desktop app privileges granted",
        "kept; password unchanged; stationd privileges granted",
        f"revision {migrate.head_revision()}"}
    assert {role: server.grants(accounts.users[role]) for role in ROLES} == grants
    assert all(login(accounts, role) is None for role in ROLES)

    # a new password for one account: the old one stops working, nothing else changes
    old, new = accounts.passwords["app"], secrets.token_urlsafe(18)
    changed = summary(server.source_accounts(accounts.variables(app_password=new)))
    assert changed[f"{accounts.users['app']}@{HOST}"] == \
        "kept; password set; desktop app privileges granted"
    assert login(accounts, "app", old) == ACCESS_DENIED
    assert login(accounts, "app", new) is None
    assert {role: server.grants(accounts.users[role]) for role in ROLES} == grants
    # the file clears the password variables: a later SOURCE in the same session keeps it
    session = (f"SET @database = {sql_literal(accounts.database)}, "
               + ", ".join(f"@{r}_user = {sql_literal(accounts.users[r])}, @{r}_host = '{HOST}'"
                           for r in ROLES)
               + f", @app_password = {sql_literal(old)};\n"
               f"SOURCE {ACCOUNTS_SQL}\nSOURCE {ACCOUNTS_SQL}\n"
               "SELECT @app_password IS NULL, @s IS NULL;\n")
    result = server.client("--batch", "--raw", stdin=session)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.decode().splitlines()[-1] == "1\t1"
    assert login(accounts, "app", old) is None  # back to the fixture's password


# -- backups -----------------------------------------------------------------------------------


def checksums(server: Server, database: str) -> dict[str, int]:
    rows = server.query("CHECKSUM TABLE " + ", ".join(
        f"`{database}`.`{table}`" for table in [*Base.metadata.tables, "alembic_version"]))
    return {name.split(".", 1)[1]: value for name, value in rows}


@pytest.mark.mariadb
@pytest.mark.integration
def test_a_dump_restores_into_a_fresh_database(
    accounts: Accounts, mariadb_databases: MariaDBDatabases, tmp_path: Path
) -> None:
    """The backup and restore commands of docs/operators/database.md."""
    server = accounts.server
    app = accounts.db("app")
    try:
        station = StationService(app).create_station(StationFields("Radio Backup"))
        track = LibraryService(app).add_track(station.id, new_track("Backed up"))
    finally:
        app.dispose()
    dump = tmp_path / "radio.sql"
    with dump.open("wb") as out:
        result = server.client("--single-transaction", "--routines", "--triggers",
                               "--hex-blob", accounts.database, tool="mariadb-dump",
                               stdout=out)
    assert result.returncode == 0, result.stderr.decode()
    restored_url = mariadb_databases.create("restored")
    restored = make_url(restored_url).database
    assert restored is not None
    try:
        result = server.client(restored, stdin=dump.read_bytes())
        assert result.returncode == 0, result.stderr.decode()
        assert checksums(server, restored) == checksums(server, accounts.database)
        # the triggers came along, with their definer
        assert triggers(server, restored) == triggers(server, accounts.database)

        # grants are per database: the accounts reach the copy once accounts.sql ran for it
        assert login_to(accounts, "app", restored) == DB_ACCESS_DENIED
        rerun = summary(server.source_accounts(accounts.variables(database=restored)))
        assert rerun[f"{accounts.users['app']}@{HOST}"].endswith("privileges granted")
        code, out, _ = stationd_cli(
            "db", "status", "--database-url",
            accounts.url("migrator", password=False, database=restored),
            password=accounts.passwords["migrator"])
        assert code == 0 and "status:   up to date; nothing to do." in out
        copy = Database(accounts.url("app", database=restored))
        try:
            edited = LibraryService(copy).update_metadata(track.id, TrackMetadata(title="Again"),
                                                          None)
            assert edited.title == "Again"  # the triggers ran, as the migrator
            with copy.engine.begin() as conn:
                conn.execute(text("UPDATE `AudioFile` SET title = 'X' WHERE id = :id"),
                             {"id": track.id})
                assert conn.execute(text("SELECT searchKey FROM `AudioFile` WHERE id = :id"),
                                    {"id": track.id}).scalar() is None
        finally:
            copy.dispose()
    finally:
        mariadb_databases.drop(restored_url)


def login_to(accounts: Accounts, role: str, database: str) -> int | None:
    try:
        pymysql.connect(host=HOST, port=accounts.server.port, user=accounts.users[role],
                        password=accounts.passwords[role].encode(), database=database).close()
    except pymysql.err.OperationalError as error:
        return int(error.args[0])
    return None


# -- the triggers' definer ---------------------------------------------------------------------


def triggers(server: Server, database: str) -> dict[str, tuple[Any, ...]]:
    """name -> (definer, timing, event, body) of the database's triggers."""
    rows = server.query(
        "SELECT TRIGGER_NAME, DEFINER, ACTION_TIMING, EVENT_MANIPULATION, ACTION_STATEMENT "
        "FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = :db", db=database)
    return {row[0]: tuple(row[1:]) for row in rows}


def run_triggers_file(server: Server, database: str, user: str, password: str) -> str:
    result = server.client("--batch", "--raw", database, user=user, password=password,
                           stdin=TRIGGERS_SQL.read_bytes())
    assert result.returncode == 0, result.stderr.decode()
    return str(result.stdout.decode())


@pytest.mark.mariadb
@pytest.mark.integration
def test_the_triggers_move_to_another_account_before_their_definer_goes(
    accounts: Accounts,
) -> None:
    server, migrator = accounts.server, f"{accounts.users['migrator']}@{HOST}"
    original = triggers(server, accounts.database)
    assert sorted(original) == AUDIO_FILE_TRIGGERS
    assert {row[0] for row in original.values()} == {migrator}
    app = accounts.db("app")
    try:
        station = StationService(app).create_station(StationFields("Radio Trigger"))
        track = LibraryService(app).add_track(station.id, new_track("Trigger"))

        # a second migrator account (accounts.sql with another name), the triggers on it
        other, other_password = f"mig2_{uuid.uuid4().hex[:6]}", secrets.token_urlsafe(18)
        created = summary(server.source_accounts(accounts.variables(
            migrator_user=other, migrator_password=other_password)))
        assert created[f"{other}@{HOST}"].startswith("created; password set")
        try:
            out = run_triggers_file(server, accounts.database, other, other_password)
            assert f"{SEARCH_STALE_TRIGGER}\tBEFORE\tUPDATE\t{other}@{HOST}" in out
            # the same triggers (timing, event, body), another definer
            assert triggers(server, accounts.database) == {
                name: (f"{other}@{HOST}", *row[1:]) for name, row in original.items()}
            # their definer gone, every write of AudioFile fails
            server.query(f"DROP USER '{other}'@'{HOST}'")
            library = LibraryService(app)
            assert refused(lambda: library.update_metadata(
                track.id, TrackMetadata(title="Refused"), None)) == DEFINER_MISSING
            assert refused(lambda: library.add_track(station.id, new_track())) == \
                DEFINER_MISSING
            assert refused(lambda: library.delete_track(track.id)) == DEFINER_MISSING
        finally:
            server.query(f"DROP USER IF EXISTS '{other}'@'{HOST}'")
        # the fix: the file again, as an account that exists
        run_triggers_file(server, accounts.database, accounts.users["migrator"],
                          accounts.passwords["migrator"])
        assert triggers(server, accounts.database) == original
        assert LibraryService(app).update_metadata(
            track.id, TrackMetadata(title="Works"), None).title == "Works"
        # and locking the migrator between upgrades does not stop the triggers
        server.query(f"ALTER USER '{accounts.users['migrator']}'@'{HOST}' ACCOUNT LOCK")
        try:
            assert login(accounts, "migrator") == ACCOUNT_LOCKED
            assert LibraryService(app).update_metadata(
                track.id, TrackMetadata(title="Locked"), None).title == "Locked"
        finally:
            server.query(f"ALTER USER '{accounts.users['migrator']}'@'{HOST}' ACCOUNT UNLOCK")
    finally:
        app.dispose()


# -- binary logging ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def binlog_server() -> Iterator[Server]:
    """A second throwaway MariaDB with binary logging on, as on a replicated server."""
    if shutil.which("mariadbd") is None:
        pytest.skip("no mariadbd")
    server = ThrowawayMariaDB.create()
    server.extra_args = (f"--log-bin={server.directory / 'data' / 'binlog'}", "--server-id=1")
    try:
        server.start()
        yield Server(server.admin_url)
    finally:
        server.destroy()


@pytest.mark.mariadb
@pytest.mark.integration
def test_with_binary_logging_triggers_need_log_bin_trust_function_creators(
    binlog_server: Server, caplog: pytest.LogCaptureFixture
) -> None:
    server = binlog_server
    assert server.query("SELECT @@log_bin, @@log_bin_trust_function_creators") == [(1, 0)]
    server.query("CREATE DATABASE radio CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    password = secrets.token_urlsafe(18)
    made = summary(server.source_accounts({
        "database": "radio", "migrator_host": HOST, "app_host": HOST, "stationd_host": HOST,
        "migrator_password": password}))
    assert made[f"station_migrator@{HOST}"] == "created; password set; schema owner of radio"
    url = f"mysql://station_migrator@{HOST}:{server.port}/radio"

    code, out, _ = stationd_cli("db", "upgrade", "--database-url", url, password=password)
    assert code == 0 and "Created the station schema" in out  # the upgrade goes on...
    assert "Could not create trigger AudioFile_search_stale" in caplog.text  # ...without them
    assert "Could not create the triggers of AudioFileChange" in caplog.text
    assert "You do not have the SUPER privilege and binary logging is enabled" in caplog.text
    assert triggers(server, "radio") == {}

    # the documented fix: allow it, then add the triggers with triggers.sql
    server.query("SET GLOBAL log_bin_trust_function_creators = 1")
    run_triggers_file(server, "radio", "station_migrator", password)
    assert {name: row[0] for name, row in triggers(server, "radio").items()} == \
        dict.fromkeys(AUDIO_FILE_TRIGGERS, f"station_migrator@{HOST}")
