"""Connection profiles (station_desktop.config.profiles) and the user directories."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import keyring.backends.fail
import pytest
from fake_keyring import MemoryKeyring
from sqlalchemy import make_url

from station_desktop.config import paths
from station_desktop.config.profiles import (
    KEYRING_SERVICE,
    KIND_MYSQL,
    KIND_SQLITE,
    MEDIA_LOCAL,
    MEDIA_SFTP,
    DatabaseAddress,
    KeyringUnavailable,
    Profile,
    ProfilesFileError,
    ProfileStore,
)
from station_desktop.errors import NotFound, StationError, ValidationError

PASSWORD = "p@ss:/w%rd ünï 'q\""
NAME = "Radio \"Ñandú\" 'Sur' 📻"


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def failing_keyring() -> Iterator[keyring.backend.KeyringBackend]:
    previous = keyring.get_keyring()
    backend = keyring.backends.fail.Keyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def store(tmp_path: Path, memory_keyring: MemoryKeyring) -> ProfileStore:
    return ProfileStore(tmp_path / "config" / "profiles.json")


def test_password_in_url_goes_to_the_keyring_not_the_file(
    store: ProfileStore, memory_keyring: MemoryKeyring
) -> None:
    typed = make_url("mysql+pymysql://app@db.example.net:3306/radio?charset=utf8mb4").set(
        password=PASSWORD).render_as_string(hide_password=False)

    saved = store.save(Profile(NAME, typed))

    raw = store.path.read_bytes()
    assert PASSWORD.encode() not in raw
    assert b"ss:/w" not in raw and b"p%40ss" not in raw  # not even URL-encoded
    assert saved.has_password and make_url(saved.url).password is None
    assert memory_keyring.store == {(KEYRING_SERVICE, f"db:{NAME}"): PASSWORD}
    url = make_url(store.database_url(saved))
    assert url.password == PASSWORD
    assert (url.username, url.host, url.port, url.database) == ("app", "db.example.net", 3306,
                                                                "radio")
    assert url.query == {"charset": "utf8mb4"}
    data = json.loads(raw)
    assert data["version"] == 2
    assert data["profiles"][0]["name"] == NAME  # quotes and emoji survive as they are


def test_password_argument_and_round_trip_through_a_new_store(
    store: ProfileStore, memory_keyring: MemoryKeyring
) -> None:
    store.save(Profile("prod", "mysql://app@db/radio", last_station_id="clv123"),
               password=PASSWORD)
    store.save(Profile("local", "sqlite:////home/me/station.db"))

    again = ProfileStore(store.path)
    assert [p.name for p in again.list()] == ["prod", "local"]
    prod = again.get("prod")
    assert prod == Profile("prod", "mysql://app@db/radio", "clv123", has_password=True)
    assert make_url(again.database_url("prod")).password == PASSWORD
    assert again.database_url("local") == "sqlite:////home/me/station.db"
    assert PASSWORD.encode() not in store.path.read_bytes()


def test_saving_again_without_a_password_keeps_it_and_empty_forgets_it(
    store: ProfileStore, memory_keyring: MemoryKeyring
) -> None:
    store.save(Profile("prod", "mysql://app@db/radio"), password="first")
    store.save(Profile("prod", "mysql://app@db/radio", last_station_id="clvX"))
    assert store.get("prod").has_password
    assert make_url(store.database_url("prod")).password == "first"
    assert store.get("prod").last_station_id == "clvX"

    store.save(Profile("prod", "mysql://app@db/radio"), password="")
    assert not store.get("prod").has_password
    assert memory_keyring.store == {}
    assert store.database_url("prod") == "mysql://app@db/radio"


def test_passwordless_urls_never_touch_the_keyring(
    store: ProfileStore, memory_keyring: MemoryKeyring
) -> None:
    store.save(Profile("socket", "mysql://app@localhost/radio"))
    store.save(Profile("file", "sqlite:///relative.db"))
    assert memory_keyring.store == {}
    assert store.database_url(store.get("socket")) == "mysql://app@localhost/radio"


def test_delete_removes_the_profile_and_its_password(
    store: ProfileStore, memory_keyring: MemoryKeyring
) -> None:
    store.save(Profile(NAME, "mysql://app@db/radio"), password=PASSWORD)
    store.save(Profile("other", "mysql://app@db2/radio"), password="other-pw")
    store.set_last_used(NAME)

    store.delete(NAME)

    assert [p.name for p in store.list()] == ["other"]
    assert memory_keyring.store == {(KEYRING_SERVICE, "db:other"): "other-pw"}
    assert store.last_used is None
    with pytest.raises(NotFound, match="Connection profile"):
        store.get(NAME)
    with pytest.raises(NotFound):
        store.delete(NAME)


def test_last_used_survives_a_restart(store: ProfileStore) -> None:
    assert store.last_used is None
    store.save(Profile("a", "sqlite:///a.db"))
    store.save(Profile("b", "sqlite:///b.db"))
    store.set_last_used("b")
    assert ProfileStore(store.path).last_used == Profile("b", "sqlite:///b.db")
    with pytest.raises(NotFound):
        store.set_last_used("nope")
    store.set_last_used(None)
    assert ProfileStore(store.path).last_used is None


def test_invalid_input_is_refused_and_nothing_written(store: ProfileStore) -> None:
    with pytest.raises(ValidationError) as raised:
        store.save(Profile("  ", "sqlite:///a.db"))
    assert raised.value.field == "name"
    with pytest.raises(ValidationError) as raised:
        store.save(Profile("x", "not a url"))
    assert raised.value.field == "url"
    with pytest.raises(ValidationError, match="not 'postgresql'"):
        store.save(Profile("x", "postgresql://u:pw@h/db"))
    assert not store.path.exists()


def test_names_are_trimmed(store: ProfileStore) -> None:
    saved = store.save(Profile("  prod  ", "sqlite:///a.db"))
    assert saved.name == "prod"
    assert store.get("prod") == saved


def test_the_file_is_replaced_atomically_and_private(store: ProfileStore) -> None:
    store.save(Profile("a", "sqlite:///a.db"))
    store.save(Profile("b", "sqlite:///b.db"))
    assert sorted(os.listdir(store.path.parent)) == ["profiles.json"]  # no temp files left
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600


def test_a_corrupt_file_is_refused_and_never_overwritten(
    store: ProfileStore, memory_keyring: MemoryKeyring
) -> None:
    store.path.parent.mkdir(parents=True)
    damaged = b'{"version": 1, "profiles": [{"name": "prod", "url": "mysql://app@db/r"'
    store.path.write_bytes(damaged)

    with pytest.raises(ProfilesFileError, match="not valid JSON") as raised:
        store.list()
    assert str(store.path) in str(raised.value) and "left as it is" in str(raised.value)
    with pytest.raises(ProfilesFileError):
        store.save(Profile("new", "mysql://app@db/r"), password="pw")
    with pytest.raises(ProfilesFileError):
        store.set_last_used(None)
    assert store.path.read_bytes() == damaged
    assert memory_keyring.store == {}  # refused before the keyring was touched

    backup = store.set_aside_damaged_file()

    assert backup == store.path.with_name("profiles.json.bak")
    assert backup.read_bytes() == damaged
    assert store.list() == []
    store.save(Profile("new", "sqlite:///a.db"))
    assert [p.name for p in store.list()] == ["new"]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"\xff\xfe not utf-8", "not valid JSON"),
        (b"[1, 2]", "does not hold a JSON object"),
        (b'{"profiles": []}', "no format version"),
        (b'{"version": 7, "profiles": []}', "newer version of Station Desktop"),
        (b'{"version": 1, "profiles": {"a": 1}}', "is not a list"),
        (b'{"version": 1, "profiles": [{"name": "a"}]}', "has no name or URL"),
        (b'{"version": 1, "profiles": [{"name": "a", "url": "sqlite://"}, '
         b'{"name": "a", "url": "sqlite://"}]}', "appears twice"),
    ],
)
def test_unusable_files_name_the_problem(
    store: ProfileStore, content: bytes, problem: str
) -> None:
    store.path.parent.mkdir(parents=True)
    store.path.write_bytes(content)
    with pytest.raises(ProfilesFileError, match=problem):
        store.list()
    with pytest.raises(ProfilesFileError):
        store.save(Profile("b", "sqlite:///b.db"))
    assert store.path.read_bytes() == content


def test_second_backup_does_not_replace_the_first(store: ProfileStore) -> None:
    store.path.parent.mkdir(parents=True)
    store.path.write_bytes(b"one")
    first = store.set_aside_damaged_file()
    store.path.write_bytes(b"two")
    second = store.set_aside_damaged_file()
    assert first is not None and second is not None and first != second
    assert (first.read_bytes(), second.read_bytes()) == (b"one", b"two")
    assert store.set_aside_damaged_file() is None


def test_without_a_keyring_a_password_is_refused_and_nothing_written(
    tmp_path: Path, failing_keyring: keyring.backend.KeyringBackend
) -> None:
    store = ProfileStore(tmp_path / "profiles.json")
    store.save(Profile("local", "sqlite:///a.db"))  # no password: no keyring needed
    before = store.path.read_bytes()

    with pytest.raises(KeyringUnavailable, match="cannot be stored securely on this machine"):
        store.save(Profile("prod", "mysql://app:secret@db/radio"))
    with pytest.raises(KeyringUnavailable):
        store.save(Profile("prod2", "mysql://app@db/radio"), password="secret")

    assert store.path.read_bytes() == before
    assert [p.name for p in store.list()] == ["local"]
    store.delete("local")  # had no password: deleting needs no keyring either
    assert store.list() == []


def test_without_a_keyring_a_stored_password_cannot_be_read(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    store = ProfileStore(tmp_path / "profiles.json")
    store.save(Profile("prod", "mysql://app@db/radio"), password="secret")
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    try:
        with pytest.raises(KeyringUnavailable, match="reading the password of 'prod'"):
            store.database_url("prod")
        with pytest.raises(KeyringUnavailable):  # the password would be left behind
            store.delete("prod")
        assert [p.name for p in store.list()] == ["prod"]
    finally:
        keyring.set_keyring(previous)


def test_a_password_missing_from_the_keyring_is_a_clear_error(
    store: ProfileStore, memory_keyring: MemoryKeyring
) -> None:
    store.save(Profile("prod", "mysql://app@db/radio"), password="secret")
    memory_keyring.store.clear()
    with pytest.raises(StationError, match="'prod' is missing from the OS keyring"):
        store.database_url("prod")


def test_directories_follow_station_desktop_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(paths.HOME_ENV, str(tmp_path / "home"))
    assert paths.config_dir() == tmp_path / "home" / "config"
    assert paths.data_dir() == tmp_path / "home" / "data"
    assert paths.log_dir() == tmp_path / "home" / "logs"
    assert ProfileStore().path == tmp_path / "home" / "config" / "profiles.json"


def test_directories_default_to_the_platform_conventions(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(paths.HOME_ENV, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    assert paths.config_dir() == tmp_path / "xdg-config" / "station-desktop"
    assert paths.data_dir() == tmp_path / "xdg-data" / "station-desktop"
    assert "station-desktop" in paths.log_dir().parts


# -- format version 2: admin flag, media storage, renames, the form's address -------------


def test_a_version_1_file_still_loads_and_is_rewritten_as_version_2(
    store: ProfileStore, memory_keyring: MemoryKeyring
) -> None:
    store.path.parent.mkdir(parents=True)
    store.path.write_text(json.dumps({
        "version": 1, "last_used": "prod",
        "profiles": [{"name": "prod", "url": "mysql://app@db/radio",
                      "last_station_id": "clv1", "password_in_keyring": True},
                     {"name": "local", "url": "sqlite:////srv/station.db",
                      "last_station_id": None, "password_in_keyring": False}],
    }))
    memory_keyring.set_password(KEYRING_SERVICE, "db:prod", "pw")

    prod = store.get("prod")
    assert prod == Profile("prod", "mysql://app@db/radio", "clv1", has_password=True,
                           is_admin=True, media_storage=MEDIA_LOCAL, media_root=None)
    assert store.last_used == prod

    store.save(Profile("other", "sqlite:////tmp/o.db", is_admin=False))

    data = json.loads(store.path.read_text())
    assert data["version"] == 2
    assert [p["name"] for p in data["profiles"]] == ["prod", "local", "other"]
    assert data["profiles"][0]["is_admin"] is True
    assert data["profiles"][2]["is_admin"] is False
    assert make_url(store.database_url("prod")).password == "pw"
    assert store.last_used == prod


def test_admin_flag_and_media_storage_round_trip(store: ProfileStore) -> None:
    sftp = Profile("remote", "mysql://app@db/radio", is_admin=False, media_storage=MEDIA_SFTP,
                   sftp_user="radio", sftp_key_file="/home/me/.ssh/id_ed25519")
    share = Profile("share", "mysql://app@db2/radio", media_root="/mnt/radio-audio")
    store.save(sftp)
    store.save(share)
    again = ProfileStore(store.path)
    assert again.get("remote") == sftp
    assert again.get("share") == share
    assert again.get("share").media_storage == MEDIA_LOCAL


@pytest.mark.parametrize(
    ("profile", "field", "message"),
    [
        (Profile("x", "sqlite:////a.db", media_storage="ftp"), "media_storage", "one of"),
        (Profile("x", "sqlite:////a.db", media_root="relative/dir"), "media_root", "full path"),
        (Profile("x", "sqlite:////a.db", media_root="/a\nb"), "media_root", "single line"),
        (Profile("x", "sqlite:////a.db", media_storage=MEDIA_SFTP), "sftp_user", "SFTP"),
        (Profile("x", "sqlite:////a.db", media_storage=MEDIA_SFTP, sftp_user="u",
                 sftp_key_file="id_rsa"), "sftp_key_file", "full path"),
    ],
)
def test_bad_media_settings_are_refused_and_nothing_written(
    store: ProfileStore, profile: Profile, field: str, message: str
) -> None:
    with pytest.raises(ValidationError, match=message) as raised:
        store.save(profile)
    assert raised.value.field == field
    assert not store.path.exists()


def test_a_damaged_version_2_entry_is_refused(store: ProfileStore) -> None:
    store.path.parent.mkdir(parents=True)
    store.path.write_text(json.dumps({"version": 2, "profiles": [
        {"name": "a", "url": "sqlite://", "media_storage": "carrier-pigeon"}]}))
    with pytest.raises(ProfilesFileError, match="unknown media storage"):
        store.list()
    store.path.write_text(json.dumps({"version": 2, "profiles": [
        {"name": "a", "url": "sqlite://", "is_admin": "yes"}]}))
    with pytest.raises(ProfilesFileError, match="invalid admin flag"):
        store.list()


def test_renaming_moves_the_password_and_the_last_used_mark(
    store: ProfileStore, memory_keyring: MemoryKeyring
) -> None:
    store.save(Profile("old", "mysql://app@db/radio"), password=PASSWORD)
    store.save(Profile("keep", "sqlite:////k.db"))
    store.set_last_used("old")

    renamed = store.save(Profile("new", "mysql://app@db/radio", is_admin=False),
                         replaces="old")

    assert renamed.has_password and not renamed.is_admin
    assert [p.name for p in store.list()] == ["new", "keep"]  # same place in the list
    assert memory_keyring.store == {(KEYRING_SERVICE, "db:new"): PASSWORD}
    assert store.last_used == renamed
    assert make_url(store.database_url("new")).password == PASSWORD

    store.save(Profile("newer", "mysql://app@db/radio"), password="changed", replaces="new")
    assert memory_keyring.store == {(KEYRING_SERVICE, "db:newer"): "changed"}


def test_renaming_onto_another_profile_or_creating_a_taken_name_is_refused(
    store: ProfileStore, memory_keyring: MemoryKeyring
) -> None:
    store.save(Profile("a", "mysql://app@db/a"), password="pa")
    store.save(Profile("b", "mysql://app@db/b"), password="pb")
    before = store.path.read_bytes()
    with pytest.raises(ValidationError, match="already a connection profile named 'b'"):
        store.save(Profile("b", "mysql://app@db/a"), replaces="a")
    with pytest.raises(ValidationError, match="already") as raised:
        store.save(Profile("a", "sqlite:////x.db"), create=True)
    assert raised.value.field == "name"
    with pytest.raises(NotFound):
        store.save(Profile("c", "sqlite:////x.db"), replaces="gone")
    assert store.path.read_bytes() == before
    assert memory_keyring.store == {(KEYRING_SERVICE, "db:a"): "pa",
                                    (KEYRING_SERVICE, "db:b"): "pb"}


def test_database_address_round_trips_the_form_fields() -> None:
    address = DatabaseAddress(KIND_MYSQL, host="db.example.net", port=3307, user="radio",
                              database="radio_prod")
    url = address.to_url()
    assert url == "mysql+pymysql://radio@db.example.net:3307/radio_prod"
    assert DatabaseAddress.from_url(url) == address
    with_options = DatabaseAddress.from_url(
        "mysql://app:secret@10.0.0.5/radio?charset=utf8mb4&ssl_ca=/etc/ca.pem")
    assert with_options.user == "app" and with_options.port == 3306
    assert with_options.query == (("charset", "utf8mb4"), ("ssl_ca", "/etc/ca.pem"))
    rebuilt = make_url(with_options.to_url())
    assert rebuilt.password is None  # the form never carries the password in the URL
    assert rebuilt.query == {"charset": "utf8mb4", "ssl_ca": "/etc/ca.pem"}
    sqlite = DatabaseAddress(KIND_SQLITE, database="/srv/radio/station.db")
    assert sqlite.to_url() == "sqlite:////srv/radio/station.db"
    assert DatabaseAddress.from_url(sqlite.to_url()) == sqlite


@pytest.mark.parametrize(
    ("address", "field"),
    [
        (DatabaseAddress(KIND_MYSQL, host="", user="u", database="d"), "host"),
        (DatabaseAddress(KIND_MYSQL, host="a b", user="u", database="d"), "host"),
        (DatabaseAddress(KIND_MYSQL, host="h", port=0, user="u", database="d"), "port"),
        (DatabaseAddress(KIND_MYSQL, host="h", port=70000, user="u", database="d"), "port"),
        (DatabaseAddress(KIND_MYSQL, host="h", user=" ", database="d"), "user"),
        (DatabaseAddress(KIND_MYSQL, host="h", user="u", database=""), "database"),
        (DatabaseAddress(KIND_SQLITE, database=""), "database"),
        (DatabaseAddress(KIND_SQLITE, database="relative.db"), "database"),
        (DatabaseAddress("postgres", host="h"), "kind"),
    ],
)
def test_database_address_names_the_field_to_correct(address: DatabaseAddress,
                                                     field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        address.to_url()
    assert raised.value.field == field
