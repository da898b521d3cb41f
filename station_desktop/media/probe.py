"""What a file is: validation, tags and technical data.

mutagen reads tags, cover art and header data in-process in about a millisecond, so it
comes first (it is the import's speed limit). ffprobe (one process, ~60 ms) is the fallback
when mutagen does not know the file, leaves a technical value out (Monkey's Audio has no
bitrate, TrueAudio no channel count, a WAV may hold MP3), or when the file may carry video
(an Ogg Theora, an ``.mp4``). A full decode with ffmpeg checks the files whose headers look
wrong: a header that promises far more audio than the file's size can hold (a truncated
download, a damaged rip), an MP3 whose frames mutagen had to hunt for, raw AAC whose length
is only an estimate. Such a file is refused when much less decodes than it claims.

Everything here raises :class:`~station_desktop.media.errors.MediaError` with a reason a
person understands ("The file is empty", "This is a text file, not audio", "The file is
damaged or incomplete: its header promises 3:37 of audio but only 0:01 decodes").
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import math
import re
import struct
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import mutagen
import mutagen.flac
import mutagen.id3

from station_desktop.media.errors import MediaError
from station_desktop.media.names import clean_tag
from station_desktop.media.tools import ToolResult, run_tool, tool_path

log = logging.getLogger("station_desktop.media.probe")

MIN_YEAR, MAX_YEAR = 1000, 2100
MAX_COVER_BYTES = 16 * 1024**2  # an embedded picture larger than this is ignored
MIN_DURATION = 0.05  # seconds; less is not a track
MAX_CHANNELS = 8
# Below these rates per second of claimed audio the header is not believed without a
# decode: music is never this small (silence compresses that well, and decodes fast).
MIN_LOSSY_BPS = 24_000
MIN_LOSSLESS_BPS = 32_000
# The header's own bitrate may exceed what the file holds by this much before it is
# checked (VBR averages and tags blur it; PCM has no such slack).
BITRATE_SLACK = {True: 1.1, False: 1.5}  # keyed by "is PCM"
# A decode that yields less than this share of the claimed duration (and over a second
# less) means the file is damaged or incomplete.
MIN_DECODED_SHARE = 0.9

# Extensions that may name audio, for expanding folders (a file given by name is always
# tried, whatever its extension).
AUDIO_EXTENSIONS = frozenset({
    "mp3", "mp2", "ogg", "oga", "opus", "spx", "flac", "m4a", "m4b", "mp4", "aac", "3gp",
    "3g2", "wav", "wave", "aif", "aiff", "aifc", "wma", "asf", "ape", "wv", "mpc", "tak",
    "tta", "ofr", "ofs", "dsf", "dff", "ac3", "eac3", "mka", "webm", "caf", "w64",
})
# Containers that often carry video: ffprobe looks for a picture track.
_VIDEO_EXTENSIONS = frozenset({"mp4", "m4v", "mov", "3gp", "3g2", "mkv", "webm", "avi", "ogv"})

_LOSSLESS_CODECS = frozenset({
    "flac", "alac", "pcm", "ape", "wavpack", "tak", "tta", "optimfrog", "dsd",
    "wmalossless", "truehd", "mlp",
})


@dataclass(frozen=True, slots=True)
class Tags:
    title: str | None = None
    artist: str | None = None
    album: str | None = None
    genre: str | None = None
    year: int | None = None


@dataclass(frozen=True, slots=True)
class Cover:
    data: bytes
    mime: str

    def __repr__(self) -> str:
        return f"<Cover {self.mime} {len(self.data)} bytes>"


@dataclass(frozen=True, slots=True)
class AudioInfo:
    """Technical facts of the audio. ``container`` and ``codec`` are short names (``mp4``
    and ``aac``, ``ogg`` and ``opus``, ``wav`` and ``pcm``...); ``bitrate`` is in bits per
    second."""

    container: str
    codec: str
    duration: float
    bitrate: int
    sample_rate: int
    channels: int
    has_video: bool = False

    @property
    def lossless(self) -> bool:
        return self.codec in _LOSSLESS_CODECS

    @property
    def kbps(self) -> int:
        return round(self.bitrate / 1000)


@dataclass(frozen=True, slots=True)
class Probe:
    """A file that passed validation: what it is, its tags, its cover, and notes on what
    was changed to store the tags (clipped text, an impossible year left out)."""

    info: AudioInfo
    tags: Tags
    cover: Cover | None
    notes: tuple[str, ...] = ()
    decoded: bool = False  # the duration was measured by decoding the whole file


@dataclass(slots=True)
class _Partial:
    """What one reader found; None is "unknown"."""

    container: str | None = None
    codec: str | None = None
    duration: float | None = None
    bitrate: int | None = None
    header_bitrate: int | None = None  # the bitrate the header states, for the size check
    sample_rate: int | None = None
    channels: int | None = None
    has_video: bool = False
    pcm_checked: bool = False  # a WAV whose format tag says PCM
    estimate: bool = False  # the duration is a guess (hunted MP3 frames, raw AAC)


@dataclass(frozen=True, slots=True)
class MutagenRead:
    """What mutagen made of a file (``kind`` is mutagen's class name, None if unknown)."""

    kind: str | None
    audio: _Partial
    tags: Tags
    cover: Cover | None
    notes: tuple[str, ...] = ()
    error: str | None = None

    @property
    def complete(self) -> bool:
        a = self.audio
        return None not in (a.container, a.codec, a.duration, a.sample_rate, a.channels)


@dataclass(frozen=True, slots=True)
class FfprobeRead:
    audio: _Partial
    tags: Mapping[str, str] = field(default_factory=dict)
    audio_streams: int = 0
    video_streams: int = 0
    error: str | None = None


# -- small parsers -----------------------------------------------------------------------


def _positive_float(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) and number > 0 else None


def _positive_int(value: object, maximum: int = 2**31 - 1) -> int | None:
    number = _positive_float(value)
    if number is None:
        return None
    whole = round(number)
    return whole if 0 < whole <= maximum else None


def parse_year(text: str | None) -> int | None:
    """The year in a date tag ("2009", "2009-05-01", "2009/05", "05/01/2009"), or None."""
    if not text:
        return None
    match = re.search(r"(?<!\d)(\d{4})(?!\d)", text)
    return int(match.group(1)) if match else None


def format_duration(seconds: float) -> str:
    whole = max(round(seconds), 0)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _tags_from_texts(texts: Mapping[str, str | None], notes: list[str]) -> Tags:
    values: dict[str, Any] = {}
    for key, label in (("title", "Title"), ("artist", "Artist"), ("album", "Album"),
                       ("genre", "Genre")):
        text, note = clean_tag(texts.get(key), label)
        values[key] = text
        if note:
            notes.append(note)
    raw_year = texts.get("date")
    year = parse_year(raw_year)
    if year == 0:  # "0000": taggers' way of saying "no year"
        year = None
    elif year is not None and not MIN_YEAR <= year <= MAX_YEAR:
        notes.append(f"The year {year} is not between {MIN_YEAR} and {MAX_YEAR}; it was "
                     "left empty.")
        year = None
    elif year is None and raw_year and raw_year.strip().strip("0-/. "):
        shown, _ = clean_tag(raw_year, "Year")
        notes.append(f"The date tag {shown!r} holds no year; the year was left empty.")
    values["year"] = year
    return Tags(**values)


# -- mutagen -----------------------------------------------------------------------------

# mutagen's file classes: container, codec (None: decided from the info), known as audio.
_KINDS: dict[str, tuple[str, str | None]] = {
    "MP3": ("mp3", None), "EasyMP3": ("mp3", None),
    "OggVorbis": ("ogg", "vorbis"), "OggOpus": ("ogg", "opus"), "OggFLAC": ("ogg", "flac"),
    "OggSpeex": ("ogg", "speex"), "OggTheora": ("ogg", None),
    "FLAC": ("flac", "flac"), "MP4": ("mp4", None), "EasyMP4": ("mp4", None),
    "WAVE": ("wav", None), "AIFF": ("aiff", "pcm"), "ASF": ("asf", None),
    "MonkeysAudio": ("ape", "ape"), "WavPack": ("wv", "wavpack"), "Musepack": ("mpc", "musepack"),
    "TAK": ("tak", "tak"), "TrueAudio": ("tta", "tta"), "OptimFROG": ("ofr", "optimfrog"),
    "DSF": ("dsf", "dsd"), "DSDIFF": ("dff", "dsd"), "AAC": ("aac", "aac"), "AC3": ("ac3", None),
    "SMF": ("midi", "midi"),
}
_MP4_CODECS = {"alac": "alac", "ac-3": "ac3", "ec-3": "eac3", "mp4a.6b": "mp3",
               "mp4a.69": "mp3", "mp4a.a9": "dts", "opus": "opus", "flac": "flac"}
_WAVE_PCM = (1, 3, 0xFFFE)  # integer PCM, float PCM, extensible (PCM in practice)

# Tag keys per tag flavour, for title, artist, album, genre and date.
_ID3_KEYS = {"title": "TIT2", "artist": "TPE1", "album": "TALB", "genre": "TCON",
             "date": "TDRC"}
_VORBIS_KEYS = {"title": "title", "artist": "artist", "album": "album", "genre": "genre",
                "date": "date"}
_MP4_KEYS = {"title": "\xa9nam", "artist": "\xa9ART", "album": "\xa9alb", "genre": "\xa9gen",
             "date": "\xa9day"}
_ASF_KEYS = {"title": "Title", "artist": "Author", "album": "WM/AlbumTitle",
             "genre": "WM/Genre", "date": "WM/Year"}
_APE_KEYS = {"title": "Title", "artist": "Artist", "album": "Album", "genre": "Genre",
             "date": "Year"}


def _join(values: Iterable[object]) -> str | None:
    parts: list[str] = []
    for value in values:
        text = getattr(value, "value", value)  # ASF attributes wrap their value
        if isinstance(text, bytes):
            continue
        text = str(text).strip()
        if text and text not in parts:
            parts.append(text)
    return "; ".join(parts) if parts else None


def _get(tags: Any, key: str) -> Any:
    try:
        return tags.get(key)
    except (KeyError, ValueError):
        return None


def _id3_texts(tags: Any) -> dict[str, str | None]:
    texts: dict[str, str | None] = {}
    for key, frame_id in _ID3_KEYS.items():
        frame = _get(tags, frame_id)
        if frame is None and key == "date":
            frame = _get(tags, "TYER") or _get(tags, "TDOR")
        if frame is None:
            texts[key] = None
        elif key == "genre":
            texts[key] = _join(frame.genres)
        else:
            texts[key] = _join(frame.text)
    return texts


def _mapping_texts(tags: Any, keys: Mapping[str, str]) -> dict[str, str | None]:
    texts: dict[str, str | None] = {}
    for key, tag_key in keys.items():
        values = _get(tags, tag_key)
        if values is None:
            texts[key] = None
        elif isinstance(values, list | tuple):
            texts[key] = _join(values)
        else:
            texts[key] = _join([values])
    return texts


def _mp4_texts(tags: Any) -> dict[str, str | None]:
    texts = _mapping_texts(tags, _MP4_KEYS)
    if texts.get("genre") is None and "gnre" in tags:  # ID3v1 genre numbers, 1-based
        names = [mutagen.id3.TCON.GENRES[n - 1] for n in tags["gnre"]
                 if isinstance(n, int) and 0 < n <= len(mutagen.id3.TCON.GENRES)]
        texts["genre"] = _join(names)
    return texts


def _ape_texts(tags: Any) -> dict[str, str | None]:
    texts: dict[str, str | None] = {}
    for key, tag_key in _APE_KEYS.items():
        value = _get(tags, tag_key)
        if value is None and key == "date":
            value = _get(tags, "Date")
        if value is None or getattr(value, "kind", 0) != 0:  # 0: text (not binary/link)
            texts[key] = None
        else:
            texts[key] = _join(list(value))
    return texts


def _flavour(tags: Any) -> str:
    module = type(tags).__module__
    if isinstance(tags, mutagen.id3.ID3):
        return "id3"
    if "mp4" in module:
        return "mp4"
    if "asf" in module:
        return "asf"
    if "apev2" in module:
        return "ape"
    if "_vorbis" in module or "ogg" in module or "flac" in module:
        return "vorbis"
    return "unknown"


def _texts(tags: Any) -> dict[str, str | None]:
    flavour = _flavour(tags)
    if flavour == "id3":
        return _id3_texts(tags)
    if flavour == "mp4":
        return _mp4_texts(tags)
    if flavour == "asf":
        return _mapping_texts(tags, _ASF_KEYS)
    if flavour == "ape":
        return _ape_texts(tags)
    if flavour == "vorbis":
        return _mapping_texts(tags, _VORBIS_KEYS)
    return {}


def _pick(pictures: list[tuple[int, str, bytes]]) -> Cover | None:
    """The front cover (picture type 3) if there is one, else the first picture."""
    usable = [(kind, mime, data) for kind, mime, data in pictures
              if data and len(data) <= MAX_COVER_BYTES]
    if not usable:
        return None
    usable.sort(key=lambda picture: picture[0] != 3)
    _kind, mime, data = usable[0]
    return Cover(bytes(data), mime or "image/unknown")


def _asf_picture(raw: bytes) -> tuple[int, str, bytes] | None:
    """WM/Picture: type (1 byte), size (4, LE), MIME and description (UTF-16-LE, NUL
    terminated), then the image."""
    if len(raw) < 5:
        return None
    kind, size = struct.unpack_from("<BI", raw)
    position = 5
    texts: list[str] = []
    for _ in range(2):
        end = position
        while end + 1 < len(raw) and raw[end:end + 2] != b"\x00\x00":
            end += 2
        texts.append(raw[position:end].decode("utf-16-le", errors="replace"))
        position = end + 2
    data = raw[position:position + size]
    return (kind, texts[0], data) if len(data) == size else None


Pictures = list[tuple[int, str, bytes]]  # (picture type, MIME type, data)


def _id3_pictures(tags: Any) -> Pictures:
    found = [(frame.type, frame.mime, frame.data) for frame in tags.getall("APIC")]
    found += [(frame.type, f"image/{frame.mime.lower()}", frame.data)
              for frame in tags.getall("PIC")]
    return found


def _vorbis_pictures(tags: Any) -> Pictures:
    found: Pictures = []
    flac_picture: Any = mutagen.flac.Picture
    for value in _get(tags, "metadata_block_picture") or []:
        picture = flac_picture(base64.b64decode(value))
        found.append((picture.type, picture.mime, picture.data))
    for value in _get(tags, "coverart") or []:  # the old, unofficial Ogg field
        mime = (_get(tags, "coverartmime") or ["image/jpeg"])[0]
        found.append((3, mime, base64.b64decode(value)))
    return found


def _mp4_pictures(tags: Any) -> Pictures:
    return [(3, "image/png" if cover.imageformat == cover.FORMAT_PNG else "image/jpeg",
             bytes(cover)) for cover in _get(tags, "covr") or []]


def _asf_pictures(tags: Any) -> Pictures:
    parsed = [_asf_picture(bytes(a.value)) for a in _get(tags, "WM/Picture") or []]
    return [p for p in parsed if p is not None]


def _ape_pictures(tags: Any) -> Pictures:
    found: Pictures = []
    for key, kind in (("Cover Art (Front)", 3), ("Cover Art (Back)", 4)):
        value = _get(tags, key)
        if value is not None and getattr(value, "kind", 0) == 1:  # binary
            _name, _, data = bytes(value.value).partition(b"\x00")
            found.append((kind, "", data))
    return found


_PICTURE_READERS = {"id3": _id3_pictures, "vorbis": _vorbis_pictures, "mp4": _mp4_pictures,
                    "asf": _asf_pictures, "ape": _ape_pictures}


def _pictures(audio: Any, tags: Any) -> Pictures:
    found: Pictures = [(picture.type, picture.mime, picture.data)  # FLAC's own blocks
                       for picture in getattr(audio, "pictures", None) or []]
    if tags is not None:
        reader = _PICTURE_READERS.get(_flavour(tags))
        if reader is not None:
            found += reader(tags)
    return found


def _audio_from_mutagen(kind: str, audio: Any) -> _Partial:
    info = audio.info
    container, codec = _KINDS.get(kind, (None, None))
    partial = _Partial(container=container, codec=codec)
    partial.duration = _positive_float(getattr(info, "length", None))
    partial.sample_rate = _positive_int(getattr(info, "sample_rate", None))
    partial.channels = _positive_int(getattr(info, "channels", None), MAX_CHANNELS)
    partial.header_bitrate = _positive_int(getattr(info, "bitrate", None))
    if kind in ("MP3", "EasyMP3"):
        partial.codec = {1: "mp1", 2: "mp2"}.get(getattr(info, "layer", 3), "mp3")
        partial.estimate = bool(getattr(info, "sketchy", False))
    elif kind == "OggOpus":
        partial.sample_rate = 48_000  # Opus always decodes at 48 kHz
    elif kind == "OggTheora":
        partial = _Partial(container="ogg", has_video=True)  # its length is the video's
    elif kind in ("MP4", "EasyMP4"):
        description = str(getattr(info, "codec", "")).lower()
        partial.codec = "aac" if description.startswith("mp4a.40") else _MP4_CODECS.get(
            description)
    elif kind == "WAVE":
        if getattr(info, "audio_format", None) in _WAVE_PCM:
            partial.codec, partial.pcm_checked = "pcm", True
        else:  # ADPCM, MP3 in WAV...: mutagen's length means nothing, ask ffprobe
            partial.duration = partial.header_bitrate = None
    elif kind == "ASF":
        names = f"{getattr(info, 'codec_type', '')} {getattr(info, 'codec_name', '')}"
        partial.codec = "wmalossless" if "lossless" in names.lower() else "wma"
    elif kind == "AC3":
        partial.codec = "eac3" if getattr(info, "codec", "") == "ec-3" else "ac3"
    elif kind == "AAC":
        partial.estimate = True  # ADTS/ADIF lengths are estimated from the first frames
    elif kind in ("DSF", "DSDIFF") and partial.header_bitrate is None:
        partial.duration = None  # compressed DSD (DST): mutagen cannot tell its length
    if partial.duration is not None and partial.duration < MIN_DURATION:
        partial.duration = None  # DSD and very short files: let ffprobe measure them
    partial.bitrate = partial.header_bitrate
    return partial


def read_with_mutagen(path: Path) -> MutagenRead:
    """Tags, cover and header data by mutagen (blocking: call from a worker thread).
    Never raises for a bad file: what went wrong is in ``error``."""
    notes: list[str] = []
    try:
        audio = mutagen.File(path)
    except Exception as exc:  # mutagen raises many kinds on damaged input
        return MutagenRead(None, _Partial(), Tags(), None, error=f"{type(exc).__name__}: {exc}")
    if audio is None:
        return MutagenRead(None, _Partial(), Tags(), None, error="unknown format")
    kind = type(audio).__name__
    if kind == "APEv2File":  # a bare APEv2 tag, no audio mutagen knows
        return MutagenRead(None, _Partial(), Tags(), None, error="tags without audio")
    partial = _audio_from_mutagen(kind, audio)
    tags = audio.tags
    texts: dict[str, str | None] = {}
    cover: Cover | None = None
    if tags is not None:
        try:
            texts = _texts(tags)
        except Exception as exc:  # a damaged frame must not lose the file
            log.info("unreadable tags in %s: %s", path.name, exc)
            notes.append("Some tags could not be read and were left empty.")
    try:
        cover = _pick(_pictures(audio, tags))
    except (ValueError, TypeError, struct.error, binascii.Error, mutagen.MutagenError) as exc:
        log.info("unreadable cover in %s: %s", path.name, exc)
        notes.append("The embedded cover art could not be read.")
    return MutagenRead(kind, partial, _tags_from_texts(texts, notes), cover, tuple(notes))


# -- ffprobe and ffmpeg ------------------------------------------------------------------

_FFPROBE_CONTAINERS = {
    "mov,mp4,m4a,3gp,3g2,mj2": "mp4", "matroska,webm": "mka", "iff": "dff", "mpc8": "mpc",
    "w64": "wav", "mp3": "mp3", "ogg": "ogg", "flac": "flac", "wav": "wav", "aiff": "aiff",
    "asf": "asf", "ape": "ape", "wv": "wv", "mpc": "mpc", "tak": "tak", "tta": "tta",
    "dsf": "dsf", "aac": "aac", "ac3": "ac3", "eac3": "eac3", "caf": "caf",
}
_FFPROBE_CODECS = {
    "wmav1": "wma", "wmav2": "wma", "wmapro": "wma", "wmavoice": "wma",
    "musepack7": "musepack", "musepack8": "musepack", "mp3float": "mp3",
}


_TOOL_PREFIX = re.compile(r"^(?:\[[^\]]*@ 0x[0-9a-f]+\]\s*)+")


def tool_reason(line: str, path: Path) -> str:
    """A tool's error line without what only clutters it: the file's own URL or path and
    the ``[decoder @ 0x55...]`` prefix."""
    for prefix in (file_url(path), str(path.absolute()), str(path)):
        line = line.replace(prefix + ": ", "").replace(prefix, path.name)
    return _TOOL_PREFIX.sub("", line).strip() or line


def _codec_name(name: str) -> str:
    if name.startswith("pcm_"):
        return "pcm"
    if name.startswith("dsd_"):
        return "dsd"
    return _FFPROBE_CODECS.get(name, name)


def file_url(path: Path) -> str:
    """``path`` for ffmpeg's command line: the ``file:`` protocol and an absolute path, so
    a name like ``concat:...`` or ``-i`` is never read as a protocol or an option."""
    return "file:" + str(path.absolute())


async def run_ffprobe(path: Path, *, timeout: float) -> FfprobeRead:
    result = await run_tool(
        [tool_path("ffprobe"), "-v", "error", "-print_format", "json", "-show_format",
         "-show_streams", "-i", file_url(path)],
        timeout=timeout, what="Reading the file with ffprobe")
    if result.returncode != 0:
        return FfprobeRead(_Partial(), error=tool_reason(result.error_line, path))
    try:
        data = json.loads(result.stdout or b"{}")
    except ValueError:
        return FfprobeRead(_Partial(), error="ffprobe gave no readable answer")
    fmt = data.get("format") or {}
    streams = data.get("streams") or []
    audio_streams = [s for s in streams if s.get("codec_type") == "audio"]
    video = [s for s in streams if s.get("codec_type") == "video"
             and not (s.get("disposition") or {}).get("attached_pic")]
    tags = {str(k).lower(): str(v) for k, v in (fmt.get("tags") or {}).items()}
    partial = _Partial(
        container=_FFPROBE_CONTAINERS.get(str(fmt.get("format_name", "")),
                                          str(fmt.get("format_name", "")) or None),
        has_video=bool(video),
    )
    if audio_streams:
        stream = audio_streams[0]
        for k, v in (stream.get("tags") or {}).items():
            tags.setdefault(str(k).lower(), str(v))
        partial.codec = _codec_name(str(stream.get("codec_name", ""))) or None
        partial.duration = (_positive_float(stream.get("duration"))
                            or _positive_float(fmt.get("duration")))
        partial.sample_rate = _positive_int(stream.get("sample_rate"))
        partial.channels = _positive_int(stream.get("channels"), MAX_CHANNELS)
        partial.header_bitrate = (_positive_int(stream.get("bit_rate"))
                                  or _positive_int(fmt.get("bit_rate")))
        partial.bitrate = partial.header_bitrate
        partial.pcm_checked = partial.codec == "pcm"
    return FfprobeRead(partial, tags, len(audio_streams), len(video))


_OUT_TIME = re.compile(rb"^out_time_us=(-?\d+)\s*$", re.M)


async def decoded_seconds(path: Path, *, timeout: float) -> tuple[float, ToolResult]:
    """Decode the first audio stream completely (to nothing) and return how many seconds
    came out, with the run's result (its errors, if any)."""
    result = await run_tool(
        [tool_path("ffmpeg"), "-nostdin", "-v", "error", "-nostats", "-progress", "pipe:1",
         "-i", file_url(path), "-map", "0:a:0", "-f", "null", "-"],
        timeout=timeout, what="Decoding the file to check it")
    times = _OUT_TIME.findall(result.stdout)
    seconds = max(int(times[-1]), 0) / 1e6 if times else 0.0
    return seconds, result


# -- what a file is when nothing reads it ------------------------------------------------

_MAGIC = (
    (b"MThd", "midi"), (b"ID3", "tags"), (b"APETAGEX", "tags"),
    (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"), (b"PK\x03\x04", "a ZIP archive"),
    (b"Rar!", "a RAR archive"), (b"7z\xbc\xaf", "a 7-Zip archive"),
)


def _as_text(head: bytes) -> str | None:
    """``head`` as text if it reads as UTF-8 text (no NULs, almost all printable)."""
    if b"\x00" in head:
        return None
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the end of the sample
            return None
        text = head[:exc.start].decode("utf-8")
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
    return text if text and printable >= 0.95 * len(text) else None


def sniff(head: bytes) -> str | None:
    """What the first bytes of an unreadable file say it is: "midi", "tags", "playlist",
    "text", "a PNG image"..., or None."""
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    text = _as_text(head)
    if text is None:
        return None
    return "playlist" if text.lstrip().upper().startswith(("#EXTM3U", "[PLAYLIST]")) else "text"


def _suffix(path: Path) -> str:
    return path.suffix.lower().lstrip(".")


def _not_audio_error(path: Path, head: bytes, size: int, detail: str | None) -> MediaError:
    if size == 0:
        return MediaError("The file is empty (0 bytes): there is no audio in it.")
    what = sniff(head)
    suffix = _suffix(path)
    named = f", although its name ends in .{suffix}" if suffix else ""
    messages = {
        "midi": _midi_error().message,
        "tags": "The file holds tags (ID3/APE) but no audio: it was cut off, or it is not "
                "a track.",
        "playlist": f"This is a playlist, not audio{named}: import the audio files it lists "
                    "instead.",
        "text": f"This is a text file, not audio{named}.",
    }
    if what is not None:
        return MediaError(messages.get(what, f"This is {what}, not audio{named}."))
    reason = f" (ffprobe: {detail})" if detail else ""
    return MediaError(
        f"This is not an audio file that Station Desktop can read{reason}. If it plays in "
        "another program, convert it to MP3, Ogg Vorbis or FLAC and import that."
    )


def _midi_error() -> MediaError:
    return MediaError(
        "This is a MIDI file: it holds notes, not recorded sound, so it cannot go on air. "
        "Render it to audio (for example with a software synthesizer) and import that."
    )


# -- putting it together -----------------------------------------------------------------


def _merge(first: _Partial, second: _Partial) -> _Partial:
    """``first``'s values, with the gaps filled from ``second``."""
    merged = replace(first)
    for name in ("container", "codec", "duration", "bitrate", "header_bitrate",
                 "sample_rate", "channels"):
        if getattr(merged, name) is None:
            setattr(merged, name, getattr(second, name))
    merged.has_video = first.has_video or second.has_video
    merged.pcm_checked = first.pcm_checked or second.pcm_checked
    return merged


def _needs_decode(audio: _Partial, size: int) -> bool:
    """Whether the header's duration must be checked by decoding (see module docstring)."""
    assert audio.duration is not None
    if audio.estimate:
        return True
    if audio.container == "ogg":
        # Ogg's length is the last page's position: measured from what the file holds, so
        # a cut file states a shorter length, never a longer one. (A Vorbis header's
        # "nominal" bitrate is only the encoder's target: no use for the check below.)
        return False
    data_bps = size * 8 / audio.duration
    lossless = audio.codec in _LOSSLESS_CODECS
    if data_bps < (MIN_LOSSLESS_BPS if lossless else MIN_LOSSY_BPS):
        return True
    slack = BITRATE_SLACK[audio.codec == "pcm"]
    return audio.header_bitrate is not None and audio.header_bitrate > slack * data_bps + 8000


def _needs_ffprobe(read: MutagenRead, path: Path) -> bool:
    if read.kind is None or not read.complete or read.audio.has_video:
        return True
    return read.audio.container == "mp4" and _suffix(path) in _VIDEO_EXTENSIONS


def needs_tools(path: Path, read: MutagenRead, size: int) -> bool:
    """Whether :func:`probe` will run ffprobe or ffmpeg for this file; when not, it
    returns without waiting for anything (the import's fast path)."""
    if size == 0 or read.audio.codec == "midi":
        return False
    if _needs_ffprobe(read, path):
        return True
    audio = read.audio
    return audio.duration is not None and _needs_decode(audio, size)


async def _verify_by_decoding(path: Path, audio: _Partial, timeout: float) -> float:
    assert audio.duration is not None
    seconds, result = await decoded_seconds(path, timeout=timeout)
    claimed = audio.duration
    if seconds < MIN_DURATION:
        if result.returncode != 0:
            raise MediaError(
                f"The audio in this file cannot be decoded "
                f"({tool_reason(result.error_line, path)}); the file is damaged or in a "
                "variant that is not supported.")
        raise MediaError("The file decodes to no audio at all: it is damaged or empty.")
    if seconds < MIN_DECODED_SHARE * claimed and claimed - seconds > 1.0:
        raise MediaError(
            f"The file is damaged or incomplete: its header promises "
            f"{format_duration(claimed)} of audio but only {format_duration(seconds)} "
            "decodes. Get an intact copy (download or rip it again)."
        )
    return seconds


async def _with_ffprobe(path: Path, read: MutagenRead, size: int, head: bytes,
                        notes: list[str], timeout: float) -> tuple[_Partial, Tags]:
    """mutagen's findings completed (or, for a file mutagen does not know, replaced) by
    ffprobe's."""
    found = await run_ffprobe(path, timeout=timeout)
    if found.audio_streams == 0:
        if found.video_streams:
            raise MediaError("The file contains video but no sound track: there is nothing "
                             "to play on air.")
        if read.kind is None or found.error is not None:
            raise _not_audio_error(path, head, size, found.error)
        raise MediaError("The file holds no audio stream.")
    if read.kind is None:
        return _merge(found.audio, read.audio), _tags_from_texts(found.tags, notes)
    return _merge(read.audio, found.audio), read.tags


async def probe(
    path: Path, read: MutagenRead, *, size: int, head: bytes, ffprobe_timeout: float,
    decode_timeout: float,
) -> Probe:
    """Validate a file and describe it, from mutagen's ``read`` and, when needed, ffprobe
    and a full decode. ``size`` and ``head`` come from hashing the file."""
    if size == 0:
        raise MediaError("The file is empty (0 bytes): there is no audio in it.")
    if read.audio.codec == "midi" or head.startswith(b"MThd"):
        raise _midi_error()
    if read.kind is None and sniff(head) not in (None, "tags"):  # certainly not audio
        raise _not_audio_error(path, head, size, None)
    audio = read.audio
    tags, notes = read.tags, list(read.notes)
    if _needs_ffprobe(read, path):
        audio, tags = await _with_ffprobe(path, read, size, head, notes, ffprobe_timeout)
    if audio.duration is None:
        raise MediaError("The file holds no playable audio (its length is zero or unknown); "
                         "it is probably damaged.")
    if audio.duration < MIN_DURATION:
        raise MediaError(f"The file holds only {audio.duration:.2f} s of audio: too short "
                         "to be a track.")
    if audio.sample_rate is None or audio.channels is None or audio.codec is None:
        raise MediaError("The file's audio format could not be determined (sample rate or "
                         "channels unknown); it is probably damaged.")
    decoded = False
    if _needs_decode(audio, size):
        audio.duration = await _verify_by_decoding(path, audio, decode_timeout)
        decoded = True
    bitrate = audio.bitrate or round(size * 8 / audio.duration)
    info = AudioInfo(
        container=audio.container or "unknown", codec=audio.codec,
        duration=round(audio.duration, 3), bitrate=bitrate, sample_rate=audio.sample_rate,
        channels=audio.channels, has_video=audio.has_video,
    )
    return Probe(info, tags, read.cover, tuple(notes), decoded)
