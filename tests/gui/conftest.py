"""GUI tests: offscreen Qt, with every ``@pytest.mark.asyncio`` test run inside Qt's
event loop (qasync). The hook is a conftest hook, so it applies to tests/gui only; the
daemon and control tests keep a plain asyncio loop, as in production."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import keyring
import pytest
from fake_keyring import MemoryKeyring
from pytestqt.qtbot import QtBot
from shell_support import MakeWindow, StandInLibraryPage, WaitUntil

import qasync
from PySide6.QtWidgets import QApplication

from station_desktop.config.profiles import ProfileStore
from station_desktop.ui.main_window import MainWindow
from station_desktop.ui.pages import station_pages
from station_desktop.ui.playlists import PlaylistsPage
from station_desktop.ui.schedule import SchedulePage
from station_desktop.ui.settings import AppSettings
from station_desktop.ui.worker import DbWorker


def pytest_asyncio_loop_factories(
    config: pytest.Config, item: pytest.Item
) -> Mapping[str, Callable[[], qasync.QEventLoop]]:
    def factory() -> qasync.QEventLoop:
        app = QApplication.instance() or QApplication([])
        return qasync.QEventLoop(app)

    return {"qt": factory}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/gui/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.gui)


@pytest.fixture
def station_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private home for the app's config, data and logs (no test touches the real ones)."""
    home = tmp_path / "home"
    monkeypatch.setenv("STATION_DESKTOP_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def _collect_on_the_main_thread() -> Iterator[None]:
    """Free each test's widgets on the main thread.

    Failed refreshes leave exceptions whose tracebacks hold frames up to a page (Python 3.11
    links a finished frame to its caller's): reference cycles that keep a closed page alive.
    Left to the cyclic collector they may be freed on a worker thread later, deleting Qt
    objects off their thread: a segfault in a later test when pytest-qt processes events
    (seen in CI in a daemon test run after the GUI tests). In the app a page lives as long
    as the window."""
    yield
    gc.collect()


# -- the shell: the main window and its helpers ------------------------------------------

@pytest.fixture
def wait_until() -> WaitUntil:
    """``await wait_until(predicate)``: poll on the running (qasync) loop; never qtbot.wait
    inside a coroutine (see docs/python-stack.md)."""

    async def wait(predicate: Callable[[], object], timeout: float = 15.0,
                   message: str = "") -> None:
        deadline = asyncio.get_running_loop().time() + timeout
        while not predicate():
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"timed out waiting: {message or predicate}")
            await asyncio.sleep(0.02)

    return wait


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    """A fresh in-memory keyring (fake: no Secret Service runs headless)."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def shell_worker() -> Iterator[DbWorker]:
    worker = DbWorker()
    yield worker
    worker.shutdown()


@pytest.fixture
def make_window(qtbot: QtBot, station_home: Path, shell_worker: DbWorker,
                memory_keyring: MemoryKeyring) -> MakeWindow:
    """Main windows on the shell's pages, with settings and profiles in ``station_home``."""

    def make(**kwargs: Any) -> MainWindow:
        kwargs.setdefault("settings", AppSettings())
        kwargs.setdefault("profiles", ProfileStore())
        kwargs.setdefault("data_dir", station_home / "data")
        pages = station_pages(StandInLibraryPage, PlaylistsPage, SchedulePage)
        window = MainWindow(shell_worker, pages, **kwargs)
        qtbot.addWidget(window)
        return window

    return make
