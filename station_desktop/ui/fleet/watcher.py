"""Notice servers going offline between two polls and tell the user.

:class:`OfflineWatcher` compares each poll's statuses with the previous one (the first
poll only learns them: a server already offline when the app starts is in the table, not
in a notification). :func:`notify` shows a desktop notification through the system tray
when there is one, else a message in the window's status bar.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QMainWindow, QStyle, QSystemTrayIcon, QWidget

from station_desktop.services.fleet import ServerRecord

log = logging.getLogger("station_desktop.ui")
STATUS_MESSAGE_MS = 30_000


class OfflineWatcher(QObject):
    """Signals:
        went_offline(ServerRecord): a server that was not offline at the last poll is now.
    """

    went_offline = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._last: dict[str, str] | None = None

    def reset(self) -> None:
        """Forget what was seen (another database was opened)."""
        self._last = None

    def observe(self, servers: Sequence[ServerRecord]) -> list[ServerRecord]:
        previous = self._last
        self._last = {server.id: server.status for server in servers}
        if previous is None:
            return []
        gone = [server for server in servers if server.status == "offline"
                and previous.get(server.id, "offline") != "offline"]
        for server in gone:
            self.went_offline.emit(server)
        return gone


class Notifier(QObject):
    """Shows notifications for ``widget``'s window; remembers what it showed (``shown``)."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.widget = widget
        self.tray: QSystemTrayIcon | None = None
        self.shown: list[tuple[str, str, str]] = []  # (channel, title, text)

    def notify(self, title: str, text: str) -> str:
        """Show it; returns the channel used: "tray" or "status bar" (or "log")."""
        if QSystemTrayIcon.isSystemTrayAvailable():
            if self.tray is None:
                app = QApplication.instance()
                icon = (app.windowIcon() if isinstance(app, QApplication) else None)
                if icon is None or icon.isNull():
                    icon = self.widget.style().standardIcon(
                        QStyle.StandardPixmap.SP_MessageBoxWarning)
                self.tray = QSystemTrayIcon(icon, self)
                self.tray.show()
            self.tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Warning)
            channel = "tray"
        else:
            window = self.widget.window()
            if isinstance(window, QMainWindow):
                window.statusBar().showMessage(f"{title}: {text}", STATUS_MESSAGE_MS)
                channel = "status bar"
            else:
                channel = "log"
        log.warning("%s: %s", title, text)
        self.shown.append((channel, title, text))
        return channel
