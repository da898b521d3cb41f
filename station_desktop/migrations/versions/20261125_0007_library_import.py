"""AudioFile: the import's content hash and the reason of an error status.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25

Ours, beyond the seed. ``contentHash`` is the hex SHA-256 (64 characters) of a file as it
was imported, before any transcode; with ``clientId`` it is indexed
(``AudioFile_clientId_contentHash_idx``), so importing the same content into the same
station again is reported as a duplicate instead of being stored twice. ``statusMessage``
says, in words a person can act on, why a track is in ``error`` (TEXT: such reasons can be
longer than the 191 characters of a VARCHAR).

Additive and safe on an adopted platform database: both columns are nullable (rows already
there stay valid and simply have no hash), a column or index that already exists is kept.
History here must never import application code.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "AudioFile"
INDEX = "AudioFile_clientId_contentHash_idx"


def _new_columns() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("contentHash", sa.String(64), nullable=True),
        sa.Column("statusMessage", sa.Text(), nullable=True),
    ]


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    have = {c["name"] for c in inspector.get_columns(TABLE)}
    missing = [c for c in _new_columns() if c.name not in have]
    if missing:
        with op.batch_alter_table(TABLE) as batch:
            for column in missing:
                batch.add_column(column)
    if INDEX not in {i["name"] for i in inspector.get_indexes(TABLE)}:
        op.create_index(INDEX, TABLE, ["clientId", "contentHash"])


def downgrade() -> None:
    op.drop_index(INDEX, table_name=TABLE)
    with op.batch_alter_table(TABLE) as batch:
        batch.drop_column("statusMessage")
        batch.drop_column("contentHash")
