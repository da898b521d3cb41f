"""Engine and unit of work.

:class:`Database` is the one place that knows how to talk to SQLite and MySQL/MariaDB and
the one place where driver exceptions become domain errors. Services use it as::

    with self._db.transaction() as session:   # one user action, one commit
        ...
    with self._db.read() as session:          # reads, never commits
        ...

SQLite notes: pysqlite's own transaction handling is turned off so that a write
transaction starts with ``BEGIN IMMEDIATE`` (the write lock is taken up front, so two
processes editing the same row serialise instead of failing late with "database is
locked"); foreign keys are enforced; WAL lets the daemon read while the app writes.

MySQL/MariaDB notes: utf8mb4 always, a pre-ping on checkout (a connection the server
dropped is replaced instead of failing the user's action), and socket timeouts so that a
dead server gives an error instead of a hang.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event, exc, make_url
from sqlalchemy.orm import Session, sessionmaker

from station_desktop.errors import (
    DatabaseAccessDenied,
    DatabaseBusy,
    DatabaseUnavailable,
    StationError,
)

log = logging.getLogger("station_desktop.db")

MYSQL_RETRYABLE = (1205, 1213)  # ER_LOCK_WAIT_TIMEOUT, ER_LOCK_DEADLOCK
MYSQL_LOGIN_DENIED = 1045  # ER_ACCESS_DENIED_ERROR: wrong account or password
MYSQL_DEFINER_MISSING = 1449  # ER_NO_SUCH_USER: a trigger's definer account is gone
# ER_DBACCESS_DENIED_ERROR, ER_TABLEACCESS_DENIED_ERROR, ER_COLUMNACCESS_DENIED_ERROR,
# ER_SPECIFIC_ACCESS_DENIED_ERROR, ER_PROCACCESS_DENIED_ERROR, ER_BINLOG_CREATE_ROUTINE_NEED_SUPER
MYSQL_PRIVILEGE_DENIED = (1044, 1142, 1143, 1227, 1370, 1419)
ACCOUNTS_HELP = "packaging/sql/accounts.sql, docs/operators/database.md"
CONNECT_TIMEOUT_S = 10
READ_TIMEOUT_S = 60


def normalize_url(url: str | URL) -> URL:
    """Fill in what a bare URL leaves out: the PyMySQL driver and utf8mb4."""
    parsed = make_url(url)
    if parsed.get_backend_name() in ("mysql", "mariadb"):
        if parsed.drivername in ("mysql", "mariadb"):
            parsed = parsed.set(drivername=f"{parsed.drivername}+pymysql")
        if "charset" not in parsed.query:
            parsed = parsed.update_query_dict({"charset": "utf8mb4"})
    return parsed


def safe_url(url: str | URL) -> str:
    """The URL as it may be shown or logged: never with its password."""
    return make_url(url).render_as_string(hide_password=True)


def url_without_password(url: str | URL) -> str:
    """The URL to put in a command a person will paste: no password at all (``stationd``
    takes it from STATIOND_DATABASE_PASSWORD, the app from the keyring)."""
    # URL.set(password=None) keeps the password (None means "unchanged" there)
    return make_url(url)._replace(password=None).render_as_string(hide_password=False)


def create_db_engine(url: str | URL, *, sqlite_foreign_keys: bool = True, **kwargs: Any) -> Engine:
    """An engine configured the way the application needs (see module docstring).

    ``sqlite_foreign_keys=False`` is for schema migrations only: SQLite's batch mode rebuilds
    tables, and with foreign keys on, dropping the old copy of a parent table would cascade
    into its children.
    """
    parsed = normalize_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        engine = create_engine(parsed, connect_args={"timeout": 15}, **kwargs)

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
            cursor = dbapi_connection.cursor()
            cursor.execute(f"PRAGMA foreign_keys={'ON' if sqlite_foreign_keys else 'OFF'}")
            cursor.execute("PRAGMA busy_timeout=15000")
            if parsed.database and parsed.database != ":memory:":
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(connection: Any) -> None:
            immediate = connection.get_execution_options().get("sqlite_immediate", False)
            connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    if backend in ("mysql", "mariadb"):
        connect_args: dict[str, Any] = {"connect_timeout": CONNECT_TIMEOUT_S,
                                        "read_timeout": READ_TIMEOUT_S,
                                        "write_timeout": READ_TIMEOUT_S}
        if parsed.password:
            # PyMySQL sends a str password as Latin-1 ("ñ" arrives wrong, "€" raises);
            # the server and other clients use UTF-8.
            connect_args["password"] = str(parsed.password).encode("utf-8")
        return create_engine(
            parsed,
            pool_pre_ping=True,
            pool_recycle=3600,
            connect_args=connect_args,
            **kwargs,
        )
    raise StationError(
        f"Unsupported database {safe_url(parsed)!r}: use sqlite:///path or mysql://user@host/db."
    )


class Database:
    """A database the application works on: engine, sessions, error translation."""

    def __init__(self, url: str | URL, *, engine: Engine | None = None) -> None:
        self.url = normalize_url(url)
        self.engine = engine or create_db_engine(self.url)
        self._read_sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(
            self.engine.execution_options(sqlite_immediate=True), expire_on_commit=False
        )

    @property
    def backend(self) -> str:
        """``sqlite`` or ``mysql`` (MariaDB reports itself as mysql)."""
        return self.engine.dialect.name

    @property
    def display_url(self) -> str:
        return safe_url(self.url)

    def __repr__(self) -> str:
        return f"<Database {self.display_url}>"

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: commits when the block ends, rolls everything back on error."""
        with self._translate_errors(), self._write_sessions() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session; anything written in it is rolled back."""
        with self._translate_errors(), self._read_sessions() as session:
            try:
                yield session
            finally:
                session.rollback()

    def dispose(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _translate_errors(self) -> Iterator[None]:
        with translate_errors(self.url):
            yield


@contextmanager
def translate_errors(url: str | URL) -> Iterator[None]:
    """Turn the driver's connection errors into :class:`DatabaseUnavailable`."""
    try:
        yield
    except StationError:
        raise
    except exc.DBAPIError as error:
        original = getattr(error, "orig", None) or error
        code = original.args[0] if getattr(original, "args", None) else None
        denied = _access_denied(url, code, original)
        if denied is not None:
            log.warning("database refused on %s: %s", safe_url(url), original)
            raise denied from error
        if not isinstance(error, exc.OperationalError | exc.InterfaceError
                          | exc.DisconnectionError):
            raise
        shown = safe_url(url)
        if code in MYSQL_RETRYABLE:  # deadlock, lock wait timeout: the server is fine
            raise DatabaseBusy(
                "Another change to the same records was being saved at the same moment. "
                "Nothing was saved; try again."
            ) from error
        log.warning("database error on %s: %s", shown, original)
        if make_url(url).get_backend_name() == "sqlite" and "locked" in str(original).lower():
            raise DatabaseUnavailable(
                "The station database is busy (another program holds its write lock). "
                "Nothing was saved; try again."
            ) from error
        raise DatabaseUnavailable(
            f"The database {shown} could not be reached or dropped the connection "
            f"({_driver_message(original)}). Nothing was saved; check the connection and "
            "try again."
        ) from error


def _access_denied(url: str | URL, code: object, error: BaseException) -> StationError | None:
    """The error to raise when MySQL/MariaDB refused the account, else None."""
    if code == MYSQL_LOGIN_DENIED:
        return DatabaseAccessDenied(
            f"The database {safe_url(url)} refused the login ({_driver_message(error)}): "
            "check the account name and its password (for the app, in File → Connections; "
            "for stationd, its db-password secret).")
    if code == MYSQL_DEFINER_MISSING:
        return DatabaseAccessDenied(
            f"The database {safe_url(url)} refused the change ({_driver_message(error)}): a "
            "trigger belongs to an account that no longer exists. Nothing was saved. An "
            "administrator recreates the triggers as an existing account: "
            f"packaging/sql/triggers.sql ({ACCOUNTS_HELP}).")
    if code in MYSQL_PRIVILEGE_DENIED:
        return DatabaseAccessDenied(
            f"The database account may not do this on {safe_url(url)} "
            f"({_driver_message(error)}). Nothing was saved. An administrator grants what "
            f"it needs: {ACCOUNTS_HELP}.")
    return None


def _driver_message(error: BaseException) -> str:
    args: tuple[object, ...] = tuple(getattr(error, "args", ()))
    if len(args) >= 2 and isinstance(args[0], int):  # PyMySQL: (code, message)
        return f"{args[1]} [{args[0]}]"
    return str(error).splitlines()[0] if str(error) else type(error).__name__
