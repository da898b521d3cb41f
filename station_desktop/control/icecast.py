"""Asynchronous client for Icecast 2.4's status and admin pages (checked against 2.4.4).

- ``/admin/stats`` (admin basic auth): XML, root ``icestats``, one ``source mount="..."``
  element per mount -> :class:`ServerStats`.
- ``/status-json.xsl`` (no auth): ``icestats.source`` is missing (no mount), an object (one
  mount) or a list (several); ``title`` is missing until metadata was set -> list of
  :class:`MountStats` (fields only the admin page has are None).
- ``/admin/listclients``, ``/admin/listmounts``, ``/admin/metadata``, ``/admin/killsource``,
  ``/admin/killclient``: XML (``listclients`` uses capitalised tags: ``Listeners``, ``IP``,
  ``UserAgent``, ``Connected``, ``ID``); actions answer ``<iceresponse>`` with ``<return>1``.
- An unknown mount: HTTP 400 with an HTML page saying ``Source does not exist``. Wrong
  credentials: HTTP 401 (plain text ``You need to authenticate``).

Icecast's answers are untrusted input: XML is parsed with defusedxml (no DTD, no entity
declarations: a "billion laughs" document is refused, not expanded), replies are capped at
:data:`MAX_RESPONSE_BYTES`, and anything unexpected becomes a :class:`ControlProtocolError`
with a short excerpt. Field policy: a *count* (listeners, listener_peak, sources...) that is
missing reads as 0, one that is present but not a whole number makes the document invalid
(ControlProtocolError), because a wrong count would be stored as a statistic. Descriptive
fields (bitrate, title, dates, max_listeners...) that are missing or unreadable become None.
"""

from __future__ import annotations

import asyncio
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from types import TracebackType
from typing import Any, Final, cast
from urllib.parse import urlsplit

import defusedxml  # type: ignore[import-untyped,unused-ignore]
import defusedxml.ElementTree  # type: ignore[import-untyped,unused-ignore]
import httpx

from station_desktop.control.errors import (
    ControlProtocolError,
    ControlTimeout,
    ControlUnreachable,
    IcecastAuthError,
    IcecastNotFound,
)
from station_desktop.errors import ValidationError

SERVICE: Final = "Icecast"
MAX_RESPONSE_BYTES: Final = 32 * 1024 * 1024
UNKNOWN_BITRATE: Final = 0
_INT = re.compile(r"\s*-?\d+\s*")


# -- results ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MountStats:
    """One mount as Icecast reports it; None where the page does not say."""

    mount: str
    listeners: int
    listener_peak: int
    max_listeners: int | None = None  # None: "unlimited" (or not reported)
    bitrate: int | None = None  # kbit/s
    title: str | None = None
    server_name: str | None = None
    server_description: str | None = None
    genre: str | None = None
    content_type: str | None = None
    stream_start: datetime | None = None
    listen_url: str | None = None
    source_ip: str | None = None  # admin stats only
    user_agent: str | None = None  # admin stats only
    total_bytes_sent: int | None = None  # admin stats only
    total_bytes_read: int | None = None  # admin stats only
    slow_listeners: int | None = None  # admin stats only
    samplerate: int | None = None
    channels: int | None = None


@dataclass(frozen=True)
class ServerStats:
    server_id: str | None
    host: str | None
    location: str | None
    admin: str | None
    listeners: int
    sources: int
    clients: int
    server_start: datetime | None
    mounts: list[MountStats]

    def mount(self, path: str) -> MountStats | None:
        return next((m for m in self.mounts if m.mount == path), None)


@dataclass(frozen=True)
class ListenerInfo:
    id: int
    ip: str | None
    user_agent: str | None
    connected_seconds: int | None


@dataclass(frozen=True)
class MountSummary:
    """One line of ``/admin/listmounts``."""

    mount: str
    listeners: int
    connected_seconds: int | None
    content_type: str | None


def listeners_by_bitrate(mounts: Iterable[MountStats]) -> dict[int, int]:
    """Listeners added up per bitrate (kbit/s); mounts of unknown bitrate count under 0."""
    totals: dict[int, int] = {}
    for mount in mounts:
        key = mount.bitrate if mount.bitrate is not None else UNKNOWN_BITRATE
        totals[key] = totals.get(key, 0) + mount.listeners
    return totals


# -- parsing (pure functions; ``peer`` only names the server in errors) -----------------


class _Invalid(ValueError):
    """A document that parsed but does not have the expected content."""


def parse_xml(data: bytes, expected_root: str, peer: str) -> ET.Element:
    """Parse untrusted XML; refuse DTDs/entities, HTML pages and the wrong root element."""
    head = data.lstrip()[:200].lower()
    if head.startswith((b"<html", b"<!doctype html")) or b"<html" in head:
        raise ControlProtocolError(
            SERVICE, peer, "got an HTML page where XML was expected (is this the admin URL "
            "of an Icecast 2.4 server?)", data)
    try:
        root = cast(ET.Element, defusedxml.ElementTree.fromstring(
            data, forbid_dtd=True, forbid_entities=True, forbid_external=True))
    except defusedxml.DefusedXmlException as exc:
        raise ControlProtocolError(
            SERVICE, peer, f"refused an XML document with a DTD or entities ({type(exc).__name__})",
            data) from None
    except ET.ParseError as exc:
        raise ControlProtocolError(SERVICE, peer, f"malformed XML ({exc})", data) from None
    if root.tag != expected_root:
        raise ControlProtocolError(
            SERVICE, peer, f"expected an XML document <{expected_root}>, got <{root.tag}>", data)
    return root


def _text(element: ET.Element, tag: str) -> str | None:
    child = element.find(tag)
    if child is None or child.text is None:
        return None
    return child.text


def _count(value: object, what: str) -> int:
    """A required count: missing -> 0, present but not a whole number -> _Invalid."""
    if value is None:
        return 0
    if isinstance(value, bool):
        raise _Invalid(f"{what} is {value!r}, not a number")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _INT.fullmatch(value):
        return int(value)
    raise _Invalid(f"{what} is {str(value)[:40]!r}, not a whole number")


def _optional_int(value: object) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _INT.fullmatch(value):
        return int(value)
    return None


def _optional_str(value: object) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


def _audio_info_bitrate(audio_info: str | None) -> int | None:
    """``channels=2;samplerate=44100;bitrate=128`` (or ``ice-bitrate=128``) -> 128."""
    if not audio_info:
        return None
    for part in audio_info.split(";"):
        key, _, value = part.partition("=")
        if key.strip().lower() in ("bitrate", "ice-bitrate"):
            return _optional_int(value.strip())
    return None


def parse_datetime(iso: object, rfc: object = None) -> datetime | None:
    """``2026-11-24T21:27:43+0000`` (preferred) or ``Tue, 24 Nov 2026 21:27:43 +0000``."""
    if isinstance(iso, str) and iso:
        for fmt in ("%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S"):
            try:
                return datetime.strptime(iso.strip(), fmt)
            except ValueError:
                continue
    if isinstance(rfc, str) and rfc:
        try:
            return parsedate_to_datetime(rfc)
        except (TypeError, ValueError, IndexError):
            return None
    return None


def _mount_stats(mount: str, fields: Mapping[str, object]) -> MountStats:
    bitrate = _optional_int(fields.get("bitrate"))
    if bitrate is None:
        bitrate = _audio_info_bitrate(_optional_str(fields.get("audio_info")))
    return MountStats(
        mount=mount,
        listeners=_count(fields.get("listeners"), f"listeners of {mount}"),
        listener_peak=_count(fields.get("listener_peak"), f"listener_peak of {mount}"),
        max_listeners=_optional_int(fields.get("max_listeners")),
        bitrate=bitrate,
        title=_optional_str(fields.get("title")),
        server_name=_optional_str(fields.get("server_name")),
        server_description=_optional_str(fields.get("server_description")),
        genre=_optional_str(fields.get("genre")),
        content_type=_optional_str(fields.get("server_type")),
        stream_start=parse_datetime(fields.get("stream_start_iso8601"), fields.get("stream_start")),
        listen_url=_optional_str(fields.get("listenurl")),
        source_ip=_optional_str(fields.get("source_ip")),
        user_agent=_optional_str(fields.get("user_agent")),
        total_bytes_sent=_optional_int(fields.get("total_bytes_sent")),
        total_bytes_read=_optional_int(fields.get("total_bytes_read")),
        slow_listeners=_optional_int(fields.get("slow_listeners")),
        samplerate=_optional_int(fields.get("samplerate")),
        channels=_optional_int(fields.get("channels")),
    )


def parse_admin_stats(data: bytes, peer: str = "icecast") -> ServerStats:
    """``/admin/stats`` XML -> :class:`ServerStats`."""
    root = parse_xml(data, "icestats", peer)
    try:
        mounts = []
        for source in root.findall("source"):
            mount = source.get("mount")
            if not mount:
                raise _Invalid("a <source> element has no mount attribute")
            fields = {child.tag: child.text for child in source}
            mounts.append(_mount_stats(mount, fields))
        return ServerStats(
            server_id=_text(root, "server_id"), host=_text(root, "host"),
            location=_text(root, "location"), admin=_text(root, "admin"),
            listeners=_count(_text(root, "listeners"), "listeners"),
            sources=_count(_text(root, "sources"), "sources"),
            clients=_count(_text(root, "clients"), "clients"),
            server_start=parse_datetime(_text(root, "server_start_iso8601"),
                                        _text(root, "server_start")),
            mounts=mounts,
        )
    except _Invalid as exc:
        raise ControlProtocolError(SERVICE, peer, f"invalid /admin/stats: {exc}", data) from None


def parse_status_json(data: bytes, peer: str = "icecast") -> list[MountStats]:
    """``/status-json.xsl`` -> one :class:`MountStats` per mount (``source`` may be missing,
    an object or a list)."""
    try:
        document = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise ControlProtocolError(
            SERVICE, peer, f"malformed JSON from /status-json.xsl ({type(exc).__name__})", data
        ) from None
    icestats = document.get("icestats") if isinstance(document, dict) else None
    if not isinstance(icestats, dict):
        raise ControlProtocolError(SERVICE, peer, "JSON without an 'icestats' object", data)
    sources: Any = icestats.get("source", [])
    if sources is None:
        sources = []
    if not isinstance(sources, list):
        sources = [sources]
    mounts = []
    try:
        for source in sources:
            if not isinstance(source, dict):
                raise _Invalid(f"a 'source' entry is {type(source).__name__}, not an object")
            listen_url = source.get("listenurl")
            if not isinstance(listen_url, str) or not urlsplit(listen_url).path:
                raise _Invalid("a source has no usable 'listenurl' (its mount is unknown)")
            mounts.append(_mount_stats(urlsplit(listen_url).path, source))
    except _Invalid as exc:
        raise ControlProtocolError(
            SERVICE, peer, f"invalid /status-json.xsl: {exc}", data) from None
    return mounts


def parse_list_clients(data: bytes, peer: str = "icecast") -> list[ListenerInfo]:
    root = parse_xml(data, "icestats", peer)
    listeners = []
    for element in root.iter("listener"):
        client_id = _optional_int(_text(element, "ID") or _text(element, "id"))
        if client_id is None:
            raise ControlProtocolError(SERVICE, peer, "a listener without a numeric ID", data)
        listeners.append(ListenerInfo(
            id=client_id,
            ip=_text(element, "IP") or _text(element, "ip"),
            user_agent=_text(element, "UserAgent") or _text(element, "useragent"),
            connected_seconds=_optional_int(_text(element, "Connected")
                                            or _text(element, "connected")),
        ))
    return listeners


def parse_list_mounts(data: bytes, peer: str = "icecast") -> list[MountSummary]:
    root = parse_xml(data, "icestats", peer)
    mounts = []
    try:
        for source in root.findall("source"):
            mount = source.get("mount")
            if not mount:
                raise _Invalid("a <source> element has no mount attribute")
            mounts.append(MountSummary(
                mount=mount,
                listeners=_count(_text(source, "listeners"), f"listeners of {mount}"),
                connected_seconds=_optional_int(_text(source, "Connected")),
                content_type=_text(source, "content-type"),
            ))
    except _Invalid as exc:
        raise ControlProtocolError(
            SERVICE, peer, f"invalid /admin/listmounts: {exc}", data) from None
    return mounts


def parse_iceresponse(data: bytes, peer: str = "icecast") -> tuple[bool, str]:
    """``<iceresponse><message>..</message><return>1</return>`` -> (ok, message)."""
    root = parse_xml(data, "iceresponse", peer)
    message = (_text(root, "message") or "").strip()
    result = (_text(root, "return") or "").strip()
    if result not in ("0", "1"):
        raise ControlProtocolError(SERVICE, peer, "an <iceresponse> without <return>0/1", data)
    return result == "1", message


# -- the client --------------------------------------------------------------------------


class IcecastClient:
    """Icecast status/admin client; ``async with IcecastClient(...)`` or pass ``client``.

    A ``client`` passed in is shared (e.g. one per application) and not closed here.
    """

    def __init__(
        self,
        base_url: str,
        *,
        admin_user: str,
        admin_password: str,
        timeout: float = 5.0,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        parts = urlsplit(self.base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {base_url!r}")
        default_port = 443 if parts.scheme == "https" else 80
        host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
        self.peer = f"{host}:{parts.port or default_port}"
        self.admin_user = admin_user
        self._auth = httpx.BasicAuth(admin_user, admin_password)
        self.timeout = timeout
        # Plain-HTTP Icecast (the usual case) needs no CA store: loading one per client cost
        # ~80 ms and native memory on every collection round (measured in bench/).
        self._client = client or httpx.AsyncClient(verify=self.base_url.startswith("https:"))
        self._owns_client = client is None

    def __repr__(self) -> str:
        return f"<IcecastClient {self.base_url}>"

    async def __aenter__(self) -> IcecastClient:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._owns_client:
            await self._client.aclose()

    # -- HTTP ------------------------------------------------------------------------
    async def _get(self, path: str, *, params: Mapping[str, str] | None = None,
                   admin: bool = True, mount: str | None = None) -> bytes:
        """GET ``path``; returns the body of a 200 answer or raises a ControlError."""
        url = self.base_url + path
        try:
            async with asyncio.timeout(self.timeout * 3):  # whole exchange, trickling included
                async with self._client.stream(
                    "GET", url, params=params, auth=self._auth if admin else None,
                    timeout=httpx.Timeout(self.timeout), follow_redirects=False,
                ) as response:
                    body = await self._read_body(response, path)
        except TimeoutError:
            raise ControlTimeout(SERVICE, self.peer, path, self.timeout * 3) from None
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise ControlUnreachable(SERVICE, self.peer, _reason(exc)) from None
        except httpx.TimeoutException:
            raise ControlTimeout(SERVICE, self.peer, path, self.timeout) from None
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError,
                httpx.DecodingError) as exc:
            raise ControlProtocolError(
                SERVICE, self.peer, f"broken HTTP answer to {path} ({_reason(exc)})") from None
        except httpx.TransportError as exc:
            raise ControlUnreachable(SERVICE, self.peer, _reason(exc)) from None
        return self._check_status(response, body, path, mount)

    async def _read_body(self, response: httpx.Response, path: str) -> bytes:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_RESPONSE_BYTES:
            raise ControlProtocolError(
                SERVICE, self.peer, f"the answer to {path} is {declared} bytes, more than "
                f"{MAX_RESPONSE_BYTES}")
        chunks = bytearray()
        async for chunk in response.aiter_bytes():
            chunks.extend(chunk)
            if len(chunks) > MAX_RESPONSE_BYTES:
                raise ControlProtocolError(
                    SERVICE, self.peer, f"the answer to {path} is larger than "
                    f"{MAX_RESPONSE_BYTES} bytes", bytes(chunks[:200]))
        return bytes(chunks)

    def _check_status(self, response: httpx.Response, body: bytes, path: str,
                      mount: str | None) -> bytes:
        status = response.status_code
        if status == 200:
            return body
        if status == 401:
            raise IcecastAuthError(self.peer, self.admin_user)
        if status == 400 and b"Source does not exist" in body:
            raise IcecastNotFound(self.peer, mount or "?")
        if status == 404:
            raise ControlProtocolError(
                SERVICE, self.peer, f"{path} does not exist there (HTTP 404): is this an "
                "Icecast 2.4 server with its admin pages installed?", body)
        raise ControlProtocolError(SERVICE, self.peer, f"HTTP {status} for {path}", body)

    # -- operations ------------------------------------------------------------------
    async def server_stats(self) -> ServerStats:
        """Everything ``/admin/stats`` says: server counters and every mount."""
        return parse_admin_stats(await self._get("/admin/stats"), self.peer)

    async def mount_stats(self, mount: str) -> MountStats:
        """One mount from ``/admin/stats``; IcecastNotFound if it is not on air."""
        found = (await self.server_stats()).mount(_mount_path(mount))
        if found is None:
            raise IcecastNotFound(self.peer, mount)
        return found

    async def public_status(self) -> list[MountStats]:
        """Mounts from the public ``/status-json.xsl`` (no credentials needed)."""
        return parse_status_json(await self._get("/status-json.xsl", admin=False), self.peer)

    async def list_clients(self, mount: str) -> list[ListenerInfo]:
        mount = _mount_path(mount)
        body = await self._get("/admin/listclients", params={"mount": mount}, mount=mount)
        return parse_list_clients(body, self.peer)

    async def list_mounts(self) -> list[MountSummary]:
        return parse_list_mounts(await self._get("/admin/listmounts"), self.peer)

    async def update_metadata(self, mount: str, song: str) -> None:
        """Set the title shown for ``mount`` (Liquidsoap overwrites it at its next track)."""
        mount = _mount_path(mount)
        await self._action(
            "/admin/metadata",
            {"mode": "updinfo", "mount": mount, "song": song, "charset": "UTF-8"}, mount)

    async def kill_source(self, mount: str) -> None:
        """Disconnect the source client of ``mount`` (Liquidsoap reconnects ~3-4 s later)."""
        mount = _mount_path(mount)
        await self._action("/admin/killsource", {"mount": mount}, mount)

    async def kill_client(self, mount: str, client_id: int) -> None:
        """Disconnect listener ``client_id`` (from :meth:`list_clients`) of ``mount``."""
        mount = _mount_path(mount)
        ok, message = await self._action(
            "/admin/killclient", {"mount": mount, "id": str(int(client_id))}, mount,
            raise_on_failure=False)
        if not ok:
            if "not found" in message.lower():
                raise IcecastNotFound(self.peer, mount, client_id=int(client_id))
            raise ControlProtocolError(SERVICE, self.peer, f"killclient failed: {message}")

    async def _action(self, path: str, params: dict[str, str], mount: str, *,
                      raise_on_failure: bool = True) -> tuple[bool, str]:
        body = await self._get(path, params=params, mount=mount)
        ok, message = parse_iceresponse(body, self.peer)
        if not ok and raise_on_failure:
            raise ControlProtocolError(
                SERVICE, self.peer, f"{path} for {mount} failed: {message or '(no message)'}", body)
        return ok, message


def _mount_path(mount: str) -> str:
    mount = mount.strip()
    if not mount or any(ord(c) < 32 or ord(c) == 127 for c in mount):
        raise ValidationError(f"{mount!r} is not a mount point (like /live.mp3).", field="mount")
    return mount if mount.startswith("/") else "/" + mount


def _reason(exc: Exception) -> str:
    text = str(exc)
    return text if text else type(exc).__name__
