"""The Collector against scripted peers: loopback fake Icecast HTTP servers that answer
status-json, garbage, HTTP errors, or nothing at all; SQLite and MariaDB.

Well-formed answers have the shape real Icecast 2.4.4 gives (see shared/docs/real-stack.md
and the alias check in daemon/collector.py): one object per mount with a source, the alias
of a station not listed.
"""

from __future__ import annotations

import datetime as dt
import json
import socket
import time
from collections.abc import AsyncIterator
from types import SimpleNamespace
from typing import Any

import pytest
import pytest_asyncio
from helpers.factories import make_station
from sqlalchemy import select
from unit.control.fake_peers import Close, Hang, HttpReply, ScriptedHttpServer, SlowBody

from station_desktop.daemon.collector import Collector, icecast_factory
from station_desktop.db.engine import Database
from station_desktop.db.models import StreamStats
from station_desktop.services.alerts import AlertService
from station_desktop.services.fleet import FleetService, ServerFields, ServerRecord
from station_desktop.services.stations import StationService, StreamSettings

pytestmark = pytest.mark.asyncio

T0 = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)
STATUS = "/status-json.xsl"


def at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def source(mount: str, listeners: int, peak: int | None = None, title: str | None = None,
           started: dt.datetime = T0 - dt.timedelta(hours=1)) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "genre": "various", "listener_peak": listeners if peak is None else peak,
        "listeners": listeners, "listenurl": f"http://127.0.0.1:8000{mount}",
        "server_type": "audio/mpeg",
        "stream_start": started.strftime("%a, %d %b %Y %H:%M:%S +0000"),
        "stream_start_iso8601": started.strftime("%Y-%m-%dT%H:%M:%S+0000"),
    }
    if title is not None:
        entry["title"] = title
    entry["dummy"] = None
    return entry


def status(*sources: dict[str, Any]) -> HttpReply:
    icestats: dict[str, Any] = {"admin": "a@localhost", "host": "127.0.0.1",
                                "server_id": "Icecast 2.4.4"}
    if len(sources) == 1:
        icestats["source"] = sources[0]
    elif sources:
        icestats["source"] = list(sources)
    icestats["dummy"] = None
    return HttpReply(200, json.dumps({"icestats": icestats}).encode(), "application/json")


@pytest_asyncio.fixture
async def peers() -> AsyncIterator[list[ScriptedHttpServer]]:
    started: list[ScriptedHttpServer] = []
    yield started
    for peer in started:
        await peer.stop()


async def scripted_peer(peers: list[ScriptedHttpServer], reply: Any) -> ScriptedHttpServer:
    peer = ScriptedHttpServer({STATUS: reply})
    await peer.start()
    peers.append(peer)
    return peer


def server_on(db: Database, port: int, name: str = "VPS", status: str = "online") -> ServerRecord:
    return FleetService(db).create_server(ServerFields(name, "127.0.0.1", port=port,
                                                       status=status))


def station_on(db: Database, server_id: str, mountpoint: str,
               bitrates: tuple[int, ...] = (64, 128), status: str = "active") -> str:
    stations = StationService(db)
    station = make_station(db, assign=False).id
    stations.assign_server(station, server_id)
    config = stations.get_config(station)
    stations.update_config(station, StreamSettings(mountpoint=mountpoint, bitrates=bitrates,
                                                   status=status), config.version)
    return station


def dead_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # closed again: nothing listens there


def rows(db: Database, station: str) -> list[SimpleNamespace]:
    """The station's stored samples, column name -> value."""
    with db.read() as s:
        found = s.execute(select(StreamStats.__table__).where(StreamStats.clientId == station)
                          .order_by(StreamStats.timestamp)).mappings().all()
        return [SimpleNamespace(**row) for row in found]


async def test_a_sample_per_station_without_counting_the_alias_twice(
    db: Database, peers: list[ScriptedHttpServer]
) -> None:
    peer = await scripted_peer(peers, status(
        source("/st-64", 2, peak=4, title="Low"),
        source("/st-128", 3, title="Artist - Song"),
        source("/st", 3, title="Artist - Song"),  # an alias, should a server list it
        source("/other-320", 7),
        source("/sd-fallback/st-128.mp3", 1),
    ))
    server = server_on(db, peer.port)
    st = station_on(db, server.id, "/st")
    other = station_on(db, server.id, "/other", (128, 320))
    silent = station_on(db, server.id, "/silent")
    collector = Collector(db, icecast_factory(timeout=2), timeout=2)

    report = await collector.collect_once(at=T0)

    line = report.server(server.id)
    assert line.ok and line.stored == 3 and line.listeners == 12
    (row,) = rows(db, st)
    assert (row.listeners, row.listeners64, row.listeners128, row.listeners320) == (5, 2, 3, 0)
    assert row.peakListeners == 5  # max(total now, highest per-mount peak 4)
    assert row.currentSong == "Artist - Song"  # the highest bitrate's title
    assert row.streamStatus == "online" and row.uptime == 3600 and row.timestamp == T0
    (row,) = rows(db, other)
    assert (row.listeners, row.listeners128, row.listeners320) == (7, 0, 7)
    assert row.currentSong is None  # no title yet
    (row,) = rows(db, silent)
    assert (row.listeners, row.streamStatus, row.uptime) == (0, "offline", 0)
    assert "3 station(s) sampled, 2 on air, 12 listener(s)" in line.summary()
    assert peer.requests[0].path == STATUS and "authorization" not in peer.requests[0].headers


@pytest.mark.parametrize("failure", ["dead", "http500", "html", "malformed", "slow", "hang",
                                     "close"])
async def test_every_kind_of_failure_counts_towards_the_threshold(
    db: Database, peers: list[ScriptedHttpServer], failure: str
) -> None:
    replies: dict[str, Any] = {
        "http500": HttpReply(500, b"oops", "text/plain"),
        "html": HttpReply(200, b"<html><body>Welcome to nginx</body></html>", "text/html"),
        "malformed": HttpReply(200, b'{"icestats": {"source": [1, 2', "application/json"),
        "slow": SlowBody(b'{"icestats": {}}', pause=0.2),
        "hang": Hang(),
        "close": Close(),
    }
    peer = None if failure == "dead" else await scripted_peer(peers, replies[failure])
    port = dead_port() if peer is None else peer.port
    server = server_on(db, port)
    st = station_on(db, server.id, "/st")
    alerts, fleet = AlertService(db), FleetService(db)
    collector = Collector(db, icecast_factory(timeout=0.5), failure_threshold=3, timeout=0.5)

    for round_ in range(2):
        report = (await collector.collect_once(at=at(round_))).server(server.id)
        assert not report.ok and report.error and report.consecutive_failures == round_ + 1
        assert alerts.list_alerts() == [] and fleet.get_server(server.id).status == "online"
    third = (await collector.collect_once(at=at(2))).server(server.id)
    assert third.alert_raised and third.status_changed_to == "offline"
    (alert,) = alerts.list_alerts()
    assert (alert.server_id, alert.client_id, alert.kind, alert.severity, alert.failures) == (
        server.id, None, "icecast_unreachable", "critical", 3)
    assert "3 times in a row" in alert.message and "Check that Icecast is running" in alert.message
    assert fleet.get_server(server.id).status == "offline"
    await collector.collect_once(at=at(3))
    (alert,) = alerts.list_alerts()
    assert alert.failures == 4 and alert.last_seen_at == at(3)
    assert rows(db, st) == []  # no data is not zero listeners


async def test_recovery_clears_the_alert_and_sets_online(
    db: Database, peers: list[ScriptedHttpServer]
) -> None:
    peer = await scripted_peer(peers, HttpReply(503, b"", "text/plain"))
    server = server_on(db, peer.port)
    station_on(db, server.id, "/st")
    alerts, fleet = AlertService(db), FleetService(db)
    collector = Collector(db, icecast_factory(timeout=1), failure_threshold=2, timeout=1)
    for minute in range(2):
        await collector.collect_once(at=at(minute))
    assert fleet.get_server(server.id).status == "offline"

    peer.routes[STATUS] = status(source("/st-128", 1))
    report = (await collector.collect_once(at=at(2))).server(server.id)

    assert report.ok and report.alert_cleared and report.status_changed_to == "online"
    assert alerts.list_alerts() == []
    (closed,) = alerts.list_alerts(open_only=False)
    assert closed.cleared_at == at(2)
    assert fleet.get_server(server.id).status == "online"
    assert collector.failures(server.id) == 0


async def test_a_restart_resets_the_counters_but_still_clears_open_alerts(
    db: Database, peers: list[ScriptedHttpServer]
) -> None:
    peer = await scripted_peer(peers, Close())
    server = server_on(db, peer.port)
    first = Collector(db, icecast_factory(timeout=1), failure_threshold=2, timeout=1)
    for minute in range(2):
        await first.collect_once(at=at(minute))
    assert len(AlertService(db).list_alerts()) == 1

    restarted = Collector(db, icecast_factory(timeout=1), failure_threshold=2, timeout=1)
    report = (await restarted.collect_once(at=at(2))).server(server.id)
    assert report.consecutive_failures == 1 and not report.alert_raised  # counted afresh
    assert AlertService(db).list_alerts()[0].failures == 2  # the open alert is untouched

    peer.routes[STATUS] = status()
    report = (await restarted.collect_once(at=at(3))).server(server.id)
    assert report.alert_cleared and report.status_changed_to == "online"
    assert AlertService(db).list_alerts() == []


async def test_maintenance_is_never_overwritten(
    db: Database, peers: list[ScriptedHttpServer]
) -> None:
    peer = await scripted_peer(peers, Close())
    server = server_on(db, peer.port, status="maintenance")
    collector = Collector(db, icecast_factory(timeout=1), failure_threshold=1, timeout=1)
    report = (await collector.collect_once(at=T0)).server(server.id)
    assert report.alert_raised and report.status_changed_to is None
    peer.routes[STATUS] = status()
    report = (await collector.collect_once(at=at(1))).server(server.id)
    assert report.alert_cleared and report.status_changed_to is None
    assert FleetService(db).get_server(server.id).status == "maintenance"


async def test_mount_down_after_n_checks_and_cleared_when_back(
    db: Database, peers: list[ScriptedHttpServer]
) -> None:
    peer = await scripted_peer(peers, status(source("/other-128", 1)))
    server = server_on(db, peer.port)
    st = station_on(db, server.id, "/st")
    stopped = station_on(db, server.id, "/stopped", status="inactive")
    alerts = AlertService(db)
    collector = Collector(db, icecast_factory(timeout=1), failure_threshold=2, timeout=1)

    await collector.collect_once(at=at(0))
    assert alerts.list_alerts() == []
    report = (await collector.collect_once(at=at(1))).server(server.id)
    assert report.mount_down == ("/st",)  # not the inactive station
    (alert,) = alerts.list_alerts()
    assert (alert.client_id, alert.kind, alert.severity) == (st, "mount_down", "warning")
    assert "/st has no stream" in alert.message
    assert alerts.list_alerts(client_id=stopped) == []

    peer.routes[STATUS] = status(source("/st-64", 2))
    report = (await collector.collect_once(at=at(2))).server(server.id)
    assert report.mount_down == () and alerts.list_alerts() == []
    assert FleetService(db).get_server(server.id).status == "online"  # a station, not a server


async def test_a_server_that_never_answers_does_not_delay_the_others(
    db: Database, peers: list[ScriptedHttpServer]
) -> None:
    hanging = await scripted_peer(peers, Hang())
    good = await scripted_peer(peers, status(source("/fast-128", 4)))
    slow_server = server_on(db, hanging.port, "Stuck VPS")
    good_server = server_on(db, good.port, "Good VPS")
    fast = station_on(db, good_server.id, "/fast", (128,))
    station_on(db, slow_server.id, "/stuck", (128,))
    timeout = 1.5
    collector = Collector(db, icecast_factory(timeout=timeout), timeout=timeout)

    started = time.monotonic()
    report = await collector.collect_once(at=T0)
    wall = time.monotonic() - started

    assert wall < timeout + 1.0, wall  # one time limit for the round, not one per server
    stuck, fine = report.server(slow_server.id), report.server(good_server.id)
    assert not stuck.ok and "did not answer" in (stuck.error or "")
    assert stuck.seconds >= timeout * 0.9
    assert fine.ok and fine.seconds < 0.8, fine.seconds  # stored long before the other gave up
    assert [r.listeners for r in rows(db, fast)] == [4]


async def test_only_the_servers_asked_for(db: Database, peers: list[ScriptedHttpServer]) -> None:
    peer = await scripted_peer(peers, status())
    wanted = server_on(db, peer.port, "A")
    server_on(db, dead_port(), "B")
    report = await Collector(db, icecast_factory(timeout=1), timeout=1).collect_once([wanted.id])
    assert [s.server_id for s in report.servers] == [wanted.id] and report.failures == 0
