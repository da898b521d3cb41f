"""The listeners chart: average and peak over time, or the average stacked per bitrate.

One :class:`ListenerChart` per page; :meth:`ListenerChart.set_series` replaces what it
draws. Points whose distance exceeds the expected spacing (a bucket, or the daemon's
longest sampling gap) are not joined: no data is drawn as a gap, never as zero listeners.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path

import numpy as np

import pyqtgraph as pg
from pyqtgraph.exporters import ImageExporter
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from station_desktop.services.stats import ChartSeries

_configured = False

AVERAGE_COLOR = "#2f80ed"
PEAK_COLOR = "#eb5757"
# Stacked layers, bottom to top: 64, 128, 320 kbps, then any other bitrate.
LAYERS: tuple[tuple[str, str], ...] = (
    ("64", "#56ccf2"), ("128", "#2f80ed"), ("320", "#9b51e0"), ("other", "#bdbdbd"),
)


def configure_pyqtgraph() -> None:
    """pyqtgraph's global options, set once before the first plot is made."""
    global _configured  # noqa: PLW0603 - process-wide library configuration, set once
    if not _configured:
        pg.setConfigOptions(antialias=True, background="w", foreground="k")
        _configured = True


def utc_offset_seconds(timezone: str, at: dt.datetime) -> int:
    """The zone's offset from UTC at ``at``, in seconds east of Greenwich."""
    offset = at.astimezone(zoneinfo.ZoneInfo(timezone)).utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


def joins(times: np.ndarray, max_gap: float) -> np.ndarray:
    """``connect`` array for pyqtgraph: join point i to i+1 only if they are close."""
    out = np.ones(len(times), dtype=bool)
    if len(times) > 1:
        out[:-1] = np.diff(times) <= max_gap
    return out


class ListenerChart(pg.PlotWidget):  # type: ignore[misc]  # pyqtgraph is untyped
    def __init__(self, parent: QWidget | None = None) -> None:
        configure_pyqtgraph()
        self.date_axis = pg.DateAxisItem(orientation="bottom")
        super().__init__(parent, axisItems={"bottom": self.date_axis})
        self.setObjectName("listener-chart")
        self.setMinimumHeight(180)
        item = self.getPlotItem()
        item.showGrid(x=True, y=True, alpha=0.25)
        item.setLabel("left", QCoreApplication.translate("ListenerChart", "Listeners"))
        item.setMouseEnabled(x=True, y=False)
        self.legend = item.addLegend(offset=(10, 10))
        self.series = ChartSeries((), (), (), (), (), (), ())
        self.per_bitrate = False
        self.show_peak = True
        self.max_gap = 0.0
        self.layers: dict[str, pg.PlotDataItem] = {}
        for key, color in reversed(LAYERS):  # the top layer first: lower ones paint over it
            fill = QColor(color)
            fill.setAlpha(200)
            self.layers[key] = item.plot(
                [], [], pen=pg.mkPen(color, width=1), fillLevel=0, brush=fill,
                name=self._layer_name(key))
        self.average_curve = item.plot(
            [], [], pen=pg.mkPen(AVERAGE_COLOR, width=2),
            name=QCoreApplication.translate("ListenerChart", "Average"))
        self.peak_curve = item.plot(
            [], [], pen=pg.mkPen(PEAK_COLOR, width=1.5, style=pg.QtCore.Qt.PenStyle.DashLine),
            name=QCoreApplication.translate("ListenerChart", "Peak"))
        self._apply_visibility()

    @staticmethod
    def _layer_name(key: str) -> str:
        if key == "64":
            return QCoreApplication.translate("ListenerChart", "64 kbps")
        if key == "128":
            return QCoreApplication.translate("ListenerChart", "128 kbps")
        if key == "320":
            return QCoreApplication.translate("ListenerChart", "320 kbps")
        return QCoreApplication.translate("ListenerChart", "Other bitrates")

    def set_timezone(self, timezone: str) -> None:
        """Label the date axis in the station's time zone (its offset now)."""
        offset = utc_offset_seconds(timezone, dt.datetime.now(dt.UTC))
        self.date_axis.utcOffset = -offset  # pyqtgraph counts seconds west of UTC
        self.date_axis.picture = None
        self.date_axis.update()

    def set_series(self, series: ChartSeries, max_gap: float) -> None:
        """Draw ``series``; points further apart than ``max_gap`` seconds are not joined."""
        self.series = series
        self.max_gap = max_gap
        times = np.asarray(series.times, dtype=float)
        connect = joins(times, max_gap)
        average = np.asarray(series.average, dtype=float)
        self.average_curve.setData(times, average, connect=connect)
        self.peak_curve.setData(times, np.asarray(series.peak, dtype=float), connect=connect)
        # Filled areas cannot take a ``connect`` array (the fill would bridge the gap): a
        # NaN point between two separated runs ends one area and starts the next.
        breaks = np.flatnonzero(~connect[:-1]) + 1 if len(times) > 1 else np.array([], int)
        gapped_times = np.insert(times, breaks, np.nan)
        stacked = np.zeros(len(times))
        parts = {"64": series.avg_64, "128": series.avg_128, "320": series.avg_320}
        for key, _color in LAYERS:
            if key == "other":
                stacked = np.maximum(average, stacked)  # the rest of the total
            else:
                stacked = stacked + np.asarray(parts[key], dtype=float)
            self.layers[key].setData(gapped_times, np.insert(stacked, breaks, np.nan),
                                     connect="finite")
        item = self.getPlotItem()
        item.enableAutoRange(x=True)
        top = max(max(series.peak, default=0), float(average.max(initial=0.0)))
        item.setYRange(0, max(top * 1.08, 5.0), padding=0)

    def set_per_bitrate(self, on: bool) -> None:
        self.per_bitrate = on
        self._apply_visibility()

    def set_show_peak(self, on: bool) -> None:
        self.show_peak = on
        self._apply_visibility()

    def _apply_visibility(self) -> None:
        for curve in self.layers.values():
            curve.setVisible(self.per_bitrate)
        self.average_curve.setVisible(not self.per_bitrate)
        self.peak_curve.setVisible(self.show_peak)
        self.legend.clear()  # the legend names only what is drawn
        for curve in (*self.layers.values(), self.average_curve, self.peak_curve):
            if curve.isVisible():
                self.legend.addItem(curve, curve.name())

    def export_png(self, path: Path, width: int = 1600) -> None:
        """Render the chart into a PNG image ``width`` pixels wide."""
        exporter = ImageExporter(self.getPlotItem())
        exporter.parameters()["width"] = width
        exporter.export(str(path))
