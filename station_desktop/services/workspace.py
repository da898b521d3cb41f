"""A workspace: one database and the services that work on it.

The GUI and stationd open databases the same way: a shared MySQL/MariaDB must already be
at this version's schema (else a :class:`~station_desktop.errors.SchemaMismatch` says which
command fixes it); the embedded SQLite database is created and migrated automatically and
gets a demo station on first start.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from station_desktop.config.profiles import ProfileStore
from station_desktop.db import migrate
from station_desktop.db.engine import Database
from station_desktop.services.demo import seed_demo
from station_desktop.services.fleet import FleetService
from station_desktop.services.library import LibraryService
from station_desktop.services.playlists import PlaylistService
from station_desktop.services.schedule import ScheduleService
from station_desktop.services.stations import StationService
from station_desktop.services.stats import StatsService

log = logging.getLogger("station_desktop.services.workspace")

EMBEDDED_FILENAME = "station-desktop.db"


@dataclass
class Workspace:
    db: Database
    embedded: bool = False
    profile_name: str | None = None
    fleet: FleetService = field(init=False)
    stations: StationService = field(init=False)
    library: LibraryService = field(init=False)
    playlists: PlaylistService = field(init=False)
    schedule: ScheduleService = field(init=False)
    stats: StatsService = field(init=False)

    def __post_init__(self) -> None:
        self.fleet = FleetService(self.db)
        self.stations = StationService(self.db)
        self.library = LibraryService(self.db)
        self.playlists = PlaylistService(self.db)
        self.schedule = ScheduleService(self.db)
        self.stats = StatsService(self.db)

    @property
    def display_name(self) -> str:
        if self.embedded:
            return "Embedded database"
        if self.profile_name:
            return f"{self.profile_name} ({self.db.display_url})"
        return self.db.display_url

    def close(self) -> None:
        self.db.dispose()


def open_workspace(url: str) -> Workspace:
    """Open a shared database; refuses a schema this version does not know."""
    migrate.ensure_current(url)
    return Workspace(Database(url))


def embedded_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / EMBEDDED_FILENAME}"


def open_embedded(data_dir: Path, *, with_demo: bool = True) -> Workspace:
    """The local SQLite database in ``data_dir``: created, migrated and, when it holds no
    station yet, filled with a demo station so a new user sees a working app."""
    data_dir.mkdir(parents=True, exist_ok=True)
    url = embedded_url(data_dir)
    state = migrate.upgrade(url)
    log.info("embedded database %s at revision %s", url, state.revision)
    workspace = Workspace(Database(url), embedded=True)
    if with_demo and not workspace.stations.list_stations():
        seed_demo(workspace.db)
    return workspace


def open_startup_workspace(
    store: ProfileStore,
    data_dir: Path,
    *,
    profile_name: str | None = None,
    database_url: str | None = None,
) -> Workspace:
    """What the app opens when it starts: an explicit URL, else the named profile, else
    the profile used last, else (first start) the embedded database with its demo."""
    if database_url:
        return open_workspace(database_url)
    profile = store.get(profile_name) if profile_name else store.last_used
    if profile is None:
        return open_embedded(data_dir)
    workspace = open_workspace(store.database_url(profile))
    workspace.profile_name = profile.name
    store.set_last_used(profile.name)
    return workspace
