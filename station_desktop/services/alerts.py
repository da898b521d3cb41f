"""Alerts: problems stationd noticed (an Icecast that does not answer, a station whose
mounts are gone, a Liquidsoap that does not answer, a Liquidsoap or Icecast that keeps
crashing), for the admin to see and acknowledge.

An alert is *open* while ``cleared_at`` is None. There is at most one open alert per
(server, station, kind): :meth:`AlertService.raise_or_touch` on an open one touches it
(``last_seen_at``, ``failures``, the latest message and severity) instead of adding a row,
so a server that stays down for a day is one alert, not hundreds. :meth:`~AlertService.clear`
closes it when the problem is gone; the next failure opens a new one.

Concurrency: opening an alert takes the write lock of its server row (else of its
station row), so two writers cannot both open one for the same key. An alert with
neither server nor station takes no lock (nothing raises those yet).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from station_desktop.db.engine import Database
from station_desktop.db.models import Alert, Client, StreamServer
from station_desktop.db.types import utcnow
from station_desktop.errors import NotFound, ValidationError
from station_desktop.services._common import (
    aware_instant,
    check_choice,
    check_range,
    lock_row,
    required_text,
)

SEVERITIES = ("warning", "critical")
KNOWN_KINDS = ("icecast_unreachable", "mount_down", "liquidsoap_unreachable",
               "liquidsoap_crashing", "icecast_crashing")
MAX_MESSAGE = 2000
MAX_PAGE = 500
_KIND = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class AlertRecord:
    id: str
    server_id: str | None
    client_id: str | None
    kind: str
    severity: str
    message: str
    raised_at: dt.datetime
    last_seen_at: dt.datetime
    cleared_at: dt.datetime | None
    acknowledged_at: dt.datetime | None
    acknowledged_by: str | None
    failures: int

    @property
    def is_open(self) -> bool:
        return self.cleared_at is None


def _record(row: Alert) -> AlertRecord:
    return AlertRecord(
        id=row.id, server_id=row.serverId, client_id=row.clientId, kind=row.kind,
        severity=row.severity, message=row.message, raised_at=row.raisedAt,
        last_seen_at=row.lastSeenAt, cleared_at=row.clearedAt,
        acknowledged_at=row.acknowledgedAt, acknowledged_by=row.acknowledgedBy,
        failures=row.failures,
    )


def _message(value: str) -> str:
    """One line, at most :data:`MAX_MESSAGE` characters (error texts can be long)."""
    text = " ".join(_CONTROL.sub(" ", str(value)).split())
    if not text:
        raise ValidationError("An alert needs a message.", field="message")
    if len(text) > MAX_MESSAGE:
        text = text[: MAX_MESSAGE - 1] + "\u2026"
    return text


def _kind(value: str) -> str:
    if not isinstance(value, str) or not _KIND.match(value):
        raise ValidationError(
            f"An alert kind is a short lower-case word like 'mount_down'; got {value!r}.",
            field="kind",
        )
    return value


def _instant(value: dt.datetime | None) -> dt.datetime:
    """``at`` as stored; None means now."""
    return utcnow() if value is None else aware_instant(value, "at", "The time")


def _key(server_id: str | None, client_id: str | None, kind: str) -> ColumnElement[bool]:
    server = Alert.serverId.is_(None) if server_id is None else Alert.serverId == server_id
    client = Alert.clientId.is_(None) if client_id is None else Alert.clientId == client_id
    return server & client & (Alert.kind == kind) & Alert.clearedAt.is_(None)


class AlertService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def raise_or_touch(
        self,
        server_id: str | None,
        client_id: str | None,
        kind: str,
        severity: str,
        message: str,
        *,
        at: dt.datetime | None = None,
        failures: int | None = None,
    ) -> AlertRecord:
        """Open an alert, or touch the open one with the same (server, station, kind).

        ``failures`` is the number of consecutive failures the caller has counted (a new
        alert starts with it; a touch adds one, and never goes below it).
        """
        kind = _kind(kind)
        check_choice(severity, "severity", "Severity", SEVERITIES)
        text = _message(message)
        when = _instant(at)
        if failures is not None:
            check_range(failures, "failures", "Failures", 1, 2**31 - 1)
        with self._db.transaction() as s:
            self._lock_owner(s, server_id, client_id)
            row = s.scalars(
                select(Alert).where(_key(server_id, client_id, kind))
                .order_by(Alert.raisedAt.desc(), Alert.id.desc()).limit(1)
            ).first()
            if row is None:
                row = Alert(serverId=server_id, clientId=client_id, kind=kind,
                            severity=severity, message=text, raisedAt=when, lastSeenAt=when,
                            failures=failures or 1)
                s.add(row)
            else:
                row.lastSeenAt = max(row.lastSeenAt, when)
                row.failures = max(row.failures + 1, failures or 0)
                row.severity, row.message = severity, text
            s.flush()
            return _record(row)

    def clear(
        self, server_id: str | None, client_id: str | None, kind: str,
        *, at: dt.datetime | None = None,
    ) -> AlertRecord | None:
        """Close the open alert with this key; None when there is none (nothing to do)."""
        kind = _kind(kind)
        when = _instant(at)
        with self._db.transaction() as s:
            rows = list(s.scalars(select(Alert).where(_key(server_id, client_id, kind))
                                  .order_by(Alert.raisedAt.desc(), Alert.id.desc())
                                  .with_for_update()))
            for row in rows:  # normally one; more only if another writer raced us
                row.clearedAt = max(when, row.raisedAt)
            s.flush()
            return _record(rows[0]) if rows else None

    def open_alert(
        self, server_id: str | None, client_id: str | None, kind: str
    ) -> AlertRecord | None:
        with self._db.read() as s:
            row = s.scalars(select(Alert).where(_key(server_id, client_id, _kind(kind)))
                            .order_by(Alert.raisedAt.desc()).limit(1)).first()
            return _record(row) if row is not None else None

    def list_alerts(
        self,
        open_only: bool = True,
        server_id: str | None = None,
        limit: int = 100,
        *,
        client_id: str | None = None,
    ) -> list[AlertRecord]:
        """Alerts, newest first (by when they were raised)."""
        check_range(limit, "limit", "Page size", 1, MAX_PAGE, "alerts")
        query = select(Alert).order_by(Alert.raisedAt.desc(), Alert.id.desc()).limit(int(limit))
        if open_only:
            query = query.where(Alert.clearedAt.is_(None))
        if server_id is not None:
            query = query.where(Alert.serverId == server_id)
        if client_id is not None:
            query = query.where(Alert.clientId == client_id)
        with self._db.read() as s:
            return [_record(row) for row in s.scalars(query)]

    def acknowledge(
        self, alert_id: str, who: str, *, at: dt.datetime | None = None
    ) -> AlertRecord:
        """Someone has seen it. The first acknowledgement is kept (acknowledging again
        changes nothing)."""
        person = required_text(who, "who", "Who acknowledged")
        when = _instant(at)
        with self._db.transaction() as s:
            row = lock_row(s, Alert, alert_id, "Alert")
            if row.acknowledgedAt is None:
                row.acknowledgedAt, row.acknowledgedBy = when, person
            s.flush()
            return _record(row)

    @staticmethod
    def _lock_owner(s: Session, server_id: str | None, client_id: str | None) -> None:
        """Lock the owner row (serialises openers) and check that both ids exist."""
        if server_id is not None:
            lock_row(s, StreamServer, server_id, "Server")
        if client_id is not None:
            if server_id is None:
                lock_row(s, Client, client_id, "Station")
            elif s.get(Client, client_id) is None:
                raise NotFound("Station", client_id)
