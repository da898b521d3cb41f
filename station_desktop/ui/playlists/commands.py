"""Undo commands of the playlist editor.

Each command remembers enough to put the playlist back *exactly*: the tracks in order
before and after the edit, and the edit itself by position (item ids change when a
removal is undone, tracks and positions do not). Before acting, a command reads the
playlist afresh and checks that it holds what the command expects; anything else means
someone changed it meanwhile, and the command refuses instead of scrambling their edit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from station_desktop.errors import Conflict
from station_desktop.services.playlists import PlaylistDetail, PlaylistFields, PlaylistRecord
from station_desktop.ui.playlists.model import tracks_text
from station_desktop.ui.undo import AsyncCommand

if TYPE_CHECKING:
    from station_desktop.ui.playlists.page import PlaylistsPage

# A plain name lupdate recognises; every call passes literal text.
translate = QCoreApplication.translate



def _tracks(detail: PlaylistDetail) -> list[str]:
    return [item.audio_file_id for item in detail.items]


class PlaylistCommand(AsyncCommand):
    """A command on one playlist of the page's station."""

    def __init__(self, page: PlaylistsPage, text: str, playlist_id: str) -> None:
        super().__init__(text, page.queue, page.history_failed)
        self.page = page
        self.key = page.ids.key_of(playlist_id)

    @property
    def playlist_id(self) -> str:
        return self.page.ids.resolve(self.key)

    async def fresh(self, expected_tracks: Sequence[str] | None = None) -> PlaylistDetail:
        """The playlist as stored now; with ``expected_tracks``, refused unless it holds
        exactly those tracks in that order."""
        detail = await self.page.call(self.page.services().playlists.get_playlist,
                                      self.playlist_id)
        if expected_tracks is not None and _tracks(detail) != list(expected_tracks):
            raise Conflict(translate("PlaylistCommands",
                "Playlist “{name}” was changed by someone else since your edit, so it cannot "
                "be undone or redone safely. Nothing was changed.").format(
                    name=detail.playlist.name))
        return detail

    async def record(self) -> PlaylistRecord:
        """The playlist's current record (name, flags and version)."""
        station_id = self.page.require_station()
        for record in await self.page.call(self.page.services().playlists.list_playlists,
                                           station_id):
            if record.id == self.playlist_id:
                return record
        raise Conflict(translate("PlaylistCommands",
                                 "The playlist no longer exists; nothing was changed."))


class ReorderItems(PlaylistCommand):
    """A move, shuffle or sort: undone and redone as the same permutation."""

    def __init__(self, page: PlaylistsPage, text: str, before: PlaylistDetail,
                 after: PlaylistDetail) -> None:
        super().__init__(page, text, before.playlist.id)
        where = {item_id: position for position, item_id in enumerate(before.item_ids)}
        self.permutation = [where[item_id] for item_id in after.item_ids]
        self.before_tracks = _tracks(before)
        self.after_tracks = _tracks(after)

    async def apply(self) -> None:
        detail = await self.fresh(self.before_tracks)
        ids = detail.item_ids
        await self._reorder(detail, [ids[p] for p in self.permutation])

    async def revert(self) -> None:
        detail = await self.fresh(self.after_tracks)
        ids = detail.item_ids
        order = list(ids)
        for position, source in enumerate(self.permutation):
            order[source] = ids[position]
        await self._reorder(detail, order)

    async def _reorder(self, detail: PlaylistDetail, order: list[str]) -> None:
        result = await self.page.call(self.page.services().playlists.reorder,
                                      self.playlist_id, order, detail.items_version)
        await self.page.show_change(self.playlist_id, result)


class AddItems(PlaylistCommand):
    def __init__(self, page: PlaylistsPage, before: PlaylistDetail, after: PlaylistDetail,
                 position: int, track_ids: Sequence[str]) -> None:
        text = translate("PlaylistCommands", "Add {tracks}").format(
            tracks=tracks_text(len(track_ids)))
        super().__init__(page, text, before.playlist.id)
        self.position = position
        self.track_ids = list(track_ids)
        self.before_tracks = _tracks(before)
        self.after_tracks = _tracks(after)

    async def apply(self) -> None:
        detail = await self.fresh(self.before_tracks)
        result = await self.page.call(
            self.page.services().playlists.add_items, self.playlist_id, self.track_ids,
            self.position, expected_items_version=detail.items_version)
        added = result.item_ids[self.position:self.position + len(self.track_ids)]
        await self.page.show_change(self.playlist_id, result, added)

    async def revert(self) -> None:
        detail = await self.fresh(self.after_tracks)
        added = detail.item_ids[self.position:self.position + len(self.track_ids)]
        result = await self.page.call(
            self.page.services().playlists.remove_items, self.playlist_id, added,
            expected_items_version=detail.items_version)
        await self.page.show_change(self.playlist_id, result)


class RemoveItems(PlaylistCommand):
    def __init__(self, page: PlaylistsPage, before: PlaylistDetail, after: PlaylistDetail,
                 rows: Sequence[int]) -> None:
        text = translate("PlaylistCommands", "Remove {tracks}").format(
            tracks=tracks_text(len(rows)))
        super().__init__(page, text, before.playlist.id)
        self.placements = [(row, before.items[row].audio_file_id) for row in sorted(rows)]
        self.before_tracks = _tracks(before)
        self.after_tracks = _tracks(after)

    async def apply(self) -> None:
        detail = await self.fresh(self.before_tracks)
        ids = [detail.item_ids[row] for row, _ in self.placements]
        result = await self.page.call(
            self.page.services().playlists.remove_items, self.playlist_id, ids,
            expected_items_version=detail.items_version)
        await self.page.show_change(self.playlist_id, result)

    async def revert(self) -> None:
        detail = await self.fresh(self.after_tracks)
        result = await self.page.call(
            self.page.services().playlists.insert_items_at, self.playlist_id, self.placements,
            expected_items_version=detail.items_version)
        restored = [result.item_ids[row] for row, _ in self.placements]
        await self.page.show_change(self.playlist_id, result, restored)


class CreatePlaylist(PlaylistCommand):
    def __init__(self, page: PlaylistsPage, record: PlaylistRecord) -> None:
        super().__init__(page,
            translate("PlaylistCommands", "Create playlist “{name}”").format(name=record.name),
                         record.id)
        self.station_id = record.client_id
        self.fields = record.fields

    async def apply(self) -> None:
        record = await self.page.call(self.page.services().playlists.create_playlist,
                                      self.station_id, self.fields)
        self.page.ids.rebind(self.key, record.id)
        await self.page.show_change(record.id)

    async def revert(self) -> None:
        services = self.page.services()
        detail = await self.fresh()
        blocks = [block for block in await self.page.call(services.schedule.list_blocks,
                                                          self.station_id)
                  if block.playlist_id == self.playlist_id]
        if detail.items or blocks:
            raise Conflict(translate("PlaylistCommands",
                "Playlist “{name}” has tracks or schedule blocks that were not added here, "
                "so undoing its creation would delete them. Delete it yourself if you mean "
                "to.").format(name=detail.playlist.name))
        await self.page.call(services.playlists.delete_playlist, self.playlist_id,
                             detail.playlist.version)
        await self.page.show_change(None)


class EditPlaylist(PlaylistCommand):
    def __init__(self, page: PlaylistsPage, before: PlaylistRecord,
                 after: PlaylistRecord) -> None:
        super().__init__(page,
            translate("PlaylistCommands", "Edit playlist “{name}”").format(name=after.name),
                         before.id)
        self.before = before.fields
        self.after = after.fields

    async def apply(self) -> None:
        await self._set(self.before, self.after)

    async def revert(self) -> None:
        await self._set(self.after, self.before)

    async def _set(self, expected: PlaylistFields, fields: PlaylistFields) -> None:
        record = await self.record()
        if (record.name, record.type, record.description) != (
                expected.name, expected.type, expected.description):
            raise Conflict(translate("PlaylistCommands",
                "Playlist “{name}” was edited by someone else since; nothing was changed."
            ).format(name=record.name))
        await self.page.call(self.page.services().playlists.update_playlist,
                             self.playlist_id, fields, record.version)
        await self.page.show_change(self.playlist_id)


class SetMain(PlaylistCommand):
    def __init__(self, page: PlaylistsPage, record: PlaylistRecord,
                 previous_main: str | None) -> None:
        super().__init__(page,
            translate("PlaylistCommands", "Make “{name}” the main playlist").format(
                name=record.name),
                         record.id)
        self.previous_key = page.ids.key_of(previous_main) if previous_main else None

    async def apply(self) -> None:
        await self.page.call(self.page.services().playlists.set_main, self.playlist_id)
        await self.page.show_change(self.playlist_id)

    async def revert(self) -> None:
        playlists = self.page.services().playlists
        if self.previous_key is not None:
            await self.page.call(playlists.set_main, self.page.ids.resolve(self.previous_key))
        else:
            record = await self.record()
            fields = PlaylistFields(record.name, record.type, record.description, False)
            await self.page.call(playlists.update_playlist, self.playlist_id, fields,
                                 record.version)
        await self.page.show_change(self.playlist_id)
