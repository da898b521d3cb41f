"""The live views' network loop is a plain asyncio loop in its own thread, whatever the
event-loop policy: on Python 3.11 ``qasync.run`` (how the app starts) installs a policy whose
new loops are Qt loops of the UI thread, and the dashboard's first refresh failed with
"attached to a different loop" before the loop was made explicitly."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator

import qasync
from PySide6.QtWidgets import QApplication

from station_desktop.ui.live.control import NetworkLoop


@contextlib.contextmanager
def _app_policy() -> Iterator[None]:
    policy_class = getattr(qasync, "DefaultQEventLoopPolicy", None)
    if policy_class is None:  # Python 3.12+: qasync.run uses a loop factory, no policy
        yield
        return
    old = asyncio.get_event_loop_policy()
    asyncio.set_event_loop_policy(policy_class())
    try:
        yield
    finally:
        asyncio.set_event_loop_policy(old)


def test_blocking_work_runs_on_the_network_loop_under_the_apps_loop_policy(
    qapp: QApplication,
) -> None:
    async def work() -> int:
        return await asyncio.to_thread(lambda: 42)  # what StreamControlService.status does

    with _app_policy():
        network = NetworkLoop()
        loop = network.running_loop()
        assert not isinstance(loop, qasync.QEventLoop)
        result = asyncio.run_coroutine_threadsafe(work(), loop).result(timeout=10)
    assert result == 42

