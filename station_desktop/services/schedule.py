"""The weekly schedule: which playlist plays when (the seed's "Programación Horaria").

Seed API: ``POST/GET/PUT/DELETE /api/schedule``. A block is a Schedule row: a playlist on
``dayOfWeek`` (0 = Sunday ... 6 = Saturday) from ``startTime`` to ``endTime`` (``"HH:MM"``)
in the station's time zone (``Client.timezone``). The week arithmetic lives in
:mod:`station_desktop.services.weektime`; this module adds validation, the database and
the rules that must hold on air:

- **Times** are written exactly ``HH:MM`` (``00:00``-``23:59``). An end of ``00:00`` is
  midnight; an end earlier than the start runs past midnight into the next day, and
  Saturday's late block runs into Sunday (the week wraps). A block whose start equals its
  end is refused: it would be empty, and a 24-hour block cannot be written in the seed's
  model (use two blocks).
- **No overlaps** among the *active* blocks of a station, on the circular week, including
  blocks that cross midnight and the Saturday-to-Sunday wrap; blocks that merely touch
  (10:00-12:00 and 12:00-14:00) do not overlap. Inactive blocks do not play, so they may
  overlap; activating one checks again. The check and the write happen under the
  station's row lock (``SELECT ... FOR UPDATE`` on its Client row), so two operators
  saving overlapping blocks at the same moment cannot both succeed.
- **Wall clock, DST-correct**: :meth:`ScheduleService.active_block_at` converts an instant
  to the station's local time and finds the block containing that wall-clock time. On a
  spring-forward night the skipped hour never happens (a block lying wholly inside it does
  not play that night); on a fall-back night the repeated hour happens twice and both
  passes belong to the block that covers it.

Rows written by other programs sharing the database are read leniently (``"9:00"``,
``"09:00:00"``, an end of ``"24:00"``); a row that still cannot be understood is listed
with :attr:`BlockRecord.problem` set and takes no part in overlap checks or playout until
someone corrects it.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_desktop.db.engine import Database
from station_desktop.db.models import Client, Playlist, Schedule, row_version
from station_desktop.errors import NotFound, ScheduleOverlap, StationError, ValidationError
from station_desktop.services import weektime
from station_desktop.services._common import (
    check_version,
    get_row,
    lock_row,
    required_text,
)
from station_desktop.services.weektime import DAYS_PER_WEEK, WeekSpan

_TIME_FORM = "HH:MM, from 00:00 to 23:59 (for example 07:30)"


@dataclass(frozen=True, slots=True)
class BlockFields:
    """What an operator edits on a schedule block."""

    playlist_id: str
    day_of_week: int  # 0 = Sunday ... 6 = Saturday, as the seed
    start: str  # "HH:MM", station time zone
    end: str  # "HH:MM"; "00:00" = midnight; earlier than start = runs into the next day
    is_active: bool = True


@dataclass(frozen=True, slots=True)
class BlockRecord:
    id: str
    client_id: str
    playlist_id: str
    playlist_name: str
    day_of_week: int
    start: str
    end: str
    is_active: bool
    crosses_midnight: bool  # runs past midnight into the next day (ending *at* 00:00 doesn't)
    duration_minutes: int
    version: str
    # Set when a stored row (written by another program) cannot be understood; such a
    # block is shown but takes no part in overlap checks or playout.
    problem: str | None = None

    @property
    def fields(self) -> BlockFields:
        return BlockFields(self.playlist_id, self.day_of_week, self.start, self.end,
                           self.is_active)

    @property
    def day_name(self) -> str:
        return weektime.day_name(self.day_of_week)

    @property
    def span(self) -> WeekSpan | None:
        """Where the block sits on the week (None for a row with a :attr:`problem`)."""
        if self.problem is not None:
            return None
        return WeekSpan.of_block(self.day_of_week, weektime.parse_hhmm(self.start),
                                 weektime.parse_hhmm(self.end))

    def describe(self) -> str:
        """``"Monday 08:00-10:00"`` (``"Saturday 22:00-02:00 (until Sunday)"``)."""
        if self.problem is not None:
            return f"{self.day_name} {self.start}{weektime.RANGE_DASH}{self.end}"
        return weektime.describe_block(self.day_of_week, weektime.parse_hhmm(self.start),
                                       weektime.parse_hhmm(self.end))


@dataclass(frozen=True, slots=True)
class _Block:
    """Validated fields, times in minutes after midnight."""

    playlist_id: str
    day_of_week: int
    start: int
    end: int
    is_active: bool

    @property
    def span(self) -> WeekSpan:
        return WeekSpan.of_block(self.day_of_week, self.start, self.end)

    def describe(self) -> str:
        return weektime.describe_block(self.day_of_week, self.start, self.end)


def _parse_time(value: object, field: str, label: str, hint: str = "") -> int:
    try:
        return weektime.parse_hhmm(value)
    except ValueError:
        raise ValidationError(
            f"{label} must be written {_TIME_FORM}{hint}; got {value!r}.", field=field
        ) from None


def validate_block(fields: BlockFields) -> _Block:
    playlist_id = required_text(fields.playlist_id, "playlist_id", "Playlist")
    day = fields.day_of_week
    if isinstance(day, bool) or not isinstance(day, int) or not 0 <= day < DAYS_PER_WEEK:
        raise ValidationError(
            f"Day of week must be 0 (Sunday) to 6 (Saturday); got {day!r}.", field="day_of_week"
        )
    start = _parse_time(fields.start, "start", "Start time")
    end = _parse_time(fields.end, "end", "End time", " (00:00 is midnight)")
    if start == end:
        raise ValidationError(
            f"The block starts and ends at {fields.start}, so it would be empty. An end "
            "earlier than the start runs into the next day, but a full 24-hour block cannot "
            "be written in the schedule's HH:MM model: use two blocks (for example "
            "00:00 to 12:00 and 12:00 to 00:00).",
            field="end",
        )
    return _Block(playlist_id, day, start, end, bool(fields.is_active))


def _record(row: Schedule, playlist_name: str) -> BlockRecord:
    problem: str | None = None
    start = end = 0
    try:
        start = weektime.parse_stored_hhmm(row.startTime)
        end = weektime.parse_stored_hhmm(row.endTime, is_end=True)
    except ValueError:
        problem = (
            f"The stored times {row.startTime!r} to {row.endTime!r} cannot be read as HH:MM; "
            "this block does not play until its times are corrected."
        )
    if problem is None and not 0 <= row.dayOfWeek < DAYS_PER_WEEK:
        problem = (
            f"The stored day of week {row.dayOfWeek} is not 0 (Sunday) to 6 (Saturday); "
            "this block does not play until its day is corrected."
        )
    if problem is None and start == end:
        problem = "The block starts and ends at the same time, so it never plays."
    if problem is not None:
        return BlockRecord(
            id=row.id, client_id=row.clientId, playlist_id=row.playlistId,
            playlist_name=playlist_name, day_of_week=row.dayOfWeek, start=row.startTime,
            end=row.endTime, is_active=row.isActive, crosses_midnight=False,
            duration_minutes=0, version=row_version(row), problem=problem,
        )
    return BlockRecord(
        id=row.id, client_id=row.clientId, playlist_id=row.playlistId,
        playlist_name=playlist_name, day_of_week=row.dayOfWeek,
        start=weektime.format_hhmm(start), end=weektime.format_hhmm(end),
        is_active=row.isActive, crosses_midnight=weektime.crosses_midnight(start, end),
        duration_minutes=weektime.block_duration(start, end), version=row_version(row),
    )


def _sort_key(record: BlockRecord) -> tuple[int, int, str]:
    span = record.span
    start = span.start % weektime.MINUTES_PER_DAY if span is not None else -1
    return record.day_of_week, start, record.id


def station_zone(client: Client) -> zoneinfo.ZoneInfo:
    """The station's time zone, or a :class:`StationError` saying how to fix a bad one."""
    try:
        return zoneinfo.ZoneInfo(client.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise StationError(
            f"Station {client.name!r} has the time zone {client.timezone!r}, which is not "
            "known here, so its schedule cannot be placed in time. Set a time zone such as "
            "Europe/Madrid in the station's settings."
        ) from None


class ScheduleService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def create_block(self, client_id: str, fields: BlockFields) -> BlockRecord:
        block = validate_block(fields)
        with self._db.transaction() as s:
            lock_row(s, Client, client_id, "Station")  # serialises edits of this schedule
            playlist = _station_playlist(s, client_id, block.playlist_id)
            if block.is_active:
                _check_overlap(s, client_id, block, exclude_id=None)
            row = Schedule(
                clientId=client_id, playlistId=playlist.id, dayOfWeek=block.day_of_week,
                startTime=weektime.format_hhmm(block.start),
                endTime=weektime.format_hhmm(block.end), isActive=block.is_active,
            )
            s.add(row)
            s.flush()
            return _record(row, playlist.name)

    def list_blocks(self, client_id: str) -> list[BlockRecord]:
        """The station's blocks, active or not, ordered by day then start time."""
        with self._db.read() as s:
            get_row(s, Client, client_id, "Station")
            return sorted(_station_blocks(s, client_id), key=_sort_key)

    def get_block(self, block_id: str) -> BlockRecord:
        with self._db.read() as s:
            row = get_row(s, Schedule, block_id, "Schedule block")
            return _record(row, _playlist_name(s, row.playlistId))

    def update_block(
        self, block_id: str, fields: BlockFields, expected_version: str | None
    ) -> BlockRecord:
        """Change a block (refused with Conflict if it changed since ``expected_version``);
        the block's own old position never counts as an overlap."""
        block = validate_block(fields)
        with self._db.transaction() as s:
            client_id = _lock_station_of(s, block_id)
            playlist = _station_playlist(s, client_id, block.playlist_id)
            row = lock_row(s, Schedule, block_id, "Schedule block")
            check_version(row, expected_version, "This schedule block")
            if block.is_active:
                _check_overlap(s, row.clientId, block, exclude_id=row.id)
            row.playlistId, row.dayOfWeek = playlist.id, block.day_of_week
            row.startTime = weektime.format_hhmm(block.start)
            row.endTime = weektime.format_hhmm(block.end)
            row.isActive = block.is_active
            s.flush()
            return _record(row, playlist.name)

    def set_active(
        self, block_id: str, active: bool, expected_version: str | None = None
    ) -> BlockRecord:
        """Switch a block on or off; switching on checks for overlaps again."""
        with self._db.transaction() as s:
            row = _lock_block(s, block_id)
            check_version(row, expected_version, "This schedule block")
            record = _record(row, _playlist_name(s, row.playlistId))
            if active and not row.isActive:
                if record.problem is not None:
                    raise ValidationError(
                        f"This block cannot be switched on: {record.problem} Edit it first.",
                        field="start",
                    )
                block = validate_block(record.fields)
                _check_overlap(s, row.clientId, block, exclude_id=row.id)
            row.isActive = active
            s.flush()
            return _record(row, record.playlist_name)

    def delete_block(self, block_id: str, expected_version: str | None = None) -> None:
        with self._db.transaction() as s:
            row = _lock_block(s, block_id)
            check_version(row, expected_version, "This schedule block")
            s.delete(row)

    def active_block_at(self, client_id: str, when: dt.datetime) -> BlockRecord | None:
        """The block that plays at the instant ``when`` (aware), in the station's time zone,
        or None when no active block covers it (the station's default programming plays).

        Should stored rows overlap anyway (written by another program), the block that
        started most recently wins, as a later block takes over from an earlier one.
        """
        if when.tzinfo is None or when.utcoffset() is None:
            raise ValidationError(
                "The instant must carry a time zone (an aware datetime); a naive time would "
                "be read in the wrong zone.", field="when",
            )
        with self._db.read() as s:
            client = get_row(s, Client, client_id, "Station")
            minute = weektime.local_week_minute(when, station_zone(client))
            best: tuple[int, str, BlockRecord] | None = None
            for record in _station_blocks(s, client_id, active_only=True):
                span = record.span
                if span is None or not span.contains(minute):
                    continue
                candidate = (span.offset_of(minute), record.id, record)
                if best is None or candidate[:2] < best[:2]:
                    best = candidate
            return best[2] if best is not None else None


def _lock_block(s: Session, block_id: str) -> Schedule:
    _lock_station_of(s, block_id)
    return lock_row(s, Schedule, block_id, "Schedule block")


def _lock_station_of(s: Session, block_id: str) -> str:
    """Lock the station row of a block and return its id.

    Locks are always taken station first, then playlist, then schedule rows, so that
    concurrent edits of one schedule queue up behind each other instead of deadlocking.
    """
    client_id = s.scalar(select(Schedule.clientId).where(Schedule.id == block_id))
    if client_id is None:
        raise NotFound("Schedule block", block_id)
    lock_row(s, Client, client_id, "Station")
    return client_id


def _station_playlist(s: Session, client_id: str, playlist_id: str) -> Playlist:
    """The playlist, locked (so it cannot vanish under the new block), if it is this
    station's."""
    playlist = lock_row(s, Playlist, playlist_id, "Playlist")
    if playlist.clientId != client_id:
        raise ValidationError(
            f"Playlist {playlist.name!r} belongs to another station; choose one of this "
            "station's playlists.",
            field="playlist_id",
        )
    return playlist


def _playlist_name(s: Session, playlist_id: str) -> str:
    name = s.scalar(select(Playlist.name).where(Playlist.id == playlist_id))
    return name if name is not None else f"(missing playlist {playlist_id})"


def _station_blocks(
    s: Session, client_id: str, *, active_only: bool = False, lock: bool = False
) -> list[BlockRecord]:
    query = select(Schedule).where(Schedule.clientId == client_id)
    if active_only:
        query = query.where(Schedule.isActive.is_(True))
    if lock:
        # A locking read sees the latest committed rows even inside an older InnoDB
        # snapshot (REPEATABLE READ); MariaDB has no FOR UPDATE OF, so names come apart.
        query = query.with_for_update()
    rows = list(s.scalars(query))
    playlist_ids = {row.playlistId for row in rows}
    names: dict[str, str] = {}
    if playlist_ids:
        names = {
            pid: name for pid, name in s.execute(
                select(Playlist.id, Playlist.name).where(Playlist.id.in_(playlist_ids))
            )
        }
    return [
        _record(row, names.get(row.playlistId, f"(missing playlist {row.playlistId})"))
        for row in rows
    ]


def _check_overlap(s: Session, client_id: str, block: _Block, exclude_id: str | None) -> None:
    """Refuse ``block`` if it overlaps another active block of the station (the caller
    holds the station's row lock)."""
    span = block.span
    others = sorted(_station_blocks(s, client_id, active_only=True, lock=True), key=_sort_key)
    clashes = [
        other for other in others
        if other.id != exclude_id and (other_span := other.span) is not None
        and span.overlaps(other_span)
    ]
    if not clashes:
        return
    first = clashes[0]
    more = f" (and {len(clashes) - 1} more)" if len(clashes) > 1 else ""
    raise ScheduleOverlap(
        f"This block ({block.describe()}) overlaps '{first.playlist_name}' on "
        f"{first.describe()}{more}. Move or shorten one of them, or switch the other block "
        "off first.",
        other_id=first.id,
    )
