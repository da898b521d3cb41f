"""Connection profiles: the databases the app knows, by name, without their passwords.

A profile is a name, a database URL *without its password*, and the station the user had
open last. Profiles live in ``profiles.json`` in the user's config directory::

    {"version": 1, "last_used": "Production",
     "profiles": [{"name": "Production", "url": "mysql+pymysql://app@db.example.net/radio",
                   "last_station_id": "clv...", "password_in_keyring": true}]}

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
import contextlib
import json
import logging
import os
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import keyring
import keyring.errors
from sqlalchemy import make_url
from sqlalchemy.exc import ArgumentError

from station_desktop.config.paths import config_dir
from station_desktop.errors import NotFound, StationError, ValidationError

log = logging.getLogger("station_desktop.config.profiles")

PROFILES_FILE = "profiles.json"
FORMAT_VERSION = 1
KEYRING_SERVICE = "station-desktop"
SUPPORTED_BACKENDS = ("sqlite", "mysql", "mariadb")
MAX_NAME_LENGTH = 200


def keyring_username(profile_name: str) -> str:
    return f"db:{profile_name}"


def default_profiles_path() -> Path:
    return config_dir() / PROFILES_FILE


@dataclass(frozen=True, slots=True)
class Profile:
    """A database the app can open. ``url`` never holds a password; ``has_password`` says
    whether one is kept in the OS keyring (the store sets it)."""

    name: str
    url: str
    last_station_id: str | None = None
    has_password: bool = False


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
        try:
            password = keyring.get_password(KEYRING_SERVICE, keyring_username(stored.name))
        except keyring.errors.KeyringError as error:
            raise _keyring_error(error, f"reading the password of {stored.name!r}") from error
        if password is None:
            raise StationError(
                f"The password of connection profile {stored.name!r} is missing from the OS "
                "keyring. Edit the profile and enter the password again."
            )
        return make_url(stored.url).set(password=password).render_as_string(hide_password=False)

    # -- writing ---------------------------------------------------------------------------

    def save(self, profile: Profile, password: str | None = None) -> Profile:
        """Add or replace the profile named ``profile.name``; returns what was stored.

        The password is ``password`` if given, else the one in ``profile.url`` if any; it
        goes to the keyring and the URL is stored without it. With neither, a password
        stored earlier for this profile is kept; ``password=""`` forgets it.
        """
        name = _check_name(profile.name)
        url_password, url = _split_url(profile.url)
        contents = self._load()  # a damaged file stops us before the keyring is touched
        i = contents.index(name)
        previous = contents.profiles[i] if i is not None else None
        secret = password if password is not None else url_password
        username = keyring_username(name)
        if secret:
            try:
                keyring.set_password(KEYRING_SERVICE, username, secret)
            except keyring.errors.KeyringError as error:
                raise _keyring_error(error, f"saving the password of {name!r}") from error
            has_password = True
        elif password == "":
            self._forget_password(name, required=previous is not None and previous.has_password)
            has_password = False
        else:
            has_password = previous.has_password if previous is not None else False
        stored = replace(profile, name=name, url=url, has_password=has_password)
        if i is None:
            contents.profiles.append(stored)
        else:
            contents.profiles[i] = stored
        self._write(contents)
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
                 "password_in_keyring": p.has_password}
                for p in contents.profiles
            ],
        }
        encoded = (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        _atomic_write(self.path, encoded)


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
        profiles.append(Profile(name, url, station, entry.get("password_in_keyring") is True))
    last_used = data.get("last_used")
    if last_used is not None and not isinstance(last_used, str):
        raise ProfilesFileError(path, "its 'last_used' is not a profile name")
    return _Contents(profiles, last_used)


def _atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that readers see the old or the new file, whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:  # mkstemp made it private (0600)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise
    if hasattr(os, "O_DIRECTORY"):  # make the rename itself durable (POSIX)
        dir_fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
