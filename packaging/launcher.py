"""The desktop bundle's entry script (packaging/station-desktop.spec): what the installed
``station-desktop`` command runs, :func:`station_desktop.ui.app.main`."""

from __future__ import annotations

import os
import sys
from collections.abc import MutableMapping


def restore_library_path(environ: MutableMapping[str, str], *, frozen: bool) -> None:
    """Give child processes the library path the user had, not the bundle's.

    On Linux PyInstaller's bootloader points ``LD_LIBRARY_PATH`` at the bundle's libraries
    (keeping the user's value in ``LD_LIBRARY_PATH_ORIG``). The app itself no longer needs
    it once started (the loader reads it at process start), but the programs it runs would
    inherit it: the system's ffmpeg and ffprobe, or ``xdg-open`` for a link, would then load
    the bundle's copies of libcrypto, libz or libstdc++ instead of their own, and fail
    wherever the bundle was built on another distribution.
    """
    if not frozen:
        return
    original = environ.pop("LD_LIBRARY_PATH_ORIG", None)
    if original is not None:
        environ["LD_LIBRARY_PATH"] = original
    else:
        environ.pop("LD_LIBRARY_PATH", None)


if __name__ == "__main__":
    restore_library_path(os.environ, frozen=bool(getattr(sys, "frozen", False)))
    from station_desktop.ui.app import main

    sys.exit(main())
