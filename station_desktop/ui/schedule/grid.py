"""The weekly grid: seven day columns by 24 hours on a :class:`QGraphicsScene`.

The grid draws what it is given (:class:`GridBlock` s) and turns the mouse into requests:
drag on empty space to create, drag a block to move it, drag its top or bottom edge to
resize it, double-click to edit, Delete to delete. It saves nothing itself: the page
checks a request, saves it through the schedule service and gives the grid the new
blocks; until then the dragged block stays where it was dropped (dimmed at its old
place), and :meth:`WeekGrid.cancel_pending` snaps it back when the page refuses.

All arithmetic is in :mod:`station_desktop.ui.schedule.geometry`.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QLocale, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsView,
    QStyleOptionGraphicsItem,
    QWidget,
)

from station_desktop.services.weektime import (
    DAYS_PER_WEEK,
    MINUTES_PER_WEEK,
    WeekSpan,
    format_hhmm,
)
from station_desktop.ui.schedule import geometry as geo

GUTTER = 56.0  # the hour labels
HEADER = 30  # the day names, above the scrolling area
HOUR_HEIGHT = 40.0
MIN_DAY_WIDTH = 96.0

GRID_LINE = QColor("#dcdfe4")
HALF_HOUR_LINE = QColor("#eef0f3")
DAY_LINE = QColor("#c4c9d0")
LABEL = QColor("#6b7280")
NOW = QColor("#d92d20")


def day_name(day_of_week: int, short: bool = False) -> str:
    """The locale's name of a seed day (0 = Sunday)."""
    fmt = QLocale.FormatType.ShortFormat if short else QLocale.FormatType.LongFormat
    return QLocale().dayName(geo.seed_day_to_qt(day_of_week), fmt)


def block_colors(hue: int, active: bool = True) -> tuple[QColor, QColor, QColor]:
    """(fill, accent, text) of a playlist's blocks from its hue (see
    :func:`geometry.assign_hues`); grey for a block that is switched off."""
    if not active:
        return QColor("#eceef1"), QColor("#9aa1ab"), QColor("#6b7280")
    return QColor.fromHsl(hue, 170, 222), QColor.fromHsl(hue, 150, 105), QColor("#1f2328")


@dataclass(frozen=True, slots=True)
class GridBlock:
    """What the grid needs of a schedule block (the page builds it from a BlockRecord)."""

    id: str
    playlist_id: str
    title: str  # the playlist's name
    day_of_week: int
    start: int  # minutes after midnight
    end: int
    active: bool = True
    tooltip: str = ""
    warning: str | None = None  # e.g. a DST gap: drawn as ⚠, explained in the tooltip
    hue: int = -1  # -1: the playlist's own hue

    @property
    def color_hue(self) -> int:
        return self.hue if self.hue >= 0 else geo.playlist_hue(self.playlist_id)

    @property
    def span(self) -> WeekSpan:
        return geo.span_of(self.day_of_week, self.start, self.end)

    @property
    def times(self) -> str:
        return f"{format_hhmm(self.start)}\u2013{format_hhmm(self.end)}"


class SegmentItem(QGraphicsItem):
    """One day's part of a block."""

    def __init__(self, block: GridBlock, segment: geo.Segment, rect: geo.Rect) -> None:
        super().__init__()
        self.block = block
        self.segment = segment
        self.rect = QRectF(rect.x + 2, rect.y + 1, rect.width - 5, rect.height - 2)
        self.selected = False
        self.setToolTip(block.tooltip)
        self.setZValue(2 if block.active else 1)

    def boundingRect(self) -> QRectF:  # noqa: N802
        return self.rect.adjusted(-2, -2, 2, 2)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        block = self.block
        fill, accent, text = block_colors(block.color_hue, block.active)
        rect = self.rect
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(accent, 2.0 if self.selected else 1.0))
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, 4, 4)
        if not block.active:
            painter.setBrush(QBrush(QColor("#d5d9de"), Qt.BrushStyle.BDiagPattern))
            painter.drawRoundedRect(rect, 4, 4)
        painter.fillRect(QRectF(rect.x(), rect.y() + 1, 4, rect.height() - 2), accent)
        if self.selected:
            painter.setPen(QPen(accent.darker(130), 2.0))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect.adjusted(1, 1, -1, -1), 4, 4)
        draw_block_text(painter, rect, block.title, block.times, text, block.warning is not None,
                        show_times=True, continued=not self.segment.is_first)


def draw_block_text(painter: QPainter, rect: QRectF, title: str, times: str, color: QColor,
                    warning: bool, *, show_times: bool = True, continued: bool = False) -> None:
    """The block's name and times, as much of them as fits."""
    inner = rect.adjusted(8, 2, -4, -2)
    if inner.height() < 11 or inner.width() < 12:
        return
    font = QFont(painter.font())
    font.setPixelSize(11)
    bold = QFont(font)
    bold.setBold(True)
    metrics = QFontMetrics(font)
    line = metrics.height()
    painter.setPen(color)
    marker = "\u26a0 " if warning else ""
    name = ("\u21b3 " if continued else "") + marker + title
    flags = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    if inner.height() >= 2 * line + 1 and show_times:
        painter.setFont(bold)
        painter.drawText(inner, flags, QFontMetrics(bold).elidedText(
            name, Qt.TextElideMode.ElideRight, int(inner.width())))
        painter.setFont(font)
        painter.drawText(inner.adjusted(0, line, 0, 0), flags,
                         metrics.elidedText(times, Qt.TextElideMode.ElideRight,
                                            int(inner.width())))
    else:
        painter.setFont(bold)
        label = f"{name}  {times}" if show_times else name
        painter.drawText(inner, flags, QFontMetrics(bold).elidedText(
            label, Qt.TextElideMode.ElideRight, int(inner.width())))


class GhostItem(QGraphicsItem):
    """Where a dragged block would go: dashed; red when it overlaps another block."""

    def __init__(self) -> None:
        super().__init__()
        self.rects: list[QRectF] = []
        self.color = QColor("#2563eb")
        self.label = ""
        self.overlapping = False
        self.setZValue(5)

    def show_span(self, rects: Sequence[geo.Rect], color: QColor, label: str,
                  overlapping: bool) -> None:
        self.prepareGeometryChange()
        self.rects = [QRectF(r.x + 2, r.y + 1, r.width - 5, r.height - 2) for r in rects]
        self.color = color
        self.label = label
        self.overlapping = overlapping
        self.setVisible(True)
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802
        bounds = QRectF()
        for rect in self.rects:
            bounds = bounds.united(rect)
        return bounds.adjusted(-3, -3, 3, 3)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        color = NOW if self.overlapping else self.color
        fill = QColor(color)
        fill.setAlpha(60)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(color, 2.0, Qt.PenStyle.DashLine)
        for index, rect in enumerate(self.rects):
            painter.setPen(pen)
            painter.setBrush(fill)
            painter.drawRoundedRect(rect, 4, 4)
            if index == 0:
                draw_block_text(painter, rect, self.label, "", color.darker(150), False,
                                show_times=False)


class WeekScene(QGraphicsScene):
    """The grid's lines and hour labels are the scene's background."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid_geometry = geo.GridGeometry(1, GUTTER, 0.0, MIN_DAY_WIDTH, HOUR_HEIGHT / 60)
        self.today: int | None = None

    def drawBackground(self, painter: QPainter, rect: QRectF | QRect) -> None:  # noqa: N802
        g = self.grid_geometry
        painter.fillRect(QRectF(rect), QColor("#ffffff"))
        if self.today is not None:
            x = g.x_of_day(self.today)
            painter.fillRect(QRectF(x, g.top, g.day_width, g.height - g.top),
                             QColor("#f5f8ff"))
        painter.fillRect(QRectF(0, g.top, g.left, g.height - g.top), QColor("#fafbfc"))
        font = QFont(painter.font())
        font.setPixelSize(11)
        painter.setFont(font)
        for hour in range(25):
            y = g.y_of_minute(hour * 60)
            painter.setPen(QPen(GRID_LINE, 1))
            painter.drawLine(QPointF(g.left - 6, y), QPointF(g.width, y))
            if hour < 24:
                half = g.y_of_minute(hour * 60 + 30)
                painter.setPen(QPen(HALF_HOUR_LINE, 1))
                painter.drawLine(QPointF(g.left, half), QPointF(g.width, half))
                painter.setPen(LABEL)
                painter.drawText(QRectF(0, y + 2, g.left - 10, 16),
                                 int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop),
                                 f"{hour:02d}:00")
        painter.setPen(QPen(DAY_LINE, 1))
        for column in range(DAYS_PER_WEEK + 1):
            x = g.left + column * g.day_width
            painter.drawLine(QPointF(x, g.top), QPointF(x, g.height))


class DayHeader(QWidget):
    """The day names above the columns (outside the scrolling area)."""

    def __init__(self, grid: WeekGrid) -> None:
        super().__init__(grid)
        self._grid = grid

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        g = self._grid.grid_geometry
        offset = -self._grid.horizontalScrollBar().value()
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#fafbfc"))
        font = QFont(self.font())
        font.setPixelSize(12)
        for column in range(DAYS_PER_WEEK):
            day = g.day_of_column(column)
            x = offset + g.left + column * g.day_width
            cell = QRectF(x, 0, g.day_width, self.height())
            font.setBold(day == self._grid.today)
            painter.setFont(font)
            painter.setPen(NOW.darker(120) if day == self._grid.today else QColor("#30363d"))
            painter.drawText(cell, int(Qt.AlignmentFlag.AlignCenter), day_name(day))
            painter.setPen(QPen(DAY_LINE, 1))
            painter.drawLine(QPointF(x, 6), QPointF(x, self.height()))
        painter.setPen(QPen(DAY_LINE, 1))
        painter.drawLine(0, self.height() - 1, self.width(), self.height() - 1)
        painter.end()


class Kind(enum.Enum):
    CREATE = "create"
    MOVE = "move"
    RESIZE_START = "resize-start"
    RESIZE_END = "resize-end"


@dataclass
class _Drag:
    kind: Kind
    press: QPointF  # viewport position of the press
    anchor: float  # week minute under the press
    block: GridBlock | None = None
    grab_offset: float = 0.0
    started: bool = False
    candidate: WeekSpan | None = None


class WeekGrid(QGraphicsView):
    """Signals (times are minutes after midnight; an end of 0 is midnight, an end before
    the start runs into the next day):

        create_requested(int day, int start, int end): drawn on empty space.
        change_requested(str id, int day, int start, int end): a block moved or resized.
        edit_requested(str id): a block was double-clicked.
        delete_requested(str id): Delete (or Backspace) with a block selected.
        selection_changed(str id): "" when nothing is selected.
    """

    create_requested = Signal(int, int, int)
    change_requested = Signal(str, int, int, int)
    edit_requested = Signal(str)
    delete_requested = Signal(str)
    selection_changed = Signal(str)

    def __init__(self, first_day: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._scene = WeekScene(self)
        self._scene.grid_geometry = geo.GridGeometry(first_day, GUTTER, 0.0, MIN_DAY_WIDTH,
                                                HOUR_HEIGHT / 60)
        self.setScene(self._scene)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setViewportMargins(0, HEADER, 0, 0)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.viewport().setMouseTracking(True)
        self.header = DayHeader(self)
        self.horizontalScrollBar().valueChanged.connect(self.header.update)
        self._blocks: list[GridBlock] = []
        self._items: list[SegmentItem] = []
        self._selected: str | None = None
        self._drag: _Drag | None = None
        self._pending: str | None = None  # the block dropped and waiting for the page
        self.ghost = GhostItem()
        self._now: tuple[int, int] | None = None
        self.today: int | None = None
        self._build_scene()

    # -- content --------------------------------------------------------------------------

    @property
    def grid_geometry(self) -> geo.GridGeometry:
        return self._scene.grid_geometry

    @property
    def blocks(self) -> list[GridBlock]:
        return list(self._blocks)

    @property
    def selected_block_id(self) -> str | None:
        return self._selected

    @property
    def now_marker(self) -> tuple[int, int] | None:
        """(day, minute) where the "now" line is drawn, if it is."""
        return self._now

    def block(self, block_id: str) -> GridBlock | None:
        return next((b for b in self._blocks if b.id == block_id), None)

    def set_blocks(self, blocks: Sequence[GridBlock]) -> None:
        self._blocks = list(blocks)
        self._pending = None
        if self._selected is not None and self.block(self._selected) is None:
            self._select(None)
        self._build_scene()

    def cancel_pending(self) -> None:
        """Put a dropped block back where it was (the page refused the change)."""
        self._pending = None
        self._build_scene()

    def set_now(self, day_of_week: int | None, minute: int | None) -> None:
        self._now = None if day_of_week is None or minute is None else (day_of_week, minute)
        self.today = day_of_week
        self._scene.today = day_of_week
        if self._drag is None:  # never pull the scene from under a drag
            self._build_scene()
        self.header.update()

    def select_block(self, block_id: str | None) -> None:
        self._select(block_id)

    def segment_items(self, block_id: str | None = None) -> list[SegmentItem]:
        return [item for item in self._items if block_id is None or item.block.id == block_id]

    def scroll_to_minute(self, minute: int) -> None:
        self.verticalScrollBar().setValue(int(self.grid_geometry.y_of_minute(minute)))

    def view_point(self, day_of_week: int, minute: float, x_fraction: float = 0.5) -> QPointF:
        """Where (in viewport coordinates) a day and time are shown now: what a test or a
        tutorial points the mouse at."""
        g = self.grid_geometry
        scene = QPointF(g.x_of_day(day_of_week) + g.day_width * x_fraction,
                        g.y_of_minute(minute))
        return QPointF(self.mapFromScene(scene))

    def _build_scene(self) -> None:
        scene = self._scene
        for item in scene.items():
            scene.removeItem(item)
        self._items = []
        g = self.grid_geometry
        scene.setSceneRect(QRectF(0, 0, g.width, g.height))
        for block in self._blocks:
            for segment in geo.segments(block.day_of_week, block.start, block.end):
                item = SegmentItem(block, segment, g.segment_rect(segment))
                item.selected = block.id == self._selected
                if block.id == self._pending:
                    item.setOpacity(0.35)
                scene.addItem(item)
                self._items.append(item)
        self.ghost = GhostItem()
        self.ghost.setVisible(False)
        scene.addItem(self.ghost)
        if self._now is not None:
            day, minute = self._now
            x, y = g.x_of_day(day), g.y_of_minute(minute)
            line = scene.addLine(x, y, x + g.day_width, y, QPen(NOW, 2))
            line.setZValue(10)
            dot = scene.addEllipse(x - 4, y - 4, 8, 8, QPen(NOW), QBrush(NOW))
            dot.setZValue(10)
        scene.update()

    def _relayout(self) -> None:
        width = max((self.viewport().width() - GUTTER - 1) / DAYS_PER_WEEK, MIN_DAY_WIDTH)
        g = self.grid_geometry
        if abs(width - g.day_width) > 0.5:
            self._scene.grid_geometry = geo.GridGeometry(g.first_day, g.left, g.top, width,
                                                    g.minute_height)
            self._build_scene()
        margins = self.viewportMargins()
        frame = self.frameWidth()
        self.header.setGeometry(frame, frame, self.viewport().width(), margins.top())
        self.header.update()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._relayout()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self._relayout()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(int(GUTTER + DAYS_PER_WEEK * 120), 640)

    # -- selection ------------------------------------------------------------------------

    def _select(self, block_id: str | None) -> None:
        if block_id == self._selected:
            return
        self._selected = block_id
        for item in self._items:
            item.selected = item.block.id == block_id
            item.update()
        self.selection_changed.emit(block_id or "")

    def _hit(self, scene_point: QPointF) -> tuple[SegmentItem, geo.Zone] | None:
        """The block segment under a point (active blocks above switched-off ones)."""
        g = self.grid_geometry
        for item in sorted(self._items, key=lambda i: -i.zValue()):
            rect = g.segment_rect(item.segment)
            if rect.contains(scene_point.x(), scene_point.y()):
                return item, geo.hit_zone(rect, item.segment, scene_point.y())
        return None

    # -- mouse and keys -------------------------------------------------------------------

    def _week_minute(self, view_point: QPointF) -> float:
        scene_point = self.mapToScene(view_point.toPoint())
        return self.grid_geometry.week_minute_at(scene_point.x(), scene_point.y())

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        self.setFocus()
        position = event.position()
        scene_point = self.mapToScene(position.toPoint())
        anchor = self._week_minute(position)
        hit = self._hit(scene_point)
        if hit is not None:
            item, zone = hit
            self._select(item.block.id)
            kind = {geo.Zone.TOP: Kind.RESIZE_START, geo.Zone.BOTTOM: Kind.RESIZE_END,
                    geo.Zone.BODY: Kind.MOVE}[zone]
            grab = (anchor - item.block.span.start) % MINUTES_PER_WEEK
            self._drag = _Drag(kind, position, anchor, item.block, grab)
        elif self.grid_geometry.column_at(scene_point.x()) is not None:
            self._select(None)
            self._drag = _Drag(Kind.CREATE, position, anchor)
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        drag = self._drag
        position = event.position()
        if drag is None:
            self._update_cursor(position)
            super().mouseMoveEvent(event)
            return
        if not drag.started:
            distance = (position - drag.press).manhattanLength()
            if distance < QApplication.startDragDistance():
                return
            drag.started = True
        pointer = self._week_minute(position)
        drag.candidate = self._candidate(drag, pointer)
        self._show_ghost(drag)
        self.ensureVisible(QRectF(self.mapToScene(position.toPoint()), QSize(1, 1)), 0, 24)
        event.accept()

    def _candidate(self, drag: _Drag, pointer: float) -> WeekSpan:
        if drag.kind is Kind.CREATE or drag.block is None:
            return geo.created_span(drag.anchor, pointer)
        span = drag.block.span
        if drag.kind is Kind.MOVE:
            return geo.moved_span(span, drag.grab_offset, pointer)
        if drag.kind is Kind.RESIZE_START:
            return geo.resized_start(span, pointer)
        return geo.resized_end(span, pointer)

    def _show_ghost(self, drag: _Drag) -> None:
        span = drag.candidate
        if span is None:
            return
        day, start, end = geo.block_of_span(span)
        rects = self.grid_geometry.block_rects(day, start, end)
        active = drag.block.active if drag.block is not None else True
        exclude = drag.block.id if drag.block is not None else None
        overlapping = active and self.first_overlap(span, exclude) is not None
        color = (block_colors(drag.block.color_hue)[1] if drag.block is not None
                 else QColor("#2563eb"))
        label = f"{day_name(day, short=True)} {format_hhmm(start)}\u2013{format_hhmm(end)}"
        if drag.block is not None:
            for item in self.segment_items(drag.block.id):
                item.setOpacity(0.35)
        self.ghost.show_span(rects, color, label, overlapping)

    def first_overlap(self, span: WeekSpan, exclude: str | None = None) -> GridBlock | None:
        """The first active block (other than ``exclude``) that ``span`` overlaps: the
        service's rule, checked before anything is saved."""
        others = [(b, b.span) for b in self._blocks if b.active and b.id != exclude]
        return geo.first_overlap(span, others)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        drag = self._drag
        self._drag = None
        if drag is None or event.button() != Qt.MouseButton.LeftButton:
            super().mouseReleaseEvent(event)
            return
        event.accept()
        if not drag.started or drag.candidate is None:
            return  # a click: the selection changed, nothing else
        day, start, end = geo.block_of_span(drag.candidate)
        if drag.block is None:
            self.create_requested.emit(day, start, end)
            return
        if drag.candidate == drag.block.span:
            self.cancel_pending()
            return
        self._pending = drag.block.id
        self.change_requested.emit(drag.block.id, day, start, end)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() != Qt.MouseButton.LeftButton:
            super().mouseDoubleClickEvent(event)
            return
        self._drag = None
        scene_point = self.mapToScene(event.position().toPoint())
        hit = self._hit(scene_point)
        if hit is not None:
            self.edit_requested.emit(hit[0].block.id)
        elif self.grid_geometry.column_at(scene_point.x()) is not None:
            start = geo.snap(self._week_minute(event.position()) - 30)
            span = WeekSpan(start % MINUTES_PER_WEEK, 60)
            self.create_requested.emit(*geo.block_of_span(span))
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        if key == Qt.Key.Key_Escape and self._drag is not None:
            self._drag = None
            self.cancel_pending()
            event.accept()
            return
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self._selected is not None:
            self.delete_requested.emit(self._selected)
            event.accept()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._selected is not None:
            self.edit_requested.emit(self._selected)
            event.accept()
            return
        super().keyPressEvent(event)

    def _update_cursor(self, position: QPointF) -> None:
        hit = self._hit(self.mapToScene(position.toPoint()))
        if hit is None:
            self.viewport().unsetCursor()
        elif hit[1] is geo.Zone.BODY:
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
        else:
            self.viewport().setCursor(Qt.CursorShape.SizeVerCursor)

