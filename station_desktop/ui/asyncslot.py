"""A typed front for qasync's ``asyncSlot`` (qasync ships no type information)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, ParamSpec, cast

import qasync

P = ParamSpec("P")


def async_slot(*types: type) -> Callable[[Callable[P, Awaitable[None]]], Callable[P, Any]]:
    """Decorate a coroutine method so a Qt signal can call it; it runs on the qasync loop
    and its exceptions reach ``sys.excepthook`` (the app's crash dialog)."""
    return cast(Callable[[Callable[P, Awaitable[None]]], Callable[P, Any]],
                qasync.asyncSlot(*types))
