"""A screenshot of the playlist editor with realistic data (offscreen). Saved to
docs/screenshots/playlists.png when STATION_SCREENSHOTS=1."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from helpers.factories import new_track

from station_desktop.services.library import LibraryService
from station_desktop.services.playlists import PlaylistFields
from station_desktop.services.workspace import Workspace
from station_desktop.ui.playlists import PlaylistsPage

if TYPE_CHECKING:
    from gui.playlists.conftest import Station

MORE = [
    ("Autumn Leaves", "Cannonball Adderley", 659.0), ("My Favorite Things", "John Coltrane",
                                                       823.0),
    ("Round Midnight", "Thelonious Monk", 193.0), ("Girl from Ipanema", "Stan Getz & João Gilberto",
                                                   322.0),
    ("Summertime", "Ella Fitzgerald & Louis Armstrong", 298.0),
    ("Desafinado", "Stan Getz & Charlie Byrd", 348.0), ("Chega de Saudade", "João Gilberto",
                                                        121.0),
    ("Corcovado", "Astrud Gilberto", 254.0), ("Strasbourg / St. Denis", "Roy Hargrove", 384.0),
    ("Maiden Voyage", "Herbie Hancock", 481.0), ("Speak No Evil", "Wayne Shorter", 496.0),
    ("Lush Life", "Johnny Hartman & John Coltrane", 330.0),
    ("In a Sentimental Mood", "Duke Ellington & John Coltrane", 256.0),
    ("Mas Que Nada", "Sérgio Mendes & Brasil '66", 161.0),
]


@pytest.mark.asyncio
async def test_playlists_page_screenshot(
    page: PlaylistsPage, workspace: Workspace, station: Station, tmp_path: Path
) -> None:
    library = LibraryService(workspace.db)
    tracks = list(station.tracks) + [
        library.add_track(station.id, new_track(t, artist=a, duration=d, status="ready"))
        for t, a, d in MORE
    ]
    playlists = workspace.playlists
    main = playlists.create_playlist(station.id, PlaylistFields(
        "Main rotation", "rotation", "Everyday music for AutoDJ", is_main=True))
    playlists.add_items(main.id, [t.id for t in tracks])
    night = playlists.create_playlist(station.id, PlaylistFields(
        "Night jazz", "rotation", "Late-night jazz, weekdays from 22:00"))
    playlists.add_items(night.id, [t.id for t in tracks[:4] + tracks[10:20] + tracks[5:9]])
    playlists.create_playlist(station.id, PlaylistFields("Morning show", "special",
                                                         "Weekday mornings"))
    brunch = playlists.create_playlist(station.id, PlaylistFields("Sunday brunch", "special"))
    playlists.add_items(brunch.id, [t.id for t in tracks[14:22]])
    playlists.create_playlist(station.id, PlaylistFields("Station IDs", "jingles"))

    page.resize(1100, 640)
    await page.set_context(workspace, station.id)
    await page.select_playlist(night.id)
    await page.settle()
    page._select_rows([3, 4])
    target = tmp_path / "playlists.png"
    assert page.grab().save(str(target))
    assert target.stat().st_size > 10_000
    if os.environ.get("STATION_SCREENSHOTS") == "1" and "sqlite" in workspace.db.display_url:
        docs = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
        assert page.grab().save(str(docs / "playlists.png"))
