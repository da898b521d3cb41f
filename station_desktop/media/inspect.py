"""Reading a file before importing it: its hash and what mutagen makes of it.

This is the part of an import that holds Python's GIL the longest (mutagen is pure Python),
so the importer runs it in worker processes when it can (``services/importer.py``); the
module imports only what that needs, so a worker starts in a few tens of milliseconds.
"""

from __future__ import annotations

import contextlib
import pickle
import struct
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from station_desktop.media.errors import MediaError
from station_desktop.media.hashing import Digest, digest_file
from station_desktop.media.probe import MutagenRead, read_with_mutagen


def inspect_file(path: Path, keep: int = 0) -> tuple[Digest, MutagenRead]:
    """Read the file once (hash, first bytes, and its bytes if at most ``keep``), then
    mutagen. Raises MediaError with a reason a person can act on."""
    if not path.exists():
        raise MediaError("The file does not exist (any more): it was moved or deleted.")
    if not path.is_file():
        raise MediaError("This is not a regular file (a device, a socket or a pipe).")
    try:
        digest = digest_file(path, keep=keep)
    except PermissionError:
        raise MediaError("The file cannot be read: permission denied.") from None
    except OSError as exc:
        raise MediaError(f"The file cannot be read: {exc.strerror or exc}.") from None
    return digest, read_with_mutagen(path)


def inspect_files(paths: Sequence[Path]) -> list[tuple[Digest, MutagenRead] | MediaError]:
    """:func:`inspect_file` for each of ``paths`` (in a worker process): a file's problem
    comes back as its MediaError; anything unexpected too, in words, since an exception
    of any kind may not survive the trip back between processes."""
    results: list[tuple[Digest, MutagenRead] | MediaError] = []
    for path in paths:
        try:
            results.append(inspect_file(path))
        except MediaError as error:
            results.append(error)
        except Exception as error:  # reported for that file only
            results.append(MediaError(f"The file could not be read: {error}"))
    return results


# -- worker processes ------------------------------------------------------------------------
#
# Each worker is ``python -m station_desktop.media.inspect``: it reads a batch of paths from
# stdin and answers with their inspections, both as length-prefixed pickles, until stdin
# closes. Plain subprocesses rather than multiprocessing: multiprocessing's children import
# the parent's main module again (for the app, Qt and all), and a child of a frozen app
# would start the app itself. Pickle is safe here: both ends are this program.

_LENGTH = struct.Struct("!Q")


class WorkerFailed(Exception):
    """A worker process died or answered nonsense: the caller reads the files itself."""


def _send(stream: IO[bytes], value: object) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_LENGTH.pack(len(data)))
    stream.write(data)
    stream.flush()


def _receive(stream: IO[bytes]) -> object:
    header = stream.read(_LENGTH.size)
    if len(header) < _LENGTH.size:
        raise EOFError("the other end closed")
    (length,) = _LENGTH.unpack(header)
    data = stream.read(length)
    if len(data) < length:
        raise EOFError("the other end closed mid-message")
    return pickle.loads(data)  # our own worker's answer (or our own request)


class _Worker:
    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "station_desktop.media.inspect"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            start_new_session=True)

    def run(self, paths: list[Path]) -> list[tuple[Digest, MutagenRead] | MediaError]:
        assert self.process.stdin is not None and self.process.stdout is not None
        _send(self.process.stdin, paths)
        answer = _receive(self.process.stdout)
        if not isinstance(answer, list) or len(answer) != len(paths):
            raise WorkerFailed(f"unexpected answer {type(answer).__name__}")
        return answer

    def stop(self) -> None:
        """Close its stdin (it exits), wait a little, then kill it if it has not."""
        with contextlib.suppress(OSError):
            if self.process.stdin is not None:
                self.process.stdin.close()
        try:
            self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


class InspectWorkers:
    """Up to ``count`` worker processes, started when first needed, shared by threads:
    :meth:`inspect` blocks its calling thread (not the GIL) while a worker reads."""

    def __init__(self, count: int) -> None:
        self._count = count
        self._idle: list[_Worker] = []
        self._started = 0
        self._lock = threading.Condition()
        self._closed = False

    def inspect(self, paths: Sequence[Path]) -> list[tuple[Digest, MutagenRead] | MediaError]:
        """:func:`inspect_files` in a worker process; WorkerFailed if it cannot be done."""
        worker = self._acquire()
        try:
            result = worker.run(list(paths))
        except (OSError, EOFError, pickle.PickleError, WorkerFailed, ValueError) as error:
            worker.stop()
            with self._lock:
                self._started -= 1
                self._lock.notify()
            raise WorkerFailed(str(error)) from error
        with self._lock:
            if self._closed:
                worker.stop()
            else:
                self._idle.append(worker)
            self._lock.notify()
        return result

    def _acquire(self) -> _Worker:
        with self._lock:
            while True:
                if self._closed:
                    raise WorkerFailed("the workers were stopped")
                if self._idle:
                    return self._idle.pop()
                if self._started < self._count:
                    self._started += 1
                    break
                self._lock.wait()
        try:
            return _Worker()
        except OSError as error:
            with self._lock:
                self._started -= 1
                self._lock.notify()
            raise WorkerFailed(str(error)) from error

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
            self._lock.notify_all()
        for worker in idle:
            worker.stop()


def _serve() -> None:
    """A worker's life: answer batches until the importer closes stdin."""
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but answers on the pipe
    while True:
        try:
            request = _receive(stdin)
        except EOFError:
            return
        if not isinstance(request, list):
            return
        _send(stdout, inspect_files([Path(path) for path in request]))


if __name__ == "__main__":
    _serve()
