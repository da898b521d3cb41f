"""The content hash that finds duplicates: SHA-256 of the file's bytes, as hex.

It is computed in the same pass that reads the start of the file for sniffing, so an
import reads each file once before deciding anything (the page cache serves the copy).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

CHUNK = 1024**2
HEAD_BYTES = 4096
KEEP_BYTES = 4 * 1024**2  # files up to this size keep their bytes (the copy reuses them)


@dataclass(frozen=True, slots=True)
class Digest:
    sha256: str  # 64 lowercase hex digits
    size: int  # bytes read: the file's size at the moment it was hashed
    head: bytes  # the first HEAD_BYTES bytes, for sniffing what the file is
    data: bytes | None = None  # the whole content, for a file of at most ``keep`` bytes


def digest_file(path: Path, *, keep: int = 0) -> Digest:
    """Hash ``path`` (blocking: call it from a worker thread). A file of at most ``keep``
    bytes is read in one go and its bytes kept in ``data``: the importer writes its copy
    from them instead of reading the file a second time."""
    sha = hashlib.sha256()
    with path.open("rb", buffering=0) as stream:
        if keep > 0:
            first = stream.read(keep + 1)
            if len(first) <= keep:
                sha.update(first)
                return Digest(sha.hexdigest(), len(first), first[:HEAD_BYTES], first)
        else:
            first = stream.read(CHUNK)
        size = len(first)
        head = first[:HEAD_BYTES]
        sha.update(first)
        while chunk := stream.read(CHUNK):
            sha.update(chunk)
            size += len(chunk)
    return Digest(sha.hexdigest(), size, head)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
