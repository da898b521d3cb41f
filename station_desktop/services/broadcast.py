"""From the database to the air: a station's programme, its Liquidsoap script, the
server's icecast.xml.

The renderers in :mod:`station_desktop.control.render` are pure (data in, text out); this
service reads what they need in one consistent snapshot and maps rows to their inputs.
stationd calls it to keep each Liquidsoap in step (export the programme whenever the
database changes: the picker reads it at the next track, no restart), and ``stationd
render`` calls it to write the files an admin installs.

Secrets (Icecast source/admin passwords) are passed in by the caller, which gets them from
the keyring or stationd's secret store; they are never read from or written to the
database.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_desktop.control.render import (
    IcecastSpec,
    IcecastStation,
    LiquidsoapDialect,
    LiveAccount,
    ProgrammeBlock,
    ProgrammePlaylist,
    ProgrammeStation,
    ProgrammeTrack,
    StationScriptSpec,
    build_programme,
    render_icecast_xml,
    render_m3u,
    render_station_script,
    write_programme_atomically,
)
from station_desktop.control.render.programme import (
    EVENTS_FILE,
    PROGRAMME_FILE,
    PasswordHash,
    main_playlist_tracks,
    reuse_or_hash,
)
from station_desktop.db.engine import Database
from station_desktop.db.models import (
    AudioFile,
    Client,
    DjAccount,
    Playlist,
    PlaylistItem,
    Schedule,
    StreamConfig,
    StreamServer,
)
from station_desktop.errors import StationError
from station_desktop.services._common import get_row
from station_desktop.services.dj_accounts import decode_hash
from station_desktop.services.stations import LIVE_USER, settings_of

log = logging.getLogger("station_desktop.services.broadcast")

DEFAULT_LIQUIDSOAP = "2.1.3"  # what Debian 12 ships; used until the server reports its own
SCRIPT_FILE = "station.liq"


@dataclass(frozen=True, slots=True)
class ServerLayout:
    """Where things live on a streaming server (stationd's configuration sets it)."""

    stations_dir: Path = Path("/var/lib/stationd/stations")
    picker_path: Path = Path("/usr/lib/station-desktop/picker.py")
    python: Path = Path("/usr/bin/python3")
    log_dir: Path = Path("/var/log/stationd")
    safety_file: Path | None = None
    allow_root: bool = False
    harbor_bind_address: str = "0.0.0.0"  # DJs connect from anywhere
    icecast_host: str = "127.0.0.1"  # Liquidsoap and Icecast share the server
    auth_socket: Path | None = None  # stationd's live-login socket (None: hashes only)

    def station_dir(self, client_id: str) -> Path:
        return self.stations_dir / client_id


@dataclass(frozen=True, slots=True)
class Programme:
    document: dict[str, Any]
    m3u: str


class BroadcastService:
    def __init__(self, db: Database) -> None:
        self._db = db

    # -- the programme (what to play, read by the picker) --------------------------------

    def programme(self, client_id: str, previous: dict[str, Any] | None = None) -> Programme:
        """The station's programme.json document and main.m3u, from one snapshot.

        ``previous`` (the programme currently on the server) lets an unchanged live
        password keep its salted hash, so an export with no change rewrites nothing.
        """
        with self._db.read() as s:
            client = get_row(s, Client, client_id, "Station")
            config = _config(s, client_id)
            if config is None:
                raise StationError(
                    f"Station {client.name!r} has no stream configuration; assign it to a "
                    "server first."
                )
            playlists = _playlists(s, client_id)
            main = s.scalar(
                select(Playlist.id).where(Playlist.clientId == client_id, Playlist.isMain)
            )
            blocks = [
                ProgrammeBlock(b.id, b.playlistId, b.dayOfWeek, b.startTime, b.endTime)
                for b in s.scalars(
                    select(Schedule)
                    .where(Schedule.clientId == client_id, Schedule.isActive)
                    .order_by(Schedule.dayOfWeek, Schedule.startTime, Schedule.id)
                )
            ]
            station = ProgrammeStation(client.id, client.name, client.timezone)
            settings = settings_of(config)
            password = config.liveInputPassword
            djs = [
                LiveAccount(row.username, stored, dj_name=row.name)
                for row in s.scalars(
                    select(DjAccount)
                    .where(DjAccount.clientId == client_id, DjAccount.isActive)
                    .order_by(DjAccount.username, DjAccount.id)
                )
                if (stored := decode_hash(row.passwordHash)) is not None
            ]
        accounts = [LiveAccount(LIVE_USER, reuse_or_hash(password, _previous_hash(previous))),
                    *djs]
        document = build_programme(
            station=station,
            playlists=playlists,
            main_playlist_id=main,
            schedule=blocks,
            playback_mode=settings.playback_mode,
            autodj_enabled=settings.autodj_enabled,
            jingles_enabled=settings.jingles_enabled,
            jingles_every_n_songs=settings.jingles_frequency,
            live_enabled=settings.live_input_enabled,
            live_accounts=accounts,
        )
        m3u = render_m3u(main_playlist_tracks(playlists, main), playlist_id=main)
        return Programme(document, m3u)

    def export_programme(self, client_id: str, layout: ServerLayout) -> bool:
        """Write the station's programme where its picker reads it; True if it changed."""
        directory = layout.station_dir(client_id)
        programme = self.programme(client_id, _read_previous(directory / PROGRAMME_FILE))
        changed = write_programme_atomically(directory, programme.document, programme.m3u)
        if changed:
            log.info("programme of station %s exported to %s", client_id, directory)
        return changed

    # -- the Liquidsoap script ----------------------------------------------------------

    def station_script(
        self, client_id: str, layout: ServerLayout, *, source_password: str
    ) -> str:
        """The station's Liquidsoap script, in the dialect of its server's release."""
        with self._db.read() as s:
            client = get_row(s, Client, client_id, "Station")
            config = _config(s, client_id)
            if config is None or config.telnetPort is None:
                raise StationError(
                    f"Station {client.name!r} is not assigned to a server yet (no ports)."
                )
            server = get_row(s, StreamServer, config.serverId, "Server")
            settings = settings_of(config)
            directory = layout.station_dir(client_id)
            spec = StationScriptSpec(
                station_id=client.id,
                station_name=client.name,
                settings=settings,
                icecast_host=layout.icecast_host,
                icecast_port=server.port,
                icecast_source_password=source_password,
                telnet_port=config.telnetPort,
                harbor_port=config.harborPort if settings.live_input_enabled else None,
                programme_dir=str(directory),
                picker_path=str(layout.picker_path),
                python_executable=str(layout.python),
                log_path=str(layout.log_dir / f"{client.id}.log"),
                events_path=str(directory / EVENTS_FILE),
                safety_file=str(layout.safety_file) if layout.safety_file else None,
                harbor_bind_address=layout.harbor_bind_address,
                allow_root=layout.allow_root,
                auth_socket=str(layout.auth_socket) if layout.auth_socket else None,
            )
            release = server.liquidsoapVersion or DEFAULT_LIQUIDSOAP
        dialect = LiquidsoapDialect.for_version(release)
        return render_station_script(spec, dialect)

    # -- the server's icecast.xml -------------------------------------------------------

    def icecast_config(
        self,
        server_id: str,
        *,
        source_password: str,
        admin_password: str,
        bind_address: str | None = None,
    ) -> str:
        with self._db.read() as s:
            server = get_row(s, StreamServer, server_id, "Server")
            stations = tuple(
                IcecastStation(
                    station_id=config.clientId,
                    mountpoint=config.mountpoint,
                    bitrates=settings_of(config).bitrates,
                    max_listeners=config.maxListeners,
                )
                for config in s.scalars(
                    select(StreamConfig)
                    .where(StreamConfig.serverId == server_id)
                    .order_by(StreamConfig.mountpoint)
                )
            )
            spec = IcecastSpec(
                hostname=server.host,
                port=server.port,
                source_password=source_password,
                admin_password=admin_password,
                admin_user=server.icecastAdminUser or "admin",
                bind_address=bind_address,
                capacity=server.capacity,
                stations=stations,
            )
        return render_icecast_xml(spec)


def _config(s: Session, client_id: str) -> StreamConfig | None:
    return s.scalars(select(StreamConfig).where(StreamConfig.clientId == client_id)).first()


def _playlists(s: Session, client_id: str) -> list[ProgrammePlaylist]:
    """Every playlist of the station with its ready tracks, in playlist order."""
    playlists = list(
        s.scalars(select(Playlist).where(Playlist.clientId == client_id).order_by(Playlist.id))
    )
    rows = s.execute(
        select(PlaylistItem.playlistId, AudioFile)
        .join(AudioFile, AudioFile.id == PlaylistItem.audioFileId)
        .join(Playlist, Playlist.id == PlaylistItem.playlistId)
        .where(Playlist.clientId == client_id, AudioFile.status == "ready")
        .order_by(PlaylistItem.playlistId, PlaylistItem.order)
    ).all()
    tracks: dict[str, list[ProgrammeTrack]] = {p.id: [] for p in playlists}
    for playlist_id, audio in rows:
        tracks[playlist_id].append(
            ProgrammeTrack(audio.id, audio.storagePath, audio.title, audio.artist, audio.duration)
        )
    return [ProgrammePlaylist(p.id, p.name, p.type, tuple(tracks[p.id])) for p in playlists]


def _read_previous(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _previous_hash(previous: dict[str, Any] | None) -> PasswordHash | None:
    """The stored hash of the station account in an earlier programme, if well-formed."""
    try:
        for account in (previous or {})["live"]["accounts"]:
            if account["username"] == LIVE_USER:
                return PasswordHash(
                    salt=str(account["salt"]), hash=str(account["hash"]), n=int(account["n"]),
                    r=int(account["r"]), p=int(account["p"]), kdf=str(account["kdf"]),
                )
    except (KeyError, TypeError, ValueError):
        return None
    return None
