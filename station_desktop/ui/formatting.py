"""Numbers, sizes, dates and durations as the user's language writes them (QLocale).

``QLocale()`` is the default locale, which :func:`station_desktop.ui.i18n.install_translators`
sets to the language the user chose, so "1.234,5" in Spanish and "1,234.5" in English.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale, QTimeZone


def number(value: float, decimals: int = 0) -> str:
    locale = QLocale()
    if decimals == 0:
        return locale.toString(round(value))
    return locale.toString(float(value), "f", decimals)


def decimal(value: float) -> str:
    """As few digits as the value needs: ``3``, ``2.5`` (``2,5`` in Spanish), ``-14``."""
    return QLocale().toString(float(value), "g",
                              QLocale.FloatingPointPrecisionOption.FloatingPointShortest)


def data_size(count: int) -> str:
    """``5.0 GB`` / ``5,0 GB``: sizes in powers of 1024 with the units people expect."""
    return QLocale().formattedDataSize(
        count, 1, QLocale.DataSizeFormat.DataSizeTraditionalFormat)


def duration(seconds: float) -> str:
    """``3:07`` or ``1:02:03`` (hours only when there are any)."""
    minutes, secs = divmod(max(round(seconds), 0), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{QLocale().toString(hours)}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def minutes(count: int) -> str:
    """``90 min`` in the user's language."""
    text = QCoreApplication.translate("Format", "{minutes} min")
    return text.format(minutes=QLocale().toString(count))


def kbps(bitrate: int) -> str:
    text = QCoreApplication.translate("Format", "{bitrate} kbps")
    return text.format(bitrate=QLocale().toString(bitrate))


def datetime(value: dt.datetime) -> str:
    """An instant in the computer's time zone, in the locale's short form."""
    moment = QDateTime.fromMSecsSinceEpoch(round(value.timestamp() * 1000),
                                           QTimeZone.systemTimeZone())
    return QLocale().toString(moment, QLocale.FormatType.ShortFormat)


def time_of_day(value: dt.datetime) -> str:
    moment = QDateTime.fromMSecsSinceEpoch(round(value.timestamp() * 1000),
                                           QTimeZone.systemTimeZone())
    return QLocale().toString(moment.time(), QLocale.FormatType.ShortFormat)


def day_name(day_of_week: int) -> str:
    """The seed counts 0 = Sunday; Qt counts 1 = Monday … 7 = Sunday."""
    return QLocale().dayName(7 if day_of_week == 0 else day_of_week)


def yes_no(value: bool) -> str:
    if value:
        return QCoreApplication.translate("Format", "yes")
    return QCoreApplication.translate("Format", "no")
