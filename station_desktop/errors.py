"""Domain errors: what went wrong, in words a person can act on.

Every layer below the UI raises these (never a driver's or Qt's exception), so that views
show ``str(error)`` and the daemon logs it. Each class says what kind of problem it is, so
the UI can choose how to show it (a conflict offers "reload", a validation error marks the
field named in ``field``).
"""

from __future__ import annotations


class StationError(Exception):
    """An expected problem, with a message meant for the person who caused or can fix it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class NotFound(StationError):
    """A record the caller named does not exist (any more)."""

    def __init__(self, kind: str, record_id: str) -> None:
        super().__init__(f"{kind} {record_id!r} does not exist (it may have been deleted).")
        self.kind = kind
        self.record_id = record_id


class ValidationError(StationError):
    """A value is not acceptable; ``field`` names the input to correct."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class Conflict(StationError):
    """Someone else changed the record since it was loaded: the save was refused."""


class DuplicateMountpoint(ValidationError):
    def __init__(self, mountpoint: str) -> None:
        super().__init__(
            f"The mountpoint {mountpoint!r} is already used by another station; choose another.",
            field="mountpoint",
        )
        self.mountpoint = mountpoint


class ServerOverCapacity(StationError):
    def __init__(self, server_name: str, capacity: int) -> None:
        super().__init__(
            f"Server {server_name!r} is full ({capacity} stations assigned of {capacity}). "
            "Raise its capacity or choose another server."
        )
        self.server_name = server_name
        self.capacity = capacity


class ServerInUse(StationError):
    def __init__(self, server_name: str, stations: list[str]) -> None:
        names = ", ".join(stations[:5])
        if len(stations) > 5:
            names += f" and {len(stations) - 5} more"
        super().__init__(
            f"Server {server_name!r} still has {len(stations)} station(s) assigned ({names}). "
            "Move them to another server before deleting it."
        )
        self.server_name = server_name
        self.stations = stations


class ScheduleOverlap(ValidationError):
    def __init__(self, message: str, other_id: str, field: str = "start") -> None:
        super().__init__(message, field=field)
        self.other_id = other_id


class QuotaExceeded(StationError):
    """Storing a file would take the station over its storage quota."""


class DatabaseUnavailable(StationError):
    """The database could not be reached or dropped the connection; nothing was saved."""


class DatabaseAccessDenied(DatabaseUnavailable):
    """The database refused the account: its login, or the privilege a statement needs.
    Nothing was saved. A kind of unavailability (stationd keeps its samples and retries
    until an administrator fixes the account), with a message that says which."""


class DatabaseBusy(StationError):
    """A concurrent change held the rows this one needed (deadlock, lock timeout); nothing
    was saved and trying again normally works."""


class SchemaMismatch(StationError):
    """The database schema is not the one this version knows; ``fix`` is the command to run."""

    def __init__(self, message: str, fix: str | None = None) -> None:
        super().__init__(message + (f" Run: {fix}" if fix else ""))
        self.fix = fix
