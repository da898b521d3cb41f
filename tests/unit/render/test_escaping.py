"""Liquidsoap string literals and annotate URIs (what the real Liquidsoap accepts is checked
in tests/integration/test_render_real.py)."""

from __future__ import annotations

import re

import pytest

from station_desktop.control.render.escaping import (
    RenderError,
    UnsafePath,
    annotate_uri,
    annotate_value,
    liq_float,
    liq_int,
    liq_string,
)

HOSTILE = 'a"b\\c\nd\re\tf#{1+1}g#h\'i$(id)j<&>ñ日本\x00\x7f\u2028#'


def unliq(expression: str) -> str:
    """Evaluate liq_string's output the way Liquidsoap would (literals joined by ^)."""
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', expression)
    out = []
    for part in parts:
        out.append(re.sub(r"\\(u[0-9a-f]{4}|.)", lambda m: {
            "n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\",
        }.get(m[1], chr(int(m[1][1:], 16)) if m[1].startswith("u") else m[1]), part))
    return "".join(out)


@pytest.mark.parametrize("value", ["", "plain", "ñ 日本", HOSTILE, "#", "##{{", "#{", "{#}"])
def test_liq_string_round_trips_and_never_interpolates(value: str) -> None:
    expression = liq_string(value)
    assert unliq(expression) == value
    assert "#{" not in expression
    assert "\n" not in expression and "\r" not in expression
    # every literal is closed: quotes inside are escaped
    assert re.fullmatch(r'\(?"(?:[^"\\]|\\.)*"(?: \^ "(?:[^"\\]|\\.)*")*\)?', expression)


def test_liq_string_shapes() -> None:
    assert liq_string('say "hi"') == '"say \\"hi\\""'
    assert liq_string("a#{x}") == '("a" ^ "#" ^ "{x}")'
    assert liq_string("#") == '("#")'
    assert liq_string("a\x01b") == '"a\\u0001b"'
    assert liq_string("\ud800") == '"\ufffd"'


def test_numbers() -> None:
    assert liq_float(3) == "3.0"
    assert liq_float(-14) == "-14.0"
    assert liq_float(2.5) == "2.5"
    assert liq_float(-0.0) == "0.0"
    assert liq_int(128) == "128"
    for bad in (float("nan"), float("inf"), True):
        with pytest.raises(RenderError):
            liq_float(bad)
    with pytest.raises(RenderError):
        liq_int(True)


def test_annotate_value() -> None:
    assert annotate_value('a "b" \\ c') == '"a \\"b\\" \\\\ c"'
    assert annotate_value("one\ntwo\r\tthree\u2028four") == '"one two  three four"'
    assert annotate_value("x #{1} y") == '"x # {1} y"'
    assert annotate_value(", : = # <&> ñ") == '", : = # <&> ñ"'


def test_annotate_uri() -> None:
    uri = annotate_uri({"title": "T", "artist": None, "sd_kind": "music", "x": ""}, "/a:b c.mp3")
    assert uri == 'annotate:title="T",sd_kind="music":/a:b c.mp3'
    assert annotate_uri({}, "/a.mp3") == "/a.mp3"
    with pytest.raises(RenderError):
        annotate_uri({"bad key": "v"}, "/a.mp3")


@pytest.mark.parametrize("path", ["relative.mp3", "process:rm -rf /", "say:hello",
                                  "http://x/y.mp3", "/a\nb.mp3", "/a\rb", "/a\x00b", "",
                                  "#/x.mp3", "/a\u2028b"])
def test_unsafe_paths_are_refused(path: str) -> None:
    with pytest.raises(UnsafePath):
        annotate_uri({"title": "x"}, path)
