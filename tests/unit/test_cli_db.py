"""``stationd db ...`` through its real entry point, on SQLite and MariaDB."""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote_plus

import pytest
from helpers.prisma_ddl import create_platform_database
from sqlalchemy import make_url, text

from station_desktop.daemon.cli import ENV_PASSWORD, ENV_URL, main, resolve_database
from station_desktop.db import migrate
from station_desktop.db.engine import create_db_engine, normalize_url, safe_url
from station_desktop.errors import StationError

HEAD = migrate.head_revision()


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_URL, raising=False)
    monkeypatch.delenv(ENV_PASSWORD, raising=False)


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def shown(url: str) -> str:
    return safe_url(normalize_url(url))


def _touch(url: str) -> None:
    engine = create_db_engine(url)
    with engine.connect():
        pass
    engine.dispose()


def test_upgrade_creates_the_schema_then_has_nothing_to_do(
    empty_database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(capsys, "db", "upgrade", "--database-url", empty_database_url)
    assert (code, err) == (0, "")
    assert f"(revision {HEAD})" in out and out.startswith("Created the station schema in ")
    assert migrate.schema_state(empty_database_url).current

    code, out, err = _run(capsys, "db", "upgrade", "--database-url", empty_database_url)
    assert (code, err) == (0, "")
    assert f"already at schema revision {HEAD} (the latest); nothing to do" in out


def test_upgrade_from_an_older_revision_says_from_and_to(
    empty_database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    migrate.upgrade(empty_database_url, "0001")
    code, out, _ = _run(capsys, "db", "upgrade", "--database-url", empty_database_url)
    assert code == 0
    assert f"from schema revision 0001 to {HEAD}" in out


def test_status_before_and_after_upgrade(
    empty_database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _touch(empty_database_url)
    code, out, err = _run(capsys, "db", "status", "--database-url", empty_database_url)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[1:3] == ["revision: none", f"latest:   {HEAD}"]
    assert "no station schema yet. Create it: stationd db upgrade --database-url '" in lines[3]

    migrate.upgrade(empty_database_url, "0001")
    code, out, _ = _run(capsys, "db", "status", "--database-url", empty_database_url)
    assert "revision: 0001" in out and "behind. Upgrade it: stationd db upgrade" in out

    assert main(["db", "upgrade", "--database-url", empty_database_url]) == 0
    capsys.readouterr()
    code, out, err = _run(capsys, "db", "status", "--database-url", empty_database_url)
    assert (code, err) == (0, "")
    assert f"revision: {HEAD}" in out and "up to date; nothing to do." in out


def test_status_of_a_missing_sqlite_file_is_an_error_and_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "typo.db"
    code, out, err = _run(capsys, "db", "status", "--database-url", f"sqlite:///{path}")
    assert (code, out) == (1, "")
    assert err == f"error: There is no database file at {path}.\n"
    assert not path.exists()


def test_adopt_a_prisma_database_then_upgrade(
    empty_database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    url = empty_database_url
    create_platform_database(url)
    code, out, _ = _run(capsys, "db", "status", "--database-url", url)
    assert "not adopted yet. Adopt them: stationd db adopt --database-url" in out

    code, out, err = _run(capsys, "db", "adopt", "--database-url", url)

    assert (code, err) == (0, "")
    assert out.startswith("Adopted ")
    assert "warning: no unique index on `StreamConfig`(`mountpoint`)" in out
    assert "note: other tables are left as they are: `_prisma_migrations`" in out
    assert out.rstrip().endswith(
        f"Next, bring the schema up to date: stationd db upgrade --database-url '{shown(url)}'")
    assert migrate.schema_state(url).revision == "0001"

    code, out, err = _run(capsys, "db", "adopt", "--database-url", url)
    assert code == 1 and out == ""
    assert err.startswith("error: ") and "already managed by Station Desktop" in err

    assert _run(capsys, "db", "upgrade", "--database-url", url)[0] == 0
    assert migrate.schema_state(url).current


def test_adopt_with_upgrade(empty_database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    create_platform_database(empty_database_url, with_client=False)
    code, out, _ = _run(capsys, "db", "adopt", "--upgrade", "--database-url", empty_database_url)
    assert code == 0
    assert "Created the Client table with 3 station(s)" in out
    assert f"Upgraded the schema to revision {HEAD}" in out
    assert "Next" not in out
    assert migrate.schema_state(empty_database_url).current


def test_adopt_lists_every_blocking_difference_on_stderr(
    empty_database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    create_platform_database(empty_database_url, drop_tables=("LiveSession",),
                             drop_columns=(("AudioFile", "channels"),))
    code, out, err = _run(capsys, "db", "adopt", "--database-url", empty_database_url)
    assert (code, out) == (1, "")
    assert err.startswith("error: The database ")
    assert "  - table `LiveSession` is missing\n" in err
    assert "  - column `AudioFile`.`channels` is missing" in err
    code, out, _ = _run(capsys, "db", "status", "--database-url", empty_database_url)
    assert code == 0 and "2 difference(s) block adoption" in out


def test_adopt_of_an_empty_database_says_upgrade(
    empty_database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _touch(empty_database_url)
    code, _, err = _run(capsys, "db", "adopt", "--database-url", empty_database_url)
    assert code == 1
    assert "nothing to adopt" in err and "Run: stationd db upgrade" in err


def test_url_from_the_environment(
    empty_database_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_URL, empty_database_url)
    code, out, err = _run(capsys, "db", "upgrade")
    assert (code, err) == (0, "")
    assert migrate.schema_state(empty_database_url).current
    code, out, _ = _run(capsys, "db", "status")
    assert code == 0 and "up to date" in out
    assert f"database: {shown(empty_database_url)}" in out


def test_advice_names_the_url_only_when_it_was_given_as_an_option(
    empty_database_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _touch(empty_database_url)
    monkeypatch.setenv(ENV_URL, empty_database_url)
    _, out, _ = _run(capsys, "db", "status")
    assert out.rstrip().endswith("Create it: stationd db upgrade")


def test_on_a_server_the_database_comes_from_stationds_configuration(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``stationd check`` advises ``stationd db upgrade``: on a server that must find the
    daemon's database (and its db-password secret) without more flags."""
    database = tmp_path / "station.db"
    config = tmp_path / "stationd.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{database}"\n[server]\nid = "srv1"\n')
    code, out, err = _run(capsys, "db", "status", "--config", str(config))
    assert code == 1 and f"There is no database file at {database}" in err
    database.touch()
    code, out, _ = _run(capsys, "db", "status", "--config", str(config))
    assert code == 0 and out.rstrip().endswith(f"Create it: stationd db upgrade --config {config}")
    code, out, _ = _run(capsys, "db", "upgrade", "--config", str(config))
    assert code == 0 and "Created the station schema" in out
    assert migrate.schema_state(f"sqlite:///{database}").current
    # The environment's database still comes first, as documented.
    other = tmp_path / "other.db"
    monkeypatch.setenv(ENV_URL, f"sqlite:///{other}")
    code, out, _ = _run(capsys, "db", "upgrade", "--config", str(config))
    assert code == 0 and str(other) in out


def test_no_database_given(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "db", "status")
    assert (code, out) == (1, "")
    assert err.startswith(f"error: No database given: pass --database-url URL or set {ENV_URL}")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("not a url at all", "is not a valid URL"),
        ("postgresql://app:Sup3rS3cret@db.example.com/stations", "is for 'postgresql'"),
        ("mysql+nosuchdriver://app:Sup3rS3cret@127.0.0.1/x", "'mysql+nosuchdriver', which is"),
        ("mysql://app:Sup3rS3cret@127.0.0.1:1/stations", "could not be reached"),
        ("sqlite:////nonexistent-dir/sub/station.db", "could not be reached"),
    ],
)
def test_bad_urls_exit_1_with_a_clear_message_and_no_password(
    url: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(capsys, "db", "upgrade", "--database-url", url)
    assert (code, out) == (1, "")
    assert err.startswith("error: ")
    assert "Traceback" not in err
    assert "Sup3rS3cret" not in err
    assert expected in err


def test_password_in_url_is_masked_in_every_message(capsys: pytest.CaptureFixture[str]) -> None:
    url = "mysql://app:Sup3rS3cret@127.0.0.1:1/stations"
    code, _, err = _run(capsys, "db", "status", "--database-url", url)
    assert code == 1
    assert "mysql+pymysql://app:***@127.0.0.1:1/stations" in err
    assert "Sup3rS3cret" not in err


def test_resolve_database_takes_the_password_only_when_the_url_has_none() -> None:
    environ = {ENV_URL: "mysql://app@db.example.com/st", ENV_PASSWORD: "p@ss:/w%rd"}
    target = resolve_database(None, environ)
    assert target.url.password == "p@ss:/w%rd"
    assert not target.from_option and target.command("db upgrade") == "stationd db upgrade"
    assert "p@ss" not in target.shown
    with_own = resolve_database("mysql://app:own@db.example.com/st", environ)
    assert with_own.url.password == "own" and with_own.from_option
    assert resolve_database("sqlite:///x.db", environ).url.password is None
    with pytest.raises(StationError, match="No database given"):
        resolve_database(None, {ENV_PASSWORD: "x"})


@pytest.fixture
def password_user(mariadb_databases: object) -> Iterator[tuple[str, str, str]]:
    """(URL without password, password, database) of a MariaDB user with a password."""
    from helpers.databases import MariaDBDatabases

    assert isinstance(mariadb_databases, MariaDBDatabases)
    url = mariadb_databases.create("pw")
    database = make_url(url).database
    user = f"stationd_{uuid.uuid4().hex[:8]}"
    password = "S3cr3t:p@ss/w%rd"
    with mariadb_databases.engine.begin() as conn:
        conn.execute(text(f"CREATE USER '{user}'@'%' IDENTIFIED BY :pw"), {"pw": password})
        conn.execute(text(f"GRANT ALL ON `{database}`.* TO '{user}'@'%'"))
    try:
        yield make_url(url)._replace(username=user, password=None).render_as_string(), password, url
    finally:
        with mariadb_databases.engine.begin() as conn:
            conn.execute(text(f"DROP USER '{user}'@'%'"))
        mariadb_databases.drop(url)


@pytest.mark.mariadb
def test_password_from_the_environment_is_used_and_never_printed(
    password_user: tuple[str, str, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url, password, admin_url = password_user
    code, _, err = _run(capsys, "db", "upgrade", "--database-url", url)
    assert code == 1 and "Access denied" in err  # no password anywhere: refused

    monkeypatch.setenv(ENV_PASSWORD, password)
    code, out, err = _run(capsys, "-v", "db", "upgrade", "--database-url", url)
    assert code == 0, err
    assert password not in out + err and quote_plus(password) not in out + err
    assert migrate.schema_state(admin_url).current

    monkeypatch.delenv(ENV_PASSWORD)
    url_with_password = make_url(url).set(password=password).render_as_string(hide_password=False)
    code, out, err = _run(capsys, "db", "status", "--database-url", url_with_password)
    assert code == 0 and "up to date" in out
    assert password not in out + err and quote_plus(password) not in out + err
    assert ":***@" in out


def test_help_and_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "db" in capsys.readouterr().out
    assert main(["db", "--help"]) == 0
    help_text = capsys.readouterr().out
    assert all(word in help_text for word in ("upgrade", "adopt", "status"))
    assert main([]) == 2
    assert main(["db"]) == 2
    assert main(["db", "frobnicate"]) == 2
    assert "invalid choice" in capsys.readouterr().err


def test_the_daemon_cli_imports_no_qt() -> None:
    code = (
        "import sys, station_desktop.daemon.cli\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'pyqtgraph', 'qasync') or m.startswith('station_desktop.ui'))\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=False, cwd=Path(__file__).resolve().parents[2])
    assert result.returncode == 0, result.stdout + result.stderr
