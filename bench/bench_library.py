"""Issue 6's library bench: the Library page over a station of 100,000 tracks.

The tracks are inserted in bulk with varied, realistic-looking tags: titles from a
vocabulary of a few thousand made-up words, 6,000 artists with their albums, 40 genres,
years, a few untitled tracks and a few errors, so a search for an artist finds a handful
of tracks while a common word finds thousands. Then, in this process, offscreen, with the
real :class:`LibraryPage` (model + view, qasync loop, the DbWorker thread):

- first paint: from building the page to the first page of rows painted;
- filter latency: from the search being applied (after the typing pause, which is a
  deliberate 180 ms) to the matching rows painted; median and p95 over artist names,
  common and rare words, word fragments, accented text and searches that find nothing;
- sort (a header click) and a jump to row 90,000 (dragging the scroll bar to the end);
- peak RSS of the process (ru_maxrss; it only grows, so with ``--backend both`` the
  MariaDB figure includes the SQLite run: use ``--backend`` for each one's own).

Targets: first paint < 300 ms, filter < 50 ms, RSS < 250 MB. SQLite always; MariaDB too
when STATION_TEST_MARIADB_URL is set (a database created for the bench and dropped).

    .venv/bin/python bench/bench_library.py [--tracks 100000] [--backend sqlite|mariadb|both]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")

from bench_database import bench_database
from sqlalchemy import insert

import qasync
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTableView

from station_desktop.db import migrate
from station_desktop.db.engine import Database
from station_desktop.db.ids import new_id
from station_desktop.db.models import AudioFile, Client
from station_desktop.services.library import _search_values
from station_desktop.services.workspace import Workspace
from station_desktop.ui.library.model import ARTIST, TITLE, YEAR
from station_desktop.ui.library.page import LibraryPage
from station_desktop.ui.worker import DbWorker

TARGET_FIRST_PAINT_MS = 300.0
TARGET_FILTER_MS = 50.0
TARGET_RSS_MB = 250.0

_SYLLABLES = ("ka", "lo", "mi", "ra", "ne", "so", "tu", "vi", "da", "re", "an", "el", "or",
              "us", "ia", "ño", "ción", "ber", "ström", "ji", "ma", "ko", "la", "te", "bri",
              "sa", "go", "nu", "pe", "zo", "chi", "ro", "ven", "tal", "mar", "dé", "lü")
_GENRES = ("Rock", "Pop", "Jazz", "Electrónica", "Clásica", "Hip-Hop", "Folk", "Soul",
           "Reggae", "Metal", "Blues", "Country", "Salsa", "Cumbia", "Tango", "Bossa Nova",
           "Flamenco", "House", "Techno", "Ambient", "Funk", "Disco", "Punk", "Indie",
           "R&B", "Gospel", "Latin", "Bolero", "Ranchera", "Merengue", "Bachata", "K-Pop",
           "J-Pop", "Chanson", "Fado", "Trap", "Drum & Bass", "Dub", "Ska", "Grunge")


@dataclass(frozen=True)
class Library:
    vocabulary: list[str]
    artists: list[str]


def _word(rnd: random.Random) -> str:
    return "".join(rnd.choice(_SYLLABLES) for _ in range(rnd.randint(2, 3)))


def make_library(rnd: random.Random) -> Library:
    vocabulary = sorted({_word(rnd) for _ in range(5000)})
    first = sorted({_word(rnd).capitalize() for _ in range(400)})
    last = sorted({_word(rnd).capitalize() for _ in range(600)})
    artists = sorted({f"{rnd.choice(first)} {rnd.choice(last)}" for _ in range(6000)})
    return Library(vocabulary, artists)


def populate(db: Database, tracks: int, library: Library, rnd: random.Random,
             platform_percent: int = 0) -> str:
    client_id = new_id()
    with db.transaction() as s:
        s.add(Client(id=client_id, name="Bench Radio", storageQuota=2 * 1024**4))
    # Frequent words are frequent: a Zipf-like pick over the vocabulary.
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(library.vocabulary))]
    albums = {artist: [" ".join(rnd.choices(library.vocabulary, weights, k=2)).title()
                       for _ in range(rnd.randint(1, 3))] for artist in library.artists}
    def row(n: int) -> dict[str, object]:
        artist = rnd.choice(library.artists)
        title = " ".join(rnd.choices(library.vocabulary, weights, k=rnd.randint(1, 4)))
        values: dict[str, object] = {
            "id": new_id(), "clientId": client_id, "filename": f"{n:06d} {title}.mp3",
            "storagePath": f"/audio/{client_id}/{n:06d}.mp3",
            "fileSize": rnd.randint(2_000_000, 12_000_000),
            "duration": rnd.uniform(90, 420),
            "title": None if n % 500 == 0 else title.capitalize(),
            "artist": None if n % 300 == 0 else artist,
            "album": rnd.choice(albums[artist]), "genre": rnd.choice(_GENRES),
            "year": None if n % 40 == 0 else rnd.randint(1955, 2025), "coverUrl": None,
            "format": rnd.choice(("mp3", "mp3", "mp3", "ogg", "flac", "aac")),
            "bitrate": rnd.choice((128, 192, 256, 320)), "sampleRate": 44100, "channels": 2,
            "status": "error" if n % 97 == 0 else "ready",
            "statusMessage": "ffmpeg could not decode the file" if n % 97 == 0 else None,
        }
        # The search columns, as LibraryService.add_tracks writes them; --platform-rows of
        # the tracks go without (as the platform writes them), searched the slow way.
        values.update(_search_values(values) if n % 100 >= platform_percent
                      else {"searchText": None, "searchKey": None})
        return values

    with db.engine.begin() as conn:  # in chunks: the bench's RSS is the page's, not this
        for start in range(0, tracks, 5000):
            conn.execute(insert(AudioFile),
                         [row(n) for n in range(start, min(start + 5000, tracks))])
    return client_id


def searches(library: Library, rnd: random.Random) -> list[str]:
    """What people type: artists (rare), title words (frequent to rare), fragments,
    accented text, and typos that find nothing."""
    words = library.vocabulary
    artists = rnd.sample(library.artists, 10)
    common = words[:5]
    rare = rnd.sample(words[2000:], 6)
    fragments = [w[1:4] for w in rnd.sample(words, 5)]
    return [*artists, *common, *rare, *fragments, "ción", "ström", "Ño", "zzqx", "qwerty",
            "xylofón"]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def _shown(page: LibraryPage, action: Callable[[], None]) -> float:
    """Seconds from ``action`` to the model's new rows painted: the paint happens in the
    handler of the model's ``loaded`` signal, synchronously, as soon as the rows are in."""
    done = asyncio.Event()
    painted: list[float] = []

    def on_loaded() -> None:
        page.view.viewport().repaint()
        painted.append(time.perf_counter())
        done.set()

    page.model.loaded.connect(on_loaded)
    start = time.perf_counter()
    action()
    await done.wait()
    page.model.loaded.disconnect(on_loaded)
    await page.model.wait_idle()  # the count and any page asked by the paint
    return painted[0] - start


async def _jump(page: LibraryPage, row: int) -> float:
    start = time.perf_counter()
    page.view.scrollTo(page.model.index(row, TITLE), QTableView.ScrollHint.PositionAtTop)
    page.view.viewport().repaint()
    while page.model.record(row) is None:
        await asyncio.sleep(0)
    page.view.viewport().repaint()
    return time.perf_counter() - start


async def measure(label: str, workspace: Workspace, station_id: str, terms: list[str],
                  rounds: int, verbose: bool) -> None:
    worker = DbWorker()
    try:
        paints: list[float] = []
        page: LibraryPage | None = None
        for _ in range(rounds):
            if page is not None:
                page.deleteLater()
            start = time.perf_counter()
            page = LibraryPage(worker)
            page.resize(1280, 760)
            page.show()
            painted: list[float] = []

            def paint_now(p: LibraryPage = page, out: list[float] = painted) -> None:
                p.view.viewport().repaint()
                out.append(time.perf_counter())

            page.model.loaded.connect(paint_now)
            await page.set_context(workspace, station_id)
            paints.append(painted[0] - start)
        assert page is not None
        rows = page.model.rowCount()
        latencies: dict[str, float] = {}
        matches: dict[str, int] = {}
        for _ in range(2):
            for term in terms:
                page.search.setText(term)
                seconds = await _shown(page, page._apply_filters)
                latencies[term] = min(latencies.get(term, seconds), seconds)
                matches[term] = page.model.rowCount()
            page.search.setText("")
            await _shown(page, page._apply_filters)
        values = list(latencies.values())
        sorts = []
        for column, order in ((YEAR, Qt.SortOrder.DescendingOrder),
                              (ARTIST, Qt.SortOrder.AscendingOrder),
                              (ARTIST, Qt.SortOrder.DescendingOrder),
                              (TITLE, Qt.SortOrder.AscendingOrder)):
            sorts.append(await _shown(page, lambda c=column, o=order:  # type: ignore[misc]
                                      page.view.sortByColumn(c, o)))
        jump = await _jump(page, min(90_000, rows - 1))
        slow = sorted(latencies.items(), key=lambda i: i[1], reverse=True)[:3]
        first, median_paint = paints[0], statistics.median(paints)
        median, p95 = statistics.median(values), percentile(values, 0.95)
        rss = rss_mb()

        def verdict(ok: bool) -> str:
            return "OK" if ok else "MISSED"

        print(f"{label}: {rows:,} tracks, {len(terms)} searches")
        print(f"  first paint    first {first * 1000:6.1f} ms  median of {rounds} "
              f"{median_paint * 1000:6.1f} ms   target < {TARGET_FIRST_PAINT_MS:.0f} ms  "
              f"{verdict(first * 1000 < TARGET_FIRST_PAINT_MS)}")
        print(f"  filter         median {median * 1000:6.1f} ms  p95 {p95 * 1000:6.1f} ms  "
              f"max {max(values) * 1000:6.1f} ms   target < {TARGET_FILTER_MS:.0f} ms  "
              f"{verdict(p95 * 1000 < TARGET_FILTER_MS)} (p95)")
        print("  slowest        " + ", ".join(f"{t!r} {s * 1000:.0f} ms" for t, s in slow))
        if verbose:
            for term, seconds in sorted(latencies.items(), key=lambda i: i[1]):
                print(f"    {term!r:24} {seconds * 1000:6.1f} ms  {matches[term]:>6,} tracks")
        print(f"  sort (header)  median {statistics.median(sorts) * 1000:6.1f} ms")
        print(f"  jump to row {min(90_000, rows - 1):,} {jump * 1000:6.1f} ms")
        print(f"  peak RSS       {rss:6.1f} MB   target < {TARGET_RSS_MB:.0f} MB  "
              f"{verdict(rss < TARGET_RSS_MB)}")
        page.deleteLater()
    finally:
        worker.shutdown()


def run(label: str, url: str, tracks: int, rounds: int, verbose: bool,
        platform_percent: int = 0) -> None:
    rnd = random.Random(6)
    migrate.upgrade(url)
    db = Database(url)
    try:
        library = make_library(rnd)
        start = time.perf_counter()
        station_id = populate(db, tracks, library, rnd, platform_percent)
        print(f"{label}: {tracks:,} tracks inserted in {time.perf_counter() - start:.1f} s")
        workspace = Workspace(db)
        app = QApplication.instance() or QApplication([])
        loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(measure(label, workspace, station_id,
                                            searches(library, rnd), rounds, verbose))
        finally:
            loop.close()
            asyncio.set_event_loop(None)
            workspace.importer.close()
    finally:
        db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--tracks", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5, help="first paints measured")
    parser.add_argument("--backend", choices=("sqlite", "mariadb", "both"), default="both",
                        help="peak RSS is per process: run one backend for its own figure")
    parser.add_argument("--verbose", action="store_true", help="every search's figure")
    parser.add_argument("--platform-rows", type=int, default=0, metavar="PERCENT",
                        help="tracks written as the platform does, without search columns")
    args = parser.parse_args()
    if args.backend != "mariadb":
        with tempfile.TemporaryDirectory() as tmp:
            run("SQLite", f"sqlite:///{tmp}/bench.db", args.tracks, args.rounds, args.verbose,
                args.platform_rows)
    if args.backend == "sqlite":
        return
    admin = os.environ.get("STATION_TEST_MARIADB_URL")
    if not admin:
        print("MariaDB: skipped (set STATION_TEST_MARIADB_URL to include it)")
        return
    with bench_database(admin) as url:
        run("MariaDB", url, args.tracks, args.rounds, args.verbose, args.platform_rows)


if __name__ == "__main__":
    main()
