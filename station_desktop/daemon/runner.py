"""``stationd run``: the daemon's three periodic jobs on one asyncio loop.

- **stats** (every ``intervals.stats`` s): one :class:`~station_desktop.daemon.collector.
  Collector` round for this server. Samples the database could not take (it is down) go
  to the on-disk :class:`~station_desktop.daemon.buffer.SampleBuffer`; every round first
  replays the buffer (oldest first). While the database is down the round still reads
  Icecast, with the server's stations as last read from the database (after a restart
  with the database down there is nothing to go on, so nothing is sampled until it is up).
- **events** (every ``intervals.events`` s): each station's ``events.jsonl`` →
  :class:`~station_desktop.daemon.events.LiveSessionRecorder` and
  :class:`~station_desktop.daemon.events.PlayHistoryRecorder`; the read offset is
  committed only after the database took every event of the batch.
- **export** (every ``intervals.export`` s): each station's programme
  (:meth:`~station_desktop.services.broadcast.BroadcastService.export_programme`), so
  playlist and schedule edits reach the picker within that time.

Every round runs to its end: a stop request is seen between rounds only, so no
transaction is ever cancelled half-way (:meth:`Runner.run` waits for the rounds in flight,
then returns). Every exception is logged and the loop goes on. A database that cannot be
reached is logged once per outage (and once when it is back), the events and export jobs
back off (doubling, up to ``backoff_cap``) while it is down; the stats job keeps its pace,
since its samples are buffered. Scheduling is monotonic: round *n* is due at
``start + n * interval`` (missed ticks are skipped, not bunched). All database work runs in
threads (``asyncio.to_thread``).

With ``alerts.webhook_url`` set, newly raised and cleared alerts (Icecast unreachable,
and the database itself being unreachable, which cannot be stored as an alert while it
lasts) are POSTed as a small JSON document; a failing webhook is logged, never fatal.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import httpx

from station_desktop.daemon.buffer import Item, SampleBuffer
from station_desktop.daemon.collector import (
    ICECAST_UNREACHABLE,
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
from station_desktop.db.engine import Database
from station_desktop.db.types import utcnow
from station_desktop.errors import (
    DatabaseBusy,
    DatabaseUnavailable,
    NotFound,
    StationError,
    ValidationError,
)
from station_desktop.services.broadcast import BroadcastService
from station_desktop.services.fleet import ServerRecord
from station_desktop.services.history import PlayHistoryService
from station_desktop.services.stations import StationService, StreamConfigRecord
from station_desktop.services.stats import StatsService

log = logging.getLogger("station_desktop.daemon.runner")

EVENTS_FILE = "events.jsonl"
DATABASE_UNREACHABLE = "database_unreachable"
WEBHOOK_TIMEOUT = 5.0

Plan = tuple[list[ServerRecord], dict[str, list[StreamConfigRecord]]]
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
        self.collector = Collector(
            db, icecast or icecast_factory(), failure_threshold=config.alerts.failure_threshold)
        self.backoff_cap = backoff_cap
        self._stats = StatsService(db)
        self._stations = StationService(db)
        self._broadcast = BroadcastService(db)
        self._live = LiveSessionRecorder(self._stats)
        self._history = PlayHistoryRecorder(PlayHistoryService(db),
                                            listeners_from_samples(self._stats))
        self._readers: dict[str, EventReader] = {}
        self._poster = poster or post_json
        self.db_down = False
        self.rounds: dict[str, int] = {"stats": 0, "events": 0, "export": 0}  # completed

    # -- the loop -------------------------------------------------------------------------

    async def run(self, stop: asyncio.Event) -> None:
        """Run until ``stop`` is set; then finish the rounds in flight and return."""
        intervals = self.config.intervals
        log.info("stationd running for server %s (database %s; stats every %gs, events "
                 "every %gs, export every %gs)", self.server_id, self.config.shown_url,
                 intervals.stats, intervals.events, intervals.export)
        await asyncio.gather(
            self._periodic("stats", intervals.stats, self.stats_round, stop, backoff=False),
            self._periodic("events", intervals.events, self.events_round, stop, backoff=True),
            self._periodic("export", intervals.export, self.export_round, stop, backoff=True),
        )
        await asyncio.to_thread(self.buffer.close)
        log.info("stationd stopped")

    async def _periodic(self, name: str, interval: float,
                        round_: Callable[[], Awaitable[None]], stop: asyncio.Event,
                        *, backoff: bool) -> None:
        start = time.monotonic()
        tick = 0
        failures = 0
        while not stop.is_set():
            try:
                await round_()
            except DatabaseUnavailable as error:
                failures += 1
                await self._database_down(error)
            except Exception:
                failures += 1
                log.exception("the %s round failed; trying again next round", name)
            else:
                failures = 0
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
        failure = round_error or drain_error
        if failure is not None:
            raise failure

    def _write_buffered(self, items: Sequence[Item]) -> None:
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


__all__ = ["Runner", "post_json"]
