"""Statistics: listeners in real time and over 24 hours, 7 days, 30 days and a year,
per bitrate, peak and average; the play history and the top songs; PNG and CSV exports.

The 24-hour chart reads the raw 5-minute samples; longer ranges read stationd's hourly and
daily roll-ups (:class:`~station_desktop.services.rollups.RollupService`). The real-time
chart re-reads the last hour of samples every poll while the page is visible.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QWidget,
)

from station_desktop.errors import StationError
from station_desktop.services.history import PlayHistoryService, PlayRecord, TopSong
from station_desktop.services.rollups import RollupService
from station_desktop.services.stats import MAX_SAMPLE_GAP, ChartSeries
from station_desktop.services.workspace import Workspace
from station_desktop.ui import formatting as fmt
from station_desktop.ui.asyncslot import async_slot
from station_desktop.ui.labels import label
from station_desktop.ui.page import StationPage
from station_desktop.ui.statistics.chart import ListenerChart
from station_desktop.ui.statistics.export import write_csv
from station_desktop.ui.statistics.ranges import ChartRange, Window, window
from station_desktop.ui.table_model import Column, RecordTableModel
from station_desktop.ui.widgets import fit_columns, make_table
from station_desktop.ui.worker import DbWorker

POLL_MS = 15_000  # real-time refresh while visible
HISTORY_ROWS = 200
TOP_SONGS = 20


class StatisticsPage(StationPage):
    """A heading over the chart and tables, or a message where there is nothing to show."""

    def __init__(self, worker: DbWorker, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Statistics"), "", worker, parent)
        self.timezone = "UTC"
        self.chart_range = ChartRange.DAY
        self.current_window: Window | None = None
        self.clock: Callable[[], dt.datetime] = _utc_now  # tests may fix the time
        self.chart = ListenerChart()
        self._build_bar()
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.content.addWidget(self.summary)
        self.content.addWidget(self._build_body(), 1)
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self._poll)

    def _build_bar(self) -> None:
        bar = QHBoxLayout()
        self.range_group = QButtonGroup(self)
        self.range_buttons: dict[ChartRange, QPushButton] = {}
        for chart_range, text in (
            (ChartRange.REALTIME, self.tr("Real time")), (ChartRange.DAY, self.tr("24 hours")),
            (ChartRange.WEEK, self.tr("7 days")), (ChartRange.MONTH, self.tr("30 days")),
            (ChartRange.YEAR, self.tr("Year")),
        ):
            button = QPushButton(text)
            button.setCheckable(True)
            button.setObjectName(f"range-{chart_range.value}")
            button.clicked.connect(lambda _=False, r=chart_range: self._choose_range(r))
            self.range_group.addButton(button)
            self.range_buttons[chart_range] = button
            bar.addWidget(button)
        self.range_buttons[self.chart_range].setChecked(True)
        bar.addStretch(1)
        self.content.addLayout(bar)
        bar = QHBoxLayout()
        self.per_bitrate = QCheckBox(self.tr("Per bitrate"))
        self.per_bitrate.setToolTip(self.tr("Stack the average listeners of each bitrate "
                                            "(mount) instead of the total."))
        self.per_bitrate.toggled.connect(self.chart.set_per_bitrate)
        bar.addWidget(self.per_bitrate)
        self.show_peak = QCheckBox(self.tr("Peak"))
        self.show_peak.setChecked(True)
        self.show_peak.toggled.connect(self.chart.set_show_peak)
        bar.addWidget(self.show_peak)
        bar.addStretch(1)
        self.png_button = QPushButton(self.tr("Export PNG…"))
        self.png_button.clicked.connect(self.choose_png)
        self.csv_button = QPushButton(self.tr("Export CSV…"))
        self.csv_button.clicked.connect(self.choose_csv)
        bar.addWidget(self.png_button)
        bar.addWidget(self.csv_button)
        self.content.addLayout(bar)

    def _build_body(self) -> QSplitter:
        self.history_model: RecordTableModel[PlayRecord] = RecordTableModel([
            Column(self.tr("Started"), lambda r: fmt.datetime(r.started_at)),
            Column(self.tr("Title"), lambda r: r.title or "—"),
            Column(self.tr("Artist"), lambda r: r.artist or "—"),
            Column(self.tr("Kind"), lambda r: label(r.kind)),
            Column(self.tr("Listeners"), lambda r: fmt.number(r.listeners_at_start),
                   align_right=True),
        ])
        self.history_view = make_table(self.history_model, "statistics-play-history", 1)
        self.top_model: RecordTableModel[TopSong] = RecordTableModel([
            Column(self.tr("Plays"), lambda r: fmt.number(r.plays), align_right=True),
            Column(self.tr("Title"), lambda r: r.title or "—"),
            Column(self.tr("Artist"), lambda r: r.artist or "—"),
        ])
        self.top_view = make_table(self.top_model, "statistics-top-songs", 1)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.history_view, self.tr("Play history"))
        self.tabs.addTab(self.top_view, self.tr("Top songs in the range"))
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.chart)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        return splitter

    # -- loading ---------------------------------------------------------------------------

    def show_empty(self, message: str) -> None:
        self.timer.stop()
        super().show_empty(message)

    async def load_station(self, workspace: Workspace, station_id: str | None) -> None:
        assert station_id is not None  # needs_station
        station = await self.run(workspace.stations.get_station, station_id)
        if station is None or not self.is_current(workspace, station_id):
            return
        self.timezone = station.timezone
        self.chart.set_timezone(station.timezone)
        self.show_content()
        await self.show_range(self.chart_range)
        plays = PlayHistoryService(workspace.db)
        history = await self.run(plays.history, station_id, HISTORY_ROWS)
        if history is None or not self.is_current(workspace, station_id):
            return
        self.history_model.set_records(history)
        fit_columns(self.history_view)

    async def show_range(self, chart_range: ChartRange) -> None:
        """Switch the chart to ``chart_range`` and load its data (and its top songs)."""
        self.chart_range = chart_range
        self.range_buttons[chart_range].setChecked(True)
        self._update_timer()
        await self.refresh()

    async def refresh(self, *, quiet: bool = False) -> None:
        """Reload the chart. ``quiet`` (the real-time poll): an error shows in the summary
        line instead of a dialog, so a database that is away does not pile up dialogs."""
        workspace, station_id = self.workspace, self.station_id
        if workspace is None or station_id is None:
            return
        chart_range = self.chart_range
        span = window(chart_range, self.clock())
        series: ChartSeries | None
        if chart_range is ChartRange.REALTIME and quiet:
            try:
                series = await self.worker.call(workspace.stats.recent, station_id, span.start)
            except StationError as error:
                self.summary.setText(str(error))
                return
            gap = MAX_SAMPLE_GAP.total_seconds()
        elif chart_range is ChartRange.REALTIME:
            series = await self.run(workspace.stats.recent, station_id, span.start)
            gap = MAX_SAMPLE_GAP.total_seconds()
        else:
            rollups = RollupService(workspace.db)
            buckets = await self.run(rollups.history, station_id, span.start, span.end,
                                     span.bucket)
            series = ChartSeries.from_buckets(buckets) if buckets is not None else None
            gap = max(span.bucket, MAX_SAMPLE_GAP).total_seconds()
        if (series is None or not self.is_current(workspace, station_id)
                or chart_range is not self.chart_range):
            return
        self.current_window = span
        self.chart.set_series(series, gap)
        self._show_summary(series)
        if chart_range is not ChartRange.REALTIME:
            plays = PlayHistoryService(workspace.db)
            top = await self.run(plays.top_songs, station_id, span.start, span.end, TOP_SONGS)
            if top is not None and self.is_current(workspace, station_id):
                self.top_model.set_records(top)
                fit_columns(self.top_view)

    def _show_summary(self, series: ChartSeries) -> None:
        if not len(series):
            self.summary.setText(self.tr("No samples in this range: stationd records them "
                                         "while the station is on air."))
            return
        self.summary.setText(self.tr("Peak {peak} · average {average} listeners").format(
            peak=fmt.number(series.peak_listeners),
            average=fmt.number(series.average_listeners, 1)))

    @async_slot(object)
    async def _choose_range(self, chart_range: ChartRange) -> None:
        await self.show_range(chart_range)

    # -- real time -------------------------------------------------------------------------

    def _update_timer(self) -> None:
        if self.chart_range is ChartRange.REALTIME and self.isVisible():
            self.timer.start()
        else:
            self.timer.stop()

    @async_slot()
    async def _poll(self) -> None:
        if self.chart_range is ChartRange.REALTIME and self.isVisible():
            await self.refresh(quiet=True)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self._update_timer()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt override
        super().hideEvent(event)
        self.timer.stop()

    # -- exports ---------------------------------------------------------------------------

    def choose_png(self) -> None:
        dialog = QFileDialog(self, self.tr("Export the chart as PNG"))
        dialog.setObjectName("export-png-dialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("png")
        dialog.setNameFilters([self.tr("PNG images (*.png)")])
        dialog.fileSelected.connect(lambda name: self.export_png(Path(name)))
        dialog.open()

    def choose_csv(self) -> None:
        dialog = QFileDialog(self, self.tr("Export the chart's data as CSV"))
        dialog.setObjectName("export-csv-dialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("csv")
        dialog.setNameFilters([self.tr("CSV files (*.csv)")])
        dialog.fileSelected.connect(lambda name: self._export_csv_later(Path(name)))
        dialog.open()

    def export_png(self, path: Path) -> bool:
        """Render the chart to ``path``; a failure is shown and returns False."""
        try:
            self.chart.export_png(path)
        except OSError as error:
            self.show_error(self.tr("The chart was not exported"), str(error))
            return False
        if not path.is_file():
            self.show_error(self.tr("The chart was not exported"),
                            self.tr("The image could not be written to {path}.").format(
                                path=str(path)))
            return False
        return True

    @async_slot(object)
    async def _export_csv_later(self, path: Path) -> None:
        await self.export_csv(path)

    async def export_csv(self, path: Path) -> bool:
        """Write the chart's data to ``path`` off the UI thread; a failure is shown."""
        try:
            await asyncio.to_thread(write_csv, path, self.chart.series, self.timezone)
        except OSError as error:
            self.show_error(self.tr("The data was not exported"), str(error))
            return False
        return True


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
