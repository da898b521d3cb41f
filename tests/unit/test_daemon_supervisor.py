"""The supervisor's process handling with real child processes (``sh``, ``sleep``, Python):
back-off, crash alerts, SIGTERM then SIGKILL, adopting what an earlier stationd left
running (never a pid the kernel gave to another program), the Icecast restart command;
and the desired state from the database (SQLite and MariaDB) enforced on a stand-in for
Liquidsoap (a small Python program that records how it was started: the real Liquidsoap
and Icecast are in tests/integration/test_supervisor_real.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update
from unit.control.fake_peers import ScriptedHttpServer
from unit.test_collector_scripted_peer import (  # noqa: F401  (peers is a fixture)
    dead_port,
    peers,
    scripted_peer,
    server_on,
    station_on,
    status,
)

from station_desktop.daemon.cli import main
from station_desktop.daemon.config import (
    SOURCE_SECRET,
    AlertsConfig,
    DaemonConfig,
    LiveAuthConfig,
    PathsConfig,
    SupervisorConfig,
)
from station_desktop.daemon.processes import (
    ADOPTED_EXIT,
    Launch,
    Supervised,
    find_adoptable,
    process_cmdline,
    process_start_time,
    run_command,
)
from station_desktop.daemon.supervisor import (
    STATUS_FILE,
    IcecastRestarter,
    Supervisor,
    read_status,
)
from station_desktop.db.engine import Database
from station_desktop.db.models import StreamConfig
from station_desktop.services.fleet import FleetService, ServerRecord
from station_desktop.services.stations import StationService
from station_desktop.services.stream_control import StreamControlService

pytestmark = pytest.mark.asyncio

Alerts = list[tuple[str, str, str | None, str]]


def recorder(alerts: Alerts) -> Callable[[str, str, str | None, str], Awaitable[None]]:
    async def on_alert(state: str, kind: str, station: str | None, message: str) -> None:
        alerts.append((state, kind, station, message))
    return on_alert


async def until(what: str, condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.02)


def alive(pid: int) -> bool:
    return process_start_time(pid) is not None  # a zombie is not alive


@pytest.fixture(autouse=True)
def stop_what_is_left_running(tmp_path: Path) -> Any:
    """A supervisor that closes leaves its processes running (for the next stationd):
    stop them after each test, from their pid files."""
    yield
    for directory in (tmp_path / "processes", tmp_path / "state" / "processes"):
        if directory.is_dir():
            for record in find_adoptable(directory).values():
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(record.pid, signal.SIGKILL)


def supervised(tmp_path: Path, policy: SupervisorConfig, prepare: Callable[[], Awaitable[Launch]],
               alerts: Alerts, name: str = "proc") -> Supervised:
    return Supervised(name, "liquidsoap", f"Test {name}", prepare=prepare, policy=policy,
                      directory=tmp_path / "processes", on_change=lambda: None,
                      on_alert=recorder(alerts), station_id="st-1")


# -- one process ------------------------------------------------------------------------


async def test_a_crashing_process_backs_off_doubling_to_the_cap_and_raises_an_alert(
    tmp_path: Path
) -> None:
    policy = SupervisorConfig(backoff_initial=0.1, backoff_max=0.4, stable_after=30,
                              crash_alert_count=3, crash_alert_window=60, stop_grace=1)
    starts: list[float] = []
    alerts: Alerts = []

    async def prepare() -> Launch:
        starts.append(time.monotonic())
        return Launch(["sh", "-c", "echo 'fatal: boom' >&2; exit 3"])

    process = supervised(tmp_path, policy, prepare, alerts)
    process.start()
    await until("five starts", lambda: len(starts) >= 5)
    status = process.status()
    await process.stop()

    gaps = [b - a for a, b in itertools.pairwise(starts)]
    for gap, expected in zip(gaps, (0.1, 0.2, 0.4, 0.4), strict=False):
        assert expected <= gap < expected + 0.35, gaps
    assert status.last_exit == "exit code 3" and status.restarts >= 4
    assert status.last_error is not None and "exited (exit code 3)" in status.last_error
    assert status.crashes_in_window >= 3
    log = (tmp_path / "processes" / "proc.log").read_text()
    assert "fatal: boom" in log and "stationd starts: sh -c" in log
    # one alert when the third crash came, none for the later ones, cleared on stop
    assert [(a[0], a[1], a[2]) for a in alerts] == [
        ("raised", "liquidsoap_crashing", "st-1"), ("cleared", "liquidsoap_crashing", "st-1")]
    assert "failed 3 times in 60 s" in alerts[0][3] and "proc.log" in alerts[0][3]
    assert process.status().state == "stopped"


async def test_a_start_that_fails_is_counted_and_retried_never_raised(tmp_path: Path) -> None:
    policy = SupervisorConfig(backoff_initial=0.05, backoff_max=0.1, crash_alert_count=2)
    alerts: Alerts = []
    calls = 0

    async def prepare() -> Launch:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("the script cannot be rendered")
        return Launch([str(tmp_path / "no-such-program")])

    process = supervised(tmp_path, policy, prepare, alerts)
    process.start()
    await until("three attempts", lambda: calls >= 3)
    status = process.status()
    await process.stop()
    assert status.last_error is not None and "could not start" in status.last_error
    assert "FileNotFoundError" in status.last_error or "RuntimeError" in status.last_error
    assert alerts[0][0] == "raised" and "could not start" in alerts[0][3]


async def test_stop_sends_sigterm_then_sigkill_after_the_grace(tmp_path: Path) -> None:
    policy = SupervisorConfig(stop_grace=0.5)
    alerts: Alerts = []
    stubborn = Launch(["sh", "-c", "trap '' TERM; sleep 30 & wait; sleep 30"])
    polite = Launch(["sleep", "30"])
    for launch, slowest in ((stubborn, 3.0), (polite, 0.45)):
        async def prepare(launch: Launch = launch) -> Launch:
            return launch

        process = supervised(tmp_path, policy, prepare, alerts)
        process.start()
        await until("running", lambda p=process: p.status().state == "running")
        pid = process.status().pid
        assert pid is not None and (tmp_path / "processes" / "proc.pid").is_file()
        started = time.monotonic()
        await process.stop()
        took = time.monotonic() - started
        assert took < slowest, took
        if launch is stubborn:
            assert took >= 0.5
        assert not alive(pid)
        assert not (tmp_path / "processes" / "proc.pid").exists()
        assert process.status().last_exit in ("killed by SIGKILL", "killed by SIGTERM")
    assert alerts == []


async def test_a_process_up_long_enough_is_healthy_again(tmp_path: Path) -> None:
    policy = SupervisorConfig(backoff_initial=0.05, backoff_max=0.1, stable_after=0.4,
                              crash_alert_count=2, stop_grace=1)
    alerts: Alerts = []
    calls = 0

    async def prepare() -> Launch:
        nonlocal calls
        calls += 1
        return Launch(["sh", "-c", "exit 1"] if calls <= 2 else ["sleep", "30"])

    process = supervised(tmp_path, policy, prepare, alerts)
    process.start()
    await until("the alert cleared", lambda: len(alerts) == 2, 5)
    assert [a[0] for a in alerts] == ["raised", "cleared"]
    assert "running for 0.4 s again" in alerts[1][3]
    status = process.status()
    assert status.state == "running" and status.restarts == 2
    await process.restart("a test")
    await until("a new pid", lambda: process.status().pid not in (None, status.pid))
    assert process.status().restarts == 3 and process.status().crashes_in_window == 2
    await process.stop()
    assert len(alerts) == 2  # a planned restart is no crash


async def test_stale_pid_files_are_removed_and_their_pids_left_alone(tmp_path: Path) -> None:
    directory = tmp_path / "processes"
    directory.mkdir()
    stranger = subprocess.Popen(["sleep", "30"], start_new_session=True)
    ours = subprocess.Popen(["sleep", "31"], start_new_session=True)
    dead = subprocess.Popen(["true"])
    dead.wait()
    try:
        started = process_start_time(stranger.pid)

        def pid_file(name: str, pid: int, start_time: str | None, cmdline: list[str]) -> None:
            (directory / f"{name}.pid").write_text(json.dumps(
                {"pid": pid, "start_time": start_time, "cmdline": cmdline, "argv": cmdline,
                 "label": name, "kind": "liquidsoap", "station_id": name}))

        pid_file("ours", ours.pid, process_start_time(ours.pid), ["sleep", "31"])
        # the pid (and even its start time) of another program: the command line differs
        pid_file("reused", stranger.pid, started, ["liquidsoap", "/x/station.liq"])
        pid_file("restarted", stranger.pid, "1", ["sleep", "30"])  # another start time
        pid_file("dead", dead.pid, "1", ["true"])
        (directory / "broken.pid").write_text("not json")
        (directory / "old-format.pid").write_text(json.dumps(
            {"pid": stranger.pid, "start_time": started}))

        found = find_adoptable(directory)
        assert list(found) == ["ours"] and found["ours"].pid == ours.pid
        assert found["ours"].cmdline == process_cmdline(ours.pid) == ("sleep", "31")
        assert sorted(p.name for p in directory.glob("*.pid")) == ["ours.pid"]
        assert stranger.poll() is None and process_start_time(stranger.pid) == started
    finally:
        for child in (stranger, ours):
            child.kill()
            child.wait()


async def test_run_command_reports_how_it_ended(tmp_path: Path) -> None:
    log = tmp_path / "out.log"
    assert await run_command(["sh", "-c", "echo hi; exit 2"], log) == "exit code 2"
    assert await run_command(["sleep", "30"], log, timeout=0.2) == "killed after 0.2 s"
    assert (await run_command([str(tmp_path / "nope")], log)).startswith("could not run it")
    assert "hi" in log.read_text() and "--- " in log.read_text()


async def test_icecast_restart_command_after_the_threshold_with_backoff(
    tmp_path: Path, peers: list[ScriptedHttpServer]  # noqa: F811
) -> None:
    marker = tmp_path / "restarted"
    policy = SupervisorConfig(icecast="restart-command", backoff_initial=0.3, backoff_max=5,
                              crash_alert_count=2, crash_alert_window=60,
                              icecast_restart_command=("sh", "-c", f"echo x >> {marker}"))
    alerts: Alerts = []
    restarter = IcecastRestarter(policy, threshold=2, directory=tmp_path,
                                 on_alert=recorder(alerts), on_change=lambda: None)
    down = ServerRecord(id="srv", name="VPS", host="127.0.0.1", port=dead_port(), capacity=1,
                        current_load=0, status="online", region=None, version="v1")

    def runs() -> int:
        return len(marker.read_text().splitlines()) if marker.exists() else 0

    await restarter.check(down)
    assert runs() == 0 and restarter.state == "failing"
    await restarter.check(down)
    assert runs() == 1 and restarter.restarts == 1
    await restarter.check(down)
    assert runs() == 1  # backing off
    await asyncio.sleep(0.35)
    await restarter.check(down)
    assert runs() == 2 and alerts[-1][:3] == ("raised", "icecast_crashing", None)
    assert restarter.status().state == "restarting"

    peer = await scripted_peer(peers, status())
    up = replace(down, port=peer.port)
    await restarter.check(up)
    assert restarter.state == "answering" and restarter.failures == 0
    assert [a[0] for a in alerts] == ["raised", "cleared"]


# -- the desired state from the database ------------------------------------------------

STAND_IN = """
import json, os, sys, time
with open(sys.argv[1], "a") as out:
    out.write(json.dumps({"pid": os.getpid(), "argv": sys.argv[2:]}) + "\\n")
time.sleep(60)
"""


def stand_in_config(tmp_path: Path, db: Database, server_id: str,
                    **policy: Any) -> DaemonConfig:
    """A supervisor whose "Liquidsoap" is a stand-in recording its starts in starts.jsonl."""
    program = tmp_path / "stand_in.py"
    program.write_text(STAND_IN)
    secrets = tmp_path / "secrets"
    secrets.mkdir(exist_ok=True)
    (secrets / SOURCE_SECRET).write_text("source-pw")
    (secrets / SOURCE_SECRET).chmod(0o600)
    command = (sys.executable, str(program), str(tmp_path / "starts.jsonl"), "{script}",
               "{station}")
    return DaemonConfig(
        source=tmp_path / "stationd.toml", database_url=db.url, server_id=server_id,
        paths=PathsConfig(stations_dir=tmp_path / "stations", log_dir=tmp_path / "log",
                          secrets_dir=secrets, state_dir=tmp_path / "state"),
        alerts=AlertsConfig(3, None), live_auth=LiveAuthConfig(enabled=False),
        supervisor=SupervisorConfig(liquidsoap_command=command, stop_grace=2,
                                    backoff_initial=0.1, **policy))


def starts(tmp_path: Path) -> list[dict[str, Any]]:
    path = tmp_path / "starts.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def free_telnet_port(db: Database, station: str) -> None:
    """assign_server takes ports from fixed bases; something else may listen there."""
    with db.transaction() as s:
        s.execute(update(StreamConfig).where(StreamConfig.clientId == station)
                  .values(telnetPort=dead_port(), harborPort=dead_port()))


async def test_the_desired_state_from_the_database_on_a_stand_in_liquidsoap(
    db: Database, tmp_path: Path
) -> None:
    server = server_on(db, 8000)
    other = server_on(db, 8001, name="Other VPS")
    station = station_on(db, server.id, "/desired", bitrates=(128,))
    free_telnet_port(db, station)
    alerts: Alerts = []
    config = stand_in_config(tmp_path, db, server.id)
    supervisor = Supervisor(config, db, recorder(alerts))
    fleet, stations, control = FleetService(db), StationService(db), StreamControlService(db)

    async def reconcile(fresh: bool = True) -> None:
        configs = stations.list_configs(server.id)
        await supervisor.reconcile(fleet.get_server(server.id), configs, fresh=fresh)

    await supervisor.start()
    try:
        await reconcile()
        await until("started", lambda: len(starts(tmp_path)) == 1)
        script = tmp_path / "stations" / station / "station.liq"
        first = starts(tmp_path)[0]
        assert first["argv"] == [str(script), station]
        assert station in script.read_text() and '"source-pw"' in script.read_text()
        assert oct(script.stat().st_mode & 0o777) == "0o640"
        assert (script.parent / "programme.json").is_file()  # exported before the start
        process = supervisor.stations[station]
        await until("running", lambda: process.status().state == "running")
        assert process.status().pid == first["pid"]
        report = read_status(config.paths.state_dir)
        assert report is not None and report.stationd_alive and report.plan_from == "database"
        assert [p["state"] for p in report.processes] == ["running"]

        await reconcile()  # nothing changed: nothing happens
        control.stop(station)
        await reconcile()
        assert process.status().state == "stopped" and not alive(first["pid"])
        control.start(station)
        await reconcile()
        await until("started again", lambda: len(starts(tmp_path)) == 2)

        # a setting outside the script (the listener limit): no restart
        current = stations.get_config(station)
        stations.update_config(station, replace(current.settings, max_listeners=7),
                               current.version)
        await reconcile()
        assert len(starts(tmp_path)) == 2
        # a setting in the script (the bitrates): rendered again and restarted
        current = stations.get_config(station)
        stations.update_config(station, replace(current.settings, bitrates=(64, 128)),
                               current.version)
        await reconcile()
        await until("restarted on change", lambda: len(starts(tmp_path)) == 3)
        assert "/desired-64" in script.read_text()
        # while the database is down (a saved plan), nothing is restarted or stopped
        current = stations.get_config(station)
        stations.update_config(station, replace(current.settings, bitrates=(128,)),
                               current.version)
        await reconcile(fresh=False)
        await asyncio.sleep(0.2)
        assert len(starts(tmp_path)) == 3 and process.status().state == "running"

        # the station moves to another server: stopped here
        pid = starts(tmp_path)[-1]["pid"]
        stations.assign_server(station, other.id)
        await reconcile()
        assert station not in supervisor.stations and not alive(pid)
        assert alerts == []
    finally:
        await supervisor.close()
    report = read_status(config.paths.state_dir)
    assert report is not None and not report.running and not report.stationd_alive


async def test_with_the_database_down_the_last_rendered_script_is_used(
    db: Database, tmp_path: Path
) -> None:
    server = server_on(db, 8000)
    station = station_on(db, server.id, "/offline", bitrates=(128,))
    free_telnet_port(db, station)
    configs = StationService(db).list_configs(server.id)
    record = FleetService(db).get_server(server.id)
    down = Database(f"mysql+pymysql://nobody@127.0.0.1:{dead_port()}/station")
    alerts: Alerts = []
    no_script = Supervisor(stand_in_config(tmp_path, down, server.id, crash_alert_count=100),
                           down, recorder(alerts))
    supervisor = Supervisor(stand_in_config(tmp_path, down, server.id), down,
                            recorder(alerts))
    try:
        await no_script.reconcile(record, configs, fresh=False)
        process = no_script.stations[station]
        await until("a failed start", lambda: process.status().last_error is not None)
        assert "no earlier one" in (process.status().last_error or "")
        assert process.status().state == "backoff"
        await no_script.close()

        script = tmp_path / "stations" / station / "station.liq"
        script.parent.mkdir(parents=True, exist_ok=True)
        script.write_text("# rendered earlier\n")
        await supervisor.reconcile(record, configs, fresh=False)
        await until("started", lambda: len(starts(tmp_path)) == 1)
        assert starts(tmp_path)[0]["argv"][0] == str(script)
        assert script.read_text() == "# rendered earlier\n"
    finally:
        await no_script.close()
        await supervisor.close()
        down.dispose()


async def test_stationd_check_reports_the_supervisors_view(
    db: Database, database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server = server_on(db, dead_port())
    station = station_on(db, server.id, "/checked", bitrates=(128,))
    free_telnet_port(db, station)
    config = stand_in_config(tmp_path, db, server.id)
    supervisor = Supervisor(config, db, recorder([]))
    try:
        await supervisor.reconcile(FleetService(db).get_server(server.id),
                                   StationService(db).list_configs(server.id), fresh=True)
        await until("running", lambda: supervisor.stations[station].status().state
                    == "running")
        code = await asyncio.to_thread(
            main, ["check", "--database-url", database_url, "--secrets-dir", str(tmp_path),
                   "--state-dir", str(config.paths.state_dir), "--timeout", "1"])
        out = capsys.readouterr().out
        assert code == 1  # Icecast is not there, and the stand-in has no telnet
        assert f"ok   stationd's supervisor (pid {os.getpid()}) runs" in out
        assert f"ok   Liquidsoap of station /checked ({station}): running (pid" in out
    finally:
        await supervisor.close()
    StreamControlService(db).stop(station)
    code = await asyncio.to_thread(
        main, ["check", "--database-url", database_url, "--secrets-dir", str(tmp_path),
               "--state-dir", str(config.paths.state_dir), "--timeout", "1"])
    out = capsys.readouterr().out
    assert "is not running, as the station is set inactive" in out
    assert "FAIL stationd (pid" in out and "what to do: start it (systemctl start stationd)" \
        in out
    assert (config.paths.state_dir / STATUS_FILE).is_file()
    missing = await asyncio.to_thread(
        main, ["check", "--database-url", database_url, "--secrets-dir", str(tmp_path),
               "--state-dir", str(tmp_path / "elsewhere"), "--timeout", "1"])
    assert missing == 1
    assert "stationd's supervisor has not reported here" in capsys.readouterr().out


async def test_a_new_supervisor_adopts_what_the_last_one_left_running(
    db: Database, tmp_path: Path
) -> None:
    server = server_on(db, 8000)
    station = station_on(db, server.id, "/adopted", bitrates=(128,))
    free_telnet_port(db, station)
    alerts: Alerts = []
    config = stand_in_config(tmp_path, db, server.id)
    fleet, stations = FleetService(db), StationService(db)

    async def reconcile(supervisor: Supervisor) -> None:
        await supervisor.reconcile(fleet.get_server(server.id), stations.list_configs(server.id),
                                   fresh=True)

    first = Supervisor(config, db, recorder(alerts))
    await first.start()
    await reconcile(first)
    await until("started", lambda: len(starts(tmp_path)) == 1)
    await first.close()  # stationd exits: its Liquidsoap plays on
    pid = starts(tmp_path)[0]["pid"]
    assert alive(pid) and first.stations[station].status().pid == pid

    second = Supervisor(config, db, recorder(alerts))
    await second.start()
    try:
        adopted = second.stations[station]
        assert (adopted.status().pid, adopted.status().adopted) == (pid, True)
        report = read_status(config.paths.state_dir)
        assert report is not None and report.processes[0]["adopted"] is True
        await reconcile(second)
        await reconcile(second)  # its script is rendered again: the same, no restart
        await asyncio.sleep(0.3)
        assert len(starts(tmp_path)) == 1 and adopted.status().state == "running"
        # its script changes: the adopted process is restarted like any other
        current = stations.get_config(station)
        stations.update_config(station, replace(current.settings, bitrates=(64, 128)),
                               current.version)
        await reconcile(second)
        await until("restarted on change", lambda: len(starts(tmp_path)) == 2)
        await until("running", lambda: adopted.status().state == "running")
        assert not alive(pid) and not adopted.status().adopted
    finally:
        await second.close()

    third = Supervisor(config, db, recorder(alerts))
    await third.start()
    try:
        await reconcile(third)
        pid = starts(tmp_path)[-1]["pid"]
        assert third.stations[station].status().adopted
        assert third.stations[station].status().pid == pid
        os.kill(pid, signal.SIGKILL)  # an adopted process that dies is seen (by polling)
        await until("started again", lambda: len(starts(tmp_path)) == 3, 5)
        assert third.stations[station].status().last_exit == ADOPTED_EXIT
    finally:
        await third.close()
    assert alerts == []


async def test_a_pid_file_naming_an_unrelated_process_is_not_adopted_and_it_is_untouched(
    db: Database, tmp_path: Path
) -> None:
    server = server_on(db, 8000)
    station = station_on(db, server.id, "/reused", bitrates=(128,))
    free_telnet_port(db, station)
    config = stand_in_config(tmp_path, db, server.id)
    directory = config.paths.state_dir / "processes"
    directory.mkdir(parents=True)
    stranger = subprocess.Popen(["sleep", "30"], start_new_session=True)
    try:
        # the pid (and start time) the kernel gave to another program since stationd wrote
        # this file: only the command line tells
        command = [word.format(script="x", station=station)
                   for word in config.supervisor.liquidsoap_command]
        started = process_start_time(stranger.pid)
        (directory / f"liquidsoap-{station}.pid").write_text(json.dumps(
            {"pid": stranger.pid, "start_time": started, "cmdline": command, "argv": command,
             "label": "L", "kind": "liquidsoap", "station_id": station}))
        supervisor = Supervisor(config, db, recorder([]))
        await supervisor.start()
        try:
            assert station not in supervisor.stations  # nothing adopted
            await supervisor.reconcile(FleetService(db).get_server(server.id),
                                       StationService(db).list_configs(server.id), fresh=True)
            await until("started", lambda: len(starts(tmp_path)) == 1)
            process = supervisor.stations[station]
            await until("running", lambda: process.status().state == "running")
            assert not process.status().adopted
            assert process.status().pid == starts(tmp_path)[0]["pid"] != stranger.pid
            StreamControlService(db).stop(station)
            await supervisor.reconcile(FleetService(db).get_server(server.id),
                                       StationService(db).list_configs(server.id), fresh=True)
            assert process.status().state == "stopped"
        finally:
            await supervisor.close()
        assert stranger.poll() is None and process_start_time(stranger.pid) == started
    finally:
        stranger.kill()
        stranger.wait()
