"""Adopt a database the platform created: check it against revision 0001, then stamp it.

The platform (see the seed document) made its tables with Prisma's own DDL. Before Station
Desktop works on them, every table and column that the baseline revision (0001) defines
must be there with a compatible type: strings, integers, floats, booleans and date-times
are compared as families (Prisma's ``BOOLEAN`` is MySQL's ``TINYINT(1)``, ``TEXT`` is as good
as ``VARCHAR``), and a column our code relies on being NOT NULL must be NOT NULL. Every
difference is reported at once; if any of them blocks adoption, nothing is changed.

What the platform has beyond that (its own tables and columns) is left alone and reported
for information. The one thing adoption may add is the ``Client`` table, when the
platform's schema lacks it: the app lists stations through it, so it is created and
filled with one row per station id found in the other tables. Existing rows are never
touched. Then the database is stamped at 0001 (under the same lock ``upgrade`` takes), and
``stationd db upgrade`` brings it to the current schema.

What "revision 0001 needs" is read from the migration itself: it is run on a scratch
in-memory SQLite database and reflected, so this check can never drift from the baseline.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import (
    URL,
    Column,
    Connection,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    column,
    create_engine,
    inspect,
    select,
    table,
    text,
    union,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.engine.interfaces import ReflectedColumn
from sqlalchemy.engine.reflection import Inspector
from sqlalchemy.sql import Select
from sqlalchemy.types import (
    Boolean,
    DateTime,
    Float,
    Integer,
    Numeric,
    TypeEngine,
)

from station_desktop.db import migrate
from station_desktop.db.engine import create_db_engine, normalize_url, safe_url, translate_errors
from station_desktop.errors import SchemaMismatch, StationError

log = logging.getLogger("station_desktop.db.adopt")

BASELINE = "0001"
CLIENT_TABLE = "Client"
CLIENT_ID_COLUMN = "clientId"
# Ours (alembic_version) or nobody's business (the platform's own bookkeeping is reported
# like any other extra table).
OWN_TABLES = frozenset({"alembic_version"})

Level = Literal["error", "warning", "info"]
Family = Literal["string", "int", "float", "bool", "datetime"]

FAMILY_WORDS: dict[Family, str] = {
    "string": "a text column (VARCHAR/TEXT)",
    "int": "an integer column",
    "float": "a floating-point column (DOUBLE/FLOAT)",
    "bool": "a boolean column (BOOLEAN/TINYINT(1))",
    "datetime": "a date-time column (DATETIME)",
}
# Which kinds of stored column satisfy what the baseline declares. MySQL reflects Prisma's
# BOOLEAN as TINYINT(1), an integer.
ACCEPTED: dict[Family, frozenset[Family]] = {
    "string": frozenset({"string"}),
    "int": frozenset({"int"}),
    "float": frozenset({"float"}),
    "bool": frozenset({"bool", "int"}),
    "datetime": frozenset({"datetime"}),
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One difference between the database and the baseline.

    ``error`` blocks adoption; ``warning`` does not, but says what will not work as well as
    on a schema we created; ``info`` is what adoption leaves alone or adds.
    """

    level: Level
    message: str
    table: str | None = None
    column: str | None = None

    def __str__(self) -> str:
        return self.message


class SchemaDifferences(SchemaMismatch):
    """The platform's schema cannot be adopted; ``problems`` lists every blocking difference."""

    def __init__(self, database: str, problems: Sequence[Finding]) -> None:
        self.problems = tuple(problems)
        listing = "\n".join(f"  - {problem}" for problem in self.problems)
        count = len(self.problems)
        super().__init__(
            f"The database {database} cannot be adopted: it differs from the schema Station "
            f"Desktop needs in {count} way{'s' if count != 1 else ''}, listed below. Nothing "
            f"was changed.\n{listing}\nBring these tables in line with the platform's models, "
            "then run adopt again."
        )


@dataclass(frozen=True, slots=True)
class AdoptReport:
    """What adoption found and did."""

    database: str  # shown without its password
    revision: str  # where the database stands now
    head: str
    warnings: tuple[Finding, ...] = ()
    notes: tuple[Finding, ...] = ()
    client_table_created: bool = False
    clients_added: tuple[str, ...] = field(default=())
    upgraded: bool = False

    @property
    def next_step(self) -> str | None:
        """The command to run next, if the schema is not yet current."""
        if self.revision == self.head:
            return None
        return f"stationd db upgrade --database-url '{self.database}'"

    def lines(self, *, include_next_step: bool = True) -> list[str]:
        """The report as a person reads it (``stationd db adopt`` prints these)."""
        out = [f"Adopted {self.database}: it matches schema revision {BASELINE}."]
        if self.client_table_created:
            out.append(
                f"Created the {CLIENT_TABLE} table with {len(self.clients_added)} station(s) "
                "found in the other tables (named after their ids; rename them in the app)."
            )
        out.extend(f"note: {note}" for note in self.notes)
        out.extend(f"warning: {warning}" for warning in self.warnings)
        if self.upgraded:
            out.append(f"Upgraded the schema to revision {self.revision} (the latest).")
        if self.next_step and include_next_step:
            out.append(f"Next, bring the schema up to date: {self.next_step}")
        return out


# --- what revision 0001 needs --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    name: str
    family: Family
    nullable: bool


@dataclass(frozen=True, slots=True)
class TableSpec:
    name: str
    columns: tuple[ColumnSpec, ...]
    primary_key: tuple[str, ...]
    unique: tuple[tuple[str, ...], ...]

    def column_names(self) -> set[str]:
        return {c.name for c in self.columns}


def family_of(type_: TypeEngine[Any]) -> Family | None:
    """The family a stored column type belongs to (None: none we can use)."""
    if isinstance(type_, Boolean):
        return "bool"
    if isinstance(type_, Integer):
        return "int"
    if isinstance(type_, (Float, Numeric)):  # DOUBLE, REAL, FLOAT, DECIMAL
        return "float"
    if isinstance(type_, DateTime):
        return "datetime"
    if isinstance(type_, String):  # VARCHAR, CHAR, TEXT, ENUM
        return "string"
    return None


@functools.cache
def baseline_schema() -> dict[str, TableSpec]:
    """The tables revision 0001 creates, reflected from a scratch in-memory database."""
    script = ScriptDirectory.from_config(migrate.alembic_config()).get_revision(BASELINE)
    assert script is not None and script.module is not None
    engine = create_engine("sqlite://")
    try:
        with engine.connect() as conn:
            with migrate.ALEMBIC_LOCK, Operations.context(MigrationContext.configure(conn)):
                script.module.upgrade()
            inspector = inspect(conn)
            specs: dict[str, TableSpec] = {}
            for name in inspector.get_table_names():
                columns = []
                for col in inspector.get_columns(name):
                    family = family_of(col["type"])
                    assert family is not None, f"baseline column {name}.{col['name']}"
                    columns.append(ColumnSpec(col["name"], family, bool(col["nullable"])))
                specs[name] = TableSpec(
                    name,
                    tuple(columns),
                    tuple(inspector.get_pk_constraint(name)["constrained_columns"]),
                    tuple(tuple(u["column_names"]) for u in inspector.get_unique_constraints(name)),
                )
            return specs
    finally:
        engine.dispose()


# --- comparison ----------------------------------------------------------------------------


def _q(*names: str) -> str:
    return ".".join(f"`{name}`" for name in names)


def _case_hint(name: str, present: Iterable[str]) -> str:
    for other in present:
        if other != name and other.lower() == name.lower():
            return f" (there is a {_q(other)}; names must match exactly, including case)"
    return ""


def _describe_type(type_: TypeEngine[Any], dialect: Dialect) -> str:
    try:
        return str(type_.compile(dialect=dialect))
    except Exception:  # reflected types the dialect cannot render
        return repr(type_)


def compare(conn: Connection) -> list[Finding]:
    """Every difference between the connected database and revision 0001, errors first."""
    inspector = inspect(conn)
    present = set(inspector.get_table_names())
    baseline = baseline_schema()
    findings: list[Finding] = []
    for spec in baseline.values():
        if spec.name in present:
            findings.extend(_compare_table(inspector, conn.dialect, spec))
        elif spec.name == CLIENT_TABLE:
            findings.append(Finding(
                "info",
                f"there is no {_q(CLIENT_TABLE)} table: adoption creates it ({_q('id')}, "
                f"{_q('name')}) with one row per station id used in the other tables",
                CLIENT_TABLE,
            ))
        else:
            findings.append(Finding(
                "error", f"table {_q(spec.name)} is missing{_case_hint(spec.name, present)}",
                spec.name,
            ))
    extra = sorted(present - set(baseline) - OWN_TABLES)
    if extra:
        findings.append(Finding(
            "info", "other tables are left as they are: " + ", ".join(_q(t) for t in extra)
        ))
    order = {"error": 0, "warning": 1, "info": 2}
    return sorted(findings, key=lambda f: order[f.level])


def _compare_table(inspector: Inspector, dialect: Dialect, spec: TableSpec) -> list[Finding]:
    actual = {c["name"]: c for c in inspector.get_columns(spec.name)}
    findings: list[Finding] = []
    for expected in spec.columns:
        found = actual.get(expected.name)
        if found is None:
            findings.append(Finding(
                "error",
                f"column {_q(spec.name, expected.name)} is missing (Station Desktop needs "
                f"{FAMILY_WORDS[expected.family]}){_case_hint(expected.name, actual)}",
                spec.name, expected.name,
            ))
        else:
            findings.extend(_compare_column(spec.name, expected, found, dialect))
    primary_key = tuple(inspector.get_pk_constraint(spec.name)["constrained_columns"])
    if primary_key != spec.primary_key and all(c in actual for c in spec.primary_key):
        shown = ", ".join(_q(c) for c in primary_key) or "none"
        findings.append(Finding(
            "error",
            f"table {_q(spec.name)} must have its primary key on "
            f"{', '.join(_q(c) for c in spec.primary_key)} (it has: {shown})",
            spec.name,
        ))
    findings.extend(_compare_unique(inspector, spec, primary_key, set(actual)))
    findings.extend(_extra_columns(spec, actual))
    return findings


def _compare_column(
    table_name: str, expected: ColumnSpec, found: ReflectedColumn, dialect: Dialect
) -> list[Finding]:
    name = _q(table_name, expected.name)
    family = family_of(found["type"])
    if family not in ACCEPTED[expected.family]:
        return [Finding(
            "error",
            f"column {name} is {_describe_type(found['type'], dialect)}, but Station Desktop "
            f"needs {FAMILY_WORDS[expected.family]}",
            table_name, expected.name,
        )]
    if not expected.nullable and found["nullable"]:
        return [Finding(
            "error",
            f"column {name} allows NULL, but Station Desktop relies on it being NOT NULL",
            table_name, expected.name,
        )]
    if expected.nullable and not found["nullable"]:
        return [Finding(
            "warning",
            f"column {name} is NOT NULL here, but Station Desktop may leave it empty; the "
            "database will refuse such saves",
            table_name, expected.name,
        )]
    return []


def _compare_unique(
    inspector: Inspector, spec: TableSpec, primary_key: tuple[str, ...], columns: set[str]
) -> list[Finding]:
    present = {frozenset(primary_key)}
    present |= {frozenset(u["column_names"]) for u in inspector.get_unique_constraints(spec.name)}
    present |= {frozenset(c for c in i["column_names"] if c is not None)
                for i in inspector.get_indexes(spec.name) if i.get("unique")}
    findings = []
    for unique in spec.unique:
        if frozenset(unique) in present or not set(unique) <= columns:
            continue
        shown = ", ".join(_q(c) for c in unique)
        findings.append(Finding(
            "warning",
            f"no unique index on {_q(spec.name)}({shown}): Station Desktop checks this "
            "uniqueness itself, but the database will not stop other programs from writing "
            "duplicates",
            spec.name, unique[0] if len(unique) == 1 else None,
        ))
    return findings


def _extra_columns(spec: TableSpec, actual: dict[str, ReflectedColumn]) -> list[Finding]:
    extra = [name for name in actual if name not in spec.column_names()]
    if not extra:
        return []
    findings = [Finding(
        "info",
        f"table {_q(spec.name)} has columns Station Desktop does not use (left as they are): "
        + ", ".join(_q(name) for name in extra),
        spec.name,
    )]
    for name in extra:
        found = actual[name]
        if (not found["nullable"] and found.get("default") is None
                and found.get("autoincrement") is not True and not found.get("computed")):
            findings.append(Finding(
                "warning",
                f"column {_q(spec.name, name)} is NOT NULL with no default: Station Desktop "
                f"does not fill it, so the database will refuse rows it adds to "
                f"{_q(spec.name)} until the column gets a default",
                spec.name, name,
            ))
    return findings


def check(url: str | URL) -> list[Finding]:
    """Compare a database with revision 0001 without changing anything."""
    _require_existing_sqlite_file(normalize_url(url))
    engine = create_db_engine(url)
    try:
        with translate_errors(url), engine.connect() as conn:
            return compare(conn)
    finally:
        engine.dispose()


# --- adoption ------------------------------------------------------------------------------


def adopt(url: str | URL, *, upgrade: bool = False) -> AdoptReport:
    """Check a platform-made database against revision 0001 and stamp it (see module doc).

    Raises :class:`SchemaDifferences` (a :class:`SchemaMismatch`) listing every blocking
    difference, with nothing changed; :class:`SchemaMismatch` for a database that is empty
    or already managed by Station Desktop.
    """
    parsed = normalize_url(url)
    shown = safe_url(parsed)
    _require_existing_sqlite_file(parsed)
    engine = create_db_engine(parsed)
    try:
        with (
            translate_errors(parsed),
            migrate.migration_lock(engine.url),
            engine.connect() as conn,
        ):
            state = migrate.state_of(conn)
            _refuse_unless_adoptable(state, shown)
            findings = compare(conn)
            errors = [f for f in findings if f.level == "error"]
            if errors:
                raise SchemaDifferences(shown, errors)
            created: tuple[str, ...] = ()
            has_client = CLIENT_TABLE in inspect(conn).get_table_names()
            if has_client:
                findings.extend(_clients_missing_rows(conn))
            else:
                created = _create_client_table(conn)
            migrate.stamp(conn, BASELINE)
            conn.commit()
            log.info("adopted %s at revision %s", shown, BASELINE)
    finally:
        engine.dispose()
    revision = BASELINE
    if upgrade:
        revision = migrate.upgrade(parsed).revision or BASELINE
    return AdoptReport(
        database=shown,
        revision=revision,
        head=state.head,
        warnings=tuple(f for f in findings if f.level == "warning"),
        # (the "Client will be created" note became client_table_created)
        notes=tuple(f for f in findings
                    if f.level == "info" and (has_client or f.table != CLIENT_TABLE)),
        client_table_created=not has_client,
        clients_added=created,
        upgraded=upgrade,
    )


def _require_existing_sqlite_file(url: URL) -> None:
    if url.get_backend_name() != "sqlite":
        return
    if not url.database or url.database == ":memory:" or not Path(url.database).is_file():
        raise StationError(
            f"There is no database file at {url.database or '(memory)'}: nothing to adopt."
        )


def _refuse_unless_adoptable(state: migrate.SchemaState, shown: str) -> None:
    if state.revision is not None:
        if state.revision not in migrate.known_revisions():
            raise SchemaMismatch(
                f"The database {shown} is already managed by a newer version of Station "
                f"Desktop (schema revision {state.revision}); there is nothing to adopt. "
                "Update Station Desktop on this machine."
            )
        if state.current:
            raise SchemaMismatch(
                f"The database {shown} is already managed by Station Desktop (schema revision "
                f"{state.revision}, the latest); there is nothing to adopt."
            )
        raise SchemaMismatch(
            f"The database {shown} is already managed by Station Desktop (schema revision "
            f"{state.revision}; the latest is {state.head}); there is nothing to adopt.",
            fix=f"stationd db upgrade --database-url '{shown}'",
        )
    if not state.has_tables:
        raise SchemaMismatch(
            f"The database {shown} has none of the station tables, so there is nothing to "
            "adopt; create the schema instead.",
            fix=f"stationd db upgrade --database-url '{shown}'",
        )


def _station_ids(conn: Connection) -> set[str]:
    """Every distinct client id used in the tables that have a ``clientId`` column."""
    sources: list[Select[tuple[Any]]] = [
        select(column(CLIENT_ID_COLUMN)).select_from(table(spec.name, column(CLIENT_ID_COLUMN)))
        for spec in baseline_schema().values()
        if spec.name != CLIENT_TABLE and CLIENT_ID_COLUMN in spec.column_names()
    ]
    return {row[0] for row in conn.execute(union(*sources)) if row[0] is not None}


def _create_client_table(conn: Connection) -> tuple[str, ...]:
    """Create ``Client(id, name)`` as revision 0001 defines it and fill it from the ids in use.

    On MySQL/MariaDB the new table takes the character set and collation of the existing
    ``clientId`` columns, so joins between them never mix collations.
    """
    options: dict[str, Any] = {}
    if conn.dialect.name == "mysql":
        charset, collation = conn.execute(text(
            "SELECT CHARACTER_SET_NAME, COLLATION_NAME FROM information_schema.COLUMNS "
            "WHERE TABLE_SCHEMA = DATABASE() AND COLUMN_NAME = :column "
            "AND CHARACTER_SET_NAME IS NOT NULL ORDER BY TABLE_NAME LIMIT 1"
        ), {"column": CLIENT_ID_COLUMN}).one()
        options = {"mysql_engine": "InnoDB", "mysql_charset": charset,
                   "mysql_collate": collation}
    client = Table(
        CLIENT_TABLE,
        MetaData(),
        Column("id", String(191), nullable=False),
        Column("name", String(191), nullable=False),
        PrimaryKeyConstraint("id", name=f"{CLIENT_TABLE}_pkey"),
        **options,
    )
    ids = tuple(sorted(_station_ids(conn)))
    client.create(conn)
    if ids:
        conn.execute(client.insert(), [{"id": i, "name": i} for i in ids])
    log.info("created %s with %d rows", CLIENT_TABLE, len(ids))
    return ids


def _clients_missing_rows(conn: Connection) -> list[Finding]:
    ids: Select[tuple[Any]] = select(column("id")).select_from(table(CLIENT_TABLE, column("id")))
    known = {row[0] for row in conn.execute(ids)}
    missing = sorted(_station_ids(conn) - known)
    if not missing:
        return []
    shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
    return [Finding(
        "warning",
        f"{len(missing)} station id(s) used in the station tables have no row in "
        f"{_q(CLIENT_TABLE)} ({shown}); those stations will not be listed until they get one",
        CLIENT_TABLE,
    )]
