"""A database that drops the connection or is not there: clear errors, nothing half-written.

These run on the real MariaDB: the server itself kills our connection (KILL CONNECTION),
which is what a server restart, a failover or an idle timeout does to a client.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from helpers.databases import delete_all_rows
from sqlalchemy import func, select, text

from station_desktop.db.engine import Database, create_db_engine
from station_desktop.db.models import StreamServer
from station_desktop.errors import DatabaseAccessDenied, DatabaseUnavailable
from station_desktop.services.fleet import FleetService, ServerFields

pytestmark = pytest.mark.mariadb


@pytest.fixture
def maria(request: pytest.FixtureRequest) -> Iterator[Database]:
    url: str = request.getfixturevalue("_migrated_mariadb")
    delete_all_rows(url)
    db = Database(url)
    yield db
    db.dispose()


def _kill(url: object, connection_id: int) -> None:
    admin = create_db_engine(str(url))
    with admin.connect() as conn:
        conn.execute(text(f"KILL CONNECTION {int(connection_id)}"))
    admin.dispose()


def test_a_connection_killed_between_calls_is_replaced_transparently(maria: Database) -> None:
    fleet = FleetService(maria)
    fleet.create_server(ServerFields("before", "10.0.0.1"))
    with maria.read() as s:  # the pooled connection the next call would reuse
        connection_id = s.execute(text("SELECT CONNECTION_ID()")).scalar_one()
    _kill(maria.url.render_as_string(hide_password=False), connection_id)

    fleet.create_server(ServerFields("after", "10.0.0.2"))  # pre-ping replaces it: no error

    assert [s.name for s in fleet.list_servers()] == ["after", "before"]


def test_a_connection_lost_mid_transaction_saves_nothing(maria: Database) -> None:
    url = maria.url.render_as_string(hide_password=False)
    with (
        pytest.raises(DatabaseUnavailable, match="dropped the connection") as info,
        maria.transaction() as s,
    ):
        s.add(StreamServer(name="half", host="h", port=8000, capacity=1, currentLoad=0,
                           status="online"))
        s.flush()  # the INSERT reached the server, inside the open transaction
        _kill(url, s.execute(text("SELECT CONNECTION_ID()")).scalar_one())
        s.add(StreamServer(name="second", host="h", port=8000, capacity=1, currentLoad=0,
                           status="online"))
        s.flush()
    assert "Nothing was saved" in str(info.value)
    with maria.read() as s:  # the server rolled the half-done transaction back
        assert s.scalar(select(func.count()).select_from(StreamServer)) == 0
    assert FleetService(maria).list_servers() == []  # and the app works on


def test_a_server_that_is_not_there_is_a_clear_error_without_the_password() -> None:
    db = Database("mysql+pymysql://radio:s3cret@127.0.0.1:9/radio")  # nothing listens on 9
    try:
        with pytest.raises(DatabaseUnavailable) as info:
            FleetService(db).list_servers()
        message = str(info.value)
        assert "127.0.0.1:9" in message and "could not be reached" in message
        assert "s3cret" not in message
    finally:
        db.dispose()


# -- an account the database refuses ---------------------------------------------------------


@pytest.fixture
def reader(maria: Database) -> Iterator[str]:
    """A URL of an account that may only read the station database."""
    admin = create_db_engine(maria.url.render_as_string(hide_password=False))
    user = "reader_only"
    database = maria.url.database
    with admin.begin() as conn:
        conn.execute(text(f"DROP USER IF EXISTS '{user}'@'%'"))
        conn.execute(text(f"CREATE USER '{user}'@'%' IDENTIFIED BY 'r3ad-only'"))
        conn.execute(text(f"GRANT SELECT ON `{database}`.* TO '{user}'@'%'"))
    yield maria.url.set(username=user, password="r3ad-only").render_as_string(
        hide_password=False)
    with admin.begin() as conn:
        conn.execute(text(f"DROP USER IF EXISTS '{user}'@'%'"))
    admin.dispose()


def test_a_missing_privilege_is_named_not_taken_for_an_outage(reader: str) -> None:
    db = Database(reader)
    try:
        assert FleetService(db).list_servers() == []  # reading is allowed
        with pytest.raises(DatabaseAccessDenied) as info:
            FleetService(db).create_server(ServerFields("denied", "10.0.0.9"))
        message = str(info.value)
        assert "may not do this" in message and "INSERT command denied" in message
        assert "accounts.sql" in message and "r3ad-only" not in message
        assert isinstance(info.value, DatabaseUnavailable)  # stationd keeps its samples
    finally:
        db.dispose()
    assert FleetService(Database(reader)).list_servers() == []  # nothing was written


def test_a_wrong_password_is_said_as_such(reader: str) -> None:
    wrong = reader.replace("r3ad-only", "not-the-password")
    db = Database(wrong)
    try:
        with pytest.raises(DatabaseAccessDenied, match="refused the login") as info:
            FleetService(db).list_servers()
        assert "not-the-password" not in str(info.value)
    finally:
        db.dispose()
