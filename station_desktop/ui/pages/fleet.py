"""Stations and Servers: the fleet, for admins. The pages live in ui/fleet/ (with their
dialogs, the capacity bar, the alerts list and the offline watcher)."""

from __future__ import annotations

from station_desktop.ui.fleet.servers import ServersPage
from station_desktop.ui.fleet.stations import StationsPage

__all__ = ["ServersPage", "StationsPage"]
