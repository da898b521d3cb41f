"""The metadata editor: title, artist, album, genre and year of one track or of many.

For many tracks, a field whose value differs between them is left empty with a
"(multiple values)" placeholder, and only the fields the user edits are saved: the others
keep each track's own value. Saving sends the versions the tracks were loaded with
(optimistic concurrency): if another operator changed one of them meanwhile, nothing is
saved, the dialog says so and reloads the tracks, keeping what the user typed, so a
second Save applies it to the current values.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from station_desktop.errors import Conflict, StationError, ValidationError
from station_desktop.services.library import (
    METADATA_FIELDS,
    LibraryService,
    TrackMetadata,
    TrackRecord,
)
from station_desktop.ui import formatting
from station_desktop.ui.asyncslot import async_slot
from station_desktop.ui.worker import DbWorker

log = logging.getLogger("station_desktop.ui.library")


def _text(track: TrackRecord, field: str) -> str:
    value = getattr(track, field)
    return "" if value is None else str(value)


class MetadataEditor(QDialog):
    """Signals:
        saved(object): the list of saved :class:`TrackRecord` (the dialog then closes).
        reloaded(object): the tracks as they are now, after a refused (conflicting) save.
    """

    saved = Signal(object)
    reloaded = Signal(object)

    def __init__(self, worker: DbWorker, library: LibraryService,
                 tracks: Sequence[TrackRecord], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if not tracks:
            raise ValueError("the editor needs at least one track")
        self._worker = worker
        self._library = library
        self._tracks = list(tracks)
        self.touched: set[str] = set()
        self.setObjectName("metadata-editor")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        many = len(self._tracks) > 1
        count = len(self._tracks)
        self.setWindowTitle(self.tr("Edit %n tracks", "", count) if many
                            else self.tr("Edit track"))
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("color: palette(placeholder-text);")
        layout.addWidget(self.summary)
        form = QFormLayout()
        labels = {"title": self.tr("&Title:"), "artist": self.tr("&Artist:"),
                  "album": self.tr("Al&bum:"), "genre": self.tr("&Genre:"),
                  "year": self.tr("&Year:")}
        self.fields: dict[str, QLineEdit] = {}
        for field in METADATA_FIELDS:
            edit = QLineEdit()
            edit.setObjectName(f"field-{field}")
            edit.setClearButtonEnabled(True)
            if field == "year":
                edit.setValidator(QIntValidator(0, 9999, edit))
                edit.setMaximumWidth(100)
            edit.textEdited.connect(lambda _text, f=field: self.touched.add(f))
            self.fields[field] = edit
            form.addRow(labels[field], edit)
        layout.addLayout(form)
        if many:
            hint = QLabel(self.tr("Fields you leave as they are keep each track's own value; "
                                  "what you type replaces it on every selected track."))
            hint.setWordWrap(True)
            hint.setStyleSheet("color: palette(placeholder-text);")
            layout.addWidget(hint)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.setStyleSheet("color: #b42828;")
        self.error.hide()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._on_save_clicked)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(460, self.sizeHint().height())
        self._show_tracks(keep_input=False)

    @property
    def tracks(self) -> list[TrackRecord]:
        return list(self._tracks)

    @property
    def multiple(self) -> set[str]:
        """The fields whose values differ between the tracks."""
        return {f for f in METADATA_FIELDS if len({_text(t, f) for t in self._tracks}) > 1}

    def _show_tracks(self, *, keep_input: bool) -> None:
        if len(self._tracks) == 1:
            track = self._tracks[0]
            self.summary.setText(self.tr("{file} · {format} · {duration} · {bitrate}").format(
                file=track.filename, format=track.format.upper(),
                duration=formatting.duration(track.duration),
                bitrate=formatting.kbps(track.bitrate)))
        else:
            count = len(self._tracks)
            self.summary.setText(self.tr("%n tracks selected.", "", count))
        multiple = self.multiple
        for field, edit in self.fields.items():
            edit.setPlaceholderText(self.tr("(multiple values)") if field in multiple else "")
            if keep_input and field in self.touched:
                continue
            edit.setText("" if field in multiple else _text(self._tracks[0], field))

    def show_error(self, message: str, field: str | None = None) -> None:
        self.error.setText(message)
        self.error.show()
        if field in self.fields:
            self.fields[field].setFocus()
            self.fields[field].selectAll()

    def _value(self, field: str) -> str | int | None:
        text = self.fields[field].text().strip()
        if field == "year":
            return int(text) if text else None
        return text or None

    # -- saving ----------------------------------------------------------------------------

    @async_slot()
    async def _on_save_clicked(self) -> None:
        await self.save()

    async def save(self) -> bool:
        """Save through the service; True when saved (the dialog closes)."""
        self.error.hide()
        self.buttons.setEnabled(False)
        try:
            records = await self._save()
        except Conflict as conflict:
            await self._reload()
            self.show_error(self.tr("{reason}\nThe tracks were reloaded with the other change; "
                                    "your edits are still here. Save again to apply them.")
                            .format(reason=conflict))
            return False
        except ValidationError as invalid:
            self.show_error(str(invalid), invalid.field)
            return False
        except StationError as error:
            self.show_error(str(error))
            return False
        finally:
            self.buttons.setEnabled(True)
        self.saved.emit(records)
        self.accept()
        return True

    async def _save(self) -> list[TrackRecord]:
        if len(self._tracks) == 1:
            track = self._tracks[0]
            year = self._value("year")
            meta = TrackMetadata(
                title=_str(self._value("title")), artist=_str(self._value("artist")),
                album=_str(self._value("album")), genre=_str(self._value("genre")),
                year=year if isinstance(year, int) else None)
            return [await self._worker.call(
                self._library.update_metadata, track.id, meta, track.version)]
        changes = {field: self._value(field) for field in METADATA_FIELDS
                   if field in self.touched}
        return await self._worker.call(
            self._library.update_metadata_many, [t.id for t in self._tracks], changes,
            {t.id: t.version for t in self._tracks})

    async def _reload(self) -> None:
        ids = [t.id for t in self._tracks]
        try:
            fresh = await self._worker.call(self._library.get_tracks, ids)
        except StationError as error:
            log.warning("could not reload tracks after a conflict: %s", error)
            return
        if fresh:
            self._tracks = fresh
            self._show_tracks(keep_input=True)
            self.reloaded.emit(fresh)


def _str(value: str | int | None) -> str | None:
    return value if isinstance(value, str) else None
