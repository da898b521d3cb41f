"""The interface language: our catalogs and Qt's own, chosen from a setting or the system.

Translations are Qt Linguist catalogs: ``resources/i18n/station_desktop_<lang>.ts`` is the
source (edit it with ``pyside6-linguist``), ``scripts/update-translations`` extracts new
strings into it and compiles the ``.qm`` that ships inside the package
(``station_desktop/ui/i18n/``). English is the source language: its catalog holds only the
plural forms ("1 track", "2 tracks") of messages translated with a count.
The language is read once at start-up; changing it takes effect at the next start.
"""

from __future__ import annotations

import logging
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger("station_desktop.ui.i18n")

CATALOG = "station_desktop"
SHIPPED = ("en", "es")  # catalogs; English (the source language) only for plural forms


def catalog_dir() -> Path:
    """Where the compiled catalogs are (a real directory in any installed package)."""
    return Path(str(resources.files("station_desktop.ui") / "i18n"))


def locale_for(language: str) -> QLocale:
    """``system`` → the computer's locale, else the named language (``en``, ``es``)."""
    return QLocale.system() if language == "system" else QLocale(language)


def install_translators(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Make ``language`` the application's language; returns the translators installed.

    Sets the default QLocale (numbers and dates follow it) and installs our catalog and
    Qt's (standard buttons, dialogs) when the locale has them.
    """
    locale = locale_for(language)
    QLocale.setDefault(locale)
    installed = []
    ours = QTranslator(app)
    if ours.load(locale, CATALOG, "_", str(catalog_dir())):
        log.info("interface language %s (%s)", ours.language(), ours.filePath())
        installed.append(ours)
    else:
        log.info("interface language: English (no catalog for %s)", locale.name())
    qt = QTranslator(app)
    if qt.load(locale, "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        installed.append(qt)
    for translator in installed:
        app.installTranslator(translator)
    return installed
