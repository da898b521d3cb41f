"""DjAccount: per-DJ live logins of a station.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-25

Ours, beyond the seed. A station's DJs each get their own harbor login besides the
station-wide one (StreamConfig's live user and password). ``passwordHash`` is a salted
scrypt hash, as JSON in the format ``programme.json`` already exports
(``{"kdf": "scrypt", "n", "r", "p", "salt": hex, "hash": hex}``): the password itself is
never stored. ``username`` is unique per station (``DjAccount_clientId_username_key``);
the accounts go with their station (``ON DELETE CASCADE``).

Additive and safe on an adopted platform database: a table that already exists is kept,
only missing columns (nullable) and indexes are added. History here must never import
application code.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "DjAccount"
UNIQUE = "DjAccount_clientId_username_key"
TABLE_OPTIONS = {
    "mysql_engine": "InnoDB",
    "mysql_charset": "utf8mb4",
    "mysql_collate": "utf8mb4_unicode_ci",
}


def _datetime() -> sa.types.TypeEngine:  # type: ignore[type-arg]
    return sa.DateTime().with_variant(mysql.DATETIME(fsp=3), "mysql", "mariadb")


def _columns() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("id", sa.String(191), nullable=False),
        sa.Column("clientId", sa.String(191), nullable=False),
        sa.Column("name", sa.String(191), nullable=False),
        sa.Column("username", sa.String(191), nullable=False),
        sa.Column("passwordHash", sa.String(191), nullable=False),
        sa.Column("isActive", sa.Boolean(), nullable=False),
        sa.Column("createdAt", _datetime(), nullable=False),
        sa.Column("updatedAt", _datetime(), nullable=False),
    ]


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    if TABLE not in set(inspector.get_table_names()):
        op.create_table(
            TABLE, *_columns(),
            sa.ForeignKeyConstraint(["clientId"], ["Client.id"], name=f"{TABLE}_clientId_fkey",
                                    ondelete="CASCADE", onupdate="CASCADE"),
            sa.PrimaryKeyConstraint("id", name=f"{TABLE}_pkey"),
            sa.UniqueConstraint("clientId", "username", name=UNIQUE),
            **TABLE_OPTIONS,
        )
        return
    # Adopted database that already has the table: add only what is missing.
    have = {c["name"] for c in inspector.get_columns(TABLE)}
    missing = [c for c in _columns() if c.name not in have]
    if missing:
        with op.batch_alter_table(TABLE) as batch:
            for column in missing:
                column.nullable = True
                batch.add_column(column)
    uniques = {u["name"] for u in inspector.get_unique_constraints(TABLE)}
    indexes = {i["name"] for i in inspector.get_indexes(TABLE)}
    if UNIQUE not in uniques | indexes:
        op.create_index(UNIQUE, TABLE, ["clientId", "username"], unique=True)


def downgrade() -> None:
    op.drop_table(TABLE)
