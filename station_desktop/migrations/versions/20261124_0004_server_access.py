"""StreamServer: how to reach its Liquidsoaps and which release they run.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24

Ours, beyond the seed. Liquidsoap's telnet listens on the server's loopback; the desktop
reaches it through SSH when ``sshUser`` is set (else directly, on a private network).
``liquidsoapVersion`` is read over telnet (``version``) and decides the script dialect.
``icecastAdminUser`` names the Icecast admin account; its password lives in the OS keyring
(desktop) or a root-only credentials file (stationd), never in the database.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW_COLUMNS = (
    ("liquidsoapVersion", sa.String(191)),
    ("sshUser", sa.String(191)),
    ("sshPort", sa.Integer()),
    ("icecastAdminUser", sa.String(191)),
)


def upgrade() -> None:
    existing = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("StreamServer")}
    with op.batch_alter_table("StreamServer") as batch:
        for name, kind in NEW_COLUMNS:
            if name not in existing:
                batch.add_column(sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("StreamServer") as batch:
        for name, _ in reversed(NEW_COLUMNS):
            batch.drop_column(name)
