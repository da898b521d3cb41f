"""A real Icecast 2.4 + Liquidsoap 2.1 radio stack on loopback, for integration tests.

Everything lives in one temporary directory (configs, logs, generated MP3s) and listens
on free ports of 127.0.0.1. Recipes and pitfalls: ``shared/docs/real-stack.md``.

- Icecast refuses to run as root: the config then uses ``<changeowner>`` and the
  directory is chowned to ``icecast2:icecast`` (Icecast drops privileges before it opens
  its logs).
- Liquidsoap refuses to run as root unless the script says
  ``settings.init.allow_root.set(true)``.
- Every process writes its output to a log file; :class:`StackError` messages carry the
  tail of the logs that matter, so a failing test says why.
- :meth:`ManagedProcess.stop` sends SIGTERM, waits, and sends SIGKILL after 10 s; the
  stack stops everything it started, in reverse order, even after a failed start.

``STATION_TEST_KEEP_STACK=1`` keeps the directory (configs, logs) after the tests.
:class:`ThrowawaySshd` is a real OpenSSH server on loopback for the SSH tunnel tests.

Usage::

    with RadioStack.create() as stack:
        stack.start()            # Icecast, MP3s, Liquidsoap; waits until both mounts play
        ...
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

STOP_GRACE_S = 10.0
ICECAST_READY_S = 15.0
LIQUIDSOAP_READY_S = 40.0
LOG_TAIL_LINES = 40

ADMIN_USER = "admin"
ADMIN_PASSWORD = "adminpass"
SOURCE_PASSWORD = "srcpass"
LIVE_USER = "source"
LIVE_PASSWORD = "livepass"
ARTIST = "Test Artist"
ALBUM = "Test Album"
FREQUENCIES = (440, 550, 660)
PUSHED_TITLE = "Pushed Request 990 Hz"
TRACK_SECONDS = 20


class StackError(RuntimeError):
    """The stack could not be started or did not become ready; carries log tails."""


def free_port() -> int:
    """A TCP port that is free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_is_open(port: int, host: str = "127.0.0.1") -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def is_root() -> bool:
    return os.geteuid() == 0


def tail(path: Path, lines: int = LOG_TAIL_LINES) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError as exc:
        return f"(cannot read {path}: {exc})"
    return "\n".join(text.splitlines()[-lines:])


def wait_until(
    what: str, predicate: Callable[[], bool], timeout: float, *, logs: Callable[[], str]
) -> float:
    """Poll ``predicate`` every 0.1 s; returns the seconds waited or raises StackError."""
    start = time.monotonic()
    while True:
        try:
            if predicate():
                return time.monotonic() - start
        except Exception:
            pass
        if time.monotonic() - start > timeout:
            raise StackError(f"timed out after {timeout:g} s waiting for {what}\n{logs()}")
        time.sleep(0.1)


@dataclass
class ManagedProcess:
    """A child process whose stdout and stderr go to ``log``."""

    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    @classmethod
    def spawn(
        cls, name: str, argv: list[str], log: Path, cwd: Path | None = None
    ) -> ManagedProcess:
        with log.open("ab") as out:
            popen = subprocess.Popen(
                argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                cwd=cwd, start_new_session=True,
            )
        return cls(name, popen, log)

    @property
    def pid(self) -> int:
        return self.popen.pid

    def running(self) -> bool:
        return self.popen.poll() is None

    def stop(self, grace: float = STOP_GRACE_S) -> int:
        """SIGTERM, wait up to ``grace`` seconds, then SIGKILL; returns the exit code."""
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(grace)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(5)
        return int(self.popen.returncode)

    def describe(self) -> str:
        state = "running" if self.running() else f"exited with {self.popen.returncode}"
        return (f"--- {self.name} (pid {self.pid}, {state}), last lines of {self.log}:\n"
                f"{tail(self.log)}")


ICECAST_XML = """<icecast>
  <location>test</location><admin>test@localhost</admin><hostname>127.0.0.1</hostname>
  <limits><clients>100</clients><sources>20</sources><source-timeout>10</source-timeout>
    <burst-size>65536</burst-size></limits>
  <authentication><source-password>{source_password}</source-password>
    <relay-password>relaypass</relay-password>
    <admin-user>{admin_user}</admin-user><admin-password>{admin_password}</admin-password>
  </authentication>
  <listen-socket><port>{port}</port><bind-address>127.0.0.1</bind-address></listen-socket>
  <paths><basedir>/usr/share/icecast2</basedir><logdir>{logdir}</logdir>
    <webroot>/usr/share/icecast2/web</webroot><adminroot>/usr/share/icecast2/admin</adminroot>
  </paths>
  <logging><accesslog>access.log</accesslog><errorlog>error.log</errorlog>
    <loglevel>3</loglevel></logging>
  <security><chroot>0</chroot>{changeowner}</security>
</icecast>
"""

CHANGEOWNER = "<changeowner><user>icecast2</user><group>icecast</group></changeowner>"

LIQUIDSOAP_SCRIPT = """{allow_root}
settings.log.stdout.set(true)
settings.log.file.set(false)
settings.log.level.set(3)
settings.server.telnet.set(true)
settings.server.telnet.bind_addr.set("127.0.0.1")
settings.server.telnet.port.set({telnet_port})
settings.harbor.bind_addrs.set(["127.0.0.1"])

autodj = playlist(id="autodj", mode="normal", reload_mode="watch", "{music}")
requests = request.queue(id="requests")
live = input.harbor(id="live", port={harbor_port}, buffer=2., max=10.,
                    user="{live_user}", password="{live_password}", "live")
radio = mksafe(fallback(id="radio", track_sensitive=false, [live, requests, autodj]))
volume = interactive.float("volume", min=0., max=2., 1.0)
ignore(interactive.string("greeting", "hello"))
radio = amplify(volume, radio)

# Liquidsoap 2.x outputs have no start/stop/status telnet commands of their own (1.x had):
# the script registers them, with the replies LiquidsoapClient.output_* expect. stop() only
# works on an output declared fallible=true; on out128/out64 it fails with "Source is
# infallible and cannot be stopped". Stopping an output.icecast with %mp3 from telnet can
# crash Liquidsoap 2.1.3 (LAME "Internal buffer inconsistency" assertion when it races a
# track change), so the tests stop and start an output.dummy instead.
def output_commands(name, o) =
  def start(_) =
    o.start()
    "Done"
  end
  def stop(_) =
    o.stop()
    "Done"
  end
  def status(_) =
    if o.is_started() then "on" else "off" end
  end
  server.register(namespace=name, description="Start the output.", "start", start)
  server.register(namespace=name, description="Stop the output.", "stop", stop)
  server.register(namespace=name, description="Output state: on or off.", "status", status)
end

out128 = output.icecast(%mp3(bitrate=128), id="out128", host="127.0.0.1", port={icecast_port},
               password="{source_password}", mount="/test.mp3", name="Test Radio",
               description="Liquidsoap test", genre="test", radio)
out64 = output.icecast(%mp3(bitrate=64), id="out64", host="127.0.0.1",
               port={icecast_port}, password="{source_password}", mount="/test64.mp3",
               name="Test Radio 64k", radio)
outdummy = output.dummy(id="outdummy", fallible=true, radio)
output_commands("out128", out128)
output_commands("out64", out64)
output_commands("outdummy", outdummy)
"""


def _ffmpeg_sine(frequency: int, title: str, target: Path, seconds: int) -> list[str]:
    return [
        "ffmpeg", "-nostdin", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", f"sine=frequency={frequency}:duration={seconds}",
        "-ac", "2", "-ar", "44100", "-c:a", "libmp3lame", "-b:a", "128k",
        "-metadata", f"title={title}", "-metadata", f"artist={ARTIST}",
        "-metadata", f"album={ALBUM}", str(target),
    ]


@dataclass
class RadioStack:
    """Icecast + Liquidsoap in ``directory`` on free loopback ports."""

    directory: Path
    icecast_port: int
    harbor_port: int
    telnet_port: int
    owns_directory: bool = True
    liquidsoap_script: str | None = None  # replaces the standard test script when set
    processes: dict[str, ManagedProcess] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    @classmethod
    def create(cls, directory: Path | None = None) -> RadioStack:
        for tool in ("icecast2", "liquidsoap", "ffmpeg"):
            if shutil.which(tool) is None:
                raise StackError(
                    f"{tool} is not installed: apt-get install -y --no-install-recommends "
                    "icecast2 liquidsoap ffmpeg"
                )
        owns = directory is None
        directory = directory or Path(tempfile.mkdtemp(prefix="station-stack-"))
        # mkdtemp makes it 0700; Icecast drops to icecast2 before it opens its logs
        directory.chmod(0o711)
        ports: set[int] = set()
        while len(ports) < 3:
            ports.add(free_port())
        icecast, harbor, telnet = sorted(ports)
        for sub in ("icecast", "liq", "music", "extra"):
            (directory / sub).mkdir(parents=True, exist_ok=True)
        return cls(directory, icecast, harbor, telnet, owns)

    # -- addresses -------------------------------------------------------------------
    @property
    def icecast_url(self) -> str:
        return f"http://127.0.0.1:{self.icecast_port}"

    @property
    def music_dir(self) -> Path:
        return self.directory / "music"

    @property
    def pushed_file(self) -> Path:
        """A tagged MP3 outside the AutoDJ folder, for ``requests.push``."""
        return self.directory / "extra" / "pushed.mp3"

    def source_url(self, mount: str, password: str = SOURCE_PASSWORD) -> str:
        """URL for ffmpeg to feed ``mount`` on Icecast directly."""
        return f"icecast://source:{password}@127.0.0.1:{self.icecast_port}{mount}"

    @property
    def harbor_url(self) -> str:
        return f"icecast://{LIVE_USER}:{LIVE_PASSWORD}@127.0.0.1:{self.harbor_port}/live"

    # -- lifecycle -------------------------------------------------------------------
    def __enter__(self) -> RadioStack:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.destroy()

    def start(self) -> None:
        """Icecast, the test MP3s and Liquidsoap; returns once both mounts are on air."""
        try:
            started = time.monotonic()
            music = self._start_music_generation()
            self.start_icecast()
            self._finish_music_generation(music)
            self.timings["mp3s_ready"] = time.monotonic() - started
            self.start_liquidsoap()
            self.timings["stack_ready"] = time.monotonic() - started
        except BaseException:
            self.stop()
            raise

    def start_icecast(self) -> None:
        logdir = self.directory / "icecast"
        config = logdir / "icecast.xml"
        config.write_text(ICECAST_XML.format(
            port=self.icecast_port, logdir=logdir, admin_user=ADMIN_USER,
            admin_password=ADMIN_PASSWORD, source_password=SOURCE_PASSWORD,
            changeowner=CHANGEOWNER if is_root() else "",
        ))
        if is_root():
            for path in [logdir, *logdir.iterdir()]:
                shutil.chown(path, "icecast2", "icecast")
        proc = ManagedProcess.spawn("icecast", ["icecast2", "-c", str(config)],
                                    logdir / "stdout.log")
        self.processes["icecast"] = proc
        self.timings["icecast_ready"] = wait_until(
            f"Icecast on port {self.icecast_port}",
            lambda: self._died(proc) or self._icecast_answers(),
            ICECAST_READY_S, logs=self.logs,
        )
        self._raise_if_died(proc)

    def start_liquidsoap(self) -> None:
        script = self.directory / "liq" / "radio.liq"
        script.write_text(self.liquidsoap_script or LIQUIDSOAP_SCRIPT.format(
            allow_root="settings.init.allow_root.set(true)" if is_root() else "",
            telnet_port=self.telnet_port, harbor_port=self.harbor_port,
            icecast_port=self.icecast_port, music=self.music_dir,
            live_user=LIVE_USER, live_password=LIVE_PASSWORD, source_password=SOURCE_PASSWORD,
        ))
        proc = ManagedProcess.spawn("liquidsoap", ["liquidsoap", str(script)],
                                    self.directory / "liq" / "liquidsoap.log")
        self.processes["liquidsoap"] = proc
        self.timings["liquidsoap_ready"] = wait_until(
            "Liquidsoap telnet and both mounts with a title",
            lambda: self._died(proc) or self._liquidsoap_on_air(),
            LIQUIDSOAP_READY_S, logs=self.logs,
        )
        self._raise_if_died(proc)

    def stop_liquidsoap(self) -> None:
        proc = self.processes.pop("liquidsoap", None)
        if proc is not None:
            proc.stop()

    def start_ffmpeg_source(
        self, url: str, *, name: str, frequency: int = 880, ice_name: str = "FF test",
    ) -> ManagedProcess:
        """ffmpeg as a source client (to an Icecast mount or to the harbor), endless sine."""
        argv = [
            "ffmpeg", "-nostdin", "-nostats", "-loglevel", "info", "-re",
            "-f", "lavfi", "-i", f"sine=frequency={frequency}",
            "-c:a", "libmp3lame", "-b:a", "64k", "-content_type", "audio/mpeg",
            "-ice_name", ice_name, "-f", "mp3", url,
        ]
        proc = ManagedProcess.spawn(name, argv, self.directory / f"{name}.log")
        self.processes[name] = proc
        return proc

    def stop_process(self, name: str) -> None:
        proc = self.processes.pop(name, None)
        if proc is not None:
            proc.stop()

    def stop(self) -> None:
        """Stop every process, newest first (SIGTERM, then SIGKILL after 10 s)."""
        for name in reversed(list(self.processes)):
            self.processes.pop(name).stop()

    def destroy(self) -> None:
        self.stop()
        if self.owns_directory and not os.environ.get("STATION_TEST_KEEP_STACK"):
            shutil.rmtree(self.directory, ignore_errors=True)

    # -- diagnostics -----------------------------------------------------------------
    def logs(self) -> str:
        parts = [proc.describe() for proc in self.processes.values()]
        error_log = self.directory / "icecast" / "error.log"
        if error_log.exists():
            parts.append(f"--- icecast error.log:\n{tail(error_log)}")
        return "\n".join(parts) or "(no process running)"

    def public_status(self) -> dict[str, Any]:
        with urllib.request.urlopen(f"{self.icecast_url}/status-json.xsl", timeout=2) as resp:
            data: dict[str, Any] = json.loads(resp.read())["icestats"]
        return data

    def mounts(self) -> dict[str, dict[str, Any]]:
        """Mount path -> status-json source object."""
        sources = self.public_status().get("source", [])
        sources = sources if isinstance(sources, list) else [sources]
        return {"/" + s["listenurl"].split("/", 3)[3]: s for s in sources}

    # -- internals -------------------------------------------------------------------
    def _start_music_generation(self) -> list[ManagedProcess]:
        jobs = [
            (freq, f"Sine {freq} Hz", self.music_dir / f"sine{freq}.mp3") for freq in FREQUENCIES
        ]
        jobs.append((990, PUSHED_TITLE, self.pushed_file))
        return [
            ManagedProcess.spawn(f"ffmpeg-{target.stem}",
                                 _ffmpeg_sine(freq, title, target, TRACK_SECONDS),
                                 self.directory / f"gen-{target.stem}.log")
            for freq, title, target in jobs
            if not target.exists()
        ]

    def _finish_music_generation(self, jobs: list[ManagedProcess]) -> None:
        for job in jobs:
            code = job.popen.wait(60)
            if code != 0:
                raise StackError(f"ffmpeg could not generate a test MP3\n{job.describe()}")

    def _icecast_answers(self) -> bool:
        self.public_status()
        return True

    def _liquidsoap_on_air(self) -> bool:
        if not port_is_open(self.telnet_port):
            return False
        mounts = self.mounts()
        return all("title" in mounts.get(m, {}) for m in ("/test.mp3", "/test64.mp3"))

    @staticmethod
    def _died(proc: ManagedProcess) -> bool:
        return not proc.running()

    def _raise_if_died(self, proc: ManagedProcess) -> None:
        if not proc.running():
            raise StackError(f"{proc.name} exited during start-up\n{self.logs()}")


@contextmanager
def running_stack() -> Iterator[RadioStack]:
    """A started stack, destroyed on exit."""
    with RadioStack.create() as stack:
        stack.start()
        yield stack


SSHD_CONFIG = """Port {port}
ListenAddress 127.0.0.1
HostKey {directory}/host_ed25519
PidFile {directory}/sshd.pid
AuthorizedKeysFile {directory}/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
AllowTcpForwarding local
PermitOpen any
X11Forwarding no
Subsystem sftp internal-sftp
LogLevel VERBOSE
"""


@dataclass
class ThrowawaySshd:
    """A real OpenSSH server on a free loopback port, with its own host key and one
    authorized test key, for the SSH tunnel tests (the current user logs in)."""

    directory: Path
    port: int
    user: str
    process: ManagedProcess | None = None

    @property
    def client_key(self) -> Path:
        """Private key (no passphrase) that the server accepts."""
        return self.directory / "client_ed25519"

    @property
    def protected_key(self) -> Path:
        """Private key protected by :attr:`KEY_PASSPHRASE`, also accepted."""
        return self.directory / "client_protected"

    @property
    def stranger_key(self) -> Path:
        """A key the server does not know."""
        return self.directory / "stranger_ed25519"

    @property
    def known_hosts(self) -> Path:
        return self.directory / "known_hosts"

    KEY_PASSPHRASE = "correct horse"

    @classmethod
    def start(cls, directory: Path) -> ThrowawaySshd:
        sshd = shutil.which("sshd") or "/usr/sbin/sshd"
        if not Path(sshd).exists() or shutil.which("ssh-keygen") is None:
            raise StackError("OpenSSH is not installed: apt-get install -y openssh-server")
        directory.mkdir(parents=True, exist_ok=True)
        server = cls(directory, free_port(), _current_user())
        keys = [("host_ed25519", ""), ("client_ed25519", ""),
                ("client_protected", cls.KEY_PASSPHRASE), ("stranger_ed25519", "")]
        for name, passphrase in keys:
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", passphrase, "-C", name,
                            "-f", str(directory / name)], check=True, capture_output=True)
        authorized = [(directory / f"{name}.pub").read_text() for name in
                      ("client_ed25519", "client_protected")]
        (directory / "authorized_keys").write_text("".join(authorized))
        host_key = (directory / "host_ed25519.pub").read_text().split()
        server.known_hosts.write_text(f"[127.0.0.1]:{server.port} {host_key[0]} {host_key[1]}\n")
        config = directory / "sshd_config"
        config.write_text(SSHD_CONFIG.format(port=server.port, directory=directory))
        if is_root():
            Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # privilege separation dir
        server.process = ManagedProcess.spawn(
            "sshd", [str(Path(sshd).resolve()), "-D", "-e", "-f", str(config)],
            directory / "sshd.log")
        proc = server.process
        wait_until(f"sshd on port {server.port}",
                   lambda: not proc.running() or port_is_open(server.port), 15,
                   logs=proc.describe)
        if not proc.running():
            raise StackError(f"sshd exited during start-up\n{proc.describe()}")
        return server

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()
            self.process = None


def _current_user() -> str:
    return pwd.getpwuid(os.geteuid()).pw_name
