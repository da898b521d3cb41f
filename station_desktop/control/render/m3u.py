"""The exported main playlist: an m3u of ``annotate:`` URIs for Liquidsoap's local fallback.

Liquidsoap plays it with ``playlist(id="fallback", reload_mode="watch", ...)`` when the
picker has nothing to offer (stationd gone, programme.json broken, picker crashing). Each
line carries the same metadata the picker would give (title, artist, ids, ``sd_kind``), so
now playing and history stay right even then.

Format (checked against Liquidsoap 2.1.3): ``#EXTM3U`` and then one ``annotate:...:/path``
line per track, nothing else. ``#EXTINF`` is deliberately absent: Liquidsoap would turn it
into an annotate prefix of its own whose escaping we do not control.

Line injection: a track whose path is relative or contains a control character (a file
name with a newline could start a new line, a leading ``#`` would turn it into a comment)
cannot be written safely; such tracks are left out (``strict=True`` raises
:class:`~station_desktop.control.render.escaping.UnsafePath` instead). A path can never
start a line: every line starts with ``annotate:`` or ``/``. Titles and artists are
escaped by :func:`~station_desktop.control.render.escaping.annotate_value` (control
characters become spaces).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from station_desktop.control.render.escaping import UnsafePath, annotate_uri

M3U_HEADER = "#EXTM3U"


class M3UTrack(Protocol):
    """What a line needs (ProgrammeTrack has it)."""

    @property
    def audio_id(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def title(self) -> str | None: ...
    @property
    def artist(self) -> str | None: ...
    @property
    def gain_db(self) -> float | None: ...


def track_metadata(
    track: M3UTrack, *, playlist_id: str | None, kind: str
) -> dict[str, str | None]:
    """The annotate fields of one track (shared by the m3u and the picker's output)."""
    return {
        "title": track.title,
        "artist": track.artist,
        "sd_audio_id": track.audio_id,
        "sd_playlist_id": playlist_id,
        "sd_kind": kind,
        "liq_amplify": f"{track.gain_db:.2f} dB" if track.gain_db is not None else None,
    }


def track_uri(track: M3UTrack, *, playlist_id: str | None, kind: str = "music") -> str:
    """The annotate URI of one track; raises UnsafePath for a path that cannot be embedded."""
    return annotate_uri(track_metadata(track, playlist_id=playlist_id, kind=kind), track.path)


def render_m3u(
    tracks: Iterable[M3UTrack],
    *,
    playlist_id: str | None = None,
    kind: str = "music",
    strict: bool = False,
) -> str:
    """An extended m3u with one annotate URI per track (in the given order).

    Tracks with unsafe paths are skipped (or raise UnsafePath when ``strict``).
    """
    lines = [M3U_HEADER]
    for track in tracks:
        try:
            lines.append(track_uri(track, playlist_id=playlist_id, kind=kind))
        except UnsafePath:
            if strict:
                raise
    return "\n".join(lines) + "\n"
