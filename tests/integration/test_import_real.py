"""The importer against everything in tests/data/test-media, and SFTP storage against a
REAL OpenSSH server on loopback (``sshd`` fixture, tests/helpers/stack.py).

The files of tests/data/test-media were collected from the test data of tagging libraries
(see its README): every tag flavour, many containers and codecs, and broken files. They
are copied into a temporary folder, imported in one batch, and then each outcome is
checked: a file that cannot be played ends in an error whose reason belongs to a known,
readable family; every imported file is where its row says, and what ffprobe reads from
the stored file agrees with the row (duration, sample rate, channels, title).
"""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers.stack import ThrowawaySshd
from unit.media.audio_samples import ACCENTED, Samples

from station_desktop.errors import ValidationError
from station_desktop.media.errors import StorageError
from station_desktop.media.storage import SftpLocation, SftpStorage
from station_desktop.services.fleet import ServerFields
from station_desktop.services.importer import ImportReport
from station_desktop.services.stations import StationFields
from station_desktop.services.workspace import (
    Workspace,
    open_embedded,
    open_workspace,
    sftp_to_station_servers,
)

pytestmark = [pytest.mark.integration, pytest.mark.asyncio]

TEST_MEDIA = Path(__file__).parents[1] / "data" / "test-media"
# Every reason a test-media file may be refused for; anything else fails the test.
KNOWN_REASONS = [
    r"The file is empty \(0 bytes\)",
    r"This is a MIDI file",
    r"The file contains video but no sound track",
    r"The file holds tags \(ID3/APE\) but no audio",
    r"This is not an audio file that Station Desktop can read",
    r"The audio in this file cannot be decoded \(.+\)",
    r"The file decodes to no audio at all",
    r"The file is damaged or incomplete: its header promises \d+:\d\d of audio but only "
    r"\d+:\d\d decodes",
    r"The file holds only \d\.\d\d s of audio: too short",
    r"The file holds no playable audio",
    r"OptimFROG files cannot be converted here",
    r"The WMA audio could not be converted for broadcast \(ffmpeg: .+\)",
]
# Files that must import (a sample of every family), with the stored format.
MUST_IMPORT = {
    "beets/unicode\u2019d.mp3": "mp3", "mediafile/full.flac": "flac", "mediafile/full.m4a": "m4a",
    "mediafile/full.ogg": "ogg", "mediafile/full.opus": "opus", "mediafile/full.aiff": "aiff",
    "mediafile/full.ape": "flac", "mediafile/full.wv": "flac", "mediafile/full.mpc": "mp3",
    "mediafile/full.alac.m4a": "flac", "mediafile/full.dsf": "flac",
    "mediafile/mpeglayer3.wav": "mp3", "mutagen/silence-1.wma": "mp3",
    "mutagen/silence-3.wma": "flac", "mutagen/silence-44-s.tak": "flac",
    "mutagen/empty.tta": "flac", "mutagen/silence-44-s.ac3": "mp3",
    "mutagen/empty.spx": "mp3", "mutagen/sample_length.oggtheora": "ogg",
    "mutagen/id3v22-test.mp3": "mp3", "mutagen/empty.oggflac": "ogg",
}
MUST_FAIL = {
    "mutagen/emptyfile.mp3": "empty", "mutagen/sample.mid": "MIDI",
    "mutagen/sample.oggtheora": "no sound track", "mediafile/emptylist.mp3": "damaged",
    "mutagen/vbri.mp3": "damaged", "mutagen/too-short.mp3": "tags (ID3/APE) but no audio",
    "mutagen/ooming-header.flac": "not an audio file",
    "mutagen/silence-2s-44100-16.ofr": "OptimFROG", "mediafile/full.wma": "converted",
}


def ffprobe(path: Path) -> dict[str, Any]:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams",
         "-select_streams", "a:0", str(path)], check=True, capture_output=True, timeout=30)
    data: dict[str, Any] = json.loads(out.stdout)
    return data


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    opened = open_embedded(tmp_path / "data", with_demo=False)
    yield opened
    opened.close()


async def test_every_file_of_the_test_media_imports_or_says_why(
    workspace: Workspace, tmp_path: Path
) -> None:
    copies = tmp_path / "media"
    shutil.copytree(TEST_MEDIA, copies)
    for path in copies.rglob("*"):
        path.chmod(0o644 if path.is_file() else 0o755)
    files = sorted(p for p in copies.rglob("*") if p.is_file() and p.name != "README.md")
    station = workspace.stations.create_station(StationFields("Test media", "UTC"))

    report: ImportReport = await asyncio.wait_for(
        workspace.importer.import_files(station.id, files), 300)  # nothing hangs

    assert len(report.outcomes) == len(files) and not report.cancelled
    outcome = {str(o.path.relative_to(copies)): o for o in report.outcomes}
    for name, fmt in MUST_IMPORT.items():
        assert outcome[name].status == "imported", (name, outcome[name].message)
        assert workspace.library.get_track(outcome[name].track_id or "").format == fmt, name
    for name, words in MUST_FAIL.items():
        assert outcome[name].status == "error" and words in outcome[name].message, name
    for failed in report.errors:
        assert any(re.match(reason, failed.message) for reason in KNOWN_REASONS), failed
        assert "Traceback" not in failed.message and "\n" not in failed.message
    assert len(report.imported) >= 115, len(report.imported)

    tracks = workspace.library.list_tracks(station.id, limit=1000).tracks
    stored = {Path(t.storage_path) for t in tracks if t.status == "ready"}
    for track in tracks:
        if track.status == "error":  # failed conversions keep a row with the reason
            assert track.status_message and not Path(track.storage_path).exists()
            continue
        assert track.status == "ready"
        path = Path(track.storage_path)
        assert path.is_file() and stat.S_IMODE(path.stat().st_mode) == 0o644
        data = ffprobe(path)
        stream, fmt = data["streams"][0], data["format"]
        reference = float(stream.get("duration") or fmt["duration"])
        assert track.duration == pytest.approx(reference, abs=max(0.25, 0.12 * reference)), (
            track.filename, track.duration, reference)
        assert track.sample_rate == int(stream["sample_rate"]), track.filename
        if not (track.format == "m4a" and track.channels == 2 and stream["channels"] == 1):
            # mutagen cannot tell mono AAC from implicit parametric stereo without
            # decoding; Liquidsoap plays both; every other file must agree exactly.
            assert track.channels == stream["channels"], track.filename
        tags = {k.lower(): v for k, v in {**fmt.get("tags", {}),
                                          **stream.get("tags", {})}.items()}
        if track.title and "title" in tags and len(tags["title"]) <= 191:
            assert track.title == " ".join(tags["title"].split()), track.filename
    # Every file in the station's folder belongs to a ready track (covers are in covers/).
    audio_root = tmp_path / "data" / "audio" / station.id
    leftovers = {p for p in audio_root.iterdir() if p.is_file()} - stored
    assert leftovers == set(), leftovers


# -- SFTP ------------------------------------------------------------------------------


def location(sshd: ThrowawaySshd, root: Path, **changes: Any) -> SftpLocation:
    settings: dict[str, Any] = {
        "host": "127.0.0.1", "port": sshd.port, "username": sshd.user, "root": str(root),
        "client_keys": [sshd.client_key], "known_hosts": sshd.known_hosts,
        "connect_timeout": 10,
    }
    settings.update(changes)
    return SftpLocation(**settings)


CLIENT = "cm3sftpclient00000000000"


async def test_sftp_storage_puts_atomically_reads_and_removes(
    sshd: ThrowawaySshd, tmp_path: Path
) -> None:
    root = tmp_path / "srv-audio"
    storage = SftpStorage(location(sshd, root))
    source = tmp_path / "song.mp3"
    source.write_bytes(b"ID3" + bytes(300_000))
    try:
        await storage.put_file(source, CLIENT, "song-3f2a9c0d41b7.mp3")
        await storage.put_bytes(b"cover", CLIENT, "covers/" + "b" * 64 + ".jpg")
        stored = root / CLIENT / "song-3f2a9c0d41b7.mp3"
        assert stored.read_bytes() == source.read_bytes()
        assert stat.S_IMODE(stored.stat().st_mode) == 0o644
        assert sorted(p.name for p in stored.parent.iterdir()) == ["covers", stored.name]
        assert storage.server_path(CLIENT, stored.name) == str(stored)
        assert await storage.exists(CLIENT, stored.name)
        assert await storage.read_bytes(CLIENT, "covers/" + "b" * 64 + ".jpg") == b"cover"
        assert await storage.read_bytes(CLIENT, "missing.mp3") is None
        assert (await storage.free_space() or 0) > 0
        assert await storage.remove(CLIENT, stored.name)
        assert not await storage.remove(CLIENT, stored.name)
        assert not stored.exists()
    finally:
        await storage.aclose()


async def test_sftp_refuses_an_unknown_host_key_and_a_stranger_key(
    sshd: ThrowawaySshd, tmp_path: Path
) -> None:
    other_hosts = tmp_path / "known_hosts"
    other_hosts.write_text(f"[127.0.0.1]:{sshd.port} "
                           + (sshd.directory / "stranger_ed25519.pub").read_text())
    source = tmp_path / "a.mp3"
    source.write_bytes(b"x")
    for changes, reason in (({"known_hosts": other_hosts}, "could not be verified"),
                            ({"client_keys": [sshd.stranger_key]}, "refused the login")):
        storage = SftpStorage(location(sshd, tmp_path / "audio", **changes))
        with pytest.raises(StorageError, match=reason) as raised:
            await storage.put_file(source, CLIENT, "a.mp3")
        assert f"127.0.0.1:{sshd.port}" in str(raised.value)
        await storage.aclose()
    assert not (tmp_path / "audio").exists()


async def test_import_over_sftp_to_the_stations_own_server(
    sshd: ThrowawaySshd, database_url: str, tmp_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    samples = Samples(tmp_path_factory.mktemp("samples"))
    root = tmp_path / "srv-audio"
    workspace = open_workspace(database_url, sftp=location(sshd, root, host="",
                                                           username="", port=22))
    try:
        server = workspace.fleet.create_server(ServerFields(
            "Loopback VPS", "127.0.0.1", ssh_user=sshd.user, ssh_port=sshd.port))
        station = workspace.stations.create_station(StationFields("SFTP Radio", "UTC"))
        homeless = workspace.stations.create_station(StationFields("No server", "UTC"))
        workspace.stations.assign_server(station.id, server.id)
        files = [samples.copy("accented.mp3", tmp_path / "in"),
                 samples.copy("tone.wma", tmp_path / "in")]

        report = await workspace.importer.import_files(station.id, files)

        assert [o.status for o in report.outcomes] == ["imported", "imported"], report.outcomes
        tracks = {t.filename: t for t in workspace.library.list_tracks(station.id).tracks}
        song = tracks["accented.mp3"]
        assert song.title == ACCENTED["title"] and song.status == "ready"
        assert song.storage_path.startswith(f"{root}/{station.id}/")
        assert Path(song.storage_path).read_bytes() == files[0].read_bytes()
        assert Path(tracks["tone.wma"].storage_path).suffix == ".mp3"
        assert song.cover_url is not None
        assert (await workspace.importer.cover_bytes(station.id, song.cover_url) or b"")[:2] \
            == b"\xff\xd8"  # a JPEG, read back over SFTP
        with pytest.raises(ValidationError, match="no streaming server"):
            await workspace.importer.import_files(homeless.id, files)
    finally:
        workspace.close()


async def test_a_station_without_an_ssh_user_cannot_use_sftp(database_url: str) -> None:
    workspace = open_workspace(database_url)
    try:
        server = workspace.fleet.create_server(ServerFields("No SSH", "10.0.0.9"))
        station = workspace.stations.create_station(StationFields("Radio", "UTC"))
        workspace.stations.assign_server(station.id, server.id)
        storage_for = sftp_to_station_servers(workspace.db, SftpLocation())
        with pytest.raises(ValidationError, match="no SSH user"):
            storage_for(station.id)
    finally:
        workspace.close()
