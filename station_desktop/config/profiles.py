"""Connection profiles: the databases the app knows, by name, without their passwords.

A profile is a name, a database URL *without its password*, the station the user had
open last, whether the user administers the fleet (servers and stations) through it, and
where the stations' media files go (a folder this computer can write, such as a mounted
share, or SFTP to each station's streaming server). Profiles live in ``profiles.json`` in
the user's config directory::

    {"version": 2, "last_used": "Production",
     "profiles": [{"name": "Production", "url": "mysql+pymysql://app@db.example.net/radio",
                   "last_station_id": "clv...", "password_in_keyring": true,
                   "is_admin": false, "media_storage": "sftp", "media_root": null,
                   "sftp_user": "radio", "sftp_key_file": "/home/me/.ssh/id_ed25519"}]}

Version 1 files (without the admin flag and the media fields) still load: their profiles
are admin profiles with local media storage, as the app treated them then. The next save
writes version 2.

Passwords go to the OS keyring (service ``station-desktop``, user ``db:<profile name>``) and
never into the file: a URL handed to :meth:`ProfileStore.save` with a password in it is
stripped before it is written. Where no keyring works, saving a password fails with
:class:`KeyringUnavailable` and nothing is written.

The file is replaced atomically (temporary file + ``os.replace``), so a crash leaves the old
or the new version, never half of one. A file that cannot be read is never overwritten:
every operation refuses with :class:`ProfilesFileError` until the user fixes it or
:meth:`ProfileStore.set_aside_damaged_file` moves it aside.
"""

from __future__ import annotations

import builtins
import json
import logging
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import keyring
import keyring.errors
from sqlalchemy import URL, make_url
from sqlalchemy.exc import ArgumentError

from station_desktop.config.paths import config_dir
from station_desktop.errors import NotFound, StationError, ValidationError
from station_desktop.fileio import write_atomically

log = logging.getLogger("station_desktop.config.profiles")

PROFILES_FILE = "profiles.json"
FORMAT_VERSION = 2
KEYRING_SERVICE = "station-desktop"
SUPPORTED_BACKENDS = ("sqlite", "mysql", "mariadb")
MAX_NAME_LENGTH = 200
MAX_PATH_LENGTH = 4096
MEDIA_LOCAL = "local"  # a folder this computer can write (the embedded default, a mounted share)
MEDIA_SFTP = "sftp"  # SFTP to the station's streaming server
MEDIA_STORAGES = (MEDIA_LOCAL, MEDIA_SFTP)
KIND_MYSQL = "mysql"
KIND_SQLITE = "sqlite"
DEFAULT_MYSQL_PORT = 3306


def keyring_username(profile_name: str) -> str:
    return f"db:{profile_name}"


def default_profiles_path() -> Path:
    return config_dir() / PROFILES_FILE


@dataclass(frozen=True, slots=True)
class Profile:
    """A database the app can open. ``url`` never holds a password; ``has_password`` says
    whether one is kept in the OS keyring (the store sets it).

    ``is_admin``: the person using this profile manages servers and stations (the app shows
    those pages); a role in the app, not a database permission. Media storage:
    ``media_storage`` is :data:`MEDIA_LOCAL` (files are written under ``media_root``, a
    folder this computer can write; None means the embedded default) or :data:`MEDIA_SFTP`
    (files go over SFTP to each station's server as ``sftp_user``, authenticated with
    ``sftp_key_file`` or the SSH agent when that is None).
    """

    name: str
    url: str
    last_station_id: str | None = None
    has_password: bool = False
    is_admin: bool = True
    media_storage: str = MEDIA_LOCAL
    media_root: str | None = None
    sftp_user: str | None = None
    sftp_key_file: str | None = None


@dataclass(frozen=True, slots=True)
class DatabaseAddress:
    """A database URL as the connection form shows it: one field per part.

    ``kind`` is :data:`KIND_MYSQL` (MySQL/MariaDB over TCP) or :data:`KIND_SQLITE`, whose
    ``database`` is the path of the file. ``query`` keeps URL options (``charset``, SSL)
    that the form does not show, so editing a profile never drops them.
    """

    kind: str
    host: str = ""
    port: int = DEFAULT_MYSQL_PORT
    user: str = ""
    database: str = ""
    query: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_url(cls, text: str) -> DatabaseAddress:
        """The parts of a stored URL (its password, if any, is ignored)."""
        try:
            url = make_url(text)
        except (ArgumentError, ValueError):
            raise ValidationError(f"{text!r} is not a database URL.", field="url") from None
        query = tuple(sorted((k, v if isinstance(v, str) else ",".join(v))
                             for k, v in url.query.items()))
        if url.get_backend_name() == "sqlite":
            return cls(KIND_SQLITE, database=url.database or "", query=query)
        return cls(KIND_MYSQL, host=url.host or "", port=url.port or DEFAULT_MYSQL_PORT,
                   user=url.username or "", database=url.database or "", query=query)

    def to_url(self) -> str:
        """The URL (without a password); a missing or malformed part raises
        :class:`ValidationError` naming it (``host``, ``port``, ``user``, ``database``)."""
        if self.kind == KIND_SQLITE:
            path = self.database.strip()
            if not path:
                raise ValidationError("Choose the SQLite database file.", field="database")
            if not Path(path).is_absolute():
                raise ValidationError(
                    f"Give the full path of the SQLite database file (not {path!r}).",
                    field="database",
                )
            _single_line(path, "database", "The database file")
            return URL.create("sqlite", database=path, query=dict(self.query)).render_as_string(
                hide_password=False)
        if self.kind != KIND_MYSQL:
            raise ValidationError(f"Unknown kind of database {self.kind!r}.", field="kind")
        host = self.host.strip()
        if not host or any(ch in host for ch in " /@?#"):
            raise ValidationError(
                "Enter the database server's host name or IP address (for example "
                "db.example.net).", field="host")
        if not 1 <= self.port <= 65535:
            raise ValidationError(f"The port must be between 1 and 65535 (got {self.port}).",
                                  field="port")
        user = self.user.strip()
        if not user:
            raise ValidationError("Enter the database user name.", field="user")
        database = self.database.strip()
        if not database or any(ch in database for ch in "/?#"):
            raise ValidationError("Enter the name of the database (for example radio).",
                                  field="database")
        _single_line(user, "user", "The user name")
        return URL.create("mysql+pymysql", username=user, host=host, port=self.port,
                          database=database, query=dict(self.query)).render_as_string(
                              hide_password=False)


class ProfilesFileError(StationError):
    """``profiles.json`` cannot be read; it was left exactly as it is."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(
            f"The connection profiles file {path} cannot be used: {problem}. It was left as "
            "it is. Fix or remove it, or start over with an empty list (the file is then "
            "kept as a .bak copy)."
        )
        self.path = path


class KeyringUnavailable(StationError):
    """No OS keyring works here, so a password cannot be stored or read."""


def _keyring_error(error: keyring.errors.KeyringError, doing: str) -> KeyringUnavailable:
    log.warning("keyring failed while %s: %r", doing, error)
    return KeyringUnavailable(
        f"Passwords cannot be stored securely on this machine: no OS keyring is available "
        f"({type(error).__name__}) while {doing}. Nothing was saved. Start or unlock your "
        "desktop's keyring (GNOME Keyring, KWallet, macOS Keychain, Windows Credential "
        "Manager), or use a connection that needs no password."
    )


@dataclass(slots=True)
class _Contents:
    profiles: builtins.list[Profile]
    last_used: str | None = None

    def index(self, name: str) -> int | None:
        for i, profile in enumerate(self.profiles):
            if profile.name == name:
                return i
        return None


class ProfileStore:
    """The connection profiles of this user (see module docstring)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path if path is not None else default_profiles_path()

    # -- reading ---------------------------------------------------------------------------

    def list(self) -> builtins.list[Profile]:
        """Every profile, in the order they were first saved."""
        return builtins.list(self._load().profiles)

    def get(self, name: str) -> Profile:
        contents = self._load()
        i = contents.index(name)
        if i is None:
            raise NotFound("Connection profile", name)
        return contents.profiles[i]

    @property
    def last_used(self) -> Profile | None:
        """The profile opened last, if it still exists."""
        contents = self._load()
        if contents.last_used is None:
            return None
        i = contents.index(contents.last_used)
        return None if i is None else contents.profiles[i]

    def database_url(self, profile: Profile | str) -> str:
        """The stored profile's URL with its password (from the keyring) put back in.

        This is the one place a password leaves the keyring: pass the result to the engine,
        never to a log or a label (show :func:`~station_desktop.db.engine.safe_url` of it).
        """
        stored = self.get(profile if isinstance(profile, str) else profile.name)
        if not stored.has_password:
            return stored.url
        password = self._read_password(stored.name)
        return with_password(stored.url, password)

    def password(self, profile: Profile | str) -> str | None:
        """The stored profile's password from the keyring (None: it has none). Like
        :meth:`database_url`, for connecting only."""
        stored = self.get(profile if isinstance(profile, str) else profile.name)
        return self._read_password(stored.name) if stored.has_password else None

    # -- writing ---------------------------------------------------------------------------

    def save(
        self,
        profile: Profile,
        password: str | None = None,
        *,
        replaces: str | None = None,
        create: bool = False,
    ) -> Profile:
        """Add or replace the profile named ``profile.name``; returns what was stored.

        The password is ``password`` if given, else the one in ``profile.url`` if any; it
        goes to the keyring and the URL is stored without it. With neither, a password
        stored earlier for this profile is kept; ``password=""`` forgets it.

        ``replaces`` names the profile being edited when the edit renames it: the new name
        takes its place in the list, its stored password (unless a new one is given) and
        its "last used" mark. Renaming onto another existing profile, or ``create=True``
        with a name already taken, is refused with a :class:`ValidationError`.
        """
        name = _check_name(profile.name)
        url_password, url = _split_url(profile.url)
        _check_media(profile)
        contents = self._load()  # a damaged file stops us before the keyring is touched
        old_name = replaces.strip() if replaces is not None else name
        i = contents.index(name)
        if i is not None and (create or old_name != name):
            raise ValidationError(
                f"There is already a connection profile named {name!r}; choose another name.",
                field="name",
            )
        if old_name != name:
            i = contents.index(old_name)
            if i is None:
                raise NotFound("Connection profile", old_name)
        previous = contents.profiles[i] if i is not None else None
        had_password = previous is not None and previous.has_password
        secret = password if password is not None else url_password
        if not secret and password != "" and had_password and old_name != name:
            secret = self._read_password(old_name)  # a rename takes the password along
        if secret:
            try:
                keyring.set_password(KEYRING_SERVICE, keyring_username(name), secret)
            except keyring.errors.KeyringError as error:
                raise _keyring_error(error, f"saving the password of {name!r}") from error
            has_password = True
        elif password == "":
            self._forget_password(old_name, required=had_password)
            has_password = False
        else:
            has_password = had_password
        stored = replace(profile, name=name, url=url, has_password=has_password)
        if i is None:
            contents.profiles.append(stored)
        else:
            contents.profiles[i] = stored
        if old_name != name and contents.last_used == old_name:
            contents.last_used = name
        self._write(contents)
        if old_name != name and secret and had_password:
            self._drop_renamed_password(old_name)
        return stored

    def delete(self, name: str) -> None:
        """Remove the profile and its password."""
        contents = self._load()
        i = contents.index(name)
        if i is None:
            raise NotFound("Connection profile", name)
        self._forget_password(name, required=contents.profiles[i].has_password)
        del contents.profiles[i]
        if contents.last_used == name:
            contents.last_used = None
        self._write(contents)

    def set_last_used(self, name: str | None) -> None:
        contents = self._load()
        if name is not None and contents.index(name) is None:
            raise NotFound("Connection profile", name)
        contents.last_used = name
        self._write(contents)

    def set_aside_damaged_file(self) -> Path | None:
        """Move an unreadable profiles file to ``profiles.json.bak`` (or ``.bak.N``) so
        that the user can start over; returns where it went (None: no file)."""
        if not self.path.exists():
            return None
        target = self.path.with_name(self.path.name + ".bak")
        n = 1
        while target.exists():
            target = self.path.with_name(f"{self.path.name}.bak.{n}")
            n += 1
        os.replace(self.path, target)
        log.warning("moved the damaged profiles file to %s", target)
        return target

    # -- internals ---------------------------------------------------------------------------

    def _read_password(self, name: str) -> str:
        try:
            password = keyring.get_password(KEYRING_SERVICE, keyring_username(name))
        except keyring.errors.KeyringError as error:
            raise _keyring_error(error, f"reading the password of {name!r}") from error
        if password is None:
            raise StationError(
                f"The password of connection profile {name!r} is missing from the OS "
                "keyring. Edit the profile and enter the password again."
            )
        return password

    def _drop_renamed_password(self, old_name: str) -> None:
        """The file no longer points at the old entry: a leftover is harmless, but tidy."""
        try:
            self._forget_password(old_name, required=True)
        except KeyringUnavailable:
            log.warning("the old password entry of %r stayed in the keyring", old_name)

    def _forget_password(self, name: str, *, required: bool) -> None:
        try:
            keyring.delete_password(KEYRING_SERVICE, keyring_username(name))
        except keyring.errors.PasswordDeleteError:
            pass  # there was none
        except keyring.errors.KeyringError as error:
            if required:
                raise _keyring_error(error, f"removing the password of {name!r}") from error

    def _load(self) -> _Contents:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return _Contents([])
        except OSError as error:
            raise ProfilesFileError(self.path, f"it cannot be read ({error.strerror})") from error
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ProfilesFileError(self.path, f"it is not valid JSON ({error})") from error
        return _parse(self.path, data)

    def _write(self, contents: _Contents) -> None:
        data = {
            "version": FORMAT_VERSION,
            "last_used": contents.last_used,
            "profiles": [
                {"name": p.name, "url": p.url, "last_station_id": p.last_station_id,
                 "password_in_keyring": p.has_password, "is_admin": p.is_admin,
                 "media_storage": p.media_storage, "media_root": p.media_root,
                 "sftp_user": p.sftp_user, "sftp_key_file": p.sftp_key_file}
                for p in contents.profiles
            ],
        }
        encoded = (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        write_atomically(self.path, encoded, mode=0o600)


def _check_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise ValidationError("Give the connection profile a name.", field="name")
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationError(
            f"A profile name can have at most {MAX_NAME_LENGTH} characters.", field="name"
        )
    if any(ch in name for ch in "\r\n\t\x00"):
        raise ValidationError("A profile name must be a single line.", field="name")
    return name


def with_password(url: str, password: str | None) -> str:
    """``url`` with ``password`` put in (for connecting, never for storing or showing)."""
    if not password:
        return url
    return make_url(url).set(password=password).render_as_string(hide_password=False)


def _single_line(value: str, field: str, label: str) -> None:
    if len(value) > MAX_PATH_LENGTH:
        raise ValidationError(f"{label} is too long (at most {MAX_PATH_LENGTH} characters).",
                              field=field)
    if any(ch in value for ch in "\r\n\t\x00"):
        raise ValidationError(f"{label} must be a single line.", field=field)


def _check_media(profile: Profile) -> None:
    if profile.media_storage not in MEDIA_STORAGES:
        raise ValidationError(
            f"Media storage must be one of {', '.join(MEDIA_STORAGES)} "
            f"(got {profile.media_storage!r}).", field="media_storage")
    if profile.media_root is not None:
        _single_line(profile.media_root, "media_root", "The media folder")
        if not Path(profile.media_root).is_absolute():
            raise ValidationError(
                f"Give the full path of the media folder (not {profile.media_root!r}).",
                field="media_root")
    if profile.sftp_user is not None:
        _single_line(profile.sftp_user, "sftp_user", "The SFTP user")
    if profile.sftp_key_file is not None:
        _single_line(profile.sftp_key_file, "sftp_key_file", "The key file")
        if not Path(profile.sftp_key_file).expanduser().is_absolute():
            raise ValidationError(
                f"Give the full path of the SSH key file (not {profile.sftp_key_file!r}).",
                field="sftp_key_file")
    if profile.media_storage == MEDIA_SFTP and not (profile.sftp_user or "").strip():
        raise ValidationError("Enter the user that logs in to the servers over SFTP.",
                              field="sftp_user")


def _split_url(text: str) -> tuple[str | None, str]:
    """(password, URL without it) of a database URL the user typed."""
    try:
        url = make_url(text.strip())
    except (ArgumentError, ValueError):
        raise ValidationError(
            "That is not a database URL (expected sqlite:///path/to/station.db or "
            "mysql://user@host/database).",
            field="url",
        ) from None
    backend = url.get_backend_name()
    if backend not in SUPPORTED_BACKENDS:
        raise ValidationError(
            f"Station Desktop works with SQLite and MySQL/MariaDB, not {backend!r}.", field="url"
        )
    password = url.password
    # (URL.set() treats None as "unchanged"; the NamedTuple's _replace really clears it.)
    without = url._replace(password=None)
    return (str(password) if password is not None else None,
            without.render_as_string(hide_password=False))


def _parse(path: Path, data: Any) -> _Contents:
    if not isinstance(data, dict):
        raise ProfilesFileError(path, "it does not hold a JSON object")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ProfilesFileError(path, "it has no format version")
    if version > FORMAT_VERSION:
        raise ProfilesFileError(
            path, f"it was written by a newer version of Station Desktop (format {version})"
        )
    entries = data.get("profiles", [])
    if not isinstance(entries, builtins.list):
        raise ProfilesFileError(path, "its 'profiles' is not a list")
    profiles: builtins.list[Profile] = []
    for n, entry in enumerate(entries, 1):
        if not isinstance(entry, dict):
            raise ProfilesFileError(path, f"profile #{n} is not an object")
        name, url = entry.get("name"), entry.get("url")
        station = entry.get("last_station_id")
        if not isinstance(name, str) or not isinstance(url, str) or not name:
            raise ProfilesFileError(path, f"profile #{n} has no name or URL")
        if station is not None and not isinstance(station, str):
            raise ProfilesFileError(path, f"profile {name!r} has an invalid last station")
        if any(p.name == name for p in profiles):
            raise ProfilesFileError(path, f"profile {name!r} appears twice")
        profiles.append(_parse_v2_fields(
            path, entry, Profile(name, url, station, entry.get("password_in_keyring") is True)))
    last_used = data.get("last_used")
    if last_used is not None and not isinstance(last_used, str):
        raise ProfilesFileError(path, "its 'last_used' is not a profile name")
    return _Contents(profiles, last_used)


def _parse_v2_fields(path: Path, entry: dict[str, Any], profile: Profile) -> Profile:
    """The fields version 2 added; a version 1 entry has none and keeps the defaults."""
    is_admin = entry.get("is_admin", True)
    if not isinstance(is_admin, bool):
        raise ProfilesFileError(path, f"profile {profile.name!r} has an invalid admin flag")
    storage = entry.get("media_storage", MEDIA_LOCAL)
    if storage not in MEDIA_STORAGES:
        raise ProfilesFileError(path, f"profile {profile.name!r} has an unknown media storage "
                                f"{storage!r}")
    texts: dict[str, str | None] = {}
    for key in ("media_root", "sftp_user", "sftp_key_file"):
        value = entry.get(key)
        if value is not None and not isinstance(value, str):
            raise ProfilesFileError(path, f"profile {profile.name!r} has an invalid {key}")
        texts[key] = value
    return replace(profile, is_admin=is_admin, media_storage=storage,
                   media_root=texts["media_root"], sftp_user=texts["sftp_user"],
                   sftp_key_file=texts["sftp_key_file"])
