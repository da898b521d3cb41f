"""liquidsoap/picker.py: schedule selection (cross-midnight, week wrap, DST), random and
sequential rotation, jingles, broken input, harbor logins, and the real command line."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
import os
import random
import subprocess
import sys
import time
from collections import Counter
from contextlib import redirect_stdout
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from station_desktop.control.render import escaping
from station_desktop.control.render.programme import (
    LiveAccount,
    ProgrammeBlock,
    ProgrammePlaylist,
    ProgrammeTrack,
    hash_password,
)

from .conftest import PICKER_PATH, WriteProgramme, make_tracks

UTC = dt.UTC


def run_next(picker: ModuleType, directory: Path, at: str | None) -> str:
    """command_next in-process (no alarm), returning what it printed."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    with redirect_stdout(out):
        code = picker.command_next(str(directory), at)
        out.flush()
        buffer = out.buffer
        assert isinstance(buffer, io.BytesIO)
        data = buffer.getvalue()
    assert code == 0
    return data.decode("utf-8").strip()


def parse_uri(uri: str) -> tuple[dict[str, str], str]:
    """annotate:k="v",...:/path -> (metadata, path); the values are simple in these tests."""
    assert uri.startswith("annotate:")
    body = uri[len("annotate:"):]
    fields: dict[str, str] = {}
    i = 0
    while body[i] != "/":
        key, _, rest = body[i:].partition("=")
        assert rest.startswith('"')
        j = 1
        value = []
        while rest[j] != '"':
            if rest[j] == "\\":
                j += 1
            value.append(rest[j])
            j += 1
        fields[key] = "".join(value)
        i += len(key) + 1 + j + 1
        assert body[i] in ",:"
        i += 1
    return fields, body[i:]


def picked_ids(picker: ModuleType, directory: Path, at: str, count: int) -> list[str]:
    return [parse_uri(run_next(picker, directory, at))[0]["sd_audio_id"] for _ in range(count)]


# -- schedule ------------------------------------------------------------------------------

@pytest.fixture
def scheduled(tmp_path: Path, write_programme: WriteProgramme) -> Path:
    """main (m*), morning show (am*, Monday 08:00-10:00), night show (n*, Saturday
    23:00-02:00, crossing midnight and the week end), all in Europe/Madrid."""
    playlists = [
        ProgrammePlaylist("main", "Main", "rotation", make_tracks(tmp_path / "f", "m", 4)),
        ProgrammePlaylist("am", "Morning", "special", make_tracks(tmp_path / "f", "am", 4)),
        ProgrammePlaylist("night", "Night", "special", make_tracks(tmp_path / "f", "n", 4)),
    ]
    schedule = [
        ProgrammeBlock("b1", "am", 1, "08:00", "10:00"),
        ProgrammeBlock("b2", "night", 6, "23:00", "02:00"),
    ]
    return write_programme(playlists, "main", timezone="Europe/Madrid", schedule=schedule)


@pytest.mark.parametrize(("at", "expected"), [
    # 2026-11-23 is a Monday; Madrid is UTC+1 in November
    ("2026-11-23T08:00:00+01:00", "am"),
    ("2026-11-23T09:59:59+01:00", "am"),
    ("2026-11-23T10:00:00+01:00", "main"),  # the end is excluded
    ("2026-11-23T07:59:00+01:00", "main"),
    ("2026-11-23T07:30:00Z", "am"),  # 08:30 in Madrid
    # Saturday 2026-11-28 23:00 -> Sunday 02:00 (crosses midnight and the week end)
    ("2026-11-28T23:30:00+01:00", "night"),
    ("2026-11-29T01:59:00+01:00", "night"),
    ("2026-11-29T02:00:00+01:00", "main"),
    ("2026-11-28T22:59:00+01:00", "main"),
])
def test_schedule_selects_the_block_in_the_station_zone(
    picker: ModuleType, scheduled: Path, at: str, expected: str
) -> None:
    fields, _ = parse_uri(run_next(picker, scheduled, at))
    assert fields["sd_playlist_id"] == expected


def test_epoch_seconds_are_accepted_as_the_instant(picker: ModuleType, scheduled: Path) -> None:
    at = dt.datetime(2026, 11, 23, 8, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    fields, _ = parse_uri(run_next(picker, scheduled, f"{at.timestamp():.2f}"))
    assert fields["sd_playlist_id"] == "am"


def test_dst_spring_forward_and_fall_back(
    picker: ModuleType, tmp_path: Path, write_programme: WriteProgramme
) -> None:
    """Madrid: 2026-03-29 02:00 -> 03:00 (spring), 2026-10-25 03:00 -> 02:00 (fall);
    both are Sundays. A Sunday 02:00-04:00 block follows the wall clock."""
    playlists = [
        ProgrammePlaylist("main", "Main", "rotation", make_tracks(tmp_path / "f", "m", 2)),
        ProgrammePlaylist("show", "Show", "special", make_tracks(tmp_path / "f", "s", 2)),
    ]
    directory = write_programme(playlists, "main", timezone="Europe/Madrid",
                                schedule=[ProgrammeBlock("b", "show", 0, "02:00", "04:00")])

    def playlist_at(when: dt.datetime) -> str:
        return parse_uri(run_next(picker, directory, when.isoformat()))[0]["sd_playlist_id"]

    # spring: 00:30 UTC = 01:30 CET (before), 01:30 UTC = 03:30 CEST (inside), 02:00 UTC =
    # 04:00 CEST (after): the block lasts one real hour that night
    assert playlist_at(dt.datetime(2026, 3, 29, 0, 30, tzinfo=UTC)) == "main"
    assert playlist_at(dt.datetime(2026, 3, 29, 1, 0, tzinfo=UTC)) == "show"
    assert playlist_at(dt.datetime(2026, 3, 29, 1, 59, tzinfo=UTC)) == "show"
    assert playlist_at(dt.datetime(2026, 3, 29, 2, 0, tzinfo=UTC)) == "main"
    # fall: 02:00-03:00 local happens twice (00:00-01:00 UTC CEST, 01:00-02:00 UTC CET)
    assert playlist_at(dt.datetime(2026, 10, 24, 23, 59, tzinfo=UTC)) == "main"
    assert playlist_at(dt.datetime(2026, 10, 25, 0, 30, tzinfo=UTC)) == "show"
    assert playlist_at(dt.datetime(2026, 10, 25, 1, 30, tzinfo=UTC)) == "show"
    assert playlist_at(dt.datetime(2026, 10, 25, 2, 30, tzinfo=UTC)) == "show"  # 03:30 CET
    assert playlist_at(dt.datetime(2026, 10, 25, 3, 0, tzinfo=UTC)) == "main"  # 04:00 CET


def test_overlapping_blocks_the_most_recently_started_wins(
    picker: ModuleType, tmp_path: Path, write_programme: WriteProgramme
) -> None:
    playlists = [
        ProgrammePlaylist("main", "Main", "rotation", make_tracks(tmp_path / "f", "m", 2)),
        ProgrammePlaylist("long", "Long", "special", make_tracks(tmp_path / "f", "l", 2)),
        ProgrammePlaylist("short", "Short", "special", make_tracks(tmp_path / "f", "s", 2)),
    ]
    directory = write_programme(playlists, "main", schedule=[
        ProgrammeBlock("b1", "long", 2, "08:00", "14:00"),
        ProgrammeBlock("b2", "short", 2, "10:00", "11:00"),
    ])
    # 2026-11-24 is a Tuesday (day 2)
    for at, expected in (("2026-11-24T09:00:00Z", "long"), ("2026-11-24T10:30:00Z", "short"),
                         ("2026-11-24T11:30:00Z", "long")):
        assert parse_uri(run_next(picker, directory, at))[0]["sd_playlist_id"] == expected


def test_a_scheduled_playlist_without_playable_files_falls_back_to_main(
    picker: ModuleType, tmp_path: Path, write_programme: WriteProgramme
) -> None:
    gone = make_tracks(tmp_path / "gone", "g", 2)
    for track in gone:
        Path(track.path).unlink()
    playlists = [
        ProgrammePlaylist("main", "Main", "rotation", make_tracks(tmp_path / "f", "m", 2)),
        ProgrammePlaylist("show", "Show", "special", gone),
        ProgrammePlaylist("empty", "Empty", "special", ()),
    ]
    directory = write_programme(playlists, "main", schedule=[
        ProgrammeBlock("b1", "show", 2, "08:00", "10:00"),
        ProgrammeBlock("b2", "empty", 2, "10:00", "12:00"),
    ])
    for at in ("2026-11-24T09:00:00Z", "2026-11-24T11:00:00Z"):
        assert parse_uri(run_next(picker, directory, at))[0]["sd_playlist_id"] == "main"


def test_the_week_minute_matches_the_services_week_clock(picker: ModuleType) -> None:
    from station_desktop.services import weektime

    zone = picker.station_zone("America/New_York")
    start = dt.datetime(2026, 3, 7, tzinfo=UTC)
    for hours in range(0, 24 * 10, 7):
        when = start + dt.timedelta(hours=hours, minutes=13)
        assert picker.week_minute(when, zone) == weektime.local_week_minute(when, zone)


# -- rotation ------------------------------------------------------------------------------

def test_random_never_repeats_within_half_the_playlist(
    picker: ModuleType, tmp_path: Path, write_programme: WriteProgramme
) -> None:
    tracks = make_tracks(tmp_path / "f", "t", 10)
    directory = write_programme([ProgrammePlaylist("main", "Main", "rotation", tracks)], "main")
    ids = picked_ids(picker, directory, "2026-11-24T12:00:00Z", 60)
    for i in range(5, len(ids)):
        assert ids[i] not in ids[i - 5:i], ids
    assert set(ids) == {t.audio_id for t in tracks}


def test_random_is_random(picker: ModuleType, tmp_path: Path) -> None:
    tracks = tuple(picker.Track(f"t{i}", str(tmp_path / f"t{i}"), None, None, None)
                   for i in range(20))
    for track in tracks:
        Path(track.path).write_bytes(b"")
    first = [picker.pick_random(tracks, [], 50, random.Random(seed)).audio_id
             for seed in range(40)]
    assert len(set(first)) > 5


def test_two_tracks_alternate(
    picker: ModuleType, tmp_path: Path, write_programme: WriteProgramme
) -> None:
    two = write_programme([ProgrammePlaylist(
        "main", "Main", "rotation", make_tracks(tmp_path / "f", "t", 2))], "main")
    ids = picked_ids(picker, two, "2026-11-24T12:00:00Z", 6)
    assert all(a != b for a, b in itertools.pairwise(ids))


def test_sequential_follows_the_order_and_survives_edits(
    picker: ModuleType, tmp_path: Path, write_programme: WriteProgramme
) -> None:
    tracks = make_tracks(tmp_path / "f", "t", 4)
    playlists = [ProgrammePlaylist("main", "Main", "rotation", tracks)]
    directory = write_programme(playlists, "main", playback_mode="sequential")
    at = "2026-11-24T12:00:00Z"
    assert picked_ids(picker, directory, at, 6) == ["t0", "t1", "t2", "t3", "t0", "t1"]
    # an edit puts a new track first and drops t3: the place (after t1) is kept
    new = make_tracks(tmp_path / "f", "new", 1)
    edited = [ProgrammePlaylist("main", "Main", "rotation", (new[0], *tracks[:3]))]
    write_programme(edited, "main", playback_mode="sequential")
    assert picked_ids(picker, directory, at, 4) == ["t2", "new0", "t0", "t1"]


def test_sequential_skips_missing_files(
    picker: ModuleType, tmp_path: Path, write_programme: WriteProgramme
) -> None:
    tracks = make_tracks(tmp_path / "f", "t", 3)
    Path(tracks[1].path).unlink()
    directory = write_programme([ProgrammePlaylist("main", "Main", "rotation", tracks)], "main",
                                playback_mode="sequential")
    assert picked_ids(picker, directory, "2026-11-24T12:00:00Z", 4) == ["t0", "t2", "t0", "t2"]


# -- jingles -------------------------------------------------------------------------------

def test_a_jingle_every_n_songs_without_losing_the_music_position(
    picker: ModuleType, tmp_path: Path, write_programme: WriteProgramme
) -> None:
    playlists = [
        ProgrammePlaylist("main", "Main", "rotation", make_tracks(tmp_path / "f", "t", 5)),
        ProgrammePlaylist("jj", "Jingles", "jingles", make_tracks(tmp_path / "f", "j", 3)),
    ]
    directory = write_programme(playlists, "main", playback_mode="sequential",
                                jingles_enabled=True, jingles_every_n_songs=2)
    picks = [parse_uri(run_next(picker, directory, "2026-11-24T12:00:00Z"))[0]
             for _ in range(9)]
    kinds = [p["sd_kind"] for p in picks]
    assert kinds == ["music", "music", "jingle"] * 3
    music = [p["sd_audio_id"] for p in picks if p["sd_kind"] == "music"]
    assert music == ["t0", "t1", "t2", "t3", "t4", "t0"]
    jingles = [p for p in picks if p["sd_kind"] == "jingle"]
    assert all(j["sd_playlist_id"] == "jj" for j in jingles)
    assert len({j["sd_audio_id"] for j in jingles[:2]}) == 2  # no jingle twice in a row


def test_jingles_disabled_or_missing_mean_only_music(
    picker: ModuleType, tmp_path: Path, write_programme: WriteProgramme
) -> None:
    music = make_tracks(tmp_path / "f", "t", 3)
    jingles = make_tracks(tmp_path / "f", "j", 2)
    off = write_programme([ProgrammePlaylist("main", "Main", "rotation", music),
                           ProgrammePlaylist("jj", "J", "jingles", jingles)], "main",
                          jingles_enabled=False, jingles_every_n_songs=1)
    kinds = Counter(parse_uri(run_next(picker, off, None))[0]["sd_kind"] for _ in range(6))
    assert kinds == {"music": 6}
    none = write_programme([ProgrammePlaylist("main", "Main", "rotation", music)], "main",
                           jingles_enabled=True, jingles_every_n_songs=1)
    kinds = Counter(parse_uri(run_next(picker, none, None))[0]["sd_kind"] for _ in range(4))
    assert kinds == {"music": 4}


def test_no_jingle_when_there_is_no_music(
    picker: ModuleType, tmp_path: Path, write_programme: WriteProgramme
) -> None:
    directory = write_programme(
        [ProgrammePlaylist("main", "Main", "rotation", ()),
         ProgrammePlaylist("jj", "J", "jingles", make_tracks(tmp_path / "f", "j", 2))],
        "main", jingles_enabled=True, jingles_every_n_songs=1)
    state = directory / "picker-state.json"
    state.write_text(json.dumps({"since_jingle": 5}))
    assert run_next(picker, directory, None) == ""


# -- nothing to play, broken input ---------------------------------------------------------

def test_autodj_disabled_or_no_main_playlist_prints_nothing(
    picker: ModuleType, tmp_path: Path, write_programme: WriteProgramme
) -> None:
    tracks = make_tracks(tmp_path / "f", "t", 2)
    off = write_programme([ProgrammePlaylist("main", "Main", "rotation", tracks)], "main",
                          autodj_enabled=False)
    assert run_next(picker, off, None) == ""
    no_main = write_programme([ProgrammePlaylist("p", "P", "rotation", tracks)], None)
    assert run_next(picker, no_main, None) == ""


def test_a_corrupt_state_file_is_replaced(
    picker: ModuleType, tmp_path: Path, write_programme: WriteProgramme
) -> None:
    directory = write_programme([ProgrammePlaylist(
        "main", "Main", "rotation", make_tracks(tmp_path / "f", "t", 2))], "main")
    (directory / "picker-state.json").write_text("{not json")
    assert run_next(picker, directory, None).startswith("annotate:")
    state = json.loads((directory / "picker-state.json").read_text())
    assert state["version"] == 1 and len(state["recent"]) == 1


@pytest.mark.parametrize("content", [
    None, b"", b"{", b"[]", b'{"format": "other"}',
    b'{"format": "station-desktop/programme", "version": 99}', b"\xff\xfe",
])
def test_missing_or_corrupt_programme_is_an_error_without_output(
    picker: ModuleType, tmp_path: Path, content: bytes | None
) -> None:
    if content is not None:
        (tmp_path / "programme.json").write_bytes(content)
    with pytest.raises(picker.PickerError):
        picker.load_programme(str(tmp_path))


def test_malformed_entries_are_ignored(picker: ModuleType, tmp_path: Path) -> None:
    real = tmp_path / "real.mp3"
    real.write_bytes(b"")
    doc: dict[str, Any] = {
        "format": "station-desktop/programme", "version": 1,
        "station": {"timezone": "Not/AZone"}, "main_playlist_id": "main",
        "playlists": {"main": {"tracks": [
            None, 5, {"audio_id": "x"}, {"audio_id": "rel", "path": "relative.mp3"},
            {"audio_id": "nl", "path": "/a\nb.mp3"}, {"audio_id": "ok", "path": str(real)},
        ]}, "bad": "x"},
        "schedule": [None, {"day_of_week": 9, "start": "08:00", "end": "09:00",
                            "playlist_id": "main"},
                     {"day_of_week": 1, "start": "8:00", "end": "09:00", "playlist_id": "main"},
                     {"day_of_week": True, "start": "08:00", "end": "09:00",
                      "playlist_id": "main"}],
        "jingles": {"enabled": True, "every_n_songs": "x", "playlist_ids": "x"},
    }
    (tmp_path / "programme.json").write_text(json.dumps(doc))
    programme = picker.load_programme(str(tmp_path))
    assert [t.audio_id for t in programme.playlists["main"]] == ["ok"]
    assert programme.schedule == ()
    assert programme.jingles_every == 4 and programme.jingle_playlist_ids == ()
    fields, path = parse_uri(run_next(picker, tmp_path, None))  # unknown zone -> UTC
    assert fields["sd_audio_id"] == "ok" and path == str(real)


# -- output escaping -----------------------------------------------------------------------

HOSTILE = ['Ti"tle \\ , : = # <&> \' $(id) #{1+1} ñ 日本 \n\r\t\x00\x7f\u2028 end', "",
           "plain", "\\", '"', "#{", "a#{b}#{c}", "\ud800 lone"]


@pytest.mark.parametrize("text", HOSTILE)
def test_picker_escaping_is_the_renderers(picker: ModuleType, text: str) -> None:
    assert picker.annotate_value(text) == escaping.annotate_value(text)
    metadata = {"title": text, "artist": None, "sd_kind": "music"}
    assert picker.annotate_uri(metadata, "/x/y z.mp3") == escaping.annotate_uri(
        metadata, "/x/y z.mp3")


def test_picked_uri_is_one_line_with_escaped_metadata(
    picker: ModuleType, tmp_path: Path, write_programme: WriteProgramme
) -> None:
    path = tmp_path / 'f' / 'a "q" #{x} $(id).mp3'
    path.parent.mkdir()
    path.write_bytes(b"")
    track = ProgrammeTrack("a1", str(path), title='Say "hi"\nnow #{1}', artist="A\\B",
                           gain_db=-3.5)
    directory = write_programme([ProgrammePlaylist("main", "Main", "rotation", (track,))],
                                "main")
    uri = run_next(picker, directory, None)
    assert "\n" not in uri
    fields, file = parse_uri(uri)
    assert fields == {"title": 'Say "hi" now # {1}', "artist": "A\\B", "sd_audio_id": "a1",
                      "sd_playlist_id": "main", "sd_kind": "music", "liq_amplify": "-3.50 dB"}
    assert file == str(path)


# -- harbor login --------------------------------------------------------------------------

def test_auth_accepts_the_right_password_only(
    picker: ModuleType, tmp_path: Path, write_programme: WriteProgramme,
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    directory = write_programme([], None, live_accounts=[
        LiveAccount("source", hash_password("station-pass")),
        LiveAccount("dj_ana", hash_password("ana ñ pass"), dj_name="DJ Ana"),
    ])

    def auth(user: str, password: str) -> int:
        monkeypatch.setenv("SD_USER", user)
        monkeypatch.setenv("SD_PASSWORD", password)
        out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
        with redirect_stdout(out):
            code: int = picker.command_auth(str(directory))
        return code

    assert auth("source", "station-pass") == 0
    assert auth("dj_ana", "ana ñ pass") == 0
    assert auth("source", "ana ñ pass") == 1
    assert auth("dj_ana", "station-pass") == 1
    assert auth("nobody", "station-pass") == 1
    assert auth("source", "") == 1
    assert auth("source", "station-pass ") == 1
    assert "station-pass" not in capsys.readouterr().err  # never logs a password


def test_auth_refused_when_live_input_is_disabled(
    picker: ModuleType, write_programme: WriteProgramme, monkeypatch: pytest.MonkeyPatch,
) -> None:
    directory = write_programme([], None, live_enabled=False,
                                live_accounts=[LiveAccount("source", hash_password("pw"))])
    monkeypatch.setenv("SD_USER", "source")
    monkeypatch.setenv("SD_PASSWORD", "pw")
    assert picker.command_auth(str(directory)) == 1


def test_auth_rejects_hostile_hash_parameters(picker: ModuleType) -> None:
    good = hash_password("pw").to_json()
    assert picker._scrypt(b"pw", good) == bytes.fromhex(good["hash"])
    for bad in ({"n": 2**30}, {"n": 1000}, {"r": 0}, {"p": 100}, {"kdf": "md5"},
                {"salt": "zz"}, {"hash": ""}):
        assert not picker._scrypt(b"pw", {**good, **bad})


# -- the real command line -----------------------------------------------------------------

def cli(directory: Path, *args: str, env: dict[str, str] | None = None
        ) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-I", "-S", str(PICKER_PATH), *args[:1], str(directory), *args[1:]],
        capture_output=True, timeout=10, env=env or {"LC_ALL": "C.UTF-8"}, check=False,
    )


def test_cli_next_auth_check_and_exit_codes(
    tmp_path: Path, write_programme: WriteProgramme
) -> None:
    tracks = make_tracks(tmp_path / "f", "t", 3)
    directory = write_programme([ProgrammePlaylist("main", "Main", "rotation", tracks)], "main",
                                live_accounts=[LiveAccount("source", hash_password("pw ñ"))])
    started = time.monotonic()
    done = cli(directory, "next", "--at", "2026-11-24T12:00:00Z")
    elapsed = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode().startswith("annotate:") and done.stdout.count(b"\n") == 1
    assert elapsed < 1.0, f"the picker took {elapsed:.2f} s"

    ok = cli(directory, "auth", env={"SD_USER": "source", "SD_PASSWORD": "pw ñ"})
    assert ok.returncode == 0 and ok.stdout == b"source\n"
    bad = cli(directory, "auth", env={"SD_USER": "source", "SD_PASSWORD": "nope"})
    assert bad.returncode == 1 and bad.stdout == b""
    assert b"refused" in bad.stderr and b"nope" not in bad.stderr

    check = cli(directory, "check")
    assert check.returncode == 0 and b"3 tracks" in check.stdout


@pytest.mark.parametrize("content", [None, b"{corrupt"])
def test_cli_broken_programme_gives_empty_output_and_exit_2(
    tmp_path: Path, content: bytes | None
) -> None:
    if content is not None:
        (tmp_path / "programme.json").write_bytes(content)
    done = cli(tmp_path, "next")
    assert done.returncode == 2
    assert done.stdout == b""
    assert done.stderr.startswith(b"picker: ") and b"Traceback" not in done.stderr
    assert done.stderr.count(b"\n") == 1


@pytest.mark.parametrize("args", [[], ["next"], ["fly", "x"], ["next", "x", "--bogus"],
                                  ["next", "x", "--at", "yesterday"]])
def test_cli_bad_usage_exits_2(tmp_path: Path, args: list[str]) -> None:
    done = subprocess.run([sys.executable, "-I", "-S", str(PICKER_PATH), *args],
                          capture_output=True, timeout=10, check=False, cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == b""
    assert b"Traceback" not in done.stderr


def test_state_file_is_replaced_atomically(
    picker: ModuleType, tmp_path: Path, write_programme: WriteProgramme
) -> None:
    directory = write_programme([ProgrammePlaylist(
        "main", "Main", "rotation", make_tracks(tmp_path / "f", "t", 2))], "main")
    run_next(picker, directory, None)
    leftovers = [p.name for p in directory.iterdir() if p.name.startswith(".")]
    assert leftovers == []
    assert os.stat(directory / "picker-state.json").st_size > 0


@pytest.mark.parametrize("args", [["auth", "x", "--socket"], ["auth", "x", "--at", "1"],
                                  ["auth", "x", "--socket", "/a", "--socket", "/b"],
                                  ["check", "x", "--socket", "/a"],
                                  ["next", "x", "--at", "1", "--at", "2"]])
def test_cli_options_are_checked(tmp_path: Path, args: list[str]) -> None:
    done = subprocess.run([sys.executable, "-I", "-S", str(PICKER_PATH), *args],
                          capture_output=True, timeout=10, check=False, cwd=tmp_path)
    assert done.returncode == 2 and b"usage:" in done.stderr


def test_auth_with_a_socket_but_no_station_uses_the_exported_logins(
    tmp_path: Path, write_programme: WriteProgramme
) -> None:
    directory = write_programme([], None,
                                live_accounts=[LiveAccount("source", hash_password("pw"))])
    done = cli(directory, "auth", "--socket", str(tmp_path / "none.sock"),
               env={"SD_USER": "source", "SD_PASSWORD": "pw"})
    assert done.returncode == 0 and done.stdout == b"source\n"
