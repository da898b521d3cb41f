"""Stations (the seed's Client) and their stream configuration.

Covers the seed's flow "Configuración inicial de un cliente": an admin assigns a station
to a server, and the system creates its StreamConfig with a unique mountpoint, a generated
live-input password and default values. Also: get/update the configuration (``GET/PUT
/api/stream/config``), moving a station to another server, and the live credentials
(``GET /api/stream/live-credentials`` and ``.../regenerate``).
"""

from __future__ import annotations

import json
import re
import secrets
import unicodedata
import zoneinfo
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_desktop.db.engine import Database
from station_desktop.db.models import (
    DEFAULT_STORAGE_QUOTA,
    Client,
    StreamConfig,
    StreamServer,
    row_version,
)
from station_desktop.errors import (
    DuplicateMountpoint,
    ServerOverCapacity,
    StationError,
    ValidationError,
)
from station_desktop.services._common import (
    check_choice,
    check_range,
    check_version,
    get_row,
    lock_row,
    required_text,
)
from station_desktop.services.fleet import station_count

ALLOWED_BITRATES = (32, 48, 64, 96, 128, 192, 256, 320)
PLAYBACK_MODES = ("random", "sequential")
CONFIG_STATUSES = ("active", "inactive", "error")
HARBOR_PORT_BASE = 8010  # same bases as migration 0002
TELNET_PORT_BASE = 1234
PORT_RANGE = 2000
LIVE_MOUNT = "/live"
LIVE_USER = "source"
# 24 random bytes = 192 bits, URL-safe so a DJ can paste it into any encoder.
LIVE_PASSWORD_BYTES = 24
_MOUNT_RE = re.compile(r"^/[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")


def generate_live_password() -> str:
    return secrets.token_urlsafe(LIVE_PASSWORD_BYTES)


@dataclass(frozen=True, slots=True)
class StationFields:
    name: str
    timezone: str = "UTC"
    storage_quota: int = DEFAULT_STORAGE_QUOTA


@dataclass(frozen=True, slots=True)
class StationRecord:
    id: str
    name: str
    timezone: str
    storage_quota: int
    server_id: str | None
    server_name: str | None
    mountpoint: str | None
    stream_status: str | None
    version: str

    @property
    def fields(self) -> StationFields:
        return StationFields(self.name, self.timezone, self.storage_quota)


@dataclass(frozen=True, slots=True)
class StreamSettings:
    """Every field of StreamConfig an operator edits."""

    mountpoint: str
    bitrates: tuple[int, ...] = (128,)
    max_listeners: int = 100
    autodj_enabled: bool = True
    crossfade_duration: float = 3.0
    normalize_audio: bool = True
    normalization_level: float = -14.0  # LUFS, the common streaming loudness target
    playback_mode: str = "random"
    live_input_enabled: bool = True
    jingles_enabled: bool = False
    jingles_frequency: int = 4  # one jingle every N songs
    status: str = "active"


@dataclass(frozen=True, slots=True)
class StreamConfigRecord:
    id: str
    client_id: str
    server_id: str
    settings: StreamSettings
    harbor_port: int | None
    telnet_port: int | None
    version: str

    @property
    def mountpoint(self) -> str:
        return self.settings.mountpoint


@dataclass(frozen=True, slots=True)
class LiveCredentials:
    """What a DJ types into BUTT or Mixxx."""

    host: str
    port: int | None
    mount: str
    username: str
    password: str
    enabled: bool


def _validate_station(fields: StationFields) -> StationFields:
    name = required_text(fields.name, "name", "Station name")
    timezone = required_text(fields.timezone, "timezone", "Time zone")
    try:
        zoneinfo.ZoneInfo(timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            f"{timezone!r} is not a known time zone (use a name such as Europe/Madrid).",
            field="timezone",
        ) from None
    check_range(fields.storage_quota, "storage_quota", "Storage quota", 0, 2**50, "bytes")
    return StationFields(name, timezone, int(fields.storage_quota))


def validate_settings(settings: StreamSettings) -> StreamSettings:
    mountpoint = settings.mountpoint.strip()
    if not _MOUNT_RE.match(mountpoint):
        raise ValidationError(
            f"Mountpoint {mountpoint!r} must start with '/' followed by up to 63 letters, "
            "digits, '.', '_' or '-' (for example /myradio).",
            field="mountpoint",
        )
    if mountpoint == LIVE_MOUNT:
        raise ValidationError(f"{LIVE_MOUNT} is reserved for the live input.", field="mountpoint")
    bitrates = tuple(sorted(set(settings.bitrates)))
    if not bitrates:
        raise ValidationError("Choose at least one bitrate.", field="bitrates")
    for bitrate in bitrates:
        if bitrate not in ALLOWED_BITRATES:
            raise ValidationError(
                f"{bitrate} kbps is not offered; choose from "
                f"{', '.join(map(str, ALLOWED_BITRATES))}.",
                field="bitrates",
            )
    check_range(settings.max_listeners, "max_listeners", "Maximum listeners", 1, 100_000)
    check_range(settings.crossfade_duration, "crossfade_duration", "Crossfade", 0, 30, "s")
    check_range(
        settings.normalization_level, "normalization_level", "Normalisation level", -40, 0, "LUFS"
    )
    check_choice(settings.playback_mode, "playback_mode", "Playback mode", PLAYBACK_MODES)
    check_range(settings.jingles_frequency, "jingles_frequency", "Jingle frequency", 1, 100,
                "songs")
    check_choice(settings.status, "status", "Status", CONFIG_STATUSES)
    return replace(settings, mountpoint=mountpoint, bitrates=bitrates)


def parse_bitrates(stored: str) -> tuple[int, ...]:
    """StreamConfig.bitrates is a JSON list of strings (["64","128"]); be lenient with
    numbers and comma lists, which other writers of the shared database may use."""
    try:
        value = json.loads(stored)
    except json.JSONDecodeError:
        value = stored.split(",")
    if not isinstance(value, list):
        value = [value]
    out: list[int] = []
    for item in value:
        try:
            out.append(int(str(item).strip().removesuffix("k")))
        except ValueError:
            continue
    return tuple(sorted(set(out)))


def settings_of(row: StreamConfig) -> StreamSettings:
    """The editable settings of a stored StreamConfig row."""
    return StreamSettings(
        mountpoint=row.mountpoint,
        bitrates=parse_bitrates(row.bitrates),
        max_listeners=row.maxListeners,
        autodj_enabled=row.autodjEnabled,
        crossfade_duration=row.crossfadeDuration,
        normalize_audio=row.normalizeAudio,
        normalization_level=row.normalizationLevel,
        playback_mode=row.playbackMode,
        live_input_enabled=row.liveInputEnabled,
        jingles_enabled=row.jinglesEnabled,
        jingles_frequency=row.jinglesFrequency,
        status=row.status,
    )


def _apply(row: StreamConfig, settings: StreamSettings) -> None:
    row.mountpoint = settings.mountpoint
    row.bitrates = json.dumps([str(b) for b in settings.bitrates])
    row.maxListeners = settings.max_listeners
    row.autodjEnabled = settings.autodj_enabled
    row.crossfadeDuration = float(settings.crossfade_duration)
    row.normalizeAudio = settings.normalize_audio
    row.normalizationLevel = float(settings.normalization_level)
    row.playbackMode = settings.playback_mode
    row.liveInputEnabled = settings.live_input_enabled
    row.jinglesEnabled = settings.jingles_enabled
    row.jinglesFrequency = settings.jingles_frequency
    row.status = settings.status


def _config_record(row: StreamConfig) -> StreamConfigRecord:
    return StreamConfigRecord(
        id=row.id, client_id=row.clientId, server_id=row.serverId, settings=settings_of(row),
        harbor_port=row.harborPort, telnet_port=row.telnetPort, version=row_version(row),
    )


def _station_record(client: Client, config: StreamConfig | None,
                    server: StreamServer | None) -> StationRecord:
    return StationRecord(
        id=client.id, name=client.name, timezone=client.timezone,
        storage_quota=client.storageQuota,
        server_id=config.serverId if config else None,
        server_name=server.name if server else None,
        mountpoint=config.mountpoint if config else None,
        stream_status=config.status if config else None,
        version=row_version(client),
    )


def slugify(name: str) -> str:
    """ASCII slug of a station name for its default mountpoint ("Radio Niño" -> "radio-nino")."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug[:40].strip("-") or "station"


class StationService:
    def __init__(self, db: Database) -> None:
        self._db = db

    # -- stations ----------------------------------------------------------------------

    def create_station(self, fields: StationFields) -> StationRecord:
        fields = _validate_station(fields)
        with self._db.transaction() as s:
            client = Client(name=fields.name, timezone=fields.timezone,
                            storageQuota=fields.storage_quota)
            s.add(client)
            s.flush()
            return _station_record(client, None, None)

    def list_stations(self) -> list[StationRecord]:
        with self._db.read() as s:
            rows = s.execute(
                select(Client, StreamConfig, StreamServer)
                .outerjoin(StreamConfig, StreamConfig.clientId == Client.id)
                .outerjoin(StreamServer, StreamServer.id == StreamConfig.serverId)
                .order_by(Client.name, Client.id)
            ).all()
            return [_station_record(c, cfg, srv) for c, cfg, srv in rows]

    def get_station(self, client_id: str) -> StationRecord:
        with self._db.read() as s:
            return self._station(s, client_id)

    def update_station(
        self, client_id: str, fields: StationFields, expected_version: str | None
    ) -> StationRecord:
        fields = _validate_station(fields)
        with self._db.transaction() as s:
            client = lock_row(s, Client, client_id, "Station")
            check_version(client, expected_version, f"Station {client.name!r}")
            client.name, client.timezone = fields.name, fields.timezone
            client.storageQuota = fields.storage_quota
            s.flush()
            return self._station(s, client_id)

    def _station(self, s: Session, client_id: str) -> StationRecord:
        client = get_row(s, Client, client_id, "Station")
        config = s.scalars(select(StreamConfig).where(StreamConfig.clientId == client_id)).first()
        server = s.get(StreamServer, config.serverId) if config else None
        return _station_record(client, config, server)

    # -- server assignment (the initial-configuration flow) ----------------------------

    def assign_server(self, client_id: str, server_id: str) -> StreamConfigRecord:
        """Put a station on a server.

        A station without a configuration gets one (unique mountpoint from its name, a
        generated live password, defaults, its own ports); a configured station moves,
        keeping its settings and getting free ports on the new server. Refused when the
        server is full.
        """
        with self._db.transaction() as s:
            client = lock_row(s, Client, client_id, "Station")
            server = lock_row(s, StreamServer, server_id, "Server")
            config = s.scalars(
                select(StreamConfig).where(StreamConfig.clientId == client_id).with_for_update()
            ).first()
            if config is not None and config.serverId == server_id:
                return _config_record(config)
            load = station_count(s, server_id)
            if load >= server.capacity:
                raise ServerOverCapacity(server.name, server.capacity)
            harbor, telnet = _free_ports(s, server_id)
            if config is None:
                config = StreamConfig(
                    clientId=client.id, serverId=server_id, harborPort=harbor,
                    telnetPort=telnet, liveInputPassword=generate_live_password(),
                )
                _apply(config, StreamSettings(mountpoint=_unique_mountpoint(s, client.name)))
                s.add(config)
            else:
                old_server = lock_row(s, StreamServer, config.serverId, "Server")
                config.serverId, config.harborPort, config.telnetPort = server_id, harbor, telnet
                s.flush()
                old_server.currentLoad = station_count(s, old_server.id)
            s.flush()
            server.currentLoad = load + 1
            s.flush()
            return _config_record(config)

    # -- stream configuration ----------------------------------------------------------

    def get_config(self, client_id: str) -> StreamConfigRecord:
        with self._db.read() as s:
            return _config_record(self._config_row(s, client_id))

    def list_configs(self, server_id: str | None = None) -> list[StreamConfigRecord]:
        """Every station's stream configuration (those on ``server_id`` when given), in
        mountpoint order: what a server's Icecast should be serving."""
        query = select(StreamConfig).order_by(StreamConfig.mountpoint, StreamConfig.id)
        if server_id is not None:
            query = query.where(StreamConfig.serverId == server_id)
        with self._db.read() as s:
            return [_config_record(row) for row in s.scalars(query)]

    def update_config(
        self, client_id: str, settings: StreamSettings, expected_version: str | None
    ) -> StreamConfigRecord:
        settings = validate_settings(settings)
        with self._db.transaction() as s:
            row = self._config_row(s, client_id, lock=True)
            check_version(row, expected_version, "The stream configuration")
            taken = s.scalar(
                select(StreamConfig.id).where(
                    StreamConfig.mountpoint == settings.mountpoint, StreamConfig.id != row.id
                )
            )
            if taken is not None:
                raise DuplicateMountpoint(settings.mountpoint)
            _apply(row, settings)
            s.flush()
            return _config_record(row)

    def get_live_credentials(self, client_id: str) -> LiveCredentials:
        with self._db.read() as s:
            row = self._config_row(s, client_id)
            server = get_row(s, StreamServer, row.serverId, "Server")
            return _credentials(row, server)

    def regenerate_live_password(self, client_id: str) -> LiveCredentials:
        """A new live password; the old one stops working once Liquidsoap asks again."""
        with self._db.transaction() as s:
            row = self._config_row(s, client_id, lock=True)
            row.liveInputPassword = generate_live_password()
            server = get_row(s, StreamServer, row.serverId, "Server")
            s.flush()
            return _credentials(row, server)

    def check_live_password(self, client_id: str, password: str) -> bool:
        """Whether ``password`` opens this station's live input (constant-time compare)."""
        with self._db.read() as s:
            row = s.scalars(select(StreamConfig).where(StreamConfig.clientId == client_id)).first()
            if row is None or not row.liveInputEnabled:
                return False
            return secrets.compare_digest(row.liveInputPassword.encode(), password.encode())

    def _config_row(self, s: Session, client_id: str, lock: bool = False) -> StreamConfig:
        get_row(s, Client, client_id, "Station")
        query = select(StreamConfig).where(StreamConfig.clientId == client_id)
        if lock:
            query = query.with_for_update()
        row = s.scalars(query).first()
        if row is None:
            raise StationError(
                "This station has no stream configuration yet: an admin must assign it to a "
                "server first (Stations > Assign server)."
            )
        return row


def _credentials(row: StreamConfig, server: StreamServer) -> LiveCredentials:
    return LiveCredentials(
        host=server.host, port=row.harborPort, mount=LIVE_MOUNT, username=LIVE_USER,
        password=row.liveInputPassword, enabled=row.liveInputEnabled,
    )


def _unique_mountpoint(s: Session, name: str) -> str:
    base = "/" + slugify(name)
    taken = set(
        s.scalars(select(StreamConfig.mountpoint).where(StreamConfig.mountpoint.like(base + "%")))
    )
    candidate, n = base, 1
    while candidate in taken or candidate == LIVE_MOUNT:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _free_ports(s: Session, server_id: str) -> tuple[int, int]:
    used = s.execute(
        select(StreamConfig.harborPort, StreamConfig.telnetPort).where(
            StreamConfig.serverId == server_id
        )
    ).all()
    harbor_used = {h for h, _ in used if h is not None}
    telnet_used = {t for _, t in used if t is not None}
    harbor = next(p for p in range(HARBOR_PORT_BASE, HARBOR_PORT_BASE + PORT_RANGE)
                  if p not in harbor_used)
    telnet = next(p for p in range(TELNET_PORT_BASE, TELNET_PORT_BASE + PORT_RANGE)
                  if p not in telnet_used)
    return harbor, telnet
