"""Messages of the control errors: for a person, naming host:port, short excerpts."""

from __future__ import annotations

from station_desktop.control.errors import (
    ControlError,
    ControlProtocolError,
    ControlTimeout,
    ControlUnreachable,
    IcecastAuthError,
    IcecastNotFound,
    excerpt,
)
from station_desktop.errors import StationError


def test_every_control_error_is_a_station_error_with_its_peer() -> None:
    errors: list[ControlError] = [
        ControlUnreachable("Liquidsoap", "10.0.0.5:1234", "Connection refused"),
        ControlTimeout("Icecast", "radio.example:8000", "/admin/stats", 5),
        ControlProtocolError("Icecast", "radio.example:8000", "malformed XML", "<a"),
        IcecastAuthError("radio.example:8000", "admin"),
        IcecastNotFound("radio.example:8000", "/live.mp3"),
        IcecastNotFound("radio.example:8000", "/live.mp3", client_id=12),
    ]
    for error in errors:
        assert isinstance(error, StationError)
        assert error.peer in str(error)
        assert str(error) == error.message
        assert str(error)[0].isupper() and str(error).endswith((".", ")"))


def test_messages_say_what_to_check() -> None:
    assert "Check that Liquidsoap is running" in str(
        ControlUnreachable("Liquidsoap", "h:1", "Connection refused"))
    assert "within 5 s" in str(ControlTimeout("Icecast", "h:1", "/admin/stats", 5))
    assert "admin user and password" in str(IcecastAuthError("h:1", "admin"))
    assert "no listener 12" in str(IcecastNotFound("h:1", "/a", client_id=12))
    assert "no stream on mount '/a'" in str(IcecastNotFound("h:1", "/a"))


def test_protocol_error_quotes_a_short_printable_excerpt() -> None:
    reply = "\x00\x1b[31m" + "x" * 5000
    error = ControlProtocolError("Liquidsoap", "h:1", "garbage", reply)
    assert len(str(error)) < 400
    assert "\\x00" in str(error) and "\x00" not in str(error)
    assert "5006 characters in all" in str(error)
    assert error.reply_excerpt in str(error)
    assert "received" not in str(ControlProtocolError("Liquidsoap", "h:1", "nothing"))


def test_excerpt_of_bytes_replaces_invalid_utf8() -> None:
    assert excerpt(b"ok \xff") == repr("ok \ufffd")
    assert excerpt("short") == "'short'"
