"""The items of one playlist as a Qt table model, with drag and drop.

The model never changes the playlist itself: a drop only *asks* for a change
(:attr:`PlaylistItemsModel.tracks_dropped`, :attr:`PlaylistItemsModel.items_dropped`); the
page saves it through the playlist service and shows what the service returns. So the
view's own "remove the dragged rows after a move" finds nothing to remove
(:meth:`removeRows` is not implemented) and the order on screen is always the stored one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor

from station_desktop.services.playlists import (
    MISSING_STATUS,
    PlaylistDetail,
    PlaylistItemRecord,
)
from station_desktop.ui.formatting import duration
from station_desktop.ui.mime import (
    PLAYLIST_ITEM_IDS_MIME,
    TRACK_IDS_MIME,
    playlist_items_from,
    playlist_items_mime,
    track_ids_from,
)

# A plain name lupdate recognises; every call passes literal text.
translate = QCoreApplication.translate

Index = QModelIndex | QPersistentModelIndex

POSITION, TITLE, ARTIST, DURATION = range(4)



def tracks_text(count: int) -> str:
    """"1 track", "12 tracks" (each form translated on its own)."""
    if count == 1:
        return translate("Playlists", "%n track", None, count)
    return translate("Playlists", "%n tracks", None, count)


class PlaylistItemsModel(QAbstractTableModel):
    """Signals:
        tracks_dropped(list, int): track ids dropped before row ``int``.
        items_dropped(list, int): this playlist's item ids dragged before row ``int``.
    """

    tracks_dropped = Signal(list, int)
    items_dropped = Signal(list, int)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._detail: PlaylistDetail | None = None
        self._items: list[PlaylistItemRecord] = []
        self.accepting_drops = True  # off while an edit is being saved
        self._headers = [translate("PlaylistItemsModel", "#"),
            translate("PlaylistItemsModel", "Title"), translate("PlaylistItemsModel", "Artist"),
            translate("PlaylistItemsModel", "Duration")]

    # -- content ------------------------------------------------------------------------

    @property
    def detail(self) -> PlaylistDetail | None:
        return self._detail

    def set_detail(self, detail: PlaylistDetail | None) -> None:
        self.beginResetModel()
        self._detail = detail
        self._items = list(detail.items) if detail is not None else []
        self.endResetModel()

    def item(self, row: int) -> PlaylistItemRecord:
        return self._items[row]

    def rows_of(self, item_ids: Sequence[str]) -> list[int]:
        wanted = set(item_ids)
        return [row for row, item in enumerate(self._items) if item.id in wanted]

    # -- table --------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self._items[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(index.row(), column, item)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (POSITION, DURATION):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(item)
        if role == Qt.ItemDataRole.ForegroundRole and item.status != "ready":
            return QColor("#b03a2e") if item.status == MISSING_STATUS else QColor("#7a7a7a")
        return None

    @staticmethod
    def _text(row: int, column: int, item: PlaylistItemRecord) -> str:
        if column == POSITION:
            return str(row + 1)
        if column == TITLE:
            return item.display_title
        if column == ARTIST:
            return item.artist or ""
        return duration(item.duration)

    def _tooltip(self, item: PlaylistItemRecord) -> str:
        if item.status == MISSING_STATUS:
            return translate("PlaylistItemsModel",
                             "This track is no longer in the library; it is skipped on air.")
        if item.status != "ready":
            return translate(
                "PlaylistItemsModel",
                "Not ready yet (status: {status}): skipped on air until it is.",
            ).format(status=item.status)
        return item.filename

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:  # numbers: the title over the digits
            side = (Qt.AlignmentFlag.AlignRight if section in (POSITION, DURATION)
                    else Qt.AlignmentFlag.AlignLeft)
            return int(side | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():  # between rows, or below the last one
            return Qt.ItemFlag.ItemIsDropEnabled if self._detail is not None else (
                Qt.ItemFlag.NoItemFlags)
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsDragEnabled)

    # -- drag and drop ------------------------------------------------------------------

    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [PLAYLIST_ITEM_IDS_MIME, TRACK_IDS_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:  # noqa: N802
        rows = sorted({index.row() for index in indexes if index.isValid()})
        items = [self._items[row] for row in rows]
        playlist_id = self._detail.playlist.id if self._detail is not None else ""
        return playlist_items_mime(playlist_id, [item.id for item in items],
                                   [item.audio_file_id for item in items])

    def _internal(self, data: QMimeData | None) -> list[str] | None:
        """The item ids of a drag out of this very playlist, else None."""
        moved = playlist_items_from(data)
        if moved is None or self._detail is None or moved[0] != self._detail.playlist.id:
            return None
        return moved[1]

    def canDropMimeData(  # noqa: N802
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        if self._detail is None or not self.accepting_drops:
            return False
        if action not in (Qt.DropAction.CopyAction, Qt.DropAction.MoveAction):
            return False
        return self._internal(data) is not None or bool(track_ids_from(data))

    def dropMimeData(  # noqa: N802
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        if row < 0:
            row = parent.row() if parent.isValid() else len(self._items)
        row = max(0, min(row, len(self._items)))
        moved = self._internal(data)
        if moved is not None:
            self.items_dropped.emit(moved, row)
            return True
        track_ids = track_ids_from(data)
        if not track_ids:
            return False
        self.tracks_dropped.emit(track_ids, row)
        return True
