"""The library's lazy table model on SQLite and MariaDB: pages fetched on demand, filter and
sort done in SQL, stale replies dropped."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from gui.library.support import bulk_tracks, settle, until
from helpers.factories import make_station
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from station_desktop.db.engine import Database
from station_desktop.services.library import LibraryService, TrackPage
from station_desktop.services.stations import StationRecord
from station_desktop.services.workspace import Workspace
from station_desktop.ui.library.model import (
    ARTIST,
    STATUS,
    TITLE,
    YEAR,
    LibraryModel,
    Query,
)
from station_desktop.ui.library.page import LibraryPage
from station_desktop.ui.worker import DbWorker


def _titles(model: LibraryModel) -> list[str]:
    return [model.index(row, TITLE).data() for row in range(model.rowCount())]


@pytest.mark.asyncio
async def test_the_model_fetches_only_the_pages_the_view_shows(
    qtbot: QtBot, worker: DbWorker, workspace: Workspace, station: StationRecord, db: Database
) -> None:
    bulk_tracks(db, station.id, [{"title": f"Song {i:04d}"} for i in range(1000)])
    model = LibraryModel(worker, page_size=50)
    view = QTableView()
    qtbot.addWidget(view)
    view.verticalHeader().setDefaultSectionSize(24)
    view.resize(600, 300)  # about a dozen rows on screen
    view.setModel(model)
    view.show()

    model.set_source(workspace.library, station.id, Query())
    await until(lambda: model.rowCount() == 1000 and model.exact, what="the count")
    for _ in range(3):
        await model.wait_idle()
        await until(lambda: True)
    generation = model.fetched[-1][0]
    assert {page for gen, page in model.fetched if gen == generation} == {0}
    assert model.index(0, TITLE).data() == "Song 0000"

    view.scrollTo(model.index(730, TITLE), QTableView.ScrollHint.PositionAtTop)
    assert model.index(730, TITLE).data() == "Loading…"  # a placeholder until it arrives
    await until(lambda: model.index(730, TITLE).data() == "Song 0730", what="page 14")
    await model.wait_idle()
    pages = {page for gen, page in model.fetched if gen == generation}
    assert pages <= {0, 14, 15} and 14 in pages  # not the 13 pages scrolled past
    assert model.record(730) is not None and model.record(400) is None


@pytest.mark.asyncio
async def test_the_model_passes_qt_model_checks(
    qtbot: QtBot, worker: DbWorker, workspace: Workspace, station: StationRecord, db: Database,
    qtmodeltester: ModelTester,
) -> None:
    bulk_tracks(db, station.id, [{"title": f"T{i}", "status": "error" if i == 3 else "ready",
                                  "statusMessage": "Decoding failed at 0:12"}
                                 for i in range(120)])
    model = LibraryModel(worker, page_size=50)
    model.set_source(workspace.library, station.id)
    await until(lambda: model.exact and model.rowCount() == 120, what="the rows")
    for row in range(120):  # load every page before the checker walks the model
        model.index(row, TITLE).data()
        await model.wait_idle()
    qtmodeltester.check(model, force_py=True)
    statuses = [getattr(model.record(r), "status", None) for r in range(120)]
    error_row = statuses.index("error")
    assert model.index(error_row, STATUS).data(Qt.ItemDataRole.ToolTipRole) == (
        "Decoding failed at 0:12")
    assert model.index(error_row, STATUS).data() == "Error"


_ROWS: list[dict[str, Any]] = [
    {"title": "Canción de la noche", "artist": "Zoë Müller", "year": 2001, "genre": "Pop"},
    {"title": "Night drive", "artist": "MÜLLER Brothers", "year": 1999, "genre": "Rock"},
    {"title": "alpha", "artist": "Ana Pérez", "year": None, "genre": "Jazz"},
    {"title": "Beta", "artist": None, "year": 2010, "genre": "Rock",
     "status": "error", "statusMessage": "Not an audio file"},
    {"title": None, "artist": "Anonymous", "year": 2005, "filename": "zz-untitled.mp3"},
    {"title": "100% pure", "artist": "Underscore_Band", "year": 2020, "genre": "Pop"},
]


@pytest.mark.asyncio
async def test_search_status_and_sort_come_from_sql(
    worker: DbWorker, workspace: Workspace, station: StationRecord, db: Database,
    page: LibraryPage,
) -> None:
    bulk_tracks(db, station.id, _ROWS)
    bulk_tracks(db, make_station(db, "Other").id, [{"title": "Canción ajena"}])
    await page.set_context(workspace, station.id)
    model = page.model
    assert _titles(model) == ["100% pure", "alpha", "Beta", "Canción de la noche",
                              "Night drive", "zz-untitled.mp3"]  # no title: last

    async def search(text: str) -> list[str]:
        page.search.setText(text)  # the search waits for a pause in typing
        await until(lambda: model.query.search == text, what=f"search {text!r}")
        await settle(page)
        return sorted(_titles(model))

    assert await search("müller") == ["Canción de la noche", "Night drive"]  # any case
    assert await search("CANCIÓN") == ["Canción de la noche"]  # not the other station's
    assert await search("100%") == ["100% pure"]  # % and _ are literal
    assert await search("r_b") == []
    assert await search("untitled") == ["zz-untitled.mp3"]  # the file name counts
    assert page.count_label.text() == "1 of 6 tracks"
    assert await search("") == sorted(_titles(model)) and model.rowCount() == 6

    page.status_filter.setCurrentIndex(page.status_filter.findData("error"))
    await settle(page)
    assert _titles(model) == ["Beta"]
    page.status_filter.setCurrentIndex(0)
    await settle(page)

    page.view.sortByColumn(YEAR, Qt.SortOrder.DescendingOrder)
    await settle(page)
    assert model.query.sort == "year" and model.query.descending
    years = [model.index(r, YEAR).data() for r in range(model.rowCount())]
    assert years == ["2020", "2010", "2005", "2001", "1999", ""]  # empty last
    page.view.sortByColumn(ARTIST, Qt.SortOrder.AscendingOrder)
    await settle(page)
    artists = [model.index(r, ARTIST).data() for r in range(model.rowCount())]
    assert artists == ["Ana Pérez", "Anonymous", "MÜLLER Brothers", "Underscore_Band",
                       "Zoë Müller", ""]


class RecordingLibrary(LibraryService):
    """The real service, noting the searches it runs; it can hold one search until the
    test lets it go (to make its reply arrive after a newer search's)."""

    def __init__(self, db: Database, hold: str | None = None) -> None:
        super().__init__(db)
        self.searches: list[str | None] = []
        self.hold = hold
        self.holding = threading.Event()
        self.release = threading.Event()

    def list_tracks(self, client_id: str, **kwargs: Any) -> TrackPage:
        self.searches.append(kwargs.get("search"))
        if kwargs.get("search") == self.hold:
            self.holding.set()
            self.release.wait(10)
        return super().list_tracks(client_id, **kwargs)


@pytest.mark.asyncio
async def test_a_search_typed_over_before_its_turn_never_runs(
    worker: DbWorker, station: StationRecord, db: Database,
) -> None:
    bulk_tracks(db, station.id, [{"title": f"apple {i}"} for i in range(30)]
                + [{"title": f"banana {i}"} for i in range(5)])
    library = RecordingLibrary(db)
    model = LibraryModel(worker, page_size=50)
    model.set_source(library, station.id)
    await model.wait_idle()
    library.searches.clear()

    model.set_query(Query(search="apple"))
    model.set_query(Query(search="banana"))  # typed on before apple's turn came
    await model.wait_idle()

    assert library.searches == ["banana"]
    assert sorted(_titles(model)) == [f"banana {i}" for i in range(5)]


@pytest.mark.asyncio
async def test_a_late_reply_to_an_older_search_is_dropped(
    worker: DbWorker, station: StationRecord, db: Database,
) -> None:
    bulk_tracks(db, station.id, [{"title": f"apple {i}"} for i in range(30)]
                + [{"title": f"banana {i}"} for i in range(5)])
    library = RecordingLibrary(db, hold="apple")
    model = LibraryModel(worker, page_size=50)
    model.set_source(library, station.id)
    await model.wait_idle()
    resets: list[list[str]] = []
    model.loaded.connect(lambda: resets.append(_titles(model)))

    model.set_query(Query(search="apple"))
    await until(library.holding.is_set, what="the apple search to start")
    model.set_query(Query(search="banana"))  # newer, while apple's query still runs
    library.release.set()  # apple's reply now arrives, after banana was asked for
    await model.wait_idle()

    assert library.searches[-2:] == ["apple", "banana"]  # both ran ...
    assert model.stale_replies >= 1
    assert len(resets) == 1  # ... but the apple page never reached the screen
    assert sorted(resets[0]) == [f"banana {i}" for i in range(5)]
    assert model.rowCount() == 5 and model.exact
