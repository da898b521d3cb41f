"""Per-DJ live logins of a station (issue #8).

Besides the station-wide live login (StreamConfig's user ``source`` and its password, see
:mod:`station_desktop.services.stations`), each DJ may get an account of their own: a
name (what LiveSession records when they go on air), a username they type into BUTT or
Mixxx, and a generated password. The password is shown once, when it is created or
regenerated, and only its salted scrypt hash is stored (``DjAccount.passwordHash``, as JSON
in the format programme.json exports, so the picker's fallback checks it unchanged).

Usernames are lower case (MariaDB compares them without case, SQLite would not: storing
them folded keeps both the same), unique per station, and never the station's own live
user. A disabled account keeps its row but cannot log in.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from station_desktop.control.render.programme import (
    PasswordHash,
    hash_password,
    verify_password,
)
from station_desktop.db.engine import Database
from station_desktop.db.models import Client, DjAccount, row_version
from station_desktop.errors import ValidationError
from station_desktop.services._common import check_version, get_row, lock_row, required_text
from station_desktop.services.stations import LIVE_USER

# 24 random bytes = 192 bits, URL-safe so a DJ can paste it into any encoder.
DJ_PASSWORD_BYTES = 24
USERNAME_MAX = 64
_USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


@dataclass(frozen=True, slots=True)
class DjAccountRecord:
    id: str
    client_id: str
    name: str
    username: str
    active: bool
    created_at: dt.datetime
    updated_at: dt.datetime
    version: str


@dataclass(frozen=True, slots=True)
class DjPassword:
    """An account with its new password: the only time the password is available."""

    account: DjAccountRecord
    password: str


def generate_dj_password() -> str:
    return secrets.token_urlsafe(DJ_PASSWORD_BYTES)


def encode_hash(stored: PasswordHash) -> str:
    return json.dumps(stored.to_json(), separators=(",", ":"), sort_keys=True)


def decode_hash(text: str) -> PasswordHash | None:
    """The stored hash, or None when it is not one (such an account cannot log in)."""
    try:
        data = json.loads(text)
        return PasswordHash(salt=str(data["salt"]), hash=str(data["hash"]), n=int(data["n"]),
                            r=int(data["r"]), p=int(data["p"]), kdf=str(data["kdf"]))
    except (ValueError, TypeError, KeyError):
        return None


@functools.cache
def _dummy_hash() -> PasswordHash:
    """Checked when no account matches, so the time taken does not reveal user names."""
    return hash_password(secrets.token_urlsafe(DJ_PASSWORD_BYTES))


def _record(row: DjAccount) -> DjAccountRecord:
    return DjAccountRecord(
        id=row.id, client_id=row.clientId, name=row.name, username=row.username,
        active=row.isActive, created_at=row.createdAt, updated_at=row.updatedAt,
        version=row_version(row),
    )


def _now() -> dt.datetime:
    now = dt.datetime.now(dt.UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def clean_username(username: str) -> str:
    value = required_text(username, "username", "Username", max_length=USERNAME_MAX).lower()
    if not _USERNAME_RE.match(value):
        raise ValidationError(
            f"Username {value!r} may use only letters, digits, '.', '_' and '-', starting "
            "with a letter or digit (for example dj.maria).", field="username")
    if value == LIVE_USER:
        raise ValidationError(
            f"{LIVE_USER!r} is the station's own live login; choose another username for "
            "the DJ.", field="username")
    return value


class DjAccountService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def list_accounts(self, client_id: str) -> list[DjAccountRecord]:
        with self._db.read() as s:
            get_row(s, Client, client_id, "Station")
            rows = s.scalars(select(DjAccount).where(DjAccount.clientId == client_id)
                             .order_by(DjAccount.name, DjAccount.username, DjAccount.id))
            return [_record(r) for r in rows]

    def get(self, account_id: str) -> DjAccountRecord:
        with self._db.read() as s:
            return _record(get_row(s, DjAccount, account_id, "DJ account"))

    def create(self, client_id: str, name: str, username: str) -> DjPassword:
        """A new active account and its generated password (shown once, never stored)."""
        name = required_text(name, "name", "DJ name")
        username = clean_username(username)
        password = generate_dj_password()
        stored = encode_hash(hash_password(password))
        try:
            with self._db.transaction() as s:
                lock_row(s, Client, client_id, "Station")
                self._check_free(s, client_id, username)
                now = _now()
                row = DjAccount(clientId=client_id, name=name, username=username,
                                passwordHash=stored, isActive=True, createdAt=now,
                                updatedAt=now)
                s.add(row)
                s.flush()
                return DjPassword(_record(row), password)
        except IntegrityError:  # created by someone else at the same moment
            raise _taken(username) from None

    def rename(self, account_id: str, name: str,
               expected_version: str | None = None) -> DjAccountRecord:
        name = required_text(name, "name", "DJ name")
        with self._db.transaction() as s:
            row = self._locked(s, account_id, expected_version)
            row.name, row.updatedAt = name, _now()
            s.flush()
            return _record(row)

    def set_active(self, account_id: str, active: bool) -> DjAccountRecord:
        with self._db.transaction() as s:
            row = self._locked(s, account_id, None)
            if row.isActive != active:
                row.isActive, row.updatedAt = active, _now()
            s.flush()
            return _record(row)

    def regenerate_password(self, account_id: str) -> DjPassword:
        """A new password; the old one stops working from the next login."""
        password = generate_dj_password()
        stored = encode_hash(hash_password(password))
        with self._db.transaction() as s:
            row = self._locked(s, account_id, None)
            row.passwordHash, row.updatedAt = stored, _now()
            s.flush()
            return DjPassword(_record(row), password)

    def delete(self, account_id: str) -> None:
        with self._db.transaction() as s:
            s.delete(lock_row(s, DjAccount, account_id, "DJ account"))

    def check(self, client_id: str, username: str, password: str) -> DjAccountRecord | None:
        """The active account of this station that ``username``/``password`` open, else
        None. One scrypt check whatever the case, so timing does not tell which it was."""
        with self._db.read() as s:
            row = s.scalars(select(DjAccount).where(
                DjAccount.clientId == client_id, DjAccount.username == username)).first()
            record = _record(row) if row is not None else None
            stored = decode_hash(row.passwordHash) if row is not None else None
        # an exact (case-sensitive) match: MariaDB's collation would accept "DJ" for "dj"
        right_user = record is not None and secrets.compare_digest(
            record.username.encode("utf-8", "surrogateescape"),
            username.encode("utf-8", "surrogateescape"))
        right = verify_password(password, stored or _dummy_hash()) and stored is not None
        if record is not None and right_user and right and record.active:
            return record
        return None

    def active_hashes(self, client_id: str) -> list[tuple[DjAccountRecord, PasswordHash]]:
        """The active accounts' stored hashes (what programme.json exports)."""
        out: list[tuple[DjAccountRecord, PasswordHash]] = []
        with self._db.read() as s:
            for row in s.scalars(select(DjAccount).where(
                    DjAccount.clientId == client_id, DjAccount.isActive)
                    .order_by(DjAccount.username, DjAccount.id)):
                stored = decode_hash(row.passwordHash)
                if stored is not None:
                    out.append((_record(row), stored))
        return out

    def _check_free(self, s: Session, client_id: str, username: str) -> None:
        taken = s.scalar(select(DjAccount.id).where(DjAccount.clientId == client_id,
                                                    DjAccount.username == username))
        if taken is not None:
            raise _taken(username)

    def _locked(self, s: Session, account_id: str, expected: str | None) -> DjAccount:
        row = lock_row(s, DjAccount, account_id, "DJ account")
        check_version(row, expected, f"DJ account {row.username!r}")
        return row


def _taken(username: str) -> ValidationError:
    return ValidationError(
        f"This station already has a DJ account with the username {username!r}; choose "
        "another.", field="username")


__all__ = ["DjAccountRecord", "DjAccountService", "DjPassword", "clean_username",
           "decode_hash", "encode_hash", "generate_dj_password"]
