"""Periodic refresh that runs only while a widget is visible.

A :class:`Poller` calls an async function every ``interval_ms`` while it is started; a call
still running when the timer fires again is not doubled (slow servers never pile up
requests). A page hands it to :meth:`Poller.while_visible` and says with :meth:`Poller.want`
whether it has something to poll: it then runs only while the page is shown, so nothing
polls Icecast or Liquidsoap for a page nobody looks at.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class Poller(QObject):
    def __init__(self, refresh: Callable[[], Awaitable[None]], interval_ms: int,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._refresh = refresh
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.tick)
        self._running: asyncio.Task[None] | None = None
        self.rounds = 0  # finished refreshes (tests wait on it)
        self._widget: QWidget | None = None  # see while_visible
        self._wanted = False

    def while_visible(self, widget: QWidget) -> None:
        """From now on, poll only while ``widget`` is shown and polling is wanted."""
        self._widget = widget
        widget.installEventFilter(self)

    def want(self, wanted: bool) -> None:
        """Whether there is something to poll (started at once if the widget is shown)."""
        self._wanted = wanted
        if wanted and self._widget is not None and self._widget.isVisible():
            self.start()
        elif not wanted:
            self.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        # getattr: Qt may still filter an event while Python tears this object down.
        if watched is getattr(self, "_widget", None):
            if event.type() == QEvent.Type.Show and self._wanted:
                self.start()
            elif event.type() == QEvent.Type.Hide:
                self.stop()
        return False

    @property
    def active(self) -> bool:
        return self.timer.isActive()

    def start(self) -> None:
        """Poll now and then every interval."""
        if not self.timer.isActive():
            self.timer.start()
            self.tick()

    def stop(self) -> None:
        self.timer.stop()

    async def stop_and_wait(self) -> None:
        """Stop, and let a refresh that is under way finish (before closing a loop)."""
        self.stop()
        if self._running is not None:
            await asyncio.wait([self._running])

    def set_interval(self, interval_ms: int) -> None:
        self.timer.setInterval(interval_ms)

    def tick(self) -> None:
        """Refresh now, unless stopped or a refresh is still under way."""
        if self._running is not None or not self.timer.isActive():
            return
        try:
            asyncio.get_running_loop()
        except RuntimeError:  # Qt events handled outside the asyncio loop (shutting down)
            return
        self._running = asyncio.ensure_future(self._refresh())
        self._running.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        # let go of the task at once: a finished task keeps its event loop alive
        self._running = None
        self.rounds += 1
        if not task.cancelled() and (error := task.exception()) is not None:
            sys.excepthook(type(error), error, error.__traceback__)  # a bug: the crash dialog
