"""The programme export: what a station's Liquidsoap needs to play with no database.

stationd writes, per station, a directory (e.g. ``/var/lib/stationd/<clientId>/``) with

- ``programme.json`` (:func:`build_programme`): playlists with their ready tracks, the
  active weekly schedule, playback mode, jingle rule and the live-input credentials as
  salted scrypt hashes (never the plaintext). ``liquidsoap/picker.py`` reads it for every
  AutoDJ track and every harbor login.
- ``main.m3u`` (:func:`~station_desktop.control.render.m3u.render_m3u`): the main
  playlist, Liquidsoap's local fallback when the picker has nothing to give.

Both are replaced atomically (:func:`write_programme_atomically`: temporary file in the
same directory, fsync, ``os.replace``), so the picker and Liquidsoap's playlist watcher
only ever see a complete old or a complete new file. Edits reach the air at the next
track without restarting Liquidsoap.

The builder is pure: plain dataclasses in, a JSON-ready dict out. The daemon maps its
service records into :class:`ProgrammeTrack`, :class:`ProgrammePlaylist` and
:class:`ProgrammeBlock`; it passes only *ready* audio files and *active* schedule blocks.
Tracks whose path cannot be embedded and blocks whose times cannot be read are left out
and listed under ``"skipped"`` so the daemon can raise an alert.

Format (version 1)::

    {"format": "station-desktop/programme", "version": 1,
     "station": {"id", "name", "timezone"},
     "autodj_enabled": true, "playback_mode": "random" | "sequential",
     "main_playlist_id": "..." | null,
     "jingles": {"enabled": bool, "every_n_songs": int, "playlist_ids": [...]},
     "playlists": {"<id>": {"name", "type", "tracks": [
         {"audio_id", "path", "title", "artist", "duration", "gain_db"}]}},
     "schedule": [{"id", "playlist_id", "day_of_week": 0-6 (0 = Sunday),
                   "start": "HH:MM", "end": "HH:MM"}],   # end < start crosses midnight
     "live": {"enabled": bool, "accounts": [{"username", "dj_name", "kdf": "scrypt",
              "n", "r", "p", "salt": hex, "hash": hex}]},
     "skipped": [{"what", "id", "reason"}],
     "generated_at": ISO 8601 (only when given)}
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import json
import os
import re
import secrets
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from station_desktop.control.render.escaping import UnsafePath, check_path

PROGRAMME_FORMAT = "station-desktop/programme"
PROGRAMME_VERSION = 1
PROGRAMME_FILE = "programme.json"
MAIN_M3U_FILE = "main.m3u"
PICKER_STATE_FILE = "picker-state.json"
EVENTS_FILE = "events.jsonl"

PLAYBACK_MODES = ("random", "sequential")
JINGLES_TYPE = "jingles"
# The live input's station-wide account (as in services.stations.LIVE_USER).
STATION_LIVE_USER = "source"

# scrypt with 16 MiB of memory: ~50 ms per check, once per harbor login.
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SCRYPT_DKLEN = 32
SALT_BYTES = 16
_SCRYPT_MAXMEM = 64 * 1024 * 1024

_LENIENT_HHMM = re.compile(r"([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?")
_MINUTES_PER_DAY = 24 * 60


@dataclass(frozen=True, slots=True)
class ProgrammeStation:
    id: str
    name: str
    timezone: str = "UTC"


@dataclass(frozen=True, slots=True)
class ProgrammeTrack:
    """One ready audio file. ``gain_db`` (optional) becomes ``liq_amplify`` on air."""

    audio_id: str
    path: str
    title: str | None = None
    artist: str | None = None
    duration: float | None = None
    gain_db: float | None = None


@dataclass(frozen=True, slots=True)
class ProgrammePlaylist:
    id: str
    name: str
    type: str  # "rotation" | "special" | "jingles"
    tracks: tuple[ProgrammeTrack, ...] = ()


@dataclass(frozen=True, slots=True)
class ProgrammeBlock:
    """An active weekly block, wall-clock in the station's time zone."""

    id: str
    playlist_id: str
    day_of_week: int  # 0 = Sunday ... 6 = Saturday (the seed's numbering)
    start: str  # "HH:MM"
    end: str  # "HH:MM"; earlier than start = crosses midnight; "00:00" = midnight


@dataclass(frozen=True, slots=True)
class PasswordHash:
    """A salted scrypt hash of a live-input password."""

    salt: str  # hex
    hash: str  # hex
    n: int = SCRYPT_N
    r: int = SCRYPT_R
    p: int = SCRYPT_P
    kdf: str = "scrypt"

    def to_json(self) -> dict[str, Any]:
        return {"kdf": self.kdf, "n": self.n, "r": self.r, "p": self.p,
                "salt": self.salt, "hash": self.hash}


@dataclass(frozen=True, slots=True)
class LiveAccount:
    """Who may connect to the harbor: the station account (user "source") or a DJ."""

    username: str
    password: PasswordHash
    dj_name: str | None = None


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8", "surrogateescape"), salt=salt, n=n, r=r,
                          p=p, maxmem=_SCRYPT_MAXMEM, dklen=SCRYPT_DKLEN)


def hash_password(password: str, *, salt: bytes | None = None) -> PasswordHash:
    """A new salted hash (random 128-bit salt unless one is given)."""
    salt = secrets.token_bytes(SALT_BYTES) if salt is None else salt
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return PasswordHash(salt=salt.hex(), hash=digest.hex())


def verify_password(password: str, stored: PasswordHash) -> bool:
    """Constant-time check of ``password`` against ``stored``."""
    if stored.kdf != "scrypt":
        return False
    try:
        digest = _scrypt(password, bytes.fromhex(stored.salt), stored.n, stored.r, stored.p)
        return hmac.compare_digest(digest, bytes.fromhex(stored.hash))
    except ValueError:
        return False


def reuse_or_hash(password: str, previous: PasswordHash | None) -> PasswordHash:
    """``previous`` while it still matches ``password``, else a new hash.

    Lets the daemon re-export without changing programme.json when nothing changed (a
    fresh salt every time would rewrite the file on every export).
    """
    if previous is not None and verify_password(password, previous):
        return previous
    return hash_password(password)


def _normal_hhmm(value: str, *, is_end: bool) -> str:
    """Strict ``HH:MM`` of a stored time, read leniently like services.weektime does
    (``9:00``, ``09:00:00``, an end of ``24:00``); ValueError when unreadable."""
    match = _LENIENT_HHMM.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise ValueError(f"not a time of the form HH:MM: {value!r}")
    hours, minutes, seconds = int(match[1]), int(match[2]), int(match[3] or 0)
    if minutes > 59 or seconds > 59:
        raise ValueError(f"not a time of the form HH:MM: {value!r}")
    if hours == 24 and minutes == 0 and seconds == 0 and is_end:
        hours = 0
    if hours > 23:
        raise ValueError(f"not a time of day: {value!r}")
    return f"{hours:02d}:{minutes:02d}"


def _track_json(track: ProgrammeTrack) -> dict[str, Any]:
    return {
        "audio_id": track.audio_id, "path": track.path, "title": track.title,
        "artist": track.artist, "duration": track.duration, "gain_db": track.gain_db,
    }


def _block_json(block: ProgrammeBlock) -> dict[str, Any]:
    start = _normal_hhmm(block.start, is_end=False)
    end = _normal_hhmm(block.end, is_end=True)
    if start == end:
        raise ValueError("the block is empty (start equals end)")
    if not 0 <= block.day_of_week <= 6:
        raise ValueError(f"day_of_week {block.day_of_week} is not 0 (Sunday) to 6")
    return {"id": block.id, "playlist_id": block.playlist_id,
            "day_of_week": block.day_of_week, "start": start, "end": end}


def build_programme(
    *,
    station: ProgrammeStation,
    playlists: Sequence[ProgrammePlaylist],
    main_playlist_id: str | None,
    schedule: Sequence[ProgrammeBlock] = (),
    playback_mode: str = "random",
    autodj_enabled: bool = True,
    jingles_enabled: bool = False,
    jingles_every_n_songs: int = 4,
    live_enabled: bool = True,
    live_accounts: Sequence[LiveAccount] = (),
    generated_at: dt.datetime | None = None,
) -> dict[str, Any]:
    """The programme.json document (a JSON-ready dict). Pure: same input, same output."""
    skipped: list[dict[str, str]] = []
    playlists_json: dict[str, Any] = {}
    for playlist in playlists:
        tracks = []
        for track in playlist.tracks:
            try:
                check_path(track.path)
            except UnsafePath as exc:
                skipped.append({"what": "track", "id": track.audio_id, "reason": str(exc)})
                continue
            tracks.append(_track_json(track))
        playlists_json[playlist.id] = {"name": playlist.name, "type": playlist.type,
                                       "tracks": tracks}
    blocks = []
    for block in schedule:
        if block.playlist_id not in playlists_json:
            skipped.append({"what": "block", "id": block.id,
                            "reason": f"playlist {block.playlist_id!r} is not exported"})
            continue
        try:
            blocks.append(_block_json(block))
        except ValueError as exc:
            skipped.append({"what": "block", "id": block.id, "reason": str(exc)})
    if main_playlist_id is not None and main_playlist_id not in playlists_json:
        skipped.append({"what": "main_playlist", "id": main_playlist_id,
                        "reason": "the main playlist is not exported"})
        main_playlist_id = None
    programme: dict[str, Any] = {
        "format": PROGRAMME_FORMAT,
        "version": PROGRAMME_VERSION,
        "station": {"id": station.id, "name": station.name, "timezone": station.timezone},
        "autodj_enabled": bool(autodj_enabled),
        "playback_mode": playback_mode if playback_mode in PLAYBACK_MODES else "random",
        "main_playlist_id": main_playlist_id,
        "jingles": {
            "enabled": bool(jingles_enabled),
            "every_n_songs": max(1, int(jingles_every_n_songs)),
            "playlist_ids": [p.id for p in playlists if p.type == JINGLES_TYPE],
        },
        "playlists": playlists_json,
        "schedule": blocks,
        "live": {
            "enabled": bool(live_enabled),
            "accounts": [
                {"username": a.username, "dj_name": a.dj_name, **a.password.to_json()}
                for a in live_accounts
            ],
        },
        "skipped": skipped,
    }
    if generated_at is not None:
        programme["generated_at"] = generated_at.isoformat()
    return programme


def main_playlist_tracks(
    playlists: Sequence[ProgrammePlaylist], main_playlist_id: str | None
) -> tuple[ProgrammeTrack, ...]:
    """The tracks of the main playlist (for ``render_m3u``), empty when there is none."""
    for playlist in playlists:
        if playlist.id == main_playlist_id:
            return playlist.tracks
    return ()


def programme_json(programme: Mapping[str, Any]) -> str:
    """The exact text written to programme.json (stable key order, UTF-8, one line per
    top-level key is not needed: compact but readable)."""
    return json.dumps(programme, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def _write_if_changed(path: Path, data: bytes) -> bool:
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.chmod(tmp_name, 0o640)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    return True


def _fsync_directory(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def write_programme_atomically(
    directory: Path | str, programme: Mapping[str, Any], m3u: str
) -> bool:
    """Write ``main.m3u`` then ``programme.json`` into ``directory`` (created if missing),
    each atomically and only when its content changed. Returns whether anything changed.

    The m3u goes first: a picker reading the new programme never meets an m3u older than
    it. Files are 0640 (the hashes are not secrets, but nobody else needs them).
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    changed = _write_if_changed(directory / MAIN_M3U_FILE, m3u.encode("utf-8"))
    changed |= _write_if_changed(directory / PROGRAMME_FILE,
                                 programme_json(programme).encode("utf-8"))
    if changed:
        _fsync_directory(directory)
    return changed
