"""``stationd run``: the daemon's periodic jobs on one asyncio loop.

- **stats** (every ``intervals.stats`` s): one :class:`~station_desktop.daemon.collector.
  Collector` round for this server. Samples the database could not take (it is down) go
  to the on-disk :class:`~station_desktop.daemon.buffer.SampleBuffer`; every round first
  replays the buffer (oldest first). While the database is down the round still reads
  Icecast, with the server's stations as last read from the database; that plan is also
  saved to ``<state_dir>/plan.json`` whenever it is read, so a stationd started while the
  database is down still samples (:mod:`~station_desktop.daemon.plan`).
- **events** (every ``intervals.events`` s): each station's ``events.jsonl`` →
  :class:`~station_desktop.daemon.events.LiveSessionRecorder` and
  :class:`~station_desktop.daemon.events.PlayHistoryRecorder`; the read offset is
  committed only after the database took every event of the batch.
- **export** (every ``intervals.export`` s): each station's programme
  (:meth:`~station_desktop.services.broadcast.BroadcastService.export_programme`), so
  playlist and schedule edits reach the picker within that time.
- **supervise** (every ``intervals.supervise`` s, when ``[supervisor]`` runs anything):
  :class:`~station_desktop.daemon.supervisor.Supervisor` starts and stops each station's
  Liquidsoap as its desired state says (with the last plan while the database is down),
  restarts crashed ones, and looks after Icecast if configured.
- **rollup** (at start, to catch up, then every ``intervals.rollup`` s): hourly and daily
  roll-ups of this server's stations (:class:`~station_desktop.services.rollups.
  RollupService`), from the hour of the oldest sample replayed from the buffer since the
  last run (samples written late), then deletion of raw samples older than
  ``retention.raw_days`` days (0: kept for ever) that are rolled up.

With ``[live_auth]`` enabled, the runner also serves harbor logins from the database on
a unix socket (:mod:`~station_desktop.daemon.live_auth`); if the socket cannot be
created, that is logged and the pickers use the exported hashes.

Every round runs to its end: a stop request is seen between rounds only, so no
transaction is ever cancelled half-way (:meth:`Runner.run` waits for the rounds in flight,
then returns). Every exception is logged and the loop goes on. A database that cannot be
reached is logged once per outage (and once when it is back; a round that began before
another found the database working again is no new outage), the events and export jobs
back off (doubling, up to ``backoff_cap``) while it is down; the stats job keeps its pace,
since its samples are buffered. Scheduling is monotonic: round *n* is due at
``start + n * interval`` (missed ticks are skipped, not bunched). All database work runs in
threads (``asyncio.to_thread``).

With ``alerts.webhook_url`` set, newly raised and cleared alerts (Icecast unreachable, a
station's mounts down, a process crashing again and again, and the database itself being
unreachable, which cannot be stored as an alert while it lasts) are POSTed as a small
JSON document ``{source, state, kind, server_id, station_id, message, at}``; a failing
webhook is logged, never fatal.

On SIGTERM the loops finish their rounds, the supervised processes are left running (the
next stationd adopts them, so a restart never drops a stream), the login socket is closed
and removed.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import math
import threading
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import httpx

from station_desktop.daemon.buffer import Item, SampleBuffer
from station_desktop.daemon.collector import (
    ICECAST_UNREACHABLE,
    MOUNT_DOWN,
    Collector,
    IcecastFactory,
    RoundNotStored,
    icecast_factory,
)
from station_desktop.daemon.config import DaemonConfig
from station_desktop.daemon.events import (
    EventReader,
    LiveSessionRecorder,
    PlayHistoryRecorder,
    listeners_from_samples,
)
from station_desktop.daemon.live_auth import LiveAuthChecker, LiveAuthServer
from station_desktop.daemon.plan import PlanCache
from station_desktop.daemon.supervisor import Supervisor
from station_desktop.db.engine import Database
from station_desktop.db.types import utcnow
from station_desktop.errors import (
    DatabaseBusy,
    DatabaseUnavailable,
    NotFound,
    StationError,
    ValidationError,
)
from station_desktop.services.alerts import AlertService
from station_desktop.services.broadcast import BroadcastService
from station_desktop.services.history import PlayHistoryService
from station_desktop.services.rollups import RollupReport, RollupService
from station_desktop.services.stations import StationService
from station_desktop.services.stats import StatsService

log = logging.getLogger("station_desktop.daemon.runner")

EVENTS_FILE = "events.jsonl"
DATABASE_UNREACHABLE = "database_unreachable"
WEBHOOK_TIMEOUT = 5.0

Poster = Callable[[str, dict[str, Any]], Awaitable[None]]


async def post_json(url: str, document: dict[str, Any]) -> None:
    async with httpx.AsyncClient(timeout=WEBHOOK_TIMEOUT) as client:
        response = await client.post(url, json=document)
        response.raise_for_status()


class Runner:
    def __init__(
        self,
        config: DaemonConfig,
        db: Database,
        *,
        icecast: IcecastFactory | None = None,
        buffer: SampleBuffer | None = None,
        backoff_cap: float = 60.0,
        poster: Poster | None = None,
    ) -> None:
        self.config = config
        self.server_id = config.server_id
        self.layout = config.layout()
        self.buffer = buffer or SampleBuffer(config.paths.state_dir)
        self.plan_cache = PlanCache(config.paths.state_dir)
        self.collector = Collector(
            db, icecast or icecast_factory(), failure_threshold=config.alerts.failure_threshold,
            plan_cache=self.plan_cache)
        self.backoff_cap = backoff_cap
        self._stats = StatsService(db)
        self._stations = StationService(db)
        self._broadcast = BroadcastService(db)
        self._alerts = AlertService(db)
        self._rollups = RollupService(db)
        self.supervisor = (Supervisor(config, db, self._process_alert)
                           if config.supervisor.enabled else None)
        self.live_auth = (LiveAuthServer(LiveAuthChecker(db, self.server_id),
                                         config.live_auth.socket)
                          if config.live_auth.enabled else None)
        self._late_since: dt.datetime | None = None  # oldest sample written late (replayed)
        self._late_lock = threading.Lock()
        # replays so far: a roll-up forgets _late_since only if none came during it
        self._late_writes = 0
        self.last_rollup: RollupReport | None = None
        self.pruned = 0  # raw samples deleted by retention (this process)
        self._live = LiveSessionRecorder(self._stats)
        self._history = PlayHistoryRecorder(PlayHistoryService(db),
                                            listeners_from_samples(self._stats))
        self._readers: dict[str, EventReader] = {}
        self._poster = poster or post_json
        self.db_down = False
        self._database_ok_at = -math.inf  # when a round last worked (monotonic)
        self.rounds: dict[str, int] = {"stats": 0, "events": 0, "export": 0, "supervise": 0,
                                       "rollup": 0}  # completed

    # -- the loop -------------------------------------------------------------------------

    async def run(self, stop: asyncio.Event) -> None:
        """Run until ``stop`` is set; then finish the rounds in flight and return."""
        intervals = self.config.intervals
        log.info("stationd running for server %s (database %s; stats every %gs, events "
                 "every %gs, export every %gs, roll-ups every %gs)", self.server_id,
                 self.config.shown_url, intervals.stats, intervals.events, intervals.export,
                 intervals.rollup)
        if self.live_auth is not None:
            try:
                await self.live_auth.start()
            except OSError as error:
                log.error("cannot answer live logins on %s (%s); the stations' pickers "
                          "check the exported logins instead", self.live_auth.path, error)
        jobs = [
            self._periodic("stats", intervals.stats, self.stats_round, stop, backoff=False),
            self._periodic("events", intervals.events, self.events_round, stop, backoff=True),
            self._periodic("export", intervals.export, self.export_round, stop, backoff=True),
            self._periodic("rollup", intervals.rollup, self.rollup_round, stop, backoff=True),
        ]
        if self.supervisor is not None:
            await self.supervisor.start()
            jobs.append(self._periodic("supervise", intervals.supervise, self.supervise_round,
                                       stop, backoff=False))
        try:
            await asyncio.gather(*jobs)
        finally:
            if self.supervisor is not None:
                await self.supervisor.close()
            if self.live_auth is not None:
                await self.live_auth.close()
            await asyncio.to_thread(self.buffer.close)
        log.info("stationd stopped")

    async def _periodic(self, name: str, interval: float,
                        round_: Callable[[], Awaitable[None]], stop: asyncio.Event,
                        *, backoff: bool) -> None:
        start = time.monotonic()
        tick = 0
        failures = 0
        repeated: str | None = None  # the last expected error, while it lasts
        while not stop.is_set():
            began = time.monotonic()
            try:
                await round_()
            except DatabaseUnavailable as error:
                failures += 1
                if began < self._database_ok_at:
                    # begun before another round found the database working (it came
                    # back meanwhile): stale news, not a new outage
                    log.debug("the %s round failed on the database before it came back: %s",
                              name, error)
                else:
                    await self._database_down(error)
            except StationError as error:  # expected: a clear message, no traceback
                failures += 1
                text = str(error)
                # the same problem every few seconds (a wrong server id...) is logged once
                log.log(logging.DEBUG if text == repeated else logging.ERROR,
                        "the %s round failed: %s", name, text)
                repeated = text
            except Exception:
                failures += 1
                log.exception("the %s round failed; trying again next round", name)
            else:
                if repeated is not None:
                    log.info("the %s round works again", name)
                failures, repeated = 0, None
                self._database_ok_at = time.monotonic()
                await self._database_up()
            self.rounds[name] += 1
            now = time.monotonic()
            earliest = now  # the next tick of the grid start + k * interval from here
            if backoff and failures and self.db_down:
                earliest += min(interval * 2 ** min(failures, 30),
                                max(self.backoff_cap, interval))
            tick = max(tick + 1, math.ceil((earliest - start) / interval - 1e-9))
            timeout = start + tick * interval - now
            if timeout > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout)

    async def _database_down(self, error: DatabaseUnavailable) -> None:
        if self.db_down:
            log.debug("database still unreachable: %s", error)
            return
        self.db_down = True
        log.error("the database is unreachable: %s. Samples are kept in %s until it is "
                  "back; live events wait in the events files.", error, self.buffer.path)
        await self._notify("raised", DATABASE_UNREACHABLE, f"stationd on server "
                           f"{self.server_id} cannot reach the database: {error}")

    async def _database_up(self) -> None:
        if not self.db_down:
            return
        self.db_down = False
        log.warning("the database is reachable again")
        await self._notify("cleared", DATABASE_UNREACHABLE,
                           f"stationd on server {self.server_id} reaches the database again")

    async def _notify(self, state: str, kind: str, message: str,
                      station_id: str | None = None) -> None:
        url = self.config.alerts.webhook_url
        if not url:
            return
        document = {"source": "stationd", "state": state, "kind": kind,
                    "server_id": self.server_id, "station_id": station_id,
                    "message": message, "at": utcnow().isoformat()}
        try:
            await self._poster(url, document)
        except Exception as error:  # never fatal
            log.warning("the alert webhook failed (%s %s): %s", state, kind, error)

    # -- stats -------------------------------------------------------------------------------

    async def stats_round(self) -> None:
        drain_error: DatabaseUnavailable | None = None
        try:
            replayed = await asyncio.to_thread(self.buffer.drain, self._write_buffered)
            if replayed:
                log.info("wrote %d buffered sample(s) to the database", replayed)
        except (DatabaseUnavailable, DatabaseBusy) as error:
            drain_error = error if isinstance(error, DatabaseUnavailable) else None
            log.debug("buffered samples stay buffered: %s", error)
        round_error: DatabaseUnavailable | None = None
        try:
            report = await self.collector.collect_once([self.server_id])
        except RoundNotStored as error:
            report, round_error = error.report, error
        if report.unstored:
            dropped = await asyncio.to_thread(self.buffer.append, list(report.unstored))
            log.info("buffered %d sample(s) the database did not take%s",
                     len(report.unstored), f" ({dropped} oldest dropped)" if dropped else "")
        for server in report.servers:
            if server.ok:
                log.info("%s", server.summary())
            else:
                log.warning("%s", server.summary())
            if server.alert_raised and server.consecutive_failures == \
                    self.collector.failure_threshold:
                await self._notify("raised", ICECAST_UNREACHABLE, server.summary())
            if server.alert_cleared:
                await self._notify("cleared", ICECAST_UNREACHABLE, server.summary())
            for change in server.mount_alerts:
                await self._notify(change.state, MOUNT_DOWN, change.message, change.station_id)
        failure = round_error or drain_error
        if failure is not None:
            raise failure

    def _write_buffered(self, items: Sequence[Item]) -> None:
        oldest = min(sample.timestamp for _, sample in items)
        with self._late_lock:  # its hours may be rolled up already: roll them up again
            if self._late_since is None or oldest < self._late_since:
                self._late_since = oldest
            self._late_writes += 1
        try:
            self._stats.record_samples(items)
        except (NotFound, ValidationError):
            # One sample the database will never take (its station was deleted) must not
            # block the others: write one by one, dropping the refused.
            for client_id, sample in items:
                try:
                    self._stats.record_sample(client_id, sample)
                except (NotFound, ValidationError) as error:
                    log.warning("dropping a buffered sample of %s at %s: %s", client_id,
                                sample.timestamp.isoformat(), error)

    # -- events ------------------------------------------------------------------------------

    async def events_round(self) -> None:
        await asyncio.to_thread(self._events_sync)

    def _events_sync(self) -> None:
        for config in self._stations.list_configs(self.server_id):
            station = config.client_id
            reader = self._readers.get(station)
            if reader is None:
                path = self.layout.station_dir(station) / EVENTS_FILE
                reader = self._readers[station] = EventReader(path)
            events = reader.read_new()
            for event in events:
                if event.station_id != station:
                    log.warning("ignoring an event for station %s in %s", event.station_id,
                                reader.path)
                    continue
                try:
                    self._live.apply(event)
                    self._history.apply(event)
                except (DatabaseUnavailable, DatabaseBusy):
                    raise  # not committed: the batch is read again next round
                except StationError as error:
                    log.warning("could not record a %s event of station %s: %s",
                                event.kind, station, error)
            reader.commit()

    # -- programme export ----------------------------------------------------------------------

    async def export_round(self) -> None:
        await asyncio.to_thread(self._export_sync)

    def _export_sync(self) -> None:
        for config in self._stations.list_configs(self.server_id):
            try:
                self._broadcast.export_programme(config.client_id, self.layout)
            except (DatabaseUnavailable, DatabaseBusy):
                raise
            except (StationError, OSError) as error:
                log.warning("could not export the programme of station %s: %s",
                            config.client_id, error)

    # -- supervisor ---------------------------------------------------------------------------

    async def supervise_round(self) -> None:
        """One supervisor pass with the plan from the database, else the last one."""
        assert self.supervisor is not None
        error: DatabaseUnavailable | None = None
        try:
            servers, configs = await self.collector.fetch_plan([self.server_id])
            fresh = True
        except DatabaseUnavailable as unavailable:
            error, fresh = unavailable, False
            last = await asyncio.to_thread(self.collector.last_plan, [self.server_id])
            servers, configs = last if last is not None else ([], {})
        server = next((s for s in servers if s.id == self.server_id), None)
        await self.supervisor.reconcile(server, configs.get(self.server_id, []), fresh=fresh)
        if error is not None:
            raise error

    async def _process_alert(self, state: str, kind: str, station_id: str | None,
                             message: str) -> None:
        """A supervised process crashing again and again (or healthy again): stored as an
        alert when the database answers, always logged and sent to the webhook."""
        def store() -> None:
            if state == "raised":
                self._alerts.raise_or_touch(self.server_id, station_id, kind, "critical",
                                            message)
            else:
                self._alerts.clear(self.server_id, station_id, kind)

        log.log(logging.ERROR if state == "raised" else logging.WARNING, "alert %s (%s): %s",
                state, kind, message)
        try:
            await asyncio.to_thread(store)
        except StationError as error:
            log.warning("could not store the %s alert: %s", kind, error)
        await self._notify(state, kind, message, station_id)

    # -- roll-ups and retention -------------------------------------------------------------

    async def rollup_round(self) -> None:
        await asyncio.to_thread(self._rollup_sync)

    def _rollup_sync(self) -> None:
        stations = [c.client_id for c in self._stations.list_configs(self.server_id)]
        with self._late_lock:
            since, writes = self._late_since, self._late_writes
        now = utcnow()
        report = self._rollups.roll_up(now, since=since, client_ids=stations)
        with self._late_lock:
            if self._late_writes == writes:
                self._late_since = None
        self.last_rollup = report
        if report.hourly_rows or report.daily_rows:
            log.info("rolled up %d hourly and %d daily row(s) of %d station(s)%s",
                     report.hourly_rows, report.daily_rows, len(stations),
                     f" (from {since.isoformat()}, samples written late)" if since else "")
        days = self.config.retention.raw_days
        if days:
            deleted = self._rollups.prune_raw(now - dt.timedelta(days=days),
                                              client_ids=stations)
            self.pruned += deleted
            if deleted:
                log.info("deleted %d raw sample(s) older than %d days (rolled up)", deleted,
                         days)


__all__ = ["Runner", "post_json"]
