"""Row ids compatible with the platform's Prisma ``@default(cuid())`` ids.

A cuid is ``c`` + base36 time + base36 randomness, 25 characters. Ours follow the same
shape so that rows made here and rows made by the platform look alike and sort by creation
time; the random part (>= 80 bits from :mod:`secrets`) keeps them collision-free across
processes and machines.
"""

from __future__ import annotations

import secrets
import string
import time

_ALPHABET = string.digits + string.ascii_lowercase


def _base36(value: int, width: int) -> str:
    digits = []
    while value:
        value, rem = divmod(value, 36)
        digits.append(_ALPHABET[rem])
    return "".join(reversed(digits)).rjust(width, "0")[-width:]


def new_id() -> str:
    """A new 25-character cuid-style id."""
    millis = time.time_ns() // 1_000_000
    return "c" + _base36(millis, 8) + _base36(secrets.randbelow(36**16), 16)
