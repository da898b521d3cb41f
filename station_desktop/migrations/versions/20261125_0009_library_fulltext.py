"""AudioFile: what makes a library search fast (issue 6: < 50 ms over 100,000 tracks).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25

Ours, beyond the seed. A search is a case-insensitive substring of title, artist, album,
genre or file name; ``LIKE '%x%'`` over those five columns reads the whole station with
the column collation's work on every character (60-250 ms for 100,000 tracks).

- Both databases: two nullable BLOB columns. ``searchKey`` is the five columns joined by
  U+001F, as ``CONCAT_WS`` joins them (NULLs skipped), in UTF-8; ``searchText`` is the same
  text folded (case folded, accents removed: what utf8mb4_unicode_ci ignores). MariaDB
  scans ``searchText`` with a binary LIKE; a row written by the platform (NULL) falls
  back to the collation's LIKE. The service writes both (``services/library._search_values``);
  this migration fills them for the rows already there. ``_fold`` must stay what the
  service's is. On MariaDB the trigger ``AudioFile_search_stale`` empties both when an
  UPDATE (the platform's edit) changes a searched column but not ``searchKey``. Creating
  a trigger can need a privilege the account lacks (binary logging without
  log_bin_trust_function_creators): then the migration goes on without it and the
  service checks every row's ``searchKey`` against its columns instead (slower).
- SQLite only: ``AudioFileSearch``, an FTS5 index with the ``trigram`` tokenizer over the
  five columns, external content (``AudioFile``'s rowid), kept in step by three triggers
  whoever writes. A search of three characters or more is a MATCH of one quoted phrase:
  a case-insensitive substring, found through the index.

Caution for later migrations: rebuilding ``AudioFile`` on SQLite (``batch_alter_table``)
drops the triggers and renumbers the rowids; such a migration must drop
``AudioFileSearch`` first and recreate it after (``_create_sqlite_index``, copied). The
same holds for anything that renumbers rowids (VACUUM may, for a table without an
INTEGER PRIMARY KEY): ``INSERT INTO "AudioFileSearch"("AudioFileSearch") VALUES('rebuild')``
repairs the index.

Additive and safe on an adopted platform database: the columns are nullable (the service
falls back for rows without them), a column or index that already exists is kept.
History here must never import application code.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "AudioFile"
FTS = "AudioFileSearch"
STALE_TRIGGER = "AudioFile_search_stale"
FIELDS = ("title", "artist", "album", "genre", "filename")
SEPARATOR = "\x1f"
_BATCH = 1000


def _fold(text: str) -> str:
    """Case folded, accents (combining marks) removed."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold())
                   if not unicodedata.combining(c))


def _new_columns() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("searchText", sa.LargeBinary(), nullable=True),
        sa.Column("searchKey", sa.LargeBinary(), nullable=True),
    ]


def _fill(bind: sa.Connection) -> None:
    files = sa.table(TABLE, sa.column("id"), *(sa.column(f) for f in FIELDS),
                     sa.column("searchText", sa.LargeBinary()),
                     sa.column("searchKey", sa.LargeBinary()))
    last = ""
    while True:
        rows = bind.execute(
            sa.select(files.c.id, *(files.c[f] for f in FIELDS))
            .where(files.c.id > last, files.c.searchKey.is_(None))
            .order_by(files.c.id).limit(_BATCH)
        ).all()
        if not rows:
            return
        values = []
        for row in rows:
            key = SEPARATOR.join(v for v in row[1:] if v is not None)
            values.append({"row_id": row[0], "text": _fold(key).encode(),
                           "key": key.encode()})
        bind.execute(
            sa.update(files).where(files.c.id == sa.bindparam("row_id"))
            .values(searchText=sa.bindparam("text"), searchKey=sa.bindparam("key")),
            values,
        )
        last = rows[-1][0]


def _create_sqlite_index(bind: sa.Connection) -> None:
    cols = ", ".join(f'"{f}"' for f in FIELDS)
    new = ", ".join(f'new."{f}"' for f in FIELDS)
    old = ", ".join(f'old."{f}"' for f in FIELDS)
    statements = [
        f'CREATE VIRTUAL TABLE IF NOT EXISTS "{FTS}" USING fts5({cols}, '
        f"content='{TABLE}', content_rowid='rowid', tokenize='trigram')",
        f'CREATE TRIGGER IF NOT EXISTS "{FTS}_ai" AFTER INSERT ON "{TABLE}" BEGIN '
        f'INSERT INTO "{FTS}"(rowid, {cols}) VALUES (new.rowid, {new}); END',
        f'CREATE TRIGGER IF NOT EXISTS "{FTS}_ad" AFTER DELETE ON "{TABLE}" BEGIN '
        f'INSERT INTO "{FTS}"("{FTS}", rowid, {cols}) VALUES (\'delete\', old.rowid, {old});'
        " END",
        f'CREATE TRIGGER IF NOT EXISTS "{FTS}_au" AFTER UPDATE OF {cols} ON "{TABLE}" BEGIN '
        f'INSERT INTO "{FTS}"("{FTS}", rowid, {cols}) VALUES (\'delete\', old.rowid, {old}); '
        f'INSERT INTO "{FTS}"(rowid, {cols}) VALUES (new.rowid, {new}); END',
        f'INSERT INTO "{FTS}"("{FTS}") VALUES (\'rebuild\')',
    ]
    for statement in statements:
        bind.exec_driver_sql(statement)


def _create_mariadb_trigger(bind: sa.Connection) -> None:
    unchanged = " AND ".join(f"NEW.`{f}` <=> OLD.`{f}`" for f in FIELDS)
    try:
        bind.exec_driver_sql(
            f"CREATE TRIGGER IF NOT EXISTS `{STALE_TRIGGER}` BEFORE UPDATE ON `{TABLE}` "
            f"FOR EACH ROW BEGIN IF NOT ({unchanged}) AND NEW.`searchKey` <=> OLD.`searchKey` "
            "THEN SET NEW.`searchKey` = NULL, NEW.`searchText` = NULL; END IF; END")
    except sa.exc.DBAPIError as error:  # no privilege: the service checks rows itself
        logging.getLogger("alembic").warning(
            "Could not create trigger %s (%s); library searches stay correct but slower.",
            STALE_TRIGGER, error.orig)


def upgrade() -> None:
    bind = op.get_bind()
    have = {c["name"] for c in sa.inspect(bind).get_columns(TABLE)}
    missing = [c for c in _new_columns() if c.name not in have]
    if missing:
        if bind.dialect.name == "sqlite":  # ADD COLUMN, no table rebuild (rowids stay)
            for column in missing:
                op.add_column(TABLE, column)
        else:
            with op.batch_alter_table(TABLE) as batch:
                for column in missing:
                    batch.add_column(column)
    _fill(bind)
    if bind.dialect.name == "sqlite":
        _create_sqlite_index(bind)
    else:
        _create_mariadb_trigger(bind)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for suffix in ("_au", "_ad", "_ai"):
            bind.exec_driver_sql(f'DROP TRIGGER IF EXISTS "{FTS}{suffix}"')
        bind.exec_driver_sql(f'DROP TABLE IF EXISTS "{FTS}"')
        for name in ("searchKey", "searchText"):  # DROP COLUMN: SQLite 3.35+, no rebuild
            bind.exec_driver_sql(f'ALTER TABLE "{TABLE}" DROP COLUMN "{name}"')
        return
    bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS `{STALE_TRIGGER}`")
    with op.batch_alter_table(TABLE) as batch:
        batch.drop_column("searchKey")
        batch.drop_column("searchText")
