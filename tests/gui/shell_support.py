"""What the shell's GUI tests share besides fixtures (tests/gui/conftest.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from station_desktop.ui.main_window import MainWindow
from station_desktop.ui.page import Page
from station_desktop.ui.worker import DbWorker

WaitUntil = Callable[..., Awaitable[None]]
MakeWindow = Callable[..., MainWindow]


class StandInLibraryPage(Page):
    """Stands in for the Library page (built and tested in tests/gui/library) so the shell's
    tests do not depend on it; records the contexts it was given."""

    def __init__(self, worker: DbWorker, parent: QWidget | None = None) -> None:
        super().__init__(worker, parent)
        self.loads: list[str | None] = []
        QVBoxLayout(self).addWidget(QLabel("Library"))

    async def load(self) -> None:
        self.loads.append(self.station_id)
