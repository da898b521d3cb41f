"""Validation, tags and technical data of real files (made with ffmpeg, or from
tests/data/test-media, always copied into a temporary folder first)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from unit.media.audio_samples import (
    ACCENTED,
    LONG_TITLE,
    Samples,
    empty_file,
    text_named_mp3,
    truncated,
)

from station_desktop.media.errors import MediaError
from station_desktop.media.hashing import digest_file
from station_desktop.media.probe import Probe, parse_year, probe, read_with_mutagen, sniff

TEST_MEDIA = Path(__file__).parents[2] / "data" / "test-media"


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> Samples:
    return Samples(tmp_path_factory.mktemp("samples"))


def media(name: str, tmp_path: Path) -> Path:
    copy = tmp_path / Path(name).name
    shutil.copyfile(TEST_MEDIA / name, copy)
    return copy


async def probed(path: Path, **timeouts: float) -> Probe:
    digest = digest_file(path)
    return await probe(path, read_with_mutagen(path), size=digest.size, head=digest.head,
                       ffprobe_timeout=timeouts.get("ffprobe", 20),
                       decode_timeout=timeouts.get("decode", 60))


def ffprobe(path: Path) -> dict[str, object]:
    out = subprocess.run(["ffprobe", "-v", "error", "-print_format", "json", "-show_streams",
                          "-select_streams", "a:0", str(path)], check=True,
                         capture_output=True, timeout=20).stdout
    stream: dict[str, object] = json.loads(out)["streams"][0]
    return stream


@pytest.mark.asyncio
async def test_accented_tags_cover_and_technical_data(samples: Samples, tmp_path: Path) -> None:
    path = samples.copy("accented.mp3", tmp_path)
    found = await probed(path)

    assert found.tags.title == ACCENTED["title"]
    assert found.tags.artist == ACCENTED["artist"]
    assert found.tags.album == ACCENTED["album"]
    assert found.tags.genre == ACCENTED["genre"]
    assert found.tags.year == 2019
    assert found.cover is not None and found.cover.mime == "image/png"
    assert found.cover.data.startswith(b"\x89PNG")
    info, reference = found.info, ffprobe(path)
    assert (info.container, info.codec) == ("mp3", "mp3")
    assert info.sample_rate == int(str(reference["sample_rate"]))
    assert info.channels == reference["channels"] == 2
    assert info.duration == pytest.approx(1.5, abs=0.06)
    assert 60 < info.kbps < 320
    assert not found.decoded  # mutagen alone was enough: no decode for a sound file
    assert found.notes == ()


@pytest.mark.asyncio
async def test_a_500_character_title_is_clipped_with_a_note(
    samples: Samples, tmp_path: Path
) -> None:
    found = await probed(samples.copy("long-title.flac", tmp_path))
    assert found.tags.title is not None and len(found.tags.title) == 191
    assert LONG_TITLE.startswith(found.tags.title[:-1])
    assert any("500 characters" in note for note in found.notes)


@pytest.mark.parametrize("name", ["tone.ogg", "tone.opus", "tone.m4a", "tone.wav", "tone.wma"])
@pytest.mark.asyncio
async def test_common_formats_match_ffprobe(samples: Samples, tmp_path: Path, name: str) -> None:
    path = samples.copy(name, tmp_path)
    found = await probed(path)
    reference = ffprobe(path)
    assert found.info.sample_rate == (48_000 if name.endswith("opus")
                                      else int(str(reference["sample_rate"])))
    assert found.info.channels == reference["channels"]
    assert found.info.duration == pytest.approx(float(str(reference.get("duration", 0)))
                                                or found.info.duration, abs=0.1)


@pytest.mark.asyncio
async def test_text_named_mp3_empty_and_truncated_files_are_refused(
    samples: Samples, tmp_path: Path
) -> None:
    with pytest.raises(MediaError, match=r"text file, not audio, although its name ends in \.mp3"):
        await probed(text_named_mp3(tmp_path))
    with pytest.raises(MediaError, match=r"empty \(0 bytes\)"):
        await probed(empty_file(tmp_path))
    with pytest.raises(MediaError, match=r"damaged or incomplete: its header promises 0:12 of "
                                         r"audio but only 0:0[34] decodes"):
        await probed(truncated(samples, tmp_path))


@pytest.mark.parametrize(("name", "reason"), [
    ("mutagen/sample.mid", "MIDI file"),
    ("mutagen/sample.oggtheora", "video but no sound track"),
    ("mutagen/nero-chapters.m4b", "decodes to no audio"),
    ("mediafile/emptylist.mp3", "header promises 3:37 of audio but only 0:01 decodes"),
    ("mutagen/ooming-header.flac", "not an audio file that Station Desktop can read"),
    ("mutagen/almostempty.mpc", "tags (ID3/APE) but no audio"),
    ("mutagen/adif.aac", "cannot be decoded"),
    ("mutagen/with-id3.dsf", "too short to be a track"),
])
@pytest.mark.asyncio
async def test_broken_files_from_the_wild_say_why(tmp_path: Path, name: str, reason: str) -> None:
    with pytest.raises(MediaError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        await probed(media(name, tmp_path))


@pytest.mark.asyncio
async def test_ffprobe_fills_what_mutagen_cannot_tell(tmp_path: Path) -> None:
    in_wav = await probed(media("mediafile/mpeglayer3.wav", tmp_path))  # MP3 inside a WAV
    assert (in_wav.info.container, in_wav.info.codec) == ("wav", "mp3")
    assert in_wav.info.duration == pytest.approx(5.025, abs=0.05)
    video = await probed(media("mutagen/sample_length.oggtheora", tmp_path))
    assert video.info.has_video and video.info.codec == "vorbis"
    assert video.tags.title == "Sintel Trailer"
    dsd = await probed(media("mediafile/full.dsf", tmp_path))
    assert dsd.info.codec == "dsd" and dsd.info.lossless and dsd.tags.title == "full"


@pytest.mark.asyncio
async def test_a_tool_that_takes_too_long_is_stopped(tmp_path: Path) -> None:
    with pytest.raises(MediaError, match="took longer than"):
        await probed(media("mediafile/mpeglayer3.wav", tmp_path), ffprobe=0.001)


def test_sniffing_and_years() -> None:
    assert sniff(b"#EXTM3U\n/music/a.mp3\n") == "playlist"
    assert sniff(b"hello, world\n") == "text"
    assert sniff("caf\u00e9 ".encode() * 10) == "text"
    assert sniff(b"\x89PNG\r\n\x1a\n") == "a PNG image"
    assert sniff(b"ID3\x04\x00\x00") == "tags"
    assert sniff(b"\xff\xfb\x90\x00" + bytes(100)) is None
    assert parse_year("2009-05-01") == 2009
    assert parse_year("05/01/2009") == 2009
    assert parse_year("no year") is None
    assert parse_year("20090") is None
