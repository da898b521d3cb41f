"""Playlist service: every operation, its refusals, on SQLite and MariaDB."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from helpers.factories import (
    database_without_foreign_keys,
    make_station,
    make_track,
    make_tracks,
    table_snapshot,
)
from sqlalchemy import delete, insert, select

from station_desktop.db.engine import Database
from station_desktop.db.ids import new_id
from station_desktop.db.models import AudioFile, Playlist, PlaylistItem, Schedule
from station_desktop.errors import Conflict, NotFound, ValidationError
from station_desktop.services._common import lock_row
from station_desktop.services.library import LibraryService
from station_desktop.services.playlists import (
    DeletedPlaylist,
    PlaylistDetail,
    PlaylistFields,
    PlaylistService,
    items_fingerprint,
)

TABLES = (Playlist, PlaylistItem)


@pytest.fixture
def playlists(db: Database) -> PlaylistService:
    return PlaylistService(db)


@pytest.fixture
def station_id(db: Database) -> str:
    return make_station(db, "Radio Uno").id


def assert_dense(db: Database, detail: PlaylistDetail) -> None:
    """Positions are 0..n-1 in the returned detail and in the stored rows, and the detail
    is what the database now holds."""
    n = len(detail.items)
    assert [item.order for item in detail.items] == list(range(n))
    with db.read() as s:
        stored = s.execute(
            select(PlaylistItem.id, PlaylistItem.order)
            .where(PlaylistItem.playlistId == detail.playlist.id)
            .order_by(PlaylistItem.order)
        ).all()
    assert [(item_id, order) for item_id, order in stored] == [
        (item.id, item.order) for item in detail.items
    ]
    assert detail.playlist.item_count == n
    assert detail.items_version == items_fingerprint(item.id for item in detail.items)


def tracks_in(detail: PlaylistDetail) -> list[str]:
    return [item.audio_file_id for item in detail.items]


# -- playlists ----------------------------------------------------------------------------


def test_playlist_crud_round_trip(playlists: PlaylistService, station_id: str) -> None:
    created = playlists.create_playlist(
        station_id, PlaylistFields("  Morning Rotation ", "rotation", "Weekdays 6-10", False)
    )
    assert (created.name, created.type, created.description) == (
        "Morning Rotation", "rotation", "Weekdays 6-10"
    )
    assert (created.is_main, created.item_count, created.total_duration) == (False, 0, 0.0)
    assert created.client_id == station_id and created.version
    detail = playlists.get_playlist(created.id)
    assert detail.playlist == created and detail.items == [] and detail.item_ids == []
    updated = playlists.update_playlist(
        created.id, dataclasses.replace(created.fields, name="Mornings", description=""),
        created.version,
    )
    assert (updated.name, updated.description) == ("Mornings", None)
    assert updated.version != created.version
    assert playlists.list_playlists(station_id) == [updated]
    deleted = playlists.delete_playlist(created.id, updated.version)
    assert deleted == DeletedPlaylist(updated, removed_items=0, removed_schedule_blocks=0)
    assert playlists.list_playlists(station_id) == []
    for call in (
        lambda: playlists.get_playlist(created.id),
        lambda: playlists.update_playlist(created.id, updated.fields, None),
        lambda: playlists.delete_playlist(created.id),
        lambda: playlists.set_main(created.id),
    ):
        with pytest.raises(NotFound, match="Playlist"):
            call()
    with pytest.raises(NotFound, match="Station"):
        playlists.create_playlist("ghost", PlaylistFields("x"))
    with pytest.raises(NotFound, match="Station"):
        playlists.list_playlists("ghost")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        (PlaylistFields(""), "name"),
        (PlaylistFields("x" * 192), "name"),
        (PlaylistFields("two\nlines"), "name"),
        (PlaylistFields("Hits", type="podcast"), "type"),
        (PlaylistFields("Hits", description="a\nb"), "description"),
        (PlaylistFields("Ids", type="jingles", is_main=True), "is_main"),
        (PlaylistFields("Xmas", type="special", is_main=True), "is_main"),
    ],
)
def test_playlist_validation_names_the_field(
    playlists: PlaylistService, station_id: str, fields: PlaylistFields, field: str
) -> None:
    with pytest.raises(ValidationError) as info:
        playlists.create_playlist(station_id, fields)
    assert info.value.field == field
    assert playlists.list_playlists(station_id) == []


def test_names_are_unique_per_station_ignoring_case(
    db: Database, playlists: PlaylistService, station_id: str
) -> None:
    first = playlists.create_playlist(station_id, PlaylistFields("Éxitos"))
    second = playlists.create_playlist(station_id, PlaylistFields("Chill"))
    with pytest.raises(ValidationError, match="already has a playlist named 'Éxitos'") as info:
        playlists.create_playlist(station_id, PlaylistFields("éXITOS"))
    assert info.value.field == "name"
    with pytest.raises(ValidationError) as info:
        playlists.update_playlist(second.id, dataclasses.replace(second.fields, name="éxitos"),
                                  second.version)
    assert info.value.field == "name"
    recased = playlists.update_playlist(first.id, dataclasses.replace(first.fields,
                                                                      name="ÉXITOS"),
                                        first.version)
    assert recased.name == "ÉXITOS"
    other_station = make_station(db)
    assert playlists.create_playlist(other_station.id, PlaylistFields("Éxitos")).name == "Éxitos"
    assert [p.name for p in playlists.list_playlists(station_id)] == ["Chill", "ÉXITOS"]


def test_one_main_playlist_per_station(
    db: Database, playlists: PlaylistService, station_id: str
) -> None:
    other_station = make_station(db)
    elsewhere = playlists.create_playlist(other_station.id, PlaylistFields("Main", is_main=True))
    a = playlists.create_playlist(station_id, PlaylistFields("Zulu", is_main=True))
    b = playlists.create_playlist(station_id, PlaylistFields("Alpha", is_main=True))
    playlists.create_playlist(station_id, PlaylistFields("Mike"))
    listed = playlists.list_playlists(station_id)
    assert [(p.name, p.is_main) for p in listed] == [
        ("Alpha", True), ("Mike", False), ("Zulu", False)
    ]
    main_a = playlists.set_main(a.id)
    assert main_a.is_main
    assert [(p.name, p.is_main) for p in playlists.list_playlists(station_id)] == [
        ("Zulu", True), ("Alpha", False), ("Mike", False)
    ]
    b_now = playlists.get_playlist(b.id).playlist
    assert b_now.version != b.version  # clearing the flag is a change others must notice
    b_main = playlists.update_playlist(b.id, dataclasses.replace(b_now.fields, is_main=True),
                                       b_now.version)
    assert b_main.is_main and not playlists.get_playlist(a.id).playlist.is_main
    assert playlists.list_playlists(other_station.id)[0] == elsewhere  # untouched
    unmarked = playlists.update_playlist(b.id, dataclasses.replace(b_main.fields,
                                                                   is_main=False),
                                         b_main.version)
    assert not unmarked.is_main
    assert not any(p.is_main for p in playlists.list_playlists(station_id))


def test_only_a_rotation_playlist_can_be_main(
    playlists: PlaylistService, station_id: str
) -> None:
    jingles = playlists.create_playlist(station_id, PlaylistFields("Ids", type="jingles"))
    with pytest.raises(ValidationError, match="rotation") as info:
        playlists.set_main(jingles.id)
    assert info.value.field == "is_main"
    main = playlists.create_playlist(station_id, PlaylistFields("Main", is_main=True))
    with pytest.raises(ValidationError) as info:
        playlists.update_playlist(main.id, dataclasses.replace(main.fields, type="special"),
                                  main.version)
    assert info.value.field == "is_main"
    assert playlists.get_playlist(main.id).playlist == main
    assert playlists.get_playlist(jingles.id).playlist == jingles


def test_list_counts_and_durations(
    db: Database, playlists: PlaylistService, station_id: str
) -> None:
    short, long = (make_track(db, station_id, "Short", duration=60.25),
                   make_track(db, station_id, "Long", duration=300.5))
    full = playlists.create_playlist(station_id, PlaylistFields("Full"))
    empty = playlists.create_playlist(station_id, PlaylistFields("Empty"))
    detail = playlists.add_items(full.id, [short.id, long.id, short.id])
    listed = {p.id: p for p in playlists.list_playlists(station_id)}
    assert (listed[full.id].item_count, listed[full.id].total_duration) == (3, 421.0)
    assert (listed[empty.id].item_count, listed[empty.id].total_duration) == (0, 0.0)
    assert listed[full.id] == detail.playlist


# -- adding items --------------------------------------------------------------------------


def test_add_items_at_end_at_position_and_clamped(
    db: Database, playlists: PlaylistService, station_id: str
) -> None:
    t = make_tracks(db, station_id, 6)
    p = playlists.create_playlist(station_id, PlaylistFields("Mix"))
    detail = playlists.add_items(p.id, [t[0].id, t[1].id])
    assert tracks_in(detail) == [t[0].id, t[1].id]
    assert_dense(db, detail)
    detail = playlists.add_items(p.id, [t[2].id, t[3].id], position=1)
    assert tracks_in(detail) == [t[0].id, t[2].id, t[3].id, t[1].id]
    assert_dense(db, detail)
    detail = playlists.add_items(p.id, [t[4].id], position=-5)
    assert tracks_in(detail)[0] == t[4].id
    detail = playlists.add_items(p.id, [t[5].id, t[0].id], position=999)
    assert tracks_in(detail) == [t[4].id, t[0].id, t[2].id, t[3].id, t[1].id, t[5].id, t[0].id]
    assert_dense(db, detail)
    first = detail.items[1]
    assert (first.title, first.artist, first.duration, first.status, first.filename) == (
        t[0].title, t[0].artist, t[0].duration, "ready", t[0].filename
    )
    assert first.display_title == t[0].title
    assert playlists.add_items(p.id, []) == detail  # nothing to add, nothing changes
    assert playlists.get_playlist(p.id) == detail


def test_processing_tracks_can_be_added(
    db: Database, playlists: PlaylistService, station_id: str
) -> None:
    track = make_track(db, station_id, "Fresh upload", status="processing")
    p = playlists.create_playlist(station_id, PlaylistFields("New"))
    detail = playlists.add_items(p.id, [track.id])
    assert [i.status for i in detail.items] == ["processing"]


def test_add_items_refuses_the_whole_list(
    db: Database, playlists: PlaylistService, station_id: str
) -> None:
    ok = make_tracks(db, station_id, 3)
    foreign = make_track(db, make_station(db).id, "Not ours")
    broken = make_track(db, station_id, "Broken", status="error")
    p = playlists.create_playlist(station_id, PlaylistFields("Mix"))
    playlists.add_items(p.id, [ok[0].id])
    before, rows_before = playlists.get_playlist(p.id), table_snapshot(db, *TABLES)

    with pytest.raises(NotFound, match="Track 'no-such-track'"):
        playlists.add_items(p.id, [ok[1].id, ok[2].id, "no-such-track"])
    with pytest.raises(ValidationError, match="another station") as info:
        playlists.add_items(p.id, [ok[1].id, foreign.id], position=0)
    assert info.value.field == "audio_file_ids"
    with pytest.raises(ValidationError, match="failed processing") as info:
        playlists.add_items(p.id, [broken.id, ok[1].id])
    assert info.value.field == "audio_file_ids"
    with pytest.raises(NotFound, match="Playlist"):
        playlists.add_items("ghost", [ok[1].id])

    assert playlists.get_playlist(p.id) == before
    assert table_snapshot(db, *TABLES) == rows_before


# -- removing items ------------------------------------------------------------------------


def test_remove_items_closes_ranks(
    db: Database, playlists: PlaylistService, station_id: str
) -> None:
    t = make_tracks(db, station_id, 5)
    p = playlists.create_playlist(station_id, PlaylistFields("Mix"))
    ids = playlists.add_items(p.id, [x.id for x in t]).item_ids
    detail = playlists.remove_item(p.id, ids[1])
    assert detail.item_ids == [ids[0], ids[2], ids[3], ids[4]]
    assert_dense(db, detail)
    detail = playlists.remove_items(p.id, [ids[4], ids[0], ids[4]])
    assert detail.item_ids == [ids[2], ids[3]]
    assert_dense(db, detail)
    assert detail.playlist.total_duration == 360.0
    assert LibraryService(db).get_track(t[0].id) == t[0]  # the track stays in the library


def test_remove_refuses_items_not_in_the_playlist(
    db: Database, playlists: PlaylistService, station_id: str
) -> None:
    t = make_tracks(db, station_id, 2)
    mine = playlists.create_playlist(station_id, PlaylistFields("Mine"))
    other = playlists.create_playlist(station_id, PlaylistFields("Other"))
    my_items = playlists.add_items(mine.id, [t[0].id, t[1].id]).item_ids
    their_item = playlists.add_items(other.id, [t[0].id]).item_ids[0]
    before = table_snapshot(db, *TABLES)
    with pytest.raises(NotFound, match="Item of playlist 'Mine'"):
        playlists.remove_item(mine.id, their_item)
    with pytest.raises(NotFound):
        playlists.remove_items(mine.id, [my_items[0], "ghost"])
    with pytest.raises(NotFound, match="Playlist"):
        playlists.remove_item("ghost", my_items[0])
    assert table_snapshot(db, *TABLES) == before


def test_insert_items_at_puts_removed_tracks_back_where_they_were(
    db: Database, playlists: PlaylistService, station_id: str
) -> None:
    """The undo of a removal: the same tracks at the same positions, all in one step."""
    t = make_tracks(db, station_id, 6)
    p = playlists.create_playlist(station_id, PlaylistFields("Mix"))
    full = playlists.add_items(p.id, [x.id for x in t])
    removed = [(1, t[1].id), (3, t[3].id), (5, t[5].id)]
    smaller = playlists.remove_items(p.id, [full.item_ids[i] for i, _ in removed])
    restored = playlists.insert_items_at(
        p.id, list(reversed(removed)), expected_items_version=smaller.items_version)
    assert tracks_in(restored) == [x.id for x in t]
    assert [restored.item_ids[i] for i in (0, 2, 4)] == smaller.item_ids  # untouched rows
    assert_dense(db, restored)
    # An outdated view, or a position past the end, changes nothing.
    before = table_snapshot(db, *TABLES)
    with pytest.raises(Conflict, match="changed since you opened it"):
        playlists.insert_items_at(p.id, [(0, t[0].id)],
                                  expected_items_version=smaller.items_version)
    with pytest.raises(Conflict):
        playlists.insert_items_at(p.id, [(0, t[0].id), (8, t[1].id)])
    with pytest.raises(NotFound, match="Track"):
        playlists.insert_items_at(p.id, [(0, "ghost")])
    assert table_snapshot(db, *TABLES) == before


def test_add_and_remove_check_the_items_version(
    db: Database, playlists: PlaylistService, station_id: str
) -> None:
    t = make_tracks(db, station_id, 3)
    p = playlists.create_playlist(station_id, PlaylistFields("Mix"))
    seen = playlists.add_items(p.id, [t[0].id, t[1].id])
    playlists.add_items(p.id, [t[2].id], 0)  # someone else's edit
    before = table_snapshot(db, *TABLES)
    with pytest.raises(Conflict):
        playlists.add_items(p.id, [t[0].id], 1, expected_items_version=seen.items_version)
    with pytest.raises(Conflict):
        playlists.remove_items(p.id, [seen.item_ids[0]],
                               expected_items_version=seen.items_version)
    assert table_snapshot(db, *TABLES) == before
    now = playlists.get_playlist(p.id)
    after = playlists.remove_items(p.id, [now.item_ids[0]],
                                   expected_items_version=now.items_version)
    assert tracks_in(after) == [t[0].id, t[1].id]


# -- reordering ----------------------------------------------------------------------------


@pytest.fixture
def five(db: Database, playlists: PlaylistService, station_id: str) -> PlaylistDetail:
    """A playlist of five items (tracks T0..T4, in that order)."""
    tracks = [make_track(db, station_id, f"T{i}") for i in range(5)]
    p = playlists.create_playlist(station_id, PlaylistFields("Five"))
    return playlists.add_items(p.id, [t.id for t in tracks])


def test_reorder(db: Database, playlists: PlaylistService, five: PlaylistDetail) -> None:
    ids = five.item_ids
    new = [ids[3], ids[0], ids[4], ids[1], ids[2]]
    detail = playlists.reorder(five.playlist.id, new, five.items_version)
    assert detail.item_ids == new and detail.items_version != five.items_version
    assert_dense(db, detail)
    assert playlists.get_playlist(five.playlist.id) == detail
    # None: the caller did not load a version (a script); still must be a permutation
    back = playlists.reorder(five.playlist.id, ids, None)
    assert back.item_ids == ids and back.items_version == five.items_version
    with pytest.raises(NotFound):
        playlists.reorder("ghost", [], None)


@pytest.mark.parametrize(
    "mangle",
    [
        pytest.param(lambda ids: [*ids[:-1], "bogus"], id="bogus-id"),
        pytest.param(lambda ids: ids[:-1], id="missing-id"),
        pytest.param(lambda ids: [*ids, ids[0]], id="extra-duplicate"),
        pytest.param(lambda ids: [ids[0], *ids[:-1]], id="duplicate-instead-of-one"),
    ],
)
def test_reorder_that_is_not_a_permutation_changes_nothing(
    db: Database, playlists: PlaylistService, five: PlaylistDetail, mangle: Any
) -> None:
    before = table_snapshot(db, *TABLES)
    with pytest.raises(Conflict, match="changed since you opened it"):
        playlists.reorder(five.playlist.id, mangle(list(reversed(five.item_ids))),
                          five.items_version)
    assert playlists.get_playlist(five.playlist.id) == five
    assert table_snapshot(db, *TABLES) == before


def test_move_items_like_a_drop(
    db: Database, playlists: PlaylistService, five: PlaylistDetail
) -> None:
    a, b, c, d, e = five.item_ids
    pid = five.playlist.id
    # drag "a" onto row 3 (before "d"): rows are counted in the list as shown before the drop
    moved = playlists.move_items(pid, [a], 3, five.items_version)
    assert moved.item_ids == [b, c, a, d, e]
    assert_dense(db, moved)
    # a multi-selection keeps its playlist order, whatever order it was clicked in
    moved = playlists.move_items(pid, [e, b], 0, moved.items_version)
    assert moved.item_ids == [b, e, c, a, d]
    moved = playlists.move_items(pid, [b, c], 99, moved.items_version)
    assert moved.item_ids == [e, a, d, b, c]
    assert_dense(db, moved)
    same = playlists.move_items(pid, [a], 1, moved.items_version)  # dropped where it was
    assert same == moved
    with pytest.raises(Conflict):
        playlists.move_items(pid, [a, "removed-meanwhile"], 0, moved.items_version)
    with pytest.raises(Conflict):
        playlists.move_items(pid, [a], 0, five.items_version)
    assert playlists.get_playlist(pid) == moved


def test_shuffle(db: Database, playlists: PlaylistService, station_id: str) -> None:
    tracks = make_tracks(db, station_id, 3)
    p = playlists.create_playlist(station_id, PlaylistFields("Shuffle me"))
    original = playlists.add_items(p.id, [t.id for t in tracks] * 7)  # 21 items
    shuffled = playlists.shuffle(p.id, original.items_version, seed=7)
    assert shuffled.item_ids != original.item_ids
    assert sorted(shuffled.item_ids) == sorted(original.item_ids)
    assert_dense(db, shuffled)
    with pytest.raises(Conflict):
        playlists.shuffle(p.id, original.items_version)
    assert playlists.get_playlist(p.id) == shuffled
    reshuffled = playlists.shuffle(p.id)  # unseeded: 21 distinct items, never the same
    assert reshuffled.item_ids != shuffled.item_ids
    assert_dense(db, reshuffled)


def test_sort_items(db: Database, playlists: PlaylistService, station_id: str) -> None:
    def add(title: str | None, artist: str | None, duration: float, filename: str) -> str:
        return make_track(db, station_id, title, artist=artist, duration=duration,
                          filename=filename).id

    b = add("beta", "Zed", 200.0, "b.mp3")
    untitled = add(None, None, 100.0, "Charlie.mp3")
    a = add("Alpha", "abba", 300.0, "a.mp3")
    d = add("delta", "Zed", 50.0, "d.mp3")
    p = playlists.create_playlist(station_id, PlaylistFields("Sort me"))
    loaded = playlists.add_items(p.id, [b, untitled, a, d])

    def order(detail: PlaylistDetail) -> list[str]:
        return tracks_in(detail)

    by_title = playlists.sort_items(p.id, "title", expected_items_version=loaded.items_version)
    assert order(by_title) == [a, b, untitled, d]  # untitled sorts by its file name
    assert_dense(db, by_title)
    assert order(playlists.sort_items(p.id, "title", descending=True)) == [d, untitled, b, a]
    # by artist then title; no artist goes last in both directions
    assert order(playlists.sort_items(p.id, "artist")) == [a, b, d, untitled]
    assert order(playlists.sort_items(p.id, "artist", descending=True)) == [d, b, a, untitled]
    by_duration = playlists.sort_items(p.id, "duration")
    assert order(by_duration) == [d, untitled, b, a]
    assert_dense(db, by_duration)
    with pytest.raises(ValidationError) as info:
        playlists.sort_items(p.id, "bpm")
    assert info.value.field == "key"
    with pytest.raises(Conflict):
        playlists.sort_items(p.id, "title", expected_items_version=loaded.items_version)
    assert playlists.get_playlist(p.id) == by_duration


def test_reordering_more_items_than_one_statement_holds(
    db: Database, playlists: PlaylistService, station_id: str
) -> None:
    tracks = make_tracks(db, station_id, 4)
    p = playlists.create_playlist(station_id, PlaylistFields("Long"))
    loaded = playlists.add_items(p.id, [t.id for t in tracks] * 300)  # 1,200 items
    reversed_ids = list(reversed(loaded.item_ids))
    detail = playlists.reorder(p.id, reversed_ids, loaded.items_version)
    assert detail.item_ids == reversed_ids
    assert_dense(db, detail)
    detail = playlists.remove_items(p.id, reversed_ids[:600])
    assert detail.item_ids == reversed_ids[600:]
    assert_dense(db, detail)


def test_positions_stored_with_gaps_are_made_dense(
    db: Database, playlists: PlaylistService, station_id: str
) -> None:
    """A playlist written by another program with gaps and ties still works, and the next
    edit stores it densely (ties keep their id order)."""
    tracks = make_tracks(db, station_id, 4)
    p = playlists.create_playlist(station_id, PlaylistFields("Imported"))
    ids = sorted(new_id() for _ in range(3))
    with db.transaction() as s:
        s.execute(insert(PlaylistItem), [
            {"id": ids[0], "playlistId": p.id, "audioFileId": tracks[0].id, "order": 10},
            {"id": ids[1], "playlistId": p.id, "audioFileId": tracks[1].id, "order": 10},
            {"id": ids[2], "playlistId": p.id, "audioFileId": tracks[2].id, "order": 3},
        ])
    loaded = playlists.get_playlist(p.id)
    assert loaded.item_ids == [ids[2], ids[0], ids[1]]
    assert [i.order for i in loaded.items] == [3, 10, 10]  # reading writes nothing
    detail = playlists.add_items(p.id, [tracks[3].id], position=1)
    assert tracks_in(detail) == [tracks[2].id, tracks[3].id, tracks[0].id, tracks[1].id]
    assert_dense(db, detail)


# -- deleting ------------------------------------------------------------------------------


def _add_schedule_block(db: Database, client_id: str, playlist_id: str, day: int) -> None:
    with db.transaction() as s:
        s.add(Schedule(clientId=client_id, playlistId=playlist_id, dayOfWeek=day,
                       startTime="08:00", endTime="10:00", isActive=True))


def test_delete_playlist_removes_items_and_schedule_blocks(
    db: Database, playlists: PlaylistService, station_id: str
) -> None:
    tracks = make_tracks(db, station_id, 2)
    doomed = playlists.create_playlist(station_id, PlaylistFields("Doomed"))
    kept = playlists.create_playlist(station_id, PlaylistFields("Kept"))
    loaded = playlists.add_items(doomed.id, [tracks[0].id, tracks[1].id, tracks[0].id])
    kept_detail = playlists.add_items(kept.id, [tracks[0].id])
    for day in (1, 2):
        _add_schedule_block(db, station_id, doomed.id, day)
    _add_schedule_block(db, station_id, kept.id, 3)
    deleted = playlists.delete_playlist(doomed.id)
    assert deleted == DeletedPlaylist(loaded.playlist, removed_items=3, removed_schedule_blocks=2)
    with db.read() as s:
        assert s.scalars(select(Schedule.playlistId)).all() == [kept.id]
    assert playlists.get_playlist(kept.id) == kept_detail
    library = LibraryService(db)
    assert [library.get_track(t.id) for t in tracks] == tracks  # the library is untouched


def test_delete_playlist_with_stale_version_is_refused(
    db: Database, playlists: PlaylistService, station_id: str
) -> None:
    p = playlists.create_playlist(station_id, PlaylistFields("Renamed soon"))
    renamed = playlists.update_playlist(p.id, dataclasses.replace(p.fields, name="Renamed"),
                                        p.version)
    with pytest.raises(Conflict):
        playlists.delete_playlist(p.id, p.version)
    assert playlists.get_playlist(p.id).playlist == renamed


@pytest.fixture
def db_without_cascades(database_url: str) -> Iterator[Database]:
    database = database_without_foreign_keys(database_url)
    yield database
    database.dispose()


def test_delete_playlist_does_not_rely_on_foreign_key_cascades(
    db_without_cascades: Database,
) -> None:
    db = db_without_cascades
    playlists = PlaylistService(db)
    station = make_station(db)
    track = make_track(db, station.id)
    p = playlists.create_playlist(station.id, PlaylistFields("Doomed"))
    playlists.add_items(p.id, [track.id, track.id])
    _add_schedule_block(db, station.id, p.id, 0)
    deleted = playlists.delete_playlist(p.id)
    assert (deleted.removed_items, deleted.removed_schedule_blocks) == (2, 1)
    with db.read() as s:
        assert s.scalars(select(PlaylistItem.id)).all() == []
        assert s.scalars(select(Schedule.id)).all() == []


def test_item_whose_track_row_vanished_is_shown_as_missing(
    db_without_cascades: Database,
) -> None:
    """Another program deleted a track without its playlist entries (no FK to stop it)."""
    db = db_without_cascades
    playlists = PlaylistService(db)
    station = make_station(db)
    gone, kept = make_track(db, station.id, duration=10.0), make_track(db, station.id)
    p = playlists.create_playlist(station.id, PlaylistFields("Mix"))
    playlists.add_items(p.id, [gone.id, kept.id])
    with db.transaction() as s:
        s.execute(delete(AudioFile).where(AudioFile.id == gone.id))
    detail = playlists.get_playlist(p.id)
    assert [(i.status, i.duration, i.filename) for i in detail.items] == [
        ("missing", 0.0, ""), ("ready", kept.duration, kept.filename)
    ]
    assert detail.playlist.total_duration == kept.duration
    cleaned = playlists.remove_item(p.id, detail.item_ids[0])
    assert tracks_in(cleaned) == [kept.id]


# -- two operators -------------------------------------------------------------------------


def test_stale_playlist_edit_is_a_conflict(db: Database, other_db: Database) -> None:
    station = make_station(db)
    mine, theirs = PlaylistService(db), PlaylistService(other_db)
    p = mine.create_playlist(station.id, PlaylistFields("Shared"))
    loaded_by_them = theirs.get_playlist(p.id).playlist
    theirs.update_playlist(p.id, dataclasses.replace(loaded_by_them.fields, description="them"),
                           loaded_by_them.version)
    with pytest.raises(Conflict, match="changed by someone else"):
        mine.update_playlist(p.id, dataclasses.replace(p.fields, description="me"), p.version)
    assert mine.get_playlist(p.id).playlist.description == "them"


def test_stale_reorder_is_a_conflict(db: Database, other_db: Database) -> None:
    station = make_station(db)
    tracks = make_tracks(db, station.id, 3)
    mine, theirs = PlaylistService(db), PlaylistService(other_db)
    p = mine.create_playlist(station.id, PlaylistFields("Shared"))
    opened_by_me = mine.add_items(p.id, [t.id for t in tracks])
    # they move an item: same ids, other order; my reorder is based on what I saw
    opened_by_them = theirs.get_playlist(p.id)
    theirs_now = theirs.move_items(p.id, [opened_by_them.item_ids[2]], 0,
                                   opened_by_them.items_version)
    with pytest.raises(Conflict, match="changed since you opened it"):
        mine.reorder(p.id, list(reversed(opened_by_me.item_ids)), opened_by_me.items_version)
    assert mine.get_playlist(p.id) == theirs_now
    # they add a track: my permutation is no longer complete, even without a version
    theirs_now = theirs.add_items(p.id, [tracks[0].id])
    with pytest.raises(Conflict):
        mine.reorder(p.id, list(reversed(opened_by_me.item_ids)), None)
    assert mine.get_playlist(p.id) == theirs_now
    assert_dense(db, theirs_now)


def test_concurrent_edits_of_one_playlist_keep_it_dense(db: Database, other_db: Database) -> None:
    """Two operators adding, moving and marking main at the same moment: every write waits
    for the other instead of numbering from a stale view, and one main remains."""
    station = make_station(db)
    tracks = make_tracks(db, station.id, 4)
    services = (PlaylistService(db), PlaylistService(other_db))
    p = services[0].create_playlist(station.id, PlaylistFields("Busy"))
    q = services[0].create_playlist(station.id, PlaylistFields("Other"))
    errors: list[BaseException] = []

    def operator(index: int) -> None:
        service = services[index]
        try:
            for round_ in range(8):
                service.add_items(p.id, [tracks[index].id, tracks[index + 2].id],
                                  position=round_ % 3)
                service.move_items(p.id, service.get_playlist(p.id).item_ids[:1], 99, None)
                service.set_main(p.id if (round_ + index) % 2 else q.id)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=operator, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    detail = services[0].get_playlist(p.id)
    assert len(detail.items) == 32
    assert_dense(db, detail)
    assert sum(pl.is_main for pl in services[0].list_playlists(station.id)) == 1


def test_a_write_waiting_for_the_playlist_sees_what_the_holder_committed(
    db: Database, other_db: Database
) -> None:
    """Operator B's add waits while A holds the playlist; when A commits an item, B numbers
    its insert from the rows as they are now, not from a view taken before it waited."""
    station = make_station(db)
    first, theirs, mine = make_tracks(db, station.id, 3)
    service = PlaylistService(db)
    p = service.create_playlist(station.id, PlaylistFields("Contended"))
    service.add_items(p.id, [first.id])
    results: list[PlaylistDetail | BaseException] = []

    def add_mine() -> None:
        try:
            results.append(service.add_items(p.id, [mine.id]))
        except BaseException as error:
            results.append(error)

    waiter = threading.Thread(target=add_mine)
    with other_db.transaction() as s:
        lock_row(s, Playlist, p.id, "Playlist")
        waiter.start()
        time.sleep(0.5)  # B reaches the playlist's lock and waits for it
        s.execute(insert(PlaylistItem).values(
            id=new_id(), playlistId=p.id, audioFileId=theirs.id, order=1
        ))
    waiter.join(timeout=60)
    assert len(results) == 1 and isinstance(results[0], PlaylistDetail), results
    detail = service.get_playlist(p.id)
    assert tracks_in(detail) == [first.id, theirs.id, mine.id]
    assert_dense(db, detail)
