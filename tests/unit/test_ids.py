"""Row ids: the platform's cuid shape, unique, and unique in a forked child too."""

from __future__ import annotations

import os
import re
import time

from station_desktop.db.ids import new_id

CUID = re.compile(r"c[0-9a-z]{24}")


def test_ids_have_the_cuid_shape_and_sort_by_time() -> None:
    first = new_id()
    time.sleep(0.002)
    second = new_id()
    assert CUID.fullmatch(first) and CUID.fullmatch(second)
    assert first[:9] <= second[:9]  # the time part


def test_ids_do_not_repeat() -> None:
    ids = [new_id() for _ in range(100_000)]
    assert len(set(ids)) == len(ids)


def test_a_forked_child_does_not_repeat_its_parents_ids() -> None:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its next ids, to the parent
        os.close(read)
        os.write(write, " ".join(new_id() for _ in range(50)).encode())
        os._exit(0)
    os.close(write)
    ours = {new_id() for _ in range(50)}
    with os.fdopen(read, "rb") as stream:
        theirs = set(stream.read().decode().split())
    os.waitpid(pid, 0)
    assert len(theirs) == 50 and not ours & theirs
    assert {i[9:] for i in ours}.isdisjoint(i[9:] for i in theirs)  # the random parts
