"""``stationd collect-once`` and ``stationd check`` through the real entry point, against
scripted peers in threads (a fake Icecast HTTP server, a fake Liquidsoap telnet server);
SQLite and MariaDB."""

from __future__ import annotations

import http.server
import json
import socket
import socketserver
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from helpers.factories import make_station
from sqlalchemy import update

from station_desktop.daemon.cli import ENV_PASSWORD, ENV_URL, main
from station_desktop.db.engine import Database
from station_desktop.db.models import StreamConfig
from station_desktop.services.fleet import FleetService, ServerFields, ServerRecord
from station_desktop.services.stations import StationService, StreamSettings
from station_desktop.services.stats import StatsService

STATUS = {"icestats": {"server_id": "Icecast 2.4.4", "source": {
    "listeners": 6, "listener_peak": 6, "listenurl": "http://127.0.0.1:8000/cli-128",
    "title": "A - B"}}}


class _Icecast(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path.startswith("/admin/"):
            body, code = b"You need to authenticate\r\n", 401
        else:
            body, code = json.dumps(STATUS).encode(), 200
        self.send_response(code)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


class _Telnet(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        for line in self.rfile:
            if line.strip() == b"version":
                self.wfile.write(b"Liquidsoap 2.1.3\r\nEND\r\n")
            elif line.strip() in (b"quit", b"exit"):
                self.wfile.write(b"Bye!\r\n")
                return


@pytest.fixture
def icecast_port() -> Iterator[int]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Icecast)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.fixture
def telnet_port() -> Iterator[int]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Telnet)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_URL, raising=False)
    monkeypatch.delenv(ENV_PASSWORD, raising=False)
    monkeypatch.delenv("CREDENTIALS_DIRECTORY", raising=False)


def dead_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def server_with_station(db: Database, port: int, telnet: int | None = None
                        ) -> tuple[ServerRecord, str]:
    server = FleetService(db).create_server(ServerFields("CLI VPS", "127.0.0.1", port=port))
    stations = StationService(db)
    station = make_station(db, assign=False).id
    stations.assign_server(station, server.id)
    config = stations.get_config(station)
    stations.update_config(station, StreamSettings(mountpoint="/cli", bitrates=(128,)),
                           config.version)
    if telnet is not None:
        with db.transaction() as s:
            s.execute(update(StreamConfig).where(StreamConfig.clientId == station)
                      .values(telnetPort=telnet))
    return server, station


def test_collect_once_samples_and_exits_0_even_when_an_icecast_is_down(
    db: Database, database_url: str, icecast_port: int, capsys: pytest.CaptureFixture[str]
) -> None:
    server, station = server_with_station(db, icecast_port)
    down = FleetService(db).create_server(ServerFields("Down VPS", "127.0.0.1",
                                                       port=dead_port()))

    code, out, err = run(capsys, "collect-once", "--database-url", database_url,
                         "--timeout", "2")

    assert code == 0, err
    assert f"CLI VPS ({server.id}): 1 station(s) sampled, 1 on air, 6 listener(s)" in out
    assert f"Down VPS ({down.id}): Icecast FAILED (1 in a row): Cannot reach Icecast" in out
    assert "2 server(s), 1 failed" in out
    latest = StatsService(db).latest(station)
    assert latest is not None and latest.listeners_128 == 6 and latest.current_song == "A - B"


def test_collect_once_refuses_unknown_servers_and_databases(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "collect-once", "--database-url", database_url,
                       "--server", "nope")
    assert code == 1 and "Server 'nope' does not exist" in err
    code, _, err = run(capsys, "collect-once", "--database-url",
                       f"sqlite:///{tmp_path / 'missing.db'}")
    assert code == 1 and "no database file" in err


def test_check_says_what_answers_and_what_to_do(
    db: Database, database_url: str, icecast_port: int, telnet_port: int, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server_with_station(db, icecast_port, telnet_port)
    secrets = tmp_path / "secrets"
    secrets.mkdir()

    code, out, err = run(capsys, "check", "--database-url", database_url,
                         "--secrets-dir", str(secrets), "--timeout", "2")
    assert code == 0, out + err
    assert "ok   database" in out and "ok   schema revision" in out
    assert "answers (1 mount(s) on air)" in out
    assert "Liquidsoap of station /cli" in out and "answers (Liquidsoap 2.1.3)" in out
    assert "admin logins were not checked" in out and "Everything answered." in out

    (secrets / "icecast-admin-password").write_text("wrong")
    (secrets / "icecast-admin-password").chmod(0o600)
    code, out, _ = run(capsys, "check", "--database-url", database_url,
                       "--secrets-dir", str(secrets), "--timeout", "2")
    assert code == 1
    assert "FAIL Icecast of CLI VPS" in out and "refuses the admin login of 'admin'" in out
    assert "what to do: make the icecast-admin-password secret" in out


def test_check_on_the_server_itself_reaches_telnet_on_loopback(
    db: Database, database_url: str, icecast_port: int, telnet_port: int, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The server's host is its public name; its stations' telnet listens on 127.0.0.1
    only. 127.0.0.2 stands in for the public address: nothing listens there."""
    fleet = FleetService(db)
    server = fleet.get_server(server_with_station(db, icecast_port, telnet_port)[0].id)
    fleet.update_server(server.id, replace(server.fields, host="127.0.0.2"), server.version)
    config = tmp_path / "stationd.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{tmp_path}/unused.db"\n'
                      f'[server]\nid = "{server.id}"\n[paths]\nstate_dir = "{tmp_path}"\n'
                      f'secrets_dir = "{tmp_path}"\n', encoding="utf-8")

    _, out, _ = run(capsys, "check", "--database-url", database_url, "--timeout", "1",
                    "--secrets-dir", str(tmp_path))  # no stationd config: run from elsewhere
    assert "FAIL Liquidsoap of station /cli" in out and "at 127.0.0.2:" in out

    _, out, _ = run(capsys, "check", "--database-url", database_url, "--timeout", "1",
                    "--config", str(config))
    assert f"at 127.0.0.1:{telnet_port} answers (Liquidsoap 2.1.3)" in out, out


def test_check_reports_dead_peers_with_advice(
    db: Database, database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server_with_station(db, dead_port(), dead_port())
    code, out, _ = run(capsys, "check", "--database-url", database_url,
                       "--secrets-dir", str(tmp_path), "--timeout", "1")
    assert code == 1
    assert "FAIL Icecast of CLI VPS" in out and "what to do: start Icecast on 127.0.0.1" in out
    assert "FAIL Liquidsoap of station /cli" in out
    assert "what to do: start stationd (it runs the station's Liquidsoap)" in out
    assert "2 problem(s) found." in out


def test_check_on_an_empty_database_says_upgrade(
    empty_database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if empty_database_url.startswith("sqlite"):
        Path(empty_database_url.removeprefix("sqlite:///")).touch()
    code, out, _ = run(capsys, "check", "--database-url", empty_database_url,
                       "--secrets-dir", str(tmp_path))
    assert code == 1
    assert "ok   database" in out and "FAIL schema revision none" in out
    assert "what to do: no station schema yet. Create it: stationd db upgrade" in out
