"""A screenshot of the weekly grid with a realistic week (offscreen). Saved to
docs/screenshots/schedule.png when STATION_SCREENSHOTS=1."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from station_desktop.services.playlists import PlaylistFields
from station_desktop.services.schedule import BlockFields
from station_desktop.services.workspace import Workspace
from station_desktop.ui.schedule import SchedulePage

if TYPE_CHECKING:
    from gui.schedule.conftest import Station

SUN, MON, TUE, WED, THU, FRI, SAT = range(7)


@pytest.mark.asyncio
async def test_schedule_page_screenshot(
    page: SchedulePage, workspace: Workspace, station: Station, tmp_path: Path
) -> None:
    playlists, schedule = workspace.playlists, workspace.schedule
    drive = playlists.create_playlist(station.id, PlaylistFields("Drive time", "special")).id
    brunch = playlists.create_playlist(station.id, PlaylistFields("Sunday brunch", "special")).id
    club = playlists.create_playlist(station.id, PlaylistFields("Club night", "special")).id
    live = playlists.create_playlist(station.id, PlaylistFields("Live from the venue",
                                                                "special")).id
    week = [
        *[(station.morning, day, "07:00", "10:00", True) for day in range(MON, SAT)],
        *[(station.music, day, "12:00", "14:00", True) for day in range(MON, SAT)],
        *[(drive, day, "16:00", "19:00", True) for day in range(MON, SAT)],
        *[(station.night, day, "22:00", "01:30", True) for day in range(MON, FRI)],
        (live, THU, "20:00", "22:00", False),
        (brunch, SAT, "10:00", "13:00", True), (brunch, SUN, "10:00", "13:30", True),
        (club, SAT, "23:00", "04:00", True),  # runs into the spring-forward night
        (station.night, SUN, "21:00", "00:00", True),
    ]
    for playlist_id, day, start, end, active in week:
        schedule.create_block(station.id, BlockFields(playlist_id, day, start, end, active))

    page.resize(1200, 1140)
    await page.set_context(workspace, station.id)
    await page.settle()
    page.grid.select_block(next(b.id for b in page.grid.blocks
                                if b.day_of_week == WED and b.start == 16 * 60))
    target = tmp_path / "schedule.png"
    assert page.grab().save(str(target))
    assert target.stat().st_size > 10_000
    if os.environ.get("STATION_SCREENSHOTS") == "1" and "sqlite" in workspace.db.display_url:
        docs = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
        assert page.grab().save(str(docs / "schedule.png"))
