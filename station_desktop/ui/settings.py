"""What the window remembers between runs, in ``settings.ini`` in the config directory.

QSettings in INI format under :func:`station_desktop.config.paths.config_dir` (so
``STATION_DESKTOP_HOME`` isolates tests and portable installs). Kept here: window geometry
and toolbar/dock state, splitter positions and table column layouts (by a key per view),
the station last shown per connection, and the interface language. Never secrets: those
live in the OS keyring.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow, QSplitter, QTableView, QWidget

from station_desktop.config.paths import config_dir
from station_desktop.ui.widgets import FITTED

T = TypeVar("T")
SETTINGS_FILE = "settings.ini"
FORMAT_VERSION = 1
LANGUAGES = ("system", "en", "es")  # "system": the computer's locale


def settings_path() -> Path:
    return config_dir() / SETTINGS_FILE


class AppSettings:
    """Typed access to the settings file (see module docstring)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path if path is not None else settings_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._qs = QSettings(str(self.path), QSettings.Format.IniFormat)
        if self._qs.value("format_version") is None:
            self._qs.setValue("format_version", FORMAT_VERSION)

    # -- language ---------------------------------------------------------------------

    @property
    def language(self) -> str:
        value = self._qs.value("ui/language", "system")
        return value if isinstance(value, str) and value in LANGUAGES else "system"

    @language.setter
    def language(self, value: str) -> None:
        if value not in LANGUAGES:
            raise ValueError(f"unknown language {value!r}; expected one of {LANGUAGES}")
        self._qs.setValue("ui/language", value)

    # -- last station per connection --------------------------------------------------------

    def last_station(self, connection: str) -> str | None:
        value = self._qs.value(f"last_station/{_key(connection)}")
        return value if isinstance(value, str) and value else None

    def set_last_station(self, connection: str, station_id: str | None) -> None:
        key = f"last_station/{_key(connection)}"
        if station_id is None:
            self._qs.remove(key)
        else:
            self._qs.setValue(key, station_id)

    # -- page options -----------------------------------------------------------------

    def value(self, key: str, default: T) -> T:
        """A page's own option (``"library/sort_column"``); ``default`` gives the type, and a
        stored value that does not convert to it (a hand-edited file) gives ``default``."""
        raw = self._qs.value(key)
        if raw is None:
            return default
        converted: object = raw
        if isinstance(default, bool):  # INI files store booleans as "true"/"false"
            converted = {"true": True, "false": False}.get(str(raw).lower())
        elif isinstance(default, (int, float)):
            try:
                converted = type(default)(raw)
            except (TypeError, ValueError):
                converted = None
        return converted if isinstance(converted, type(default)) else default

    def set_value(self, key: str, value: object) -> None:
        self._qs.setValue(key, value)

    # -- window and views ---------------------------------------------------------------

    def save_window(self, window: QMainWindow) -> None:
        self._qs.setValue("window/geometry", window.saveGeometry())
        self._qs.setValue("window/state", window.saveState())

    def restore_window(self, window: QMainWindow) -> bool:
        """Put the window back where it was; False when nothing was saved (first start)."""
        geometry = self._bytes("window/geometry")
        state = self._bytes("window/state")
        restored = geometry is not None and window.restoreGeometry(geometry)
        if state is not None:
            window.restoreState(state)
        return restored

    def save_views(self, key: str, root: QWidget) -> None:
        """Column layouts of the named tables and positions of the named splitters under
        ``root`` (a page), stored under ``key``."""
        for view in _named(root, QTableView):
            self._qs.setValue(f"views/{key}/{view.objectName()}/header",
                              view.horizontalHeader().saveState())
        for splitter in _named(root, QSplitter):
            self._qs.setValue(f"views/{key}/{splitter.objectName()}/splitter",
                              splitter.saveState())

    def restore_views(self, key: str, root: QWidget) -> None:
        for view in _named(root, QTableView):
            state = self._bytes(f"views/{key}/{view.objectName()}/header")
            if state is not None and view.horizontalHeader().restoreState(state):
                view.setProperty(FITTED, True)  # the user's widths win over fitting
        for splitter in _named(root, QSplitter):
            state = self._bytes(f"views/{key}/{splitter.objectName()}/splitter")
            if state is not None:
                splitter.restoreState(state)

    def sync(self) -> None:
        self._qs.sync()

    def _bytes(self, key: str) -> QByteArray | None:
        value = self._qs.value(key)
        if isinstance(value, QByteArray) and not value.isEmpty():
            return value
        if isinstance(value, bytes) and value:
            return QByteArray(value)
        return None


def _key(connection: str) -> str:
    """A settings key for a connection name (any characters) that INI files keep as is."""
    return hashlib.sha256(connection.encode("utf-8")).hexdigest()[:24]


W = TypeVar("W", bound=QWidget)


def _named(root: QWidget, kind: type[W]) -> list[W]:
    return [w for w in root.findChildren(kind) if w.objectName()]
