"""Asynchronous client for Liquidsoap's telnet server (checked against Liquidsoap 2.1.3).

Protocol: the client sends ``command\\n``; Liquidsoap answers ``<body>\\r\\nEND\\r\\n`` (an
empty body gives just ``\\r\\nEND\\r\\n``). ``quit``/``exit`` answer ``Bye!`` *without* the END
marker and close the connection, so :meth:`LiquidsoapClient.command` refuses them; use
:meth:`LiquidsoapClient.close`. The server has no authentication: it must listen on
loopback and be reached through an SSH tunnel (see ``control/tunnel.py``).

One connection per client, opened on first use. Commands are serialised by a lock (one
command in flight, so replies never interleave). Liquidsoap closes idle telnet clients
(``settings.server.timeout``, 30 s by default) and forgets them when it restarts: when the
peer closed a reused connection before any byte of the reply arrived, the client opens a
new connection and sends the command once more. A reply that stops half way is never
retried (the command may have run).

Replies that Liquidsoap 2.1.3 really gives (captured in ``tests/data/control/liquidsoap``):

- ``version`` -> ``Liquidsoap 2.1.3``; ``uptime`` -> ``0d 00h 00m 13s``.
- ``<output>.metadata`` -> up to 10 blocks ``--- N ---`` oldest first, lines ``key="value"``
  separated by ``\\n``; the last block (``--- 1 ---``) is what is on air now. A live source
  without metadata gives an empty block. Values are escaped: ``\\"``, ``\\\\``, ``\\n``,
  ``\\r``, ``\\t`` and ``\\uXXXX`` for other control characters; other UTF-8 is sent raw.
- ``<output>.skip`` -> ``Done``; ``<output>.remaining`` -> ``15.23`` (OCaml floats may end in
  a bare dot: ``0.``).
- ``<queue>.push <uri>`` -> the new request id, even for a file that does not exist.
- ``request.metadata <rid>`` -> one block without header, or ``No such request.``
- ``live.status`` -> ``source client connected from 127.0.0.1`` or
  ``no source client connected``.
- ``var.set name=value`` -> ``Variable name set.``; with spaces around ``=`` 2.1.3 answers
  ``Syntax error or variable not found.`` (a bug of its stdlib).
- Errors: ``ERROR: unknown command, type "help" to get a list of commands.`` and, when a
  script function fails, ``ERROR: Lang.Runtime_error { ... msg: "..." ... }``.
- Outputs in Liquidsoap 2.x have no ``start``/``stop``/``status`` commands of their own;
  :meth:`LiquidsoapClient.output_start` and friends expect the script to register them with
  ``server.register(namespace="<output id>", ...)`` answering ``Done`` and ``on``/``off``,
  and ``stop`` only works on an output declared ``fallible=true``. **Beware:** stopping an
  ``output.icecast`` with ``%mp3`` this way can crash Liquidsoap 2.1.3 when it races a
  track change (LAME ``Internal buffer inconsistency`` assertion; reproduced in 2 of 3
  runs of 40 stop/start cycles interleaved with skips).

Retry rule: when a *reused* connection ends before any byte of the reply, the command is
sent once more on a new connection. The client first lets the event loop deliver a pending
end-of-file, so a connection closed while idle (restart, idle timeout) is simply reopened;
the retry covers the close racing the send. If Liquidsoap dies *because of* the command,
the retry reaches a dead or restarting server and fails (a new Liquidsoap needs seconds to
listen again), so a command is not run twice in practice.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from types import TracebackType
from typing import Final

from station_desktop.control.errors import (
    ControlError,
    ControlProtocolError,
    ControlTimeout,
    ControlUnreachable,
    excerpt,
)

SERVICE: Final = "Liquidsoap"
END_MARKER: Final = b"\r\nEND\r\n"
MAX_REPLY_BYTES: Final = 1024 * 1024
READ_CHUNK: Final = 65536
MAX_COMMAND_CHARS: Final = 8192

_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]")
_IDENTIFIER = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*")
_VERSION = re.compile(r"Liquidsoap\s+v?(\d+(?:\.\d+)*)")
_UPTIME = re.compile(r"(\d+)d (\d+)h (\d+)m (\d+)s")
_BLOCK_HEADER = re.compile(r"--- (\d+) ---")
_METADATA_LINE = re.compile(r'([^=\s"]+)="(.*)"')
_LIVE_CONNECTED = re.compile(r"source client connected from (.+)")
_INT = re.compile(r"-?\d+")
_FLOAT = re.compile(r"[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+|inf|nan)")
_RUNTIME_MSG = re.compile(r'msg: "((?:[^"\\]|\\.)*)"')
_SIMPLE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", '"': '"', "\\": "\\", "'": "'"}
_WELL_KNOWN = ("title", "artist", "album", "filename")


class CommandRefused(ControlError):
    """The client refused to send a command (line break, control character, ``quit``...)."""

    def __init__(self, peer: str, command: str, reason: str) -> None:
        super().__init__(
            f"Refused to send a command to {SERVICE} at {peer}: {reason} "
            f"(command: {excerpt(command, 80)}).",
            peer,
        )
        self.command = command
        self.reason = reason


class LiquidsoapCommandFailed(ControlProtocolError):
    """Liquidsoap answered ``ERROR: ...``: the command is unknown or failed in the script."""

    def __init__(self, peer: str, command: str, problem: str, reply: str) -> None:
        super().__init__(SERVICE, peer, problem, reply)
        self.command = command


# -- results ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LiquidsoapVersion:
    text: str
    version: tuple[int, ...]


@dataclass(frozen=True)
class TrackMetadata:
    """One metadata block: a track on air (``now_playing``) or a request."""

    title: str | None = None
    artist: str | None = None
    album: str | None = None
    filename: str | None = None
    rid: int | None = None
    status: str | None = None
    source: str | None = None
    metadata: Mapping[str, str] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        """True for a block without metadata (e.g. a live DJ who sends none)."""
        return not self.metadata

    @classmethod
    def from_dict(cls, metadata: dict[str, str]) -> TrackMetadata:
        known = {key: metadata.get(key) or None for key in _WELL_KNOWN}
        rid_text = metadata.get("rid", "")
        return cls(
            title=known["title"], artist=known["artist"], album=known["album"],
            filename=known["filename"],
            rid=int(rid_text) if _INT.fullmatch(rid_text) else None,
            status=metadata.get("status"), source=metadata.get("source"),
            metadata=dict(metadata),
        )


@dataclass(frozen=True)
class LiveStatus:
    connected: bool
    address: str | None
    raw: str


# -- parsing helpers (pure) --------------------------------------------------------------


def unescape_value(text: str) -> str:
    """Undo Liquidsoap's escaping of a metadata value (the part between the quotes).

    Raises ValueError on a dangling backslash or a malformed ``\\u`` escape.
    """
    if "\\" not in text:
        return text
    out: list[str] = []
    i = 0
    length = len(text)
    while i < length:
        char = text[i]
        if char != "\\":
            out.append(char)
            i += 1
            continue
        if i + 1 >= length:
            raise ValueError("dangling backslash at the end of a value")
        code = text[i + 1]
        if code in _SIMPLE_ESCAPES:
            out.append(_SIMPLE_ESCAPES[code])
            i += 2
        elif code == "u":
            digits = text[i + 2 : i + 6]
            if len(digits) != 4 or not all(c in "0123456789abcdefABCDEF" for c in digits):
                raise ValueError(f"malformed \\u escape: {text[i : i + 6]!r}")
            out.append(chr(int(digits, 16)))
            i += 6
        elif code == "x" and re.fullmatch(r"[0-9a-fA-F]{2}", text[i + 2 : i + 4]):
            out.append(chr(int(text[i + 2 : i + 4], 16)))
            i += 4
        elif re.fullmatch(r"\d{3}", text[i + 1 : i + 4]):
            out.append(chr(int(text[i + 1 : i + 4]) % 256))
            i += 4
        else:  # unknown escape: keep it as it is
            out.append("\\" + code)
            i += 2
    return "".join(out)


def parse_metadata_blocks(body: str) -> list[dict[str, str]]:
    """``--- N ---`` blocks (oldest first) or a single block without header.

    Raises ValueError for a line that is neither a header nor ``key="value"``.
    """
    blocks: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for line in body.replace("\r\n", "\n").split("\n"):
        if not line.strip():
            continue
        if _BLOCK_HEADER.fullmatch(line.strip()):
            current = {}
            blocks.append(current)
            continue
        match = _METADATA_LINE.fullmatch(line)
        if match is None:
            raise ValueError(f"not a metadata line: {line[:80]!r}")
        if current is None:
            current = {}
            blocks.append(current)
        current[match.group(1)] = unescape_value(match.group(2))
    return blocks


def parse_uptime(text: str) -> timedelta:
    match = _UPTIME.fullmatch(text.strip())
    if match is None:
        raise ValueError("not an uptime like '0d 00h 00m 13s'")
    days, hours, minutes, seconds = (int(g) for g in match.groups())
    return timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)


def parse_version(text: str) -> LiquidsoapVersion:
    match = _VERSION.match(text.strip())
    if match is None:
        raise ValueError("not a version like 'Liquidsoap 2.1.3'")
    return LiquidsoapVersion(text.strip(), tuple(int(p) for p in match.group(1).split(".")))


def parse_help(text: str) -> list[str]:
    """Command names from ``help`` (lines ``| name [<args>]``)."""
    names = [line[1:].split()[0] for line in text.splitlines()
             if line.startswith("|") and line[1:].split()]
    if not names:
        raise ValueError("no '| command' lines")
    return names


def _format_value(value: str | float | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    return value


def _format_peer(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


class _ClosedBeforeReply(Exception):
    """The peer closed the connection before any byte of the reply."""


# -- the client --------------------------------------------------------------------------


class LiquidsoapClient:
    """Talks to one Liquidsoap telnet server; use as ``async with LiquidsoapClient(...)``.

    Every network failure comes out as a :class:`ControlError`: ``ControlUnreachable``
    (refused, connect timeout), ``ControlTimeout`` (no complete reply within
    ``command_timeout`` seconds), ``ControlProtocolError`` (reply not understood, too large,
    connection closed half way, ``ERROR:`` replies as :class:`LiquidsoapCommandFailed`),
    :class:`CommandRefused` (command with a line break or control character).
    """

    def __init__(
        self,
        host: str,
        port: int,
        *,
        connect_timeout: float = 5.0,
        command_timeout: float = 10.0,
        max_reply_bytes: int = MAX_REPLY_BYTES,
    ) -> None:
        self.host = host
        self.port = port
        self.connect_timeout = connect_timeout
        self.command_timeout = command_timeout
        self.max_reply_bytes = max_reply_bytes
        self.peer = _format_peer(host, port)
        self._lock = asyncio.Lock()
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._buffer = bytearray()
        self.connections_opened = 0

    def __repr__(self) -> str:
        state = "connected" if self.connected else "idle"
        return f"<LiquidsoapClient {self.peer} {state}>"

    # -- connection ------------------------------------------------------------------
    @property
    def connected(self) -> bool:
        return self._writer is not None and not self._writer.is_closing()

    async def __aenter__(self) -> LiquidsoapClient:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def connect(self) -> None:
        """Open the connection now (otherwise the first command does)."""
        async with self._lock:
            if not self._usable():
                await self._open()

    async def close(self) -> None:
        """Say ``quit`` and close the connection; the client can be used again later."""
        async with self._lock:
            writer = self._writer
            if writer is not None and not writer.is_closing():
                try:
                    writer.write(b"quit\n")
                    async with asyncio.timeout(1.0):
                        await writer.drain()
                except (OSError, TimeoutError):
                    pass
            await self._drop()

    def _usable(self) -> bool:
        reader, writer = self._reader, self._writer
        return (reader is not None and writer is not None and not writer.is_closing()
                and not reader.at_eof())

    async def _open(self) -> None:
        await self._drop()
        try:
            async with asyncio.timeout(self.connect_timeout):
                reader, writer = await asyncio.open_connection(self.host, self.port)
        except TimeoutError:
            raise ControlUnreachable(
                SERVICE, self.peer, f"no answer to the connection within {self.connect_timeout:g} s"
            ) from None
        except OSError as exc:
            raise ControlUnreachable(SERVICE, self.peer, exc.strerror or str(exc)) from exc
        self._reader, self._writer = reader, writer
        self.connections_opened += 1

    async def _drop(self) -> None:
        writer = self._writer
        self._reader = self._writer = None
        self._buffer.clear()
        if writer is not None:
            writer.close()
            try:
                async with asyncio.timeout(1.0):
                    await writer.wait_closed()
            except (OSError, TimeoutError):
                pass

    # -- commands --------------------------------------------------------------------
    def _check_command(self, command: str) -> None:
        if not command.strip():
            raise CommandRefused(self.peer, command, "the command is empty")
        if _CONTROL_CHARS.search(command):
            raise CommandRefused(
                self.peer, command,
                "it contains a line break or control character, which could inject commands",
            )
        if len(command) > MAX_COMMAND_CHARS:
            raise CommandRefused(
                self.peer, command, f"it is longer than {MAX_COMMAND_CHARS} characters")
        if command.split(maxsplit=1)[0] in ("quit", "exit"):
            raise CommandRefused(self.peer, command, "use close() to end the session")

    async def command(self, command: str) -> str:
        """Send one command and return the reply body (without the END marker)."""
        self._check_command(command)
        async with self._lock:
            body = await self._exchange(command)
        if body.startswith("ERROR:"):
            raise self._error_reply(command, body)
        return body

    async def _exchange(self, command: str) -> str:
        payload = command.encode("utf-8") + b"\n"
        for attempt in (1, 2):
            if self._writer is not None:
                await asyncio.sleep(0)  # let a pending end-of-file from the peer be seen
            reused = self._usable()
            if not reused:
                await self._open()
            try:
                return await self._send_and_read(command, payload)
            except _ClosedBeforeReply:
                await self._drop()
                if reused and attempt == 1:
                    continue  # the peer had closed the idle connection: reconnect once
                raise ControlProtocolError(
                    SERVICE, self.peer,
                    f"the connection was closed before any reply to {command!r}",
                ) from None
            except BaseException:
                await self._drop()  # unknown state (timeout, cancel, half reply): start afresh
                raise
        raise AssertionError("unreachable")  # pragma: no cover

    async def _send_and_read(self, command: str, payload: bytes) -> str:
        reader, writer = self._reader, self._writer
        assert reader is not None and writer is not None
        try:
            async with asyncio.timeout(self.command_timeout):
                try:
                    writer.write(payload)
                    await writer.drain()
                except (ConnectionError, OSError):
                    raise _ClosedBeforeReply from None
                return await self._read_reply(reader, command)
        except TimeoutError:
            raise ControlTimeout(SERVICE, self.peer, repr(command), self.command_timeout) from None

    async def _read_reply(self, reader: asyncio.StreamReader, command: str) -> str:
        buffer = self._buffer
        while True:
            end = buffer.find(END_MARKER)
            if end > self.max_reply_bytes or (end < 0 and len(buffer) > self.max_reply_bytes):
                raise ControlProtocolError(
                    SERVICE, self.peer,
                    f"the reply to {command!r} is larger than {self.max_reply_bytes} bytes",
                    bytes(buffer[:200]),
                )
            if end >= 0:
                body = bytes(buffer[:end])
                del buffer[: end + len(END_MARKER)]
                if buffer:  # more than one reply: the stream is out of step, start afresh
                    await self._drop()
                return body.decode("utf-8", errors="replace")
            try:
                chunk = await reader.read(READ_CHUNK)
            except (ConnectionError, OSError):
                chunk = b""
            if not chunk:
                if not buffer:
                    raise _ClosedBeforeReply
                raise ControlProtocolError(
                    SERVICE, self.peer,
                    f"the connection was closed in the middle of the reply to {command!r}",
                    bytes(buffer),
                )
            buffer.extend(chunk)

    def _error_reply(self, command: str, body: str) -> LiquidsoapCommandFailed:
        name = command.split(maxsplit=1)[0]
        if body.startswith("ERROR: unknown command"):
            problem = (f"Liquidsoap does not know the command {name!r} (check the id, or that "
                       "the running script defines it; 'help' lists the commands)")
        else:
            msg = _RUNTIME_MSG.search(body)
            detail = unescape_value(msg.group(1)) if msg else body[len("ERROR:"):].strip()
            problem = f"the command {name!r} failed: {detail[:200]}"
        return LiquidsoapCommandFailed(self.peer, command, problem, body)

    def _unexpected(self, command: str, expected: str, body: str) -> ControlProtocolError:
        return ControlProtocolError(
            SERVICE, self.peer, f"expected {expected} in reply to {command!r}", body or "(empty)"
        )

    def _identifier(self, value: str, what: str) -> str:
        if not _IDENTIFIER.fullmatch(value):
            raise CommandRefused(self.peer, value, f"{value!r} is not a valid {what}")
        return value

    # -- typed operations ------------------------------------------------------------
    async def version(self) -> LiquidsoapVersion:
        body = await self.command("version")
        try:
            return parse_version(body)
        except ValueError:
            raise self._unexpected("version", "'Liquidsoap X.Y.Z'", body) from None

    async def uptime(self) -> timedelta:
        body = await self.command("uptime")
        try:
            return parse_uptime(body)
        except ValueError:
            raise self._unexpected("uptime", "'0d 00h 00m 00s'", body) from None

    async def help(self) -> list[str]:
        """Names of the commands the running script offers."""
        body = await self.command("help")
        try:
            return parse_help(body)
        except ValueError:
            raise self._unexpected("help", "a list of commands", body) from None

    async def now_playing(self, output_id: str) -> TrackMetadata:
        """What ``output_id`` is playing now (the last block of ``<output>.metadata``).

        A block without metadata (live DJ without tags) or no block at all gives a
        :class:`TrackMetadata` whose fields are None.
        """
        cmd = f"{self._identifier(output_id, 'output id')}.metadata"
        blocks = await self._metadata_blocks(cmd)
        return TrackMetadata.from_dict(blocks[-1] if blocks else {})

    async def metadata_history(self, output_id: str) -> list[TrackMetadata]:
        """The output's recent tracks (Liquidsoap keeps 10), oldest first."""
        cmd = f"{self._identifier(output_id, 'output id')}.metadata"
        return [TrackMetadata.from_dict(b) for b in await self._metadata_blocks(cmd)]

    async def _metadata_blocks(self, cmd: str) -> list[dict[str, str]]:
        body = await self.command(cmd)
        try:
            return parse_metadata_blocks(body)
        except ValueError as exc:
            raise self._unexpected(cmd, f'metadata lines key="value" ({exc})', body) from None

    async def skip(self, output_id: str) -> None:
        await self._expect_done(f"{self._identifier(output_id, 'output id')}.skip")

    async def output_start(self, output_id: str) -> None:
        """``<output>.start``: a command the station script registers (see module doc)."""
        await self._expect_done(f"{self._identifier(output_id, 'output id')}.start")

    async def output_stop(self, output_id: str) -> None:
        """``<output>.stop``: needs ``fallible=true`` on the output in the script."""
        await self._expect_done(f"{self._identifier(output_id, 'output id')}.stop")

    async def output_status(self, output_id: str) -> bool:
        """True when the output is started (``<output>.status`` answers ``on``/``off``)."""
        cmd = f"{self._identifier(output_id, 'output id')}.status"
        body = (await self.command(cmd)).strip()
        if body.lower() in ("on", "true", "started"):
            return True
        if body.lower() in ("off", "false", "stopped"):
            return False
        raise self._unexpected(cmd, "'on' or 'off'", body)

    async def _expect_done(self, cmd: str) -> None:
        body = (await self.command(cmd)).strip()
        if body not in ("Done", "OK"):
            raise self._unexpected(cmd, "'Done'", body)

    async def remaining(self, output_id: str) -> float:
        """Seconds left in the current track of ``output_id``."""
        cmd = f"{self._identifier(output_id, 'output id')}.remaining"
        body = (await self.command(cmd)).strip()
        if not _FLOAT.fullmatch(body):
            raise self._unexpected(cmd, "a number of seconds", body)
        return float(body)

    async def live_status(self, harbor_id: str = "live") -> LiveStatus:
        cmd = f"{self._identifier(harbor_id, 'harbor id')}.status"
        body = (await self.command(cmd)).strip()
        match = _LIVE_CONNECTED.fullmatch(body)
        if match and not body.startswith("no "):
            return LiveStatus(True, match.group(1).strip(), body)
        if body == "no source client connected":
            return LiveStatus(False, None, body)
        raise self._unexpected(
            cmd, "'source client connected from ...' or 'no source client connected'", body)

    async def push_request(self, queue_id: str, uri: str) -> int:
        """Push ``uri`` into ``request.queue(id=queue_id)``; returns the request id.

        Liquidsoap returns an id even when the file does not exist (the request then
        fails silently, see its log): check files before pushing them.
        """
        if not uri.strip():
            raise CommandRefused(self.peer, uri, "the URI is empty")
        cmd = f"{self._identifier(queue_id, 'queue id')}.push {uri}"
        body = (await self.command(cmd)).strip()
        if not _INT.fullmatch(body):
            raise self._unexpected(f"{queue_id}.push", "a request id", body)
        return int(body)

    async def request_metadata(self, rid: int) -> TrackMetadata | None:
        """Metadata of request ``rid``; None when Liquidsoap no longer knows it."""
        cmd = f"request.metadata {int(rid)}"
        body = await self.command(cmd)
        if body.strip() == "No such request.":
            return None
        try:
            blocks = parse_metadata_blocks(body)
        except ValueError as exc:
            raise self._unexpected(cmd, f'metadata lines key="value" ({exc})', body) from None
        return TrackMetadata.from_dict(blocks[-1] if blocks else {})

    async def on_air(self) -> list[int]:
        """Request ids on air (a track interrupted by a fallback stays listed)."""
        return await self._rid_list("request.on_air")

    async def queue(self, queue_id: str) -> list[int]:
        """Pending request ids of ``request.queue(id=queue_id)``."""
        return await self._rid_list(f"{self._identifier(queue_id, 'queue id')}.queue")

    async def _rid_list(self, cmd: str) -> list[int]:
        body = await self.command(cmd)
        parts = body.split()
        if not all(_INT.fullmatch(p) for p in parts):
            raise self._unexpected(cmd, "request ids separated by spaces", body)
        return [int(p) for p in parts]

    async def var_set(self, name: str, value: str | float | bool) -> None:
        """Set an ``interactive.*`` variable (``var.set name=value``, no spaces: 2.1.3 bug).

        Liquidsoap 2.1.3 does not check the value: a float variable given ``abc`` becomes
        0.0. Pass floats/ints/bools as Python numbers so they are formatted correctly.
        """
        self._identifier(name, "variable name")
        text = _format_value(value)
        cmd = f"var.set {name}={text}"
        body = (await self.command(cmd)).strip()
        if body != f"Variable {name} set.":
            if "not found" in body:
                raise LiquidsoapCommandFailed(
                    self.peer, cmd, f"Liquidsoap has no interactive variable {name!r}", body
                )
            raise self._unexpected(cmd, f"'Variable {name} set.'", body)

    async def var_get(self, name: str) -> str:
        cmd = f"var.get {self._identifier(name, 'variable name')}"
        body = (await self.command(cmd)).strip()
        if body == "Variable not found.":
            raise LiquidsoapCommandFailed(
                self.peer, cmd, f"Liquidsoap has no interactive variable {name!r}", body
            )
        return body
