"""What is stored as it is and what is converted, and real conversions with ffmpeg."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from unit.media.audio_samples import Samples

from station_desktop.media.errors import MediaError
from station_desktop.media.hashing import digest_file
from station_desktop.media.probe import AudioInfo, probe, read_with_mutagen
from station_desktop.media.transcode import convert, plan_for

TEST_MEDIA = Path(__file__).parents[2] / "data" / "test-media"


def info(container: str, codec: str, rate: int = 44_100, channels: int = 2,
         video: bool = False) -> AudioInfo:
    return AudioInfo(container, codec, 60.0, 256_000, rate, channels, has_video=video)


@pytest.mark.parametrize(("container", "codec", "kind", "extension"), [
    ("mp3", "mp3", "store", "mp3"),
    ("ogg", "vorbis", "store", "ogg"),
    ("ogg", "opus", "store", "opus"),
    ("flac", "flac", "store", "flac"),
    ("mp4", "aac", "store", "m4a"),
    ("wav", "pcm", "store", "wav"),
    ("aiff", "pcm", "store", "aiff"),
    ("wav", "mp3", "remux", "mp3"),  # MP3 inside a WAV: no re-encoding
    ("asf", "wma", "mp3", "mp3"),
    ("mpc", "musepack", "mp3", "mp3"),
    ("ac3", "eac3", "mp3", "mp3"),
    ("ape", "ape", "flac", "flac"),
    ("wv", "wavpack", "flac", "flac"),
    ("mp4", "alac", "flac", "flac"),
    ("dsf", "dsd", "flac", "flac"),
    ("asf", "wmalossless", "flac", "flac"),
])
def test_plans(container: str, codec: str, kind: str, extension: str) -> None:
    plan = plan_for(info(container, codec))
    assert (plan.kind, plan.extension) == (kind, extension)
    assert plan.converts == (kind != "store")


def test_video_is_dropped_and_exotic_rates_come_down() -> None:
    assert plan_for(info("mp4", "aac", video=True)).kind == "remux"
    dsd = info("dsf", "dsd", rate=2_822_400)
    assert plan_for(dsd).output_rate(dsd) == 44_100
    hi_res = info("wv", "wavpack", rate=96_000)
    assert plan_for(hi_res).output_rate(hi_res) == 48_000
    with pytest.raises(MediaError, match="OptimFROG"):
        plan_for(info("ofr", "optimfrog"))


async def converted(source: Path, tmp_path: Path) -> tuple[AudioInfo, Path]:
    digest = digest_file(source)
    found = await probe(source, read_with_mutagen(source), size=digest.size, head=digest.head,
                        ffprobe_timeout=20, decode_timeout=60)
    plan = plan_for(found.info)
    target = tmp_path / "out" / f"converted.{plan.extension}"
    target.parent.mkdir(exist_ok=True)
    await convert(source, target, found.info, plan, timeout=60)
    out = read_with_mutagen(target)
    assert out.audio.duration == pytest.approx(found.info.duration, abs=0.1)
    return found.info, target


@pytest.mark.asyncio
@pytest.mark.parametrize(("name", "codec"), [
    ("mediafile/full.ape", "flac"), ("mutagen/silence-44-s.tak", "flac"),
    ("mediafile/full.dsf", "flac"), ("mutagen/silence-1.wma", "mp3"),
    ("mediafile/mpeglayer3.wav", "mp3"),
])
async def test_real_conversions(tmp_path: Path, name: str, codec: str) -> None:
    source = tmp_path / Path(name).name
    shutil.copyfile(TEST_MEDIA / name, source)
    _, target = await converted(source, tmp_path)
    out = read_with_mutagen(target)
    assert out.audio.codec == codec
    assert out.audio.sample_rate is not None and out.audio.sample_rate <= 48_000


@pytest.mark.asyncio
async def test_generated_wma_becomes_mp3_with_its_tags(samples: Samples, tmp_path: Path) -> None:
    source = samples.copy("tone.wma", tmp_path)
    before, target = await converted(source, tmp_path)
    out = read_with_mutagen(target)
    assert out.audio.codec == "mp3" and out.tags.title == "WMA tone"
    assert before.codec == "wma"


@pytest.mark.asyncio
async def test_a_failed_conversion_says_why_and_leaves_nothing(tmp_path: Path) -> None:
    source = tmp_path / "full.wma"  # mutagen reads it; ffmpeg cannot decode it
    shutil.copyfile(TEST_MEDIA / "mediafile" / "full.wma", source)
    target = tmp_path / "out.mp3"
    with pytest.raises(MediaError,
                       match=r"WMA audio could not be converted .*ffmpeg: Invalid data"):
        await convert(source, target, info("asf", "wma"), plan_for(info("asf", "wma")),
                      timeout=30)
    assert not target.exists()


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> Samples:
    return Samples(tmp_path_factory.mktemp("samples"))
