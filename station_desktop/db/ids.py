"""Row ids compatible with the platform's Prisma ``@default(cuid())`` ids.

A cuid is ``c`` + base36 time + base36 randomness, 25 characters. Ours follow the same
shape so that rows made here and rows made by the platform look alike and sort by creation
time; the random part (82 bits) keeps them collision-free across processes and machines.

An id is not a secret (as the platform's cuids are not), so the random part comes from a
generator seeded once per process from the OS (and again in a forked child) rather than
from a system call per id: a batch of 2,000 imported tracks made 2,400 of them, each
letting go of Python's lock and waiting to get it back behind the import's other threads.
"""

from __future__ import annotations

import os
import random
import string
import time

_ALPHABET = string.digits + string.ascii_lowercase


def _base36(value: int, width: int) -> str:
    digits = []
    while value:
        value, rem = divmod(value, 36)
        digits.append(_ALPHABET[rem])
    return "".join(reversed(digits)).rjust(width, "0")[-width:]


_random = random.Random(os.urandom(32))


def _reseed() -> None:
    _random.seed(os.urandom(32))


os.register_at_fork(after_in_child=_reseed)  # a forked child must not repeat the parent


def new_id() -> str:
    """A new 25-character cuid-style id."""
    millis = time.time_ns() // 1_000_000
    return "c" + _base36(millis, 8) + _base36(_random.randrange(36**16), 16)
