"""Undo and redo for edits that are saved through services (off the UI thread).

Qt's :class:`QUndoCommand` is synchronous, a service call is not. So:

- A page applies an edit first (awaits the service), and only when it was saved pushes a
  command describing it; the command skips the ``redo()`` that ``push()`` makes.
- Later ``undo()``/``redo()`` calls queue the command's coroutine on an
  :class:`OperationQueue`, which runs a page's operations one after another, in the order
  they were asked for; its ``busy`` state disables the undo/redo actions meanwhile, so a
  user cannot undo an edit whose command is not on the stack yet.
- A record that an undo deletes and a redo creates again comes back with a new id;
  :class:`IdMap` maps the id a command remembers to the record's id now.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable
from typing import ParamSpec, TypeVar

import shiboken6

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QWidget

from station_desktop.errors import StationError
from station_desktop.services.workspace import Workspace
from station_desktop.ui.page import Page
from station_desktop.ui.worker import DbWorker

# A plain name lupdate recognises; every call passes literal text.
translate = QCoreApplication.translate

log = logging.getLogger("station_desktop.ui")

Work = Callable[[], Awaitable[None]]
P = ParamSpec("P")
R = TypeVar("R")


class OperationQueue(QObject):
    """Runs coroutines one at a time, first come first served.

    Signals:
        busy_changed(bool): work started (the queue was idle) or everything finished.
    """

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tail: asyncio.Future[None] | None = None
        self._pending = 0

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def submit(self, work: Work) -> asyncio.Future[None]:
        """Queue ``work``; it starts when everything queued before it has finished."""
        previous = self._tail

        async def chained() -> None:
            if previous is not None and not previous.done():
                await asyncio.wait([previous])
            await work()

        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)
        task = asyncio.ensure_future(chained())
        task.add_done_callback(self._finished)
        self._tail = task
        return task

    async def settle(self) -> None:
        """Wait until everything queued so far (and anything it queued) has finished."""
        while self._tail is not None and not self._tail.done():
            await asyncio.wait([self._tail])

    def _finished(self, task: asyncio.Future[None]) -> None:
        self._pending -= 1
        if self._pending == 0:
            self.busy_changed.emit(False)
        if not task.cancelled() and (error := task.exception()) is not None:
            # A bug, not an expected error (those are handled by the work itself): the
            # same path as an asyncSlot, the app's crash handler.
            sys.excepthook(type(error), error, error.__traceback__)


class IdMap:
    """Which id a record has now, for the id a command remembers.

    A command keeps :meth:`key_of` the id it worked on; when an undo or redo re-creates
    the record, :meth:`rebind` points that key at the new id; :meth:`resolve` gives the
    current id. Keys stay stable however many times a record is re-created.
    """

    def __init__(self) -> None:
        self._current: dict[str, str] = {}
        self._key: dict[str, str] = {}

    def key_of(self, record_id: str) -> str:
        return self._key.get(record_id, record_id)

    def resolve(self, key: str) -> str:
        return self._current.get(key, key)

    def rebind(self, key: str, record_id: str) -> None:
        self._current[key] = record_id
        self._key[record_id] = key

    def clear(self) -> None:
        self._current.clear()
        self._key.clear()


ErrorHandler = Callable[[StationError], None]



class AsyncCommand(QUndoCommand):
    """A command whose undo and redo are service calls.

    Subclasses implement :meth:`apply` (redo) and :meth:`revert` (undo). The command is
    pushed after the edit was first applied, so the ``redo()`` of ``push()`` does
    nothing. An expected error while undoing or redoing goes to ``on_error`` (the page
    shows it, reloads and clears the history, which no longer matches the data).
    """

    def __init__(self, text: str, queue: OperationQueue, on_error: ErrorHandler) -> None:
        super().__init__(text)
        self._queue = queue
        self._on_error = on_error
        self._pushed = False

    def redo(self) -> None:
        if not self._pushed:
            self._pushed = True
            return
        self._queue.submit(lambda: self._guarded(self.apply))

    def undo(self) -> None:
        self._queue.submit(lambda: self._guarded(self.revert))

    async def _guarded(self, step: Callable[[], Awaitable[None]]) -> None:
        try:
            await step()
        except StationError as error:
            self._on_error(error)

    async def apply(self) -> None:
        raise NotImplementedError

    async def revert(self) -> None:
        raise NotImplementedError


def undo_actions(stack: QUndoStack, queue: OperationQueue, parent: QObject
                 ) -> tuple[QAction, QAction]:
    """Undo and redo actions (Ctrl+Z, Ctrl+Shift+Z; also the platform's own keys) that
    follow ``stack`` and are disabled while ``queue`` is busy."""
    undo = QAction(parent)
    redo = QAction(parent)
    undo.setShortcuts([QKeySequence(QKeySequence.StandardKey.Undo)])
    redo_keys = [QKeySequence("Ctrl+Shift+Z")]
    platform_redo = QKeySequence(QKeySequence.StandardKey.Redo)
    if platform_redo not in redo_keys:
        redo_keys.append(platform_redo)
    redo.setShortcuts(redo_keys)

    def refresh() -> None:
        if not all(shiboken6.isValid(obj) for obj in (stack, queue, undo, redo)):
            return  # the page is being destroyed (the stack clears itself on the way)
        idle = not queue.busy
        undo.setEnabled(idle and stack.canUndo())
        redo.setEnabled(idle and stack.canRedo())
        undo_text, redo_text = stack.undoText(), stack.redoText()
        undo.setText(translate("UndoActions", "&Undo {what}").format(what=undo_text) if undo_text
            else translate("UndoActions", "&Undo"))
        redo.setText(translate("UndoActions", "&Redo {what}").format(what=redo_text) if redo_text
            else translate("UndoActions", "&Redo"))
        # Toolbar buttons keep a short label; the tooltip says what would be undone.
        undo.setIconText(translate("UndoActions", "Undo"))
        redo.setIconText(translate("UndoActions", "Redo"))
        undo.setToolTip(undo.text().replace("&", "") + " (Ctrl+Z)")
        redo.setToolTip(redo.text().replace("&", "") + " (Ctrl+Shift+Z)")

    def trigger_undo() -> None:
        if not queue.busy and stack.canUndo():
            stack.undo()

    def trigger_redo() -> None:
        if not queue.busy and stack.canRedo():
            stack.redo()

    undo.triggered.connect(trigger_undo)
    redo.triggered.connect(trigger_redo)
    stack.indexChanged.connect(refresh)
    stack.cleanChanged.connect(refresh)
    queue.busy_changed.connect(refresh)
    refresh()
    return undo, redo


class UndoablePage(Page):
    """A page whose edits are service calls queued one after another, with undo and redo:
    its :attr:`queue`, :attr:`undo_stack` and :attr:`ids`, the page-scoped
    :attr:`undo_action` and :attr:`redo_action`, and what its commands call.

    Subclasses implement :meth:`_reload_quietly` (show the stored state, errors said in the
    page) and :meth:`report_history_failure`.
    """

    def __init__(self, worker: DbWorker, parent: QWidget | None = None) -> None:
        super().__init__(worker, parent)
        self.queue = OperationQueue(self)
        self.undo_stack = QUndoStack(self)
        self.ids = IdMap()
        self.undo_action, self.redo_action = undo_actions(self.undo_stack, self.queue, self)
        for action in (self.undo_action, self.redo_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        self._loaded_for: tuple[int, str | None] | None = None

    # -- what the commands use ----------------------------------------------------------

    def services(self) -> Workspace:
        if self.workspace is None:
            raise StationError(self.tr("No database is open."))
        return self.workspace

    def require_station(self) -> str:
        if self.station_id is None:
            raise StationError(self.tr("No station is selected."))
        return self.station_id

    async def call(self, fn: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
        """A service call off the UI thread; expected errors propagate (as StationError)."""
        return await self.worker.call(fn, *args, **kwargs)

    def history_failed(self, error: StationError) -> None:
        """An undo or redo was refused: say so, and drop the history, which no longer
        matches what is stored."""
        self.report_history_failure(error)
        QTimer.singleShot(0, self._forget_history)
        self.queue.submit(self._reload_quietly)

    def report_history_failure(self, error: StationError) -> None:
        raise NotImplementedError

    async def settle(self) -> None:
        """Wait until every queued edit (and undo or redo) has been saved and shown."""
        await self.queue.settle()

    # -- loading ------------------------------------------------------------------------

    def _new_context(self) -> bool:
        """Whether this load is for another database or station than the last one; the undo
        history, which belongs to the old one, is then dropped."""
        context = (id(self.workspace), self.station_id)
        if context == self._loaded_for:
            return False
        self._forget_history()
        self._loaded_for = context
        return True

    async def _reload_quietly(self) -> None:
        raise NotImplementedError

    def _forget_history(self) -> None:
        self.undo_stack.clear()
        self.ids.clear()
