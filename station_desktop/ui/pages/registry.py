"""The pages the application shows: the shell's own and the three editors."""

from __future__ import annotations

from station_desktop.ui.library.page import LibraryPage
from station_desktop.ui.pages import PageSpec, station_pages
from station_desktop.ui.playlists import PlaylistsPage
from station_desktop.ui.schedule import SchedulePage


def default_pages() -> list[PageSpec]:
    return station_pages(LibraryPage, PlaylistsPage, SchedulePage)
