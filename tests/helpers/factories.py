"""Small builders for service tests: a configured station, tracks, and a table snapshot.

Import with ``from unit.services.factories import ...`` (``tests`` is on the path). They
go through the public services, so what they build is what the application would build.
"""

from __future__ import annotations

import dataclasses
import itertools
from types import EllipsisType
from typing import Any

from sqlalchemy import event, insert, select

from station_desktop.db.engine import Database, create_db_engine
from station_desktop.db.ids import new_id
from station_desktop.db.models import DEFAULT_STORAGE_QUOTA, AudioFile, Base
from station_desktop.services.fleet import FleetService, ServerFields
from station_desktop.services.library import LibraryService, NewTrack, TrackRecord
from station_desktop.services.stations import StationFields, StationRecord, StationService

_serial = itertools.count(1)

MB = 1024**2
GB = 1024**3


def make_station(
    db: Database,
    name: str | None = None,
    *,
    storage_quota: int = DEFAULT_STORAGE_QUOTA,
    timezone: str = "UTC",
    assign: bool = True,
) -> StationRecord:
    """A station, by default on its own new server with its StreamConfig (the state after
    the seed's "Configuración inicial de un cliente")."""
    n = next(_serial)
    stations = StationService(db)
    station = stations.create_station(
        StationFields(name or f"Station {n}", timezone, storage_quota)
    )
    if assign:
        server = FleetService(db).create_server(ServerFields(f"VPS {n}", f"vps{n}.example.net"))
        stations.assign_server(station.id, server.id)
        station = stations.get_station(station.id)
    return station


def new_track(title: str | EllipsisType | None = ..., **overrides: Any) -> NewTrack:
    """A plausible 3-minute 128 kbps MP3 of 1 MB titled "Track <n>" (``None``: untitled);
    any NewTrack field can be overridden."""
    n = next(_serial)
    track = NewTrack(
        filename=f"track-{n}.mp3", storage_path=f"/audio/test/track-{n}.mp3", file_size=MB,
        duration=180.0, format="mp3", bitrate=128, sample_rate=44100, channels=2,
        title=f"Track {n}" if title is ... else title, status="ready",
    )
    return dataclasses.replace(track, **overrides)


def make_track(db: Database, client_id: str, title: str | EllipsisType | None = ...,
               **overrides: Any) -> TrackRecord:
    return LibraryService(db).add_track(client_id, new_track(title, **overrides))


def make_tracks(db: Database, client_id: str, count: int, **overrides: Any) -> list[TrackRecord]:
    library = LibraryService(db)
    return [library.add_track(client_id, new_track(**overrides)) for _ in range(count)]


def database_without_foreign_keys(url: str) -> Database:
    """The database at ``url`` through connections that neither check nor cascade foreign
    keys: what a database adopted from the platform may look like if it was created without
    them. Proves that a service deletes dependent rows itself."""
    engine = create_db_engine(url, sqlite_foreign_keys=False)
    if engine.dialect.name == "mysql":
        @event.listens_for(engine, "connect")
        def _no_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
            with dbapi_connection.cursor() as cursor:
                cursor.execute("SET SESSION foreign_key_checks = 0")

    return Database(url, engine=engine)


def table_snapshot(db: Database, *tables: type[Base]) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of ``tables`` (all columns, ordered by id): compare two snapshots to show
    that a refused operation left the database exactly as it was."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with db.read() as s:
        for model in tables:
            table = model.__table__
            rows = s.execute(select(table).order_by(table.c.id)).all()
            out[model.__name__] = [tuple(row) for row in rows]
    return out


def platform_insert(db: Database, station_id: str, title: str | None, **columns: Any) -> str:
    """A track row as the platform writes it: plain SQL, no search columns."""
    track_id = new_id()
    with db.transaction() as s:
        s.execute(insert(AudioFile).values(
            id=track_id, clientId=station_id, filename=f"{track_id}.mp3",
            storagePath=f"/audio/{track_id}.mp3", fileSize=1000, duration=60.0,
            format="mp3", bitrate=128, sampleRate=44100, channels=2, status="ready",
            title=title, **columns))
    return track_id
