"""The stations' search text in memory: where a library search finds its candidates.

A library search is a case-insensitive substring of a track's title, artist, album, genre
or file name. No B-tree index answers that, and a scan of 100,000 tracks costs 45-85 ms on
MariaDB however narrow the scanned column is (bench/bench_library.py). So the service keeps
each station's folded search text in memory, one string of about 80 bytes per track, and
``str.find`` over it finds the candidates in a few milliseconds. SQL still decides: the
page query checks every candidate against the real search condition and the station, so
an entry that is out of date can only cost a candidate, never show a wrong track.

What the text must never miss is a track added or edited by someone else: another
operator's app, the platform, stationd. Migration 0011's triggers log every insert,
delete and edit of a searched column in ``AudioFileChange`` whoever writes, and each
search first applies the entries after the last one this process has seen (one indexed
range read, usually empty). Entries older than a day are pruned; text not brought up to
date for :data:`RELOAD_AFTER` is read again whole.

Without the triggers (an account that may not create them) the text is not used and
searches take the SQL-only path.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
import threading
import time
import unicodedata
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Select, delete, func, select
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Session

from station_desktop.db.engine import Database
from station_desktop.db.models import AudioFile, AudioFileChange

SEARCH_SEPARATOR = "\x1f"  # between a track's fields (CONCAT_WS's in searchKey, 0009)
_ROW_SEPARATOR = "\x1e"  # between tracks: a search never spans two
SEARCHED_FIELDS = ("title", "artist", "album", "genre", "filename")
CHANGE_TRIGGERS = ("AudioFile_change_ai", "AudioFile_change_au", "AudioFile_change_ad")
# How many candidates the text hands to SQL; more: a frequent term, which a walk along the
# sort index answers sooner by itself (bench/bench_library.py).
CANDIDATE_LIMIT = 5_000
RELOAD_AFTER = 6 * 3600.0  # seconds without a sync: read the station again
PRUNE_AFTER = dt.timedelta(days=1)  # change entries older than this are deleted
PRUNE_EVERY = 3600.0  # seconds between prunes by one process
STATIONS_KEPT = 2  # stations whose text stays in memory (the one on screen, the last)
_REBUILD_SHARE = 0.1  # more than this share of tracks changed since loading: read again
_CHUNK = 500
_LOAD_BATCH = 5_000

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


@functools.cache
def _combining_marks() -> re.Pattern[str]:
    """The combining marks of the Basic Multilingual Plane, as one character class."""
    marks = "".join(chr(c) for c in range(0x10000) if unicodedata.combining(chr(c)))
    return re.compile("[" + re.escape(marks) + "]")


def fold(text: str) -> str:
    """Text as MariaDB's utf8mb4_unicode_ci compares it, closely enough for a search:
    case folded ("ß" is "ss"), accents (combining marks) removed. Character by
    character, so a substring of a text folds to a substring of the folded text.
    Migration 0009 fills existing rows with the same function: keep them alike."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    if _ASTRAL.search(decomposed):
        return "".join(c for c in decomposed if not unicodedata.combining(c))
    return _combining_marks().sub("", decomposed)


def fold_fields(values: Iterable[str | None]) -> str:
    """The folded search text of a track's searched fields (None skipped)."""
    return fold(SEARCH_SEPARATOR.join(value for value in values if value is not None))


@dataclass(frozen=True, slots=True)
class Candidates:
    """What the search text says of a search: the ids that may match, out of about
    ``population`` tracks in the station; ``ids`` None: more than the limit asked for
    (a frequent search: a walk along the sort index meets matches soon)."""

    ids: list[str] | None
    population: int


@dataclass
class _Station:
    ids: list[str]
    starts: array[int]  # where each track's text begins in ``text``
    text: str
    seq: int  # the last AudioFileChange entry applied
    synced: float  # monotonic clock of the last sync
    changed: set[str] = field(default_factory=set)  # ids whose entry in ``text`` is stale
    extra: dict[str, str] = field(default_factory=dict)  # their text now (absent: deleted)

    @property
    def size(self) -> int:
        """About how many tracks the station has (deleted ones may still count)."""
        return len(self.ids) + len(self.extra)

    def find(self, term: str, limit: int) -> list[str] | None:
        """Ids whose text holds ``term``; None when more than ``limit`` do."""
        hits: list[str] = []
        text, starts, ids, changed = self.text, self.starts, self.ids, self.changed
        end = len(text)
        position = text.find(term)
        while position != -1:
            row = bisect.bisect_right(starts, position) - 1
            if ids[row] not in changed:
                hits.append(ids[row])
                if len(hits) > limit:
                    return None
            position = text.find(term, starts[row + 1] if row + 1 < len(starts) else end)
        for track_id, track_text in self.extra.items():
            if term in track_text:
                hits.append(track_id)
                if len(hits) > limit:
                    return None
        return hits


class SearchText:
    """Each station's folded search text (thread-safe; a few stations at a time)."""

    def __init__(self, db: Database, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._db = db
        self._clock = clock
        self._lock = threading.Lock()
        self._stations: OrderedDict[str, _Station] = OrderedDict()
        self._usable: bool | None = None
        self._pruned = float("-inf")

    def usable(self, s: Session) -> bool:
        """Whether migration 0011's triggers are there (asked once)."""
        if self._usable is None:
            if self._db.backend == "sqlite":
                query = ("SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' "
                         "AND name IN (:a, :b, :c)")
            else:
                query = ("SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE "
                         "TRIGGER_SCHEMA = DATABASE() AND TRIGGER_NAME IN (:a, :b, :c)")
            names = dict(zip("abc", CHANGE_TRIGGERS, strict=True))
            self._usable = s.scalar(sql_text(query).bindparams(**names)) == len(names)
        return self._usable

    def candidates(
        self, s: Session, client_id: str, search: str, limit: int | None = None
    ) -> Candidates | None:
        """The station's tracks whose search text holds ``search`` (folded), a superset
        of what the SQL condition finds (``ids`` None: more than ``limit``); None when the
        text cannot tell (no triggers, a search the text does not answer)."""
        term = fold(search)
        if not term or SEARCH_SEPARATOR in term or _ROW_SEPARATOR in term:
            return None
        if not self.usable(s):
            return None
        if limit is None:
            limit = CANDIDATE_LIMIT
        with self._lock:
            station = self._current(s, client_id)
            return Candidates(station.find(term, limit), station.size)

    def warm(self, s: Session, client_id: str) -> None:
        """Read the station's text now (the Library page asks after its first paint, so
        that the first search does not pay for it)."""
        if self.usable(s):
            with self._lock:
                self._current(s, client_id)

    def forget(self) -> None:
        with self._lock:
            self._stations.clear()

    # -- keeping in step ---------------------------------------------------------------------

    def _current(self, s: Session, client_id: str) -> _Station:
        station = self._stations.get(client_id)
        now = self._clock()
        if (station is None or now - station.synced > RELOAD_AFTER
                or not self._apply_changes(s, client_id, station, now)):
            station = self._load(s, client_id, now)
        self._stations[client_id] = station
        self._stations.move_to_end(client_id)
        while len(self._stations) > STATIONS_KEPT:
            self._stations.popitem(last=False)
        return station

    def _load(self, s: Session, client_id: str, now: float) -> _Station:
        # The log's position first: a change after it is applied (again) at the next sync.
        seq = int(s.scalar(select(func.max(AudioFileChange.seq))
                           .where(AudioFileChange.clientId == client_id)) or 0)
        ids: list[str] = []
        starts = array("q")
        pieces: list[str] = []
        position = 0
        # Streamed, a few thousand rows at a time, each batch folded at once (C speed):
        # the rows of a big station never sit in memory together.
        result = s.execute(_text_query().where(AudioFile.clientId == client_id)
                           .execution_options(yield_per=_LOAD_BATCH))
        for batch in result.partitions():
            texts: list[str] = []
            for row in batch:
                ids.append(row[0])
                joined = SEARCH_SEPARATOR.join(str(v) for v in row[1:] if v is not None)
                # A row separator inside a tag would shift every later track's start.
                texts.append(joined.replace(_ROW_SEPARATOR, " ") if _ROW_SEPARATOR in joined
                             else joined)
            texts.append("")  # so that the piece ends with a separator
            piece = fold(_ROW_SEPARATOR.join(texts))
            at = 0
            for _ in range(len(texts) - 1):
                starts.append(position + at)
                at = piece.find(_ROW_SEPARATOR, at) + 1
            pieces.append(piece)
            position += len(piece)
        return _Station(ids, starts, "".join(pieces), seq, now)

    def _apply_changes(self, s: Session, client_id: str, station: _Station, now: float) -> bool:
        """Bring ``station`` up to date from the change log; False when reading it again
        is cheaper (or the log no longer reaches back to it)."""
        entries = s.execute(
            select(AudioFileChange.seq, AudioFileChange.audioFileId)
            .where(AudioFileChange.clientId == client_id, AudioFileChange.seq > station.seq)
            .order_by(AudioFileChange.seq)
        ).all()
        station.synced = now
        if not entries:
            return True
        changed = list(dict.fromkeys(str(track_id) for _seq, track_id in entries))
        if len(station.changed) + len(changed) > max(1000, _REBUILD_SHARE * len(station.ids)):
            return False
        fresh: dict[str, str] = {}
        for chunk in _chunks(changed):
            for row in s.execute(_text_query().where(
                    AudioFile.id.in_(chunk), AudioFile.clientId == client_id)):
                fresh[row[0]] = fold_fields(row[1:])
        for track_id in changed:
            station.changed.add(track_id)
            if track_id in fresh:
                station.extra[track_id] = fresh[track_id]
            else:
                station.extra.pop(track_id, None)
        station.seq = int(entries[-1][0])
        return True

    def prune(self) -> None:
        """Delete change entries older than :data:`PRUNE_AFTER`, at most once in
        :data:`PRUNE_EVERY` per process (outside any other session of the caller's)."""
        now = self._clock()
        with self._lock:
            if self._usable is not True or now - self._pruned < PRUNE_EVERY:
                return
            self._pruned = now
        with self._db.transaction() as s:
            s.execute(delete(AudioFileChange).where(
                AudioFileChange.at < dt.datetime.now(dt.UTC) - PRUNE_AFTER))


def _text_query() -> Select[str, str | None, str | None, str | None, str | None, str]:
    """A track's id and its searched fields (:data:`SEARCHED_FIELDS`, in that order)."""
    return select(AudioFile.id, AudioFile.title, AudioFile.artist, AudioFile.album,
                  AudioFile.genre, AudioFile.filename)


def _chunks(ids: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start:start + _CHUNK]
