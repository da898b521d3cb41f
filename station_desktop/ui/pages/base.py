"""What the station pages share: a heading, a line about what comes later, an empty state."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from station_desktop.services.workspace import Workspace
from station_desktop.ui.page import Page
from station_desktop.ui.worker import DbWorker


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
