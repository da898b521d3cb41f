"""One stationd collection cycle for 1,000 mounts: Collector.collect_once() end to end.

N scripted loopback Icecast servers (ThreadingHTTPServer in daemon threads, in this
process) serve a real-shaped ``/status-json.xsl`` (tests/data/control/icecast/
status_json_three_mounts.json, from Icecast 2.4.4, with its sources repeated to
``/station-<i>-<kbps>``); the database holds N StreamServers and the stations (2 bitrates
each) assigned to them, created in bulk through the ORM. A round = read every Icecast,
map mounts to stations, write one StreamStats sample per station (one transaction per
server), check alerts. Figures: wall time (median of ``--rounds`` after a warm-up),
peak RSS of the whole process (ru_maxrss: the servers' threads included) and the
Python allocation peak of one round (tracemalloc). Targets: < 1 s, < 100 MB RSS.
ru_maxrss is per process and only grows: with ``--backend both`` the second backend's
figure includes the first's; use ``--backend sqlite`` / ``--backend mariadb`` for each.

SQLite always; MariaDB too when STATION_TEST_MARIADB_URL is set (a database created for
the bench and dropped afterwards).

    .venv/bin/python bench/bench_collector.py [--servers 4] [--stations 500] [--profile]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import datetime as dt
import gc
import io
import json
import os
import pstats
import resource
import shutil
import statistics
import tempfile
import threading
import time
import tracemalloc
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from bench_database import bench_database
from sqlalchemy import insert

from station_desktop.daemon.collector import Collector, icecast_factory
from station_desktop.daemon.plan import PlanCache
from station_desktop.db import migrate
from station_desktop.db.engine import Database
from station_desktop.db.ids import new_id
from station_desktop.db.models import Client, StreamConfig, StreamServer

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "control" / "icecast"
BITRATES = (64, 128)
TARGET_SECONDS = 1.0
TARGET_RSS_MB = 100.0


def status_document(first_station: int, stations: int) -> bytes:
    """Icecast's status-json for stations ``first_station ..`` (2 mounts each)."""
    data = json.loads((DATA / "status_json_three_mounts.json").read_text())
    template = [s for s in data["icestats"]["source"] if "bitrate" in s] or \
        data["icestats"]["source"]
    sources = []
    for n, i in enumerate(range(first_station, first_station + stations)):
        for kbps in BITRATES:
            entry = dict(template[(n + kbps) % len(template)])
            entry["listenurl"] = f"http://127.0.0.1:8000/station-{i}-{kbps}"
            entry["listeners"] = (i * 7 + kbps) % 50
            entry["listener_peak"] = entry["listeners"] + i % 5
            entry["title"] = f"Artist {i} - Song {kbps}"
            sources.append(entry)
    data["icestats"]["source"] = sources
    return json.dumps(data).encode()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    body: bytes = b""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(ThreadingHTTPServer):
    request_queue_size = 64
    daemon_threads = True


@contextmanager
def icecasts(documents: list[bytes]) -> Iterator[list[int]]:
    servers = []
    for document in documents:
        handler = type("Handler", (_Handler,), {"body": document})
        server = _Server(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    try:
        yield [int(s.server_address[1]) for s in servers]
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


def populate(db: Database, ports: list[int], stations: int) -> None:
    per_server = stations // len(ports)
    servers = [{"id": new_id(), "name": f"VPS {n}", "host": "127.0.0.1", "port": port,
                "capacity": per_server * 2, "currentLoad": per_server, "status": "online"}
               for n, port in enumerate(ports)]
    clients, configs = [], []
    for i in range(stations):
        client_id = new_id()
        clients.append({"id": client_id, "name": f"Station {i}", "timezone": "UTC"})
        configs.append({
            "id": new_id(), "clientId": client_id, "serverId": servers[i // per_server]["id"],
            "mountpoint": f"/station-{i}", "bitrates": json.dumps([str(b) for b in BITRATES]),
            "maxListeners": 100, "autodjEnabled": True, "crossfadeDuration": 3.0,
            "normalizeAudio": True, "normalizationLevel": -14.0, "playbackMode": "random",
            "liveInputEnabled": False, "liveInputPassword": uuid.uuid4().hex,
            "jinglesEnabled": False, "jinglesFrequency": 4, "status": "active",
            "harborPort": 9000 + i, "telnetPort": 20000 + i,
        })
    with db.transaction() as s:
        s.execute(insert(StreamServer), servers)
        s.execute(insert(Client), clients)
        s.execute(insert(StreamConfig), configs)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def run(label: str, url: str, ports: list[int], stations: int, rounds: int,
        profile: bool) -> None:
    migrate.upgrade(url)
    db = Database(url)
    # as stationd runs it: the plan is saved to disk whenever it is read (rewritten only
    # when it changed)
    state = Path(tempfile.mkdtemp(prefix="bench-plan-"))
    try:
        populate(db, ports, stations)
        collector = Collector(db, icecast_factory(timeout=10), timeout=10,
                              plan_cache=PlanCache(state))
        t0 = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)

        def once(n: int) -> float:
            start = time.perf_counter()
            report = asyncio.run(collector.collect_once(at=t0 + dt.timedelta(minutes=5 * n)))
            seconds = time.perf_counter() - start
            stored = sum(s.stored for s in report.servers)
            assert report.failures == 0 and stored == stations, [s.summary()
                                                                 for s in report.servers]
            return seconds

        rss_before = rss_mb()
        once(0)  # warm-up: imports, connection pool, statement caches
        times = [once(n) for n in range(1, rounds + 1)]
        gc.collect()
        tracemalloc.start()
        once(rounds + 1)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        median = statistics.median(times)
        rss = rss_mb()
        ok_t = "OK" if median < TARGET_SECONDS else "MISSED"
        ok_m = "OK" if rss < TARGET_RSS_MB else "MISSED"
        print(f"{label:<8} {stations * len(BITRATES)} mounts / {stations} stations / "
              f"{len(ports)} servers")
        print(f"  collect_once   median {median * 1000:7.1f} ms  best {min(times) * 1000:7.1f} ms"
              f"  worst {max(times) * 1000:7.1f} ms   target < {TARGET_SECONDS * 1000:.0f} ms"
              f"  {ok_t}")
        print(f"  peak RSS       {rss:7.1f} MB (process, before the rounds {rss_before:.1f} MB)"
              f"   target < {TARGET_RSS_MB:.0f} MB  {ok_m}")
        print(f"  one round      tracemalloc peak {peak / 1024**2:6.1f} MB")
        if profile:
            profiler = cProfile.Profile()
            profiler.enable()
            once(rounds + 2)
            profiler.disable()
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
            print(out.getvalue())
    finally:
        db.dispose()
        shutil.rmtree(state, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--servers", type=int, default=4)
    parser.add_argument("--stations", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="cProfile one more round")
    parser.add_argument("--backend", choices=("sqlite", "mariadb", "both"), default="both",
                        help="peak RSS is per process: run one backend for its own figure")
    args = parser.parse_args()
    per_server = args.stations // args.servers
    stations = per_server * args.servers
    documents = [status_document(n * per_server, per_server) for n in range(args.servers)]
    print(f"status-json per server: {len(documents[0]) / 1024:.0f} KiB, "
          f"{per_server * len(BITRATES)} mounts")
    with icecasts(documents) as ports:
        if args.backend != "mariadb":
            with tempfile.TemporaryDirectory() as tmp:
                    run("SQLite", f"sqlite:///{tmp}/bench.db", ports, stations, args.rounds,
                    args.profile)
        admin = os.environ.get("STATION_TEST_MARIADB_URL")
        if args.backend == "sqlite":
            pass
        elif admin:
            with bench_database(admin) as url:
                run("MariaDB", url, ports, stations, args.rounds, args.profile)
        else:
            print("MariaDB: skipped (set STATION_TEST_MARIADB_URL to include it)")


if __name__ == "__main__":
    main()
