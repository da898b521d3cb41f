"""Stream control for the live views, on a network loop of its own.

The dashboard and the Live page ask Icecast and Liquidsoap every few seconds. Those
requests (httpx, telnet, SSH tunnels) run on a private asyncio loop in a daemon thread,
not on the UI's qasync loop: a slow or half-open connection never steps on the UI loop,
the SSH tunnels of :class:`StreamControlService` stay open between refreshes (they belong
to that loop), and a request still under way when the UI loop stops (closing the window)
is simply dropped with its thread. The UI awaits the answers as ordinary futures.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from station_desktop.services.stream_control import StreamControlService, StreamStatus
from station_desktop.services.workspace import Workspace

T = TypeVar("T")


class NetworkLoop:
    """An asyncio loop running in a daemon thread (started on first use)."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock = threading.Lock()

    def running_loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None:
                # A plain selector loop, not asyncio.new_event_loop(): under qasync the
                # policy makes Qt event loops, which belong to the UI thread.
                loop: asyncio.AbstractEventLoop = asyncio.SelectorEventLoop()
                thread = threading.Thread(target=loop.run_forever, name="station-net",
                                          daemon=True)
                thread.start()
                self._loop = loop
            return self._loop

    async def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run ``coroutine`` on the network loop; await its result on the caller's loop."""
        future = asyncio.run_coroutine_threadsafe(coroutine, self.running_loop())
        return await asyncio.wrap_future(future)


NETWORK = NetworkLoop()


class ControlHolder:
    """The stream control service of the current workspace, living on :data:`NETWORK`; a
    new workspace gets a new service and the old one's tunnels are closed."""

    def __init__(self, network: NetworkLoop = NETWORK) -> None:
        self._network = network
        self._workspace: Workspace | None = None
        self._service: StreamControlService | None = None

    def service(self, workspace: Workspace) -> StreamControlService:
        """The service (for its database methods, start and stop, run on the DB worker)."""
        if self._service is None or self._workspace is not workspace:
            self.close()
            self._workspace = workspace
            self._service = StreamControlService(workspace.db)
        return self._service

    async def status(self, workspace: Workspace, station_id: str) -> StreamStatus:
        return await self._on_network(workspace, lambda s: s.status(station_id))

    async def skip(self, workspace: Workspace, station_id: str) -> None:
        await self._on_network(workspace, lambda s: s.skip(station_id))

    async def _on_network(
        self, workspace: Workspace,
        call: Callable[[StreamControlService], Coroutine[Any, Any, T]],
    ) -> T:
        service = self.service(workspace)
        return await self._network.run(call(service))

    def close(self) -> None:
        """Close the current service's tunnels (on the network loop, not waited for)."""
        service, self._service, self._workspace = self._service, None, None
        if service is not None:
            asyncio.run_coroutine_threadsafe(service.aclose(), self._network.running_loop())
