"""LiquidsoapClient against a scripted fake Liquidsoap peer on loopback.

The fake peer (``fake_peers.ScriptedLiquidsoap``) replays replies captured from the real
Liquidsoap 2.1.3 and, for malformed input, sends garbage, stays silent, closes the
connection early or floods. The real server is exercised in
``tests/integration/test_control_real.py``.
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest

from station_desktop.control.errors import (
    ControlError,
    ControlProtocolError,
    ControlTimeout,
    ControlUnreachable,
)
from station_desktop.control.liquidsoap import (
    CommandRefused,
    LiquidsoapClient,
    LiquidsoapCommandFailed,
)
from station_desktop.errors import StationError

from .conftest import MakeLiquidsoap
from .fake_peers import (
    Action,
    Chunked,
    Close,
    Hang,
    Partial,
    captured,
    framed,
)

pytestmark = pytest.mark.asyncio

REAL = {
    "version": captured("liquidsoap/version.txt"),
    "uptime": captured("liquidsoap/uptime.txt"),
    "help": captured("liquidsoap/help.txt"),
    "out128.metadata": captured("liquidsoap/out128_metadata.txt"),
    "out64.metadata": captured("liquidsoap/out128_metadata_live.txt"),
    "out128.remaining": captured("liquidsoap/remaining.txt"),
    "out128.skip": framed("Done"),
    "out64.start": framed("Done"),
    "out64.stop": framed("Done"),
    "out64.status": framed("off"),
    "out128.stop": captured("liquidsoap/stop_infallible.txt"),
    "live.status": captured("liquidsoap/live_status_connected.txt"),
    "dj.status": captured("liquidsoap/live_status_disconnected.txt"),
    "requests.push /music/a.mp3": captured("liquidsoap/push.txt"),
    "request.metadata 0": captured("liquidsoap/request_metadata.txt"),
    "request.metadata 9999": captured("liquidsoap/request_metadata_unknown.txt"),
    "request.on_air": framed("0 2"),
    "requests.queue": framed(""),
    "var.set volume=0.5": framed("Variable volume set."),
    "var.set nothere=1": framed("Syntax error or variable not found."),
    "var.get volume": framed("0.500"),
}


async def eventually(condition: Callable[[], bool], timeout: float = 2.0) -> None:
    """Wait for the fake peer to have processed what the client sent."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.01)


def client_for(port: int, command_timeout: float = 10.0) -> LiquidsoapClient:
    return LiquidsoapClient("127.0.0.1", port, command_timeout=command_timeout)


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A loopback port with nothing listening on it."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    yield port


# -- typed operations on replies captured from Liquidsoap 2.1.3 --------------------------


async def test_scripted_peer_real_replies_parse_into_typed_results(
    scripted_liquidsoap: MakeLiquidsoap,
) -> None:
    peer = await scripted_liquidsoap(REAL)
    async with client_for(peer.port) as client:
        version = await client.version()
        assert version.version == (2, 1, 3)
        assert isinstance(await client.uptime(), timedelta)
        assert "out128.skip" in await client.help()
        now = await client.now_playing("out128")
        assert now.rid == 5
        assert now.title == "a\x01b\rc\x7fd\x1be"
        assert now.filename == "/tmp/esc/ctl.mp3"
        history = await client.metadata_history("out128")
        assert [t.title for t in history][:3] == ["Sine 440 Hz", "Sine 550 Hz", "Sine 660 Hz"]
        assert history[3].artist == "Line1\nLine2"
        live = await client.now_playing("out64")
        assert live.is_empty and live.title is None and live.artist is None
        assert await client.remaining("out128") == pytest.approx(float(
            REAL["out128.remaining"].split(b"\r\n")[0]))
        await client.skip("out128")
        assert await client.live_status() == await client.live_status("live")
        status = await client.live_status()
        assert status.connected and status.address == "127.0.0.1"
        off = await client.live_status("dj")
        assert not off.connected and off.address is None
        assert await client.push_request("requests", "/music/a.mp3") == 2
        request = await client.request_metadata(0)
        assert request is not None and request.title == "Sine 440 Hz"
        assert await client.request_metadata(9999) is None
        assert await client.on_air() == [0, 2]
        assert await client.queue("requests") == []
        await client.var_set("volume", 0.5)
        assert await client.var_get("volume") == "0.500"
        await client.output_start("out64")
        await client.output_stop("out64")
        assert await client.output_status("out64") is False
    # one connection for everything, closed politely
    assert peer.connections == 1
    await eventually(lambda: peer.commands[-1] == "quit")
    assert "var.set volume=0.5" in peer.commands


async def test_scripted_peer_var_set_formats_values_without_spaces(
    scripted_liquidsoap: MakeLiquidsoap,
) -> None:
    ok = {f"var.set v={text}": framed("Variable v set.") for text in ("true", "3", "0.25", "a b")}
    peer = await scripted_liquidsoap(ok)
    async with client_for(peer.port) as client:
        await client.var_set("v", True)
        await client.var_set("v", 3)
        await client.var_set("v", 0.25)
        await client.var_set("v", "a b")
    assert peer.commands[:4] == ["var.set v=true", "var.set v=3", "var.set v=0.25", "var.set v=a b"]


async def test_scripted_peer_unknown_variable_is_reported(
    scripted_liquidsoap: MakeLiquidsoap,
) -> None:
    peer = await scripted_liquidsoap(REAL)
    async with client_for(peer.port) as client:
        with pytest.raises(LiquidsoapCommandFailed, match="no interactive variable 'nothere'"):
            await client.var_set("nothere", 1)


async def test_scripted_peer_unknown_command_names_the_command(
    scripted_liquidsoap: MakeLiquidsoap,
) -> None:
    peer = await scripted_liquidsoap(REAL)
    async with client_for(peer.port) as client:
        with pytest.raises(LiquidsoapCommandFailed) as info:
            await client.output_start("out128")  # not in REAL: the peer says unknown command
    message = str(info.value)
    assert "'out128.start'" in message
    assert "does not know" in message
    assert f"127.0.0.1:{peer.port}" in message
    assert isinstance(info.value, ControlProtocolError)


async def test_scripted_peer_runtime_error_reply_carries_liquidsoap_message(
    scripted_liquidsoap: MakeLiquidsoap,
) -> None:
    peer = await scripted_liquidsoap(REAL)
    async with client_for(peer.port) as client:
        with pytest.raises(LiquidsoapCommandFailed, match="Source is infallible"):
            await client.output_stop("out128")
        assert await client.version()  # the connection is still usable afterwards
    assert peer.connections == 1


@pytest.mark.parametrize(
    ("method", "reply", "expected"),
    [
        ("version", "Hello world", "Liquidsoap X.Y.Z"),
        ("uptime", "13 seconds", "0d 00h"),
        ("help", "nothing useful", "list of commands"),
        ("remaining", "soon", "seconds"),
        ("skip", "Nope", "'Done'"),
        ("output_status", "maybe", "'on' or 'off'"),
        ("live_status", "who knows", "source client"),
        ("push_request", "not-a-number", "request id"),
        ("now_playing", "--- 1 ---\ngarbage line", "metadata lines"),
        ("on_air", "0 x 2", "request ids"),
    ],
)
async def test_scripted_peer_garbage_replies_raise_protocol_error_with_excerpt(
    scripted_liquidsoap: MakeLiquidsoap, method: str, reply: str, expected: str
) -> None:
    peer = await scripted_liquidsoap(script=lambda _n, _cmd: framed(reply))
    async with client_for(peer.port) as client:
        calls = {
            "version": client.version, "uptime": client.uptime, "help": client.help,
            "remaining": lambda: client.remaining("out128"),
            "skip": lambda: client.skip("out128"),
            "output_status": lambda: client.output_status("out128"),
            "live_status": client.live_status,
            "push_request": lambda: client.push_request("requests", "/a.mp3"),
            "now_playing": lambda: client.now_playing("out128"),
            "on_air": client.on_air,
        }
        with pytest.raises(ControlProtocolError) as info:
            await calls[method]()
    assert expected in str(info.value)
    assert reply.rsplit("\n", maxsplit=1)[-1][:10] in str(info.value)  # excerpt of the reply


async def test_scripted_peer_binary_garbage_does_not_crash_decoding(
    scripted_liquidsoap: MakeLiquidsoap,
) -> None:
    peer = await scripted_liquidsoap({"version": framed(b"\xff\xfe\x00garbage\x80")})
    async with client_for(peer.port) as client:
        with pytest.raises(ControlProtocolError, match="garbage"):
            await client.version()


# -- framing -----------------------------------------------------------------------------


async def test_scripted_peer_reply_split_into_single_bytes_is_reassembled(
    scripted_liquidsoap: MakeLiquidsoap,
) -> None:
    peer = await scripted_liquidsoap({"help": Chunked(REAL["help"], size=7)})
    async with client_for(peer.port) as client:
        names = await client.help()
    assert len(names) == 37
    assert names[-1] == "version"


async def test_scripted_peer_empty_body_is_an_empty_string(
    scripted_liquidsoap: MakeLiquidsoap,
) -> None:
    peer = await scripted_liquidsoap({"requests.queue": framed("")})
    async with client_for(peer.port) as client:
        assert await client.command("requests.queue") == ""
        assert await client.queue("requests") == []


async def test_scripted_peer_extra_reply_resynchronises_on_new_connection(
    scripted_liquidsoap: MakeLiquidsoap,
) -> None:
    peer = await scripted_liquidsoap(
        {"version": framed("Liquidsoap 2.1.3") + framed("stray"), "uptime": REAL["uptime"]})
    async with client_for(peer.port) as client:
        assert (await client.version()).version == (2, 1, 3)
        assert await client.uptime() >= timedelta(0)  # not the stray reply
    assert peer.connections == 2


async def test_scripted_peer_oversized_reply_is_cut_off(
    scripted_liquidsoap: MakeLiquidsoap,
) -> None:
    flood = b"x" * (2 * 1024 * 1024)  # no END marker in sight
    peer = await scripted_liquidsoap({"help": Chunked(flood, size=256 * 1024)})
    async with client_for(peer.port) as client:
        with pytest.raises(ControlProtocolError, match="larger than 1048576 bytes"):
            await client.help()


async def test_scripted_peer_large_reply_within_limit_is_accepted(
    scripted_liquidsoap: MakeLiquidsoap,
) -> None:
    lines = "".join(f"| cmd{i}\r\n" for i in range(60000))  # ~0.6 MB
    peer = await scripted_liquidsoap({"help": framed(lines)})
    async with client_for(peer.port) as client:
        assert len(await client.help()) == 60000


async def test_scripted_peer_custom_reply_limit(scripted_liquidsoap: MakeLiquidsoap) -> None:
    peer = await scripted_liquidsoap({"version": framed("Liquidsoap 2.1.3" + " " * 500)})
    client = LiquidsoapClient("127.0.0.1", peer.port, max_reply_bytes=100)
    async with client:
        with pytest.raises(ControlProtocolError, match="larger than 100 bytes"):
            await client.version()


# -- failures: never hang, never retry what may have run ---------------------------------


async def test_refused_connection_is_unreachable_quickly(closed_port: int) -> None:
    start = time.monotonic()
    async with client_for(closed_port) as client:
        with pytest.raises(ControlUnreachable) as info:
            await client.version()
    assert time.monotonic() - start < 2
    assert f"127.0.0.1:{closed_port}" in str(info.value)
    assert isinstance(info.value, StationError)


async def test_connect_that_never_completes_times_out_as_unreachable() -> None:
    # A listening socket whose backlog is full drops further SYNs: connect() hangs.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    try:
        for _ in range(8):
            filler = socket.socket()
            filler.setblocking(False)
            filler.connect_ex(("127.0.0.1", port))
            fillers.append(filler)
        await asyncio.sleep(0.05)
        start = time.monotonic()
        async with LiquidsoapClient("127.0.0.1", port, connect_timeout=0.3) as client:
            with pytest.raises(ControlUnreachable, match=r"within 0\.3 s"):
                await client.version()
        assert time.monotonic() - start < 2
    finally:
        for filler in fillers:
            filler.close()
        listener.close()


async def test_scripted_peer_that_never_answers_times_out(
    scripted_liquidsoap: MakeLiquidsoap,
) -> None:
    peer = await scripted_liquidsoap(
        {"version": Hang(), "uptime": REAL["uptime"]})
    async with client_for(peer.port, command_timeout=0.3) as client:
        start = time.monotonic()
        with pytest.raises(ControlTimeout) as info:
            await client.version()
        assert time.monotonic() - start < 2
        assert "'version'" in str(info.value) and "0.3 s" in str(info.value)
        # the stale connection was dropped: the next command works on a fresh one
        assert await client.uptime() >= timedelta(0)
    assert peer.connections == 2


async def test_scripted_peer_trickling_reply_still_times_out(
    scripted_liquidsoap: MakeLiquidsoap,
) -> None:
    peer = await scripted_liquidsoap({"help": Chunked(REAL["help"], size=1, pause=0.05)})
    async with client_for(peer.port, command_timeout=0.3) as client:
        with pytest.raises(ControlTimeout):
            await client.help()


async def test_scripted_peer_closing_mid_reply_is_protocol_error_and_not_retried(
    scripted_liquidsoap: MakeLiquidsoap,
) -> None:
    peer = await scripted_liquidsoap({"requests.push /a.mp3": Partial(b"1")})
    async with client_for(peer.port) as client:
        with pytest.raises(ControlProtocolError, match="in the middle of the reply"):
            await client.push_request("requests", "/a.mp3")
    assert peer.commands.count("requests.push /a.mp3") == 1  # never pushed twice


async def test_scripted_peer_closing_fresh_connection_without_reply_is_not_retried(
    scripted_liquidsoap: MakeLiquidsoap,
) -> None:
    peer = await scripted_liquidsoap({"version": Close()})
    async with client_for(peer.port) as client:
        with pytest.raises(ControlProtocolError, match="closed before any reply"):
            await client.version()
    assert peer.connections == 1


async def test_scripted_peer_that_dropped_idle_connection_gets_one_retry(
    scripted_liquidsoap: MakeLiquidsoap,
) -> None:
    # Connection 1 answers once, then closes on the next command without answering
    # (as a Liquidsoap that restarted or timed the idle client out); connection 2 answers.
    def script(connection: int, command: str) -> Action:
        if connection == 1 and command == "uptime":
            return Close()
        return REAL[command]

    peer = await scripted_liquidsoap(script=script)
    async with client_for(peer.port) as client:
        await client.version()
        assert await client.uptime() >= timedelta(0)
        assert client.connections_opened == 2
    assert peer.received[:3] == [(1, "version"), (1, "uptime"), (2, "uptime")]


async def test_scripted_peer_retry_happens_only_once(scripted_liquidsoap: MakeLiquidsoap) -> None:
    def script(connection: int, command: str) -> Action:
        return REAL["version"] if (connection, command) == (1, "version") else Close()

    peer = await scripted_liquidsoap(script=script)
    async with client_for(peer.port) as client:
        await client.version()
        with pytest.raises(ControlProtocolError, match="closed before any reply"):
            await client.command("uptime")
    assert [c for _, c in peer.received].count("uptime") == 2
    assert peer.connections == 2


async def test_scripted_peer_restart_between_commands_is_transparent(
    scripted_liquidsoap: MakeLiquidsoap,
) -> None:
    peer = await scripted_liquidsoap(REAL)
    async with client_for(peer.port) as client:
        assert (await client.version()).version == (2, 1, 3)
        port = peer.port
        await peer.stop()  # Liquidsoap goes away...
        with pytest.raises(ControlUnreachable):
            await client.version()
        await peer.start(port)  # ...and comes back on the same port
        assert (await client.version()).version == (2, 1, 3)


# -- refusing dangerous commands ---------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    ["version\nquit", "help\rout128.skip", "x\x00y", "tab\there", "nel\u0085", "ls\u2028",
     "", "   ", "quit", "exit now", "x" * 9000],
)
async def test_scripted_peer_never_receives_refused_commands(
    scripted_liquidsoap: MakeLiquidsoap, command: str
) -> None:
    peer = await scripted_liquidsoap(REAL)
    async with client_for(peer.port) as client:
        with pytest.raises(CommandRefused) as info:
            await client.command(command)
    assert peer.connections == 0  # lazy: nothing was even connected
    assert isinstance(info.value, ControlError)


@pytest.mark.parametrize(
    ("call", "args"),
    [
        ("push_request", ("requests", "/music/a.mp3\nout128.stop")),
        ("push_request", ("requests", "")),
        ("push_request", ("requests; x", "/a.mp3")),
        ("skip", ("out128 out64",)),
        ("now_playing", ("",)),
        ("var_set", ("volume", "1\nout128.skip")),
        ("var_set", ("vol ume", 1)),
        ("live_status", ("live\n",)),
    ],
)
async def test_scripted_peer_typed_operations_refuse_injection(
    scripted_liquidsoap: MakeLiquidsoap, call: str, args: tuple[object, ...]
) -> None:
    peer = await scripted_liquidsoap(REAL)
    async with client_for(peer.port) as client:
        with pytest.raises(CommandRefused):
            await getattr(client, call)(*args)
    assert peer.received == []


# -- connection handling -------------------------------------------------------------------


async def test_scripted_peer_sees_no_connection_until_first_command(
    scripted_liquidsoap: MakeLiquidsoap,
) -> None:
    peer = await scripted_liquidsoap(REAL)
    client = client_for(peer.port)
    assert not client.connected
    async with client:
        await asyncio.sleep(0.05)
        assert peer.connections == 0
        await client.version()
        assert client.connected
    assert not client.connected
    assert peer.connections == 1


async def test_scripted_peer_explicit_connect(scripted_liquidsoap: MakeLiquidsoap) -> None:
    peer = await scripted_liquidsoap(REAL)
    async with client_for(peer.port) as client:
        await client.connect()
        await client.connect()  # idempotent
        await asyncio.sleep(0.05)
        assert peer.connections == 1
        assert "connected" in repr(client)


async def test_scripted_peer_concurrent_callers_get_their_own_replies(
    scripted_liquidsoap: MakeLiquidsoap,
) -> None:
    async def script(_connection: int, command: str) -> Action:
        number = command.rsplit(maxsplit=1)[-1]
        await asyncio.sleep(0.001 * (int(number) % 5))
        return Chunked(framed(f"reply {number}"), size=3)

    peer = await scripted_liquidsoap(script=script)
    async with client_for(peer.port) as client:
        replies = await asyncio.gather(*(client.command(f"echo {i}") for i in range(40)))
    assert replies == [f"reply {i}" for i in range(40)]
    assert peer.connections == 1


async def test_scripted_peer_cancelled_caller_does_not_desynchronise_others(
    scripted_liquidsoap: MakeLiquidsoap,
) -> None:
    async def script(_connection: int, command: str) -> Action:
        if command == "slow":
            await asyncio.sleep(0.5)
            return framed("late answer")
        return framed(f"answer to {command}")

    peer = await scripted_liquidsoap(script=script)
    async with client_for(peer.port) as client:
        slow = asyncio.create_task(client.command("slow"))
        await asyncio.sleep(0.1)
        slow.cancel()
        with pytest.raises(asyncio.CancelledError):
            await slow
        assert await client.command("fast") == "answer to fast"  # not "late answer"
