"""The on-disk sample buffer: order, bound, restarts, corruption, partial drains."""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from collections.abc import Sequence
from pathlib import Path

import pytest

from station_desktop.daemon.buffer import BUFFER_FILE, SampleBuffer, decode_sample, encode_sample
from station_desktop.services.stats import Sample

T0 = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)


def item(n: int, station: str = "st1") -> tuple[str, Sample]:
    return station, Sample(timestamp=T0 + dt.timedelta(minutes=n), listeners=n,
                           peak_listeners=n + 1, current_song=f"Sóng {n}",
                           listeners_by_bitrate={64: 1, 192: n}, stream_status="online",
                           uptime=60 * n)


class Collect:
    def __init__(self, fail_on_call: int | None = None) -> None:
        self.batches: list[list[tuple[str, Sample]]] = []
        self.calls = 0
        self.fail_on_call = fail_on_call

    def __call__(self, items: Sequence[tuple[str, Sample]]) -> None:
        self.calls += 1
        if self.calls == self.fail_on_call:
            raise RuntimeError("database went away")
        self.batches.append(list(items))

    @property
    def written(self) -> list[tuple[str, Sample]]:
        return [i for batch in self.batches for i in batch]


def test_round_trip_of_a_sample() -> None:
    assert decode_sample(encode_sample(*item(3))) == item(3)


def test_drain_is_oldest_first_and_empties(tmp_path: Path) -> None:
    buffer = SampleBuffer(tmp_path)
    buffer.append([item(0), item(1)])
    buffer.append([item(2)])
    assert len(buffer) == 3
    writer = Collect()
    assert buffer.drain(writer) == 3
    assert writer.written == [item(0), item(1), item(2)]
    assert len(buffer) == 0
    assert buffer.drain(writer) == 0


def test_bounded_drops_the_oldest_with_a_warning(tmp_path: Path,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    buffer = SampleBuffer(tmp_path, max_samples=5)
    buffer.append([item(n) for n in range(4)])
    with caplog.at_level(logging.WARNING):
        assert buffer.append([item(n) for n in range(4, 7)]) == 2
    assert "dropped the 2 oldest" in caplog.text
    assert buffer.dropped == 2
    writer = Collect()
    buffer.drain(writer)
    assert [s.listeners for _, s in writer.written] == [2, 3, 4, 5, 6]


def test_survives_a_restart(tmp_path: Path) -> None:
    SampleBuffer(tmp_path).append([item(1), item(2)])
    again = SampleBuffer(tmp_path)
    writer = Collect()
    assert again.drain(writer) == 2 and writer.written == [item(1), item(2)]


def test_corrupt_rows_are_skipped_counted_and_removed(tmp_path: Path) -> None:
    buffer = SampleBuffer(tmp_path)
    buffer.append([item(1)])
    with sqlite3.connect(tmp_path / BUFFER_FILE) as conn:
        conn.executemany("INSERT INTO samples (payload) VALUES (?)",
                         [("{not json",), ('{"station": "x"}',), ("[1]",),
                          ('{"station":"s","ts":"2026-01-01T00:00:00","listeners":1,'
                           '"peak":1}',)])  # a naive timestamp
    buffer.append([item(2)])
    writer = Collect()
    assert buffer.drain(writer) == 2
    assert writer.written == [item(1), item(2)]
    assert buffer.corrupt == 4 and len(buffer) == 0


def test_a_writer_failing_midway_removes_only_what_was_written(tmp_path: Path) -> None:
    buffer = SampleBuffer(tmp_path)
    buffer.append([item(n) for n in range(7)])
    failing = Collect(fail_on_call=2)
    with pytest.raises(RuntimeError):
        buffer.drain(failing, batch=3)
    assert failing.written == [item(0), item(1), item(2)]
    assert len(buffer) == 4
    rest = Collect()
    assert buffer.drain(rest, batch=3) == 4
    assert rest.written == [item(n) for n in range(3, 7)]


def test_a_file_that_is_not_a_database_is_moved_aside(tmp_path: Path) -> None:
    (tmp_path / BUFFER_FILE).write_bytes(b"garbage " * 100)
    buffer = SampleBuffer(tmp_path)
    buffer.append([item(1)])
    assert len(buffer) == 1
    assert list(tmp_path.glob(f"{BUFFER_FILE}.corrupt-*"))
