"""LocalStorage on real folders (SftpStorage runs against a real OpenSSH server in
tests/integration/test_import_real.py)."""

from __future__ import annotations

import asyncio
import os
import stat
from pathlib import Path

import pytest

from station_desktop.media.errors import StorageError
from station_desktop.media.storage import LocalStorage

pytestmark = pytest.mark.asyncio
CLIENT = "cm3client000000000000000"


async def test_put_is_atomic_readable_and_where_liquidsoap_looks(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path / "audio")
    source = tmp_path / "song.mp3"
    source.write_bytes(b"ID3" + bytes(5000))
    await storage.put_file(source, CLIENT, "song-3f2a9c0d41b7.mp3")

    stored = tmp_path / "audio" / CLIENT / "song-3f2a9c0d41b7.mp3"
    assert stored.read_bytes() == source.read_bytes()
    assert stat.S_IMODE(stored.stat().st_mode) == 0o644  # Liquidsoap runs as another user
    assert [p.name for p in stored.parent.iterdir()] == [stored.name]  # no .part left
    assert storage.server_path(CLIENT, stored.name) == str(stored)
    assert await storage.exists(CLIENT, stored.name)
    assert await storage.read_bytes(CLIENT, stored.name) == source.read_bytes()
    assert (await storage.free_space() or 0) > 0

    await storage.put_bytes(b"jpeg", CLIENT, "covers/" + "a" * 64 + ".jpg")
    assert await storage.read_bytes(CLIENT, "covers/" + "a" * 64 + ".jpg") == b"jpeg"
    assert await storage.remove(CLIENT, stored.name)
    assert not await storage.remove(CLIENT, stored.name)
    assert await storage.read_bytes(CLIENT, stored.name) is None


async def test_a_mounted_share_maps_to_the_servers_audio_folder(tmp_path: Path) -> None:
    share = LocalStorage(tmp_path / "mnt", server_root="/audio", create_root=False)
    assert share.server_path(CLIENT, "a.mp3") == f"/audio/{CLIENT}/a.mp3"
    source = tmp_path / "a.mp3"
    source.write_bytes(b"x")
    with pytest.raises(StorageError, match=r"does not exist.*mount it"):
        await share.put_file(source, CLIENT, "a.mp3")
    assert not (tmp_path / "mnt").exists()  # never created on the local disk


@pytest.mark.parametrize("relative", ["../escape.mp3", "/etc/passwd", "a/../../b.mp3", "",
                                      ".hidden.mp3", "sub dir/a.mp3"])
async def test_paths_the_importer_did_not_make_are_refused(tmp_path: Path, relative: str) -> None:
    storage = LocalStorage(tmp_path / "audio")
    with pytest.raises(StorageError, match="not made by the importer"):
        await storage.read_bytes(CLIENT, relative)
    with pytest.raises(StorageError, match="not made by the importer"):
        storage.server_path("../other", "a.mp3")


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
async def test_an_unwritable_folder_is_a_clear_error(tmp_path: Path) -> None:
    root = tmp_path / "audio"
    root.mkdir()
    root.chmod(0o500)
    source = tmp_path / "a.mp3"
    source.write_bytes(b"x")
    try:
        with pytest.raises(StorageError, match="permission denied"):
            await LocalStorage(root).put_file(source, CLIENT, "a.mp3")
    finally:
        root.chmod(0o700)


async def test_a_cancelled_put_leaves_no_partial_file(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path / "audio")
    source = tmp_path / "big.wav"
    with source.open("wb") as out:
        out.truncate(64 * 1024**2)
    task = asyncio.ensure_future(storage.put_file(source, CLIENT, "big.wav"))
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    # The write was waited for: it finished, or never left its temporary file behind.
    folder = tmp_path / "audio" / CLIENT
    leftovers = [p.name for p in folder.iterdir()] if folder.exists() else []
    assert leftovers in ([], ["big.wav"])
    if leftovers:
        assert (folder / "big.wav").stat().st_size == source.stat().st_size
