"""The dialog that creates or edits a streaming server.

It does not close itself on OK: it emits ``submitted`` and the page saves; a
``ValidationError`` from the service marks the input it names (:meth:`highlight`) and
the dialog stays open with everything typed kept.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from station_desktop.services.fleet import MAX_CAPACITY, SERVER_STATUSES, ServerFields
from station_desktop.ui.fleet.stream_form import ERROR_STYLE
from station_desktop.ui.labels import label


class ServerDialog(QDialog):
    """Signals:
        submitted(ServerFields): OK was pressed.
    """

    submitted = Signal(object)

    def __init__(self, fields: ServerFields | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New server") if fields is None else self.tr("Edit server"))
        self.setModal(True)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)
        self.name = QLineEdit()
        self.host = QLineEdit()
        self.host.setPlaceholderText("vps1.example.net")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.capacity = QSpinBox()
        self.capacity.setRange(1, MAX_CAPACITY)
        self.region = QLineEdit()
        self.status = QComboBox()
        for status in SERVER_STATUSES:
            self.status.addItem(label(status), status)
        self.ssh_user = QLineEdit()
        self.ssh_user.setPlaceholderText(self.tr("(direct telnet, no SSH)"))
        self.ssh_port = QSpinBox()
        self.ssh_port.setRange(0, 65535)
        self.ssh_port.setSpecialValueText(self.tr("22 (default)"))
        self.admin_user = QLineEdit()
        self.admin_user.setPlaceholderText("admin")
        self.fields: dict[str, QWidget] = {
            "name": self.name, "host": self.host, "port": self.port,
            "capacity": self.capacity, "region": self.region, "status": self.status,
            "ssh_user": self.ssh_user, "ssh_port": self.ssh_port,
            "icecast_admin_user": self.admin_user,
        }
        titles = {
            "name": self.tr("Name"), "host": self.tr("Host"), "port": self.tr("Icecast port"),
            "capacity": self.tr("Capacity (stations)"), "region": self.tr("Region"),
            "status": self.tr("Status"), "ssh_user": self.tr("SSH user"),
            "ssh_port": self.tr("SSH port"), "icecast_admin_user": self.tr("Icecast admin user"),
        }
        for key, widget in self.fields.items():
            widget.setObjectName(key)
            form.addRow(titles[key], widget)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c0392b;")
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(lambda: self.submitted.emit(self.values()))
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.set_values(fields or ServerFields("", ""))

    def set_values(self, fields: ServerFields) -> None:
        self.name.setText(fields.name)
        self.host.setText(fields.host)
        self.port.setValue(fields.port)
        self.capacity.setValue(fields.capacity)
        self.region.setText(fields.region or "")
        self.status.setCurrentIndex(max(self.status.findData(fields.status), 0))
        self.ssh_user.setText(fields.ssh_user or "")
        self.ssh_port.setValue(fields.ssh_port or 0)
        self.admin_user.setText(fields.icecast_admin_user or "")

    def values(self) -> ServerFields:
        return ServerFields(
            name=self.name.text(), host=self.host.text(), port=self.port.value(),
            capacity=self.capacity.value(), region=self.region.text().strip() or None,
            status=str(self.status.currentData()),
            ssh_user=self.ssh_user.text().strip() or None,
            ssh_port=self.ssh_port.value() or None,
            icecast_admin_user=self.admin_user.text().strip() or None,
        )

    def highlight(self, field: str | None, message: str) -> None:
        for widget in self.fields.values():
            widget.setStyleSheet("")
        self.error.setText(message)
        marked = self.fields.get(field or "")
        if marked is not None:
            marked.setStyleSheet(f"#{field} {{ {ERROR_STYLE} }}")
            marked.setFocus()

    def highlighted(self) -> list[str]:
        return [name for name, widget in self.fields.items() if widget.styleSheet()]
