"""Play history: what really went on air (the seed's ``GET /api/stream/history``).

stationd records a track when Liquidsoap reports it on air (its ``track`` events, after
crossfade and live switching; jingles are left out by the recorder), so history follows
the audio, not the queue. :meth:`PlayHistoryService.track_started` closes the station's
previous entry at the new track's start. Recording the same start twice (same station,
same instant, same title) returns the stored entry: replaying the events file after a
crash adds nothing. A start that arrives out of order (older than the newest entry) is
inserted where it belongs and ends where the next entry starts.

``audio_file_id``/``playlist_id`` are kept as given, without checking that the track still
exists (history outlives deleted tracks). Top songs count music only, per library track
(``audio_file_id``), or per title and artist for plays without one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import func, select

from station_desktop.db.engine import Database
from station_desktop.db.models import Client, PlayHistory
from station_desktop.db.types import STR_LENGTH
from station_desktop.errors import ValidationError
from station_desktop.services._common import (
    aware_instant,
    check_choice,
    check_range,
    get_row,
    lock_row,
)

HISTORY_KINDS = ("music", "live", "unknown")
MAX_PAGE = 500
MAX_COUNT = 2**31 - 1
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class PlayRecord:
    id: str
    client_id: str
    audio_file_id: str | None
    playlist_id: str | None
    title: str | None
    artist: str | None
    kind: str
    started_at: dt.datetime
    ended_at: dt.datetime | None
    listeners_at_start: int

    @property
    def display(self) -> str:
        """``Artist - Title`` as a listener would read it."""
        parts = [p for p in (self.artist, self.title) if p]
        return " - ".join(parts) if parts else "(untitled)"


@dataclass(frozen=True, slots=True)
class TopSong:
    audio_file_id: str | None
    title: str | None
    artist: str | None
    plays: int


def _record(row: PlayHistory) -> PlayRecord:
    return PlayRecord(
        id=row.id, client_id=row.clientId, audio_file_id=row.audioFileId,
        playlist_id=row.playlistId, title=row.title, artist=row.artist, kind=row.kind,
        started_at=row.startedAt, ended_at=row.endedAt, listeners_at_start=row.listenersAtStart,
    )


def _line(value: str | None) -> str | None:
    """Metadata as it can be stored: one line, at most 191 characters (cut, not refused:
    tags come from whatever the files or the DJ's encoder say)."""
    if value is None:
        return None
    text = " ".join(_CONTROL.sub(" ", str(value)).split())
    if not text:
        return None
    return text if len(text) <= STR_LENGTH else text[: STR_LENGTH - 1] + "\u2026"


class PlayHistoryService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def track_started(
        self,
        client_id: str,
        at: dt.datetime,
        title: str | None,
        artist: str | None,
        audio_file_id: str | None = None,
        playlist_id: str | None = None,
        kind: str = "music",
        listeners: int = 0,
    ) -> PlayRecord:
        """Record a track going on air at ``at`` (see module docstring)."""
        start = aware_instant(at, "at", "The start")
        check_choice(kind, "kind", "Kind", HISTORY_KINDS)
        if isinstance(listeners, bool) or not isinstance(listeners, int):
            raise ValidationError(f"Listeners must be a whole number; got {listeners!r}.",
                                  field="listeners")
        check_range(listeners, "listeners", "Listeners", 0, MAX_COUNT)
        title, artist = _line(title), _line(artist)
        audio_id, playlist = _line(audio_file_id), _line(playlist_id)
        with self._db.transaction() as s:
            lock_row(s, Client, client_id, "Station")  # one writer per station at a time
            same_title = (PlayHistory.title.is_(None) if title is None
                          else PlayHistory.title == title)
            existing = s.scalars(
                select(PlayHistory).where(PlayHistory.clientId == client_id,
                                          PlayHistory.startedAt == start, same_title).limit(1)
            ).first()
            if existing is not None:
                return _record(existing)
            following = s.scalar(
                select(func.min(PlayHistory.startedAt))
                .where(PlayHistory.clientId == client_id, PlayHistory.startedAt > start)
            )
            if following is None:
                for previous in s.scalars(
                    select(PlayHistory).where(PlayHistory.clientId == client_id,
                                              PlayHistory.endedAt.is_(None),
                                              PlayHistory.startedAt <= start)
                ):
                    previous.endedAt = start
            row = PlayHistory(clientId=client_id, audioFileId=audio_id, playlistId=playlist,
                              title=title, artist=artist, kind=kind, startedAt=start,
                              endedAt=following, listenersAtStart=listeners)
            s.add(row)
            s.flush()
            return _record(row)

    def history(
        self, client_id: str, limit: int = 50, before: dt.datetime | None = None
    ) -> list[PlayRecord]:
        """Newest first. Next page: ``before`` = ``started_at`` of the last entry."""
        check_range(limit, "limit", "Page size", 1, MAX_PAGE, "entries")
        query = (select(PlayHistory).where(PlayHistory.clientId == client_id)
                 .order_by(PlayHistory.startedAt.desc(), PlayHistory.id.desc())
                 .limit(int(limit)))
        if before is not None:
            query = query.where(PlayHistory.startedAt < aware_instant(before, "before", "Before"))
        with self._db.read() as s:
            get_row(s, Client, client_id, "Station")
            return [_record(row) for row in s.scalars(query)]

    def top_songs(
        self, client_id: str, start: dt.datetime, end: dt.datetime, limit: int = 10
    ) -> list[TopSong]:
        """The most played music in ``[start, end)``, most plays first (ties: by title)."""
        check_range(limit, "limit", "Number of songs", 1, MAX_PAGE, "songs")
        first = aware_instant(start, "start", "The start")
        last = aware_instant(end, "end", "The end")
        if last <= first:
            raise ValidationError("The end must be after the start.", field="end")
        where = (PlayHistory.clientId == client_id, PlayHistory.kind == "music",
                 PlayHistory.startedAt >= first, PlayHistory.startedAt < last)
        plays = func.count().label("plays")
        by_file = (
            select(PlayHistory.audioFileId, func.max(PlayHistory.title),
                   func.max(PlayHistory.artist), plays)
            .where(*where, PlayHistory.audioFileId.is_not(None))
            .group_by(PlayHistory.audioFileId)
            .order_by(plays.desc()).limit(int(limit))
        )
        by_tags = (
            select(PlayHistory.title, PlayHistory.artist, plays)
            .where(*where, PlayHistory.audioFileId.is_(None))
            .group_by(PlayHistory.title, PlayHistory.artist)
            .order_by(plays.desc()).limit(int(limit))
        )
        with self._db.read() as s:
            get_row(s, Client, client_id, "Station")
            songs = [TopSong(file_id, title, artist, int(count))
                     for file_id, title, artist, count in s.execute(by_file)]
            songs += [TopSong(None, title, artist, int(count))
                      for title, artist, count in s.execute(by_tags)]
        songs.sort(key=lambda song: (-song.plays, song.title or "", song.artist or "",
                                     song.audio_file_id or ""))
        return songs[: int(limit)]
