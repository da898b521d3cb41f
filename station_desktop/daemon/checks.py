"""``stationd check``: is each server's Icecast and each station's Liquidsoap reachable?

Each check gives ``(ok, what was checked, what to do if not)`` in plain words. Liquidsoap
is reached directly on the server's host and the station's telnet port (stationd runs on
the server itself, where telnet listens on loopback).
"""

from __future__ import annotations

import asyncio

from station_desktop.control.errors import ControlError, IcecastAuthError
from station_desktop.control.icecast import IcecastClient
from station_desktop.control.liquidsoap import LiquidsoapClient
from station_desktop.daemon.collector import server_base_url
from station_desktop.services.fleet import ServerRecord
from station_desktop.services.stations import StreamConfigRecord

Finding = tuple[bool, str, str]


async def check_server(
    server: ServerRecord, configs: list[StreamConfigRecord], admin_password: str | None,
    timeout: float = 5.0,
) -> list[Finding]:
    """Icecast (public status, then the admin login if a password is known) and every
    station's Liquidsoap, concurrently."""
    icecast, stations = await asyncio.gather(
        _check_icecast(server, admin_password, timeout),
        asyncio.gather(*(_check_liquidsoap(server, config, timeout) for config in configs)),
    )
    return [*icecast, *stations]


async def _check_icecast(
    server: ServerRecord, admin_password: str | None, timeout: float
) -> list[Finding]:
    url = server_base_url(server)
    name = f"Icecast of {server.name} at {url}"
    user = server.icecast_admin_user or "admin"
    findings: list[Finding] = []
    try:
        async with IcecastClient(url, admin_user=user, admin_password=admin_password or "",
                                 timeout=timeout) as icecast:
            mounts = await icecast.public_status()
            findings.append((True, f"{name} answers ({len(mounts)} mount(s) on air)", ""))
            if admin_password is not None:
                try:
                    await icecast.server_stats()
                    findings.append((True, f"{name} accepts the admin login of {user!r}", ""))
                except IcecastAuthError:
                    findings.append((
                        False, f"{name} refuses the admin login of {user!r}",
                        "make the icecast-admin-password secret and <admin-password> in "
                        "icecast.xml the same (stationd render icecast writes it), then "
                        "restart Icecast."))
    except (ControlError, ValueError) as error:
        findings.append((
            False, f"{name}: {error}",
            f"start Icecast on {server.host} (systemctl start icecast2), check that it "
            f"listens on port {server.port}, and that a firewall lets this machine in."))
    return findings


async def _check_liquidsoap(
    server: ServerRecord, config: StreamConfigRecord, timeout: float
) -> Finding:
    name = f"Liquidsoap of station {config.mountpoint} ({config.client_id})"
    if config.telnet_port is None:
        return (False, f"{name}: no telnet port is configured",
                "open the station's stream settings and save them, so a port is allocated.")
    where = f"{server.host}:{config.telnet_port}"
    try:
        async with LiquidsoapClient(server.host, config.telnet_port, connect_timeout=timeout,
                                    command_timeout=timeout) as liquidsoap:
            version = await liquidsoap.version()
    except ControlError as error:
        return (False, f"{name} at {where}: {error}",
                "start the station's Liquidsoap (its unit or script rendered by stationd "
                "render liquidsoap) and read its log if it stops again.")
    return (True, f"{name} at {where} answers ({version.text})", "")
