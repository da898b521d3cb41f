"""The playlist editor page (issue #7)."""

from station_desktop.ui.playlists.page import PlaylistsPage

__all__ = ["PlaylistsPage"]
