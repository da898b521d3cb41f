"""IcecastClient against a scripted fake HTTP peer on loopback (malformed and hostile input).

Well-formed answers are documents captured from the real Icecast 2.4.4; the real server is
exercised in ``tests/integration/test_control_real.py``.
"""

from __future__ import annotations

import base64
import socket
import time

import httpx
import pytest

from station_desktop.control import icecast as icecast_module
from station_desktop.control.errors import (
    ControlError,
    ControlProtocolError,
    ControlTimeout,
    ControlUnreachable,
    IcecastAuthError,
    IcecastNotFound,
)
from station_desktop.control.icecast import IcecastClient
from station_desktop.errors import ValidationError

from .conftest import MakeHttp
from .fake_peers import Close, Hang, HttpReply, Partial, SlowBody, captured
from .test_icecast_parsing import BILLION_LAUGHS

pytestmark = pytest.mark.asyncio


def doc(name: str, status: int = 200, content_type: str = "text/xml") -> HttpReply:
    return HttpReply(status, captured(f"icecast/{name}"), content_type)


UNKNOWN_MOUNT = doc("unknown_mount_400.html", 400, "text/html")
AUTH_REQUIRED = HttpReply(401, captured("icecast/auth_401.html"), "text/plain; charset=utf-8",
                          {"WWW-Authenticate": 'Basic realm="Icecast2 Server"'})


def client_for(url: str, password: str = "adminpass", timeout: float = 2.0) -> IcecastClient:
    return IcecastClient(url, admin_user="admin", admin_password=password, timeout=timeout)


async def test_scripted_peer_admin_stats_with_basic_auth(scripted_http: MakeHttp) -> None:
    server = await scripted_http({"/admin/stats": doc("admin_stats_three_mounts.xml")})
    async with client_for(server.url) as client:
        stats = await client.server_stats()
        mount = await client.mount_stats("test.mp3")  # leading slash added
    assert len(stats.mounts) == 3
    assert mount.mount == "/test.mp3" and mount.listeners == 1
    expected = "Basic " + base64.b64encode(b"admin:adminpass").decode()
    assert server.requests[0].headers["authorization"] == expected


async def test_scripted_peer_mount_stats_of_absent_mount_is_not_found(
    scripted_http: MakeHttp,
) -> None:
    server = await scripted_http({"/admin/stats": doc("admin_stats_no_mounts.xml")})
    async with client_for(server.url) as client:
        with pytest.raises(IcecastNotFound, match=r"/live\.mp3"):
            await client.mount_stats("/live.mp3")


async def test_scripted_peer_public_status_sends_no_credentials(scripted_http: MakeHttp) -> None:
    server = await scripted_http({"/status-json.xsl": doc("status_json_one_mount.json",
                                                         content_type="application/json")})
    async with client_for(server.url) as client:
        (mount,) = await client.public_status()
    assert mount.mount == "/ff1.mp3"
    assert "authorization" not in server.requests[0].headers


async def test_scripted_peer_list_clients_and_mounts(scripted_http: MakeHttp) -> None:
    server = await scripted_http({"/admin/listclients": doc("listclients.xml"),
                                  "/admin/listmounts": doc("listmounts.xml")})
    async with client_for(server.url) as client:
        (listener,) = await client.list_clients("/test.mp3")
        mounts = await client.list_mounts()
    assert listener.user_agent == "TestListener/1.0"
    assert len(mounts) == 3
    assert server.requests[0].query == {"mount": ["/test.mp3"]}


async def test_scripted_peer_update_metadata_sends_song_and_charset(
    scripted_http: MakeHttp,
) -> None:
    server = await scripted_http({"/admin/metadata": doc("metadata_ok.xml")})
    async with client_for(server.url) as client:
        await client.update_metadata("/test.mp3", "Café & Co — 日本 ?=#")
    assert server.requests[0].query == {
        "mode": ["updinfo"], "mount": ["/test.mp3"], "song": ["Café & Co — 日本 ?=#"],
        "charset": ["UTF-8"]}


async def test_scripted_peer_kill_source_and_client(scripted_http: MakeHttp) -> None:
    removed = HttpReply(200, b"<?xml version=\"1.0\"?>\n<iceresponse><message>Client 7 removed"
                             b"</message><return>1</return></iceresponse>\n")
    server = await scripted_http({"/admin/killsource": doc("killsource_ok.xml"),
                                  "/admin/killclient": removed})
    async with client_for(server.url) as client:
        await client.kill_source("/ff1.mp3")
        await client.kill_client("/test.mp3", 7)
    assert server.requests[1].query == {"mount": ["/test.mp3"], "id": ["7"]}


async def test_scripted_peer_kill_unknown_client_is_not_found(scripted_http: MakeHttp) -> None:
    gone = HttpReply(200, b"<iceresponse><message>Client 999999 not found</message>"
                          b"<return>0</return></iceresponse>")
    server = await scripted_http({"/admin/killclient": gone})
    async with client_for(server.url) as client:
        with pytest.raises(IcecastNotFound, match="no listener 999999") as info:
            await client.kill_client("/test.mp3", 999999)
    assert info.value.client_id == 999999


async def test_scripted_peer_failed_action_is_protocol_error(scripted_http: MakeHttp) -> None:
    refused = HttpReply(200, b"<iceresponse><message>Mountpoint in use</message>"
                             b"<return>0</return></iceresponse>")
    server = await scripted_http({"/admin/metadata": refused})
    async with client_for(server.url) as client:
        with pytest.raises(ControlProtocolError, match="Mountpoint in use"):
            await client.update_metadata("/a.mp3", "x")


# -- HTTP errors -----------------------------------------------------------------------------


async def test_scripted_peer_401_is_auth_error_naming_server_and_user(
    scripted_http: MakeHttp,
) -> None:
    server = await scripted_http({"/admin/stats": AUTH_REQUIRED})
    async with client_for(server.url, password="wrong") as client:
        with pytest.raises(IcecastAuthError) as info:
            await client.server_stats()
    assert f"127.0.0.1:{server.port}" in str(info.value)
    assert "'admin'" in str(info.value)
    assert "wrong" not in str(info.value)  # never the password


@pytest.mark.parametrize(
    "call",
    ["list_clients", "update_metadata", "kill_source", "kill_client"],
)
async def test_scripted_peer_400_source_does_not_exist_is_not_found(
    scripted_http: MakeHttp, call: str
) -> None:
    routes = {f"/admin/{p}": UNKNOWN_MOUNT
              for p in ("listclients", "metadata", "killsource", "killclient")}
    server = await scripted_http(routes)
    args: dict[str, tuple[object, ...]] = {
        "list_clients": ("/nope.mp3",), "update_metadata": ("/nope.mp3", "song"),
        "kill_source": ("/nope.mp3",), "kill_client": ("/nope.mp3", 3)}
    async with client_for(server.url) as client:
        with pytest.raises(IcecastNotFound) as info:
            await getattr(client, call)(*args[call])
    assert info.value.mount == "/nope.mp3"


@pytest.mark.parametrize(
    ("reply", "problem"),
    [
        (HttpReply(400, b"<html><b>400 - Mount parameter mandatory</b></html>", "text/html"),
         "HTTP 400"),
        (HttpReply(404, b"<html>The file you requested could not be found</html>",
                   "text/html"), "HTTP 404"),
        (HttpReply(500, b"oops", "text/plain"), "HTTP 500"),
        (HttpReply(302, b"", "text/plain", {"Location": "http://elsewhere/"}), "HTTP 302"),
        (doc("listclients_xsl.html", content_type="text/html"), "HTML page"),
        (HttpReply(200, BILLION_LAUGHS), "DTD or entities"),
        (HttpReply(200, b"<icestats><source"), "malformed XML"),
        (HttpReply(200, captured("icecast/metadata_ok.xml")), "<iceresponse>"),
        (HttpReply(200, b"<icestats><listeners>a few</listeners></icestats>"), "a few"),
    ],
)
async def test_scripted_peer_bad_answers_are_protocol_errors(
    scripted_http: MakeHttp, reply: HttpReply, problem: str
) -> None:
    server = await scripted_http({"/admin/stats": reply})
    async with client_for(server.url) as client:
        with pytest.raises(ControlProtocolError) as info:
            await client.server_stats()
    assert problem in str(info.value)
    assert f"127.0.0.1:{server.port}" in str(info.value)


@pytest.mark.parametrize(
    "body",
    [b"<html>maintenance</html>", b"{broken", b'{"icestats": []}', b"\xff\xfe"],
)
async def test_scripted_peer_bad_status_json_is_protocol_error(
    scripted_http: MakeHttp, body: bytes
) -> None:
    server = await scripted_http({"/status-json.xsl": HttpReply(200, body, "application/json")})
    async with client_for(server.url) as client:
        with pytest.raises(ControlProtocolError):
            await client.public_status()


# -- transport failures: never hang ----------------------------------------------------------


async def test_refused_connection_is_unreachable() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    start = time.monotonic()
    async with client_for(f"http://127.0.0.1:{port}") as client:
        with pytest.raises(ControlUnreachable) as info:
            await client.public_status()
    assert time.monotonic() - start < 2
    assert f"127.0.0.1:{port}" in str(info.value)


async def test_scripted_peer_that_never_answers_times_out(scripted_http: MakeHttp) -> None:
    server = await scripted_http({"/admin/stats": Hang()})
    start = time.monotonic()
    async with client_for(server.url, timeout=0.3) as client:
        with pytest.raises(ControlTimeout, match="/admin/stats"):
            await client.server_stats()
    assert time.monotonic() - start < 2


async def test_scripted_peer_trickling_body_hits_the_overall_deadline(
    scripted_http: MakeHttp,
) -> None:
    slow = SlowBody(captured("icecast/admin_stats_three_mounts.xml"), pause=0.05)
    server = await scripted_http({"/admin/stats": slow})
    start = time.monotonic()
    async with client_for(server.url, timeout=0.3) as client:
        with pytest.raises(ControlTimeout):
            await client.server_stats()
    assert time.monotonic() - start < 3


@pytest.mark.parametrize("action", [Close(), Partial(b"<icestats><sour")])
async def test_scripted_peer_closing_early_is_protocol_error(
    scripted_http: MakeHttp, action: Close | Partial
) -> None:
    server = await scripted_http({"/admin/stats": action})
    async with client_for(server.url) as client:
        with pytest.raises(ControlProtocolError, match="broken HTTP answer"):
            await client.server_stats()


async def test_scripted_peer_oversized_answer_is_refused(
    scripted_http: MakeHttp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(icecast_module, "MAX_RESPONSE_BYTES", 64 * 1024)
    huge = b"<icestats>" + b"<x/>" * 100_000 + b"</icestats>"
    server = await scripted_http({"/admin/stats": HttpReply(200, huge)})
    async with client_for(server.url) as client:
        with pytest.raises(ControlProtocolError, match="more than 65536"):
            await client.server_stats()


async def test_shared_http_client_is_not_closed(scripted_http: MakeHttp) -> None:
    server = await scripted_http({"/status-json.xsl": doc("status_json_no_mounts.json")})
    async with httpx.AsyncClient() as shared:
        async with IcecastClient(server.url, admin_user="a", admin_password="b",
                                 client=shared) as client:
            assert await client.public_status() == []
        assert not shared.is_closed
        async with IcecastClient(server.url, admin_user="a", admin_password="b",
                                 client=shared) as again:
            assert await again.public_status() == []


async def test_constructor_validates_url_and_names_peer() -> None:
    async with IcecastClient("http://radio.example", admin_user="a", admin_password="b") as c:
        assert c.peer == "radio.example:80"
    async with IcecastClient("https://[::1]:8443/", admin_user="a", admin_password="b") as c:
        assert c.peer == "[::1]:8443"
    with pytest.raises(ValueError):
        IcecastClient("radio.example:8000", admin_user="a", admin_password="b")


async def test_bad_mount_names_are_refused_before_any_request(scripted_http: MakeHttp) -> None:
    server = await scripted_http({})
    async with client_for(server.url) as client:
        for mount in ("", "  ", "/a\nb", "/x\x00"):
            with pytest.raises(ValidationError):
                await client.kill_source(mount)
    assert server.requests == []


async def test_every_failure_is_a_control_error(scripted_http: MakeHttp) -> None:
    server = await scripted_http({"/admin/stats": AUTH_REQUIRED, "/status-json.xsl": Close()})
    async with client_for(server.url) as client:
        for call in (client.server_stats, client.public_status):
            with pytest.raises(ControlError):
                await call()
