"""The Connections dialog: profiles with passwords in the keyring, tests against a real
MariaDB, and Connect switching the window's database."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fake_keyring import MemoryKeyring
from helpers.databases import MariaDBDatabases
from helpers.factories import make_station
from pytestqt.qtbot import QtBot
from shell_support import MakeWindow, WaitUntil
from sqlalchemy import make_url, text

from PySide6.QtWidgets import QMessageBox

from station_desktop.config.profiles import (
    KEYRING_SERVICE,
    KIND_SQLITE,
    MEDIA_SFTP,
    Profile,
    ProfileStore,
)
from station_desktop.db import migrate
from station_desktop.db.engine import Database
from station_desktop.services.workspace import open_embedded
from station_desktop.ui.connections import EMBEDDED, CheckResult, ConnectionsDialog

PASSWORD = "s3cr3t 'ñ' € \"pw\""  # PyMySQL alone would send this as Latin-1


@dataclass
class SharedDatabase:
    """A migrated database on the throwaway MariaDB, reached as its own user with a password."""

    host: str
    port: int
    user: str
    password: str
    database: str


@pytest.fixture
def shared_database(mariadb_databases: MariaDBDatabases) -> Iterator[SharedDatabase]:
    url = mariadb_databases.create("shell")
    migrate.upgrade(url)
    db = Database(url)
    make_station(db, "Radio MariaDB")
    db.dispose()
    parsed = make_url(url)
    user = f"op_{uuid.uuid4().hex[:8]}"
    with mariadb_databases.engine.begin() as conn:
        conn.execute(text(f"CREATE USER '{user}'@'%' IDENTIFIED BY :pw"), {"pw": PASSWORD})
        conn.execute(text(f"GRANT ALL PRIVILEGES ON `{parsed.database}`.* TO '{user}'@'%'"))
    try:
        yield SharedDatabase(parsed.host or "127.0.0.1", parsed.port or 3306, user, PASSWORD,
                             parsed.database or "")
    finally:
        with mariadb_databases.engine.begin() as conn:
            conn.execute(text(f"DROP USER IF EXISTS '{user}'@'%'"))
        mariadb_databases.drop(url)


@pytest.fixture
def store(station_home: Path, memory_keyring: MemoryKeyring) -> ProfileStore:
    return ProfileStore()


@pytest.fixture
def dialog(qtbot: QtBot, store: ProfileStore, station_home: Path) -> ConnectionsDialog:
    widget = ConnectionsDialog(store, station_home / "data" / "station-desktop.db", EMBEDDED)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def _fill_mysql(dialog: ConnectionsDialog, name: str, db: SharedDatabase,
                password: str) -> None:
    dialog.add_button.click()
    dialog.name_edit.setText(name)
    dialog.host_edit.setText(db.host)
    dialog.port_spin.setValue(db.port)
    dialog.user_edit.setText(db.user)
    dialog.password_edit.setText(password)
    dialog.database_edit.setText(db.database)


async def _save(dialog: ConnectionsDialog, wait_until: WaitUntil) -> None:
    assert dialog.save_button.isEnabled()
    dialog.result_label.clear()
    dialog.save_button.click()
    await wait_until(lambda: dialog.result_label.text() and not dialog.busy, message="save")


async def _test(dialog: ConnectionsDialog, wait_until: WaitUntil) -> CheckResult:
    results: list[CheckResult] = []
    dialog.check_finished.connect(results.append)
    dialog.test_button.click()
    await wait_until(lambda: results, message="the connection test")
    return results[0]


@pytest.mark.asyncio
async def test_a_new_mysql_profile_keeps_its_password_in_the_keyring_only(
    dialog: ConnectionsDialog, store: ProfileStore, memory_keyring: MemoryKeyring,
    wait_until: WaitUntil,
) -> None:
    await dialog.reload()
    assert dialog.current_key() == EMBEDDED
    db = SharedDatabase("db.example.net", 3307, "radio", PASSWORD, "radio_prod")
    _fill_mysql(dialog, "Producción", db, PASSWORD)
    dialog.admin_check.setChecked(False)
    dialog.storage_combo.setCurrentIndex(dialog.storage_combo.findData(MEDIA_SFTP))
    dialog.sftp_user_edit.setText("radio")
    dialog.key_file_edit.setText("/home/op/.ssh/id_ed25519")
    assert not dialog.profile_list.isEnabled()  # locked while the form has unsaved edits

    await _save(dialog, wait_until)

    assert dialog.result_label.text() == "Saved Producción."
    assert dialog.current_key() == "Producción" and dialog.profile_list.isEnabled()
    raw = store.path.read_bytes()
    assert PASSWORD.encode() not in raw and b"s3cr3t" not in raw
    assert memory_keyring.store == {(KEYRING_SERVICE, "db:Producción"): PASSWORD}
    saved = store.get("Producción")
    assert saved == Profile(
        "Producción", "mysql+pymysql://radio@db.example.net:3307/radio_prod",
        has_password=True, is_admin=False, media_storage=MEDIA_SFTP, sftp_user="radio",
        sftp_key_file="/home/op/.ssh/id_ed25519")
    assert json.loads(raw)["profiles"][0]["media_storage"] == "sftp"
    # Showing it again: the password is not in the form, only said to be stored.
    assert dialog.password_edit.text() == ""
    assert "keyring" in dialog.password_edit.placeholderText()
    assert dialog.sftp_user_edit.isVisibleTo(dialog)
    assert not dialog.media_root_edit.isVisibleTo(dialog)

    # Renaming it in the form takes the password along.
    dialog.name_edit.setText("Production")
    await _save(dialog, wait_until)
    assert [p.name for p in store.list()] == ["Production"]
    assert memory_keyring.store == {(KEYRING_SERVICE, "db:Production"): PASSWORD}


@pytest.mark.asyncio
async def test_bad_fields_are_named_and_nothing_is_saved(
    dialog: ConnectionsDialog, store: ProfileStore, wait_until: WaitUntil
) -> None:
    await dialog.reload()
    dialog.add_button.click()
    dialog.name_edit.setText("Broken")
    dialog.user_edit.setText("radio")
    dialog.database_edit.setText("radio")
    dialog.save_button.click()
    await wait_until(dialog.result_label.text)
    assert dialog.result_label.text().startswith("Enter the database server's host name")
    assert not store.path.exists()

    dialog.host_edit.setText("db")
    dialog.name_edit.setText("")
    dialog.save_button.click()
    await wait_until(lambda: dialog.result_label.text() == "Give the connection a name.")
    assert not store.path.exists()


@pytest.mark.mariadb
@pytest.mark.asyncio
async def test_test_connection_on_the_real_mariadb_succeeds_and_a_wrong_password_fails(
    dialog: ConnectionsDialog, store: ProfileStore, shared_database: SharedDatabase,
    wait_until: WaitUntil,
) -> None:
    await dialog.reload()
    _fill_mysql(dialog, "Shared", shared_database, PASSWORD)

    ok = await _test(dialog, wait_until)
    assert ok.level == "ok", ok.message
    assert ok.message.startswith(f"Connected to mysql+pymysql://{shared_database.user}:***@")
    assert f"revision {migrate.head_revision()}" in ok.message
    assert PASSWORD not in dialog.result_label.text()

    await _save(dialog, wait_until)
    dialog.password_edit.clear()  # with an empty field the stored password is used
    again = await _test(dialog, wait_until)
    assert again.level == "ok", again.message

    dialog.password_edit.setText("wrong password")
    failed = await _test(dialog, wait_until)
    assert failed.level == "error"
    assert failed.message.startswith("Could not connect: ")
    assert "Access denied" in failed.message and shared_database.user in failed.message
    assert "wrong password" not in failed.message
    assert dialog.result_label.text() == failed.message
    assert store.password("Shared") == PASSWORD  # testing saved nothing


@pytest.mark.asyncio
async def test_test_connection_names_the_command_that_fixes_the_schema(
    dialog: ConnectionsDialog, tmp_path: Path, wait_until: WaitUntil
) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:  # a SQLite file, but not a station database
        conn.execute("CREATE TABLE notes (body TEXT)")
    await dialog.reload()
    dialog.add_button.click()
    dialog.name_edit.setText("Old file")
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData(KIND_SQLITE))
    assert not dialog.host_edit.isVisibleTo(dialog)
    dialog.database_edit.setText(str(path))

    result = await _test(dialog, wait_until)

    assert result.level == "warning"
    assert "cannot be used as it is" in result.message and "is empty" in result.message
    assert result.fix == f"stationd db upgrade --database-url 'sqlite:///{path}'"
    assert dialog.fix_label.isVisibleTo(dialog) and dialog.fix_label.text() == result.fix

    dialog.database_edit.setText(str(tmp_path / "missing.db"))
    missing = await _test(dialog, wait_until)
    assert missing.level == "error" and "does not exist" in missing.message
    assert not (tmp_path / "missing.db").exists()  # a test never creates a database


@pytest.mark.asyncio
async def test_removing_asks_first_and_deletes_the_password(
    dialog: ConnectionsDialog, store: ProfileStore, memory_keyring: MemoryKeyring,
    wait_until: WaitUntil, qtbot: QtBot,
) -> None:
    store.save(Profile("Old", "mysql://app@db/radio"), password="pw")
    store.save(Profile("Keep", "sqlite:////srv/keep.db"))
    await dialog.reload(select="Old")

    dialog.remove_button.click()
    box = dialog.findChild(QMessageBox, "confirm-remove")
    assert box is not None and box.isVisible() and "Old" in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert [p.name for p in store.list()] == ["Old", "Keep"]

    dialog.remove_button.click()
    boxes = [b for b in dialog.findChildren(QMessageBox, "confirm-remove") if b.isVisible()]
    assert len(boxes) == 1
    boxes[0].button(QMessageBox.StandardButton.Yes).click()
    await wait_until(lambda: [p.name for p in store.list()] == ["Keep"])
    await wait_until(lambda: dialog.current_key() == EMBEDDED)
    assert memory_keyring.store == {}


@pytest.mark.mariadb
@pytest.mark.asyncio
async def test_connect_switches_the_window_to_the_profile_and_back(
    make_window: MakeWindow, station_home: Path, shared_database: SharedDatabase,
    wait_until: WaitUntil,
) -> None:
    window = make_window()
    window.show()
    assert await window.open_workspace(lambda: open_embedded(station_home / "data"))
    embedded = window.workspace
    dialog = window.open_connections()
    await window.settled()
    assert dialog.current_key() == EMBEDDED
    assert dialog.profile_list.item(0).text() == "Embedded database · connected"

    _fill_mysql(dialog, "Shared", shared_database, PASSWORD)
    dialog.connect_button.click()  # saves the new profile, then connects
    await wait_until(lambda: window.workspace is not embedded
                     and window.workspace is not None
                     and window.workspace.profile_name == "Shared", message="connect")
    await window.settled()

    assert window.connections_dialog is None  # closed itself
    assert window.station_switcher.currentText() == "Radio MariaDB"
    assert window.connection_label.text().startswith("Connected: Shared (mysql+pymysql://")
    assert PASSWORD not in window.connection_label.toolTip()
    store = ProfileStore()
    assert store.last_used is not None and store.last_used.name == "Shared"

    again = window.open_connections()
    await window.settled()
    assert again.current_key() == "Shared"
    assert again.profile_list.item(1).text() == "Shared · connected"
    again.select(EMBEDDED)
    again.connect_button.click()
    await wait_until(lambda: window.workspace is not None and window.workspace.embedded,
                     message="back to the embedded database")
    await window.settled()
    assert window.station_switcher.currentText() == "Demo Radio"
    assert ProfileStore().last_used is None
