"""The form of every StreamConfig field, each with a one-line explanation.

:meth:`StreamForm.settings` reads what is on screen as a
:class:`~station_desktop.services.stations.StreamSettings`; the service validates it, and
:meth:`StreamForm.highlight` marks the input its ``ValidationError.field`` names.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from station_desktop.services.stations import (
    ALLOWED_BITRATES,
    CONFIG_STATUSES,
    PLAYBACK_MODES,
    StreamSettings,
)
from station_desktop.ui.labels import label

OFFERED_BITRATES = (64, 128, 192, 256, 320)  # the others show only when a station uses them
ERROR_STYLE = "border: 2px solid #c0392b; border-radius: 3px;"


class StreamForm(QWidget):
    """Signals:
        edited(): the user changed a value.
    """

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.fields: dict[str, QWidget] = {}

        self.mountpoint = QLineEdit()
        self.mountpoint.setPlaceholderText("/myradio")
        self._row(form, "mountpoint", self.tr("Mountpoint"), self.mountpoint, self.tr(
            "The stream's address on Icecast: listeners open http://server:port/mountpoint."))

        bitrate_box = self._bitrate_boxes()
        self._row(form, "bitrates", self.tr("Bitrates"), bitrate_box, self.tr(
            "One MP3 stream per bitrate: low ones for mobile data, high ones for quality."))

        self.max_listeners = QSpinBox()
        self.max_listeners.setRange(1, 100_000)
        self._row(form, "max_listeners", self.tr("Maximum listeners"), self.max_listeners,
                  self.tr("Icecast refuses listeners beyond this many on each mount."))

        self.autodj = QCheckBox(self.tr("Play music from the playlists when no one is live"))
        self._row(form, "autodj_enabled", self.tr("AutoDJ"), self.autodj, self.tr(
            "Off: the station is silent (or plays the safety file) unless a DJ is live."))

        self.crossfade = QDoubleSpinBox()
        self.crossfade.setRange(0.0, 30.0)
        self.crossfade.setSingleStep(0.5)
        self.crossfade.setDecimals(1)
        self.crossfade.setSuffix(self.tr(" s"))
        self._row(form, "crossfade_duration", self.tr("Crossfade"), self.crossfade, self.tr(
            "How long one song fades into the next (0 = no crossfade)."))

        self.normalize = QCheckBox(self.tr("Even out loudness between songs"))
        self._row(form, "normalize_audio", self.tr("Normalisation"), self.normalize, self.tr(
            "Makes quiet and loud recordings sound equally loud."))

        self.level = QDoubleSpinBox()
        self.level.setRange(-40.0, 0.0)
        self.level.setSingleStep(0.5)
        self.level.setDecimals(1)
        self.level.setSuffix(self.tr(" LUFS"))
        self._row(form, "normalization_level", self.tr("Target loudness"), self.level, self.tr(
            "-14 LUFS is the usual streaming target; closer to 0 is louder."))

        self.mode = QComboBox()
        for mode in PLAYBACK_MODES:
            self.mode.addItem(label(mode), mode)
        self._row(form, "playback_mode", self.tr("Playback order"), self.mode, self.tr(
            "Random shuffles each playlist; sequential plays it in its saved order."))

        self.live = QCheckBox(self.tr("Accept a live DJ on the live input"))
        self._row(form, "live_input_enabled", self.tr("Live input"), self.live, self.tr(
            "A DJ connects with BUTT or Mixxx and takes over the AutoDJ while connected."))

        self.jingles = QCheckBox(self.tr("Play jingles between songs"))
        self._row(form, "jingles_enabled", self.tr("Jingles"), self.jingles, self.tr(
            "Station idents from the library's jingles, played by the AutoDJ."))

        self.jingle_every = QSpinBox()
        self.jingle_every.setRange(1, 100)
        self.jingle_every.setSuffix(self.tr(" songs"))
        self._row(form, "jingles_frequency", self.tr("One jingle every"), self.jingle_every,
                  self.tr("How many songs play between two jingles."))

        self.status = QComboBox()
        for status in CONFIG_STATUSES:
            self.status.addItem(label(status), status)
        self._row(form, "status", self.tr("Status"), self.status, self.tr(
            "Inactive stops the station's stream; active keeps it on the air."))

        self._connect()

    def _bitrate_boxes(self) -> QWidget:
        bitrate_box = QWidget()
        bitrate_row = QHBoxLayout(bitrate_box)
        bitrate_row.setContentsMargins(0, 0, 0, 0)
        self.bitrates: dict[int, QCheckBox] = {}
        for kbps in ALLOWED_BITRATES:
            box = QCheckBox(self.tr("{kbps} kbps").format(kbps=kbps))
            box.setVisible(kbps in OFFERED_BITRATES)
            box.toggled.connect(self._changed)
            self.bitrates[kbps] = box
            bitrate_row.addWidget(box)
        bitrate_row.addStretch(1)
        return bitrate_box

    def _connect(self) -> None:
        for widget in (self.autodj, self.normalize, self.live, self.jingles):
            widget.toggled.connect(self._changed)
        for spin in (self.max_listeners, self.jingle_every):
            spin.valueChanged.connect(self._changed)
        for dspin in (self.crossfade, self.level):
            dspin.valueChanged.connect(self._changed)
        for combo in (self.mode, self.status):
            combo.currentIndexChanged.connect(self._changed)
        self.mountpoint.textEdited.connect(self._changed)

    def _row(self, form: QFormLayout, field: str, title: str, widget: QWidget,
             explanation: str) -> None:
        cell = QWidget()
        column = QVBoxLayout(cell)
        column.setContentsMargins(0, 0, 0, 4)
        column.setSpacing(1)
        column.addWidget(widget)
        note = QLabel(explanation)
        note.setWordWrap(True)
        note.setStyleSheet("color: palette(placeholder-text); font-size: 11px;")
        column.addWidget(note)
        widget.setObjectName(field)
        form.addRow(title, cell)
        self.fields[field] = widget

    def _changed(self) -> None:
        self.level.setEnabled(self.normalize.isChecked())
        self.jingle_every.setEnabled(self.jingles.isChecked())
        if not self._loading:
            self.clear_highlight()
            self.edited.emit()

    def set_settings(self, settings: StreamSettings) -> None:
        self._loading = True
        try:
            self.mountpoint.setText(settings.mountpoint)
            for kbps, box in self.bitrates.items():
                box.setChecked(kbps in settings.bitrates)
                box.setVisible(kbps in OFFERED_BITRATES or kbps in settings.bitrates)
            self.max_listeners.setValue(settings.max_listeners)
            self.autodj.setChecked(settings.autodj_enabled)
            self.crossfade.setValue(settings.crossfade_duration)
            self.normalize.setChecked(settings.normalize_audio)
            self.level.setValue(settings.normalization_level)
            self.mode.setCurrentIndex(max(self.mode.findData(settings.playback_mode), 0))
            self.live.setChecked(settings.live_input_enabled)
            self.jingles.setChecked(settings.jingles_enabled)
            self.jingle_every.setValue(settings.jingles_frequency)
            self.status.setCurrentIndex(max(self.status.findData(settings.status), 0))
            self._changed()
        finally:
            self._loading = False
        self.clear_highlight()

    def settings(self) -> StreamSettings:
        return StreamSettings(
            mountpoint=self.mountpoint.text(),
            bitrates=tuple(k for k, box in self.bitrates.items() if box.isChecked()),
            max_listeners=self.max_listeners.value(),
            autodj_enabled=self.autodj.isChecked(),
            crossfade_duration=round(self.crossfade.value(), 1),
            normalize_audio=self.normalize.isChecked(),
            normalization_level=round(self.level.value(), 1),
            playback_mode=str(self.mode.currentData()),
            live_input_enabled=self.live.isChecked(),
            jingles_enabled=self.jingles.isChecked(),
            jingles_frequency=self.jingle_every.value(),
            status=str(self.status.currentData()),
        )

    def highlight(self, field: str | None) -> QWidget | None:
        """Mark the input of ``field`` (a service field name) and focus it."""
        self.clear_highlight()
        widget = self.fields.get(field or "")
        if widget is not None:
            widget.setStyleSheet(f"#{field} {{ {ERROR_STYLE} }}")
            widget.setProperty("invalid", True)
            widget.setFocus()
        return widget

    def clear_highlight(self) -> None:
        for widget in self.fields.values():
            if widget.property("invalid"):
                widget.setStyleSheet("")
                widget.setProperty("invalid", False)

    def highlighted(self) -> list[str]:
        return [name for name, widget in self.fields.items() if widget.property("invalid")]
