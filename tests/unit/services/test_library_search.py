"""Library search through migration 0009's structures (SQLite's trigram index, MariaDB's
folded search column), and its fallback for rows the platform wrote, on both databases."""

from __future__ import annotations

from typing import Any

import pytest
from helpers.factories import make_station, new_track, platform_insert
from sqlalchemy import select, update

from station_desktop.db.engine import Database
from station_desktop.db.models import SEARCH_INDEX_TABLE, AudioFile
from station_desktop.services.library import LibraryService, TrackMetadata


@pytest.fixture(params=["text", "sql"])
def library(request: pytest.FixtureRequest, db: Database) -> LibraryService:
    """Every search test twice: with the station's search text in memory finding the
    candidates (the default), and in SQL alone (the path of frequent searches)."""
    return LibraryService(db, search_text=request.param == "text")


@pytest.fixture
def station_id(db: Database) -> str:
    return make_station(db, "Radio Búsqueda").id


def found(library: LibraryService, station_id: str, text: str) -> set[str]:
    page = library.list_tracks(station_id, search=text)
    assert library.count_tracks(station_id, search=text) == page.total == len(page.tracks)
    return {t.id for t in page.tracks}


def test_every_searched_column_case_insensitive_and_literal(
    db: Database, library: LibraryService, station_id: str
) -> None:
    def add(title: str | None, **kw: Any) -> str:
        return library.add_track(station_id, new_track(title, **kw)).id

    muller = add("Night drive", artist="MÜLLER & Söhne")
    quoted = add('He said "hi" 100%', album="Live_at_home")
    genre = add("Other", genre="Drum & Bass")
    by_file = add(None, filename="Zeta Übung.flac")
    elsewhere = make_station(db, "Other").id
    library.add_track(elsewhere, new_track("Night drive", artist="Müller"))

    assert found(library, station_id, "müller") == {muller}  # non-ASCII letters fold too
    assert found(library, station_id, "SÖHNE") == {muller}
    assert found(library, station_id, '"hi" 1') == {quoted}  # quotes, % and _ literal
    assert found(library, station_id, "100%") == {quoted}
    assert found(library, station_id, "e_a") == {quoted}
    assert found(library, station_id, "t_a") == set()
    assert found(library, station_id, "m & b") == {genre}
    assert found(library, station_id, "a übung.FLAC") == {by_file}
    assert found(library, station_id, "night drive") == {muller}  # this station only
    assert found(library, station_id, "drive sö") == set()  # never across two columns
    assert found(library, station_id, "ÜB") == {by_file}  # short: the columns' LIKE


def test_accents_fold_on_mariadb_only(
    db: Database, library: LibraryService, station_id: str
) -> None:
    cancion = library.add_track(station_id, new_track("Canción de la noche")).id
    strasse = library.add_track(station_id, new_track("Große Straße")).id

    assert found(library, station_id, "CANCIÓN") == {cancion}
    assert found(library, station_id, "straße") == {strasse}
    if db.backend == "sqlite":  # SQLite compares letters, accents included (as before)
        assert found(library, station_id, "cancion") == set()
    else:  # utf8mb4_unicode_ci ignores accents; the folded column does too (ß is ss)
        assert found(library, station_id, "cancion") == {cancion}
        assert found(library, station_id, "strasse") == {strasse}


def test_edits_and_deletes_keep_the_search_in_step(
    library: LibraryService, station_id: str
) -> None:
    one = library.add_tracks(station_id, [new_track("Alpha song", artist="Zed"),
                                          new_track("Beta song", artist="Zed")])
    alpha, beta = (added.record for added in one)
    assert alpha is not None and beta is not None
    assert found(library, station_id, "alpha") == {alpha.id}

    edited = library.update_metadata(alpha.id, TrackMetadata(title="Gamma"), alpha.version)
    assert found(library, station_id, "alpha") == set()
    assert found(library, station_id, "gamma") == {alpha.id}
    assert found(library, station_id, "zed") == {beta.id}  # the artist went with the edit

    library.update_metadata_many([alpha.id, beta.id], {"artist": "Quintet"},
                                 {alpha.id: edited.version})
    assert found(library, station_id, "zed") == set()
    assert found(library, station_id, "quintet") == {alpha.id, beta.id}
    assert found(library, station_id, "beta song") == {beta.id}  # untouched fields stay

    library.delete_track(beta.id)
    assert found(library, station_id, "quintet") == {alpha.id}


def test_rows_written_by_the_platform_are_found(
    db: Database, library: LibraryService, station_id: str
) -> None:
    ours = library.add_track(station_id, new_track("Shared word")).id
    theirs = platform_insert(db, station_id, "Shared Word", artist="Plätzchen")
    assert found(library, station_id, "shared word") == {ours, theirs}
    assert found(library, station_id, "PLÄTZ") == {theirs}

    # The platform edits our track's title: its search columns are now stale.
    with db.transaction() as s:
        s.execute(update(AudioFile).where(AudioFile.id == ours)
                  .values(title="Renamed elsewhere"))
    assert found(library, station_id, "shared word") == {theirs}
    assert found(library, station_id, "renamed") == {ours}
    if db.backend != "sqlite":  # migration 0009's trigger emptied the stale columns
        with db.read() as s:
            assert s.scalar(select(AudioFile.searchKey).where(AudioFile.id == ours)) is None


def test_without_the_trigger_a_row_is_trusted_only_while_its_key_holds(
    db: Database, station_id: str
) -> None:
    if db.backend == "sqlite":
        pytest.skip("MariaDB's trigger (SQLite's index has triggers of its own)")
    library = LibraryService(db, search_text=False)  # SQL's columns decide alone
    library._stale_trigger = False  # as when the account could not create the trigger
    track = library.add_track(station_id, new_track("Current title")).id
    # Search columns from elsewhere that no longer describe the row (the trigger leaves
    # them, as no searched column changes): "old title" is only in searchText.
    with db.transaction() as s:
        s.execute(update(AudioFile).where(AudioFile.id == track)
                  .values(searchText=b"old title", searchKey=b"Old title"))
    assert found(library, station_id, "old title") == set()
    assert found(library, station_id, "current") == {track}
    with_trigger = LibraryService(db, search_text=False)
    assert found(with_trigger, station_id, "old title") == {track}  # trusted, as documented


def test_the_search_columns_hold_the_searched_columns(
    db: Database, library: LibraryService, station_id: str
) -> None:
    track = library.add_track(station_id, new_track("Título", artist=None, album="Ä",
                                                     genre="Pop", filename="f.mp3"))
    with db.read() as s:
        text, key = s.execute(select(AudioFile.searchText, AudioFile.searchKey)
                              .where(AudioFile.id == track.id)).one()
    assert key == "Título\x1fÄ\x1fPop\x1ff.mp3".encode()
    assert text == b"titulo\x1fa\x1fpop\x1ff.mp3"


def test_sqlite_searches_through_its_trigram_index(
    db: Database, library: LibraryService, station_id: str
) -> None:
    if db.backend != "sqlite":
        pytest.skip("the trigram index is SQLite's")
    library.add_track(station_id, new_track("Indexed"))
    with db.read() as s:
        plan = s.connection().exec_driver_sql(
            f'EXPLAIN QUERY PLAN SELECT rowid FROM "{SEARCH_INDEX_TABLE}" '
            f'WHERE "{SEARCH_INDEX_TABLE}" MATCH \'"dexe"\'').all()
        hits = s.connection().exec_driver_sql(
            f'SELECT count(*) FROM "{SEARCH_INDEX_TABLE}" '
            f'WHERE "{SEARCH_INDEX_TABLE}" MATCH \'"dexe"\'').scalar()
    assert any("VIRTUAL TABLE INDEX" in str(row[-1]) for row in plan)
    assert hits == 1
