"""From the database to what Liquidsoap and Icecast read (on SQLite and MariaDB)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from helpers.factories import make_station, make_track

from station_desktop.control.render.programme import PasswordHash, verify_password
from station_desktop.db.engine import Database
from station_desktop.errors import StationError
from station_desktop.services.broadcast import BroadcastService, ServerLayout
from station_desktop.services.fleet import FleetService
from station_desktop.services.playlists import PlaylistFields, PlaylistService
from station_desktop.services.schedule import BlockFields, ScheduleService
from station_desktop.services.stations import StationFields, StationService


@pytest.fixture
def broadcast(db: Database) -> BroadcastService:
    return BroadcastService(db)


def _station_with_music(db: Database) -> tuple[str, dict[str, str]]:
    station = make_station(db, "Radio \"Ñ\" #1", timezone="Europe/Madrid")
    playlists = PlaylistService(db)
    main = playlists.create_playlist(station.id, PlaylistFields("Main", "rotation", None, True))
    night = playlists.create_playlist(station.id, PlaylistFields("Night", "rotation", None, False))
    ready = make_track(db, station.id, "Sí \"señor\"", artist="Ana & Co <live>",
                       storage_path=f"/audio/{station.id}/a.mp3")
    processing = make_track(db, station.id, "Still importing", status="processing")
    make_track(db, station.id, "Unused")
    playlists.add_items(main.id, [ready.id, processing.id])
    playlists.add_items(night.id, [ready.id])
    schedule = ScheduleService(db)
    schedule.create_block(station.id, BlockFields(night.id, 5, "22:00", "02:00"))
    off = schedule.create_block(station.id, BlockFields(night.id, 1, "10:00", "11:00"))
    schedule.set_active(off.id, False)
    return station.id, {"main": main.id, "night": night.id, "ready": ready.id}


def test_programme_holds_ready_tracks_active_blocks_and_a_hashed_password(
    db: Database, broadcast: BroadcastService
) -> None:
    station_id, ids = _station_with_music(db)
    programme = broadcast.programme(station_id).document
    assert programme["station"] == {"id": station_id, "name": "Radio \"Ñ\" #1",
                                    "timezone": "Europe/Madrid"}
    assert programme["main_playlist_id"] == ids["main"]
    main_tracks = programme["playlists"][ids["main"]]["tracks"]
    assert [t["audio_id"] for t in main_tracks] == [ids["ready"]]  # not the processing one
    assert main_tracks[0]["title"] == "Sí \"señor\""
    assert [(b["day_of_week"], b["start"], b["end"]) for b in programme["schedule"]] == [
        (5, "22:00", "02:00")]  # the inactive block is not exported
    (account,) = programme["live"]["accounts"]
    password = StationService(db).get_live_credentials(station_id).password
    assert password not in json.dumps(programme)  # never the plaintext
    stored = PasswordHash(**{k: account[k] for k in ("salt", "hash", "n", "r", "p", "kdf")})
    assert verify_password(password, stored) and not verify_password("wrong", stored)
    m3u = broadcast.programme(station_id).m3u.splitlines()
    assert m3u[0] == "#EXTM3U" and len(m3u) == 2 and m3u[1].endswith(":/audio/" + station_id
                                                                      + "/a.mp3")


def test_export_rewrites_only_on_change_and_edits_reach_the_file(
    db: Database, broadcast: BroadcastService, tmp_path: Path
) -> None:
    station_id, ids = _station_with_music(db)
    layout = ServerLayout(stations_dir=tmp_path)
    assert broadcast.export_programme(station_id, layout) is True
    assert broadcast.export_programme(station_id, layout) is False  # same hash, same file
    extra = make_track(db, station_id, "New hit", storage_path="/audio/x/new.mp3")
    PlaylistService(db).add_items(ids["main"], [extra.id], position=0)
    assert broadcast.export_programme(station_id, layout) is True
    written = json.loads((tmp_path / station_id / "programme.json").read_text())
    assert [t["title"] for t in written["playlists"][ids["main"]]["tracks"]] == [
        "New hit", "Sí \"señor\""]
    assert "/audio/x/new.mp3" in (tmp_path / station_id / "main.m3u").read_text()
    StationService(db).regenerate_live_password(station_id)  # a new password: a new hash
    assert broadcast.export_programme(station_id, layout) is True


def test_script_follows_the_servers_liquidsoap_release(
    db: Database, broadcast: BroadcastService, tmp_path: Path
) -> None:
    station_id, _ = _station_with_music(db)
    layout = ServerLayout(stations_dir=tmp_path)
    config = StationService(db).get_config(station_id)
    script_21 = broadcast.station_script(station_id, layout, source_password="src\"pw")
    assert f"settings.server.telnet.port.set({config.telnet_port})" in script_21
    assert f"port={config.harbor_port}," in script_21  # the station's own harbor port
    assert "src\\\"pw" in script_21  # the password is escaped into a string literal
    FleetService(db).set_liquidsoap_version(config.server_id, "2.2.5")
    script_22 = broadcast.station_script(station_id, layout, source_password="x")
    assert f"settings.server.telnet.port := {config.telnet_port}" in script_22
    assert ".set(" not in script_22


def test_icecast_config_lists_every_station_mount(
    db: Database, broadcast: BroadcastService
) -> None:
    station_id, _ = _station_with_music(db)
    config = StationService(db).get_config(station_id)
    xml = broadcast.icecast_config(config.server_id, source_password="s<&>",
                                   admin_password="a\"b")
    root = ET.fromstring(xml.encode())
    mounts = {m.findtext("mount-name") for m in root.iter("mount")}
    assert f"{config.mountpoint}-128" in mounts
    assert root.findtext("authentication/source-password") == "s<&>"


def test_unassigned_station_is_a_clear_error(db: Database, broadcast: BroadcastService) -> None:
    station = StationService(db).create_station(StationFields("Nowhere"))
    with pytest.raises(StationError, match="assign it to a server"):
        broadcast.programme(station.id)
