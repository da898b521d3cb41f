"""DJ mode (``station-desktop --dj``): is my mount on air? No database needed.

A DJ enters the station's server URL (``http://radio.example.net:8000``) and the mount
they broadcast to; the window reads Icecast's public ``/status-json.xsl`` every few
seconds (no password: it is the page any listener can open) and says whether the mount
has a source, how many listen and what title Icecast shows. Both values are kept in
QSettings for the next start. When the desktop has a system tray, an icon there shows the
same state and pops up a notification when the mount drops off air.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass

import qasync
from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QStyle,
    QSystemTrayIcon,
    QVBoxLayout,
    QWidget,
)

from station_desktop.control.icecast import IcecastClient
from station_desktop.errors import StationError
from station_desktop.ui import formatting as fmt
from station_desktop.ui.live.poller import Poller
from station_desktop.ui.settings import AppSettings

REFRESH_MS = 3000
TIMEOUT_S = 4.0
URL_KEY = "dj/server_url"
MOUNT_KEY = "dj/mount"


@dataclass(frozen=True, slots=True)
class MountCheck:
    """One look at the mount. ``on_air`` is None when Icecast could not be asked."""

    on_air: bool | None
    listeners: int | None = None
    title: str | None = None
    problem: str | None = None


def normalise_mount(mount: str) -> str:
    mount = mount.strip()
    return mount if not mount or mount.startswith("/") else "/" + mount


async def check_mount(server_url: str, mount: str, timeout: float = TIMEOUT_S) -> MountCheck:
    """Whether ``mount`` has a source on the Icecast at ``server_url`` (public status)."""
    try:
        client = IcecastClient(server_url.strip(), admin_user="", admin_password="",
                               timeout=timeout)
    except ValueError:
        return MountCheck(None, problem=f"not an http(s) URL: {server_url.strip()!r}")
    try:
        async with client:
            mounts = await client.public_status()
    except (StationError, OSError) as error:
        return MountCheck(None, problem=str(error))
    found = [m for m in mounts if m.mount == mount]
    if not found:
        # The station's own mount (what DJs are told) is an alias of its first bitrate
        # mount, <mount>-<kbps>, and Icecast's status lists no aliases: any of them on
        # air is the station on air, and their listeners add up.
        found = [m for m in mounts if m.mount.startswith(mount + "-")
                 and m.mount[len(mount) + 1:].isdigit()]
    if not found:
        return MountCheck(False)
    return MountCheck(True, listeners=sum(m.listeners for m in found),
                      title=next((m.title for m in found if m.title), None))


class DjWindow(QWidget):
    """The DJ mode window (and its tray icon)."""

    connection_dropped = Signal(str)  # the mount that went off air

    def __init__(self, settings: AppSettings, parent: QWidget | None = None, *,
                 use_tray: bool = True) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle(self.tr("Station Desktop \u2014 DJ mode"))
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("Enter your station's server and the mount you broadcast to. "
                               "This window checks Icecast's public status every few seconds; "
                               "it needs no database."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.url_edit = QLineEdit(settings.value(URL_KEY, ""))
        self.url_edit.setPlaceholderText("http://radio.example.net:8000")
        self.mount_edit = QLineEdit(settings.value(MOUNT_KEY, ""))
        self.mount_edit.setPlaceholderText("/my-station-128")
        form.addRow(self.tr("Server URL:"), self.url_edit)
        form.addRow(self.tr("Mount:"), self.mount_edit)
        layout.addLayout(form)
        self.state_label = QLabel()
        self.state_label.setObjectName("dj-state")
        layout.addWidget(self.state_label)
        self.details_label = QLabel()
        self.details_label.setObjectName("dj-details")
        self.details_label.setWordWrap(True)
        layout.addWidget(self.details_label)
        layout.addStretch(1)
        self.url_edit.editingFinished.connect(self.settings_changed)
        self.mount_edit.editingFinished.connect(self.settings_changed)
        self.last: MountCheck | None = None
        self.poller = Poller(self.refresh, REFRESH_MS, self)
        self.tray: QSystemTrayIcon | None = None
        if use_tray and QSystemTrayIcon.isSystemTrayAvailable():
            self._make_tray()
        self._show_check(None)

    def _make_tray(self) -> None:
        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MediaPlay)
        self.tray = QSystemTrayIcon(icon, self)
        menu = QMenu(self)
        show = QAction(self.tr("Show window"), menu)
        show.triggered.connect(self.showNormal)
        quit_ = QAction(self.tr("Quit"), menu)
        quit_.triggered.connect(QApplication.quit)
        menu.addAction(show)
        menu.addAction(quit_)
        self.tray.setContextMenu(menu)
        self.tray.activated.connect(lambda _reason: self.showNormal())
        self.tray.show()

    @property
    def server_url(self) -> str:
        return self.url_edit.text().strip()

    @property
    def mount(self) -> str:
        return normalise_mount(self.mount_edit.text())

    def start(self) -> None:
        self.poller.start()

    def settings_changed(self) -> None:
        if (self.server_url, self.mount) == (self.settings.value(URL_KEY, ""),
                                             self.settings.value(MOUNT_KEY, "")):
            return  # focus left a field without a change
        self.settings.set_value(URL_KEY, self.server_url)
        self.settings.set_value(MOUNT_KEY, self.mount)
        self.last = None  # another mount: no "dropped" against the old one
        self.poller.tick()

    async def refresh(self) -> None:
        url, mount = self.server_url, self.mount
        if not url or not mount:
            self._show_check(None)
            return
        check = await check_mount(url, mount)
        if (url, mount) != (self.server_url, self.mount):
            return  # edited meanwhile: the next round asks again
        was_on_air = self.last is not None and self.last.on_air is True
        self.last = check
        self._show_check(check)
        if was_on_air and check.on_air is not True:
            self._dropped(mount, check)

    def _dropped(self, mount: str, check: MountCheck) -> None:
        text = (self.tr("{mount} is off air: the connection to the server dropped.")
                .format(mount=mount) if check.on_air is False else
                self.tr("{mount}: the server stopped answering.").format(mount=mount))
        if self.tray is not None:
            self.tray.showMessage(self.tr("Off air"), text,
                                  QSystemTrayIcon.MessageIcon.Warning, 10_000)
        self.connection_dropped.emit(mount)

    def _show_check(self, check: MountCheck | None) -> None:
        if check is None:
            state = self.tr("Enter the server URL and the mount.")
            details, color = "", "palette(placeholder-text)"
        elif check.on_air is None:
            state = self.tr("Cannot reach the server")
            details, color = check.problem or "", "#b26a00"
        elif check.on_air:
            state = self.tr("ON AIR")
            details = self.tr("{listeners} listening. Title: {title}").format(
                listeners=fmt.number(check.listeners or 0), title=check.title or "\u2014")
            color = "#1b7f2a"
        else:
            state = self.tr("Off air")
            details = self.tr("Icecast has no source on {mount}.").format(mount=self.mount)
            color = "#b00020"
        if check is not None:
            details += "\n" + self.tr("Checked at {time}.").format(
                time=fmt.time_of_day(dt.datetime.now(dt.UTC)))
        self.state_label.setText(state)
        self.state_label.setStyleSheet(f"font-size: 24px; font-weight: 700; color: {color};")
        self.details_label.setText(details.strip())
        if self.tray is not None:
            self.tray.setToolTip(f"{self.mount or self.tr('DJ mode')}: {state}")

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        self.poller.stop()
        if self.tray is not None:
            self.tray.hide()
        super().closeEvent(event)


def run_dj_mode(app: QApplication, settings: AppSettings) -> int:
    """The DJ mode's event loop (``station-desktop --dj``)."""
    window = DjWindow(settings)
    app.setQuitOnLastWindowClosed(True)

    async def run() -> None:
        closed = asyncio.Event()
        app.aboutToQuit.connect(closed.set)
        window.resize(460, 240)
        window.show()
        window.start()
        await closed.wait()

    qasync.run(run())
    settings.sync()
    return 0
