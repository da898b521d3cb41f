"""A workspace: one database and the services that work on it.

The GUI and stationd open databases the same way: a shared MySQL/MariaDB must already be
at this version's schema (else a :class:`~station_desktop.errors.SchemaMismatch` says which
command fixes it); the embedded SQLite database is created and migrated automatically and
gets a demo station on first start.

Media storage (where imported audio goes) is part of a workspace: the embedded database
keeps it in ``<data_dir>/audio`` (a local Liquidsoap plays it from there); a shared
database writes either to a folder where the server's ``/audio`` is mounted
(``media_root``), or over SFTP to each station's streaming server (``sftp``). Without
either, :attr:`Workspace.importer` refuses to import and says how to configure one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from station_desktop.config.profiles import MEDIA_SFTP, Profile, ProfileStore
from station_desktop.db import migrate
from station_desktop.db.engine import Database
from station_desktop.errors import ValidationError
from station_desktop.media.storage import LocalStorage, SftpLocation, SftpStorage, Storage
from station_desktop.services.demo import seed_demo
from station_desktop.services.dj_accounts import DjAccountService
from station_desktop.services.fleet import FleetService
from station_desktop.services.importer import ImportService
from station_desktop.services.library import LibraryService
from station_desktop.services.playlists import PlaylistService
from station_desktop.services.schedule import ScheduleService
from station_desktop.services.stations import StationService
from station_desktop.services.stats import StatsService

log = logging.getLogger("station_desktop.services.workspace")

EMBEDDED_FILENAME = "station-desktop.db"
EMBEDDED_MEDIA_DIR = "audio"
SERVER_MEDIA_ROOT = "/audio"  # the stations' media folder on a streaming server

StorageFor = Callable[[str], Storage]


@dataclass
class Workspace:
    db: Database
    embedded: bool = False
    profile_name: str | None = None
    # client id -> where its audio goes; None: no media storage configured (imports refuse)
    storage_for: StorageFor | None = None
    fleet: FleetService = field(init=False)
    stations: StationService = field(init=False)
    dj_accounts: DjAccountService = field(init=False)
    library: LibraryService = field(init=False)
    playlists: PlaylistService = field(init=False)
    schedule: ScheduleService = field(init=False)
    stats: StatsService = field(init=False)
    importer: ImportService = field(init=False)

    def __post_init__(self) -> None:
        self.fleet = FleetService(self.db)
        self.stations = StationService(self.db)
        self.dj_accounts = DjAccountService(self.db)
        self.library = LibraryService(self.db)
        self.playlists = PlaylistService(self.db)
        self.schedule = ScheduleService(self.db)
        self.stats = StatsService(self.db)
        self.importer = ImportService(self.db, self.storage_for, library=self.library)

    @property
    def display_name(self) -> str:
        if self.embedded:
            return "Embedded database"
        if self.profile_name:
            return f"{self.profile_name} ({self.db.display_url})"
        return self.db.display_url

    def close(self) -> None:
        self.importer.close()
        self.db.dispose()


def single_storage(storage: Storage) -> StorageFor:
    """Every station's files in one storage (each in its own ``<clientId>`` folder)."""
    return lambda _client_id: storage


def sftp_to_station_servers(db: Database, location: SftpLocation) -> StorageFor:
    """SFTP to each station's own streaming server: ``location`` gives the keys, known
    hosts, passphrase and media folder; the host, SSH user and port come from the
    station's server (``StreamServer.host``/``sshUser``/``sshPort``) unless ``location``
    names a host itself (then every station's files go there). One connection per server.
    """
    stations, fleet = StationService(db), FleetService(db)
    by_server: dict[str, SftpStorage] = {}

    def storage_for(client_id: str) -> Storage:
        if location.host:
            key, resolved = "", location
        else:
            station = stations.get_station(client_id)
            if station.server_id is None:
                raise ValidationError(
                    f"Station {station.name!r} has no streaming server yet, so there is no "
                    "server to upload its audio to. Assign it to a server first.",
                    field="server")
            server = fleet.get_server(station.server_id)
            username = location.username or server.ssh_user
            if not username:
                raise ValidationError(
                    f"Server {server.name!r} has no SSH user, so its media folder cannot be "
                    "reached over SFTP. Set the server's SSH user (Servers) first.",
                    field="ssh_user")
            key = server.id
            resolved = SftpLocation(
                host=server.host, username=username, port=server.ssh_port or location.port,
                root=location.root, client_keys=location.client_keys,
                known_hosts=location.known_hosts, passphrase=location.passphrase,
                connect_timeout=location.connect_timeout)
        if key not in by_server:
            by_server[key] = SftpStorage(resolved)
        return by_server[key]

    return storage_for


def open_workspace(
    url: str,
    *,
    media_root: Path | None = None,
    media_server_root: str = SERVER_MEDIA_ROOT,
    sftp: SftpLocation | None = None,
) -> Workspace:
    """Open a shared database; refuses a schema this version does not know.

    Media storage: ``media_root`` is a folder on this machine where the servers' media
    folder (``media_server_root``, normally ``/audio``) is mounted; ``sftp`` uploads to
    the stations' servers instead. With neither, imports are refused with a message that
    says how to configure one.
    """
    if media_root is not None and sftp is not None:
        raise ValidationError("Choose one media storage: a mounted folder or SFTP, not both.",
                              field="media_storage")
    migrate.ensure_current(url)
    db = Database(url)
    storage_for: StorageFor | None = None
    if media_root is not None:
        storage_for = single_storage(
            LocalStorage(media_root, server_root=media_server_root, create_root=False))
    elif sftp is not None:
        storage_for = sftp_to_station_servers(db, sftp)
    return Workspace(db, storage_for=storage_for)


def embedded_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / EMBEDDED_FILENAME}"


def open_embedded(data_dir: Path, *, with_demo: bool = True) -> Workspace:
    """The local SQLite database in ``data_dir``: created, migrated and, when it holds no
    station yet, filled with a demo station so a new user sees a working app."""
    data_dir.mkdir(parents=True, exist_ok=True)
    url = embedded_url(data_dir)
    state = migrate.upgrade(url)
    log.info("embedded database %s at revision %s", url, state.revision)
    storage = LocalStorage(data_dir / EMBEDDED_MEDIA_DIR)
    workspace = Workspace(Database(url), embedded=True, storage_for=single_storage(storage))
    if with_demo and not workspace.stations.list_stations():
        seed_demo(workspace.db)
    return workspace


def profile_media(profile: Profile) -> tuple[Path | None, SftpLocation | None]:
    """A connection profile's media storage: its mounted folder, or SFTP to each station's
    server as its SFTP user (else the server's SSH user) with its key file (else the
    default keys and the SSH agent); neither when the profile names none."""
    if profile.media_storage == MEDIA_SFTP:
        keys = [Path(profile.sftp_key_file)] if profile.sftp_key_file else None
        return None, SftpLocation(username=profile.sftp_user or "", client_keys=keys)
    if profile.media_root:
        return Path(profile.media_root), None
    return None, None


def open_startup_workspace(
    store: ProfileStore,
    data_dir: Path,
    *,
    profile_name: str | None = None,
    database_url: str | None = None,
    media_root: Path | None = None,
    media_server_root: str = SERVER_MEDIA_ROOT,
    sftp: SftpLocation | None = None,
) -> Workspace:
    """What the app opens when it starts: an explicit URL, else the named profile, else
    the profile used last, else (first start) the embedded database with its demo. The
    media storage arguments are :func:`open_workspace`'s; without them a profile's own
    media settings apply (the embedded database always keeps its audio in ``data_dir``)."""
    def shared(url: str, root: Path | None, location: SftpLocation | None) -> Workspace:
        return open_workspace(url, media_root=root, media_server_root=media_server_root,
                              sftp=location)

    if database_url:
        return shared(database_url, media_root, sftp)
    profile = store.get(profile_name) if profile_name else store.last_used
    if profile is None:
        return open_embedded(data_dir)
    if media_root is None and sftp is None:
        media_root, sftp = profile_media(profile)
    workspace = shared(store.database_url(profile), media_root, sftp)
    workspace.profile_name = profile.name
    store.set_last_used(profile.name)
    return workspace
