"""stationd's supervisor running the REAL Icecast 2.4.4 and Liquidsoap 2.1.3 of a station
that lives in a database, inside a running :class:`Runner`:

1. it starts Icecast (``icecast = "process"``) and the station's Liquidsoap from the
   rendered script: both mounts come on air;
2. a Liquidsoap killed with SIGKILL is started again; an Icecast that segfaults (as 2.4.4
   does in a few percent of starts) is started again, and Liquidsoap reconnects to it;
3. the app's Stop (``StreamControlService.stop``) stops the Liquidsoap within a few
   passes, Start brings it back;
4. stopping the daemon stops both programs.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import sys
import tempfile
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
from station_desktop.daemon.processes import Supervised, port_open
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
        built.db.dispose()
        if not os.environ.get("STATION_TEST_KEEP_STACK"):
            shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="module")
def setup() -> Iterator[Setup]:
    with station_setup("station-supervised-") as built:
        yield built


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

    # 4. the daemon stopped both programs on its way out
    last = [station().status(), icecast.status()]
    assert [s.state for s in last] == ["stopped", "stopped"]
    report = read_status(setup.config.paths.state_dir)
    assert report is not None and not report.running
    assert not await port_open("127.0.0.1", setup.icecast_port)
    assert not await port_open("127.0.0.1", setup.telnet_port)


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
