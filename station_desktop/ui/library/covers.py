"""Cover thumbnails for the library table: loaded for the rows on screen only, off the UI
thread's critical path (an asyncio task per cover), decoded once and kept in a small LRU.

The storage holds each cover as a small JPEG/PNG (``covers/<hash>.jpg``, written by the
importer); many tracks of an album share one, so the cache is keyed by station and
``cover_url``. A cover that is missing or does not decode is remembered as "none" and shows
the placeholder, so it is not asked for again.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable

from PySide6.QtCore import QObject, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPalette, QPixmap
from PySide6.QtWidgets import QApplication

log = logging.getLogger("station_desktop.ui.library")

CoverLoader = Callable[[str, str], Awaitable[bytes | None]]
"""``(client_id, cover_url) -> the image's bytes or None`` (ImportService.cover_bytes)."""

class CoverCache(QObject):
    """Signals:
        loaded(str): the cover ``cover_url`` is now in the cache (or known to be missing).
    """

    loaded = Signal(str)

    def __init__(self, size: int = 26, capacity: int = 400, concurrency: int = 4,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.size = size
        self.capacity = capacity
        # None: the cover has no image (missing, or not decodable)
        self._cache: OrderedDict[tuple[str, str], QPixmap | None] = OrderedDict()
        self._loading: set[tuple[str, str]] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._limit = concurrency
        self._semaphore: asyncio.Semaphore | None = None
        self._loader: CoverLoader | None = None
        self._generation = 0
        self.placeholder = placeholder_pixmap(size)
        self.requests = 0  # covers asked of the loader (tests, bench)

    def set_loader(self, loader: CoverLoader | None) -> None:
        """Another database: forget everything (covers of the old one are not wanted)."""
        self._loader = loader
        self._generation += 1
        self._cache.clear()
        self._loading.clear()

    def pixmap(self, client_id: str, cover_url: str | None) -> QPixmap:
        """The thumbnail if it is loaded, else the placeholder (and the load starts)."""
        if not cover_url:
            return self.placeholder
        key = (client_id, cover_url)
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key] or self.placeholder
        if key not in self._loading and self._loader is not None:
            self._loading.add(key)
            task = asyncio.ensure_future(self._load(key, self._loader, self._generation))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return self.placeholder

    async def _load(self, key: tuple[str, str], loader: CoverLoader, generation: int) -> None:
        if self._semaphore is None:
            self._semaphore = asyncio.Semaphore(self._limit)
        data: bytes | None = None
        try:
            async with self._semaphore:
                self.requests += 1
                data = await loader(*key)
        except Exception:  # a cover is decoration: never let it break the table
            log.exception("cover %s could not be read", key[1])
        if generation != self._generation:
            return
        self._loading.discard(key)
        image = QPixmap()
        pixmap: QPixmap | None = None
        if data and image.loadFromData(data):
            pixmap = _rounded(image.scaled(
                QSize(self.size, self.size), Qt.AspectRatioMode.KeepAspectRatioByExpanding,
                Qt.TransformationMode.SmoothTransformation), self.size)
        self._cache[key] = pixmap
        while len(self._cache) > self.capacity:
            self._cache.popitem(last=False)
        self.loaded.emit(key[1])

    async def wait_idle(self) -> None:
        """Wait until no cover is loading (tests, bench)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)


def _rounded(source: QPixmap, size: int) -> QPixmap:
    """``source`` cropped to a centred square with rounded corners."""
    out = QPixmap(size, size)
    out.fill(Qt.GlobalColor.transparent)
    painter = QPainter(out)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    path = QPainterPath()
    path.addRoundedRect(QRectF(0, 0, size, size), 3, 3)
    painter.setClipPath(path)
    x = (source.width() - size) // 2
    y = (source.height() - size) // 2
    painter.drawPixmap(0, 0, source, x, y, size, size)
    painter.end()
    return out


def placeholder_pixmap(size: int) -> QPixmap:
    """A rounded grey square with a note: a track without a cover (or not loaded yet)."""
    out = QPixmap(size, size)
    out.fill(Qt.GlobalColor.transparent)
    palette = QApplication.palette()
    painter = QPainter(out)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    path = QPainterPath()
    path.addRoundedRect(QRectF(0.5, 0.5, size - 1, size - 1), 3, 3)
    base = palette.color(QPalette.ColorRole.Mid)
    painter.fillPath(path, QColor(base.red(), base.green(), base.blue(), 70))
    painter.setPen(palette.color(QPalette.ColorRole.Mid).darker(130))
    font = QFont()
    font.setPixelSize(max(size * 9 // 16, 8))
    painter.setFont(font)
    painter.drawText(QRectF(0, 0, size, size), int(Qt.AlignmentFlag.AlignCenter), "\u266a")
    painter.end()
    return out
