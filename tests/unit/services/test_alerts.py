"""AlertService: one open alert per (server, station, kind), clear, list, acknowledge;
SQLite and MariaDB."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers.factories import make_station
from sqlalchemy import func, select

from station_desktop.db.engine import Database
from station_desktop.db.models import Alert
from station_desktop.errors import NotFound, ValidationError
from station_desktop.services.alerts import MAX_MESSAGE, AlertService
from station_desktop.services.fleet import FleetService, ServerFields

T0 = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)


def at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def alert_rows(db: Database) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(Alert)) or 0)


@pytest.fixture
def alerts(db: Database) -> AlertService:
    return AlertService(db)


def test_repeated_failures_touch_one_open_alert(db: Database, alerts: AlertService) -> None:
    station = make_station(db)
    assert station.server_id is not None
    first = alerts.raise_or_touch(station.server_id, None, "icecast_unreachable", "critical",
                                  "down", at=at(0), failures=3)
    again = alerts.raise_or_touch(station.server_id, None, "icecast_unreachable", "critical",
                                  "still down", at=at(1))

    assert again.id == first.id and again.is_open
    assert (again.failures, again.raised_at, again.last_seen_at) == (4, at(0), at(1))
    assert again.message == "still down"
    assert alert_rows(db) == 1
    # another kind, or the same kind for a station, is a separate alert
    other = alerts.raise_or_touch(station.server_id, station.id, "mount_down", "warning",
                                  "no mount", at=at(1))
    assert other.id != first.id and alert_rows(db) == 2


def test_clear_closes_and_the_next_failure_opens_a_new_alert(
    db: Database, alerts: AlertService
) -> None:
    server = make_station(db).server_id
    assert server is not None
    assert alerts.clear(server, None, "icecast_unreachable") is None  # nothing open
    first = alerts.raise_or_touch(server, None, "icecast_unreachable", "critical", "x",
                                  at=at(0))
    cleared = alerts.clear(server, None, "icecast_unreachable", at=at(5))
    assert cleared is not None and cleared.id == first.id and cleared.cleared_at == at(5)
    assert not cleared.is_open
    assert alerts.clear(server, None, "icecast_unreachable") is None

    second = alerts.raise_or_touch(server, None, "icecast_unreachable", "critical", "y",
                                   at=at(6))
    assert second.id != first.id and second.failures == 1
    assert [a.id for a in alerts.list_alerts()] == [second.id]
    assert [a.id for a in alerts.list_alerts(open_only=False)] == [second.id, first.id]


def test_list_filters_by_server_and_station(db: Database, alerts: AlertService) -> None:
    a, b = make_station(db), make_station(db)
    assert a.server_id and b.server_id
    on_a = alerts.raise_or_touch(a.server_id, None, "icecast_unreachable", "critical", "a",
                                 at=at(0))
    on_b = alerts.raise_or_touch(b.server_id, b.id, "mount_down", "warning", "b", at=at(1))
    assert [x.id for x in alerts.list_alerts(server_id=a.server_id)] == [on_a.id]
    assert [x.id for x in alerts.list_alerts(client_id=b.id)] == [on_b.id]
    assert [x.id for x in alerts.list_alerts(limit=1)] == [on_b.id]  # newest first
    with pytest.raises(ValidationError):
        alerts.list_alerts(limit=0)


def test_acknowledge_keeps_the_first(db: Database, alerts: AlertService) -> None:
    server = make_station(db).server_id
    assert server is not None
    alert = alerts.raise_or_touch(server, None, "icecast_unreachable", "critical", "x")
    acked = alerts.acknowledge(alert.id, "ana", at=at(3))
    assert (acked.acknowledged_by, acked.acknowledged_at) == ("ana", at(3))
    assert alerts.acknowledge(alert.id, "bob").acknowledged_by == "ana"
    assert acked.is_open  # acknowledged is not cleared
    with pytest.raises(NotFound):
        alerts.acknowledge("nope", "ana")
    with pytest.raises(ValidationError):
        alerts.acknowledge(alert.id, "  ")


def test_refusals_and_long_messages(db: Database, alerts: AlertService) -> None:
    station = make_station(db)
    server = station.server_id
    assert server is not None
    with pytest.raises(ValidationError, match="Severity"):
        alerts.raise_or_touch(server, None, "mount_down", "fatal", "x")
    with pytest.raises(ValidationError, match="kind"):
        alerts.raise_or_touch(server, None, "Mount Down!", "warning", "x")
    with pytest.raises(ValidationError, match="message"):
        alerts.raise_or_touch(server, None, "mount_down", "warning", " \n ")
    with pytest.raises(NotFound, match="Server"):
        alerts.raise_or_touch("nope", None, "mount_down", "warning", "x")
    with pytest.raises(NotFound, match="Station"):
        alerts.raise_or_touch(server, "nope", "mount_down", "warning", "x")
    with pytest.raises(ValidationError):
        alerts.raise_or_touch(server, None, "mount_down", "warning", "x",
                              at=dt.datetime(2026, 1, 1))  # naive
    long = alerts.raise_or_touch(server, None, "mount_down", "warning",
                                 "line one\nline two " + "é" * 5000)
    assert len(long.message) == MAX_MESSAGE and long.message.endswith("\u2026")
    assert "\n" not in long.message and long.message.startswith("line one line two é")


def test_alerts_go_with_their_server(db: Database, alerts: AlertService) -> None:
    fleet = FleetService(db)
    server = fleet.create_server(ServerFields("Empty VPS", "empty.example.net"))
    alerts.raise_or_touch(server.id, None, "icecast_unreachable", "critical", "x")
    fleet.delete_server(server.id)
    assert alert_rows(db) == 0
