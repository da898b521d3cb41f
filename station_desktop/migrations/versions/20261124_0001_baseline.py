"""Baseline: the platform's schema, as the seed document's Prisma models create it.

Revision ID: 0001
Revises:
Create Date: 2026-11-24

Column types are Prisma's MySQL mapping (VARCHAR(191), DATETIME(3), DOUBLE, TINYINT(1)),
constraint names are Prisma's (``Model_field_key/_idx/_fkey``). A database the platform
created is not migrated to this revision but adopted (``stationd db adopt``): checked
against it, then stamped. History here must never import application code.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE_OPTIONS = {
    "mysql_engine": "InnoDB",
    "mysql_charset": "utf8mb4",
    "mysql_collate": "utf8mb4_unicode_ci",
}


def _str(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.String(191), nullable=nullable)


def _int(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.Integer(), nullable=nullable)


def _bool(name: str) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.Boolean(), nullable=False)


def _float(name: str) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.Double(), nullable=False)


def _datetime(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    kind = sa.DateTime().with_variant(mysql.DATETIME(fsp=3), "mysql", "mariadb")
    return sa.Column(name, kind, nullable=nullable)


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=f"{table}_{column}_fkey",
        ondelete=ondelete, onupdate="CASCADE",
    )


def _table(name: str, *items: sa.SchemaItem) -> None:
    op.create_table(
        name, _str("id"), *items, sa.PrimaryKeyConstraint("id", name=f"{name}_pkey"),
        **TABLE_OPTIONS,
    )


def upgrade() -> None:
    _table("Client", _str("name"))
    _table(
        "StreamServer",
        _str("name"), _str("host"), _int("port"), _int("capacity"), _int("currentLoad"),
        _str("status"), _str("region", nullable=True),
    )
    _table(
        "StreamConfig",
        _str("clientId"), _str("serverId"), _str("mountpoint"), _str("bitrates"),
        _int("maxListeners"), _bool("autodjEnabled"), _float("crossfadeDuration"),
        _bool("normalizeAudio"), _float("normalizationLevel"), _str("playbackMode"),
        _bool("liveInputEnabled"), _str("liveInputPassword"), _bool("jinglesEnabled"),
        _int("jinglesFrequency"), _str("status"),
        sa.UniqueConstraint("clientId", name="StreamConfig_clientId_key"),
        sa.UniqueConstraint("mountpoint", name="StreamConfig_mountpoint_key"),
        _fk("StreamConfig", "clientId", "Client", "RESTRICT"),
        _fk("StreamConfig", "serverId", "StreamServer", "RESTRICT"),
    )
    op.create_index("StreamConfig_serverId_idx", "StreamConfig", ["serverId"])
    _table(
        "AudioFile",
        _str("clientId"), _str("filename"), _str("storagePath"), _int("fileSize"),
        _float("duration"), _str("title", True), _str("artist", True), _str("album", True),
        _str("genre", True), _int("year", True), _str("coverUrl", True), _str("format"),
        _int("bitrate"), _int("sampleRate"), _int("channels"), _str("status"),
        _fk("AudioFile", "clientId", "Client", "RESTRICT"),
    )
    op.create_index("AudioFile_clientId_idx", "AudioFile", ["clientId"])
    _table(
        "Playlist",
        _str("clientId"), _str("name"), _str("type"), _str("description", True), _bool("isMain"),
        _fk("Playlist", "clientId", "Client", "RESTRICT"),
    )
    op.create_index("Playlist_clientId_idx", "Playlist", ["clientId"])
    _table(
        "PlaylistItem",
        _str("playlistId"), _str("audioFileId"), _int("order"),
        _fk("PlaylistItem", "playlistId", "Playlist", "CASCADE"),
        _fk("PlaylistItem", "audioFileId", "AudioFile", "CASCADE"),
    )
    op.create_index("PlaylistItem_playlistId_order_idx", "PlaylistItem", ["playlistId", "order"])
    op.create_index("PlaylistItem_audioFileId_idx", "PlaylistItem", ["audioFileId"])
    _table(
        "Schedule",
        _str("clientId"), _str("playlistId"), _int("dayOfWeek"), _str("startTime"),
        _str("endTime"), _bool("isActive"),
        _fk("Schedule", "clientId", "Client", "RESTRICT"),
        _fk("Schedule", "playlistId", "Playlist", "CASCADE"),
    )
    op.create_index("Schedule_clientId_dayOfWeek_idx", "Schedule", ["clientId", "dayOfWeek"])
    op.create_index("Schedule_playlistId_idx", "Schedule", ["playlistId"])
    _table(
        "StreamStats",
        _str("clientId"), _datetime("timestamp"), _int("listeners"), _int("peakListeners"),
        _str("currentSong", True), _int("listeners64"), _int("listeners128"),
        _int("listeners320"), _str("streamStatus"), _int("uptime"),
        _fk("StreamStats", "clientId", "Client", "RESTRICT"),
    )
    op.create_index("StreamStats_clientId_timestamp_idx", "StreamStats", ["clientId", "timestamp"])
    _table(
        "LiveSession",
        _str("clientId"), _str("djName", True), _datetime("startTime"),
        _datetime("endTime", True), _int("duration", True), _int("peakListeners"),
        _int("avgListeners"),
        _fk("LiveSession", "clientId", "Client", "RESTRICT"),
    )
    op.create_index("LiveSession_clientId_startTime_idx", "LiveSession", ["clientId", "startTime"])


def downgrade() -> None:
    for table in ("LiveSession", "StreamStats", "Schedule", "PlaylistItem", "Playlist",
                  "AudioFile", "StreamConfig", "StreamServer", "Client"):
        op.drop_table(table)
