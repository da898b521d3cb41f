"""The main window: pages, station switcher, roles, menus, errors, remembered layout."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.factories import make_station
from pytestqt.qtbot import QtBot
from shell_support import MakeWindow, StandInLibraryPage, WaitUntil

from PySide6.QtCore import QLocale, QPoint, QSize, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from station_desktop.config.profiles import Profile, ProfileStore
from station_desktop.db import migrate
from station_desktop.db.engine import Database
from station_desktop.services.playlists import PlaylistFields
from station_desktop.services.schedule import BlockFields
from station_desktop.services.stats import Sample
from station_desktop.services.workspace import Workspace, open_embedded, open_workspace
from station_desktop.ui.i18n import install_translators
from station_desktop.ui.main_window import MainWindow
from station_desktop.ui.pages.dashboard import DashboardPage
from station_desktop.ui.pages.fleet import ServersPage, StationsPage
from station_desktop.ui.pages.live import LivePage
from station_desktop.ui.pages.statistics import StatisticsPage
from station_desktop.ui.pages.stream_settings import StreamSettingsPage
from station_desktop.ui.playlists import PlaylistsPage
from station_desktop.ui.schedule import SchedulePage
from station_desktop.ui.settings import AppSettings
from station_desktop.ui.worker import DbWorker

PAGE_KEYS = ["dashboard", "library", "playlists", "schedule", "live", "statistics", "stream",
             "servers", "stations"]


def _rows(view_model: object) -> list[object]:
    from station_desktop.ui.table_model import RecordTableModel
    assert isinstance(view_model, RecordTableModel)
    return [view_model.record(i) for i in range(view_model.rowCount())]


def _visible_sidebar(window: MainWindow) -> list[str]:
    items = [window.sidebar.item(i) for i in range(window.sidebar.count())]
    return [str(item.data(Qt.ItemDataRole.UserRole)) for item in items if not item.isHidden()]


@pytest.mark.asyncio
async def test_first_start_shows_the_demo_station(
    make_window: MakeWindow, station_home: Path
) -> None:
    window = make_window()
    window.show()
    assert await window.open_workspace(lambda: open_embedded(station_home / "data"))
    await window.settled()

    assert window.station_switcher.count() == 1
    assert window.station_switcher.currentText() == "Demo Radio"
    assert window.current_page_key() == "dashboard"
    dashboard = window.pages["dashboard"]
    assert isinstance(dashboard, DashboardPage)
    assert dashboard.heading.text() == "Demo Radio"
    assert dashboard.facts.values["mount"].text() == "/demo-radio"
    assert dashboard.facts.values["quota"].text() == "5.0 GB"
    assert dashboard.facts.values["autodj"].text() == "on, random, crossfade 3 s"
    playlists = _rows(dashboard.playlists_model)
    assert {p.name for p in playlists} == {  # type: ignore[attr-defined]
        "Main rotation", "Night jazz", "Morning show", "Station jingles"}
    blocks = _rows(dashboard.blocks_model)
    assert len(blocks) == 10
    assert dashboard.blocks_model.index(1, 1).data() == "22:00\u201302:00 (+1)"
    assert "Embedded database" in window.connection_label.text()
    assert "administrator" in window.connection_label.text()
    # Every page and the admin heading are in the sidebar; only the visible page loaded,
    # and for an admin the Servers page, whose watcher notifies when a server goes offline.
    assert [k for k in _visible_sidebar(window) if not k.startswith("\x00")] == PAGE_KEYS
    assert window.page_context("dashboard") is not None
    assert window.page_context("servers") is not None
    assert all(window.page_context(k) is None for k in PAGE_KEYS
               if k not in ("dashboard", "servers"))


@pytest.fixture
def two_stations(db: Database) -> tuple[str, str]:
    """Two stations on their own servers, the second with a playlist, a block and a sample."""
    ws = Workspace(db)
    first = make_station(db, "Radio Uno")
    second = make_station(db, "Sur Ñandú 2", timezone="America/Argentina/Buenos_Aires")
    jazz = ws.playlists.create_playlist(second.id, PlaylistFields("Jazz de noche", "rotation",
                                                                  "Tarde", is_main=True))
    ws.schedule.create_block(second.id, BlockFields(jazz.id, 6, "23:00", "01:30"))
    ws.stats.record_sample(second.id, Sample(
        dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5), listeners=42, peak_listeners=57,
        current_song="Astor Piazzolla - Libertango", listeners_by_bitrate={128: 42}))
    return first.id, second.id


@pytest.mark.asyncio
async def test_pages_load_for_the_selected_station_and_follow_the_switcher(
    make_window: MakeWindow, database_url: str, db: Database, two_stations: tuple[str, str],
) -> None:
    first, second = two_stations
    window = make_window()
    window.show()
    assert await window.open_workspace(lambda: open_workspace(database_url))
    await window.settled()
    assert [window.station_switcher.itemText(i) for i in range(2)] == ["Radio Uno",
                                                                      "Sur Ñandú 2"]
    assert window.station_id == first
    for key in PAGE_KEYS:  # every page loads the first station when shown
        page = await window.show_page(key)
        assert window.page_context(key) == (window.workspace, first)
        assert page.station_id == first
    library = window.pages["library"]
    assert isinstance(library, StandInLibraryPage) and library.loads == [first]

    # The switcher (as a user picks from it) moves every page to the second station:
    # the visible one at once, the others when they are shown.
    await window.show_page("dashboard")
    with_signal: list[str] = []
    window.station_changed.connect(with_signal.append)
    window.station_switcher.setCurrentIndex(1)
    await window.settled()
    assert with_signal == [second]
    assert window.page_context("dashboard") == (window.workspace, second)
    assert window.page_context("live") == (window.workspace, first)  # not shown yet

    dashboard = await window.show_page("dashboard")
    assert isinstance(dashboard, DashboardPage)
    assert dashboard.heading.text() == "Sur Ñandú 2"
    assert dashboard.facts.values["timezone"].text() == "America/Argentina/Buenos_Aires"

    assert [b.day_of_week for b in _rows(dashboard.blocks_model)] == [6]  # type: ignore[attr-defined]
    assert dashboard.blocks_model.index(0, 0).data() == "Saturday"
    assert dashboard.blocks_model.index(0, 1).data() == "23:00\u201301:30 (+1)"

    # The editors (ui/playlists, ui/schedule) get the same context through the window.
    playlists = await window.show_page("playlists")
    assert isinstance(playlists, PlaylistsPage)
    assert [r.name for r in _rows(playlists.playlists_model)] == ["Jazz de noche"]  # type: ignore[attr-defined]
    schedule = await window.show_page("schedule")
    assert isinstance(schedule, SchedulePage)
    assert [(b.start, b.end) for b in schedule.blocks] == [("23:00", "01:30")]
    assert window.edit_menu.actions() == [schedule.undo_action, schedule.redo_action]

    live = await window.show_page("live")
    assert isinstance(live, LivePage)
    credentials = window.workspace.stations.get_live_credentials(second)  # type: ignore[union-attr]
    assert live.fields["host"].text() == credentials.host
    assert live.fields["port"].text() == str(credentials.port)
    assert live.fields["user"].text() == "source"
    assert credentials.password not in live.fields["password"].displayText()  # hidden

    stats = await window.show_page("statistics")
    assert isinstance(stats, StatisticsPage)
    assert (stats.chart.series.average, stats.chart.series.peak) == ((42.0,), (57,))
    assert stats.chart.series.avg_128 == (42.0,)

    stream = await window.show_page("stream")
    assert isinstance(stream, StreamSettingsPage)
    config = window.workspace.stations.get_config(second)  # type: ignore[union-attr]
    assert stream.facts.values["mount"].text() == config.mountpoint
    assert stream.facts.values["harbor"].text() == str(config.harbor_port)

    servers = await window.show_page("servers")
    assert isinstance(servers, ServersPage) and servers.model.rowCount() == 2
    stations = await window.show_page("stations")
    assert isinstance(stations, StationsPage) and stations.model.rowCount() == 2
    await window.show_page("library")
    assert library.loads == [first, second]
    for key in PAGE_KEYS:
        assert window.page_context(key) == (window.workspace, second)


@pytest.mark.asyncio
async def test_the_first_station_has_nothing_assigned_and_the_pages_say_so(
    make_window: MakeWindow, database_url: str, db: Database,
) -> None:
    make_station(db, "Unassigned FM", assign=False)
    window = make_window()
    assert await window.open_workspace(lambda: open_workspace(database_url))
    for key in ("live", "stream"):
        page = await window.show_page(key)
        assert isinstance(page, (LivePage, StreamSettingsPage))
        assert page.showing_empty
        assert "Unassigned FM is not assigned to a streaming server yet" in page.empty.text()
    dashboard = await window.show_page("dashboard")
    assert isinstance(dashboard, DashboardPage)
    assert dashboard.facts.values["server"].text() == "not assigned to a server yet"
    assert dashboard.facts.values["mount"].text() == "—"


@pytest.mark.asyncio
async def test_the_last_station_is_remembered_per_connection(
    make_window: MakeWindow, database_url: str, two_stations: tuple[str, str]
) -> None:
    _first, second = two_stations
    window = make_window()
    assert await window.open_workspace(lambda: open_workspace(database_url))
    await window.select_station(second)
    window.close()

    again = make_window()
    assert await again.open_workspace(lambda: open_workspace(database_url))
    assert again.station_id == second
    assert again.station_switcher.currentText() == "Sur Ñandú 2"


@pytest.mark.asyncio
async def test_an_operator_profile_does_not_see_the_admin_pages(
    make_window: MakeWindow, station_home: Path, tmp_path: Path, wait_until: WaitUntil
) -> None:
    path = tmp_path / "shared.db"
    migrate.upgrade(f"sqlite:///{path}")
    store = ProfileStore()
    store.save(Profile("Operator", f"sqlite:///{path}", is_admin=False))
    window = make_window(profiles=store)
    window.show()
    await window.show_page("servers")  # an admin page is open when the role changes

    assert await window.connect_to("Operator")

    assert not window.is_admin
    assert "operator" in window.connection_label.text()
    assert "Operator" in window.connection_label.text()
    assert "servers" not in _visible_sidebar(window)
    assert "stations" not in _visible_sidebar(window)
    assert "\x00admin" not in _visible_sidebar(window)
    assert not window.page_actions["servers"].isVisible()
    assert window.current_page_key() == "dashboard"
    assert store.last_used is not None and store.last_used.name == "Operator"
    # An empty database: no station, the pages say what to do.
    assert window.station_switcher.count() == 0
    assert not window.station_switcher.isEnabled()
    dashboard = window.pages["dashboard"]
    assert isinstance(dashboard, DashboardPage) and dashboard.showing_empty

    assert await window.connect_to(None)  # back to the embedded database: admin again
    assert window.is_admin and "servers" in _visible_sidebar(window)
    assert store.last_used is None
    assert window.station_switcher.currentText() == "Demo Radio"


@pytest.mark.asyncio
async def test_an_unreachable_database_shows_an_error_and_keeps_the_window(
    make_window: MakeWindow, station_home: Path
) -> None:
    window = make_window()
    # A closed port on loopback: the connection is refused at once.
    assert not await window.open_workspace(
        lambda: open_workspace("mysql+pymysql://nobody:secret@127.0.0.1:9/none"))
    assert window.connection_label.text().startswith("Not connected: ")
    assert "127.0.0.1:9" in window.connection_label.toolTip()
    assert "secret" not in window.connection_label.toolTip()
    assert window.station_switcher.count() == 0
    boxes = window.findChildren(QMessageBox)
    assert len(boxes) == 1 and boxes[0].isVisible()
    assert "127.0.0.1:9" in boxes[0].text()
    assert "secret" not in boxes[0].text()  # the password is never shown
    boxes[0].close()

    # A failed switch keeps the database that was open.
    assert await window.open_workspace(lambda: open_embedded(station_home / "data"))
    before = window.workspace
    assert not await window.open_workspace(
        lambda: open_workspace("mysql+pymysql://nobody@127.0.0.1:9/none"))
    assert window.workspace is before
    assert window.connection_label.text().startswith("Connected: Embedded database")
    assert window.station_switcher.currentText() == "Demo Radio"


@pytest.mark.asyncio
async def test_view_shortcuts_and_the_about_box(
    make_window: MakeWindow, station_home: Path, qtbot: QtBot
) -> None:
    window = make_window()
    window.show()
    assert await window.open_workspace(lambda: open_embedded(station_home / "data"))
    shortcuts = {key: action.shortcut().toString()
                 for key, action in window.page_actions.items()}
    assert shortcuts == {key: f"Ctrl+{n}" for n, key in enumerate(PAGE_KEYS, 1)}
    window.page_actions["stream"].trigger()
    await window.settled()
    assert window.current_page_key() == "stream"
    stream = window.pages["stream"]
    assert isinstance(stream, StreamSettingsPage)
    assert stream.facts.values["mount"].text() == "/demo-radio"
    assert [a.isEnabled() for a in window.edit_menu.actions()] == [False, False]

    about = window.show_about()
    text = about.text()
    assert "0.1.0" in text and "GPL-3.0-or-later" in text
    assert "Qt 6." in text and "PySide6 6." in text
    about.close()
    menus = [action.text() for action in window.menuBar().actions()]
    assert menus == ["&File", "&Edit", "&View", "&Help"]


@pytest.mark.asyncio
async def test_geometry_and_column_layout_persist_across_two_windows(
    make_window: MakeWindow, station_home: Path
) -> None:
    window = make_window()
    window.show()
    # Within the offscreen platform's 800x600 screen: restoreGeometry keeps windows on it.
    window.resize(QSize(760, 540))
    window.move(QPoint(20, 10))
    assert await window.open_workspace(lambda: open_embedded(station_home / "data"))
    await window.settled()
    dashboard = window.pages["dashboard"]
    assert isinstance(dashboard, DashboardPage)
    header = dashboard.blocks_view.horizontalHeader()
    header.resizeSection(0, 171)
    header.moveSection(3, 0)  # "Active" first
    geometry = window.geometry()
    window.close()
    assert (station_home / "config" / "settings.ini").is_file()

    again = make_window()
    again.show()
    assert again.size() == QSize(760, 540)  # not the first-start default, 1180x720
    # Offscreen Qt adds a made-up title bar height when placing a restored window.
    assert (again.geometry().topLeft() - geometry.topLeft()).manhattanLength() < 30
    dashboard2 = again.pages["dashboard"]
    assert isinstance(dashboard2, DashboardPage)
    header2 = dashboard2.blocks_view.horizontalHeader()
    assert header2.sectionSize(0) == 171
    assert header2.logicalIndex(0) == 3
    assert await again.open_workspace(lambda: open_embedded(station_home / "data"))
    await again.settled()
    assert header2.sectionSize(0) == 171  # loading data does not refit a saved layout


@pytest.fixture
def spanish(qapp: QApplication) -> Iterator[None]:
    previous = QLocale()
    translators = install_translators(qapp, "es")
    try:
        yield
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)
        QLocale.setDefault(previous)


@pytest.mark.asyncio
async def test_the_window_speaks_spanish(
    spanish: None, make_window: MakeWindow, station_home: Path
) -> None:
    window = make_window()
    window.show()
    assert await window.open_workspace(lambda: open_embedded(station_home / "data"))
    await window.settled()
    menus = [action.text() for action in window.menuBar().actions()]
    assert menus == ["&Archivo", "&Editar", "&Ver", "Ay&uda"]
    titles = [window.sidebar.item(i).text() for i in range(window.sidebar.count())]
    assert titles[:3] == ["Panel", "Biblioteca", "Listas de reproducción"]
    assert "ADMINISTRACIÓN" in titles
    assert window.connection_label.text() == (
        "Conectado: Base de datos integrada en este equipo · administrador")
    dashboard = window.pages["dashboard"]
    assert isinstance(dashboard, DashboardPage)
    assert dashboard.facts.values["quota"].text() == "5,0 GB"  # Spanish decimal comma
    assert dashboard.facts.values["autodj"].text() == "activado, aleatorio, fundido de 3 s"
    assert dashboard.blocks_model.index(0, 0).data() == "lunes"
    assert dashboard.playlists_model.headerData(0, Qt.Orientation.Horizontal) == "Lista"
    assert dashboard.blocks_model.index(0, 3).data() == "sí"
    stream = await window.show_page("stream")
    assert isinstance(stream, StreamSettingsPage)
    assert stream.heading.text() == "Ajustes de emisión"
    assert stream.form.normalize.text() == "Igualar la sonoridad entre canciones"


@pytest.mark.asyncio
async def test_the_application_pages_all_load_in_the_window(
    qtbot: QtBot, shell_worker: DbWorker, station_home: Path, memory_keyring: object
) -> None:
    """The registry the app uses: the real Library, Playlists and Schedule pages included."""
    from station_desktop.ui.library.page import LibraryPage
    from station_desktop.ui.pages.registry import default_pages

    specs = default_pages()
    assert [s.key for s in specs] == PAGE_KEYS
    window = MainWindow(shell_worker, specs, settings=AppSettings(), profiles=ProfileStore(),
                        data_dir=station_home / "data")
    qtbot.addWidget(window)
    window.show()
    assert await window.open_workspace(lambda: open_embedded(station_home / "data"))
    assert isinstance(window.pages["library"], LibraryPage)
    for key in PAGE_KEYS:
        await window.show_page(key)
        assert window.page_context(key) == (window.workspace, window.station_id)
    assert not [box for box in window.findChildren(QMessageBox) if box.isVisible()]
