"""Fleet and stations services: every operation, its refusals, on SQLite and MariaDB."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from helpers.factories import make_station
from sqlalchemy import select

from station_desktop.db.engine import Database
from station_desktop.db.models import StreamConfig, StreamServer
from station_desktop.errors import (
    Conflict,
    DuplicateMountpoint,
    NotFound,
    ServerInUse,
    ServerOverCapacity,
    StationError,
    ValidationError,
)
from station_desktop.services.fleet import FleetService, ServerFields
from station_desktop.services.stations import StationFields, StationService
from station_desktop.services.stats import Sample, StatsService


@pytest.fixture
def fleet(db: Database) -> FleetService:
    return FleetService(db)


@pytest.fixture
def stations(db: Database) -> StationService:
    return StationService(db)


def test_server_crud_round_trip(fleet: FleetService) -> None:
    created = fleet.create_server(
        ServerFields("VPS Madrid", "stream1.example.net", 8000, 5, "eu-south")
    )
    assert created.current_load == 0 and created.status == "online"
    assert fleet.get_server(created.id) == created
    updated = fleet.update_server(
        created.id, dataclasses.replace(created.fields, name="VPS Madrid 2", capacity=8),
        created.version,
    )
    assert (updated.name, updated.capacity) == ("VPS Madrid 2", 8)
    assert updated.version != created.version
    assert [s.name for s in fleet.list_servers()] == ["VPS Madrid 2"]
    fleet.delete_server(created.id, updated.version)
    assert fleet.list_servers() == []
    with pytest.raises(NotFound, match="does not exist"):
        fleet.get_server(created.id)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        (ServerFields("", "h"), "name"),
        (ServerFields("a", "not a host"), "host"),
        (ServerFields("a", "http://h/x"), "host"),
        (ServerFields("a", "h", port=0), "port"),
        (ServerFields("a", "h", capacity=0), "capacity"),
        (ServerFields("a", "h", status="burning"), "status"),
        (ServerFields("a\nb", "h"), "name"),
        (ServerFields("x" * 192, "h"), "name"),
    ],
)
def test_server_validation_names_the_field(
    fleet: FleetService, fields: ServerFields, field: str
) -> None:
    with pytest.raises(ValidationError) as info:
        fleet.create_server(fields)
    assert info.value.field == field
    assert fleet.list_servers() == []


def test_second_operator_save_is_refused_not_overwritten(db: Database, other_db: Database) -> None:
    mine, theirs = FleetService(db), FleetService(other_db)
    server = mine.create_server(ServerFields("Shared", "10.0.0.1"))
    loaded_by_me = mine.get_server(server.id)
    loaded_by_them = theirs.get_server(server.id)
    theirs.update_server(server.id, dataclasses.replace(loaded_by_them.fields, region="them"),
                         loaded_by_them.version)
    with pytest.raises(Conflict, match="changed by someone else"):
        mine.update_server(server.id, dataclasses.replace(loaded_by_me.fields, region="me"),
                           loaded_by_me.version)
    assert mine.get_server(server.id).region == "them"


def test_assign_creates_the_initial_configuration(
    db: Database, fleet: FleetService, stations: StationService
) -> None:
    server = fleet.create_server(ServerFields("S1", "s1.example.net", capacity=3))
    station = stations.create_station(StationFields("Radio Niño \"Quote\"", "Europe/Madrid"))
    config = stations.assign_server(station.id, server.id)
    assert config.mountpoint == "/radio-nino-quote"
    assert config.settings.bitrates == (128,)
    assert config.settings.playback_mode == "random"
    assert (config.harbor_port, config.telnet_port) == (8010, 1234)
    credentials = stations.get_live_credentials(station.id)
    # secrets.token_urlsafe(24): 32 characters of a 64-symbol alphabet = 192 bits
    assert len(credentials.password) >= 32 and credentials.host == "s1.example.net"
    assert credentials.port == 8010 and credentials.mount == "/live"
    assert fleet.get_server(server.id).current_load == 1
    with db.read() as s:
        assert s.get(StreamServer, server.id).currentLoad == 1  # type: ignore[union-attr]
    listed = stations.list_stations()
    assert [(st.name, st.server_name, st.mountpoint) for st in listed] == [
        ("Radio Niño \"Quote\"", "S1", "/radio-nino-quote")
    ]
    # same name again: the mountpoint stays unique
    twin = stations.create_station(StationFields("Radio Niño Quote"))
    assert stations.assign_server(twin.id, server.id).mountpoint == "/radio-nino-quote-2"
    assert stations.get_config(twin.id).harbor_port == 8011


def test_over_capacity_server_is_refused(fleet: FleetService, stations: StationService) -> None:
    server = fleet.create_server(ServerFields("Tiny", "tiny.example.net", capacity=1))
    first = stations.create_station(StationFields("One"))
    second = stations.create_station(StationFields("Two"))
    stations.assign_server(first.id, server.id)
    with pytest.raises(ServerOverCapacity, match="Tiny"):
        stations.assign_server(second.id, server.id)
    assert stations.get_station(second.id).server_id is None
    assert fleet.get_server(server.id).current_load == 1


def test_move_station_between_servers_keeps_settings(
    fleet: FleetService, stations: StationService
) -> None:
    a = fleet.create_server(ServerFields("A", "a.example.net"))
    b = fleet.create_server(ServerFields("B", "b.example.net"))
    station = stations.create_station(StationFields("Mover"))
    config = stations.assign_server(station.id, a.id)
    stations.update_config(station.id, dataclasses.replace(config.settings, bitrates=(64, 320)),
                           config.version)
    moved = stations.assign_server(station.id, b.id)
    assert moved.server_id == b.id and moved.settings.bitrates == (64, 320)
    assert fleet.get_server(a.id).current_load == 0
    assert fleet.get_server(b.id).current_load == 1
    assert stations.assign_server(station.id, b.id) == moved  # idempotent


def test_deleting_a_server_with_stations_is_refused(
    fleet: FleetService, stations: StationService
) -> None:
    server = fleet.create_server(ServerFields("Busy", "busy.example.net"))
    station = stations.create_station(StationFields("Onair"))
    stations.assign_server(station.id, server.id)
    with pytest.raises(ServerInUse, match="Onair"):
        fleet.delete_server(server.id)
    assert fleet.get_server(server.id).name == "Busy"


def test_capacity_cannot_drop_below_assigned_stations(
    fleet: FleetService, stations: StationService
) -> None:
    server = fleet.create_server(ServerFields("Two", "two.example.net", capacity=2))
    for name in ("x", "y"):
        stations.assign_server(stations.create_station(StationFields(name)).id, server.id)
    with pytest.raises(ValidationError, match="below the 2 stations"):
        fleet.update_server(server.id, dataclasses.replace(server.fields, capacity=1), None)


def test_update_config_validates_and_refuses_duplicate_mountpoint(
    db: Database, fleet: FleetService, stations: StationService
) -> None:
    server = fleet.create_server(ServerFields("S", "s.example.net"))
    one = stations.create_station(StationFields("One"))
    two = stations.create_station(StationFields("Two"))
    stations.assign_server(one.id, server.id)
    config = stations.assign_server(two.id, server.id)
    with pytest.raises(DuplicateMountpoint):
        stations.update_config(two.id, dataclasses.replace(config.settings, mountpoint="/one"),
                               config.version)
    for bad, field in [
        (dataclasses.replace(config.settings, mountpoint="no-slash"), "mountpoint"),
        (dataclasses.replace(config.settings, mountpoint="/live"), "mountpoint"),
        (dataclasses.replace(config.settings, bitrates=(127,)), "bitrates"),
        (dataclasses.replace(config.settings, bitrates=()), "bitrates"),
        (dataclasses.replace(config.settings, crossfade_duration=31.0), "crossfade_duration"),
        (dataclasses.replace(config.settings, crossfade_duration=float("nan")),
         "crossfade_duration"),
        (dataclasses.replace(config.settings, playback_mode="shuffle"), "playback_mode"),
        (dataclasses.replace(config.settings, jingles_frequency=0), "jingles_frequency"),
        (dataclasses.replace(config.settings, normalization_level=3.0), "normalization_level"),
    ]:
        with pytest.raises(ValidationError) as info:
            stations.update_config(two.id, bad, config.version)
        assert info.value.field == field
    new = dataclasses.replace(config.settings, mountpoint="/two-hifi", bitrates=(320, 64, 128),
                              crossfade_duration=5.5, jingles_enabled=True)
    saved = stations.update_config(two.id, new, config.version)
    assert saved.settings.bitrates == (64, 128, 320)
    assert stations.get_config(two.id) == saved
    with db.read() as s:  # stored the way the platform stores it: a JSON list of strings
        row = s.scalars(select(StreamConfig).where(StreamConfig.clientId == two.id)).one()
        assert json.loads(row.bitrates) == ["64", "128", "320"]


def test_stale_config_edit_is_a_conflict(
    db: Database, other_db: Database, fleet: FleetService
) -> None:
    mine, theirs = StationService(db), StationService(other_db)
    server = fleet.create_server(ServerFields("S", "s.example.net"))
    station = mine.create_station(StationFields("Shared"))
    original = mine.assign_server(station.id, server.id)
    theirs.update_config(station.id, dataclasses.replace(original.settings, max_listeners=7),
                         original.version)
    with pytest.raises(Conflict):
        mine.update_config(station.id, dataclasses.replace(original.settings, max_listeners=9),
                           original.version)
    assert mine.get_config(station.id).settings.max_listeners == 7


def test_regenerate_live_password(fleet: FleetService, stations: StationService) -> None:
    server = fleet.create_server(ServerFields("S", "s.example.net"))
    station = stations.create_station(StationFields("Live"))
    stations.assign_server(station.id, server.id)
    old = stations.get_live_credentials(station.id).password
    new = stations.regenerate_live_password(station.id).password
    assert new != old and len(new) >= 32
    assert stations.check_live_password(station.id, new)
    assert not stations.check_live_password(station.id, old)


def test_station_without_configuration_says_what_to_do(stations: StationService) -> None:
    station = stations.create_station(StationFields("Unassigned"))
    with pytest.raises(StationError, match="assign it to a server"):
        stations.get_config(station.id)
    with pytest.raises(NotFound):
        stations.get_config("no-such-station")


def test_station_validation(stations: StationService) -> None:
    with pytest.raises(ValidationError) as info:
        stations.create_station(StationFields("Bad zone", timezone="Mars/Olympus"))
    assert info.value.field == "timezone"
    created = stations.create_station(StationFields("  Trimmed  ", "America/Mexico_City", 10))
    assert (created.name, created.storage_quota) == ("Trimmed", 10)
    updated = stations.update_station(
        created.id, StationFields("Renamed", "UTC", 20), created.version
    )
    assert updated.name == "Renamed"
    with pytest.raises(Conflict):
        stations.update_station(created.id, StationFields("Again", "UTC", 20), created.version)


def test_server_access_fields_and_liquidsoap_version(fleet: FleetService) -> None:
    server = fleet.create_server(ServerFields(
        "Tunnelled", "vps.example.net", ssh_user="radio", ssh_port=2222,
        icecast_admin_user="icemaster"))
    assert (server.ssh_user, server.ssh_port, server.icecast_admin_user) == (
        "radio", 2222, "icemaster")
    assert server.liquidsoap_version is None
    updated = fleet.set_liquidsoap_version(server.id, "2.1.3")
    assert fleet.get_server(server.id).liquidsoap_version == "2.1.3"
    assert updated.version != server.version  # a version change is an edit others notice
    for bad, field in [
        (ServerFields("a", "h", ssh_user="two words"), "ssh_user"),
        (ServerFields("a", "h", ssh_port=70000), "ssh_port"),
        (ServerFields("a", "h", icecast_admin_user="a:b"), "icecast_admin_user"),
    ]:
        with pytest.raises(ValidationError) as info:
            fleet.create_server(bad)
        assert info.value.field == field
    with pytest.raises(ValidationError, match="not a Liquidsoap version"):
        fleet.set_liquidsoap_version(server.id, "Liquidsoap 2.1.3")
    with pytest.raises(ValidationError, match="single line"):
        fleet.set_liquidsoap_version(server.id, "2.1.3\nEND")
    assert fleet.get_server(server.id).liquidsoap_version == "2.1.3"


def test_listeners_now_sums_each_stations_latest_recent_sample(db: Database) -> None:
    stats = StatsService(db)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    fresh = make_station(db)
    stale = make_station(db)
    stats.record_sample(fresh.id, Sample(timestamp=now - dt.timedelta(minutes=5),
                                         listeners=40, peak_listeners=40))
    stats.record_sample(fresh.id, Sample(timestamp=now, listeners=12, peak_listeners=12))
    # A station whose stationd stopped an hour ago has nobody listening "now".
    stats.record_sample(stale.id, Sample(timestamp=now - dt.timedelta(hours=1),
                                         listeners=99, peak_listeners=99))
    counts = FleetService(db).listeners_now()
    assert counts == {fresh.server_id: 12}
