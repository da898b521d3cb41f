"""A table delegate that draws "stations assigned against capacity" as a bar."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

Index = QModelIndex | QPersistentModelIndex
FULL = QColor("#e57373")  # at or over capacity
HIGH = QColor("#ffb74d")  # 80 % or more
OK = QColor("#81c784")
MIN_WIDTH = 130


def bar_color(load: int, capacity: int) -> QColor:
    if capacity <= 0 or load >= capacity:
        return FULL
    return HIGH if load / capacity >= 0.8 else OK


class CapacityBarDelegate(QStyledItemDelegate):
    """Paints a bar filled to ``load / capacity`` behind the cell's text.

    ``usage(row)`` gives (load, capacity) of the row's record.
    """

    def __init__(self, usage: Callable[[int], tuple[int, int]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.usage = usage

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        load, capacity = self.usage(index.row())
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(option.rect, option.palette.highlight())
        track = option.rect.adjusted(4, 4, -4, -4)
        fraction = min(load / capacity, 1.0) if capacity > 0 else 1.0
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(option.palette.mid())
        painter.drawRoundedRect(track, 3, 3)
        painter.setBrush(bar_color(load, capacity))
        painter.drawRoundedRect(QRect(track.x(), track.y(), round(track.width() * fraction),
                                      track.height()), 3, 3)
        painter.setPen(QColor("#1d1d1d"))  # dark on the light bar colours, any theme
        painter.drawText(track, int(Qt.AlignmentFlag.AlignCenter), str(index.data()))
        painter.restore()
