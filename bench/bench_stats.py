"""Statistics charts over a year of samples: 100 stations x 5-minute samples on MariaDB.

Generates ~10.5 million StreamStats rows in bulk (MariaDB's sequence engine,
``INSERT … SELECT … FROM seq_0_to_N``, one statement per station), runs stationd's
roll-ups (services/rollups.py), then measures, for one station, what the Statistics page
does for its 1-year and its 24-hour chart: the service call
(:meth:`RollupService.history` → :class:`ChartSeries`), ``setData`` on the chart and a
render of the chart into a QImage (offscreen) — each beside the bare SQL query that
fetches the same data. Figures are medians of ``--runs`` warm runs (the first, cold run
is printed too); RSS is the process's current and peak resident memory. Target: < 150 ms
per chart.

Needs STATION_TEST_MARIADB_URL (``cd tests && ../.venv/bin/python -m helpers.mariadb
start``); without it the bench says so and exits. A database is created for the bench and
dropped afterwards (``--keep`` keeps it).

    .venv/bin/python bench/bench_stats.py [--stations 100] [--days 365] [--runs 15]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench_database import bench_database
from sqlalchemy import Engine, insert, make_url, text

from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication

from station_desktop.db import migrate
from station_desktop.db.engine import Database, create_db_engine
from station_desktop.db.ids import new_id
from station_desktop.db.models import Client
from station_desktop.services.rollups import RollupService
from station_desktop.services.stats import ChartSeries
from station_desktop.ui.statistics.chart import ListenerChart
from station_desktop.ui.statistics.ranges import ChartRange, window

TARGET_MS = 150.0
STEP_MINUTES = 5
# "now" of the bench: the data ends here (fixed, so runs are comparable)
NOW = dt.datetime(2026, 11, 25, 10, 2, 0, tzinfo=dt.UTC)

# One station's samples; {i} is the station's number, {n} the last sequence value.
# Listeners follow a daily curve (quiet at night, busy in the evening) and a weekly one.
SAMPLES_SQL = """
INSERT INTO StreamStats (id, clientId, timestamp, listeners, peakListeners, currentSong,
                         listeners64, listeners128, listeners320, streamStatus, uptime)
SELECT CONCAT('b', LPAD({i}, 4, '0'), LPAD(seq, 8, '0')), :client,
       :first + INTERVAL (seq * 5) MINUTE, l, l + (seq MOD 7), CONCAT('Song ', seq MOD 500),
       FLOOR(l / 5), l - FLOOR(l / 5) - FLOOR(l / 4) - FLOOR(l / 10), FLOOR(l / 4),
       'online', seq * 300
FROM (SELECT seq, GREATEST(0, FLOOR(
          60 + {i} MOD 40
          + 45 * SIN(2 * PI() * (((seq * 5) MOD 1440) / 1440.0 - 0.4))
          + 10 * SIN(2 * PI() * (seq / 2016.0)))) AS l
      FROM seq_0_to_{n}) AS g
"""

DAY_SQL = """
SELECT FLOOR((TIMESTAMPDIFF(SECOND, '1970-01-01', timestamp) - :origin) / 300) AS k,
       COUNT(*), SUM(listeners), MAX(listeners), MAX(peakListeners),
       SUM(listeners64), SUM(listeners128), SUM(listeners320)
FROM StreamStats WHERE clientId = :client AND timestamp >= :start AND timestamp < :end
GROUP BY k ORDER BY k
"""

YEAR_SQL = """
SELECT bucketStart, samples, listenersSum, maxListeners, peakListeners, listeners64Sum,
       listeners128Sum, listeners320Sum
FROM StreamStatsDaily WHERE clientId = :client AND bucketStart >= :start
     AND bucketStart < :end ORDER BY bucketStart
"""


def rss_mb() -> tuple[float, float]:
    """(current, peak) resident memory of this process in MiB."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    current = pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return current, peak


def timed(fn: Callable[[], Any], runs: int) -> tuple[float, float]:
    """(cold, median warm) milliseconds."""
    start = time.perf_counter()
    fn()
    cold = (time.perf_counter() - start) * 1000
    warm = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        warm.append((time.perf_counter() - start) * 1000)
    return cold, statistics.median(warm)


def generate(engine: Engine, db: Database, stations: int, days: int) -> list[str]:
    ids = [new_id() for _ in range(stations)]
    with db.transaction() as s:
        s.execute(insert(Client), [{"id": client, "name": f"Bench station {i}",
                                    "timezone": "Europe/Madrid"}
                                   for i, client in enumerate(ids)])
    count = days * 24 * 60 // STEP_MINUTES
    first = (NOW - dt.timedelta(minutes=STEP_MINUTES * count)).replace(tzinfo=None)
    start = time.perf_counter()
    with engine.connect() as conn:
        conn.execute(text("SET SESSION unique_checks = 0, foreign_key_checks = 0"))
        for i, client in enumerate(ids):
            conn.execute(text(SAMPLES_SQL.format(i=i, n=count - 1)),
                         {"client": client, "first": first})
            conn.commit()
            if (i + 1) % 10 == 0:
                rate = (i + 1) * count / (time.perf_counter() - start)
                print(f"  {i + 1}/{stations} stations, {rate:,.0f} rows/s", flush=True)
    elapsed = time.perf_counter() - start
    print(f"generated {stations * count:,} StreamStats rows in {elapsed:.1f} s")
    return ids


def chart_run(app: QApplication, chart: ListenerChart, rollups: RollupService, client: str,
              chart_range: ChartRange) -> Callable[[], int]:
    span = window(chart_range, NOW)
    image = QImage(chart.size(), QImage.Format.Format_ARGB32_Premultiplied)

    def run() -> int:
        buckets = rollups.history(client, span.start, span.end, span.bucket)
        series = ChartSeries.from_buckets(buckets)
        chart.set_series(series, max(span.bucket.total_seconds(), 900))
        app.processEvents()
        painter = QPainter(image)
        chart.render(painter)
        painter.end()
        return len(series)

    return run


def sql_run(engine: Engine, query: str, params: dict[str, Any]) -> Callable[[], int]:
    def run() -> int:
        with engine.connect() as conn:
            return len(conn.execute(text(query), params).all())

    return run


def bench(url: str, args: argparse.Namespace) -> None:
    migrate.upgrade(url)
    db = Database(url)
    engine = create_db_engine(url)
    try:
        ids = generate(engine, db, args.stations, args.days)
        start = time.perf_counter()
        # as stationd runs it: for the stations of its server (an IN list lets MariaDB
        # read each station's day through the (clientId, timestamp) index)
        report = RollupService(db).roll_up(NOW, client_ids=ids)
        print(f"roll-ups: {report.hourly_rows:,} hourly and {report.daily_rows:,} daily rows "
              f"in {time.perf_counter() - start:.1f} s")
        client = ids[len(ids) // 2]
        app = QApplication.instance() or QApplication(sys.argv[:1])
        assert isinstance(app, QApplication)
        chart = ListenerChart()
        chart.resize(1200, 420)
        chart.set_timezone("Europe/Madrid")
        chart.show()
        rollups = RollupService(db)
        day, year = window(ChartRange.DAY, NOW), window(ChartRange.YEAR, NOW)
        naive = {"day": (day.start.replace(tzinfo=None), day.end.replace(tzinfo=None)),
                 "year": (year.start.replace(tzinfo=None), year.end.replace(tzinfo=None))}
        with engine.connect() as conn:
            for name, query, key in (("24 h", DAY_SQL, "day"), ("1 year", YEAR_SQL, "year")):
                plan = conn.execute(text("EXPLAIN " + query), {
                    "client": client, "start": naive[key][0], "end": naive[key][1],
                    "origin": int(day.start.timestamp())}).mappings().all()
                print(f"EXPLAIN {name}: " + "; ".join(
                    f"{row['table']} key={row['key']} rows={row['rows']}" for row in plan))
        print(f"{'':34}{'points':>8}{'cold ms':>10}{'median ms':>11}")
        cases: list[tuple[str, Callable[[], int]]] = [
            ("1-year chart (service+draw)", chart_run(app, chart, rollups, client,
                                                      ChartRange.YEAR)),
            ("1-year bare SQL (daily rows)", sql_run(engine, YEAR_SQL, {
                "client": client, "start": naive["year"][0], "end": naive["year"][1]})),
            ("24-hour chart (service+draw)", chart_run(app, chart, rollups, client,
                                                       ChartRange.DAY)),
            ("24-hour bare SQL (raw GROUP BY)", sql_run(engine, DAY_SQL, {
                "client": client, "start": naive["day"][0], "end": naive["day"][1],
                "origin": int(day.start.timestamp())})),
        ]
        for name, fn in cases:
            points = fn()
            cold, warm = timed(fn, args.runs)
            verdict = "" if "SQL" in name else ("  OK" if warm < TARGET_MS else "  OVER TARGET")
            print(f"{name:34}{points:>8}{cold:>10.1f}{warm:>11.1f}{verdict}")
        current, peak = rss_mb()
        print(f"RSS: {current:.0f} MiB now, {peak:.0f} MiB peak (target per chart: "
              f"< {TARGET_MS:.0f} ms)")
    finally:
        db.dispose()
        engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stations", type=int, default=100)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    args = parser.parse_args()
    admin = os.environ.get("STATION_TEST_MARIADB_URL")
    if not admin:
        print("MariaDB: skipped. Set STATION_TEST_MARIADB_URL (cd tests && "
              "../.venv/bin/python -m helpers.mariadb start) to run this bench.")
        return 0
    with bench_database(admin, keep=args.keep) as url:
        print(f"{args.stations} stations x {args.days} days of {STEP_MINUTES}-minute "
              f"samples, database {make_url(url).database}")
        bench(url, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
