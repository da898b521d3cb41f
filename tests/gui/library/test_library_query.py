"""The read side the view pages through, on SQLite and MariaDB: every way a page is found
(along the sort index, the probe of a frequent search, the walk on past it, the scan of a
rare one, the empty values last) gives the order one full sort would give."""

from __future__ import annotations

import random
from typing import Any

import pytest
from gui.library.support import bulk_tracks

from station_desktop.db.engine import Database
from station_desktop.services.library import PROBE_ROWS, LibraryService
from station_desktop.services.stations import StationRecord

WORDS = ("alpha",) * 10 + ("beta",) * 2 + ("gamma",) * 1  # frequent to rare
COUNT = 3 * PROBE_ROWS // 2  # more than the probe looks at


def _rows() -> list[dict[str, Any]]:
    rnd = random.Random(5)
    rows = []
    for i in range(COUNT):
        word = rnd.choice(WORDS) if i % 50 else "zeta"  # zeta: 2 % of the rows
        rows.append({
            "title": None if i % 37 == 0 else f"{rnd.choice('ABCdef')}{i % 97:02d} {word}",
            "year": None if i % 11 == 0 else 1950 + i % 70,
            "status": "error" if i % 113 == 0 else "ready",
        })
    return rows


def _expected(library: LibraryService, station_id: str, search: str | None,
              status: str | None, sort: str, descending: bool) -> list[str]:
    everything = library.list_tracks(station_id, limit=10_000, sort="title").tracks
    chosen = [t for t in everything
              if (search is None or search in (t.title or "").lower() + t.filename.lower())
              and (status is None or t.status == status)]

    def value(track: Any) -> Any:
        raw = getattr(track, sort)
        return raw.lower() if isinstance(raw, str) else raw

    by_id = sorted(chosen, key=lambda t: t.id, reverse=descending)
    present = [t for t in by_id if value(t) is not None]
    missing = [t for t in by_id if value(t) is None]
    present.sort(key=value, reverse=descending)
    return [t.id for t in present + missing]


@pytest.mark.parametrize(("search", "status"), [
    (None, None), ("alpha", None), ("beta", None), ("zeta", None), ("nothing", None),
    (None, "error"), ("alpha", "error"),
])
@pytest.mark.parametrize(("sort", "descending"), [("title", False), ("title", True),
                                                  ("year", True), ("status", False)])
def test_paged_results_equal_one_full_sort(
    db: Database, station: StationRecord, search: str | None, status: str | None,
    sort: str, descending: bool,
) -> None:
    bulk_tracks(db, station.id, _rows())
    library = LibraryService(db)
    expected = _expected(library, station.id, search, status, sort, descending)

    seen: list[str] = []
    offset = 0
    while True:
        page = library.list_tracks(station.id, search=search, status=status, sort=sort,
                                   descending=descending, offset=offset, limit=250,
                                   count=False)
        seen += [t.id for t in page.tracks]
        if page.counted:
            assert page.total == len(expected)  # the last page, or a scan, knows
        else:
            assert page.total == offset + len(page.tracks)  # what the page proves
        if len(page.tracks) < 250:
            break
        offset += 250
    assert seen == expected
    assert library.count_tracks(station.id, search=search, status=status) == len(expected)
    counted = library.list_tracks(station.id, search=search, status=status, sort=sort,
                                  descending=descending, offset=500, limit=100)
    assert counted.counted and counted.total == len(expected)
    assert [t.id for t in counted.tracks] == expected[500:600]


def test_get_tracks_keeps_the_order_and_skips_the_deleted(
    db: Database, station: StationRecord
) -> None:
    ids = bulk_tracks(db, station.id, [{"title": f"T{i}"} for i in range(3)])
    library = LibraryService(db)
    library.delete_tracks([ids[1]])
    assert [t.id for t in library.get_tracks([ids[2], ids[1], ids[0], ids[2]])] == [
        ids[2], ids[0]]
