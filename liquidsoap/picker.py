#!/usr/bin/env python3
"""Station Desktop AutoDJ picker: Liquidsoap asks it for the next track and for harbor logins.

Installed beside each station's Liquidsoap script and run by Liquidsoap as
``python3 -I -S picker.py <command> <dir>`` (``-S``: no site import, it starts in ~30 ms).
Standard library only; reads ``<dir>/programme.json`` (written by stationd, see
``station_desktop/control/render/programme.py``) and keeps its own small state in
``<dir>/picker-state.json``. No database, no network: the station keeps playing when
stationd or MySQL is down.

Commands::

    picker.py next <dir> [--at WHEN]   print ONE annotate URI for the next AutoDJ track,
                                       or nothing when nothing is playable (exit 0);
                                       WHEN (epoch seconds or ISO 8601 with an offset) is
                                       the instant the track is expected to start; the
                                       schedule is evaluated at that instant (default: now)
    picker.py auth <dir> [--socket PATH --station ID]
                                       harbor login: user in $SD_USER, password in
                                       $SD_PASSWORD (environment, never argv: argv shows in
                                       ps); exit 0 and the DJ name on stdout when accepted,
                                       exit 1 when refused. With --socket, stationd is asked
                                       first on that unix socket (it answers from the
                                       database); the exported hashes in programme.json are
                                       checked only when stationd does not answer
    picker.py check <dir>              validate programme.json, print a summary (exit 0/2)

Exit codes: 0 ok, 1 login refused, 2 error (programme missing or corrupt, bad usage),
3 deadline exceeded. Errors are one line on stderr, never a traceback; the whole run is
bounded by a 2-second alarm.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import hmac
import json
import os
import random
import re
import signal
import sys
import tempfile
import time
import zoneinfo
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any, NoReturn

PROGRAMME_FORMAT = "station-desktop/programme"
SUPPORTED_VERSION = 1
PROGRAMME_FILE = "programme.json"
STATE_FILE = "picker-state.json"
LOCK_FILE = "picker.lock"
MAX_PROGRAMME_BYTES = 64 * 1024 * 1024
MAX_STATE_BYTES = 1024 * 1024
DEADLINE_S = 2
LOCK_WAIT_S = 0.5
AUTH_SOCKET_TIMEOUT_S = 1.0  # stationd's answer; the hash check fits in what is left
AUTH_PROTOCOL = 1
MAX_AUTH_ANSWER = 4096
RECENT_KEEP = 200  # music ids remembered
RECENT_WINDOW = 50  # never repeat one of the last N (at most half the playlist)
JINGLE_WINDOW = 10
MINUTES_PER_DAY = 24 * 60
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY
SCRYPT_MAX_N = 2**17
SCRYPT_MAXMEM = 256 * 1024 * 1024

EXIT_OK, EXIT_REFUSED, EXIT_ERROR, EXIT_DEADLINE = 0, 1, 2, 3

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")
_ANNOTATE_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_HHMM = re.compile(r"(?:[01][0-9]|2[0-3]):[0-5][0-9]")


class PickerError(Exception):
    """An expected failure: one line on stderr, exit code 2."""


# -- escaping: a copy of station_desktop/control/render/escaping.py (a test compares) ------

class UnsafePath(PickerError):
    pass


def annotate_value(value: str) -> str:
    text = _CONTROL.sub(" ", _LONE_SURROGATE.sub("\ufffd", value)).replace("#{", "# {")
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def check_path(path: str) -> str:
    if not path.startswith("/"):
        raise UnsafePath(f"not an absolute path: {path!r}")
    if _CONTROL.search(path) or _LONE_SURROGATE.search(path):
        raise UnsafePath(f"control character in path: {path!r}")
    return path


def annotate_uri(metadata: Mapping[str, str | None], path: str) -> str:
    check_path(path)
    fields: list[str] = []
    for key, value in metadata.items():
        if not _ANNOTATE_KEY.fullmatch(key):
            raise PickerError(f"not an annotate key: {key!r}")
        if value is None or value == "":
            continue
        fields.append(f"{key}={annotate_value(value)}")
    if not fields:
        return path
    return "annotate:" + ",".join(fields) + ":" + path


# -- small helpers -------------------------------------------------------------------------

def log(message: str) -> None:
    try:
        sys.stderr.write(f"picker: {_CONTROL.sub(' ', message)}\n")
        sys.stderr.flush()
    except OSError:
        pass


def _deadline(_signum: int, _frame: object) -> NoReturn:
    log(f"deadline of {DEADLINE_S} s exceeded")
    os._exit(EXIT_DEADLINE)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value != "" else None


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def read_json(path: str, limit: int) -> Any:
    with open(path, "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise PickerError(f"{path} is larger than {limit} bytes")
    return json.loads(data.decode("utf-8"))


def write_json_atomically(path: str, value: object) -> None:
    directory = os.path.dirname(path) or "."
    fd, tmp = tempfile.mkstemp(prefix=".picker-state.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(value, handle, ensure_ascii=False, separators=(",", ":"))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise


@contextmanager
def state_lock(directory: str) -> Iterator[None]:
    """An exclusive flock on <dir>/picker.lock, waited for at most LOCK_WAIT_S; without
    it the pick goes ahead anyway (a lost state update is better than silence)."""
    import fcntl  # noqa: PLC0415 - POSIX only, and only needed here

    try:
        fd = os.open(os.path.join(directory, LOCK_FILE), os.O_RDWR | os.O_CREAT, 0o660)
    except OSError as exc:
        log(f"cannot open the lock file: {exc}")
        yield
        return
    try:
        waited = 0.0
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES) or waited >= LOCK_WAIT_S:
                    log("state lock busy; picking without it")
                    break
                time.sleep(0.01)
                waited += 0.01
        yield
    finally:
        os.close(fd)


# -- the programme -------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Track:
    audio_id: str
    path: str
    title: str | None
    artist: str | None
    gain_db: float | None


@dataclass(frozen=True, slots=True)
class Block:
    id: str
    playlist_id: str
    start: int  # minute of the week (0 = Sunday 00:00)
    duration: int  # minutes

    def offset(self, minute: int) -> int | None:
        """Minutes since this block started, None when ``minute`` is outside it."""
        offset = (minute - self.start) % MINUTES_PER_WEEK
        return offset if offset < self.duration else None


@dataclass(frozen=True, slots=True)
class Programme:
    timezone: str
    autodj_enabled: bool
    playback_mode: str
    main_playlist_id: str | None
    playlists: dict[str, tuple[Track, ...]]
    schedule: tuple[Block, ...]
    jingles_enabled: bool
    jingles_every: int
    jingle_playlist_ids: tuple[str, ...]
    live: Mapping[str, Any]


def _tracks(raw: object) -> tuple[Track, ...]:
    out: list[Track] = []
    for item in raw if isinstance(raw, list) else []:
        if not isinstance(item, dict):
            continue
        audio_id, path = _text(item.get("audio_id")), _text(item.get("path"))
        if audio_id is None or path is None:
            continue
        try:
            check_path(path)
        except UnsafePath:
            continue
        out.append(Track(audio_id, path, _text(item.get("title")), _text(item.get("artist")),
                         _number(item.get("gain_db"))))
    return tuple(out)


def _minutes(value: object) -> int | None:
    if not isinstance(value, str) or not _HHMM.fullmatch(value):
        return None
    return int(value[:2]) * 60 + int(value[3:])


def _blocks(raw: object) -> tuple[Block, ...]:
    out: list[Block] = []
    for item in raw if isinstance(raw, list) else []:
        if not isinstance(item, dict):
            continue
        day = item.get("day_of_week")
        start, end = _minutes(item.get("start")), _minutes(item.get("end"))
        playlist_id = _text(item.get("playlist_id"))
        if (not isinstance(day, int) or isinstance(day, bool) or not 0 <= day <= 6
                or start is None or end is None or playlist_id is None):
            continue
        duration = (end - start) % MINUTES_PER_DAY
        if duration:
            out.append(Block(str(item.get("id", "")), playlist_id,
                             day * MINUTES_PER_DAY + start, duration))
    return tuple(out)


def _section(doc: dict[str, Any], key: str) -> dict[str, Any]:
    value = doc.get(key)
    return value if isinstance(value, dict) else {}


def load_programme(directory: str) -> Programme:
    path = os.path.join(directory, PROGRAMME_FILE)
    try:
        doc = read_json(path, MAX_PROGRAMME_BYTES)
    except FileNotFoundError:
        raise PickerError(f"no programme: {path} does not exist") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise PickerError(f"cannot read {path}: {exc}") from None
    if not isinstance(doc, dict) or doc.get("format") != PROGRAMME_FORMAT:
        raise PickerError(f"{path} is not a Station Desktop programme")
    if doc.get("version") != SUPPORTED_VERSION:
        raise PickerError(f"{path} has version {doc.get('version')!r}; this picker reads "
                          f"version {SUPPORTED_VERSION}")
    station, jingles = _section(doc, "station"), _section(doc, "jingles")
    raw_playlists = _section(doc, "playlists")
    every = jingles.get("every_n_songs")
    live = _section(doc, "live")
    jingle_ids = jingles.get("playlist_ids")
    return Programme(
        timezone=_text(station.get("timezone")) or "UTC",
        autodj_enabled=doc.get("autodj_enabled") is not False,
        playback_mode="sequential" if doc.get("playback_mode") == "sequential" else "random",
        main_playlist_id=_text(doc.get("main_playlist_id")),
        playlists={
            str(pid): _tracks(body.get("tracks"))
            for pid, body in raw_playlists.items() if isinstance(body, dict)
        },
        schedule=_blocks(doc.get("schedule")),
        jingles_enabled=jingles.get("enabled") is True,
        jingles_every=every if isinstance(every, int) and every >= 1 else 4,
        jingle_playlist_ids=tuple(_id_list(jingle_ids)),
        live=live,
    )


# -- time and schedule ---------------------------------------------------------------------

def parse_instant(text: str | None) -> dt.datetime:
    if text is None:
        return dt.datetime.now(dt.UTC)
    try:
        return dt.datetime.fromtimestamp(float(text), dt.UTC)
    except (ValueError, OverflowError, OSError):
        pass
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        raise PickerError(f"--at {text!r} is neither epoch seconds nor ISO 8601") from None
    if when.tzinfo is None or when.utcoffset() is None:
        raise PickerError(f"--at {text!r} has no UTC offset")
    return when


def station_zone(name: str) -> dt.tzinfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        log(f"unknown time zone {name!r}; using UTC")
        return dt.UTC


def week_minute(when: dt.datetime, zone: dt.tzinfo) -> int:
    """Wall-clock minute of the week (0 = Sunday 00:00) of the instant in ``zone``."""
    local = when.astimezone(zone)
    day = (local.weekday() + 1) % 7  # Python: Monday = 0; the seed: Sunday = 0
    return day * MINUTES_PER_DAY + local.hour * 60 + local.minute


def active_block(programme: Programme, minute: int) -> Block | None:
    """The block covering ``minute``; on overlap the most recently started one wins."""
    best: tuple[int, str, Block] | None = None
    for block in programme.schedule:
        offset = block.offset(minute)
        if offset is None:
            continue
        if best is None or (offset, block.id) < best[:2]:
            best = (offset, block.id, block)
    return best[2] if best is not None else None


# -- state ---------------------------------------------------------------------------------

def load_state(path: str) -> dict[str, Any]:
    try:
        state = read_json(path, MAX_STATE_BYTES)
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, ValueError, PickerError) as exc:
        log(f"state file unreadable ({exc}); starting afresh")
        return {}
    return state if isinstance(state, dict) else {}


def _id_list(value: object) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


# -- picking -------------------------------------------------------------------------------

def _exists(track: Track) -> bool:
    try:
        return os.path.isfile(track.path)
    except (OSError, ValueError):
        return False


def pick_random(tracks: tuple[Track, ...], recent: list[str], window_max: int,
                rng: random.Random) -> Track | None:
    """A random existing track, avoiding the last ``min(window_max, unique // 2)`` ids."""
    unique: dict[str, Track] = {}
    for track in tracks:
        unique.setdefault(track.audio_id, track)
    window = min(window_max, len(unique) // 2)
    avoid = set(recent[-window:]) if window else set()
    fresh = [t for t in unique.values() if t.audio_id not in avoid]
    stale = [t for t in unique.values() if t.audio_id in avoid]
    rng.shuffle(fresh)
    # stale ones, oldest first, only when every fresh candidate is missing on disk
    stale.sort(key=lambda t: recent[::-1].index(t.audio_id), reverse=True)
    return next((t for t in [*fresh, *stale] if _exists(t)), None)


def pick_sequential(tracks: tuple[Track, ...], position: object) -> tuple[Track, int] | None:
    """The next existing track after the last one played (found by id, so edits to the
    playlist keep the place), else after the stored index."""
    if not tracks:
        return None
    start = 0
    if isinstance(position, dict):
        last_id, index = position.get("audio_id"), position.get("index")
        ids = [t.audio_id for t in tracks]
        if isinstance(index, int) and 0 <= index < len(tracks) and ids[index] == last_id:
            start = index + 1
        elif isinstance(last_id, str) and last_id in ids:
            start = ids.index(last_id) + 1
        elif isinstance(index, int) and index >= 0:
            start = index + 1
    for step in range(len(tracks)):
        i = (start + step) % len(tracks)
        if _exists(tracks[i]):
            return tracks[i], i
    return None


@dataclass(frozen=True, slots=True)
class Pick:
    track: Track
    playlist_id: str
    kind: str  # "music" | "jingle"


def _pick_music(programme: Programme, state: dict[str, Any], playlist_id: str,
                rng: random.Random) -> Track | None:
    tracks = programme.playlists.get(playlist_id, ())
    if programme.playback_mode == "sequential":
        positions = state.setdefault("positions", {})
        if not isinstance(positions, dict):
            positions = state["positions"] = {}
        found = pick_sequential(tracks, positions.get(playlist_id))
        if found is None:
            return None
        positions[playlist_id] = {"index": found[1], "audio_id": found[0].audio_id}
        return found[0]
    return pick_random(tracks, _id_list(state.get("recent")), RECENT_WINDOW, rng)


def choose(programme: Programme, state: dict[str, Any], when: dt.datetime,
           rng: random.Random) -> Pick | None:
    """The next track, updating ``state`` in place; None when nothing is playable.

    The music pick is made on a copy of the state first: when a jingle is due (and there
    is music to come back to), the jingle takes the slot and the music position stays.
    """
    if not programme.autodj_enabled:
        return None
    block = active_block(programme, week_minute(when, station_zone(programme.timezone)))
    candidates = [block.playlist_id] if block is not None else []
    if programme.main_playlist_id is not None:
        candidates.append(programme.main_playlist_id)
    trial: dict[str, Any] = json.loads(json.dumps(state))
    music: Pick | None = None
    for playlist_id in dict.fromkeys(candidates):
        track = _pick_music(programme, trial, playlist_id, rng)
        if track is not None:
            music = Pick(track, playlist_id, "music")
            break
    if music is None:
        return None
    since = state.get("since_jingle")
    since = since if isinstance(since, int) and since >= 0 else 0
    if programme.jingles_enabled and since >= programme.jingles_every:
        jingle = _pick_jingle(programme, state, rng)
        if jingle is not None:
            state["since_jingle"] = 0
            return jingle
    state.clear()
    state.update(trial)
    state["since_jingle"] = since + 1
    state["recent"] = [*_id_list(state.get("recent")), music.track.audio_id][-RECENT_KEEP:]
    return music


def _pick_jingle(programme: Programme, state: dict[str, Any],
                 rng: random.Random) -> Pick | None:
    pool: list[tuple[Track, str]] = []
    for playlist_id in programme.jingle_playlist_ids:
        pool.extend((t, playlist_id) for t in programme.playlists.get(playlist_id, ()))
    if not pool:
        return None
    owner = {t.audio_id: pid for t, pid in pool}
    recent = _id_list(state.get("recent_jingles"))
    track = pick_random(tuple(t for t, _ in pool), recent, JINGLE_WINDOW, rng)
    if track is None:
        return None
    state["recent_jingles"] = [*recent, track.audio_id][-RECENT_KEEP:]
    return Pick(track, owner[track.audio_id], "jingle")


def pick_uri(pick: Pick) -> str:
    track = pick.track
    return annotate_uri({
        "title": track.title,
        "artist": track.artist,
        "sd_audio_id": track.audio_id,
        "sd_playlist_id": pick.playlist_id,
        "sd_kind": pick.kind,
        "liq_amplify": f"{track.gain_db:.2f} dB" if track.gain_db is not None else None,
    }, track.path)


def command_next(directory: str, at: str | None) -> int:
    programme = load_programme(directory)
    when = parse_instant(at)
    state_path = os.path.join(directory, STATE_FILE)
    with state_lock(directory):
        state = load_state(state_path)
        pick = choose(programme, state, when, random.Random())
        if pick is None:
            log("nothing playable (no playlist with existing files for this time)")
            return EXIT_OK
        state["last"] = {"audio_id": pick.track.audio_id, "playlist_id": pick.playlist_id,
                         "kind": pick.kind, "at": when.isoformat()}
        state["version"] = 1
        uri = pick_uri(pick)
        try:
            write_json_atomically(state_path, state)
        except OSError as exc:
            log(f"cannot save the state: {exc}")
    sys.stdout.buffer.write(uri.encode("utf-8") + b"\n")
    sys.stdout.flush()
    return EXIT_OK


# -- harbor login --------------------------------------------------------------------------

def _scrypt(password: bytes, account: Mapping[str, Any]) -> bytes | None:
    try:
        n, r, p = int(account["n"]), int(account["r"]), int(account["p"])
        salt = bytes.fromhex(str(account["salt"]))
        expected = bytes.fromhex(str(account["hash"]))
    except (KeyError, TypeError, ValueError):
        return None
    if (account.get("kdf") != "scrypt" or not 2 <= n <= SCRYPT_MAX_N or n & (n - 1)
            or not 1 <= r <= 32 or not 1 <= p <= 16 or not expected):
        return None
    try:
        digest = hashlib.scrypt(password, salt=salt, n=n, r=r, p=p, maxmem=SCRYPT_MAXMEM,
                                dklen=len(expected))
    except ValueError:
        return None
    return digest if hmac.compare_digest(digest, expected) else b""


def ask_stationd(socket_path: str, station: str, user: bytes, password: bytes,
                 address: str, timeout: float = AUTH_SOCKET_TIMEOUT_S) -> dict[str, Any] | None:
    """stationd's answer to a harbor login (``{"result": "accept" | "refuse", ...}``), or
    None when it cannot give one (not running, database down, too slow, garbled)."""
    import socket  # noqa: PLC0415 - only harbor logins need it

    request = json.dumps({
        "v": AUTH_PROTOCOL, "station": station,
        "user": user.decode("utf-8", "surrogateescape"),
        "password": password.decode("utf-8", "surrogateescape"), "address": address,
    }, ensure_ascii=True).encode("ascii") + b"\n"
    deadline = time.monotonic() + timeout
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout)
            sock.connect(socket_path)
            sock.sendall(request)
            data = b""
            while b"\n" not in data:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("no answer in time")
                sock.settimeout(left)
                chunk = sock.recv(MAX_AUTH_ANSWER)
                if not chunk:
                    break
                data += chunk
                if len(data) > MAX_AUTH_ANSWER:
                    raise ValueError("answer too long")
        answer = json.loads(data.split(b"\n", 1)[0].decode("utf-8"))
    except (OSError, ValueError) as exc:
        log(f"stationd did not answer on {socket_path} ({type(exc).__name__}: {exc}); "
            "checking the exported logins")
        return None
    if not isinstance(answer, dict) or answer.get("result") not in ("accept", "refuse"):
        reason = answer.get("message") if isinstance(answer, dict) else None
        log(f"stationd could not check the login ({reason or 'unexpected answer'}); "
            "checking the exported logins")
        return None
    return answer


def command_auth(directory: str, socket_path: str | None = None,
                 station: str | None = None) -> int:
    user = os.environb.get(b"SD_USER", b"")
    password = os.environb.get(b"SD_PASSWORD", b"")
    address = os.environ.get("SD_ADDRESS", "?")
    shown_user = user.decode("utf-8", "replace")
    if socket_path is not None and station:
        answer = ask_stationd(socket_path, station, user, password, address)
        if answer is not None:
            if answer["result"] != "accept":
                log(f"live login refused for user {shown_user!r} from {address} (database)")
                return EXIT_REFUSED
            dj_name = _text(answer.get("dj_name")) or shown_user
            sys.stdout.buffer.write(_CONTROL.sub(" ", dj_name).encode("utf-8", "replace")
                                    + b"\n")
            sys.stdout.flush()
            return EXIT_OK
    programme = load_programme(directory)
    accounts = programme.live.get("accounts")
    accounts = [a for a in accounts if isinstance(a, dict)] if isinstance(accounts, list) else []
    matching = [a for a in accounts
                if hmac.compare_digest(str(a.get("username", "")).encode(), user)]
    accepted: Mapping[str, Any] | None = None
    if programme.live.get("enabled") is True and password:
        for account in matching:
            if _scrypt(password, account):
                accepted = account
                break
    if not matching:
        # the same work as a real check, so response time does not reveal user names
        _scrypt(password, {"kdf": "scrypt", "n": 2**14, "r": 8, "p": 1,
                           "salt": "00" * 16, "hash": "00" * 32})
    if accepted is None:
        log(f"live login refused for user {shown_user!r} from {address}")
        return EXIT_REFUSED
    dj_name = _text(accepted.get("dj_name")) or shown_user
    sys.stdout.buffer.write(_CONTROL.sub(" ", dj_name).encode("utf-8", "replace") + b"\n")
    sys.stdout.flush()
    return EXIT_OK


def command_check(directory: str) -> int:
    programme = load_programme(directory)
    tracks = sum(len(t) for t in programme.playlists.values())
    print(f"ok: {len(programme.playlists)} playlists, {tracks} tracks, "
          f"{len(programme.schedule)} schedule blocks, main={programme.main_playlist_id}, "
          f"mode={programme.playback_mode}, zone={programme.timezone}")
    return EXIT_OK


USAGE = ("usage: picker.py next <dir> [--at WHEN] | auth <dir> [--socket PATH --station ID]"
         " | check <dir>")


def _options(rest: list[str], allowed: tuple[str, ...]) -> dict[str, str]:
    """``--name value`` pairs, each at most once, only the ``allowed`` names."""
    if len(rest) % 2:
        raise PickerError(USAGE)
    found: dict[str, str] = {}
    for name, value in zip(rest[::2], rest[1::2], strict=True):
        if name not in allowed or name in found:
            raise PickerError(USAGE)
        found[name] = value
    return found


def main(argv: list[str]) -> int:
    if hasattr(signal, "SIGALRM"):
        signal.signal(signal.SIGALRM, _deadline)
        signal.alarm(DEADLINE_S)
    try:
        if len(argv) < 2:
            raise PickerError(USAGE)
        command, directory, rest = argv[0], argv[1], argv[2:]
        if command == "next":
            return command_next(directory, _options(rest, ("--at",)).get("--at"))
        if command == "auth":
            options = _options(rest, ("--socket", "--station"))
            return command_auth(directory, options.get("--socket"), options.get("--station"))
        if rest:
            raise PickerError(USAGE)
        if command == "check":
            return command_check(directory)
        raise PickerError(USAGE)
    except PickerError as exc:
        log(str(exc))
        return EXIT_ERROR
    except Exception as exc:  # never a traceback storm in Liquidsoap's log
        log(f"unexpected {type(exc).__name__}: {exc}")
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
