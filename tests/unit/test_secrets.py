"""stationd's secrets: systemd credentials, an owner-only file, or the keyring."""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest

from station_desktop.config.secrets import KEYRING_SERVICE, SecretError, SecretStore


def _secret(directory: Path, name: str, value: str, mode: int = 0o600) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(value + "\n", encoding="utf-8")
    path.chmod(mode)
    return path


def test_owner_only_file_is_read_without_its_newline(tmp_path: Path) -> None:
    _secret(tmp_path / "secrets", "icecast-source-password", "s3cr3t \"quoted\"")
    store = SecretStore(tmp_path / "secrets", use_keyring=False)
    assert store.get("icecast-source-password") == 's3cr3t "quoted"'


def test_world_readable_file_is_refused_not_used(tmp_path: Path) -> None:
    path = _secret(tmp_path / "secrets", "db-password", "leaky", mode=0o644)
    store = SecretStore(tmp_path / "secrets", use_keyring=False)
    with pytest.raises(SecretError, match="can be read by other users") as info:
        store.get("db-password")
    assert f"chmod 600 {path}" in str(info.value)
    assert "leaky" not in str(info.value)


def test_systemd_credentials_come_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _secret(tmp_path / "secrets", "db-password", "from-file")
    # systemd makes credential files 0400 or 0440 owned by root: no mode check there.
    _secret(tmp_path / "creds", "db-password", "from-systemd", mode=0o440)
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(tmp_path / "creds"))
    assert SecretStore(tmp_path / "secrets").get("db-password") == "from-systemd"


def test_keyring_is_the_last_resort(tmp_path: Path) -> None:
    keyring.set_password(KEYRING_SERVICE, "icecast-admin-password", "from-keyring")
    try:
        store = SecretStore(tmp_path / "missing")
        assert store.get("icecast-admin-password") == "from-keyring"
        assert SecretStore(tmp_path / "missing", use_keyring=False).get(
            "icecast-admin-password") is None
    finally:
        keyring.delete_password(KEYRING_SERVICE, "icecast-admin-password")


def test_missing_secret_says_where_to_put_it(tmp_path: Path) -> None:
    store = SecretStore(tmp_path / "secrets", use_keyring=False)
    with pytest.raises(SecretError, match="LoadCredential=db-password"):
        store.require("db-password")


@pytest.mark.parametrize("name", ["../etc/shadow", "a/b", "", "UPPER", "x" * 70])
def test_names_cannot_leave_the_directory(tmp_path: Path, name: str) -> None:
    with pytest.raises(SecretError, match="not a valid secret name"):
        SecretStore(tmp_path).get(name)
