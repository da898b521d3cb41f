"""A throwaway MariaDB server on loopback: temporary data directory, its own port.

Used by ``scripts/test`` (``python -m helpers.mariadb start|stop``) and by fixtures that
need to stop and restart the server (the daemon's "database went away" tests).

``start`` prints ``export`` lines for the shell: the admin URL (root, no password, TCP on
127.0.0.1) and the directory that identifies this instance for ``stop``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

READY_TIMEOUT_S = 60


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run_as_root() -> bool:
    return os.geteuid() == 0


@dataclass
class ThrowawayMariaDB:
    directory: Path
    port: int
    _process: subprocess.Popen[bytes] | None = field(default=None, repr=False, compare=False)
    extra_args: tuple[str, ...] = ()  # more mariadbd options (e.g. --log-bin)

    @property
    def admin_url(self) -> str:
        return f"mysql+pymysql://root@127.0.0.1:{self.port}/"

    @property
    def pid_file(self) -> Path:
        return self.directory / "mysqld.pid"

    @classmethod
    def create(cls, directory: Path | None = None, port: int | None = None) -> ThrowawayMariaDB:
        directory = directory or Path(tempfile.mkdtemp(prefix="station-mariadb-"))
        server = cls(directory, port or _free_port())
        (directory / "port").write_text(str(server.port))
        data = directory / "data"
        if not data.exists():
            user = ["--user=mysql"] if _run_as_root() else []
            if _run_as_root():
                shutil.chown(directory, "mysql", "mysql")
            result = subprocess.run(
                ["mariadb-install-db", "--no-defaults", *user, f"--datadir={data}",
                 "--auth-root-authentication-method=normal", "--skip-test-db"],
                capture_output=True, text=True, check=False,
            )
            if result.returncode != 0:
                raise RuntimeError(f"mariadb-install-db failed:\n{result.stdout}{result.stderr}")
        return server

    @classmethod
    def existing(cls, directory: Path) -> ThrowawayMariaDB:
        return cls(directory, int((directory / "port").read_text()))

    def start(self) -> None:
        user = ["--user=mysql"] if _run_as_root() else []
        with open(self.directory / "stdout.log", "ab") as log:  # the child keeps its own fd
            self._spawn(user, log)
        self.wait_ready()

    def _spawn(self, user: list[str], log: IO[bytes]) -> None:
        self._process = subprocess.Popen(
            ["mariadbd", "--no-defaults", *user, f"--datadir={self.directory / 'data'}",
             f"--socket={self.directory / 'mysqld.sock'}", f"--pid-file={self.pid_file}",
             f"--port={self.port}", "--bind-address=127.0.0.1",
             f"--log-error={self.directory / 'error.log'}", "--innodb-buffer-pool-size=128M",
             "--innodb-flush-log-at-trx-commit=2", "--skip-name-resolve",
             "--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci",
             *self.extra_args],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )

    def wait_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            ping = subprocess.run(
                ["mariadb-admin", "--no-defaults", "-h127.0.0.1", f"-P{self.port}", "-uroot",
                 "ping"], capture_output=True, check=False,
            )
            if ping.returncode == 0:
                return
            time.sleep(0.1)
        error_log = self.directory / "error.log"
        tail = error_log.read_text(errors="replace")[-2000:] if error_log.exists() else ""
        raise RuntimeError(f"MariaDB did not become ready on port {self.port}:\n{tail}")

    def pid(self) -> int | None:
        try:
            return int(self.pid_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None

    def stop(self, timeout: float = 30) -> None:
        pid = self.pid()
        if pid is None:
            return
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process is not None and self._process.poll() is not None:
                return  # our child, now reaped
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)
        os.kill(pid, signal.SIGKILL)
        if self._process is not None:
            self._process.wait(timeout=10)

    def destroy(self) -> None:
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("action", choices=["start", "stop"])
    parser.add_argument("--dir", type=Path, help="instance directory (for stop)")
    args = parser.parse_args()
    if args.action == "start":
        server = ThrowawayMariaDB.create()
        server.start()
        print(f"export STATION_TEST_MARIADB_URL='{server.admin_url}'")
        print(f"export STATION_TEST_MARIADB_DIR='{server.directory}'")
        return 0
    if not args.dir:
        print("stop needs --dir", file=sys.stderr)
        return 2
    ThrowawayMariaDB.existing(args.dir).destroy()
    return 0


if __name__ == "__main__":
    sys.exit(main())
