"""The Statistics page over the real stats, roll-up and history services (SQLite, then
MariaDB): the plotted data is the services' buckets, ranges switch between raw samples and
roll-ups, the per-bitrate stack, the real-time refresh, the tables and the exports."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import numpy as np
import pytest
from gui.statistics.conftest import NOW, STEP, record_samples, sample_at

from PySide6.QtGui import QImage

from station_desktop.services.history import PlayHistoryService
from station_desktop.services.rollups import RollupService
from station_desktop.services.stats import ChartSeries
from station_desktop.services.workspace import Workspace
from station_desktop.ui.statistics import StatisticsPage
from station_desktop.ui.statistics.chart import joins
from station_desktop.ui.statistics.export import CSV_HEADER
from station_desktop.ui.statistics.ranges import ChartRange, window


def plotted(curve: object) -> tuple[list[float], list[float]]:
    x, y = curve.getData()  # type: ignore[attr-defined]
    return [float(v) for v in x], [float(v) for v in y]


def expected(workspace: Workspace, station_id: str, chart_range: ChartRange) -> ChartSeries:
    span = window(chart_range, NOW)
    return ChartSeries.from_buckets(
        workspace.stats.history(station_id, span.start, span.end, span.bucket))


@pytest.mark.asyncio
async def test_the_24_hour_chart_plots_the_raw_buckets_with_a_gap_for_an_outage(
    page: StatisticsPage, workspace: Workspace, station_id: str
) -> None:
    outage = (NOW - dt.timedelta(hours=6), NOW - dt.timedelta(hours=5))
    record_samples(workspace, station_id, NOW - dt.timedelta(hours=30), NOW, skip=outage)
    await page.set_context(workspace, station_id)

    want = expected(workspace, station_id, ChartRange.DAY)
    assert len(want) == 24 * 12 - 12 - 1  # an hour out, the last empty
    assert plotted(page.chart.average_curve) == (list(want.times), list(want.average))
    assert plotted(page.chart.peak_curve) == (list(want.times), [float(p) for p in want.peak])
    # one sample per bucket, taken 2:40 after its start (NOW is at :37:40)
    assert want.peak == tuple(
        sample_at(dt.datetime.fromtimestamp(t + 160, dt.UTC)).peak_listeners
        for t in want.times)
    connect = joins(np.asarray(want.times), page.chart.max_gap)
    assert int((~connect[:-1]).sum()) == 1  # the outage is a gap, not zero listeners
    page.per_bitrate.setChecked(True)  # the stacked areas break there too
    x, _ = page.chart.layers["64"].getData()
    assert int(np.isnan(x).sum()) == 1 and len(x) == len(want) + 1
    assert [item.text for _, item in page.chart.legend.items] == [
        "Other bitrates", "320 kbps", "128 kbps", "64 kbps", "Peak"]
    assert page.chart.date_axis.utcOffset == -3600  # Madrid, CET
    assert "Peak" in page.summary.text()


@pytest.mark.asyncio
async def test_ranges_switch_to_the_roll_ups_and_agree_with_the_raw_samples(
    page: StatisticsPage, workspace: Workspace, station_id: str
) -> None:
    record_samples(workspace, station_id, NOW - dt.timedelta(days=9), NOW)
    RollupService(workspace.db).roll_up(NOW)
    await page.set_context(workspace, station_id)
    for chart_range, spacing in ((ChartRange.WEEK, 3600.0), (ChartRange.MONTH, 3 * 3600.0),
                                 (ChartRange.YEAR, 86400.0)):
        await page.show_range(chart_range)
        assert page.range_buttons[chart_range].isChecked()
        want = expected(workspace, station_id, chart_range)  # from the raw samples
        x, y = plotted(page.chart.average_curve)
        assert x == list(want.times)
        assert y == pytest.approx(list(want.average))
        assert set(np.diff(x)) == {spacing}
    assert len(page.chart.series) == 10  # 9 days and a bit, by day
    await page.show_range(ChartRange.DAY)
    assert len(page.chart.series) == 24 * 12 - 1  # the current bucket has no sample yet


@pytest.mark.asyncio
async def test_per_bitrate_stacks_the_bitrates_under_the_total(
    page: StatisticsPage, workspace: Workspace, station_id: str
) -> None:
    record_samples(workspace, station_id, NOW - dt.timedelta(hours=3), NOW)
    await page.set_context(workspace, station_id)
    want = expected(workspace, station_id, ChartRange.DAY)
    assert page.chart.average_curve.isVisible()
    assert not page.chart.layers["64"].isVisible()

    page.per_bitrate.setChecked(True)
    assert not page.chart.average_curve.isVisible()
    assert all(curve.isVisible() for curve in page.chart.layers.values())
    a64, a128, a320 = (np.asarray(v) for v in (want.avg_64, want.avg_128, want.avg_320))
    assert plotted(page.chart.layers["64"])[1] == pytest.approx(list(a64))
    assert plotted(page.chart.layers["128"])[1] == pytest.approx(list(a64 + a128))
    assert plotted(page.chart.layers["320"])[1] == pytest.approx(list(a64 + a128 + a320))
    assert plotted(page.chart.layers["other"])[1] == pytest.approx(list(want.average))
    assert all(o > b for o, b in zip(want.average, a64 + a128 + a320, strict=True))

    page.show_peak.setChecked(False)
    assert not page.chart.peak_curve.isVisible()
    page.per_bitrate.setChecked(False)
    assert page.chart.average_curve.isVisible()


@pytest.mark.asyncio
async def test_real_time_shows_the_last_hour_and_follows_new_samples(
    page: StatisticsPage, workspace: Workspace, station_id: str
) -> None:
    record_samples(workspace, station_id, NOW - dt.timedelta(hours=2), NOW)
    await page.set_context(workspace, station_id)
    await page.show_range(ChartRange.REALTIME)
    assert page.timer.isActive()
    x, y = plotted(page.chart.average_curve)
    first = NOW - dt.timedelta(hours=1)
    assert len(x) == 12
    assert x[0] >= first.timestamp()
    newest = (NOW - dt.timedelta(hours=2)) + 23 * STEP
    assert x[-1] == newest.timestamp()
    assert y[-1] == sample_at(newest).listeners

    later = newest + STEP
    workspace.stats.record_sample(station_id, sample_at(later))
    page.clock = lambda: later + dt.timedelta(seconds=20)
    await page.refresh(quiet=True)  # what the timer's poll does
    x, y = plotted(page.chart.average_curve)
    assert x[-1] == later.timestamp()
    assert y[-1] == sample_at(later).listeners

    await page.show_range(ChartRange.DAY)
    assert not page.timer.isActive()


@pytest.mark.asyncio
async def test_play_history_and_top_songs(
    page: StatisticsPage, workspace: Workspace, station_id: str
) -> None:
    plays = PlayHistoryService(workspace.db)
    songs = [("Alpha", "Uno"), ("Beta", "Dos"), ("Alpha", "Uno"), ("Gamma", "Tres"),
             ("Alpha", "Uno"), ("Beta", "Dos")]
    for i, (title, artist) in enumerate(songs):
        plays.track_started(station_id, NOW - dt.timedelta(hours=2) + i * 4 * STEP, title,
                            artist, listeners=10 + i)
    record_samples(workspace, station_id, NOW - dt.timedelta(hours=1), NOW)
    await page.set_context(workspace, station_id)
    assert page.history_model.rowCount() == 6
    assert page.history_model.record(0).title == "Beta"  # newest first
    top = [(page.top_model.record(i).title, page.top_model.record(i).plays)
           for i in range(page.top_model.rowCount())]
    assert top == [("Alpha", 3), ("Beta", 2), ("Gamma", 1)]


@pytest.mark.asyncio
async def test_csv_export_holds_the_plotted_buckets_in_the_station_time(
    page: StatisticsPage, workspace: Workspace, station_id: str, tmp_path: Path
) -> None:
    record_samples(workspace, station_id, NOW - dt.timedelta(hours=2), NOW)
    await page.set_context(workspace, station_id)
    target = tmp_path / "listeners.csv"
    assert await page.export_csv(target)
    rows = list(csv.reader(target.read_text(encoding="utf-8").splitlines()))
    want = expected(workspace, station_id, ChartRange.DAY)
    assert tuple(rows[0]) == CSV_HEADER
    assert len(rows) == 1 + len(want) == 1 + 24
    first = dt.datetime.fromtimestamp(want.times[0], dt.UTC)
    assert rows[1][0] == first.astimezone(dt.timezone(dt.timedelta(hours=1))).isoformat()
    assert rows[1][0].endswith("+01:00")
    assert [float(r[1]) for r in rows[1:]] == pytest.approx(list(want.average), abs=0.005)
    assert [int(r[2]) for r in rows[1:]] == list(want.peak)
    assert not (tmp_path / "listeners.csv.part").exists()


@pytest.mark.asyncio
async def test_csv_export_to_a_missing_folder_says_so_and_writes_nothing(
    page: StatisticsPage, workspace: Workspace, station_id: str, tmp_path: Path
) -> None:
    record_samples(workspace, station_id, NOW - dt.timedelta(hours=1), NOW)
    await page.set_context(workspace, station_id)
    shown: list[str] = []
    page.show_error = lambda title, message: shown.append(message)  # type: ignore[method-assign]
    assert not await page.export_csv(tmp_path / "missing" / "x.csv")
    assert shown and "missing" in shown[0]


@pytest.mark.asyncio
async def test_png_export_writes_an_image_of_the_chart(
    page: StatisticsPage, workspace: Workspace, station_id: str, tmp_path: Path
) -> None:
    record_samples(workspace, station_id, NOW - dt.timedelta(hours=24), NOW)
    await page.set_context(workspace, station_id)
    target = tmp_path / "chart.png"
    assert page.export_png(target)
    assert target.stat().st_size > 5_000
    image = QImage(str(target))
    assert image.width() == 1600
    assert image.height() > 100


@pytest.mark.asyncio
async def test_a_station_without_samples_says_so(
    page: StatisticsPage, workspace: Workspace, station_id: str
) -> None:
    await page.set_context(workspace, station_id)
    assert len(page.chart.series) == 0
    assert "No samples" in page.summary.text()
