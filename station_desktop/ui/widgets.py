"""Small building blocks shared by the pages: read-only tables, fact forms, headings."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)


def make_table(model: QAbstractItemModel, name: str, stretch_column: int | None = None
               ) -> QTableView:
    """A read-only list view whose column layout the window remembers (by ``name``).

    Columns start sized to their contents and the user can resize and reorder them; the
    ``stretch_column`` (default: the last) takes the spare width.
    """
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(24)
    header = view.horizontalHeader()
    header.setSectionsMovable(True)
    header.setHighlightSections(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    if stretch_column is None:
        header.setStretchLastSection(True)
    else:
        header.setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.setWordWrap(False)
    return view


FITTED = "columns_fitted"  # a view property: its column widths are settled


def fit_columns(view: QTableView) -> None:
    """Size the columns to what they hold, once: not over the user's saved layout
    (:mod:`station_desktop.ui.settings` sets the property) nor over their resizing."""
    if not view.property(FITTED) and view.model().rowCount() > 0:
        view.resizeColumnsToContents()
        view.setProperty(FITTED, True)


def titled(title: str, widget: QWidget) -> QGroupBox:
    box = QGroupBox(title)
    QVBoxLayout(box).addWidget(widget)
    return box


class FactsForm(QWidget):
    """Label: value rows for read-only facts, selectable so they can be copied."""

    def __init__(self, rows: Sequence[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setFormAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        self.values: dict[str, QLabel] = {}
        for key, label in rows:
            value = QLabel("—")
            value.setObjectName(f"fact-{key}")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[key] = value
            form.addRow(label + ":", value)

    def set_values(self, values: dict[str, str]) -> None:
        for key, label in self.values.items():
            label.setText(values.get(key, "—"))

    def clear(self) -> None:
        self.set_values({})
