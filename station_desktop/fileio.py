"""Small files written atomically: stationd's state, the app's profiles.

A reader (a later stationd, ``stationd check``) only ever sees a whole old or a whole new
file: temporary file in the same directory, fsync, ``os.replace``, fsync of the directory.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, data: bytes, mode: int = 0o640) -> None:
    """Replace ``path`` by ``data`` (the directory is created if missing). A file that
    is replaced keeps its owner and group where this process may set them: Debian's
    /etc/icecast2/icecast.xml is root:icecast 0640, and a new root:root file in its place
    would lock Icecast out."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        previous: os.stat_result | None = path.stat()
    except OSError:
        previous = None
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            if hasattr(os, "fchmod"):  # POSIX; on Windows the file keeps its ACLs
                os.fchmod(handle.fileno(), mode)
            if previous is not None and hasattr(os, "fchown"):
                with contextlib.suppress(PermissionError):  # not root, not our group
                    os.fchown(handle.fileno(), previous.st_uid, previous.st_gid)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    if hasattr(os, "O_DIRECTORY"):  # make the rename itself durable (POSIX)
        with contextlib.suppress(OSError):
            directory = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.fsync(directory)
            finally:
                os.close(directory)


def write_if_changed(path: Path, data: bytes, mode: int = 0o640) -> bool:
    """:func:`write_atomically` unless ``path`` already holds ``data``; True if written."""
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    write_atomically(path, data, mode)
    return True


__all__ = ["write_atomically", "write_if_changed"]
