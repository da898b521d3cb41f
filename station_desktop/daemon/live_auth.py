"""Harbor logins answered from the database, on a local unix socket.

When a DJ connects, Liquidsoap runs ``picker.py auth <dir> --socket PATH --station ID``
(password in the environment). The picker sends stationd one JSON line and waits (at most
1 s) for one JSON line back::

    -> {"v": 1, "station": "<client id>", "user": "source", "password": "...",
        "address": "203.0.113.7"}
    <- {"v": 1, "result": "accept", "dj_name": "source"}
    <- {"v": 1, "result": "refuse"}
    <- {"v": 1, "result": "error", "message": "the database is unreachable"}

``accept``/``refuse`` come from the station's StreamConfig as it is *now* (live input
enabled, user ``source``, the live password compared in constant time) or from its active
DJ accounts (``DjAccount``: the answer's ``dj_name`` is then the DJ's name, which the
LiveSession records), so a regenerated
password works, and the old one stops working, from the next login, with no export and
no restart. A station that is unknown, or is not on this server, is refused. ``error``
(database unreachable or busy, malformed request) makes the picker fall back to the
salted hashes last exported in ``programme.json``: stationd or the database being down
never locks DJs out.

Passwords are never logged; a login is logged (station, user, address, result) at INFO.
The socket is created 0660 in a directory only stationd's user (and group) can enter; a
stale socket file from an earlier run is replaced. Requests are bounded (one line of at
most 8 KiB, 2 s to send it) and at most :data:`MAX_CONCURRENT` database checks run at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from station_desktop.db.engine import Database
from station_desktop.errors import DatabaseBusy, DatabaseUnavailable, StationError
from station_desktop.services.dj_accounts import DjAccountService
from station_desktop.services.stations import LIVE_USER, StationService

log = logging.getLogger("station_desktop.daemon.live_auth")

PROTOCOL = 1
MAX_REQUEST = 8192
READ_TIMEOUT_S = 2.0
MAX_CONCURRENT = 8
SOCKET_MODE = 0o660


@dataclass(frozen=True, slots=True)
class LoginAnswer:
    result: str  # "accept" | "refuse" | "error"
    dj_name: str | None = None
    message: str | None = None

    def document(self) -> dict[str, Any]:
        out: dict[str, Any] = {"v": PROTOCOL, "result": self.result}
        if self.dj_name is not None:
            out["dj_name"] = self.dj_name
        if self.message is not None:
            out["message"] = self.message
        return out


class LiveAuthChecker:
    """The database side: is this login right for this station on this server, now?"""

    def __init__(self, db: Database, server_id: str) -> None:
        self._stations = StationService(db)
        self._djs = DjAccountService(db)
        self.server_id = server_id

    def check(self, station_id: str, user: str, password: str) -> LoginAnswer:
        """Blocking (run it in a thread). ``error`` only for a database that cannot answer."""
        # bytes that were not UTF-8 (carried as surrogates) can match no stored password
        password = _bytes(password).decode("utf-8", "replace")
        station_user = secrets.compare_digest(_bytes(user), LIVE_USER.encode())
        try:
            config = self._stations.get_config(station_id)
            open_here = config.server_id == self.server_id and config.settings.live_input_enabled
            # the same work whether or not the station is open here: timing does not tell
            if station_user:
                accepted = self._stations.check_live_password(station_id, password)
                dj_name: str | None = user
            else:
                dj = self._djs.check(station_id, user, password)
                accepted, dj_name = dj is not None, dj.name if dj is not None else None
        except (DatabaseUnavailable, DatabaseBusy) as error:
            return LoginAnswer("error", message=f"the database cannot answer: {error}")
        except StationError:  # unknown station (NotFound), or no stream configuration
            return LoginAnswer("refuse")
        if open_here and accepted:
            return LoginAnswer("accept", dj_name=dj_name)
        return LoginAnswer("refuse")


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


class LiveAuthServer:
    """The unix socket server (see module docstring)."""

    def __init__(self, checker: LiveAuthChecker, path: Path) -> None:
        self.checker = checker
        self.path = path
        self.answered: dict[str, int] = {"accept": 0, "refuse": 0, "error": 0}
        self._server: asyncio.AbstractServer | None = None
        self._limit = asyncio.Semaphore(MAX_CONCURRENT)
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def serving(self) -> bool:
        return self._server is not None

    async def start(self) -> None:
        """Listen on :attr:`path`; raises OSError when it cannot (the caller logs it: the
        pickers then use the exported hashes)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileNotFoundError):
            if not stat.S_ISSOCK(self.path.lstat().st_mode):
                raise OSError(f"{self.path} exists and is not a socket; not replacing it")
            self.path.unlink()  # a stale socket of an earlier run
        server = await asyncio.start_unix_server(self._serve, path=str(self.path),
                                                 limit=MAX_REQUEST)
        os.chmod(self.path, SOCKET_MODE)
        self._server = server
        log.info("answering live logins from the database on %s", self.path)

    async def close(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await server.wait_closed()
        with contextlib.suppress(OSError):
            self.path.unlink()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        try:
            answer = await self._answer(reader)
            self.answered[answer.result] = self.answered.get(answer.result, 0) + 1
            writer.write(json.dumps(answer.document()).encode() + b"\n")
            await writer.drain()
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            if task is not None:
                self._tasks.discard(task)
            writer.close()
            with contextlib.suppress(ConnectionError, asyncio.CancelledError):
                await writer.wait_closed()

    async def _answer(self, reader: asyncio.StreamReader) -> LoginAnswer:
        try:
            line = await asyncio.wait_for(reader.readuntil(b"\n"), READ_TIMEOUT_S)
            request = json.loads(line)
            if not isinstance(request, dict) or request.get("v") != PROTOCOL:
                raise ValueError("not a version 1 request")
            station, user, password = (request.get(k) for k in ("station", "user", "password"))
            address = request.get("address")
            if not all(isinstance(v, str) for v in (station, user, password)):
                raise ValueError("station, user and password must be strings")
        except (TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError,
                ValueError) as error:
            log.warning("a malformed live-login request on %s: %s", self.path,
                        type(error).__name__)
            return LoginAnswer("error", message="malformed request")
        assert isinstance(station, str) and isinstance(user, str) and isinstance(password, str)
        async with self._limit:
            answer = await asyncio.to_thread(self.checker.check, station, user, password)
        shown = (f"live login of {user!r} for station {station} from "
                 f"{address if isinstance(address, str) else '?'}")
        if answer.result == "error":
            log.warning("%s: not checked (%s); the picker uses the exported logins", shown,
                        answer.message)
        else:
            log.info("%s: %s", shown, "accepted" if answer.result == "accept" else "refused")
        return answer


__all__ = ["LiveAuthChecker", "LiveAuthServer", "LoginAnswer"]
