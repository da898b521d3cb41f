"""SQLAlchemy 2 typed models of the shared station database.

Table and column names are exactly the seed document's Prisma models (the table is the
model's name, columns are the camelCase field names), so that the platform that created
the database and this application can work on the same rows. Constraint names follow
Prisma's conventions too (``Model_field_key``, ``Model_field_idx``, ``Model_field_fkey``),
which keeps Alembic's comparisons quiet on an adopted database and makes SQLite batch
migrations possible (they address constraints by name).

Ours, beyond the seed (migration 0002): ``Client.timezone`` and ``Client.storageQuota``
(the seed relates every station table to a Client but does not describe it),
``StreamConfig.harborPort``/``telnetPort`` (each station's Liquidsoap needs its own ports),
and on StreamServer (0004) how to reach its Liquidsoaps and which release they run.
Migration 0005 adds what stationd records: ``Alert`` and ``PlayHistory``; 0006 the
hourly and daily roll-ups of StreamStats (``StreamStatsHourly``, ``StreamStatsDaily``);
0007 what the library import records on ``AudioFile``: ``contentHash`` and ``statusMessage``;
0009 what makes a library search fast: ``AudioFile.searchText``/``searchKey`` and, on
SQLite, the FTS5 index ``AudioFileSearch`` (:data:`SEARCH_INDEX_TABLE`); 0010 the DJs'
own live logins (``DjAccount``); 0011 the log of changed tracks, ``AudioFileChange``.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import (
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    UniqueConstraint,
    inspect,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from station_desktop.db.ids import new_id
from station_desktop.db.types import BigInt, Bool, Float, Id, Int, LongText, Str, Timestamp

NAMING_CONVENTION = {
    "ix": "%(table_name)s_%(column_0_N_name)s_idx",
    "uq": "%(table_name)s_%(column_0_N_name)s_key",
    "fk": "%(table_name)s_%(column_0_N_name)s_fkey",
    "pk": "%(table_name)s_pkey",
    "ck": "%(table_name)s_%(constraint_name)s_check",
}

# Prisma's default referential actions: a required relation restricts deletes, and ids
# cascade on update. Where the seed implies ownership (items of a playlist, blocks of a
# playlist, a file's playlist entries) the child rows go with the parent.
def restrict(target: str) -> ForeignKey:
    """A required relation: deleting the parent is refused while children exist."""
    return ForeignKey(target, ondelete="RESTRICT", onupdate="CASCADE")


def cascade(target: str) -> ForeignKey:
    """An owned relation: the children go with the parent."""
    return ForeignKey(target, ondelete="CASCADE", onupdate="CASCADE")

DEFAULT_STORAGE_QUOTA = 5 * 1024**3  # 5 GiB per station unless the admin says otherwise


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)

    def __repr__(self) -> str:
        key = inspect(self).identity
        return f"<{type(self).__name__} {key[0] if key else 'transient'}>"


def _id_column() -> Mapped[str]:
    return mapped_column(Id(), primary_key=True, default=new_id)


class Client(Base):
    """A customer station. The seed relates everything to it; its columns beyond id and
    name (time zone for the schedule, storage quota for the library) are ours."""

    __tablename__ = "Client"

    id: Mapped[str] = _id_column()
    name: Mapped[str] = mapped_column(Str())
    timezone: Mapped[str] = mapped_column(Str(), default="UTC", server_default="UTC")
    storageQuota: Mapped[int] = mapped_column(
        BigInt(), default=DEFAULT_STORAGE_QUOTA, server_default=str(DEFAULT_STORAGE_QUOTA)
    )

    config: Mapped[StreamConfig | None] = relationship(back_populates="client", uselist=False)


class StreamServer(Base):
    """A VPS running Icecast + Liquidsoap."""

    __tablename__ = "StreamServer"

    id: Mapped[str] = _id_column()
    name: Mapped[str] = mapped_column(Str())
    host: Mapped[str] = mapped_column(Str())
    port: Mapped[int] = mapped_column(Int(), default=8000)
    capacity: Mapped[int] = mapped_column(Int())
    currentLoad: Mapped[int] = mapped_column(Int(), default=0)
    status: Mapped[str] = mapped_column(Str(), default="online")
    region: Mapped[str | None] = mapped_column(Str(), nullable=True)
    # Ours (migration 0004): reaching the server's Liquidsoaps, and their release.
    liquidsoapVersion: Mapped[str | None] = mapped_column(Str(), nullable=True)
    sshUser: Mapped[str | None] = mapped_column(Str(), nullable=True)
    sshPort: Mapped[int | None] = mapped_column(Int(), nullable=True)
    icecastAdminUser: Mapped[str | None] = mapped_column(Str(), nullable=True)

    configs: Mapped[list[StreamConfig]] = relationship(back_populates="server")


class StreamConfig(Base):
    """Streaming configuration of one station (1:1 with Client)."""

    __tablename__ = "StreamConfig"
    __table_args__ = (
        UniqueConstraint("serverId", "harborPort"),
        UniqueConstraint("serverId", "telnetPort"),
    )

    id: Mapped[str] = _id_column()
    clientId: Mapped[str] = mapped_column(Id(), restrict("Client.id"), unique=True)
    serverId: Mapped[str] = mapped_column(
        Id(), restrict("StreamServer.id"), index=True
    )
    mountpoint: Mapped[str] = mapped_column(Str(), unique=True)
    bitrates: Mapped[str] = mapped_column(Str())  # JSON list of strings: ["64","128","320"]
    maxListeners: Mapped[int] = mapped_column(Int())
    autodjEnabled: Mapped[bool] = mapped_column(Bool())
    crossfadeDuration: Mapped[float] = mapped_column(Float())
    normalizeAudio: Mapped[bool] = mapped_column(Bool())
    normalizationLevel: Mapped[float] = mapped_column(Float())
    playbackMode: Mapped[str] = mapped_column(Str())
    liveInputEnabled: Mapped[bool] = mapped_column(Bool())
    liveInputPassword: Mapped[str] = mapped_column(Str())
    jinglesEnabled: Mapped[bool] = mapped_column(Bool())
    jinglesFrequency: Mapped[int] = mapped_column(Int())
    status: Mapped[str] = mapped_column(Str())
    # Ours (migration 0002): each station's Liquidsoap listens on its own ports.
    harborPort: Mapped[int | None] = mapped_column(Int(), nullable=True)
    telnetPort: Mapped[int | None] = mapped_column(Int(), nullable=True)

    client: Mapped[Client] = relationship(back_populates="config")
    server: Mapped[StreamServer] = relationship(back_populates="configs")


# Migration 0009, SQLite only: the FTS5 (trigram) index of AudioFile's searched columns and
# its shadow tables, all named with this prefix; not a model (schema comparisons skip it).
SEARCH_INDEX_TABLE = "AudioFileSearch"
# Migration 0009, MariaDB only (when the account may create it): empties AudioFile's
# search columns when an UPDATE changes a searched column but not searchKey.
SEARCH_STALE_TRIGGER = "AudioFile_search_stale"


class AudioFile(Base):
    """A track in a station's library.

    Ours (migration 0007): ``contentHash`` is the hex SHA-256 of the file as it was imported
    (before any transcode), indexed with the station so a second import of the same content
    is found as a duplicate; ``statusMessage`` says why a track is in ``error``."""

    __tablename__ = "AudioFile"
    __table_args__ = (
        Index(None, "clientId", "contentHash"),
        # Migration 0008: the library view's sort columns (COLLATE NOCASE for text on SQLite).
        *(Index(None, "clientId", column, "id") for column in (
            "title", "artist", "album", "genre", "format", "status", "year", "duration",
            "bitrate")),
    )

    id: Mapped[str] = _id_column()
    clientId: Mapped[str] = mapped_column(Id(), restrict("Client.id"), index=True)
    filename: Mapped[str] = mapped_column(Str())
    storagePath: Mapped[str] = mapped_column(Str())
    fileSize: Mapped[int] = mapped_column(Int())
    duration: Mapped[float] = mapped_column(Float())
    title: Mapped[str | None] = mapped_column(Str(), nullable=True)
    artist: Mapped[str | None] = mapped_column(Str(), nullable=True)
    album: Mapped[str | None] = mapped_column(Str(), nullable=True)
    genre: Mapped[str | None] = mapped_column(Str(), nullable=True)
    year: Mapped[int | None] = mapped_column(Int(), nullable=True)
    coverUrl: Mapped[str | None] = mapped_column(Str(), nullable=True)
    format: Mapped[str] = mapped_column(Str())
    bitrate: Mapped[int] = mapped_column(Int())
    sampleRate: Mapped[int] = mapped_column(Int())
    channels: Mapped[int] = mapped_column(Int())
    status: Mapped[str] = mapped_column(Str())
    contentHash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    statusMessage: Mapped[str | None] = mapped_column(LongText(), nullable=True)
    # Ours (migration 0009): the searched columns joined (searchKey, UTF-8) and folded
    # (searchText); written by services/library._search_values, NULL or stale on rows the
    # platform wrote (the search then falls back to the columns).
    searchText: Mapped[bytes | None] = mapped_column(LargeBinary(), nullable=True)
    searchKey: Mapped[bytes | None] = mapped_column(LargeBinary(), nullable=True)


class Playlist(Base):
    __tablename__ = "Playlist"

    id: Mapped[str] = _id_column()
    clientId: Mapped[str] = mapped_column(Id(), restrict("Client.id"), index=True)
    name: Mapped[str] = mapped_column(Str())
    type: Mapped[str] = mapped_column(Str())
    description: Mapped[str | None] = mapped_column(Str(), nullable=True)
    isMain: Mapped[bool] = mapped_column(Bool())

    items: Mapped[list[PlaylistItem]] = relationship(
        back_populates="playlist", order_by="PlaylistItem.order", passive_deletes=True
    )


class PlaylistItem(Base):
    """Many-to-many between Playlist and AudioFile, with the position in the playlist."""

    __tablename__ = "PlaylistItem"
    __table_args__ = (Index(None, "playlistId", "order"),)

    id: Mapped[str] = _id_column()
    playlistId: Mapped[str] = mapped_column(Id(), cascade("Playlist.id"))
    audioFileId: Mapped[str] = mapped_column(
        Id(), cascade("AudioFile.id"), index=True
    )
    order: Mapped[int] = mapped_column(Int())

    playlist: Mapped[Playlist] = relationship(back_populates="items")
    audioFile: Mapped[AudioFile] = relationship()


class Schedule(Base):
    """A weekly block: play ``playlistId`` on ``dayOfWeek`` (0 = Sunday) from ``startTime``
    to ``endTime`` ("HH:MM", station time zone; an end before the start crosses midnight)."""

    __tablename__ = "Schedule"
    __table_args__ = (Index(None, "clientId", "dayOfWeek"),)

    id: Mapped[str] = _id_column()
    clientId: Mapped[str] = mapped_column(Id(), restrict("Client.id"))
    playlistId: Mapped[str] = mapped_column(
        Id(), cascade("Playlist.id"), index=True
    )
    dayOfWeek: Mapped[int] = mapped_column(Int())
    startTime: Mapped[str] = mapped_column(Str())
    endTime: Mapped[str] = mapped_column(Str())
    isActive: Mapped[bool] = mapped_column(Bool())


class StreamStats(Base):
    """One audience sample of one station (the daemon writes one every few minutes)."""

    __tablename__ = "StreamStats"
    __table_args__ = (Index(None, "clientId", "timestamp"),)

    id: Mapped[str] = _id_column()
    clientId: Mapped[str] = mapped_column(Id(), restrict("Client.id"))
    timestamp: Mapped[dt.datetime] = mapped_column(Timestamp())
    listeners: Mapped[int] = mapped_column(Int())
    peakListeners: Mapped[int] = mapped_column(Int())
    currentSong: Mapped[str | None] = mapped_column(Str(), nullable=True)
    listeners64: Mapped[int] = mapped_column(Int())
    listeners128: Mapped[int] = mapped_column(Int())
    listeners320: Mapped[int] = mapped_column(Int())
    streamStatus: Mapped[str] = mapped_column(Str())
    uptime: Mapped[int] = mapped_column(Int())


class LiveSession(Base):
    """A DJ's live broadcast."""

    __tablename__ = "LiveSession"
    __table_args__ = (Index(None, "clientId", "startTime"),)

    id: Mapped[str] = _id_column()
    clientId: Mapped[str] = mapped_column(Id(), restrict("Client.id"))
    djName: Mapped[str | None] = mapped_column(Str(), nullable=True)
    startTime: Mapped[dt.datetime] = mapped_column(Timestamp())
    endTime: Mapped[dt.datetime | None] = mapped_column(Timestamp(), nullable=True)
    duration: Mapped[int | None] = mapped_column(Int(), nullable=True)
    peakListeners: Mapped[int] = mapped_column(Int())
    avgListeners: Mapped[int] = mapped_column(Int())


class DjAccount(Base):
    """A DJ's own live login of a station (ours, migration 0010). ``passwordHash`` is the
    salted scrypt hash as JSON, in programme.json's format; the password is never stored."""

    __tablename__ = "DjAccount"
    __table_args__ = (UniqueConstraint("clientId", "username"),)

    id: Mapped[str] = _id_column()
    clientId: Mapped[str] = mapped_column(Id(), cascade("Client.id"))
    name: Mapped[str] = mapped_column(Str())
    username: Mapped[str] = mapped_column(Str())
    passwordHash: Mapped[str] = mapped_column(Str())
    isActive: Mapped[bool] = mapped_column(Bool())
    createdAt: Mapped[dt.datetime] = mapped_column(Timestamp())
    updatedAt: Mapped[dt.datetime] = mapped_column(Timestamp())


class AudioFileChange(Base):
    """Which track changed (ours, migration 0011): written by triggers on ``AudioFile``
    (insert, delete, an edit of a searched column) whoever writes, read by the app to keep
    its in-memory search text in step (``services/library_text.py``). No foreign keys: the
    entry of a deleted track is what tells the app to forget it."""

    __tablename__ = "AudioFileChange"
    __table_args__ = (Index(None, "clientId", "seq"), {"sqlite_autoincrement": True})

    seq: Mapped[int] = mapped_column(
        BigInt().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True)
    clientId: Mapped[str] = mapped_column(Id())
    audioFileId: Mapped[str] = mapped_column(Id())
    at: Mapped[dt.datetime] = mapped_column(Timestamp())  # set by the triggers


class Alert(Base):
    """A problem stationd noticed (ours, migration 0005). Open while ``clearedAt`` is NULL;
    there is at most one open alert per (server, station, kind): a repeated failure touches
    it (``lastSeenAt``, ``failures``). Both relations are optional: a server-wide alert has
    no station, a station alert names its server too when known."""

    __tablename__ = "Alert"
    __table_args__ = (Index(None, "clearedAt", "serverId"),)

    id: Mapped[str] = _id_column()
    serverId: Mapped[str | None] = mapped_column(
        Id(), cascade("StreamServer.id"), nullable=True, index=True
    )
    clientId: Mapped[str | None] = mapped_column(
        Id(), cascade("Client.id"), nullable=True, index=True
    )
    kind: Mapped[str] = mapped_column(Str())  # icecast_unreachable, mount_down, ...
    severity: Mapped[str] = mapped_column(Str())  # warning | critical
    message: Mapped[str] = mapped_column(LongText())
    raisedAt: Mapped[dt.datetime] = mapped_column(Timestamp())
    lastSeenAt: Mapped[dt.datetime] = mapped_column(Timestamp())
    clearedAt: Mapped[dt.datetime | None] = mapped_column(Timestamp(), nullable=True)
    acknowledgedAt: Mapped[dt.datetime | None] = mapped_column(Timestamp(), nullable=True)
    acknowledgedBy: Mapped[str | None] = mapped_column(Str(), nullable=True)
    failures: Mapped[int] = mapped_column(Int())


class PlayHistory(Base):
    """One track that went on air (ours, migration 0005), from Liquidsoap's track events.

    ``audioFileId``/``playlistId`` have no foreign key on purpose: tracks and playlists get
    deleted, their history stays (with the title and artist it had)."""

    __tablename__ = "PlayHistory"
    __table_args__ = (Index(None, "clientId", "startedAt"),)

    id: Mapped[str] = _id_column()
    clientId: Mapped[str] = mapped_column(Id(), cascade("Client.id"))
    audioFileId: Mapped[str | None] = mapped_column(Id(), nullable=True)
    playlistId: Mapped[str | None] = mapped_column(Id(), nullable=True)
    title: Mapped[str | None] = mapped_column(Str(), nullable=True)
    artist: Mapped[str | None] = mapped_column(Str(), nullable=True)
    kind: Mapped[str] = mapped_column(Str())  # music | live | unknown
    startedAt: Mapped[dt.datetime] = mapped_column(Timestamp())
    endedAt: Mapped[dt.datetime | None] = mapped_column(Timestamp(), nullable=True)
    listenersAtStart: Mapped[int] = mapped_column(Int())


class _StatsRollup:
    """Columns shared by the hourly and daily roll-ups of StreamStats (ours, migration
    0006): the aggregates of one station's samples in ``[bucketStart, bucketStart + 1 h)``
    (or one UTC day). Sums rather than averages, so averages stay exact; ``samples`` = 0 is
    possible (an hour only covered online by the previous hour's last sample)."""

    id: Mapped[str] = _id_column()
    clientId: Mapped[str] = mapped_column(Id(), cascade("Client.id"))
    bucketStart: Mapped[dt.datetime] = mapped_column(Timestamp(), index=True)
    samples: Mapped[int] = mapped_column(Int())
    listenersSum: Mapped[int] = mapped_column(BigInt())
    maxListeners: Mapped[int] = mapped_column(Int())
    peakListeners: Mapped[int] = mapped_column(Int())
    listeners64Sum: Mapped[int] = mapped_column(BigInt())
    listeners128Sum: Mapped[int] = mapped_column(BigInt())
    listeners320Sum: Mapped[int] = mapped_column(BigInt())
    minutesOnline: Mapped[float] = mapped_column(Float())


class StreamStatsHourly(_StatsRollup, Base):
    """One station's samples of one UTC hour, rolled up (services/rollups.py)."""

    __tablename__ = "StreamStatsHourly"
    __table_args__ = (UniqueConstraint("clientId", "bucketStart"),)


class StreamStatsDaily(_StatsRollup, Base):
    """One station's samples of one UTC day, rolled up from the hourly rows."""

    __tablename__ = "StreamStatsDaily"
    __table_args__ = (UniqueConstraint("clientId", "bucketStart"),)


# The tables the seed defines (and the platform may have created), in dependency order.
SEED_TABLES: tuple[str, ...] = (
    "Client",
    "StreamServer",
    "StreamConfig",
    "AudioFile",
    "Playlist",
    "PlaylistItem",
    "Schedule",
    "StreamStats",
    "LiveSession",
)

__all__ = [
    "SEED_TABLES",
    "Alert",
    "AudioFile",
    "Base",
    "Client",
    "LiveSession",
    "PlayHistory",
    "Playlist",
    "PlaylistItem",
    "Schedule",
    "StreamConfig",
    "StreamServer",
    "StreamStats",
    "StreamStatsDaily",
    "StreamStatsHourly",
    "row_version",
]


# Derived from other columns (and emptied by a trigger behind the session's back on
# MariaDB): not part of what a version protects.
_UNVERSIONED = frozenset({"searchText", "searchKey"})


def row_version(row: Base) -> str:
    """A short fingerprint of a row's stored values: the optimistic-concurrency token.

    A service hands it out with every record it returns and refuses an update whose token
    no longer matches the row. It needs no extra column, so it also notices edits made by
    the platform, which knows nothing of our bookkeeping.
    """
    mapper = inspect(type(row))
    digest = hashlib.blake2b(digest_size=8)
    for column in mapper.columns:
        if column.key in _UNVERSIONED:
            continue
        value = getattr(row, column.key)
        if isinstance(value, float):
            value = repr(round(value, 9))
        digest.update(repr(value).encode())
        digest.update(b"\x1f")
    return digest.hexdigest()
