"""Importing audio files into a station's library: the use case behind drag-and-drop.

For each file (folders are expanded, recursively, to the audio files they hold):

1. the name is checked (a ``..`` step, NUL, line breaks are refused) and the file is read
   once in a worker thread: its SHA-256, its first bytes, its tags, cover and header data
   (mutagen);
2. it is validated and described (:func:`station_desktop.media.probe.probe`: ffprobe when
   mutagen is not enough, a full decode when the header looks wrong); a file that fails
   here creates no row, and its reason goes into the report;
3. the plan is made (stored as it is, or converted: see :mod:`station_desktop.media.transcode`)
   and the cover thumbnailed;
4. its row is added with status ``processing`` (:meth:`LibraryService.add_tracks`): the
   station's quota is checked here, under the station's row lock, *before* anything is
   copied; a file whose content the station already holds is reported as a duplicate of
   that track and not stored again;
5. it is converted if needed (ffmpeg, in a private temporary folder), then put into the
   station's storage atomically, the cover beside it (``covers/<hash>.jpg``);
6. the row becomes ``ready`` with the stored file's technical data, or ``error`` with the
   reason in ``statusMessage`` (and the stored copy is removed).

Concurrency: :meth:`ImportService.import_files` runs on the caller's event loop (the UI's
qasync loop) and never blocks it. Hashing and mutagen run in worker processes
(:class:`station_desktop.media.inspect.InspectWorkers`: mutagen is pure Python and would
hold this process's GIL, which the database thread and the loop then wait for), copies in
a pool of worker threads (and hashing and mutagen too when the processes cannot run),
ffprobe/ffmpeg as asyncio subprocesses, database work on one database thread,
in batches: while one transaction runs, the files that reach the same step wait and go
into the next one, so 2,000 files cost a few dozen commits, not 4,000.

Cancelling (``cancel.set()``): no new file starts; each file in flight stops at its next
step (a running ffmpeg is killed) and is rolled back: its stored copy, its new cover and
its row are removed, so no half-imported file remains; it and every file not started are
reported as ``cancelled``. Cancelling the awaiting task itself does the same clean-up and
then re-raises :class:`asyncio.CancelledError`. A file that was already ``ready`` stays.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import logging
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, Literal, ParamSpec, TypeVar

from station_desktop.db.engine import Database
from station_desktop.errors import StationError, ValidationError
from station_desktop.media.covers import Thumbnail, is_cover_path, make_thumbnail
from station_desktop.media.errors import MediaError, StorageError
from station_desktop.media.hashing import KEEP_BYTES, Digest, sha256_bytes
from station_desktop.media.inspect import InspectWorkers, WorkerFailed, inspect_file
from station_desktop.media.names import (
    COLUMN_CHARS,
    check_source_path,
    display_name,
    stored_name,
)
from station_desktop.media.probe import (
    AUDIO_EXTENSIONS,
    AudioInfo,
    MutagenRead,
    Probe,
    needs_tools,
    probe,
    read_with_mutagen,
)
from station_desktop.media.storage import LocalStorage, Staged, Storage
from station_desktop.media.transcode import Plan, convert, plan_for
from station_desktop.services.library import (
    AddedTrack,
    LibraryService,
    NewTrack,
    StatusChange,
    TrackRecord,
    format_size,
)

log = logging.getLogger("station_desktop.services.importer")

P = ParamSpec("P")
T = TypeVar("T")
R = TypeVar("R")

Status = Literal["imported", "duplicate", "error", "cancelled"]

NOT_CONFIGURED = (
    "This connection has no media storage, so files cannot be imported. Open the "
    "connection's settings and choose where the station's audio goes: a folder where the "
    "server's /audio is mounted, or SFTP to the station's streaming server."
)
PROGRESS_INTERVAL = 0.05  # seconds between progress callbacks (the first and last always go)
EXPAND_CHUNK = 256  # paths looked at (file or folder?) per thread hop
CANCEL_POLL = 0.05  # seconds between looks at the caller's threading.Event


@dataclass(frozen=True)
class ImportProgress:
    done: int  # files finished (any outcome)
    total: int  # files found so far (folders are expanded recursively)
    current: str  # name of a file being worked on ("" when idle)


@dataclass(frozen=True)
class FileOutcome:
    path: Path
    status: Status
    message: str  # human reason for duplicate/error ("" when imported)
    track_id: str | None  # the new (or, for duplicate, the existing) AudioFile id
    notes: tuple[str, ...] = ()  # what was changed on the way (tags clipped, converted...)


@dataclass(frozen=True)
class ImportReport:
    outcomes: list[FileOutcome]
    cancelled: bool

    def _with(self, status: Status) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == status]

    @property
    def imported(self) -> list[FileOutcome]:
        return self._with("imported")

    @property
    def duplicates(self) -> list[FileOutcome]:
        return self._with("duplicate")

    @property
    def errors(self) -> list[FileOutcome]:
        return self._with("error")

    @property
    def not_started(self) -> list[FileOutcome]:
        """Files reported ``cancelled``."""
        return self._with("cancelled")


@dataclass(frozen=True)
class ImportLimits:
    """How hard the importer works, and how long a tool may take before it gives up."""

    # Files in flight at once. Most of a file's time is spent waiting (for a thread, for
    # its database batch), so many in flight make large batches: few commits.
    parallel: int = 48
    # Worker threads for mutagen, hashing and copies. More do not help: mutagen holds the
    # GIL, and threads that copy then wait for it (measured: 2 beat 3 and 4).
    threads: int = 2
    # Worker processes that hash files and read them with mutagen, off this process's GIL
    # (0: the threads do it). Each file thread uses one at a time; not in a frozen bundle,
    # whose executable is the app.
    processes: int = 2
    tools: int = max(1, min(4, os.cpu_count() or 2))  # ffprobe/ffmpeg processes at once
    ffprobe_timeout: float = 30.0
    decode_timeout: float = 180.0  # a full decode to check a doubtful header
    convert_timeout: float = 900.0  # ffmpeg converting one file


_BAD_COVER = "The embedded cover art is not a picture that could be read; the track has no cover."


class _Cancelled(Exception):
    """The caller asked to stop (its threading.Event): roll this file back."""


@dataclass(eq=False)
class _FileState:
    """What one file has left behind so far, for its roll-back."""

    path: Path
    row: TrackRecord | None = None
    stored: str | None = None  # relative name put into storage
    cover_written: str | None = None  # cover this import created
    cover_claim: str | None = None  # cover this file shows (see _ImportRun.cover_claims)
    temp_files: list[Path] = field(default_factory=list)


@dataclass(eq=False)
class _Prepared:
    """What a file's one trip to a worker thread found (see ``_ImportRun._prepare``):
    always its digest and mutagen read; on the fast path also its probe, plan, cover
    thumbnail and a staged copy in the storage."""

    digest: Digest
    read: MutagenRead
    found: Probe | None = None  # None: the probe needs ffprobe/ffmpeg (on the loop)
    plan: Plan | None = None
    thumbnail: Thumbnail | None = None
    staged: Staged | None = None  # the copy, when the file takes the fast path
    name: str = ""  # its stored name (when staged)
    reserved: int = 0  # bytes of the quota reserved for it in this run


def _now(awaitable: Awaitable[T]) -> T:
    """The result of a coroutine that completes without waiting (``probe`` when
    ``needs_tools`` said no), computed in the calling (worker) thread."""
    coroutine = awaitable.__await__()
    try:
        coroutine.send(None)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]
    close = getattr(coroutine, "close", None)
    if close is not None:
        close()
    raise RuntimeError("the coroutine wanted to wait")


class _Batcher(Generic[T, R]):
    """Hands every item submitted while a batch runs to ``run_batch`` together: one thread
    hop (and, for the database, one transaction) per batch instead of one per file. Up to
    ``lanes`` batches run at once, each of at most ``max_batch`` items. ``run_batch``
    returns one result per item, or the exception that failed that item. Futures resolve
    even if their submitter was cancelled meanwhile (the work was done: the submitter
    rolls it back)."""

    def __init__(self, run_batch: Callable[[list[T]], Awaitable[Sequence[R | BaseException]]],
                 *, lanes: int = 1, max_batch: int = 500) -> None:
        self._run_batch = run_batch
        self._lanes = max(1, lanes)
        self._max_batch = max(1, max_batch)
        self._pending: list[tuple[T, asyncio.Future[R]]] = []
        self._running: set[asyncio.Task[None]] = set()

    def submit(self, item: T) -> asyncio.Future[R]:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[R] = loop.create_future()
        self._pending.append((item, future))
        if len(self._running) < self._lanes:
            task = loop.create_task(self._drain())
            self._running.add(task)
            task.add_done_callback(self._running.discard)
        return future

    async def _drain(self) -> None:
        while self._pending:
            batch = self._pending[:self._max_batch]
            del self._pending[:self._max_batch]
            try:
                results = await self._run_batch([item for item, _ in batch])
            except Exception as exc:
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for (_, future), result in zip(batch, results, strict=True):
                if future.done():
                    continue
                if isinstance(result, BaseException):
                    future.set_exception(result)
                else:
                    future.set_result(result)


async def _settled(future: asyncio.Future[R]) -> asyncio.Future[R]:
    """Wait for ``future`` even while being cancelled; the caller reads its outcome."""
    while not future.done():
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.shield(future)
    return future


class ImportService:
    """Imports files into a station's library (see the module docstring).

    ``storage_for`` maps a station (client) id to its :class:`Storage`; it may look the
    station up in the database, so it is called on the database thread, never on the
    event loop. With ``storage_for=None`` (a connection without media storage) imports
    are refused with a :class:`ValidationError` that says how to configure one.
    """

    def __init__(
        self,
        db: Database,
        storage_for: Callable[[str], Storage] | None,
        *,
        library: LibraryService | None = None,
        limits: ImportLimits | None = None,
        not_configured: str = NOT_CONFIGURED,
    ) -> None:
        self._db = db
        self._storage_for = storage_for
        self._library = library or LibraryService(db)
        self.limits = limits or ImportLimits()
        self._not_configured = not_configured
        self._db_executor: ThreadPoolExecutor | None = None
        self._file_executor: ThreadPoolExecutor | None = None
        self._workers: InspectWorkers | None = None  # see _inspect_elsewhere
        self._workers_failed = False
        self._workers_lock = threading.Lock()
        self._storages: dict[str, Storage] = {}
        self._cover_lock: asyncio.Lock | None = None

    def __repr__(self) -> str:
        return f"<ImportService {self._db.display_url}>"

    @property
    def configured(self) -> bool:
        return self._storage_for is not None

    # -- executors ---------------------------------------------------------------------------

    def _db_pool(self) -> ThreadPoolExecutor:
        if self._db_executor is None:
            self._db_executor = ThreadPoolExecutor(1, thread_name_prefix="import-db")
        return self._db_executor

    def _file_pool(self) -> ThreadPoolExecutor:
        if self._file_executor is None:
            self._file_executor = ThreadPoolExecutor(
                self.limits.threads, thread_name_prefix="import-files")
        return self._file_executor

    def _inspect_elsewhere(
        self, paths: list[Path]
    ) -> list[tuple[Digest, MutagenRead] | MediaError] | None:
        """Hash and read ``paths`` in a worker process (blocking: from a file thread), or
        None: no workers (none asked for, a frozen bundle), or they failed, and then the
        threads read the files from now on and the import goes on."""
        with self._workers_lock:
            if self._workers is None:
                if self.limits.processes <= 0 or self._workers_failed or getattr(
                        sys, "frozen", False):
                    return None
                self._workers = InspectWorkers(self.limits.processes)
            workers = self._workers
        try:
            return workers.inspect(paths)
        except WorkerFailed as error:
            log.warning("import worker process failed (%s); files are read in threads",
                        error)
            with self._workers_lock:
                self._workers_failed = True
            return None

    async def _on(self, executor: Executor, fn: Callable[..., R], *args: Any) -> R:
        """``fn(*args)`` on ``executor``; if the caller is cancelled meanwhile, the call is
        still waited for (a thread cannot be stopped) before the cancellation goes on."""
        future = asyncio.get_running_loop().run_in_executor(executor, fn, *args)
        try:
            return await asyncio.shield(future)
        except asyncio.CancelledError:
            await _settled(future)
            raise

    async def _db_call(self, fn: Callable[..., R], *args: Any) -> R:
        return await self._on(self._db_pool(), fn, *args)

    async def storage(self, client_id: str) -> Storage:
        """The station's storage (ValidationError when none is configured)."""
        if self._storage_for is None:
            raise ValidationError(self._not_configured, field="media_storage")
        cached = self._storages.get(client_id)
        if cached is None:
            cached = await self._db_call(self._storage_for, client_id)
            self._storages[client_id] = cached
        return cached

    def close(self) -> None:
        """Stop the worker threads and drop storage connections (the workspace closes)."""
        for executor in (self._db_executor, self._file_executor):
            if executor is not None:
                executor.shutdown(wait=False, cancel_futures=True)
        self._db_executor = self._file_executor = None
        with self._workers_lock:
            workers, self._workers = self._workers, None
        if workers is not None:
            workers.close()
        for storage in {id(s): s for s in self._storages.values()}.values():
            storage.close()
        self._storages.clear()

    # -- the API -----------------------------------------------------------------------------

    async def cover_bytes(self, client_id: str, cover_url: str) -> bytes | None:
        """The thumbnail stored for a track's ``cover_url``, or None (no storage, no such
        file, or a cover_url this importer did not make)."""
        if not cover_url or not is_cover_path(cover_url) or self._storage_for is None:
            return None
        try:
            storage = await self.storage(client_id)
            return await storage.read_bytes(client_id, cover_url)
        except StationError as exc:
            log.info("cover %s of station %s not read: %s", cover_url, client_id, exc)
            return None

    async def import_files(
        self,
        client_id: str,
        paths: Sequence[Path],
        *,
        on_progress: Callable[[ImportProgress], None] | None = None,
        on_outcome: Callable[[FileOutcome], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> ImportReport:
        """Import ``paths`` (files and folders) into station ``client_id``'s library.

        Raises only for what stops the whole import before it starts (no media storage
        configured, an unknown station, a storage folder too long for the schema); every
        per-file problem is an outcome in the report. Callbacks run on the loop's thread.
        """
        storage = await self.storage(client_id)
        usage = await self._db_call(self._library.storage_usage, client_id)  # NotFound
        if self._cover_lock is None:
            self._cover_lock = asyncio.Lock()
        run = _ImportRun(self, client_id, storage, on_progress, on_outcome, cancel)
        run.room = usage.free
        if isinstance(storage, LocalStorage):
            run.known_hashes = await self._db_call(self._library.content_hashes, client_id)
        return await run.execute([Path(p) for p in paths])


# -- one import ------------------------------------------------------------------------------


def _added_record(path: Path, added: AddedTrack) -> TrackRecord | FileOutcome:
    """What ``add_tracks`` said of a file's row: the row added, or the file's outcome
    as a duplicate of the track that holds its content; a refusal is raised."""
    if added.duplicate:
        assert added.record is not None
        existing = added.record
        return FileOutcome(
            path, "duplicate",
            f"Already in the library as {existing.display_title!r} "
            f"({existing.filename}); not stored again.", existing.id)
    if added.error is not None or added.record is None:
        raise added.error or StationError("The track could not be added.")
    return added.record


def _discard_all(storage: LocalStorage, client_id: str, names: list[str]) -> None:
    for name in names:
        storage.discard(client_id, name)


def _extension(name: str) -> str:
    return Path(name).suffix.lower().lstrip(".")


def _folder_flags(paths: Sequence[Path]) -> list[bool]:
    """Which of ``paths`` are folders to expand (a path refused by its name is not)."""
    flags: list[bool] = []
    for path in paths:
        try:
            check_source_path(path)
        except MediaError:
            flags.append(False)
            continue
        flags.append(path.is_dir())
    return flags


def _list_folder(folder: Path) -> tuple[list[Path], list[Path]]:
    """Audio files and subfolders of ``folder`` (hidden entries and symlinked folders are
    skipped), each sorted by name."""
    files: list[Path] = []
    folders: list[Path] = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                folders.append(Path(entry.path))
            elif entry.is_file() and _extension(entry.name) in AUDIO_EXTENSIONS:
                files.append(Path(entry.path))

    def key(path: Path) -> str:
        return path.name.casefold()

    return sorted(files, key=key), sorted(folders, key=key)


class _ImportRun:
    """The state of one ``import_files`` call."""

    def __init__(
        self,
        service: ImportService,
        client_id: str,
        storage: Storage,
        on_progress: Callable[[ImportProgress], None] | None,
        on_outcome: Callable[[FileOutcome], None] | None,
        cancel: threading.Event | None,
    ) -> None:
        self.service = service
        self.limits = service.limits
        self.client_id = client_id
        self.storage = storage
        self.library = service._library
        self._on_progress = on_progress
        self._on_outcome = on_outcome
        self._cancel_event = cancel
        self.cancelled = asyncio.Event()
        self.outcomes: list[FileOutcome | None] = []
        self.queue: asyncio.Queue[tuple[int, Path] | None] = asyncio.Queue()
        self.found = 0
        self.done = 0
        self.in_flight: dict[int, str] = {}
        self._last_progress = 0.0
        self.temp_dir: Path | None = None
        self.thumbnails: dict[str, Thumbnail | None] = {}
        self.tool_slots = asyncio.Semaphore(max(1, self.limits.tools))
        self.free_bytes: int | None = None
        lanes = max(1, self.limits.threads)
        self.room: int | None = None  # quota left, less what this run has reserved
        self.known_hashes: set[str] | None = None  # content the station holds (fast path)
        self._lock = threading.Lock()  # room, known_hashes, thumbnails (worker threads)
        self.covers_present: set[str] = set()  # covers known to be in the storage
        self.cover_claims: dict[str, int] = {}  # files in flight showing each cover
        self.inspections: _Batcher[Path, _Prepared] = _Batcher(
            self._inspect_batch, lanes=lanes, max_batch=8)
        self.finals: _Batcher[tuple[NewTrack, Staged], AddedTrack] = _Batcher(
            self._final_batch, max_batch=500)
        self.writes: _Batcher[tuple[Path, str], None] = _Batcher(
            self._write_batch, lanes=lanes, max_batch=32)
        self.adds: _Batcher[NewTrack, AddedTrack] = _Batcher(self._add_batch)
        self.statuses: _Batcher[StatusChange, TrackRecord] = _Batcher(self._status_batch)
        self.ready: _Batcher[str, bool] = _Batcher(self._ready_batch)
        self.name_room = COLUMN_CHARS - len(storage.server_path(client_id, "x")) + 1

    # -- batches (see _Batcher) -------------------------------------------------------------

    async def _inspect_batch(self, paths: list[Path]) -> list[_Prepared | Exception]:
        return await self.service._on(self.service._file_pool(), self._prepare_many, paths)

    def _prepare_many(self, paths: list[Path]) -> list[_Prepared | Exception]:
        inspected = self.service._inspect_elsewhere(paths)
        results: list[_Prepared | Exception] = []
        for index, path in enumerate(paths):
            inspection = inspected[index] if inspected is not None else None
            if isinstance(inspection, MediaError):
                results.append(inspection)
                continue
            try:
                prepared = self._prepare(path, inspection)
            except Exception as exc:  # reported for that file only
                results.append(exc)
                continue
            if prepared.digest.data is not None:  # copied by now: not kept in memory
                prepared.digest = dataclasses.replace(prepared.digest, data=None)
            results.append(prepared)
        return results

    def _prepare(
        self, path: Path, inspection: tuple[Digest, MutagenRead] | None = None
    ) -> _Prepared:
        """A file's whole blocking pipeline, in one worker thread: hash and mutagen (unless
        a worker process did them: ``inspection``) and, when those say it all (no ffprobe,
        no conversion, not a duplicate, it fits the quota and the disk), the probe, the
        cover thumbnail and the copy into the storage under a temporary name. Anything else
        is left to the loop (the slow path)."""
        if inspection is None:
            fast = isinstance(self.storage, LocalStorage) and self.known_hashes is not None
            inspection = inspect_file(path, KEEP_BYTES if fast else 0)
        digest, read = inspection
        prepared = _Prepared(digest, read)
        if needs_tools(path, read, digest.size):
            return prepared
        found = prepared.found = _now(probe(
            path, read, size=digest.size, head=digest.head,
            ffprobe_timeout=self.limits.ffprobe_timeout,
            decode_timeout=self.limits.decode_timeout))
        plan = prepared.plan = plan_for(found.info)
        if found.cover is not None:
            prepared.thumbnail = self._thumbnail_now(found.cover.data)
        storage = self.storage
        if (plan.converts or not isinstance(storage, LocalStorage)
                or self.known_hashes is None or self._stop_requested()):
            return prepared
        size = digest.size
        with self._lock:
            if digest.sha256 in self.known_hashes:  # a duplicate: add_tracks says of what
                return prepared
            if self.room is None or size > self.room or (
                    self.free_bytes is not None and size > self.free_bytes):
                return prepared  # the slow path refuses it with the reason
            self.room -= size
            if self.free_bytes is not None:
                self.free_bytes -= size
            self.known_hashes.add(digest.sha256)
            prepared.reserved = size
        try:
            name = stored_name(path.name, digest.sha256, plan.extension,
                               max_chars=self.name_room)
            prepared.staged = storage.stage_file(path, self.client_id, name, digest.data)
            prepared.name = name
        except BaseException:
            self._release(prepared)
            raise
        return prepared

    def _release(self, prepared: _Prepared) -> None:
        """Give back what ``_prepare`` reserved for a file that was not stored."""
        with self._lock:
            if prepared.reserved and self.room is not None:
                self.room += prepared.reserved
                if self.free_bytes is not None:
                    self.free_bytes += prepared.reserved
            prepared.reserved = 0
            if self.known_hashes is not None:
                self.known_hashes.discard(prepared.digest.sha256)

    def _stop_requested(self) -> bool:
        """Whether the caller asked to stop (safe from a worker thread)."""
        return self.cancelled.is_set() or (
            self._cancel_event is not None and self._cancel_event.is_set())

    def _thumbnail_now(self, picture: bytes) -> Thumbnail | None:
        key = sha256_bytes(picture)
        with self._lock:
            if key in self.thumbnails:
                return self.thumbnails[key]
        thumbnail = make_thumbnail(picture)
        with self._lock:
            return self.thumbnails.setdefault(key, thumbnail)

    async def _final_batch(
        self, items: list[tuple[NewTrack, Staged]]
    ) -> list[AddedTrack | BaseException]:
        """Make a batch of staged copies durable and put them in place (one barrier),
        then insert their rows as ``ready`` in one transaction (quota and duplicates
        re-checked under the station's lock). A copy whose row was refused is removed."""
        storage = self.storage
        assert isinstance(storage, LocalStorage)
        pool = self.service._file_pool()
        failures = await self.service._on(
            pool, storage.commit_staged, [staged for _, staged in items])
        results: list[AddedTrack | BaseException] = list(
            failure or AddedTrack(None) for failure in failures)
        placed = [i for i, failure in enumerate(failures) if failure is None]
        if not placed:
            return results
        try:
            added = await self.service._db_call(
                self.library.add_tracks, self.client_id, [items[i][0] for i in placed])
        except BaseException:
            await self.service._on(pool, _discard_all, storage, self.client_id,
                                   [items[i][1].relative for i in placed])
            raise
        unwanted: list[str] = []
        for index, result in zip(placed, added, strict=True):
            results[index] = result
            track, staged = items[index]
            same_file = (result.duplicate and result.record is not None
                         and result.record.storage_path == track.storage_path)
            if (result.duplicate or result.record is None) and not same_file:
                unwanted.append(staged.relative)
        if unwanted:
            await self.service._on(pool, _discard_all, storage, self.client_id, unwanted)
        return results

    async def _write_batch(self, items: list[tuple[Path, str]]) -> list[BaseException | None]:
        return await self.storage.put_files(
            [(source, self.client_id, name) for source, name in items])

    async def _add_batch(self, tracks: list[NewTrack]) -> list[AddedTrack]:
        return await self.service._db_call(self.library.add_tracks, self.client_id, tracks)

    async def _status_batch(self, changes: list[StatusChange]) -> list[TrackRecord | StationError]:
        return await self.service._db_call(self.library.set_statuses, changes)

    async def _ready_batch(self, track_ids: list[str]) -> list[bool]:
        found = await self.service._db_call(self.library.mark_ready, track_ids)
        return [track_id in found for track_id in track_ids]

    # -- callbacks -------------------------------------------------------------------------

    def _progress(self, *, force: bool = False) -> None:
        if self._on_progress is None:
            return
        now = time.monotonic()
        if not force and now - self._last_progress < PROGRESS_INTERVAL:
            return
        self._last_progress = now
        current = next(reversed(self.in_flight.values()), "") if self.in_flight else ""
        try:
            self._on_progress(ImportProgress(self.done, self.found, current))
        except Exception:
            log.exception("the import's progress callback failed")

    def _finish(self, index: int, outcome: FileOutcome) -> None:
        self.outcomes[index] = outcome
        self.in_flight.pop(index, None)
        self.done += 1
        level = logging.INFO if outcome.status == "imported" else logging.WARNING
        log.log(level, "import %s: %s %s", outcome.path.name, outcome.status, outcome.message)
        if self._on_outcome is not None:
            try:
                self._on_outcome(outcome)
            except Exception:
                log.exception("the import's outcome callback failed")
        self._progress(force=self.done == self.found)

    # -- the whole run ---------------------------------------------------------------------

    async def execute(self, paths: list[Path]) -> ImportReport:
        if self.name_room < 20:
            raise ValidationError(
                f"The media folder {self.storage.server_root!r} is too long: stored paths "
                f"must fit in {COLUMN_CHARS} characters. Choose a shorter folder.",
                field="media_storage")
        self.free_bytes = await self.storage.free_space()
        self.temp_dir = Path(await asyncio.to_thread(tempfile.mkdtemp, prefix="station-import-"))
        watcher = asyncio.get_running_loop().create_task(self._watch_cancel())
        self._progress(force=True)
        try:
            async with asyncio.TaskGroup() as group:
                group.create_task(self._expand(paths))
                for _ in range(max(1, self.limits.parallel)):
                    group.create_task(self._worker())
        finally:
            watcher.cancel()
            temp_dir = self.temp_dir
            await asyncio.shield(asyncio.to_thread(shutil.rmtree, temp_dir, True))
        self.in_flight.clear()
        self._progress(force=True)
        outcomes = [o for o in self.outcomes if o is not None]
        return ImportReport(outcomes, self._stopping())

    def _stopping(self) -> bool:
        """Whether the caller asked to stop (looked at directly, not only when the watcher
        next polls, so no new step starts after ``cancel.set()``)."""
        if not self.cancelled.is_set() and self._cancel_event is not None \
                and self._cancel_event.is_set():
            self.cancelled.set()
        return self.cancelled.is_set()

    async def _watch_cancel(self) -> None:
        if self._cancel_event is None:
            return
        while not self._cancel_event.is_set():
            await asyncio.sleep(CANCEL_POLL)
        self.cancelled.set()

    def _add(self, path: Path) -> None:
        self.outcomes.append(None)
        self.queue.put_nowait((self.found, path))
        self.found += 1
        self._progress()

    async def _expand(self, paths: list[Path]) -> None:
        try:
            for start in range(0, len(paths), EXPAND_CHUNK):
                chunk = paths[start:start + EXPAND_CHUNK]
                kinds = [False] * len(chunk) if self._stopping() else \
                    await asyncio.to_thread(_folder_flags, chunk)  # one thread hop per chunk
                for path, is_folder in zip(chunk, kinds, strict=True):
                    if self._stopping() or not is_folder:
                        self._add(path)  # a file, or a bad path: the worker reports it
                        continue
                    await self._expand_folder(path)
        finally:
            for _ in range(max(1, self.limits.parallel)):
                self.queue.put_nowait(None)

    async def _expand_folder(self, path: Path) -> None:
        pending = [path]
        while pending and not self._stopping():
            folder = pending.pop(0)
            try:
                files, folders = await asyncio.to_thread(_list_folder, folder)
            except OSError as exc:
                log.warning("cannot list %s: %s", folder, exc)
                self._add(folder)  # reported as an error by the worker
                continue
            for file in files:
                self._add(file)
            pending[:0] = folders

    async def _worker(self) -> None:
        while True:
            item = await self.queue.get()
            if item is None:
                return
            index, path = item
            if self._stopping():
                self._finish(index, FileOutcome(path, "cancelled", "The import was cancelled "
                                                "before this file was started.", None))
                continue
            self.in_flight[index] = display_name(path.name)
            self._progress()
            self._finish(index, await self._import_file(path))

    # -- one file ------------------------------------------------------------------------

    async def _guard(self, start: Callable[[], Awaitable[T]]) -> T:
        """Await what ``start()`` begins unless the caller cancels first: then stop it (a
        tool is killed) and raise _Cancelled. Nothing is begun once cancelled."""
        if self._stopping():
            raise _Cancelled
        task = asyncio.ensure_future(start())
        waiter = asyncio.ensure_future(self.cancelled.wait())
        try:
            await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            waiter.cancel()
            if not task.done():
                task.cancel()
                await asyncio.wait({task})
        if task.cancelled():
            raise _Cancelled
        return task.result()

    async def _probe(self, path: Path, read: MutagenRead, digest: Digest) -> Probe:
        def checking() -> Awaitable[Probe]:
            return probe(path, read, size=digest.size, head=digest.head,
                         ffprobe_timeout=self.limits.ffprobe_timeout,
                         decode_timeout=self.limits.decode_timeout)

        if needs_tools(path, read, digest.size):
            return await self._guard(lambda: self._with_tool(checking))
        return await checking()  # mutagen said it all: nothing to wait for

    async def _cover(self, found: Probe, notes: list[str]) -> Thumbnail | None:
        if found.cover is None:
            return None
        thumbnail = await self._thumbnail(found.cover.data)
        if thumbnail is None:
            notes.append(_BAD_COVER)
        return thumbnail

    async def _with_tool(self, start: Callable[[], Awaitable[T]]) -> T:
        """``work`` (which runs ffprobe or ffmpeg) once a tool slot is free: no more
        decoders at once than the machine has cores for."""
        async with self.tool_slots:
            return await start()

    def _checkpoint(self) -> None:
        if self._stopping():
            raise _Cancelled

    async def _import_file(self, path: Path) -> FileOutcome:
        state = _FileState(path)
        try:
            return await self._steps(state)
        except _Cancelled:
            await self._roll_back(state)
            return FileOutcome(path, "cancelled", "The import was cancelled; nothing of this "
                               "file was kept.", None)
        except asyncio.CancelledError:
            await self._roll_back(state)
            raise
        except StationError as exc:
            return await self._failed(state, exc.message)
        except Exception as exc:  # a bug must not stop the batch or leave a half import
            log.exception("importing %s failed unexpectedly", path)
            return await self._failed(state, f"Unexpected error: {type(exc).__name__}: {exc}")
        finally:
            for temp in state.temp_files:
                temp.unlink(missing_ok=True)
            claim = state.cover_claim
            if claim is not None:
                left = self.cover_claims.pop(claim, 1) - 1
                if left > 0:
                    self.cover_claims[claim] = left

    async def _steps(self, state: _FileState) -> FileOutcome:
        path = state.path
        check_source_path(path)
        prepared = await self._submit(self.inspections, path, state)
        if prepared.staged is not None:
            state.temp_files.append(prepared.staged.temp)
        try:
            self._checkpoint()
        except _Cancelled:
            self._release(prepared)
            raise
        if prepared.staged is not None:
            return await self._fast_finish(state, prepared)
        digest = prepared.digest
        found, plan, thumbnail, notes = await self._described(path, prepared)
        name = stored_name(path.name, digest.sha256, plan.extension, max_chars=self.name_room)
        reserve = plan.estimated_size(found.info, digest.size)
        if self.free_bytes is not None and reserve > self.free_bytes:
            raise StorageError(
                f"The media storage ({self.storage.describe()}) has only "
                f"{format_size(self.free_bytes)} free; this file needs "
                f"{format_size(reserve)}. Nothing was stored.")
        self._checkpoint()
        track = self._new_track(path, name, reserve, found, plan, digest, thumbnail)
        record = _added_record(path, await self._submit(self.adds, track, state))
        if isinstance(record, FileOutcome):
            return record
        self._checkpoint()
        source, info, size = path, found.info, digest.size
        if plan.converts:
            source, info = await self._convert(state, found.info, plan, name)
            size = (await asyncio.to_thread(source.stat)).st_size
        await self._store(state, source, name, thumbnail)
        if self.free_bytes is not None:
            self.free_bytes -= size
        self._checkpoint()
        if plan.converts:  # the row now describes the converted file (and its size)
            change = StatusChange(
                record.id, "ready", duration=info.duration, format=plan.extension,
                bitrate=min(info.kbps, 100_000), sample_rate=info.sample_rate,
                channels=info.channels, file_size=size)
            await self._submit(self.statuses, change, state)
        elif not await self._submit(self.ready, record.id, state):
            raise StationError(f"The track {record.filename!r} was deleted while it "
                               "was being imported.")
        return FileOutcome(path, "imported", "", record.id, tuple(notes))

    async def _described(self, path: Path, prepared: _Prepared
                         ) -> tuple[Probe, Plan, Thumbnail | None, list[str]]:
        """The slow path's probe, plan, cover and notes (from the worker thread's, when
        it got that far)."""
        found = prepared.found or await self._probe(path, prepared.read, prepared.digest)
        plan = prepared.plan or plan_for(found.info)
        notes = list(found.notes)
        if plan.converts:
            notes.append(f"Stored as {plan.extension.upper()} ({plan.reason}).")
        if prepared.found is None:
            return found, plan, await self._cover(found, notes), notes
        if found.cover is not None and prepared.thumbnail is None:
            notes.append(_BAD_COVER)
        return found, plan, prepared.thumbnail, notes

    async def _fast_finish(self, state: _FileState, prepared: _Prepared) -> FileOutcome:
        """The fast path's end: the cover stored (once per run), then the staged copy made
        durable and put in place, and the row inserted directly as ``ready``, both with
        the rest of its batch (see ``_final_batch``)."""
        path, staged = state.path, prepared.staged
        found, plan, digest = prepared.found, prepared.plan, prepared.digest
        assert staged is not None and found is not None and plan is not None
        notes = list(found.notes)
        thumbnail = prepared.thumbnail
        if found.cover is not None and thumbnail is None:
            notes.append(_BAD_COVER)
        try:
            if thumbnail is not None:
                await self._store_cover(state, thumbnail)
            self._checkpoint()
        except BaseException:
            self._release(prepared)
            raise
        track = self._new_track(path, prepared.name, digest.size, found, plan, digest,
                                thumbnail, status="ready")
        state.stored = prepared.name  # a cancelled file loses its copy, even half-way
        added = await self._submit(self.finals, (track, staged), state)
        state.temp_files.remove(staged.temp)  # renamed into place, or removed
        if added.duplicate or added.record is None:
            state.stored = None  # _final_batch removed it (or it is the holder's file)
            self._release(prepared)
        record = _added_record(path, added)
        if isinstance(record, FileOutcome):
            return record
        return FileOutcome(path, "imported", "", record.id, tuple(notes))

    def _new_track(self, path: Path, name: str, reserve: int, found: Probe, plan: Plan,
                   digest: Digest, thumbnail: Thumbnail | None,
                   status: str = "processing") -> NewTrack:
        info, tags = found.info, found.tags
        return NewTrack(
            filename=display_name(path.name) or name,
            storage_path=self.storage.server_path(self.client_id, name),
            file_size=reserve, duration=info.duration, format=plan.extension,
            bitrate=min(info.kbps, 100_000), sample_rate=plan.output_rate(info),
            channels=info.channels, title=tags.title, artist=tags.artist, album=tags.album,
            genre=tags.genre, year=tags.year,
            cover_url=thumbnail.relative_path if thumbnail else None,
            status=status, content_hash=digest.sha256,
        )

    async def _thumbnail(self, picture: bytes) -> Thumbnail | None:
        """The cover's thumbnail, made once per distinct picture in this import (the
        tracks of an album share theirs)."""
        key = sha256_bytes(picture)
        if key not in self.thumbnails:
            self.thumbnails[key] = await self.service._on(
                self.service._file_pool(), make_thumbnail, picture)
        return self.thumbnails[key]

    async def _submit(self, batcher: _Batcher[T, R], item: T, state: _FileState) -> R:
        """One item through a database batch; on cancellation, the row it may have made is
        recorded for the roll-back before the cancellation goes on."""
        future = batcher.submit(item)
        try:
            result = await asyncio.shield(future)
        except asyncio.CancelledError:
            await _settled(future)
            self._note_row(state, future)
            raise
        self._note_row(state, future)
        return result

    @staticmethod
    def _note_row(state: _FileState, future: asyncio.Future[Any]) -> None:
        if future.cancelled() or future.exception() is not None:
            return
        result = future.result()
        if isinstance(result, AddedTrack) and not result.duplicate and result.record:
            state.row = result.record

    async def _convert(self, state: _FileState, info: AudioInfo, plan: Plan,
                       name: str) -> tuple[Path, AudioInfo]:
        assert self.temp_dir is not None
        target = self.temp_dir / name
        state.temp_files.append(target)
        await self._guard(lambda: self._with_tool(lambda: convert(
            state.path, target, info, plan, timeout=self.limits.convert_timeout)))
        read = await self.service._on(self.service._file_pool(), read_with_mutagen, target)
        audio = read.audio
        converted = AudioInfo(
            container=audio.container or info.container, codec=audio.codec or info.codec,
            duration=round(audio.duration or info.duration, 3),
            bitrate=audio.bitrate or info.bitrate,
            sample_rate=audio.sample_rate or info.sample_rate,
            channels=audio.channels or info.channels)
        return target, converted

    async def _store(self, state: _FileState, source: Path, name: str,
                     thumbnail: Thumbnail | None) -> None:
        state.stored = name  # from here on the roll-back removes it (even half-way)
        await self._submit(self.writes, (source, name), state)
        if thumbnail is not None:
            await self._store_cover(state, thumbnail)

    async def _store_cover(self, state: _FileState, thumbnail: Thumbnail) -> None:
        """Store the cover unless the station has it (looked at once per run)."""
        relative = thumbnail.relative_path
        if state.cover_claim is None:  # a failing file keeps it while others need it
            state.cover_claim = relative
            self.cover_claims[relative] = self.cover_claims.get(relative, 0) + 1
        assert self.service._cover_lock is not None
        async with self.service._cover_lock:
            if relative in self.covers_present:
                return
            if not await self.storage.exists(self.client_id, relative):
                state.cover_written = relative
                await self.storage.put_bytes(thumbnail.data, self.client_id, relative)
            self.covers_present.add(relative)

    # -- failure and roll-back -----------------------------------------------------------

    async def _remove_stored(self, state: _FileState) -> None:
        if state.stored is not None:
            try:
                await self.storage.remove(self.client_id, state.stored)
            except StationError as exc:
                log.warning("could not remove %s after a failed import: %s", state.stored, exc)
            state.stored = None
        cover = state.cover_written
        if cover is not None:
            assert self.service._cover_lock is not None
            async with self.service._cover_lock:
                used = self.cover_claims.get(cover, 0) > 1 or await self.service._db_call(
                    self.library.cover_in_use, self.client_id, cover)
                if not used:
                    self.covers_present.discard(cover)
                    with contextlib.suppress(StationError):
                        await self.storage.remove(self.client_id, cover)
            state.cover_written = None

    async def _roll_back(self, state: _FileState) -> None:
        """Undo everything this file did (row, stored copy, new cover), shielded from a
        second cancellation."""
        async def undo() -> None:
            row = state.row
            state.row = None
            if row is not None:
                try:
                    await self.service._db_call(self.library.delete_tracks, [row.id])
                except StationError as exc:
                    log.warning("could not remove the row of cancelled %s: %s", row.filename, exc)
            await self._remove_stored(state)

        task = asyncio.ensure_future(undo())
        while not task.done():
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.shield(task)
        if task.exception() is not None:
            log.error("roll-back of %s failed", state.path, exc_info=task.exception())

    async def _failed(self, state: _FileState, message: str) -> FileOutcome:
        """A file that failed: its row, if it has one, goes to ``error`` with the reason;
        its stored copy is removed."""
        row = state.row
        try:
            await self._remove_stored(state)
            if row is not None:
                await self.service._db_call(functools.partial(
                    self.library.set_status, row.id, "error", status_message=message))
        except StationError as exc:
            log.warning("could not record the failure of %s: %s", state.path.name, exc)
        return FileOutcome(state.path, "error", message, row.id if row else None)
