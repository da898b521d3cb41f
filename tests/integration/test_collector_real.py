"""The Collector against a REAL Icecast 2.4.4: ffmpeg feeds two bitrate mounts of one
station, real listeners connect, and an Icecast that stops and comes back raises and then
clears the outage alert. Runs on SQLite and MariaDB; Icecast only (no Liquidsoap), started
the way ``tests/helpers/stack.py`` starts it, on a free loopback port.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager

import httpx
import pytest
from helpers.factories import make_station
from helpers.stack import ManagedProcess, RadioStack, StackError

from station_desktop.daemon.collector import Collector, icecast_factory
from station_desktop.db.engine import Database
from station_desktop.services.alerts import AlertService
from station_desktop.services.fleet import FleetService, ServerFields
from station_desktop.services.stations import StationService, StreamSettings
from station_desktop.services.stats import StatsService

pytestmark = [pytest.mark.integration, pytest.mark.asyncio]


@pytest.fixture
def icecast_only() -> Iterator[RadioStack]:
    try:
        stack = RadioStack.create()
    except StackError as exc:
        pytest.skip(str(exc))
    try:
        stack.start_icecast()
        yield stack
    finally:
        stack.destroy()


def feed(stack: RadioStack, mount: str, kbps: int) -> None:
    name = f"ffmpeg{mount.replace('/', '-')}"
    stack.processes[name] = ManagedProcess.spawn(name, [
        "ffmpeg", "-nostdin", "-loglevel", "error", "-re", "-f", "lavfi",
        "-i", "sine=frequency=440", "-c:a", "libmp3lame", "-b:a", f"{kbps}k",
        "-content_type", "audio/mpeg", "-ice_name", "Collector test", "-f", "mp3",
        stack.source_url(mount)], stack.directory / f"{name}.log")


async def until(what: str, check: object, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():  # type: ignore[operator]
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        await asyncio.sleep(0.1)


@asynccontextmanager
async def listeners(url: str, count: int) -> AsyncIterator[None]:
    async def listen() -> None:
        async with httpx.AsyncClient(timeout=10) as http, http.stream("GET", url) as response:
            response.raise_for_status()
            async for _ in response.aiter_bytes():
                pass

    tasks = [asyncio.create_task(listen()) for _ in range(count)]
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def counted(stack: RadioStack, wanted: dict[str, int]) -> bool:
    try:
        mounts = stack.mounts()
    except OSError:
        return False
    return all(mounts.get(m, {}).get("listeners") == n for m, n in wanted.items())


async def test_real_listeners_then_an_outage_and_the_recovery(
    icecast_only: RadioStack, db: Database
) -> None:
    stack = icecast_only
    server = FleetService(db).create_server(
        ServerFields("Real VPS", "127.0.0.1", port=stack.icecast_port))
    stations = StationService(db)
    station = make_station(db, assign=False).id
    stations.assign_server(station, server.id)
    config = stations.get_config(station)
    stations.update_config(station, StreamSettings(mountpoint="/st", bitrates=(64, 128)),
                           config.version)
    feed(stack, "/st-64", 64)
    feed(stack, "/st-128", 128)
    await until("both mounts", lambda: {"/st-64", "/st-128"} <= set(stack.mounts()))
    collector = Collector(db, icecast_factory(timeout=2), failure_threshold=3, timeout=2)

    async with listeners(f"{stack.icecast_url}/st-64", 2), \
            listeners(f"{stack.icecast_url}/st-128", 3):
        await until("5 listeners", lambda: counted(stack, {"/st-64": 2, "/st-128": 3}))
        started = time.monotonic()
        report = await collector.collect_once()
        one_round = time.monotonic() - started

    assert report.server(server.id).ok, report.server(server.id).error
    sample = StatsService(db).latest(station)
    assert sample is not None
    assert (sample.listeners, sample.listeners_64, sample.listeners_128) == (5, 2, 3)
    assert sample.peak_listeners >= 5 and sample.stream_status == "online"
    assert one_round < 2.0, one_round

    stack.processes["icecast"].stop()
    for round_ in range(3):
        report = await collector.collect_once()
        assert not report.server(server.id).ok
        assert "Cannot reach Icecast" in (report.server(server.id).error or "")
        assert bool(AlertService(db).list_alerts()) == (round_ == 2)
    (alert,) = AlertService(db).list_alerts()
    assert alert.kind == "icecast_unreachable" and alert.severity == "critical"
    assert FleetService(db).get_server(server.id).status == "offline"

    stack.start_icecast()
    report = await collector.collect_once()
    line = report.server(server.id)
    assert line.ok and line.alert_cleared and line.status_changed_to == "online"
    assert AlertService(db).list_alerts() == []
    assert FleetService(db).get_server(server.id).status == "online"
