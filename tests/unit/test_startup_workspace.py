"""What the app opens at start: embedded demo on first start, else the last profile."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import make_url

from station_desktop.config.profiles import Profile, ProfileStore
from station_desktop.errors import SchemaMismatch, StationError
from station_desktop.services.fleet import ServerFields
from station_desktop.services.workspace import Workspace, open_startup_workspace


def _open(store: ProfileStore, data: Path, **kwargs: str) -> Workspace:
    return open_startup_workspace(store, data, **kwargs)  # type: ignore[arg-type]


def test_first_start_opens_the_embedded_demo(tmp_path: Path) -> None:
    store = ProfileStore(tmp_path / "profiles.json")
    workspace = _open(store, tmp_path / "data")
    try:
        assert workspace.embedded
        assert [s.name for s in workspace.stations.list_stations()] == ["Demo Radio"]
        assert (tmp_path / "data" / "station-desktop.db").is_file()
    finally:
        workspace.close()
    again = _open(store, tmp_path / "data")  # the demo is made once, not on every start
    try:
        assert len(again.stations.list_stations()) == 1
    finally:
        again.close()


def test_last_used_profile_reopens(database_url: str, tmp_path: Path) -> None:
    parsed = make_url(database_url)
    store = ProfileStore(tmp_path / "profiles.json")
    store.save(Profile("Office", parsed.set(password=None).render_as_string(False)),
               password=parsed.password)
    store.set_last_used("Office")
    workspace = _open(store, tmp_path / "data")
    try:
        assert not workspace.embedded and workspace.profile_name == "Office"
        workspace.fleet.create_server(ServerFields("from-profile", "10.1.1.1"))
        assert "Office" in workspace.display_name
    finally:
        workspace.close()
    assert not (tmp_path / "data").exists()  # no embedded database was created


def test_unknown_profile_and_unmigrated_database_are_clear_errors(
    empty_database_url: str, tmp_path: Path
) -> None:
    store = ProfileStore(tmp_path / "profiles.json")
    with pytest.raises(StationError, match="Nowhere"):
        _open(store, tmp_path / "data", profile_name="Nowhere")
    with pytest.raises(SchemaMismatch, match="stationd db upgrade"):
        _open(store, tmp_path / "data", database_url=empty_database_url)
