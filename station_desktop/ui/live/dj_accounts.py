"""The Live page's "DJ accounts" table: each DJ's own live login (name, username, active)
with Add… (the new password is shown once, with Copy), Regenerate…, Enable/Disable and
Delete (confirmed). Passwords are never stored: a lost one is regenerated."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from station_desktop.services.dj_accounts import DjAccountRecord, DjPassword
from station_desktop.services.workspace import Workspace
from station_desktop.ui.asyncslot import async_slot
from station_desktop.ui.page import Page
from station_desktop.ui.table_model import Column, RecordTableModel
from station_desktop.ui.widgets import fit_columns, make_table


class DjAccountsPanel(QWidget):
    """Calls the services through ``page.run`` (off the UI thread, errors in a dialog)."""

    def __init__(self, page: Page, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.page = page
        self._watched: tuple[Workspace, str] | None = None
        self.dialog: QDialog | None = None  # the Add… dialog while open
        self.password_dialog: QDialog | None = None  # the new password, shown once
        self.confirmation: QMessageBox | None = None
        yes, no = self.tr("yes"), self.tr("no")  # not self in a lambda: no cycle
        self.model: RecordTableModel[DjAccountRecord] = RecordTableModel([
            Column(self.tr("Name"), lambda r: r.name),
            Column(self.tr("Username"), lambda r: r.username),
            Column(self.tr("Active"), lambda r: yes if r.active else no),
        ])
        self.view = make_table(self.model, "live-dj-accounts", stretch_column=0)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.add_button = QPushButton(self.tr("Add\u2026"))
        self.add_button.clicked.connect(self.open_add_dialog)
        self.regenerate_button = QPushButton(self.tr("Regenerate\u2026"))
        self.regenerate_button.clicked.connect(self.confirm_regenerate)
        self.toggle_button = QPushButton(self.tr("Disable"))
        self.toggle_button.clicked.connect(self.toggle_active)
        self.delete_button = QPushButton(self.tr("Delete"))
        self.delete_button.clicked.connect(self.confirm_delete)
        note = QLabel(self.tr("Each DJ logs in with their own username and password; the "
                              "station's login above keeps working. A disabled account "
                              "cannot log in."))
        note.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.regenerate_button, self.toggle_button,
                       self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(note)
        layout.addWidget(self.view)
        layout.addLayout(buttons)
        self._update_buttons()

    # -- loading ----------------------------------------------------------------------------

    async def load(self, workspace: Workspace, station_id: str) -> None:
        self._watched = (workspace, station_id)
        await self.reload()

    async def reload(self) -> None:
        watched = self._watched
        if watched is None:
            return
        workspace, station_id = watched
        accounts = await self.page.run(workspace.dj_accounts.list_accounts, station_id)
        if accounts is None or self._watched != watched:
            return
        selected = self.selected()
        self.model.set_records(accounts)
        fit_columns(self.view)
        if selected is not None:
            for row, account in enumerate(accounts):
                if account.id == selected.id:
                    self.view.selectRow(row)
        self._update_buttons()

    def selected(self) -> DjAccountRecord | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.record(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        account = self.selected()
        for button in (self.regenerate_button, self.toggle_button, self.delete_button):
            button.setEnabled(account is not None)
        self.toggle_button.setText(self.tr("Disable") if account is None or account.active
                                   else self.tr("Enable"))

    # -- add ------------------------------------------------------------------------------

    def open_add_dialog(self) -> QDialog:
        """The Add… dialog (open when this returns); OK creates the account."""
        dialog = QDialog(self)
        dialog.setWindowTitle(self.tr("Add a DJ account"))
        form = QFormLayout(dialog)
        name, username = QLineEdit(), QLineEdit()
        name.setObjectName("dj-name")
        username.setObjectName("dj-username")
        username.setPlaceholderText(self.tr("for example dj.maria"))
        form.addRow(self.tr("DJ name:"), name)
        form.addRow(self.tr("Username:"), username)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel)
        box.accepted.connect(dialog.accept)
        box.rejected.connect(dialog.reject)
        form.addRow(box)

        def finished(result: int) -> None:
            if result == QDialog.DialogCode.Accepted:
                self.add_slot(name.text(), username.text())
            dialog.deleteLater()
            self.dialog = None

        dialog.finished.connect(finished)
        self.dialog = dialog
        dialog.open()
        return dialog

    @async_slot()
    async def add_slot(self, name: str, username: str) -> None:
        await self.add(name, username)

    async def add(self, name: str, username: str) -> DjPassword | None:
        watched = self._watched
        if watched is None:
            return None
        workspace, station_id = watched
        made = await self.page.run(workspace.dj_accounts.create, station_id, name, username)
        if made is None:
            return None
        await self.reload()
        self.show_password(made)
        return made

    def show_password(self, made: DjPassword) -> QDialog:
        """The password, once: it is not stored, so it cannot be shown again."""
        dialog = QDialog(self)
        dialog.setWindowTitle(self.tr("Password of {username}").format(
            username=made.account.username))
        layout = QVBoxLayout(dialog)
        note = QLabel(self.tr(
            "Give {name} this password now: it is shown only this once. If it is lost, "
            "regenerate it.").format(name=made.account.name))
        note.setWordWrap(True)
        field = QLineEdit(made.password)
        field.setReadOnly(True)
        field.setObjectName("dj-password")
        copy = QPushButton(self.tr("Copy"))
        copy.setObjectName("dj-password-copy")
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(field.text()))
        row = QHBoxLayout()
        row.addWidget(field, 1)
        row.addWidget(copy)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(dialog.reject)
        layout.addWidget(note)
        layout.addLayout(row)
        layout.addWidget(close)

        def finished(_result: int) -> None:
            field.clear()
            dialog.deleteLater()
            self.password_dialog = None

        dialog.finished.connect(finished)
        self.password_dialog = dialog
        dialog.open()
        return dialog

    # -- regenerate, enable/disable, delete --------------------------------------------

    def confirm_regenerate(self) -> QMessageBox | None:
        account = self.selected()
        if account is None:
            return None
        return self._confirm(
            self.tr("Regenerate the DJ's password"),
            self.tr("Make a new password for {name}? The current one stops working at once."
                    ).format(name=account.name),
            self.tr("Regenerate"), lambda: self.regenerate_slot(account.id))

    @async_slot()
    async def regenerate_slot(self, account_id: str) -> None:
        await self.regenerate(account_id)

    async def regenerate(self, account_id: str) -> DjPassword | None:
        watched = self._watched
        if watched is None:
            return None
        made = await self.page.run(watched[0].dj_accounts.regenerate_password, account_id)
        if made is None:
            return None
        await self.reload()
        self.show_password(made)
        return made

    @async_slot()
    async def toggle_active(self) -> None:
        await self.set_active_selected()

    async def set_active_selected(self) -> None:
        watched, account = self._watched, self.selected()
        if watched is None or account is None:
            return
        await self.page.run(watched[0].dj_accounts.set_active, account.id, not account.active)
        await self.reload()

    def confirm_delete(self) -> QMessageBox | None:
        account = self.selected()
        if account is None:
            return None
        return self._confirm(
            self.tr("Delete the DJ account"),
            self.tr("Delete the account of {name} ({username})? They can no longer log in."
                    ).format(name=account.name, username=account.username),
            self.tr("Delete"), lambda: self.delete_slot(account.id))

    @async_slot()
    async def delete_slot(self, account_id: str) -> None:
        await self.delete(account_id)

    async def delete(self, account_id: str) -> None:
        watched = self._watched
        if watched is None:
            return
        await self.page.run(watched[0].dj_accounts.delete, account_id)
        await self.reload()

    def _confirm(self, title: str, text: str, action: str,
                 confirmed: Callable[[], object]) -> QMessageBox:
        box = QMessageBox(QMessageBox.Icon.Warning, title, text,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                          self)
        box.button(QMessageBox.StandardButton.Yes).setText(action)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)

        def answered(result: int) -> None:
            if result == QMessageBox.StandardButton.Yes:
                confirmed()
            box.deleteLater()
            self.confirmation = None

        box.finished.connect(answered)
        self.confirmation = box
        box.open()
        return box
