"""The plan saved on disk: a round trip, what is ignored, and a Collector that starts
while the database is down (nothing listens on its port) sampling a scripted Icecast with
the plan an earlier stationd saved."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from unit.control.fake_peers import ScriptedHttpServer
from unit.test_collector_scripted_peer import (  # noqa: F401  (peers is a fixture)
    T0,
    dead_port,
    peers,
    scripted_peer,
    server_on,
    source,
    station_on,
    status,
)

from station_desktop.daemon.collector import Collector, RoundNotStored, icecast_factory
from station_desktop.daemon.plan import PLAN_FILE, PlanCache
from station_desktop.db.engine import Database
from station_desktop.errors import DatabaseUnavailable
from station_desktop.services.fleet import FleetService
from station_desktop.services.stations import StationService


def test_a_plan_survives_the_round_trip(db: Database, tmp_path: Path) -> None:
    first = server_on(db, 8000)
    second = server_on(db, 8001, name="Second")
    station_on(db, first.id, "/a", bitrates=(64, 320))
    station_on(db, first.id, "/b", status="inactive")
    station_on(db, second.id, "/c")
    fleet, stations = FleetService(db), StationService(db)
    plan = ([fleet.get_server(first.id), fleet.get_server(second.id)],
            {first.id: stations.list_configs(first.id),
             second.id: stations.list_configs(second.id)})
    cache = PlanCache(tmp_path)
    ids = [first.id, second.id]
    assert cache.save(ids, plan) is True
    assert cache.save(list(reversed(ids)), plan) is False  # unchanged: not rewritten
    assert cache.load(ids) == plan
    assert cache.load(list(reversed(ids))) == plan
    assert oct((tmp_path / PLAN_FILE).stat().st_mode & 0o777) == "0o640"
    assert [c.settings.bitrates for c in plan[1][first.id]] == [(64, 320), (64, 128)]
    text = (tmp_path / PLAN_FILE).read_text()
    assert "liveInputPassword" not in text and "password" not in text.lower()


def test_a_plan_for_other_servers_or_damaged_is_ignored(
    db: Database, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    server = server_on(db, 8000)
    station_on(db, server.id, "/x")
    plan = ([FleetService(db).get_server(server.id)],
            {server.id: StationService(db).list_configs(server.id)})
    cache = PlanCache(tmp_path)
    assert cache.load([server.id]) is None  # none yet, silently
    cache.save([server.id], plan)
    assert cache.load(["another-server"]) is None
    assert cache.load(None) is None
    path = tmp_path / PLAN_FILE
    document = json.loads(path.read_text())
    document["servers"][0]["name"] = "Renamed"
    document["servers"][0]["a_field_from_a_newer_version"] = 1
    path.write_text(json.dumps(document))
    loaded = cache.load([server.id])
    assert loaded is not None and loaded[0][0] == replace(plan[0][0], name="Renamed")
    for damage in ("{", json.dumps({**document, "version": 9}),
                   json.dumps({**document, "servers": [{"id": "only"}]}), "[]"):
        path.write_text(damage)
        assert cache.load([server.id]) is None
    assert caplog.text.count("ignoring the saved plan") == 6  # 2 for other servers


@pytest.mark.asyncio
async def test_a_collector_started_with_the_database_down_samples_with_the_saved_plan(
    db: Database, tmp_path: Path, peers: list[ScriptedHttpServer]  # noqa: F811
) -> None:
    peer = await scripted_peer(peers, status(source("/saved-128", 6, title="A - B")))
    server = server_on(db, peer.port)
    station = station_on(db, server.id, "/saved", bitrates=(128,))
    cache = PlanCache(tmp_path)
    # an earlier stationd read the plan (and saved it) while the database was up
    await Collector(db, icecast_factory(timeout=2), plan_cache=cache).fetch_plan([server.id])

    down = Database(f"mysql+pymysql://nobody@127.0.0.1:{dead_port()}/station")
    try:
        with pytest.raises(DatabaseUnavailable):  # no saved plan: nothing to go on
            await Collector(down, icecast_factory(timeout=2),
                            plan_cache=PlanCache(tmp_path / "empty")).collect_once([server.id])
        collector = Collector(down, icecast_factory(timeout=2), plan_cache=cache)
        with pytest.raises(RoundNotStored) as info:
            await collector.collect_once([server.id], at=T0)
    finally:
        down.dispose()
    report = info.value.report
    ((client, sample),) = report.unstored
    assert client == station and sample.timestamp == T0
    assert (sample.listeners, sample.current_song) == (6, "A - B")
    assert report.server(server.id).ok
