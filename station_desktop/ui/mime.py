"""Drag-and-drop payloads shared by the views.

The library view exports the tracks it drags as :data:`TRACK_IDS_MIME`: a UTF-8 JSON list
of AudioFile ids, in the order the user sees them. Anything that accepts tracks (the
playlist editor) reads that type and nothing else, so a drop from another program (files,
text) is never mistaken for tracks.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from PySide6.QtCore import QByteArray, QMimeData

TRACK_IDS_MIME = "application/x-station-track-ids"
"""UTF-8 JSON list of AudioFile ids (strings)."""

PLAYLIST_ITEM_IDS_MIME = "application/x-station-playlist-item-ids"
"""UTF-8 JSON object ``{"playlist": id, "items": [PlaylistItem ids]}``: rows dragged within
the playlist editor (an internal move)."""


def encode_ids(ids: Iterable[str]) -> QByteArray:
    return QByteArray(json.dumps(list(ids)).encode())


def decode_ids(payload: bytes | QByteArray) -> list[str] | None:
    """The ids in a JSON list payload, or None when it is not a list of strings."""
    raw = bytes(payload.data()) if isinstance(payload, QByteArray) else payload
    try:
        value = json.loads(raw.decode())
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        return None
    return value


def track_ids_mime(track_ids: Iterable[str]) -> QMimeData:
    """A :class:`QMimeData` carrying ``track_ids`` (what the library view drags)."""
    mime = QMimeData()
    mime.setData(TRACK_IDS_MIME, encode_ids(track_ids))
    return mime


def track_ids_from(mime: QMimeData | None) -> list[str] | None:
    """The track ids a drop carries, or None when it carries no (valid) track list."""
    if mime is None or not mime.hasFormat(TRACK_IDS_MIME):
        return None
    return decode_ids(mime.data(TRACK_IDS_MIME))


def playlist_items_mime(playlist_id: str, item_ids: Iterable[str],
                        track_ids: Iterable[str]) -> QMimeData:
    """Rows dragged out of a playlist: an internal move for the playlist itself, and the
    rows' tracks (:data:`TRACK_IDS_MIME`) for any other target that accepts tracks."""
    mime = QMimeData()
    payload = {"playlist": playlist_id, "items": list(item_ids)}
    mime.setData(PLAYLIST_ITEM_IDS_MIME, QByteArray(json.dumps(payload).encode()))
    mime.setData(TRACK_IDS_MIME, encode_ids(track_ids))
    return mime


def playlist_items_from(mime: QMimeData | None) -> tuple[str, list[str]] | None:
    """(playlist id, item ids) of rows dragged within the playlist editor, or None."""
    if mime is None or not mime.hasFormat(PLAYLIST_ITEM_IDS_MIME):
        return None
    try:
        value = json.loads(bytes(mime.data(PLAYLIST_ITEM_IDS_MIME).data()).decode())
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(value, dict):
        return None
    playlist, items = value.get("playlist"), value.get("items")
    if not isinstance(playlist, str) or not isinstance(items, list) or not all(
        isinstance(item, str) for item in items
    ):
        return None
    return playlist, items
