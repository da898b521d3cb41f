"""Week-clock arithmetic of the schedule: parsing, spans on the circular week, DST."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from station_desktop.services import weektime
from station_desktop.services.weektime import MINUTES_PER_DAY, MINUTES_PER_WEEK, WeekSpan

MADRID = zoneinfo.ZoneInfo("Europe/Madrid")
SUN, MON, TUE, SAT = 0, 1, 2, 6


def hm(text: str) -> int:
    return weektime.parse_hhmm(text)


@pytest.mark.parametrize(
    ("text", "minutes"), [("00:00", 0), ("07:05", 425), ("12:00", 720), ("23:59", 1439)]
)
def test_parse_hhmm_accepts_exact_times(text: str, minutes: int) -> None:
    assert weektime.parse_hhmm(text) == minutes
    assert weektime.format_hhmm(minutes) == text


@pytest.mark.parametrize(
    "text",
    ["7:00", "24:00", "12:60", "ab:cd", " 10:00", "10:00 ", "10:00\n", "1000", "10.00",
     "", "10:0", "\u0661\u0660:00", "-1:00", "10:00:00"],
)
def test_parse_hhmm_refuses_everything_else(text: str) -> None:
    with pytest.raises(ValueError, match="HH:MM"):
        weektime.parse_hhmm(text)


def test_parse_hhmm_refuses_non_strings() -> None:
    with pytest.raises(ValueError, match="HH:MM"):
        weektime.parse_hhmm(600)


@pytest.mark.parametrize(
    ("text", "is_end", "minutes"),
    [("9:00", False, 540), ("09:00:59", False, 540), (" 10:30 ", False, 630),
     ("24:00", True, 0), ("00:00", True, 0)],
)
def test_stored_times_are_read_leniently(text: str, is_end: bool, minutes: int) -> None:
    assert weektime.parse_stored_hhmm(text, is_end=is_end) == minutes


@pytest.mark.parametrize(("text", "is_end"), [("24:00", False), ("24:01", True), ("25:00", True),
                                              ("12:60", False), ("noon", False), (None, False)])
def test_unreadable_stored_times_raise(text: object, is_end: bool) -> None:
    with pytest.raises(ValueError, match="not a time"):
        weektime.parse_stored_hhmm(text, is_end=is_end)


def test_duration_and_crossing_midnight() -> None:
    assert weektime.block_duration(hm("10:00"), hm("12:00")) == 120
    assert not weektime.crosses_midnight(hm("10:00"), hm("12:00"))
    # 22:00-02:00 runs four hours into the next day
    assert weektime.block_duration(hm("22:00"), hm("02:00")) == 240
    assert weektime.crosses_midnight(hm("22:00"), hm("02:00"))
    # an end of 00:00 is midnight: two hours, ending exactly at the day's end
    assert weektime.block_duration(hm("22:00"), hm("00:00")) == 120
    assert not weektime.crosses_midnight(hm("22:00"), hm("00:00"))
    assert weektime.block_duration(hm("00:00"), hm("00:00")) == 0
    assert weektime.block_duration(hm("00:01"), hm("00:00")) == MINUTES_PER_DAY - 1


def test_seed_day_numbers_start_on_sunday() -> None:
    assert weektime.seed_day_of_week(dt.date(2026, 3, 29)) == SUN  # a Sunday
    assert weektime.seed_day_of_week(dt.date(2026, 3, 30)) == MON
    assert weektime.seed_day_of_week(dt.date(2026, 3, 28)) == SAT
    assert weektime.DAY_NAMES[SUN] == "Sunday" and weektime.DAY_NAMES[SAT] == "Saturday"


def test_span_position_and_containment() -> None:
    span = WeekSpan.of_block(MON, hm("08:00"), hm("10:00"))
    assert (span.start, span.duration) == (MINUTES_PER_DAY + 480, 120)
    assert span.contains(weektime.week_minute(MON, hm("08:00")))
    assert span.contains(weektime.week_minute(MON, hm("09:59")))
    assert not span.contains(weektime.week_minute(MON, hm("10:00")))  # end excluded
    assert not span.contains(weektime.week_minute(MON, hm("07:59")))


def test_saturday_night_block_wraps_round_the_week() -> None:
    span = WeekSpan.of_block(SAT, hm("22:00"), hm("02:00"))
    assert span.start + span.duration > MINUTES_PER_WEEK
    assert span.contains(weektime.week_minute(SAT, hm("23:30")))
    assert span.contains(weektime.week_minute(SUN, hm("00:00")))
    assert span.contains(weektime.week_minute(SUN, hm("01:59")))
    assert not span.contains(weektime.week_minute(SUN, hm("02:00")))
    assert not span.contains(weektime.week_minute(SAT, hm("21:59")))
    assert span.offset_of(weektime.week_minute(SUN, hm("01:00"))) == 180


@pytest.mark.parametrize(
    ("a", "b", "overlap"),
    [
        ((MON, "10:00", "12:00"), (MON, "12:00", "14:00"), False),  # touching ends
        ((MON, "12:00", "14:00"), (MON, "10:00", "12:00"), False),
        ((MON, "10:00", "12:00"), (MON, "11:59", "14:00"), True),
        ((MON, "10:00", "14:00"), (MON, "11:00", "12:00"), True),  # contains
        ((MON, "11:00", "12:00"), (MON, "10:00", "14:00"), True),  # contained
        ((MON, "10:00", "12:00"), (MON, "10:00", "12:00"), True),  # identical
        ((MON, "10:00", "12:00"), (TUE, "10:00", "12:00"), False),  # another day
        ((MON, "23:00", "01:00"), (TUE, "00:30", "03:00"), True),  # across midnight
        ((MON, "23:00", "01:00"), (TUE, "01:00", "03:00"), False),  # touches after midnight
        ((MON, "22:00", "00:00"), (TUE, "00:00", "02:00"), False),  # ends at midnight
        ((SAT, "22:00", "02:00"), (SUN, "01:00", "03:00"), True),  # week wrap
        ((SUN, "01:00", "03:00"), (SAT, "22:00", "02:00"), True),
        ((SAT, "22:00", "02:00"), (SUN, "02:00", "03:00"), False),
        ((SAT, "23:00", "00:00"), (SUN, "00:00", "01:00"), False),
        ((SUN, "00:01", "00:00"), (SAT, "23:00", "00:02"), True),  # longest block
        ((SUN, "00:01", "00:00"), (SAT, "23:00", "00:01"), False),
    ],
)
def test_overlap_on_the_circular_week(
    a: tuple[int, str, str], b: tuple[int, str, str], overlap: bool
) -> None:
    span_a = WeekSpan.of_block(a[0], hm(a[1]), hm(a[2]))
    span_b = WeekSpan.of_block(b[0], hm(b[1]), hm(b[2]))
    assert span_a.overlaps(span_b) is overlap
    assert span_b.overlaps(span_a) is overlap


def test_empty_span_overlaps_nothing() -> None:
    empty = WeekSpan(weektime.week_minute(MON, 600), 0)
    assert not empty.overlaps(WeekSpan.of_block(MON, hm("09:00"), hm("11:00")))


def test_describe_block_for_people() -> None:
    assert weektime.describe_block(MON, hm("08:00"), hm("10:00")) == "Monday 08:00\u201310:00"
    assert weektime.describe_block(SAT, hm("22:00"), hm("02:00")) == (
        "Saturday 22:00\u201302:00 (until Sunday)"
    )
    assert weektime.day_name(9) == "day 9"


def test_local_week_minute_uses_the_station_zone() -> None:
    instant = dt.datetime(2026, 3, 28, 23, 30, tzinfo=dt.UTC)  # Saturday in UTC
    assert weektime.local_week_minute(instant, dt.UTC) == weektime.week_minute(SAT, hm("23:30"))
    # ... but already Sunday 00:30 in Madrid (UTC+1 in March before the change)
    assert weektime.local_week_minute(instant, MADRID) == weektime.week_minute(SUN, hm("00:30"))
    with pytest.raises(ValueError, match="naive"):
        weektime.local_week_minute(dt.datetime(2026, 3, 28, 23, 30), MADRID)


def test_spring_forward_skips_the_missing_hour() -> None:
    # Europe/Madrid, Sunday 2026-03-29: 02:00 CET jumps to 03:00 CEST (01:00 UTC).
    span = WeekSpan.of_block(SUN, hm("01:00"), hm("04:00"))
    before_jump = dt.datetime(2026, 3, 29, 0, 59, tzinfo=dt.UTC)  # 01:59 CET
    after_jump = dt.datetime(2026, 3, 29, 1, 0, tzinfo=dt.UTC)  # 03:00 CEST
    end = dt.datetime(2026, 3, 29, 2, 0, tzinfo=dt.UTC)  # 04:00 CEST
    assert weektime.local_week_minute(before_jump, MADRID) == weektime.week_minute(SUN, 119)
    assert weektime.local_week_minute(after_jump, MADRID) == weektime.week_minute(SUN, 180)
    assert span.contains(weektime.local_week_minute(before_jump, MADRID))
    assert span.contains(weektime.local_week_minute(after_jump, MADRID))
    assert not span.contains(weektime.local_week_minute(end, MADRID))
    # 02:30 local does not exist: written down, it means an instant an hour later
    nonexistent = dt.datetime(2026, 3, 29, 2, 30, tzinfo=MADRID)
    assert nonexistent.astimezone(dt.UTC).astimezone(MADRID).hour == 3
    # No instant of that night reads 02:xx on the wall clock.
    minutes = {
        weektime.local_week_minute(after_jump - dt.timedelta(minutes=m), MADRID)
        for m in range(0, 120)
    }
    skipped = {weektime.week_minute(SUN, 120 + m) for m in range(60)}
    assert not minutes & skipped


def test_fall_back_repeats_the_hour_inside_the_block() -> None:
    # Europe/Madrid, Sunday 2026-10-25: 03:00 CEST falls back to 02:00 CET (01:00 UTC).
    span = WeekSpan.of_block(SUN, hm("02:00"), hm("03:00"))
    first_pass = dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC)  # 02:30 CEST
    second_pass = dt.datetime(2026, 10, 25, 1, 30, tzinfo=dt.UTC)  # 02:30 CET
    assert first_pass.astimezone(MADRID).strftime("%H:%M %Z") == "02:30 CEST"
    assert second_pass.astimezone(MADRID).strftime("%H:%M %Z") == "02:30 CET"
    for instant in (first_pass, second_pass):
        assert weektime.local_week_minute(instant, MADRID) == weektime.week_minute(SUN, 150)
        assert span.contains(weektime.local_week_minute(instant, MADRID))
    after = dt.datetime(2026, 10, 25, 2, 0, tzinfo=dt.UTC)  # 03:00 CET
    assert not span.contains(weektime.local_week_minute(after, MADRID))
