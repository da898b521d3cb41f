"""Live: where a DJ connects (credentials with reveal, copy and regenerate), the DJs' own
accounts, guides for BUTT and Mixxx filled in with this station's values, whether a DJ is
on air now, and the past live sessions."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from station_desktop.errors import StationError
from station_desktop.services.stations import LiveCredentials
from station_desktop.services.stats import LiveSessionRecord
from station_desktop.services.workspace import Workspace
from station_desktop.ui import formatting as fmt
from station_desktop.ui.asyncslot import async_slot
from station_desktop.ui.live.control import ControlHolder
from station_desktop.ui.live.dj_accounts import DjAccountsPanel
from station_desktop.ui.live.layout import scrolling_body
from station_desktop.ui.live.poller import Poller
from station_desktop.ui.page import StationPage
from station_desktop.ui.table_model import Column, RecordTableModel
from station_desktop.ui.widgets import FactsForm, fit_columns, make_table, titled
from station_desktop.ui.worker import DbWorker

REFRESH_MS = 5000
SESSIONS_SHOWN = 100


def _session_end(record: LiveSessionRecord) -> str:
    return fmt.datetime(record.end) if record.end is not None else "\u2014"


def _session_duration(record: LiveSessionRecord) -> str:
    return fmt.duration(record.duration_seconds) if record.duration_seconds is not None else "—"


class LivePage(StationPage):
    def __init__(self, worker: DbWorker, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Live"),
            self.tr("What a DJ enters in BUTT or Mixxx to broadcast live on this station."),
            worker, parent)
        self.body = scrolling_body(self.content)
        self.credentials: LiveCredentials | None = None
        self.controls = ControlHolder()
        self.poller = Poller(self.refresh_status, REFRESH_MS, self)
        self.poller.while_visible(self)  # polls only while the page is shown
        self._watched: tuple[Workspace, str] | None = None
        self.confirmation: QMessageBox | None = None

        credentials_box = self._build_credentials()
        status_box = self._build_status()
        top = QHBoxLayout()
        top.addWidget(titled(self.tr("Connection"), credentials_box), 3)
        top.addWidget(titled(self.tr("On air now"), status_box), 2)
        self.body.addLayout(top)
        self.dj_accounts = DjAccountsPanel(self)
        self.body.addWidget(titled(self.tr("DJ accounts"), self.dj_accounts))
        self._build_guides()
        self._build_sessions()

    def _build_credentials(self) -> QWidget:
        grid = QGridLayout()
        self.fields: dict[str, QLineEdit] = {}
        rows = [("host", self.tr("Server")), ("port", self.tr("Port")),
                ("mount", self.tr("Mount")), ("user", self.tr("User")),
                ("password", self.tr("Password"))]
        self.copy_buttons: dict[str, QPushButton] = {}
        for row, (key, title) in enumerate(rows):
            edit = QLineEdit()
            edit.setReadOnly(True)
            edit.setObjectName(f"live-{key}")
            self.fields[key] = edit
            copy = QPushButton(self.tr("Copy"))
            copy.clicked.connect(lambda _=False, k=key: self.copy_value(k))
            self.copy_buttons[key] = copy
            grid.addWidget(QLabel(title + ":"), row, 0)
            grid.addWidget(edit, row, 1)
            grid.addWidget(copy, row, 2)
        self.fields["password"].setEchoMode(QLineEdit.EchoMode.Password)
        self.reveal_button = QPushButton(self.tr("Show"))
        self.reveal_button.setCheckable(True)
        self.reveal_button.toggled.connect(self.reveal_password)
        grid.addWidget(self.reveal_button, 4, 3)
        self.regenerate_button = QPushButton(self.tr("Regenerate password\u2026"))
        self.regenerate_button.clicked.connect(self.confirm_regenerate)
        grid.addWidget(self.regenerate_button, 5, 1)
        self.enabled_note = QLabel()
        self.enabled_note.setWordWrap(True)
        grid.addWidget(self.enabled_note, 6, 0, 1, 4)
        credentials_box = QWidget()
        credentials_box.setLayout(grid)
        return credentials_box

    def _build_status(self) -> QWidget:
        self.status_facts = FactsForm([
            ("connected", self.tr("DJ connected")),
            ("dj", self.tr("Who")),
            ("since", self.tr("Since")),
            ("listeners", self.tr("Listeners now")),
        ])
        self.status_note = QLabel()
        self.status_note.setWordWrap(True)
        self.status_note.setStyleSheet("color: palette(placeholder-text);")
        status_box = QWidget()
        status_layout = QVBoxLayout(status_box)
        status_layout.setContentsMargins(0, 0, 0, 0)
        status_layout.addWidget(self.status_facts)
        status_layout.addWidget(self.status_note)
        status_layout.addStretch(1)
        return status_box

    def _build_guides(self) -> None:
        self.guides = QTabWidget()
        self.guide_texts: dict[str, QPlainTextEdit] = {}
        for key, title in (("butt", "BUTT"), ("mixxx", "Mixxx")):
            page = QWidget()
            layout = QVBoxLayout(page)
            text = QPlainTextEdit()
            text.setReadOnly(True)
            text.setObjectName(f"guide-{key}")
            self.guide_texts[key] = text
            copy = QPushButton(self.tr("Copy guide"))
            copy.clicked.connect(lambda _=False, k=key: self.copy_guide(k))
            layout.addWidget(text)
            layout.addWidget(copy)
            self.guides.addTab(page, title)

    def _build_sessions(self) -> None:
        unnamed = self.tr("(unnamed)")  # not self in a lambda: no page<->model cycle
        self.sessions_model: RecordTableModel[LiveSessionRecord] = RecordTableModel([
            Column(self.tr("DJ"), lambda r: r.dj_name or unnamed),
            Column(self.tr("Start"), lambda r: fmt.datetime(r.start)),
            Column(self.tr("End"), _session_end),
            Column(self.tr("Duration"), _session_duration, align_right=True),
            Column(self.tr("Peak"), lambda r: fmt.number(r.peak_listeners), align_right=True),
            Column(self.tr("Average"), lambda r: fmt.number(r.avg_listeners),
                   align_right=True),
        ])
        self.sessions_view = make_table(self.sessions_model, "live-sessions", stretch_column=0)
        bottom = QHBoxLayout()
        bottom.addWidget(titled(self.tr("Connection guides"), self.guides), 1)
        bottom.addWidget(titled(self.tr("Live sessions"), self.sessions_view), 1)
        self.body.addSpacing(6)
        self.body.addLayout(bottom, 1)

    # -- loading ----------------------------------------------------------------------------

    async def load_station(self, workspace: Workspace, station_id: str | None) -> None:
        assert station_id is not None
        self.poller.want(False)
        self._watched = None
        station = await self.run(workspace.stations.get_station, station_id)
        if station is None or not self.is_current(workspace, station_id):
            return
        if station.server_id is None:
            self.show_empty(self.tr("{station} is not assigned to a streaming server yet, so it "
                                    "has no live input.").format(station=station.name))
            return
        credentials = await self.run(workspace.stations.get_live_credentials, station_id)
        if credentials is None or not self.is_current(workspace, station_id):
            return
        self.show_credentials(credentials)
        await self.dj_accounts.load(workspace, station_id)
        if not self.is_current(workspace, station_id):
            return
        self.status_facts.clear()
        self.status_note.setText(self.tr("Asking the station's Liquidsoap\u2026"))
        self._watched = (workspace, station_id)
        self.show_content()
        self.poller.want(True)

    def show_credentials(self, credentials: LiveCredentials) -> None:
        self.credentials = credentials
        port = str(credentials.port) if credentials.port is not None else ""
        values = {"host": credentials.host, "port": port, "mount": credentials.mount,
                  "user": credentials.username, "password": credentials.password}
        for key, value in values.items():
            self.fields[key].setText(value)
        self.enabled_note.setText(
            "" if credentials.enabled else
            self.tr("The live input is disabled in the stream settings: DJs cannot connect "
                    "until it is enabled."))
        self.show_guides()

    def guide(self, key: str, password: str) -> str:
        """The BUTT or Mixxx guide filled with this station's values and ``password``."""
        credentials = self.credentials
        if credentials is None:
            return ""
        port = str(credentials.port) if credentials.port is not None else ""
        values = {"host": credentials.host, "port": port, "password": password,
                  "mount": credentials.mount, "user": credentials.username}
        if key == "butt":
            return self.tr(
                "BUTT (broadcast using this tool)\n"
                "1. Settings > Main > Server > Add.\n"
                "2. Type: Icecast\n"
                "   Address: {host}\n"
                "   Port: {port}\n"
                "   Password: {password}\n"
                "   Icecast mountpoint: {mount}\n"
                "   Icecast user: {user}\n"
                "3. Settings > Audio: codec MP3, 128 kbit/s, 44100 Hz, stereo.\n"
                "4. Save, then press the Play button to go on air.").format(**values)
        return self.tr(
            "Mixxx\n"
            "1. Preferences > Live Broadcasting: select a connection.\n"
            "2. Type: Icecast 2\n"
            "   Host: {host}\n"
            "   Port: {port}\n"
            "   Mount: {mount}\n"
            "   Login: {user}\n"
            "   Password: {password}\n"
            "3. Encoding: MP3, 128 kbps, stereo.\n"
            "4. Options > Enable Live Broadcasting to go on air.").format(**values)

    def show_guides(self) -> None:
        """The guides on screen show the password only while it is revealed; Copy guide
        always copies it (that is what the DJ pastes)."""
        credentials = self.credentials
        if credentials is None:
            return
        shown = (credentials.password if self.reveal_button.isChecked()
                 else self.tr("(hidden: press Show, or Copy guide)"))
        for key, text in self.guide_texts.items():
            text.setPlainText(self.guide(key, shown))

    def copy_guide(self, key: str) -> None:
        if self.credentials is not None:
            self._copy(self.guide(key, self.credentials.password))

    async def refresh_status(self) -> None:
        watched = self._watched
        if watched is None:
            return
        workspace, station_id = watched
        try:
            status = await self.controls.status(workspace, station_id)
            session = await self.worker.call(workspace.stats.open_live_session, station_id)
            sessions = await self.worker.call(workspace.stats.live_sessions, station_id,
                                              SESSIONS_SHOWN)
        except StationError as error:
            if self._watched == watched:
                self.status_note.setText(str(error))
            return
        if self._watched != watched:
            return
        self.sessions_model.set_records(sessions)
        fit_columns(self.sessions_view)
        connected = status.live_connected
        dash = "\u2014"
        values = {
            "connected": (self.tr("unknown (Liquidsoap does not answer)") if connected is None
                          else fmt.yes_no(connected)),
            "listeners": (dash if status.listeners is None
                          else fmt.number(status.listeners)),
        }
        if connected and session is not None:
            values["dj"] = session.dj_name or self.tr("(unnamed)")
            values["since"] = fmt.datetime(session.start)
        elif connected and status.live_address:
            values["dj"] = status.live_address
        self.status_facts.set_values(values)
        problems = [f"{part}: {text}" for part, text in status.errors.items()]
        self.status_note.setText("\n".join(
            [*problems, self.tr("Checked at {time}.").format(
                time=fmt.time_of_day(status.checked_at))]))

    # -- credentials actions ----------------------------------------------------------------

    def reveal_password(self, shown: bool) -> None:
        self.fields["password"].setEchoMode(
            QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)
        self.reveal_button.setText(self.tr("Hide") if shown else self.tr("Show"))
        self.show_guides()

    def copy_value(self, key: str) -> None:
        self._copy(self.fields[key].text())

    def _copy(self, text: str) -> None:
        clipboard = QGuiApplication.clipboard()
        clipboard.setText(text)

    def confirm_regenerate(self) -> None:
        self.confirmation_box()

    def confirmation_box(self) -> QMessageBox | None:
        """Ask before regenerating (the box is open when this returns)."""
        if self._watched is None:
            return None
        box = QMessageBox(
            QMessageBox.Icon.Warning, self.tr("Regenerate the live password"),
            self.tr("Make a new live password? The current one stops working at once: a DJ "
                    "who is on air with it stays connected, but cannot reconnect until they "
                    "enter the new one."),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Regenerate"))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)

        def answered(result: int) -> None:
            if result == QMessageBox.StandardButton.Yes:
                self.regenerate()
            box.deleteLater()
            self.confirmation = None

        box.finished.connect(answered)
        self.confirmation = box
        box.open()
        return box

    @async_slot()
    async def regenerate(self) -> None:
        watched = self._watched
        if watched is None:
            return
        workspace, station_id = watched
        credentials = await self.run(workspace.stations.regenerate_live_password, station_id)
        if credentials is not None and self._watched == watched:
            self.show_credentials(credentials)
