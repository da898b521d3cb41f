"""What Liquidsoap reports: the events file each station's script appends to.

The rendered script appends one JSON object per line to ``<station dir>/events.jsonl``:
``started``, ``track`` (what is really on air, after crossfade and live switching),
``live_connect`` and ``live_disconnect``. Appending works even while stationd or the
database is down; stationd catches up from where it stopped.

:class:`EventReader` returns the complete new lines since the last committed offset (kept
in a small state file, so a restart neither replays nor skips), starts over when the file
was truncated or replaced, leaves a half-written last line for the next read, and logs and
skips a malformed line instead of stopping on it.

:class:`LiveSessionRecorder` turns ``live_connect``/``live_disconnect`` into LiveSession
rows, :class:`PlayHistoryRecorder` turns ``track`` events into PlayHistory rows (its
``kind`` field is the track's ``sd_kind``: ``jingle`` is not recorded, ``safety`` (the
safety file or silence) is recorded as ``unknown``). Both are idempotent, so replaying
events after a crash records nothing twice.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from station_desktop.services.history import PlayHistoryService
from station_desktop.services.stats import MAX_SAMPLE_GAP, StatsService

log = logging.getLogger("station_desktop.daemon.events")

MAX_LINE = 64 * 1024  # a longer line is not one the script writes
MAX_BATCH = 4 * 1024 * 1024  # bytes read per call: catching up never loads a huge file at once


@dataclass(frozen=True, slots=True)
class StationEvent:
    kind: str
    station_id: str
    at: dt.datetime
    fields: dict[str, str] = field(default_factory=dict)

    def text(self, key: str) -> str | None:
        value = self.fields.get(key, "").strip()
        return value or None


def parse_event(line: str) -> StationEvent:
    """One line of the events file; ValueError when it is not a well-formed event."""
    data = json.loads(line)
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    kind, station, ts = data.get("event"), data.get("station_id"), data.get("ts")
    if not isinstance(kind, str) or not isinstance(station, str) or not station:
        raise ValueError("missing event or station_id")
    if isinstance(ts, bool) or not isinstance(ts, int | float):
        raise ValueError("missing or non-numeric ts")
    at = dt.datetime.fromtimestamp(float(ts), dt.UTC)
    extra = {
        key: str(value) for key, value in data.items()
        if key not in ("event", "station_id", "ts") and value is not None
    }
    return StationEvent(kind, station, at, extra)


class EventReader:
    def __init__(self, path: Path, state_path: Path | None = None) -> None:
        self.path = path
        self.state_path = state_path or path.with_name(path.name + ".offset")
        self._offset, self._identity = self._load_state()
        self._pending: tuple[int, tuple[int, int]] | None = None
        self.malformed = 0

    def read_new(self) -> list[StationEvent]:
        """Events appended since the last :meth:`commit` (complete lines only)."""
        try:
            info = self.path.stat()
        except FileNotFoundError:
            return []
        identity = (info.st_dev, info.st_ino)
        offset = self._offset
        if identity != self._identity or info.st_size < offset:
            log.info("events file %s is new or was truncated: reading from the start", self.path)
            offset = 0
        with self.path.open("rb") as handle:
            handle.seek(offset)
            chunk = handle.read(MAX_BATCH)
        end = chunk.rfind(b"\n") + 1  # a half-written last line waits for the next read
        events = []
        for raw in chunk[:end].splitlines():
            if not raw.strip():
                continue
            try:
                if len(raw) > MAX_LINE:
                    raise ValueError("line too long")
                events.append(parse_event(raw.decode("utf-8")))
            except (ValueError, UnicodeDecodeError) as error:
                self.malformed += 1
                log.warning("skipping a malformed line in %s: %s", self.path, error)
        self._pending = (offset + end, identity)
        return events

    def commit(self) -> None:
        """Remember that the events last read have been applied."""
        if self._pending is None:
            return
        self._offset, self._identity = self._pending
        self._pending = None
        temporary = self.state_path.with_name(self.state_path.name + ".tmp")
        temporary.write_text(json.dumps({"offset": self._offset, "dev": self._identity[0],
                                         "ino": self._identity[1]}))
        os.replace(temporary, self.state_path)

    def _load_state(self) -> tuple[int, tuple[int, int]]:
        try:
            data = json.loads(self.state_path.read_text())
            return int(data["offset"]), (int(data["dev"]), int(data["ino"]))
        except (OSError, ValueError, KeyError, TypeError):
            return 0, (-1, -1)


Audience = Callable[[str, dt.datetime, dt.datetime], tuple[int, int]]


def audience_from_samples(stats: StatsService) -> Audience:
    """Peak and average listeners of a station between two instants, from its samples."""

    def audience(client_id: str, start: dt.datetime, end: dt.datetime) -> tuple[int, int]:
        if end <= start:
            return 0, 0
        summary = stats.summary(client_id, start, end)
        return summary.peak, round(summary.average)

    return audience


def _dj_name(event: StationEvent) -> str | None:
    """Who is on air: a DJ account's name; for the shared station login ("source"), the
    stream name the DJ's encoder sends (Ice-Name), which names the show or the DJ."""
    user, dj_name, ice_name = event.text("user"), event.text("dj_name"), event.text("ice_name")
    if dj_name and dj_name != user:
        return dj_name
    return ice_name or dj_name or user


class LiveSessionRecorder:
    """Applies live events to the database (see module docstring)."""

    def __init__(self, stats: StatsService, audience: Audience | None = None) -> None:
        self._stats = stats
        self._audience = audience or audience_from_samples(stats)

    def apply(self, event: StationEvent) -> None:
        if event.kind == "live_connect":
            if self._stats.open_live_session(event.station_id) is None:
                dj = _dj_name(event)
                session = self._stats.start_live_session(event.station_id, dj, event.at)
                log.info("live session %s started on %s (%s)", session.id, event.station_id, dj)
        elif event.kind == "live_disconnect":
            open_session = self._stats.open_live_session(event.station_id)
            if open_session is not None:
                end = max(event.at, open_session.start)
                peak, average = self._audience(event.station_id, open_session.start, end)
                self._stats.end_live_session(open_session.id, end, peak, average)
                log.info("live session %s ended on %s", open_session.id, event.station_id)


Listeners = Callable[[str, dt.datetime], int]


def listeners_from_samples(stats: StatsService) -> Listeners:
    """The listeners of the station's newest sample, if it is recent enough to describe
    ``at`` (within :data:`MAX_SAMPLE_GAP`); else 0 (unknown)."""

    def listeners(client_id: str, at: dt.datetime) -> int:
        latest = stats.latest(client_id)
        if latest is None or abs(at - latest.timestamp) > MAX_SAMPLE_GAP:
            return 0
        return latest.listeners

    return listeners


# sd_kind of a track event -> PlayHistory.kind; None: not recorded.
TRACK_KINDS: dict[str, str | None] = {
    "music": "music", "live": "live", "jingle": None, "safety": "unknown", "unknown": "unknown",
}


class PlayHistoryRecorder:
    """Applies ``track`` events to the play history (see module docstring)."""

    def __init__(self, history: PlayHistoryService, listeners: Listeners | None = None) -> None:
        self._history = history
        self._listeners = listeners or (lambda _client, _at: 0)

    def apply(self, event: StationEvent) -> None:
        if event.kind != "track":
            return
        kind = TRACK_KINDS.get(event.text("kind") or "unknown", "unknown")
        if kind is None:
            return
        record = self._history.track_started(
            event.station_id, event.at, event.text("title"), event.text("artist"),
            audio_file_id=event.text("audio_id"), playlist_id=event.text("playlist_id"),
            kind=kind, listeners=self._listeners(event.station_id, event.at),
        )
        log.info("on air on %s: %s (%s)", event.station_id, record.display, kind)
