"""Uniquely named databases on the throwaway MariaDB server (see tests/conftest.py)."""

from __future__ import annotations

import uuid

from sqlalchemy import make_url, text

from station_desktop.db.engine import create_db_engine
from station_desktop.db.models import Base


class MariaDBDatabases:
    """Creates and drops uniquely named databases on the throwaway server."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url
        self.engine = create_db_engine(admin_url)

    def create(self, prefix: str = "t") -> str:
        name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        with self.engine.begin() as conn:
            conn.execute(text(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 "
                              "COLLATE utf8mb4_unicode_ci"))
        return make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)

    def drop(self, url: str) -> None:
        name = make_url(url).database
        with self.engine.begin() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS `{name}`"))


def delete_all_rows(url: str) -> None:
    """Empty every table the models know (children first), keeping the schema."""
    engine = create_db_engine(url)
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())
    engine.dispose()
