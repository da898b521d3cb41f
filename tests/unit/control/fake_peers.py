"""Scripted fake peers on loopback: a fake Liquidsoap telnet server and a fake HTTP server.

They exist to feed the real clients what real servers rarely send: garbage, silence, a
connection closed half way, HTML where XML belongs, hostile XML. Each is a real asyncio
server on 127.0.0.1 with an ephemeral port, so the clients go through real sockets.
Well-formed replies come from documents captured from the real Icecast 2.4.4 and
Liquidsoap 2.1.3 (``tests/data/control``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

DATA = Path(__file__).resolve().parents[2] / "data" / "control"
END = b"\r\nEND\r\n"


def captured(name: str) -> bytes:
    """A document captured from the real servers (``tests/data/control/<name>``)."""
    return (DATA / name).read_bytes()


def framed(body: str | bytes) -> bytes:
    """A Liquidsoap reply: body + ``\\r\\nEND\\r\\n``."""
    return (body.encode() if isinstance(body, str) else body) + END


@dataclass(frozen=True)
class Hang:
    """Read the command, never answer."""


@dataclass(frozen=True)
class Close:
    """Close the connection without answering."""


@dataclass(frozen=True)
class Partial:
    """Send ``data`` (not a complete reply), then close."""

    data: bytes


@dataclass(frozen=True)
class Chunked:
    """Send ``data`` in pieces of ``size`` bytes with a pause between them."""

    data: bytes
    size: int = 1
    pause: float = 0.0


Action = bytes | Hang | Close | Partial | Chunked
Script = Callable[[int, str], Action | Awaitable[Action]]

def _track(tasks: set[asyncio.Task[None]]) -> None:
    task = asyncio.current_task()
    if task is not None:
        tasks.add(task)
        task.add_done_callback(tasks.discard)


async def _cancel(tasks: set[asyncio.Task[None]]) -> None:
    pending = [task for task in tasks if not task.done()]
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)


UNKNOWN = framed('ERROR: unknown command, type "help" to get a list of commands.')


class ScriptedLiquidsoap:
    """A fake Liquidsoap telnet peer whose answers are scripted per command.

    ``replies`` maps a command to an action (bytes are sent as they are, use
    :func:`framed`); ``script(connection_number, command)`` overrides it when given.
    ``received`` records ``(connection_number, command)`` in arrival order.
    """

    def __init__(
        self, replies: Mapping[str, Action] | None = None, script: Script | None = None
    ) -> None:
        self.replies = dict(replies or {})
        self.script = script
        self.received: list[tuple[int, str]] = []
        self.connections = 0
        self.port = 0
        self._server: asyncio.Server | None = None
        self._writers: list[asyncio.StreamWriter] = []
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def commands(self) -> list[str]:
        return [command for _, command in self.received]

    async def start(self, port: int = 0) -> int:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", port)
        self.port = self._server.sockets[0].getsockname()[1]
        return self.port

    async def stop(self) -> None:
        """Stop listening and drop every connection (like a Liquidsoap that exits)."""
        for writer in self._writers:
            writer.close()
        self._writers.clear()
        await _cancel(self._tasks)
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    async def _act(self, number: int, command: str) -> Action:
        if self.script is not None:
            result = self.script(number, command)
            return await result if isinstance(result, Awaitable) else result
        return self.replies.get(command, UNKNOWN)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        number = self.connections
        self._writers.append(writer)
        _track(self._tasks)
        try:
            while True:
                line = await reader.readline()
                if not line:
                    return
                command = line.decode("utf-8", errors="replace").rstrip("\r\n")
                self.received.append((number, command))
                if command in ("quit", "exit"):
                    writer.write(b"Bye!\r\n")
                    await writer.drain()
                    return
                action = await self._act(number, command)
                if isinstance(action, Hang):
                    await asyncio.sleep(3600)
                elif isinstance(action, Close):
                    return
                elif isinstance(action, Partial):
                    writer.write(action.data)
                    await writer.drain()
                    return
                elif isinstance(action, Chunked):
                    for start in range(0, len(action.data), action.size):
                        writer.write(action.data[start : start + action.size])
                        await writer.drain()
                        await asyncio.sleep(action.pause)
                else:
                    writer.write(action)
                    await writer.drain()
        except (ConnectionError, asyncio.CancelledError):
            return
        finally:
            writer.close()


@dataclass(frozen=True)
class HttpReply:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/xml"
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SlowBody:
    """Headers at once, then the body one byte every ``pause`` seconds."""

    body: bytes
    pause: float


@dataclass
class HttpRequest:
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]


HttpAction = HttpReply | SlowBody | Hang | Close | Partial

REASONS = {200: "OK", 400: "Bad Request", 401: "Authentication Required", 404: "File Not Found",
           500: "Internal Server Error"}


class ScriptedHttpServer:
    """A fake HTTP/1.0 server (one request per connection) answering per path."""

    def __init__(self, routes: Mapping[str, HttpAction] | None = None) -> None:
        self.routes = dict(routes or {})
        self.requests: list[HttpRequest] = []
        self.port = 0
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> int:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self.port

    async def stop(self) -> None:
        await _cancel(self._tasks)
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        _track(self._tasks)
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            _method, target, _version = lines[0].split(" ", 2)
            headers = {}
            for line in lines[1:]:
                if ":" in line:
                    name, _, value = line.partition(":")
                    headers[name.strip().lower()] = value.strip()
            parts = urlsplit(target)
            self.requests.append(HttpRequest(parts.path, parse_qs(parts.query), headers))
            action = self.routes.get(parts.path, HttpReply(404, b"<html>not here</html>",
                                                           "text/html"))
            await self._answer(writer, action)
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
            return
        finally:
            writer.close()

    @staticmethod
    async def _answer(writer: asyncio.StreamWriter, action: HttpAction) -> None:
        if isinstance(action, Hang):
            await asyncio.sleep(3600)
        elif isinstance(action, Close):
            return
        elif isinstance(action, Partial):
            writer.write(b"HTTP/1.0 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 100000"
                         b"\r\n\r\n" + action.data)
            await writer.drain()
        elif isinstance(action, SlowBody):
            writer.write(b"HTTP/1.0 200 OK\r\nContent-Type: text/xml\r\nContent-Length: "
                         + str(len(action.body)).encode() + b"\r\n\r\n")
            for byte in action.body:
                writer.write(bytes([byte]))
                await writer.drain()
                await asyncio.sleep(action.pause)
        else:
            extra = "".join(f"{k}: {v}\r\n" for k, v in action.headers.items())
            head = (f"HTTP/1.0 {action.status} {REASONS.get(action.status, 'X')}\r\n"
                    f"Server: Icecast 2.4.4\r\nContent-Type: {action.content_type}\r\n"
                    f"Content-Length: {len(action.body)}\r\n{extra}Connection: close\r\n\r\n")
            writer.write(head.encode("latin-1") + action.body)
            await writer.drain()
