"""Schedule service: every operation, its refusals, overlaps, DST, races; SQLite and MariaDB."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import time
import zoneinfo

import pytest

from station_desktop.db.engine import Database
from station_desktop.db.models import Client, Playlist, Schedule
from station_desktop.errors import (
    Conflict,
    NotFound,
    ScheduleOverlap,
    StationError,
    ValidationError,
)
from station_desktop.services import _common
from station_desktop.services import schedule as schedule_module
from station_desktop.services.schedule import BlockFields, BlockRecord, ScheduleService
from station_desktop.services.stations import StationFields, StationService

MADRID = zoneinfo.ZoneInfo("Europe/Madrid")
SUN, MON, TUE, SAT = 0, 1, 2, 6
DASH = "\u2013"


@pytest.fixture
def schedule(db: Database) -> ScheduleService:
    return ScheduleService(db)


@pytest.fixture
def station(db: Database) -> str:
    return StationService(db).create_station(StationFields("Radio Sol", "Europe/Madrid")).id


def add_playlist(db: Database, client_id: str, name: str) -> str:
    """Playlists are the playlists service's business; here they are plain rows."""
    with db.transaction() as s:
        row = Playlist(clientId=client_id, name=name, type="rotation", isMain=False)
        s.add(row)
        s.flush()
        return row.id


@pytest.fixture
def morning(db: Database, station: str) -> str:
    return add_playlist(db, station, "Morning Show")


@pytest.fixture
def night(db: Database, station: str) -> str:
    return add_playlist(db, station, "Night Owls")


def stored_blocks(db: Database) -> list[tuple[int, str, str, bool]]:
    with db.read() as s:
        return sorted(
            (row.dayOfWeek, row.startTime, row.endTime, row.isActive)
            for row in s.query(Schedule)
        )


def test_block_crud_round_trip(
    db: Database, schedule: ScheduleService, station: str, morning: str, night: str
) -> None:
    created = schedule.create_block(station, BlockFields(morning, MON, "08:00", "10:00"))
    assert (created.client_id, created.playlist_name, created.day_of_week) == (
        station, "Morning Show", MON
    )
    assert (created.start, created.end, created.is_active) == ("08:00", "10:00", True)
    assert (created.duration_minutes, created.crosses_midnight) == (120, False)
    assert created.problem is None and created.day_name == "Monday"
    assert schedule.get_block(created.id) == created
    assert schedule.list_blocks(station) == [created]
    updated = schedule.update_block(
        created.id, BlockFields(night, TUE, "21:30", "01:15"), created.version
    )
    assert (updated.playlist_name, updated.day_of_week, updated.start, updated.end) == (
        "Night Owls", TUE, "21:30", "01:15"
    )
    assert (updated.duration_minutes, updated.crosses_midnight) == (225, True)
    assert updated.version != created.version
    assert stored_blocks(db) == [(TUE, "21:30", "01:15", True)]
    off = schedule.set_active(created.id, False, updated.version)
    assert off.is_active is False and schedule.get_block(created.id) == off
    schedule.delete_block(created.id, off.version)
    assert schedule.list_blocks(station) == []
    with pytest.raises(NotFound, match="does not exist"):
        schedule.get_block(created.id)
    with pytest.raises(NotFound):
        schedule.delete_block(created.id)
    with pytest.raises(NotFound):
        schedule.update_block(created.id, created.fields, None)
    with pytest.raises(NotFound):
        schedule.set_active(created.id, True)


@pytest.mark.parametrize("bad", ["7:00", "24:00", "12:60", "ab:cd", " 10:00", "10:00 ", ""])
@pytest.mark.parametrize("field", ["start", "end"])
def test_times_must_be_exactly_hh_mm(
    db: Database, schedule: ScheduleService, station: str, morning: str, bad: str, field: str
) -> None:
    good = BlockFields(morning, MON, "10:00", "12:00")
    fields = (dataclasses.replace(good, start=bad) if field == "start"
              else dataclasses.replace(good, end=bad))
    with pytest.raises(ValidationError) as info:
        schedule.create_block(station, fields)
    assert info.value.field == field
    assert "HH:MM" in str(info.value) and repr(bad) in str(info.value)
    assert stored_blocks(db) == []


def test_end_time_message_explains_midnight(schedule: ScheduleService, station: str,
                                            morning: str) -> None:
    with pytest.raises(ValidationError, match="00:00 is midnight"):
        schedule.create_block(station, BlockFields(morning, MON, "22:00", "24:00"))


@pytest.mark.parametrize("day", [-1, 7, 10, True])
def test_day_of_week_is_0_to_6(
    schedule: ScheduleService, station: str, morning: str, day: int
) -> None:
    with pytest.raises(ValidationError, match=r"0 \(Sunday\) to 6 \(Saturday\)") as info:
        schedule.create_block(station, BlockFields(morning, day, "10:00", "12:00"))
    assert info.value.field == "day_of_week"


def test_start_equal_to_end_is_refused_as_empty(
    db: Database, schedule: ScheduleService, station: str, morning: str
) -> None:
    with pytest.raises(ValidationError, match="empty") as info:
        schedule.create_block(station, BlockFields(morning, MON, "10:00", "10:00"))
    assert info.value.field == "end"
    assert "24-hour block cannot be written" in str(info.value)
    assert stored_blocks(db) == []


def test_end_at_midnight_and_across_midnight(
    schedule: ScheduleService, station: str, morning: str, night: str
) -> None:
    late = schedule.create_block(station, BlockFields(morning, MON, "22:00", "00:00"))
    assert (late.duration_minutes, late.crosses_midnight) == (120, False)
    saturday = schedule.create_block(station, BlockFields(night, SAT, "22:00", "02:00"))
    assert (saturday.duration_minutes, saturday.crosses_midnight) == (240, True)
    assert saturday.describe() == f"Saturday 22:00{DASH}02:00 (until Sunday)"


def test_playlist_must_exist_and_belong_to_the_station(
    db: Database, schedule: ScheduleService, station: str
) -> None:
    other_station = StationService(db).create_station(StationFields("Other FM")).id
    theirs = add_playlist(db, other_station, "Their Hits")
    with pytest.raises(ValidationError, match="belongs to another station") as info:
        schedule.create_block(station, BlockFields(theirs, MON, "10:00", "12:00"))
    assert info.value.field == "playlist_id"
    with pytest.raises(NotFound, match="Playlist 'nope'"):
        schedule.create_block(station, BlockFields("nope", MON, "10:00", "12:00"))
    with pytest.raises(ValidationError) as blank:
        schedule.create_block(station, BlockFields("  ", MON, "10:00", "12:00"))
    assert blank.value.field == "playlist_id"
    assert stored_blocks(db) == []


def test_update_cannot_move_a_block_to_another_stations_playlist(
    db: Database, schedule: ScheduleService, station: str, morning: str
) -> None:
    other_station = StationService(db).create_station(StationFields("Other FM")).id
    theirs = add_playlist(db, other_station, "Their Hits")
    block = schedule.create_block(station, BlockFields(morning, MON, "10:00", "12:00"))
    with pytest.raises(ValidationError) as info:
        schedule.update_block(block.id, dataclasses.replace(block.fields, playlist_id=theirs),
                              block.version)
    assert info.value.field == "playlist_id"
    assert schedule.get_block(block.id) == block


def test_unknown_station(schedule: ScheduleService, morning: str) -> None:
    with pytest.raises(NotFound, match="Station 'ghost'"):
        schedule.create_block("ghost", BlockFields(morning, MON, "10:00", "12:00"))
    with pytest.raises(NotFound, match="Station 'ghost'"):
        schedule.list_blocks("ghost")
    with pytest.raises(NotFound, match="Station 'ghost'"):
        schedule.active_block_at("ghost", dt.datetime(2026, 1, 1, tzinfo=dt.UTC))


def test_overlap_is_refused_naming_the_other_block(
    db: Database, schedule: ScheduleService, station: str, morning: str, night: str
) -> None:
    show = schedule.create_block(station, BlockFields(morning, MON, "08:00", "10:00"))
    with pytest.raises(ScheduleOverlap) as info:
        schedule.create_block(station, BlockFields(night, MON, "09:00", "11:00"))
    assert f"overlaps 'Morning Show' on Monday 08:00{DASH}10:00" in str(info.value)
    assert f"This block (Monday 09:00{DASH}11:00)" in str(info.value)
    assert info.value.other_id == show.id
    assert stored_blocks(db) == [(MON, "08:00", "10:00", True)]


def test_overlap_names_the_first_clash_and_counts_the_rest(
    schedule: ScheduleService, station: str, morning: str, night: str
) -> None:
    first = schedule.create_block(station, BlockFields(morning, MON, "08:00", "09:00"))
    schedule.create_block(station, BlockFields(night, MON, "09:00", "10:00"))
    with pytest.raises(ScheduleOverlap, match=r"08:00.09:00 \(and 1 more\)") as info:
        schedule.create_block(station, BlockFields(night, MON, "07:00", "12:00"))
    assert info.value.other_id == first.id


def test_touching_blocks_do_not_overlap(
    schedule: ScheduleService, station: str, morning: str, night: str
) -> None:
    schedule.create_block(station, BlockFields(morning, MON, "10:00", "12:00"))
    schedule.create_block(station, BlockFields(night, MON, "12:00", "14:00"))
    schedule.create_block(station, BlockFields(night, MON, "08:00", "10:00"))
    schedule.create_block(station, BlockFields(morning, MON, "22:00", "00:00"))
    schedule.create_block(station, BlockFields(night, TUE, "00:00", "02:00"))
    assert [(b.day_of_week, b.start) for b in schedule.list_blocks(station)] == [
        (MON, "08:00"), (MON, "10:00"), (MON, "12:00"), (MON, "22:00"), (TUE, "00:00")
    ]


def test_overlap_across_midnight_and_the_week_wrap(
    schedule: ScheduleService, station: str, morning: str, night: str
) -> None:
    saturday = schedule.create_block(station, BlockFields(night, SAT, "22:00", "02:00"))
    with pytest.raises(ScheduleOverlap) as info:
        schedule.create_block(station, BlockFields(morning, SUN, "01:00", "03:00"))
    assert f"'Night Owls' on Saturday 22:00{DASH}02:00 (until Sunday)" in str(info.value)
    assert info.value.other_id == saturday.id
    with pytest.raises(ScheduleOverlap):
        schedule.create_block(station, BlockFields(morning, SAT, "23:00", "23:30"))
    schedule.create_block(station, BlockFields(morning, SUN, "02:00", "03:00"))  # touches
    monday = schedule.create_block(station, BlockFields(night, MON, "23:00", "01:00"))
    with pytest.raises(ScheduleOverlap, match="until Tuesday"):
        schedule.create_block(station, BlockFields(morning, TUE, "00:59", "02:00"))
    assert monday.crosses_midnight


def test_blocks_of_other_stations_do_not_clash(
    db: Database, schedule: ScheduleService, station: str, morning: str
) -> None:
    other = StationService(db).create_station(StationFields("Other FM")).id
    theirs = add_playlist(db, other, "Their Hits")
    schedule.create_block(station, BlockFields(morning, MON, "08:00", "10:00"))
    schedule.create_block(other, BlockFields(theirs, MON, "08:00", "10:00"))
    assert len(schedule.list_blocks(station)) == len(schedule.list_blocks(other)) == 1


def test_inactive_blocks_may_overlap_until_switched_on(
    schedule: ScheduleService, station: str, morning: str, night: str
) -> None:
    on = schedule.create_block(station, BlockFields(morning, MON, "08:00", "10:00"))
    off = schedule.create_block(station, BlockFields(night, MON, "09:00", "11:00", False))
    assert off.is_active is False
    spare = schedule.create_block(station, BlockFields(night, MON, "08:30", "09:30", False))
    with pytest.raises(ScheduleOverlap, match="'Morning Show'"):
        schedule.set_active(off.id, True)
    with pytest.raises(ScheduleOverlap, match="'Morning Show'"):
        schedule.update_block(off.id, dataclasses.replace(off.fields, is_active=True),
                              off.version)
    assert schedule.get_block(off.id).is_active is False
    schedule.set_active(on.id, False)
    activated = schedule.set_active(off.id, True)
    assert activated.is_active
    assert schedule.set_active(off.id, True) == activated  # already on: unchanged
    with pytest.raises(ScheduleOverlap, match=f"'Night Owls' on Monday 09:00{DASH}11:00"):
        schedule.set_active(spare.id, True)


def test_update_does_not_overlap_with_itself(
    schedule: ScheduleService, station: str, morning: str, night: str
) -> None:
    block = schedule.create_block(station, BlockFields(morning, MON, "08:00", "10:00"))
    schedule.create_block(station, BlockFields(night, MON, "11:00", "12:00"))
    moved = schedule.update_block(
        block.id, dataclasses.replace(block.fields, start="09:00", end="11:00"), block.version
    )
    assert (moved.start, moved.end) == ("09:00", "11:00")
    with pytest.raises(ScheduleOverlap, match="'Night Owls'"):
        schedule.update_block(block.id, dataclasses.replace(moved.fields, end="11:30"),
                              moved.version)


def test_stale_edits_are_conflicts(
    db: Database, other_db: Database, station: str, morning: str
) -> None:
    mine, theirs = ScheduleService(db), ScheduleService(other_db)
    block = mine.create_block(station, BlockFields(morning, MON, "08:00", "10:00"))
    theirs.update_block(block.id, dataclasses.replace(block.fields, end="09:00"), block.version)
    with pytest.raises(Conflict, match="changed by someone else"):
        mine.update_block(block.id, dataclasses.replace(block.fields, end="11:00"),
                          block.version)
    with pytest.raises(Conflict):
        mine.set_active(block.id, False, block.version)
    with pytest.raises(Conflict):
        mine.delete_block(block.id, block.version)
    assert mine.get_block(block.id).end == "09:00"


def test_list_is_ordered_by_day_then_start(
    schedule: ScheduleService, station: str, morning: str, night: str
) -> None:
    for day, start, end in [(SAT, "22:00", "02:00"), (MON, "14:00", "15:00"),
                            (SUN, "09:00", "10:00"), (MON, "09:00", "10:00"),
                            (SUN, "02:00", "03:00")]:
        schedule.create_block(station, BlockFields(morning, day, start, end))
    assert [(b.day_of_week, b.start) for b in schedule.list_blocks(station)] == [
        (SUN, "02:00"), (SUN, "09:00"), (MON, "09:00"), (MON, "14:00"), (SAT, "22:00")
    ]


def test_active_block_at_in_the_station_zone(
    schedule: ScheduleService, station: str, morning: str
) -> None:
    block = schedule.create_block(station, BlockFields(morning, MON, "08:00", "10:00"))
    # Monday 2026-01-12 08:00 in Madrid (CET, UTC+1) is 07:00 UTC
    assert schedule.active_block_at(station, dt.datetime(2026, 1, 12, 7, 0, tzinfo=dt.UTC)) == (
        block
    )
    assert schedule.active_block_at(station, dt.datetime(2026, 1, 12, 6, 59, tzinfo=dt.UTC)) is (
        None
    )
    assert schedule.active_block_at(station, dt.datetime(2026, 1, 12, 9, 0, tzinfo=dt.UTC)) is (
        None
    )
    # the same instant given in another zone is the same instant
    tokyo = dt.datetime(2026, 1, 12, 16, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Tokyo"))
    assert schedule.active_block_at(station, tokyo) == block
    schedule.set_active(block.id, False)
    assert schedule.active_block_at(station, tokyo) is None
    with pytest.raises(ValidationError, match="time zone") as info:
        schedule.active_block_at(station, dt.datetime(2026, 1, 12, 8, 30))
    assert info.value.field == "when"


def test_active_block_on_the_spring_forward_night(
    schedule: ScheduleService, station: str, morning: str
) -> None:
    # Sunday 2026-03-29, Madrid: 02:00 CET jumps to 03:00 CEST at 01:00 UTC.
    block = schedule.create_block(station, BlockFields(morning, SUN, "01:00", "04:00"))

    def at(hour: int, minute: int) -> BlockRecord | None:
        return schedule.active_block_at(
            station, dt.datetime(2026, 3, 29, hour, minute, tzinfo=dt.UTC)
        )

    assert schedule.active_block_at(
        station, dt.datetime(2026, 3, 28, 23, 59, tzinfo=dt.UTC)  # 00:59 CET
    ) is None
    assert at(0, 0) == block  # 01:00 CET
    assert at(0, 59) == block  # 01:59 CET, the last minute before the jump
    assert at(1, 0) == block  # 03:00 CEST, the first minute after it
    assert at(1, 59) == block  # 03:59 CEST
    assert at(2, 0) is None  # 04:00 CEST: the block lasted two real hours tonight
    # "02:30" on the wall clock does not exist that night; written down, it is 03:30 CEST.
    ghost = dt.datetime(2026, 3, 29, 2, 30, tzinfo=MADRID)
    assert ghost.astimezone(dt.UTC).astimezone(MADRID).strftime("%H:%M") == "03:30"
    assert schedule.active_block_at(station, ghost) == block


def test_a_block_inside_the_skipped_hour_does_not_play_that_night(
    schedule: ScheduleService, station: str, morning: str
) -> None:
    block = schedule.create_block(station, BlockFields(morning, SUN, "02:00", "03:00"))
    for minute in range(0, 120, 15):  # 01:00 CET .. 03:45 CEST, every quarter hour
        instant = dt.datetime(2026, 3, 29, 0, 0, tzinfo=dt.UTC) + dt.timedelta(minutes=minute)
        assert schedule.active_block_at(station, instant) is None
    # on an ordinary Sunday it plays
    assert schedule.active_block_at(
        station, dt.datetime(2026, 4, 5, 0, 30, tzinfo=dt.UTC)  # 02:30 CEST
    ) == block


def test_active_block_on_the_fall_back_night(
    schedule: ScheduleService, station: str, morning: str
) -> None:
    # Sunday 2026-10-25, Madrid: 03:00 CEST falls back to 02:00 CET at 01:00 UTC.
    block = schedule.create_block(station, BlockFields(morning, SUN, "02:00", "03:00"))
    first = dt.datetime(2026, 10, 25, 2, 30, tzinfo=MADRID)  # fold=0: the CEST pass
    second = first.replace(fold=1)  # the CET pass, an hour later
    assert second.astimezone(dt.UTC) - first.astimezone(dt.UTC) == dt.timedelta(hours=1)
    assert schedule.active_block_at(station, first) == block
    assert schedule.active_block_at(station, second) == block
    # the block plays two real hours: 00:00 UTC (02:00 CEST) to 02:00 UTC (03:00 CET)
    assert schedule.active_block_at(
        station, dt.datetime(2026, 10, 24, 23, 59, tzinfo=dt.UTC)) is None
    assert schedule.active_block_at(
        station, dt.datetime(2026, 10, 25, 0, 0, tzinfo=dt.UTC)) == block
    assert schedule.active_block_at(
        station, dt.datetime(2026, 10, 25, 1, 59, tzinfo=dt.UTC)) == block
    assert schedule.active_block_at(
        station, dt.datetime(2026, 10, 25, 2, 0, tzinfo=dt.UTC)) is None


def test_cross_midnight_block_plays_after_midnight_and_wraps_the_week(
    schedule: ScheduleService, station: str, night: str, morning: str
) -> None:
    saturday = schedule.create_block(station, BlockFields(night, SAT, "22:00", "02:00"))
    sunday = schedule.create_block(station, BlockFields(morning, SUN, "02:00", "06:00"))
    local = dt.datetime(2026, 1, 18, 1, 0, tzinfo=MADRID)  # Sunday 01:00
    assert local.strftime("%A") == "Sunday"
    assert schedule.active_block_at(station, local) == saturday
    assert schedule.active_block_at(station, local.replace(hour=2)) == sunday
    assert schedule.active_block_at(
        station, dt.datetime(2026, 1, 17, 23, 0, tzinfo=MADRID)) == saturday
    assert schedule.active_block_at(
        station, dt.datetime(2026, 1, 17, 21, 59, tzinfo=MADRID)) is None
    # in UTC the Sunday 01:00 local instant is still Saturday: the zone decides the day
    assert local.astimezone(dt.UTC).strftime("%A %H:%M") == "Sunday 00:00"
    assert schedule.active_block_at(
        station, dt.datetime(2026, 1, 17, 23, 30, tzinfo=dt.UTC)) == saturday


@pytest.mark.parametrize("first_edit", ["create", "update"])
def test_concurrent_overlapping_edits_only_one_wins(
    db: Database, other_db: Database, station: str, morning: str, night: str,
    monkeypatch: pytest.MonkeyPatch, first_edit: str,
) -> None:
    # Two operators save overlapping Monday blocks at the same moment, from separate
    # connection pools. One moves an existing Tuesday block (or creates a new one), the
    # other creates a block. Exactly one may win.
    mine, theirs = ScheduleService(db), ScheduleService(other_db)
    existing = mine.create_block(station, BlockFields(morning, TUE, "08:00", "10:00"))
    wanted = BlockFields(morning, MON, "08:00", "10:00")

    def first() -> BlockRecord:
        if first_edit == "update":
            return mine.update_block(existing.id, wanted, existing.version)
        return mine.create_block(station, wanted)

    def second() -> BlockRecord:
        return theirs.create_block(station, BlockFields(night, MON, "09:00", "11:00"))

    # Widen the window between "no overlap found" and the write: without the station lock
    # both operators would pass the check and both blocks would be saved.
    original = schedule_module._check_overlap

    def slow_check(*args: object, **kwargs: object) -> None:
        original(*args, **kwargs)  # type: ignore[arg-type]
        time.sleep(0.3)

    monkeypatch.setattr(schedule_module, "_check_overlap", slow_check)
    edits = [first, second]
    barrier = threading.Barrier(len(edits))
    outcomes: list[object] = [None] * len(edits)

    def run(index: int) -> None:
        barrier.wait()
        try:
            outcomes[index] = edits[index]()
        except Exception as error:  # the test inspects what each got
            outcomes[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(edits))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    winners = [o for o in outcomes if isinstance(o, BlockRecord)]
    losers = [o for o in outcomes if isinstance(o, ScheduleOverlap)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    assert losers[0].other_id == winners[0].id
    monday = [b for b in mine.list_blocks(station) if b.day_of_week == MON]
    assert [b.id for b in monday] == [winners[0].id]


def test_an_edit_queued_behind_another_sees_what_it_saved(
    db: Database, other_db: Database, station: str, morning: str, night: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Deterministic order: the mover reads the block (on MariaDB that starts its snapshot),
    # then queues for the station lock while the creator checks and saves an overlapping
    # block. The mover's check must see the creator's block, not its older snapshot.
    if db.backend == "sqlite":
        pytest.skip("SQLite write transactions are exclusive from their first statement, "
                    "so this interleaving cannot happen there")
    mover, creator = ScheduleService(db), ScheduleService(other_db)
    existing = mover.create_block(station, BlockFields(morning, TUE, "08:00", "10:00"))
    creator_checked = threading.Event()
    real_check, real_lock = schedule_module._check_overlap, _common.lock_row

    def check(*args: object, **kwargs: object) -> None:
        real_check(*args, **kwargs)  # type: ignore[arg-type]
        if threading.current_thread().name == "creator":
            creator_checked.set()
            time.sleep(0.3)

    def lock(session: object, model: type, row_id: str, kind: str) -> object:
        if threading.current_thread().name == "mover" and model is Client:
            assert creator_checked.wait(10)
        return real_lock(session, model, row_id, kind)  # type: ignore[arg-type]

    monkeypatch.setattr(schedule_module, "_check_overlap", check)
    monkeypatch.setattr(schedule_module, "lock_row", lock)
    outcomes: dict[str, object] = {}

    def run(name: str) -> None:
        try:
            if name == "mover":
                outcomes[name] = mover.update_block(
                    existing.id, BlockFields(morning, MON, "08:00", "10:00"), existing.version
                )
            else:
                outcomes[name] = creator.create_block(
                    station, BlockFields(night, MON, "09:00", "11:00")
                )
        except Exception as error:  # the test inspects what each got
            outcomes[name] = error

    threads = [threading.Thread(target=run, args=(n,), name=n) for n in ("mover", "creator")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    created, refused = outcomes["creator"], outcomes["mover"]
    assert isinstance(created, BlockRecord), outcomes
    assert isinstance(refused, ScheduleOverlap) and refused.other_id == created.id
    assert "'Night Owls'" in str(refused)
    assert mover.get_block(existing.id).day_of_week == TUE


def test_rows_written_by_other_programs_are_read_leniently(
    db: Database, schedule: ScheduleService, station: str, morning: str, night: str
) -> None:
    with db.transaction() as s:
        s.add_all([
            Schedule(clientId=station, playlistId=morning, dayOfWeek=MON, startTime="9:00",
                     endTime="24:00", isActive=True),
            Schedule(clientId=station, playlistId=night, dayOfWeek=TUE, startTime="noon",
                     endTime="13:00", isActive=True),
            Schedule(clientId=station, playlistId=night, dayOfWeek=9, startTime="10:00",
                     endTime="11:00", isActive=False),
        ])
    by_day = {block.day_of_week: block for block in schedule.list_blocks(station)}
    readable, garbage, day_nine = by_day[MON], by_day[TUE], by_day[9]
    assert (readable.start, readable.end, readable.duration_minutes) == ("09:00", "00:00", 900)
    assert readable.problem is None
    assert garbage.start == "noon" and "cannot be read as HH:MM" in (garbage.problem or "")
    assert "not 0 (Sunday) to 6 (Saturday)" in (day_nine.problem or "")
    # the readable one takes part in overlap checks; the unreadable one does not
    with pytest.raises(ScheduleOverlap, match="'Morning Show' on Monday 09:00"):
        schedule.create_block(station, BlockFields(night, MON, "23:00", "23:30"))
    schedule.create_block(station, BlockFields(morning, TUE, "12:00", "13:00"))
    assert schedule.active_block_at(
        station, dt.datetime(2026, 1, 12, 22, 0, tzinfo=MADRID)) == readable
    with pytest.raises(ValidationError, match="cannot be switched on"):
        schedule.set_active(day_nine.id, True)
    # editing it through the service writes it back in the strict form
    fixed = schedule.update_block(
        garbage.id, BlockFields(night, TUE, "14:00", "15:00"), garbage.version
    )
    assert fixed.problem is None and (fixed.start, fixed.end) == ("14:00", "15:00")


def test_unknown_station_time_zone_is_explained(
    db: Database, schedule: ScheduleService, station: str, morning: str
) -> None:
    schedule.create_block(station, BlockFields(morning, MON, "08:00", "10:00"))
    with db.transaction() as s:
        row = s.get(Client, station)
        assert row is not None
        row.timezone = "Mars/Olympus_Mons"
    with pytest.raises(StationError, match="'Mars/Olympus_Mons', which is not known"):
        schedule.active_block_at(station, dt.datetime(2026, 1, 12, 8, 0, tzinfo=dt.UTC))
