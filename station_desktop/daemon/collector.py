"""Audience statistics and outage detection: one round over the servers' Icecasts.

:meth:`Collector.collect_once` reads each server's public ``/status-json.xsl`` once (all
servers concurrently, each under its own time limit, so a dead or slow Icecast never
delays the others), maps the mounts to the stations configured on that server, and
writes one StreamStats sample per station (:meth:`StatsService.record_samples`, one
transaction per server).

How mounts become a station's sample (``control/render/icecast.py`` names the mounts):

- every bitrate is its own mount, ``<mountpoint>-<kbps>``; the kbps comes from the mount's
  *name* (ffmpeg and some encoders send no ``ice-audio-info``, so Icecast's ``bitrate``
  field is often missing). ``listeners`` is the sum over those mounts;
  ``listeners_by_bitrate`` fills the 64/128/320 columns (other bitrates count in the total).
- the plain ``<mountpoint>`` is an Icecast ``<alias>`` of the highest-bitrate mount. Real
  Icecast 2.4.4 does **not** list an alias in status-json at all: a listener who connects
  to ``/st`` is counted on ``/st-128`` (checked: 2 listeners on ``/st`` + 1 on ``/st-128``
  show as ``/st-128`` with 3, and no ``/st`` entry). Should a plain mountpoint ever be
  listed (another server layout, a relay), it is ignored, so nobody is counted twice.
- peak: Icecast only knows a peak per mount (since that mount started), so the station's
  peak is the larger of the current total and the highest per-mount ``listener_peak``: a
  lower bound of the true simultaneous peak, never more than it.
- current song: the ``title`` of the highest-bitrate mount on air; status ``online`` when at
  least one of the station's mounts has a source (status-json lists only mounts with a
  source), else ``offline`` with zero listeners; uptime: seconds since that mount's
  ``stream_start``.

Outages. A server whose Icecast fails (cannot connect, times out, HTTP error, a document
that is not Icecast's status) counts one failure per round; no sample is written for its
stations (no data is not zero listeners). After ``failure_threshold`` consecutive failures
an ``icecast_unreachable`` critical alert is opened (then touched each round) and the
server is marked ``offline`` if it was ``online`` (a server in ``maintenance`` keeps that
status). The first success clears the alert and, if an alert was open and the server is
``offline``, marks it ``online`` again. A station whose mounts are all missing while its
Icecast answers gets a ``mount_down`` warning after the same number of consecutive rounds
(not for stations whose configuration is ``inactive``), cleared when a mount is back.

Each :class:`ServerReport` lists the ``mount_down`` alerts this round opened or cleared
(:attr:`ServerReport.mount_alerts`), so stationd can send them to its webhook like the
server alerts.

The plan (servers and their stations' configurations) is read from the database at the
start of every round; with a :class:`~station_desktop.daemon.plan.PlanCache` it is also
saved to disk, and loaded from there when the database is down from the start (a
stationd started during a database outage still samples).

The consecutive-failure counters live in this object only: restarting stationd resets
them (an Icecast that is still down needs ``failure_threshold`` new rounds to be reported
again; alerts already open stay open and are cleared by the first success, as the DB
says they are open). All database work runs in threads (``asyncio.to_thread``).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from station_desktop.control.errors import ControlError
from station_desktop.control.icecast import IcecastClient, MountStats
from station_desktop.control.render.escaping import RenderError
from station_desktop.control.render.icecast import station_mounts
from station_desktop.daemon.plan import Plan, PlanCache
from station_desktop.db.engine import Database
from station_desktop.db.types import utcnow
from station_desktop.errors import DatabaseBusy, DatabaseUnavailable, NotFound, ValidationError
from station_desktop.services.alerts import AlertService
from station_desktop.services.fleet import FleetService, ServerRecord
from station_desktop.services.stations import StationService, StreamConfigRecord
from station_desktop.services.stats import Sample, StatsService

log = logging.getLogger("station_desktop.daemon.collector")

ICECAST_UNREACHABLE = "icecast_unreachable"
MOUNT_DOWN = "mount_down"

IcecastFactory = Callable[[ServerRecord], IcecastClient]


def server_base_url(server: ServerRecord) -> str:
    host = f"[{server.host}]" if ":" in server.host else server.host
    return f"http://{host}:{server.port}"


def icecast_factory(timeout: float = 5.0, admin_password: str = "") -> IcecastFactory:
    """IcecastClients for ``http://host:port`` of each server (status-json needs no
    password; ``admin_password`` is only for admin pages)."""

    def make(server: ServerRecord) -> IcecastClient:
        return IcecastClient(server_base_url(server),
                             admin_user=server.icecast_admin_user or "admin",
                             admin_password=admin_password, timeout=timeout)

    return make


@dataclass(frozen=True, slots=True)
class StationReading:
    client_id: str
    mountpoint: str
    sample: Sample
    mounts_found: int
    mounts_expected: int


@dataclass(frozen=True, slots=True)
class MountAlert:
    """A ``mount_down`` alert this round opened (``state="raised"``) or cleared."""

    station_id: str
    mountpoint: str
    state: str  # "raised" | "cleared"
    message: str


@dataclass(frozen=True, slots=True)
class ServerReport:
    server_id: str
    server_name: str
    ok: bool  # Icecast answered with a status document
    error: str | None = None  # why not, or why its samples could not be stored
    readings: tuple[StationReading, ...] = ()
    stored: int = 0  # samples written
    consecutive_failures: int = 0
    alert_raised: bool = False
    alert_cleared: bool = False
    status_changed_to: str | None = None
    mount_down: tuple[str, ...] = ()  # stations with a mount_down alert open now
    mount_alerts: tuple[MountAlert, ...] = ()  # opened or cleared by this round
    seconds: float = 0.0  # from the start of the round until this server was done

    @property
    def listeners(self) -> int:
        return sum(r.sample.listeners for r in self.readings)

    def summary(self) -> str:
        """One line for a person (``stationd collect-once``)."""
        name = f"{self.server_name} ({self.server_id})"
        if not self.ok:
            line = (f"{name}: Icecast FAILED ({self.consecutive_failures} in a row): "
                    f"{self.error}")
        else:
            online = sum(1 for r in self.readings if r.sample.stream_status == "online")
            line = (f"{name}: {self.stored} station(s) sampled, {online} on air, "
                    f"{self.listeners} listener(s)")
            if self.error:
                line += f"; NOT STORED: {self.error}"
            if self.mount_down:
                line += f"; mounts down: {', '.join(self.mount_down)}"
        if self.alert_raised:
            line += "; alert raised"
        if self.alert_cleared:
            line += "; alert cleared"
        if self.status_changed_to:
            line += f"; server marked {self.status_changed_to}"
        return line + f" [{self.seconds:.2f} s]"


@dataclass(frozen=True, slots=True)
class CollectionReport:
    at: dt.datetime
    servers: tuple[ServerReport, ...] = field(default_factory=tuple)
    seconds: float = 0.0
    # Samples taken but not stored because the database went away (to keep and replay).
    unstored: tuple[tuple[str, Sample], ...] = ()

    @property
    def failures(self) -> int:
        return sum(1 for s in self.servers if not s.ok)

    def server(self, server_id: str) -> ServerReport:
        return next(s for s in self.servers if s.server_id == server_id)


class RoundNotStored(DatabaseUnavailable):
    """The database went away during a round: ``report`` still holds what was measured,
    with the samples it could not store in ``report.unstored``."""

    def __init__(self, error: DatabaseUnavailable, report: CollectionReport) -> None:
        super().__init__(error.message)
        self.report = report


def station_sample(
    config: StreamConfigRecord, mounts: dict[str, MountStats], at: dt.datetime
) -> StationReading:
    """A station's sample from its server's mounts (see module docstring)."""
    expected = station_mounts(config.mountpoint, config.settings.bitrates)
    present = [(kbps, mounts[path]) for kbps, path in expected if path in mounts]
    by_bitrate: dict[int, int] = {}
    for kbps, mount in present:
        by_bitrate[kbps] = by_bitrate.get(kbps, 0) + mount.listeners
    listeners = sum(by_bitrate.values())
    peak = max([listeners, *(m.listener_peak for _, m in present)])
    song: str | None = None
    uptime = 0
    if present:
        top = present[-1][1]  # station_mounts is lowest bitrate first
        song = top.title
        if top.stream_start is not None:
            started = top.stream_start
            if started.tzinfo is None:
                started = started.replace(tzinfo=dt.UTC)
            uptime = max(0, int((at - started).total_seconds()))
    sample = Sample(timestamp=at, listeners=listeners, peak_listeners=peak, current_song=song,
                    listeners_by_bitrate=by_bitrate,
                    stream_status="online" if present else "offline", uptime=uptime)
    return StationReading(config.client_id, config.mountpoint, sample, len(present),
                          len(expected))


class Collector:
    def __init__(
        self,
        db: Database,
        icecast_factory: IcecastFactory,
        *,
        failure_threshold: int = 3,
        timeout: float = 5.0,
        plan_cache: PlanCache | None = None,
    ) -> None:
        if failure_threshold < 1:
            raise ValueError("failure_threshold must be at least 1")
        self._factory = icecast_factory
        self.failure_threshold = failure_threshold
        self.timeout = timeout
        self._fleet = FleetService(db)
        self._stations = StationService(db)
        self._stats = StatsService(db)
        self._alerts = AlertService(db)
        self._failures: dict[str, int] = {}  # server id -> consecutive failures
        self._misses: dict[str, int] = {}  # station id -> consecutive rounds without mounts
        # Ids known to have no open alert of ours (after a restart: unknown, so the first
        # success asks the database).
        self._clear_servers: set[str] = set()
        self._clear_stations: set[str] = set()
        # With the database down, a round still samples Icecast with the last known plan
        # (from this process, else from the plan cache on disk).
        self._plan_cache = plan_cache
        self._last_plan: Plan | None = None
        self._last_plan_ids: tuple[str, ...] | None = None
        self._db_errors: list[DatabaseUnavailable] = []  # of the round under way
        self._unstored: list[tuple[str, Sample]] = []

    def failures(self, server_id: str) -> int:
        return self._failures.get(server_id, 0)

    async def fetch_plan(self, server_ids: Sequence[str] | None = None) -> Plan:
        """The plan read from the database now (and remembered, and saved to the plan
        cache); raises :class:`~station_desktop.errors.DatabaseUnavailable` when the
        database cannot be reached."""
        plan = await asyncio.to_thread(self._plan, server_ids)
        self._last_plan = plan
        self._last_plan_ids = _ids(server_ids)
        if self._plan_cache is not None:
            await asyncio.to_thread(self._plan_cache.save, server_ids, plan)
        return plan

    def last_plan(self, server_ids: Sequence[str] | None = None) -> Plan | None:
        """The last plan read for ``server_ids`` by this process, else the one saved on
        disk by an earlier stationd, else None."""
        if self._last_plan is not None and self._last_plan_ids == _ids(server_ids):
            return self._last_plan
        if self._plan_cache is not None:
            plan = self._plan_cache.load(server_ids)
            if plan is not None:
                self._last_plan, self._last_plan_ids = plan, _ids(server_ids)
                return plan
        return None

    async def collect_once(
        self, server_ids: Sequence[str] | None = None, at: dt.datetime | None = None
    ) -> CollectionReport:
        """One round over ``server_ids`` (default: every server). Icecast problems are
        reported, never raised. A database that cannot be reached raises
        :class:`RoundNotStored` (a :class:`~station_desktop.errors.DatabaseUnavailable`)
        after the round finished: its report keeps the samples that were not stored. With
        the database down from the start, the last plan is used (none yet: it raises)."""
        at = at or utcnow()
        started = time.monotonic()
        self._db_errors, self._unstored = [], []
        try:
            servers, configs = await self.fetch_plan(server_ids)
        except DatabaseUnavailable as error:
            last = await asyncio.to_thread(self.last_plan, server_ids)
            if last is None:
                raise
            self._db_errors.append(error)
            servers, configs = last
        results = await asyncio.gather(
            *(self._collect_server(server, configs.get(server.id, []), at, started)
              for server in servers),
            return_exceptions=True,
        )
        reports: list[ServerReport] = []
        for result in results:
            if isinstance(result, BaseException):
                raise result
            reports.append(result)
        report = CollectionReport(at, tuple(reports), time.monotonic() - started,
                                  tuple(self._unstored))
        if self._db_errors:
            raise RoundNotStored(self._db_errors[0], report)
        return report

    def _plan(self, server_ids: Sequence[str] | None) -> Plan:
        configs: dict[str, list[StreamConfigRecord]] = {}
        if server_ids is None:
            servers = self._fleet.list_servers()
            wanted = {server.id for server in servers}
            for config in self._stations.list_configs():
                if config.server_id in wanted:
                    configs.setdefault(config.server_id, []).append(config)
            return servers, configs
        # a stationd reads its own server's stations only (every few seconds)
        servers = [self._fleet.get_server(server_id) for server_id in server_ids]
        for server in servers:
            found = self._stations.list_configs(server.id)
            if found:
                configs[server.id] = found
        return servers, configs

    async def _fetch(self, server: ServerRecord) -> dict[str, MountStats]:
        async with self._factory(server) as icecast:
            mounts = await asyncio.wait_for(icecast.public_status(), self.timeout)
        return {mount.mount: mount for mount in mounts}

    async def _collect_server(
        self, server: ServerRecord, configs: list[StreamConfigRecord], at: dt.datetime,
        started: float,
    ) -> ServerReport:
        try:
            mounts = await self._fetch(server)
        except TimeoutError:
            error = f"Icecast at {server_base_url(server)} did not answer within " \
                    f"{self.timeout:g} s"
            report = await asyncio.to_thread(self._failed, server, error, at)
        except (ControlError, ValueError, OSError) as exc:
            report = await asyncio.to_thread(self._failed, server, str(exc), at)
        except Exception as exc:  # one odd server must not end the round for the others
            log.exception("server %s: unexpected error reading Icecast", server.id)
            report = await asyncio.to_thread(
                self._failed, server, f"unexpected error: {type(exc).__name__}: {exc}", at)
        else:
            report = await asyncio.to_thread(self._succeeded, server, configs, mounts, at)
        return _with_seconds(report, time.monotonic() - started)

    # -- in threads ------------------------------------------------------------------

    def _failed(self, server: ServerRecord, error: str, at: dt.datetime) -> ServerReport:
        count = self._failures.get(server.id, 0) + 1
        self._failures[server.id] = count
        log.warning("server %s (%s): Icecast failure %d of %d: %s", server.name, server.id,
                    count, self.failure_threshold, error)
        raised, status = False, None
        if count >= self.failure_threshold:
            try:
                raised, status = self._raise_outage(server, count, error, at)
            except DatabaseUnavailable as db_error:
                self._db_errors.append(db_error)
        return ServerReport(server.id, server.name, ok=False, error=error,
                            consecutive_failures=count, alert_raised=raised,
                            status_changed_to=status)

    def _raise_outage(
        self, server: ServerRecord, count: int, error: str, at: dt.datetime
    ) -> tuple[bool, str | None]:
        """The outage alert, and the server set offline; returns (raised, new status)."""
        self._alerts.raise_or_touch(
            server.id, None, ICECAST_UNREACHABLE, "critical",
            f"Icecast on {server.name} ({server_base_url(server)}) has not answered "
            f"{count} times in a row: {error} Check that Icecast is running on the "
            "server (systemctl status icecast2) and that this machine can reach its port.",
            at=at, failures=count)
        self._clear_servers.discard(server.id)
        after = self._fleet.set_status(server.id, "offline", only_if=("online",))
        changed = server.status == "online" and after.status == "offline"
        return True, "offline" if changed else None

    def _succeeded(
        self, server: ServerRecord, configs: list[StreamConfigRecord],
        mounts: dict[str, MountStats], at: dt.datetime,
    ) -> ServerReport:
        self._failures.pop(server.id, None)
        readings: list[StationReading] = []
        problems: list[str] = []
        for config in configs:
            try:
                readings.append(station_sample(config, mounts, at))
            except RenderError as exc:
                problems.append(f"station {config.client_id}: {exc}")
        try:
            return self._store(server, configs, readings, problems, at)
        except DatabaseUnavailable as error:
            # Whatever was written before the failure is written again on replay: a no-op.
            self._db_errors.append(error)
            self._unstored.extend((r.client_id, r.sample) for r in readings)
            return ServerReport(server.id, server.name, ok=True, readings=tuple(readings),
                                error=f"not stored: {error}")

    def _store(
        self, server: ServerRecord, configs: list[StreamConfigRecord],
        readings: list[StationReading], problems: list[str], at: dt.datetime,
    ) -> ServerReport:
        stored = 0
        try:
            stored = len(self._stats.record_samples(
                [(r.client_id, r.sample) for r in readings]))
        except (NotFound, ValidationError, DatabaseBusy) as exc:
            problems.append(str(exc))
        cleared, status = False, None
        if server.id not in self._clear_servers:
            if self._alerts.clear(server.id, None, ICECAST_UNREACHABLE, at=at) is not None:
                cleared = True
                after = self._fleet.set_status(server.id, "online", only_if=("offline",))
                if after.status == "online" and server.status != "online":
                    status = "online"
            self._clear_servers.add(server.id)
        down, changes = self._mount_alerts(server, configs, readings, at)
        return ServerReport(server.id, server.name, ok=True,
                            error="; ".join(problems) or None, readings=tuple(readings),
                            stored=stored, alert_cleared=cleared, status_changed_to=status,
                            mount_down=tuple(down), mount_alerts=tuple(changes))

    def _mount_alerts(
        self, server: ServerRecord, configs: list[StreamConfigRecord],
        readings: list[StationReading], at: dt.datetime,
    ) -> tuple[list[str], list[MountAlert]]:
        """The mountpoints with a ``mount_down`` alert open now, and the alerts opened
        (the round that reaches the threshold) or cleared by this round."""
        active = {c.client_id for c in configs if c.settings.status != "inactive"}
        down: list[str] = []
        changes: list[MountAlert] = []
        for reading in readings:
            station = reading.client_id
            if reading.mounts_found or station not in active:
                self._misses.pop(station, None)
                if station not in self._clear_stations:
                    if self._alerts.clear(server.id, station, MOUNT_DOWN, at=at) is not None:
                        why = ("is streaming again" if reading.mounts_found
                               else "is set inactive (stopped on purpose)")
                        changes.append(MountAlert(
                            station, reading.mountpoint, "cleared",
                            f"Station {reading.mountpoint} on {server.name} {why}."))
                    self._clear_stations.add(station)
                continue
            count = self._misses.get(station, 0) + 1
            self._misses[station] = count
            if count >= self.failure_threshold:
                message = (
                    f"Station {reading.mountpoint} has no stream on {server.name}: none "
                    f"of its {reading.mounts_expected} mount(s) has had a source for "
                    f"{count} checks in a row while Icecast answers. Check the "
                    "station's Liquidsoap (stationd check) and its log.")
                try:
                    self._alerts.raise_or_touch(server.id, station, MOUNT_DOWN, "warning",
                                                message, at=at, failures=count)
                except NotFound:  # the station was deleted during the round
                    continue
                self._clear_stations.discard(station)
                down.append(reading.mountpoint)
                if count == self.failure_threshold:
                    changes.append(MountAlert(station, reading.mountpoint, "raised", message))
        return down, changes


def _with_seconds(report: ServerReport, seconds: float) -> ServerReport:
    return replace(report, seconds=seconds)


def _ids(server_ids: Sequence[str] | None) -> tuple[str, ...] | None:
    return tuple(sorted(server_ids)) if server_ids is not None else None


__all__ = [
    "CollectionReport",
    "Collector",
    "IcecastFactory",
    "MountAlert",
    "RoundNotStored",
    "ServerReport",
    "StationReading",
    "icecast_factory",
    "station_sample",
]
