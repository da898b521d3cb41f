"""Secrets for stationd (Icecast source/admin passwords, the database password).

Never in the configuration file, never in logs. Looked up, in order:

1. systemd credentials: ``$CREDENTIALS_DIRECTORY/<name>`` (``LoadCredential=`` in the unit);
2. a secrets directory named in the configuration (default ``/etc/stationd/secrets``), one
   file per secret, which must be readable by its owner only (a group- or world-readable
   file is refused, not used);
3. the OS keyring (service ``stationd``), where one exists (desktops; not a headless VPS).

Names are simple words (``icecast-source-password``), so a name can never climb out of the
directory.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

import keyring
import keyring.errors

from station_desktop.errors import StationError

KEYRING_SERVICE = "stationd"
DEFAULT_SECRETS_DIR = Path("/etc/stationd/secrets")
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")


class SecretError(StationError):
    """A secret is missing or stored unsafely."""


@dataclass(frozen=True)
class SecretStore:
    secrets_dir: Path | None = DEFAULT_SECRETS_DIR
    use_keyring: bool = True

    def get(self, name: str) -> str | None:
        """The secret's value, or None when no source has it."""
        if not _NAME.match(name):
            raise SecretError(f"{name!r} is not a valid secret name")
        credentials = os.environ.get("CREDENTIALS_DIRECTORY")
        if credentials:
            value = _read(Path(credentials) / name, check_mode=False)
            if value is not None:
                return value
        if self.secrets_dir is not None:
            value = _read(self.secrets_dir / name, check_mode=True)
            if value is not None:
                return value
        if self.use_keyring:
            try:
                return keyring.get_password(KEYRING_SERVICE, name)
            except keyring.errors.KeyringError:
                return None  # no keyring on this machine: not an error, just not here
        return None

    def require(self, name: str) -> str:
        value = self.get(name)
        if value is None:
            where = f"{self.secrets_dir}/{name}" if self.secrets_dir else "a secrets directory"
            raise SecretError(
                f"The secret {name!r} is not configured. Put it in {where} (mode 0600, owned "
                f"by the user stationd runs as), or give it to the systemd unit with "
                f"LoadCredential={name}:<file>."
            )
        return value


def _read(path: Path, *, check_mode: bool) -> str | None:
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise SecretError(f"The secret file {path} cannot be read: {error.strerror}.") from None
    if check_mode and info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise SecretError(
            f"The secret file {path} can be read by other users (mode "
            f"{stat.S_IMODE(info.st_mode):04o}); it was not used. Fix it with: chmod 600 {path}"
        )
    try:
        value = path.read_text(encoding="utf-8")
    except OSError as error:
        raise SecretError(f"The secret file {path} cannot be read: {error.strerror}.") from None
    return value.rstrip("\r\n")
