"""Pure parsers of Icecast documents: captured from the real Icecast 2.4.4, then mangled."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

import pytest

from station_desktop.control.errors import ControlProtocolError
from station_desktop.control.icecast import (
    MountStats,
    listeners_by_bitrate,
    parse_admin_stats,
    parse_datetime,
    parse_iceresponse,
    parse_list_clients,
    parse_list_mounts,
    parse_status_json,
)

from .fake_peers import captured

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<icestats><host>&lol9;</host></icestats>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE icestats [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<icestats><host>&xxe;</host></icestats>"""


def icecast(name: str) -> bytes:
    return captured(f"icecast/{name}")


def test_admin_stats_of_real_icecast_with_three_mounts() -> None:
    stats = parse_admin_stats(icecast("admin_stats_three_mounts.xml"))
    assert stats.server_id == "Icecast 2.4.4"
    assert stats.host == "127.0.0.1"
    assert (stats.listeners, stats.sources, stats.clients) == (1, 3, 4)
    assert stats.server_start == datetime(2026, 11, 24, 22, 4, 41, tzinfo=UTC)
    assert [m.mount for m in stats.mounts] == ["/ff1.mp3", "/test.mp3", "/test64.mp3"]
    test = stats.mount("/test.mp3")
    assert test is not None
    assert (test.listeners, test.listener_peak, test.max_listeners) == (1, 1, None)
    assert test.bitrate == 128
    assert test.title == "Test Artist - Sine 440 Hz"
    assert test.server_name == "Test Radio"
    assert test.content_type == "audio/mpeg"
    assert test.source_ip == "127.0.0.1"
    assert test.user_agent is not None and test.user_agent.startswith("Liquidsoap/2.1.3")
    assert test.total_bytes_sent == 0
    assert test.stream_start == datetime(2026, 11, 24, 22, 4, 44, tzinfo=UTC)
    assert (test.samplerate, test.channels) == (44100, 2)
    ffmpeg = stats.mount("/ff1.mp3")
    assert ffmpeg is not None
    assert ffmpeg.bitrate is None  # ffmpeg sends no ice-audio-info
    assert ffmpeg.title is None
    assert stats.mount("/nope") is None


def test_admin_stats_of_real_icecast_without_mounts() -> None:
    stats = parse_admin_stats(icecast("admin_stats_no_mounts.xml"))
    assert stats.mounts == []
    assert stats.sources == 0
    assert stats.server_id == "Icecast 2.4.4"


@pytest.mark.parametrize(
    ("name", "mounts"),
    [
        ("status_json_no_mounts.json", []),
        ("status_json_one_mount.json", ["/ff1.mp3"]),
        ("status_json_three_mounts.json", ["/ff1.mp3", "/test.mp3", "/test64.mp3"]),
    ],
)
def test_status_json_of_real_icecast_missing_object_or_list(name: str, mounts: list[str]) -> None:
    assert [m.mount for m in parse_status_json(icecast(name))] == mounts


def test_status_json_and_admin_stats_agree_on_shared_fields() -> None:
    public = {m.mount: m for m in parse_status_json(icecast("status_json_three_mounts.json"))}
    admin = {m.mount: m for m in parse_admin_stats(icecast("admin_stats_three_mounts.xml")).mounts}
    for mount, stats in public.items():
        other = admin[mount]
        for name in ("listeners", "listener_peak", "bitrate", "title", "server_name",
                     "stream_start", "content_type", "genre"):
            assert getattr(stats, name) == getattr(other, name), (mount, name)
        assert stats.source_ip is None and stats.total_bytes_sent is None  # admin-only fields


def test_list_clients_of_real_icecast_uses_capitalised_tags() -> None:
    (listener,) = parse_list_clients(icecast("listclients.xml"))
    assert listener.id == 21
    assert listener.ip == "127.0.0.1"
    assert listener.user_agent == "TestListener/1.0"
    assert listener.connected_seconds == 1


def test_list_mounts_of_real_icecast() -> None:
    mounts = parse_list_mounts(icecast("listmounts.xml"))
    assert [(m.mount, m.listeners) for m in mounts] == [
        ("/ff1.mp3", 0), ("/test.mp3", 1), ("/test64.mp3", 0)]
    assert all(m.content_type == "audio/mpeg" for m in mounts)
    assert mounts[0].connected_seconds == 4


def test_iceresponse_of_real_icecast() -> None:
    assert parse_iceresponse(icecast("metadata_ok.xml")) == (True, "Metadata update successful")
    assert parse_iceresponse(icecast("killsource_ok.xml")) == (True, "Source Removed")
    failed = b"<iceresponse><message>Client 9 not found</message><return>0</return></iceresponse>"
    assert parse_iceresponse(failed) == (False, "Client 9 not found")


# -- hostile or broken documents -----------------------------------------------------------


def test_billion_laughs_is_refused_without_expanding() -> None:
    start = time.monotonic()
    with pytest.raises(ControlProtocolError, match="DTD or entities"):
        parse_admin_stats(BILLION_LAUGHS, "ice.example:8000")
    assert time.monotonic() - start < 1


def test_external_entity_is_refused() -> None:
    with pytest.raises(ControlProtocolError, match="DTD or entities") as info:
        parse_admin_stats(EXTERNAL_ENTITY, "ice.example:8000")
    assert "root:" not in str(info.value)


def test_html_page_instead_of_xml_is_named_as_such() -> None:
    with pytest.raises(ControlProtocolError, match="HTML page where XML was expected") as info:
        parse_admin_stats(icecast("listclients_xsl.html"), "ice.example:8000")
    assert "ice.example:8000" in str(info.value)


@pytest.mark.parametrize(
    "document",
    [b"", b"<icestats><source mount='/a'>", b"not xml at all", b"<icestats>\xff\xfe</icestats>",
     b"<?xml version='1.0'?><icestats><a></b></icestats>"],
)
def test_malformed_xml_is_protocol_error(document: bytes) -> None:
    with pytest.raises(ControlProtocolError, match="malformed XML"):
        parse_admin_stats(document)


def test_wrong_root_element_is_protocol_error() -> None:
    with pytest.raises(ControlProtocolError, match="expected an XML document <icestats>"):
        parse_admin_stats(icecast("metadata_ok.xml"))
    with pytest.raises(ControlProtocolError, match="<iceresponse>"):
        parse_iceresponse(icecast("listmounts.xml"))


def _stats_with_source(fields: str, attributes: str = ' mount="/a.mp3"') -> bytes:
    document = f"<icestats><sources>1</sources><source{attributes}>{fields}</source></icestats>"
    return document.encode()


def test_non_numeric_listeners_is_protocol_error_naming_the_mount() -> None:
    with pytest.raises(ControlProtocolError, match=r"listeners of /a\.mp3 is 'many'"):
        parse_admin_stats(_stats_with_source("<listeners>many</listeners>"))
    with pytest.raises(ControlProtocolError, match="listeners is"):
        parse_admin_stats(b"<icestats><listeners>1.5</listeners></icestats>")


def test_missing_counts_read_as_zero_and_descriptions_as_none() -> None:
    stats = parse_admin_stats(_stats_with_source(""))
    (mount,) = stats.mounts
    assert mount == MountStats(mount="/a.mp3", listeners=0, listener_peak=0)
    assert stats.listeners == 0
    assert stats.server_id is None
    assert stats.server_start is None


def test_odd_descriptive_fields_become_none_not_errors() -> None:
    (mount,) = parse_admin_stats(_stats_with_source(
        "<listeners>2</listeners><bitrate>Quality 0.5</bitrate><max_listeners>lots"
        "</max_listeners><stream_start_iso8601>yesterday</stream_start_iso8601>"
        "<stream_start>also bad</stream_start><total_bytes_sent>-</total_bytes_sent>"
        "<title></title>")).mounts
    assert mount.listeners == 2
    assert mount.bitrate is None
    assert mount.max_listeners is None
    assert mount.stream_start is None
    assert mount.total_bytes_sent is None
    assert mount.title is None


def test_bitrate_falls_back_to_audio_info() -> None:
    (mount,) = parse_admin_stats(_stats_with_source(
        "<audio_info>ice-samplerate=44100;ice-bitrate=96;ice-channels=2</audio_info>")).mounts
    assert mount.bitrate == 96
    (limited,) = parse_admin_stats(_stats_with_source("<max_listeners>50</max_listeners>")).mounts
    assert limited.max_listeners == 50


def test_source_without_mount_attribute_is_protocol_error() -> None:
    with pytest.raises(ControlProtocolError, match="no mount attribute"):
        parse_admin_stats(_stats_with_source("<listeners>1</listeners>", attributes=""))


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        (b"{not json", "malformed JSON"),
        (b"[1, 2]", "without an 'icestats' object"),
        (b'{"icestats": "down"}', "without an 'icestats' object"),
        (b'{"icestats": {"source": [1]}}', "not an object"),
        (b'{"icestats": {"source": {"listeners": 1}}}', "listenurl"),
        (b'{"icestats": {"source": {"listenurl": "http://h/a", "listeners": "x"}}}',
         "listeners of /a is 'x'"),
        (b"[" * 100000 + b"]" * 100000, "malformed JSON"),
        (b'{"icestats": {"source": {"listenurl": "http://h/a", "listeners": true}}}',
         "not a number"),
    ],
)
def test_broken_status_json_is_protocol_error(document: bytes, problem: str) -> None:
    with pytest.raises(ControlProtocolError) as info:
        parse_status_json(document, "ice.example:8000")
    assert problem in str(info.value)


def test_status_json_null_source_and_missing_title() -> None:
    assert parse_status_json(b'{"icestats": {"source": null}}') == []
    source = json.loads(icecast("status_json_one_mount.json"))["icestats"]["source"]
    (mount,) = parse_status_json(json.dumps({"icestats": {"source": source}}).encode())
    assert mount.title is None
    assert mount.listeners == 0
    assert mount.stream_start == datetime(2026, 11, 24, 22, 4, 42, tzinfo=UTC)


def test_list_clients_without_numeric_id_is_protocol_error() -> None:
    with pytest.raises(ControlProtocolError, match="numeric ID"):
        parse_list_clients(b"<icestats><source mount='/a'><listener><IP>1.2.3.4</IP>"
                           b"<ID>abc</ID></listener></source></icestats>")


def test_iceresponse_without_return_is_protocol_error() -> None:
    with pytest.raises(ControlProtocolError, match="without <return>"):
        parse_iceresponse(b"<iceresponse><message>hm</message></iceresponse>")


@pytest.mark.parametrize(
    ("iso", "rfc", "expected"),
    [
        ("2026-11-24T21:27:43+0000", None, datetime(2026, 11, 24, 21, 27, 43, tzinfo=UTC)),
        (None, "Tue, 24 Nov 2026 21:27:43 +0000", datetime(2026, 11, 24, 21, 27, 43, tzinfo=UTC)),
        ("garbage", "Tue, 24 Nov 2026 21:27:43 +0000",
         datetime(2026, 11, 24, 21, 27, 43, tzinfo=UTC)),
        ("garbage", "more garbage", None),
        (None, None, None),
        (12, None, None),
    ],
)
def test_parse_datetime(iso: object, rfc: object, expected: datetime | None) -> None:
    assert parse_datetime(iso, rfc) == expected


def test_listeners_by_bitrate_adds_up_per_bitrate() -> None:
    mounts = parse_admin_stats(icecast("admin_stats_three_mounts.xml")).mounts
    assert listeners_by_bitrate(mounts) == {0: 0, 128: 1, 64: 0}
    extra = [MountStats("/x", 5, 5, bitrate=128), MountStats("/y", 2, 3)]
    assert listeners_by_bitrate([*mounts, *extra]) == {0: 2, 128: 6, 64: 0}
    assert listeners_by_bitrate([]) == {}
