"""Running ffprobe and ffmpeg as asyncio subprocesses, always with a time limit.

Untrusted files can make a decoder spin or print without end, so every run has a deadline
(the process is killed when it passes, or when the awaiting task is cancelled) and keeps
only the tail of what the tool writes on stderr.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

from station_desktop.media.errors import MediaError

log = logging.getLogger("station_desktop.media.tools")

STDERR_LINES = 40  # lines of a tool's stderr kept for an error message
STDOUT_LIMIT = 16 * 1024**2  # ffprobe's JSON for any sane file is far smaller


@dataclass(frozen=True, slots=True)
class ToolResult:
    returncode: int
    stdout: bytes
    stderr_tail: list[str]

    @property
    def error_line(self) -> str:
        """The most telling line of stderr: the last one, shortened."""
        for line in reversed(self.stderr_tail):
            if line.strip():
                text = line.strip()
                return text if len(text) <= 200 else text[:199] + "…"
        return f"exit status {self.returncode}"


def tool_path(name: str) -> str:
    """The executable's path, or a MediaError that says how to install it."""
    found = shutil.which(name)
    if found is None:
        raise MediaError(
            f"{name} is not installed, and importing audio needs it. Install ffmpeg "
            "(Debian/Ubuntu: apt-get install ffmpeg) and try again."
        )
    return found


async def _read_tail(stream: asyncio.StreamReader, tail: deque[str]) -> None:
    while True:
        line = await stream.readline()
        if not line:
            return
        tail.append(line.decode("utf-8", errors="replace").rstrip())


async def _read_limited(stream: asyncio.StreamReader, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = await stream.read(65536)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size <= limit:
            chunks.append(chunk)


async def run_tool(argv: Sequence[str], *, timeout: float, what: str) -> ToolResult:
    """Run ``argv`` (stdin closed); MediaError if it does not finish within ``timeout``
    seconds (``what`` names the work in that message). Cancelling the caller kills it."""
    process = await asyncio.create_subprocess_exec(
        *argv, stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    tail: deque[str] = deque(maxlen=STDERR_LINES)
    try:
        async with asyncio.timeout(timeout):
            stdout, _ = await asyncio.gather(
                _read_limited(process.stdout, STDOUT_LIMIT), _read_tail(process.stderr, tail))
            returncode = await process.wait()
    except TimeoutError:
        raise MediaError(
            f"{what} took longer than {timeout:g} s, so it was stopped; the file is probably "
            "damaged (or far too long). Check that it plays, or convert it to MP3, Ogg or "
            "FLAC first."
        ) from None
    finally:
        if process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            # Reap it even when we are being cancelled: no zombie, no stray decoder.
            await asyncio.shield(process.wait())
    return ToolResult(returncode, stdout, list(tail))
