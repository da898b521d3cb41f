from __future__ import annotations

from sqlalchemy import inspect

from station_desktop.db import migrate
from station_desktop.db.engine import Database
from station_desktop.db.models import SEED_TABLES


def test_migrated_database_has_every_seed_table_at_head(db: Database) -> None:
    tables = set(inspect(db.engine).get_table_names())
    assert set(SEED_TABLES) <= tables
    assert migrate.schema_state(db.url).current
