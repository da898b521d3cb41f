"""AudioFileChange: which tracks changed, for the app's in-memory search text.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-25

Ours, beyond the seed. A library search is a substring of five columns, which no B-tree
index answers: a scan of 100,000 tracks costs 45-85 ms on MariaDB however narrow it is.
The app keeps each station's folded search text in memory instead (``services/
library_text.py``) and finds the candidates there in a few milliseconds; SQL still
checks every candidate, so a stale entry never shows a wrong track. What it must not
miss is a track added or edited by someone else (another operator, the platform):
``AudioFileChange`` is the log of those changes, written by triggers whoever writes, and
the app reads only the entries after the last one it has seen.

- ``seq``: increasing, never reused (AUTO_INCREMENT; AUTOINCREMENT on SQLite, whose
  plain rowids could be reused once the newest entries are pruned).
- ``clientId``, ``audioFileId``: the station and the track. No foreign keys: the entry of
  a deleted track (or station) is what tells the app to forget it.
- ``at``: when, for pruning (the app deletes entries older than a day; an app that has
  not looked for that long reloads the station's text).
- Triggers after INSERT, DELETE, and UPDATE of a searched column (title, artist, album,
  genre, filename) or of ``clientId``; status changes are not logged.

On MariaDB a trigger can need a privilege the account lacks (binary logging without
log_bin_trust_function_creators): the migration then goes on without them and the app
does not use the in-memory text (searches stay correct, slower). Rebuilding
``AudioFile`` on SQLite drops its triggers: recreate them (``_create_triggers``).
Additive and safe on an adopted platform database. History here must never import
application code.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "AudioFileChange"
SOURCE = "AudioFile"
FIELDS = ("title", "artist", "album", "genre", "filename", "clientId")
TRIGGERS = {"insert": f"{SOURCE}_change_ai", "update": f"{SOURCE}_change_au",
            "delete": f"{SOURCE}_change_ad"}
TABLE_OPTIONS = {
    "mysql_engine": "InnoDB",
    "mysql_charset": "utf8mb4",
    "mysql_collate": "utf8mb4_unicode_ci",
}


def _create_table() -> None:
    op.create_table(
        TABLE,
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                  primary_key=True, autoincrement=True),
        sa.Column("clientId", sa.String(191), nullable=False),
        sa.Column("audioFileId", sa.String(191), nullable=False),
        sa.Column("at", sa.DateTime().with_variant(mysql.DATETIME(fsp=3), "mysql", "mariadb"),
                  nullable=False),  # the triggers set it
        sa.PrimaryKeyConstraint("seq", name=f"{TABLE}_pkey"),
        sqlite_autoincrement=True,
        **TABLE_OPTIONS,
    )
    op.create_index(f"{TABLE}_clientId_seq_idx", TABLE, ["clientId", "seq"])


def _create_triggers(bind: sa.Connection) -> None:
    if bind.dialect.name == "sqlite":
        columns = ", ".join(f'"{f}"' for f in FIELDS)
        log = f'INSERT INTO "{TABLE}" ("clientId", "audioFileId", "at") VALUES'
        now = "strftime('%Y-%m-%d %H:%M:%f', 'now') || '000'"  # as Timestamp stores it"
        statements = [
            f'CREATE TRIGGER IF NOT EXISTS "{TRIGGERS["insert"]}" AFTER INSERT ON "{SOURCE}" '
            f"BEGIN {log} (new.\"clientId\", new.\"id\", {now}); END",
            f'CREATE TRIGGER IF NOT EXISTS "{TRIGGERS["update"]}" AFTER UPDATE OF {columns} '
            f'ON "{SOURCE}" BEGIN {log} (new."clientId", new."id", {now}); END',
            f'CREATE TRIGGER IF NOT EXISTS "{TRIGGERS["delete"]}" AFTER DELETE ON "{SOURCE}" '
            f"BEGIN {log} (old.\"clientId\", old.\"id\", {now}); END",
        ]
    else:
        log = f"INSERT INTO `{TABLE}` (`clientId`, `audioFileId`, `at`) VALUES"
        changed = " AND ".join(f"NEW.`{f}` <=> OLD.`{f}`" for f in FIELDS)
        statements = [
            f"CREATE TRIGGER IF NOT EXISTS `{TRIGGERS['insert']}` AFTER INSERT ON `{SOURCE}` "
            f"FOR EACH ROW {log} (NEW.`clientId`, NEW.`id`, NOW(3))",
            f"CREATE TRIGGER IF NOT EXISTS `{TRIGGERS['update']}` AFTER UPDATE ON `{SOURCE}` "
            f"FOR EACH ROW BEGIN IF NOT ({changed}) THEN "
            f"{log} (NEW.`clientId`, NEW.`id`, NOW(3)); END IF; END",
            f"CREATE TRIGGER IF NOT EXISTS `{TRIGGERS['delete']}` AFTER DELETE ON `{SOURCE}` "
            f"FOR EACH ROW {log} (OLD.`clientId`, OLD.`id`, NOW(3))",
        ]
    created: list[str] = []
    for name, statement in zip(TRIGGERS.values(), statements, strict=True):
        try:
            bind.exec_driver_sql(statement)
        except sa.exc.DBAPIError as error:  # no privilege: the app searches without the log
            logging.getLogger("alembic").warning(
                "Could not create the triggers of %s (%s); library searches stay correct "
                "but slower.", TABLE, error.orig)
            break
        created.append(name)
    else:
        return
    # Half a log would miss changes: remove what was created (the app then sees no log).
    # Under binary logging a DROP can need the same privilege: then the app, which asks
    # for all three triggers, still leaves the log alone.
    for name in created:
        try:
            bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS `{name}`")
        except sa.exc.DBAPIError as error:
            logging.getLogger("alembic").warning("Could not drop trigger %s (%s).", name,
                                                 error.orig)


def upgrade() -> None:
    bind = op.get_bind()
    if TABLE not in set(sa.inspect(bind).get_table_names()):
        _create_table()
    _create_triggers(bind)


def downgrade() -> None:
    bind = op.get_bind()
    quote = '"' if bind.dialect.name == "sqlite" else "`"
    for name in TRIGGERS.values():
        bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS {quote}{name}{quote}")
    op.drop_index(f"{TABLE}_clientId_seq_idx", table_name=TABLE)
    op.drop_table(TABLE)
