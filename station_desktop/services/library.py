"""A station's audio library: the tracks (the seed's AudioFile) and its storage quota.

The seed's API: list (``GET /api/audio``), detail (``GET /api/audio/[id]``), metadata edit
(``PUT /api/audio/[id]``), delete (``DELETE /api/audio/[id]``) and the database half of the
upload (``POST /api/audio/upload``): the import pipeline (probe, transcode, copy) calls
:meth:`LibraryService.check_quota` before copying anything, :meth:`LibraryService.add_track`
once the file is stored (status ``processing``) and :meth:`LibraryService.set_status` when
it is done (``ready``) or gave up (``error``, with the reason in ``status_message``). The
import service (``services/importer.py``) uses the batch forms, :meth:`~LibraryService.add_tracks`
and :meth:`~LibraryService.set_statuses`: one transaction for many files keeps the import fast
on SQLite (one commit, one fsync) and short on MariaDB. Every track carries the SHA-256 of the
imported file (``content_hash``): a second import of the same content into the same station
is a duplicate, answered with the track that already holds it.

Libraries reach 100,000 tracks, so listing reads one page at a time, along an index of the
sort column (see "queries" below); nothing loads the whole library into memory.

Deleting a track removes its playlist entries here, explicitly, and keeps the playlists'
positions dense; it does not rely on foreign-key cascades, which a database adopted from
the platform may lack. The stored file is the caller's to remove (``track.storage_path``),
after the row is gone.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    LargeBinary,
    Select,
    String,
    and_,
    case,
    cast,
    collate,
    delete,
    func,
    insert,
    literal,
    literal_column,
    or_,
    select,
    table,
    type_coerce,
    update,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql.expression import TableClause
from sqlalchemy.sql.visitors import iterate

from station_desktop.db.engine import Database
from station_desktop.db.ids import new_id
from station_desktop.db.models import (
    SEARCH_INDEX_TABLE,
    SEARCH_STALE_TRIGGER,
    AudioFile,
    Client,
    Playlist,
    PlaylistItem,
    row_version,
)
from station_desktop.errors import NotFound, QuotaExceeded, StationError, ValidationError
from station_desktop.services._common import (
    check_choice,
    check_range,
    check_version,
    clean_text,
    get_row,
    lock_row,
    required_text,
)
from station_desktop.services.library_text import (
    SEARCH_SEPARATOR,
    SEARCHED_FIELDS,
    Candidates,
    SearchText,
    fold,
)
from station_desktop.services.playlists import renumber_playlists

TRACK_STATUSES = ("processing", "ready", "error")
METADATA_FIELDS = ("title", "artist", "album", "genre", "year")
SORT_KEYS = (
    "title", "artist", "album", "genre", "year", "duration", "format", "bitrate", "status",
    "filename", "fileSize",
)
MIN_YEAR, MAX_YEAR = 1000, 2100
MAX_PAGE = 10_000
# AudioFile.fileSize is Prisma's Int: a signed 32-bit column on MySQL.
MAX_FILE_SIZE = 2**31 - 1
MAX_CHANNELS = 8
MAX_SAMPLE_RATE = 768_000
MAX_BITRATE = 100_000  # kbps; generous (lossless files report ~1,411 and more)
_CHUNK = 500  # ids per IN (...) list: well under SQLite's bound-parameter limit
MAX_STATUS_MESSAGE = 2000  # characters of an error reason kept (statusMessage is TEXT)
_HASH = re.compile(r"[0-9a-f]{64}")
_STATUS_MESSAGE_SPACE = re.compile(r"[\x00-\x20\x7f]+")


def format_size(size: int) -> str:
    """Bytes in the unit a person reads: "734.2 MB", "4.87 GB" (binary units, as file
    managers show them)."""
    if size >= 1024**3:
        return f"{size / 1024**3:.2f} GB"
    return f"{size / 1024**2:.1f} MB"


@dataclass(frozen=True, slots=True)
class TrackMetadata:
    """What an operator edits on a track (the tag fields)."""

    title: str | None = None
    artist: str | None = None
    album: str | None = None
    genre: str | None = None
    year: int | None = None


@dataclass(frozen=True, slots=True)
class NewTrack:
    """A stored file the importer registers: technical facts from the probe, tags."""

    filename: str
    storage_path: str
    file_size: int
    duration: float
    format: str
    bitrate: int
    sample_rate: int
    channels: int
    title: str | None = None
    artist: str | None = None
    album: str | None = None
    genre: str | None = None
    year: int | None = None
    cover_url: str | None = None
    status: str = "processing"
    content_hash: str | None = None  # hex SHA-256 of the imported file (duplicate key)
    status_message: str | None = None  # why the track is in error


@dataclass(frozen=True, slots=True)
class TrackRecord:
    id: str
    client_id: str
    filename: str
    storage_path: str
    file_size: int
    duration: float
    title: str | None
    artist: str | None
    album: str | None
    genre: str | None
    year: int | None
    cover_url: str | None
    format: str
    bitrate: int
    sample_rate: int
    channels: int
    status: str
    version: str
    content_hash: str | None = None
    status_message: str | None = None

    @property
    def metadata(self) -> TrackMetadata:
        return TrackMetadata(self.title, self.artist, self.album, self.genre, self.year)

    @property
    def display_title(self) -> str:
        """What a list shows: the title, else the file name."""
        return self.title or self.filename


@dataclass(frozen=True, slots=True)
class TrackPage:
    """One page of a library listing; ``total`` counts every match, not just this page."""

    total: int
    tracks: list[TrackRecord]
    # False: list_tracks(count=False) did not count; ``total`` is only what the page proves
    # (its end), and LibraryService.count_tracks gives the number.
    counted: bool = True


@dataclass(frozen=True, slots=True)
class StorageUsage:
    used: int
    quota: int
    track_count: int

    @property
    def free(self) -> int:
        return max(self.quota - self.used, 0)


@dataclass(frozen=True, slots=True)
class DeletedTrack:
    """A deleted track (its ``storage_path`` names the file to remove now) and the names of
    the playlists it was taken out of."""

    track: TrackRecord
    removed_from: list[str]


def _record(row: AudioFile) -> TrackRecord:
    return TrackRecord(
        id=row.id, client_id=row.clientId, filename=row.filename, storage_path=row.storagePath,
        file_size=row.fileSize, duration=row.duration, title=row.title, artist=row.artist,
        album=row.album, genre=row.genre, year=row.year, cover_url=row.coverUrl,
        format=row.format, bitrate=row.bitrate, sample_rate=row.sampleRate,
        channels=row.channels, status=row.status, version=row_version(row),
        content_hash=row.contentHash, status_message=row.statusMessage,
    )


@dataclass(frozen=True, slots=True)
class AddedTrack:
    """What :meth:`LibraryService.add_tracks` did with one :class:`NewTrack`: ``record`` is
    the new row or, when ``duplicate``, the station's track that already holds the same
    content; ``error`` (then ``record`` is None) says why it was refused (quota, bad value).
    """

    record: TrackRecord | None
    duplicate: bool = False
    error: StationError | None = None


@dataclass(frozen=True, slots=True)
class StatusChange:
    """One track's move to ``status`` for :meth:`LibraryService.set_statuses`; the technical
    values, when given, replace what the row holds (the stored file after a transcode)."""

    track_id: str
    status: str
    status_message: str | None = None
    duration: float | None = None
    format: str | None = None
    bitrate: int | None = None
    sample_rate: int | None = None
    channels: int | None = None
    file_size: int | None = None


# -- validation ---------------------------------------------------------------------------

_LABELS = {"title": "Title", "artist": "Artist", "album": "Album", "genre": "Genre"}


def _check_int(value: object, field: str, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"{label} must be a whole number (got {value!r}).", field=field)
    return value


def _year(value: object) -> int | None:
    if value is None:
        return None
    year = _check_int(value, "year", "Year")
    check_range(year, "year", "Year", MIN_YEAR, MAX_YEAR)
    return year


def _metadata_value(field: str, value: object) -> str | int | None:
    """One validated metadata value (text trimmed, empty text becomes None)."""
    if field == "year":
        return _year(value)
    if value is not None and not isinstance(value, str):
        raise ValidationError(f"{_LABELS[field]} must be text (got {value!r}).", field=field)
    return clean_text(value, field, _LABELS[field], required=False)


def _validate_metadata(meta: TrackMetadata) -> dict[str, Any]:
    return {field: _metadata_value(field, getattr(meta, field)) for field in METADATA_FIELDS}


def _validate_changes(changes: Mapping[str, object]) -> dict[str, Any]:
    unknown = sorted(set(changes) - set(METADATA_FIELDS))
    if unknown:
        raise ValidationError(
            f"{', '.join(unknown)} cannot be edited here; the editable fields are "
            f"{', '.join(METADATA_FIELDS)}.",
            field=unknown[0],
        )
    return {field: _metadata_value(field, value) for field, value in changes.items()}


def _check_size(size: object, field: str = "file_size") -> int:
    size = _check_int(size, field, "File size")
    if size < 0:
        raise ValidationError(f"File size cannot be negative (got {size}).", field=field)
    if size > MAX_FILE_SIZE:
        raise ValidationError(
            f"The file is {format_size(size)}; the library stores files up to "
            f"{format_size(MAX_FILE_SIZE)} each. Split or re-encode it.",
            field=field,
        )
    return size


def _check_duration(duration: object) -> float:
    if isinstance(duration, bool) or not isinstance(duration, int | float):
        raise ValidationError(f"Duration must be a number of seconds (got {duration!r}).",
                              field="duration")
    value = float(duration)
    if math.isnan(value) or math.isinf(value) or value < 0:
        raise ValidationError(
            f"Duration must be zero or more seconds (got {duration!r}).", field="duration"
        )
    return value


def _check_hash(value: str | None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _HASH.fullmatch(value):
        raise ValidationError(
            f"A content hash is 64 lowercase hexadecimal digits (SHA-256); got {value!r}.",
            field="content_hash",
        )
    return value


def _status_message(value: str | None) -> str | None:
    """An error reason as one line of text (ffmpeg's multi-line output included), clipped."""
    if value is None:
        return None
    text = _STATUS_MESSAGE_SPACE.sub(" ", str(value)).strip()
    if len(text) > MAX_STATUS_MESSAGE:
        text = text[:MAX_STATUS_MESSAGE - 1] + "…"
    return text or None


def _new_track_values(track: NewTrack) -> dict[str, Any]:
    """The validated columns of a new track (ValidationError names the bad field)."""
    check_choice(track.status, "status", "Status", TRACK_STATUSES)
    return {
        "filename": required_text(track.filename, "filename", "File name"),
        "storagePath": required_text(track.storage_path, "storage_path", "Storage path"),
        "fileSize": _check_size(track.file_size),
        "coverUrl": clean_text(track.cover_url, "cover_url", "Cover URL", required=False),
        **_technical(duration=track.duration, fmt=track.format, bitrate=track.bitrate,
                     sample_rate=track.sample_rate, channels=track.channels),
        **_validate_metadata(TrackMetadata(track.title, track.artist, track.album,
                                           track.genre, track.year)),
        "contentHash": _check_hash(track.content_hash),
        "statusMessage": _status_message(track.status_message),
        "status": track.status,
    }


def _check_format(value: str) -> str:
    fmt = required_text(value, "format", "Format", max_length=16).lower()
    if not fmt.isalnum():
        raise ValidationError(
            f"Format {fmt!r} must be a short name such as mp3, aac or ogg.", field="format"
        )
    return fmt


def _technical(
    *, duration: object, fmt: str, bitrate: object, sample_rate: object, channels: object
) -> dict[str, Any]:
    values: dict[str, Any] = {
        "duration": _check_duration(duration),
        "format": _check_format(fmt),
    }
    for key, field, label, maximum in (
        ("bitrate", "bitrate", "Bitrate", MAX_BITRATE),
        ("sampleRate", "sample_rate", "Sample rate", MAX_SAMPLE_RATE),
        ("channels", "channels", "Channels", MAX_CHANNELS),
    ):
        value = {"bitrate": bitrate, "sampleRate": sample_rate, "channels": channels}[key]
        number = _check_int(value, field, label)
        check_range(number, field, label, 0, maximum)
        values[key] = number
    return values


# -- queries ------------------------------------------------------------------------------
#
# A station's library reaches 100,000 tracks and the view asks for one page at a time, on
# every scroll and every keystroke of a search, so a page must cost in proportion to the
# page, not to the library (bench/bench_library.py measures it on SQLite and MariaDB):
#
# - Every column the view sorts by has an index ``(clientId, column, id)`` (migration 0008),
#   and a page is a walk along it. The index orders text case-insensitively by itself: the
#   column's collation on MariaDB (utf8mb4_unicode_ci also ignores accents), NOCASE on
#   SQLite. Ties go by id in the sort's direction, so one index serves both directions.
# - Empty values come last in both directions. MySQL has no NULLS LAST and an expression in
#   ORDER BY defeats the index, so a page reads the rows that have a value, then, past
#   their end, the empty ones (two ranges of the same index).
# - A filter (search, status) is first tried on the rows at the start of the index (the
#   probe): a frequent match fills the page from a few thousand rows. When the probe comes
#   up short the matches are rare, and they are found by one scan of the station (LIKE
#   '%x%' cannot use an index), sorting the matches only; that also counts them.
# - A search first asks the station's search text in memory (``services/library_text.py``,
#   kept in step with every writer by migration 0011's change log) which tracks may
#   match; when few may, SQL checks just those by primary key and sorts them. A frequent
#   search (more candidates than that pays for) takes the probe and walk above.
# - Without that text, a search does not read the columns of every row where it can help
#   it (migration 0009, :func:`_search_condition`): on SQLite a trigram index finds the
#   rows holding a search of three characters or more; on MariaDB a binary LIKE scans one
#   pre-folded column (``searchText``) instead of five columns through the collation.
# - Counting every match is a query of its own (:meth:`LibraryService.count_tracks`) that
#   the view runs once the first page is on screen.

_TEXT_SORTS: dict[str, InstrumentedAttribute[Any]] = {
    "title": AudioFile.title, "artist": AudioFile.artist, "album": AudioFile.album,
    "genre": AudioFile.genre, "format": AudioFile.format, "status": AudioFile.status,
    "filename": AudioFile.filename,
}
_NUMBER_SORTS: dict[str, InstrumentedAttribute[Any]] = {
    "year": AudioFile.year, "duration": AudioFile.duration, "bitrate": AudioFile.bitrate,
    "fileSize": AudioFile.fileSize,
}
_NULLABLE = {"title", "artist", "album", "genre", "year"}
# The sort keys with an index (clientId, key, id): the view's columns (migration 0008).
INDEXED_SORT_KEYS = ("title", "artist", "album", "genre", "year", "duration", "format",
                     "bitrate", "status")
_SEARCHED = (AudioFile.title, AudioFile.artist, AudioFile.album, AudioFile.genre,
             AudioFile.filename)
_SEARCHED_FIELDS = SEARCHED_FIELDS
_SEARCH_SEPARATOR = SEARCH_SEPARATOR  # CONCAT_WS's in searchKey/searchText (migration 0009)
MIN_INDEXED_SEARCH = 3  # characters: SQLite's trigram index finds nothing shorter
_ROWID: ColumnElement[int] = literal_column('"AudioFile".rowid')
_SEARCH_INDEX = table(SEARCH_INDEX_TABLE)


def _search_values(track: Mapping[str, Any] | AudioFile) -> dict[str, bytes]:
    """The search columns of a track (migration 0009), from its title, artist, album,
    genre and filename (a row, or a mapping of column values such as the validated values
    of a new track): ``searchKey``, the five joined as MariaDB's CONCAT_WS joins them, and
    ``searchText``, the same folded. Every write of those columns sets these too (a row
    without them is still found, more slowly: see :func:`_search_condition`)."""
    if isinstance(track, AudioFile):
        fields = [getattr(track, field) for field in _SEARCHED_FIELDS]
    else:
        fields = [track.get(field) for field in _SEARCHED_FIELDS]
    key = _SEARCH_SEPARATOR.join(str(value) for value in fields if value is not None)
    return {"searchText": fold(key).encode(), "searchKey": key.encode()}


PROBE_ROWS = 2_000  # rows along the sort index a filtered page looks at first
MAX_WALK_ROWS = 30_000  # a filtered page expected deeper along the index scans instead


def _search_variants(text: str, dialect: str) -> list[str]:
    """The spellings a search is tried in. MariaDB's collation folds case (and accents) by
    itself and SQLite's LIKE folds ASCII letters; for other letters on SQLite the search is
    also tried in lower case, upper case and capitalised, so "müller" finds "Müller" and
    "MÜLLER" (a per-row Unicode fold function would make the scan ten times slower)."""
    if dialect != "sqlite" or text.isascii():
        return [text]
    capitalised = " ".join(word[:1].upper() + word[1:].lower() for word in text.split(" "))
    variants: dict[str, str] = {}
    for variant in (text, text.lower(), text.upper(), capitalised):
        # Spellings that differ in ASCII letters only are the same pattern to LIKE.
        variants.setdefault("".join(c.lower() if c.isascii() else c for c in variant), variant)
    return list(variants.values())


def _filters(
    client_id: str, search: str | None, status: str | None, dialect: str = "mysql",
    *, every: bool = True, key_kept: bool = False,
) -> list[ColumnElement[bool]]:
    """The station's condition first, then the filters (status, search). ``every``: for a
    query that finds every match (a scan, a count), which SQLite's search index answers;
    without, for testing the rows along a sort index (the index's cost would not pay).
    ``key_kept``: MariaDB empties the search columns of a row edited by others (migration
    0009's trigger), so a row's ``searchKey`` need not be compared with its columns."""
    conditions: list[ColumnElement[bool]] = [AudioFile.clientId == client_id]
    if status is not None:
        check_choice(status, "status", "Status", TRACK_STATUSES)
        conditions.append(AudioFile.status == status)
    text = (search or "").strip()
    if text:
        conditions.append(_search_condition(text, dialect, every=every, key_kept=key_kept))
    return conditions


def _search_condition(
    text: str, dialect: str, *, every: bool = True, key_kept: bool = False
) -> ColumnElement[bool]:
    """``text`` as a case-insensitive literal substring of the searched columns.

    - SQLite, three characters or more: a MATCH of the trigram index (migration 0009), one
      quoted phrase, i.e. a substring of one column, case folded (any letter, not only
      ASCII); a few rows read, not the station.
    - MariaDB: a binary LIKE on the folded ``searchText`` (no collation work per row), for
      the rows that have it; the others (written or edited by the platform) are searched
      by the columns themselves. Without the trigger that empties an edited row's search
      columns (``key_kept`` False), a row's ``searchKey`` must also still equal its columns.
    - Otherwise, and as that fallback: LIKE on each column.
    """
    # LIKE, not lower() LIKE: both databases compare case-insensitively already, and a
    # function call per row and column doubles the cost of a scan. The pattern is made
    # here, not by '%' || :text || '%' (SQLite would concatenate for every row); %, _
    # and the escape character in the search are literal characters.
    by_columns = or_(*[
        column.like(_contains_pattern(variant), escape=_ESCAPE)
        for variant in _search_variants(text, dialect) for column in _SEARCHED
    ])
    if dialect == "sqlite":
        if len(text) < MIN_INDEXED_SEARCH or not every:
            return by_columns
        phrase = '"' + text.replace('"', '""') + '"'
        rowid: ColumnElement[int] = literal_column("rowid")
        matches = (select(rowid).select_from(_SEARCH_INDEX)
                   .where(literal_column(f'"{SEARCH_INDEX_TABLE}"').op("MATCH")(phrase)))
        return _ROWID.in_(matches)
    folded = fold(text)
    if _SEARCH_SEPARATOR in folded or not folded:
        return by_columns
    fresh = AudioFile.searchKey.is_not(None) if key_kept else AudioFile.searchKey == cast(
        func.concat_ws(_SEARCH_SEPARATOR, *_SEARCHED), LargeBinary)
    # Bytes LIKE bytes: a binary comparison (String only lends LargeBinary the operator).
    by_text = type_coerce(AudioFile.searchText, String()).like(
        literal(_contains_pattern(folded).encode(), LargeBinary()), escape=_ESCAPE)
    return case((fresh, by_text), else_=by_columns)


_ESCAPE = "/"


def _contains_pattern(text: str) -> str:
    for char in (_ESCAPE, "%", "_"):
        text = text.replace(char, _ESCAPE + char)
    return f"%{text}%"


@dataclass(frozen=True, slots=True)
class _Sort:
    column: InstrumentedAttribute[Any]
    key: ColumnElement[Any] | InstrumentedAttribute[Any]  # as ORDER BY names it
    nullable: bool
    indexed: bool
    descending: bool
    numeric: bool
    collation: str | None  # SQLite: NOCASE for text

    def _direction(
        self, expression: ColumnElement[Any] | InstrumentedAttribute[Any]
    ) -> ColumnElement[Any]:
        return expression.desc() if self.descending else expression.asc()

    def along_index(self) -> list[ColumnElement[Any]]:
        """The order of the rows that have a value, as the index holds them."""
        return [self._direction(self.key), self._direction(AudioFile.id)]

    def by_id(self) -> list[ColumnElement[Any]]:
        """The order of the rows without a value."""
        return [self._direction(AudioFile.id)]

    def everything(self, *, avoid_index: bool = False) -> list[ColumnElement[Any]]:
        """The whole order in one ORDER BY (empty values last). ``avoid_index``: in terms
        no index holds, so the database sorts the rows the WHERE finds instead of walking
        the sort index and testing every row on the way (fast for a rare filter)."""
        key = self.key
        if avoid_index:  # the same order, by an expression: ``x + 0``, ``x || ''``
            key = self.column + 0 if self.numeric else self.column.concat("")
            if self.collation is not None:
                key = collate(key, self.collation)
        order = [self._direction(key), self._direction(AudioFile.id)]
        if self.nullable:
            order.insert(0, case((self.column.is_(None), 1), else_=0))
        return order


def _sort(sort: str, descending: bool, dialect: str) -> _Sort:
    collation: str | None = None
    if sort in _TEXT_SORTS:
        column = _TEXT_SORTS[sort]
        # MariaDB's utf8mb4_unicode_ci orders case- and accent-insensitively; SQLite's
        # NOCASE (ASCII letters) is what its indexes are built with (migration 0008).
        collation = "NOCASE" if dialect == "sqlite" else None
    elif sort in _NUMBER_SORTS:
        column = _NUMBER_SORTS[sort]
    else:
        raise ValidationError(
            f"Cannot sort by {sort!r}; choose one of {', '.join(SORT_KEYS)}.", field="sort"
        )
    key: ColumnElement[Any] | InstrumentedAttribute[Any] = (
        column if collation is None else collate(column, collation))
    return _Sort(column, key, sort in _NULLABLE, sort in INDEXED_SORT_KEYS, descending,
                 sort in _NUMBER_SORTS, collation)


def _ordering(sort: str, descending: bool, dialect: str = "mysql") -> list[ColumnElement[Any]]:
    """``sort`` as one ORDER BY: empty values last in both directions, ties by id."""
    return _sort(sort, descending, dialect).everything()


def _walk(
    s: Session, conditions: Sequence[ColumnElement[bool]], sort: _Sort, offset: int,
    limit: int, *, forced: bool = False,
) -> list[str]:
    """Ids of the page along the sort index: the rows with a value, then the empty ones.
    ``forced``: MariaDB is told to take that index."""
    def query(*where: ColumnElement[bool]) -> Select[str]:
        chosen = select(AudioFile.id).where(*where)
        if forced:
            index = f"{AudioFile.__tablename__}_clientId_{sort.column.key}_id_idx"
            chosen = chosen.with_hint(AudioFile, f"FORCE INDEX (`{index}`)", "mysql")
        return chosen

    valued = [*conditions, sort.column.is_not(None)] if sort.nullable else list(conditions)
    ids = list(s.scalars(query(*valued).order_by(*sort.along_index())
                         .offset(offset).limit(limit)))
    if len(ids) == limit or not sort.nullable:
        return ids
    skip = 0
    if not ids:  # the page starts among the empty values: how far in?
        skip = offset - int(s.scalar(select(func.count(AudioFile.id)).where(*valued)) or 0)
    ids += s.scalars(
        query(*conditions, sort.column.is_(None))
        .order_by(*sort.by_id()).offset(skip).limit(limit - len(ids))
    )
    return ids


def _walk_candidates(
    s: Session, candidates: list[str], conditions: Sequence[ColumnElement[bool]],
    sort: _Sort, dialect: str, offset: int, limit: int,
) -> list[str]:
    """The page among many ``candidates``: the sort index is walked, and each row tested
    against the list of candidate ids (a lookup) before ``conditions``. MariaDB is told to
    walk the index: given a list of ids it would rather read them all by primary key and
    sort them (84 ms instead of 16 for 1,400 ids). Reading the index in Python instead
    and testing the ids there costs more on MariaDB: PyMySQL parses 7 µs a row."""
    return _walk(s, [*conditions, AudioFile.id.in_(candidates)], sort, offset, limit,
                 forced=dialect != "sqlite")


def _probe(
    s: Session, station: ColumnElement[bool], filters: Sequence[ColumnElement[bool]],
    sort: _Sort, rows: int,
) -> tuple[list[str], bool]:
    """The matching ids among the first ``rows`` rows with a value along the sort index, in
    order; and whether those were all the rows with a value."""
    valued = [station, sort.column.is_not(None)] if sort.nullable else [station]
    found = s.execute(
        select(AudioFile.id, case((and_(*filters), 1), else_=0)).where(*valued)
        .order_by(*sort.along_index()).limit(rows)
    ).all()
    return [str(track_id) for track_id, hit in found if hit], len(found) < rows


def _by_matches(conditions: Sequence[ColumnElement[bool]]) -> list[ColumnElement[bool]]:
    """``conditions`` for a query that reads every match: with SQLite's search index among
    them, the station's condition is marked likely, so SQLite starts from the index's
    matches (rowids) instead of reading the whole station along the clientId index."""
    if not any(isinstance(element, TableClause) and element.name == SEARCH_INDEX_TABLE
               for condition in conditions[1:] for element in iterate(condition)):
        return list(conditions)
    return [func.likely(conditions[0]), *conditions[1:]]


def _count(s: Session, conditions: Sequence[ColumnElement[bool]]) -> int:
    return int(s.scalar(select(func.count(AudioFile.id)).where(*_by_matches(conditions))) or 0)


def _scan(s: Session, conditions: Sequence[ColumnElement[bool]], sort: _Sort) -> list[str]:
    """Every matching id, in order: for a rare filter (the probe found few), so few.
    No LIMIT: with one, MariaDB reads a big station through the clientId index, a random
    read per row, instead of reading the table in order (ten times slower)."""
    return list(s.scalars(select(AudioFile.id).where(*_by_matches(conditions))
                          .order_by(*sort.everything(avoid_index=True))))


def _page_ids(
    s: Session, conditions: Sequence[ColumnElement[bool]], sort: _Sort, offset: int,
    limit: int, row_conditions: Sequence[ColumnElement[bool]] | None = None,
) -> tuple[list[str], int | None]:
    """The ids of one page, and the number of matches when finding them told it."""
    if not sort.indexed:
        return list(s.scalars(select(AudioFile.id).where(*conditions)
                              .order_by(*sort.everything()).offset(offset).limit(limit))), None
    if len(conditions) == 1:  # the station's tracks, unfiltered
        return _walk(s, conditions, sort, offset, limit), None
    return _filtered_page_ids(s, conditions, sort, offset, limit, row_conditions)


def _filtered_page_ids(
    s: Session, conditions: Sequence[ColumnElement[bool]], sort: _Sort, offset: int,
    limit: int, row_conditions: Sequence[ColumnElement[bool]] | None = None,
) -> tuple[list[str], int | None]:
    """``conditions`` find every match (the scan); ``row_conditions``, the same filter for
    testing rows one by one (the probe, the walk), default ``conditions``."""
    rows = conditions if row_conditions is None else row_conditions
    station, filters = rows[0], rows[1:]
    wanted = offset + limit
    hits, exhausted = _probe(s, station, filters, sort, PROBE_ROWS)
    if len(hits) >= wanted:
        return hits[offset:wanted], None
    if exhausted and not sort.nullable:  # the probe saw every row
        return hits[offset:wanted], len(hits)
    if hits and not exhausted and wanted * PROBE_ROWS / len(hits) <= MAX_WALK_ROWS:
        return _walk(s, rows, sort, offset, limit), None  # frequent: walk on
    every = _scan(s, conditions, sort)  # rare: find them all, sort only them
    return every[offset:wanted], len(every)


# Up to this many candidates from the search text, SQL reads them all by primary key and
# sorts them (which also counts them); more, and the sort index is walked for them
# (:func:`_walk_candidates`). A candidate read costs about 20 µs on MariaDB (a wide InnoDB
# row), 5 µs on SQLite (bench/bench_library.py).
SORTED_CANDIDATES = {"sqlite": 1_000, "mysql": 1_000}


def _by_candidates(
    candidates: Sequence[str], client_id: str, conditions: Sequence[ColumnElement[bool]],
    dialect: str,
) -> list[ColumnElement[bool]]:
    """``conditions`` (the station's first, from :func:`_filters`) for the ``candidates``
    only, read by primary key. The station's condition is made unindexable: without
    statistics (SQLite's are never gathered; MariaDB's lag behind a bulk insert) the
    planners would rather walk the station's index, 100,000 rows, than look up a few ids
    (measured: 30 ms instead of 2 on MariaDB, 60 instead of 5 on SQLite)."""
    if dialect == "sqlite":
        station = AudioFile.clientId.op("||")(literal("")) == client_id
    else:
        station = func.concat(AudioFile.clientId, literal("")) == client_id
    return [AudioFile.id.in_(candidates), station, *conditions[1:]]


def _among(
    s: Session, candidates: Sequence[str], client_id: str,
    conditions: Sequence[ColumnElement[bool]], sort: _Sort, dialect: str,
) -> list[str]:
    """The ``candidates`` that meet ``conditions`` (the station's, the search's: SQL
    decides, the text in memory only narrowed the rows), in the page's order."""
    if not candidates:
        return []
    return list(s.scalars(select(AudioFile.id).where(
        *_by_candidates(candidates, client_id, conditions, dialect))
        .order_by(*sort.everything(avoid_index=True))))


def _count_among(
    s: Session, candidates: Sequence[str], client_id: str,
    conditions: Sequence[ColumnElement[bool]], dialect: str,
) -> int:
    if not candidates:
        return 0
    return int(s.scalar(select(func.count(AudioFile.id)).where(
        *_by_candidates(candidates, client_id, conditions, dialect))) or 0)


def _tracks_by_id(s: Session, ids: Sequence[str]) -> list[TrackRecord]:
    by_id: dict[str, AudioFile] = {}
    for chunk in _chunks(ids):
        by_id.update((row.id, row) for row in s.scalars(
            select(AudioFile).where(AudioFile.id.in_(chunk))))
    return [_record(by_id[track_id]) for track_id in ids if track_id in by_id]


def _chunks(ids: Sequence[str], size: int = _CHUNK) -> Iterable[Sequence[str]]:
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def _unique(ids: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(ids))


def _usage(s: Session, client_id: str) -> tuple[int, int]:
    used, count = s.execute(
        select(func.coalesce(func.sum(AudioFile.fileSize), 0), func.count(AudioFile.id))
        .where(AudioFile.clientId == client_id)
    ).one()
    return int(used), int(count)


def _ensure_room(client: Client, used: int, incoming: int, what: str) -> None:
    if used + incoming > client.storageQuota:
        free = max(client.storageQuota - used, 0)
        raise QuotaExceeded(
            f"Not enough storage for {what}: it needs {format_size(incoming)}, but station "
            f"{client.name!r} has used {format_size(used)} of its "
            f"{format_size(client.storageQuota)} quota ({format_size(free)} free). Delete "
            "tracks you no longer need, or ask an admin to raise the station's quota. "
            "Nothing was stored."
        )


class LibraryService:
    def __init__(self, db: Database, *, search_text: bool = True) -> None:
        """``search_text=False``: searches run in SQL alone, without the station's text in
        memory (``services/library_text.py``); the results are the same, only slower."""
        self._db = db
        self._stale_trigger: bool | None = None  # see _key_kept
        self._text = SearchText(db) if search_text else None

    # -- reading ---------------------------------------------------------------------------

    def list_tracks(
        self,
        client_id: str,
        *,
        search: str | None = None,
        status: str | None = None,
        sort: str = "title",
        descending: bool = False,
        offset: int = 0,
        limit: int = 200,
        count: bool = True,
    ) -> TrackPage:
        """One page of the station's tracks matching ``search`` (a case-insensitive
        substring of title, artist, album, genre or file name) and ``status``, sorted by
        ``sort`` (empty values last in both directions, ties by id in the same direction).

        ``count=False`` skips counting every match when the page did not tell it (the
        page's ``counted`` is then False and ``total`` only what the page proves); the view
        shows the page first and asks :meth:`count_tracks` next."""
        dialect = self._db.backend
        kept = self._key_kept()
        conditions = _filters(client_id, search, status, dialect, key_kept=kept)
        row_conditions = _filters(client_id, search, status, dialect, every=False,
                                  key_kept=kept)
        order = _sort(sort, descending, dialect)
        check_range(offset, "offset", "Offset", 0, 2**31)
        check_range(limit, "limit", "Page size", 1, MAX_PAGE)
        with self._db.read() as s:
            get_row(s, Client, client_id, "Station")
            candidates = self._candidates(s, client_id, search)
            if candidates is None or (candidates.ids is None and (
                    not order.indexed or dialect == "sqlite")):
                # (SQLite's LIKE does not fold accents as the text does: "frequent" in
                # the text may be rare in SQL, which its probe finds out.)
                ids, total = _page_ids(s, conditions, order, int(offset), int(limit),
                                       row_conditions)
            elif candidates.ids is None:  # frequent: matches come soon along the index
                ids = _walk(s, row_conditions, order, int(offset), int(limit),
                            forced=dialect != "sqlite")
                total = None
            elif len(candidates.ids) <= SORTED_CANDIDATES[dialect] or not order.indexed:
                every = _among(s, candidates.ids, client_id, row_conditions, order, dialect)
                ids, total = every[offset:offset + limit], len(every)
            else:  # many: walk the sort index, keeping the candidates SQL confirms
                ids = _walk_candidates(s, candidates.ids, row_conditions, order, dialect,
                                       int(offset), int(limit))
                total = None
            tracks = _tracks_by_id(s, ids)
            if total is None and len(ids) < limit and (ids or offset == 0):
                total = offset + len(ids)  # the last page
            if total is None and count:
                total = _count(s, conditions)
            if total is None:
                return TrackPage(total=offset + len(tracks), tracks=tracks, counted=False)
            return TrackPage(total=total, tracks=tracks)

    def count_tracks(
        self, client_id: str, *, search: str | None = None, status: str | None = None
    ) -> int:
        """How many of the station's tracks match ``search`` and ``status`` (as
        :meth:`list_tracks` filters them)."""
        dialect = self._db.backend
        conditions = _filters(client_id, search, status, dialect, key_kept=self._key_kept())
        with self._db.read() as s:
            get_row(s, Client, client_id, "Station")
            candidates = self._candidates(s, client_id, search)
            if candidates is None or candidates.ids is None:
                return _count(s, conditions)
            row_conditions = _filters(client_id, search, status, dialect, every=False,
                                      key_kept=self._key_kept())
            return _count_among(s, candidates.ids, client_id, row_conditions, dialect)

    def warm_search(self, client_id: str) -> None:
        """Read the station's search text into memory now, so that the first search
        does not wait for it (the Library page asks once its first page is shown)."""
        if self._text is None:
            return
        with self._db.read() as s:
            self._text.warm(s, client_id)
        self._text.prune()

    def _candidates(self, s: Session, client_id: str, search: str | None) -> Candidates | None:
        """The tracks that may match ``search``, from the search text in memory, or None
        (no search, a frequent one, or no text to ask): see ``services/library_text.py``."""
        text = (search or "").strip()
        if not text or self._text is None:
            return None
        return self._text.candidates(s, client_id, text)

    def _key_kept(self) -> bool:
        """Whether MariaDB's trigger of migration 0009 is there (asked once)."""
        if self._db.backend == "sqlite":
            return False
        if self._stale_trigger is None:
            with self._db.read() as s:
                self._stale_trigger = bool(s.scalar(sql_text(
                    "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE "
                    "TRIGGER_SCHEMA = DATABASE() AND TRIGGER_NAME = :name"
                ).bindparams(name=SEARCH_STALE_TRIGGER)))
        return self._stale_trigger

    def get_track(self, track_id: str) -> TrackRecord:
        with self._db.read() as s:
            return _record(get_row(s, AudioFile, track_id, "Track"))

    def get_tracks(self, track_ids: Sequence[str]) -> list[TrackRecord]:
        """The tracks with ``track_ids`` that still exist, in that order (a view reloading
        what it shows; a deleted one is simply absent)."""
        with self._db.read() as s:
            return _tracks_by_id(s, _unique(track_ids))

    def storage_usage(self, client_id: str) -> StorageUsage:
        """Bytes used by the station's tracks, its quota, and how many tracks it has."""
        with self._db.read() as s:
            client = get_row(s, Client, client_id, "Station")
            used, count = _usage(s, client_id)
            return StorageUsage(used=used, quota=client.storageQuota, track_count=count)

    def check_quota(self, client_id: str, incoming_bytes: int) -> StorageUsage:
        """Refuse with :class:`QuotaExceeded` when ``incoming_bytes`` more would not fit;
        the importer calls this before copying anything. Returns the current usage."""
        incoming = _check_int(incoming_bytes, "incoming_bytes", "Size")
        if incoming < 0:
            raise ValidationError("The incoming size cannot be negative.", field="incoming_bytes")
        with self._db.read() as s:
            client = get_row(s, Client, client_id, "Station")
            used, count = _usage(s, client_id)
            _ensure_room(client, used, incoming, "these files")
            return StorageUsage(used=used, quota=client.storageQuota, track_count=count)

    # -- adding and processing -------------------------------------------------------------

    def add_track(self, client_id: str, track: NewTrack) -> TrackRecord:
        """Register a stored file in the station's library, within its storage quota."""
        values = _new_track_values(track)
        with self._db.transaction() as s:
            # The station's row lock serialises concurrent imports, so two files that each
            # fit cannot together overrun the quota.
            client = lock_row(s, Client, client_id, "Station")
            used, _count = _usage(s, client_id)
            _ensure_room(client, used, values["fileSize"], repr(values["filename"]))
            row = AudioFile(clientId=client_id, **values, **_search_values(values))
            s.add(row)
            s.flush()
            return _record(row)

    def add_tracks(self, client_id: str, tracks: Sequence[NewTrack]) -> list[AddedTrack]:
        """Register many files in one transaction, each on its own terms: one
        :class:`AddedTrack` per track, in order. A track whose ``content_hash`` the station
        already holds (in a track that is not in ``error``), or that an earlier track of
        this batch has, is not added: it comes back as a duplicate of that track. A track
        that would overrun the quota, or has a bad value, comes back with the error and the
        others are still added. Only an unknown station raises (NotFound)."""
        results: list[AddedTrack | None] = [None] * len(tracks)
        pending: list[tuple[int, dict[str, Any]]] = []
        for index, track in enumerate(tracks):
            try:
                pending.append((index, _new_track_values(track)))
            except StationError as error:
                results[index] = AddedTrack(None, error=error)
        with self._db.transaction() as s:
            client = lock_row(s, Client, client_id, "Station")
            used, _count = _usage(s, client_id)
            holders = self._hash_holders(
                s, client_id, [v["contentHash"] for _, v in pending if v["contentHash"]])
            rows: list[dict[str, Any]] = []
            for index, values in pending:
                content_hash = values["contentHash"]
                if content_hash is not None and content_hash in holders:
                    results[index] = AddedTrack(holders[content_hash], duplicate=True)
                    continue
                try:
                    _ensure_room(client, used, values["fileSize"], repr(values["filename"]))
                except QuotaExceeded as error:
                    results[index] = AddedTrack(None, error=error)
                    continue
                row = {"id": new_id(), "clientId": client_id, **values,
                       **_search_values(values)}
                rows.append(row)
                used += values["fileSize"]
                # A transient row: its record (and version) without a trip to the database.
                record = _record(AudioFile(**row))
                results[index] = AddedTrack(record)
                if content_hash is not None:
                    holders[content_hash] = record
            if rows:  # one multi-row INSERT for the batch, not one ORM flush per row
                s.execute(insert(AudioFile), rows)
        return [result for result in results if result is not None]

    def mark_ready(self, track_ids: Sequence[str]) -> set[str]:
        """The importer's fast path: tracks whose stored file is exactly what their row
        describes become ``ready`` (their ``statusMessage`` cleared), in one statement per
        500 ids. Returns the ids that exist (and were updated)."""
        ids = _unique(track_ids)
        found: set[str] = set()
        with self._db.transaction() as s:
            for chunk in _chunks(sorted(ids)):
                found.update(s.scalars(
                    select(AudioFile.id).where(AudioFile.id.in_(chunk)).with_for_update()))
                s.execute(
                    update(AudioFile).where(AudioFile.id.in_(chunk))
                    .values(status="ready", statusMessage=None)
                    .execution_options(synchronize_session=False))
        return found

    def content_hashes(self, client_id: str) -> set[str]:
        """The content hashes the station holds (in tracks not in ``error``): the importer
        looks a file up here before copying it (:meth:`add_tracks` has the last word)."""
        with self._db.read() as s:
            get_row(s, Client, client_id, "Station")
            return set(s.scalars(
                select(AudioFile.contentHash).where(
                    AudioFile.clientId == client_id, AudioFile.contentHash.is_not(None),
                    AudioFile.status != "error")))

    def find_by_hash(self, client_id: str, content_hash: str) -> TrackRecord | None:
        """The station's track holding this content (not one in ``error``), if any."""
        checked = _check_hash(content_hash)
        assert checked is not None
        with self._db.read() as s:
            return self._hash_holders(s, client_id, [checked]).get(checked)

    def set_status(
        self,
        track_id: str,
        status: str,
        *,
        duration: float | None = None,
        format: str | None = None,
        bitrate: int | None = None,
        sample_rate: int | None = None,
        channels: int | None = None,
        file_size: int | None = None,
        status_message: str | None = None,
    ) -> TrackRecord:
        """The importer's path: move a track to ``ready`` or ``error`` (or back to
        ``processing``), recording what the probe or transcode found and, for ``error``,
        why (``status_message``; any other status clears it). No version check: the
        importer owns a track while it processes it. A larger ``file_size`` (after a
        transcode) must still fit the quota."""
        change = StatusChange(
            track_id, status, status_message, duration=duration, format=format,
            bitrate=bitrate, sample_rate=sample_rate, channels=channels, file_size=file_size)
        check_choice(status, "status", "Status", TRACK_STATUSES)
        with self._db.transaction() as s:
            # Track, then station: nothing locks a station and then an existing track.
            row = lock_row(s, AudioFile, track_id, "Track")
            client = lock_row(s, Client, row.clientId, "Station")
            self._apply_status(s, row, client, change)
            s.flush()
            return _record(row)

    def set_statuses(self, changes: Sequence[StatusChange]) -> list[TrackRecord | StationError]:
        """:meth:`set_status` for many tracks in one transaction, each on its own terms: the
        updated record, or the error that refused that one change (an unknown track, a
        bad value, a transcoded file that no longer fits the quota)."""
        results: list[TrackRecord | StationError | None] = [None] * len(changes)
        for index, change in enumerate(changes):
            try:
                check_choice(change.status, "status", "Status", TRACK_STATUSES)
            except StationError as error:
                results[index] = error
        wanted = sorted({c.track_id for i, c in enumerate(changes) if results[i] is None})
        with self._db.transaction() as s:
            # Tracks, then their stations (ids sorted): the lock order of set_status.
            rows: dict[str, AudioFile] = {}
            for chunk in _chunks(wanted):
                for row in s.scalars(
                    select(AudioFile).where(AudioFile.id.in_(chunk)).order_by(AudioFile.id)
                    .with_for_update().execution_options(populate_existing=True)
                ):
                    rows[row.id] = row
            clients: dict[str, Client] = {}
            applied: list[tuple[int, AudioFile]] = []
            for client_id in sorted({row.clientId for row in rows.values()}):
                clients[client_id] = lock_row(s, Client, client_id, "Station")
            for index, change in enumerate(changes):
                if results[index] is not None:
                    continue
                row_or_none = rows.get(change.track_id)
                if row_or_none is None:
                    results[index] = NotFound("Track", change.track_id)
                    continue
                try:
                    self._apply_status(s, row_or_none, clients[row_or_none.clientId], change)
                except StationError as error:
                    results[index] = error
                    continue
                applied.append((index, row_or_none))
            s.flush()  # one round of UPDATEs for the whole batch
            for index, row in applied:
                results[index] = _record(row)
        return [result for result in results if result is not None]

    def cover_in_use(self, client_id: str, cover_url: str) -> bool:
        """Whether any of the station's tracks shows this cover (the importer keeps a
        shared cover file while one does)."""
        with self._db.read() as s:
            return s.scalar(
                select(AudioFile.id).where(AudioFile.clientId == client_id,
                                           AudioFile.coverUrl == cover_url).limit(1)
            ) is not None

    # -- editing ---------------------------------------------------------------------------

    def update_metadata(
        self, track_id: str, meta: TrackMetadata, expected_version: str | None
    ) -> TrackRecord:
        values = _validate_metadata(meta)
        with self._db.transaction() as s:
            row = lock_row(s, AudioFile, track_id, "Track")
            check_version(row, expected_version, f"Track {row.title or row.filename!r}")
            for field, value in values.items():
                setattr(row, field, value)
            for field, value in _search_values(row).items():
                setattr(row, field, value)
            s.flush()
            return _record(row)

    def update_metadata_many(
        self,
        track_ids: Sequence[str],
        changes: Mapping[str, object],
        expected_versions: Mapping[str, str] | None = None,
    ) -> list[TrackRecord]:
        """Set the same values on many tracks (the multi-track editor): only the fields
        named in ``changes``, for every track or for none. ``expected_versions`` (track id ->
        version) refuses the whole edit if any of those tracks changed meanwhile."""
        values = _validate_changes(changes)
        ids = _unique(track_ids)
        with self._db.transaction() as s:
            rows = self._lock_tracks(s, ids)
            for row in rows:
                expected = (expected_versions or {}).get(row.id)
                check_version(row, expected, f"Track {row.title or row.filename!r}")
            if values:
                for chunk in _chunks(ids):
                    s.execute(
                        update(AudioFile).where(AudioFile.id.in_(chunk)).values(**values)
                        .execution_options(synchronize_session="evaluate")
                    )
                for row in rows:  # the rows hold the new values ("evaluate")
                    for field, value in _search_values(row).items():
                        setattr(row, field, value)
            s.flush()
            return [_record(row) for row in rows]

    # -- deleting --------------------------------------------------------------------------

    def delete_track(self, track_id: str, expected_version: str | None = None) -> DeletedTrack:
        """Delete a track and its playlist entries (the playlists stay densely numbered).
        The caller removes the stored file (``result.track.storage_path``) afterwards."""
        versions = {track_id: expected_version} if expected_version is not None else None
        return self.delete_tracks([track_id], versions)[0]

    def delete_tracks(
        self, track_ids: Sequence[str], expected_versions: Mapping[str, str] | None = None
    ) -> list[DeletedTrack]:
        """Delete several tracks: all of them, or (one unknown or changed) none."""
        ids = _unique(track_ids)
        with self._db.transaction() as s:
            rows = self._lock_tracks(s, ids)
            for row in rows:
                expected = (expected_versions or {}).get(row.id)
                check_version(row, expected, f"Track {row.title or row.filename!r}")
            records = [_record(row) for row in rows]
            found: list[tuple[str, str, str]] = []  # (track id, playlist id, playlist name)
            for chunk in _chunks(ids):
                found.extend(
                    (str(track), str(pid), str(name))
                    for track, pid, name in s.execute(
                        select(PlaylistItem.audioFileId, Playlist.id, Playlist.name)
                        .join(Playlist, Playlist.id == PlaylistItem.playlistId)
                        .where(PlaylistItem.audioFileId.in_(chunk))
                    )
                )
            playlist_ids = sorted({pid for _, pid, _ in found})
            for chunk in _chunks(playlist_ids):  # lock order: tracks, then playlists
                s.execute(select(Playlist.id).where(Playlist.id.in_(chunk)).with_for_update())
            for chunk in _chunks(ids):
                s.execute(
                    delete(PlaylistItem).where(PlaylistItem.audioFileId.in_(chunk))
                    .execution_options(synchronize_session=False)
                )
            renumber_playlists(s, playlist_ids)
            for chunk in _chunks(ids):
                s.execute(
                    delete(AudioFile).where(AudioFile.id.in_(chunk))
                    .execution_options(synchronize_session=False)
                )
            names: dict[str, set[str]] = {}
            for track, _pid, name in found:
                names.setdefault(track, set()).add(name)
            return [
                DeletedTrack(record, sorted(names.get(record.id, set()), key=str.casefold))
                for record in records
            ]

    # -- helpers ---------------------------------------------------------------------------

    @staticmethod
    def _apply_status(s: Session, row: AudioFile, client: Client, change: StatusChange) -> None:
        """Validate ``change`` completely, then apply it to the locked ``row``."""
        technical = _technical(
            duration=row.duration if change.duration is None else change.duration,
            fmt=row.format if change.format is None else change.format,
            bitrate=row.bitrate if change.bitrate is None else change.bitrate,
            sample_rate=row.sampleRate if change.sample_rate is None else change.sample_rate,
            channels=row.channels if change.channels is None else change.channels,
        )
        if change.file_size is not None:
            size = _check_size(change.file_size)
            if size > row.fileSize:
                used, _count = _usage(s, row.clientId)
                _ensure_room(client, used, size - row.fileSize,
                             f"the processed {row.filename!r}")
            row.fileSize = size
        for key, value in technical.items():
            setattr(row, key, value)
        row.status = change.status
        row.statusMessage = (
            _status_message(change.status_message) if change.status == "error" else None)

    @staticmethod
    def _hash_holders(s: Session, client_id: str, hashes: Sequence[str]) -> dict[str, TrackRecord]:
        """For each hash the station holds (in a track not in ``error``), the oldest such
        track (by id, which grows with time)."""
        holders: dict[str, TrackRecord] = {}
        for chunk in _chunks(sorted(set(hashes))):
            for row in s.scalars(
                select(AudioFile)
                .where(AudioFile.clientId == client_id, AudioFile.contentHash.in_(chunk),
                       AudioFile.status != "error")
                .order_by(AudioFile.id.desc())
            ):
                holders[row.contentHash or ""] = _record(row)
        return holders

    def _lock_tracks(self, s: Session, ids: Sequence[str]) -> list[AudioFile]:
        """The tracks with ``ids`` in that order, locked; NotFound for the first missing."""
        by_id: dict[str, AudioFile] = {}
        for chunk in _chunks(sorted(ids)):
            for row in s.scalars(
                select(AudioFile).where(AudioFile.id.in_(chunk)).order_by(AudioFile.id)
                .with_for_update()
            ):
                by_id[row.id] = row
        for track_id in ids:
            if track_id not in by_id:
                raise NotFound("Track", track_id)
        return [by_id[track_id] for track_id in ids]
