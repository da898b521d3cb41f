"""The server fleet: streaming servers (VPS running Icecast + Liquidsoap) and their load.

The seed's admin API: create, list, update, delete servers. Assigning a station to a server
is :meth:`StationService.assign_server` (it creates or moves the station's StreamConfig).

``currentLoad`` is the number of stations assigned to a server. It is kept in step by the
services that assign and move stations; records report the count from StreamConfig rows,
which stays right even when another program forgot to update the column.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station_desktop.db.engine import Database
from station_desktop.db.models import Client, StreamConfig, StreamServer, StreamStats, row_version
from station_desktop.errors import ServerInUse, ValidationError
from station_desktop.services._common import (
    check_choice,
    check_range,
    check_version,
    clean_text,
    get_row,
    lock_row,
    required_text,
)

SERVER_STATUSES = ("online", "offline", "maintenance")
MAX_CAPACITY = 10_000


@dataclass(frozen=True, slots=True)
class ServerFields:
    """What an admin edits on a server."""

    name: str
    host: str
    port: int = 8000
    capacity: int = 10
    region: str | None = None
    status: str = "online"
    ssh_user: str | None = None  # reach Liquidsoap's telnet through SSH as this user
    ssh_port: int | None = None  # None: 22
    icecast_admin_user: str | None = None  # None: "admin"


@dataclass(frozen=True, slots=True)
class ServerRecord:
    id: str
    name: str
    host: str
    port: int
    capacity: int
    current_load: int
    status: str
    region: str | None
    version: str
    ssh_user: str | None = None
    ssh_port: int | None = None
    icecast_admin_user: str | None = None
    liquidsoap_version: str | None = None  # as Liquidsoap reports it: "2.1.3"

    @property
    def free_slots(self) -> int:
        return max(self.capacity - self.current_load, 0)

    @property
    def fields(self) -> ServerFields:
        return ServerFields(self.name, self.host, self.port, self.capacity, self.region,
                            self.status, self.ssh_user, self.ssh_port, self.icecast_admin_user)


def _validate(fields: ServerFields) -> ServerFields:
    name = required_text(fields.name, "name", "Server name")
    host = required_text(fields.host, "host", "Host")
    if any(ch.isspace() for ch in host) or "/" in host:
        raise ValidationError(
            f"Host {host!r} is not a host name or IP address (no spaces, no scheme or path).",
            field="host",
        )
    check_range(fields.port, "port", "Icecast port", 1, 65535)
    check_range(fields.capacity, "capacity", "Capacity", 1, MAX_CAPACITY, "stations")
    check_choice(fields.status, "status", "Status", SERVER_STATUSES)
    region = clean_text(fields.region, "region", "Region", required=False)
    ssh_user = _account(fields.ssh_user, "ssh_user", "SSH user")
    admin_user = _account(fields.icecast_admin_user, "icecast_admin_user", "Icecast admin user")
    if fields.ssh_port is not None:
        check_range(fields.ssh_port, "ssh_port", "SSH port", 1, 65535)
    return ServerFields(name, host, int(fields.port), int(fields.capacity), region, fields.status,
                        ssh_user, fields.ssh_port, admin_user)


def _account(value: str | None, field: str, label: str) -> str | None:
    account = clean_text(value, field, label, required=False)
    if account is not None and (any(ch.isspace() for ch in account) or ":" in account):
        raise ValidationError(f"{label} {account!r} cannot contain spaces or ':'.", field=field)
    return account


def _record(row: StreamServer, load: int) -> ServerRecord:
    return ServerRecord(
        id=row.id, name=row.name, host=row.host, port=row.port, capacity=row.capacity,
        current_load=load, status=row.status, region=row.region, version=row_version(row),
        ssh_user=row.sshUser, ssh_port=row.sshPort, icecast_admin_user=row.icecastAdminUser,
        liquidsoap_version=row.liquidsoapVersion,
    )


# Three missed 5-minute rounds: older samples no longer say who listens now.
LISTENERS_FRESH_FOR = dt.timedelta(minutes=15)


class FleetService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def create_server(self, fields: ServerFields) -> ServerRecord:
        fields = _validate(fields)
        with self._db.transaction() as s:
            row = StreamServer(
                name=fields.name, host=fields.host, port=fields.port, capacity=fields.capacity,
                currentLoad=0, status=fields.status, region=fields.region,
                sshUser=fields.ssh_user, sshPort=fields.ssh_port,
                icecastAdminUser=fields.icecast_admin_user,
            )
            s.add(row)
            s.flush()
            return _record(row, 0)

    def list_servers(self) -> list[ServerRecord]:
        with self._db.read() as s:
            loads = _loads(s)
            rows = s.scalars(select(StreamServer).order_by(StreamServer.name, StreamServer.id))
            return [_record(row, loads.get(row.id, 0)) for row in rows]

    def get_server(self, server_id: str) -> ServerRecord:
        with self._db.read() as s:
            row = get_row(s, StreamServer, server_id, "Server")
            return _record(row, station_count(s, server_id))

    def update_server(
        self, server_id: str, fields: ServerFields, expected_version: str | None
    ) -> ServerRecord:
        fields = _validate(fields)
        with self._db.transaction() as s:
            row = lock_row(s, StreamServer, server_id, "Server")
            check_version(row, expected_version, f"Server {row.name!r}")
            load = station_count(s, server_id)
            if fields.capacity < load:
                raise ValidationError(
                    f"Capacity {fields.capacity} is below the {load} stations already assigned "
                    f"to {row.name!r}; move stations away first.",
                    field="capacity",
                )
            row.name, row.host, row.port = fields.name, fields.host, fields.port
            row.capacity, row.region, row.status = fields.capacity, fields.region, fields.status
            row.sshUser, row.sshPort = fields.ssh_user, fields.ssh_port
            row.icecastAdminUser = fields.icecast_admin_user
            row.currentLoad = load
            s.flush()
            return _record(row, load)

    def set_status(
        self, server_id: str, status: str, *, only_if: tuple[str, ...] | None = None
    ) -> ServerRecord:
        """Set online/offline/maintenance without a version check (the daemon's path).

        ``only_if``: change it only when the current status is one of these (checked under
        the row lock), e.g. the daemon marks a server offline only if it was online, so a
        server an admin put in maintenance stays there.
        """
        check_choice(status, "status", "Status", SERVER_STATUSES)
        with self._db.transaction() as s:
            row = lock_row(s, StreamServer, server_id, "Server")
            if only_if is None or row.status in only_if:
                row.status = status
            s.flush()
            return _record(row, station_count(s, server_id))

    def set_liquidsoap_version(self, server_id: str, version: str) -> ServerRecord:
        """Record the Liquidsoap release the server runs (as read over telnet)."""
        version = required_text(version, "liquidsoap_version", "Liquidsoap version", 32)
        if not re.fullmatch(r"\d+\.\d+(\.\d+)?([-+~][\w.]+)?", version):
            raise ValidationError(
                f"{version!r} is not a Liquidsoap version number (like 2.1.3).",
                field="liquidsoap_version",
            )
        with self._db.transaction() as s:
            row = lock_row(s, StreamServer, server_id, "Server")
            row.liquidsoapVersion = version
            s.flush()
            return _record(row, station_count(s, server_id))

    def delete_server(self, server_id: str, expected_version: str | None = None) -> None:
        """Delete a server; refused while stations are still assigned to it."""
        with self._db.transaction() as s:
            row = lock_row(s, StreamServer, server_id, "Server")
            check_version(row, expected_version, f"Server {row.name!r}")
            stations = list(
                s.scalars(
                    select(Client.name)
                    .join(StreamConfig, StreamConfig.clientId == Client.id)
                    .where(StreamConfig.serverId == server_id)
                    .order_by(Client.name)
                )
            )
            if stations:
                raise ServerInUse(row.name, stations)
            s.delete(row)

    def listeners_now(self, *, fresh_for: dt.timedelta = LISTENERS_FRESH_FOR) -> dict[str, int]:
        """Listeners per server now: the sum of the latest StreamStats sample of each
        station assigned to it (stationd writes them). Samples older than ``fresh_for`` do
        not count (a station whose stationd stopped has no listeners "now"), which also
        keeps the read to the recent end of the table."""
        since = dt.datetime.now(dt.UTC) - fresh_for
        latest = (
            select(StreamStats.clientId, func.max(StreamStats.timestamp).label("at"))
            .where(StreamStats.timestamp >= since)
            .group_by(StreamStats.clientId)
            .subquery()
        )
        query = (
            select(StreamConfig.serverId, func.sum(StreamStats.listeners))
            .join(latest, latest.c.clientId == StreamConfig.clientId)
            .join(StreamStats, (StreamStats.clientId == latest.c.clientId)
                  & (StreamStats.timestamp == latest.c.at))
            .group_by(StreamConfig.serverId)
        )
        with self._db.read() as s:
            return {server_id: int(total or 0) for server_id, total in s.execute(query).all()}

    def least_loaded_server(self) -> ServerRecord | None:
        """The online server with the most free slots (ties: lowest load, then name)."""
        candidates = [
            server for server in self.list_servers()
            if server.status == "online" and server.free_slots > 0
        ]
        if not candidates:
            return None
        return min(candidates, key=lambda sv: (-sv.free_slots, sv.current_load, sv.name))


def station_count(session: Session, server_id: str) -> int:
    """Stations assigned to ``server_id`` (the authoritative load)."""
    return int(
        session.scalar(
            select(func.count()).select_from(StreamConfig).where(StreamConfig.serverId == server_id)
        ) or 0
    )


def _loads(session: Session) -> dict[str, int]:
    rows = session.execute(
        select(StreamConfig.serverId, func.count()).group_by(StreamConfig.serverId)
    ).all()
    return {server_id: int(count) for server_id, count in rows}
