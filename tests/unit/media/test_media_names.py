"""File names and tag text: refused names, stored names, clipped tags."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

import pytest

from station_desktop.control.render.escaping import check_path
from station_desktop.media.errors import MediaError
from station_desktop.media.names import (
    COLUMN_CHARS,
    check_source_path,
    clean_tag,
    display_name,
    is_stored_name,
    slug,
    stored_name,
)

HASH = "3f2a9c0d41b7" + "0" * 52


@pytest.mark.parametrize(("path", "reason"), [
    ("/music/../etc/passwd.mp3", "contains '..'"),
    ("../song.mp3", "contains '..'"),
    ("/music/bad\nname.mp3", "a line break"),
    ("/music/bad\rname.mp3", "a line break"),
    ("/music/tab\there.mp3", "a tab"),
    ("/music/bell\x07.mp3", "U+0007"),
    ("/music/nul\x00.mp3", "NUL"),
    ("/music/line\u2028sep.mp3", "a line break"),
])
def test_refused_source_names_say_why(path: str, reason: str) -> None:
    with pytest.raises(MediaError, match=re.escape(reason)) as raised:
        check_source_path(path)
    assert "\n" not in str(raised.value)  # the message itself stays on one line


@pytest.mark.parametrize("path", [
    "/music/It's \"quoted\" (live).mp3", "/music/a..b.mp3", "/music/..hidden.mp3",
    "/música/Canción ñ.flac", "/music/-rf.mp3", "relative/song.ogg",
])
def test_awkward_but_legitimate_names_are_accepted(path: str) -> None:
    check_source_path(path)


def test_display_name_keeps_the_name_and_clips_it_to_the_column() -> None:
    assert display_name("Canción «ñ».mp3") == "Canción «ñ».mp3"
    assert display_name("evil\u202egpj.mp3") == "evilgpj.mp3"  # no right-to-left override
    assert display_name("bytes\udcff.mp3") == "bytes\ufffd.mp3"  # undecodable byte
    long = "x" * 400 + ".flac"
    shown = display_name(long)
    assert len(shown) == COLUMN_CHARS and shown.endswith("….flac")


def test_stored_names_are_plain_ascii_unique_and_fit() -> None:
    assert slug("Canción de Björk (live) [2019]") == "Cancion-de-Bjork-live-2019"
    name = stored_name("It's \"quoted\" ..x.mp3", HASH, "mp3", max_chars=120)
    assert name == "It-s-quoted-x-3f2a9c0d41b7.mp3"
    assert is_stored_name(name)
    assert stored_name("日本語.mp3", HASH, "flac", max_chars=120) == "3f2a9c0d41b7.flac"
    assert stored_name("-rf --no-preserve-root.mp3", HASH, "mp3", max_chars=120).startswith("rf-")
    short = stored_name("a very long name indeed.mp3", HASH, "mp3", max_chars=24)
    assert len(short) <= 24 and short.endswith("-3f2a9c0d41b7.mp3")
    assert stored_name("x.mp3", HASH, "mp3", max_chars=16) == "3f2a9c0d41b7.mp3"
    with pytest.raises(ValueError, match="fits"):
        stored_name("x.mp3", HASH, "mp3", max_chars=10)
    # What the programme export will accept as a path.
    check_path(str(PurePosixPath("/audio/client", name)))


@pytest.mark.parametrize("name", ["", ".hidden", "-x", "a/b", "..", "a b", "ñ.mp3", "x" * 300])
def test_is_stored_name_refuses_what_the_importer_never_makes(name: str) -> None:
    assert not is_stored_name(name)


def test_tags_become_one_line_and_are_clipped_with_a_note() -> None:
    assert clean_tag("  Zoë\n\tÅngström  ", "Artist") == ("Zoë Ångström", None)
    assert clean_tag("\x00\n ", "Title") == (None, None)
    assert clean_tag(None, "Title") == (None, None)
    text, note = clean_tag("é" * 500, "Title")
    assert text is not None and len(text) == COLUMN_CHARS and text.endswith("…")
    assert note is not None and "500 characters" in note and "191" in note
    assert clean_tag("🎵 emoji ok", "Title") == ("🎵 emoji ok", None)
