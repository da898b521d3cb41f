"""Exports of the chart's data: CSV text from a series (pure, runs off the UI thread)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zoneinfo
from pathlib import Path

from station_desktop.services.stats import ChartSeries

CSV_HEADER = ("time", "average_listeners", "peak_listeners", "avg_64kbps", "avg_128kbps",
              "avg_320kbps")


def csv_text(series: ChartSeries, timezone: str) -> str:
    """One row per bucket; times in ISO 8601 with the station's UTC offset."""
    zone = zoneinfo.ZoneInfo(timezone)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for i, t in enumerate(series.times):
        writer.writerow((
            dt.datetime.fromtimestamp(t, dt.UTC).astimezone(zone).isoformat(),
            f"{series.average[i]:.2f}", series.peak[i], f"{series.avg_64[i]:.2f}",
            f"{series.avg_128[i]:.2f}", f"{series.avg_320[i]:.2f}",
        ))
    return out.getvalue()


def write_csv(path: Path, series: ChartSeries, timezone: str) -> None:
    """Write to a temporary file next to ``path``, then rename: an error (disk full, no
    permission) leaves any previous file untouched."""
    temporary = path.with_name(path.name + ".part")
    try:
        temporary.write_text(csv_text(series, timezone), encoding="utf-8")
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)
