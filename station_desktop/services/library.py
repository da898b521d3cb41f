"""A station's audio library: the tracks (the seed's AudioFile) and its storage quota.

The seed's API: list (``GET /api/audio``), detail (``GET /api/audio/[id]``), metadata edit
(``PUT /api/audio/[id]``), delete (``DELETE /api/audio/[id]``) and the database half of the
upload (``POST /api/audio/upload``): the import pipeline (probe, transcode, copy) calls
:meth:`LibraryService.check_quota` before copying anything, :meth:`LibraryService.add_track`
once the file is stored (status ``processing``) and :meth:`LibraryService.set_status` when
it is done (``ready``) or gave up (``error``).

Libraries reach 100,000 tracks, so listing is one filtered, sorted, paged query; nothing
loads the whole library into memory.

Deleting a track removes its playlist entries here, explicitly, and keeps the playlists'
positions dense; it does not rely on foreign-key cascades, which a database adopted from
the platform may lack. The stored file is the caller's to remove (``track.storage_path``),
after the row is gone.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, case, delete, func, or_, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from station_desktop.db.engine import Database
from station_desktop.db.models import AudioFile, Client, Playlist, PlaylistItem, row_version
from station_desktop.errors import NotFound, QuotaExceeded, ValidationError
from station_desktop.services._common import (
    check_choice,
    check_range,
    check_version,
    clean_text,
    get_row,
    lock_row,
    required_text,
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
    )


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
_SEARCHED = (AudioFile.title, AudioFile.artist, AudioFile.album, AudioFile.genre,
             AudioFile.filename)


def _filters(client_id: str, search: str | None, status: str | None) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [AudioFile.clientId == client_id]
    if status is not None:
        check_choice(status, "status", "Status", TRACK_STATUSES)
        conditions.append(AudioFile.status == status)
    text = (search or "").strip()
    if text:
        # autoescape: %, _ and the escape character in the search are literal characters.
        conditions.append(
            or_(*[column.icontains(text, autoescape=True) for column in _SEARCHED])
        )
    return conditions


def _ordering(sort: str, descending: bool) -> list[ColumnElement[Any]]:
    raw: InstrumentedAttribute[Any]
    key: ColumnElement[Any] | InstrumentedAttribute[Any]
    if sort in _TEXT_SORTS:
        raw = _TEXT_SORTS[sort]
        key = func.lower(raw)  # the same case-insensitive order on SQLite and MariaDB
    elif sort in _NUMBER_SORTS:
        raw = key = _NUMBER_SORTS[sort]
    else:
        raise ValidationError(
            f"Cannot sort by {sort!r}; choose one of {', '.join(SORT_KEYS)}.", field="sort"
        )
    order: list[ColumnElement[Any]] = []
    if sort in _NULLABLE:  # portable NULLS LAST (MySQL has no NULLS LAST clause)
        order.append(case((raw.is_(None), 1), else_=0))
    order.append(key.desc() if descending else key.asc())
    order.append(AudioFile.id.asc())
    return order


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
    def __init__(self, db: Database) -> None:
        self._db = db

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
    ) -> TrackPage:
        """One page of the station's tracks matching ``search`` (a case-insensitive
        substring of title, artist, album, genre or file name) and ``status``, sorted by
        ``sort`` (empty values last in both directions, ties by id)."""
        conditions = _filters(client_id, search, status)
        ordering = _ordering(sort, descending)
        check_range(offset, "offset", "Offset", 0, 2**31)
        check_range(limit, "limit", "Page size", 1, MAX_PAGE)
        with self._db.read() as s:
            get_row(s, Client, client_id, "Station")
            total = int(s.scalar(select(func.count(AudioFile.id)).where(*conditions)) or 0)
            rows = s.scalars(
                select(AudioFile).where(*conditions).order_by(*ordering)
                .offset(int(offset)).limit(int(limit))
            )
            return TrackPage(total=total, tracks=[_record(row) for row in rows])

    def get_track(self, track_id: str) -> TrackRecord:
        with self._db.read() as s:
            return _record(get_row(s, AudioFile, track_id, "Track"))

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
        values: dict[str, Any] = {
            "filename": required_text(track.filename, "filename", "File name"),
            "storagePath": required_text(track.storage_path, "storage_path", "Storage path"),
            "fileSize": _check_size(track.file_size),
            "coverUrl": clean_text(track.cover_url, "cover_url", "Cover URL", required=False),
            **_technical(duration=track.duration, fmt=track.format, bitrate=track.bitrate,
                         sample_rate=track.sample_rate, channels=track.channels),
            **_validate_metadata(TrackMetadata(track.title, track.artist, track.album,
                                               track.genre, track.year)),
        }
        check_choice(track.status, "status", "Status", TRACK_STATUSES)
        with self._db.transaction() as s:
            # The station's row lock serialises concurrent imports, so two files that each
            # fit cannot together overrun the quota.
            client = lock_row(s, Client, client_id, "Station")
            used, _count = _usage(s, client_id)
            _ensure_room(client, used, values["fileSize"], repr(values["filename"]))
            row = AudioFile(clientId=client_id, status=track.status, **values)
            s.add(row)
            s.flush()
            return _record(row)

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
    ) -> TrackRecord:
        """The importer's path: move a track to ``ready`` or ``error`` (or back to
        ``processing``), recording what the probe or transcode found. No version check:
        the importer owns a track while it processes it. A larger ``file_size`` (after a
        transcode) must still fit the quota."""
        check_choice(status, "status", "Status", TRACK_STATUSES)
        with self._db.transaction() as s:
            # Track, then station: nothing locks a station and then an existing track.
            row = lock_row(s, AudioFile, track_id, "Track")
            client = lock_row(s, Client, row.clientId, "Station")
            technical = _technical(
                duration=row.duration if duration is None else duration,
                fmt=row.format if format is None else format,
                bitrate=row.bitrate if bitrate is None else bitrate,
                sample_rate=row.sampleRate if sample_rate is None else sample_rate,
                channels=row.channels if channels is None else channels,
            )
            if file_size is not None:
                size = _check_size(file_size)
                if size > row.fileSize:
                    used, _count = _usage(s, row.clientId)
                    _ensure_room(client, used, size - row.fileSize,
                                 f"the processed {row.filename!r}")
                row.fileSize = size
            for key, value in technical.items():
                setattr(row, key, value)
            row.status = status
            s.flush()
            return _record(row)

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
