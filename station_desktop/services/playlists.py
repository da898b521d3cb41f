"""Playlists and their items: the seed's ``/api/playlists`` operations.

Create, list, read, edit and delete playlists; add tracks (at a position), remove them,
reorder them (drag and drop, shuffle, sort). The flow "Creación de Playlist": a station's
operator creates a playlist, adds tracks (PlaylistItems with an order), may mark it
"Main" (the AutoDJ's default), and Liquidsoap reads it from the database.

Rules kept here:

- A station has at most one main playlist, and it is a ``rotation`` playlist: marking
  one clears the flag on the others in the same transaction.
- Names are unique per station, ignoring case.
- Item positions (``order``) are dense, 0..n-1, after every operation, so "position" in
  the UI and ``order`` in the database are the same number.
- Every operation is all-or-nothing: a refused add, remove or reorder changes nothing.
- Reordering is checked against ``items_version``, a fingerprint of the item ids in order
  that the caller got with the playlist: a reorder computed from an outdated view is
  refused instead of silently scrambling someone else's edit.
- Deleting a playlist removes its items and schedule blocks explicitly; a database adopted
  from the platform may not cascade.

Concurrency: a write locks the playlist's row (``SELECT ... FOR UPDATE`` on MySQL; SQLite
write transactions are exclusive) before reading its items, and reads what it decides on
with locking reads, which see the latest committed rows on InnoDB whatever the
transaction's snapshot. Lock order across services, so that no two transactions wait for
each other: a station (Client) before its playlists, tracks (AudioFile) before playlists,
playlists in id order, a playlist before its items and schedule blocks.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CursorResult, case, delete, func, insert, select, update
from sqlalchemy.orm import Session

from station_desktop.db.engine import Database
from station_desktop.db.ids import new_id
from station_desktop.db.models import (
    AudioFile,
    Client,
    Playlist,
    PlaylistItem,
    Schedule,
    row_version,
)
from station_desktop.errors import Conflict, NotFound, ValidationError
from station_desktop.services._common import (
    check_choice,
    check_version,
    clean_text,
    get_row,
    lock_row,
    required_text,
)

PLAYLIST_TYPES = ("rotation", "special", "jingles")
ITEM_SORT_KEYS = ("title", "artist", "duration")
MISSING_STATUS = "missing"  # an item whose AudioFile row is gone (a database without FKs)
_CHUNK = 500  # ids per IN (...) list: well under SQLite's bound-parameter limit
_CASE_CHUNK = 1000  # rows per UPDATE ... CASE statement on MySQL


@dataclass(frozen=True, slots=True)
class PlaylistFields:
    """What an operator edits on a playlist."""

    name: str
    type: str = "rotation"
    description: str | None = None
    is_main: bool = False


@dataclass(frozen=True, slots=True)
class PlaylistRecord:
    id: str
    client_id: str
    name: str
    type: str
    description: str | None
    is_main: bool
    item_count: int
    total_duration: float  # seconds, rounded to milliseconds
    version: str

    @property
    def fields(self) -> PlaylistFields:
        return PlaylistFields(self.name, self.type, self.description, self.is_main)


@dataclass(frozen=True, slots=True)
class PlaylistItemRecord:
    id: str
    playlist_id: str
    audio_file_id: str
    order: int
    title: str | None
    artist: str | None
    duration: float
    status: str  # the track's status; "missing" if its AudioFile row no longer exists
    filename: str

    @property
    def display_title(self) -> str:
        return self.title or self.filename


@dataclass(frozen=True, slots=True)
class PlaylistDetail:
    """A playlist and its items in order. ``items_version`` fingerprints the item ids in
    order; pass it back to :meth:`PlaylistService.reorder` and friends."""

    playlist: PlaylistRecord
    items: list[PlaylistItemRecord]
    items_version: str

    @property
    def item_ids(self) -> list[str]:
        return [item.id for item in self.items]


@dataclass(frozen=True, slots=True)
class DeletedPlaylist:
    record: PlaylistRecord
    removed_items: int
    removed_schedule_blocks: int


def items_fingerprint(item_ids: Iterable[str]) -> str:
    """The ``items_version`` of a playlist whose items are ``item_ids``, in this order."""
    digest = hashlib.blake2b(digest_size=8)
    for item_id in item_ids:
        digest.update(item_id.encode())
        digest.update(b"\x1f")
    return digest.hexdigest()


def _validate(fields: PlaylistFields) -> PlaylistFields:
    name = required_text(fields.name, "name", "Playlist name")
    check_choice(fields.type, "type", "Playlist type", PLAYLIST_TYPES)
    description = clean_text(fields.description, "description", "Description", required=False)
    if fields.is_main and fields.type != "rotation":
        raise ValidationError(
            f"Only a rotation playlist can be the station's main playlist (this one is "
            f"{fields.type!r}). Change its type to rotation, or leave Main unticked.",
            field="is_main",
        )
    return PlaylistFields(name, fields.type, description, bool(fields.is_main))


def _record(row: Playlist, item_count: int, total_duration: float) -> PlaylistRecord:
    return PlaylistRecord(
        id=row.id, client_id=row.clientId, name=row.name, type=row.type,
        description=row.description, is_main=bool(row.isMain), item_count=item_count,
        total_duration=round(total_duration, 3), version=row_version(row),
    )


def _chunks(ids: Sequence[str], size: int = _CHUNK) -> Iterable[Sequence[str]]:
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


# -- item order: the shared machinery -------------------------------------------------------


def _current_items(s: Session, playlist_id: str) -> list[tuple[str, int]]:
    """(item id, stored order) of a playlist, in play order. A locking read: on InnoDB it
    sees the latest committed rows even when this transaction's snapshot is older."""
    rows = s.execute(
        select(PlaylistItem.id, PlaylistItem.order)
        .where(PlaylistItem.playlistId == playlist_id)
        .order_by(PlaylistItem.order, PlaylistItem.id)
        .with_for_update()
    ).all()
    return [(str(item_id), int(order)) for item_id, order in rows]


def _write_orders(s: Session, stored: dict[str, int], ordered_ids: Sequence[str]) -> int:
    """Give ``ordered_ids`` the orders 0..n-1, writing only the rows whose stored order
    differs. Returns how many rows were updated.

    One statement per chunk of rows: ``UPDATE ... SET order = CASE id WHEN ... END WHERE id
    IN (...)``. (An executemany of per-row UPDATEs is a round trip per row through PyMySQL,
    which only batches INSERTs; on SQLite, in-process, it is the faster form.)
    """
    changes = [(item_id, position) for position, item_id in enumerate(ordered_ids)
               if stored.get(item_id) != position]
    if not changes:
        return 0
    bind = s.get_bind()
    if bind.dialect.name == "sqlite":
        s.execute(update(PlaylistItem), [{"id": i, "order": o} for i, o in changes])
        return len(changes)
    for start in range(0, len(changes), _CASE_CHUNK):
        chunk = dict(changes[start:start + _CASE_CHUNK])
        s.execute(
            update(PlaylistItem)
            .where(PlaylistItem.id.in_(list(chunk)))
            .values(order=case(chunk, value=PlaylistItem.id))
            .execution_options(synchronize_session=False)
        )
    return len(changes)


def renumber_playlists(s: Session, playlist_ids: Iterable[str]) -> None:
    """Make each playlist's orders dense again (0..n-1, keeping the play order) after
    items were removed. The caller holds the playlists' locks."""
    for playlist_id in playlist_ids:
        current = _current_items(s, playlist_id)
        _write_orders(s, dict(current), [item_id for item_id, _ in current])


def _detail(s: Session, playlist: Playlist) -> PlaylistDetail:
    rows = s.execute(
        select(
            PlaylistItem.id, PlaylistItem.audioFileId, PlaylistItem.order, AudioFile.title,
            AudioFile.artist, AudioFile.duration, AudioFile.status, AudioFile.filename,
        )
        .outerjoin(AudioFile, AudioFile.id == PlaylistItem.audioFileId)
        .where(PlaylistItem.playlistId == playlist.id)
        .order_by(PlaylistItem.order, PlaylistItem.id)
    ).all()
    items = [
        PlaylistItemRecord(
            id=item_id, playlist_id=playlist.id, audio_file_id=audio_id, order=order,
            title=title, artist=artist, duration=float(duration or 0.0),
            status=status if status is not None else MISSING_STATUS, filename=filename or "",
        )
        for item_id, audio_id, order, title, artist, duration, status, filename in rows
    ]
    total = sum(item.duration for item in items)
    return PlaylistDetail(
        playlist=_record(playlist, len(items), total),
        items=items,
        items_version=items_fingerprint(item.id for item in items),
    )


def _stats(s: Session, client_id: str | None = None, playlist_id: str | None = None
           ) -> dict[str, tuple[int, float]]:
    """Item count and total duration per playlist, computed by the database."""
    query = (
        select(PlaylistItem.playlistId, func.count(PlaylistItem.id),
               func.coalesce(func.sum(AudioFile.duration), 0.0))
        .outerjoin(AudioFile, AudioFile.id == PlaylistItem.audioFileId)
        .group_by(PlaylistItem.playlistId)
    )
    if client_id is not None:
        query = query.join(Playlist, Playlist.id == PlaylistItem.playlistId).where(
            Playlist.clientId == client_id
        )
    if playlist_id is not None:
        query = query.where(PlaylistItem.playlistId == playlist_id)
    return {str(pid): (int(count), float(total)) for pid, count, total in s.execute(query)}


def _changed_conflict(playlist: Playlist) -> Conflict:
    return Conflict(
        f"Playlist {playlist.name!r} changed since you opened it (someone added, removed or "
        "moved tracks). Nothing was changed: reload it and try again."
    )


class PlaylistService:
    def __init__(self, db: Database) -> None:
        self._db = db

    # -- playlists -------------------------------------------------------------------------

    def create_playlist(self, client_id: str, fields: PlaylistFields) -> PlaylistRecord:
        fields = _validate(fields)
        with self._db.transaction() as s:
            lock_row(s, Client, client_id, "Station")  # serialises concurrent creations
            _check_name_free(_lock_station_playlists(s, client_id), fields.name, None)
            row = Playlist(clientId=client_id, name=fields.name, type=fields.type,
                           description=fields.description, isMain=fields.is_main)
            s.add(row)
            s.flush()
            if fields.is_main:
                _clear_other_mains(s, client_id, row.id)
            return _record(row, 0, 0.0)

    def list_playlists(self, client_id: str) -> list[PlaylistRecord]:
        """The station's playlists, the main one first, then by name."""
        with self._db.read() as s:
            get_row(s, Client, client_id, "Station")
            stats = _stats(s, client_id=client_id)
            rows = s.scalars(
                select(Playlist).where(Playlist.clientId == client_id)
                .order_by(Playlist.isMain.desc(), func.lower(Playlist.name), Playlist.id)
            )
            return [_record(row, *stats.get(row.id, (0, 0.0))) for row in rows]

    def get_playlist(self, playlist_id: str) -> PlaylistDetail:
        with self._db.read() as s:
            return _detail(s, get_row(s, Playlist, playlist_id, "Playlist"))

    def update_playlist(
        self, playlist_id: str, fields: PlaylistFields, expected_version: str | None
    ) -> PlaylistRecord:
        fields = _validate(fields)
        with self._db.transaction() as s:
            row, others = _lock_for_station_edit(s, playlist_id)
            check_version(row, expected_version, f"Playlist {row.name!r}")
            _check_name_free(others, fields.name, row.id)
            row.name, row.type, row.description = fields.name, fields.type, fields.description
            row.isMain = fields.is_main
            s.flush()
            if fields.is_main:
                _clear_other_mains(s, row.clientId, row.id)
            return _record(row, *_stats(s, playlist_id=row.id).get(row.id, (0, 0.0)))

    def set_main(self, playlist_id: str) -> PlaylistRecord:
        """Make this the station's main playlist (the others stop being main)."""
        with self._db.transaction() as s:
            row, _others = _lock_for_station_edit(s, playlist_id)
            if row.type != "rotation":
                raise ValidationError(
                    f"Only a rotation playlist can be the station's main playlist; "
                    f"{row.name!r} is {row.type!r}.",
                    field="is_main",
                )
            row.isMain = True
            s.flush()
            _clear_other_mains(s, row.clientId, row.id)
            return _record(row, *_stats(s, playlist_id=row.id).get(row.id, (0, 0.0)))

    def delete_playlist(
        self, playlist_id: str, expected_version: str | None = None
    ) -> DeletedPlaylist:
        """Delete a playlist with its items and the schedule blocks that play it."""
        with self._db.transaction() as s:
            row = lock_row(s, Playlist, playlist_id, "Playlist")
            check_version(row, expected_version, f"Playlist {row.name!r}")
            record = _record(row, *_stats(s, playlist_id=row.id).get(row.id, (0, 0.0)))
            blocks = cast(CursorResult[Any], s.execute(
                delete(Schedule).where(Schedule.playlistId == playlist_id)
                .execution_options(synchronize_session=False)
            )).rowcount
            items = cast(CursorResult[Any], s.execute(
                delete(PlaylistItem).where(PlaylistItem.playlistId == playlist_id)
                .execution_options(synchronize_session=False)
            )).rowcount
            s.delete(row)
            s.flush()
            return DeletedPlaylist(record, removed_items=items, removed_schedule_blocks=blocks)

    # -- items -----------------------------------------------------------------------------

    def add_items(
        self,
        playlist_id: str,
        audio_file_ids: Sequence[str],
        position: int | None = None,
        *,
        expected_items_version: str | None = None,
    ) -> PlaylistDetail:
        """Insert tracks at ``position`` (None: at the end; clamped to the playlist), in the
        given order; a track may appear more than once. Every track must exist, belong to
        the playlist's station and not have failed processing, or nothing is added. With
        ``expected_items_version``, refused with :class:`Conflict` if the items changed
        since (the position was chosen on an outdated view)."""
        ids = list(audio_file_ids)
        with self._db.transaction() as s:
            playlist, current = _locked_for_adding(s, playlist_id, ids, expected_items_version)
            if not ids:
                return _detail(s, playlist)
            at = len(current) if position is None else max(0, min(int(position), len(current)))
            new_ids = [new_id() for _ in ids]
            s.execute(
                insert(PlaylistItem),
                [{"id": item_id, "playlistId": playlist_id, "audioFileId": audio_id,
                  "order": at + offset}
                 for offset, (item_id, audio_id) in enumerate(zip(new_ids, ids, strict=True))],
            )
            stored = dict(current) | {item_id: at + n for n, item_id in enumerate(new_ids)}
            existing = [item_id for item_id, _ in current]
            _write_orders(s, stored, existing[:at] + new_ids + existing[at:])
            return _detail(s, playlist)

    def remove_item(self, playlist_id: str, item_id: str) -> PlaylistDetail:
        return self.remove_items(playlist_id, [item_id])

    def remove_items(
        self,
        playlist_id: str,
        item_ids: Sequence[str],
        *,
        expected_items_version: str | None = None,
    ) -> PlaylistDetail:
        """Remove items (all of them, or none if one is not in this playlist); the rest
        close ranks. With ``expected_items_version``, refused with :class:`Conflict` if
        the items changed since."""
        wanted = list(dict.fromkeys(item_ids))
        with self._db.transaction() as s:
            playlist = lock_row(s, Playlist, playlist_id, "Playlist")
            current = _current_items(s, playlist_id)
            _check_items_version(playlist, current, expected_items_version)
            present = {item_id for item_id, _ in current}
            for item_id in wanted:
                if item_id not in present:
                    raise NotFound(f"Item of playlist {playlist.name!r}", item_id)
            removing = set(wanted)
            for chunk in _chunks(wanted):
                s.execute(
                    delete(PlaylistItem).where(PlaylistItem.id.in_(chunk))
                    .execution_options(synchronize_session=False)
                )
            _write_orders(s, dict(current),
                          [item_id for item_id, _ in current if item_id not in removing])
            return _detail(s, playlist)

    def insert_items_at(
        self,
        playlist_id: str,
        placements: Sequence[tuple[int, str]],
        *,
        expected_items_version: str | None = None,
    ) -> PlaylistDetail:
        """Insert tracks so that each ends up at its given position: ``(position,
        audio_file_id)`` pairs, positions in the resulting playlist (what
        :meth:`remove_items` took out, put back exactly where it was: the undo of a
        removal). All-or-nothing; a position that cannot be reached is refused with
        :class:`Conflict`, a track that cannot be added as in :meth:`add_items`."""
        wanted = sorted((int(position), str(audio_id)) for position, audio_id in placements)
        ids = [audio_id for _position, audio_id in wanted]
        with self._db.transaction() as s:
            playlist, current = _locked_for_adding(s, playlist_id, ids, expected_items_version)
            order = [item_id for item_id, _ in current]
            rows: list[dict[str, Any]] = []
            for position, audio_id in wanted:
                if not 0 <= position <= len(order):
                    raise _changed_conflict(playlist)
                item_id = new_id()
                order.insert(position, item_id)
                rows.append({"id": item_id, "playlistId": playlist_id,
                             "audioFileId": audio_id, "order": position})
            if not rows:
                return _detail(s, playlist)
            s.execute(insert(PlaylistItem), rows)
            stored = dict(current) | {row["id"]: row["order"] for row in rows}
            _write_orders(s, stored, order)
            return _detail(s, playlist)

    def reorder(
        self,
        playlist_id: str,
        item_ids: Sequence[str],
        expected_items_version: str | None,
    ) -> PlaylistDetail:
        """Put the items in the order of ``item_ids``, which must be exactly the playlist's
        current items (a permutation); refused with :class:`Conflict` otherwise, or when
        ``expected_items_version`` is no longer the playlist's."""
        new_order = list(item_ids)
        return self._rearrange(playlist_id, expected_items_version, lambda _s, _ids: new_order)

    def move_items(
        self,
        playlist_id: str,
        item_ids: Sequence[str],
        to_position: int,
        expected_items_version: str | None,
    ) -> PlaylistDetail:
        """Drag and drop: move ``item_ids`` (keeping their relative order) so that they land
        before the item that is at row ``to_position`` now (len = at the end), the way a Qt
        view reports a drop."""
        moving = list(dict.fromkeys(item_ids))

        def arrange(_s: Session, current: list[str]) -> list[str]:
            chosen = set(moving)
            if not chosen <= set(current):
                return moving  # not a permutation: refused as a conflict
            target = max(0, min(int(to_position), len(current)))
            moved = [item_id for item_id in current if item_id in chosen]
            rest = [item_id for item_id in current if item_id not in chosen]
            at = target - sum(1 for item_id in current[:target] if item_id in chosen)
            return rest[:at] + moved + rest[at:]

        return self._rearrange(playlist_id, expected_items_version, arrange)

    def shuffle(
        self,
        playlist_id: str,
        expected_items_version: str | None = None,
        *,
        seed: int | None = None,
    ) -> PlaylistDetail:
        """Put the items in random order (``seed`` makes it repeatable)."""
        rng = random.Random(seed)

        def arrange(_s: Session, current: list[str]) -> list[str]:
            shuffled = list(current)
            rng.shuffle(shuffled)
            return shuffled

        return self._rearrange(playlist_id, expected_items_version, arrange)

    def sort_items(
        self,
        playlist_id: str,
        key: str,
        *,
        descending: bool = False,
        expected_items_version: str | None = None,
    ) -> PlaylistDetail:
        """Sort the items by title (the file name when untitled), artist (then title) or
        duration, ignoring case; items without a value go last; ties keep their order."""
        check_choice(key, "key", "Sort key", ITEM_SORT_KEYS)

        def arrange(s: Session, current: list[str]) -> list[str]:
            rows = s.execute(
                select(PlaylistItem.id, AudioFile.title, AudioFile.artist, AudioFile.duration,
                       AudioFile.filename)
                .outerjoin(AudioFile, AudioFile.id == PlaylistItem.audioFileId)
                .where(PlaylistItem.playlistId == playlist_id)
            ).all()
            facts = {str(r[0]): r for r in rows}

            def title(item_id: str) -> str:
                _, t, _a, _d, filename = facts[item_id]
                return str(t or filename or "").casefold()

            def value(item_id: str) -> Any:
                _, _t, artist, duration, _f = facts[item_id]
                if key == "title":
                    return title(item_id) or None
                if key == "artist":
                    return (artist.casefold(), title(item_id)) if artist else None
                return duration

            keyed = [(item_id, value(item_id)) for item_id in current]
            with_value = [pair for pair in keyed if pair[1] is not None]
            with_value.sort(key=lambda pair: pair[1], reverse=descending)
            return [i for i, _ in with_value] + [i for i, v in keyed if v is None]

        return self._rearrange(playlist_id, expected_items_version, arrange)

    # -- helpers ---------------------------------------------------------------------------

    def _rearrange(
        self,
        playlist_id: str,
        expected_items_version: str | None,
        arrange: Callable[[Session, list[str]], list[str]],
    ) -> PlaylistDetail:
        """The one path every reordering takes: lock, check the caller's view, check the
        new order is a permutation, write the changed orders in bulk."""
        with self._db.transaction() as s:
            playlist = lock_row(s, Playlist, playlist_id, "Playlist")
            current = _current_items(s, playlist_id)
            current_ids = [item_id for item_id, _ in current]
            if (expected_items_version is not None
                    and items_fingerprint(current_ids) != expected_items_version):
                raise _changed_conflict(playlist)
            new_order = arrange(s, current_ids)
            if len(new_order) != len(current_ids) or set(new_order) != set(current_ids):
                raise _changed_conflict(playlist)
            _write_orders(s, dict(current), new_order)
            return _detail(s, playlist)


def _check_items_version(
    playlist: Playlist, current: list[tuple[str, int]], expected: str | None
) -> None:
    if expected is not None and items_fingerprint(i for i, _ in current) != expected:
        raise _changed_conflict(playlist)


def _lock_station_playlists(s: Session, client_id: str) -> list[Playlist]:
    """Every playlist of the station, locked in id order (the order every multi-playlist
    lock takes, so two such transactions cannot deadlock). A locking read: the rows are the
    latest committed ones, which the name and main checks need."""
    return list(
        s.scalars(
            select(Playlist).where(Playlist.clientId == client_id).order_by(Playlist.id)
            .with_for_update()
        )
    )


def _lock_for_station_edit(s: Session, playlist_id: str) -> tuple[Playlist, list[Playlist]]:
    """The playlist and all its station's playlists, locked: what a rename or a change of
    the main flag must see and keep still."""
    client_id = s.scalar(select(Playlist.clientId).where(Playlist.id == playlist_id))
    if client_id is None:
        raise NotFound("Playlist", playlist_id)
    playlists = _lock_station_playlists(s, client_id)
    for row in playlists:
        if row.id == playlist_id:
            return row, playlists
    raise NotFound("Playlist", playlist_id)


def _check_name_free(playlists: Iterable[Playlist], name: str, own_id: str | None) -> None:
    # Compared in Python: SQLite's lower() folds ASCII only ("Éxitos" vs "éxitos").
    folded = name.casefold()
    for other in playlists:
        if other.id != own_id and other.name.casefold() == folded:
            raise ValidationError(
                f"This station already has a playlist named {other.name!r}; choose another "
                "name.",
                field="name",
            )


def _clear_other_mains(s: Session, client_id: str, keep_id: str) -> None:
    s.execute(
        update(Playlist)
        .where(Playlist.clientId == client_id, Playlist.id != keep_id,
               Playlist.isMain.is_(True))
        .values(isMain=False)
        .execution_options(synchronize_session=False)
    )


def _locked_for_adding(
    s: Session, playlist_id: str, audio_ids: Sequence[str], expected_items_version: str | None
) -> tuple[Playlist, list[tuple[str, int]]]:
    """Lock the tracks (shared), then the playlist (always in this order: no deadlock
    with a track's deletion); check every track can be added and the items are the
    version the caller saw. The playlist and its current ``(item id, order)`` pairs."""
    tracks = _lock_tracks_shared(s, audio_ids)
    playlist = lock_row(s, Playlist, playlist_id, "Playlist")
    for audio_id in audio_ids:
        _check_addable(tracks.get(audio_id), audio_id, playlist)
    current = _current_items(s, playlist_id)
    _check_items_version(playlist, current, expected_items_version)
    return playlist, current


def _lock_tracks_shared(s: Session, ids: Sequence[str]) -> dict[str, tuple[str, str, str]]:
    """id -> (clientId, status, display name) of the tracks, share-locked so that nobody
    deletes them before the items referencing them are written."""
    unique = sorted(set(ids))
    found: dict[str, tuple[str, str, str]] = {}
    for chunk in _chunks(unique):
        for track_id, client_id, status, title, filename in s.execute(
            select(AudioFile.id, AudioFile.clientId, AudioFile.status, AudioFile.title,
                   AudioFile.filename)
            .where(AudioFile.id.in_(chunk)).order_by(AudioFile.id)
            .with_for_update(read=True)
        ):
            found[str(track_id)] = (str(client_id), str(status), str(title or filename))
    return found


def _check_addable(track: tuple[str, str, str] | None, audio_id: str, playlist: Playlist
                   ) -> None:
    if track is None:
        raise NotFound("Track", audio_id)
    client_id, status, name = track
    if client_id != playlist.clientId:
        raise ValidationError(
            f"Track {name!r} belongs to another station's library; only this station's "
            f"tracks can go into {playlist.name!r}. Nothing was added.",
            field="audio_file_ids",
        )
    if status == "error":
        raise ValidationError(
            f"Track {name!r} failed processing (status: error) and cannot be played. "
            "Re-import or delete it; nothing was added.",
            field="audio_file_ids",
        )
