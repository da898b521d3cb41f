"""Blocking work off the UI thread.

Service calls block (PyMySQL, SQLite, disk), so views never call them directly: they
``await worker.call(service.method, ...)`` from an ``asyncSlot``. One worker thread runs
database calls in order: SQLite allows one writer anyway, and ordered writes avoid most
MySQL deadlocks. Network I/O does not come here; it is plain asyncio on the qasync loop.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


class DbWorker:
    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="station-db")

    async def call(self, fn: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(fn, *args, **kwargs))

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
