"""The import service on real files, real ffmpeg, real folders, SQLite and MariaDB.

Every test imports real audio made with ffmpeg (``unit.media.audio_samples``) or copied
from tests/data/test-media, into a LocalStorage in a temporary folder, and checks both
sides: the rows (through LibraryService) and the files in storage.
"""

from __future__ import annotations

import asyncio
import gc
import io
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.factories import make_station
from PIL import Image
from unit.media.audio_samples import (
    ACCENTED,
    Samples,
    empty_file,
    text_named_mp3,
    truncated,
)

from station_desktop.db.engine import Database
from station_desktop.errors import ValidationError
from station_desktop.media.storage import LocalStorage, SftpLocation
from station_desktop.services.importer import (
    FileOutcome,
    ImportLimits,
    ImportProgress,
    ImportReport,
    ImportService,
)
from station_desktop.services.library import LibraryService, TrackRecord
from station_desktop.services.workspace import open_workspace

TEST_MEDIA = Path(__file__).parents[2] / "data" / "test-media"


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> Samples:
    return Samples(tmp_path_factory.mktemp("samples"))


class Setup:
    def __init__(self, db: Database, root: Path, quota: int | None = None,
                 limits: ImportLimits | None = None) -> None:
        self.db = db
        self.root = root
        self.storage = LocalStorage(root)
        self.station = (make_station(db) if quota is None
                        else make_station(db, storage_quota=quota))
        self.library = LibraryService(db)
        self.importer = ImportService(db, lambda _id: self.storage, limits=limits)
        self.progress: list[ImportProgress] = []
        self.seen: list[FileOutcome] = []

    async def run(self, paths: list[Path], cancel: threading.Event | None = None) -> ImportReport:
        return await self.importer.import_files(
            self.station.id, paths, on_progress=self.progress.append,
            on_outcome=self.seen.append, cancel=cancel)

    def tracks(self) -> list[TrackRecord]:
        return self.library.list_tracks(self.station.id, sort="filename", limit=1000).tracks

    def stored(self) -> list[str]:
        folder = self.root / self.station.id
        if not folder.exists():
            return []
        return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


@pytest.fixture
def setup(db: Database, tmp_path: Path) -> Iterator[Setup]:
    made = Setup(db, tmp_path / "audio")
    yield made
    made.importer.close()


def by_name(report: ImportReport) -> dict[str, FileOutcome]:
    return {o.path.name: o for o in report.outcomes}


@pytest.mark.asyncio
async def test_files_import_with_their_tags_cover_and_technical_data(
    setup: Setup, samples: Samples, tmp_path: Path
) -> None:
    names = ["accented.mp3", "tone.ogg", "tone.opus", "tone.m4a", "long-title.flac", "tone.wav"]
    paths = [samples.copy(name, tmp_path / "in") for name in names]

    report = await setup.run(paths)

    assert [o.status for o in report.outcomes] == ["imported"] * 6, report.outcomes
    assert not report.cancelled and report.imported == report.outcomes
    # Each outcome was announced as it happened (in the order files finished); the report
    # lists them in the order they were given.
    assert sorted(map(repr, setup.seen)) == sorted(map(repr, report.outcomes))
    assert setup.progress[-1] == ImportProgress(6, 6, "")
    tracks = {t.filename: t for t in setup.tracks()}
    assert set(tracks) == set(names)
    song = tracks["accented.mp3"]
    assert (song.title, song.artist, song.album, song.genre, song.year) == (
        ACCENTED["title"], ACCENTED["artist"], ACCENTED["album"], ACCENTED["genre"], 2019)
    assert (song.format, song.sample_rate, song.channels, song.status) == ("mp3", 44100, 2, "ready")
    assert song.duration == pytest.approx(1.5, abs=0.06)
    assert song.content_hash is not None and len(song.content_hash) == 64
    assert song.storage_path == str(setup.root / setup.station.id / Path(song.storage_path).name)
    assert Path(song.storage_path).read_bytes() == paths[0].read_bytes()
    assert song.cover_url is not None and song.cover_url.startswith("covers/")
    cover = await setup.importer.cover_bytes(setup.station.id, song.cover_url)
    assert cover is not None
    with Image.open(io.BytesIO(cover)) as image:
        assert image.format == "JPEG" and max(image.size) == 300
    assert tracks["tone.opus"].format == "opus" and tracks["tone.opus"].sample_rate == 48000
    assert tracks["tone.m4a"].format == "m4a" and tracks["tone.wav"].format == "wav"
    flac = tracks["long-title.flac"]
    assert flac.title is not None and len(flac.title) == 191
    notes = by_name(report)["long-title.flac"].notes
    assert any("500 characters" in note for note in notes)
    assert len(setup.stored()) == 7  # six tracks and one cover
    assert await setup.importer.cover_bytes(setup.station.id, "../../etc/passwd") is None


@pytest.mark.asyncio
async def test_bad_input_gets_a_reason_the_batch_goes_on_and_stored_files_stay(
    setup: Setup, samples: Samples, tmp_path: Path
) -> None:
    first = await setup.run([samples.copy("tone.ogg", tmp_path / "before")])
    kept = setup.tracks()[0]
    kept_bytes = Path(kept.storage_path).read_bytes()
    folder = tmp_path / "in"
    bad_name = samples.copy("tone.m4a", folder, "two\nlines.m4a")
    quoted = samples.copy("accented.mp3", folder, "It's \"quoted\" ..here.mp3")
    paths = [
        empty_file(folder), text_named_mp3(folder), truncated(samples, folder), bad_name,
        folder / ".." / "in" / quoted.name, quoted, folder / "missing.mp3",
        samples.copy("tone.wma", folder),
    ]

    report = await setup.run(paths)

    outcome = by_name(report)
    assert first.imported and not report.cancelled
    assert "empty (0 bytes)" in outcome["empty.mp3"].message
    assert "text file, not audio, although its name ends in .mp3" in outcome["notes.mp3"].message
    assert "damaged or incomplete" in outcome["truncated.mp3"].message
    assert "a line break" in outcome["two\nlines.m4a"].message
    assert "does not exist" in outcome["missing.mp3"].message
    dotdot = [o for o in report.outcomes if ".." in o.path.parts]
    assert len(dotdot) == 1 and "contains '..'" in dotdot[0].message
    for failed in report.errors:
        assert failed.track_id is None  # validation failures create no row
    assert outcome[quoted.name].status == "imported"
    wma = outcome["tone.wma"]
    assert wma.status == "imported" and any("MP3" in note for note in wma.notes)
    tracks = {t.filename: t for t in setup.tracks()}
    assert set(tracks) == {"tone.ogg", quoted.name, "tone.wma"}
    assert tracks["tone.wma"].format == "mp3" and tracks["tone.wma"].title == "WMA tone"
    assert Path(tracks["tone.wma"].storage_path).suffix == ".mp3"
    assert Path(kept.storage_path).read_bytes() == kept_bytes
    assert setup.library.get_track(kept.id) == kept
    assert not any(name.endswith(".part") or name.startswith(".") for name in setup.stored())


@pytest.mark.asyncio
async def test_the_same_content_is_a_duplicate_of_the_track_that_holds_it(
    setup: Setup, samples: Samples, tmp_path: Path
) -> None:
    original = samples.copy("tone.ogg", tmp_path / "a")
    first = await setup.run([original])
    first_id = first.imported[0].track_id

    again = await setup.run([
        original, samples.copy("tone.ogg", tmp_path / "b", "renamed.ogg"),
        samples.copy("tone.opus", tmp_path / "b"), samples.copy("tone.opus", tmp_path / "c"),
    ])

    statuses = [(o.path.name, o.status) for o in again.outcomes]
    assert statuses[:2] == [("tone.ogg", "duplicate"), ("renamed.ogg", "duplicate")]
    assert again.duplicates[0].track_id == again.duplicates[1].track_id == first_id
    assert "Already in the library as 'Ogg tone'" in again.duplicates[0].message
    # Two copies in one batch: whichever gets there first is imported, the other is its
    # duplicate (they run in parallel).
    opus = again.outcomes[2:]
    assert sorted(o.status for o in opus) == ["duplicate", "imported"]
    assert opus[0].track_id == opus[1].track_id == again.imported[0].track_id
    assert len(setup.tracks()) == 2 and len(setup.stored()) == 2


@pytest.mark.asyncio
async def test_the_quota_is_enforced_before_anything_is_copied(
    db: Database, samples: Samples, tmp_path: Path
) -> None:
    setup = Setup(db, tmp_path / "audio", quota=40 * 1024)
    try:
        small = samples.copy("tone.ogg", tmp_path / "in")  # ~17 KB
        big = samples.copy("tone.wav", tmp_path / "in")  # ~176 KB
        report = await setup.run([small, big])
    finally:
        setup.importer.close()
    outcome = by_name(report)
    assert outcome["tone.ogg"].status == "imported"
    assert outcome["tone.wav"].status == "error" and outcome["tone.wav"].track_id is None
    assert "Not enough storage" in outcome["tone.wav"].message
    assert [t.filename for t in setup.tracks()] == ["tone.ogg"]
    assert len(setup.stored()) == 1


@pytest.mark.asyncio
async def test_a_conversion_that_fails_leaves_an_error_row_and_no_file(
    setup: Setup, tmp_path: Path
) -> None:
    source = tmp_path / "full.wma"  # mutagen reads it, ffmpeg cannot decode it
    shutil.copyfile(TEST_MEDIA / "mediafile" / "full.wma", source)

    report = await setup.run([source])

    failed = report.errors[0]
    assert "could not be converted" in failed.message and failed.track_id is not None
    track = setup.library.get_track(failed.track_id)
    assert track.status == "error" and track.status_message == failed.message
    assert setup.stored() == []


@pytest.mark.asyncio
async def test_cancelling_rolls_back_files_in_flight_and_skips_the_rest(
    db: Database, samples: Samples, tmp_path: Path
) -> None:
    setup = Setup(db, tmp_path / "audio", limits=ImportLimits(parallel=3))
    cancel = threading.Event()
    folder = tmp_path / "in"
    paths = [samples.copy("tone.ogg", folder), samples.copy("slow.wma", folder, "slow1.wma"),
             samples.unique(folder, "slow.wma")] + [samples.unique(folder) for _ in range(4)]

    def on_outcome(outcome: FileOutcome) -> None:
        setup.seen.append(outcome)
        if outcome.status == "imported":
            cancel.set()  # while both slow conversions run

    try:
        report = await setup.importer.import_files(
            setup.station.id, paths, on_outcome=on_outcome, cancel=cancel)
    finally:
        setup.importer.close()

    assert report.cancelled
    assert [o.status for o in report.outcomes] == ["imported"] + ["cancelled"] * 6
    assert "nothing of this file was kept" in report.outcomes[1].message
    assert "before this file was started" in report.outcomes[-1].message
    assert [t.filename for t in setup.tracks()] == ["tone.ogg"]
    assert setup.stored() == [Path(setup.tracks()[0].storage_path).name]


@pytest.mark.asyncio
async def test_cancelling_the_task_cleans_up_then_reraises(
    db: Database, samples: Samples, tmp_path: Path
) -> None:
    setup = Setup(db, tmp_path / "audio", limits=ImportLimits(parallel=2))
    folder = tmp_path / "in"
    paths = [samples.copy("slow.wma", folder), samples.unique(folder, "slow.wma")]
    try:
        task = asyncio.ensure_future(setup.run(paths))
        for _ in range(200):  # until both rows exist (status processing)
            await asyncio.sleep(0.02)
            if len(await asyncio.to_thread(setup.tracks)) == 2:
                break
        assert {t.status for t in setup.tracks()} == {"processing"}
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    finally:
        setup.importer.close()
    assert setup.tracks() == [] and setup.stored() == []


@pytest.mark.asyncio
async def test_folders_are_expanded_recursively_to_their_audio_files(
    setup: Setup, samples: Samples, tmp_path: Path
) -> None:
    top = tmp_path / "Album"
    samples.copy("tone.ogg", top)
    samples.copy("tone.opus", top / "CD 2")
    samples.copy("tone.m4a", top / "CD 2" / "Bonus")
    (top / "cover.jpg").write_bytes(b"not audio")
    (top / "notes.txt").write_text("liner notes")
    samples.copy("tone.wav", top / ".hidden")

    report = await setup.run([top])

    assert sorted(o.path.name for o in report.imported) == ["tone.m4a", "tone.ogg", "tone.opus"]
    assert len(report.outcomes) == 3 and setup.progress[-1].total == 3


@pytest.mark.asyncio
async def test_without_media_storage_the_import_says_how_to_configure_it(
    db: Database, tmp_path: Path
) -> None:
    station = make_station(db)
    importer = ImportService(db, None)
    with pytest.raises(ValidationError, match="no media storage") as raised:
        await importer.import_files(station.id, [tmp_path / "a.mp3"])
    assert raised.value.field == "media_storage"
    assert "SFTP" in str(raised.value) and "mounted" in str(raised.value)
    assert await importer.cover_bytes(station.id, "covers/" + "a" * 64 + ".jpg") is None
    assert not importer.configured


@pytest.mark.gui
def test_the_import_runs_inside_the_qt_event_loop(
    qapp: object, db: Database, samples: Samples, tmp_path: Path
) -> None:
    import qasync

    setup = Setup(db, tmp_path / "audio")
    loop = qasync.QEventLoop(qapp)
    try:
        report = loop.run_until_complete(asyncio.wait_for(setup.run(
            [samples.copy("accented.mp3", tmp_path), samples.copy("tone.wma", tmp_path)]), 60))
    finally:
        setup.importer.close()
        loop.close()
        asyncio.set_event_loop(None)
        gc.collect()  # free the loop's QObjects here, on the UI thread (see tests/conftest.py)
    assert [o.status for o in report.outcomes] == ["imported", "imported"]


@pytest.mark.asyncio
async def test_workspaces_wire_their_media_storage(
    database_url: str, samples: Samples, tmp_path: Path
) -> None:
    bare = open_workspace(database_url)
    try:
        assert not bare.importer.configured  # a shared database with no storage set up
        station = make_station(bare.db)
        with pytest.raises(ValidationError, match="no media storage"):
            await bare.importer.import_files(station.id, [tmp_path / "x.mp3"])
    finally:
        bare.close()
    with pytest.raises(ValidationError, match="not both"):
        open_workspace(database_url, media_root=tmp_path, sftp=SftpLocation("h", "u"))
    share = tmp_path / "mnt" / "audio"  # where the server's /audio is mounted
    share.mkdir(parents=True)
    mounted = open_workspace(database_url, media_root=share)
    try:
        report = await mounted.importer.import_files(
            station.id, [samples.copy("tone.ogg", tmp_path / "in")])
        track = mounted.library.get_track(report.imported[0].track_id or "")
        name = Path(track.storage_path).name
        assert track.storage_path == f"/audio/{station.id}/{name}"  # as the server sees it
        assert (share / station.id / name).is_file()  # written through the mount
    finally:
        mounted.close()


# -- the library's write side, as the importer uses it ---------------------------------------


def _hash(n: int) -> str:
    return f"{n:064x}"


def test_add_tracks_one_transaction_each_track_on_its_own_terms(db: Database) -> None:
    from helpers.factories import new_track

    from station_desktop.errors import NotFound, QuotaExceeded

    station = make_station(db, storage_quota=3 * 1024**2)
    library = LibraryService(db)
    held = library.add_track(station.id, new_track(content_hash=_hash(1)))
    results = library.add_tracks(station.id, [
        new_track(content_hash=_hash(1)),  # the station holds it
        new_track(content_hash=_hash(2), title="First copy"),
        new_track(content_hash=_hash(2)),  # an earlier track of this batch holds it
        new_track(content_hash="not-hex"),  # bad value
        new_track(content_hash=_hash(3)),  # 1 MB: fits (2 of 3 MB used after it)
        new_track(content_hash=_hash(4)),  # would be 4 MB: over the quota
    ])
    assert results[0].duplicate and results[0].record == held
    assert not results[1].duplicate and results[1].record is not None
    assert results[2].duplicate and results[2].record == results[1].record
    assert isinstance(results[3].error, ValidationError)
    assert results[3].error.field == "content_hash"
    assert results[4].record is not None and results[4].error is None
    assert isinstance(results[5].error, QuotaExceeded) and results[5].record is None
    stored = {t.id: t for t in library.list_tracks(station.id, limit=100).tracks}
    assert set(stored) == {held.id, results[1].record.id, results[4].record.id}
    assert stored[results[1].record.id] == results[1].record  # the record is the row
    assert library.find_by_hash(station.id, _hash(2)) == results[1].record
    assert library.find_by_hash(station.id, _hash(9)) is None
    with pytest.raises(NotFound):
        library.add_tracks("no-such-station", [new_track()])


def test_statuses_messages_and_the_fast_ready_path(db: Database) -> None:
    from helpers.factories import new_track

    from station_desktop.errors import NotFound, QuotaExceeded
    from station_desktop.services.library import StatusChange

    station = make_station(db, storage_quota=4 * 1024**2)
    library = LibraryService(db)
    a, b, c = (library.add_track(station.id, new_track(status="processing")) for _ in range(3))

    failed = library.set_status(a.id, "error", status_message="ffmpeg said:\nno\tway")
    assert failed.status == "error" and failed.status_message == "ffmpeg said: no way"
    assert library.set_status(a.id, "ready").status_message is None  # cleared
    results = library.set_statuses([
        StatusChange(b.id, "ready", format="flac", file_size=1024**2 // 2),
        StatusChange("missing", "ready"),
        StatusChange(c.id, "ready", file_size=5 * 1024**2),  # grew past the quota
        StatusChange(c.id, "bogus"),
    ])
    assert not isinstance(results[0], Exception)
    assert results[0].format == "flac" and results[0].file_size == 1024**2 // 2
    assert isinstance(results[1], NotFound)
    assert isinstance(results[2], QuotaExceeded)
    assert isinstance(results[3], ValidationError)
    assert library.get_track(c.id).status == "processing"
    assert library.mark_ready([c.id, "missing"]) == {c.id}
    assert library.get_track(c.id).status == "ready"
    assert not library.cover_in_use(station.id, "covers/x.jpg")
    library.add_track(station.id, new_track(cover_url="covers/x.jpg"))
    assert library.cover_in_use(station.id, "covers/x.jpg")


def test_a_profiles_media_settings_become_its_storage() -> None:
    from station_desktop.config.profiles import MEDIA_LOCAL, MEDIA_SFTP, Profile
    from station_desktop.services.workspace import profile_media

    url = "mysql+pymysql://radio@db.example.net/radio"
    assert profile_media(Profile("Plain", url)) == (None, None)
    assert profile_media(Profile("Share", url, media_storage=MEDIA_LOCAL,
                                 media_root="/mnt/audio")) == (Path("/mnt/audio"), None)
    root, location = profile_media(Profile("Remote", url, media_storage=MEDIA_SFTP,
                                           sftp_user="radio", sftp_key_file="/k/id"))
    assert root is None and location is not None
    assert (location.host, location.username, location.root) == ("", "radio", "/audio")
    assert location.client_keys == [Path("/k/id")]
    _root, agent = profile_media(Profile("Agent", url, media_storage=MEDIA_SFTP))
    assert agent is not None and agent.client_keys is None and agent.username == ""


# -- worker processes ---------------------------------------------------------------------

_COMPARED = ("filename", "title", "artist", "album", "genre", "year", "format", "duration",
             "bitrate", "sample_rate", "channels", "content_hash", "cover_url", "status")


@pytest.mark.asyncio
async def test_worker_processes_read_files_as_the_threads_do(
    db: Database, samples: Samples, tmp_path: Path
) -> None:
    names = ["accented.mp3", "tone.ogg", "tone.opus", "tone.m4a", "long-title.flac",
             "tone.wav"]
    seen: dict[int, tuple[list[tuple[object, ...]], list[tuple[str, str | None]]]] = {}
    for processes in (0, 2):
        setup = Setup(db, tmp_path / f"audio{processes}", limits=ImportLimits(
            processes=processes))
        try:
            folder = tmp_path / f"in{processes}"
            paths = [samples.copy(name, folder) for name in names]
            paths += [empty_file(folder), text_named_mp3(folder), truncated(samples, folder),
                      folder / "missing.mp3"]
            report = await setup.run(paths)
            workers = setup.importer._workers
            assert (workers is not None) == (processes > 0)  # the workers did read them
            seen[processes] = (
                [tuple(getattr(t, f) for f in _COMPARED) for t in setup.tracks()],
                [(o.status, o.message) for o in report.outcomes])
        finally:
            setup.importer.close()
    # Content hashes, covers (named by content) and every reason are the same.
    assert seen[0] == seen[2]
    assert [status for status, _ in seen[2][1]] == ["imported"] * 6 + ["error"] * 4


@pytest.mark.asyncio
async def test_a_worker_process_that_dies_leaves_the_files_to_the_threads(
    setup: Setup, samples: Samples, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    first = await setup.run([samples.copy("tone.ogg", tmp_path / "a")])
    assert first.imported
    workers = setup.importer._workers
    assert workers is not None and workers._idle
    for worker in workers._idle:
        worker.process.kill()
        worker.process.wait()
    with caplog.at_level("WARNING", logger="station_desktop"):
        second = await setup.run([samples.copy(n, tmp_path / "b")
                                  for n in ("accented.mp3", "tone.wav")])
    assert [o.status for o in second.outcomes] == ["imported", "imported"]
    assert "worker process failed" in caplog.text
    third = await setup.run([samples.copy("tone.opus", tmp_path / "c")])
    assert [o.status for o in third.outcomes] == ["imported"]  # in threads from now on
