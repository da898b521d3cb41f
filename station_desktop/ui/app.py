"""``station-desktop``: start-up in explicit order (logging, Qt, the loop, the window, data).

With no arguments the app opens the last connection profile, or on first start the
embedded default: a local SQLite database with a demo station.
"""

from __future__ import annotations

import argparse
import asyncio
import faulthandler
import logging
import logging.handlers
import os
import sys
import traceback
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from types import TracebackType

import qasync
from pyqtgraph.util.garbage_collector import GarbageCollector
from PySide6.QtCore import QLocale, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from station_desktop import __version__
from station_desktop.config import paths
from station_desktop.config.profiles import ProfileStore, default_profiles_path
from station_desktop.services.workspace import Workspace, open_startup_workspace
from station_desktop.ui.i18n import install_translators
from station_desktop.ui.live.dj_mode import run_dj_mode
from station_desktop.ui.main_window import MainWindow
from station_desktop.ui.pages.registry import default_pages
from station_desktop.ui.settings import AppSettings
from station_desktop.ui.worker import DbWorker

log = logging.getLogger("station_desktop.ui.app")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="station-desktop", description=__doc__)
    parser.add_argument("--database-url", help="open this database instead of the last profile "
                        "(mysql+pymysql://user@host/db or sqlite:///path)")
    parser.add_argument("--profile", help="open this connection profile")
    parser.add_argument("--dj", action="store_true",
                        help="DJ mode: watch whether a mount is on air (no database needed)")
    parser.add_argument("--screenshot", type=Path, metavar="PNG",
                        help="save a picture of the window once loaded, then quit")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser.parse_args(argv)


def configure_logging(log_dir: Path) -> Path:
    log_dir.mkdir(parents=True, exist_ok=True)
    log_file = log_dir / "station-desktop.log"
    handler = logging.handlers.RotatingFileHandler(
        log_file, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return log_file


def application_icon() -> QIcon:
    """The window icon: the PNGs rendered from packaging/icons/station-desktop.svg by
    packaging/make-icons, shipped as package data (``station_desktop/ui/icons/``)."""
    icon = QIcon()
    for png in sorted(Path(str(resources.files("station_desktop.ui") / "icons")).glob("*.png")):
        icon.addFile(str(png))
    return icon


def install_excepthook(log_file: Path) -> None:
    """Unexpected errors (a bug) are logged and shown; the app stays up."""

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        details = "".join(traceback.format_exception(kind, error, tb))
        log.error("unexpected error:\n%s", details)
        if QApplication.instance() is None:
            sys.__excepthook__(kind, error, tb)
            return
        box = QMessageBox(QMessageBox.Icon.Critical, "Station Desktop",
                          QApplication.translate("app", "Something went wrong. The details are "
                                                 "in the log file:\n{path}").format(path=log_file))
        box.setDetailedText(details)
        box.open()

    sys.excepthook = hook


def _opener(args: argparse.Namespace) -> Callable[[], Workspace]:
    def open_() -> Workspace:  # runs on the worker thread: it reads files and connects
        return open_startup_workspace(
            ProfileStore(default_profiles_path()), paths.data_dir(),
            profile_name=args.profile, database_url=args.database_url,
        )

    return open_


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    faulthandler.enable()
    os.environ.setdefault("QT_API", "pyside6")
    log_file = configure_logging(paths.log_dir())
    log.info("Station Desktop %s starting", __version__)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Station Desktop")
    app.setOrganizationName("Station Desktop")
    app.setApplicationVersion(__version__)
    app.setWindowIcon(application_icon())
    # Wayland and GNOME match windows to packaging/linux/station-desktop.desktop by this name.
    app.setDesktopFileName("station-desktop")
    install_excepthook(log_file)
    # Python's cyclic collector runs in whichever thread allocates; freeing a Qt object on
    # the database worker or the network thread crashes Qt. Collect on the UI thread only.
    collector = GarbageCollector(interval=1.0)
    settings = AppSettings()
    install_translators(app, settings.language)
    log.info("locale %s (language setting: %s)", QLocale().name(), settings.language)
    if args.dj:
        return run_dj_mode(app, settings)

    worker = DbWorker()
    window = MainWindow(worker, default_pages(), settings=settings,
                        profiles=ProfileStore(default_profiles_path()), data_dir=paths.data_dir())
    exit_code = 0

    async def run() -> None:
        nonlocal exit_code
        closed = asyncio.Event()
        app.aboutToQuit.connect(closed.set)
        window.show()
        await window.open_workspace(_opener(args))
        if args.screenshot is not None:
            await window.settled()
            QTimer.singleShot(200, lambda: _save_screenshot(window, args.screenshot))
        await closed.wait()

    try:
        qasync.run(run())
    finally:
        if window.workspace is not None:
            window.workspace.close()  # the window is gone: nothing waits on this any more
        worker.shutdown()
        collector.timer.stop()
    return exit_code


def _save_screenshot(window: MainWindow, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(path))
    log.info("screenshot saved to %s", path)
    QApplication.quit()


if __name__ == "__main__":
    sys.exit(main())
