"""Pure renderers: data in, text out (no I/O except ``write_programme_atomically``).

- :mod:`.liquidsoap`: a station's Liquidsoap script (``render_station_script``).
- :mod:`.icecast`: a server's icecast.xml (``render_icecast_xml``) and mount naming.
- :mod:`.programme`: the programme.json export the AutoDJ picker reads.
- :mod:`.m3u`: the exported main playlist (Liquidsoap's local fallback).
- :mod:`.escaping`: Liquidsoap string literals and ``annotate:`` URIs.

The design in a page: ``liquidsoap/README.md``; Icecast side: ``icecast/README.md``.
"""

from station_desktop.control.render.escaping import RenderError, UnsafePath
from station_desktop.control.render.icecast import (
    FallbackFile,
    IcecastSpec,
    IcecastStation,
    bitrate_mount,
    fallback_files,
    render_icecast_xml,
    station_mounts,
)
from station_desktop.control.render.liquidsoap import (
    LiquidsoapDialect,
    StationScriptSpec,
    render_station_script,
)
from station_desktop.control.render.m3u import render_m3u
from station_desktop.control.render.programme import (
    LiveAccount,
    ProgrammeBlock,
    ProgrammePlaylist,
    ProgrammeStation,
    ProgrammeTrack,
    build_programme,
    hash_password,
    write_programme_atomically,
)

__all__ = [
    "FallbackFile",
    "IcecastSpec",
    "IcecastStation",
    "LiquidsoapDialect",
    "LiveAccount",
    "ProgrammeBlock",
    "ProgrammePlaylist",
    "ProgrammeStation",
    "ProgrammeTrack",
    "RenderError",
    "StationScriptSpec",
    "UnsafePath",
    "bitrate_mount",
    "build_programme",
    "fallback_files",
    "hash_password",
    "render_icecast_xml",
    "render_m3u",
    "render_station_script",
    "station_mounts",
    "write_programme_atomically",
]
