"""The library's table model: 100,000 tracks without loading them.

The model holds pages of :class:`TrackRecord` (``page_size`` rows each), fetched through the
:class:`DbWorker` when the view first asks for one of their rows (the view asks only for the
rows on screen); a row not loaded yet shows a placeholder. Sorting and filtering are pushed
to SQL (:meth:`LibraryService.list_tracks`): a new query fetches its first page, then
resets the model with it, and counts every match afterwards (:meth:`~LibraryService.count_tracks`)
so the rows are on screen before the count is known. At most ``max_pages`` pages are kept
(least recently used go first), so memory does not grow with scrolling.

Every request carries the model's *generation*, raised by each new query, station or
refresh; a reply of an older generation (a search the user has already typed past) is
dropped, never shown.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, ParamSpec, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QStyle

from station_desktop.errors import StationError
from station_desktop.services.library import LibraryService, TrackRecord
from station_desktop.ui import formatting
from station_desktop.ui.labels import label
from station_desktop.ui.library.covers import CoverCache
from station_desktop.ui.mime import TRACK_IDS_MIME, track_ids_mime
from station_desktop.ui.worker import DbWorker

log = logging.getLogger("station_desktop.ui.library")

P = ParamSpec("P")
R = TypeVar("R")
Index = QModelIndex | QPersistentModelIndex

PAGE_SIZE = 100
MAX_PAGES = 60  # 6,000 rows kept at most

COVER, TITLE, ARTIST, ALBUM, GENRE, YEAR, DURATION, FORMAT, BITRATE, STATUS = range(10)
SORT_KEYS: dict[int, str] = {
    TITLE: "title", ARTIST: "artist", ALBUM: "album", GENRE: "genre", YEAR: "year",
    DURATION: "duration", FORMAT: "format", BITRATE: "bitrate", STATUS: "status",
}
_RIGHT = {YEAR, DURATION, BITRATE}


def column_titles() -> list[str]:
    translate = QCoreApplication.translate
    return [translate("LibraryModel", "Cover"), translate("LibraryModel", "Title"),
            translate("LibraryModel", "Artist"), translate("LibraryModel", "Album"),
            translate("LibraryModel", "Genre"), translate("LibraryModel", "Year"),
            translate("LibraryModel", "Duration"), translate("LibraryModel", "Format"),
            translate("LibraryModel", "Bitrate"), translate("LibraryModel", "Status")]


@dataclass(frozen=True)
class Query:
    """What the view asks for: a search (substring), a status, and the order."""

    search: str = ""
    status: str | None = None
    sort: str = "title"
    descending: bool = False


class LibraryModel(QAbstractTableModel):
    """Signals:
        loaded(): a new query's first page is shown (the model was reset).
        page_loaded(int): the page with that number arrived and is shown.
        counted(int): the number of matching tracks is known (rowCount is exact).
        failed(str): a fetch failed with this message (the page shows it).
    """

    loaded = Signal()
    page_loaded = Signal(int)
    counted = Signal(int)
    failed = Signal(str)

    def __init__(self, worker: DbWorker, covers: CoverCache | None = None,
                 page_size: int = PAGE_SIZE, max_pages: int = MAX_PAGES,
                 parent: Any = None) -> None:
        super().__init__(parent)
        self._worker = worker
        self.covers = covers
        self.page_size = page_size
        self.max_pages = max_pages
        self._titles = column_titles()
        self._library: LibraryService | None = None
        self._station: str | None = None
        self._query = Query()
        self._generation = 0
        self._rows = 0
        self._exact = True
        self._pages: OrderedDict[int, list[TrackRecord]] = OrderedDict()
        self._stale: dict[int, list[TrackRecord]] = {}  # shown while a refresh reloads
        self._wanted: set[int] = set()  # pages to fetch at the next dispatch
        self._in_flight: set[int] = set()
        self._resetting = False
        self._tasks: set[asyncio.Task[Any]] = set()
        # (generation, page) asked of the service, the latest ones (tests, bench)
        self.fetched: deque[tuple[int, int]] = deque(maxlen=1000)
        self.stale_replies = 0  # replies dropped because a newer query had replaced theirs
        if covers is not None:
            covers.loaded.connect(self._on_cover_loaded)
        palette = QApplication.palette()
        self._dim = QBrush(palette.color(QPalette.ColorRole.PlaceholderText))
        self._error_brush = QBrush(QColor(190, 40, 40))
        self._error_icon = QApplication.style().standardIcon(
            QStyle.StandardPixmap.SP_MessageBoxWarning)
        self._italic = QFont()
        self._italic.setItalic(True)
        self._loaded_flags = (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                              | Qt.ItemFlag.ItemIsDragEnabled)
        self._loading_flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        self._roles: dict[int, Callable[[TrackRecord, int], Any]] = {
            Qt.ItemDataRole.DisplayRole: _display,
            Qt.ItemDataRole.DecorationRole: self._decoration,
            Qt.ItemDataRole.ToolTipRole: self._tooltip,
            Qt.ItemDataRole.TextAlignmentRole: self._alignment,
            Qt.ItemDataRole.ForegroundRole: self._foreground,
            Qt.ItemDataRole.FontRole: self._font,
        }

    # -- what it shows ---------------------------------------------------------------------

    @property
    def query(self) -> Query:
        return self._query

    @property
    def station_id(self) -> str | None:
        return self._station

    @property
    def exact(self) -> bool:
        """Whether rowCount is the exact number of matches (False until counted)."""
        return self._exact

    def set_source(self, library: LibraryService | None, station_id: str | None,
                   query: Query | None = None) -> None:
        """Show ``station_id``'s tracks from ``library`` (None: nothing), for ``query``
        (default: the current one)."""
        self._library = library
        self._station = station_id
        if query is not None:
            self._query = query
        self.reload()

    def set_query(self, query: Query) -> None:
        if query != self._query:
            self._query = query
            self.reload()

    def reload(self) -> None:
        """Fetch the first page of the current query, then show it in place of what the
        model shows now (which stays until then)."""
        self._generation += 1
        self._wanted.clear()
        self._in_flight.clear()
        if self._library is None or self._station is None:
            self._resetting = False
            self.beginResetModel()
            self._rows, self._exact = 0, True
            self._pages.clear()
            self._stale.clear()
            self.endResetModel()
            self.loaded.emit()
            self.counted.emit(0)
            return
        self._resetting = True
        self._spawn(self._first_page(self._generation, self._library, self._station,
                                     self._query))

    def refresh(self) -> None:
        """Reload what is on screen without losing the place: the loaded rows stay until
        their fresh copy arrives, and the number of rows follows the new count (after an
        import or a deletion)."""
        if self._library is None or self._station is None or self._resetting:
            self.reload()
            return
        self._generation += 1
        self._stale.update(self._pages)
        self._pages.clear()
        self._wanted.clear()
        self._in_flight.clear()
        self._spawn(self._recount(self._generation, self._library, self._station,
                                  self._query))
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(self._rows - 1, STATUS))

    # -- records ---------------------------------------------------------------------------

    def record(self, row: int) -> TrackRecord | None:
        """The track on ``row``, or None while its page is loading."""
        page, offset = divmod(row, self.page_size)
        tracks = self._pages.get(page)
        if tracks is None:
            tracks = self._stale.get(page)
        if tracks is None or offset >= len(tracks):
            return None
        return tracks[offset]

    def records(self, rows: Iterable[int]) -> list[TrackRecord]:
        return [r for r in (self.record(row) for row in rows) if r is not None]

    def row_of(self, track_id: str) -> int | None:
        """The row of ``track_id`` among the loaded pages."""
        for page, tracks in self._pages.items():
            for offset, track in enumerate(tracks):
                if track.id == track_id:
                    return page * self.page_size + offset
        return None

    def replace_records(self, records: Sequence[TrackRecord]) -> None:
        """Show these (edited or reloaded) tracks where they are."""
        fresh = {r.id: r for r in records}
        for store in (self._pages, self._stale):
            for page, tracks in store.items():
                for offset, track in enumerate(tracks):
                    if track.id in fresh:
                        tracks[offset] = fresh[track.id]
                        row = page * self.page_size + offset
                        if row < self._rows:
                            self.dataChanged.emit(self.index(row, 0), self.index(row, STATUS))

    # -- Qt model --------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._titles)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return "" if section == COVER else self._titles[section]
        if role == Qt.ItemDataRole.ToolTipRole and section == COVER:
            return self._titles[COVER]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = (Qt.AlignmentFlag.AlignRight if section in _RIGHT
                          else Qt.AlignmentFlag.AlignLeft)
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if index.row() // self.page_size in self._pages:
            return self._loaded_flags
        return self._loading_flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called for every cell and role on every paint: the roles this model never
        # answers cost one dictionary look-up.
        handler = self._roles.get(role)
        if handler is None:
            return None
        row = index.row()
        if row < 0 or row >= self._rows:
            return None
        page, offset = divmod(row, self.page_size)
        tracks = self._pages.get(page)
        if tracks is None:
            self._want(page)  # not loaded, or an old copy shown while a refresh reloads
            tracks = self._stale.get(page)
        elif role == Qt.ItemDataRole.DisplayRole:
            self._pages.move_to_end(page)  # on screen: the last to be dropped
        if tracks is None or offset >= len(tracks):
            return self._loading_data(index.column(), role)
        return handler(tracks[offset], index.column())

    def _loading_data(self, column: int, role: int) -> Any:
        """A row whose page is on its way."""
        if role == Qt.ItemDataRole.DisplayRole and column == TITLE:
            return QCoreApplication.translate("LibraryModel", "Loading…")
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._dim
        if role == Qt.ItemDataRole.DecorationRole and column == COVER and self.covers:
            return self.covers.placeholder
        return None

    def _decoration(self, track: TrackRecord, column: int) -> Any:
        if column == COVER and self.covers is not None:
            return self.covers.pixmap(track.client_id, track.cover_url)
        if column == STATUS and track.status == "error":
            return self._error_icon
        return None

    def _foreground(self, track: TrackRecord, column: int) -> Any:
        if column == STATUS and track.status == "error":
            return self._error_brush
        if (column == TITLE and not track.title) or track.status == "processing":
            return self._dim  # the file name stands in for a missing title
        return None

    def _font(self, track: TrackRecord, column: int) -> Any:
        return self._italic if column == STATUS and track.status == "processing" else None

    def _alignment(self, _track: TrackRecord, column: int) -> Any:
        if column in _RIGHT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _tooltip(self, track: TrackRecord, column: int) -> str | None:
        if column == STATUS and track.status == "error":
            reason = getattr(track, "status_message", None)
            return reason or QCoreApplication.translate(
                "LibraryModel", "The import failed; no reason was recorded.")
        if column == TITLE:
            return track.filename if track.title else QCoreApplication.translate(
                "LibraryModel", "No title tag: the file name is shown ({name})").format(
                    name=track.filename)
        if column in (ARTIST, ALBUM, GENRE):
            return _display(track, column) or None
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = SORT_KEYS.get(column)
        if key is None:  # the cover column does not sort
            return
        self.set_query(replace(self._query, sort=key,
                               descending=order == Qt.SortOrder.DescendingOrder))

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [TRACK_IDS_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:  # noqa: N802
        rows = sorted({i.row() for i in indexes if i.isValid()})
        return track_ids_mime(track.id for track in self.records(rows))

    def supportedDragActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.CopyAction

    # -- fetching --------------------------------------------------------------------------

    def _want(self, page: int) -> None:
        """Ask for ``page`` (the view is painting one of its rows); requests made while
        one paint runs go out together right after it."""
        if self._resetting or page in self._in_flight or page in self._wanted:
            return
        if not self._wanted:
            QTimer.singleShot(0, self._dispatch)
        self._wanted.add(page)

    def _dispatch(self) -> None:
        if self._library is None or self._station is None:
            self._wanted.clear()
            return
        for page in sorted(self._wanted):
            if page not in self._pages and page not in self._in_flight:
                self._in_flight.add(page)
                self._spawn(self._fetch(self._generation, self._library, self._station,
                                        self._query, page))
        self._wanted.clear()

    def _spawn(self, coroutine: Any) -> None:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _call(self, generation: int, fn: Callable[P, R], *args: P.args,
                    **kwargs: P.kwargs) -> R | None:
        """``fn`` on the database thread, unless a newer query has replaced ``generation``
        by the time its turn comes (the user typed on): then it does not run at all, so
        a burst of keystrokes never queues searches nobody will see. None when it failed
        (the error is signalled) or was skipped."""

        def unless_stale() -> R | None:
            if generation != self._generation:  # an int read: safe from the worker thread
                return None
            return fn(*args, **kwargs)

        try:
            return await self._worker.call(unless_stale)
        except StationError as error:
            if generation == self._generation:
                log.warning("library fetch failed: %s", error)
                self.failed.emit(str(error))
            return None

    def _is_stale(self, generation: int) -> bool:
        if generation != self._generation:
            self.stale_replies += 1
            return True
        return False

    async def _first_page(self, generation: int, library: LibraryService, station: str,
                          query: Query) -> None:
        self.fetched.append((generation, 0))
        page = await self._call(
            generation, library.list_tracks, station, search=query.search or None,
            status=query.status,
            sort=query.sort, descending=query.descending, offset=0, limit=self.page_size,
            count=False)
        if self._is_stale(generation):
            return
        self._resetting = False
        self.beginResetModel()
        self._pages.clear()
        self._stale.clear()
        if page is None:
            self._rows, self._exact = 0, True
        else:
            self._pages[0] = list(page.tracks)
            self._rows, self._exact = page.total, page.counted
        self.endResetModel()
        self.loaded.emit()
        self.page_loaded.emit(0)
        if self._exact:
            self.counted.emit(self._rows)
        else:
            await self._recount(generation, library, station, query)

    async def _recount(self, generation: int, library: LibraryService, station: str,
                       query: Query) -> None:
        total = await self._call(generation, library.count_tracks, station,
                                 search=query.search or None, status=query.status)
        if total is None or self._is_stale(generation):
            return
        self._set_rows(total)
        self._exact = True
        self.counted.emit(total)

    def _set_rows(self, total: int) -> None:
        if total > self._rows:
            self.beginInsertRows(QModelIndex(), self._rows, total - 1)
            self._rows = total
            self.endInsertRows()
        elif total < self._rows:
            self.beginRemoveRows(QModelIndex(), total, self._rows - 1)
            self._rows = total
            self.endRemoveRows()

    async def _fetch(self, generation: int, library: LibraryService, station: str,
                     query: Query, page: int) -> None:
        self.fetched.append((generation, page))
        result = await self._call(
            generation, library.list_tracks, station, search=query.search or None,
            status=query.status,
            sort=query.sort, descending=query.descending, offset=page * self.page_size,
            limit=self.page_size, count=False)
        if self._is_stale(generation):
            return
        self._in_flight.discard(page)
        self._stale.pop(page, None)
        if result is None:
            return
        self._pages[page] = list(result.tracks)
        while len(self._pages) > self.max_pages:
            self._pages.popitem(last=False)
        first = page * self.page_size
        last = min(first + self.page_size, self._rows) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, STATUS))
        self.page_loaded.emit(page)

    def _on_cover_loaded(self, cover_url: str) -> None:
        for page, tracks in self._pages.items():
            for offset, track in enumerate(tracks):
                if track.cover_url == cover_url:
                    row = page * self.page_size + offset
                    if row < self._rows:
                        index = self.index(row, COVER)
                        self.dataChanged.emit(index, index,
                                              [Qt.ItemDataRole.DecorationRole])

    async def wait_idle(self) -> None:
        """Wait until every fetch under way has finished (tests, bench)."""
        while self._tasks or self._wanted:
            if self._tasks:
                await asyncio.gather(*list(self._tasks), return_exceptions=True)
            else:
                await asyncio.sleep(0)


_DISPLAY: dict[int, Callable[[TrackRecord], str]] = {
    TITLE: lambda t: t.display_title,
    ARTIST: lambda t: t.artist or "",
    ALBUM: lambda t: t.album or "",
    GENRE: lambda t: t.genre or "",
    YEAR: lambda t: "" if t.year is None else str(t.year),
    DURATION: lambda t: formatting.duration(t.duration),
    FORMAT: lambda t: t.format.upper(),
    BITRATE: lambda t: formatting.kbps(t.bitrate) if t.bitrate else "",
    STATUS: lambda t: label(t.status),
}


def _display(track: TrackRecord, column: int) -> str:
    show = _DISPLAY.get(column)
    return "" if show is None else show(track)
