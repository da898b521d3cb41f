"""The demo station a new user finds in the embedded database.

Made through the same services as everything else, so it is valid by construction: a
local server entry, one station with its stream configuration, a few playlists and a
weekly schedule, including a block that crosses midnight.
"""

from __future__ import annotations

import logging

from station_desktop.db.engine import Database
from station_desktop.services.fleet import FleetService, ServerFields
from station_desktop.services.playlists import PlaylistFields, PlaylistService
from station_desktop.services.schedule import BlockFields, ScheduleService
from station_desktop.services.stations import StationFields, StationService

log = logging.getLogger("station_desktop.services.demo")

DEMO_STATION = "Demo Radio"


def seed_demo(db: Database) -> str:
    """Create the demo station; returns its id."""
    fleet, stations = FleetService(db), StationService(db)
    playlists, schedule = PlaylistService(db), ScheduleService(db)
    server = fleet.create_server(
        ServerFields("Local streaming server", "127.0.0.1", 8000, capacity=10, region="local")
    )
    station = stations.create_station(StationFields(DEMO_STATION, timezone="UTC"))
    stations.assign_server(station.id, server.id)
    main = playlists.create_playlist(
        station.id,
        PlaylistFields("Main rotation", "rotation", "Everyday music for AutoDJ", is_main=True),
    )
    night = playlists.create_playlist(
        station.id, PlaylistFields("Night jazz", "rotation", "Late-night programme", False)
    )
    morning = playlists.create_playlist(
        station.id, PlaylistFields("Morning show", "special", "Weekday mornings", False)
    )
    playlists.create_playlist(
        station.id, PlaylistFields("Station jingles", "jingles", "Station IDs", False)
    )
    for day in range(1, 6):  # Monday to Friday
        schedule.create_block(station.id, BlockFields(morning.id, day, "07:00", "10:00"))
        schedule.create_block(station.id, BlockFields(night.id, day, "22:00", "02:00"))
    log.info("demo station %s created (main playlist %s)", station.id, main.id)
    return station.id
