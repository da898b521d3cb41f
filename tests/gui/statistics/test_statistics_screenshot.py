"""A screenshot of the Statistics page with a realistic week (offscreen). Saved to
docs/screenshots/statistics.png when STATION_SCREENSHOTS=1."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from gui.statistics.conftest import NOW, STEP, record_samples

from station_desktop.services.history import PlayHistoryService
from station_desktop.services.rollups import RollupService
from station_desktop.services.workspace import Workspace
from station_desktop.ui.statistics import StatisticsPage
from station_desktop.ui.statistics.ranges import ChartRange

SONGS = [("Lights on the Harbour", "Marea Alta"), ("Cielo de Papel", "Los Faros"),
         ("Night Shift", "Velvet Static"), ("Ñandú", "Trío Pampa"),
         ("Sunday Slow", "Hollow Pines"), ("Bajo la Lluvia", "Marea Alta")]


@pytest.mark.asyncio
async def test_statistics_page_screenshot(
    page: StatisticsPage, workspace: Workspace, station_id: str, tmp_path: Path
) -> None:
    record_samples(workspace, station_id, NOW - dt.timedelta(days=8), NOW,
                   skip=(NOW - dt.timedelta(days=3, hours=4), NOW - dt.timedelta(days=3)))
    RollupService(workspace.db).roll_up(NOW)
    plays = PlayHistoryService(workspace.db)
    t = NOW - dt.timedelta(hours=30)
    i = 0
    while t < NOW:
        title, artist = SONGS[(i * 7 + i // 3) % len(SONGS)]
        plays.track_started(station_id, t, title, artist, listeners=40 + i % 25)
        t += STEP * (1 if i % 2 else 0.8)
        i += 1
    page.resize(1200, 900)
    await page.set_context(workspace, station_id)
    await page.show_range(ChartRange.WEEK)
    page.per_bitrate.setChecked(True)
    target = tmp_path / "statistics.png"
    assert page.grab().save(str(target))
    assert target.stat().st_size > 20_000
    if os.environ.get("STATION_SCREENSHOTS") == "1" and "sqlite" in workspace.db.display_url:
        docs = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
        assert page.grab().save(str(docs / "statistics.png"))
