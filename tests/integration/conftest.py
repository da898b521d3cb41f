"""Fixtures for the integration tests: one real Icecast + Liquidsoap stack per session.

``radio_stack`` starts Icecast 2.4 and Liquidsoap 2.1 on free loopback ports in a temporary
directory (``tests/helpers/stack.py``) and stops them when the session ends. Without the
programs the tests are skipped, unless ``STATION_TEST_REQUIRE_STACK=1`` (set by
``scripts/test``), which makes that a failure. ``sshd`` is a real OpenSSH server for the
SSH tunnel tests, with the same rule. When a test that used the stack fails, the
tail of the stack's logs is attached to its report.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator, Generator, Iterator

import pytest
import pytest_asyncio
from helpers.stack import ADMIN_PASSWORD, ADMIN_USER, RadioStack, StackError, ThrowawaySshd

from station_desktop.control.icecast import IcecastClient
from station_desktop.control.liquidsoap import LiquidsoapClient


def _require_stack() -> bool:
    return os.environ.get("STATION_TEST_REQUIRE_STACK") == "1"


@pytest.fixture(scope="session")
def radio_stack() -> Iterator[RadioStack]:
    missing = [tool for tool in ("icecast2", "liquidsoap", "ffmpeg") if shutil.which(tool) is None]
    if missing:
        message = (f"{', '.join(missing)} not installed: apt-get install -y "
                   "--no-install-recommends icecast2 liquidsoap ffmpeg")
        if _require_stack():
            pytest.fail(message)
        pytest.skip(message)
    stack = RadioStack.create()
    try:
        stack.start()
    except StackError as exc:
        stack.destroy()
        pytest.fail(f"the radio stack did not start: {exc}")
    try:
        yield stack
    finally:
        stack.destroy()


@pytest.fixture(scope="session")
def sshd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ThrowawaySshd]:
    """A real OpenSSH server on loopback with a temporary host key and test keys."""
    if shutil.which("sshd") is None and not os.path.exists("/usr/sbin/sshd"):
        message = "sshd not installed: apt-get install -y --no-install-recommends openssh-server"
        if _require_stack():
            pytest.fail(message)
        pytest.skip(message)
    try:
        server = ThrowawaySshd.start(tmp_path_factory.mktemp("sshd"))
    except StackError as exc:
        pytest.fail(f"sshd did not start: {exc}")
    try:
        yield server
    finally:
        server.stop()


@pytest_asyncio.fixture
async def liquidsoap(radio_stack: RadioStack) -> AsyncIterator[LiquidsoapClient]:
    async with LiquidsoapClient("127.0.0.1", radio_stack.telnet_port, connect_timeout=2,
                                command_timeout=5) as client:
        yield client


@pytest_asyncio.fixture
async def icecast(radio_stack: RadioStack) -> AsyncIterator[IcecastClient]:
    async with IcecastClient(radio_stack.icecast_url, admin_user=ADMIN_USER,
                             admin_password=ADMIN_PASSWORD, timeout=3) as client:
        yield client


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    funcargs = getattr(item, "funcargs", {})
    stack = funcargs.get("radio_stack")
    if report.failed and isinstance(stack, RadioStack):
        report.sections.append(("radio stack logs (tail)", stack.logs()))
    return report
