"""Fixtures for the control clients' unit tests: scripted fake peers on loopback."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping

import pytest_asyncio

from .fake_peers import Action, HttpAction, Script, ScriptedHttpServer, ScriptedLiquidsoap

MakeLiquidsoap = Callable[..., Awaitable[ScriptedLiquidsoap]]
MakeHttp = Callable[[Mapping[str, HttpAction]], Awaitable[ScriptedHttpServer]]


@pytest_asyncio.fixture
async def scripted_liquidsoap() -> AsyncIterator[MakeLiquidsoap]:
    """Factory: ``await scripted_liquidsoap(replies)`` starts a fake Liquidsoap peer."""
    peers: list[ScriptedLiquidsoap] = []

    async def make(
        replies: Mapping[str, Action] | None = None, script: Script | None = None
    ) -> ScriptedLiquidsoap:
        peer = ScriptedLiquidsoap(replies, script)
        await peer.start()
        peers.append(peer)
        return peer

    yield make
    for peer in peers:
        await peer.stop()


@pytest_asyncio.fixture
async def scripted_http() -> AsyncIterator[MakeHttp]:
    """Factory: ``await scripted_http({path: action})`` starts a fake HTTP (Icecast) peer."""
    servers: list[ScriptedHttpServer] = []

    async def make(routes: Mapping[str, HttpAction]) -> ScriptedHttpServer:
        server = ScriptedHttpServer(routes)
        await server.start()
        servers.append(server)
        return server

    yield make
    for server in servers:
        await server.stop()
