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
from station_desktop.errors import DatabaseUnavailable
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
