"""What stationd records: alerts (outages it detected) and play history (what was on air).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24

Ours, beyond the seed. ``Alert``: one row per problem stationd noticed (an Icecast that
does not answer, a station whose mounts are gone, a Liquidsoap that does not answer), open
while ``clearedAt`` is NULL; repeated failures touch the open row (``lastSeenAt``,
``failures``) instead of adding rows. ``PlayHistory``: one row per track that really went
on air (from Liquidsoap's track events; jingles are not recorded). ``audioFileId`` and
``playlistId`` deliberately have no foreign key: tracks and playlists get deleted, their
history stays.

Additive and safe on an adopted platform database: a table that already exists is kept,
only the columns and indexes it lacks are added (added columns are nullable there, so rows
already in it stay valid). History here must never import application code.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE_OPTIONS = {
    "mysql_engine": "InnoDB",
    "mysql_charset": "utf8mb4",
    "mysql_collate": "utf8mb4_unicode_ci",
}


def _datetime() -> sa.types.TypeEngine:  # type: ignore[type-arg]
    return sa.DateTime().with_variant(mysql.DATETIME(fsp=3), "mysql", "mariadb")


def _alert_columns() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("id", sa.String(191), nullable=False),
        sa.Column("serverId", sa.String(191), nullable=True),
        sa.Column("clientId", sa.String(191), nullable=True),
        sa.Column("kind", sa.String(191), nullable=False),
        sa.Column("severity", sa.String(191), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("raisedAt", _datetime(), nullable=False),
        sa.Column("lastSeenAt", _datetime(), nullable=False),
        sa.Column("clearedAt", _datetime(), nullable=True),
        sa.Column("acknowledgedAt", _datetime(), nullable=True),
        sa.Column("acknowledgedBy", sa.String(191), nullable=True),
        sa.Column("failures", sa.Integer(), nullable=False),
    ]


def _history_columns() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("id", sa.String(191), nullable=False),
        sa.Column("clientId", sa.String(191), nullable=False),
        sa.Column("audioFileId", sa.String(191), nullable=True),
        sa.Column("playlistId", sa.String(191), nullable=True),
        sa.Column("title", sa.String(191), nullable=True),
        sa.Column("artist", sa.String(191), nullable=True),
        sa.Column("kind", sa.String(191), nullable=False),
        sa.Column("startedAt", _datetime(), nullable=False),
        sa.Column("endedAt", _datetime(), nullable=True),
        sa.Column("listenersAtStart", sa.Integer(), nullable=False),
    ]


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=f"{table}_{column}_fkey",
        ondelete="CASCADE", onupdate="CASCADE",
    )


TABLES = {
    "Alert": (
        _alert_columns,
        lambda: [_fk("Alert", "serverId", "StreamServer"), _fk("Alert", "clientId", "Client")],
        [("Alert_clearedAt_serverId_idx", ["clearedAt", "serverId"]),
         ("Alert_serverId_idx", ["serverId"]),
         ("Alert_clientId_idx", ["clientId"])],
    ),
    "PlayHistory": (
        _history_columns,
        lambda: [_fk("PlayHistory", "clientId", "Client")],
        [("PlayHistory_clientId_startedAt_idx", ["clientId", "startedAt"])],
    ),
}


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    existing = set(inspector.get_table_names())
    for table, (columns, foreign_keys, indexes) in TABLES.items():
        if table not in existing:
            op.create_table(
                table, *columns(), *foreign_keys(),
                sa.PrimaryKeyConstraint("id", name=f"{table}_pkey"), **TABLE_OPTIONS,
            )
            for name, on in indexes:
                op.create_index(name, table, on)
            continue
        # Adopted database that already has the table: add only what is missing.
        have = {c["name"] for c in inspector.get_columns(table)}
        missing = [c for c in columns() if c.name not in have]
        if missing:
            with op.batch_alter_table(table) as batch:
                for column in missing:
                    column.nullable = True
                    batch.add_column(column)
        have_indexes = {i["name"] for i in inspector.get_indexes(table)}
        for name, on in indexes:
            if name not in have_indexes:
                op.create_index(name, table, on)


def downgrade() -> None:
    op.drop_table("PlayHistory")
    op.drop_table("Alert")
