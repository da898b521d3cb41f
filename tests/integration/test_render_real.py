"""The renderers against the REAL Liquidsoap 2.1.3 and Icecast 2.4.4.

- every rendered script variant (options on/off, hostile names, paths and passwords)
  passes ``liquidsoap --check`` without a warning (the checks run in parallel);
- Liquidsoap itself evaluates our string literals and parses our annotate URIs back to
  exactly what we meant (``#{1+1}`` never interpolates, quotes/backslashes/non-ASCII
  survive, control characters become spaces, ``#{`` in annotate becomes ``# {``);
- Icecast starts with a rendered icecast.xml and serves /status-json.xsl;
- a whole station on air: Icecast + Liquidsoap with a rendered script, tracks chosen by
  liquidsoap/picker.py from an exported programme (hostile titles and file names), the
  events file, jingles marked and masked in Icecast's title, the alias mount, harbor
  logins checked against the exported hash, and a listener that survives a Liquidsoap
  restart through the fallback file (fallback-override).

Processes come from ``tests/helpers/stack.py`` (ManagedProcess etc.); nothing here edits it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import defusedxml.ElementTree as SafeET  # type: ignore[import-untyped,unused-ignore]
import pytest
from helpers.onair import IcecastProcess, prepare_webroot
from helpers.onair import start_icecast as start_icecast_process
from helpers.stack import ManagedProcess, free_port, is_root, tail, wait_until

from station_desktop.control.render.escaping import annotate_uri, liq_string
from station_desktop.control.render.icecast import (
    IcecastSpec,
    IcecastStation,
    render_icecast_xml,
)
from station_desktop.control.render.liquidsoap import (
    StationScriptSpec,
    render_station_script,
)
from station_desktop.control.render.m3u import render_m3u
from station_desktop.control.render.programme import (
    LiveAccount,
    ProgrammePlaylist,
    ProgrammeStation,
    ProgrammeTrack,
    build_programme,
    hash_password,
    write_programme_atomically,
)
from station_desktop.services.stations import StreamSettings

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
PICKER = REPO / "liquidsoap" / "picker.py"
HOSTILE = 'Ra"dio \\ \n #{1+1} <&> \' $(id) `id` ñ 日本 #'
HOSTILE_TITLE = 'Ti"tle \\ , : = # <&> \' $(id) #{1+1} ñ 日本 line1\nline2'
PUNCTUATION = "".join(chr(c) for c in range(0x21, 0x7F) if not chr(c).isalnum())
LIVE_PASSWORD = "live pass ñ \"'$(id)"


@pytest.fixture(scope="module", autouse=True)
def _tools() -> None:
    missing = [t for t in ("liquidsoap", "icecast2", "ffmpeg") if shutil.which(t) is None]
    if missing:
        message = f"{', '.join(missing)} not installed"
        if os.environ.get("STATION_TEST_REQUIRE_STACK") == "1":
            pytest.fail(message)
        pytest.skip(message)


def base_spec(directory: Path, **changes: Any) -> StationScriptSpec:
    spec = StationScriptSpec(
        station_id="st1", station_name="Jazz FM",
        settings=StreamSettings(mountpoint="/jazz", bitrates=(64, 128)),
        icecast_host="127.0.0.1", icecast_port=18000, icecast_source_password="srcpass",
        telnet_port=11234, harbor_port=18010, programme_dir=str(directory / "programme"),
        picker_path=str(PICKER), python_executable=sys.executable,
        log_path=str(directory / "liquidsoap.log"), events_path=str(directory / "events.jsonl"),
        allow_root=is_root(), harbor_bind_address="127.0.0.1",
    )
    return replace(spec, **changes)


def settings_of(spec: StationScriptSpec, **changes: Any) -> StationScriptSpec:
    assert isinstance(spec.settings, StreamSettings)
    return replace(spec, settings=replace(spec.settings, **changes))


def test_rendered_scripts_pass_liquidsoap_check(tmp_path: Path) -> None:
    base = base_spec(tmp_path)
    hostile_dir = tmp_path / HOSTILE.replace("\n", "_")
    variants = {
        "default": base,
        "all_off": settings_of(base, live_input_enabled=False, autodj_enabled=False,
                               crossfade_duration=0, normalize_audio=False),
        "live_only": settings_of(base, autodj_enabled=False, bitrates=(32, 320)),
        "autodj_only": settings_of(replace(base, safety_file=str(tmp_path / "safe.mp3")),
                                   live_input_enabled=False, normalization_level=-23.5,
                                   crossfade_duration=0.5, mountpoint="/r.mp3"),
        "hostile": replace(
            base, station_id=HOSTILE, station_name=HOSTILE, description=HOSTILE,
            genre=HOSTILE, url=HOSTILE, icecast_source_password=HOSTILE,
            icecast_source_user=HOSTILE, programme_dir=str(hostile_dir),
            picker_path=str(hostile_dir / "picker.py"),
            python_executable=str(hostile_dir / "python3"),
            log_path=str(hostile_dir / "l.log"), events_path=str(hostile_dir / "e.jsonl"),
            safety_file=str(hostile_dir / "s.mp3").replace("\n", "_"),
        ),
    }
    procs: dict[str, subprocess.Popen[bytes]] = {}
    for name, spec in variants.items():
        script = tmp_path / f"{name}.liq"
        text = render_station_script(spec)
        assert "#{" not in text
        script.write_text(text, encoding="utf-8")
        procs[name] = subprocess.Popen(["liquidsoap", "--check", str(script)],
                                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    failures = []
    for name, proc in procs.items():
        output, _ = proc.communicate(timeout=120)
        text = output.decode("utf-8", "replace")
        if proc.returncode != 0 or "Error" in text or "Warning" in text:
            failures.append(f"--- {name} (exit {proc.returncode}):\n{text}")
    assert not failures, "\n".join(failures)


def test_liquidsoap_reads_our_literals_and_annotate_uris_back(tmp_path: Path) -> None:
    """Liquidsoap prints, as JSON, what it made of each string literal and annotate URI."""
    literals = [HOSTILE, PUNCTUATION, "#", "#{", "a#{b}#{c}#", "\x01\x7f\u2028", ""]
    titles = [HOSTILE_TITLE, PUNCTUATION, "#{1+1}", "ends with \\", '"', "tab\there"]
    lines = ["settings.init.allow_root.set(true)"] if is_root() else []
    for value in literals:
        lines.append(f'print("LIT " ^ json.stringify(compact=true, {liq_string(value)}))')
    for title in titles:
        uri = annotate_uri({"title": title, "artist": "A ñ", "sd_kind": "music"},
                           "/m/a #{x} \"q\".mp3")
        assert uri.startswith("annotate:")  # string.annotate.parse takes what follows
        lines.append(f"print(\"ANN \" ^ json.stringify(compact=true, string.annotate.parse("
                     f"{liq_string(uri.removeprefix('annotate:'))})))")
    lines.append("shutdown()")
    script = tmp_path / "echo.liq"
    script.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = subprocess.run(["liquidsoap", str(script)], capture_output=True, timeout=60,
                          check=False)
    out = done.stdout.decode("utf-8")
    assert "Warning" not in out and "Error" not in out, out
    printed = [json.loads(line[4:]) for line in out.split("\n") if line[:4] in ("LIT ", "ANN ")]
    assert printed[:len(literals)] == literals
    for title, (metadata, path) in zip(titles, printed[len(literals):], strict=True):
        expected = title.replace("\n", " ").replace("\t", " ").replace("#{", "# {")
        assert dict(metadata) == {"title": expected, "artist": "A ñ", "sd_kind": "music"}
        assert path == '/m/a #{x} "q".mp3'


# -- Icecast -------------------------------------------------------------------------------

def start_icecast(stations: tuple[IcecastStation, ...]) -> IcecastProcess:
    """Icecast in a directory of its own under /tmp: it drops to icecast2 (when started as
    root) before opening its logs, and pytest's tmp_path is not reachable for that user.
    (helpers.onair starts it again when it segfaults during start-up, as a supervisor
    would: icecast/README.md.)"""
    directory = Path(tempfile.mkdtemp(prefix="station-render-icecast-"))
    directory.chmod(0o755)
    webroot = directory / "web"
    logdir = directory / "log"
    logdir.mkdir()
    port = free_port()
    spec = IcecastSpec(
        hostname="127.0.0.1", port=port, source_password="srcpass", admin_password="adm<&>",
        bind_address="127.0.0.1", capacity=3, stations=stations, logdir=str(logdir),
        webroot=str(webroot), location='Test "<&>" ñ',
        changeowner=("icecast2", "icecast") if is_root() else None,
    )
    xml = render_icecast_xml(spec)
    prepare_webroot(webroot, xml)
    config = directory / "icecast.xml"
    config.write_text(xml, encoding="utf-8")
    SafeET.parse(str(config))
    try:
        icecast = start_icecast_process(config, port, logdir, directory / "stdout.log")
    except BaseException:
        shutil.rmtree(directory, ignore_errors=True)
        raise
    return replace(icecast, root=directory)


def test_icecast_starts_with_the_rendered_config() -> None:
    icecast = start_icecast((IcecastStation("st1", "/jazz", (64, 128), 10),))
    try:
        status = icecast.status()
        assert status["location"] == 'Test "<&>" ñ'
        assert "source" not in status  # mounts exist in the config, not on air yet
        request = urllib.request.Request(f"{icecast.url}/admin/stats")
        with pytest.raises(urllib.error.HTTPError) as denied:
            urllib.request.urlopen(request, timeout=2)
        assert denied.value.code == 401
        denied.value.close()
    finally:
        icecast.stop()


# -- a whole station on air ----------------------------------------------------------------

@dataclass
class Listener:
    """Reads a stream in a thread and counts bytes; ``alive`` while the socket is open."""

    url: str
    received: int = 0
    alive: bool = True
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        try:
            with urllib.request.urlopen(self.url, timeout=10) as resp:
                while not self.stop.is_set():
                    chunk = resp.read(4096)
                    if not chunk:
                        break
                    self.received += len(chunk)
        except OSError:
            pass
        finally:
            self.alive = False


def make_mp3(path: Path, frequency: int, seconds: int, title: str, artist: str) -> None:
    subprocess.run(
        ["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
         f"sine=frequency={frequency}:duration={seconds}", "-ac", "2", "-ar", "44100",
         "-c:a", "libmp3lame", "-b:a", "128k", "-metadata", f"title={title}",
         "-metadata", f"artist={artist}", str(path)], check=True, timeout=60)


def read_events(path: Path) -> list[dict[str, Any]]:
    try:
        return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line]
    except FileNotFoundError:
        return []


def wait_for(what: str, predicate: Callable[[], bool], timeout: float,
             logs: Callable[[], str]) -> None:
    wait_until(what, predicate, timeout, logs=logs)


@pytest.fixture
def station(tmp_path: Path) -> Iterator[dict[str, Any]]:
    tmp_path.chmod(0o755)
    music = tmp_path / "music"
    music.mkdir()
    tracks = []
    for i, frequency in enumerate((440, 550, 660)):
        path = music / f"sine {frequency} #{{x}} $(id) 'q\".mp3"
        make_mp3(path, frequency, 8, f"Tag {frequency}", "Tag Artist")
        tracks.append(ProgrammeTrack(f"a{i}", str(path), title=f"{HOSTILE_TITLE} {frequency}",
                                     artist="Artist ñ", duration=8.0))
    jingle_path = music / "jingle.mp3"
    make_mp3(jingle_path, 1200, 3, "Jingle Tag", "Station")
    jingle = ProgrammeTrack("j1", str(jingle_path), title="Station Jingle", artist="Jazz FM")
    playlists = [ProgrammePlaylist("main", "Main", "rotation", tuple(tracks)),
                 ProgrammePlaylist("jj", "Jingles", "jingles", (jingle,))]
    programme = build_programme(
        station=ProgrammeStation("st1", "Jazz FM", "Europe/Madrid"), playlists=playlists,
        main_playlist_id="main", playback_mode="sequential", jingles_enabled=True,
        jingles_every_n_songs=2,
        live_accounts=[LiveAccount("source", hash_password(LIVE_PASSWORD)),
                       LiveAccount("dj_ana", hash_password("ana-pass"), dj_name="DJ Ana ñ")],
    )
    spec = base_spec(tmp_path)
    write_programme_atomically(spec.programme_dir, programme,
                               render_m3u(tracks, playlist_id="main"))
    icecast = start_icecast((IcecastStation("st1", "/jazz", (64, 128), 10),))
    spec = replace(settings_of(spec, crossfade_duration=1.0), icecast_port=icecast.port,
                   telnet_port=free_port(), harbor_port=free_port())
    script = tmp_path / "station.liq"
    script.write_text(render_station_script(spec), encoding="utf-8")
    state: dict[str, Any] = {"icecast": icecast, "spec": spec, "script": script,
                             "tracks": tracks, "processes": [], "tmp": tmp_path}
    try:
        yield state
    finally:
        for proc in reversed(state["processes"]):
            proc.stop()
        icecast.stop()


def start_liquidsoap(station: dict[str, Any]) -> ManagedProcess:
    tmp: Path = station["tmp"]
    proc = ManagedProcess.spawn("liquidsoap", ["liquidsoap", str(station["script"])],
                                tmp / "liquidsoap.stdout")
    station["processes"].append(proc)
    return proc


def test_a_station_on_air(station: dict[str, Any]) -> None:
    icecast: IcecastProcess = station["icecast"]
    spec: StationScriptSpec = station["spec"]
    events_path = Path(spec.events_path)

    def logs() -> str:
        return (f"{icecast.logs()}\n--- liquidsoap.log:\n{tail(Path(spec.log_path), 60)}\n"
                f"--- events:\n{tail(events_path, 20)}")

    liquidsoap = start_liquidsoap(station)
    wait_for("both mounts on air with a title",
             lambda: all("title" in icecast.mounts().get(m, {}) for m in ("/jazz-64",
                                                                         "/jazz-128")),
             30, logs)
    assert liquidsoap.running()
    assert {m["bitrate"] for m in icecast.mounts().values()} == {64, 128}

    # 1. a track chosen by the picker is on air, its metadata intact
    expected_titles = {t.audio_id: t.title.replace("\n", " ").replace("#{", "# {")
                       for t in station["tracks"]}

    def picker_track() -> dict[str, Any] | None:
        return next((e for e in read_events(events_path)
                     if e["event"] == "track" and e.get("source") == "autodj"
                     and e["kind"] == "music"), None)

    wait_for("a track from the picker", lambda: picker_track() is not None, 20, logs)
    event = picker_track()
    assert event is not None
    assert event["title"] == expected_titles[event["audio_id"]]
    assert event["artist"] == "Artist ñ" and event["playlist_id"] == "main"
    assert event["station_id"] == "st1" and isinstance(event["ts"], float)
    on_air = {f"Artist ñ - {t}" for t in expected_titles.values()}
    wait_for("Icecast shows a title from the programme, intact",
             lambda: icecast.mounts()["/jazz-128"].get("title") in on_air, 10, logs)

    # 2. a jingle after two songs: marked in the events, masked in Icecast's title
    def jingle_event() -> dict[str, Any] | None:
        return next((e for e in read_events(events_path)
                     if e["event"] == "track" and e["kind"] == "jingle"), None)

    wait_for("a jingle", lambda: jingle_event() is not None, 30, logs)
    jingle = jingle_event()
    assert jingle is not None and jingle["audio_id"] == "j1" and jingle["playlist_id"] == "jj"
    for _ in range(8):  # the jingle lasts 3 s: Icecast keeps the song's title throughout
        title = icecast.mounts()["/jazz-128"].get("title", "")
        assert "Jingle" not in title and "Station" not in title, title
        time.sleep(0.25)

    # 3. the plain mountpoint is an alias of the highest bitrate
    with urllib.request.urlopen(f"{icecast.url}/jazz", timeout=5) as resp:
        assert resp.headers["Content-Type"] == "audio/mpeg"
        assert len(resp.read(8192)) == 8192

    # 4. harbor logins against the exported hash (password only in the environment)
    harbor = f"127.0.0.1:{spec.harbor_port}/live"
    wrong = subprocess.run(
        ["ffmpeg", "-nostdin", "-loglevel", "error", "-re", "-f", "lavfi", "-i",
         "sine=frequency=880:duration=2", "-c:a", "libmp3lame", "-b:a", "64k",
         "-content_type", "audio/mpeg", "-f", "mp3", f"icecast://source:wrong@{harbor}"],
        capture_output=True, timeout=30, check=False)
    assert wrong.returncode != 0 and b"401" in wrong.stderr
    dj = ManagedProcess.spawn("ffmpeg-dj", [
        "ffmpeg", "-nostdin", "-loglevel", "error", "-re", "-f", "lavfi", "-i",
        "sine=frequency=880", "-c:a", "libmp3lame", "-b:a", "64k", "-content_type",
        "audio/mpeg", "-ice_name", "Ana's <Show>", "-f", "mp3",
        f"icecast://dj_ana:ana-pass@{harbor}"], station["tmp"] / "dj.log")
    station["processes"].append(dj)
    wait_for("live_connect event", lambda: any(
        e["event"] == "live_connect" for e in read_events(events_path)), 15, logs)
    connect = next(e for e in read_events(events_path) if e["event"] == "live_connect")
    assert connect["user"] == "dj_ana" and connect["dj_name"] == "DJ Ana ñ"
    assert connect["ice_name"] == "Ana's <Show>"
    dj.stop()
    wait_for("live_disconnect event", lambda: any(
        e["event"] == "live_disconnect" for e in read_events(events_path)), 15, logs)
    assert sum(e["event"] == "live_disconnect" for e in read_events(events_path)) == 1
    log_text = Path(spec.log_path).read_text("utf-8", "replace")
    assert "ana-pass" not in log_text and LIVE_PASSWORD not in log_text

    # 5. a listener survives a Liquidsoap restart (fallback file, then fallback-override)
    listener = Listener(f"{icecast.url}/jazz-128")
    thread = threading.Thread(target=listener.run, daemon=True)
    thread.start()
    try:
        wait_for("listener counted",
                 lambda: icecast.mounts()["/jazz-128"]["listeners"] == 1, 10, logs)
        liquidsoap.stop()
        wait_for("mounts gone", lambda: "/jazz-128" not in icecast.mounts(), 15, logs)
        before = listener.received
        time.sleep(2)
        assert listener.alive, "the listener was dropped when Liquidsoap stopped"
        assert listener.received > before, "no audio from the fallback file"
        start_liquidsoap(station)
        wait_for("the listener is back on the live mount",
                 lambda: icecast.mounts().get("/jazz-128", {}).get("listeners") == 1, 30, logs)
        assert listener.alive
    finally:
        listener.stop.set()
