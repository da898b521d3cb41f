"""Library service: every operation, its refusals, on SQLite and MariaDB."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest
from helpers.factories import (
    GB,
    MB,
    database_without_foreign_keys,
    make_station,
    make_track,
    new_track,
    table_snapshot,
)
from sqlalchemy import select

from station_desktop.db.engine import Database
from station_desktop.db.models import AudioFile, PlaylistItem
from station_desktop.errors import Conflict, NotFound, QuotaExceeded, ValidationError
from station_desktop.services.library import (
    SORT_KEYS,
    LibraryService,
    NewTrack,
    TrackMetadata,
    TrackRecord,
)
from station_desktop.services.playlists import PlaylistFields, PlaylistService


@pytest.fixture
def library(db: Database) -> LibraryService:
    return LibraryService(db)


@pytest.fixture
def station_id(db: Database) -> str:
    return make_station(db, "Radio Uno").id


def stored_orders(db: Database, playlist_id: str) -> list[int]:
    with db.read() as s:
        return list(
            s.scalars(
                select(PlaylistItem.order).where(PlaylistItem.playlistId == playlist_id)
                .order_by(PlaylistItem.order)
            )
        )


# -- adding, reading ----------------------------------------------------------------------


def test_add_and_get_track_round_trip(library: LibraryService, station_id: str) -> None:
    added = library.add_track(
        station_id,
        NewTrack(
            filename="Canción Niño.MP3", storage_path=f"/audio/{station_id}/c1.mp3",
            file_size=4 * MB, duration=215.25, format="MP3", bitrate=192, sample_rate=48000,
            channels=2, title="  Canción del Niño ", artist="Ñandú", album="", genre="Pop",
            year=2019, cover_url="covers/c1.jpg",
        ),
    )
    assert added.status == "processing"  # the importer moves it to ready
    assert (added.title, added.artist, added.album) == ("Canción del Niño", "Ñandú", None)
    assert added.format == "mp3" and added.file_size == 4 * MB and added.duration == 215.25
    assert (added.sample_rate, added.channels, added.cover_url) == (48000, 2, "covers/c1.jpg")
    assert added.client_id == station_id and added.version
    assert library.get_track(added.id) == added
    assert added.display_title == "Canción del Niño"
    with pytest.raises(NotFound, match="Track 'nope' does not exist"):
        library.get_track("nope")


def test_add_track_to_unknown_station_is_refused(library: LibraryService) -> None:
    with pytest.raises(NotFound, match="Station"):
        library.add_track("no-such-station", new_track())


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"filename": "  "}, "filename"),
        ({"filename": "a\nb.mp3"}, "filename"),
        ({"storage_path": ""}, "storage_path"),
        ({"storage_path": "/x/" + "p" * 200}, "storage_path"),
        ({"file_size": -1}, "file_size"),
        ({"file_size": 2**31}, "file_size"),
        ({"duration": float("nan")}, "duration"),
        ({"duration": -1.0}, "duration"),
        ({"format": ""}, "format"),
        ({"format": "mp 3"}, "format"),
        ({"bitrate": -128}, "bitrate"),
        ({"sample_rate": 10**7}, "sample_rate"),
        ({"channels": 9}, "channels"),
        ({"title": "x" * 192}, "title"),
        ({"artist": "tab\x07bell"}, "artist"),
        ({"year": 999}, "year"),
        ({"year": 2101}, "year"),
        ({"year": True}, "year"),
        ({"status": "done"}, "status"),
    ],
)
def test_add_track_validation_names_the_field(
    library: LibraryService, station_id: str, overrides: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as info:
        library.add_track(station_id, new_track(**overrides))
    assert info.value.field == field
    assert library.storage_usage(station_id).track_count == 0


# -- quota ---------------------------------------------------------------------------------


def test_quota_is_enforced_before_inserting(db: Database, library: LibraryService) -> None:
    station = make_station(db, storage_quota=10 * MB)
    library.add_track(station.id, new_track(file_size=6 * MB))
    with pytest.raises(QuotaExceeded) as info:
        library.add_track(station.id, new_track(filename="big.mp3", file_size=5 * MB))
    message = str(info.value)
    assert "'big.mp3'" in message and "needs 5.0 MB" in message
    assert "used 6.0 MB of its 10.0 MB quota (4.0 MB free)" in message
    assert "raise the station's quota" in message
    usage = library.storage_usage(station.id)
    assert (usage.used, usage.quota, usage.track_count, usage.free) == (6 * MB, 10 * MB, 1, 4 * MB)
    library.add_track(station.id, new_track(file_size=4 * MB))  # exactly fills it
    assert library.storage_usage(station.id).free == 0


def test_quota_message_uses_gigabytes_for_big_numbers(
    db: Database, library: LibraryService
) -> None:
    station = make_station(db, storage_quota=5 * GB)
    for _ in range(2):
        library.add_track(station.id, new_track(file_size=2 * GB - 1))
    with pytest.raises(QuotaExceeded, match=r"used 4\.00 GB of its 5\.00 GB quota"):
        library.add_track(station.id, new_track(file_size=2 * GB - 1))
    assert library.storage_usage(station.id).track_count == 2


def test_check_quota_before_copying(db: Database, library: LibraryService) -> None:
    station = make_station(db, storage_quota=3 * MB)
    other = make_station(db, storage_quota=3 * MB)
    make_track(db, other.id, file_size=3 * MB)  # another station's files do not count
    make_track(db, station.id, file_size=MB)
    usage = library.check_quota(station.id, 2 * MB)
    assert (usage.used, usage.quota, usage.track_count) == (MB, 3 * MB, 1)
    with pytest.raises(QuotaExceeded, match=r"needs 2\.5 MB"):
        library.check_quota(station.id, 2 * MB + MB // 2)
    with pytest.raises(ValidationError) as info:
        library.check_quota(station.id, -1)
    assert info.value.field == "incoming_bytes"
    with pytest.raises(NotFound):
        library.check_quota("ghost", 1)
    with pytest.raises(NotFound):
        library.storage_usage("ghost")


# -- processing status ---------------------------------------------------------------------


def test_importer_moves_processing_to_ready_or_error(
    library: LibraryService, station_id: str
) -> None:
    track = library.add_track(station_id, new_track(status="processing", bitrate=0))
    ready = library.set_status(track.id, "ready", duration=241.5, format="OGG", bitrate=160,
                               sample_rate=44100, channels=1)
    assert (ready.status, ready.duration, ready.format, ready.bitrate, ready.channels) == (
        "ready", 241.5, "ogg", 160, 1
    )
    assert ready.title == track.title and ready.version != track.version
    failed = library.set_status(track.id, "error")
    assert failed.status == "error" and failed.duration == 241.5  # untouched fields kept
    with pytest.raises(ValidationError) as info:
        library.set_status(track.id, "finished")
    assert info.value.field == "status"
    with pytest.raises(ValidationError) as info:
        library.set_status(track.id, "ready", channels=-1)
    assert info.value.field == "channels"
    assert library.get_track(track.id) == failed
    with pytest.raises(NotFound):
        library.set_status("ghost", "ready")


def test_processed_file_growing_past_the_quota_is_refused(
    db: Database, library: LibraryService
) -> None:
    station = make_station(db, storage_quota=4 * MB)
    track = library.add_track(station.id, new_track(file_size=2 * MB, status="processing"))
    shrunk = library.set_status(track.id, "ready", file_size=MB)
    assert shrunk.file_size == MB
    with pytest.raises(QuotaExceeded, match="processed"):
        library.set_status(track.id, "ready", file_size=5 * MB)
    assert library.get_track(track.id) == shrunk


# -- metadata ------------------------------------------------------------------------------


def test_update_metadata(library: LibraryService, station_id: str) -> None:
    track = library.add_track(station_id, new_track("Old", artist="Someone", year=1990))
    saved = library.update_metadata(
        track.id, TrackMetadata(" New title ", "", "Album", "Genre", 2024), track.version
    )
    assert saved.metadata == TrackMetadata("New title", None, "Album", "Genre", 2024)
    assert saved.version != track.version and saved.filename == track.filename
    assert library.get_track(track.id) == saved
    cleared = library.update_metadata(track.id, TrackMetadata(), None)  # None: last write wins
    assert cleared.metadata == TrackMetadata() and cleared.display_title == track.filename
    with pytest.raises(NotFound):
        library.update_metadata("ghost", TrackMetadata("x"), None)


@pytest.mark.parametrize(
    ("meta", "field"),
    [
        (TrackMetadata(title="a\rb"), "title"),
        (TrackMetadata(album="x" * 192), "album"),
        (TrackMetadata(genre="\x00"), "genre"),
        (TrackMetadata(year=999), "year"),
        (TrackMetadata(year=2101), "year"),
    ],
)
def test_update_metadata_validation(
    library: LibraryService, station_id: str, meta: TrackMetadata, field: str
) -> None:
    track = library.add_track(station_id, new_track("Keep"))
    with pytest.raises(ValidationError) as info:
        library.update_metadata(track.id, meta, track.version)
    assert info.value.field == field
    assert library.get_track(track.id) == track


def test_stale_metadata_edit_is_a_conflict(db: Database, other_db: Database) -> None:
    station = make_station(db)
    mine, theirs = LibraryService(db), LibraryService(other_db)
    track = mine.add_track(station.id, new_track("Shared"))
    loaded_by_them = theirs.get_track(track.id)
    theirs.update_metadata(track.id, dataclasses.replace(loaded_by_them.metadata, artist="Them"),
                           loaded_by_them.version)
    with pytest.raises(Conflict, match="changed by someone else"):
        mine.update_metadata(track.id, dataclasses.replace(track.metadata, artist="Me"),
                             track.version)
    assert mine.get_track(track.id).artist == "Them"


def test_update_metadata_many_sets_only_the_named_fields(
    library: LibraryService, station_id: str
) -> None:
    one = library.add_track(station_id, new_track("One", artist="A", genre="Rock", year=2000))
    two = library.add_track(station_id, new_track("Two", artist="B", genre="Pop"))
    saved = library.update_metadata_many(
        [two.id, one.id, two.id], {"genre": " Jazz ", "year": 1999},
        {one.id: one.version, two.id: two.version},
    )
    assert [t.id for t in saved] == [two.id, one.id]
    assert [(t.title, t.artist, t.genre, t.year) for t in saved] == [
        ("Two", "B", "Jazz", 1999), ("One", "A", "Jazz", 1999)
    ]
    assert [library.get_track(t.id) for t in saved] == saved
    cleared = library.update_metadata_many([one.id], {"genre": ""})
    assert cleared[0].genre is None and cleared[0].year == 1999


def test_update_metadata_many_is_all_or_nothing(
    db: Database, library: LibraryService, station_id: str
) -> None:
    tracks = [library.add_track(station_id, new_track(f"T{i}")) for i in range(3)]
    ids = [t.id for t in tracks]
    before = table_snapshot(db, AudioFile)
    with pytest.raises(NotFound, match="'ghost'"):
        library.update_metadata_many([ids[0], "ghost", ids[2]], {"artist": "Everyone"})
    with pytest.raises(ValidationError) as info:
        library.update_metadata_many(ids, {"artist": "ok", "year": 3000})
    assert info.value.field == "year"
    with pytest.raises(ValidationError) as info:
        library.update_metadata_many(ids, {"storage_path": "/etc/passwd"})
    assert info.value.field == "storage_path"
    library.update_metadata(ids[1], TrackMetadata("Changed"), tracks[1].version)
    after_single_edit = table_snapshot(db, AudioFile)
    assert after_single_edit != before
    with pytest.raises(Conflict):
        library.update_metadata_many(
            ids, {"artist": "Everyone"}, {t.id: t.version for t in tracks}
        )
    assert table_snapshot(db, AudioFile) == after_single_edit


# -- listing -------------------------------------------------------------------------------


def test_search_is_a_case_insensitive_literal_substring(
    db: Database, library: LibraryService, station_id: str
) -> None:
    def add(title: str, **kw: Any) -> str:
        return library.add_track(station_id, new_track(title, **kw)).id

    pct = add("100% Hits")
    thousand = add("1000 Hits")
    underscore = add("a_b side")
    axb = add("axb side")
    backslash = add("back\\slash")
    slash = add("path/name")
    by_artist = add("Untitled", artist="The HITS Band")
    by_album = add("Other", album="Greatest 100")
    by_genre = add("Other 2", genre="Hip-Hop")
    by_file = add("Other 3", filename="hidden_gem.mp3")
    other_station = make_station(db)
    make_track(db, other_station.id, "100% Hits")

    def found(text: str) -> set[str]:
        return {t.id for t in library.list_tracks(station_id, search=text).tracks}

    assert found("100%") == {pct}
    assert found("a_b") == {underscore}
    assert found("\\") == {backslash}
    assert found("h/n") == {slash}
    assert found("hits") == {pct, thousand, by_artist}
    assert found("  HIP-hop ") == {by_genre}
    assert found("greatest") == {by_album}
    assert found("GEM.MP3") == {by_file}
    assert found("") == found("  ") == {
        pct, thousand, underscore, axb, backslash, slash, by_artist, by_album, by_genre, by_file
    }
    assert found("%") == {pct}
    assert found("_") == {underscore, by_file}


def test_status_filter_paging_and_station_isolation(
    db: Database, library: LibraryService, station_id: str
) -> None:
    ready = [library.add_track(station_id, new_track(f"R{i:02d}")) for i in range(5)]
    processing = library.add_track(station_id, new_track("P", status="processing"))
    other = make_station(db)
    make_track(db, other.id, "R99")
    page = library.list_tracks(station_id, status="ready", offset=1, limit=2)
    assert page.total == 5
    assert [t.id for t in page.tracks] == [ready[1].id, ready[2].id]
    assert library.list_tracks(station_id, status="ready", offset=4, limit=2).tracks == [
        ready[4]
    ]
    assert library.list_tracks(station_id, status="ready", offset=10).tracks == []
    assert library.list_tracks(station_id, status="processing").tracks == [processing]
    everything = library.list_tracks(station_id)
    assert everything.total == 6 and {t.client_id for t in everything.tracks} == {station_id}
    with pytest.raises(ValidationError) as info:
        library.list_tracks(station_id, status="deleted")
    assert info.value.field == "status"
    bad_pages: list[dict[str, Any]] = [{"limit": 0}, {"limit": 10_001}, {"offset": -1}]
    for bad in bad_pages:
        with pytest.raises(ValidationError):
            library.list_tracks(station_id, **bad)
    with pytest.raises(NotFound, match="Station"):
        library.list_tracks("ghost")


_SORT_ROWS: list[dict[str, Any]] = [
    {"title": "beta", "artist": "Zed", "album": None, "genre": "Rock", "year": 1999,
     "duration": 200.5, "format": "mp3", "bitrate": 128, "status": "ready",
     "filename": "b.mp3", "file_size": 3000},
    {"title": "Alpha", "artist": None, "album": "X", "genre": "rock", "year": None,
     "duration": 100.0, "format": "ogg", "bitrate": 320, "status": "processing",
     "filename": "a.ogg", "file_size": 1000},
    {"title": None, "artist": "adam", "album": "Y", "genre": None, "year": 2005,
     "duration": 200.5, "format": "aac", "bitrate": 128, "status": "error",
     "filename": "c.aac", "file_size": 2000},
    {"title": "alpha", "artist": "Zed", "album": "x", "genre": None, "year": 1999,
     "duration": 50.0, "format": "mp3", "bitrate": 64, "status": "ready",
     "filename": "D.mp3", "file_size": 3000},
    {"title": "gamma", "artist": "bob", "album": None, "genre": "Jazz", "year": 2020,
     "duration": 300.0, "format": "flac", "bitrate": 900, "status": "ready",
     "filename": "e.flac", "file_size": 500},
]


def _expected_order(tracks: list[TrackRecord], key: str, descending: bool) -> list[str]:
    attr = "file_size" if key == "fileSize" else key

    def value(track: TrackRecord) -> Any:
        raw = getattr(track, attr)
        return raw.lower() if isinstance(raw, str) else raw

    # Descending reverses the order, ties by id included (one index serves both
    # directions); empty values stay last.
    by_id = sorted(tracks, key=lambda t: t.id, reverse=descending)
    present = [t for t in by_id if value(t) is not None]
    missing = [t for t in by_id if value(t) is None]
    present.sort(key=value, reverse=descending)  # stable: ties stay in by_id's order
    return [t.id for t in present + missing]


@pytest.mark.parametrize("key", SORT_KEYS)
def test_every_sort_key_puts_empty_values_last_and_breaks_ties_by_id(
    library: LibraryService, station_id: str, key: str
) -> None:
    tracks = [library.add_track(station_id, new_track(**row)) for row in _SORT_ROWS]
    for descending in (False, True):
        listed = library.list_tracks(station_id, sort=key, descending=descending).tracks
        assert [t.id for t in listed] == _expected_order(tracks, key, descending), descending
        paged = [
            t.id
            for offset in range(0, len(tracks), 2)
            for t in library.list_tracks(station_id, sort=key, descending=descending,
                                         offset=offset, limit=2).tracks
        ]
        assert paged == [t.id for t in listed]


def test_unknown_sort_key_is_refused(library: LibraryService, station_id: str) -> None:
    with pytest.raises(ValidationError, match="Cannot sort by 'storagePath'") as info:
        library.list_tracks(station_id, sort="storagePath")
    assert info.value.field == "sort"


# -- deleting ------------------------------------------------------------------------------


def test_delete_track_leaves_playlists_dense(
    db: Database, library: LibraryService, station_id: str
) -> None:
    playlists = PlaylistService(db)
    gone = library.add_track(station_id, new_track("Gone", file_size=2 * MB))
    keep = [library.add_track(station_id, new_track(f"Keep {i}")) for i in range(3)]
    rock = playlists.create_playlist(station_id, PlaylistFields("Rock"))
    chill = playlists.create_playlist(station_id, PlaylistFields("chill"))
    untouched = playlists.create_playlist(station_id, PlaylistFields("Untouched"))
    playlists.add_items(rock.id, [keep[0].id, gone.id, keep[1].id, gone.id, keep[2].id])
    playlists.add_items(chill.id, [gone.id, keep[2].id])
    playlists.add_items(untouched.id, [keep[0].id])
    used_before = library.storage_usage(station_id).used
    deleted = library.delete_track(gone.id, gone.version)
    assert deleted.track == gone and deleted.track.storage_path == gone.storage_path
    assert deleted.removed_from == ["chill", "Rock"]
    rock_now = playlists.get_playlist(rock.id)
    assert [i.audio_file_id for i in rock_now.items] == [keep[0].id, keep[1].id, keep[2].id]
    assert [i.order for i in rock_now.items] == [0, 1, 2] == stored_orders(db, rock.id)
    assert [i.audio_file_id for i in playlists.get_playlist(chill.id).items] == [keep[2].id]
    assert stored_orders(db, chill.id) == [0]
    assert library.storage_usage(station_id).used == used_before - 2 * MB
    with pytest.raises(NotFound):
        library.get_track(gone.id)
    with pytest.raises(NotFound):
        library.delete_track(gone.id)
    lonely = library.add_track(station_id, new_track("Lonely"))
    assert library.delete_track(lonely.id).removed_from == []


def test_delete_track_with_stale_version_is_refused(
    library: LibraryService, station_id: str
) -> None:
    track = library.add_track(station_id, new_track("Edited"))
    library.update_metadata(track.id, TrackMetadata("Edited again"), track.version)
    with pytest.raises(Conflict):
        library.delete_track(track.id, track.version)
    assert library.get_track(track.id).title == "Edited again"


def test_delete_tracks_is_all_or_nothing(
    db: Database, library: LibraryService, station_id: str
) -> None:
    playlists = PlaylistService(db)
    tracks = [library.add_track(station_id, new_track(f"T{i}")) for i in range(3)]
    playlist = playlists.create_playlist(station_id, PlaylistFields("Mix"))
    playlists.add_items(playlist.id, [t.id for t in tracks])
    tables = (AudioFile, PlaylistItem)
    before = table_snapshot(db, *tables)
    with pytest.raises(NotFound, match="'ghost'"):
        library.delete_tracks([tracks[0].id, tracks[1].id, "ghost"])
    assert table_snapshot(db, *tables) == before
    deleted = library.delete_tracks([tracks[2].id, tracks[0].id])
    assert [d.track.id for d in deleted] == [tracks[2].id, tracks[0].id]
    assert all(d.removed_from == ["Mix"] for d in deleted)
    remaining = playlists.get_playlist(playlist.id)
    assert [(i.audio_file_id, i.order) for i in remaining.items] == [(tracks[1].id, 0)]
    assert library.list_tracks(station_id).tracks == [library.get_track(tracks[1].id)]


@pytest.fixture
def db_without_cascades(database_url: str) -> Iterator[Database]:
    database = database_without_foreign_keys(database_url)
    yield database
    database.dispose()


def test_delete_track_does_not_rely_on_foreign_key_cascades(
    db_without_cascades: Database,
) -> None:
    db = db_without_cascades
    library, playlists = LibraryService(db), PlaylistService(db)
    station = make_station(db)
    gone, kept = make_track(db, station.id, "Gone"), make_track(db, station.id, "Kept")
    playlist = playlists.create_playlist(station.id, PlaylistFields("Mix"))
    playlists.add_items(playlist.id, [gone.id, kept.id, gone.id])
    assert library.delete_track(gone.id).removed_from == ["Mix"]
    with db.read() as s:
        items = s.execute(select(PlaylistItem.audioFileId, PlaylistItem.order)).all()
    assert [tuple(i) for i in items] == [(kept.id, 0)]
