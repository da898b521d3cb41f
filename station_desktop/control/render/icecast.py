"""icecast.xml for one streaming server, built with ElementTree (never by pasting strings).

Mount naming (the one place that decides it; the Liquidsoap renderer uses these helpers):

- every bitrate of a station is its own mount, ``<mountpoint>-<kbps>`` (``/jazz-64``,
  ``/jazz-128``); a mountpoint with an audio extension keeps it last
  (``/jazz.mp3`` -> ``/jazz-128.mp3``). Icecast reports each with its ``bitrate``, which is
  what the per-quality statistics count.
- the plain ``<mountpoint>`` (``/jazz``), which is what listeners are given, is an Icecast
  ``<alias>`` of the station's **highest** bitrate mount: no second encoder, and the
  listeners show up on that mount.

Listeners survive a Liquidsoap restart: every station mount has
``<fallback-mount>`` naming a short silent MP3 in Icecast's webroot (a *file*, Icecast
plays it in a loop, paced at the rate of the source that went away) and
``<fallback-override>1``, so when Liquidsoap reconnects (it retries every 3 s) Icecast
moves the listeners back from the file to the live mount. **Each mount needs a file of its
own** (:func:`fallback_files`): Icecast turns a fallback file into a pseudo-mount named by
its path, and a returning source takes *every* listener of its fallback mount, so a
shared file would hand the 128k listeners to the 64k mount, or one station's listeners
to another station (seen with the real Icecast 2.4.4). The files must exist in
``<webroot>`` (icecast/README.md: stationd links them to a silent MP3 made by ffmpeg).

Limits: ``<sources>`` counts one source per bitrate mount, **twice** when fallback files
are configured (Icecast holds each fallback file as a source from start-up on and
refuses real sources with 403 "maximum source limit reached" once the limit is used up;
checked), plus room for the stations the server still has space for (two mounts each)
and a few spare (a reconnecting source while Icecast still holds the old one, a test
feed). ``<clients>`` (every HTTP
connection: listeners, sources, admin and stats requests, fallback files) is the sum of
each mount's ``max-listeners`` plus the same budget for the free station slots, plus the
sources and a margin, capped at ``max_clients``. ``max-listeners`` is per mount (Icecast
cannot limit a group of mounts).

Secrets are passed in (the renderer never makes them up). Per-station source passwords
(``IcecastStation.source_password``) become per-mount ``<username>/<password>``, so one
station's credentials cannot take over another station's mounts.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from station_desktop.control.render.escaping import RenderError

_AUDIO_EXTENSIONS = (".mp3", ".aac", ".ogg", ".opus", ".flac")
_MOUNT_RE = re.compile(r"/[A-Za-z0-9][A-Za-z0-9._-]{0,62}")
_WEB_PATH_RE = re.compile(r"/[A-Za-z0-9._/-]{1,200}")
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

DEFAULT_FALLBACK_DIR = "/sd-fallback"
DEFAULT_MAX_CLIENTS = 20_000
SPARE_SOURCES = 4
CLIENT_MARGIN = 64
ASSUMED_MOUNTS_PER_FREE_SLOT = 2


def _check_mountpoint(mountpoint: str) -> str:
    if not _MOUNT_RE.fullmatch(mountpoint):
        raise RenderError(f"not a mountpoint: {mountpoint!r}")
    return mountpoint


def bitrate_mount(mountpoint: str, bitrate: int) -> str:
    """The mount of one bitrate: ``/jazz`` -> ``/jazz-128``, ``/jazz.mp3`` -> ``/jazz-128.mp3``."""
    _check_mountpoint(mountpoint)
    if isinstance(bitrate, bool) or not isinstance(bitrate, int) or not 8 <= bitrate <= 640:
        raise RenderError(f"not a bitrate in kbit/s: {bitrate!r}")
    for extension in _AUDIO_EXTENSIONS:
        if mountpoint.endswith(extension) and len(mountpoint) > len(extension) + 1:
            return f"{mountpoint[: -len(extension)]}-{bitrate}{extension}"
    return f"{mountpoint}-{bitrate}"


def station_mounts(mountpoint: str, bitrates: tuple[int, ...]) -> list[tuple[int, str]]:
    """``(bitrate, mount)`` per bitrate, lowest first."""
    if not bitrates:
        raise RenderError(f"station {mountpoint!r} has no bitrate")
    return [(b, bitrate_mount(mountpoint, b)) for b in sorted(set(bitrates))]


def public_mount_target(mountpoint: str, bitrates: tuple[int, ...]) -> str:
    """The mount the plain mountpoint is an alias of (the highest bitrate)."""
    return station_mounts(mountpoint, bitrates)[-1][1]


@dataclass(frozen=True, slots=True)
class IcecastStation:
    """One station's mounts on the server."""

    station_id: str
    mountpoint: str
    bitrates: tuple[int, ...]
    max_listeners: int
    # Per-mount source credentials (None: the server-wide source password applies).
    source_password: str | None = None
    source_user: str = "source"


@dataclass(frozen=True, slots=True)
class IcecastSpec:
    hostname: str
    port: int
    source_password: str
    admin_password: str
    admin_user: str = "admin"
    relay_password: str | None = None
    bind_address: str | None = None  # None: every interface
    location: str = "Station Desktop"
    admin_email: str = "admin@localhost"
    capacity: int = 0  # stations the server may hold (ServerRecord.capacity)
    stations: tuple[IcecastStation, ...] = ()
    default_max_listeners: int = 100  # budget per mount of a free station slot
    max_clients: int = DEFAULT_MAX_CLIENTS
    basedir: str = "/usr/share/icecast2"
    logdir: str = "/var/log/icecast2"
    webroot: str = "/usr/share/icecast2/web"
    adminroot: str = "/usr/share/icecast2/admin"
    pidfile: str | None = None
    accesslog: str = "access.log"
    errorlog: str = "error.log"
    loglevel: int = 3  # 1 error .. 4 debug
    changeowner: tuple[str, str] | None = None  # (user, group), needed when started as root
    # Webroot-relative directory of the per-mount fallback files (None: no fallback).
    fallback_dir: str | None = DEFAULT_FALLBACK_DIR
    source_timeout: int = 10
    burst_size: int = 65536
    queue_size: int = 524288


def _xml_text(value: str, what: str) -> str:
    if _XML_INVALID.search(value):
        raise RenderError(f"{what} contains a character XML cannot carry: {value!r}")
    return value


def _sub(parent: ET.Element, tag: str, text: str | int, what: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = _xml_text(str(text), what or tag)
    return element


def _check_port(port: int, what: str) -> int:
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        raise RenderError(f"{what} {port!r} is not a TCP port")
    return port


def _check_web_path(path: str) -> str:
    if not _WEB_PATH_RE.fullmatch(path) or ".." in path.split("/"):
        raise RenderError(f"not a webroot-relative file path: {path!r}")
    return path


def fallback_file_for(fallback_dir: str, mount: str) -> str:
    """The webroot-relative fallback file of one mount: ``/sd-fallback/jazz-128.mp3``."""
    name = mount.lstrip("/")
    if not name.endswith(".mp3"):
        name += ".mp3"
    return _check_web_path(f"{fallback_dir.rstrip('/')}/{name}")


@dataclass(frozen=True, slots=True)
class FallbackFile:
    """A file the deployment must put in Icecast's webroot: silence (or a station ident)
    as an MP3 at ``bitrate`` kbit/s, 44.1 kHz stereo like the stream."""

    mount: str
    path: str  # webroot-relative
    bitrate: int


def fallback_files(spec: IcecastSpec) -> list[FallbackFile]:
    """Every fallback file the rendered icecast.xml refers to (one per mount)."""
    if spec.fallback_dir is None:
        return []
    return [
        FallbackFile(mount, fallback_file_for(spec.fallback_dir, mount), bitrate)
        for station in spec.stations
        for bitrate, mount in station_mounts(station.mountpoint, station.bitrates)
    ]


@dataclass(frozen=True, slots=True)
class IcecastLimits:
    sources: int
    clients: int
    listeners: int


def icecast_limits(spec: IcecastSpec) -> IcecastLimits:
    """The ``<limits>`` numbers (see the module docstring)."""
    mounts = sum(len(set(s.bitrates)) for s in spec.stations)
    free_slots = max(spec.capacity - len(spec.stations), 0)
    free_mounts = free_slots * ASSUMED_MOUNTS_PER_FREE_SLOT
    per_mount = 2 if spec.fallback_dir is not None else 1
    sources = (mounts + free_mounts) * per_mount + SPARE_SOURCES
    listeners = sum(s.max_listeners * len(set(s.bitrates)) for s in spec.stations)
    listeners += free_mounts * spec.default_max_listeners
    clients = min(listeners + sources + CLIENT_MARGIN, spec.max_clients)
    return IcecastLimits(sources=sources, clients=clients, listeners=listeners)


def _validate(spec: IcecastSpec) -> None:
    _check_port(spec.port, "Icecast port")
    if not spec.source_password or not spec.admin_password:
        raise RenderError("the source and admin passwords must not be empty")
    if not 1 <= spec.loglevel <= 4:
        raise RenderError(f"loglevel {spec.loglevel} is not 1..4")
    seen: dict[str, str] = {}
    for station in spec.stations:
        if station.max_listeners < 1:
            raise RenderError(f"station {station.station_id!r}: max_listeners must be >= 1")
        names = [m for _, m in station_mounts(station.mountpoint, station.bitrates)]
        names.append(station.mountpoint)
        for name in names:
            if name in seen:
                raise RenderError(f"mount {name} is used by stations {seen[name]!r} and "
                                  f"{station.station_id!r}")
            seen[name] = station.station_id
        if station.source_password == "":
            raise RenderError(f"station {station.station_id!r}: empty source password")


def _limits(root: ET.Element, spec: IcecastSpec) -> None:
    numbers = icecast_limits(spec)
    limits = ET.SubElement(root, "limits")
    _sub(limits, "clients", numbers.clients)
    _sub(limits, "sources", numbers.sources)
    _sub(limits, "queue-size", spec.queue_size)
    _sub(limits, "client-timeout", 30)
    _sub(limits, "header-timeout", 15)
    _sub(limits, "source-timeout", spec.source_timeout)
    _sub(limits, "burst-on-connect", 1)
    _sub(limits, "burst-size", spec.burst_size)


def _authentication(root: ET.Element, spec: IcecastSpec) -> None:
    auth = ET.SubElement(root, "authentication")
    _sub(auth, "source-password", spec.source_password, "source password")
    if spec.relay_password:
        _sub(auth, "relay-password", spec.relay_password, "relay password")
    _sub(auth, "admin-user", spec.admin_user, "admin user")
    _sub(auth, "admin-password", spec.admin_password, "admin password")


def _paths(root: ET.Element, spec: IcecastSpec) -> None:
    paths = ET.SubElement(root, "paths")
    _sub(paths, "basedir", spec.basedir)
    _sub(paths, "logdir", spec.logdir)
    _sub(paths, "webroot", spec.webroot)
    _sub(paths, "adminroot", spec.adminroot)
    if spec.pidfile:
        _sub(paths, "pidfile", spec.pidfile)
    for station in spec.stations:
        alias = ET.SubElement(paths, "alias")
        alias.set("source", station.mountpoint)
        alias.set("dest", public_mount_target(station.mountpoint, station.bitrates))


def _mounts(root: ET.Element, spec: IcecastSpec) -> None:
    for station in spec.stations:
        for bitrate, name in station_mounts(station.mountpoint, station.bitrates):
            mount = ET.SubElement(root, "mount")
            mount.set("type", "normal")
            _sub(mount, "mount-name", name)
            # a configured mount reports no bitrate unless it is given here (checked)
            _sub(mount, "bitrate", bitrate)
            if station.source_password is not None:
                _sub(mount, "username", station.source_user, "source user")
                _sub(mount, "password", station.source_password, "source password")
            _sub(mount, "max-listeners", station.max_listeners)
            if spec.fallback_dir is not None:
                _sub(mount, "fallback-mount", fallback_file_for(spec.fallback_dir, name))
                _sub(mount, "fallback-override", 1)
            _sub(mount, "charset", "UTF-8")


def render_icecast_xml(spec: IcecastSpec) -> str:
    """The whole icecast.xml (UTF-8 text with an XML declaration)."""
    _validate(spec)
    root = ET.Element("icecast")
    _sub(root, "location", spec.location)
    _sub(root, "admin", spec.admin_email)
    _sub(root, "hostname", spec.hostname)
    _sub(root, "fileserve", 1)
    _limits(root, spec)
    _authentication(root, spec)
    socket = ET.SubElement(root, "listen-socket")
    _sub(socket, "port", _check_port(spec.port, "Icecast port"))
    if spec.bind_address:
        _sub(socket, "bind-address", spec.bind_address)
    _mounts(root, spec)
    _paths(root, spec)
    logging = ET.SubElement(root, "logging")
    _sub(logging, "accesslog", spec.accesslog)
    _sub(logging, "errorlog", spec.errorlog)
    _sub(logging, "loglevel", spec.loglevel)
    _sub(logging, "logsize", 10000)
    security = ET.SubElement(root, "security")
    _sub(security, "chroot", 0)
    if spec.changeowner is not None:
        owner = ET.SubElement(security, "changeowner")
        _sub(owner, "user", spec.changeowner[0])
        _sub(owner, "group", spec.changeowner[1])
    ET.indent(root, space="  ")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            + ET.tostring(root, encoding="unicode") + "\n")
