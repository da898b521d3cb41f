"""Escaping for everything the renderers embed: Liquidsoap string literals and ``annotate:``
request URIs (used in scripts, in the exported m3u and by the picker).

Both were checked against the real Liquidsoap 2.1.3:

- **Liquidsoap string literals** interpolate ``#{...}`` *after* unescaping, in double *and*
  single quotes: ``"a\\x23{1+1}b"`` evaluates to ``"a2b"`` and ``"\\#"`` is not an escape.
  So a ``#`` can never sit inside a literal that is followed by ``{``: :func:`liq_string`
  renders every ``#`` as its own literal and joins the pieces with ``^``
  (``("a" ^ "#" ^ "{1+1}b")``). Backslash, double quote and control characters are
  escaped (``\\\\``, ``\\"``, ``\\n``, ``\\uXXXX``); other UTF-8 text is written as is.
  User data never goes into comments (a newline there would start a line of code).
- **annotate values** are read by Liquidsoap's ``annotate:`` parser, which accepts
  ``key="value"`` with JSON-like escapes (``\\"``, ``\\\\``, ``\\n``, ``\\uXXXX``) and keeps
  ``,``, ``:``, ``=``, ``#``, ``<&>`` and non-ASCII inside the quotes verbatim. Control
  characters (newline, tab, DEL, C1, U+2028/2029) are **replaced by a space**: a URI is one
  line (of picker output, of an m3u file, of a telnet command), and a title with a line
  break is a tagging accident, not something to put on air.
- The two characters ``#{`` **cannot be represented** in an annotate value of 2.1.3: the
  parser unescapes first and then reads ``#{`` as a string interpolation, whatever the
  escape (``\\u0023{``, ``\\x23{``...), and the request fails with "Syntax error". Such
  a value is written with ``# {`` instead (a lone ``#`` or ``{`` is fine).
- Liquidsoap's m3u parser turns ``#EXTINF`` lines into an annotate prefix of its own
  (``extinf_duration``, ``song``) and is therefore *not* used: the exported m3u carries
  only annotate URIs.
- **Paths** in an annotate URI must be absolute (``/...``): anything else could name one of
  Liquidsoap's protocols (``process:``, ``say:``, ``http:``...). A path with a control
  character (a newline in a file name could inject an m3u line or a telnet command) is
  refused with :class:`UnsafePath`, never encoded, because Liquidsoap would not find the
  file under any encoded name.

``liquidsoap/picker.py`` (stdlib-only, installed on the VPS) carries a copy of
:func:`annotate_value` and :func:`annotate_uri`; a unit test keeps the two identical.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping

__all__ = [
    "RenderError",
    "UnsafePath",
    "annotate_uri",
    "annotate_value",
    "liq_bool",
    "liq_float",
    "liq_int",
    "liq_string",
    "liq_string_list",
]


class RenderError(ValueError):
    """The data cannot be rendered safely (a path, a port, a bitrate out of range...)."""


class UnsafePath(RenderError):
    """A file path that must not be embedded (relative, or with a control character)."""


# C0 controls, DEL, C1 controls and the Unicode line/paragraph separators.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")
_ANNOTATE_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_LIQ_SIMPLE_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _valid_text(value: str) -> str:
    """``value`` with lone surrogates (not encodable as UTF-8) replaced by U+FFFD."""
    return _LONE_SURROGATE.sub("\ufffd", value)


def _liq_escape_char(ch: str) -> str:
    simple = _LIQ_SIMPLE_ESCAPES.get(ch)
    if simple is not None:
        return simple
    if _CONTROL.fullmatch(ch):
        return f"\\u{ord(ch):04x}"
    return ch


def _liq_literal(piece: str) -> str:
    return '"' + "".join(_liq_escape_char(ch) for ch in piece) + '"'


def liq_string(value: str) -> str:
    """A Liquidsoap expression that evaluates to exactly ``value``.

    Safe against code injection and ``#{}`` interpolation: see the module docstring.
    """
    value = _valid_text(value)
    if "#" not in value:
        return _liq_literal(value)
    pieces: list[str] = []
    for i, part in enumerate(value.split("#")):
        if i:
            pieces.append('"#"')
        if part:
            pieces.append(_liq_literal(part))
    return "(" + " ^ ".join(pieces) + ")"


def liq_string_list(values: Iterable[str]) -> str:
    return "[" + ", ".join(liq_string(v) for v in values) + "]"


def liq_int(value: int) -> str:
    if isinstance(value, bool) or not isinstance(value, int):
        raise RenderError(f"not an integer: {value!r}")
    return str(value)


def liq_float(value: float) -> str:
    """A Liquidsoap float literal (always with a dot; no exponent, no nan/inf)."""
    if isinstance(value, bool):
        raise RenderError(f"not a number: {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise RenderError(f"not a finite number: {value!r}")
    text = f"{number:.6f}".rstrip("0")
    if text.endswith("."):
        text += "0"
    if text in ("-0.0",):
        text = "0.0"
    return text


def liq_bool(value: bool) -> str:
    return "true" if value else "false"


def annotate_value(value: str) -> str:
    """``value`` as a quoted value for Liquidsoap's ``annotate:`` parser.

    Control characters become spaces, ``#{`` becomes ``# {``; backslash and double quote
    are escaped.
    """
    text = _CONTROL.sub(" ", _valid_text(value)).replace("#{", "# {")
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def check_path(path: str) -> str:
    """``path`` if it may be embedded in an annotate URI or an m3u line, else UnsafePath."""
    if not path.startswith("/"):
        raise UnsafePath(f"not an absolute path: {path!r}")
    if _CONTROL.search(path) or _LONE_SURROGATE.search(path):
        raise UnsafePath(f"control character in path: {path!r}")
    return path


def annotate_uri(metadata: Mapping[str, str | None], path: str) -> str:
    """``annotate:k="v",...:/path`` for Liquidsoap; None/empty values are left out.

    Keys must be identifiers (they are ours, never user data). Raises UnsafePath for a
    path that cannot be embedded.
    """
    check_path(path)
    fields: list[str] = []
    for key, value in metadata.items():
        if not _ANNOTATE_KEY.fullmatch(key):
            raise RenderError(f"not an annotate key: {key!r}")
        if value is None or value == "":
            continue
        fields.append(f"{key}={annotate_value(value)}")
    if not fields:
        return path
    return "annotate:" + ",".join(fields) + ":" + path
