"""Schema versions: upgrade, check, and the guard that keeps the app off unknown schemas.

The GUI, ``stationd`` and the tests all go through here. Two processes never migrate at
once: MySQL/MariaDB take a named server lock (``GET_LOCK``), SQLite an OS file lock
beside the database file.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import URL, Connection, inspect, text

from station_desktop.db.engine import (
    create_db_engine,
    normalize_url,
    safe_url,
    translate_errors,
    url_without_password,
)
from station_desktop.db.models import SEED_TABLES
from station_desktop.errors import SchemaMismatch, StationError

log = logging.getLogger("station_desktop.db.migrate")

LOCK_NAME = "station_desktop_schema"
LOCK_TIMEOUT_S = 120
# Alembic keeps the running migration in module globals: one migration per process at a
# time, whatever the database (the database locks below only serialise processes).
ALEMBIC_LOCK = threading.RLock()


def migrations_dir() -> Path:
    """The Alembic scripts, shipped inside the package (``station_desktop/migrations``), so
    a wheel, a server install and the desktop bundle all carry them."""
    candidate = Path(__file__).resolve().parent.parent / "migrations"
    if (candidate / "env.py").is_file():
        return candidate
    raise StationError(
        f"The database migrations are missing from this installation ({candidate}).")


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


@dataclass(frozen=True, slots=True)
class SchemaState:
    """Where a database stands against this version of the application."""

    revision: str | None  # None: never stamped by us
    head: str
    has_tables: bool  # any of the seed's tables exist

    @property
    def current(self) -> bool:
        return self.revision == self.head

    @property
    def empty(self) -> bool:
        return self.revision is None and not self.has_tables


def schema_state(url: str | URL) -> SchemaState:
    engine = create_db_engine(url)
    try:
        with translate_errors(url), engine.connect() as conn:
            return state_of(conn)
    finally:
        engine.dispose()


def state_of(conn: Connection) -> SchemaState:
    revision = MigrationContext.configure(conn).get_current_revision()
    tables = set(inspect(conn).get_table_names())
    return SchemaState(revision, head_revision(), bool(tables & set(SEED_TABLES)))


def ensure_current(url: str | URL) -> SchemaState:
    """Refuse to run on a schema this version does not know, saying what fixes it."""
    state = schema_state(url)
    shown = safe_url(url)
    target = f" --database-url '{url_without_password(url)}'"
    if state.current:
        return state
    if state.revision is None and state.has_tables:
        raise SchemaMismatch(
            f"The database {shown} has station tables that Station Desktop has not adopted yet "
            "(they were probably created by the platform).",
            fix=f"stationd db adopt{target}",
        )
    if state.revision is None:
        raise SchemaMismatch(f"The database {shown} is empty.", fix=f"stationd db upgrade{target}")
    if state.revision not in known_revisions():
        raise SchemaMismatch(
            f"The database {shown} is at schema revision {state.revision}, which is newer than "
            f"this version of Station Desktop knows (latest {state.head}). Update Station "
            "Desktop on this machine; do not downgrade the database."
        )
    raise SchemaMismatch(
        f"The database {shown} is at schema revision {state.revision}; this version needs "
        f"{state.head}.",
        fix=f"stationd db upgrade{target}",
    )


def upgrade(url: str | URL, revision: str = "head") -> SchemaState:
    """Bring the schema to ``revision`` (creating it on an empty database).

    Refuses a database that holds the platform's tables but was never adopted: creating the
    baseline over them would fail halfway, and ``adopt`` is what checks them first.
    """
    engine = create_db_engine(url, sqlite_foreign_keys=False)
    try:
        with translate_errors(url), migration_lock(engine.url), engine.connect() as conn:
            state = state_of(conn)
            if state.revision is None and state.has_tables:
                raise SchemaMismatch(
                    f"The database {safe_url(url)} already has station tables that were not "
                    "created by Station Desktop.",
                    fix=f"stationd db adopt --database-url '{url_without_password(url)}'",
                )
            if state.revision is not None and state.revision not in known_revisions():
                raise SchemaMismatch(
                    f"The database is at revision {state.revision}, newer than this version "
                    "knows. Update Station Desktop."
                )
            log.info("upgrading %s from %s to %s", safe_url(url), state.revision, revision)
            with ALEMBIC_LOCK:
                command.upgrade(alembic_config(conn), revision)
            conn.commit()
            return state_of(conn)
    finally:
        engine.dispose()


def stamp(conn: Connection, revision: str) -> None:
    """Record ``revision`` as the schema's version without running anything."""
    with ALEMBIC_LOCK:
        command.stamp(alembic_config(conn), revision)


@contextlib.contextmanager
def _file_lock(fd: int) -> Iterator[None]:
    """An exclusive lock on an open file, held while the block runs (waits for it)."""
    if sys.platform == "win32":
        import msvcrt  # noqa: PLC0415 - Windows only

        while True:
            try:  # LK_LOCK itself gives up after ten one-second tries
                msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
                break
            except OSError:
                continue
        try:
            yield
        finally:
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl  # noqa: PLC0415 - POSIX only

        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)


@contextlib.contextmanager
def migration_lock(url: URL) -> Iterator[None]:
    url = normalize_url(url)
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            yield
            return
        lock_path = Path(url.database + ".migrate.lock")
        with lock_path.open("w") as handle, _file_lock(handle.fileno()):
            yield
        return
    engine = create_db_engine(url)
    try:
        with engine.connect() as conn:
            got = conn.execute(
                text("SELECT GET_LOCK(:name, :timeout)"),
                {"name": LOCK_NAME, "timeout": LOCK_TIMEOUT_S},
            ).scalar()
            if got != 1:
                raise StationError(
                    "Another program is upgrading this database's schema; try again later."
                )
            try:
                yield
            finally:
                conn.execute(text("SELECT RELEASE_LOCK(:name)"), {"name": LOCK_NAME})
    finally:
        engine.dispose()
