"""The weekly schedule page: the grid, a default playlist for new blocks, undo and redo,
and a message line that says why a change was refused.

A change is checked here first, with the service's own overlap rule, against the blocks
on screen: an overlapping drop snaps back at once and nothing is sent. What passes is
saved through :class:`~station_desktop.services.schedule.ScheduleService` with the
version on screen; the service checks again under the station's lock (someone else may
have added a block meanwhile) and its :class:`~station_desktop.errors.ScheduleOverlap`
is shown the same way.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import html
import logging
import zoneinfo
from collections.abc import Awaitable, Callable

from PySide6.QtCore import QDate, QLocale, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from station_desktop.errors import Conflict, NotFound, ScheduleOverlap, StationError
from station_desktop.services.playlists import PlaylistRecord
from station_desktop.services.schedule import BlockFields, BlockRecord
from station_desktop.services.weektime import (
    DAYS_PER_WEEK,
    WeekSpan,
    crosses_midnight,
    format_hhmm,
    parse_hhmm,
    seed_day_of_week,
)
from station_desktop.ui.schedule import geometry as geo
from station_desktop.ui.schedule.commands import ChangeBlock, CreateBlock, DeleteBlock
from station_desktop.ui.schedule.dialogs import BlockDialog
from station_desktop.ui.schedule.grid import GridBlock, WeekGrid, block_colors, day_name
from station_desktop.ui.undo import UndoablePage
from station_desktop.ui.worker import DbWorker

log = logging.getLogger("station_desktop.ui")

Clock = Callable[[], dt.datetime]
OPEN_AT = 6 * 60  # the grid opens scrolled to the morning


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class SchedulePage(UndoablePage):
    """Signals:
        changed(): a change was saved.
    """

    changed = Signal()

    def __init__(self, worker: DbWorker, parent: QWidget | None = None) -> None:
        super().__init__(worker, parent)
        self.clock: Clock = _utc_now
        self.first_day = geo.qt_day_to_seed(QLocale().firstDayOfWeek().value)
        self.zone: zoneinfo.ZoneInfo = zoneinfo.ZoneInfo("UTC")
        self.timezone_name = "UTC"
        self._records: list[BlockRecord] = []
        self._playlists: list[PlaylistRecord] = []
        self._hues: dict[str, int] = {}
        self._gaps: list[geo.ClockGap] = []
        self._gaps_for: tuple[str, dt.date] | None = None
        self._dialog: BlockDialog | None = None
        self._build()
        self._now_timer = QTimer(self)
        self._now_timer.setSingleShot(True)
        self._now_timer.timeout.connect(self._tick)
        self.queue.busy_changed.connect(lambda _busy: self._update_actions())
        self._update_actions()

    def _build(self) -> None:
        self.grid = WeekGrid(self.first_day)
        self.grid.create_requested.connect(self._on_create_requested)
        self.grid.change_requested.connect(self._on_change_requested)
        self.grid.edit_requested.connect(self._on_edit_requested)
        self.grid.delete_requested.connect(self._on_delete_requested)
        self.grid.selection_changed.connect(lambda _id: self._update_actions())

        self.default_combo = QComboBox()
        self.default_combo.setMinimumWidth(200)
        self.default_combo.setToolTip(self.tr("The playlist a block drawn on the grid plays; "
                                              "“Ask each time” opens a dialog instead."))
        self.edit_action = QAction(self.tr("&Edit…"), self)
        self.edit_action.setToolTip(self.tr("Edit the selected block (or double-click it)"))
        self.edit_action.triggered.connect(self._on_edit_triggered)
        self.delete_action = QAction(self.tr("&Delete"), self)
        self.delete_action.setToolTip(self.tr("Delete the selected block (Delete)"))
        self.delete_action.triggered.connect(self._on_delete_triggered)
        toolbar = QToolBar()
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        toolbar.addWidget(QLabel(self.tr("New blocks play:") + " "))
        toolbar.addWidget(self.default_combo)
        toolbar.addSeparator()
        toolbar.addAction(self.edit_action)
        toolbar.addAction(self.delete_action)
        toolbar.addSeparator()
        toolbar.addAction(self.undo_action)
        toolbar.addAction(self.redo_action)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar.addWidget(spacer)
        self.zone_label = QLabel()
        self.zone_label.setStyleSheet("color: palette(placeholder-text);")
        toolbar.addWidget(self.zone_label)

        heading = QLabel(self.tr("Weekly schedule"))
        heading.setStyleSheet("font-size: 15px; font-weight: 600;")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        layout.addLayout(top)
        layout.addWidget(toolbar)
        layout.addWidget(self.message)
        layout.addWidget(self.grid, 1)
        layout.addWidget(self.legend)

    # -- what the commands use ----------------------------------------------------------

    def report_history_failure(self, error: StationError) -> None:
        self.say(str(error) + " " + self.tr("The undo history was cleared."))

    async def show_change(self, select: str | None) -> None:
        """After a saved change: reload the blocks and select ``select``."""
        await self._reload()
        if select is not None:
            self.grid.select_block(select)
        self.changed.emit()

    # -- loading ------------------------------------------------------------------------

    async def load(self) -> None:
        first = self._new_context()
        if first:
            self.say(None)
        await self.queue.submit(self._reload_quietly)
        if first:
            self.grid.scroll_to_minute(OPEN_AT)

    async def reload(self) -> None:
        await self.queue.submit(self._reload_quietly)

    async def _reload_quietly(self) -> None:
        try:
            await self._reload()
        except StationError as error:
            self.say(str(error))

    async def _reload(self) -> None:
        workspace, station_id = self.workspace, self.station_id
        if workspace is None or station_id is None:
            self._records, self._playlists = [], []
            self.grid.set_blocks([])
            self._fill_playlists()
            return
        station = await self.call(workspace.stations.get_station, station_id)
        playlists = await self.call(workspace.playlists.list_playlists, station_id)
        blocks = await self.call(workspace.schedule.list_blocks, station_id)
        self._set_zone(station.timezone)
        self._playlists = playlists
        self._hues = geo.assign_hues(p.id for p in playlists)
        self._records = blocks
        self._fill_playlists()
        self.grid.set_blocks(self._grid_blocks())
        self._tick()
        self._update_actions()

    def _set_zone(self, name: str) -> None:
        try:
            self.zone = zoneinfo.ZoneInfo(name)
            self.timezone_name = name
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            self.zone, self.timezone_name = zoneinfo.ZoneInfo("UTC"), "UTC"
            self.say(self.tr("The station's time zone {zone} is not known here; the grid "
                             "shows UTC. Set a time zone such as Europe/Madrid in the "
                             "station's settings.").format(zone=name))
        self.zone_label.setText(self.tr("Times in {zone}").format(zone=self.timezone_name))
        today = self.clock().astimezone(self.zone).date()
        if self._gaps_for != (self.timezone_name, today):
            self._gaps = geo.spring_forward_gaps(self.zone, today)
            self._gaps_for = (self.timezone_name, today)

    def _fill_playlists(self) -> None:
        current = self.default_combo.currentData()
        self.default_combo.blockSignals(True)
        self.default_combo.clear()
        self.default_combo.addItem(self.tr("Ask each time"), None)
        for record in self._playlists:
            self.default_combo.addItem(("★ " if record.is_main else "") + record.name,
                                       record.id)
        self.default_combo.setCurrentIndex(max(self.default_combo.findData(current), 0))
        self.default_combo.blockSignals(False)
        chips = []
        for record in self._playlists:
            if record.type == "jingles":
                continue
            fill, accent, _text = block_colors(self._hues[record.id])
            chips.append(
                f'<span style="background:{fill.name()}; color:{accent.name()};">'
                f"&nbsp;■&nbsp;</span>&nbsp;{html.escape(record.name)}")
        self.legend.setText("&nbsp;&nbsp;&nbsp;".join(chips))

    # -- what the grid shows ------------------------------------------------------------

    @property
    def blocks(self) -> list[BlockRecord]:
        return list(self._records)

    def block_record(self, block_id: str) -> BlockRecord | None:
        return next((r for r in self._records if r.id == block_id), None)

    def set_default_playlist(self, playlist_id: str | None) -> None:
        self.default_combo.setCurrentIndex(max(self.default_combo.findData(playlist_id), 0))

    def describe(self, day: int, start: int, end: int) -> str:
        """``Monday 22:00-02:00 (until Tuesday)`` (with an en dash) in the user's language."""
        text = f"{day_name(day)} {format_hhmm(start)}\u2013{format_hhmm(end)}"
        if crosses_midnight(start, end):
            text += " " + self.tr("(until {day})").format(
                day=day_name((day + 1) % DAYS_PER_WEEK))
        return text

    def describe_fields(self, fields: BlockFields) -> str:
        return self.describe(fields.day_of_week, parse_hhmm(fields.start),
                             parse_hhmm(fields.end))

    def _grid_blocks(self) -> list[GridBlock]:
        shown: list[GridBlock] = []
        unreadable: list[BlockRecord] = []
        for record in self._records:
            span = record.span
            if span is None:
                unreadable.append(record)
                continue
            day, start, end = geo.block_of_span(span)
            warning = self._dst_warning(span)
            lines = [record.playlist_name, self.describe(day, start, end)]
            if not record.is_active:
                lines.append(self.tr("Switched off: does not play."))
            if warning:
                lines.append("\u26a0 " + warning)
            shown.append(GridBlock(record.id, record.playlist_id, record.playlist_name, day,
                                   start, end, record.is_active, "\n".join(lines), warning,
                                   self._hues.get(record.playlist_id, -1)))
        if unreadable:
            self.say(self.tr("{count} stored block(s) cannot be shown on the grid: {problem}")
                     .format(count=len(unreadable), problem=unreadable[0].problem))
        return shown

    def _dst_warning(self, span: WeekSpan) -> str | None:
        found = geo.gaps_in_block(span, self._gaps)
        if not found:
            return None
        gap, lost = found[0]
        date = QLocale().toString(QDate(gap.date.year, gap.date.month, gap.date.day),
                                  QLocale.FormatType.LongFormat)
        jump = self.tr("Daylight saving time: on {date} the clocks in {zone} jump from "
                       "{start} to {end}.").format(
            date=date, zone=self.timezone_name, start=format_hhmm(gap.start),
            end=format_hhmm(gap.end))
        if lost >= span.duration:
            return jump + " " + self.tr("This block lies inside the skipped time and does "
                                        "not play that night.")
        return jump + " " + self.tr("This block is {minutes} minutes shorter that night."
                                    ).format(minutes=lost)

    def dst_warning(self, block_id: str) -> str | None:
        block = self.grid.block(block_id)
        return block.warning if block is not None else None

    # -- now ----------------------------------------------------------------------------

    def _tick(self) -> None:
        """Move the "now" line, then wake up at the next full minute."""
        now = self.clock().astimezone(self.zone)
        if self.station_id is None:
            self.grid.set_now(None, None)
        else:
            self.grid.set_now(seed_day_of_week(now.date()), now.hour * 60 + now.minute)
        wait_ms = (60 - now.second) * 1000 - now.microsecond // 1000
        self._now_timer.start(max(wait_ms, 1000))

    # -- messages -----------------------------------------------------------------------

    def say(self, text: str | None) -> None:
        """Show (or, with None, hide) the message line above the grid."""
        if text:
            log.info("schedule: %s", text)
            self.message.setText("\u26a0 " + text)
            self.message.setStyleSheet(
                "background: #fff4e5; border: 1px solid #f5c27a; border-radius: 4px; "
                "padding: 6px 8px; color: #7a4100;")
        self.message.setVisible(bool(text))

    def overlap_message(self, fields: BlockFields, other: BlockRecord) -> str:
        other_span = other.span
        other_when = (self.describe(*geo.block_of_span(other_span)) if other_span is not None
                      else other.describe())
        return self.tr("Not saved: {when} would overlap “{name}” on {other}. Move or shorten "
                       "one of them, or switch the other block off first.").format(
            when=self.describe_fields(fields), name=other.playlist_name, other=other_when)

    def local_overlap(self, fields: BlockFields, exclude: str | None) -> BlockRecord | None:
        """The block on screen that ``fields`` would overlap (the service's rule), if any;
        a switched-off block overlaps nothing."""
        if not fields.is_active:
            return None
        span = geo.span_of(fields.day_of_week, parse_hhmm(fields.start), parse_hhmm(fields.end))
        others = [(r, s) for r in self._records
                  if r.is_active and r.id != exclude and (s := r.span) is not None]
        return geo.first_overlap(span, others)

    def _check(self, fields: BlockFields, exclude: str | None) -> str | None:
        other = self.local_overlap(fields, exclude)
        return self.overlap_message(fields, other) if other is not None else None

    # -- changes ------------------------------------------------------------------------

    def _change(self, work: Callable[[], Awaitable[None]]) -> asyncio.Future[None]:
        async def guarded() -> None:
            try:
                await work()
            except ScheduleOverlap as error:
                self.say(self.tr("Not saved: {reason}").format(reason=error))
                self.grid.cancel_pending()
                await self._reload_quietly()
            except StationError as error:
                self.say(str(error))
                self.grid.cancel_pending()
                if isinstance(error, Conflict | NotFound):
                    await self._reload_quietly()
        return self.queue.submit(guarded)

    def create_block(self, fields: BlockFields) -> asyncio.Future[None] | None:
        """Save a new block (refused at once if it overlaps one on screen)."""
        problem = self._check(fields, None)
        if problem:
            self.say(problem)
            self.grid.cancel_pending()
            return None
        station_id = self.require_station()

        async def work() -> None:
            record = await self.call(self.services().schedule.create_block, station_id, fields)
            self.say(None)
            self.undo_stack.push(CreateBlock(self, record))
            await self.show_change(record.id)
        return self._change(work)

    def update_block(self, block_id: str, fields: BlockFields, text: str | None = None
                     ) -> asyncio.Future[None] | None:
        """Save new fields for a block (refused at once if they overlap another block)."""
        before = self.block_record(block_id)
        if before is None:
            self.grid.cancel_pending()
            return None
        if fields == before.fields:
            self.grid.cancel_pending()
            return None
        problem = self._check(fields, block_id)
        if problem:
            self.say(problem)
            self.grid.cancel_pending()
            return None

        async def work() -> None:
            after = await self.call(self.services().schedule.update_block, block_id, fields,
                                    before.version)
            self.say(None)
            self.undo_stack.push(ChangeBlock(self, text or self.tr("Edit block"), before,
                                             after))
            await self.show_change(after.id)
        return self._change(work)

    def delete_block(self, block_id: str) -> asyncio.Future[None] | None:
        record = self.block_record(block_id)
        if record is None:
            return None

        async def work() -> None:
            await self.call(self.services().schedule.delete_block, block_id, record.version)
            self.say(None)
            self.undo_stack.push(DeleteBlock(self, record))
            await self.show_change(None)
        return self._change(work)

    # -- dialogs ------------------------------------------------------------------------

    def open_edit_dialog(self, block_id: str | None = None) -> BlockDialog | None:
        block_id = block_id or self.grid.selected_block_id
        record = self.block_record(block_id) if block_id else None
        if record is None or record.problem is not None:
            return None
        dialog = BlockDialog(self._playlists, record.fields,
                             lambda fields: self._check(fields, record.id),
                             first_day=self.first_day, parent=self)
        dialog.accepted.connect(lambda: self.update_block(record.id, dialog.fields()))
        return self._open(dialog)

    def open_new_dialog(self, day: int, start: int, end: int) -> BlockDialog | None:
        """Finish a block drawn on the grid: choose its playlist (times can be adjusted)."""
        if not self._playlists or self.station_id is None:
            self.say(self.tr("Create a playlist first: a block plays a playlist."))
            self.grid.cancel_pending()
            return None
        default = self.default_combo.currentData() or self._playlists[0].id
        fields = BlockFields(default, day, format_hhmm(start), format_hhmm(end), True)
        dialog = BlockDialog(self._playlists, fields, lambda f: self._check(f, None),
                             first_day=self.first_day, new=True, parent=self)
        dialog.accepted.connect(lambda: self.create_block(dialog.fields()))
        dialog.rejected.connect(self.grid.cancel_pending)
        return self._open(dialog)

    def _open(self, dialog: BlockDialog) -> BlockDialog:
        self._dialog = dialog
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    # -- slots --------------------------------------------------------------------------

    def _on_create_requested(self, day: int, start: int, end: int) -> None:
        playlist_id = self.default_combo.currentData()
        if playlist_id:
            self.create_block(BlockFields(str(playlist_id), day, format_hhmm(start),
                                          format_hhmm(end), True))
        else:
            self.open_new_dialog(day, start, end)

    def _on_change_requested(self, block_id: str, day: int, start: int, end: int) -> None:
        before = self.block_record(block_id)
        if before is None:
            self.grid.cancel_pending()
            return
        fields = dataclasses.replace(before.fields, day_of_week=day, start=format_hhmm(start),
                                     end=format_hhmm(end))
        old = before.span
        moved = old is not None and old.duration == geo.span_of(day, start, end).duration
        self.update_block(block_id, fields,
                          self.tr("Move block") if moved else self.tr("Resize block"))

    def _on_edit_requested(self, block_id: str) -> None:
        self.open_edit_dialog(block_id)

    def _on_delete_requested(self, block_id: str) -> None:
        self.delete_block(block_id)

    def _on_edit_triggered(self) -> None:
        self.open_edit_dialog()

    def _on_delete_triggered(self) -> None:
        if self.grid.selected_block_id:
            self.delete_block(self.grid.selected_block_id)

    def _update_actions(self) -> None:
        selected = self.grid.selected_block_id is not None
        self.edit_action.setEnabled(selected)
        self.delete_action.setEnabled(selected)

