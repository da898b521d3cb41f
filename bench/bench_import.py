"""Issue 6's import bench: 2,000 generated files of mixed formats, imported end to end.

Files: 1-2 s tones (a different pitch and title each, so none is a duplicate) as MP3,
Ogg Vorbis, Opus, FLAC, AAC (.m4a) and WAV, one in ten MP3s with an embedded cover (the
same picture, as on an album). ffmpeg makes them once, many outputs per process and
several processes in parallel, into a cache folder that later runs reuse
(``--cache``, default ``$TMPDIR/station-bench-import``).

Figures (every measured run first drops the files from the page cache, so the bare loop
and the imports read them from disk alike; the bare loop from the cache is printed too):

- the limit: a bare loop calling ``mutagen.File`` on the same files (files/s);
- the import: :meth:`ImportService.import_files` on all of them into an empty station
  (probe, hash, duplicate check, quota, copy into a LocalStorage with fsync, cover
  thumbnails, rows processing -> ready), files/s, on SQLite and, when
  STATION_TEST_MARIADB_URL is set, on MariaDB (a database made for the bench, dropped
  afterwards);
- peak RSS of the process (ru_maxrss, only grows: the MariaDB figure includes SQLite's).

Target: the import at least half the bare mutagen rate. ``--convert N`` adds N WMA files
(converted to MP3 by ffmpeg) and prints their rate separately: conversions are bound by
ffmpeg, not by the importer.

``--steps`` also prints what each step of the import's fast path costs per file, one
file after another in one thread (no contention): the budget the target has to fit in.

    .venv/bin/python bench/bench_import.py [--files 2000] [--convert 0] [--profile] [--steps]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import os
import pstats
import resource
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import mutagen
from bench_database import bench_database
from PIL import Image

from station_desktop.db import migrate
from station_desktop.db.engine import Database
from station_desktop.media.hashing import KEEP_BYTES, digest_file
from station_desktop.media.names import stored_name
from station_desktop.media.probe import needs_tools, probe, read_with_mutagen
from station_desktop.media.storage import LocalStorage, Staged
from station_desktop.media.transcode import plan_for
from station_desktop.services.importer import ImportLimits, ImportService
from station_desktop.services.library import LibraryService, NewTrack
from station_desktop.services.stations import StationFields, StationService

FORMATS = {  # extension -> encoder arguments
    "mp3": ["-c:a", "libmp3lame", "-b:a", "128k"],
    "ogg": ["-c:a", "libvorbis", "-q:a", "4"],
    "opus": ["-c:a", "libopus", "-b:a", "96k"],
    "flac": ["-c:a", "flac"],
    "m4a": ["-c:a", "aac", "-b:a", "128k"],
    "wav": ["-c:a", "pcm_s16le"],
}
PER_PROCESS = 50  # outputs per ffmpeg process
TARGET_SHARE = 0.5


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _generate(job: tuple[Path, str, int, int, Path | None]) -> None:
    folder, extension, first, count, cover = job
    # A tone with a little noise: music has entropy, and a pure sine would compress to
    # what only silence does (a FLAC of it looks like a truncated file and gets decoded).
    args = ["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
            f"sine=frequency={220 + first % 600}:duration=2:sample_rate=44100",
            "-f", "lavfi", "-i", "anoisesrc=d=2:c=pink:a=0.05:r=44100"]
    if cover is not None:
        args += ["-i", str(cover)]
    outputs = "".join(f"[o{k}]" for k in range(count))
    args += ["-filter_complex", f"[0:a][1:a]amix=inputs=2,asplit={count}{outputs}"]
    for k, n in enumerate(range(first, first + count)):
        args += ["-map", f"[o{k}]", "-t", f"{1 + (n % 10) / 10:.1f}", *FORMATS[extension],
                 "-ac", "2", "-metadata", f"title=Bench tone {n}",
                 "-metadata", f"artist=Artist {n % 97}", "-metadata", f"album=Album {n % 41}"]
        if cover is not None and n % 10 == 0:
            args += ["-map", "2:v", "-c:v", "mjpeg", "-disposition:v", "attached_pic"]
        args.append(str(folder / f"tone-{n:05d}.{extension}"))
    subprocess.run(args, check=True, capture_output=True)


def make_files(cache: Path, total: int, extensions: list[str]) -> list[Path]:
    folder = cache / f"{total}-{'-'.join(extensions)}-v2"
    done = folder / ".complete"
    if done.exists():
        return sorted(p for p in folder.iterdir() if not p.name.startswith("."))
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    cover = folder / ".cover.jpg"
    Image.new("RGB", (800, 800), "#3060a0").save(cover, "JPEG", quality=90)
    jobs: list[tuple[Path, str, int, int, Path | None]] = []
    per_format = -(-total // len(extensions))
    n = 0
    for index, extension in enumerate(extensions):
        wanted = min(per_format, total - index * per_format)
        for first in range(0, wanted, PER_PROCESS):
            count = min(PER_PROCESS, wanted - first)
            jobs.append((folder, extension, n, count, cover if extension == "mp3" else None))
            n += count
    started = time.perf_counter()
    with ThreadPoolExecutor(os.cpu_count() or 2) as pool:
        list(pool.map(_generate, jobs))
    done.write_text("ok")
    print(f"generated {n} files with ffmpeg in {time.perf_counter() - started:.1f} s "
          f"(cached in {folder})")
    return sorted(p for p in folder.iterdir() if not p.name.startswith("."))


def evict(files: list[Path]) -> None:
    """Drop the files' pages from the page cache (no root needed), so that every measured
    run reads them from disk alike: a file to import has usually not been read lately."""
    for path in files:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def bare_mutagen(files: list[Path], *, cold: bool) -> float:
    for path in files[:50]:  # mutagen's imports
        mutagen.File(path)
    if cold:
        evict(files)
    started = time.perf_counter()
    for path in files:
        mutagen.File(path)
    return len(files) / (time.perf_counter() - started)


def step_costs(files: list[Path], work: Path) -> None:
    """Each fast-path step on every file, in one thread: milliseconds per file."""
    spent: dict[str, float] = {}

    def timed(step: str, started: float) -> None:
        spent[step] = spent.get(step, 0.0) + time.perf_counter() - started

    storage = LocalStorage(work / "audio-steps")
    client = "stepsbench"
    staged: list[Staged] = []
    tracks: list[NewTrack] = []
    for path in files:
        started = time.perf_counter()
        mutagen.File(path)
        timed("bare mutagen.File (reference)", started)
        started = time.perf_counter()
        digest = digest_file(path, keep=KEEP_BYTES)
        timed("hash (read + SHA-256)", started)
        started = time.perf_counter()
        read = read_with_mutagen(path)
        timed("read_with_mutagen", started)
        started = time.perf_counter()
        assert not needs_tools(path, read, digest.size)
        checking = probe(path, read, size=digest.size, head=digest.head, ffprobe_timeout=30,
                         decode_timeout=180)
        try:
            checking.send(None)  # no tool to wait for: it completes at once
        except StopIteration as done:
            plan_for(done.value.info)
        else:
            raise AssertionError(f"{path.name} needed ffprobe")
        timed("probe + plan", started)
    for n, path in enumerate(files):
        digest = digest_file(path, keep=KEEP_BYTES)
        started = time.perf_counter()
        name = stored_name(path.name, digest.sha256, "x", max_chars=120)
        staged.append(storage.stage_file(path, client, name, digest.data))
        timed("name + copy under a temporary name", started)
        tracks.append(NewTrack(
            filename=path.name, storage_path=f"/audio/{client}/{name}", file_size=digest.size,
            duration=1.5, format=path.suffix.lstrip("."), bitrate=128_000,
            sample_rate=44100, channels=2, title=f"Bench tone {n}", artist="Artist",
            album="Album", genre=None, year=None, cover_url=None, status="ready",
            content_hash=digest.sha256))
    started = time.perf_counter()
    storage.commit_staged(staged)
    timed("syncfs + renames (one batch)", started)
    url = f"sqlite:///{work}/steps.db"
    migrate.upgrade(url)
    db = Database(url)
    try:
        station = StationService(db).create_station(
            StationFields("Steps", "UTC", storage_quota=50 * 1024**3))
        library = LibraryService(db)
        started = time.perf_counter()
        for first in range(0, len(tracks), 20):
            library.add_tracks(station.id, tracks[first:first + 20])
        timed("add_tracks, SQLite (batches of 20)", started)
    finally:
        db.dispose()
    print("  per-file cost of each step, one thread, no contention:")
    for step, seconds in spent.items():
        print(f"    {step:<38} {seconds * 1000 / len(files):6.3f} ms")


def import_all(url: str, files: list[Path], root: Path, profile: bool,
               limits: ImportLimits | None = None) -> tuple[float, int]:
    db = Database(url)
    storage = LocalStorage(root)
    importer = ImportService(db, lambda _client: storage, limits=limits)
    try:
        station = StationService(db).create_station(
            StationFields("Bench", "UTC", storage_quota=50 * 1024**3))
        profiler = cProfile.Profile() if profile else None
        evict(files)  # read from disk, as the bare loop it is compared with
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        report = asyncio.run(importer.import_files(station.id, files))
        if profiler:
            profiler.disable()
        seconds = time.perf_counter() - started
        bad = [o for o in report.outcomes if o.status != "imported"]
        assert not bad, bad[:3]
        if profiler:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(30)
            print(out.getvalue())
        return len(files) / seconds, len(report.imported)
    finally:
        importer.close()
        db.dispose()


def report_line(label: str, rate: float, count: int, limit: float) -> None:
    share = rate / limit
    verdict = "OK" if share >= TARGET_SHARE else "MISSED"
    print(f"  import {label:<8} {rate:8.0f} files/s  ({count} files; {share:.0%} of the bare "
          f"mutagen rate, target >= {TARGET_SHARE:.0%})  {verdict}")


def conversions(cache: Path, count: int, work: Path) -> None:
    FORMATS["wma"] = ["-c:a", "wmav2", "-b:a", "128k"]
    wma = make_files(cache, count, ["wma"])
    url = f"sqlite:///{work}/convert.db"
    migrate.upgrade(url)
    rate, imported = import_all(url, wma, work / "audio-convert", False)
    print(f"  import WMA->MP3 {rate:6.1f} files/s  ({imported} files converted by ffmpeg)")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--convert", type=int, default=0, help="also import N WMA files")
    parser.add_argument("--cache", type=Path,
                        default=Path(tempfile.gettempdir()) / "station-bench-import")
    parser.add_argument("--backend", choices=("sqlite", "mariadb", "both"), default="both")
    parser.add_argument("--profile", action="store_true", help="cProfile the SQLite import")
    parser.add_argument("--steps", action="store_true", help="time each step in one thread")
    parser.add_argument("--processes", type=int, default=ImportLimits.processes,
                        help="worker processes for hashing and mutagen (0: threads)")
    args = parser.parse_args()
    files = make_files(args.cache, args.files, list(FORMATS))
    size = sum(p.stat().st_size for p in files)
    print(f"{len(files)} files, {size / 1024**2:.1f} MB, formats: {', '.join(FORMATS)}")
    limit = bare_mutagen(files, cold=True)
    warm = bare_mutagen(files, cold=False)
    print(f"  bare mutagen.File loop {limit:8.0f} files/s   (the limit: files read from disk, "
          f"as in the imports below; {warm:.0f} files/s from the page cache)")
    with tempfile.TemporaryDirectory(prefix="station-bench-") as tmp:
        work = Path(tmp)
        if args.steps:
            step_costs(files, work)
        if args.backend != "mariadb":
            url = f"sqlite:///{work}/bench.db"
            migrate.upgrade(url)
            rate, count = import_all(url, files, work / "audio-sqlite", args.profile,
                                     ImportLimits(processes=args.processes))
            report_line("SQLite", rate, count, limit)
            print(f"  peak RSS {rss_mb():.0f} MB")
        admin = os.environ.get("STATION_TEST_MARIADB_URL")
        if args.backend != "sqlite" and admin:
            with bench_database(admin) as url:
                migrate.upgrade(url)
                rate, count = import_all(url, files, work / "audio-mariadb", False,
                                         ImportLimits(processes=args.processes))
                report_line("MariaDB", rate, count, limit)
                print(f"  peak RSS {rss_mb():.0f} MB (process; includes the SQLite run)")
        elif args.backend != "sqlite":
            print("  MariaDB: skipped (set STATION_TEST_MARIADB_URL to include it)")
        if args.convert:
            conversions(args.cache, args.convert, work)


if __name__ == "__main__":
    main()
