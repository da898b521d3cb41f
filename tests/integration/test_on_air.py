"""A station driven from the DATABASE, on the real Icecast 2.4.4 + Liquidsoap 2.1.3.

Everything the programs run on comes out of the services: the server, station, tracks
(tagged MP3s made by ffmpeg), main playlist and live password live in a SQLite file
database; icecast.xml is ``BroadcastService.icecast_config``, the programme is
``BroadcastService.export_programme`` and the Liquidsoap script is
``BroadcastService.station_script``. What is on air is then read and driven through
``StreamControlService`` (status, now playing, skip) and recorded with ``EventReader`` +
``LiveSessionRecorder``. The proofs, in order (one stack for the module):

1. every bitrate mount is up and real listeners are counted per bitrate;
2. skip changes the track, and now playing has the title/artist of the tracks (accents and
   a hostile title intact as text);
3. a live DJ with the station's password takes over (status says live), the session is
   recorded from the events file, a wrong password is refused (401); when the DJ leaves,
   AutoDJ resumes and the session's end is recorded;
4. a playlist edited in the database and exported reaches the air after a skip, with no
   Liquidsoap restart;
5. a regenerated live password, exported, locks the old one out and lets the new one in,
   with no restart.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from helpers.onair import (
    IcecastProcess,
    ffmpeg_source_argv,
    listening,
    localize_icecast_xml,
    prepare_webroot,
    run_all,
    start_icecast,
    tagged_mp3_argv,
    wait_for,
)
from helpers.stack import ManagedProcess, StackError, free_port, is_root, tail, wait_until
from sqlalchemy import update

from station_desktop.control.render.programme import EVENTS_FILE
from station_desktop.daemon.events import EventReader, LiveSessionRecorder, StationEvent
from station_desktop.db import migrate
from station_desktop.db.engine import Database
from station_desktop.db.models import StreamConfig
from station_desktop.services.broadcast import BroadcastService, ServerLayout
from station_desktop.services.fleet import FleetService, ServerFields
from station_desktop.services.library import LibraryService, NewTrack, TrackRecord
from station_desktop.services.playlists import PlaylistFields, PlaylistService
from station_desktop.services.stations import StationFields, StationService
from station_desktop.services.stats import LiveSessionRecord, StatsService
from station_desktop.services.stream_control import (
    OnAirNowPlaying,
    StreamControlService,
    StreamStatus,
)

pytestmark = [pytest.mark.integration, pytest.mark.asyncio]

REPO = Path(__file__).resolve().parents[2]
PICKER = REPO / "liquidsoap" / "picker.py"
SOURCE_PASSWORD = "src-on-air"
ADMIN_PASSWORD = "adm-on-air"
MOUNTPOINT = "/onair"
TRACK_SECONDS = 10
HOSTILE = 'Quote "x" & <y> #{1+1}'
# (title, artist, frequency); the first three make the main playlist, the last replaces them
TRACKS = (
    ("Canción del Ñandú", "Artista Ñ", 440),
    ("Été à Noël", "Zoë & Co", 550),
    (HOSTILE, "Hostile <Artist>", 660),
    ("Replacement ✓ Track", "New Artist", 770),
)
DJ_NAME = "DJ Ñ <Test>"
LIVE_TITLE, LIVE_ARTIST = "Live Set «Ñ»", "DJ Ñ"


def on_air_title(title: str) -> str:
    """A title as Liquidsoap 2.1.3 shows it: its annotate parser cannot carry ``#{`` in any
    escaped form, so the picker sends ``# {`` (liquidsoap/README.md, Escaping)."""
    return title.replace("#{", "# {")


MUSIC = {on_air_title(title): artist for title, artist, _ in TRACKS}


@dataclass
class OnAir:
    directory: Path
    db: Database
    station_id: str
    server_id: str
    main_playlist_id: str
    layout: ServerLayout
    harbor_port: int
    tracks: dict[str, TrackRecord]  # by title
    icecast: IcecastProcess | None = None
    liquidsoap: ManagedProcess | None = None
    extra: list[ManagedProcess] = field(default_factory=list)

    @property
    def events_path(self) -> Path:
        return self.layout.station_dir(self.station_id) / EVENTS_FILE

    @property
    def liquidsoap_log(self) -> Path:
        return self.layout.log_dir / f"{self.station_id}.log"

    def harbor_url(self, password: str) -> str:
        return f"icecast://source:{password}@127.0.0.1:{self.harbor_port}/live"

    def listen_url(self, mount: str) -> str:
        assert self.icecast is not None
        return f"{self.icecast.url}{mount}"

    def logs(self) -> str:
        parts = [self.icecast.logs() if self.icecast else "(no Icecast)"]
        if self.liquidsoap is not None:
            parts.append(self.liquidsoap.describe())
        parts.append(f"--- {self.liquidsoap_log}:\n{tail(self.liquidsoap_log, 60)}")
        parts.append(f"--- events:\n{tail(self.events_path, 15)}")
        parts.extend(proc.describe() for proc in self.extra)
        return "\n".join(parts)


def _make_station(directory: Path) -> OnAir:
    url = f"sqlite:///{directory / 'station.db'}"
    migrate.upgrade(url)
    db = Database(url)
    fleet, stations = FleetService(db), StationService(db)
    server = fleet.create_server(ServerFields("Local VPS", "127.0.0.1", free_port(), capacity=2))
    station = stations.create_station(StationFields('Radio Ñandú "On Air"', "Europe/Madrid"))
    config = stations.assign_server(station.id, server.id)
    harbor_port, telnet_port = free_port(), free_port()
    while telnet_port in (harbor_port, server.port):
        telnet_port = free_port()
    # assign_server picks ports from fixed bases; parallel runs need free ones
    with db.transaction() as s:
        s.execute(update(StreamConfig).where(StreamConfig.clientId == station.id)
                  .values(harborPort=harbor_port, telnetPort=telnet_port))
    config = stations.get_config(station.id)
    stations.update_config(station.id, replace(
        config.settings, mountpoint=MOUNTPOINT, bitrates=(64, 128), crossfade_duration=0,
        normalize_audio=False, playback_mode="sequential", autodj_enabled=True,
        live_input_enabled=True), config.version)

    audio = directory / "audio" / station.id
    audio.mkdir(parents=True)
    paths = [audio / f"{n:02d} track.mp3" for n in range(len(TRACKS))]
    run_all([tagged_mp3_argv(path, frequency, TRACK_SECONDS, title, artist)
             for path, (title, artist, frequency) in zip(paths, TRACKS, strict=True)])
    library = LibraryService(db)
    tracks = {
        title: library.add_track(station.id, NewTrack(
            filename=path.name, storage_path=str(path), file_size=path.stat().st_size,
            duration=float(TRACK_SECONDS), format="mp3", bitrate=128, sample_rate=44100,
            channels=2, title=title, artist=artist, status="ready"))
        for path, (title, artist, _) in zip(paths, TRACKS, strict=True)
    }
    playlists = PlaylistService(db)
    main = playlists.create_playlist(station.id, PlaylistFields("Main", "rotation", None, True))
    playlists.add_items(main.id, [tracks[title].id for title, _, _ in TRACKS[:3]])
    layout = ServerLayout(
        stations_dir=directory / "stations", picker_path=PICKER, python=Path(sys.executable),
        log_dir=directory / "logs", allow_root=is_root(), harbor_bind_address="127.0.0.1",
        icecast_host="127.0.0.1")
    layout.log_dir.mkdir()
    return OnAir(directory, db, station.id, server.id, main.id, layout, harbor_port, tracks)


def _start(on_air: OnAir) -> None:
    broadcast = BroadcastService(on_air.db)
    server = FleetService(on_air.db).get_server(on_air.server_id)
    icecast_dir = on_air.directory / "icecast"
    logdir, webroot = icecast_dir / "log", icecast_dir / "web"
    logdir.mkdir(parents=True)
    xml = broadcast.icecast_config(on_air.server_id, source_password=SOURCE_PASSWORD,
                                   admin_password=ADMIN_PASSWORD, bind_address="127.0.0.1")
    prepare_webroot(webroot, xml)
    config = icecast_dir / "icecast.xml"
    config.write_text(localize_icecast_xml(xml, logdir=logdir, webroot=webroot), "utf-8")
    on_air.icecast = start_icecast(config, server.port, logdir, icecast_dir / "stdout.log")

    # the programme first: the script's fallback playlist watches main.m3u from the start
    assert broadcast.export_programme(on_air.station_id, on_air.layout)
    script = on_air.layout.station_dir(on_air.station_id) / "station.liq"
    script.write_text(broadcast.station_script(on_air.station_id, on_air.layout,
                                               source_password=SOURCE_PASSWORD), "utf-8")
    on_air.liquidsoap = ManagedProcess.spawn(
        "liquidsoap", ["liquidsoap", str(script)], on_air.directory / "liquidsoap.stdout")
    icecast, liquidsoap = on_air.icecast, on_air.liquidsoap
    wait_until("both mounts on air with a title",
               lambda: not liquidsoap.running() or all(
                   "title" in icecast.mounts().get(f"{MOUNTPOINT}-{kbps}", {})
                   for kbps in (64, 128)),
               40, logs=on_air.logs)
    if not liquidsoap.running():
        raise StackError(f"Liquidsoap exited during start-up\n{on_air.logs()}")


@pytest.fixture(scope="module")
def on_air() -> Iterator[OnAir]:
    missing = [t for t in ("liquidsoap", "icecast2", "ffmpeg") if shutil.which(t) is None]
    if missing:
        message = f"{', '.join(missing)} not installed"
        if os.environ.get("STATION_TEST_REQUIRE_STACK") == "1":
            pytest.fail(message)
        pytest.skip(message)
    # under /tmp, reachable by icecast2 (Icecast drops to it before opening its logs)
    directory = Path(tempfile.mkdtemp(prefix="station-onair-"))
    directory.chmod(0o755)
    station = _make_station(directory)
    try:
        _start(station)
        yield station
    finally:
        for proc in [*reversed(station.extra), station.liquidsoap]:
            if proc is not None:
                proc.stop()
        if station.icecast is not None:
            station.icecast.process.stop()
        station.db.dispose()
        if not os.environ.get("STATION_TEST_KEEP_STACK"):
            shutil.rmtree(directory, ignore_errors=True)


@pytest_asyncio.fixture
async def control(on_air: OnAir) -> AsyncIterator[StreamControlService]:
    service = StreamControlService(on_air.db, part_timeout=3.0)  # default connector
    try:
        yield service
    finally:
        await service.aclose()


# -- helpers -----------------------------------------------------------------------------


def _is_music(playing: OnAirNowPlaying) -> bool:
    return not playing.live and playing.title in MUSIC


async def _skip(control: StreamControlService, on_air: OnAir,
                current: OnAirNowPlaying) -> OnAirNowPlaying:
    """Skip, and return the next music track once it is on air (a new request id: the
    same title may come again, e.g. the first AutoDJ track after the start-up track)."""
    await control.skip(on_air.station_id)
    return await wait_for(
        f"the track after {current.title!r} (request {current.request_id})",
        lambda: control.now_playing(on_air.station_id),
        lambda p: _is_music(p) and p.request_id != current.request_id, 8, on_air.logs)


async def _skip_until(control: StreamControlService, on_air: OnAir, title: str,
                      max_skips: int) -> tuple[OnAirNowPlaying, int]:
    """Skip until ``title`` is on air; returns it and the number of skips it took."""
    playing = await wait_for("a music track on air",
                             lambda: control.now_playing(on_air.station_id), _is_music, 15,
                             on_air.logs)
    skips = 0
    while playing.title != title:
        assert skips < max_skips, f"{title!r} not on air after {skips} skips\n{on_air.logs()}"
        playing = await _skip(control, on_air, playing)
        skips += 1
    return playing, skips


def _harbor_login(on_air: OnAir, password: str) -> subprocess.CompletedProcess[bytes]:
    """A 2-second DJ connection attempt (ffmpeg exits at once when refused)."""
    return subprocess.run(ffmpeg_source_argv(on_air.harbor_url(password), seconds=2),
                          capture_output=True, timeout=30, check=False)


def _start_dj(on_air: OnAir, password: str, name: str) -> ManagedProcess:
    argv = ffmpeg_source_argv(on_air.harbor_url(password), ice_name=DJ_NAME,
                              title=LIVE_TITLE, artist=LIVE_ARTIST)
    proc = ManagedProcess.spawn(name, argv,
                                on_air.directory / f"{name}.log")
    on_air.extra.append(proc)
    return proc


def _stop_dj(on_air: OnAir, proc: ManagedProcess) -> None:
    proc.stop()
    on_air.extra.remove(proc)


async def _send_live_metadata(on_air: OnAir, password: str) -> None:
    async with httpx.AsyncClient(timeout=5) as http:
        answer = await http.get(
            f"http://127.0.0.1:{on_air.harbor_port}/admin/metadata",
            params={"mode": "updinfo", "mount": "/live", "song": f"{LIVE_ARTIST} - {LIVE_TITLE}"},
            auth=("source", password))
    assert answer.status_code == 200, answer.text


async def _status(control: StreamControlService, on_air: OnAir) -> StreamStatus:
    return await control.status(on_air.station_id)


# -- the proofs --------------------------------------------------------------------------


async def test_1_every_mount_up_and_listeners_counted_per_bitrate(
    on_air: OnAir, control: StreamControlService
) -> None:
    status = await _status(control, on_air)
    assert status.errors == {}, f"{status.errors}\n{on_air.logs()}"
    assert status.desired == "active" and status.liquidsoap_version == "Liquidsoap 2.1.3"
    assert status.online is True
    assert status.mounts_online == (f"{MOUNTPOINT}-64", f"{MOUNTPOINT}-128")
    assert status.live_input_enabled and status.live_connected is False

    # one listener per bitrate mount, one on the plain mountpoint (an alias of 128k)
    async with listening(on_air.listen_url(f"{MOUNTPOINT}-64")) as low, \
            listening(on_air.listen_url(f"{MOUNTPOINT}-128")) as high, \
            listening(on_air.listen_url(MOUNTPOINT)) as alias:
        status = await wait_for(
            "the listeners counted per bitrate", lambda: _status(control, on_air),
            lambda s: dict(s.listeners_by_bitrate) == {64: 1, 128: 2}, 15, on_air.logs)
        assert dict(status.listeners_by_mount) == {f"{MOUNTPOINT}-64": 1,
                                                   f"{MOUNTPOINT}-128": 2}
        assert status.listeners == 3 and status.errors == {}
        await wait_for("audio bytes for every listener", _noop,
                       lambda _: min(low[0], high[0], alias[0]) > 8192, 10, on_air.logs)
    await wait_for("the listeners gone", lambda: _status(control, on_air),
                   lambda s: s.listeners == 0, 15, on_air.logs)

    server = await control.refresh_liquidsoap_version(on_air.station_id)
    assert server.liquidsoap_version == "2.1.3"
    assert FleetService(on_air.db).get_server(on_air.server_id).liquidsoap_version == "2.1.3"


async def _noop() -> None:
    return None


async def test_2_skip_changes_the_track_and_now_playing_has_the_tags(
    on_air: OnAir, control: StreamControlService
) -> None:
    first = await wait_for("a music track on air",
                           lambda: control.now_playing(on_air.station_id), _is_music, 15,
                           on_air.logs)
    assert first.request_id is not None
    second = await _skip(control, on_air, first)
    assert second.artist == MUSIC[second.title or ""]
    assert second.source == "liquidsoap" and second.stream_status == "online"
    assert second.audio_id == on_air.tracks[
        next(t for t, _, _ in TRACKS if on_air_title(t) == second.title)].id

    hostile, _ = await _skip_until(control, on_air, on_air_title(HOSTILE), max_skips=4)
    assert hostile.title == 'Quote "x" & <y> # {1+1}'  # quotes, &, <> intact; no interpolation
    assert hostile.artist == "Hostile <Artist>"
    assert hostile.song == 'Hostile <Artist> - Quote "x" & <y> # {1+1}'
    assert on_air.icecast is not None
    icecast = on_air.icecast
    await wait_for("Icecast's title on every mount",
                   lambda: asyncio.to_thread(icecast.mounts),
                   lambda mounts: all(mounts[f"{MOUNTPOINT}-{kbps}"].get("title") == hostile.song
                                      for kbps in (64, 128)), 10, on_air.logs)
    # the accented tracks come round too
    accented, _ = await _skip_until(control, on_air, "Canción del Ñandú", max_skips=4)
    assert accented.artist == "Artista Ñ"


async def test_3_live_dj_takes_over_is_recorded_and_autodj_resumes(
    on_air: OnAir, control: StreamControlService
) -> None:
    station = on_air.station_id
    credentials = StationService(on_air.db).get_live_credentials(station)
    assert (credentials.port, credentials.username, credentials.mount) == (
        on_air.harbor_port, "source", "/live")
    assert credentials.enabled and len(credentials.password) >= 32

    refused = await asyncio.to_thread(_harbor_login, on_air, credentials.password + "x")
    assert refused.returncode != 0 and b"401" in refused.stderr, refused.stderr

    reader = EventReader(on_air.events_path, on_air.directory / "events.offset")
    stats = StatsService(on_air.db)
    recorder = LiveSessionRecorder(stats)
    applied: list[StationEvent] = []

    def apply_new() -> None:
        events = reader.read_new()
        for event in events:
            recorder.apply(event)
        reader.commit()
        applied.extend(events)

    def session() -> LiveSessionRecord | None:
        apply_new()
        sessions = stats.live_sessions(station, limit=1)
        return sessions[0] if sessions else None

    await asyncio.to_thread(apply_new)  # what happened before: tracks, no live session
    assert await asyncio.to_thread(stats.open_live_session, station) is None

    dj = _start_dj(on_air, credentials.password, "ffmpeg-dj")
    connected_at = time.monotonic()
    try:
        live = await wait_for("status says live", lambda: _status(control, on_air),
                              lambda s: s.live_connected is True, 15, on_air.logs)
        assert live.now_playing.live and live.live_address == "127.0.0.1"
        assert live.online is True and live.errors == {}
        opened = await wait_for("the live session recorded", lambda: asyncio.to_thread(session),
                                lambda s: s is not None and s.is_open, 10, on_air.logs)
        assert opened is not None and opened.dj_name
        connect = next(e for e in applied if e.kind == "live_connect")
        assert connect.text("ice_name") == DJ_NAME and connect.text("user") == "source"
        # AutoDJ really paused: once the harbor's buffer (2 s) is full the fallback switches
        # to live, and the DJ's metadata (sent to the harbor as BUTT does, again every 2 s
        # like an encoder would at each song) is what the output plays
        sent = [0.0]

        async def live_now_playing() -> OnAirNowPlaying:
            if time.monotonic() - sent[0] > 2:
                await _send_live_metadata(on_air, credentials.password)
                sent[0] = time.monotonic()
            return await control.now_playing(station)

        on = await wait_for("the live set on air", live_now_playing,
                            lambda p: p.live and p.title is not None, 15, on_air.logs)
        assert on.title == f"{LIVE_ARTIST} - {LIVE_TITLE}" and on.source == "liquidsoap"
        assert on.audio_id is None
        assert "Switch to live" in on_air.liquidsoap_log.read_text("utf-8", "replace")
        await asyncio.sleep(max(0.0, 1.5 - (time.monotonic() - connected_at)))
    finally:
        _stop_dj(on_air, dj)

    resumed = await wait_for("AutoDJ back on air", lambda: _status(control, on_air),
                             lambda s: s.live_connected is False and _is_music(s.now_playing),
                             20, on_air.logs)
    assert resumed.now_playing.title in MUSIC and resumed.errors == {}
    ended = await wait_for("the session's end recorded", lambda: asyncio.to_thread(session),
                           lambda s: s is not None and not s.is_open, 10, on_air.logs)
    assert ended is not None and ended.id == opened.id
    assert ended.end is not None and ended.end > ended.start
    assert ended.duration_seconds is not None and ended.duration_seconds >= 1
    assert ended.end - ended.start < dt.timedelta(minutes=1)
    assert sum(e.kind == "live_disconnect" for e in applied) == 1


async def test_4_playlist_edit_reaches_the_air_without_a_restart(
    on_air: OnAir, control: StreamControlService
) -> None:
    assert on_air.liquidsoap is not None
    pid = on_air.liquidsoap.pid
    before = await _status(control, on_air)
    assert before.liquidsoap_uptime is not None

    playlists = PlaylistService(on_air.db)
    main = playlists.get_playlist(on_air.main_playlist_id)
    replacement_title, replacement_artist, _ = TRACKS[3]
    playlists.remove_items(main.playlist.id, main.item_ids)
    playlists.add_items(main.playlist.id, [on_air.tracks[replacement_title].id])
    assert BroadcastService(on_air.db).export_programme(on_air.station_id, on_air.layout)

    # request.dynamic has already fetched the next track (prefetch=1) when the edit lands:
    # that one may still play first, so the new track is on air after one or two skips.
    playing, skips = await _skip_until(control, on_air, replacement_title, max_skips=2)
    assert playing.artist == replacement_artist and 1 <= skips <= 2
    assert playing.audio_id == on_air.tracks[replacement_title].id
    after = await _status(control, on_air)
    assert on_air.liquidsoap.running() and on_air.liquidsoap.pid == pid
    # the same process all along (uptime only counts whole seconds)
    assert after.liquidsoap_uptime is not None
    assert after.liquidsoap_uptime >= before.liquidsoap_uptime
    assert after.online is True


async def test_5_regenerated_live_password_without_a_restart(
    on_air: OnAir, control: StreamControlService
) -> None:
    assert on_air.liquidsoap is not None
    pid = on_air.liquidsoap.pid
    stations = StationService(on_air.db)
    old = stations.get_live_credentials(on_air.station_id).password
    new = stations.regenerate_live_password(on_air.station_id).password
    assert new != old
    assert BroadcastService(on_air.db).export_programme(on_air.station_id, on_air.layout)

    refused = await asyncio.to_thread(_harbor_login, on_air, old)
    assert refused.returncode != 0 and b"401" in refused.stderr, refused.stderr

    dj = _start_dj(on_air, new, "ffmpeg-dj-new")
    try:
        await wait_for("the new password lets the DJ in", lambda: _status(control, on_air),
                       lambda s: s.live_connected is True, 15, on_air.logs)
    finally:
        _stop_dj(on_air, dj)
    await wait_for("the DJ gone", lambda: _status(control, on_air),
                   lambda s: s.live_connected is False, 15, on_air.logs)
    assert on_air.liquidsoap.running() and on_air.liquidsoap.pid == pid
