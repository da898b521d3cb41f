"""Which files are stored as they are, and what the others become (ffmpeg).

Stored as they are: MP3, Ogg Vorbis, Opus, Ogg FLAC, FLAC, AAC (in MP4/M4A or raw ADTS),
and PCM WAV/AIFF. Liquidsoap decodes each of them with its own decoders (mad, ogg/vorbis/
opus, flac, faad, wav/aiff) as well as through ffmpeg, they carry reliable lengths (the
AutoDJ's crossfades and the programme's durations depend on them), and they are what
streaming tools are tested with.

Everything else is converted once, at import, rather than left to the server's decoder on
air: WMA, Monkey's Audio, WavPack, TAK, TrueAudio, Musepack, Speex, AC-3/E-AC-3, ALAC, DSD
(DSF/DFF), MP3 inside WAV, audio inside a video container. Liquidsoap can only play those
through its optional ffmpeg decoder, whose codec list depends on how the server's ffmpeg
was built; their lengths are often estimates (so the crossfade lands wrong); DSD is 1-bit
audio at 2.8-5.6 MHz that must be converted to PCM anyway; and a video track only wastes
the station's quota.

What they become:

- **Same codec, better container** ("remux", no re-encoding, no quality lost): MP3 in a
  WAV becomes an ``.mp3``; the Vorbis/Opus/AAC/FLAC track of a video becomes an
  audio-only file.
- **Lossless sources → FLAC** (WavPack, APE, TAK, TTA, ALAC, WMA Lossless, DSD): lossless
  stays lossless (an operator who paid for lossless keeps it), FLAC is Liquidsoap's native
  lossless format and keeps tags. Sample rates above 48 kHz (DSD, hi-res) are brought to
  44.1 or 48 kHz: the station streams at 44.1/48 kHz, so more is only size.
- **Lossy sources → MP3, LAME VBR V0** (~245 kbps): re-encoding lossy audio loses a
  little, so the highest VBR quality keeps that far below what the stream's own encoding
  (64-320 kbps) loses; MP3 plays everywhere, and LAME writes a Xing/LAME header so the
  length is exact. Ogg Vorbis would do as well on quality, but ffmpeg's Vorbis encoder
  depends on the build having libvorbis; every Debian ffmpeg has LAME.

OptimFROG has no decoder in ffmpeg: such files are refused with a clear reason.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from station_desktop.media.errors import MediaError
from station_desktop.media.probe import AudioInfo, file_url, tool_reason
from station_desktop.media.tools import run_tool, tool_path

log = logging.getLogger("station_desktop.media.transcode")

# (container, codec) pairs stored as they are, with the extension they get.
DIRECT: dict[tuple[str, str], str] = {
    ("mp3", "mp3"): "mp3",
    ("ogg", "vorbis"): "ogg",
    ("ogg", "opus"): "opus",
    ("ogg", "flac"): "ogg",
    ("flac", "flac"): "flac",
    ("mp4", "aac"): "m4a",
    ("aac", "aac"): "aac",
    ("wav", "pcm"): "wav",
    ("aiff", "pcm"): "aiff",
}
# Codecs that a standard container holds without re-encoding: codec -> (muxer, extension).
REMUX: dict[str, tuple[str, str]] = {
    "mp3": ("mp3", "mp3"),
    "vorbis": ("ogg", "ogg"),
    "opus": ("ogg", "opus"),
    "flac": ("flac", "flac"),
    "aac": ("ipod", "m4a"),
}
UNSUPPORTED: dict[str, str] = {
    "optimfrog": "OptimFROG files cannot be converted here: ffmpeg, which converts them, "
                 "has no OptimFROG decoder. Convert the file to FLAC with OptimFROG's own "
                 "tools, then import the FLAC.",
}
MAX_RATE = 48_000
MP3_RATES = (8_000, 11_025, 12_000, 16_000, 22_050, 24_000, 32_000, 44_100, 48_000)
MP3_V0_BPS = 260_000  # a generous bound on LAME V0's rate, to estimate an output's size

Kind = Literal["store", "remux", "flac", "mp3"]


@dataclass(frozen=True, slots=True)
class Plan:
    """How a file is stored: ``kind`` and the stored file's extension."""

    kind: Kind
    extension: str
    reason: str = ""  # why it is converted ("" when stored as it is)

    @property
    def converts(self) -> bool:
        return self.kind != "store"

    def output_rate(self, info: AudioInfo) -> int:
        """The stored file's sample rate."""
        if self.kind == "flac":
            return _output_rate(info, None) or info.sample_rate
        if self.kind == "mp3":
            return _output_rate(info, MP3_RATES) or info.sample_rate
        return info.sample_rate

    def estimated_size(self, info: AudioInfo, source_size: int) -> int:
        """A size to reserve in the quota before converting: the source's, or for MP3
        what V0 may reach, whichever is larger."""
        if self.kind == "mp3":
            return max(source_size, int(info.duration * MP3_V0_BPS / 8))
        return source_size


def plan_for(info: AudioInfo) -> Plan:
    """What happens to a file with these technical facts (see the module docstring)."""
    if info.codec in UNSUPPORTED:
        raise MediaError(UNSUPPORTED[info.codec])
    direct = DIRECT.get((info.container, info.codec))
    if direct is not None and not info.has_video:
        return Plan("store", direct)
    if info.codec in REMUX and info.sample_rate <= MAX_RATE:
        why = "a video track removed" if info.has_video else f"moved out of {info.container}"
        return Plan("remux", REMUX[info.codec][1], why)
    if info.lossless:
        return Plan("flac", "flac", f"{info.codec} converted to FLAC (lossless)")
    return Plan("mp3", "mp3", f"{info.codec} converted to MP3")


def _output_rate(info: AudioInfo, allowed: tuple[int, ...] | None) -> int | None:
    """The sample rate to convert to, or None to keep the source's."""
    rate = info.sample_rate
    if rate > MAX_RATE:
        rate = 44_100 if rate % 44_100 == 0 else MAX_RATE
    if allowed is not None and rate not in allowed:
        rate = min((r for r in allowed if r >= rate), default=MAX_RATE)
    return rate if rate != info.sample_rate else None


def ffmpeg_arguments(source: Path, target: Path, info: AudioInfo, plan: Plan) -> list[str]:
    """The ffmpeg command that makes ``target`` from ``source`` according to ``plan``."""
    argv = [tool_path("ffmpeg"), "-nostdin", "-v", "error", "-y", "-i", file_url(source),
            "-map", "0:a:0", "-vn", "-sn", "-dn", "-map_metadata", "0"]
    if plan.kind == "remux":
        muxer = REMUX[info.codec][0]
        argv += ["-c:a", "copy", "-f", muxer]
    elif plan.kind == "flac":
        argv += ["-c:a", "flac", "-compression_level", "5"]
        if info.codec == "dsd" or info.sample_rate > MAX_RATE:
            argv += ["-sample_fmt", "s32", "-bits_per_raw_sample", "24"]
        rate = _output_rate(info, None)
        if rate:
            argv += ["-ar", str(rate)]
        argv += ["-f", "flac"]
    elif plan.kind == "mp3":
        argv += ["-c:a", "libmp3lame", "-q:a", "0", "-id3v2_version", "3", "-write_xing", "1"]
        if info.channels > 2:
            argv += ["-ac", "2"]
        rate = _output_rate(info, MP3_RATES)
        if rate:
            argv += ["-ar", str(rate)]
        argv += ["-f", "mp3"]
    else:
        raise ValueError("nothing to convert for a file stored as it is")
    return [*argv, file_url(target)]


async def convert(source: Path, target: Path, info: AudioInfo, plan: Plan, *,
                  timeout: float) -> None:
    """Make ``target`` (in a private temporary folder) from ``source``; MediaError with
    ffmpeg's reason if it fails, and no ``target`` left behind."""
    argv = ffmpeg_arguments(source, target, info, plan)
    try:
        result = await run_tool(argv, timeout=timeout, what="Converting the file with ffmpeg")
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    if result.returncode != 0 or not target.is_file() or target.stat().st_size == 0:
        target.unlink(missing_ok=True)
        reason = tool_reason(result.error_line, source)
        raise MediaError(
            f"The {info.codec.upper()} audio could not be converted for broadcast "
            f"(ffmpeg: {reason}). The file is damaged or in a variant ffmpeg cannot "
            "decode; convert it to MP3 or FLAC with another program and import that."
        )
