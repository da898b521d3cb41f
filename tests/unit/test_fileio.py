"""write_atomically: whole files or none, and a replaced file keeps its owner and group."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from station_desktop.fileio import write_atomically, write_if_changed


def test_a_new_file_is_written_whole_with_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "icecast.xml"
    write_atomically(target, b"<icecast/>")
    assert target.read_bytes() == b"<icecast/>"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in target.parent.iterdir()] == ["icecast.xml"]  # no temporary left
    assert not write_if_changed(target, b"<icecast/>")
    assert write_if_changed(target, b"<icecast></icecast>")


@pytest.mark.skipif(os.geteuid() != 0, reason="changing a file's group needs root here")
def test_a_replaced_file_keeps_its_owner_and_group(tmp_path: Path) -> None:
    """As Debian ships /etc/icecast2/icecast.xml: root:icecast 0640; a render must not
    turn it into root:root, which Icecast could no longer read."""
    target = tmp_path / "icecast.xml"
    target.write_bytes(b"old")
    os.chown(target, 0, 4242)  # a group the file must keep
    write_atomically(target, b"new")
    info = target.stat()
    assert target.read_bytes() == b"new"
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (0, 4242, 0o640)
