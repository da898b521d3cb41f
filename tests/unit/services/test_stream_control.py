"""StreamControlService: desired state in the database (SQLite and MariaDB), and status /
skip / version against scripted peers.

"scripted peer" tests talk over real loopback sockets to the fake Liquidsoap telnet
server and fake Icecast HTTP server of ``tests/unit/control/fake_peers.py`` (replies in the
shapes captured from Liquidsoap 2.1.3 and Icecast 2.4.4). The real programs are driven
from the database in ``tests/integration/test_on_air.py``.
"""

from __future__ import annotations

import base64
import json
import shutil
import time
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

import pytest
import pytest_asyncio
from helpers.stack import free_port
from sqlalchemy import update
from unit.control.fake_peers import (
    Action,
    Close,
    Hang,
    HttpAction,
    HttpReply,
    ScriptedHttpServer,
    ScriptedLiquidsoap,
    framed,
)

from station_desktop.control.errors import ControlError, ControlUnreachable
from station_desktop.db.engine import Database
from station_desktop.db.models import StreamConfig
from station_desktop.errors import NotFound, StationError
from station_desktop.services.fleet import FleetService, ServerFields, ServerRecord
from station_desktop.services.stations import StationFields, StationService
from station_desktop.services.stream_control import (
    DirectConnector,
    SshConnector,
    StreamControlService,
)

# -- desired state, on both databases ------------------------------------------------------


def _assigned_station(db: Database, *, host: str = "127.0.0.1", icecast_port: int = 8000,
                      ssh_user: str | None = None) -> tuple[str, str]:
    fleet, stations = FleetService(db), StationService(db)
    server = fleet.create_server(ServerFields("Local", host, icecast_port, ssh_user=ssh_user))
    station = stations.create_station(StationFields("Jazz Ñ", "Europe/Madrid"))
    config = stations.assign_server(station.id, server.id)
    stations.update_config(
        station.id, replace(config.settings, mountpoint="/jazz", bitrates=(64, 128)),
        config.version)
    return station.id, server.id


def test_stop_and_start_set_the_desired_state_in_the_database(db: Database) -> None:
    station_id, _ = _assigned_station(db)
    service = StreamControlService(db, connector=DirectConnector())
    stations = StationService(db)
    assert stations.get_config(station_id).settings.status == "active"

    stopped = service.stop(station_id)
    assert stopped.settings.status == "inactive"
    assert stations.get_config(station_id) == stopped  # stored, same version
    assert stations.get_station(station_id).stream_status == "inactive"
    assert service.stop(station_id) == stopped  # again: nothing changes

    started = service.start(station_id)
    assert started.settings.status == "active" and started.version != stopped.version
    assert stations.get_config(station_id) == started
    # the other settings are untouched
    assert started.settings == replace(stopped.settings, status="active")


def test_start_from_error_state_and_refusals(db: Database) -> None:
    station_id, _ = _assigned_station(db)
    with db.transaction() as s:
        s.execute(update(StreamConfig).where(StreamConfig.clientId == station_id)
                  .values(status="error"))
    service = StreamControlService(db, connector=DirectConnector())
    assert service.start(station_id).settings.status == "active"

    lonely = StationService(db).create_station(StationFields("Sin servidor"))
    with pytest.raises(StationError, match="not assigned to a server"):
        service.start(lonely.id)
    with pytest.raises(StationError, match="'Sin servidor' is not assigned"):
        service.stop(lonely.id)
    with pytest.raises(NotFound):
        service.start("no-such-station")


# -- status / skip against scripted peers (SQLite is enough: the logic is the programs') ----


@pytest.fixture
def sqlite_db(tmp_path: Path, _migrated_sqlite_template: Path) -> Iterator[Database]:
    path = tmp_path / "station.db"
    shutil.copy(_migrated_sqlite_template, path)
    database = Database(f"sqlite:///{path}")
    yield database
    database.dispose()


def _on_ports(db: Database, icecast_port: int, telnet_port: int, *,
              ssh_user: str | None = None) -> str:
    station_id, _ = _assigned_station(db, icecast_port=icecast_port, ssh_user=ssh_user)
    with db.transaction() as s:  # the service picks ports from fixed bases; use the fake's
        s.execute(update(StreamConfig).where(StreamConfig.clientId == station_id)
                  .values(telnetPort=telnet_port))
    return station_id


MUSIC_BLOCKS = (
    '--- 2 ---\nrid="3"\nsource="autodj"\nsd_kind="music"\nsd_audio_id="old"\n'
    'title="Earlier"\nartist="Someone"\n'
    '--- 1 ---\nrid="4"\nsource="autodj"\nsd_kind="music"\nsd_audio_id="a1"\n'
    'title="Canci\u00f3n \\"x\\" & <y> # {1+1}"\nartist="Artista \u00d1"\n'
)
DJ_BLOCKS = MUSIC_BLOCKS + '--- 0 ---\ntitle="Live Set"\nartist="DJ Ana"\n'
LIQUIDSOAP_UP: dict[str, Action] = {
    "version": framed("Liquidsoap 2.1.3"),
    "uptime": framed("0d 01h 02m 03s"),
    "live.status": framed("no source client connected"),
    "out128.metadata": framed(MUSIC_BLOCKS),
    "out128.skip": framed("Done"),
}


def _source(mount: str, listeners: int, title: str | None, port: int = 8000) -> dict[str, object]:
    source: dict[str, object] = {
        "listeners": listeners, "listener_peak": listeners, "server_type": "audio/mpeg",
        "listenurl": f"http://127.0.0.1:{port}{mount}", "dummy": None}
    if title is not None:
        source["title"] = title
    return source


def status_json(*sources: dict[str, object]) -> HttpReply:
    icestats: dict[str, object] = {"admin": "a@b", "host": "127.0.0.1", "dummy": None}
    if sources:
        icestats["source"] = list(sources) if len(sources) > 1 else sources[0]
    return HttpReply(200, json.dumps({"icestats": icestats}).encode(), "application/json")


ICECAST_UP = status_json(
    _source("/jazz-64", 2, "Artista \u00d1 - Canci\u00f3n"),
    _source("/jazz-128", 3, "Artista \u00d1 - Canci\u00f3n"),
    _source("/rock-128", 7, "Other station"),  # another station: not counted
)


@dataclass
class Peers:
    db: Database
    liquidsoap: ScriptedLiquidsoap
    icecast: ScriptedHttpServer
    station_id: str


@pytest_asyncio.fixture
async def peers(sqlite_db: Database) -> AsyncIterator[Peers]:
    liquidsoap = ScriptedLiquidsoap(LIQUIDSOAP_UP)
    icecast = ScriptedHttpServer({"/status-json.xsl": ICECAST_UP})
    await liquidsoap.start()
    await icecast.start()
    station_id = _on_ports(sqlite_db, icecast.port, liquidsoap.port)
    try:
        yield Peers(sqlite_db, liquidsoap, icecast, station_id)
    finally:
        await liquidsoap.stop()
        await icecast.stop()


def _service(peers: Peers, *, part_timeout: float = 5.0,
             icecast_admin_password: Callable[[ServerRecord], str | None] | None = None
             ) -> StreamControlService:
    return StreamControlService(peers.db, connector=DirectConnector(), part_timeout=part_timeout,
                                icecast_admin_password=icecast_admin_password)


@pytest.mark.asyncio
async def test_status_scripted_peer_both_up(peers: Peers) -> None:
    status = await _service(peers).status(peers.station_id)
    assert status.errors == {}
    assert status.desired == "active"
    assert status.liquidsoap_answered and status.running
    assert status.liquidsoap_version == "Liquidsoap 2.1.3"
    assert status.liquidsoap_uptime == timedelta(hours=1, minutes=2, seconds=3)
    assert status.live_input_enabled and status.live_connected is False
    assert status.icecast_answered and status.online is True
    assert status.mounts_online == ("/jazz-64", "/jazz-128")
    assert status.listeners_by_mount == {"/jazz-64": 2, "/jazz-128": 3}
    assert status.listeners_by_bitrate == {64: 2, 128: 3}
    assert status.listeners == 5
    playing = status.now_playing
    assert playing.title == 'Canci\u00f3n "x" & <y> # {1+1}'
    assert playing.artist == "Artista \u00d1"
    assert playing.song == 'Artista \u00d1 - Canci\u00f3n "x" & <y> # {1+1}'
    assert playing.source == "liquidsoap" and playing.audio_id == "a1"
    assert not playing.live and playing.stream_status == "online"
    assert playing.at == status.checked_at
    # the highest bitrate's output was asked, on one connection
    assert {"version", "uptime", "live.status", "out128.metadata"} <= set(
        peers.liquidsoap.commands)
    assert peers.liquidsoap.connections == 1
    assert [r.path for r in peers.icecast.requests] == ["/status-json.xsl"]
    assert "authorization" not in peers.icecast.requests[0].headers


@pytest.mark.asyncio
async def test_status_scripted_peer_icecast_down_liquidsoap_up(peers: Peers) -> None:
    await peers.icecast.stop()
    status = await _service(peers).status(peers.station_id)
    assert set(status.errors) == {"icecast"}
    assert "Cannot reach Icecast" in status.errors["icecast"]
    assert not status.icecast_answered
    assert status.online is None and status.listeners is None
    assert status.listeners_by_bitrate == {} and status.mounts_online == ()
    # Liquidsoap's answer is all there
    assert status.liquidsoap_version == "Liquidsoap 2.1.3" and status.live_connected is False
    assert status.now_playing.title == 'Canci\u00f3n "x" & <y> # {1+1}'
    assert status.now_playing.stream_status == "unknown"


@pytest.mark.asyncio
async def test_status_scripted_peer_liquidsoap_down_icecast_up(peers: Peers) -> None:
    await peers.liquidsoap.stop()
    status = await _service(peers).status(peers.station_id)
    assert set(status.errors) == {"liquidsoap"}
    assert "Cannot reach Liquidsoap" in status.errors["liquidsoap"]
    assert not status.liquidsoap_answered and status.liquidsoap_version is None
    assert status.live_connected is None  # unknown, not "no"
    assert status.listeners_by_bitrate == {64: 2, 128: 3} and status.online is True
    playing = status.now_playing
    assert playing.source == "icecast" and playing.song == "Artista \u00d1 - Canci\u00f3n"
    assert playing.title == "Artista \u00d1 - Canci\u00f3n" and playing.artist is None


@pytest.mark.asyncio
async def test_status_scripted_peer_both_down_is_offline_unknown(peers: Peers) -> None:
    await peers.liquidsoap.stop()
    await peers.icecast.stop()
    status = await _service(peers).status(peers.station_id)
    assert set(status.errors) == {"liquidsoap", "icecast"}
    assert status.now_playing.song is None and status.now_playing.source == "none"
    assert status.desired == "active"


@pytest.mark.asyncio
async def test_status_scripted_peer_mount_down_and_no_source_at_all(peers: Peers) -> None:
    peers.icecast.routes["/status-json.xsl"] = status_json(_source("/jazz-64", 1, None))
    status = await _service(peers).status(peers.station_id)
    assert status.online is True and status.mounts_online == ("/jazz-64",)
    assert status.listeners_by_mount == {"/jazz-64": 1, "/jazz-128": 0}
    peers.icecast.routes["/status-json.xsl"] = status_json()  # Icecast up, no mount at all
    status = await _service(peers).status(peers.station_id)
    assert status.online is False and status.listeners == 0
    assert status.listeners_by_bitrate == {64: 0, 128: 0}
    assert status.now_playing.stream_status == "offline"


@pytest.mark.asyncio
async def test_status_scripted_peer_live_judged_from_live_status(peers: Peers) -> None:
    peers.liquidsoap.replies["live.status"] = framed("source client connected from 10.0.0.7")
    status = await _service(peers).status(peers.station_id)
    # the output still shows the AutoDJ track (its metadata lags the takeover): not on air
    assert status.live_connected is True and status.live_address == "10.0.0.7"
    assert status.now_playing.live is True
    assert status.now_playing.title is None and status.now_playing.song is None
    # once the DJ's own metadata is on the output, it is what plays
    peers.liquidsoap.replies["out128.metadata"] = framed(DJ_BLOCKS)
    playing = await _service(peers).now_playing(peers.station_id)
    assert playing.live and (playing.title, playing.artist) == ("Live Set", "DJ Ana")
    assert playing.audio_id is None
    # the DJ left, but the block of the live set is still the last one: not live any more
    peers.liquidsoap.replies["live.status"] = framed("no source client connected")
    playing = await _service(peers).now_playing(peers.station_id)
    assert not playing.live and playing.title == "Live Set"


@pytest.mark.asyncio
async def test_status_scripted_peer_live_input_disabled_is_not_asked(peers: Peers) -> None:
    stations = StationService(peers.db)
    config = stations.get_config(peers.station_id)
    stations.update_config(peers.station_id,
                           replace(config.settings, live_input_enabled=False), config.version)
    status = await _service(peers).status(peers.station_id)
    assert status.live_connected is False and not status.live_input_enabled
    assert "live.status" not in peers.liquidsoap.commands


@pytest.mark.asyncio
async def test_status_scripted_peer_a_missing_command_keeps_the_rest(peers: Peers) -> None:
    del peers.liquidsoap.replies["live.status"]  # a script without a harbor
    status = await _service(peers).status(peers.station_id)
    assert "does not know the command 'live.status'" in status.errors["liquidsoap"]
    assert status.liquidsoap_answered and status.live_connected is None
    assert status.now_playing.title == 'Canci\u00f3n "x" & <y> # {1+1}'


@pytest.mark.asyncio
async def test_status_scripted_peer_each_part_has_its_own_time_limit(peers: Peers) -> None:
    peers.liquidsoap.replies["uptime"] = Hang()
    peers.icecast.routes["/status-json.xsl"] = Hang()
    service = _service(peers, part_timeout=0.6)
    started = time.monotonic()
    status = await service.status(peers.station_id)
    elapsed = time.monotonic() - started
    assert elapsed < 1.1, f"the parts were not asked at the same time ({elapsed:.2f} s)"
    assert "did not answer" in status.errors["liquidsoap"]
    assert "did not answer" in status.errors["icecast"]
    assert status.liquidsoap_version == "Liquidsoap 2.1.3"  # what came before the hang


@pytest.mark.asyncio
async def test_status_scripted_peer_icecast_garbage_is_an_error_not_a_crash(
    peers: Peers
) -> None:
    peers.icecast.routes["/status-json.xsl"] = HttpReply(200, b"<html>nope</html>", "text/html")
    peers.liquidsoap.replies["out128.metadata"] = framed("not a metadata line")
    status = await _service(peers).status(peers.station_id)
    assert "Unexpected reply from Icecast" in status.errors["icecast"]
    assert "Unexpected reply from Liquidsoap" in status.errors["liquidsoap"]
    assert status.liquidsoap_version == "Liquidsoap 2.1.3"


@pytest.mark.asyncio
async def test_status_scripted_peer_admin_stats_with_a_password(peers: Peers) -> None:
    stats = (
        b'<icestats><listeners>9</listeners><sources>2</sources><clients>11</clients>'
        b'<source mount="/jazz-64"><listeners>4</listeners><title>T</title></source>'
        b'<source mount="/jazz-128"><listeners>5</listeners><title>T</title></source>'
        b'</icestats>')
    peers.icecast.routes["/admin/stats"] = HttpReply(200, stats)
    asked: list[ServerRecord] = []

    def password(server: ServerRecord) -> str:
        asked.append(server)
        return "s3cret"

    status = await _service(peers, icecast_admin_password=password).status(peers.station_id)
    assert status.errors == {}
    assert status.listeners_by_bitrate == {64: 4, 128: 5}
    assert asked and asked[0].host == "127.0.0.1"
    request = peers.icecast.requests[-1]
    assert request.path == "/admin/stats"
    assert request.headers["authorization"] == "Basic " + base64.b64encode(
        b"admin:s3cret").decode()


@pytest.mark.asyncio
async def test_status_of_unassigned_or_unknown_station_is_a_clear_error(
    sqlite_db: Database
) -> None:
    lonely = StationService(sqlite_db).create_station(StationFields("Sin servidor"))
    service = StreamControlService(sqlite_db, connector=DirectConnector())
    with pytest.raises(StationError, match="'Sin servidor' is not assigned to a server"):
        await service.status(lonely.id)
    with pytest.raises(StationError, match="not assigned"):
        await service.skip(lonely.id)
    with pytest.raises(NotFound):
        await service.now_playing("nope")


@pytest.mark.asyncio
async def test_skip_scripted_peer_skips_the_highest_output(peers: Peers) -> None:
    await _service(peers).skip(peers.station_id)
    assert peers.liquidsoap.commands[0] == "out128.skip"


@pytest.mark.asyncio
async def test_skip_scripted_peer_errors_are_raised(peers: Peers) -> None:
    peers.liquidsoap.replies["out128.skip"] = Hang()
    with pytest.raises(ControlError, match="did not answer"):
        await _service(peers, part_timeout=0.5).skip(peers.station_id)
    await peers.liquidsoap.stop()
    with pytest.raises(ControlUnreachable):
        await _service(peers).skip(peers.station_id)


@pytest.mark.asyncio
async def test_refresh_liquidsoap_version_scripted_peer(peers: Peers) -> None:
    peers.liquidsoap.replies["version"] = framed("Liquidsoap 2.2.5")
    server = await _service(peers).refresh_liquidsoap_version(peers.station_id)
    assert server.liquidsoap_version == "2.2.5"
    config = StationService(peers.db).get_config(peers.station_id)
    assert FleetService(peers.db).get_server(config.server_id).liquidsoap_version == "2.2.5"


# -- connectors ------------------------------------------------------------------------------


@dataclass
class FakeTunnel:
    """Stands in for SshTunnel: its "local port" is wherever the test says."""

    port: int
    opened: int = 0
    closed: int = 0

    @property
    def local_port(self) -> int:
        return self.port

    async def open(self) -> None:
        self.opened += 1

    async def close(self) -> None:
        self.closed += 1


@pytest.mark.asyncio
async def test_ssh_connector_keeps_one_tunnel_reopens_a_dead_one_and_closes(
    peers: Peers
) -> None:
    fleet = FleetService(peers.db)
    config = StationService(peers.db).get_config(peers.station_id)
    server = fleet.get_server(config.server_id)
    fleet.update_server(server.id, replace(server.fields, host="vps.invalid", ssh_user="radio",
                                           ssh_port=2222), server.version)
    made: list[tuple[ServerRecord, int, FakeTunnel]] = []
    dead_port = free_port()

    def factory(server: ServerRecord, telnet_port: int) -> FakeTunnel:
        # the first tunnel is dead (nothing listens behind it), the next ones work
        tunnel = FakeTunnel(dead_port if not made else peers.liquidsoap.port)
        made.append((server, telnet_port, tunnel))
        return tunnel

    connector = SshConnector(tunnel_factory=factory)
    service = StreamControlService(peers.db, connector=connector)
    peers.icecast.routes["/status-json.xsl"] = ICECAST_UP
    await service.skip(peers.station_id)
    await service.skip(peers.station_id)
    assert peers.liquidsoap.commands.count("out128.skip") == 2
    assert len(made) == 2 and made[0][2].closed == 1  # the dead one was dropped, once
    assert made[1][0].ssh_user == "radio" and made[1][0].ssh_port == 2222
    assert made[1][1] == peers.liquidsoap.port  # forwards to the station's telnet port
    assert made[1][2].opened == 1 and connector.open_tunnels == 1

    # a new SSH user: a new tunnel, the old one closed
    server = fleet.get_server(server.id)
    fleet.update_server(server.id, replace(server.fields, ssh_user="other"), server.version)
    await service.skip(peers.station_id)
    assert len(made) == 3 and made[1][2].closed == 1 and connector.open_tunnels == 1

    await service.aclose()  # a connector passed in is the caller's to close
    assert made[2][2].closed == 0
    await connector.close()
    assert made[2][2].closed == 1 and connector.open_tunnels == 0


@pytest.mark.asyncio
async def test_ssh_connector_without_ssh_user_connects_directly(peers: Peers) -> None:
    def factory(_server: ServerRecord, _port: int) -> FakeTunnel:
        raise AssertionError("no tunnel without an SSH user")

    connector = SshConnector(tunnel_factory=factory)
    config = StationService(peers.db).get_config(peers.station_id)
    server = FleetService(peers.db).get_server(config.server_id)
    async with connector.connect(server, peers.liquidsoap.port) as client:
        assert (await client.version()).version == (2, 1, 3)
    await connector.close()


@pytest.mark.asyncio
async def test_direct_connector_host_override_and_default_service(peers: Peers) -> None:
    config = StationService(peers.db).get_config(peers.station_id)
    server = replace(FleetService(peers.db).get_server(config.server_id), host="vps.invalid")
    async with DirectConnector(host="127.0.0.1").connect(server, peers.liquidsoap.port) as c:
        assert (await c.uptime()) == timedelta(hours=1, minutes=2, seconds=3)
    service = StreamControlService(peers.db)  # default: SshConnector, direct without ssh_user
    status = await service.status(peers.station_id)
    assert status.errors == {}
    await service.aclose()


@pytest.mark.asyncio
async def test_status_scripted_peer_closed_connection_is_reported(peers: Peers) -> None:
    closing: Mapping[str, Action] = {"version": Close()}
    peers.liquidsoap.replies.update(closing)
    routes: Mapping[str, HttpAction] = {"/status-json.xsl": Close()}
    peers.icecast.routes.update(routes)
    status = await _service(peers).status(peers.station_id)
    assert set(status.errors) == {"liquidsoap", "icecast"}
    assert not status.liquidsoap_answered and not status.icecast_answered
