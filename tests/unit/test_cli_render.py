"""stationd render: files for the streaming server, secrets from the secret store."""

from __future__ import annotations

import stat
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from helpers.factories import make_station

from station_desktop.daemon.cli import main
from station_desktop.db.engine import Database
from station_desktop.services.stations import StationService


@pytest.fixture
def secrets_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "secrets"
    directory.mkdir()
    for name, value in (("icecast-source-password", "src-Sëcret"),
                        ("icecast-admin-password", "adm<in>")):
        (directory / name).write_text(value + "\n")
        (directory / name).chmod(0o600)
    return directory


def test_render_liquidsoap_writes_the_script_owner_readable(
    db: Database, database_url: str, secrets_dir: Path, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    station = make_station(db, "Render Me")
    out = tmp_path / "out"
    code = main(["render", "liquidsoap", "--station", station.id, "--database-url", database_url,
                 "--secrets-dir", str(secrets_dir), "--out", str(out),
                 "--stations-dir", str(tmp_path / "stations")])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    script = (out / "station.liq").read_text()
    config = StationService(db).get_config(station.id)
    assert f"settings.server.telnet.port.set({config.telnet_port})" in script
    assert 'password="src-Sëcret"' in script
    assert stat.S_IMODE((out / "station.liq").stat().st_mode) == 0o640
    assert "src-Sëcret" not in captured.out + captured.err


def test_render_icecast_and_programme(
    db: Database, database_url: str, secrets_dir: Path, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    station = make_station(db, "Ice")
    config = StationService(db).get_config(station.id)
    assert main(["render", "icecast", "--server", config.server_id, "--database-url",
                 database_url, "--secrets-dir", str(secrets_dir)]) == 0
    root = ET.fromstring(capsys.readouterr().out.encode())
    assert root.findtext("authentication/admin-password") == "adm<in>"
    assert f"{config.mountpoint}-128" in {m.findtext("mount-name") for m in root.iter("mount")}
    args = ["render", "programme", "--station", station.id, "--database-url", database_url,
            "--secrets-dir", str(secrets_dir), "--stations-dir", str(tmp_path / "st")]
    assert main(args) == 0
    assert capsys.readouterr().out.startswith("updated:")
    assert main(args) == 0
    assert capsys.readouterr().out.startswith("unchanged:")
    assert (tmp_path / "st" / station.id / "programme.json").is_file()


def test_missing_or_exposed_secret_is_refused(
    db: Database, database_url: str, secrets_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    station = make_station(db, "Secretless")
    base = ["render", "liquidsoap", "--station", station.id, "--database-url", database_url]
    (secrets_dir / "icecast-source-password").chmod(0o644)
    assert main([*base, "--secrets-dir", str(secrets_dir)]) == 1
    err = capsys.readouterr().err
    assert "can be read by other users" in err and "src-Sëcret" not in err
    empty = secrets_dir.parent / "empty"
    empty.mkdir()
    assert main([*base, "--secrets-dir", str(empty)]) == 1
    assert "icecast-source-password" in capsys.readouterr().err
    assert main(["render", "liquidsoap", "--station", "nope", "--database-url", database_url,
                 "--secrets-dir", str(secrets_dir)]) == 1
