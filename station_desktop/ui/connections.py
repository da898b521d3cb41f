"""The Connections dialog: the databases the app knows, how to reach them, and a test.

The first entry is always the embedded database on this computer; the others are the
connection profiles of :class:`~station_desktop.config.profiles.ProfileStore`. Passwords go
to the OS keyring through the store and never into a file. Everything that touches the
disk, the keyring or the network (saving, removing, testing) runs off the UI thread.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from station_desktop.config.profiles import (
    DEFAULT_MYSQL_PORT,
    KIND_MYSQL,
    KIND_SQLITE,
    MEDIA_LOCAL,
    MEDIA_SFTP,
    DatabaseAddress,
    Profile,
    ProfileStore,
    with_password,
)
from station_desktop.db import migrate
from station_desktop.db.engine import safe_url
from station_desktop.errors import SchemaMismatch, StationError, ValidationError
from station_desktop.ui.asyncslot import async_slot

log = logging.getLogger("station_desktop.ui.connections")

T = TypeVar("T")
EMBEDDED = "\x00embedded"  # the list entry of the embedded database (no profile name has NUL)
NEW = "\x00new"  # a profile being added, not saved yet

OK_STYLE = "color: #1b7f3b;"
WARN_STYLE = "color: #a15c00;"
ERROR_STYLE = "color: #b3261e;"


@dataclass(frozen=True)
class CheckResult:
    """What "Test connection" found: ``level`` is ``ok``, ``warning`` (the server answered
    but the database cannot be used as it is) or ``error``; ``fix`` is a command to run."""

    level: str
    message: str
    fix: str | None = None


def check_database(url: str) -> migrate.SchemaState:
    """Connect and read the schema's state; blocking (call it off the UI thread).

    A schema this version cannot use raises :class:`SchemaMismatch` with the command that
    fixes it. A SQLite file that does not exist is reported, not created.
    """
    address = DatabaseAddress.from_url(url)
    if address.kind == KIND_SQLITE and not Path(address.database).is_file():
        raise StationError(f"The database file {address.database} does not exist.")
    return migrate.ensure_current(url)


class ConnectionsDialog(QDialog):
    """Signals:
        connect_requested(object): connect to this profile name, or None for the embedded
            database. The dialog closes itself after emitting it.
        profiles_changed(): a profile was saved or removed.
        check_finished(object): a connection test ended with this :class:`CheckResult`.
    """

    connect_requested = Signal(object)
    profiles_changed = Signal()
    check_finished = Signal(object)

    def __init__(self, store: ProfileStore, embedded_path: Path,
                 connected: str | None = EMBEDDED, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Connections"))
        self.setObjectName("connections-dialog")
        self.resize(820, 560)
        self._store = store
        self._embedded_path = embedded_path
        self._connected = connected  # profile name, EMBEDDED, or None (not connected)
        self._profiles: dict[str, Profile] = {}
        self._loading = False
        self._dirty = False
        self._busy = 0

        left = self._build_list()
        right = self._build_right(embedded_path)
        body = QHBoxLayout()
        body.addLayout(left, 0)
        body.addLayout(right, 1)
        self.buttons = self._build_buttons()
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.buttons)
        self._update_buttons()

    def _build_list(self) -> QVBoxLayout:
        self.profile_list = QListWidget()
        self.profile_list.setObjectName("profile-list")
        self.profile_list.setFixedWidth(250)
        self.profile_list.setWordWrap(True)
        self.profile_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.profile_list.setStyleSheet("QListWidget::item { padding: 5px 4px; }")
        self.profile_list.currentItemChanged.connect(self._on_profile_list_current_changed)
        self.add_button = QPushButton(self.tr("&Add"))
        self.add_button.clicked.connect(self._on_add_clicked)
        self.remove_button = QPushButton(self.tr("&Remove…"))
        self.remove_button.clicked.connect(self._on_remove_clicked)
        list_buttons = QHBoxLayout()
        list_buttons.addWidget(self.add_button)
        list_buttons.addWidget(self.remove_button)
        list_buttons.addStretch(1)
        left = QVBoxLayout()
        left.addWidget(self.profile_list, 1)
        left.addLayout(list_buttons)
        return left

    def _build_right(self, embedded_path: Path) -> QVBoxLayout:
        self.pages = QStackedWidget()
        self.embedded_info = QLabel()
        self.embedded_info.setWordWrap(True)
        self.embedded_info.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.embedded_info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.embedded_info.setText(self.tr(
            "<p><b>The embedded database on this computer</b></p>"
            "<p>A local SQLite file that needs no server. It was created with a demo station "
            "the first time Station Desktop started, and media files are stored beside "
            "it.</p><p>File: {path}</p>"
            "<p>To work on your hosting platform's shared MySQL or MariaDB database, add a "
            "connection.</p>").format(path=embedded_path))
        self.pages.addWidget(self.embedded_info)
        self.pages.addWidget(self._build_form())

        right = QVBoxLayout()
        right.addWidget(self.pages, 1)
        self.result_label = QLabel()
        self.result_label.setObjectName("result")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fix_label = QLabel()
        self.fix_label.setObjectName("fix")
        self.fix_label.setWordWrap(True)
        self.fix_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fix_label.setFont(QFont("monospace"))
        self.fix_label.setVisible(False)
        right.addWidget(self.result_label)
        right.addWidget(self.fix_label)
        return right

    def _build_buttons(self) -> QDialogButtonBox:
        buttons = QDialogButtonBox()
        self.test_button = buttons.addButton(self.tr("&Test connection"),
                                                  QDialogButtonBox.ButtonRole.ActionRole)
        self.test_button.clicked.connect(self._on_test_clicked)
        self.connect_button = buttons.addButton(self.tr("&Connect"),
                                                     QDialogButtonBox.ButtonRole.AcceptRole)
        self.connect_button.clicked.connect(self._on_connect_clicked)
        self.close_button = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.clicked.connect(self.reject)
        return buttons

    # -- the form -------------------------------------------------------------------------

    def _build_form(self) -> QWidget:
        page = QWidget()
        outer = QVBoxLayout(page)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._build_database_group())
        outer.addWidget(self._build_media_group())
        form_buttons = QHBoxLayout()
        form_buttons.addStretch(1)
        self.revert_button = QPushButton(self.tr("Re&vert"))
        self.revert_button.clicked.connect(self._on_revert_clicked)
        self.save_button = QPushButton(self.tr("&Save"))
        self.save_button.clicked.connect(self._on_save_clicked)
        form_buttons.addWidget(self.revert_button)
        form_buttons.addWidget(self.save_button)
        outer.addLayout(form_buttons)
        outer.addStretch(1)
        for edit in (self.name_edit, self.host_edit, self.user_edit, self.password_edit,
                     self.database_edit, self.media_root_edit, self.sftp_user_edit,
                     self.key_file_edit):
            edit.textChanged.connect(self._on_form_edited)
        self.port_spin.valueChanged.connect(self._on_form_edited)
        self.admin_check.toggled.connect(self._on_form_edited)
        self.kind_combo.currentIndexChanged.connect(self._on_kind_changed)
        self.storage_combo.currentIndexChanged.connect(self._on_storage_changed)
        return page

    def _build_database_group(self) -> QGroupBox:
        database = QGroupBox(self.tr("Database"))
        self.form = QFormLayout(database)
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("name")
        self.name_edit.setPlaceholderText(self.tr("for example: Production"))
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("kind")
        self.kind_combo.addItem(self.tr("MySQL / MariaDB server"), KIND_MYSQL)
        self.kind_combo.addItem(self.tr("SQLite file"), KIND_SQLITE)
        self.host_edit = QLineEdit()
        self.host_edit.setObjectName("host")
        self.host_edit.setPlaceholderText("db.example.net")
        self.port_spin = QSpinBox()
        self.port_spin.setObjectName("port")
        self.port_spin.setRange(1, 65535)
        self.port_spin.setValue(DEFAULT_MYSQL_PORT)
        self.port_spin.setGroupSeparatorShown(False)
        self.user_edit = QLineEdit()
        self.user_edit.setObjectName("user")
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("password")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.database_edit = QLineEdit()
        self.database_edit.setObjectName("database")
        self.database_browse = QPushButton(self.tr("Browse…"))
        self.database_browse.clicked.connect(self._on_database_browse_clicked)
        self.database_row = _with_button(self.database_edit, self.database_browse)
        self.admin_check = QCheckBox(self.tr("Administrator: also manage servers and stations"))
        self.admin_check.setObjectName("admin")
        self.form.addRow(self.tr("Name:"), self.name_edit)
        self.form.addRow(self.tr("Kind:"), self.kind_combo)
        self.form.addRow(self.tr("Host:"), self.host_edit)
        self.form.addRow(self.tr("Port:"), self.port_spin)
        self.form.addRow(self.tr("User:"), self.user_edit)
        self.form.addRow(self.tr("Password:"), self.password_edit)
        self.database_label = QLabel(self.tr("Database:"))
        self.form.addRow(self.database_label, self.database_row)
        self.form.addRow("", self.admin_check)
        return database

    def _build_media_group(self) -> QGroupBox:
        media = QGroupBox(self.tr("Media files"))
        self.media_form = QFormLayout(media)
        self.storage_combo = QComboBox()
        self.storage_combo.setObjectName("media-storage")
        self.storage_combo.addItem(self.tr("A folder on this computer (or a mounted share)"),
                                   MEDIA_LOCAL)
        self.storage_combo.addItem(self.tr("SFTP to each station's streaming server"),
                                   MEDIA_SFTP)
        self.media_root_edit = QLineEdit()
        self.media_root_edit.setObjectName("media-root")
        self.media_root_edit.setPlaceholderText(
            self.tr("where the servers' /audio folder is mounted"))
        media_browse = QPushButton(self.tr("Browse…"))
        media_browse.clicked.connect(self._on_media_browse_clicked)
        self.sftp_user_edit = QLineEdit()
        self.sftp_user_edit.setObjectName("sftp-user")
        self.key_file_edit = QLineEdit()
        self.key_file_edit.setObjectName("sftp-key-file")
        self.key_file_edit.setPlaceholderText(self.tr("none: use the SSH agent"))
        key_browse = QPushButton(self.tr("Browse…"))
        key_browse.clicked.connect(self._on_key_browse_clicked)
        self.media_form.addRow(self.tr("Storage:"), self.storage_combo)
        self.media_form.addRow(self.tr("Folder:"), _with_button(self.media_root_edit,
                                                               media_browse))
        self.media_form.addRow(self.tr("SFTP user:"), self.sftp_user_edit)
        self.media_form.addRow(self.tr("Key file:"), _with_button(self.key_file_edit,
                                                                 key_browse))
        return media

    def _show_kind_rows(self) -> None:
        mysql = self.kind_combo.currentData() == KIND_MYSQL
        for widget in (self.host_edit, self.port_spin, self.user_edit, self.password_edit):
            self.form.setRowVisible(widget, mysql)
        self.database_browse.setVisible(not mysql)
        self.database_label.setText(self.tr("Database:") if mysql else self.tr("File:"))
        self.database_edit.setPlaceholderText("radio" if mysql else
                                              self.tr("/path/to/station.db"))

    def _show_storage_rows(self) -> None:
        sftp = self.storage_combo.currentData() == MEDIA_SFTP
        self.media_form.setRowVisible(1, not sftp)
        self.media_form.setRowVisible(2, sftp)
        self.media_form.setRowVisible(3, sftp)

    # -- reading and writing the store -------------------------------------------------------

    async def reload(self, select: str | None = None) -> None:
        """Read the profiles (off the UI thread) and fill the list; select ``select`` (a
        profile name or :data:`EMBEDDED`), else keep the current entry."""
        keep = select if select is not None else self.current_key()
        profiles = await self._off_thread(self._store.list)
        if profiles is None:
            return
        self._profiles = {p.name: p for p in profiles}
        self._loading = True
        try:
            self.profile_list.clear()
            self._add_item(self.tr("Embedded database"), EMBEDDED)
            for profile in profiles:
                self._add_item(profile.name, profile.name)
        finally:
            self._loading = False
        self.select(keep if keep in self._profiles or keep == EMBEDDED else EMBEDDED)

    def _add_item(self, text: str, key: str) -> None:
        if key == self._connected:
            text = self.tr("{name} · connected").format(name=text)
        item = QListWidgetItem(text)
        if key == EMBEDDED:
            item.setToolTip(self.tr("The SQLite database on this computer, with the demo "
                                    "station"))
        item.setData(Qt.ItemDataRole.UserRole, key)
        if key == self._connected:
            font = item.font()
            font.setBold(True)
            item.setFont(font)
        self.profile_list.addItem(item)

    def select(self, key: str) -> None:
        for row in range(self.profile_list.count()):
            item = self.profile_list.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == key:
                self.profile_list.setCurrentItem(item)
                return

    def current_key(self) -> str | None:
        item = self.profile_list.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def _show_entry(self, key: str | None) -> None:
        self._clear_result()
        self._loading = True
        try:
            if key is None or key == EMBEDDED:
                self.pages.setCurrentIndex(0)
            else:
                self.pages.setCurrentIndex(1)
                self._fill_form(self._profiles.get(key))
        finally:
            self._loading = False
        self._set_dirty(key == NEW)

    def _fill_form(self, profile: Profile | None) -> None:
        address = (DatabaseAddress.from_url(profile.url) if profile is not None
                   else DatabaseAddress(KIND_MYSQL))
        self.name_edit.setText(profile.name if profile is not None else "")
        self.kind_combo.setCurrentIndex(max(self.kind_combo.findData(address.kind), 0))
        self.host_edit.setText(address.host)
        self.port_spin.setValue(address.port)
        self.user_edit.setText(address.user)
        self.password_edit.clear()
        self.password_edit.setPlaceholderText(
            self.tr("stored in the keyring; type to replace it")
            if profile is not None and profile.has_password else "")
        self.database_edit.setText(address.database)
        self.admin_check.setChecked(profile.is_admin if profile is not None else True)
        storage = profile.media_storage if profile is not None else MEDIA_LOCAL
        self.storage_combo.setCurrentIndex(max(self.storage_combo.findData(storage), 0))
        self.media_root_edit.setText(profile.media_root or "" if profile is not None else "")
        self.sftp_user_edit.setText(profile.sftp_user or "" if profile is not None else "")
        self.key_file_edit.setText(profile.sftp_key_file or "" if profile is not None else "")
        self._show_kind_rows()
        self._show_storage_rows()

    def form_profile(self) -> Profile:
        """The profile the form describes (validated; a bad field raises
        :class:`ValidationError` naming it)."""
        name = self.name_edit.text().strip()
        if not name:
            raise ValidationError("name", field="name")
        key = self.current_key()
        if name in self._profiles and name != key:
            raise ValidationError("taken", field="name")
        kind = str(self.kind_combo.currentData())
        address = DatabaseAddress(kind, host=self.host_edit.text().strip(),
                                  port=self.port_spin.value(), user=self.user_edit.text().strip(),
                                  database=self.database_edit.text().strip(),
                                  query=self._kept_query(key, kind))
        storage = str(self.storage_combo.currentData())
        sftp = storage == MEDIA_SFTP
        profile = Profile(
            name, address.to_url(),
            last_station_id=(self._profiles[key].last_station_id
                             if key in self._profiles else None),
            is_admin=self.admin_check.isChecked(),
            media_storage=storage,
            media_root=None if sftp else (self.media_root_edit.text().strip() or None),
            sftp_user=(self.sftp_user_edit.text().strip() or None) if sftp else None,
            sftp_key_file=(self.key_file_edit.text().strip() or None) if sftp else None,
        )
        if sftp and profile.sftp_user is None:
            raise ValidationError("sftp_user", field="sftp_user")
        return profile

    def _kept_query(self, key: str | None, kind: str) -> tuple[tuple[str, str], ...]:
        stored = self._profiles.get(key or "")
        if stored is None:
            return ()
        address = DatabaseAddress.from_url(stored.url)
        return address.query if address.kind == kind else ()

    async def save(self) -> Profile | None:
        """Store the form (password to the keyring); None when something needs fixing
        (the message says what)."""
        key = self.current_key()
        try:
            profile = self.form_profile()
        except ValidationError as error:
            self._show_invalid(error)
            return None
        password = self.password_edit.text() or None
        replaces = key if key not in (None, NEW, EMBEDDED) else None
        stored = await self._off_thread(self._store.save, profile, password,
                                        replaces=replaces, create=key == NEW)
        if stored is None:
            return None
        if replaces is not None and self._connected == replaces:
            self._connected = stored.name
        self._set_dirty(False)
        await self.reload(select=stored.name)
        self._show_result(CheckResult("ok", self.tr("Saved {name}.").format(name=stored.name)))
        self.profiles_changed.emit()
        return stored

    async def remove(self, name: str) -> bool:
        """Delete the profile and its password; False (with the reason shown) if it failed."""
        if await self._off_thread(_delete_profile, self._store, name) is None:
            return False
        await self.reload(select=EMBEDDED)
        self.profiles_changed.emit()
        return True

    async def test_connection(self) -> CheckResult:
        """Connect with what the form says (or the selected entry) and report the schema."""
        key = self.current_key()
        self._clear_result()
        if key == EMBEDDED or key is None:
            url = f"sqlite:///{self._embedded_path}"
            if not self._embedded_path.is_file():
                result = CheckResult("ok", self.tr(
                    "The embedded database does not exist yet; it is created when you "
                    "connect."))
                self._show_result(result)
                return result
        else:
            try:
                profile = self.form_profile()
            except ValidationError as error:
                self._show_invalid(error)
                return CheckResult("error", self.result_label.text())
            url = profile.url
            password = self.password_edit.text()
            stored = self._profiles.get(key)
            if not password and stored is not None and stored.has_password:
                kept = await self._off_thread(self._store.password, stored.name)
                if kept is None:
                    return CheckResult("error", self.result_label.text())
                password = kept
            url = with_password(url, password or None)
        self._show_result(CheckResult("ok", self.tr("Connecting to {where}…").format(
            where=safe_url(url))))
        self._begin_busy()
        try:
            state = await asyncio.to_thread(check_database, url)
        except SchemaMismatch as error:
            fix = error.fix
            message = error.message.removesuffix(f" Run: {fix}") if fix else error.message
            result = CheckResult("warning", self.tr(
                "The server answered, but this database cannot be used as it is: {problem}"
            ).format(problem=message), fix)
        except StationError as error:
            result = CheckResult("error", self.tr("Could not connect: {problem}").format(
                problem=str(error)))
        else:
            result = CheckResult("ok", self.tr(
                "Connected to {where}. The schema is up to date (revision {revision})."
            ).format(where=safe_url(url), revision=state.revision))
        finally:
            self._end_busy()
        self._show_result(result)
        self.check_finished.emit(result)
        return result

    async def connect_selected(self) -> bool:
        """Save the form if it changed, then ask the window to connect; closes the dialog."""
        key = self.current_key()
        if key is None:
            return False
        if key == EMBEDDED:
            target: str | None = None
        else:
            if self._dirty or key == NEW:
                stored = await self.save()
                if stored is None:
                    return False
                key = stored.name
            target = key
        self.connect_requested.emit(target)
        self.accept()
        return True

    # -- results and errors -------------------------------------------------------------

    def _show_invalid(self, error: ValidationError) -> None:
        messages: dict[str | None, str] = {
            "host": self.tr("Enter the database server's host name or IP address (for "
                            "example db.example.net)."),
            "port": self.tr("The port must be between 1 and 65535."),
            "user": self.tr("Enter the database user name."),
            "media_root": self.tr("Give the full path of the media folder."),
            "sftp_user": self.tr("Enter the user that logs in to the servers over SFTP."),
            "sftp_key_file": self.tr("Give the full path of the SSH key file."),
        }
        widgets: dict[str | None, QWidget] = {
            "name": self.name_edit, "host": self.host_edit, "port": self.port_spin,
            "user": self.user_edit, "database": self.database_edit,
            "media_root": self.media_root_edit, "sftp_user": self.sftp_user_edit,
            "sftp_key_file": self.key_file_edit,
        }
        if error.field == "name":
            name = self.name_edit.text().strip()
            message = (self.tr("Give the connection a name.") if not name else
                       self.tr("Another connection is already called {name}; choose another "
                               "name.").format(name=name))
        elif error.field == "database":
            message = (self.tr("Enter the name of the database (for example radio).")
                       if self.kind_combo.currentData() == KIND_MYSQL else
                       self.tr("Choose the SQLite database file (its full path)."))
        else:
            message = messages.get(error.field, str(error))
        self._show_result(CheckResult("error", message))
        widget = widgets.get(error.field)
        if widget is not None:
            widget.setFocus()

    def _show_result(self, result: CheckResult) -> None:
        style = {"ok": OK_STYLE, "warning": WARN_STYLE}.get(result.level, ERROR_STYLE)
        self.result_label.setStyleSheet(style)
        self.result_label.setText(result.message)
        self.fix_label.setText(result.fix or "")
        self.fix_label.setVisible(bool(result.fix))

    def _clear_result(self) -> None:
        self.result_label.clear()
        self.fix_label.clear()
        self.fix_label.setVisible(False)

    # -- state ------------------------------------------------------------------------------

    async def _off_thread(self, fn: Callable[..., T], /, *args: object,
                          **kwargs: object) -> T | None:
        """Run ``fn`` on a thread; an expected error is shown and gives None."""
        self._begin_busy()
        try:
            return await asyncio.to_thread(fn, *args, **kwargs)
        except ValidationError as error:
            self._show_invalid(error)
        except StationError as error:
            log.warning("connections: %s", error)
            self._show_result(CheckResult("error", str(error)))
        finally:
            self._end_busy()
        return None

    def _begin_busy(self) -> None:
        self._busy += 1
        self._update_buttons()

    def _end_busy(self) -> None:
        self._busy -= 1
        self._update_buttons()

    @property
    def busy(self) -> bool:
        return self._busy > 0

    def _set_dirty(self, dirty: bool) -> None:
        self._dirty = dirty
        self._update_buttons()

    def _update_buttons(self) -> None:
        key = self.current_key()
        idle = not self.busy
        on_profile = key not in (None, EMBEDDED)
        # While a profile is being edited the list is locked, so nothing typed is lost.
        self.profile_list.setEnabled(idle and not self._dirty)
        self.add_button.setEnabled(idle and not self._dirty)
        self.remove_button.setEnabled(idle and not self._dirty and on_profile and key != NEW)
        self.save_button.setEnabled(idle and self._dirty)
        self.revert_button.setEnabled(idle and self._dirty)
        self.test_button.setEnabled(idle and key is not None)
        self.connect_button.setEnabled(idle and key is not None)

    # -- slots --------------------------------------------------------------------------

    def _on_profile_list_current_changed(self, current: QListWidgetItem | None,
                                         _previous: QListWidgetItem | None) -> None:
        if self._loading:
            return
        key = None if current is None else str(current.data(Qt.ItemDataRole.UserRole))
        if key != NEW:
            self._drop_new_item()
        self._show_entry(key)

    def _drop_new_item(self) -> None:
        for row in range(self.profile_list.count()):
            if self.profile_list.item(row).data(Qt.ItemDataRole.UserRole) == NEW:
                self._loading = True
                try:
                    self.profile_list.takeItem(row)
                finally:
                    self._loading = False
                return

    def _on_form_edited(self) -> None:
        if not self._loading:
            self._set_dirty(True)

    def _on_kind_changed(self) -> None:
        self._show_kind_rows()
        self._on_form_edited()

    def _on_storage_changed(self) -> None:
        self._show_storage_rows()
        self._on_form_edited()

    def _on_add_clicked(self) -> None:
        self._add_item(self.tr("New connection"), NEW)
        self.select(NEW)
        self.name_edit.setFocus()

    def _on_remove_clicked(self) -> None:
        key = self.current_key()
        if key is None or key not in self._profiles:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question, self.tr("Remove connection"),
            self.tr("Remove the connection {name}? Its password is deleted from the keyring. "
                    "The database itself is not touched.").format(name=key),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("confirm-remove")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(lambda answer: self._on_remove_answered(key, answer))
        box.open()

    @async_slot(str, int)
    async def _on_remove_answered(self, name: str, answer: int) -> None:
        if answer == QMessageBox.StandardButton.Yes:
            await self.remove(name)

    def _on_revert_clicked(self) -> None:
        key = self.current_key()
        if key == NEW:
            self._set_dirty(False)
            self.select(EMBEDDED)
        else:
            self._show_entry(key)

    @async_slot()
    async def _on_save_clicked(self) -> None:
        await self.save()

    @async_slot()
    async def _on_test_clicked(self) -> None:
        await self.test_connection()

    @async_slot()
    async def _on_connect_clicked(self) -> None:
        await self.connect_selected()

    def _on_database_browse_clicked(self) -> None:
        dialog = QFileDialog(self, self.tr("SQLite database file"))
        dialog.setNameFilters([self.tr("SQLite databases (*.db *.sqlite *.sqlite3)"),
                               self.tr("All files (*)")])
        dialog.fileSelected.connect(self.database_edit.setText)
        dialog.open()

    def _on_media_browse_clicked(self) -> None:
        dialog = QFileDialog(self, self.tr("Media folder"))
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly)
        dialog.fileSelected.connect(self.media_root_edit.setText)
        dialog.open()

    def _on_key_browse_clicked(self) -> None:
        dialog = QFileDialog(self, self.tr("SSH private key"), str(Path.home() / ".ssh"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(self.key_file_edit.setText)
        dialog.open()


def _delete_profile(store: ProfileStore, name: str) -> bool:
    store.delete(name)
    return True


def _with_button(edit: QLineEdit, button: QPushButton) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(edit, 1)
    layout.addWidget(button)
    return row
