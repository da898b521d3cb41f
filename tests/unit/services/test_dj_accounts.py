"""Per-DJ live accounts: every operation and its refusals, on SQLite and MariaDB."""

from __future__ import annotations

import json

import pytest
from helpers.factories import make_station
from sqlalchemy import select

from station_desktop.db.engine import Database
from station_desktop.db.models import Client, DjAccount
from station_desktop.errors import Conflict, NotFound, ValidationError
from station_desktop.services.dj_accounts import DjAccountService
from station_desktop.services.stations import StationService


@pytest.fixture
def djs(db: Database) -> DjAccountService:
    return DjAccountService(db)


def test_create_returns_the_password_once_and_stores_only_a_hash(
    db: Database, djs: DjAccountService
) -> None:
    station = make_station(db).id
    made = djs.create(station, "  María López ", "DJ.Maria")
    assert made.account.name == "María López" and made.account.username == "dj.maria"
    assert made.account.active and made.account.client_id == station
    assert len(made.password) >= 22  # 24 random bytes: 192 bits, URL-safe text
    with db.read() as s:
        stored = s.scalars(select(DjAccount.passwordHash)).one()
    assert made.password not in stored
    assert json.loads(stored)["kdf"] == "scrypt"
    assert djs.check(station, "dj.maria", made.password) == djs.get(made.account.id)
    assert djs.list_accounts(station) == [djs.get(made.account.id)]
    assert djs.create(station, "Other", "other").password != made.password


def test_check_refuses_wrong_passwords_users_stations_and_disabled_accounts(
    db: Database, djs: DjAccountService
) -> None:
    station, other = make_station(db).id, make_station(db).id
    made = djs.create(station, "Ana", "ana")
    for station_id, user, attempt in [
        (station, "ana", made.password + "x"), (station, "ana", ""),
        (station, "ANA", made.password), (station, "bob", made.password),
        (other, "ana", made.password), (station, "ana", made.password.upper()),
    ]:
        assert djs.check(station_id, user, attempt) is None, (station_id, user, attempt)

    djs.set_active(made.account.id, False)
    assert not djs.get(made.account.id).active
    assert djs.check(station, "ana", made.password) is None
    djs.set_active(made.account.id, True)
    assert djs.check(station, "ana", made.password) is not None

    new = djs.regenerate_password(made.account.id)
    assert new.password != made.password
    assert djs.check(station, "ana", made.password) is None
    assert djs.check(station, "ana", new.password) is not None

    djs.delete(made.account.id)
    assert djs.check(station, "ana", new.password) is None
    assert djs.list_accounts(station) == []
    with pytest.raises(NotFound):
        djs.delete(made.account.id)


def test_usernames_are_unique_per_station_and_never_the_station_login(
    db: Database, djs: DjAccountService
) -> None:
    station, other = make_station(db).id, make_station(db).id
    djs.create(station, "Ana", "ana")
    with pytest.raises(ValidationError, match="already has a DJ account") as raised:
        djs.create(station, "Ana bis", "Ana")
    assert raised.value.field == "username"
    assert djs.create(other, "Ana", "ana").account.client_id == other  # another station
    for bad in ("source", "SOURCE", "", "   ", "ana maria", "-ana", "a" * 65, "ana\n"):
        with pytest.raises(ValidationError) as raised:
            djs.create(station, "X", bad)
        assert raised.value.field == "username", bad
    with pytest.raises(ValidationError) as raised:
        djs.create(station, "  ", "fine")
    assert raised.value.field == "name"
    with pytest.raises(NotFound):
        djs.create("no-such-station", "X", "x")
    assert [a.username for a in djs.list_accounts(station)] == ["ana"]


def test_rename_checks_the_version_and_the_station_login_keeps_working(
    db: Database, djs: DjAccountService
) -> None:
    station = make_station(db).id
    made = djs.create(station, "Ana", "ana")
    renamed = djs.rename(made.account.id, "Ana Torres", made.account.version)
    assert renamed.name == "Ana Torres" and renamed.username == "ana"
    with pytest.raises(Conflict):
        djs.rename(made.account.id, "Stale", made.account.version)
    with pytest.raises(ValidationError):
        djs.rename(made.account.id, "", None)
    stations = StationService(db)
    password = stations.get_live_credentials(station).password
    assert stations.check_live_password(station, password)


def test_accounts_go_with_their_station(db: Database, djs: DjAccountService) -> None:
    station = make_station(db, assign=False).id
    djs.create(station, "Ana", "ana")
    with db.transaction() as s:
        s.delete(s.get(Client, station))
    with db.read() as s:
        assert s.scalars(select(DjAccount)).all() == []
