"""Our station settings: Client time zone and quota; per-station harbor and telnet ports.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24

The seed relates everything to a Client without describing it: we add the station's time
zone (the schedule's clock) and storage quota (the library's limit). Each station runs its
own Liquidsoap, so each needs its own live-input (harbor) port and telnet port on its
server; existing stream configs get ports allocated here, per server, in id order.

On an adopted database the platform's tables may already carry some of these columns;
those are kept as they are (only what is missing is added).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DEFAULT_QUOTA = str(5 * 1024**3)
HARBOR_PORT_BASE = 8010
TELNET_PORT_BASE = 1234


def _columns(table: str) -> set[str]:
    return {c["name"] for c in sa.inspect(op.get_bind()).get_columns(table)}


def upgrade() -> None:
    client_columns = _columns("Client")
    with op.batch_alter_table("Client") as batch:
        if "timezone" not in client_columns:
            batch.add_column(
                sa.Column("timezone", sa.String(191), nullable=False, server_default="UTC")
            )
        if "storageQuota" not in client_columns:
            batch.add_column(
                sa.Column("storageQuota", sa.BigInteger(), nullable=False,
                          server_default=DEFAULT_QUOTA)
            )
    config_columns = _columns("StreamConfig")
    with op.batch_alter_table("StreamConfig") as batch:
        if "harborPort" not in config_columns:
            batch.add_column(sa.Column("harborPort", sa.Integer(), nullable=True))
        if "telnetPort" not in config_columns:
            batch.add_column(sa.Column("telnetPort", sa.Integer(), nullable=True))
    _allocate_ports()
    with op.batch_alter_table("StreamConfig") as batch:
        batch.create_unique_constraint(
            "StreamConfig_serverId_harborPort_key", ["serverId", "harborPort"]
        )
        batch.create_unique_constraint(
            "StreamConfig_serverId_telnetPort_key", ["serverId", "telnetPort"]
        )


def _allocate_ports() -> None:
    bind = op.get_bind()
    config = sa.table(
        "StreamConfig", sa.column("id"), sa.column("serverId"), sa.column("harborPort"),
        sa.column("telnetPort"),
    )
    rows = bind.execute(
        sa.select(config.c.id, config.c.serverId).where(config.c.harborPort.is_(None))
        .order_by(config.c.serverId, config.c.id)
    ).all()
    next_slot: dict[str, int] = {}
    for row in rows:
        slot = next_slot.get(row.serverId, 0)
        next_slot[row.serverId] = slot + 1
        bind.execute(
            config.update().where(config.c.id == row.id).values(
                harborPort=HARBOR_PORT_BASE + slot, telnetPort=TELNET_PORT_BASE + slot
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("StreamConfig") as batch:
        batch.drop_constraint("StreamConfig_serverId_telnetPort_key", type_="unique")
        batch.drop_constraint("StreamConfig_serverId_harborPort_key", type_="unique")
        batch.drop_column("telnetPort")
        batch.drop_column("harborPort")
    with op.batch_alter_table("Client") as batch:
        batch.drop_column("storageQuota")
        batch.drop_column("timezone")
