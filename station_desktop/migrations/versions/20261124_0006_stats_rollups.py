"""Hourly and daily roll-ups of the audience samples (StreamStats).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24

Ours, beyond the seed. ``StreamStatsHourly`` and ``StreamStatsDaily``: one row per station
and UTC hour (or UTC day), starting at ``bucketStart``, with the sums a chart needs to give
the same answers as the raw samples (``listenersSum`` / ``samples`` is the exact average;
MySQL's AVG would keep 4 decimals), the highest listener count and reported peak, and the
minutes the stream was online. ``(clientId, bucketStart)`` is unique; the rows go with
their station (ON DELETE CASCADE). Written by ``services/rollups.py``.

Additive and safe on an adopted platform database: a table that already exists is kept,
only the columns and indexes it lacks are added (added columns are nullable there, so rows
already in it stay valid). History here must never import application code.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE_OPTIONS: dict[str, Any] = {
    "mysql_engine": "InnoDB",
    "mysql_charset": "utf8mb4",
    "mysql_collate": "utf8mb4_unicode_ci",
}
ROLLUP_TABLES = ("StreamStatsHourly", "StreamStatsDaily")


def _datetime() -> sa.types.TypeEngine:  # type: ignore[type-arg]
    return sa.DateTime().with_variant(mysql.DATETIME(fsp=3), "mysql", "mariadb")


def _columns() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("id", sa.String(191), nullable=False),
        sa.Column("clientId", sa.String(191), nullable=False),
        sa.Column("bucketStart", _datetime(), nullable=False),
        sa.Column("samples", sa.Integer(), nullable=False),
        sa.Column("listenersSum", sa.BigInteger(), nullable=False),
        sa.Column("maxListeners", sa.Integer(), nullable=False),
        sa.Column("peakListeners", sa.Integer(), nullable=False),
        sa.Column("listeners64Sum", sa.BigInteger(), nullable=False),
        sa.Column("listeners128Sum", sa.BigInteger(), nullable=False),
        sa.Column("listeners320Sum", sa.BigInteger(), nullable=False),
        sa.Column("minutesOnline", sa.Double(), nullable=False),
    ]


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    existing = set(inspector.get_table_names())
    for table in ROLLUP_TABLES:
        unique = f"{table}_clientId_bucketStart_key"
        index = f"{table}_bucketStart_idx"
        if table not in existing:
            op.create_table(
                table, *_columns(),
                sa.ForeignKeyConstraint(["clientId"], ["Client.id"], name=f"{table}_clientId_fkey",
                                        ondelete="CASCADE", onupdate="CASCADE"),
                sa.PrimaryKeyConstraint("id", name=f"{table}_pkey"),
                sa.UniqueConstraint("clientId", "bucketStart", name=unique),
                **TABLE_OPTIONS,
            )
            op.create_index(index, table, ["bucketStart"])
            continue
        # Adopted database that already has the table: add only what is missing.
        have = {c["name"] for c in inspector.get_columns(table)}
        missing = [c for c in _columns() if c.name not in have]
        if missing:
            with op.batch_alter_table(table) as batch:
                for column in missing:
                    column.nullable = True
                    batch.add_column(column)
        have_indexes = {i["name"] for i in inspector.get_indexes(table)}
        have_indexes |= {u["name"] for u in inspector.get_unique_constraints(table)}
        if unique not in have_indexes:
            with op.batch_alter_table(table) as batch:
                batch.create_unique_constraint(unique, ["clientId", "bucketStart"])
        if index not in have_indexes:
            op.create_index(index, table, ["bucketStart"])


def downgrade() -> None:
    for table in reversed(ROLLUP_TABLES):
        op.drop_table(table)
