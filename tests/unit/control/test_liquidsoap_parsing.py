"""Pure parsers of Liquidsoap replies, fed with replies captured from Liquidsoap 2.1.3."""

from __future__ import annotations

from datetime import timedelta

import pytest

from station_desktop.control.liquidsoap import (
    TrackMetadata,
    parse_help,
    parse_metadata_blocks,
    parse_uptime,
    parse_version,
    unescape_value,
)

from .fake_peers import END, captured


def body(name: str) -> str:
    raw = captured(f"liquidsoap/{name}")
    assert raw.endswith(END)
    return raw[: -len(END)].decode()


def test_version_of_real_liquidsoap() -> None:
    version = parse_version(body("version.txt"))
    assert version.text == "Liquidsoap 2.1.3"
    assert version.version == (2, 1, 3)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Liquidsoap 2.2.5+git@abc", (2, 2, 5)), ("Liquidsoap v1.4", (1, 4)),
     ("Liquidsoap 10.0.0\n", (10, 0, 0))],
)
def test_version_variants(text: str, expected: tuple[int, ...]) -> None:
    assert parse_version(text).version == expected


@pytest.mark.parametrize("text", ["", "Icecast 2.4.4", "Liquidsoap", "2.1.3"])
def test_version_rejects_other_text(text: str) -> None:
    with pytest.raises(ValueError):
        parse_version(text)


def test_uptime_of_real_liquidsoap() -> None:
    assert parse_uptime(body("uptime.txt")) < timedelta(minutes=5)
    assert parse_uptime("3d 04h 05m 06s") == timedelta(days=3, hours=4, minutes=5, seconds=6)


@pytest.mark.parametrize("text", ["", "13s", "0d 00h 00m", "1 day", "0d 00h 00m 13s extra"])
def test_uptime_rejects_other_text(text: str) -> None:
    with pytest.raises(ValueError):
        parse_uptime(text)


def test_help_of_real_liquidsoap_lists_command_names() -> None:
    names = parse_help(body("help.txt"))
    assert names[0] == "autodj.next"
    for name in ("out128.metadata", "out128.skip", "out128.start", "out64.status",
                 "requests.push", "request.metadata", "live.status", "var.set", "version"):
        assert name in names
    assert "<uri>" not in " ".join(names)
    assert len(names) == len(set(names))


def test_help_without_commands_is_rejected() -> None:
    with pytest.raises(ValueError):
        parse_help("Hello, this is not Liquidsoap")


def test_metadata_blocks_of_real_output_are_oldest_first_and_unescaped() -> None:
    blocks = parse_metadata_blocks(body("out128_metadata.txt"))
    assert len(blocks) == 5
    assert [b["rid"] for b in blocks] == ["0", "1", "2", "4", "5"]
    assert blocks[0]["title"] == "Sine 440 Hz"
    assert blocks[0]["artist"] == "Test Artist"
    escaped = blocks[3]
    assert escaped["title"] == 'He said "hi" \\back\\slash tab\té 日本 💿'
    assert escaped["artist"] == "Line1\nLine2"
    assert escaped["album"] == "O'Brien; x=y"
    assert blocks[4]["title"] == "a\x01b\rc\x7fd\x1be"
    assert "artist" not in blocks[4]


def test_metadata_block_of_live_dj_without_tags_is_empty() -> None:
    blocks = parse_metadata_blocks(body("out128_metadata_live.txt"))
    assert blocks[-1] == {}
    track = TrackMetadata.from_dict(blocks[-1])
    assert track.is_empty
    assert (track.title, track.artist, track.album, track.filename, track.rid) == (
        None, None, None, None, None)


def test_request_metadata_is_one_block_without_header() -> None:
    blocks = parse_metadata_blocks(body("request_metadata.txt"))
    assert len(blocks) == 1
    track = TrackMetadata.from_dict(blocks[0])
    assert track.rid == 0
    assert track.title == "Sine 440 Hz"
    assert track.status == "playing"
    assert track.source == "autodj"
    assert track.filename is not None and track.filename.endswith("/music/sine440.mp3")
    assert track.metadata["decoder"] == "FFMPEG"


def test_empty_metadata_reply_has_no_blocks() -> None:
    assert parse_metadata_blocks("") == []


@pytest.mark.parametrize(
    "text",
    ["title=unquoted", 'title="unterminated', "just words", '="no key"', 'a b="space in key"'],
)
def test_metadata_line_that_is_not_key_value_is_rejected(text: str) -> None:
    with pytest.raises(ValueError):
        parse_metadata_blocks(f"--- 1 ---\n{text}")


@pytest.mark.parametrize(
    ("escaped", "plain"),
    [
        ("plain", "plain"),
        (r"\"q\"", '"q"'),
        (r"a\\b", "a\\b"),
        (r"l1\nl2\r\t", "l1\nl2\r\t"),
        (r"\u0001\u007F\u001b", "\x01\x7f\x1b"),
        (r"\x41\065", "AA"),
        (r"keep \q unknown", "keep \\q unknown"),
        ("é 日本 💿", "é 日本 💿"),
    ],
)
def test_unescape_value(escaped: str, plain: str) -> None:
    assert unescape_value(escaped) == plain


@pytest.mark.parametrize("bad", ["ends with \\", r"\u12", r"\uZZZZ"])
def test_unescape_value_rejects_broken_escapes(bad: str) -> None:
    with pytest.raises(ValueError):
        unescape_value(bad)


def test_track_metadata_treats_empty_values_as_missing() -> None:
    track = TrackMetadata.from_dict({"title": "", "artist": "A", "rid": "x"})
    assert track.title is None
    assert track.artist == "A"
    assert track.rid is None
    assert not track.is_empty
