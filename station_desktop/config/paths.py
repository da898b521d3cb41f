"""Where Station Desktop keeps its files: the per-user directories of each OS.

``platformdirs`` gives the platform's conventions (``~/.config/station-desktop`` and
``~/.local/share/station-desktop`` and ``~/.local/state/station-desktop/log`` on Linux,
``~/Library/...`` on macOS, ``%LOCALAPPDATA%`` on Windows). Setting
``STATION_DESKTOP_HOME`` puts all of them under one directory instead (``config/``,
``data/``, ``logs/``): tests use it, and so can a portable install.

Nothing here creates a directory; whoever writes a file creates its parent.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "station-desktop"
HOME_ENV = "STATION_DESKTOP_HOME"


def _home() -> Path | None:
    value = os.environ.get(HOME_ENV)
    return Path(value).expanduser() if value else None


def config_dir() -> Path:
    """Settings and connection profiles (no secrets: those live in the OS keyring)."""
    home = _home()
    if home is not None:
        return home / "config"
    return platformdirs.user_config_path(APP_NAME, appauthor=False)


def data_dir() -> Path:
    """The embedded SQLite database, caches."""
    home = _home()
    if home is not None:
        return home / "data"
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def log_dir() -> Path:
    home = _home()
    if home is not None:
        return home / "logs"
    return platformdirs.user_log_path(APP_NAME, appauthor=False)
