"""One supervised program: started, watched, restarted with a back-off, stopped, adopted.

:class:`Supervised` keeps one process in its desired state; :mod:`~station_desktop.
daemon.supervisor` decides what that state is (the database) and owns the processes of
a server. Everything about a process itself lives here: how it is started (a process in a
session of its own, so neither a terminal's Ctrl-C nor a signal to stationd's group
reaches it; stdin closed, stdout and stderr appended to ``<directory>/<name>.log``,
rotated past 5 MiB, an environment without stationd's credentials), stopped (SIGTERM to
its group, SIGKILL after the grace), counted when it crashes (back-off doubling from
``backoff_initial`` to ``backoff_max``, reset after ``stable_after`` s up; an alert after
``crash_alert_count`` failures within ``crash_alert_window`` s, cleared when it is healthy
again or stopped on purpose). Nothing here raises into the daemon: a start that fails is
logged, counted and retried.

Outliving stationd. When stationd exits it stops watching (:meth:`Supervised.detach`) and
leaves its processes running, so a restart of stationd never drops a stream. Every start
writes ``<directory>/<name>.pid``: the pid, the kernel's start time, the command line as
``/proc/<pid>/cmdline`` shows it, what stationd ran and the fingerprint of the script.
The next stationd *adopts* a process from its pid file (:func:`find_adoptable`) only if
that pid is alive with the same start time AND the same command line, so a pid the
kernel gave to another program since is never taken (nor signalled); a stale pid file
(dead pid, another program) is removed. An adopted process is not stationd's child, so
it cannot be waited for: it is watched by polling ``/proc`` (every
``ADOPTED_POLL_S``; its exit status is unknown) and otherwise handled like any other
(stopped, restarted on change or after a crash).
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
import threading
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from station_desktop.daemon.config import SupervisorConfig
from station_desktop.db.types import utcnow
from station_desktop.errors import StationError
from station_desktop.fileio import write_atomically

log = logging.getLogger("station_desktop.daemon.supervisor")

MAX_LOG_BYTES = 5 * 1024 * 1024
LOG_TAIL_LINES = 15
PORT_PROBE_TIMEOUT_S = 0.5
RESTART_COMMAND_TIMEOUT_S = 60.0
ADOPTED_POLL_S = 0.5  # how often an adopted process is looked for in /proc
STOP_POLL_S = 0.05  # ... while it is being stopped
ADOPTED_EXIT: Final = "exit status unknown: adopted, not stationd's child"
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
    adopted: bool  # the running process was started by an earlier stationd
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


def process_cmdline(pid: int) -> tuple[str, ...] | None:
    """``pid``'s command line (Linux /proc); None if it is gone or cannot be read."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    if not raw:  # a zombie, or a kernel thread
        return None
    parts = raw.split(b"\0")
    if parts[-1] == b"":
        parts.pop()
    return tuple(part.decode("utf-8", "surrogateescape") for part in parts)


@dataclass(frozen=True, slots=True)
class PidRecord:
    """A pid file: which process stationd started, and enough to be sure it is that one."""

    name: str  # the pid file's stem: "icecast", "liquidsoap-<station id>"
    pid: int
    start_time: str  # the kernel's (field 22 of /proc/<pid>/stat)
    cmdline: tuple[str, ...]  # /proc/<pid>/cmdline just after the start
    argv: tuple[str, ...]  # what stationd ran
    cwd: str | None
    fingerprint: str | None  # of the script it runs
    label: str
    kind: str
    station_id: str | None

    def document(self) -> dict[str, Any]:
        return {"pid": self.pid, "start_time": self.start_time, "cmdline": list(self.cmdline),
                "argv": list(self.argv), "cwd": self.cwd, "fingerprint": self.fingerprint,
                "label": self.label, "kind": self.kind, "station_id": self.station_id}

    @classmethod
    def parse(cls, name: str, text: str) -> PidRecord:
        """ValueError when ``text`` is not a whole pid file."""
        try:
            document = json.loads(text)
            cmdline, argv = document["cmdline"], document["argv"]
            if not (isinstance(cmdline, list) and isinstance(argv, list) and cmdline):
                raise TypeError("cmdline and argv must be lists")
            cwd, fingerprint = document.get("cwd"), document.get("fingerprint")
            station_id = document.get("station_id")
            return cls(name=name, pid=int(document["pid"]),
                       start_time=str(document["start_time"]),
                       cmdline=tuple(str(word) for word in cmdline),
                       argv=tuple(str(word) for word in argv),
                       cwd=None if cwd is None else str(cwd),
                       fingerprint=None if fingerprint is None else str(fingerprint),
                       label=str(document.get("label") or name),
                       kind=str(document.get("kind") or ""),
                       station_id=None if station_id is None else str(station_id))
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise ValueError(describe(error)) from None


def identify(record: PidRecord) -> str | None:
    """None when ``record``'s process still runs (same pid, start time and command line);
    otherwise why it is not that process, in words."""
    if record.pid <= 1:
        return f"pid {record.pid} is no process stationd starts"
    started = process_start_time(record.pid)
    if started is None:
        return f"pid {record.pid} is gone"
    if started != record.start_time:
        return f"pid {record.pid} now belongs to another process (started at another time)"
    cmdline = process_cmdline(record.pid)
    if cmdline != record.cmdline:
        shown = shlex.join(cmdline) if cmdline else "something unreadable"
        return f"pid {record.pid} now runs {shown[:200]}, not {shlex.join(record.cmdline)[:200]}"
    return None


def find_adoptable(directory: Path) -> dict[str, PidRecord]:
    """The processes an earlier stationd started and left running, by name, from the pid
    files of ``directory``; pid files of anything else (a dead pid, a pid reused by
    another program, a damaged file) are removed, and those pids left alone."""
    found: dict[str, PidRecord] = {}
    for pid_file in sorted(directory.glob("*.pid")):
        try:
            record = PidRecord.parse(pid_file.stem, pid_file.read_text("utf-8"))
        except (OSError, ValueError, UnicodeDecodeError) as error:
            log.warning("removing %s: not a pid file this stationd can use (%s)", pid_file,
                        describe(error))
            with contextlib.suppress(OSError):
                pid_file.unlink()
            continue
        why = identify(record)
        if why is not None:
            log.info("removing the stale pid file %s of %s: %s (that pid is left alone)",
                     pid_file, record.label, why)
            with contextlib.suppress(OSError):
                pid_file.unlink()
            continue
        found[record.name] = record
    return found


class _Handle:
    """A running process as :class:`Supervised` sees it."""

    pid: int
    adopted: bool

    def running(self) -> bool:
        raise NotImplementedError

    async def wait(self, poll: float = ADOPTED_POLL_S) -> str:
        """How it ended, in words, once it has."""
        raise NotImplementedError


class _Child(_Handle):
    """A process this stationd started. Not an asyncio subprocess: asyncio kills a child
    whose transport is closed or collected, and these must outlive stationd. A daemon
    thread waits for it (as asyncio's own child watcher does)."""

    adopted = False

    def __init__(self, popen: subprocess.Popen[bytes]) -> None:
        self.pid = popen.pid
        self._popen = popen
        self._loop = asyncio.get_running_loop()
        self._done: asyncio.Future[int] = self._loop.create_future()
        threading.Thread(target=self._reap, name=f"wait for pid {popen.pid}",
                         daemon=True).start()

    def _reap(self) -> None:
        code = self._popen.wait()
        with contextlib.suppress(RuntimeError):  # the loop is closed: stationd exits
            self._loop.call_soon_threadsafe(self._ended, code)

    def _ended(self, code: int) -> None:
        if not self._done.done():
            self._done.set_result(code)

    def running(self) -> bool:
        return not self._done.done()

    async def wait(self, poll: float = ADOPTED_POLL_S) -> str:
        return describe_exit(await asyncio.shield(self._done))


class _Adopted(_Handle):
    """A process an earlier stationd started: watched in /proc, since only its parent
    (init, now) can wait for it."""

    adopted = True

    def __init__(self, record: PidRecord) -> None:
        self.pid = record.pid
        self._start_time = record.start_time

    def running(self) -> bool:
        return process_start_time(self.pid) == self._start_time

    async def wait(self, poll: float = ADOPTED_POLL_S) -> str:
        while self.running():
            await asyncio.sleep(poll)
        return ADOPTED_EXIT


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
        self.process: _Handle | None = None
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

    @property
    def adopted(self) -> bool:
        """Is the running process one an earlier stationd started?"""
        return self.process is not None and self.process.adopted

    def adopt(self, record: PidRecord) -> None:
        """Take over the process of ``record`` (:func:`find_adoptable` vouched for it). It
        is watched once :meth:`start` is called, stopped by :meth:`stop`."""
        self.process = _Adopted(record)
        self.launch = Launch(list(record.argv), Path(record.cwd) if record.cwd else None,
                             record.fingerprint)
        self._started_once = True
        self._set("running")
        log.info("adopted %s (pid %d), left running by an earlier stationd", self.label,
                 record.pid)

    async def stop(self, reason: str = "") -> None:
        """It should not run: cancel a pending restart, stop the process, wait for it."""
        was = self.desired or self.process is not None
        self.desired = False
        self._next_start = None
        self._wake.set()
        await self._terminate()
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        handle = self.process
        if handle is not None and not handle.running():  # nobody watched it (adopted)
            self._ended(handle, await handle.wait())
        self._set("stopped")
        if was and reason:
            log.info("stopped %s: %s", self.label, reason)
        if self._alert_open:
            self._alert_open = False
            await self._on_alert("cleared", self._alert_kind, self.station_id,
                                 f"{self.label} was stopped on purpose; no longer crashing.")

    async def detach(self) -> None:
        """stationd is exiting: stop watching, and leave the process running (its pid
        file lets the next stationd adopt it)."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def restart(self, reason: str) -> None:
        """Stop the running process and start it again at once (not a crash)."""
        if self.process is None or not self.process.running():
            return
        log.warning("restarting %s: %s", self.label, reason)
        self._planned_restart = True
        await self._terminate()

    def status(self) -> ProcessStatus:
        process = self.process
        running = process is not None and process.running()
        wait = None
        if self._next_start is not None and self.state == "backoff":
            wait = round(max(0.0, self._next_start - self._clock()), 1)
        return ProcessStatus(
            name=self.name, kind=self.kind, label=self.label, station_id=self.station_id,
            desired=self.desired, state=self.state,
            pid=process.pid if running and process is not None else None,
            adopted=running and process is not None and process.adopted,
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
            if self.process is not None:  # adopted: watch it
                await self._run(self.process)
                continue
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

    async def _spawn(self, launch: Launch) -> _Handle:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        _rotate(self.log_path)
        with self.log_path.open("ab") as out:
            out.write(f"--- {utcnow().isoformat()} stationd starts: "
                      f"{shlex.join(launch.argv)}\n".encode())
            out.flush()
            # returns once the program is exec'd (or failed to be): its cmdline is final
            popen = subprocess.Popen(
                launch.argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                cwd=launch.cwd, env=child_environment(), start_new_session=True)
        process = _Child(popen)
        self.process, self.launch = process, launch
        self._write_pid_file(process.pid, launch)
        if self._started_once:
            self.restarts += 1
        self._started_once = True
        log.info("started %s (pid %d)", self.label, process.pid)
        return process

    def _write_pid_file(self, pid: int, launch: Launch) -> None:
        started = process_start_time(pid)
        if started is None:  # already gone
            return
        record = PidRecord(
            name=self.name, pid=pid, start_time=started,
            cmdline=process_cmdline(pid) or tuple(launch.argv), argv=tuple(launch.argv),
            cwd=None if launch.cwd is None else str(launch.cwd),
            fingerprint=launch.fingerprint, label=self.label, kind=self.kind,
            station_id=self.station_id)
        try:
            write_atomically(self.pid_path, json.dumps(record.document()).encode())
        except OSError as error:
            log.warning("cannot write %s (a restarted stationd will not adopt %s): %s",
                        self.pid_path, self.label, error)

    async def _run(self, process: _Handle) -> None:
        started = self._clock()
        self._set("running")
        waiter = asyncio.ensure_future(process.wait())
        try:
            done, _ = await asyncio.wait({waiter}, timeout=self.policy.stable_after)
            if not done:
                await self._stable()
            how = await waiter
        finally:
            if not waiter.done():
                waiter.cancel()
        ran = self._clock() - started
        self._ended(process, how)
        if not self.desired:
            return
        if self._planned_restart:
            self._planned_restart = False
            return
        await self._failed(f"exited ({self.last_exit}) after {ran:.1f} s", ran)

    def _ended(self, process: _Handle, how: str) -> None:
        """``process`` is gone: forget it (and its pid file)."""
        if self.process is not process:
            return
        if not process.adopted:
            # a straggling grandchild; not for an adopted pid, which init reaped (and the
            # kernel may have given to someone else) before we noticed
            signal_group(process.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            self.pid_path.unlink()
        self.process = None
        self.last_exit = how

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
        if process is None or not process.running():  # (an adopted pid is checked anew)
            return
        self._set("stopping")
        signal_group(process.pid, signal.SIGTERM)
        try:
            await asyncio.wait_for(process.wait(STOP_POLL_S), self.policy.stop_grace)
        except TimeoutError:
            log.warning("%s (pid %d) did not stop within %g s of SIGTERM: killing it",
                        self.label, process.pid, self.policy.stop_grace)
            signal_group(process.pid, signal.SIGKILL)
            await process.wait(STOP_POLL_S)


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
    "ADOPTED_EXIT",
    "ICECAST_CRASHING",
    "LIQUIDSOAP_CRASHING",
    "AlertHook",
    "Clock",
    "Launch",
    "PidRecord",
    "ProcessStatus",
    "Supervised",
    "alive",
    "child_environment",
    "describe",
    "describe_exit",
    "find_adoptable",
    "identify",
    "port_open",
    "process_cmdline",
    "process_start_time",
    "run_command",
    "safe_name",
    "signal_group",
    "tail",
]
