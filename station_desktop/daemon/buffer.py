"""Samples the database did not accept, kept on disk until it does.

One SQLite file (``<state_dir>/sample-buffer.sqlite3``), not a directory of JSON-lines
files, because SQLite gives for free what the buffer must guarantee:

- an append is one transaction, fsynced (``synchronous=FULL``, rollback journal): after a
  crash or a power cut a sample is either wholly there or not at all, never half a line;
- :meth:`SampleBuffer.drain` deletes exactly the rows the writer accepted, in the same
  transaction-per-batch, so a writer failing midway leaves the rest for next time;
- dropping the oldest rows when full is one ``DELETE``, not a rewrite of files.

Each row holds one sample as JSON (a format of our own, versioned by key names): a row that
does not decode (hand-edited, or from an incompatible version) is skipped, counted in
:attr:`SampleBuffer.corrupt` and deleted, never retried forever. A buffer file that is not
a SQLite database is moved aside (``*.corrupt-<time>``) with an error in the log, and a new
one started: stationd keeps running.

Replaying is safe: :meth:`~station_desktop.services.stats.StatsService.record_samples`
treats a sample whose station and timestamp are already stored as written, so a batch
whose commit was not confirmed can be written again.

The buffer is bounded (:data:`DEFAULT_MAX_SAMPLES`; ~200 bytes a row): when full, the
oldest samples are dropped with a warning giving the count.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from station_desktop.services.stats import Sample

log = logging.getLogger("station_desktop.daemon.buffer")

BUFFER_FILE = "sample-buffer.sqlite3"
DEFAULT_MAX_SAMPLES = 100_000  # a year of 5-minute samples for ~1 station, or 3 days of 25
DRAIN_BATCH = 500

Item = tuple[str, Sample]  # (station id, sample)
Writer = Callable[[Sequence[Item]], object]


def encode_sample(client_id: str, sample: Sample) -> str:
    return json.dumps({
        "station": client_id,
        "ts": sample.timestamp.isoformat(),
        "listeners": sample.listeners,
        "peak": sample.peak_listeners,
        "song": sample.current_song,
        "by_bitrate": {str(k): v for k, v in sample.listeners_by_bitrate.items()},
        "status": sample.stream_status,
        "uptime": sample.uptime,
    }, ensure_ascii=False, separators=(",", ":"))


def decode_sample(text: str) -> Item:
    """ValueError (or a subclass) when ``text`` is not a sample this module wrote."""
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    station = data["station"]
    if not isinstance(station, str) or not station:
        raise ValueError("no station")
    at = dt.datetime.fromisoformat(data["ts"])
    if at.tzinfo is None:
        raise ValueError("naive timestamp")
    song = data.get("song")
    if song is not None and not isinstance(song, str):
        raise ValueError("song is not text")
    by_bitrate = {int(k): _int(v) for k, v in dict(data.get("by_bitrate") or {}).items()}
    status = data.get("status", "online")
    if not isinstance(status, str):
        raise ValueError("status is not text")
    return station, Sample(timestamp=at, listeners=_int(data["listeners"]),
                           peak_listeners=_int(data["peak"]), current_song=song,
                           listeners_by_bitrate=by_bitrate, stream_status=status,
                           uptime=_int(data.get("uptime", 0)))


def _int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{value!r} is not a whole number")
    return value


class SampleBuffer:
    """A bounded, crash-safe FIFO of samples on disk (see module docstring). Thread-safe;
    every call opens and closes its own connection, so nothing stays open between rounds."""

    def __init__(self, state_dir: Path, max_samples: int = DEFAULT_MAX_SAMPLES) -> None:
        if max_samples < 1:
            raise ValueError("max_samples must be at least 1")
        self.path = state_dir / BUFFER_FILE
        self.max_samples = max_samples
        self.corrupt = 0  # rows skipped because they did not decode (this process)
        self.dropped = 0  # oldest samples dropped because the buffer was full (this process)
        self._lock = threading.Lock()
        state_dir.mkdir(parents=True, exist_ok=True)
        with self._lock:
            self._open_checked()

    # -- public ---------------------------------------------------------------------------

    def __len__(self) -> int:
        with self._lock, self._connect() as conn:
            return int(conn.execute("SELECT COUNT(*) FROM samples").fetchone()[0])

    def append(self, items: Sequence[Item]) -> int:
        """Keep ``items`` (oldest first); returns how many older samples were dropped to
        stay within the bound."""
        if not items:
            return 0
        rows = [(encode_sample(client_id, sample),) for client_id, sample in items]
        with self._lock, self._connect() as conn, _transaction(conn):
            conn.executemany("INSERT INTO samples (payload) VALUES (?)", rows)
            count = int(conn.execute("SELECT COUNT(*) FROM samples").fetchone()[0])
            excess = count - self.max_samples
            if excess > 0:
                conn.execute(
                    "DELETE FROM samples WHERE id IN "
                    "(SELECT id FROM samples ORDER BY id LIMIT ?)", (excess,))
        if excess > 0:
            self.dropped += excess
            log.warning("the sample buffer %s is full (%d samples): dropped the %d oldest",
                        self.path, self.max_samples, excess)
            return excess
        return 0

    def drain(self, writer: Writer, batch: int = DRAIN_BATCH) -> int:
        """Give the buffered samples to ``writer`` oldest first, ``batch`` at a time; each
        batch is removed only after ``writer`` returned. An exception from ``writer`` stops
        the drain (the batch and the rest stay) and propagates. Returns samples written."""
        written = 0
        while True:
            with self._lock, self._connect() as conn:
                rows = conn.execute("SELECT id, payload FROM samples ORDER BY id LIMIT ?",
                                    (batch,)).fetchall()
            if not rows:
                return written
            good: list[Item] = []
            ids: list[int] = []
            bad: list[int] = []
            for row_id, payload in rows:
                try:
                    good.append(decode_sample(payload))
                    ids.append(row_id)
                except (ValueError, KeyError, TypeError) as error:
                    bad.append(row_id)
                    log.warning("skipping a corrupt buffered sample (row %d): %s", row_id,
                                error)
            if bad:
                self.corrupt += len(bad)
                self._delete(bad)
            if good:
                writer(good)  # raises: nothing of this batch is removed
                self._delete(ids)
                written += len(good)

    def close(self) -> None:
        """Make sure everything is on disk (each append already is; this is for the
        shutdown log line and a final checkpoint)."""
        with self._lock, self._connect() as conn:
            count = int(conn.execute("SELECT COUNT(*) FROM samples").fetchone()[0])
        if count:
            log.info("%d sample(s) stay in the buffer %s for the next start", count, self.path)

    # -- internals --------------------------------------------------------------------------

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            conn.execute("PRAGMA synchronous=FULL")
            yield conn
        finally:
            conn.close()

    def _open_checked(self) -> None:
        try:
            self._create()
        except sqlite3.DatabaseError as error:
            aside = self.path.with_name(f"{self.path.name}.corrupt-{int(time.time())}")
            log.error("the sample buffer %s is unreadable (%s): moved it to %s and started "
                      "an empty one", self.path, error, aside)
            self.path.replace(aside)
            self._create()

    def _create(self) -> None:
        with self._connect() as conn:
            conn.execute("CREATE TABLE IF NOT EXISTS samples ("
                         "id INTEGER PRIMARY KEY AUTOINCREMENT, payload TEXT NOT NULL)")
            conn.execute("SELECT COUNT(*) FROM samples").fetchone()

    def _delete(self, ids: list[int]) -> None:
        with self._lock, self._connect() as conn, _transaction(conn):
            conn.executemany("DELETE FROM samples WHERE id = ?", [(i,) for i in ids])


@contextlib.contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


__all__ = ["BUFFER_FILE", "DEFAULT_MAX_SAMPLES", "SampleBuffer", "decode_sample",
           "encode_sample"]
