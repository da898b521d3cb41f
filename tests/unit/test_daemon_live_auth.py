"""Harbor logins answered from the database: the checker (SQLite and MariaDB), the unix
socket server, and the picker talking to it, as Liquidsoap runs it (a real ``python3 -I -S
picker.py auth`` process), including its fall-back to the exported hashes when stationd
or the database cannot answer. The real Liquidsoap + ffmpeg proof is
tests/integration/test_live_auth_real.py."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest
import pytest_asyncio
from unit.render.conftest import PICKER_PATH, load_picker
from unit.test_collector_scripted_peer import dead_port, server_on, station_on

from station_desktop.daemon.live_auth import LiveAuthChecker, LiveAuthServer, LoginAnswer
from station_desktop.db.engine import Database
from station_desktop.services.broadcast import BroadcastService, ServerLayout
from station_desktop.services.dj_accounts import DjAccountService
from station_desktop.services.stations import StationService

ACCEPT = LoginAnswer("accept", dj_name="source")
REFUSE = LoginAnswer("refuse")


def test_the_checker_answers_from_the_database_as_it_is_now(db: Database) -> None:
    server = server_on(db, 8000)
    other = server_on(db, 8001, name="Other VPS")
    station = station_on(db, server.id, "/la")
    foreign = station_on(db, other.id, "/lb")
    stations = StationService(db)
    password = stations.get_live_credentials(station).password
    checker = LiveAuthChecker(db, server.id)

    assert checker.check(station, "source", password) == ACCEPT
    for user, attempt in [("source", password + " "), ("source", password[:-1]),
                          ("source", ""), ("dj", password), ("", password),
                          ("source", password.upper())]:
        assert checker.check(station, user, attempt) == REFUSE, (user, attempt)
    # another server's station, even with its right password; an unknown station
    foreign_password = stations.get_live_credentials(foreign).password
    assert checker.check(foreign, "source", foreign_password) == REFUSE
    assert LiveAuthChecker(db, other.id).check(foreign, "source", foreign_password) == ACCEPT
    assert checker.check("no-such-station", "source", password) == REFUSE
    # bytes that are not UTF-8 arrive as surrogates: refused, not an exception
    assert checker.check(station, "source", password + "\udcff") == REFUSE

    new = stations.regenerate_live_password(station).password
    assert checker.check(station, "source", password) == REFUSE  # at once, no export
    assert checker.check(station, "source", new) == ACCEPT

    config = stations.get_config(station)
    stations.update_config(station, replace(config.settings, live_input_enabled=False),
                           config.version)
    assert checker.check(station, "source", new) == REFUSE


def test_the_checker_says_error_when_the_database_cannot_answer() -> None:
    down = Database(f"mysql+pymysql://nobody@127.0.0.1:{dead_port()}/station")
    try:
        answer = LiveAuthChecker(down, "srv").check("st", "source", "pw")
    finally:
        down.dispose()
    assert answer.result == "error" and answer.message
    assert "pw" not in answer.message.replace("pymysql", "")


@pytest_asyncio.fixture
async def auth_server(db: Database, tmp_path: Path) -> AsyncIterator[LiveAuthServer]:
    server = server_on(db, 8000)
    server_ = LiveAuthServer(LiveAuthChecker(db, server.id), tmp_path / "run" / "auth.sock")
    await server_.start()
    try:
        yield server_
    finally:
        await server_.close()


def raw_exchange(path: Path, data: bytes) -> dict[str, object]:
    with socket.socket(socket.AF_UNIX) as sock:
        sock.settimeout(5)
        sock.connect(str(path))
        sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)
        answer: dict[str, object] = json.loads(sock.makefile("rb").readline())
    return answer


@pytest.mark.asyncio
async def test_the_socket_answers_the_pickers_question(
    db: Database, auth_server: LiveAuthServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="station_desktop.daemon.live_auth")
    picker = load_picker()
    station = station_on(db, auth_server.checker.server_id, "/sock")
    password = StationService(db).get_live_credentials(station).password
    path = auth_server.path
    assert oct(path.stat().st_mode & 0o777) == "0o660"

    def ask(user: bytes, attempt: bytes) -> object:
        return picker.ask_stationd(str(path), station, user, attempt, "203.0.113.7")

    assert await asyncio.to_thread(ask, b"source", password.encode()) == \
        {"v": 1, "result": "accept", "dj_name": "source"}
    assert await asyncio.to_thread(ask, b"source", b"wrong") == {"v": 1, "result": "refuse"}
    assert await asyncio.to_thread(ask, b"source", b"\xff\xfe") == {"v": 1, "result": "refuse"}
    for garbage in (b"not json\n", b'{"v": 2}\n', b'{"v": 1, "station": 3}\n', b"no newline"):
        answer = await asyncio.to_thread(raw_exchange, path, garbage)
        assert answer == {"v": 1, "result": "error", "message": "malformed request"}
    assert auth_server.answered == {"accept": 1, "refuse": 2, "error": 4}
    assert "live login of 'source' for station" in caplog.text and "accepted" in caplog.text
    assert password not in caplog.text


def test_the_checker_accepts_an_active_dj_account_by_name(db: Database) -> None:
    server = server_on(db, 8000)
    station = station_on(db, server.id, "/djs")
    other = station_on(db, server.id, "/djs2")
    djs = DjAccountService(db)
    ana = djs.create(station, "Ana Torres", "ana")
    checker = LiveAuthChecker(db, server.id)

    assert checker.check(station, "ana", ana.password) == LoginAnswer("accept",
                                                                      dj_name="Ana Torres")
    for station_id, user, attempt in [(station, "ana", ana.password + "x"),
                                      (station, "source", ana.password),
                                      (other, "ana", ana.password),
                                      (station, "ana", ana.password + "\udcff")]:
        assert checker.check(station_id, user, attempt) == REFUSE, (user, attempt)
    assert LiveAuthChecker(db, "another-server").check(station, "ana", ana.password) == REFUSE
    # the station's own login still works next to the DJs'
    password = StationService(db).get_live_credentials(station).password
    assert checker.check(station, "source", password) == ACCEPT

    djs.set_active(ana.account.id, False)
    assert checker.check(station, "ana", ana.password) == REFUSE
    djs.set_active(ana.account.id, True)
    new = djs.regenerate_password(ana.account.id).password
    assert checker.check(station, "ana", ana.password) == REFUSE
    assert checker.check(station, "ana", new) == LoginAnswer("accept", dj_name="Ana Torres")
    djs.delete(ana.account.id)
    assert checker.check(station, "ana", new) == REFUSE


@pytest.mark.asyncio
async def test_the_socket_accepts_an_active_dj_and_refuses_the_others(
    db: Database, auth_server: LiveAuthServer, tmp_path: Path
) -> None:
    station = station_on(db, auth_server.checker.server_id, "/djsock")
    djs = DjAccountService(db)
    ana = djs.create(station, "Ana Torres", "ana")
    bob = djs.create(station, "Bob", "bob")
    djs.set_active(bob.account.id, False)
    gone = djs.create(station, "Gone", "gone")
    djs.delete(gone.account.id)
    directory = tmp_path / "not-exported"  # stationd answers: the hashes are never read

    def run(user: str, password: str) -> subprocess.CompletedProcess[str]:
        return picker_auth(directory, password, auth_server.path, station, user=user)

    accepted = await asyncio.to_thread(run, "ana", ana.password)
    assert (accepted.returncode, accepted.stdout) == (0, "Ana Torres\n"), accepted.stderr
    for user, password in [("bob", bob.password), ("gone", gone.password),
                           ("ana", bob.password)]:
        refused = await asyncio.to_thread(run, user, password)
        assert refused.returncode == 1 and "(database)" in refused.stderr, user
    assert auth_server.answered == {"accept": 1, "refuse": 3, "error": 0}


@pytest.mark.asyncio
async def test_the_picker_fallback_accepts_an_exported_dj(
    db: Database, tmp_path: Path
) -> None:
    server = server_on(db, 8000)
    station = station_on(db, server.id, "/djfb")
    djs = DjAccountService(db)
    ana = djs.create(station, "Ana Torres", "ana")
    bob = djs.create(station, "Bob", "bob")
    djs.set_active(bob.account.id, False)
    layout = ServerLayout(stations_dir=tmp_path / "stations")
    BroadcastService(db).export_programme(station, layout)
    directory = layout.station_dir(station)
    document = json.loads((directory / "programme.json").read_text())
    exported = {a["username"]: a for a in document["live"]["accounts"]}
    assert set(exported) == {"source", "ana"} and exported["ana"]["dj_name"] == "Ana Torres"
    assert ana.password not in json.dumps(document)
    # an unchanged account exports the same hash: re-exporting rewrites nothing
    assert not BroadcastService(db).export_programme(station, layout)

    missing = tmp_path / "nobody-listens.sock"

    def run(user: str, password: str) -> subprocess.CompletedProcess[str]:
        return picker_auth(directory, password, missing, station, user=user)

    accepted = await asyncio.to_thread(run, "ana", ana.password)
    assert (accepted.returncode, accepted.stdout) == (0, "Ana Torres\n"), accepted.stderr
    assert "checking the exported logins" in accepted.stderr
    assert (await asyncio.to_thread(run, "ana", "wrong")).returncode == 1
    assert (await asyncio.to_thread(run, "bob", bob.password)).returncode == 1
    assert (await asyncio.to_thread(run, "source", ana.password)).returncode == 1


@pytest.mark.asyncio
async def test_a_stale_socket_is_replaced_and_anything_else_left_alone(
    db: Database, tmp_path: Path
) -> None:
    checker = LiveAuthChecker(db, "srv")
    stale = tmp_path / "stale.sock"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(stale))  # a socket file nobody listens on (a crashed stationd's)
    server = LiveAuthServer(checker, stale)
    await server.start()
    assert server.serving
    await server.close()
    assert not stale.exists()
    regular = tmp_path / "regular"
    regular.write_text("keep me")
    with pytest.raises(OSError, match="not a socket"):
        await LiveAuthServer(checker, regular).start()
    assert regular.read_text() == "keep me"


def picker_auth(directory: Path, password: str, socket_path: Path | None,
                station: str, user: str = "source") -> subprocess.CompletedProcess[str]:
    """``picker.py auth`` as Liquidsoap runs it: clean environment, password in it."""
    args = [sys.executable, "-I", "-S", str(PICKER_PATH), "auth", str(directory)]
    if socket_path is not None:
        args += ["--socket", str(socket_path), "--station", station]
    env = {"LC_ALL": "C.UTF-8", "SD_USER": user, "SD_PASSWORD": password,
           "SD_ADDRESS": "198.51.100.9"}
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=10,
                          check=False)


@pytest.mark.asyncio
async def test_the_picker_asks_stationd_first_and_falls_back_to_the_exported_logins(
    db: Database, auth_server: LiveAuthServer, tmp_path: Path
) -> None:
    station = station_on(db, auth_server.checker.server_id, "/fb")
    stations = StationService(db)
    old = stations.get_live_credentials(station).password
    layout = ServerLayout(stations_dir=tmp_path / "stations")
    BroadcastService(db).export_programme(station, layout)  # hashes of the old password
    directory = layout.station_dir(station)
    new = stations.regenerate_live_password(station).password  # not exported yet

    def run(password: str, socket_path: Path | None) -> subprocess.CompletedProcess[str]:
        return picker_auth(directory, password, socket_path, station)

    # stationd answers from the database: the new password at once, the old one no more
    accepted = await asyncio.to_thread(run, new, auth_server.path)
    assert (accepted.returncode, accepted.stdout) == (0, "source\n"), accepted.stderr
    refused = await asyncio.to_thread(run, old, auth_server.path)
    assert refused.returncode == 1 and "(database)" in refused.stderr
    assert new not in refused.stderr + accepted.stderr and old not in refused.stderr

    # stationd not there: the exported hashes decide (they still know the old password)
    missing = tmp_path / "nobody-listens.sock"
    fallback = await asyncio.to_thread(run, old, missing)
    assert fallback.returncode == 0, fallback.stderr
    assert "checking the exported logins" in fallback.stderr
    assert (await asyncio.to_thread(run, new, missing)).returncode == 1
    # no socket configured at all: the hashes only, as before
    assert (await asyncio.to_thread(run, old, None)).returncode == 0


@pytest.mark.asyncio
async def test_with_the_database_down_the_picker_uses_the_exported_logins(
    db: Database, tmp_path: Path
) -> None:
    server = server_on(db, 8000)
    station = station_on(db, server.id, "/dbdown")
    password = StationService(db).get_live_credentials(station).password
    layout = ServerLayout(stations_dir=tmp_path / "stations")
    BroadcastService(db).export_programme(station, layout)
    down = Database(f"mysql+pymysql://nobody@127.0.0.1:{dead_port()}/station")
    server_ = LiveAuthServer(LiveAuthChecker(down, server.id), tmp_path / "auth.sock")
    await server_.start()
    try:
        result = await asyncio.to_thread(picker_auth, layout.station_dir(station), password,
                                         server_.path, station)
        wrong = await asyncio.to_thread(picker_auth, layout.station_dir(station), "nope",
                                        server_.path, station)
    finally:
        await server_.close()
        down.dispose()
    assert result.returncode == 0, result.stderr
    assert "stationd could not check the login" in result.stderr
    assert wrong.returncode == 1
    assert server_.answered["error"] == 2


def test_a_slow_stationd_does_not_hold_the_login_up(tmp_path: Path) -> None:
    """A socket that accepts and never answers: the picker gives up after 1 s."""
    picker = load_picker()
    path = tmp_path / "mute.sock"
    with socket.socket(socket.AF_UNIX) as mute:
        mute.bind(str(path))
        mute.listen()
        started = os.times().elapsed
        answer = picker.ask_stationd(str(path), "st", b"source", b"pw", "x", timeout=0.3)
        assert answer is None and os.times().elapsed - started < 1.0
