"""Real audio files made with ffmpeg for the importer's tests (import as
``from unit.media.audio_samples import ...``).

Each file is made once per test session in a cache folder and copied for each test, so a
test may rename, truncate or delete its copy. The tags are deliberately awkward: accents,
non-Latin scripts, and a 500-character title.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

from PIL import Image

ACCENTED = {
    "title": "Canción del ñandú — «prueba»",
    "artist": "Björk & Zoë Ångström",
    "album": "Ünïcödé 日本語のアルバム",
    "genre": "Música",
    "date": "2019-05-01",
}
LONG_TITLE = "Ä" + "very long title " * 31 + "end"  # 500 characters
assert len(LONG_TITLE) == 500


def cover_png(size: tuple[int, int] = (640, 480), color: str = "#c03020") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def _ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", *args], check=True,
                   capture_output=True, timeout=60)


def _tags(tags: dict[str, str]) -> list[str]:
    out: list[str] = []
    for key, value in tags.items():
        out += ["-metadata", f"{key}={value}"]
    return out


# name -> (seconds, encoder arguments, tags, with a cover)
RECIPES: dict[str, tuple[float, list[str], dict[str, str], bool]] = {
    "accented.mp3": (1.5, ["-c:a", "libmp3lame", "-q:a", "4", "-id3v2_version", "3"],
                     ACCENTED, True),
    "long-title.flac": (1.0, ["-c:a", "flac"], {"title": LONG_TITLE, "artist": "Long"}, False),
    "tone.ogg": (1.2, ["-c:a", "libvorbis", "-q:a", "4"], {"title": "Ogg tone"}, False),
    "tone.opus": (1.2, ["-c:a", "libopus", "-b:a", "96k"], {"title": "Opus tone"}, False),
    "tone.m4a": (1.2, ["-c:a", "aac", "-b:a", "128k"], {"title": "AAC tone"}, False),
    "tone.wav": (1.0, ["-c:a", "pcm_s16le"], {}, False),
    "tone.wma": (1.5, ["-c:a", "wmav2", "-b:a", "128k"], {"title": "WMA tone"}, False),
    "long.mp3": (12.0, ["-c:a", "libmp3lame", "-q:a", "2"], {"title": "Long VBR"}, False),
    # Converting this one takes ffmpeg a few seconds: long enough to cancel it mid-way.
    "slow.wma": (240.0, ["-c:a", "wmav2", "-b:a", "64k"], {"title": "Slow"}, False),
}


class Samples:
    """Generated files, made on first use in ``cache`` and copied into ``target`` dirs."""

    def __init__(self, cache: Path) -> None:
        self.cache = cache
        self._counter = 0

    def _make(self, name: str) -> Path:
        path = self.cache / name
        if path.exists():
            return path
        seconds, encoder, tags, with_cover = RECIPES[name]
        frequency = 300 + 40 * (len(list(self.cache.iterdir())) % 20)
        source = ["-f", "lavfi", "-i",
                  f"sine=frequency={frequency}:duration={seconds}:sample_rate=44100",
                  "-f", "lavfi", "-i",
                  f"anoisesrc=d={seconds}:c=pink:a=0.05:r=44100"]
        mix = ["-filter_complex", "[0:a][1:a]amix=inputs=2,aformat=channel_layouts=stereo[a]",
               "-map", "[a]"]
        cover: list[str] = []
        if with_cover:
            picture = self.cache / "cover.png"
            picture.write_bytes(cover_png())
            cover = ["-i", str(picture), "-map", "2:v", "-c:v", "png",
                     "-disposition:v", "attached_pic", "-metadata:s:v", "comment=Cover (front)"]
        _ffmpeg(*source, *cover, *mix, *encoder, *_tags(tags), str(path))
        return path

    def copy(self, name: str, target: Path, as_name: str | None = None) -> Path:
        """A fresh copy of sample ``name`` in ``target`` (as ``as_name``)."""
        target.mkdir(parents=True, exist_ok=True)
        destination = target / (as_name or name)
        shutil.copyfile(self._make(name), destination)
        return destination

    def unique(self, target: Path, name: str = "tone.ogg") -> Path:
        """A copy of sample ``name`` whose content differs from every other copy (a tag
        appended), so it is never a duplicate."""
        self._counter += 1
        stem, _, extension = name.rpartition(".")
        destination = target / f"{stem}-{self._counter}.{extension}"
        target.mkdir(parents=True, exist_ok=True)
        _ffmpeg("-i", str(self._make(name)), "-map", "0:a", "-c", "copy",
                "-metadata", f"comment=copy {self._counter}", str(destination))
        return destination


def text_named_mp3(target: Path) -> Path:
    path = target / "notes.mp3"
    target.mkdir(parents=True, exist_ok=True)
    path.write_text("These are my notes, not a song.\nSecond line.\n")
    return path


def empty_file(target: Path, name: str = "empty.mp3") -> Path:
    path = target / name
    target.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"")
    return path


def truncated(samples: Samples, target: Path, share: float = 0.3) -> Path:
    """The 12 s VBR MP3 (whose Xing header states its full length) cut to ``share``."""
    path = samples.copy("long.mp3", target, "truncated.mp3")
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * share)])
    return path
