"""Fixtures of the Statistics page tests: a real workspace (SQLite, then MariaDB), a
station in Madrid with a day of 5-minute samples, and the page with a fixed clock."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator

import pytest
from helpers.factories import make_station
from pytestqt.qtbot import QtBot

from station_desktop.db.engine import Database
from station_desktop.services.stats import Sample
from station_desktop.services.workspace import Workspace
from station_desktop.ui.statistics import StatisticsPage
from station_desktop.ui.worker import DbWorker

NOW = dt.datetime(2026, 3, 25, 9, 37, 40, tzinfo=dt.UTC)
STEP = dt.timedelta(minutes=5)


def listeners_at(t: dt.datetime) -> tuple[int, int, int, int]:
    """(total, 64, 128, 320) listeners at ``t``: a daily curve, plus a few at 96 kbps."""
    hour = t.hour + t.minute / 60
    base = 40 + 30 * math.sin((hour - 8) / 24 * 2 * math.pi) + (t.day % 7) * 3
    total = int(base)
    b64 = total // 5
    b320 = total // 4
    b128 = total - b64 - b320 - total // 10
    return total, b64, b128, b320


def sample_at(t: dt.datetime) -> Sample:
    total, b64, b128, b320 = listeners_at(t)
    return Sample(t, total, total + 3, f"Song at {t:%H:%M}",
                  {64: b64, 128: b128, 320: b320, 96: total - b64 - b128 - b320})


def record_samples(workspace: Workspace, station_id: str, start: dt.datetime,
                   end: dt.datetime, skip: tuple[dt.datetime, dt.datetime] | None = None
                   ) -> None:
    """Every 5 minutes in ``[start, end)``, except within ``skip`` (an outage)."""
    batch: list[tuple[str, Sample]] = []
    t = start
    while t < end:
        if skip is None or not skip[0] <= t < skip[1]:
            batch.append((station_id, sample_at(t)))
        t += STEP
    for i in range(0, len(batch), 2000):
        workspace.stats.record_samples(batch[i:i + 2000])


@pytest.fixture
def workspace(db: Database) -> Workspace:
    return Workspace(db)


@pytest.fixture
def station_id(db: Database) -> str:
    return make_station(db, "Radio Sol", timezone="Europe/Madrid").id


@pytest.fixture
def worker() -> Iterator[DbWorker]:
    db_worker = DbWorker()
    yield db_worker
    db_worker.shutdown()


@pytest.fixture
def page(qtbot: QtBot, worker: DbWorker) -> StatisticsPage:
    widget = StatisticsPage(worker)
    widget.clock = lambda: NOW
    qtbot.addWidget(widget)
    widget.resize(1200, 900)
    widget.show()
    return widget
