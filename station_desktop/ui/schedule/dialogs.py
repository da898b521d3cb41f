"""The schedule block dialog: day, start, end, playlist, active.

Used to edit a block (double-click) and to finish a new one (after drawing it, when no
default playlist is chosen). The overlap check runs before the dialog closes, so a
refused change keeps what the user typed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from station_desktop.services.playlists import PlaylistRecord
from station_desktop.services.schedule import BlockFields
from station_desktop.services.weektime import (
    DAYS_PER_WEEK,
    block_duration,
    crosses_midnight,
    format_hhmm,
)
from station_desktop.ui.schedule.grid import day_name

Check = Callable[[BlockFields], str | None]


def _qtime(minute: int) -> QTime:
    return QTime(minute // 60 % 24, minute % 60)


def _minutes(value: QTime) -> int:
    return value.hour() * 60 + value.minute()


class BlockDialog(QDialog):
    """``check`` returns why the fields cannot be saved (an overlap), or None."""

    def __init__(
        self,
        playlists: Sequence[PlaylistRecord],
        fields: BlockFields,
        check: Check,
        *,
        first_day: int,
        new: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._check = check
        self.setWindowTitle(self.tr("New schedule block") if new
                            else self.tr("Edit schedule block"))
        self.day_combo = QComboBox()
        for column in range(DAYS_PER_WEEK):
            day = (first_day + column) % DAYS_PER_WEEK
            self.day_combo.addItem(day_name(day), day)
        self.day_combo.setCurrentIndex(max(self.day_combo.findData(fields.day_of_week), 0))
        self.start_edit = QTimeEdit()
        self.end_edit = QTimeEdit()
        for edit, value in ((self.start_edit, fields.start), (self.end_edit, fields.end)):
            edit.setDisplayFormat("HH:mm")
            edit.setWrapping(True)
            edit.setTime(QTime.fromString(value, "HH:mm"))
        self.playlist_combo = QComboBox()
        for record in playlists:
            self.playlist_combo.addItem(("★ " if record.is_main else "") + record.name,
                                        record.id)
        index = self.playlist_combo.findData(fields.playlist_id)
        self.playlist_combo.setCurrentIndex(index if index >= 0 else 0)
        self.active_check = QCheckBox(self.tr("Active (plays on air)"))
        self.active_check.setChecked(fields.is_active)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("color: palette(placeholder-text);")
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b42318;")
        self.error.setVisible(False)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Day:"), self.day_combo)
        form.addRow(self.tr("Start:"), self.start_edit)
        form.addRow(self.tr("End:"), self.end_edit)
        form.addRow("", self.summary)
        form.addRow(self.tr("Playlist:"), self.playlist_combo)
        form.addRow("", self.active_check)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        for signal in (self.day_combo.currentIndexChanged, self.start_edit.timeChanged,
                       self.end_edit.timeChanged, self.playlist_combo.currentIndexChanged,
                       self.active_check.toggled):
            signal.connect(self._changed)
        self._changed()
        self.setMinimumWidth(440)
        self.resize(440, self.sizeHint().height())

    def fields(self) -> BlockFields:
        return BlockFields(
            playlist_id=str(self.playlist_combo.currentData() or ""),
            day_of_week=int(self.day_combo.currentData()),
            start=format_hhmm(_minutes(self.start_edit.time())),
            end=format_hhmm(_minutes(self.end_edit.time())),
            is_active=self.active_check.isChecked(),
        )

    def set_times(self, day_of_week: int, start: int, end: int) -> None:
        self.day_combo.setCurrentIndex(max(self.day_combo.findData(day_of_week), 0))
        self.start_edit.setTime(_qtime(start))
        self.end_edit.setTime(_qtime(end))

    def _changed(self, *_args: object) -> None:
        self.error.setVisible(False)
        start, end = _minutes(self.start_edit.time()), _minutes(self.end_edit.time())
        day = int(self.day_combo.currentData())
        hours, minutes = divmod(block_duration(start, end), 60)
        length = self.tr("{hours} h {minutes:02d} min").format(hours=hours, minutes=minutes)
        if start == end:
            text = self.tr("Start and end are the same: the block would be empty.")
        elif end == 0:
            text = self.tr("Until midnight · {length}").format(length=length)
        elif crosses_midnight(start, end):
            text = self.tr("Runs past midnight, until {day} {time} · {length}").format(
                day=day_name((day + 1) % DAYS_PER_WEEK), time=format_hhmm(end), length=length)
        else:
            text = length
        self.summary.setText(text)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(start != end and self.playlist_combo.count() > 0)

    def accept(self) -> None:
        fields = self.fields()
        if fields.start == fields.end or not fields.playlist_id:
            return
        problem = self._check(fields)
        if problem:
            self.error.setText(problem)
            self.error.setVisible(True)
            return
        super().accept()
