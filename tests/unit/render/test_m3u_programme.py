"""The exported main playlist and programme.json (pure builder + the one atomic writer)."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from station_desktop.control.render.escaping import UnsafePath
from station_desktop.control.render.m3u import render_m3u
from station_desktop.control.render.programme import (
    LiveAccount,
    PasswordHash,
    ProgrammeBlock,
    ProgrammePlaylist,
    ProgrammeStation,
    ProgrammeTrack,
    build_programme,
    hash_password,
    main_playlist_tracks,
    programme_json,
    reuse_or_hash,
    verify_password,
    write_programme_atomically,
)

GOOD = ProgrammeTrack("a1", "/music/one.mp3", title='One "1"\n#EXTINF:0,x', artist="A ñ",
                      duration=181.5)
NEWLINE = ProgrammeTrack("a2", "/music/two\n#EXTINF:1,inject\n/etc/passwd", title="Two")
RELATIVE = ProgrammeTrack("a3", "#comment.mp3", title="Three")
GAIN = ProgrammeTrack("a4", "/music/#four.mp3", gain_db=-2.25)


def test_m3u_has_one_annotate_line_per_safe_track() -> None:
    text = render_m3u([GOOD, NEWLINE, RELATIVE, GAIN], playlist_id="main")
    lines = text.splitlines()
    assert lines[0] == "#EXTM3U"
    assert len(lines) == 3
    assert lines[1] == ('annotate:title="One \\"1\\" #EXTINF:0,x",artist="A ñ",sd_audio_id="a1",'
                        'sd_playlist_id="main",sd_kind="music":/music/one.mp3')
    assert lines[2] == ('annotate:sd_audio_id="a4",sd_playlist_id="main",sd_kind="music",'
                        'liq_amplify="-2.25 dB":/music/#four.mp3')
    assert all(line.startswith("annotate:") for line in lines[1:])
    assert text.endswith("\n")


def test_m3u_strict_refuses_unsafe_paths() -> None:
    with pytest.raises(UnsafePath):
        render_m3u([GOOD, NEWLINE], strict=True)
    assert render_m3u([]) == "#EXTM3U\n"


def _programme(**kwargs: object) -> dict[str, object]:
    playlists = [
        ProgrammePlaylist("main", "Main", "rotation", (GOOD, NEWLINE)),
        ProgrammePlaylist("jj", "Jingles", "jingles", (GAIN,)),
        ProgrammePlaylist("show", "Show", "special", ()),
    ]
    schedule = [
        ProgrammeBlock("b1", "show", 1, "9:00", "24:00"),
        ProgrammeBlock("b2", "show", 6, "23:00", "02:00:00"),
        ProgrammeBlock("b3", "show", 2, "10:00", "10:00"),
        ProgrammeBlock("b4", "gone", 2, "10:00", "11:00"),
        ProgrammeBlock("b5", "show", 7, "10:00", "11:00"),
        ProgrammeBlock("b6", "show", 3, "25:00", "11:00"),
    ]
    defaults: dict[str, object] = {
        "station": ProgrammeStation("st1", "Radio ñ", "Europe/Madrid"),
        "playlists": playlists, "main_playlist_id": "main", "schedule": schedule,
        "live_accounts": [LiveAccount("source", hash_password("pw", salt=b"s" * 16))],
    }
    defaults.update(kwargs)
    return build_programme(**defaults)  # type: ignore[arg-type]


def test_build_programme_document() -> None:
    doc = _programme(jingles_enabled=True, jingles_every_n_songs=3,
                     generated_at=dt.datetime(2026, 11, 24, 12, tzinfo=dt.UTC))
    assert doc["format"] == "station-desktop/programme" and doc["version"] == 1
    assert doc["station"] == {"id": "st1", "name": "Radio ñ", "timezone": "Europe/Madrid"}
    assert doc["jingles"] == {"enabled": True, "every_n_songs": 3, "playlist_ids": ["jj"]}
    playlists = doc["playlists"]
    assert isinstance(playlists, dict)
    assert [t["audio_id"] for t in playlists["main"]["tracks"]] == ["a1"]
    assert doc["schedule"] == [
        {"id": "b1", "playlist_id": "show", "day_of_week": 1, "start": "09:00", "end": "00:00"},
        {"id": "b2", "playlist_id": "show", "day_of_week": 6, "start": "23:00", "end": "02:00"},
    ]
    skipped_entries = doc["skipped"]
    assert isinstance(skipped_entries, list)
    skipped = {(s["what"], s["id"]) for s in skipped_entries}
    assert skipped == {("track", "a2"), ("block", "b3"), ("block", "b4"), ("block", "b5"),
                       ("block", "b6")}
    live = doc["live"]
    assert isinstance(live, dict)
    account = live["accounts"][0]
    assert account["username"] == "source" and account["kdf"] == "scrypt"
    assert "pw" not in json.dumps(live)
    assert doc["generated_at"] == "2026-11-24T12:00:00+00:00"


def test_build_is_pure_and_stable() -> None:
    assert programme_json(_programme()) == programme_json(_programme())
    assert "generated_at" not in _programme()


def test_unknown_main_playlist_and_mode_are_corrected() -> None:
    doc = _programme(main_playlist_id="nope", playback_mode="shuffle", jingles_every_n_songs=0)
    assert doc["main_playlist_id"] is None
    assert doc["playback_mode"] == "random"
    assert doc["jingles"]["every_n_songs"] == 1  # type: ignore[index]


def test_password_hashes() -> None:
    stored = hash_password("secret ñ")
    assert len(bytes.fromhex(stored.salt)) == 16 and len(bytes.fromhex(stored.hash)) == 32
    assert verify_password("secret ñ", stored)
    assert not verify_password("secret", stored)
    assert hash_password("secret ñ").salt != stored.salt  # a fresh salt each time
    assert reuse_or_hash("secret ñ", stored) is stored
    assert reuse_or_hash("other", stored) is not stored
    assert not verify_password("x", PasswordHash(salt="zz", hash="00"))
    assert not verify_password("x", PasswordHash(salt="00", hash="00", kdf="md5"))


def test_main_playlist_tracks() -> None:
    playlists = [ProgrammePlaylist("main", "Main", "rotation", (GOOD,))]
    assert main_playlist_tracks(playlists, "main") == (GOOD,)
    assert main_playlist_tracks(playlists, None) == ()


def test_write_programme_atomically(tmp_path: Path) -> None:
    directory = tmp_path / "new" / "st1"
    doc = _programme()
    m3u = render_m3u([GOOD], playlist_id="main")
    assert write_programme_atomically(directory, doc, m3u) is True
    assert json.loads((directory / "programme.json").read_text()) == doc
    assert (directory / "main.m3u").read_text() == m3u
    first = os.stat(directory / "programme.json").st_ino
    assert write_programme_atomically(directory, doc, m3u) is False  # unchanged: untouched
    assert os.stat(directory / "programme.json").st_ino == first
    assert write_programme_atomically(directory, _programme(playback_mode="sequential"),
                                      m3u) is True
    assert os.stat(directory / "programme.json").st_ino != first  # replaced, not rewritten
    assert sorted(p.name for p in directory.iterdir()) == ["main.m3u", "programme.json"]
    assert (directory / "programme.json").stat().st_mode & 0o777 == 0o640
