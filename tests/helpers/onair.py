"""Putting a station rendered from the database on the air, for integration tests.

``BroadcastService.icecast_config`` renders the production icecast.xml (system log and web
directories, no ``<changeowner>``). :func:`localize_icecast_xml` points it at a test
directory (and adds ``<changeowner>`` when the tests run as root: Icecast refuses root);
:func:`prepare_webroot` copies Icecast's web files and makes the per-mount fallback files
the config names (icecast/README.md). :func:`start_icecast` starts Icecast again when
2.4.4 segfaults during start-up, which it does in a few percent of starts when a mount
has a file fallback. Processes are ``helpers.stack.ManagedProcess``.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import time
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx

from helpers.stack import ManagedProcess, StackError, is_root, tail, wait_until

ICECAST_START_ATTEMPTS = 3
SEGFAULT = -11

T = TypeVar("T")


def localize_icecast_xml(xml: str, *, logdir: Path, webroot: Path) -> str:
    """The rendered icecast.xml with its log and web directories moved to ``logdir`` and
    ``webroot``, and ``<changeowner>`` icecast2:icecast when running as root."""
    root = ET.fromstring(xml)
    paths = root.find("paths")
    assert paths is not None, "the rendered icecast.xml has no <paths>"
    for tag, value in (("logdir", logdir), ("webroot", webroot)):
        element = paths.find(tag)
        assert element is not None, f"the rendered icecast.xml has no <paths><{tag}>"
        element.text = str(value)
    security = root.find("security")
    if security is None:
        security = ET.SubElement(root, "security")
    if is_root() and security.find("changeowner") is None:
        owner = ET.SubElement(security, "changeowner")
        ET.SubElement(owner, "user").text = "icecast2"
        ET.SubElement(owner, "group").text = "icecast"
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


def fallback_files_of(xml: str) -> list[tuple[str, int]]:
    """``(webroot-relative fallback file, bitrate)`` of every mount of an icecast.xml."""
    root = ET.fromstring(xml)
    found = []
    for mount in root.findall("mount"):
        fallback, bitrate = mount.findtext("fallback-mount"), mount.findtext("bitrate")
        if fallback and bitrate:
            found.append((fallback, int(bitrate)))
    return found


def silent_mp3_argv(target: Path, bitrate: int, seconds: int = 10) -> list[str]:
    return ["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
            "anullsrc=r=44100:cl=stereo", "-t", str(seconds), "-c:a", "libmp3lame",
            "-b:a", f"{bitrate}k", str(target)]


def tagged_mp3_argv(target: Path, frequency: int, seconds: int, title: str,
                    artist: str) -> list[str]:
    return ["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
            f"sine=frequency={frequency}:duration={seconds}", "-ac", "2", "-ar", "44100",
            "-c:a", "libmp3lame", "-b:a", "128k", "-metadata", f"title={title}",
            "-metadata", f"artist={artist}", str(target)]


def run_all(commands: Sequence[list[str]], timeout: float = 60) -> None:
    """Run commands in parallel; raise with the stderr of the first that fails."""
    procs = [subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
             for argv in commands]
    for argv, proc in zip(commands, procs, strict=True):
        _, err = proc.communicate(timeout=timeout)
        if proc.returncode != 0:
            text = err.decode(errors="replace")
            raise StackError(f"{argv[0]} failed ({proc.returncode}): {text}")


def prepare_webroot(webroot: Path, xml: str) -> None:
    """Icecast's own web files (status-json.xsl) plus the fallback file of every mount:
    a symlink to one silent MP3 per bitrate (icecast/README.md)."""
    shutil.copytree("/usr/share/icecast2/web", webroot)
    files = fallback_files_of(xml)
    silence = {bitrate: webroot / f"silence-{bitrate}.mp3" for _, bitrate in files}
    run_all([silent_mp3_argv(path, bitrate) for bitrate, path in silence.items()])
    for path, bitrate in files:
        target = webroot / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.symlink_to(silence[bitrate])


@dataclass
class IcecastProcess:
    port: int
    logdir: Path
    process: ManagedProcess
    attempts: int = 1
    root: Path | None = None  # a directory of its own, removed by stop()

    def stop(self) -> int:
        code = self.process.stop()
        if self.root is not None and not os.environ.get("STATION_TEST_KEEP_STACK"):
            shutil.rmtree(self.root, ignore_errors=True)
        return code

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def status(self) -> dict[str, Any]:
        with urllib.request.urlopen(f"{self.url}/status-json.xsl", timeout=2) as resp:
            data: dict[str, Any] = json.loads(resp.read())["icestats"]
        return data

    def mounts(self) -> dict[str, dict[str, Any]]:
        sources = self.status().get("source", [])
        sources = sources if isinstance(sources, list) else [sources]
        return {"/" + s["listenurl"].split("/", 3)[3]: s for s in sources}

    def logs(self) -> str:
        return f"{self.process.describe()}\n--- error.log:\n{tail(self.logdir / 'error.log')}"


def start_icecast(config: Path, port: int, logdir: Path, stdout: Path) -> IcecastProcess:
    """Start Icecast with ``config``; start it again (up to 3 times) when it segfaults
    during start-up, as a supervisor would (icecast/README.md)."""
    if is_root():
        shutil.chown(logdir, "icecast2", "icecast")
    for attempt in range(1, ICECAST_START_ATTEMPTS + 1):
        process = ManagedProcess.spawn("icecast", ["icecast2", "-c", str(config)], stdout)
        icecast = IcecastProcess(port, logdir, process, attempt)
        wait_until("Icecast answering",
                   lambda ice=icecast: not ice.process.running() or bool(ice.status()),
                   15, logs=icecast.logs)
        time.sleep(0.5)  # the crash comes within the first moments
        if process.running():
            return icecast
        if attempt == ICECAST_START_ATTEMPTS or process.popen.returncode != SEGFAULT:
            break
    raise StackError(f"Icecast did not stay up:\n{icecast.logs()}")


def ffmpeg_source_argv(url: str, *, ice_name: str = "DJ Test", seconds: float | None = None,
                       frequency: int = 880, title: str | None = None,
                       artist: str | None = None) -> list[str]:
    """ffmpeg as an Icecast source client (to a harbor or a mount), a sine wave. ``title``
    and ``artist`` go into the stream's ID3 tag, which Liquidsoap's harbor decodes as the
    live source's metadata."""
    duration = f":duration={seconds}" if seconds is not None else ""
    tags = []
    for key, value in (("title", title), ("artist", artist)):
        if value is not None:
            tags += ["-metadata", f"{key}={value}"]
    return ["ffmpeg", "-nostdin", "-nostats", "-loglevel", "error", "-re", "-f", "lavfi",
            "-i", f"sine=frequency={frequency}{duration}", "-c:a", "libmp3lame", "-b:a", "64k",
            *tags, "-content_type", "audio/mpeg", "-ice_name", ice_name, "-f", "mp3", url]


async def wait_for(
    what: str, probe: Callable[[], Awaitable[T]], accept: Callable[[T], bool],
    timeout: float, logs: Callable[[], str], interval: float = 0.2,
) -> T:
    """Await ``probe()`` until ``accept(result)``; on timeout raise StackError with the last
    result and ``logs()``. A probe that raises counts as not accepted (and is shown)."""
    deadline = time.monotonic() + timeout
    last: object = None
    while True:
        try:
            result = await probe()
        except Exception as exc:
            last = exc
        else:
            last = result
            if accept(result):
                return result
        if time.monotonic() > deadline:
            raise StackError(f"timed out after {timeout:g} s waiting for {what}; "
                             f"last: {last!r}\n{logs()}")
        await asyncio.sleep(interval)


@asynccontextmanager
async def listening(url: str, user_agent: str = "OnAirTest/1.0") -> AsyncIterator[list[int]]:
    """A real listener streaming ``url`` in the background; yields [bytes received]."""
    received = [0]

    async def listen() -> None:
        async with httpx.AsyncClient(timeout=10) as http, http.stream(
            "GET", url, headers={"User-Agent": user_agent}
        ) as response:
            response.raise_for_status()
            async for chunk in response.aiter_bytes():
                received[0] += len(chunk)

    task = asyncio.create_task(listen())
    try:
        yield received
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
