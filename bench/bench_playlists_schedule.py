"""The playlist editor and the schedule grid under load (offscreen Qt, real services).

Playlists: a playlist of ``--items`` tracks (5,000). Figures, median of ``--runs``:

- reorder: a drag of 10 rows from the end to the top through the page
  (``PlaylistsPage.move_items``: ``PlaylistService.move_items`` with the version check,
  the undo command, the playlist list and the 5,000-row model refreshed); also the
  service call alone;
- reload: a new page instance opening the playlist (list, ``get_playlist``, model reset),
  and ``get_playlist`` alone.

Schedule: a week of ``--blocks`` blocks (300). Grid paint: building the scene from the
page's blocks (tooltips and DST checks included) plus rendering the whole scene into an
offscreen QImage, median of ``--runs``.

SQLite always; MariaDB too when STATION_TEST_MARIADB_URL is set (a database created for
the bench and dropped afterwards).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_playlists_schedule.py
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable

from bench_database import bench_database
from sqlalchemy import insert

import qasync
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication

from station_desktop.db import migrate
from station_desktop.db.engine import Database
from station_desktop.db.ids import new_id
from station_desktop.db.models import AudioFile
from station_desktop.services.playlists import PlaylistFields
from station_desktop.services.schedule import BlockFields
from station_desktop.services.stations import StationFields
from station_desktop.services.workspace import Workspace
from station_desktop.ui.playlists import PlaylistsPage
from station_desktop.ui.schedule import SchedulePage
from station_desktop.ui.worker import DbWorker


def populate_tracks(db: Database, station_id: str, count: int) -> list[str]:
    ids = [new_id() for _ in range(count)]
    rows = [
        {"id": track_id, "clientId": station_id, "filename": f"track-{n:05d}.mp3",
         "storagePath": f"/audio/{station_id}/track-{n:05d}.mp3", "fileSize": 4_000_000,
         "duration": 120.0 + (n * 37) % 300, "title": f"Song number {n:05d}",
         "artist": f"Artist {n % 250:03d}", "format": "mp3", "bitrate": 128,
         "sampleRate": 44100, "channels": 2, "status": "ready"}
        for n, track_id in enumerate(ids)
    ]
    with db.transaction() as s:
        for start in range(0, len(rows), 1000):
            s.execute(insert(AudioFile), rows[start:start + 1000])
    return ids


async def timed(runs: int, step: Callable[[int], Awaitable[None]]) -> list[float]:
    times = []
    for n in range(runs):
        start = time.perf_counter()
        await step(n)
        times.append(time.perf_counter() - start)
    return times


def ms(values: list[float]) -> str:
    return (f"median {statistics.median(values) * 1000:7.1f} ms "
            f"(min {min(values) * 1000:.1f}, max {max(values) * 1000:.1f}, n={len(values)})")


async def bench_playlists(workspace: Workspace, worker: DbWorker, station_id: str,
                          items: int, runs: int) -> None:
    track_ids = populate_tracks(workspace.db, station_id, items)
    playlists = workspace.playlists
    record = playlists.create_playlist(station_id, PlaylistFields("Big rotation",
                                                                  is_main=True))
    playlists.add_items(record.id, track_ids)
    page = PlaylistsPage(worker)
    page.resize(1100, 640)
    page.show()
    await page.set_context(workspace, station_id)
    await page.select_playlist(record.id)
    await page.settle()
    assert page.items_model.rowCount() == items

    async def drag(_n: int) -> None:
        detail = page.items_model.detail
        assert detail is not None
        tail = detail.item_ids[-10:]
        page.move_items(tail, 0)
        await page.settle()
        assert page.items_model.item(0).id == tail[0]

    async def service_only(_n: int) -> None:
        detail = playlists.get_playlist(record.id)
        playlists.move_items(record.id, detail.item_ids[-10:], 0, detail.items_version)

    async def reload(_n: int) -> None:
        fresh = PlaylistsPage(worker)
        await fresh.set_context(workspace, station_id)
        await fresh.select_playlist(record.id)
        await fresh.settle()
        assert fresh.items_model.rowCount() == items
        fresh.deleteLater()

    async def get_only(_n: int) -> None:
        playlists.get_playlist(record.id)

    await drag(0)  # warm-up
    print(f"  reorder via the page (drag 10 of {items:,}): {ms(await timed(runs, drag))}")
    print(f"    service alone (get_playlist + move)    : {ms(await timed(runs, service_only))}")
    print(f"  reload (new page, {items:,} items)          : {ms(await timed(runs, reload))}")
    print(f"    get_playlist alone                     : {ms(await timed(runs, get_only))}")
    page.deleteLater()


async def bench_schedule(workspace: Workspace, worker: DbWorker, station_id: str,
                         blocks: int, runs: int) -> None:
    playlists = [
        workspace.playlists.create_playlist(station_id, PlaylistFields(f"Show {n}")).id
        for n in range(12)
    ]
    per_day = -(-blocks // 7)
    stride = 1440 // per_day
    made = 0
    for day in range(7):
        for slot in range(per_day):
            if made == blocks:
                break
            start = slot * stride
            end = (start + stride - 3) % 1440
            workspace.schedule.create_block(station_id, BlockFields(
                playlists[made % len(playlists)], day, f"{start // 60:02d}:{start % 60:02d}",
                f"{end // 60:02d}:{end % 60:02d}"))
            made += 1
    page = SchedulePage(worker)
    page.resize(1200, 1140)
    page.show()
    await page.set_context(workspace, station_id)
    await page.settle()
    assert len(page.grid.blocks) == blocks
    scene = page.grid.scene()
    rect = scene.sceneRect()
    image = QImage(int(rect.width()), int(rect.height()), QImage.Format.Format_ARGB32)

    async def paint(_n: int) -> None:
        page.grid.set_blocks(page._grid_blocks())  # scene build
        image.fill(QColor("white"))
        painter = QPainter(image)
        scene.render(painter, QRectF(image.rect()), rect)
        painter.end()

    await paint(0)
    print(f"  grid paint ({blocks} blocks, {image.width()}x{image.height()} px): "
          f"{ms(await timed(runs, paint))}")
    page.deleteLater()


def run(label: str, url: str, args: argparse.Namespace) -> None:
    migrate.upgrade(url)
    workspace = Workspace(Database(url))
    worker = DbWorker()
    station = workspace.stations.create_station(StationFields("Bench Radio", "Europe/Madrid"))
    other = workspace.stations.create_station(StationFields("Bench Radio 2", "Europe/Madrid"))
    print(f"{label}:")
    loop = qasync.QEventLoop(QApplication.instance())
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(bench_playlists(workspace, worker, station.id, args.items,
                                                args.runs))
        loop.run_until_complete(bench_schedule(workspace, worker, other.id, args.blocks,
                                               args.runs))
    finally:
        worker.shutdown()
        loop.close()
        asyncio.set_event_loop(None)
        workspace.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--blocks", type=int, default=300)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--backend", choices=("sqlite", "mariadb", "both"), default="both")
    args = parser.parse_args()
    _app = QApplication.instance() or QApplication([])
    if args.backend != "mariadb":
        with tempfile.TemporaryDirectory() as tmp:
            run("SQLite", f"sqlite:///{tmp}/bench.db", args)
    admin = os.environ.get("STATION_TEST_MARIADB_URL")
    if args.backend == "sqlite":
        return
    if not admin:
        print("MariaDB: skipped (set STATION_TEST_MARIADB_URL to include it)")
        return
    with bench_database(admin) as url:
        run("MariaDB", url, args)


if __name__ == "__main__":
    main()
