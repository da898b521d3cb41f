"""The sidebar's pages, in order: what each is called, how it is made, who sees it.

:func:`station_pages` lists them around the three editors that live in their own packages
(Library, Playlists, Schedule); :func:`station_desktop.ui.pages.registry.default_pages`
passes the real ones. Tests may pass pages of their own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from station_desktop.ui.page import Page
from station_desktop.ui.pages.dashboard import DashboardPage
from station_desktop.ui.pages.fleet import ServersPage, StationsPage
from station_desktop.ui.pages.live import LivePage
from station_desktop.ui.pages.statistics import StatisticsPage
from station_desktop.ui.pages.stream_settings import StreamSettingsPage
from station_desktop.ui.worker import DbWorker

PageFactory = Callable[[DbWorker], Page]


@dataclass(frozen=True)
class PageSpec:
    """One sidebar entry. ``key`` names the page in settings and tests; ``icon`` is a
    freedesktop icon name (with a Qt standard icon as the fallback, see main_window)."""

    key: str
    title: str
    factory: PageFactory
    admin_only: bool = False
    icon: str = ""


def station_pages(library: PageFactory, playlists: PageFactory, schedule: PageFactory
                  ) -> list[PageSpec]:
    """The sidebar, top to bottom."""
    translate = QCoreApplication.translate
    return [
        PageSpec("dashboard", translate("Pages", "Dashboard"), DashboardPage, icon="go-home"),
        PageSpec("library", translate("Pages", "Library"), library, icon="folder-music"),
        PageSpec("playlists", translate("Pages", "Playlists"), playlists,
                 icon="view-media-playlist"),
        PageSpec("schedule", translate("Pages", "Schedule"), schedule, icon="x-office-calendar"),
        PageSpec("live", translate("Pages", "Live"), LivePage, icon="audio-input-microphone"),
        PageSpec("statistics", translate("Pages", "Statistics"), StatisticsPage,
                 icon="utilities-system-monitor"),
        PageSpec("stream", translate("Pages", "Stream settings"), StreamSettingsPage,
                 icon="preferences-system"),
        PageSpec("servers", translate("Pages", "Servers"), ServersPage, admin_only=True,
                 icon="network-server"),
        PageSpec("stations", translate("Pages", "Stations"), StationsPage, admin_only=True,
                 icon="network-wireless"),
    ]
