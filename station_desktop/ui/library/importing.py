"""What the library shows of an import: a progress bar with Cancel while it runs, and the
report afterwards, file by file, with the reason of every error and duplicate."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from station_desktop.services.importer import FileOutcome, ImportProgress, ImportReport

# Errors first (what needs the user), then duplicates, cancelled files, and the imported.
_ORDER = {"error": 0, "duplicate": 1, "cancelled": 2, "imported": 3}


class ImportPanel(QWidget):
    """A strip under the table while files import. Signals:
        cancel_requested(): the user pressed Cancel.
    """

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("import-panel")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        self.label = QLabel()
        self.label.setMinimumWidth(200)
        self.bar = QProgressBar()
        self.bar.setTextVisible(True)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setObjectName("cancel-import")
        self.cancel_button.clicked.connect(self._on_cancel)
        layout.addWidget(self.label, 2)
        layout.addWidget(self.bar, 3)
        layout.addWidget(self.cancel_button)
        self.hide()

    def start(self) -> None:
        self.bar.setRange(0, 0)  # busy until the folders are expanded
        self.label.setText(self.tr("Looking at the files…"))
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText(self.tr("Cancel"))
        self.show()

    def update_progress(self, progress: ImportProgress) -> None:
        if progress.total:
            self.bar.setRange(0, progress.total)
            self.bar.setValue(progress.done)
            self.bar.setFormat(self.tr("%v of %m"))
        current = progress.current or "…"
        self.label.setText(self.tr("Importing {name}").format(name=current))
        self.label.setToolTip(progress.current)

    def _on_cancel(self) -> None:
        self.cancel_button.setEnabled(False)
        self.cancel_button.setText(self.tr("Cancelling…"))
        self.label.setText(self.tr("Cancelling: finishing the files in progress…"))
        self.cancel_requested.emit()

    def finish(self) -> None:
        self.hide()


def summary(report: ImportReport) -> str:
    """The counts of a report, translated: imported: 3, duplicates: 1, errors: 2."""
    # Counts in variables: lupdate misses a translate() whose count is a call.
    imported, duplicates = len(report.imported), len(report.duplicates)
    errors, cancelled = len(report.errors), len(report.not_started)
    parts = [QCoreApplication.translate("ImportReport", "imported: %n", "", imported)]
    if duplicates:
        parts.append(QCoreApplication.translate("ImportReport", "duplicates: %n", "",
                                                duplicates))
    if errors:
        parts.append(QCoreApplication.translate("ImportReport", "errors: %n", "", errors))
    if cancelled:
        parts.append(QCoreApplication.translate("ImportReport", "cancelled: %n", "",
                                                cancelled))
    return ", ".join(parts)


class ImportReportDialog(QDialog):
    """Every file of an import with what happened to it and why."""

    def __init__(self, report: ImportReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("import-report")
        self.report = report
        self.setWindowTitle(self.tr("Import report"))
        layout = QVBoxLayout(self)
        heading = QLabel()
        heading.setObjectName("summary")
        heading.setWordWrap(True)
        text = summary(report)
        text = (self.tr("The import was cancelled. {summary}.") if report.cancelled
                else self.tr("Import finished. {summary}.")).format(summary=text[:1].upper()
                                                                     + text[1:])
        heading.setText(f"<b>{text}</b>")
        layout.addWidget(heading)
        self.tree = QTreeWidget()
        self.tree.setObjectName("outcomes")
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setHeaderLabels([self.tr("File"), self.tr("Result"), self.tr("Details")])
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self._fill(report.outcomes)
        self.tree.resizeColumnToContents(0)
        self.tree.setColumnWidth(0, min(self.tree.columnWidth(0), 300))
        layout.addWidget(self.tree, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = buttons.addButton(self.tr("Copy report"),
                                 QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(self.copy_to_clipboard)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.resize(760, 420)

    def _result(self, outcome: FileOutcome) -> str:
        return {"imported": self.tr("Imported"), "duplicate": self.tr("Duplicate"),
                "error": self.tr("Error"), "cancelled": self.tr("Cancelled")}.get(
                    outcome.status, outcome.status)

    def _details(self, outcome: FileOutcome) -> str:
        lines = [outcome.message] if outcome.message else []
        lines += list(getattr(outcome, "notes", ()) or ())
        return "\n".join(lines)

    def _fill(self, outcomes: Sequence[FileOutcome]) -> None:
        style = QApplication.style()
        icons = {
            "error": style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical),
            "duplicate": style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation),
            "cancelled": style.standardIcon(QStyle.StandardPixmap.SP_DialogCancelButton),
            "imported": style.standardIcon(QStyle.StandardPixmap.SP_DialogApplyButton),
        }
        colours = {"error": QColor(180, 40, 40), "duplicate": QColor(150, 100, 0)}
        for outcome in sorted(outcomes, key=lambda o: (_ORDER.get(o.status, 9),
                                                       o.path.name.casefold())):
            item = QTreeWidgetItem([outcome.path.name, self._result(outcome),
                                    self._details(outcome)])
            item.setIcon(1, icons.get(outcome.status, icons["imported"]))
            item.setToolTip(0, str(outcome.path))
            item.setToolTip(2, self._details(outcome))
            item.setData(0, Qt.ItemDataRole.UserRole, outcome.status)
            if outcome.status in colours:
                item.setForeground(1, QBrush(colours[outcome.status]))
            self.tree.addTopLevelItem(item)

    def rows(self) -> list[tuple[str, str, str]]:
        """(file name, result, details) as shown, top to bottom (tests)."""
        items = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        return [(item.text(0), item.text(1), item.text(2)) for item in items if item]

    def copy_to_clipboard(self) -> None:
        lines = [summary(self.report)]
        for outcome in self.report.outcomes:
            detail = self._details(outcome).replace("\n", "; ")
            lines.append(f"{outcome.path}\t{self._result(outcome)}\t{detail}")
        QGuiApplication.clipboard().setText("\n".join(lines))
