"""Reach a Liquidsoap telnet port that listens on a server's loopback, through SSH.

Liquidsoap's telnet server has no authentication, so it listens on 127.0.0.1 of the
streaming server (VPS) and the desktop reaches it with an SSH local port forward, like
``ssh -L``: :class:`SshTunnel` opens one SSH connection (asyncssh), listens on an
ephemeral port of the desktop's own loopback and forwards each connection made there to
``remote_host:remote_port`` as seen from the server.

Security: the server's host key is always checked, against ``known_hosts`` (a file path,
or the user's ``~/.ssh/known_hosts`` by default); an unknown or changed key is refused with
:class:`SshHostKeyError`, never accepted silently. Only public-key authentication is used
(keys from files, optionally with a passphrase, or from the SSH agent).

Usage::

    async with SshTunnel("vps1.example", username="radio", client_keys=[key]) as tunnel:
        async with tunnel.liquidsoap_client() as liquidsoap:
            print(await liquidsoap.version())
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

import asyncssh

from station_desktop.control.errors import (
    ControlError,
    ControlTimeout,
    ControlUnreachable,
)
from station_desktop.control.liquidsoap import LiquidsoapClient

SERVICE = "SSH server"


class SshAuthError(ControlError):
    """The SSH server refused the user name or key."""

    def __init__(self, peer: str, username: str, reason: str) -> None:
        super().__init__(
            f"The SSH server at {peer} refused the login of {username!r} ({reason}). "
            "Check the user name and that the key is in its authorized_keys.",
            peer,
        )
        self.username = username


class SshHostKeyError(ControlError):
    """The server's host key is unknown or differs from the one recorded."""

    def __init__(self, peer: str, reason: str) -> None:
        super().__init__(
            f"The SSH server at {peer} could not be verified ({reason}). Its host key is "
            "not the one in known_hosts: if the server was reinstalled, record its new key; "
            "otherwise someone may be intercepting the connection.",
            peer,
        )


class TunnelError(ControlError):
    """The SSH connection worked but the port forward could not be set up."""


def _peer(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


class SshTunnel:
    """A local port forward to ``remote_host:remote_port`` through ``ssh_host``."""

    def __init__(
        self,
        ssh_host: str,
        *,
        username: str,
        ssh_port: int = 22,
        client_keys: Sequence[str | Path] | None = None,
        passphrase: str | None = None,
        known_hosts: str | Path | None = None,
        remote_host: str = "127.0.0.1",
        remote_port: int = 1234,
        connect_timeout: float = 10.0,
    ) -> None:
        self.ssh_host = ssh_host
        self.ssh_port = ssh_port
        self.username = username
        self.client_keys = [str(k) for k in client_keys] if client_keys is not None else None
        self.passphrase = passphrase
        self.known_hosts = str(known_hosts) if known_hosts is not None else None
        self.remote_host = remote_host
        self.remote_port = remote_port
        self.connect_timeout = connect_timeout
        self.peer = _peer(ssh_host, ssh_port)
        self._connection: asyncssh.SSHClientConnection | None = None
        self._listener: asyncssh.SSHListener | None = None

    def __repr__(self) -> str:
        target = _peer(self.remote_host, self.remote_port)
        where = f"127.0.0.1:{self.local_port}" if self._listener else "closed"
        return f"<SshTunnel {where} -> {self.peer} -> {target}>"

    @property
    def local_port(self) -> int:
        if self._listener is None:
            raise RuntimeError("the tunnel is not open")
        return int(self._listener.get_port())

    @property
    def is_open(self) -> bool:
        return self._listener is not None

    async def __aenter__(self) -> SshTunnel:
        await self.open()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def open(self) -> None:
        """Connect to the SSH server and start forwarding; idempotent."""
        if self._listener is not None:
            return
        try:
            async with asyncio.timeout(self.connect_timeout):
                # () means asyncssh's default: ~/.ssh/known_hosts, default keys and agent.
                # Never None for known_hosts: that would switch host key checking off.
                connection = await asyncssh.connect(
                    self.ssh_host, self.ssh_port, username=self.username,
                    known_hosts=self.known_hosts if self.known_hosts is not None else (),
                    client_keys=self.client_keys if self.client_keys is not None else (),
                    passphrase=self.passphrase,
                    agent_forwarding=False, x11_forwarding=False,
                )
        except TimeoutError:
            raise ControlUnreachable(
                SERVICE, self.peer, f"no answer within {self.connect_timeout:g} s") from None
        except asyncssh.HostKeyNotVerifiable as exc:
            raise SshHostKeyError(self.peer, exc.reason) from None
        except asyncssh.PermissionDenied as exc:
            raise SshAuthError(self.peer, self.username, exc.reason) from None
        except (asyncssh.KeyImportError, asyncssh.KeyEncryptionError) as exc:
            raise SshAuthError(self.peer, self.username, f"cannot read the key: {exc}") from None
        except asyncssh.DisconnectError as exc:
            raise ControlUnreachable(SERVICE, self.peer, exc.reason) from None
        except OSError as exc:
            raise ControlUnreachable(SERVICE, self.peer, exc.strerror or str(exc)) from None
        try:
            async with asyncio.timeout(self.connect_timeout):
                listener = await connection.forward_local_port(
                    "127.0.0.1", 0, self.remote_host, self.remote_port)
        except TimeoutError:
            connection.close()
            raise ControlTimeout(SERVICE, self.peer, "the port forward request",
                                 self.connect_timeout) from None
        except (asyncssh.Error, OSError) as exc:
            connection.close()
            raise TunnelError(
                f"The SSH server at {self.peer} refused to forward a port: {exc}", self.peer
            ) from None
        self._connection, self._listener = connection, listener

    async def close(self) -> None:
        listener, connection = self._listener, self._connection
        self._listener = self._connection = None
        if listener is not None:
            listener.close()
        if connection is not None:
            connection.close()
            try:
                async with asyncio.timeout(2.0):
                    await connection.wait_closed()
            except TimeoutError:
                pass

    def liquidsoap_client(
        self, *, connect_timeout: float = 5.0, command_timeout: float = 10.0
    ) -> LiquidsoapClient:
        """A client for the Liquidsoap behind the tunnel (its peer is the local end)."""
        return LiquidsoapClient("127.0.0.1", self.local_port, connect_timeout=connect_timeout,
                                command_timeout=command_timeout)
