"""File names and tag text: what is refused, what is stored, what fits the columns.

A dropped file's name is untrusted. It never becomes a path on the server: the stored name
is built here from a plain-ASCII slug of it plus the start of the content hash
(``la-cancion-3f2a9c0d41b7.mp3``), so quotes, spaces, accents, ``..``, leading dashes or
dots can reach neither Liquidsoap's playlists nor a shell. The original name is kept for
display (``AudioFile.filename``) when it is safe to show; a name that cannot be shown
faithfully on one line (NUL, line breaks, other control characters) or a path that climbs
with ``..`` is refused with a reason, as the import's contract says.

Tag text is made single-line and clipped to the 191 characters of the shared schema's
VARCHAR(191) columns, with a note saying so, never an error.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePath

from station_desktop.media.errors import MediaError

COLUMN_CHARS = 191  # VARCHAR(191): Prisma's String on MySQL
SLUG_CHARS = 60  # at most this much of the original name in a stored name
HASH_CHARS = 12  # hex digits of the content hash in a stored name (48 bits)

# C0/C1 controls, DEL, and the Unicode line and paragraph separators.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# Bidirectional overrides and isolates: they can make "gpj.mp3" read as "mp3.jpg".
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069\u200e\u200f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_SLUG_DROP = re.compile(r"[^A-Za-z0-9]+")
_STORED = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_EXTENSION = re.compile(r"[a-z0-9]{1,8}")


def _describe_control(name: str) -> str:
    match = _CONTROL.search(name)
    assert match is not None
    char = match.group()
    if char == "\x00":
        return "a NUL character"
    if char in "\r\n\u2028\u2029\x85":
        return "a line break"
    if char == "\t":
        return "a tab"
    return f"the control character U+{ord(char):04X}"


def check_source_path(path: str | PurePath) -> None:
    """Refuse a path the import will not read: one with a ``..`` component (it climbs out
    of the folder it names), or a file name holding a NUL, a line break or another control
    character (it cannot be shown or logged faithfully; rename the file)."""
    text = str(path)
    if "\x00" in text:
        raise MediaError(
            "The file name contains a NUL character, which no file name may hold. Rename "
            "the file and import it again."
        )
    pure = PurePath(text)
    if ".." in pure.parts:
        raise MediaError(
            f"The path {display_name(text)!r} contains '..' (a step up out of a folder); "
            "import the file by its own path, without '..'."
        )
    name = pure.name
    if not name:
        raise MediaError("The path names no file.")
    if _CONTROL.search(name):
        raise MediaError(
            f"The file name {display_name(name)!r} contains {_describe_control(name)}, "
            "which playlists and logs cannot carry safely. Rename the file (one line of "
            "ordinary characters) and import it again."
        )


def display_name(name: str) -> str:
    """``name`` as it may be shown and stored in ``AudioFile.filename``: control characters
    and bidirectional overrides removed, undecodable bytes (lone surrogates from the file
    system) as U+FFFD, clipped to the column (the extension kept)."""
    text = _SURROGATE.sub("\ufffd", name)
    text = _BIDI.sub("", _CONTROL.sub(" ", text)).strip()
    if len(text) <= COLUMN_CHARS:
        return text
    stem, dot, extension = text.rpartition(".")
    if dot and 0 < len(extension) <= 10:
        return stem[: COLUMN_CHARS - len(extension) - 2] + "…." + extension
    return text[: COLUMN_CHARS - 1] + "…"


def slug(name: str) -> str:
    """A plain-ASCII form of ``name`` without its extension: accents folded ("Canción" →
    "Cancion"), anything else but letters and digits collapsed to single dashes."""
    stem = PurePath(name).stem
    folded = unicodedata.normalize("NFKD", _SURROGATE.sub("", stem))
    ascii_only = folded.encode("ascii", errors="ignore").decode("ascii")
    return _SLUG_DROP.sub("-", ascii_only).strip("-")[:SLUG_CHARS].strip("-")


def stored_name(original: str, content_hash: str, extension: str, *, max_chars: int) -> str:
    """The name a file is stored under: ``<slug>-<hash12>.<extension>``, at most
    ``max_chars`` long (the slug shortened, or left out, to fit)."""
    if not _EXTENSION.fullmatch(extension):
        raise ValueError(f"not a plain file extension: {extension!r}")
    if not re.fullmatch(r"[0-9a-f]{64}", content_hash):
        raise ValueError(f"not a SHA-256 hex digest: {content_hash!r}")
    tail = f"{content_hash[:HASH_CHARS]}.{extension}"
    if max_chars < len(tail):
        raise ValueError(f"no stored name fits in {max_chars} characters")
    room = max_chars - len(tail) - 1
    base = slug(original)[:room].strip("-") if room > 0 else ""
    return f"{base}-{tail}" if base else tail


def is_stored_name(name: str) -> bool:
    """Whether ``name`` is one path component of the shapes this module produces (letters,
    digits, dot, dash, underscore; not starting with a dot or dash)."""
    return bool(_STORED.fullmatch(name)) and len(name) <= 255


def clean_tag(value: object, label: str) -> tuple[str | None, str | None]:
    """One tag value as stored text and, when it had to be changed visibly, a note.

    Line breaks and control characters become spaces, runs of spaces one; undecodable
    characters become U+FFFD; text longer than the column is clipped (with "…") and the
    note says so. Empty text is None.
    """
    if value is None:
        return None, None
    text = str(value)
    text = _SURROGATE.sub("\ufffd", text)
    text = _BIDI.sub("", _CONTROL.sub(" ", text))
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        return None, None
    if len(text) > COLUMN_CHARS:
        note = (f"{label} was {len(text)} characters long; the library keeps "
                f"{COLUMN_CHARS}, so it was shortened.")
        return text[: COLUMN_CHARS - 1].rstrip() + "…", note
    return text, None
