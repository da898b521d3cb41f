"""Keep this server's programs running as the database says: each station's Liquidsoap
and, if asked, the local Icecast.

Desired state. ``StreamConfig.status`` is what the app's start/stop set
(:class:`~station_desktop.services.stream_control.StreamControlService`): a station on
this server whose status is ``inactive`` has its Liquidsoap stopped; any other status
(``active``, or the platform's ``error``) keeps it running. A station that leaves the
server (moved, deleted) is stopped. Every pass (``intervals.supervise``, 5 s by default)
reads the plan from the database; while the database is down the last plan is used
(also the one saved on disk, :mod:`~station_desktop.daemon.plan`), so a database outage
never stops a station.

Starting a station. Its script is rendered again (``BroadcastService.station_script``,
with the ``icecast-source-password`` secret) and its programme exported before the
process starts, both written atomically into the station's directory. When that is not
possible (database down, secret missing, settings that do not render) the last rendered
``station.liq`` is used, with a warning; without one the start fails (and is retried).
Before starting, the station's telnet port is tried: if something answers there, a
Liquidsoap stationd did not start is running; it is left alone (state ``external``) and
tried again every pass. With ``restart_on_change`` a running station whose configuration
(or server) changed in the database is rendered again and, only if the script text
differs (bitrates, crossfade, ports...), restarted; Icecast's fallback files keep
listeners connected meanwhile.

Processes (:mod:`~station_desktop.daemon.processes`) run in a session of their own (so a
signal reaches their children too, and a signal to stationd's group does not reach
them), with the command from the configuration (``liquidsoap_command``, with
``{script}`` and ``{station}``), stdin closed, stdout and stderr appended to
``<state_dir>/processes/<name>.log`` (rotated to ``.log.1`` past 5 MiB), and an
environment without stationd's credentials. Stopping sends SIGTERM, then SIGKILL after
``stop_grace`` seconds.

Restarting stationd does not drop a stream. When stationd exits (SIGTERM, ``systemctl
restart stationd``, or killed) its Liquidsoaps and a ``process``-mode Icecast keep
running; the desired state in the database is the only way to stop a station. At its
next start stationd *adopts* them from their pid files (pid, kernel start time and
``/proc/<pid>/cmdline`` must all match what was recorded, so a reused pid is never
taken; stale pid files are removed) instead of starting second copies: an adopted
process is watched by polling ``/proc`` and stopped, or restarted when its script (or the
configured command) changed, like any other. Its status says ``adopted``. A Liquidsoap
whose station is no longer on this server (or set inactive) is stopped at the first pass
with a plan; with no plan at all (database down, nothing saved) adopted processes just
keep running.

Crashes. A process that exits while it should run is started again after a back-off
(``backoff_initial`` doubling up to ``backoff_max``; back to the start once it has run for
``stable_after`` seconds). ``crash_alert_count`` crashes (or failed starts) within
``crash_alert_window`` seconds raise a ``liquidsoap_crashing`` / ``icecast_crashing``
alert (database and webhook), cleared once the process has stayed up for
``stable_after`` seconds or is stopped on purpose. Nothing here ever raises into the
daemon: a failed start is logged, counted and retried.

Icecast (``icecast`` = ``off``, default, ``process`` or ``restart-command``).
Icecast 2.4.4 segfaults in a few percent of starts when mounts have fallback files
(icecast/README.md). ``process``: stationd runs ``icecast_command`` itself and restarts
it like a Liquidsoap. ``restart-command``: Icecast is someone else's (e.g. systemd's
``icecast2.service``); stationd asks its status page every pass and, after
``alerts.failure_threshold`` failures in a row, runs ``icecast_restart_command`` (e.g.
``systemctl restart icecast2``), backing off between restarts. ``off``: Icecast is left
alone (run it under systemd with ``Restart=on-failure``).

Status. Every change (and, while nothing changes, once a minute) is written to
``<state_dir>/supervisor.json`` (atomically), which ``stationd check`` reads to tell what
the supervisor sees.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import datetime as dt
import hashlib
import json
import logging
import os
import shlex
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from station_desktop.control.errors import ControlError
from station_desktop.control.icecast import IcecastClient
from station_desktop.control.render.escaping import RenderError
from station_desktop.daemon.collector import server_base_url
from station_desktop.daemon.config import SOURCE_SECRET, DaemonConfig, SupervisorConfig
from station_desktop.daemon.processes import (
    ICECAST_CRASHING,
    AlertHook,
    Clock,
    Launch,
    PidRecord,
    ProcessStatus,
    Supervised,
    alive,
    describe,
    find_adoptable,
    port_open,
    run_command,
    safe_name,
)
from station_desktop.db.engine import Database
from station_desktop.db.types import utcnow
from station_desktop.errors import DatabaseBusy, DatabaseUnavailable, StationError
from station_desktop.fileio import write_atomically, write_if_changed
from station_desktop.services.broadcast import SCRIPT_FILE, BroadcastService
from station_desktop.services.fleet import ServerRecord
from station_desktop.services.stations import StreamConfigRecord

log = logging.getLogger("station_desktop.daemon.supervisor")

STATUS_FILE = "supervisor.json"
STATUS_FORMAT = "stationd/supervisor-status"
STATUS_HEARTBEAT_S = 60.0
PROCESS_DIR = "processes"
ICECAST_PROBE_TIMEOUT_S = 3.0
INACTIVE: Final = "inactive"


class IcecastRestarter:
    """``icecast = "restart-command"``: run a command when Icecast stops answering."""

    def __init__(
        self, policy: SupervisorConfig, threshold: int, directory: Path,
        on_alert: AlertHook, on_change: Callable[[], None], clock: Clock = time.monotonic,
    ) -> None:
        self.policy = policy
        self.threshold = threshold
        self.log_path = directory / "icecast-restart.log"
        self.failures = 0
        self.restarts = 0
        self.state = "unknown"  # unknown | answering | failing | restarting
        self.last_error: str | None = None
        self._on_alert = on_alert
        self._on_change = on_change
        self._clock = clock
        self._since = utcnow()
        self._next_allowed = 0.0
        self._consecutive = 0
        self._recent: collections.deque[float] = collections.deque()
        self._alert_open = False

    def _set(self, state: str) -> None:
        if state != self.state:
            self.state, self._since = state, utcnow()
            self._on_change()

    async def check(self, server: ServerRecord) -> None:
        url = server_base_url(server)
        try:
            async with IcecastClient(url, admin_user=server.icecast_admin_user or "admin",
                                     admin_password="",
                                     timeout=ICECAST_PROBE_TIMEOUT_S) as icecast:
                await asyncio.wait_for(icecast.public_status(), ICECAST_PROBE_TIMEOUT_S)
        except (ControlError, ValueError, OSError, TimeoutError) as error:
            self.failures += 1
            self.last_error = f"Icecast at {url} does not answer: {describe(error)}"
            self._set("failing")
            if self.failures >= self.threshold and self._clock() >= self._next_allowed:
                await self._restart(url)
            return
        if self.failures:
            log.info("Icecast at %s answers again", url)
        self.failures, self._consecutive, self.last_error = 0, 0, None
        self._set("answering")
        if self._alert_open:
            self._alert_open = False
            await self._on_alert("cleared", ICECAST_CRASHING, None,
                                 f"Icecast at {url} answers again.")

    async def _restart(self, url: str) -> None:
        command = list(self.policy.icecast_restart_command)
        self._consecutive += 1
        self.restarts += 1
        now = self._clock()
        delay = min(self.policy.backoff_initial * 2 ** min(self._consecutive - 1, 30),
                    self.policy.backoff_max)
        self._next_allowed = now + max(delay, self.policy.backoff_initial)
        self._recent.append(now)
        while self._recent and self._recent[0] < now - self.policy.crash_alert_window:
            self._recent.popleft()
        self._set("restarting")
        log.warning("%s %d times in a row: running %s", self.last_error, self.failures,
                    shlex.join(command))
        result = await run_command(command, self.log_path)
        log.log(logging.INFO if result == "exit code 0" else logging.WARNING,
                "the Icecast restart command ended: %s", result)
        if len(self._recent) >= self.policy.crash_alert_count and not self._alert_open:
            self._alert_open = True
            await self._on_alert(
                "raised", ICECAST_CRASHING, None,
                f"Icecast at {url} stopped answering and was restarted {len(self._recent)} "
                f"times in {self.policy.crash_alert_window:g} s ({shlex.join(command)}; "
                f"last: {result}). Read {self.log_path} and Icecast's error.log.")

    def status(self) -> ProcessStatus:
        wait = max(0.0, self._next_allowed - self._clock()) if self.failures else None
        return ProcessStatus(
            name="icecast", kind="icecast", label="Icecast (restarted by command)",
            station_id=None, desired=True, state=self.state, pid=None, adopted=False,
            since=self._since.isoformat(), restarts=self.restarts,
            crashes_in_window=len(self._recent), last_exit=None, last_error=self.last_error,
            next_start_in=round(wait, 1) if wait is not None else None,
            log=str(self.log_path))


class Supervisor:
    """All of this server's supervised programs (see module docstring)."""

    def __init__(
        self, config: DaemonConfig, db: Database, on_alert: AlertHook,
        *, clock: Clock = time.monotonic,
    ) -> None:
        self.config = config
        self.policy = config.supervisor
        self.layout = config.layout()
        self.directory = config.paths.state_dir / PROCESS_DIR
        self.status_path = config.paths.state_dir / STATUS_FILE
        self._broadcast = BroadcastService(db)
        self._secrets = config.secrets()
        self._on_alert = on_alert
        self._clock = clock
        self.stations: dict[str, Supervised] = {}
        # station -> (config version, server version): last seen in the database, and what
        # its script was last rendered from
        self._seen: dict[str, tuple[str, str]] = {}
        self._rendered: dict[str, tuple[str, str]] = {}
        self._telnet_ports: dict[str, int | None] = {}
        self._last_status: tuple[object, ...] | None = None
        self._status_written = 0.0
        self.icecast: Supervised | None = None
        self.icecast_restarter: IcecastRestarter | None = None
        self.plan_from: str = "none"  # "database" | "saved plan" | "none"
        if self.policy.icecast == "process":
            self.icecast = self._supervised(
                "icecast", "icecast", "Icecast", prepare=self._prepare_icecast)
        elif self.policy.icecast == "restart-command":
            self.icecast_restarter = IcecastRestarter(
                self.policy, config.alerts.failure_threshold, self.directory, on_alert,
                self._changed, clock)
        self._write_status()

    def _supervised(self, name: str, kind: str, label: str, *,
                    prepare: Callable[[], Awaitable[Launch]], station_id: str | None = None,
                    occupied: Callable[[], Awaitable[bool]] | None = None) -> Supervised:
        return Supervised(name, kind, label, prepare=prepare, policy=self.policy,
                          directory=self.directory, on_change=self._changed,
                          on_alert=self._on_alert, station_id=station_id,
                          occupied=occupied, clock=self._clock)

    # -- lifecycle ---------------------------------------------------------------------

    async def start(self) -> None:
        """Adopt what an earlier stationd left running, then start (or watch) Icecast
        (``process`` mode; it needs no database). The adopted Liquidsoaps wait for the
        first pass with a plan, which tells whether they should run."""
        self.directory.mkdir(parents=True, exist_ok=True)
        records = await asyncio.to_thread(find_adoptable, self.directory)
        for record in records.values():
            process = self._adoptee(record)
            if process is None:
                log.warning("%s (pid %d) was started by an earlier stationd, but this one "
                            "does not supervise it ([supervisor] in %s): it is left running, "
                            "unsupervised", record.label, record.pid, self.config.source)
                with contextlib.suppress(OSError):
                    (self.directory / f"{record.name}.pid").unlink()
                continue
            process.adopt(record)
        if self.icecast is not None:
            self.icecast.start()
            await self._restart_if_command_changed(self.icecast,
                                                   list(self.policy.icecast_command))
        self._write_status()

    def _adoptee(self, record: PidRecord) -> Supervised | None:
        """Who takes over ``record``'s process; None when this configuration does not
        supervise it."""
        if record.kind == "icecast" and record.name == "icecast":
            return self.icecast
        if record.kind != "liquidsoap" or record.station_id is None \
                or not self.policy.liquidsoap:
            return None
        process = self._station_process(record.station_id, record.label)
        if process.name != record.name:  # not a pid file this stationd wrote
            return None
        self.stations[record.station_id] = process
        return process

    async def close(self) -> None:
        """Stop watching (stationd is exiting): every process keeps running, for the next
        stationd to adopt."""
        processes = [*self.stations.values(), *([self.icecast] if self.icecast else [])]
        await asyncio.gather(*(p.detach() for p in processes))
        running = [f"{p.label} (pid {p.process.pid})" for p in processes
                   if p.process is not None and p.process.running()]
        if running:
            log.info("leaving running, for the next stationd to adopt: %s",
                     "; ".join(running))
        self._write_status(stopping=True)

    # -- one pass -------------------------------------------------------------------------

    async def reconcile(
        self, server: ServerRecord | None, configs: Sequence[StreamConfigRecord],
        *, fresh: bool,
    ) -> None:
        """Bring the processes in line with ``configs`` (this server's stations). ``fresh``:
        the plan was read from the database just now (not a saved one)."""
        self.plan_from = "database" if fresh else ("saved plan" if server else "none")
        if self.policy.liquidsoap and (fresh or server is not None):
            await self._reconcile_stations(server, configs, fresh=fresh)
        if self.icecast_restarter is not None and server is not None:
            await self.icecast_restarter.check(server)
        self._write_status()

    async def _reconcile_stations(
        self, server: ServerRecord | None, configs: Sequence[StreamConfigRecord],
        *, fresh: bool,
    ) -> None:
        wanted = {config.client_id: config for config in configs}
        gone = [sid for sid in self.stations if sid not in wanted]
        await asyncio.gather(*(self.stations[sid].stop("the station is no longer on this "
                                                       "server") for sid in gone))
        for sid in gone:
            del self.stations[sid]
            self._rendered.pop(sid, None)
            self._seen.pop(sid, None)
            self._telnet_ports.pop(sid, None)
        stopping = []
        for config in configs:
            if fresh and server is not None:
                self._seen[config.client_id] = (config.version, server.version)
            process = self.stations.get(config.client_id)
            if process is None:
                process = self.stations[config.client_id] = self._station_process(
                    config.client_id, _station_label(config))
            process.label = _station_label(config)
            self._telnet_ports[config.client_id] = config.telnet_port
            if config.settings.status == INACTIVE:
                if process.desired or process.state != "stopped":
                    stopping.append(process.stop("the station is set inactive"))
                continue
            if not process.desired:
                if process.adopted:
                    log.info("%s should be on air, and is (adopted)", process.label)
                else:
                    log.info("%s should be on air: starting it", process.label)
                process.start()
                if process.adopted:
                    await self._restart_if_command_changed(
                        process, self._liquidsoap_argv(config.client_id))
            elif (fresh and server is not None and self.policy.restart_on_change
                  and process.state == "running"):
                await self._restart_if_changed(process, config, server)
        await asyncio.gather(*stopping)

    def _station_process(self, station_id: str, label: str) -> Supervised:

        async def prepare() -> Launch:
            return await self._prepare_station(station_id)

        async def occupied() -> bool:
            port = self._telnet_ports.get(station_id)
            return port is not None and await port_open("127.0.0.1", port)

        return self._supervised(f"liquidsoap-{safe_name(station_id)}", "liquidsoap",
                                label, prepare=prepare, station_id=station_id,
                                occupied=occupied)

    def _liquidsoap_argv(self, station_id: str) -> list[str]:
        script = self.layout.station_dir(station_id) / SCRIPT_FILE
        return [word.format(script=script, station=station_id)
                for word in self.policy.liquidsoap_command]

    @staticmethod
    async def _restart_if_command_changed(process: Supervised, argv: list[str]) -> None:
        """An adopted process started with another command than the configuration's now
        (stationd.toml changed meanwhile) is started again with the new one."""
        if process.adopted and process.launch is not None and process.launch.argv != argv:
            await process.restart(f"it was started as {shlex.join(process.launch.argv)}; "
                                  f"the configuration now says {shlex.join(argv)}")

    async def _prepare_icecast(self) -> Launch:
        return Launch(list(self.policy.icecast_command))

    async def _prepare_station(self, station_id: str) -> Launch:
        directory = self.layout.station_dir(station_id)
        script = directory / SCRIPT_FILE
        try:
            versions = self._seen.get(station_id, ("", ""))
            text = await asyncio.to_thread(self._render, station_id, True)
        except (DatabaseUnavailable, DatabaseBusy, StationError, RenderError, OSError) as error:
            if not script.is_file():
                raise StationError(f"cannot render its script ({describe(error)}) and there "
                                   f"is no earlier one at {script}") from None
            log.warning("station %s: cannot render its script (%s); starting it with the "
                        "last rendered one, %s", station_id, describe(error), script)
        else:
            await asyncio.to_thread(write_if_changed, script, text.encode("utf-8"))
            self._rendered[station_id] = versions
        return Launch(self._liquidsoap_argv(station_id), cwd=directory,
                      fingerprint=_digest(script.read_bytes()))

    def _render(self, station_id: str, export: bool) -> str:
        """The station's script now; with ``export``, its programme is exported too (the
        script's fallback playlist watches main.m3u from the start)."""
        source_password = self._secrets.require(SOURCE_SECRET)
        text = self._broadcast.station_script(station_id, self.layout,
                                              source_password=source_password)
        if export:
            try:
                self._broadcast.export_programme(station_id, self.layout)
            except (StationError, OSError) as error:
                log.warning("station %s: could not export its programme before starting: %s",
                            station_id, error)
        return text

    async def _restart_if_changed(self, process: Supervised, config: StreamConfigRecord,
                                  server: ServerRecord) -> None:
        versions = (config.version, server.version)
        if self._rendered.get(config.client_id) == versions:
            return
        try:
            text = await asyncio.to_thread(self._render, config.client_id, False)
        except (DatabaseUnavailable, DatabaseBusy, StationError, RenderError, OSError) as error:
            log.warning("%s: its configuration changed but its script cannot be rendered "
                        "(%s); it keeps running as it is", process.label, describe(error))
            self._rendered[config.client_id] = versions
            return
        self._rendered[config.client_id] = versions
        data = text.encode("utf-8")
        running = process.launch.fingerprint if process.launch is not None else None
        if _digest(data) == running:
            return
        script = self.layout.station_dir(config.client_id) / SCRIPT_FILE
        await asyncio.to_thread(write_if_changed, script, data)
        await process.restart("its configuration changed and its script with it")

    # -- status ---------------------------------------------------------------------------

    def statuses(self) -> list[ProcessStatus]:
        out: list[ProcessStatus] = []
        if self.icecast is not None:
            out.append(self.icecast.status())
        if self.icecast_restarter is not None:
            out.append(self.icecast_restarter.status())
        out.extend(p.status() for _, p in sorted(self.stations.items()))
        return out

    def _changed(self) -> None:
        self._write_status()

    def _write_status(self, *, stopping: bool = False) -> None:
        """``supervisor.json``, when something changed (or a minute went by: the time in
        it tells ``stationd check`` it is current)."""
        processes = [status.document() for status in self.statuses()]
        key = (stopping, self.plan_from, *(
            (p["name"], p["state"], p["pid"], p["restarts"], p["desired"], p["last_error"])
            for p in processes))
        now = self._clock()
        if key == self._last_status and now - self._status_written < STATUS_HEARTBEAT_S:
            return
        document = {
            "format": STATUS_FORMAT, "version": 1, "pid": os.getpid(),
            "updated_at": utcnow().isoformat(), "running": not stopping,
            "liquidsoap": self.policy.liquidsoap, "icecast_mode": self.policy.icecast,
            "plan_from": self.plan_from, "processes": processes,
        }
        try:
            write_atomically(self.status_path, json.dumps(document, indent=1).encode())
        except OSError as error:
            log.warning("cannot write the supervisor status %s: %s", self.status_path, error)
            return
        self._last_status, self._status_written = key, now


def _station_label(config: StreamConfigRecord) -> str:
    return f"Liquidsoap of station {config.mountpoint} ({config.client_id})"


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True, slots=True)
class SupervisorReport:
    """``supervisor.json`` as read back (``stationd check``)."""

    pid: int
    updated_at: dt.datetime
    running: bool  # False: stationd exited (its processes may still run, unwatched)
    liquidsoap: bool
    icecast_mode: str
    plan_from: str
    processes: tuple[dict[str, Any], ...]

    @property
    def stationd_alive(self) -> bool:
        return self.running and alive(self.pid)


def read_status(state_dir: Path) -> SupervisorReport | None:
    """The supervisor's last status in ``state_dir``; None when there is none; ValueError
    when the file is not one."""
    path = state_dir / STATUS_FILE
    try:
        document = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return None
    except OSError as error:
        raise ValueError(f"cannot read {path}: {error}") from None
    if not isinstance(document, dict) or document.get("format") != STATUS_FORMAT:
        raise ValueError(f"{path} is not a stationd supervisor status")
    try:
        processes: Iterable[Any] = document["processes"]
        return SupervisorReport(
            pid=int(document["pid"]),
            updated_at=dt.datetime.fromisoformat(document["updated_at"]),
            running=bool(document.get("running", True)),
            liquidsoap=bool(document.get("liquidsoap")),
            icecast_mode=str(document.get("icecast_mode", "off")),
            plan_from=str(document.get("plan_from", "none")),
            processes=tuple(p for p in processes if isinstance(p, dict)),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise ValueError(f"{path} is damaged: {error}") from None


__all__ = [
    "STATUS_FILE",
    "IcecastRestarter",
    "Supervisor",
    "SupervisorReport",
    "read_status",
]
