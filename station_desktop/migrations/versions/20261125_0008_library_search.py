"""AudioFile: one index per column the library view sorts by.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25

Ours, beyond the seed. A station's library reaches 100,000 tracks and the view reads it a
page at a time, sorted by the column the user clicked. Without an index the database sorts
the whole station for every page (about 200 ms on MariaDB for 100,000 tracks); with an
index ``(clientId, <column>, id)`` a page is a short walk along it, in both directions
(ties go by id in the sort's direction). Named the Prisma way:
``AudioFile_clientId_<column>_id_idx``.

On SQLite the text columns are indexed ``COLLATE NOCASE``: the library sorts text without
regard to case, and SQLite uses an index for ORDER BY only when the collations agree.
MariaDB's utf8mb4_unicode_ci columns already compare case- and accent-insensitively.

Additive and safe on an adopted platform database: an index that already exists under its
name is kept; no row is touched. History here must never import application code.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "AudioFile"
TEXT_COLUMNS = ("title", "artist", "album", "genre", "format", "status")
NUMBER_COLUMNS = ("year", "duration", "bitrate")


def _name(column: str) -> str:
    return f"{TABLE}_clientId_{column}_id_idx"


def upgrade() -> None:
    bind = op.get_bind()
    have = {index["name"] for index in sa.inspect(bind).get_indexes(TABLE)}
    for column in TEXT_COLUMNS + NUMBER_COLUMNS:
        if _name(column) in have:
            continue
        key: str | sa.TextClause = column
        if bind.dialect.name == "sqlite" and column in TEXT_COLUMNS:
            key = sa.text(f'"{column}" COLLATE NOCASE')
        op.create_index(_name(column), TABLE, ["clientId", key, "id"])


def downgrade() -> None:
    for column in reversed(TEXT_COLUMNS + NUMBER_COLUMNS):
        op.drop_index(_name(column), table_name=TABLE)
