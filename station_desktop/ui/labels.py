"""What the database's code words (statuses, kinds, modes) read as in the user's language.

Services return the values the shared schema stores ("rotation", "online", "random"); the
views show them through :func:`label`, which falls back to the stored word for a value this
version does not know (a newer platform may add some).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def label(value: str | None) -> str:
    if value is None:
        return "—"
    known = {
        # playlist types
        "rotation": QCoreApplication.translate("Labels", "Rotation"),
        "special": QCoreApplication.translate("Labels", "Special"),
        "jingles": QCoreApplication.translate("Labels", "Jingles"),
        # stream configuration statuses
        "active": QCoreApplication.translate("Labels", "Active"),
        "inactive": QCoreApplication.translate("Labels", "Inactive"),
        "error": QCoreApplication.translate("Labels", "Error"),
        # server statuses
        "online": QCoreApplication.translate("Labels", "Online"),
        "offline": QCoreApplication.translate("Labels", "Offline"),
        "maintenance": QCoreApplication.translate("Labels", "Maintenance"),
        "unknown": QCoreApplication.translate("Labels", "Unknown"),
        # playback modes
        "random": QCoreApplication.translate("Labels", "Random"),
        "sequential": QCoreApplication.translate("Labels", "Sequential"),
        # track statuses
        "processing": QCoreApplication.translate("Labels", "Processing"),
        "ready": QCoreApplication.translate("Labels", "Ready"),
        "missing": QCoreApplication.translate("Labels", "Missing"),
        # alert severities
        "warning": QCoreApplication.translate("Labels", "Warning"),
        "critical": QCoreApplication.translate("Labels", "Critical"),
    }
    return known.get(value, value)
