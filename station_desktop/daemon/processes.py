"""One supervised program: started, watched, restarted with a back-off, stopped.

:class:`Supervised` keeps one process in its desired state; :mod:`~station_desktop.
daemon.supervisor` decides what that state is (the database) and owns the processes of
a server. Everything about a process itself lives here: how it is started (an asyncio
subprocess in a session of its own, stdin closed, stdout and stderr appended to
``<directory>/<name>.log``, rotated past 5 MiB, an environment without stationd's
credentials), stopped (SIGTERM to its group, SIGKILL after the grace), counted when it
crashes (back-off doubling from ``backoff_initial`` to ``backoff_max``, reset after
``stable_after`` s up; an alert after ``crash_alert_count`` failures within
``crash_alert_window`` s, cleared when it is healthy again or stopped on purpose), and
found again after stationd itself died (pid files holding the kernel's start time, so a
reused pid is never mistaken: :func:`stop_orphans`). Nothing here raises into the
daemon: a start that fails is logged, counted and retried.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import hashlib
import json
import logging
import os
import re
import shlex
import signal
import subprocess
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from station_desktop.daemon.config import SupervisorConfig
from station_desktop.daemon.files import write_atomically
from station_desktop.db.types import utcnow
from station_desktop.errors import StationError

log = logging.getLogger("station_desktop.daemon.supervisor")

MAX_LOG_BYTES = 5 * 1024 * 1024
LOG_TAIL_LINES = 15
PORT_PROBE_TIMEOUT_S = 0.5
RESTART_COMMAND_TIMEOUT_S = 60.0
LIQUIDSOAP_CRASHING: Final = "liquidsoap_crashing"
ICECAST_CRASHING: Final = "icecast_crashing"
# Variables a child must not inherit from stationd.
_PRIVATE_ENV = ("CREDENTIALS_DIRECTORY", "STATIOND_DATABASE_PASSWORD", "NOTIFY_SOCKET",
                "WATCHDOG_PID", "WATCHDOG_USEC", "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES")
_SAFE_NAME = re.compile(r"[^A-Za-z0-9_.-]")

# (state, alert kind, station id or None, message)
AlertHook = Callable[[str, str, str | None, str], Awaitable[None]]
Clock = Callable[[], float]


@dataclass(frozen=True, slots=True)
class Launch:
    """How to start a process this time."""

    argv: list[str]
    cwd: Path | None = None
    fingerprint: str | None = None  # of the script it runs (to see it change)


@dataclass(frozen=True, slots=True)
class ProcessStatus:
    """What the supervisor knows about one process (also what supervisor.json holds)."""

    name: str
    kind: str  # "liquidsoap" | "icecast"
    label: str  # for people: "Liquidsoap of station /jazz (id)"
    station_id: str | None
    desired: bool  # should it run?
    state: str  # stopped | starting | running | stopping | backoff | external
    pid: int | None
    since: str | None  # ISO 8601: when it entered this state
    restarts: int  # starts after the first one (crashes and restarts on change)
    crashes_in_window: int
    last_exit: str | None  # "exit code 1", "killed by SIGSEGV"
    last_error: str | None
    next_start_in: float | None  # seconds, while backing off
    log: str

    def document(self) -> dict[str, Any]:
        return {field: getattr(self, field) for field in self.__slots__}


def describe_exit(code: int | None) -> str:
    if code is None:
        return "still running"
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


def safe_name(text: str) -> str:
    """A file-name-safe form of ``text`` (station ids are, but they come from a database)."""
    cleaned = _SAFE_NAME.sub("_", text)
    if cleaned != text or not cleaned:
        cleaned = f"{cleaned[:40]}-{hashlib.sha256(text.encode()).hexdigest()[:12]}"
    return cleaned


def child_environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in _PRIVATE_ENV}


def tail(path: Path, lines: int = LOG_TAIL_LINES) -> str:
    try:
        with path.open("rb") as handle:
            handle.seek(max(0, path.stat().st_size - 16384))
            text = handle.read().decode("utf-8", "replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:]) or "(empty log)"


def process_start_time(pid: int) -> str | None:
    """The kernel's start time of ``pid`` (Linux /proc); None if it is gone (a zombie
    counts as gone) or unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rfind(")") + 2:].split()  # from field 3 (state) of stat(5) on
    if len(fields) <= 19 or fields[0] in ("Z", "X"):
        return None
    return fields[19]  # field 22: starttime


def signal_group(pid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, sig)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


async def port_open(host: str, port: int, timeout: float = PORT_PROBE_TIMEOUT_S) -> bool:
    """Does something accept TCP connections on host:port?"""
    try:
        _, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    except (OSError, TimeoutError):
        return False
    writer.close()
    with contextlib.suppress(OSError):
        await writer.wait_closed()
    return True


async def stop_orphans(directory: Path, grace: float) -> int:
    """Stop the processes an earlier stationd started and left behind (pid files of
    ``directory`` whose pid still runs with the recorded start time); returns how many."""
    stopped = 0
    for pid_file in sorted(directory.glob("*.pid")):
        try:
            record = json.loads(pid_file.read_text())
            pid, started = int(record["pid"]), str(record["start_time"])
        except (OSError, ValueError, KeyError, TypeError):
            pid, started = 0, ""
        if pid > 1 and process_start_time(pid) == started:
            log.warning("stopping %s (pid %d), left running by an earlier stationd, before "
                        "starting it again", record.get("label", pid_file.stem), pid)
            signal_group(pid, signal.SIGTERM)
            deadline = time.monotonic() + grace
            while process_start_time(pid) == started and time.monotonic() < deadline:
                await asyncio.sleep(0.1)
            if process_start_time(pid) == started:
                signal_group(pid, signal.SIGKILL)
            stopped += 1
        with contextlib.suppress(OSError):
            pid_file.unlink()
    return stopped


class Supervised:
    """One process kept in its desired state (see module docstring)."""

    def __init__(
        self,
        name: str,
        kind: str,
        label: str,
        *,
        prepare: Callable[[], Awaitable[Launch]],
        policy: SupervisorConfig,
        directory: Path,
        on_change: Callable[[], None],
        on_alert: AlertHook,
        station_id: str | None = None,
        occupied: Callable[[], Awaitable[bool]] | None = None,
        clock: Clock = time.monotonic,
    ) -> None:
        self.name = name
        self.kind = kind
        self.label = label
        self.station_id = station_id
        self.policy = policy
        self.log_path = directory / f"{name}.log"
        self.pid_path = directory / f"{name}.pid"
        self.desired = False
        self.state = "stopped"
        self.process: asyncio.subprocess.Process | None = None
        self.launch: Launch | None = None  # of the running process
        self.restarts = 0
        self.last_exit: str | None = None
        self.last_error: str | None = None
        self._prepare = prepare
        self._occupied = occupied
        self._on_change = on_change
        self._on_alert = on_alert
        self._clock = clock
        self._since = utcnow()
        self._started_once = False
        self._next_start: float | None = None
        self._consecutive = 0
        self._crashes: collections.deque[float] = collections.deque()
        self._alert_open = False
        self._planned_restart = False
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()

    # -- control -----------------------------------------------------------------------

    def start(self) -> None:
        """It should run: start it now (or when its back-off ends)."""
        self.desired = True
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._loop(), name=f"supervise {self.name}")

    async def stop(self, reason: str = "") -> None:
        """It should not run: cancel a pending restart, stop the process, wait for it."""
        was = self.desired
        self.desired = False
        self._next_start = None
        self._wake.set()
        await self._terminate()
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        self._set("stopped")
        if was and reason:
            log.info("stopped %s: %s", self.label, reason)
        if self._alert_open:
            self._alert_open = False
            await self._on_alert("cleared", self._alert_kind, self.station_id,
                                 f"{self.label} was stopped on purpose; no longer crashing.")

    async def restart(self, reason: str) -> None:
        """Stop the running process and start it again at once (not a crash)."""
        if self.process is None or self.process.returncode is not None:
            return
        log.warning("restarting %s: %s", self.label, reason)
        self._planned_restart = True
        await self._terminate()

    def status(self) -> ProcessStatus:
        process = self.process
        running = process is not None and process.returncode is None
        wait = None
        if self._next_start is not None and self.state == "backoff":
            wait = round(max(0.0, self._next_start - self._clock()), 1)
        return ProcessStatus(
            name=self.name, kind=self.kind, label=self.label, station_id=self.station_id,
            desired=self.desired, state=self.state,
            pid=process.pid if running and process is not None else None,
            since=self._since.isoformat(), restarts=self.restarts,
            crashes_in_window=self._crashes_in_window(), last_exit=self.last_exit,
            last_error=self.last_error, next_start_in=wait, log=str(self.log_path))

    @property
    def _alert_kind(self) -> str:
        return LIQUIDSOAP_CRASHING if self.kind == "liquidsoap" else ICECAST_CRASHING

    # -- the loop -------------------------------------------------------------------------

    def _set(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self._since = utcnow()
            self._on_change()

    async def _sleep(self, seconds: float) -> None:
        """Wait ``seconds``, or less when :meth:`stop` wakes us."""
        if not self.desired:
            return
        self._wake.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), seconds)

    async def _loop(self) -> None:
        while self.desired:
            if self._next_start is not None:
                wait = self._next_start - self._clock()
                if wait > 0:
                    self._set("backoff")
                    await self._sleep(wait)
                    continue
                self._next_start = None
            if self._occupied is not None and await self._occupied():
                if self.state != "external":
                    log.warning("%s: its port already answers, so a copy stationd did not "
                                "start is running; leaving it alone (stop it to let stationd "
                                "take over)", self.label)
                self._set("external")
                await self._sleep(max(self.policy.backoff_initial, 5.0))
                continue
            self._set("starting")
            try:
                launch = await self._prepare()
                if not self.desired:
                    break
                process = await self._spawn(launch)
            except asyncio.CancelledError:
                raise
            except Exception as error:  # never into the daemon: counted and retried
                self.last_error = f"could not start: {describe(error)}"
                await self._failed(self.last_error, 0.0)
                continue
            if not self.desired:  # stopped while it was being started
                await self._terminate()
            await self._run(process)
        if self.process is None:
            self._set("stopped")

    async def _spawn(self, launch: Launch) -> asyncio.subprocess.Process:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        _rotate(self.log_path)
        with self.log_path.open("ab") as out:
            out.write(f"--- {utcnow().isoformat()} stationd starts: "
                      f"{shlex.join(launch.argv)}\n".encode())
            out.flush()
            process = await asyncio.create_subprocess_exec(
                *launch.argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                cwd=launch.cwd, env=child_environment(), start_new_session=True)
        self.process, self.launch = process, launch
        started = process_start_time(process.pid)
        if started is not None:
            with contextlib.suppress(OSError):
                write_atomically(self.pid_path, json.dumps(
                    {"pid": process.pid, "start_time": started, "label": self.label}).encode())
        if self._started_once:
            self.restarts += 1
        self._started_once = True
        log.info("started %s (pid %d)", self.label, process.pid)
        return process

    async def _run(self, process: asyncio.subprocess.Process) -> None:
        started = self._clock()
        self._set("running")
        waiter = asyncio.ensure_future(process.wait())
        try:
            done, _ = await asyncio.wait({waiter}, timeout=self.policy.stable_after)
            if not done:
                await self._stable()
            code = await waiter
        finally:
            if not waiter.done():
                waiter.cancel()
        ran = self._clock() - started
        signal_group(process.pid, signal.SIGKILL)  # a straggling child of a dead parent
        with contextlib.suppress(OSError):
            self.pid_path.unlink()
        self.process = None
        self.last_exit = describe_exit(code)
        if not self.desired:
            return
        if self._planned_restart:
            self._planned_restart = False
            return
        await self._failed(f"exited ({self.last_exit}) after {ran:.1f} s", ran)

    async def _stable(self) -> None:
        self._consecutive = 0
        if self._alert_open:
            self._alert_open = False
            log.info("%s has been up for %g s again", self.label, self.policy.stable_after)
            await self._on_alert("cleared", self._alert_kind, self.station_id,
                                 f"{self.label} has been running for "
                                 f"{self.policy.stable_after:g} s again.")

    def _crashes_in_window(self) -> int:
        horizon = self._clock() - self.policy.crash_alert_window
        while self._crashes and self._crashes[0] < horizon:
            self._crashes.popleft()
        return len(self._crashes)

    async def _failed(self, reason: str, ran: float) -> None:
        policy = self.policy
        now = self._clock()
        if ran >= policy.stable_after:
            self._consecutive = 0
        self._consecutive += 1
        self._crashes.append(now)
        delay = min(policy.backoff_initial * 2 ** min(self._consecutive - 1, 30),
                    policy.backoff_max)
        self._next_start = now + delay
        self.last_error = reason
        crashes = self._crashes_in_window()
        self._set("backoff")
        log.warning("%s %s; starting it again in %.1f s (%d failure(s) in the last %g s). "
                    "Last lines of %s:\n%s", self.label, reason, delay, crashes,
                    policy.crash_alert_window, self.log_path, tail(self.log_path))
        if crashes >= policy.crash_alert_count and not self._alert_open:
            self._alert_open = True
            await self._on_alert(
                "raised", self._alert_kind, self.station_id,
                f"{self.label} failed {crashes} times in {policy.crash_alert_window:g} s "
                f"(last: {reason}); stationd keeps restarting it, every "
                f"{policy.backoff_max:g} s at most. Read {self.log_path} on the server.")

    async def _terminate(self) -> None:
        process = self.process
        if process is None or process.returncode is not None:
            return
        self._set("stopping")
        signal_group(process.pid, signal.SIGTERM)
        try:
            await asyncio.wait_for(process.wait(), self.policy.stop_grace)
        except TimeoutError:
            log.warning("%s (pid %d) did not stop within %g s of SIGTERM: killing it",
                        self.label, process.pid, self.policy.stop_grace)
            signal_group(process.pid, signal.SIGKILL)
            await process.wait()


async def run_command(argv: Sequence[str], log_path: Path,
                      timeout: float = RESTART_COMMAND_TIMEOUT_S) -> str:
    """Run ``argv`` with its output appended to ``log_path``; how it ended, in words."""
    try:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with log_path.open("ab") as out:
            out.write(f"--- {utcnow().isoformat()} {shlex.join(argv)}\n".encode())
            out.flush()
            process = await asyncio.create_subprocess_exec(
                *argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                env=child_environment(), start_new_session=True)
        try:
            return describe_exit(await asyncio.wait_for(process.wait(), timeout))
        except TimeoutError:
            signal_group(process.pid, signal.SIGKILL)
            await process.wait()
            return f"killed after {timeout:g} s"
    except OSError as error:
        return f"could not run it: {describe(error)}"


def describe(error: BaseException) -> str:
    text = str(error)
    return f"{type(error).__name__}: {text}" if not isinstance(error, StationError) and text \
        else (text or type(error).__name__)


def _rotate(path: Path) -> None:
    with contextlib.suppress(OSError):
        if path.stat().st_size > MAX_LOG_BYTES:
            path.replace(path.with_name(path.name + ".1"))


__all__ = [
    "ICECAST_CRASHING",
    "LIQUIDSOAP_CRASHING",
    "AlertHook",
    "Clock",
    "Launch",
    "ProcessStatus",
    "Supervised",
    "alive",
    "child_environment",
    "describe",
    "describe_exit",
    "port_open",
    "process_start_time",
    "run_command",
    "safe_name",
    "signal_group",
    "stop_orphans",
    "tail",
]
