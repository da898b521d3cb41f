"""The daemon's loop (``Runner``) with short intervals against a real database, a scripted
Icecast on loopback and a stations directory with an events file; ``stationd run`` as a
real process stopped with SIGTERM; and a MariaDB restart under a running daemon."""

from __future__ import annotations

import asyncio
import datetime as dt
import http.server
import json
import os
import signal
import socketserver
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers.mariadb import ThrowawayMariaDB
from sqlalchemy import select
from unit.control.fake_peers import ScriptedHttpServer
from unit.test_collector_scripted_peer import (  # noqa: F401  (peers is a fixture)
    STATUS,
    dead_port,
    peers,
    rows,
    scripted_peer,
    server_on,
    source,
    station_on,
    status,
)

from station_desktop.daemon.buffer import BUFFER_FILE, SampleBuffer
from station_desktop.daemon.collector import RoundNotStored
from station_desktop.daemon.config import (
    AlertsConfig,
    DaemonConfig,
    IntervalsConfig,
    LiveAuthConfig,
    PathsConfig,
    RetentionConfig,
    SupervisorConfig,
)
from station_desktop.daemon.plan import PLAN_FILE
from station_desktop.daemon.runner import DATABASE_UNREACHABLE, Runner
from station_desktop.db import migrate
from station_desktop.db.engine import Database
from station_desktop.db.models import StreamStats, StreamStatsHourly
from station_desktop.db.types import utcnow
from station_desktop.services.alerts import AlertService
from station_desktop.services.stats import Sample, StatsService

FAST = IntervalsConfig(stats=0.1, events=0.05, export=0.1, supervise=0.1)


def make_config(tmp_path: Path, db: Database, server_id: str,
                intervals: IntervalsConfig = FAST, webhook: str | None = None,
                supervisor: SupervisorConfig | None = None,
                retention: RetentionConfig | None = None) -> DaemonConfig:
    """Everything under ``tmp_path``; no supervisor unless one is given."""
    return DaemonConfig(
        source=tmp_path / "stationd.toml", database_url=db.url, server_id=server_id,
        paths=PathsConfig(stations_dir=tmp_path / "stations", log_dir=tmp_path / "log",
                          secrets_dir=tmp_path / "secrets", state_dir=tmp_path / "state"),
        intervals=intervals, alerts=AlertsConfig(3, webhook),
        retention=retention or RetentionConfig(),
        live_auth=LiveAuthConfig(socket=tmp_path / "state" / "auth.sock"),
        supervisor=supervisor or SupervisorConfig(liquidsoap=False))


def event(kind: str, station: str, at: float, **extra: Any) -> str:
    return json.dumps({"event": kind, "station_id": station, "ts": at, **extra}) + "\n"


async def wait_for(condition: Any, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not await asyncio.to_thread(condition):
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.05)


@pytest.mark.asyncio
async def test_samples_live_sessions_and_programmes(
    db: Database, peers: list[ScriptedHttpServer], tmp_path: Path  # noqa: F811
) -> None:
    peer = await scripted_peer(peers, status(source("/rn-128", 4, title="A - B")))
    server = server_on(db, peer.port)
    station = station_on(db, server.id, "/rn", bitrates=(128,))
    events = tmp_path / "stations" / station / "events.jsonl"
    events.parent.mkdir(parents=True)
    now = time.time()
    events.write_text(event("live_connect", station, now - 60, user="source",
                            ice_name="Night Show")
                      + event("live_disconnect", station, now - 1))
    runner = Runner(make_config(tmp_path, db, server.id), db)
    stop = asyncio.Event()
    task = asyncio.create_task(runner.run(stop))

    await wait_for(lambda: len(rows(db, station)) >= 3)
    await wait_for(lambda: bool(StatsService(db).live_sessions(station)))
    await wait_for((events.parent / "programme.json").is_file)
    stop.set()
    started = time.monotonic()
    await asyncio.wait_for(task, 5)
    assert time.monotonic() - started < 1.5

    stored = rows(db, station)
    assert all(r.listeners == 4 and r.currentSong == "A - B" for r in stored)
    assert len({r.timestamp for r in stored}) == len(stored)
    (session,) = StatsService(db).live_sessions(station)
    assert session.dj_name == "Night Show" and session.end is not None
    offset = json.loads((events.parent / "events.jsonl.offset").read_text())
    assert offset["offset"] == events.stat().st_size
    assert json.loads((events.parent / "programme.json").read_text())
    assert len(SampleBuffer(tmp_path / "state")) == 0
    assert runner.rounds["stats"] >= 3 and runner.rounds["events"] >= 3
    assert runner.rounds["rollup"] >= 1  # the start-up catch-up
    assert (tmp_path / "state" / PLAN_FILE).is_file()


@pytest.mark.asyncio
async def test_a_failing_round_never_stops_the_loop(
    db: Database, peers: list[ScriptedHttpServer], tmp_path: Path,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    peer = await scripted_peer(peers, status(source("/x-128", 1)))
    server = server_on(db, peer.port)
    station_on(db, server.id, "/x", bitrates=(128,))
    runner = Runner(make_config(tmp_path, db, server.id), db)
    calls = 0

    def broken() -> None:
        nonlocal calls
        calls += 1
        raise RuntimeError("boom")

    runner._export_sync = broken  # type: ignore[method-assign]
    stop = asyncio.Event()
    task = asyncio.create_task(runner.run(stop))
    await asyncio.sleep(0.55)
    stop.set()
    await asyncio.wait_for(task, 5)
    assert calls >= 4  # every 0.1 s, on schedule, despite failing
    assert "the export round failed" in caplog.text


@pytest.mark.asyncio
async def test_rounds_keep_to_a_monotonic_grid(tmp_path: Path, db: Database) -> None:
    server = server_on(db, 9)  # nothing listens: Icecast failures are data
    runner = Runner(make_config(tmp_path, db, server.id,
                                IntervalsConfig(stats=5, events=0.1, export=5)), db)
    stamps: list[float] = []

    async def slow_round() -> None:
        stamps.append(time.monotonic())
        await asyncio.sleep(0.03)  # work inside the interval must not shift the grid

    runner.events_round = slow_round  # type: ignore[method-assign]
    stop = asyncio.Event()
    task = asyncio.create_task(runner.run(stop))
    await asyncio.sleep(1.05)
    stop.set()
    await asyncio.wait_for(task, 10)
    assert 9 <= len(stamps) <= 12
    # the rounds stay on the grid start + k * 0.1 s: a round may be skipped when the
    # machine is busy, never shifted (the first shares the start-up with the other jobs)
    ticks = (stamps[-1] - stamps[1]) / 0.1
    assert abs(ticks - round(ticks)) * 0.1 < 0.05, stamps


# --- a real process --------------------------------------------------------------------------


class _Icecast(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = json.dumps({"icestats": {"server_id": "Icecast 2.4.4", "source": {
            "listeners": 2, "listener_peak": 2, "listenurl": "http://127.0.0.1:8000/proc-128",
            "title": "P - Q"}}}).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def threaded_icecast() -> Iterator[int]:
    httpd = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Icecast)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield int(httpd.server_address[1])
    httpd.shutdown()
    httpd.server_close()


def test_stationd_run_stops_cleanly_on_sigterm(tmp_path: Path, threaded_icecast: int) -> None:
    url = f"sqlite:///{tmp_path / 'station.db'}"
    migrate.upgrade(url)
    db = Database(url)
    try:
        server = server_on(db, threaded_icecast)
        station = station_on(db, server.id, "/proc", bitrates=(128,))
    finally:
        db.dispose()
    events = tmp_path / "stations" / station / "events.jsonl"
    events.parent.mkdir(parents=True)
    events.write_text(event("live_connect", station, time.time() - 5, user="source"))
    config = tmp_path / "stationd.toml"
    config.write_text(f"""
[database]
url = "{url}"
[server]
id = "{server.id}"
[paths]
stations_dir = "{tmp_path / 'stations'}"
state_dir = "{tmp_path / 'state'}"
secrets_dir = "{tmp_path / 'secrets'}"
log_dir = "{tmp_path / 'log'}"
[intervals]
stats = 0.2
events = 0.1
export = 0.2
[live_auth]
socket = "{tmp_path / 'state' / 'auth.sock'}"
[supervisor]
liquidsoap = false
""")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "station_desktop.daemon.cli", "run", "--config", str(config)],
        stderr=subprocess.PIPE, text=True, env=env)
    try:
        check = Database(url)
        try:
            deadline = time.monotonic() + 20
            while len(rows(check, station)) < 2 or not (events.parent / "programme.json").exists():
                assert process.poll() is None, process.communicate()[1]
                assert time.monotonic() < deadline, "stationd did not get going"
                time.sleep(0.1)
        finally:
            check.dispose()
        process.send_signal(signal.SIGTERM)
        started = time.monotonic()
        _, stderr = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, stderr
    assert time.monotonic() - started < 5
    assert "INFO station_desktop.daemon.runner: stationd stopped" in stderr
    assert not any(line[:4].isdigit() for line in stderr.splitlines())  # no timestamps
    state = json.loads((events.parent / "events.jsonl.offset").read_text())
    assert state["offset"] == events.stat().st_size
    assert len(SampleBuffer(tmp_path / "state")) == 0
    assert (tmp_path / "state" / BUFFER_FILE).is_file()
    db = Database(url)
    try:
        assert StatsService(db).open_live_session(station) is not None
    finally:
        db.dispose()


# --- the database restarts under a running daemon ---------------------------------------------


@pytest.fixture
def own_mariadb() -> Iterator[ThrowawayMariaDB]:
    if not os.environ.get("STATION_TEST_MARIADB_URL"):
        pytest.skip("MariaDB tests need scripts/test (STATION_TEST_MARIADB_URL)")
    server = ThrowawayMariaDB.create()  # its own directory (the mysql user must write it)
    server.start()
    yield server
    server.destroy()


@pytest.mark.integration
@pytest.mark.asyncio
async def test_a_mariadb_restart_loses_no_sample(
    own_mariadb: ThrowawayMariaDB, peers: list[ScriptedHttpServer], tmp_path: Path,  # noqa: F811
) -> None:
    from sqlalchemy import create_engine, text
    admin = create_engine(own_mariadb.admin_url)
    with admin.begin() as conn:
        conn.execute(text("CREATE DATABASE station CHARACTER SET utf8mb4"))
    admin.dispose()
    url = own_mariadb.admin_url + "station"
    migrate.upgrade(url)
    db = Database(url)
    peer = await scripted_peer(peers, status(source("/mr-128", 3)))
    server = server_on(db, peer.port)
    station = station_on(db, server.id, "/mr", bitrates=(128,))
    notified: list[dict[str, Any]] = []

    async def poster(_url: str, document: dict[str, Any]) -> None:
        notified.append(document)

    runner = Runner(make_config(tmp_path, db, server.id,
                                IntervalsConfig(stats=0.2, events=0.1, export=0.2),
                                webhook="http://hooks.invalid/x"),
                    db, backoff_cap=0.4, poster=poster)
    taken: list[dt.datetime] = []
    original = runner.collector.collect_once

    async def counting(*args: Any, **kwargs: Any) -> Any:
        try:
            report = await original(*args, **kwargs)
        except RoundNotStored as error:  # a round taken while the database was down
            taken.append(error.report.at)
            raise
        taken.append(report.at)
        return report

    runner.collector.collect_once = counting  # type: ignore[method-assign]
    stop = asyncio.Event()
    task = asyncio.create_task(runner.run(stop))
    try:
        await wait_for(lambda: len(rows(db, station)) >= 2, 10)
        await asyncio.to_thread(own_mariadb.stop)
        down_from = len(taken)
        await wait_for(lambda: len(taken) >= down_from + 4 and runner.db_down, 15)
        assert len(runner.buffer) >= 3
        await asyncio.to_thread(own_mariadb.start)
        await wait_for(lambda: not runner.db_down and len(runner.buffer) == 0, 15)
        await asyncio.sleep(0.3)
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)
    with db.read() as s:
        stored = list(s.scalars(select(StreamStats.timestamp)
                                .where(StreamStats.clientId == station)))
    db.dispose()
    stored_set = {t.replace(tzinfo=dt.UTC) if t.tzinfo is None else t for t in stored}
    expected = {t.replace(microsecond=t.microsecond // 1000 * 1000) for t in taken}
    assert expected <= stored_set, sorted(expected - stored_set)
    assert len(stored) == len(taken)
    assert [d["state"] for d in notified if d["kind"] == DATABASE_UNREACHABLE] == \
        ["raised", "cleared"]


def test_stationd_run_with_a_bad_configuration_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from station_desktop.daemon.cli import main
    assert main(["run", "--config", str(tmp_path / "nope.toml")]) == 1
    assert "no configuration file" in capsys.readouterr().err
    bad = tmp_path / "bad.toml"
    bad.write_text('[database]\nurl = "mysql://u:hunter2@h/d"\n[server]\nid = "x"\n')
    assert main(["run", "--config", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "db-password" in err and "hunter2" not in err


# --- mount_down alerts through a real webhook receiver ------------------------------------------


class WebhookReceiver:
    """A tiny HTTP server on loopback that keeps the JSON documents POSTed to it."""

    def __init__(self) -> None:
        self.documents: list[dict[str, Any]] = []
        self.requests: list[tuple[str, str, dict[str, str]]] = []  # method, path, headers
        self._server: asyncio.Server | None = None
        self.url = ""

    async def __aenter__(self) -> WebhookReceiver:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.url = f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}/hooks/stationd"
        return self

    async def __aexit__(self, *_exc: object) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
            method, path, _ = head[0].split(" ", 2)
            headers = {k.strip().lower(): v.strip() for k, _, v in
                       (line.partition(":") for line in head[1:] if ":" in line)}
            body = await reader.readexactly(int(headers.get("content-length", "0")))
            self.requests.append((method, path, headers))
            self.documents.append(json.loads(body))
            writer.write(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n")
            await writer.drain()
        finally:
            writer.close()


@pytest.mark.asyncio
async def test_mount_down_alerts_are_posted_to_the_webhook(
    db: Database, peers: list[ScriptedHttpServer], tmp_path: Path  # noqa: F811
) -> None:
    # Icecast answers, but the station's mount has no source
    peer = await scripted_peer(peers, status(source("/someone-else-128", 1)))
    server = server_on(db, peer.port)
    station = station_on(db, server.id, "/md", bitrates=(128,))
    async with WebhookReceiver() as receiver:
        runner = Runner(make_config(tmp_path, db, server.id, webhook=receiver.url), db)
        stop = asyncio.Event()
        task = asyncio.create_task(runner.run(stop))
        try:
            def sent(state: str) -> bool:
                return any(d["kind"] == "mount_down" and d["state"] == state
                           for d in receiver.documents)

            await wait_for(lambda: sent("raised"), 10)
            assert AlertService(db).open_alert(server.id, station, "mount_down") is not None
            peer.routes[STATUS] = status(source("/md-128", 2))  # the source is back
            await wait_for(lambda: sent("cleared"), 10)
        finally:
            stop.set()
            await asyncio.wait_for(task, 5)
    documents = [d for d in receiver.documents if d["kind"] == "mount_down"]
    assert [d["state"] for d in documents] == ["raised", "cleared"]  # once each
    raised, cleared = documents
    assert raised["source"] == "stationd" and raised["server_id"] == server.id
    assert raised["station_id"] == station == cleared["station_id"]
    assert "Station /md has no stream on VPS" in raised["message"]
    assert "3 checks in a row" in raised["message"]
    assert cleared["message"] == "Station /md on VPS is streaming again."
    assert dt.datetime.fromisoformat(raised["at"]) <= dt.datetime.fromisoformat(cleared["at"])
    method, path, headers = receiver.requests[0]
    assert (method, path) == ("POST", "/hooks/stationd")
    assert headers["content-type"] == "application/json"
    assert AlertService(db).open_alert(server.id, station, "mount_down") is None
    assert all(d["kind"] == "mount_down" for d in receiver.documents)


# --- roll-ups and retention -------------------------------------------------------------------


def hourly(db: Database, station: str) -> dict[dt.datetime, int]:
    with db.read() as s:
        found = s.execute(select(StreamStatsHourly.bucketStart, StreamStatsHourly.samples)
                          .where(StreamStatsHourly.clientId == station)).all()
    return {(at if at.tzinfo else at.replace(tzinfo=dt.UTC)): n for at, n in found if n}


@pytest.mark.asyncio
async def test_rollups_and_retention_of_this_servers_stations(
    db: Database, tmp_path: Path
) -> None:
    now = utcnow()
    hour = now.replace(minute=0, second=0, microsecond=0)
    old, recent = hour - dt.timedelta(days=5), hour - dt.timedelta(days=2)
    server = server_on(db, dead_port())
    other = server_on(db, dead_port(), name="Other VPS")
    mine = station_on(db, server.id, "/mine", bitrates=(128,))
    theirs = station_on(db, other.id, "/theirs", bitrates=(128,))
    stats = StatsService(db)
    for station in (mine, theirs):
        stats.record_samples([(station, Sample(start + dt.timedelta(minutes=5 * k), 3, 3))
                              for start in (old, recent) for k in range(3)])
    slow = IntervalsConfig(stats=3600, events=3600, export=3600, supervise=3600, rollup=3600)
    runner = Runner(make_config(tmp_path, db, server.id, slow,
                                retention=RetentionConfig(raw_days=3)), db)
    await runner.rollup_round()

    assert hourly(db, mine) == {old: 3, recent: 3}
    assert hourly(db, theirs) == {}  # another server's station: its own stationd's work
    assert len(rows(db, mine)) == 3 and runner.pruned == 3  # the old hour, rolled up, went
    assert len(rows(db, theirs)) == 6
    assert runner.last_rollup is not None and runner.last_rollup.hourly_rows >= 2

    # a sample of an hour already rolled up, written late (replayed from the buffer)
    runner.buffer.append([(mine, Sample(recent + dt.timedelta(minutes=40), 9, 9))])
    await runner.stats_round()  # Icecast does not answer: only the replay happens
    assert len(rows(db, mine)) == 4
    await runner.rollup_round()
    assert hourly(db, mine) == {old: 3, recent: 4}
    await runner.rollup_round()  # nothing late any more: incremental, same answer
    assert hourly(db, mine) == {old: 3, recent: 4}

    keep = Runner(make_config(tmp_path / "keep", db, other.id, slow,
                              retention=RetentionConfig(raw_days=0)), db)
    await keep.rollup_round()
    assert hourly(db, theirs) == {old: 3, recent: 3}
    assert len(rows(db, theirs)) == 6 and keep.pruned == 0  # 0 days: kept for ever


# --- a daemon that starts while the database is down ---------------------------------------


def _stationd(config: Path) -> subprocess.Popen[str]:
    # no keyring in the child (the tests' in-memory one lives in the tests' path)
    env = {**os.environ, "PYTHONUNBUFFERED": "1",
           "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
    return subprocess.Popen(
        [sys.executable, "-m", "station_desktop.daemon.cli", "run", "--config", str(config)],
        stderr=subprocess.PIPE, text=True, env=env)


def _until(what: str, condition: Any, process: subprocess.Popen[str],
           timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if process.poll() is not None:
            pytest.fail(f"stationd exited while waiting for {what}: "
                        f"{process.communicate()[1]}")
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def _terminate(process: subprocess.Popen[str]) -> str:
    process.send_signal(signal.SIGTERM)
    try:
        _, stderr = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, stderr
    return stderr


@pytest.mark.integration
def test_a_stationd_started_while_mariadb_is_down_samples_and_replays(
    own_mariadb: ThrowawayMariaDB, threaded_icecast: int, tmp_path: Path
) -> None:
    from sqlalchemy import create_engine, text
    admin = create_engine(own_mariadb.admin_url)
    with admin.begin() as conn:
        conn.execute(text("CREATE DATABASE station CHARACTER SET utf8mb4"))
    admin.dispose()
    url = own_mariadb.admin_url + "station"
    migrate.upgrade(url)
    db = Database(url)
    server = server_on(db, threaded_icecast)
    station = station_on(db, server.id, "/proc", bitrates=(128,))
    state = tmp_path / "state"
    config = tmp_path / "stationd.toml"
    config.write_text(f"""
[database]
url = "{url}"
[server]
id = "{server.id}"
[paths]
stations_dir = "{tmp_path / 'stations'}"
state_dir = "{state}"
secrets_dir = "{tmp_path / 'secrets'}"
log_dir = "{tmp_path / 'log'}"
[intervals]
stats = 0.2
events = 0.2
export = 0.5
[live_auth]
socket = "{state / 'auth.sock'}"
[supervisor]
liquidsoap = false
""")
    try:
        # a first stationd, with the database up, reads (and saves) the plan
        first = _stationd(config)
        _until("a sample and the saved plan",
               lambda: len(rows(db, station)) >= 1 and (state / PLAN_FILE).is_file(), first)
        _terminate(first)
        before = len(rows(db, station))
        db.dispose()

        own_mariadb.stop()
        second = _stationd(config)  # the database is down from the start
        try:
            _until("samples buffered while the database is down",
                   lambda: len(SampleBuffer(state)) >= 3, second)
            own_mariadb.start()
            _until("the buffer replayed",
                   lambda: len(SampleBuffer(state)) == 0 and len(rows(db, station)) >= before + 3,
                   second)
        finally:
            stderr = _terminate(second)
    finally:
        db.dispose()
    assert "the database is unreachable at start" in stderr
    assert "loaded the last plan from" in stderr
    assert "buffered 1 sample(s) the database did not take" in stderr
    assert "buffered sample(s) to the database" in stderr
    stored = rows(db, station)
    db.dispose()
    assert all(r.listeners == 2 and r.currentSong == "P - Q" for r in stored)
    assert len({r.timestamp for r in stored}) == len(stored)


@pytest.mark.asyncio
async def test_the_same_expected_error_every_round_is_logged_once(
    db: Database, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    runner = Runner(make_config(tmp_path, db, "no-such-server",
                                supervisor=SupervisorConfig(liquidsoap=True)), db)
    stop = asyncio.Event()
    task = asyncio.create_task(runner.run(stop))
    await wait_for(lambda: runner.rounds["stats"] >= 4 and runner.rounds["supervise"] >= 2)
    stop.set()
    await asyncio.wait_for(task, 5)
    errors = [r.getMessage() for r in caplog.records
              if "round failed" in r.getMessage() and r.levelname == "ERROR"]
    assert sorted(e.split(" round")[0] for e in errors) == ["the stats", "the supervise"]
    assert all("'no-such-server' does not exist" in e for e in errors)
    assert "Traceback" not in caplog.text
