"""Undo commands of the schedule grid.

A command remembers a block's fields before and after the edit. Before acting it reads
the block afresh and checks it still has the fields the command expects (else someone
else changed it, and the command refuses). A block deleted by an undo and created again
by a redo gets a new id; the page's :class:`~station_desktop.ui.undo.IdMap` follows it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from station_desktop.errors import Conflict, NotFound
from station_desktop.services.schedule import BlockFields, BlockRecord
from station_desktop.ui.undo import AsyncCommand

if TYPE_CHECKING:
    from station_desktop.ui.schedule.page import SchedulePage

# A plain name lupdate recognises; every call passes literal text.
translate = QCoreApplication.translate



class BlockCommand(AsyncCommand):
    def __init__(self, page: SchedulePage, text: str, block_id: str) -> None:
        super().__init__(text, page.queue, page.history_failed)
        self.page = page
        self.key = page.ids.key_of(block_id)
        self.station_id = page.require_station()

    @property
    def block_id(self) -> str:
        return self.page.ids.resolve(self.key)

    async def current(self, expected: BlockFields) -> BlockRecord:
        """The block as stored now, refused unless it has the ``expected`` fields."""
        try:
            record = await self.page.call(self.page.services().schedule.get_block,
                                          self.block_id)
        except NotFound:
            raise Conflict(translate(
                "ScheduleCommands",
                "The schedule block was deleted by someone else since; nothing was changed.",
            )) from None
        if record.fields != expected:
            raise Conflict(translate(
                "ScheduleCommands",
                "The schedule block was changed by someone else since ({now}); nothing was "
                "changed.").format(now=self.page.describe_fields(record.fields)))
        return record

    async def create(self, fields: BlockFields) -> None:
        record = await self.page.call(self.page.services().schedule.create_block,
                                      self.station_id, fields)
        self.page.ids.rebind(self.key, record.id)
        await self.page.show_change(record.id)

    async def delete(self, fields: BlockFields) -> None:
        record = await self.current(fields)
        await self.page.call(self.page.services().schedule.delete_block, record.id,
                             record.version)
        await self.page.show_change(None)

    async def update(self, before: BlockFields, after: BlockFields) -> None:
        record = await self.current(before)
        await self.page.call(self.page.services().schedule.update_block, record.id, after,
                             record.version)
        await self.page.show_change(record.id)


class CreateBlock(BlockCommand):
    def __init__(self, page: SchedulePage, record: BlockRecord) -> None:
        super().__init__(page, translate("ScheduleCommands", "Create block"), record.id)
        self.fields = record.fields

    async def apply(self) -> None:
        await self.create(self.fields)

    async def revert(self) -> None:
        await self.delete(self.fields)


class DeleteBlock(BlockCommand):
    def __init__(self, page: SchedulePage, record: BlockRecord) -> None:
        super().__init__(page, translate("ScheduleCommands", "Delete block"), record.id)
        self.fields = record.fields

    async def apply(self) -> None:
        await self.delete(self.fields)

    async def revert(self) -> None:
        await self.create(self.fields)


class ChangeBlock(BlockCommand):
    """A move, a resize or an edit in the dialog."""

    def __init__(self, page: SchedulePage, text: str, before: BlockRecord,
                 after: BlockRecord) -> None:
        super().__init__(page, text, before.id)
        self.before = before.fields
        self.after = after.fields

    async def apply(self) -> None:
        await self.update(self.before, self.after)

    async def revert(self) -> None:
        await self.update(self.after, self.before)
