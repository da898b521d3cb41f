"""A MariaDB database of its own for a bench: created on the throwaway server that
``STATION_TEST_MARIADB_URL`` names, dropped afterwards (unless kept)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import make_url, text

from station_desktop.db.engine import create_db_engine


@contextmanager
def bench_database(admin_url: str, *, keep: bool = False) -> Iterator[str]:
    """The URL of a new, empty database ``bench_<random>``; dropped when the block ends
    unless ``keep``."""
    name = f"bench_{uuid.uuid4().hex[:10]}"
    engine = create_db_engine(admin_url)
    with engine.begin() as conn:
        conn.execute(text(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 "
                          "COLLATE utf8mb4_unicode_ci"))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        if not keep:
            with engine.begin() as conn:
                conn.execute(text(f"DROP DATABASE IF EXISTS `{name}`"))
        engine.dispose()
