"""The Live page's DJ accounts table over a real database (SQLite, then MariaDB): Add…
shows the new password once (with Copy) and it opens the live input; Disable persists;
Regenerate and Delete ask first."""

from __future__ import annotations

import pytest
from shell_support import WaitUntil

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialogButtonBox, QLineEdit, QMessageBox, QPushButton

from station_desktop.services.stations import StationRecord
from station_desktop.services.workspace import Workspace
from station_desktop.ui.pages.live import LivePage

pytestmark = pytest.mark.asyncio


def cells(page: LivePage) -> list[list[str]]:
    model = page.dj_accounts.model
    return [[str(model.data(model.index(r, c), Qt.ItemDataRole.DisplayRole))
             for c in range(model.columnCount())] for r in range(model.rowCount())]


def texts_on_screen(page: LivePage) -> str:
    return "\n".join(e.text() for e in page.findChildren(QLineEdit))


async def test_add_shows_the_password_once_and_disable_persists(
    live_page: LivePage, workspace: Workspace, station: StationRecord, wait_until: WaitUntil,
) -> None:
    live_page.show()
    await live_page.set_context(workspace, station.id)
    panel = live_page.dj_accounts
    assert cells(live_page) == []
    assert not panel.toggle_button.isEnabled() and not panel.delete_button.isEnabled()

    dialog = panel.open_add_dialog()
    dialog.findChild(QLineEdit, "dj-name").setText("Ana Torres")
    dialog.findChild(QLineEdit, "dj-username").setText("ana")
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    await wait_until(lambda: panel.password_dialog is not None)
    shown = panel.password_dialog
    assert shown is not None
    password = shown.findChild(QLineEdit, "dj-password").text()
    assert len(password) >= 22
    assert workspace.dj_accounts.check(station.id, "ana", password) is not None
    shown.findChild(QPushButton, "dj-password-copy").click()
    assert QGuiApplication.clipboard().text() == password
    assert cells(live_page) == [["Ana Torres", "ana", "yes"]]
    shown.reject()
    assert panel.password_dialog is None
    assert password not in texts_on_screen(live_page)  # once: nowhere to see it again

    panel.view.selectRow(0)
    assert panel.toggle_button.text() == "Disable"
    panel.toggle_button.click()
    await wait_until(lambda: cells(live_page) == [["Ana Torres", "ana", "no"]])
    assert workspace.dj_accounts.check(station.id, "ana", password) is None
    # persisted: a fresh page on the same database shows it disabled
    await live_page.set_context(workspace, station.id)
    assert cells(live_page) == [["Ana Torres", "ana", "no"]]
    await live_page.poller.stop_and_wait()


async def test_regenerate_and_delete_ask_first(
    live_page: LivePage, workspace: Workspace, station: StationRecord, wait_until: WaitUntil,
) -> None:
    made = workspace.dj_accounts.create(station.id, "Bob", "bob")
    live_page.show()
    await live_page.set_context(workspace, station.id)
    panel = live_page.dj_accounts
    panel.view.selectRow(0)

    box = panel.confirm_regenerate()
    assert box is not None and "stops working" in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert workspace.dj_accounts.check(station.id, "bob", made.password) is not None
    box = panel.confirm_regenerate()
    assert box is not None
    box.button(QMessageBox.StandardButton.Yes).click()
    await wait_until(lambda: panel.password_dialog is not None)
    assert panel.password_dialog is not None
    new = panel.password_dialog.findChild(QLineEdit, "dj-password").text()
    assert workspace.dj_accounts.check(station.id, "bob", made.password) is None
    assert workspace.dj_accounts.check(station.id, "bob", new) is not None
    panel.password_dialog.reject()

    panel.view.selectRow(0)
    box = panel.confirm_delete()
    assert box is not None
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert len(workspace.dj_accounts.list_accounts(station.id)) == 1
    box = panel.confirm_delete()
    assert box is not None
    box.button(QMessageBox.StandardButton.Yes).click()
    await wait_until(lambda: cells(live_page) == [])
    assert workspace.dj_accounts.list_accounts(station.id) == []
    await live_page.poller.stop_and_wait()


async def test_a_refused_username_is_explained_and_nothing_is_added(
    live_page: LivePage, workspace: Workspace, station: StationRecord,
) -> None:
    live_page.show()
    await live_page.set_context(workspace, station.id)
    assert await live_page.dj_accounts.add("Nope", "source") is None
    assert live_page.dj_accounts.password_dialog is None
    boxes = [b for b in live_page.findChildren(QMessageBox) if b.isVisible()]
    assert boxes and "station's own live login" in boxes[-1].text()
    assert workspace.dj_accounts.list_accounts(station.id) == []
    await live_page.poller.stop_and_wait()
