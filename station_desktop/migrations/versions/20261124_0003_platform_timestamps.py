"""Give the platform's Prisma timestamps database defaults, where they have none.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24

A Prisma schema usually carries ``createdAt DateTime @default(now())`` and ``updatedAt
DateTime @updatedAt``. Prisma fills ``updatedAt`` itself, so its DDL declares it NOT NULL
with no default, and any other writer's INSERT is refused in strict mode. On an adopted
database this gives such columns ``DEFAULT CURRENT_TIMESTAMP(3)`` (and, for ``updatedAt``
on MySQL/MariaDB, ``ON UPDATE CURRENT_TIMESTAMP(3)``), so our writes keep them meaningful
and Prisma's own writes, which set explicit values, are unaffected. Only column defaults
change; no row is touched. Databases we created have no such columns: nothing happens.
Downgrade leaves the defaults in place (removing them would only break inserts again).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("Client", "StreamServer", "StreamConfig", "AudioFile", "Playlist", "PlaylistItem",
          "Schedule", "StreamStats", "LiveSession")
TIMESTAMP_COLUMNS = ("createdAt", "updatedAt")


def upgrade() -> None:
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    existing = set(inspector.get_table_names())
    for table in TABLES:
        if table not in existing:
            continue
        for column in inspector.get_columns(table):
            name = column["name"]
            if name not in TIMESTAMP_COLUMNS or column["nullable"] or column.get("default"):
                continue
            if bind.dialect.name in ("mysql", "mariadb"):
                on_update = " ON UPDATE CURRENT_TIMESTAMP(3)" if name == "updatedAt" else ""
                op.execute(
                    f"ALTER TABLE `{table}` MODIFY `{name}` DATETIME(3) NOT NULL "
                    f"DEFAULT CURRENT_TIMESTAMP(3){on_update}"
                )
            else:
                with op.batch_alter_table(table) as batch:
                    batch.alter_column(name, server_default=sa.text("CURRENT_TIMESTAMP"))


def downgrade() -> None:
    pass
