"""The alerts stationd raised (services/alerts.py): open ones, or also the recent cleared
ones, with acknowledgement."""

from __future__ import annotations

import getpass
from collections.abc import Awaitable, Callable

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from station_desktop.services.alerts import AlertRecord, AlertService
from station_desktop.ui import formatting as fmt
from station_desktop.ui.asyncslot import async_slot
from station_desktop.ui.labels import label
from station_desktop.ui.table_model import Column, RecordTableModel
from station_desktop.ui.widgets import fit_columns, make_table

RECENT = 100


def who_am_i() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "desktop"


class AlertsPanel(QWidget):
    """``call(fn, *args)`` runs a service call off the UI thread (the page's ``run``);
    ``server_names`` maps server ids to names for the table."""

    def __init__(self, call: Callable[..., Awaitable[object]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.call = call
        self.service: AlertService | None = None
        self.server_names: dict[str, str] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.show_cleared = QCheckBox(self.tr("Show recent cleared alerts too"))
        self.show_cleared.toggled.connect(self._reload)
        self.ack_button = QPushButton(self.tr("Acknowledge"))
        self.ack_button.setToolTip(self.tr("Mark the selected alerts as seen by you"))
        self.ack_button.clicked.connect(self._acknowledge_clicked)
        bar.addWidget(self.show_cleared)
        bar.addStretch(1)
        bar.addWidget(self.ack_button)
        layout.addLayout(bar)
        self.model: RecordTableModel[AlertRecord] = RecordTableModel([
            Column(self.tr("Raised"), lambda r: fmt.datetime(r.raised_at)),
            Column(self.tr("Server"), lambda r: self.server_names.get(r.server_id or "", "—")),
            Column(self.tr("Severity"), lambda r: label(r.severity)),
            Column(self.tr("State"), lambda r: self.tr("open") if r.is_open
                   else self.tr("cleared")),
            Column(self.tr("Failures"), lambda r: fmt.number(r.failures), align_right=True),
            Column(self.tr("Acknowledged"), lambda r: (
                self.tr("{who}, {when}").format(who=r.acknowledged_by,
                                                 when=fmt.datetime(r.acknowledged_at))
                if r.acknowledged_at is not None else "")),
            Column(self.tr("Message"), lambda r: r.message),
        ])
        self.view = make_table(self.model, "alerts")
        self.view.setSelectionMode(self.view.SelectionMode.ExtendedSelection)
        self.view.selectionModel().selectionChanged.connect(self._update_button)
        layout.addWidget(self.view)
        self._update_button()

    def _update_button(self) -> None:
        self.ack_button.setEnabled(any(
            self.model.record(i.row()).acknowledged_at is None
            for i in self.view.selectionModel().selectedRows()))

    async def load(self, service: AlertService | None) -> None:
        self.service = service
        if service is None:
            self.model.set_records([])
            return
        alerts = await self.call(service.list_alerts, not self.show_cleared.isChecked(), None,
                                 RECENT)
        if self.service is service and isinstance(alerts, list):
            self.model.set_records(alerts)
            fit_columns(self.view)
        self._update_button()

    @async_slot()
    async def _reload(self) -> None:
        await self.load(self.service)

    @async_slot()
    async def _acknowledge_clicked(self) -> None:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        await self.acknowledge([self.model.record(row).id for row in rows])

    async def acknowledge(self, alert_ids: list[str]) -> None:
        service = self.service
        if service is None:
            return
        who = who_am_i()
        for alert_id in alert_ids:
            await self.call(service.acknowledge, alert_id, who)
        await self.load(service)
