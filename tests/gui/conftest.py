"""GUI tests: offscreen Qt, with every ``@pytest.mark.asyncio`` test run inside Qt's
event loop (qasync). The hook is a conftest hook, so it applies to tests/gui only; the
daemon and control tests keep a plain asyncio loop, as in production."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

import qasync
from PySide6.QtWidgets import QApplication


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
