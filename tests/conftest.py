"""Fixtures shared by every test.

Databases: a test that takes ``db`` (or ``database_url``) runs twice, once on a SQLite file
and once on the real throwaway MariaDB that ``scripts/test`` starts (or that this file
starts itself when run as plain ``pytest`` on a machine with mariadbd). Both are created
by the real Alembic migrations, so every service test also exercises the schema.
``STATION_TEST_REQUIRE_MARIADB=1`` (set by scripts/test) turns "MariaDB missing" from a
skip into a failure, so CI can never pass while quietly testing SQLite alone.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "fake_keyring.MemoryKeyring")

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.databases import MariaDBDatabases, delete_all_rows
from helpers.mariadb import ThrowawayMariaDB

from station_desktop.db import migrate
from station_desktop.db.engine import Database

BACKENDS = ["sqlite", pytest.param("mariadb", marks=pytest.mark.mariadb)]


# -- Qt stays in the Qt tests ------------------------------------------------------------------
# Once a QApplication exists, pytest-qt processes Qt events around every later test of the
# process. A closed qasync loop's QObjects sit in reference cycles, so the cyclic GC frees
# them on whichever thread it happens to run, often an executor thread of a daemon test;
# Qt then dispatched a timer of a freed object and CI segfaulted inside pytest-qt's
# processEvents. So only tests marked ``gui`` may create an application, they run last,
# and each collects its garbage on the UI thread (tests/gui/conftest.py).


@pytest.hookimpl(trylast=True)  # after tests/gui/conftest.py has marked its tests
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.get_closest_marker("gui") is not None)  # stable


def _qt_application_exists() -> bool:
    qt_core = sys.modules.get("PySide6.QtCore")
    return qt_core is not None and qt_core.QCoreApplication.instance() is not None


@pytest.fixture(autouse=True)
def _qt_only_in_gui_tests(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if request.node.get_closest_marker("gui") is None and _qt_application_exists():
        pytest.fail("this test created a Qt application: mark it gui (pytest.mark.gui) so "
                    "that it runs with the Qt tests, after the daemon and service tests")



def _require_mariadb() -> bool:
    return os.environ.get("STATION_TEST_REQUIRE_MARIADB") == "1"


@pytest.fixture(scope="session")
def mariadb_admin_url() -> Iterator[str]:
    """Root URL of the throwaway MariaDB server (no database selected)."""
    url = os.environ.get("STATION_TEST_MARIADB_URL")
    if url:
        yield url
        return
    if shutil.which("mariadbd") is None:
        if _require_mariadb():
            pytest.fail("MariaDB is required (STATION_TEST_REQUIRE_MARIADB=1) but not installed")
        pytest.skip("no MariaDB: run scripts/test, or install mariadb-server")
    server = ThrowawayMariaDB.create()
    server.start()
    try:
        yield server.admin_url
    finally:
        server.destroy()


@pytest.fixture(scope="session")
def mariadb_databases(mariadb_admin_url: str) -> Iterator[MariaDBDatabases]:
    databases = MariaDBDatabases(mariadb_admin_url)
    yield databases
    databases.engine.dispose()


@pytest.fixture(scope="session")
def _migrated_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "station.db"
    migrate.upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def _migrated_mariadb(mariadb_databases: MariaDBDatabases) -> Iterator[str]:
    url = mariadb_databases.create("station")
    migrate.upgrade(url)
    yield url
    mariadb_databases.drop(url)


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """URL of a migrated, empty database: SQLite, then MariaDB."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("_migrated_sqlite_template")
        path = tmp_path / "station.db"
        shutil.copy(template, path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("_migrated_mariadb")
    delete_all_rows(url)
    return url


@pytest.fixture(params=BACKENDS)
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of a brand-new database with no tables at all: SQLite, then MariaDB."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    databases: MariaDBDatabases = request.getfixturevalue("mariadb_databases")
    url = databases.create("empty")
    yield url
    databases.drop(url)


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    yield database
    database.dispose()


@pytest.fixture
def other_db(database_url: str) -> Iterator[Database]:
    """A second, independent connection pool on the same database: another operator."""
    database = Database(database_url)
    yield database
    database.dispose()
