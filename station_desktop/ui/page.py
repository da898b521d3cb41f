"""The contract between the main window and the views in its sidebar, and the base of the
station pages (a heading over the content, an empty state).

A page is a widget that shows one part of the selected station (or of the fleet). The
window owns the workspace (the open database) and the station switcher; it tells every
page what is selected through :meth:`Page.set_context`, and the page loads its own data
off the UI thread through the shared :class:`DbWorker`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QStackedWidget, QVBoxLayout, QWidget

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


class StationPage(Page):
    """A sidebar page with a heading over its content.

    Subclasses put their widgets in :attr:`content` (a ``QVBoxLayout``) and implement
    :meth:`load_station`; :meth:`load` shows "no station" when nothing is selected.
    Results that arrive after the user chose another station are dropped
    (:meth:`is_current`), so a slow answer never overwrites a newer one.
    """

    needs_station = True

    def __init__(self, title: str, note: str, worker: DbWorker,
                 parent: QWidget | None = None) -> None:
        super().__init__(worker, parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 14, 20, 14)
        self.heading = QLabel(title)
        self.heading.setObjectName("heading")
        self.heading.setStyleSheet("font-size: 20px; font-weight: 600;")
        outer.addWidget(self.heading)
        self.note = QLabel(note)
        self.note.setObjectName("note")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: palette(placeholder-text);")
        self.note.setVisible(bool(note))
        outer.addWidget(self.note)
        outer.addSpacing(6)
        self._stack = QStackedWidget()
        body = QWidget()
        self.content = QVBoxLayout(body)
        self.content.setContentsMargins(0, 6, 0, 0)
        self.empty = QLabel()
        self.empty.setObjectName("empty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color: palette(placeholder-text); font-size: 15px;")
        self._stack.addWidget(body)
        self._stack.addWidget(self.empty)
        outer.addWidget(self._stack, 1)

    def is_current(self, workspace: Workspace, station_id: str | None) -> bool:
        """Whether the page still shows ``workspace`` and ``station_id``."""
        return self.workspace is workspace and self.station_id == station_id

    def show_content(self) -> None:
        self._stack.setCurrentIndex(0)

    def show_empty(self, message: str) -> None:
        self.empty.setText(message)
        self._stack.setCurrentIndex(1)

    @property
    def showing_empty(self) -> bool:
        return self._stack.currentIndex() == 1

    async def load(self) -> None:
        workspace, station_id = self.workspace, self.station_id
        if workspace is None:
            self.show_empty(self.tr("Not connected to a database."))
            return
        if self.needs_station and station_id is None:
            self.show_empty(self.tr("No station to show. Choose one in the station switcher at "
                                    "the top of the window; if it is empty, this database has "
                                    "no stations yet."))
            return
        await self.load_station(workspace, station_id)

    async def load_station(self, workspace: Workspace, station_id: str | None) -> None:
        """Fetch and show the page's data (``station_id`` is None only on pages with
        ``needs_station = False``)."""
        raise NotImplementedError
