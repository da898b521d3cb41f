"""Where a station's files land: ``<root>/<clientId>/<name>``, behind one interface.

:class:`LocalStorage` writes to a folder the desktop can reach: the embedded default (a
folder in the user's data directory, played by a local Liquidsoap) or a share of the
server's ``/audio`` mounted on this machine. :class:`SftpStorage` writes to the server
itself over SFTP (asyncssh), with the server's host key always checked against
known_hosts and public-key authentication only (key files, or the SSH agent).

Both put a file atomically: it is written under a temporary name (``.<name>.<random>.part``
in the same folder) and renamed into place only when complete, so Liquidsoap never sees a
half-written track, and an interrupted upload leaves no file under the final name. Stored
files are made readable by everyone (0644): Liquidsoap runs as another user.

Every name passed in is checked (:func:`~station_desktop.media.names.is_stored_name` for
each part): storage never follows a path it did not make.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import errno
import logging
import os
import secrets
import shutil
import sys
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

import asyncssh

from station_desktop.media.errors import StorageError
from station_desktop.media.names import is_stored_name

log = logging.getLogger("station_desktop.media.storage")

FILE_MODE = 0o644
DIR_MODE = 0o755
MAX_READ = 32 * 1024**2  # read_bytes refuses more (it is for covers)

T = TypeVar("T")


def _find_syncfs() -> Callable[[int], int] | None:
    """Linux's syncfs(2), or None elsewhere."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        function: Callable[[int], int] = libc.syncfs
    except (OSError, AttributeError):
        return None
    return function


_SYNCFS = _find_syncfs()


def _copy_fd(source: int, target: int) -> None:
    """Copy all of ``source`` into ``target`` (sendfile(2) where there is one)."""
    sendfile = getattr(os, "sendfile", None)
    if sendfile is not None:
        offset = 0
        with contextlib.suppress(OSError):
            while sent := sendfile(target, source, offset, 1 << 30):
                offset += sent
            return
        os.lseek(source, offset, os.SEEK_SET)
    while chunk := os.read(source, 1 << 20):
        view = memoryview(chunk)
        while view:
            view = view[os.write(target, view):]


@dataclass(frozen=True, slots=True)
class Staged:
    """A file copied beside its final name under a temporary one
    (:meth:`LocalStorage.stage_file`), not yet durable nor visible: see
    :meth:`LocalStorage.commit_staged`."""

    temp: Path
    target: Path
    relative: str


def _check_parts(client_id: str, relative: str) -> list[str]:
    parts = relative.split("/")
    if not is_stored_name(client_id) or not parts or not all(map(is_stored_name, parts)):
        raise StorageError(
            f"Refusing a storage path that was not made by the importer: "
            f"{client_id!r}/{relative!r}."
        )
    return [client_id, *parts]


class Storage(ABC):
    """A station's media storage. ``server_root`` is the folder as the streaming server
    (Liquidsoap) sees it: ``server_path`` is what goes into ``AudioFile.storagePath``."""

    server_root: str

    def server_path(self, client_id: str, relative: str) -> str:
        parts = _check_parts(client_id, relative)
        return str(PurePosixPath(self.server_root, *parts))

    @abstractmethod
    def describe(self) -> str:
        """Where the files go, for messages ("the folder /srv/audio", "sftp://...")."""

    @abstractmethod
    async def put_file(self, local: Path, client_id: str, relative: str) -> None:
        """Store the local file ``local`` as ``relative`` in the station's folder,
        atomically (an existing file of that name is replaced)."""

    @abstractmethod
    async def put_bytes(self, data: bytes, client_id: str, relative: str) -> None:
        """Like :meth:`put_file`, for data in memory (covers)."""

    async def put_files(
        self, items: Sequence[tuple[Path, str, str]]
    ) -> list[BaseException | None]:
        """:meth:`put_file` for several ``(local, client_id, relative)`` at once: for each,
        None or the error that failed it. Storages that can do better than one call each
        (a folder: one worker thread for all) override it."""
        results = await asyncio.gather(
            *(self.put_file(local, client_id, relative) for local, client_id, relative in items),
            return_exceptions=True)
        return [r if isinstance(r, BaseException) else None for r in results]

    @abstractmethod
    async def remove(self, client_id: str, relative: str) -> bool:
        """Delete the file; False if there was none."""

    @abstractmethod
    async def read_bytes(self, client_id: str, relative: str) -> bytes | None:
        """The file's content, or None if there is no such file."""

    @abstractmethod
    async def exists(self, client_id: str, relative: str) -> bool: ...

    @abstractmethod
    async def free_space(self) -> int | None:
        """Bytes free where the files go, if the storage can tell."""

    @abstractmethod
    async def aclose(self) -> None:
        """Release connections."""

    @abstractmethod
    def close(self) -> None:
        """Release connections without waiting (for a synchronous shutdown)."""


# -- a folder ----------------------------------------------------------------------------


@contextlib.contextmanager
def _removed_on_failure(temp: Path, target: Path) -> Iterator[None]:
    """Writing ``temp`` on its way to ``target``: if the block fails, ``temp`` goes, and
    an OSError becomes a StorageError that names ``target``."""
    try:
        yield
    except OSError as error:
        temp.unlink(missing_ok=True)
        raise _os_error(error, "write", target) from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _os_error(error: OSError, action: str, where: Path | str) -> StorageError:
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return StorageError(f"Could not {action} {where}: the disk is full. Free some space "
                            "there and import again.")
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return StorageError(f"Could not {action} {where}: permission denied. Check that this "
                            "user may write to the media folder.")
    return StorageError(f"Could not {action} {where}: {error.strerror or error}.")


class LocalStorage(Storage):
    """Files under ``root`` on this machine. ``server_root`` is the same folder as the
    streaming server sees it (for a mounted share of the server's ``/audio``, pass
    ``"/audio"``); by default it is ``root`` itself (a Liquidsoap on this machine).

    With ``create_root=False`` (a mounted share) a missing ``root`` is an error instead
    of being created: writing into an empty mount point would fill the local disk with
    files the server never sees."""

    def __init__(self, root: Path, *, server_root: str | None = None,
                 create_root: bool = True, durable: bool = True) -> None:
        self.root = Path(root).absolute()
        self.server_root = server_root or str(self.root)
        self.create_root = create_root
        self.durable = durable  # fsync each file before it is renamed into place

    def __repr__(self) -> str:
        return f"<LocalStorage {self.root} as {self.server_root}>"

    def describe(self) -> str:
        return f"the folder {self.root}"

    def _path(self, client_id: str, relative: str) -> Path:
        return self.root.joinpath(*_check_parts(client_id, relative))

    def _ensure_root(self) -> None:
        if self.root.is_dir():
            return
        if not self.create_root:
            raise StorageError(
                f"The media folder {self.root} does not exist. If it is a network share, "
                "mount it (or correct the folder in the connection's settings) and import "
                "again."
            )
        try:
            self.root.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        except OSError as error:
            raise _os_error(error, "create the media folder", self.root) from None

    def _write(self, target: Path, fill: str | bytes | Path) -> None:
        self._ensure_root()
        try:
            target.parent.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
            fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part",
                                             dir=target.parent)
        except OSError as error:
            raise _os_error(error, "create a file in", target.parent) from None
        temp = Path(temp_name)
        with _removed_on_failure(temp, target):
            if isinstance(fill, bytes):
                with os.fdopen(fd, "wb") as out:
                    out.write(fill)
                    if self.durable:
                        out.flush()
                        os.fsync(out.fileno())
            else:
                os.close(fd)
                shutil.copyfile(fill, temp)  # sendfile(2) on Linux
                if self.durable:
                    handle = os.open(temp, os.O_RDONLY)
                    try:
                        os.fsync(handle)
                    finally:
                        os.close(handle)
            os.chmod(temp, FILE_MODE)
            os.replace(temp, target)

    async def _in_thread(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` in a worker thread. If the caller is cancelled, the thread (which
        cannot be stopped) is waited for first: when the cancellation arrives, no write is
        still going on, so the caller may remove what it did."""
        future = asyncio.get_running_loop().run_in_executor(None, fn, *args)
        try:
            return await asyncio.shield(future)
        except asyncio.CancelledError:
            while not future.done():
                with contextlib.suppress(asyncio.CancelledError):
                    await asyncio.shield(future)
            raise

    # -- staged writes: many files, one durability barrier ----------------------------------
    #
    # The importer's fast path (blocking methods, for its worker threads): each file is
    # copied under a temporary name (stage_file), then a whole batch is made durable at
    # once and renamed into place (commit_staged), and only then does its row say
    # ``ready``. One barrier per batch instead of one fsync per file: on Linux, syncfs(2)
    # on the media folder's filesystem (one journal commit for the batch; since Linux 5.8
    # it reports write-back errors); elsewhere an fsync of each file. The renames are
    # then made durable by an fsync of each folder they happened in.

    def stage_file(self, local: Path, client_id: str, relative: str,
                   data: bytes | None = None) -> Staged:
        """Copy ``local`` (whose content is ``data`` when the caller has it in memory)
        beside ``relative``'s final name, under a temporary name."""
        target = self._path(client_id, relative)
        try:
            fd, temp = self._create_temp(target)
        except OSError as error:
            raise _os_error(error, "create a file in", target.parent) from None
        with _removed_on_failure(temp, target):
            try:
                if data is not None:
                    view = memoryview(data)
                    while view:
                        view = view[os.write(fd, view):]
                else:
                    with open(local, "rb", buffering=0) as source:
                        _copy_fd(source.fileno(), fd)
                os.fchmod(fd, FILE_MODE)
            finally:
                os.close(fd)
        return Staged(temp, target, relative)

    def _create_temp(self, target: Path) -> tuple[int, Path]:
        """A new, empty file beside ``target`` under a temporary name (a random suffix,
        created exclusively), and its descriptor; the folders are made the first time one
        is missing (no look at them for every file)."""
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) \
            | getattr(os, "O_CLOEXEC", 0)
        made = False
        for _attempt in range(100):
            temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
            try:
                return os.open(temp, flags, FILE_MODE), temp
            except FileExistsError:
                continue
            except FileNotFoundError:
                if made:
                    raise
                self._ensure_root()
                target.parent.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
                made = True
        raise FileExistsError(errno.EEXIST, "no free temporary name", str(target.parent))

    def _barrier(self, files: Sequence[Path]) -> None:
        """Make the content of ``files`` durable (OSError if the storage could not)."""
        if not self.durable or not files:
            return
        if _SYNCFS is not None:
            handle = os.open(files[0].parent, os.O_RDONLY)
            try:
                if _SYNCFS(handle) == 0:
                    return
                code = ctypes.get_errno()
                if code not in (errno.ENOSYS, errno.EINVAL):
                    raise OSError(code, os.strerror(code))
            finally:
                os.close(handle)
        for path in files:  # no syncfs: one fsync each
            handle = os.open(path, os.O_RDONLY)
            try:
                os.fsync(handle)
            finally:
                os.close(handle)

    def _sync_folders(self, folders: set[Path]) -> None:
        if not self.durable:
            return
        for folder in sorted(folders):
            try:
                handle = os.open(folder, os.O_RDONLY)
            except OSError:
                continue  # a system without directory handles: nothing more to do
            try:
                os.fsync(handle)
            except OSError as error:
                if error.errno not in (errno.EINVAL, errno.EBADF, errno.ENOTSUP):
                    raise
            finally:
                os.close(handle)

    def commit_staged(self, staged: Sequence[Staged]) -> list[StorageError | None]:
        """Make the staged files durable, then rename each into place and make the
        renames durable: for each, None (stored, durably) or the error that failed it
        (its temporary file is removed). Blocking."""
        results: list[StorageError | None] = [None] * len(staged)
        try:
            self._barrier([item.temp for item in staged])
        except OSError as error:
            for item in staged:
                item.temp.unlink(missing_ok=True)
            failure = _os_error(error, "write", staged[0].target.parent)
            return [failure] * len(staged)
        folders: set[Path] = set()
        for index, item in enumerate(staged):
            try:
                os.replace(item.temp, item.target)
            except OSError as error:
                item.temp.unlink(missing_ok=True)
                results[index] = _os_error(error, "write", item.target)
            else:
                folders.add(item.target.parent)
        try:
            self._sync_folders(folders)
        except OSError as error:
            failure = _os_error(error, "write", sorted(folders)[0])
            for index, item in enumerate(staged):
                if results[index] is None:
                    item.target.unlink(missing_ok=True)
                    results[index] = failure
        return results

    def discard(self, client_id: str, relative: str) -> None:
        """Remove a stored file if it is there (blocking)."""
        with contextlib.suppress(OSError):
            self._path(client_id, relative).unlink(missing_ok=True)

    async def put_file(self, local: Path, client_id: str, relative: str) -> None:
        target = self._path(client_id, relative)
        await self._in_thread(self._write, target, Path(local))

    async def put_bytes(self, data: bytes, client_id: str, relative: str) -> None:
        target = self._path(client_id, relative)
        await self._in_thread(self._write, target, bytes(data))

    async def put_files(
        self, items: Sequence[tuple[Path, str, str]]
    ) -> list[BaseException | None]:
        def write_all() -> list[BaseException | None]:
            results: list[BaseException | None] = []
            for local, client_id, relative in items:
                try:
                    self._write(self._path(client_id, relative), Path(local))
                except StorageError as error:
                    results.append(error)
                else:
                    results.append(None)
            return results

        return await self._in_thread(write_all)

    async def remove(self, client_id: str, relative: str) -> bool:
        target = self._path(client_id, relative)

        def unlink() -> bool:
            try:
                target.unlink()
            except FileNotFoundError:
                return False
            except OSError as error:
                raise _os_error(error, "delete", target) from None
            return True

        return await self._in_thread(unlink)

    async def read_bytes(self, client_id: str, relative: str) -> bytes | None:
        target = self._path(client_id, relative)

        def read() -> bytes | None:
            try:
                with target.open("rb") as stream:
                    return stream.read(MAX_READ)
            except FileNotFoundError:
                return None
            except OSError as error:
                raise _os_error(error, "read", target) from None

        return await asyncio.to_thread(read)

    async def exists(self, client_id: str, relative: str) -> bool:
        return await asyncio.to_thread(self._path(client_id, relative).is_file)

    async def free_space(self) -> int | None:
        def free() -> int | None:
            try:
                return shutil.disk_usage(self.root).free
            except OSError:
                return None

        return await asyncio.to_thread(free)

    async def aclose(self) -> None:
        return None  # a folder holds no connection

    def close(self) -> None:
        return None


# -- SFTP --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SftpLocation:
    """How to reach a station's server over SFTP. ``client_keys`` None means the default
    keys and the SSH agent; ``known_hosts`` None means ``~/.ssh/known_hosts`` (host keys
    are always checked). The passphrase comes from the keyring at run time and is never
    shown. An empty ``host`` or ``username`` means "the station's own streaming server's"
    (``services/workspace.py`` fills them in per station)."""

    host: str = ""
    username: str = ""
    port: int = 22
    root: str = "/audio"
    client_keys: Sequence[Path] | None = None
    known_hosts: Path | None = None
    passphrase: str | None = field(default=None, repr=False)
    connect_timeout: float = 15.0

    @property
    def peer(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"


class SftpStorage(Storage):
    """Files on the station's server, written over SFTP. One SSH connection is opened on
    first use and shared by parallel transfers; it is reopened after a failure."""

    def __init__(self, location: SftpLocation) -> None:
        if not location.host or not location.username:
            raise StorageError("An SFTP media storage needs a host and a user name.")
        if not location.root.startswith("/"):
            raise StorageError(f"The SFTP media folder must be an absolute path "
                               f"(got {location.root!r}).")
        self.location = location
        self.server_root = location.root.rstrip("/") or "/"
        self._connection: asyncssh.SSHClientConnection | None = None
        self._sftp: asyncssh.SFTPClient | None = None
        self._loop: asyncio.AbstractEventLoop | None = None  # the connection's loop
        self._lock = asyncio.Lock()

    def __repr__(self) -> str:
        return f"<SftpStorage {self.describe()}>"

    def describe(self) -> str:
        loc = self.location
        return f"sftp://{loc.username}@{loc.peer}{self.server_root}"

    async def _client(self) -> asyncssh.SFTPClient:
        async with self._lock:
            if self._sftp is not None:
                return self._sftp
            loc = self.location
            try:
                async with asyncio.timeout(loc.connect_timeout):
                    # () is asyncssh's default (~/.ssh/known_hosts; default keys and agent);
                    # None would switch host key checking off, so it is never passed.
                    connection = await asyncssh.connect(
                        loc.host, loc.port, username=loc.username,
                        known_hosts=str(loc.known_hosts) if loc.known_hosts else (),
                        client_keys=([str(k) for k in loc.client_keys]
                                     if loc.client_keys is not None else ()),
                        passphrase=loc.passphrase, agent_forwarding=False,
                        x11_forwarding=False,
                    )
                    sftp = await connection.start_sftp_client()
            except TimeoutError:
                raise StorageError(
                    f"The media server {loc.peer} did not answer within "
                    f"{loc.connect_timeout:g} s. Check the host and port, and that the "
                    "server is up.") from None
            except asyncssh.HostKeyNotVerifiable as exc:
                raise StorageError(
                    f"The media server {loc.peer} could not be verified ({exc.reason}). Its "
                    "host key is not the one in known_hosts: if the server was reinstalled, "
                    "record its new key; otherwise someone may be intercepting the "
                    "connection. Nothing was uploaded.") from None
            except asyncssh.PermissionDenied as exc:
                raise StorageError(
                    f"The media server {loc.peer} refused the login of {loc.username!r} "
                    f"({exc.reason}). Check the user name and that the key is in its "
                    "authorized_keys.") from None
            except (asyncssh.KeyImportError, asyncssh.KeyEncryptionError) as exc:
                raise StorageError(f"Cannot read the SSH key for {loc.peer}: {exc}.") from None
            except asyncssh.ChannelOpenError as exc:
                raise StorageError(f"The server {loc.peer} does not offer SFTP "
                                   f"({exc.reason}).") from None
            except (asyncssh.Error, OSError) as exc:
                raise StorageError(f"Cannot reach the media server {loc.peer}: "
                                   f"{_reason(exc)}.") from None
            self._connection, self._sftp = connection, sftp
            self._loop = asyncio.get_running_loop()
            return sftp

    def _reset(self) -> None:
        if self._sftp is not None:
            self._sftp.exit()
        if self._connection is not None:
            self._connection.close()
        self._connection = self._sftp = None

    def _error(self, exc: BaseException, action: str, path: str) -> StorageError:
        where = f"{path} on {self.location.peer}"
        if isinstance(exc, asyncssh.SFTPNoSpaceOnFilesystem | asyncssh.SFTPQuotaExceeded):
            return StorageError(f"Could not {action} {where}: the server's disk is full.")
        if isinstance(exc, asyncssh.SFTPPermissionDenied):
            return StorageError(f"Could not {action} {where}: permission denied. Check that "
                                f"{self.location.username!r} may write to {self.server_root}.")
        if not isinstance(exc, asyncssh.SFTPError):  # the connection itself failed
            self._reset()
        return StorageError(f"Could not {action} {where}: {_reason(exc)}.")

    def _remote(self, client_id: str, relative: str) -> str:
        return self.server_path(client_id, relative)

    async def _put(self, client_id: str, relative: str, local: Path | None,
                   data: bytes | None) -> None:
        target = self._remote(client_id, relative)
        folder, _, name = target.rpartition("/")
        temp = f"{folder}/.{name}.{secrets.token_hex(4)}.part"
        sftp = await self._client()
        try:
            await sftp.makedirs(folder, exist_ok=True)
            if local is not None:
                await sftp.put(str(local), temp)
            else:
                async with sftp.open(temp, "wb", encoding=None) as stream:
                    await stream.write(data or b"")
            await sftp.chmod(temp, FILE_MODE)
            await sftp.posix_rename(temp, target)
        except BaseException as exc:
            with contextlib.suppress(asyncssh.Error, OSError, asyncio.CancelledError):
                await asyncio.shield(sftp.remove(temp))
            if isinstance(exc, asyncssh.Error | OSError):
                raise self._error(exc, "upload", target) from None
            raise

    async def put_file(self, local: Path, client_id: str, relative: str) -> None:
        await self._put(client_id, relative, Path(local), None)

    async def put_bytes(self, data: bytes, client_id: str, relative: str) -> None:
        await self._put(client_id, relative, None, bytes(data))

    async def remove(self, client_id: str, relative: str) -> bool:
        target = self._remote(client_id, relative)
        sftp = await self._client()
        try:
            await sftp.remove(target)
        except asyncssh.SFTPNoSuchFile:
            return False
        except (asyncssh.Error, OSError) as exc:
            raise self._error(exc, "delete", target) from None
        return True

    async def read_bytes(self, client_id: str, relative: str) -> bytes | None:
        target = self._remote(client_id, relative)
        sftp = await self._client()
        try:
            async with sftp.open(target, "rb", encoding=None) as stream:
                data: Any = await stream.read(MAX_READ)
        except asyncssh.SFTPNoSuchFile:
            return None
        except (asyncssh.Error, OSError) as exc:
            raise self._error(exc, "read", target) from None
        return bytes(data)

    async def exists(self, client_id: str, relative: str) -> bool:
        target = self._remote(client_id, relative)
        sftp = await self._client()
        try:
            return bool(await sftp.isfile(target))
        except (asyncssh.Error, OSError) as exc:
            raise self._error(exc, "look for", target) from None

    async def free_space(self) -> int | None:
        sftp = await self._client()
        try:
            stats = await sftp.statvfs(self.server_root)
        except (asyncssh.Error, OSError):  # the extension is optional
            return None
        return int(stats.bavail * stats.frsize)

    async def aclose(self) -> None:
        connection = self._connection
        self._reset()
        if connection is not None:
            await connection.wait_closed()

    def close(self) -> None:
        """Drop the connection; safe from any thread (a workspace may be closed off the
        event loop's thread): the work is handed to the connection's own loop."""
        loop = self._loop
        if loop is None or loop.is_closed():
            self._connection = self._sftp = None
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._reset()
        else:
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                loop.call_soon_threadsafe(self._reset)


def _reason(exc: BaseException) -> str:
    reason = getattr(exc, "reason", None) or str(exc) or type(exc).__name__
    return str(reason).rstrip(".")
