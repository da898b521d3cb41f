"""Fixtures for the renderer and picker tests: the picker module loaded from its file and a
programme directory with real (tiny) files."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from station_desktop.control.render.m3u import render_m3u
from station_desktop.control.render.programme import (
    LiveAccount,
    ProgrammeBlock,
    ProgrammePlaylist,
    ProgrammeStation,
    ProgrammeTrack,
    build_programme,
    main_playlist_tracks,
    write_programme_atomically,
)

PICKER_PATH = Path(__file__).resolve().parents[3] / "liquidsoap" / "picker.py"


def load_picker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("sd_picker_under_test", PICKER_PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses need the module registered
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def picker() -> ModuleType:
    return load_picker()


def make_tracks(directory: Path, prefix: str, count: int) -> tuple[ProgrammeTrack, ...]:
    """``count`` tracks whose files exist (empty files: the picker only checks existence)."""
    directory.mkdir(parents=True, exist_ok=True)
    tracks = []
    for i in range(count):
        path = directory / f"{prefix}{i}.mp3"
        path.write_bytes(b"")
        tracks.append(ProgrammeTrack(audio_id=f"{prefix}{i}", path=str(path),
                                     title=f"{prefix} title {i}", artist="Artist"))
    return tuple(tracks)


WriteProgramme = Callable[..., Path]


@pytest.fixture
def write_programme(tmp_path: Path) -> WriteProgramme:
    """``write_programme(playlists, main_playlist_id, **build_kwargs)`` -> programme dir."""

    def write(playlists: Sequence[ProgrammePlaylist], main_playlist_id: str | None,
              *, timezone: str = "UTC", schedule: Sequence[ProgrammeBlock] = (),
              live_accounts: Sequence[LiveAccount] = (), **kwargs: Any) -> Path:
        directory = tmp_path / "programme"
        programme = build_programme(
            station=ProgrammeStation("st1", "Station", timezone), playlists=playlists,
            main_playlist_id=main_playlist_id, schedule=schedule,
            live_accounts=live_accounts, **kwargs,
        )
        m3u = render_m3u(main_playlist_tracks(playlists, main_playlist_id),
                         playlist_id=main_playlist_id)
        write_programme_atomically(directory, programme, m3u)
        return directory

    return write
