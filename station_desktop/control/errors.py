"""Errors of the control clients (Liquidsoap telnet, Icecast HTTP).

Every message names the peer as ``host:port`` and says what to check, because the person
reading it has to decide between "the server is down", "the password is wrong" and "this
software does not understand that server". Replies that were not understood carry a short,
printable excerpt of what actually came back (never the whole reply: it may be huge).
"""

from __future__ import annotations

from station_desktop.errors import StationError

EXCERPT_CHARS = 200


def excerpt(data: str | bytes, limit: int = EXCERPT_CHARS) -> str:
    """A short, single-line, printable rendering of ``data`` for an error message."""
    text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
    shown = text[:limit]
    rendered = repr(shown)
    if len(text) > limit:
        rendered += f" ... ({len(text)} characters in all)"
    return rendered


class ControlError(StationError):
    """Talking to Liquidsoap or Icecast failed; ``peer`` is ``host:port``."""

    def __init__(self, message: str, peer: str) -> None:
        super().__init__(message)
        self.peer = peer


class ControlUnreachable(ControlError):
    """The connection could not be opened (refused, timed out, name not resolved)."""

    def __init__(self, service: str, peer: str, reason: str) -> None:
        super().__init__(
            f"Cannot reach {service} at {peer}: {reason}. "
            f"Check that {service} is running and that the address and port are right.",
            peer,
        )
        self.service = service
        self.reason = reason


class ControlTimeout(ControlError):
    """The peer accepted the connection but did not answer in time."""

    def __init__(self, service: str, peer: str, what: str, seconds: float) -> None:
        super().__init__(
            f"{service} at {peer} did not answer {what} within {seconds:g} s. "
            "It may be overloaded or stuck.",
            peer,
        )
        self.service = service
        self.what = what
        self.seconds = seconds


class ControlProtocolError(ControlError):
    """The peer answered with something this client does not understand."""

    def __init__(self, service: str, peer: str, problem: str, reply: str | bytes = "") -> None:
        message = f"Unexpected reply from {service} at {peer}: {problem}"
        if reply:
            message += f" (received: {excerpt(reply)})"
        super().__init__(message, peer)
        self.service = service
        self.problem = problem
        self.reply_excerpt = excerpt(reply) if reply else ""


class IcecastAuthError(ControlError):
    """Icecast refused the admin user name or password (HTTP 401)."""

    def __init__(self, peer: str, user: str) -> None:
        super().__init__(
            f"Icecast at {peer} refused the admin login for user {user!r} (HTTP 401). "
            "Check the admin user and password in the server settings.",
            peer,
        )
        self.user = user


class IcecastNotFound(ControlError):
    """Icecast has no source on the mount named (HTTP 400 "Source does not exist"), or no
    listener with the id given to ``killclient``."""

    def __init__(self, peer: str, mount: str, client_id: int | None = None) -> None:
        if client_id is None:
            message = (f"Icecast at {peer} has no stream on mount {mount!r} right now "
                       "(nothing is connected to it, or the mount name is wrong).")
        else:
            message = (f"Icecast at {peer} has no listener {client_id} on mount {mount!r} "
                       "(it may have disconnected already).")
        super().__init__(message, peer)
        self.mount = mount
        self.client_id = client_id
