"""The schedule grid's pure geometry: no Qt, no database."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from station_desktop.services.weektime import MINUTES_PER_DAY, MINUTES_PER_WEEK, WeekSpan
from station_desktop.ui.schedule import geometry as g

SUN, MON, TUE, WED, SAT = 0, 1, 2, 3, 6
H = 60


def grid(first_day: int = MON) -> g.GridGeometry:
    # 50 px gutter, 30 px header, 100 px per day, 1 px per minute (60 px per hour)
    return g.GridGeometry(first_day=first_day, left=50, top=30, day_width=100, minute_height=1)


def wm(day: int, hh: int, mm: int = 0) -> int:
    return day * MINUTES_PER_DAY + hh * H + mm


@pytest.mark.parametrize(("minute", "snapped"), [
    (0, 0), (7, 0), (7.5, 15), (8, 15), (22, 15), (23, 30), (1439, 1440), (-7, 0), (-8, -15),
])
def test_snap_to_the_nearest_quarter_hour(minute: float, snapped: int) -> None:
    assert g.snap(minute) == snapped


def test_qt_and_seed_day_numbers() -> None:
    # Qt: 1 = Monday ... 7 = Sunday; seed: 0 = Sunday ... 6 = Saturday
    assert [g.qt_day_to_seed(d) for d in range(1, 8)] == [1, 2, 3, 4, 5, 6, 0]
    assert [g.seed_day_to_qt(d) for d in range(7)] == [7, 1, 2, 3, 4, 5, 6]


def test_columns_follow_the_first_day_of_the_week() -> None:
    monday_first, sunday_first = grid(MON), grid(SUN)
    assert [monday_first.day_of_column(c) for c in range(7)] == [1, 2, 3, 4, 5, 6, 0]
    assert [sunday_first.day_of_column(c) for c in range(7)] == [0, 1, 2, 3, 4, 5, 6]
    assert monday_first.x_of_day(SUN) == 50 + 6 * 100
    assert sunday_first.x_of_day(SUN) == 50
    assert monday_first.width == 750 and monday_first.height == 30 + 1440


def test_time_and_y_round_trip_and_clamp() -> None:
    geo = grid()
    assert geo.y_of_minute(8 * H) == 30 + 480
    assert geo.minute_at(30 + 480) == 480
    assert geo.minute_at(0) == 0  # above the grid: midnight
    assert geo.minute_at(5000) == MINUTES_PER_DAY  # below: the closing midnight


def test_x_to_column_and_day() -> None:
    geo = grid(MON)
    assert geo.column_at(49) is None  # the time gutter
    assert geo.column_at(50) == 0 and geo.column_at(149.9) == 0 and geo.column_at(150) == 1
    assert geo.column_at(750) is None
    assert geo.day_at(10) == MON  # left of the grid: the first column
    assert geo.day_at(10_000) == SUN  # right of it: the last
    assert geo.week_minute_at(155, 30 + 600) == wm(TUE, 10)
    # The bottom of a column is the next day's midnight: Saturday's is where the week
    # starts again, Sunday's is Monday 00:00.
    assert geo.week_minute_at(600, 30 + 1440) == 0
    assert geo.week_minute_at(700, 30 + 1440) == wm(MON, 0)


def test_a_block_within_one_day_is_one_rectangle() -> None:
    geo = grid(MON)
    assert g.segments(MON, 8 * H, 10 * H) == [g.Segment(MON, 480, 600, True, True)]
    assert geo.block_rects(MON, 8 * H, 10 * H) == [g.Rect(50, 30 + 480, 100, 120)]
    # Ending at midnight (00:00) fills the day to the bottom and does not cross it.
    assert g.segments(TUE, 22 * H, 0) == [g.Segment(TUE, 1320, 1440, True, True)]


def test_a_block_across_midnight_is_two_rectangles() -> None:
    geo = grid(MON)
    assert g.segments(MON, 22 * H, 2 * H) == [
        g.Segment(MON, 1320, 1440, True, False), g.Segment(TUE, 0, 120, False, True)]
    assert geo.block_rects(MON, 22 * H, 2 * H) == [
        g.Rect(50, 30 + 1320, 100, 120), g.Rect(150, 30, 100, 120)]


def test_saturday_night_continues_on_sunday_wherever_sunday_is() -> None:
    monday_first, sunday_first = grid(MON), grid(SUN)
    assert monday_first.block_rects(SAT, 23 * H, 1 * H) == [
        g.Rect(550, 30 + 1380, 100, 60), g.Rect(650, 30, 100, 60)]  # Sunday: last column
    assert sunday_first.block_rects(SAT, 23 * H, 1 * H) == [
        g.Rect(650, 30 + 1380, 100, 60), g.Rect(50, 30, 100, 60)]  # Sunday: first column


def test_span_and_block_round_trip() -> None:
    for day, start, end in [(MON, 480, 600), (SAT, 1380, 60), (SUN, 0, 15), (WED, 1320, 0)]:
        assert g.block_of_span(g.span_of(day, start, end)) == (day, start, end)


def test_creating_by_dragging_down_or_up_covers_the_steps_touched() -> None:
    assert g.created_span(wm(MON, 8, 2), wm(MON, 9, 53)) == WeekSpan(wm(MON, 8), 2 * H)
    assert g.created_span(wm(MON, 10), wm(MON, 8, 5)) == WeekSpan(wm(MON, 8), 2 * H)  # upwards
    assert g.created_span(wm(MON, 14, 50), wm(MON, 13, 0)) == WeekSpan(wm(MON, 13), 2 * H)
    # A click without movement makes the shortest block, on the step clicked in.
    assert g.created_span(wm(TUE, 14), wm(TUE, 14)) == WeekSpan(wm(TUE, 14), 15)
    assert g.created_span(wm(TUE, 14, 7), wm(TUE, 14, 8)) == WeekSpan(wm(TUE, 14), 15)
    # Into the next day's column: across midnight.
    assert g.created_span(wm(MON, 22), wm(TUE, 2)) == WeekSpan(wm(MON, 22), 4 * H)
    # Never a day or more.
    assert g.created_span(wm(MON, 8), wm(WED, 8)).duration == g.MAX_BLOCK_MINUTES
    # Saturday night to Sunday morning wraps the week.
    assert g.created_span(wm(SAT, 23), wm(SUN, 1)) == WeekSpan(wm(SAT, 23), 2 * H)


def test_moving_keeps_the_length_and_the_grab_point() -> None:
    block = WeekSpan(wm(MON, 8), 2 * H)
    grabbed = wm(MON, 8, 40) - block.start  # 40 minutes into the block
    assert g.moved_span(block, grabbed, wm(WED, 14, 57)) == WeekSpan(wm(WED, 14, 15), 2 * H)
    # Dragged to Sunday evening late enough to run into Monday: it crosses the week's end.
    moved = g.moved_span(block, 0, wm(SAT, 23))
    assert g.block_of_span(moved) == (SAT, 23 * H, 1 * H)
    # A block moved to start before Sunday 00:00 wraps to Saturday.
    assert g.moved_span(block, 60, wm(SUN, 0, 30)).start == wm(SAT, 23, 30)


def test_resizing_the_edges() -> None:
    block = WeekSpan(wm(MON, 8), 2 * H)  # 08:00-10:00
    assert g.resized_end(block, wm(MON, 11, 20)) == WeekSpan(wm(MON, 8), 195)
    assert g.resized_start(block, wm(MON, 6, 50)) == WeekSpan(wm(MON, 6, 45), 195)
    # Past the other edge: the shortest block, never inverted.
    assert g.resized_end(block, wm(MON, 7)) == WeekSpan(wm(MON, 8), 15)
    assert g.resized_start(block, wm(MON, 11)) == WeekSpan(wm(MON, 9, 45), 15)
    # The end dragged into Tuesday's column makes it cross midnight.
    late = WeekSpan(wm(MON, 22), 2 * H)
    assert g.block_of_span(g.resized_end(late, wm(TUE, 3))) == (MON, 22 * H, 3 * H)


def test_hit_zones_only_on_real_edges() -> None:
    geo = grid(MON)
    first, second = g.segments(MON, 22 * H, 2 * H)
    top_rect, bottom_rect = geo.segment_rect(first), geo.segment_rect(second)
    assert g.hit_zone(top_rect, first, top_rect.y + 1) is g.Zone.TOP
    assert g.hit_zone(top_rect, first, top_rect.bottom - 1) is g.Zone.BODY  # midnight
    assert g.hit_zone(bottom_rect, second, bottom_rect.y + 1) is g.Zone.BODY  # midnight
    assert g.hit_zone(bottom_rect, second, bottom_rect.bottom - 1) is g.Zone.BOTTOM
    assert g.hit_zone(bottom_rect, second, bottom_rect.y + 60) is g.Zone.BODY


def test_local_overlap_check_uses_the_service_rule() -> None:
    others = [("morning", g.span_of(MON, 7 * H, 10 * H)),
              ("night", g.span_of(SAT, 22 * H, 2 * H))]
    assert g.first_overlap(g.span_of(MON, 9 * H, 11 * H), others) == "morning"
    assert g.first_overlap(g.span_of(MON, 10 * H, 11 * H), others) is None  # touching
    assert g.first_overlap(g.span_of(SUN, 1 * H, 3 * H), others) == "night"  # week wrap
    assert g.first_overlap(g.span_of(SUN, 2 * H, 3 * H), others) is None


def test_overlap_minutes_on_the_circular_week() -> None:
    assert g.overlap_minutes(WeekSpan(wm(MON, 8), 120), WeekSpan(wm(MON, 9), 120)) == 60
    assert g.overlap_minutes(WeekSpan(wm(SAT, 23), 120), WeekSpan(0, 30)) == 30
    assert g.overlap_minutes(WeekSpan(0, 30), WeekSpan(wm(SAT, 23), 120)) == 30
    assert g.overlap_minutes(WeekSpan(wm(MON, 8), 60), WeekSpan(wm(MON, 9), 60)) == 0
    assert g.overlap_minutes(WeekSpan(MINUTES_PER_WEEK - 10, 20), WeekSpan(0, 5)) == 5


def test_spring_forward_gaps_of_madrid_and_none_in_utc() -> None:
    madrid = zoneinfo.ZoneInfo("Europe/Madrid")
    gaps = g.spring_forward_gaps(madrid, dt.date(2026, 1, 1))
    assert gaps == [g.ClockGap(dt.date(2026, 3, 29), 2 * H, 60)]
    assert gaps[0].day_of_week == SUN and gaps[0].end == 3 * H
    assert g.spring_forward_gaps(zoneinfo.ZoneInfo("UTC"), dt.date(2026, 1, 1)) == []
    # Southern hemisphere: Sydney springs forward in October (02:00 -> 03:00).
    sydney = g.spring_forward_gaps(zoneinfo.ZoneInfo("Australia/Sydney"), dt.date(2026, 1, 1))
    assert sydney == [g.ClockGap(dt.date(2026, 10, 4), 2 * H, 60)]
    # Lord Howe moves by half an hour.
    lord_howe = g.spring_forward_gaps(zoneinfo.ZoneInfo("Australia/Lord_Howe"),
                                      dt.date(2026, 1, 1))
    assert lord_howe == [g.ClockGap(dt.date(2026, 10, 4), 2 * H, 30)]


def test_blocks_in_the_gap() -> None:
    gap = g.ClockGap(dt.date(2026, 3, 29), 2 * H, 60)  # a Sunday
    inside = g.gaps_in_block(g.span_of(SUN, 2 * H, 3 * H), [gap])
    assert inside == [(gap, 60)]  # the whole block: it does not play that night
    across = g.gaps_in_block(g.span_of(SAT, 23 * H, 4 * H), [gap])
    assert across == [(gap, 60)]  # Saturday's night block is an hour short
    assert g.gaps_in_block(g.span_of(SUN, 3 * H, 5 * H), [gap]) == []
    assert g.gaps_in_block(g.span_of(MON, 2 * H, 3 * H), [gap]) == []


def test_playlist_hues_are_stable_and_spread() -> None:
    assert g.playlist_hue("clx0playlist") == g.playlist_hue("clx0playlist")
    hues = {g.playlist_hue(f"playlist-{n}") for n in range(100)}
    assert all(0 <= h < 360 and h % 15 == 0 for h in hues)
    assert len(hues) > 12


def test_a_station_playlists_get_hues_that_tell_them_apart() -> None:
    def closest(hues: dict[str, int]) -> int:
        values = sorted(hues.values())
        return min(b - a for a, b in zip(values, [*values[1:], values[0] + 360], strict=True))

    assert closest(g.assign_hues(f"c{n:08d}" for n in range(5))) >= 45  # up to 5: 45 apart
    ids = [f"c{n:08d}" for n in range(8)]
    hues = g.assign_hues(ids)
    assert closest(hues) >= 30  # up to 8: at least 30 degrees apart
    assert hues[ids[0]] == g.playlist_hue(ids[0])  # the first keeps its own hue
    # A new playlist (a later id) never recolours the older ones.
    assert {k: v for k, v in g.assign_hues([*ids, "c99999999"]).items() if k in hues} == hues
    many = g.assign_hues(f"c{n:08d}" for n in range(24))
    assert len(set(many.values())) == 24
