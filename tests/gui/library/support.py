"""Helpers for the Library page's tests: tracks in bulk, waiting on the qasync loop, and
real audio files made with ffmpeg (accented tags, a cover)."""

from __future__ import annotations

import asyncio
import itertools
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from station_desktop.db.engine import Database
from station_desktop.db.ids import new_id
from station_desktop.db.models import AudioFile
from station_desktop.ui.library.page import LibraryPage

MB = 1024**2

ACCENTED = {
    "title": "Canción del ñandú",
    "artist": "Zoë Ångström",
    "album": "Música en el río",
    "genre": "Electrónica",
    "date": "2021",
}

_serial = itertools.count(1)


def bulk_tracks(db: Database, client_id: str, rows: list[dict[str, Any]]) -> list[str]:
    """Insert tracks in one statement (a library of thousands in a blink); each row gives
    the columns that matter to the test, the rest get plausible values."""
    ids = []
    values = []
    for row in rows:
        n = next(_serial)
        track_id = new_id()
        ids.append(track_id)
        values.append({
            "id": track_id, "clientId": client_id, "filename": f"track-{n:06d}.mp3",
            "storagePath": f"/audio/{client_id}/track-{n:06d}.mp3", "fileSize": 1000,
            "duration": 180.0, "title": f"Track {n:06d}", "artist": None, "album": None,
            "genre": None, "year": None, "coverUrl": None, "format": "mp3", "bitrate": 128,
            "sampleRate": 44100, "channels": 2, "status": "ready", **row,
        })
    with db.engine.begin() as conn:
        for start in range(0, len(values), 2000):
            conn.execute(insert(AudioFile), values[start:start + 2000])
    return ids


async def until(condition: Callable[[], bool], timeout: float = 10.0,
                what: str = "the condition") -> None:
    """Poll ``condition`` on the running (qasync) loop; never qtbot.wait* in a coroutine."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)


async def settle(page: LibraryPage) -> None:
    """Let the view paint, ask for its pages and get them."""
    for _ in range(3):
        await asyncio.sleep(0.02)
        await page.model.wait_idle()


def _ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", *args], check=True,
                   capture_output=True, timeout=60)


class AudioFactory:
    """Real audio files made with ffmpeg (a short tone), with the tags asked for."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._cover: Path | None = None

    def cover(self) -> Path:
        if self._cover is None:
            self._cover = self.folder / "cover-source.png"
            _ffmpeg("-f", "lavfi", "-i", "color=c=0xd03a20:s=320x320:d=1",
                    "-frames:v", "1", str(self._cover))
        return self._cover

    def make(self, name: str, tags: dict[str, str] | None = None, *, seconds: float = 1.0,
             with_cover: bool = False, frequency: int = 440) -> Path:
        path = self.folder / name
        tag_args: list[str] = []
        for key, value in (tags or {}).items():
            tag_args += ["-metadata", f"{key}={value}"]
        source = ["-f", "lavfi", "-i",
                  f"sine=frequency={frequency}:duration={seconds}:sample_rate=44100"]
        suffix = path.suffix.lower()
        codec = {".mp3": ["-c:a", "libmp3lame", "-q:a", "5", "-id3v2_version", "3"],
                 ".ogg": ["-c:a", "libvorbis", "-q:a", "3"],
                 ".flac": ["-c:a", "flac"]}[suffix]
        if with_cover:
            _ffmpeg(*source, "-i", str(self.cover()), "-map", "0:a", "-map", "1:v",
                    "-c:v", "mjpeg", "-disposition:v", "attached_pic", *codec, *tag_args,
                    str(path))
        else:
            _ffmpeg(*source, *codec, *tag_args, str(path))
        return path


def type_text(widget: QWidget, text: str) -> None:
    """Type ``text`` into ``widget`` as key presses (QTest.keyClicks takes ASCII only)."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown,
                                                     Qt.KeyboardModifier.NoModifier, char))
