"""The platform's database as Prisma creates it: DDL and rows for the adoption tests.

``MYSQL_MIGRATION`` is the ``migration.sql`` that ``prisma migrate dev`` writes for the seed
document's models on MySQL (Prisma 4/5 output style): backtick-quoted names,
``VARCHAR(191)`` strings, ``DATETIME(3)``, ``DOUBLE``, ``BOOLEAN``, ``INTEGER``, a blank line
before the keys, unique indexes declared inside ``CREATE TABLE`` (``UNIQUE INDEX
`X_key`(`col`)``; Prisma only emits a separate ``CREATE UNIQUE INDEX ... ON`` when it adds a
unique to an existing table, as in ``MYSQL_LATER_MIGRATION``), and foreign keys added at
the end with ``ALTER TABLE ... ADD CONSTRAINT `X_fkey` ... ON DELETE RESTRICT ON UPDATE
CASCADE`` (Prisma's default for a required relation). Typical platform extras are there
too: ``createdAt``/``updatedAt`` on some tables (``updatedAt`` has no default, Prisma's
client fills it in), a Client with more columns than ours, and ``_prisma_migrations``.

The seed gives ``StreamConfig.clientId`` ``@unique`` but not ``mountpoint``, so the
platform's database has no unique index on the mountpoint.

``SQLITE_MIGRATION`` is the same schema the way Prisma writes it for SQLite (double quotes,
``TEXT``/``REAL``/``DATETIME``, foreign keys inline, unique indexes as separate
statements). Note that Prisma's own SQLite client stores ``DateTime`` as epoch milliseconds;
the rows here are written in the text form Station Desktop reads, since a SQLite database
shared with Prisma is not a supported setup: the SQLite variant only exercises adoption
on the second backend.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sqlalchemy import Connection, create_engine, inspect, text

from station_desktop.db.engine import normalize_url

PRISMA_MIGRATIONS_MYSQL = """\
CREATE TABLE `_prisma_migrations` (
    `id` VARCHAR(36) NOT NULL,
    `checksum` VARCHAR(64) NOT NULL,
    `finished_at` DATETIME(3) NULL,
    `migration_name` VARCHAR(255) NOT NULL,
    `logs` TEXT NULL,
    `rolled_back_at` DATETIME(3) NULL,
    `started_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `applied_steps_count` INTEGER UNSIGNED NOT NULL DEFAULT 0,

    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"""

PRISMA_MIGRATIONS_SQLITE = """\
CREATE TABLE "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)"""

MYSQL_MIGRATION: tuple[str, ...] = (
    # -- CreateTable
    """\
CREATE TABLE `Client` (
    `id` VARCHAR(191) NOT NULL,
    `name` VARCHAR(191) NOT NULL,
    `email` VARCHAR(191) NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updatedAt` DATETIME(3) NOT NULL,

    UNIQUE INDEX `Client_email_key`(`email`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci""",
    # -- CreateTable
    """\
CREATE TABLE `StreamServer` (
    `id` VARCHAR(191) NOT NULL,
    `name` VARCHAR(191) NOT NULL,
    `host` VARCHAR(191) NOT NULL,
    `port` INTEGER NOT NULL DEFAULT 8000,
    `capacity` INTEGER NOT NULL,
    `currentLoad` INTEGER NOT NULL DEFAULT 0,
    `status` VARCHAR(191) NOT NULL DEFAULT 'online',
    `region` VARCHAR(191) NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updatedAt` DATETIME(3) NOT NULL,

    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci""",
    # -- CreateTable
    """\
CREATE TABLE `StreamConfig` (
    `id` VARCHAR(191) NOT NULL,
    `clientId` VARCHAR(191) NOT NULL,
    `serverId` VARCHAR(191) NOT NULL,
    `mountpoint` VARCHAR(191) NOT NULL,
    `bitrates` VARCHAR(191) NOT NULL,
    `maxListeners` INTEGER NOT NULL DEFAULT 100,
    `autodjEnabled` BOOLEAN NOT NULL DEFAULT true,
    `crossfadeDuration` DOUBLE NOT NULL DEFAULT 3,
    `normalizeAudio` BOOLEAN NOT NULL DEFAULT true,
    `normalizationLevel` DOUBLE NOT NULL DEFAULT -14,
    `playbackMode` VARCHAR(191) NOT NULL DEFAULT 'random',
    `liveInputEnabled` BOOLEAN NOT NULL DEFAULT true,
    `liveInputPassword` VARCHAR(191) NOT NULL,
    `jinglesEnabled` BOOLEAN NOT NULL DEFAULT false,
    `jinglesFrequency` INTEGER NOT NULL DEFAULT 5,
    `status` VARCHAR(191) NOT NULL DEFAULT 'inactive',
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updatedAt` DATETIME(3) NOT NULL,

    UNIQUE INDEX `StreamConfig_clientId_key`(`clientId`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci""",
    # -- CreateTable
    """\
CREATE TABLE `AudioFile` (
    `id` VARCHAR(191) NOT NULL,
    `clientId` VARCHAR(191) NOT NULL,
    `filename` VARCHAR(191) NOT NULL,
    `storagePath` VARCHAR(191) NOT NULL,
    `fileSize` INTEGER NOT NULL,
    `duration` DOUBLE NOT NULL,
    `title` VARCHAR(191) NULL,
    `artist` VARCHAR(191) NULL,
    `album` VARCHAR(191) NULL,
    `genre` VARCHAR(191) NULL,
    `year` INTEGER NULL,
    `coverUrl` VARCHAR(191) NULL,
    `format` VARCHAR(191) NOT NULL,
    `bitrate` INTEGER NOT NULL,
    `sampleRate` INTEGER NOT NULL,
    `channels` INTEGER NOT NULL,
    `status` VARCHAR(191) NOT NULL DEFAULT 'processing',
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci""",
    # -- CreateTable
    """\
CREATE TABLE `Playlist` (
    `id` VARCHAR(191) NOT NULL,
    `clientId` VARCHAR(191) NOT NULL,
    `name` VARCHAR(191) NOT NULL,
    `type` VARCHAR(191) NOT NULL DEFAULT 'rotation',
    `description` VARCHAR(191) NULL,
    `isMain` BOOLEAN NOT NULL DEFAULT false,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updatedAt` DATETIME(3) NOT NULL,

    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci""",
    # -- CreateTable
    """\
CREATE TABLE `PlaylistItem` (
    `id` VARCHAR(191) NOT NULL,
    `playlistId` VARCHAR(191) NOT NULL,
    `audioFileId` VARCHAR(191) NOT NULL,
    `order` INTEGER NOT NULL,

    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci""",
    # -- CreateTable
    """\
CREATE TABLE `Schedule` (
    `id` VARCHAR(191) NOT NULL,
    `clientId` VARCHAR(191) NOT NULL,
    `playlistId` VARCHAR(191) NOT NULL,
    `dayOfWeek` INTEGER NOT NULL,
    `startTime` VARCHAR(191) NOT NULL,
    `endTime` VARCHAR(191) NOT NULL,
    `isActive` BOOLEAN NOT NULL DEFAULT true,

    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci""",
    # -- CreateTable
    """\
CREATE TABLE `StreamStats` (
    `id` VARCHAR(191) NOT NULL,
    `clientId` VARCHAR(191) NOT NULL,
    `timestamp` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `listeners` INTEGER NOT NULL,
    `peakListeners` INTEGER NOT NULL,
    `currentSong` VARCHAR(191) NULL,
    `listeners64` INTEGER NOT NULL DEFAULT 0,
    `listeners128` INTEGER NOT NULL DEFAULT 0,
    `listeners320` INTEGER NOT NULL DEFAULT 0,
    `streamStatus` VARCHAR(191) NOT NULL,
    `uptime` INTEGER NOT NULL,

    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci""",
    # -- CreateTable
    """\
CREATE TABLE `LiveSession` (
    `id` VARCHAR(191) NOT NULL,
    `clientId` VARCHAR(191) NOT NULL,
    `djName` VARCHAR(191) NULL,
    `startTime` DATETIME(3) NOT NULL,
    `endTime` DATETIME(3) NULL,
    `duration` INTEGER NULL,
    `peakListeners` INTEGER NOT NULL DEFAULT 0,
    `avgListeners` INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci""",
    # -- AddForeignKey
    "ALTER TABLE `StreamConfig` ADD CONSTRAINT `StreamConfig_clientId_fkey` FOREIGN KEY "
    "(`clientId`) REFERENCES `Client`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE",
    "ALTER TABLE `StreamConfig` ADD CONSTRAINT `StreamConfig_serverId_fkey` FOREIGN KEY "
    "(`serverId`) REFERENCES `StreamServer`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE",
    "ALTER TABLE `AudioFile` ADD CONSTRAINT `AudioFile_clientId_fkey` FOREIGN KEY "
    "(`clientId`) REFERENCES `Client`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE",
    "ALTER TABLE `Playlist` ADD CONSTRAINT `Playlist_clientId_fkey` FOREIGN KEY "
    "(`clientId`) REFERENCES `Client`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE",
    "ALTER TABLE `PlaylistItem` ADD CONSTRAINT `PlaylistItem_playlistId_fkey` FOREIGN KEY "
    "(`playlistId`) REFERENCES `Playlist`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE",
    "ALTER TABLE `PlaylistItem` ADD CONSTRAINT `PlaylistItem_audioFileId_fkey` FOREIGN KEY "
    "(`audioFileId`) REFERENCES `AudioFile`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE",
    "ALTER TABLE `Schedule` ADD CONSTRAINT `Schedule_clientId_fkey` FOREIGN KEY "
    "(`clientId`) REFERENCES `Client`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE",
    "ALTER TABLE `Schedule` ADD CONSTRAINT `Schedule_playlistId_fkey` FOREIGN KEY "
    "(`playlistId`) REFERENCES `Playlist`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE",
    "ALTER TABLE `StreamStats` ADD CONSTRAINT `StreamStats_clientId_fkey` FOREIGN KEY "
    "(`clientId`) REFERENCES `Client`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE",
    "ALTER TABLE `LiveSession` ADD CONSTRAINT `LiveSession_clientId_fkey` FOREIGN KEY "
    "(`clientId`) REFERENCES `Client`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE",
)

# A later platform migration, as Prisma writes an index added to an existing table.
MYSQL_LATER_MIGRATION: tuple[str, ...] = (
    "CREATE INDEX `StreamStats_clientId_timestamp_idx` ON `StreamStats`(`clientId`, `timestamp`)",
)

_SQLITE_FK = 'CONSTRAINT "{table}_{column}_fkey" FOREIGN KEY ("{column}") REFERENCES "{target}" ("id") ON DELETE RESTRICT ON UPDATE CASCADE'  # noqa: E501

SQLITE_MIGRATION: tuple[str, ...] = (
    """\
CREATE TABLE "Client" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "email" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
)""",
    """\
CREATE TABLE "StreamServer" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "port" INTEGER NOT NULL DEFAULT 8000,
    "capacity" INTEGER NOT NULL,
    "currentLoad" INTEGER NOT NULL DEFAULT 0,
    "status" TEXT NOT NULL DEFAULT 'online',
    "region" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
)""",
    """\
CREATE TABLE "StreamConfig" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "clientId" TEXT NOT NULL,
    "serverId" TEXT NOT NULL,
    "mountpoint" TEXT NOT NULL,
    "bitrates" TEXT NOT NULL,
    "maxListeners" INTEGER NOT NULL DEFAULT 100,
    "autodjEnabled" BOOLEAN NOT NULL DEFAULT true,
    "crossfadeDuration" REAL NOT NULL DEFAULT 3,
    "normalizeAudio" BOOLEAN NOT NULL DEFAULT true,
    "normalizationLevel" REAL NOT NULL DEFAULT -14,
    "playbackMode" TEXT NOT NULL DEFAULT 'random',
    "liveInputEnabled" BOOLEAN NOT NULL DEFAULT true,
    "liveInputPassword" TEXT NOT NULL,
    "jinglesEnabled" BOOLEAN NOT NULL DEFAULT false,
    "jinglesFrequency" INTEGER NOT NULL DEFAULT 5,
    "status" TEXT NOT NULL DEFAULT 'inactive',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "StreamConfig_clientId_fkey" FOREIGN KEY ("clientId") REFERENCES "Client" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "StreamConfig_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "StreamServer" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
)""",  # noqa: E501
    """\
CREATE TABLE "AudioFile" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "clientId" TEXT NOT NULL,
    "filename" TEXT NOT NULL,
    "storagePath" TEXT NOT NULL,
    "fileSize" INTEGER NOT NULL,
    "duration" REAL NOT NULL,
    "title" TEXT,
    "artist" TEXT,
    "album" TEXT,
    "genre" TEXT,
    "year" INTEGER,
    "coverUrl" TEXT,
    "format" TEXT NOT NULL,
    "bitrate" INTEGER NOT NULL,
    "sampleRate" INTEGER NOT NULL,
    "channels" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'processing',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "AudioFile_clientId_fkey" FOREIGN KEY ("clientId") REFERENCES "Client" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
)""",  # noqa: E501
    """\
CREATE TABLE "Playlist" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "clientId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL DEFAULT 'rotation',
    "description" TEXT,
    "isMain" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Playlist_clientId_fkey" FOREIGN KEY ("clientId") REFERENCES "Client" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
)""",  # noqa: E501
    """\
CREATE TABLE "PlaylistItem" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "playlistId" TEXT NOT NULL,
    "audioFileId" TEXT NOT NULL,
    "order" INTEGER NOT NULL,
    CONSTRAINT "PlaylistItem_playlistId_fkey" FOREIGN KEY ("playlistId") REFERENCES "Playlist" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "PlaylistItem_audioFileId_fkey" FOREIGN KEY ("audioFileId") REFERENCES "AudioFile" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
)""",  # noqa: E501
    """\
CREATE TABLE "Schedule" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "clientId" TEXT NOT NULL,
    "playlistId" TEXT NOT NULL,
    "dayOfWeek" INTEGER NOT NULL,
    "startTime" TEXT NOT NULL,
    "endTime" TEXT NOT NULL,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    CONSTRAINT "Schedule_clientId_fkey" FOREIGN KEY ("clientId") REFERENCES "Client" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Schedule_playlistId_fkey" FOREIGN KEY ("playlistId") REFERENCES "Playlist" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
)""",  # noqa: E501
    """\
CREATE TABLE "StreamStats" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "clientId" TEXT NOT NULL,
    "timestamp" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "listeners" INTEGER NOT NULL,
    "peakListeners" INTEGER NOT NULL,
    "currentSong" TEXT,
    "listeners64" INTEGER NOT NULL DEFAULT 0,
    "listeners128" INTEGER NOT NULL DEFAULT 0,
    "listeners320" INTEGER NOT NULL DEFAULT 0,
    "streamStatus" TEXT NOT NULL,
    "uptime" INTEGER NOT NULL,
    CONSTRAINT "StreamStats_clientId_fkey" FOREIGN KEY ("clientId") REFERENCES "Client" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
)""",  # noqa: E501
    """\
CREATE TABLE "LiveSession" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "clientId" TEXT NOT NULL,
    "djName" TEXT,
    "startTime" DATETIME NOT NULL,
    "endTime" DATETIME,
    "duration" INTEGER,
    "peakListeners" INTEGER NOT NULL DEFAULT 0,
    "avgListeners" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "LiveSession_clientId_fkey" FOREIGN KEY ("clientId") REFERENCES "Client" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
)""",  # noqa: E501
    'CREATE UNIQUE INDEX "StreamConfig_clientId_key" ON "StreamConfig"("clientId")',
)

SQLITE_LATER_MIGRATION: tuple[str, ...] = (
    'CREATE INDEX "StreamStats_clientId_timestamp_idx" ON "StreamStats"("clientId", "timestamp")',
)

_CLIENT_FK_LINE = re.compile(
    r',\n    CONSTRAINT "\w+" FOREIGN KEY \("\w+"\) REFERENCES "Client" [^\n]*?(?=,\n|\n)'
)


def _without_client(statements: tuple[str, ...]) -> list[str]:
    """The platform variant whose schema has no Client table: ``clientId`` is a plain string
    (no table, no foreign keys to it)."""
    kept = []
    for statement in statements:
        if re.match(r'CREATE TABLE [`"]Client[`"]', statement):
            continue
        if "REFERENCES `Client`" in statement:  # MySQL: a separate ALTER TABLE
            continue
        kept.append(_CLIENT_FK_LINE.sub("", statement))  # SQLite: inline constraint lines
    return kept


def platform_ddl(backend: str, *, with_client: bool = True) -> list[str]:
    """Every statement Prisma runs to create the platform's database on ``backend``."""
    if backend == "sqlite":
        migration, later = SQLITE_MIGRATION, SQLITE_LATER_MIGRATION
        bookkeeping = PRISMA_MIGRATIONS_SQLITE
    else:
        migration, later = MYSQL_MIGRATION, MYSQL_LATER_MIGRATION
        bookkeeping = PRISMA_MIGRATIONS_MYSQL
    statements = [*migration, *later] if with_client else _without_client((*migration, *later))
    return [bookkeeping, *statements]


# Rows the platform would hold. Ids look like Prisma's cuid()s; names and tags are not ASCII.
NOW = "2024-05-01 12:00:00.123"
CLIENT_IDS = ("clv1a2b3c0000sur0000000001", "clv1a2b3c0000nrt0000000002")
# A station whose Client row the platform never made (only its library exists).
ORPHAN_CLIENT_ID = "clv1a2b3c0000orf0000000003"

ROWS: dict[str, list[dict[str, Any]]] = {
    "Client": [
        {"id": CLIENT_IDS[0], "name": "Radio Ñandú 'Sur'", "email": "sur@example.com",
         "updatedAt": NOW},
        {"id": CLIENT_IDS[1], "name": 'Onda "Norte"', "email": None, "updatedAt": NOW},
    ],
    "StreamServer": [
        {"id": "srv1", "name": "vps-1", "host": "203.0.113.10", "port": 8000, "capacity": 50,
         "currentLoad": 2, "status": "online", "region": None, "updatedAt": NOW},
    ],
    "StreamConfig": [
        {"id": "cfg1", "clientId": CLIENT_IDS[0], "serverId": "srv1", "mountpoint": "/sur",
         "bitrates": '["64","128","320"]', "maxListeners": 100, "autodjEnabled": True,
         "crossfadeDuration": 3.5, "normalizeAudio": True, "normalizationLevel": -14.0,
         "playbackMode": "random", "liveInputEnabled": True, "liveInputPassword": "hunter2",
         "jinglesEnabled": False, "jinglesFrequency": 5, "status": "active", "updatedAt": NOW},
        {"id": "cfg2", "clientId": CLIENT_IDS[1], "serverId": "srv1", "mountpoint": "/norte",
         "bitrates": '["128"]', "maxListeners": 20, "autodjEnabled": False,
         "crossfadeDuration": 0.0, "normalizeAudio": False, "normalizationLevel": -16.5,
         "playbackMode": "sequential", "liveInputEnabled": False, "liveInputPassword": "x",
         "jinglesEnabled": True, "jinglesFrequency": 3, "status": "inactive", "updatedAt": NOW},
    ],
    "AudioFile": [
        {"id": "af1", "clientId": CLIENT_IDS[0], "filename": "canción.mp3",
         "storagePath": f"/audio/{CLIENT_IDS[0]}/canción.mp3", "fileSize": 5_123_456,
         "duration": 215.5, "title": "Canción de cuna", "artist": "Mañana", "album": None,
         "genre": "Folk", "year": 1999, "coverUrl": None, "format": "mp3", "bitrate": 320,
         "sampleRate": 44100, "channels": 2, "status": "ready"},
        {"id": "af2", "clientId": CLIENT_IDS[0], "filename": "jingle.ogg",
         "storagePath": f"/audio/{CLIENT_IDS[0]}/jingle.ogg", "fileSize": 80_000,
         "duration": 4.25, "title": None, "artist": None, "album": None, "genre": None,
         "year": None, "coverUrl": None, "format": "ogg", "bitrate": 128,
         "sampleRate": 48000, "channels": 1, "status": "ready"},
        {"id": "af3", "clientId": CLIENT_IDS[1], "filename": "norte.aac",
         "storagePath": f"/audio/{CLIENT_IDS[1]}/norte.aac", "fileSize": 3_000_000,
         "duration": 180.0, "title": "Norte", "artist": "Zoë", "album": "Ártico",
         "genre": None, "year": 2021, "coverUrl": "https://example.com/c.jpg", "format": "aac",
         "bitrate": 128, "sampleRate": 44100, "channels": 2, "status": "processing"},
    ],
    "Playlist": [
        {"id": "pl1", "clientId": CLIENT_IDS[0], "name": "Rotación principal", "type": "rotation",
         "description": None, "isMain": True, "updatedAt": NOW},
        {"id": "pl2", "clientId": CLIENT_IDS[1], "name": "Noche", "type": "special",
         "description": "late shows", "isMain": False, "updatedAt": NOW},
    ],
    "PlaylistItem": [
        {"id": "pi1", "playlistId": "pl1", "audioFileId": "af1", "order": 0},
        {"id": "pi2", "playlistId": "pl1", "audioFileId": "af2", "order": 1},
        {"id": "pi3", "playlistId": "pl2", "audioFileId": "af3", "order": 0},
    ],
    "Schedule": [
        {"id": "sc1", "clientId": CLIENT_IDS[0], "playlistId": "pl1", "dayOfWeek": 5,
         "startTime": "22:00", "endTime": "02:00", "isActive": True},
    ],
    "StreamStats": [
        {"id": "st1", "clientId": CLIENT_IDS[0], "timestamp": NOW, "listeners": 12,
         "peakListeners": 30, "currentSong": "Mañana - Canción de cuna", "listeners64": 2,
         "listeners128": 7, "listeners320": 3, "streamStatus": "online", "uptime": 86400},
    ],
    "LiveSession": [
        {"id": "ls1", "clientId": CLIENT_IDS[0], "djName": "DJ Zoë",
         "startTime": "2024-04-30 20:00:00.000", "endTime": "2024-04-30 21:00:00.500",
         "duration": 3600, "peakListeners": 40, "avgListeners": 31},
        {"id": "ls2", "clientId": CLIENT_IDS[1], "djName": None,
         "startTime": "2024-05-01 11:00:00.000", "endTime": None, "duration": None,
         "peakListeners": 5, "avgListeners": 3},
    ],
}

DATETIME_COLUMNS = {"updatedAt", "timestamp", "startTime", "endTime"}


def _value(backend: str, table: str, column: str, value: Any) -> Any:
    if backend == "sqlite" and isinstance(value, str) and column in DATETIME_COLUMNS and (
        table != "Schedule"
    ):
        # The text form SQLAlchemy's SQLite DATETIME reads: microseconds, six digits.
        return dt.datetime.fromisoformat(value).strftime("%Y-%m-%d %H:%M:%S.%f")
    return value


def insert_rows(conn: Connection, *, with_client: bool = True) -> None:
    """Write ``ROWS`` the way the platform would (plain INSERTs, every column named).

    Tables or columns the database lacks are left out, so the same rows also fill a
    database at our revision 0001 (which has none of the platform's extra columns).
    """
    backend = conn.dialect.name
    quote = conn.dialect.identifier_preparer.quote
    inspector = inspect(conn)
    tables = set(inspector.get_table_names())
    for table, rows in ROWS.items():
        if table not in tables or (table == "Client" and not with_client):
            continue
        columns = {c["name"] for c in inspector.get_columns(table)}
        for original in rows:
            row = original
            if not with_client and row["id"] == "af2":
                row = {**row, "clientId": ORPHAN_CLIENT_ID}
            names = [n for n in row if n in columns]
            conn.execute(
                text(f"INSERT INTO {quote(table)} ({', '.join(quote(n) for n in names)}) "
                     f"VALUES ({', '.join(':p' + str(i) for i in range(len(names)))})"),
                {f"p{i}": _value(backend, table, n, row[n]) for i, n in enumerate(names)},
            )
    if "_prisma_migrations" not in tables:
        return
    conn.execute(
        text("INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, "
             "applied_steps_count) VALUES (:id, :checksum, :now, :name, 1)"),
        {"id": "6f0c2b1e-5d1a-4c2b-9a0e-3b8e4f2d7c11", "checksum": "0" * 64,
         "now": _value(backend, "x", "updatedAt", NOW), "name": "20240101000000_init"},
    )


def create_platform_database(
    url: str,
    *,
    with_client: bool = True,
    rows: bool = True,
    drop_tables: tuple[str, ...] = (),
    drop_columns: tuple[tuple[str, str], ...] = (),
    retype: dict[tuple[str, str], str] | None = None,
    nullable: tuple[tuple[str, str], ...] = (),
) -> None:
    """Make ``url`` (an empty database) look like the platform made it.

    The other arguments build a platform database that differs from the seed: tables left
    out (with the foreign keys that name them), column lines left out, a column declared
    with another SQL type (same nullability, no default), a NOT NULL column declared
    nullable.
    """
    engine = create_engine(normalize_url(url))
    backend = engine.dialect.name
    try:
        with engine.begin() as conn:
            for original in platform_ddl(backend, with_client=with_client):
                statement = _mutate(backend, original, drop_tables, drop_columns,
                                    retype or {}, nullable)
                if statement:
                    conn.exec_driver_sql(statement)
            if rows:
                insert_rows(conn, with_client=with_client)
    finally:
        engine.dispose()


def _mutate(
    backend: str,
    statement: str,
    drop_tables: tuple[str, ...],
    drop_columns: tuple[tuple[str, str], ...],
    retype: dict[tuple[str, str], str],
    nullable: tuple[tuple[str, str], ...],
) -> str:
    q = '"' if backend == "sqlite" else "`"
    for name in drop_tables:
        if re.search(rf"(TABLE|REFERENCES) {q}{name}{q}", statement):
            return ""
    match = re.match(rf"CREATE TABLE {q}(\w+){q}", statement)
    if not match:
        return statement
    table_name = match.group(1)
    lines = []
    for original in statement.splitlines():
        line = original
        column_match = re.match(rf"    {q}(\w+){q} ", line)
        key = (table_name, column_match.group(1)) if column_match else None
        if key in drop_columns:
            continue
        if key is not None and key in retype:  # new type, same nullability, no default
            line = (f"    {q}{key[1]}{q} {retype[key]}"
                    + (" NOT NULL" if " NOT NULL" in line else "")
                    + ("," if line.endswith(",") else ""))
        if key in nullable:
            line = line.replace(" NOT NULL", " NULL" if backend != "sqlite" else "")
        lines.append(line)
    return "\n".join(lines)


def snapshot(url: str) -> dict[str, list[dict[str, Any]]]:
    """Every row of every platform table present, sorted by id, for before/after comparisons."""
    engine = create_engine(normalize_url(url))
    try:
        with engine.connect() as conn:
            quote = conn.dialect.identifier_preparer.quote
            present = set(inspect(conn).get_table_names())
            return {
                table: [dict(row._mapping) for row in conn.execute(
                    text(f"SELECT * FROM {quote(table)} ORDER BY id"))]
                for table in ROWS if table in present
            }
    finally:
        engine.dispose()
