"""Start, stop, skip and watch a station's stream.

The seed's control and status API: ``POST /api/stream/start`` and ``/stop``
(:meth:`StreamControlService.start`, :meth:`~StreamControlService.stop`),
``POST /api/stream/skip`` (:meth:`~StreamControlService.skip`), ``GET /api/stream/status``
(:meth:`~StreamControlService.status`) and ``GET /api/stream/now-playing``
(:meth:`~StreamControlService.now_playing`).

Start and stop set the *desired* state, they do not touch Liquidsoap
-----------------------------------------------------------------------
:meth:`~StreamControlService.start` and :meth:`~StreamControlService.stop` only write
``StreamConfig.status`` (``"active"`` / ``"inactive"``) in one transaction. stationd's
supervisor on the station's server enforces it: it starts the station's Liquidsoap process
(rendered script, exported programme) for an active station and stops the process of an
inactive one; Icecast's fallback file keeps listeners connected meanwhile. Why not stop
the outputs over telnet (``out<kbps>.stop``, which the rendered script registers)? Stopping
an ``output.icecast`` with ``%mp3`` that way can crash Liquidsoap 2.1.3 (a LAME
"Internal buffer inconsistency" assertion when it races a track change, see
``control/liquidsoap.py``), and a desired state in the database also survives a reboot of
the server, a restart of stationd and a desktop that is closed.

Status comes from the running programs
--------------------------------------
:meth:`~StreamControlService.status` asks Liquidsoap (telnet: ``version``, ``uptime``,
``live.status``, ``out<highest kbps>.metadata``) and Icecast (``/status-json.xsl``, or
``/admin/stats`` when an admin password is known) at the same time, each with its own
time limit; one that does not answer leaves an entry in ``errors`` and does not hide the
other's answer. Whether a DJ is live is read from ``live.status``, never guessed from the
output's metadata (which lags a live takeover by the harbor's buffer). Reads from the
database run in a worker thread, so the event loop (the UI under qasync) never waits on SQL.

Reaching Liquidsoap
-------------------
Liquidsoap's telnet listens on the server's loopback and has no authentication. A
:class:`LiquidsoapConnector` opens a client for a station's telnet port:
:class:`SshConnector` (the default) goes through one SSH tunnel per (server, telnet port)
when the server has an SSH user, and connects directly otherwise; :class:`DirectConnector`
always connects directly (stationd on the server itself, or a private network).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, Protocol, TypeVar, runtime_checkable

from sqlalchemy import select

from station_desktop.control.errors import ControlTimeout, ControlUnreachable
from station_desktop.control.icecast import IcecastClient, MountStats
from station_desktop.control.liquidsoap import (
    LiquidsoapClient,
    LiquidsoapCommandFailed,
    LiveStatus,
    TrackMetadata,
)
from station_desktop.control.render.icecast import station_mounts
from station_desktop.control.tunnel import SshTunnel
from station_desktop.db.engine import Database
from station_desktop.db.models import Client, StreamConfig, row_version
from station_desktop.errors import StationError
from station_desktop.services._common import get_row
from station_desktop.services.fleet import FleetService, ServerRecord
from station_desktop.services.stations import StreamConfigRecord, settings_of
from station_desktop.services.stats import NowPlaying

log = logging.getLogger("station_desktop.services.stream_control")

ACTIVE: Final = "active"
INACTIVE: Final = "inactive"
LIVE_HARBOR_ID: Final = "live"  # input.harbor(id="live") in the rendered script
PART_TIMEOUT_S: Final = 5.0
LIQUIDSOAP: Final = "liquidsoap"
ICECAST: Final = "icecast"
_MUSIC_KINDS = ("music", "jingle", "safety")

T = TypeVar("T")


# -- results ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OnAirNowPlaying(NowPlaying):
    """What is on air now, asked of the running programs (not of the last sample).

    Extends :class:`~station_desktop.services.stats.NowPlaying` (``song``, ``at`` = when
    it was asked, ``stream_status`` online/offline/unknown). ``source`` says where the
    title came from: ``"liquidsoap"`` (the highest output's metadata), ``"icecast"``
    (the mount's title, when Liquidsoap did not tell) or ``"none"``. While a DJ is
    live, the title is the DJ's own metadata if they send some, else None.
    """

    title: str | None = None
    artist: str | None = None
    live: bool = False
    source: str = "none"
    audio_id: str | None = None  # the AudioFile id of an AutoDJ track
    request_id: int | None = None  # Liquidsoap's request id: changes with every track


@dataclass(frozen=True, slots=True)
class StreamStatus:
    """A station's stream as its programs report it right now.

    A value is None when the program that knows it did not answer (see ``errors``, keyed
    by part: ``"liquidsoap"``, ``"icecast"``).
    """

    client_id: str
    desired: str  # StreamConfig.status: "active", "inactive" or "error"
    checked_at: dt.datetime
    liquidsoap_answered: bool
    liquidsoap_version: str | None
    liquidsoap_uptime: dt.timedelta | None
    live_input_enabled: bool
    live_connected: bool | None
    live_address: str | None
    icecast_answered: bool
    online: bool | None  # at least one of the station's mounts has a source
    mounts_online: tuple[str, ...]
    listeners: int | None
    listeners_by_bitrate: Mapping[int, int]  # kbps -> listeners (every configured bitrate)
    listeners_by_mount: Mapping[str, int]  # mount -> listeners (every configured mount)
    now_playing: OnAirNowPlaying
    errors: Mapping[str, str] = field(default_factory=dict)

    @property
    def running(self) -> bool:
        """Liquidsoap answered (its process is up)."""
        return self.liquidsoap_answered


# -- reaching Liquidsoap ------------------------------------------------------------------


class LiquidsoapConnector(Protocol):
    """Opens a client for the Liquidsoap telnet port ``telnet_port`` of ``server``."""

    def connect(
        self, server: ServerRecord, telnet_port: int
    ) -> AbstractAsyncContextManager[LiquidsoapClient]: ...


@runtime_checkable
class _Closable(Protocol):
    async def close(self) -> None: ...


class DirectConnector:
    """Connects straight to ``server.host:telnet_port`` (or ``host``, when given: e.g.
    ``"127.0.0.1"`` for stationd on the server itself). Only for the same host or a private
    network: Liquidsoap's telnet has no authentication."""

    def __init__(
        self, *, host: str | None = None, connect_timeout: float = 3.0,
        command_timeout: float = PART_TIMEOUT_S,
    ) -> None:
        self.host = host
        self.connect_timeout = connect_timeout
        self.command_timeout = command_timeout

    @asynccontextmanager
    async def connect(self, server: ServerRecord, telnet_port: int
                      ) -> AsyncIterator[LiquidsoapClient]:
        async with LiquidsoapClient(
            self.host or server.host, telnet_port, connect_timeout=self.connect_timeout,
            command_timeout=self.command_timeout,
        ) as client:
            yield client

    async def close(self) -> None:
        """Nothing to close (a client lives for one ``connect`` block)."""


class TunnelLike(Protocol):
    """What :class:`SshConnector` needs of a tunnel (:class:`SshTunnel` fits)."""

    @property
    def local_port(self) -> int: ...
    async def open(self) -> None: ...
    async def close(self) -> None: ...


TunnelFactory = Callable[[ServerRecord, int], TunnelLike]
_TunnelKey = tuple[str, int]  # (server id, telnet port)
_TunnelIdentity = tuple[str, int, str]  # (host, ssh port, ssh user)


class SshConnector:
    """Through an SSH tunnel when ``server.ssh_user`` is set, directly otherwise.

    Tunnels are opened on first use and kept (one per server and telnet port: an
    :class:`SshTunnel` forwards a single port); one whose SSH connection died is opened
    again once; a server whose host, SSH port or user changed gets a new tunnel.
    :meth:`close` closes them all. Host keys are always checked (``known_hosts``).
    """

    def __init__(
        self,
        *,
        client_keys: Sequence[str | Path] | None = None,
        passphrase: str | None = None,
        known_hosts: str | Path | None = None,
        connect_timeout: float = 5.0,
        command_timeout: float = PART_TIMEOUT_S,
        direct: DirectConnector | None = None,
        tunnel_factory: TunnelFactory | None = None,
    ) -> None:
        self.client_keys = client_keys
        self.passphrase = passphrase
        self.known_hosts = known_hosts
        self.connect_timeout = connect_timeout
        self.command_timeout = command_timeout
        self._direct = direct or DirectConnector(
            connect_timeout=min(connect_timeout, 3.0), command_timeout=command_timeout)
        self._factory = tunnel_factory or self._ssh_tunnel
        self._tunnels: dict[_TunnelKey, tuple[_TunnelIdentity, TunnelLike]] = {}
        self._lock = asyncio.Lock()

    def _ssh_tunnel(self, server: ServerRecord, telnet_port: int) -> TunnelLike:
        assert server.ssh_user is not None
        return SshTunnel(
            server.host, username=server.ssh_user, ssh_port=server.ssh_port or 22,
            client_keys=self.client_keys, passphrase=self.passphrase,
            known_hosts=self.known_hosts, remote_host="127.0.0.1", remote_port=telnet_port,
            connect_timeout=self.connect_timeout,
        )

    @property
    def open_tunnels(self) -> int:
        return len(self._tunnels)

    @asynccontextmanager
    async def connect(self, server: ServerRecord, telnet_port: int
                      ) -> AsyncIterator[LiquidsoapClient]:
        if not server.ssh_user:
            async with self._direct.connect(server, telnet_port) as direct:
                yield direct
            return
        client = await self._through_tunnel(server, telnet_port)
        try:
            yield client
        finally:
            await client.close()

    async def _through_tunnel(self, server: ServerRecord, telnet_port: int) -> LiquidsoapClient:
        for attempt in (1, 2):
            tunnel = await self._tunnel(server, telnet_port)
            client = LiquidsoapClient(
                "127.0.0.1", tunnel.local_port, connect_timeout=self.connect_timeout,
                command_timeout=self.command_timeout)
            try:
                await client.connect()
            except ControlUnreachable:
                # The tunnel's SSH connection is gone (its local listener with it).
                await self._forget(server.id, telnet_port)
                if attempt == 2:
                    raise
                continue
            return client
        raise AssertionError("unreachable")  # pragma: no cover

    async def _tunnel(self, server: ServerRecord, telnet_port: int) -> TunnelLike:
        assert server.ssh_user is not None
        key = (server.id, telnet_port)
        identity = (server.host, server.ssh_port or 22, server.ssh_user)
        async with self._lock:
            known = self._tunnels.get(key)
            if known is not None and known[0] == identity:
                return known[1]
            if known is not None:
                del self._tunnels[key]
                await known[1].close()
            tunnel = self._factory(server, telnet_port)
            await tunnel.open()
            self._tunnels[key] = (identity, tunnel)
            return tunnel

    async def _forget(self, server_id: str, telnet_port: int) -> None:
        async with self._lock:
            known = self._tunnels.pop((server_id, telnet_port), None)
        if known is not None:
            await known[1].close()

    async def close(self) -> None:
        async with self._lock:
            tunnels = [tunnel for _identity, tunnel in self._tunnels.values()]
            self._tunnels.clear()
        for tunnel in tunnels:
            await tunnel.close()


# -- the service ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Target:
    """Where a station runs, read from the database in one go."""

    client_id: str
    station_name: str
    desired: str
    server: ServerRecord
    telnet_port: int
    live_input_enabled: bool
    mounts: tuple[tuple[int, str], ...]  # (kbps, mount), lowest first
    admin_password: str | None

    @property
    def output_id(self) -> str:
        """The highest bitrate's output: its metadata is what listeners hear."""
        return f"out{self.mounts[-1][0]}"

    @property
    def telnet_peer(self) -> str:
        host = self.server.host
        return f"[{host}]:{self.telnet_port}" if ":" in host else f"{host}:{self.telnet_port}"

    @property
    def icecast_url(self) -> str:
        host = self.server.host
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.server.port}"


@dataclass
class _LiquidsoapReport:
    version: str | None = None
    uptime: dt.timedelta | None = None
    live: LiveStatus | None = None
    track: TrackMetadata | None = None
    answered: bool = False
    problems: list[str] = field(default_factory=list)


@dataclass
class _IcecastReport:
    mounts: list[MountStats] | None = None
    problems: list[str] = field(default_factory=list)


class StreamControlService:
    """See the module docstring. ``icecast_admin_password(server)`` (e.g. from the
    keyring; called in a worker thread) lets :meth:`status` read ``/admin/stats``; without
    it (or when it returns None) the public ``/status-json.xsl`` is read."""

    def __init__(
        self,
        db: Database,
        *,
        connector: LiquidsoapConnector | None = None,
        icecast_admin_password: Callable[[ServerRecord], str | None] | None = None,
        part_timeout: float = PART_TIMEOUT_S,
    ) -> None:
        self._db = db
        self._fleet = FleetService(db)
        self._owns_connector = connector is None
        self._connector: LiquidsoapConnector = connector or SshConnector(
            command_timeout=part_timeout)
        self._admin_password = icecast_admin_password
        self.part_timeout = part_timeout

    async def aclose(self) -> None:
        """Close the tunnels of the connector this service made (not one passed in)."""
        if self._owns_connector and isinstance(self._connector, _Closable):
            await self._connector.close()

    # -- desired state (the database; stationd's supervisor enforces it) --------------------

    def start(self, client_id: str) -> StreamConfigRecord:
        """Mark the station to be on air: stationd starts its Liquidsoap (see module doc)."""
        return self._set_desired(client_id, ACTIVE)

    def stop(self, client_id: str) -> StreamConfigRecord:
        """Mark the station to be off air: stationd stops its Liquidsoap process (never
        ``output.stop`` over telnet, which can crash Liquidsoap 2.1.3)."""
        return self._set_desired(client_id, INACTIVE)

    def _set_desired(self, client_id: str, status: str) -> StreamConfigRecord:
        with self._db.transaction() as s:
            client = get_row(s, Client, client_id, "Station")
            row = s.scalars(
                select(StreamConfig).where(StreamConfig.clientId == client_id)
                .with_for_update().execution_options(populate_existing=True)
            ).first()
            if row is None:
                raise _unassigned(client.name)
            if row.status != status:
                row.status = status
                s.flush()
                log.info("station %s: desired state %s", client_id, status)
            return StreamConfigRecord(
                id=row.id, client_id=row.clientId, server_id=row.serverId,
                settings=settings_of(row), harbor_port=row.harborPort,
                telnet_port=row.telnetPort, version=row_version(row),
            )

    # -- what is on air -------------------------------------------------------------------

    async def status(self, client_id: str) -> StreamStatus:
        """Liquidsoap and Icecast, asked at the same time (see module doc).

        Raises only for the station itself (unknown, not assigned to a server); whatever
        goes wrong with the programs is reported in ``errors``.
        """
        target = await asyncio.to_thread(self._target, client_id)
        lq, ice = await asyncio.gather(self._ask_liquidsoap(target), self._ask_icecast(target))
        return _status(target, lq, ice, dt.datetime.now(dt.UTC))

    async def now_playing(self, client_id: str) -> OnAirNowPlaying:
        """What is on air now (the ``now_playing`` of :meth:`status`)."""
        return (await self.status(client_id)).now_playing

    async def skip(self, client_id: str) -> None:
        """End the current track now: ``out<highest kbps>.skip`` skips the source that
        every output shares, so all bitrates move on together. Raises a ControlError
        when Liquidsoap cannot be reached."""
        target = await asyncio.to_thread(self._target, client_id)

        async def skip(client: LiquidsoapClient) -> None:
            await client.skip(target.output_id)

        await self._with_liquidsoap(target, "skip", skip)
        log.info("station %s: skipped the current track", client_id)

    async def refresh_liquidsoap_version(self, client_id: str) -> ServerRecord:
        """Read ``version`` from the station's Liquidsoap and store it on its server (it
        decides the dialect the scripts are rendered in)."""
        target = await asyncio.to_thread(self._target, client_id)

        async def version(client: LiquidsoapClient) -> str:
            return ".".join(str(part) for part in (await client.version()).version)

        release = await self._with_liquidsoap(target, "version", version)
        return await asyncio.to_thread(
            self._fleet.set_liquidsoap_version, target.server.id, release)

    # -- internals --------------------------------------------------------------------------

    def _target(self, client_id: str) -> _Target:
        """Runs in a worker thread: database reads and the secret store."""
        with self._db.read() as s:
            client = get_row(s, Client, client_id, "Station")
            config = s.scalars(select(StreamConfig).where(StreamConfig.clientId == client_id)
                               ).first()
            if config is None or config.telnetPort is None:
                raise _unassigned(client.name)
            settings = settings_of(config)
            name, server_id, telnet_port = client.name, config.serverId, config.telnetPort
        if not settings.bitrates:
            raise StationError(f"Station {name!r} has no bitrate configured, so it has no "
                               "mount to watch; choose at least one bitrate.")
        server = self._fleet.get_server(server_id)
        password = self._admin_password(server) if self._admin_password else None
        return _Target(
            client_id=client_id, station_name=name, desired=settings.status, server=server,
            telnet_port=telnet_port, live_input_enabled=settings.live_input_enabled,
            mounts=tuple(station_mounts(settings.mountpoint, settings.bitrates)),
            admin_password=password,
        )

    async def _with_liquidsoap(
        self, target: _Target, what: str, action: Callable[[LiquidsoapClient], Awaitable[T]]
    ) -> T:
        """Run ``action`` on a client of the station's Liquidsoap, within the time limit."""
        try:
            async with asyncio.timeout(self.part_timeout), self._connector.connect(
                target.server, target.telnet_port
            ) as client:
                return await action(client)
        except TimeoutError:
            raise ControlTimeout("Liquidsoap", target.telnet_peer, repr(what),
                                 self.part_timeout) from None

    async def _ask_liquidsoap(self, target: _Target) -> _LiquidsoapReport:
        report = _LiquidsoapReport()

        async def optional(call: Callable[[], Awaitable[T]]) -> T | None:
            try:
                return await call()
            except LiquidsoapCommandFailed as exc:  # the script lacks it: keep the rest
                report.problems.append(str(exc))
                return None

        try:
            async with asyncio.timeout(self.part_timeout), self._connector.connect(
                target.server, target.telnet_port
            ) as client:
                report.version = (await client.version()).text
                report.answered = True
                report.uptime = await optional(client.uptime)
                if target.live_input_enabled:
                    report.live = await optional(lambda: client.live_status(LIVE_HARBOR_ID))
                report.track = await optional(lambda: client.now_playing(target.output_id))
        except TimeoutError:
            report.problems.append(str(ControlTimeout(
                "Liquidsoap", target.telnet_peer, "the status questions", self.part_timeout)))
        except (StationError, OSError) as exc:
            report.problems.append(str(exc))
        return report

    async def _ask_icecast(self, target: _Target) -> _IcecastReport:
        report = _IcecastReport()
        server = target.server
        try:
            async with asyncio.timeout(self.part_timeout), IcecastClient(
                target.icecast_url, admin_user=server.icecast_admin_user or "admin",
                admin_password=target.admin_password or "", timeout=self.part_timeout,
            ) as icecast:
                if target.admin_password:
                    report.mounts = (await icecast.server_stats()).mounts
                else:
                    report.mounts = await icecast.public_status()
        except TimeoutError:
            report.problems.append(str(ControlTimeout(
                "Icecast", target.icecast_url, "the status page", self.part_timeout)))
        except (StationError, OSError) as exc:
            report.problems.append(str(exc))
        return report


def _unassigned(name: str) -> StationError:
    return StationError(
        f"Station {name!r} is not assigned to a server yet, so it has no stream to start, "
        "stop or watch: an admin must assign it to a server first (Stations > Assign server)."
    )


def _status(target: _Target, lq: _LiquidsoapReport, ice: _IcecastReport,
            at: dt.datetime) -> StreamStatus:
    by_mount: dict[str, int] = {}
    by_bitrate: dict[int, int] = {}
    online_mounts: list[str] = []
    icecast_title: str | None = None
    if ice.mounts is not None:
        found = {m.mount: m for m in ice.mounts}
        for bitrate, mount in target.mounts:
            stats = found.get(mount)
            count = stats.listeners if stats is not None else 0
            by_mount[mount] = count
            by_bitrate[bitrate] = by_bitrate.get(bitrate, 0) + count
            if stats is not None:
                online_mounts.append(mount)
        top = found.get(target.mounts[-1][1])
        icecast_title = top.title if top is not None else None
        if icecast_title is None:  # the highest mount is down: any other title will do
            icecast_title = next((found[m].title for m in reversed(online_mounts)
                                  if found[m].title), None)
    online = bool(online_mounts) if ice.mounts is not None else None
    live_connected = (lq.live.connected if lq.live is not None
                      else (False if lq.answered and not target.live_input_enabled else None))
    errors = {part: " ".join(problems) for part, problems in
              ((LIQUIDSOAP, lq.problems), (ICECAST, ice.problems)) if problems}
    return StreamStatus(
        client_id=target.client_id,
        desired=target.desired,
        checked_at=at,
        liquidsoap_answered=lq.answered,
        liquidsoap_version=lq.version,
        liquidsoap_uptime=lq.uptime,
        live_input_enabled=target.live_input_enabled,
        live_connected=live_connected,
        live_address=lq.live.address if lq.live is not None else None,
        icecast_answered=ice.mounts is not None,
        online=online,
        mounts_online=tuple(online_mounts),
        listeners=sum(by_mount.values()) if ice.mounts is not None else None,
        listeners_by_bitrate=by_bitrate,
        listeners_by_mount=by_mount,
        now_playing=_now_playing(lq.track, bool(live_connected), icecast_title, online, at),
        errors=errors,
    )


def _song(title: str | None, artist: str | None) -> str | None:
    if title and artist:
        return f"{artist} - {title}"
    return title or artist or None


def _now_playing(track: TrackMetadata | None, live: bool, icecast_title: str | None,
                 online: bool | None, at: dt.datetime) -> OnAirNowPlaying:
    stream_status = "unknown" if online is None else ("online" if online else "offline")
    if track is not None and (track.title or track.artist):
        kind = track.metadata.get("sd_kind", "")
        from_autodj = kind in _MUSIC_KINDS or bool(track.metadata.get("sd_audio_id"))
        # While live, a music block is what played *before* the takeover (the output's
        # metadata lags the switch): only the DJ's own metadata names what is on air.
        if not (live and from_autodj):
            return OnAirNowPlaying(
                song=_song(track.title, track.artist), at=at, stream_status=stream_status,
                title=track.title, artist=track.artist, live=live, source=LIQUIDSOAP,
                audio_id=track.metadata.get("sd_audio_id") or None, request_id=track.rid,
            )
    if live:
        return OnAirNowPlaying(song=None, at=at, stream_status=stream_status, live=True)
    if icecast_title:  # Liquidsoap did not answer, or its block names nothing
        return OnAirNowPlaying(song=icecast_title, at=at, stream_status=stream_status,
                               title=icecast_title, source=ICECAST)
    return OnAirNowPlaying(song=None, at=at, stream_status=stream_status)
