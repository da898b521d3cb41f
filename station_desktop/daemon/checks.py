"""``stationd check``: is each server's Icecast and each station's Liquidsoap reachable,
and what does stationd's supervisor see?

Each check gives ``(ok, what was checked, what to do if not)`` in plain words. Liquidsoap
is reached directly on the station's telnet port: at ``telnet_host`` (``127.0.0.1`` when
``stationd check`` runs on the server itself, where the rendered scripts bind telnet to
loopback), else at the server's host. A station set inactive is expected not to answer.
The supervisor's view comes from the status file it keeps in its state directory
(:func:`check_supervisor`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from typing import Any

from station_desktop.control.errors import ControlError, IcecastAuthError
from station_desktop.control.icecast import IcecastClient
from station_desktop.control.liquidsoap import LiquidsoapClient
from station_desktop.daemon.collector import server_base_url
from station_desktop.daemon.supervisor import STATUS_FILE, read_status
from station_desktop.services.fleet import ServerRecord
from station_desktop.services.stations import StreamConfigRecord

Finding = tuple[bool, str, str]


async def check_server(
    server: ServerRecord, configs: list[StreamConfigRecord], admin_password: str | None,
    timeout: float = 5.0, *, telnet_host: str | None = None,
) -> list[Finding]:
    """Icecast (public status, then the admin login if a password is known) and every
    station's Liquidsoap (at ``telnet_host``, default the server's host), concurrently."""
    host = telnet_host or server.host
    icecast, stations = await asyncio.gather(
        _check_icecast(server, admin_password, timeout),
        asyncio.gather(*(_check_liquidsoap(server, config, timeout, host)
                         for config in configs)),
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
    server: ServerRecord, config: StreamConfigRecord, timeout: float, host: str
) -> Finding:
    name = f"Liquidsoap of station {config.mountpoint} ({config.client_id})"
    inactive = config.settings.status == "inactive"
    if config.telnet_port is None:
        return (False, f"{name}: no telnet port is configured",
                "open the station's stream settings and save them, so a port is allocated.")
    where = f"{host}:{config.telnet_port}"
    try:
        async with LiquidsoapClient(host, config.telnet_port, connect_timeout=timeout,
                                    command_timeout=timeout) as liquidsoap:
            version = await liquidsoap.version()
    except ControlError as error:
        if inactive:
            return (True, f"{name} is not running, as the station is set inactive", "")
        return (False, f"{name} at {where}: {error}",
                "start stationd (it runs the station's Liquidsoap), or the station's own "
                "unit, and read the Liquidsoap log if it stops again.")
    if inactive:
        return (False, f"{name} at {where} answers ({version.text}) although the station is "
                       "set inactive",
                "stationd stops it within seconds if it runs the station; otherwise stop "
                "that Liquidsoap yourself, or start the station in the app.")
    return (True, f"{name} at {where} answers ({version.text})", "")


def check_supervisor(state_dir: Path) -> tuple[list[Finding], list[str]]:
    """What stationd's supervisor reported last (``<state_dir>/supervisor.json``):
    findings, and notes that are not problems."""
    path = state_dir / STATUS_FILE
    try:
        report = read_status(state_dir)
    except ValueError as error:
        return [(False, f"stationd's supervisor status: {error}",
                 f"delete {path}; stationd writes it again when it starts.")], []
    if report is None:
        return [], [f"stationd's supervisor has not reported here ({path} does not exist): "
                    "stationd run is not running on this server, its supervisor is off, or "
                    "it uses another state directory (pass --config)."]
    when = report.updated_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    if not report.stationd_alive:
        return [(False, f"stationd (pid {report.pid}) is not running; its supervisor last "
                        f"reported at {when}",
                 "start it (systemctl start stationd) and read why it stopped "
                 "(journalctl -u stationd).")], []
    findings: list[Finding] = [(
        True, f"stationd's supervisor (pid {report.pid}) runs, with the plan from "
              f"{report.plan_from}; Liquidsoap supervision "
              f"{'on' if report.liquidsoap else 'off'}, Icecast {report.icecast_mode}", "")]
    findings.extend(_process_finding(process) for process in report.processes)
    return findings, []


def _process_finding(p: dict[str, Any]) -> Finding:
    label, state = str(p.get("label", p.get("name"))), str(p.get("state"))
    restarts = int(p.get("restarts") or 0)
    crashes = int(p.get("crashes_in_window") or 0)
    extra = f", {restarts} restart(s)" if restarts else ""
    read_log = f"read {p.get('log')} on this server."
    if state in ("running", "answering"):
        pid = f"pid {p['pid']}, " if p.get("pid") else ""
        return True, f"{label}: running ({pid}since {p.get('since')}{extra})", ""
    if state in ("stopped", "stopping") and not p.get("desired"):
        return True, f"{label}: stopped, as its station is set inactive", ""
    if state in ("starting", "unknown"):
        return True, f"{label}: {state}", ""
    if state == "external":
        return (False, f"{label}: a copy stationd did not start is running (its port "
                       "answers), so stationd cannot stop or restart it",
                "stop that copy (its own unit or process) so stationd takes the station "
                "over, or turn [supervisor] liquidsoap off.")
    wait = p.get("next_start_in")
    when = f"; next attempt in {wait:g} s" if isinstance(wait, int | float) else ""
    return (False, f"{label}: {state} ({crashes} failure(s) recently{when}; last: "
                   f"{p.get('last_error') or p.get('last_exit') or 'unknown'})",
            read_log)
