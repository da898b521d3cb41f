"""stationd's supervisor running the REAL Icecast 2.4.4 and Liquidsoap 2.1.3 of a station
that lives in a database, inside a running :class:`Runner`:

1. it starts Icecast (``icecast = "process"``) and the station's Liquidsoap from the
   rendered script: both mounts come on air;
2. a Liquidsoap killed with SIGKILL is started again; an Icecast that segfaults (as 2.4.4
   does in a few percent of starts) is started again, and Liquidsoap reconnects to it;
3. the app's Stop (``StreamControlService.stop``) stops the Liquidsoap within a few
   passes, Start brings it back;
4. stopping the daemon leaves both programs running (a restart must not drop a stream);
5. a real ``stationd run``, stopped with SIGTERM, leaves the Liquidsoap on air; the next
   ``stationd run`` adopts that same process (no second Liquidsoap) and stops it when the
   station is set inactive.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

import pytest
from helpers.onair import localize_icecast_xml, prepare_webroot, wait_for
from helpers.stack import free_port, is_root, tail
from sqlalchemy import update

from station_desktop.daemon.config import (
    SOURCE_SECRET,
    AlertsConfig,
    DaemonConfig,
    IntervalsConfig,
    LiveAuthConfig,
    PathsConfig,
    SupervisorConfig,
)
from station_desktop.daemon.processes import Supervised, find_adoptable, port_open
from station_desktop.daemon.runner import Runner
from station_desktop.daemon.supervisor import read_status
from station_desktop.db import migrate
from station_desktop.db.engine import Database
from station_desktop.db.models import StreamConfig
from station_desktop.services.broadcast import BroadcastService
from station_desktop.services.fleet import FleetService, ServerFields
from station_desktop.services.stations import StationFields, StationService
from station_desktop.services.stream_control import StreamControlService

pytestmark = [pytest.mark.integration, pytest.mark.asyncio]

REPO = Path(__file__).resolve().parents[2]
SOURCE_PASSWORD = "src-supervised"
MOUNTPOINT = "/supervised"
MOUNTS = (f"{MOUNTPOINT}-64", f"{MOUNTPOINT}-128")
T = TypeVar("T")


@dataclass
class Setup:
    directory: Path
    db: Database
    config: DaemonConfig
    station_id: str
    server_id: str
    icecast_port: int
    telnet_port: int

    def log_of(self, name: str) -> Path:
        return self.config.paths.state_dir / "processes" / f"{name}.log"

    def logs(self) -> str:
        parts = []
        for path in sorted((self.config.paths.state_dir / "processes").glob("*.log")):
            parts.append(f"--- {path.name}:\n{tail(path, 25)}")
        for path in sorted(self.config.paths.log_dir.glob("*.log")):
            parts.append(f"--- {path}:\n{tail(path, 25)}")
        error_log = self.directory / "icecast" / "log" / "error.log"
        parts.append(f"--- icecast error.log:\n{tail(error_log)}")
        return "\n".join(parts)


def build_setup(directory: Path) -> Setup:
    """A station (no music: silence on air; live input on) in a SQLite database, its
    server's rendered icecast.xml, and a stationd configuration supervising both."""
    url = f"sqlite:///{directory / 'station.db'}"
    migrate.upgrade(url)
    db = Database(url)
    icecast_port = free_port()
    server = FleetService(db).create_server(
        ServerFields("Supervised VPS", "127.0.0.1", icecast_port, capacity=2))
    stations = StationService(db)
    station = stations.create_station(StationFields("Radio Supervisada", "Europe/Madrid"))
    stations.assign_server(station.id, server.id)
    harbor, telnet = free_port(), free_port()
    while telnet in (harbor, icecast_port):
        telnet = free_port()
    with db.transaction() as s:  # assign_server's fixed bases may be taken here
        s.execute(update(StreamConfig).where(StreamConfig.clientId == station.id)
                  .values(harborPort=harbor, telnetPort=telnet))
    config = stations.get_config(station.id)
    stations.update_config(station.id, replace(
        config.settings, mountpoint=MOUNTPOINT, bitrates=(64, 128), crossfade_duration=0,
        normalize_audio=False, autodj_enabled=False, live_input_enabled=True), config.version)

    icecast_dir = directory / "icecast"
    logdir, webroot = icecast_dir / "log", icecast_dir / "web"
    logdir.mkdir(parents=True)
    xml = BroadcastService(db).icecast_config(server.id, source_password=SOURCE_PASSWORD,
                                              admin_password="adm-supervised",
                                              bind_address="127.0.0.1")
    prepare_webroot(webroot, xml)
    icecast_xml = icecast_dir / "icecast.xml"
    icecast_xml.write_text(localize_icecast_xml(xml, logdir=logdir, webroot=webroot), "utf-8")
    if is_root():  # Icecast drops to icecast2 before it opens its logs
        shutil.chown(logdir, "icecast2", "icecast")

    secrets = directory / "secrets"
    secrets.mkdir()
    (secrets / SOURCE_SECRET).write_text(SOURCE_PASSWORD)
    (secrets / SOURCE_SECRET).chmod(0o600)
    (directory / "log").mkdir()
    daemon = DaemonConfig(
        source=directory / "stationd.toml", database_url=db.url, server_id=server.id,
        paths=PathsConfig(stations_dir=directory / "stations",
                          picker=REPO / "liquidsoap" / "picker.py",
                          python=Path(sys.executable), log_dir=directory / "log",
                          secrets_dir=secrets, state_dir=directory / "state"),
        intervals=IntervalsConfig(stats=2, events=1, export=2, supervise=0.2, rollup=3600),
        alerts=AlertsConfig(3, None),
        live_auth=LiveAuthConfig(socket=directory / "state" / "auth.sock"),
        supervisor=SupervisorConfig(
            liquidsoap_command=("liquidsoap", "{script}"), allow_root=is_root(),
            harbor_bind_address="127.0.0.1", icecast="process",
            icecast_command=("icecast2", "-c", str(icecast_xml)), stop_grace=10,
            backoff_initial=0.2, backoff_max=2, stable_after=30))
    return Setup(directory, db, daemon, station.id, server.id, icecast_port, telnet)


@contextmanager
def station_setup(prefix: str) -> Iterator[Setup]:
    """:func:`build_setup` in a temporary directory, removed afterwards; skips (or fails,
    with STATION_TEST_REQUIRE_STACK=1) when the programs are missing."""
    missing = [t for t in ("liquidsoap", "icecast2", "ffmpeg") if shutil.which(t) is None]
    if missing:
        message = f"{', '.join(missing)} not installed"
        if os.environ.get("STATION_TEST_REQUIRE_STACK") == "1":
            pytest.fail(message)
        pytest.skip(message)
    directory = Path(tempfile.mkdtemp(prefix=prefix))
    directory.chmod(0o755)  # icecast2 must reach its log directory inside
    built = build_setup(directory)
    try:
        yield built
    finally:
        stop_left_running(built)
        built.db.dispose()
        if not os.environ.get("STATION_TEST_KEEP_STACK"):
            shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="module")
def setup() -> Iterator[Setup]:
    with station_setup("station-supervised-") as built:
        yield built


def stop_left_running(setup: Setup) -> None:
    """stationd leaves its programs running when it exits: stop them (from its pid files)."""
    directory = setup.config.paths.state_dir / "processes"
    if not directory.is_dir():
        return
    records = find_adoptable(directory).values()
    for record in records:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(record.pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    while any(_pid_alive(r.pid) for r in records) and time.monotonic() < deadline:
        time.sleep(0.05)
    for record in records:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(record.pid, signal.SIGKILL)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


async def test_the_supervisor_keeps_the_real_programs_as_the_database_says(
    setup: Setup
) -> None:
    runner = Runner(setup.config, setup.db)
    supervisor = runner.supervisor
    assert supervisor is not None and supervisor.icecast is not None
    icecast: Supervised = supervisor.icecast
    control = StreamControlService(setup.db)
    stop = asyncio.Event()
    task = asyncio.create_task(runner.run(stop))

    async def on_air() -> set[str]:
        return await asyncio.to_thread(mounts_of, setup.icecast_port)

    def station() -> Supervised:
        return supervisor.stations[setup.station_id]

    try:
        # 1. both programs started, both mounts on air
        await wait_for("both mounts on air", on_air, lambda m: set(MOUNTS) <= m, 40,
                       setup.logs)
        liquidsoap_pid = station().status().pid
        icecast_pid = icecast.status().pid
        assert liquidsoap_pid and icecast_pid and station().status().state == "running"
        script = setup.config.paths.stations_dir / setup.station_id / "station.liq"
        assert f'password="{SOURCE_PASSWORD}"' in script.read_text()
        report = read_status(setup.config.paths.state_dir)
        assert report is not None and report.stationd_alive and report.plan_from == "database"

        # 2a. Liquidsoap killed: started again, back on air
        os.kill(liquidsoap_pid, signal.SIGKILL)
        await wait_for("a new Liquidsoap", _async(lambda: station().status().pid),
                       lambda pid: pid not in (None, liquidsoap_pid), 15, setup.logs)
        assert station().status().last_exit == "killed by SIGKILL"
        await wait_for("both mounts back", on_air, lambda m: set(MOUNTS) <= m, 40,
                       setup.logs)
        # 2b. Icecast "segfaults": started again, Liquidsoap reconnects to it
        icecast_pid = icecast.status().pid
        assert icecast_pid is not None
        restarts = icecast.status().restarts
        os.kill(icecast_pid, signal.SIGSEGV)
        await wait_for("a new Icecast", _async(icecast.status),
                       lambda s: s.restarts > restarts and s.state == "running", 15,
                       setup.logs)
        assert icecast.status().last_exit == "killed by SIGSEGV"
        await wait_for("the mounts again after Icecast came back", on_air,
                       lambda m: set(MOUNTS) <= m, 40, setup.logs)

        # 3. the app's Stop stops the Liquidsoap, Start brings it back
        pid = station().status().pid
        assert pid is not None
        await asyncio.to_thread(control.stop, setup.station_id)
        await wait_for("the Liquidsoap stopped", _async(station().status),
                       lambda s: s.state == "stopped" and not s.desired, 20, setup.logs)
        assert not _pid_alive(pid)
        assert not await port_open("127.0.0.1", setup.telnet_port)
        await wait_for("the mounts off air", on_air, lambda m: not set(MOUNTS) & m, 10,
                       setup.logs)
        await asyncio.to_thread(control.start, setup.station_id)
        await wait_for("on air again after Start", on_air, lambda m: set(MOUNTS) <= m, 40,
                       setup.logs)
        assert station().status().pid not in (None, pid)
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)
        await control.aclose()

    # 4. the daemon left both programs running on its way out
    last = [station().status(), icecast.status()]
    assert [s.state for s in last] == ["running", "running"]
    assert all(s.pid is not None and _pid_alive(s.pid) for s in last)
    report = read_status(setup.config.paths.state_dir)
    assert report is not None and not report.running
    assert set(MOUNTS) <= await asyncio.to_thread(mounts_of, setup.icecast_port)


def write_toml(setup: Setup) -> Path:
    """``setup.config`` as the stationd.toml ``stationd run`` reads."""
    config, paths, policy = setup.config, setup.config.paths, setup.config.supervisor
    intervals = config.intervals

    def words(values: tuple[str, ...]) -> str:
        return json.dumps(list(values))

    path = setup.directory / "stationd.toml"
    path.write_text(f"""
[database]
url = "{config.database_url}"
[server]
id = "{config.server_id}"
[paths]
stations_dir = "{paths.stations_dir}"
picker = "{paths.picker}"
python = "{paths.python}"
log_dir = "{paths.log_dir}"
secrets_dir = "{paths.secrets_dir}"
state_dir = "{paths.state_dir}"
[intervals]
stats = {intervals.stats}
events = {intervals.events}
export = {intervals.export}
supervise = {intervals.supervise}
rollup = {intervals.rollup}
[live_auth]
socket = "{config.live_auth.socket}"
[supervisor]
liquidsoap_command = {words(policy.liquidsoap_command)}
allow_root = {str(policy.allow_root).lower()}
harbor_bind_address = "{policy.harbor_bind_address}"
icecast = "{policy.icecast}"
icecast_command = {words(policy.icecast_command)}
stop_grace = {policy.stop_grace}
backoff_initial = {policy.backoff_initial}
backoff_max = {policy.backoff_max}
stable_after = {policy.stable_after}
""", "utf-8")
    return path


def start_stationd(setup: Setup, toml: Path, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "station_desktop.daemon.cli", "run", "--config", str(toml)],
            stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"})


def sigterm(stationd: subprocess.Popen[bytes]) -> int:
    stationd.send_signal(signal.SIGTERM)
    return stationd.wait(20)


async def test_a_restarted_stationd_adopts_the_liquidsoap_it_left_on_air() -> None:
    with station_setup("station-adopted-") as setup:
        toml, log = write_toml(setup), setup.directory / "stationd.log"
        liquidsoap_log = setup.log_of(f"liquidsoap-{setup.station_id}")
        state = setup.config.paths.state_dir

        def logs() -> str:
            return f"--- stationd:\n{tail(log, 30)}\n{setup.logs()}"

        def station_status() -> dict[str, object]:
            report = read_status(state)
            found = [p for p in report.processes if p["station_id"] == setup.station_id] \
                if report is not None else []
            return found[0] if found else {}

        async def on_air() -> set[str]:
            return await asyncio.to_thread(mounts_of, setup.icecast_port)

        def icecast_says(what: str) -> int:
            # Icecast lists a mount whose source left while its fallback file plays, so
            # whether the source connection held is read from Icecast's own log
            error_log = setup.directory / "icecast" / "log" / "error.log"
            return sum(f'{what} "{m}"' in line for line in error_log.read_text().splitlines()
                       for m in MOUNTS)

        def logins() -> int:
            return icecast_says("Source logging in at mountpoint")

        def sources_left() -> int:
            return icecast_says("Source from 127.0.0.1 at")

        first = start_stationd(setup, toml, log)
        try:
            await wait_for("both mounts on air", on_air, lambda m: set(MOUNTS) <= m, 40,
                           logs)
        finally:
            assert sigterm(first) == 0, logs()
        pid = station_status().get("pid")
        assert isinstance(pid, int) and _pid_alive(pid), logs()
        await asyncio.sleep(1)  # stationd is gone: the stream is not
        assert set(MOUNTS) <= await on_air(), logs()
        assert (logins(), sources_left()) == (2, 0), logs()
        assert "leaving running, for the next stationd to adopt" in log.read_text()

        second = start_stationd(setup, toml, log)
        control = StreamControlService(setup.db)
        try:
            await wait_for("the Liquidsoap adopted", _async(station_status),
                           lambda s: s.get("adopted") is True and s.get("desired") is True,
                           20, logs)
            assert station_status()["pid"] == pid and _pid_alive(pid)
            assert "adopted Liquidsoap of station" in log.read_text()
            # one Liquidsoap only, ever started
            assert liquidsoap_log.read_text().count("stationd starts:") == 1
            assert set(MOUNTS) <= await on_air()
            assert (logins(), sources_left()) == (2, 0), logs()  # the same connections

            # the desired state stops the adopted process
            await asyncio.to_thread(control.stop, setup.station_id)
            await wait_for("the adopted Liquidsoap stopped", _async(lambda: _pid_alive(pid)),
                           lambda up: not up, 20, logs)
            await wait_for("both sources gone from Icecast", _async(sources_left),
                           lambda n: n == 2, 10, logs)
            await wait_for("stopped in the status", _async(station_status),
                           lambda s: s.get("state") == "stopped", 10, logs)
        finally:
            assert sigterm(second) == 0, logs()
            await control.aclose()


def mounts_of(port: int) -> set[str]:
    """The mounts Icecast lists now; empty when it does not answer."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/status-json.xsl",
                                    timeout=2) as response:
            stats = json.loads(response.read())["icestats"]
    except (OSError, ValueError):
        return set()
    sources = stats.get("source", [])
    sources = sources if isinstance(sources, list) else [sources]
    return {"/" + s["listenurl"].split("/", 3)[3] for s in sources}


def _async(read: Callable[[], T]) -> Callable[[], Awaitable[T]]:
    async def probe() -> T:
        return read()
    return probe
