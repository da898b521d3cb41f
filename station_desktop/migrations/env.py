"""Alembic environment shared by the CLI, the app's auto-upgrade and developers.

The URL comes from (first found): a connection handed over by
:mod:`station_desktop.db.migrate` in ``config.attributes["connection"]``, ``-x url=...``,
or ``DATABASE_URL``. Batch mode is on so that SQLite can alter tables.
"""

from __future__ import annotations

import os

from alembic import context

from station_desktop.db.engine import create_db_engine
from station_desktop.db.models import Base

config = context.config
target_metadata = Base.metadata


def _url() -> str:
    url = context.get_x_argument(as_dictionary=True).get("url") or os.environ.get("DATABASE_URL")
    if not url:
        raise SystemExit("no database: pass -x url=... or set DATABASE_URL")
    return url


def run_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True,
                      render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_db_engine(_url(), sqlite_foreign_keys=False)
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
