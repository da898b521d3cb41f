"""The control clients against a REAL Icecast 2.4.4 and a REAL Liquidsoap 2.1.3.

One stack for the module (``radio_stack``, see ``tests/helpers/stack.py``): Liquidsoap
plays a playlist of three 20 s tagged sine MP3s through a fallback (harbor ``live`` >
queue ``requests`` > playlist ``autodj``) to /test.mp3 (128k) and /test64.mp3 (64k).
Tests that change the state wait for the change by polling, with time limits; the last
test stops and restarts Liquidsoap.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
from helpers.onair import listening
from helpers.stack import (
    ADMIN_USER,
    ALBUM,
    ARTIST,
    FREQUENCIES,
    LIVE_PASSWORD,
    LIVE_USER,
    PUSHED_TITLE,
    RadioStack,
    StackError,
    ThrowawaySshd,
    free_port,
)

from station_desktop.control.errors import (
    ControlProtocolError,
    ControlUnreachable,
    IcecastAuthError,
    IcecastNotFound,
)
from station_desktop.control.icecast import IcecastClient, listeners_by_bitrate
from station_desktop.control.liquidsoap import (
    LiquidsoapClient,
    LiquidsoapCommandFailed,
    TrackMetadata,
)
from station_desktop.control.tunnel import SshAuthError, SshHostKeyError, SshTunnel

pytestmark = [pytest.mark.integration, pytest.mark.asyncio]

T = TypeVar("T")
TITLES = {f"Sine {f} Hz" for f in FREQUENCIES}


async def wait_for(
    what: str, probe: Callable[[], Awaitable[T]], accept: Callable[[T], bool],
    timeout: float = 10.0,
) -> T:
    """Call ``probe`` every 0.1 s until ``accept(result)``; fail with the last result."""
    deadline = time.monotonic() + timeout
    while True:
        result = await probe()
        if accept(result):
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:g} s waiting for {what}; last: {result!r}")
        await asyncio.sleep(0.1)


async def test_version_uptime_help(liquidsoap: LiquidsoapClient) -> None:
    version = await liquidsoap.version()
    assert version.text == "Liquidsoap 2.1.3"
    assert version.version == (2, 1, 3)
    assert (await liquidsoap.uptime()).total_seconds() >= 0
    commands = await liquidsoap.help()
    for name in ("out128.metadata", "out128.skip", "out128.remaining", "out64.start",
                 "out64.stop", "out64.status", "requests.push", "live.status",
                 "request.metadata", "var.set", "autodj.next"):
        assert name in commands
    # Liquidsoap 2.x outputs have no start/stop of their own: the script registered them.
    assert commands.count("out128.start") == 1


async def test_mounts_up_and_real_listener_counted(
    radio_stack: RadioStack, icecast: IcecastClient
) -> None:
    stats = await icecast.server_stats()
    assert stats.server_id == "Icecast 2.4.4"
    assert {"/test.mp3", "/test64.mp3"} <= {m.mount for m in stats.mounts}
    bitrates = {m.mount: m.bitrate for m in stats.mounts}
    assert bitrates["/test.mp3"] == 128 and bitrates["/test64.mp3"] == 64

    async with listening(f"{radio_stack.icecast_url}/test.mp3", "IntegrationListener/1.0") as got:
        # /admin/stats counts per mount and in all (the total may lag a moment behind)
        counted = await wait_for(
            "the listener in /admin/stats", icecast.server_stats,
            lambda s: s.listeners == 1 and (m := s.mount("/test.mp3")) is not None
            and m.listeners == 1)
        assert sum(m.listeners for m in counted.mounts) == 1
        public = {m.mount: m for m in await icecast.public_status()}
        assert public["/test.mp3"].listeners == 1
        assert public["/test64.mp3"].listeners == 0
        assert listeners_by_bitrate(public.values()) == {128: 1, 64: 0}
        (client,) = await icecast.list_clients("/test.mp3")
        assert client.user_agent == "IntegrationListener/1.0"
        assert client.ip == "127.0.0.1"
        mounts = {m.mount: m for m in await icecast.list_mounts()}
        assert mounts["/test.mp3"].listeners == 1
        await wait_for("audio bytes", lambda: asyncio.sleep(0, got[0]), lambda n: n > 16000)

        await icecast.kill_client("/test.mp3", client.id)
        after = await wait_for(
            "the listener to be gone", icecast.server_stats,
            lambda s: (m := s.mount("/test.mp3")) is not None and m.listeners == 0)
        mount = after.mount("/test.mp3")
        assert mount is not None and mount.listener_peak >= 1
        with pytest.raises(IcecastNotFound):
            await icecast.kill_client("/test.mp3", client.id)


async def test_now_playing_returns_the_tags(
    radio_stack: RadioStack, liquidsoap: LiquidsoapClient, icecast: IcecastClient
) -> None:
    now = await liquidsoap.now_playing("out128")
    assert now.title in TITLES | {PUSHED_TITLE}
    assert now.artist == ARTIST
    assert now.album == ALBUM
    assert now.filename is not None and now.filename.endswith(".mp3")
    assert now.rid is not None
    assert 0 <= await liquidsoap.remaining("out128") <= 21
    await wait_for(
        "Icecast to show the same title", icecast.public_status,
        lambda ms: any(m.mount == "/test.mp3" and m.title == f"{ARTIST} - {now.title}"
                       for m in ms), timeout=3)


async def test_skip_changes_the_track(liquidsoap: LiquidsoapClient) -> None:
    before = await liquidsoap.now_playing("out128")
    await liquidsoap.skip("out128")
    after = await wait_for(
        "a new track after skip", lambda: liquidsoap.now_playing("out128"),
        lambda t: t.rid != before.rid, timeout=5)
    assert after.title in TITLES and after.title != before.title


async def test_push_request_plays_the_pushed_file(
    radio_stack: RadioStack, liquidsoap: LiquidsoapClient, icecast: IcecastClient
) -> None:
    rid = await liquidsoap.push_request("requests", str(radio_stack.pushed_file))
    now = await wait_for(
        "the pushed track on air", lambda: liquidsoap.now_playing("out128"),
        lambda t: t.title == PUSHED_TITLE, timeout=5)
    assert now.rid == rid
    assert now.source == "requests"
    request = await liquidsoap.request_metadata(rid)
    assert request is not None and request.title == PUSHED_TITLE
    assert rid in await liquidsoap.on_air()
    assert await liquidsoap.queue("requests") == []
    await wait_for(
        "Icecast to show the pushed title", icecast.public_status,
        lambda ms: any(m.title == f"{ARTIST} - {PUSHED_TITLE}" for m in ms), timeout=3)
    assert await liquidsoap.request_metadata(99999) is None
    await liquidsoap.skip("out128")  # back to AutoDJ for the next tests


async def test_live_dj_connects_and_leaves(
    radio_stack: RadioStack, liquidsoap: LiquidsoapClient
) -> None:
    assert (await liquidsoap.live_status()).connected is False
    radio_stack.start_ffmpeg_source(radio_stack.harbor_url, name="dj", ice_name="DJ Test Show")
    try:
        status = await wait_for("the DJ on the harbor", liquidsoap.live_status,
                                lambda s: s.connected, timeout=8)
        assert status.address == "127.0.0.1"
        # ffmpeg sends no tags, and Liquidsoap 2.1.3 does not reliably mark a switch to a
        # source without metadata. The DJ sets a title through the harbor (as BUTT does);
        # a title sent while the harbor buffer fills is sometimes lost at the switch, so
        # it is sent again each second, as DJ software does on every song change.
        async def dj_title_on_air() -> TrackMetadata:
            async with httpx.AsyncClient(timeout=5) as http:
                reply = await http.get(
                    f"http://127.0.0.1:{radio_stack.harbor_port}/admin/metadata",
                    params={"mode": "updinfo", "mount": "/live", "song": "DJ Artist - Live Set"},
                    auth=(LIVE_USER, LIVE_PASSWORD))
            assert reply.status_code == 200, reply.text
            for _ in range(10):  # watch for a second before sending it again
                now = await liquidsoap.now_playing("out128")
                if now.title == "DJ Artist - Live Set":
                    break
                await asyncio.sleep(0.1)
            return now

        live = await wait_for("the live source on air", dj_title_on_air,
                              lambda t: t.title == "DJ Artist - Live Set", timeout=12)
        assert live.artist is None and live.rid is None  # not a request: no rid, no file
        assert live.filename is None
    finally:
        radio_stack.stop_process("dj")
    await wait_for("the DJ to be gone", liquidsoap.live_status, lambda s: not s.connected,
                   timeout=5)
    back = await wait_for("AutoDJ back on air", lambda: liquidsoap.now_playing("out128"),
                          lambda t: t.artist == ARTIST, timeout=8)
    assert back.title in TITLES


async def test_update_metadata_and_kill_source_on_an_ffmpeg_mount(
    radio_stack: RadioStack, icecast: IcecastClient
) -> None:
    ffmpeg = radio_stack.start_ffmpeg_source(radio_stack.source_url("/ff1.mp3"), name="ff1",
                                             ice_name="FF direct")
    try:
        # /admin/listmounts shows a new source at once, /admin/stats a moment later
        await wait_for("/ff1.mp3 in /admin/listmounts", icecast.list_mounts,
                       lambda ms: any(m.mount == "/ff1.mp3" for m in ms))
        song = "Café Artist - Ünïcode Song"
        await icecast.update_metadata("/ff1.mp3", song)
        await wait_for(
            "the new title in /admin/stats", icecast.server_stats,
            lambda s: (m := s.mount("/ff1.mp3")) is not None and m.title is not None, timeout=5)
        mount = await icecast.mount_stats("/ff1.mp3")
        assert mount.title == song
        assert mount.server_name == "FF direct"
        assert mount.bitrate is None  # ffmpeg sends no ice-audio-info

        await icecast.kill_source("/ff1.mp3")
        await wait_for("/ff1.mp3 to leave /admin/stats", icecast.server_stats,
                       lambda s: s.mount("/ff1.mp3") is None, timeout=5)
        assert all(m.mount != "/ff1.mp3" for m in await icecast.list_mounts())
        with pytest.raises(IcecastNotFound, match=r"/ff1\.mp3"):
            await icecast.mount_stats("/ff1.mp3")
        with pytest.raises(IcecastNotFound):
            await icecast.kill_source("/ff1.mp3")
        deadline = time.monotonic() + 10
        while ffmpeg.running() and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        assert not ffmpeg.running(), "ffmpeg should have lost its connection"
    finally:
        radio_stack.stop_process("ff1")


async def test_output_stop_and_start(liquidsoap: LiquidsoapClient) -> None:
    # output.dummy: stopping an output.icecast with %mp3 can crash Liquidsoap 2.1.3
    assert await liquidsoap.output_status("outdummy") is True
    await liquidsoap.output_stop("outdummy")
    try:
        assert await liquidsoap.output_status("outdummy") is False
    finally:
        await liquidsoap.output_start("outdummy")
    assert await liquidsoap.output_status("outdummy") is True
    # an output of an infallible source cannot be stopped (the script must say fallible=true)
    for output_id in ("out128", "out64"):
        with pytest.raises(LiquidsoapCommandFailed, match="infallible"):
            await liquidsoap.output_stop(output_id)
        assert await liquidsoap.output_status(output_id) is True


async def test_interactive_variables(liquidsoap: LiquidsoapClient) -> None:
    await liquidsoap.var_set("volume", 0.5)
    assert await liquidsoap.var_get("volume") == "0.500"
    await liquidsoap.var_set("volume", 1.0)
    assert await liquidsoap.var_get("volume") == "1.000"
    await liquidsoap.var_set("greeting", "hello there")
    assert await liquidsoap.var_get("greeting") == "hello there"
    with pytest.raises(LiquidsoapCommandFailed, match="no interactive variable 'nothere'"):
        await liquidsoap.var_set("nothere", 1)
    with pytest.raises(LiquidsoapCommandFailed, match="no interactive variable"):
        await liquidsoap.var_get("nothere")


async def test_unknown_command_and_output(liquidsoap: LiquidsoapClient) -> None:
    with pytest.raises(LiquidsoapCommandFailed, match=r"'nosuch\.skip'"):
        await liquidsoap.skip("nosuch")
    assert (await liquidsoap.version()).version == (2, 1, 3)  # still in step


async def test_wrong_admin_password_is_auth_error(radio_stack: RadioStack) -> None:
    async with IcecastClient(radio_stack.icecast_url, admin_user=ADMIN_USER,
                             admin_password="wrong") as client:
        with pytest.raises(IcecastAuthError, match=f"127.0.0.1:{radio_stack.icecast_port}"):
            await client.server_stats()
        with pytest.raises(IcecastAuthError):
            await client.kill_source("/test.mp3")
        # the public page needs no password
        assert "/test.mp3" in {m.mount for m in await client.public_status()}


async def test_unknown_mount_is_not_found(icecast: IcecastClient) -> None:
    for call in (lambda: icecast.list_clients("/nope.mp3"),
                 lambda: icecast.update_metadata("/nope.mp3", "x"),
                 lambda: icecast.kill_source("/nope.mp3")):
        with pytest.raises(IcecastNotFound) as info:
            await call()
        assert info.value.mount == "/nope.mp3"


async def test_concurrent_commands_share_one_connection(liquidsoap: LiquidsoapClient) -> None:
    results = await asyncio.gather(*(liquidsoap.version() for _ in range(10)),
                                   *(liquidsoap.remaining("out128") for _ in range(10)))
    assert all(getattr(r, "version", None) == (2, 1, 3) for r in results[:10])
    assert all(isinstance(r, float) for r in results[10:])
    assert liquidsoap.connections_opened == 1


async def test_stack_helper_reports_a_broken_script_with_its_log(tmp_path: Path) -> None:
    stack = RadioStack.create(tmp_path)
    (tmp_path / "music" / "placeholder").touch()
    try:
        stack.liquidsoap_script = "this is not = a valid script ("
        with pytest.raises(StackError, match="exited during start-up") as info:
            await asyncio.to_thread(stack.start_liquidsoap)
        assert "Error" in str(info.value) or "error" in str(info.value)
        assert "liquidsoap.log" in str(info.value)
    finally:
        stack.destroy()


async def test_stopped_liquidsoap_is_unreachable_then_client_reconnects(
    radio_stack: RadioStack, liquidsoap: LiquidsoapClient
) -> None:
    assert (await liquidsoap.version()).version == (2, 1, 3)
    await asyncio.to_thread(radio_stack.stop_liquidsoap)
    start = time.monotonic()
    with pytest.raises(ControlUnreachable) as info:
        await liquidsoap.version()
    assert time.monotonic() - start < 2
    assert f"127.0.0.1:{radio_stack.telnet_port}" in str(info.value)
    await asyncio.to_thread(radio_stack.start_liquidsoap)
    assert (await liquidsoap.version()).version == (2, 1, 3)  # same client, new connection
    assert liquidsoap.connections_opened == 2


# -- Liquidsoap through an SSH tunnel (real OpenSSH server) -------------------------------


def tunnel_to(
    radio_stack: RadioStack, sshd: ThrowawaySshd, **options: Any
) -> SshTunnel:
    settings: dict[str, Any] = {
        "ssh_port": sshd.port, "username": sshd.user, "client_keys": [sshd.client_key],
        "known_hosts": sshd.known_hosts, "remote_port": radio_stack.telnet_port,
        "connect_timeout": 5,
    }
    settings.update(options)
    return SshTunnel("127.0.0.1", **settings)


async def test_liquidsoap_through_ssh_tunnel(radio_stack: RadioStack, sshd: ThrowawaySshd) -> None:
    async with tunnel_to(radio_stack, sshd) as tunnel:
        assert tunnel.is_open and tunnel.local_port != radio_stack.telnet_port
        async with tunnel.liquidsoap_client() as liquidsoap:
            assert (await liquidsoap.version()).version == (2, 1, 3)
            assert (await liquidsoap.now_playing("out128")).artist in (ARTIST, None)
            assert liquidsoap.peer == f"127.0.0.1:{tunnel.local_port}"
    assert not tunnel.is_open


async def test_ssh_tunnel_with_passphrase_protected_key(
    radio_stack: RadioStack, sshd: ThrowawaySshd
) -> None:
    tunnel = tunnel_to(radio_stack, sshd, client_keys=[sshd.protected_key],
                       passphrase=sshd.KEY_PASSPHRASE)
    async with tunnel, tunnel.liquidsoap_client() as liquidsoap:
        assert (await liquidsoap.uptime()).total_seconds() >= 0
    with pytest.raises(SshAuthError, match="cannot read the key"):
        await tunnel_to(radio_stack, sshd, client_keys=[sshd.protected_key],
                        passphrase="wrong").open()


async def test_ssh_tunnel_refuses_unknown_or_changed_host_key(
    radio_stack: RadioStack, sshd: ThrowawaySshd, tmp_path: Path
) -> None:
    empty = tmp_path / "known_hosts_empty"
    empty.write_text("")
    with pytest.raises(SshHostKeyError, match=f"127.0.0.1:{sshd.port}"):
        await tunnel_to(radio_stack, sshd, known_hosts=empty).open()
    changed = tmp_path / "known_hosts_changed"
    stranger = (sshd.directory / "stranger_ed25519.pub").read_text().split()
    changed.write_text(f"[127.0.0.1]:{sshd.port} {stranger[0]} {stranger[1]}\n")
    with pytest.raises(SshHostKeyError):
        await tunnel_to(radio_stack, sshd, known_hosts=changed).open()


async def test_ssh_tunnel_refuses_unauthorised_key(
    radio_stack: RadioStack, sshd: ThrowawaySshd
) -> None:
    with pytest.raises(SshAuthError, match="refused the login"):
        await tunnel_to(radio_stack, sshd, client_keys=[sshd.stranger_key]).open()


async def test_ssh_tunnel_to_closed_ports(radio_stack: RadioStack, sshd: ThrowawaySshd) -> None:
    start = time.monotonic()
    with pytest.raises(ControlUnreachable, match="SSH server"):
        await tunnel_to(radio_stack, sshd, ssh_port=free_port()).open()
    # the tunnel opens, but nothing listens behind it: the forwarded connection is closed
    tunnel = tunnel_to(radio_stack, sshd, remote_port=free_port())
    async with tunnel, tunnel.liquidsoap_client() as liquidsoap:
        with pytest.raises(ControlProtocolError, match="closed before any reply"):
            await liquidsoap.version()
    assert time.monotonic() - start < 5
