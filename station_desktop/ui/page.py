"""The contract between the main window and the views in its sidebar.

A page is a widget that shows one part of the selected station (or of the fleet). The
window owns the workspace (the open database) and the station switcher; it tells every
page what is selected through :meth:`Page.set_context`, and the page loads its own data
off the UI thread through the shared :class:`DbWorker`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from PySide6.QtWidgets import QMessageBox, QWidget

from station_desktop.errors import StationError
from station_desktop.services.workspace import Workspace
from station_desktop.ui.worker import DbWorker

log = logging.getLogger("station_desktop.ui")

P = ParamSpec("P")
R = TypeVar("R")


class Page(QWidget):
    """Base of the sidebar pages.

    Subclasses override :meth:`load` to fetch and show their data; they call services only
    through :meth:`run` (off the UI thread, expected errors shown in a dialog).
    """

    def __init__(self, worker: DbWorker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.worker = worker
        self.workspace: Workspace | None = None
        self.station_id: str | None = None

    async def set_context(self, workspace: Workspace | None, station_id: str | None) -> None:
        """The window opened another database or selected another station."""
        self.workspace = workspace
        self.station_id = station_id
        await self.load()

    async def load(self) -> None:
        """(Re)load what the page shows for the current context. Default: nothing."""

    async def run(self, fn: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R | None:
        """Call a service off the UI thread; an expected error is shown and gives None."""
        try:
            return await self.worker.call(fn, *args, **kwargs)
        except StationError as error:
            self.show_error(self.tr("The operation failed"), str(error))
            return None

    def show_error(self, title: str, message: str) -> None:
        log.warning("%s: %s", title, message)
        box = QMessageBox(QMessageBox.Icon.Warning, title, message,
                          QMessageBox.StandardButton.Ok, self)
        box.open()  # never exec() inside a coroutine
