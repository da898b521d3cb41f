"""icecast.xml: structure, limits, mounts, aliases, fallbacks and escaping."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace

import defusedxml.ElementTree as SafeET  # type: ignore[import-untyped,unused-ignore]
import pytest

from station_desktop.control.render.escaping import RenderError
from station_desktop.control.render.icecast import (
    FallbackFile,
    IcecastSpec,
    IcecastStation,
    bitrate_mount,
    fallback_files,
    icecast_limits,
    public_mount_target,
    render_icecast_xml,
    station_mounts,
)

JAZZ = IcecastStation("st1", "/jazz", (128, 64), 50)
ROCK = IcecastStation("st2", "/rock.mp3", (128,), 200, source_password='s<&>"\'x')


def make_spec(**changes: object) -> IcecastSpec:
    spec = IcecastSpec(hostname="radio.example.org", port=8000, source_password="src",
                       admin_password="adm", capacity=10, stations=(JAZZ, ROCK))
    return replace(spec, **changes)  # type: ignore[arg-type]


def parse(spec: IcecastSpec) -> ET.Element:
    root: ET.Element = SafeET.fromstring(render_icecast_xml(spec).encode("utf-8"))
    return root


def test_mount_naming() -> None:
    assert bitrate_mount("/jazz", 128) == "/jazz-128"
    assert bitrate_mount("/jazz.mp3", 64) == "/jazz-64.mp3"
    assert bitrate_mount("/a.b", 64) == "/a.b-64"
    assert station_mounts("/jazz", (128, 64, 128)) == [(64, "/jazz-64"), (128, "/jazz-128")]
    assert public_mount_target("/jazz", (64, 320, 128)) == "/jazz-320"
    for bad in ("jazz", "/", "/a b", "/" + "x" * 70):
        with pytest.raises(RenderError):
            bitrate_mount(bad, 128)
    with pytest.raises(RenderError):
        bitrate_mount("/jazz", 0)
    with pytest.raises(RenderError):
        station_mounts("/jazz", ())


def test_document_structure() -> None:
    root = parse(make_spec(bind_address="127.0.0.1", changeowner=("icecast2", "icecast"),
                           pidfile="/run/icecast.pid", relay_password="rel"))
    assert root.tag == "icecast"
    assert root.findtext("hostname") == "radio.example.org"
    assert root.findtext("listen-socket/port") == "8000"
    assert root.findtext("listen-socket/bind-address") == "127.0.0.1"
    assert root.findtext("authentication/source-password") == "src"
    assert root.findtext("authentication/relay-password") == "rel"
    assert root.findtext("authentication/admin-user") == "admin"
    assert root.findtext("authentication/admin-password") == "adm"
    assert root.findtext("paths/pidfile") == "/run/icecast.pid"
    assert root.findtext("security/chroot") == "0"
    assert root.findtext("security/changeowner/user") == "icecast2"
    assert root.findtext("security/changeowner/group") == "icecast"
    assert root.findtext("logging/errorlog") == "error.log"


def test_optional_parts_are_left_out() -> None:
    root = parse(make_spec())
    assert root.find("listen-socket/bind-address") is None
    assert root.find("security/changeowner") is None
    assert root.find("authentication/relay-password") is None
    assert root.find("paths/pidfile") is None


def test_mounts_aliases_and_fallbacks() -> None:
    root = parse(make_spec())
    mounts = {m.findtext("mount-name"): m for m in root.findall("mount")}
    assert list(mounts) == ["/jazz-64", "/jazz-128", "/rock-128.mp3"]
    jazz = mounts["/jazz-128"]
    assert jazz.findtext("max-listeners") == "50"
    assert jazz.findtext("bitrate") == "128"
    assert jazz.findtext("fallback-mount") == "/sd-fallback/jazz-128.mp3"
    assert jazz.findtext("fallback-override") == "1"
    assert jazz.findtext("charset") == "UTF-8"
    assert jazz.find("password") is None
    rock = mounts["/rock-128.mp3"]
    assert rock.findtext("username") == "source"
    assert rock.findtext("password") == 's<&>"\'x'  # escaped in the text, intact when parsed
    aliases = [(a.get("source"), a.get("dest")) for a in root.findall("paths/alias")]
    assert aliases == [("/jazz", "/jazz-128"), ("/rock.mp3", "/rock-128.mp3")]


def test_every_mount_has_a_fallback_file_of_its_own() -> None:
    spec = make_spec()
    files = fallback_files(spec)
    assert files == [
        FallbackFile("/jazz-64", "/sd-fallback/jazz-64.mp3", 64),
        FallbackFile("/jazz-128", "/sd-fallback/jazz-128.mp3", 128),
        FallbackFile("/rock-128.mp3", "/sd-fallback/rock-128.mp3", 128),
    ]
    rendered = [m.findtext("fallback-mount") for m in parse(spec).findall("mount")]
    assert rendered == [f.path for f in files]
    assert len(set(rendered)) == len(rendered)
    root = parse(make_spec(fallback_dir=None))
    assert root.find("mount/fallback-mount") is None
    assert fallback_files(make_spec(fallback_dir=None)) == []
    with pytest.raises(RenderError):
        render_icecast_xml(make_spec(fallback_dir="/../etc"))


def test_limits() -> None:
    limits = icecast_limits(make_spec())
    # mounts: 2 + 1; free slots: 8 -> 16 assumed mounts; each counted twice (the fallback
    # file is a source too); spare 4
    assert limits.sources == (3 + 16) * 2 + 4
    assert limits.listeners == 50 * 2 + 200 + 16 * 100
    assert limits.clients == limits.listeners + limits.sources + 64
    root = parse(make_spec())
    assert root.findtext("limits/clients") == str(limits.clients)
    assert root.findtext("limits/sources") == str(limits.sources)
    capped = icecast_limits(make_spec(max_clients=500))
    assert capped.clients == 500
    empty = icecast_limits(make_spec(stations=(), capacity=0))
    assert empty.sources == 4 and empty.clients == 4 + 64
    assert icecast_limits(make_spec(fallback_dir=None)).sources == 3 + 16 + 4


def test_hostile_text_is_escaped() -> None:
    hostile = 'x</location><admin>pwned</admin><!-- & "\' ñ'
    text = render_icecast_xml(make_spec(location=hostile, admin_password=hostile))
    root = SafeET.fromstring(text.encode("utf-8"))
    assert root.findtext("location") == hostile
    assert root.findtext("authentication/admin-password") == hostile
    assert len(root.findall("admin")) == 1
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<icecast>')


@pytest.mark.parametrize("spec", [
    make_spec(location="bad \x01 char"),
    make_spec(port=0),
    make_spec(source_password=""),
    make_spec(loglevel=9),
    make_spec(stations=(JAZZ, replace(ROCK, mountpoint="/jazz"))),
    make_spec(stations=(JAZZ, replace(ROCK, mountpoint="/jazz-64"))),
    make_spec(stations=(replace(JAZZ, max_listeners=0),)),
    make_spec(stations=(replace(JAZZ, source_password=""),)),
])
def test_invalid_specs_are_refused(spec: IcecastSpec) -> None:
    with pytest.raises(RenderError):
        render_icecast_xml(spec)
