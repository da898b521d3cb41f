"""Errors of the media layer, in words the person importing the file can act on."""

from __future__ import annotations

from station_desktop.errors import StationError


class MediaError(StationError):
    """A file cannot be imported as audio: it is empty, not audio, damaged, or could not
    be read or converted in time. The message says which, and what to do."""


class StorageError(StationError):
    """The media storage (a folder, or the server over SFTP) refused or failed an operation;
    the message names where and why."""
