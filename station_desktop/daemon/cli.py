"""``stationd``: the command line of the headless companion daemon.

Commands so far (each is one ``cmd_*`` function, registered by one ``_add_*`` function)::

    stationd db upgrade [--database-url URL]            create or upgrade the schema
    stationd db adopt   [--database-url URL] [--upgrade] take over a platform-made database
    stationd db status  [--database-url URL]            revision, latest, what to do
    stationd render liquidsoap --station ID [--out DIR]  a station's Liquidsoap script
    stationd render icecast --server ID [--out DIR]      a server's icecast.xml
    stationd render programme --station ID               export what the picker plays
    stationd collect-once [--server ID ...]              one statistics round (see below)
    stationd check [--server ID] [--config PATH]         is everything reachable? what to do
    stationd run [--config PATH]                         the daemon itself (systemd runs it)

``collect-once`` reads every server's Icecast once, stores one sample per station, raises
or clears outage alerts, and prints one line per server. An Icecast that is down is data,
not a crash: the exit code is still 0; only configuration and database problems give 1.
Its failure counters live in the process, so one-off runs never reach the alert threshold
unless ``--threshold 1`` is given. ``check`` says in plain words whether the database is
reachable and current, each Icecast answers (and accepts the admin password, when that
secret is configured), and each station's Liquidsoap answers ``version`` on its telnet
port (a direct connection to the server's host; a station set inactive should not), and
what stationd's supervisor reports (``<state_dir>/supervisor.json``: each process's state,
restarts, last failure); every problem comes with what to do. With stationd's
configuration (``--config``, or the default file when it exists) it checks that
stationd's database, server, secrets and state directory. It exits with 1 when it found
a problem.

``run`` reads its TOML configuration (``--config``, default
``/etc/stationd/stationd.toml``; see :mod:`station_desktop.daemon.config`), then collects
statistics, records live sessions and play history, exports programmes, runs the
stations' Liquidsoaps (and Icecast, if configured), answers live logins, and rolls up
statistics until SIGTERM or SIGINT, after which it finishes the rounds in flight, stops
the programs it runs and exits with 0 (see :mod:`station_desktop.daemon.runner`). Its
database password is the ``db-password`` secret. It logs to stderr as ``LEVEL logger:
message`` (journald adds the time); ``-v`` adds debug messages.

For the other commands, the database URL comes from ``--database-url``, else
``STATIOND_DATABASE_URL``, else stationd's configuration (``--config``, or the default file
when it exists, with its ``db-password`` secret): on a server, ``stationd db upgrade`` and
``stationd render ...`` find the daemon's database by themselves. A URL without a password
takes ``STATIOND_DATABASE_PASSWORD`` when that is set (so the password need not appear in
a unit file or in ``ps``). Passwords are never printed.

Expected problems (:class:`~station_desktop.errors.StationError`) print ``error: ...`` on
stderr and exit with 1; results go to stdout and exit with 0; a usage error exits with 2.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import URL, make_url
from sqlalchemy import exc as sa_exc

from station_desktop.config.secrets import DEFAULT_SECRETS_DIR, SecretStore
from station_desktop.daemon.checks import check_server, check_supervisor
from station_desktop.daemon.collector import Collector, icecast_factory
from station_desktop.daemon.config import (
    ADMIN_SECRET,
    DEFAULT_CONFIG,
    DEFAULT_STATE_DIR,
    SOURCE_SECRET,
    DaemonConfig,
    load_config,
)
from station_desktop.daemon.runner import Runner
from station_desktop.db import adopt, migrate
from station_desktop.db.engine import Database, normalize_url, safe_url, url_without_password
from station_desktop.errors import DatabaseUnavailable, StationError
from station_desktop.services.broadcast import SCRIPT_FILE, BroadcastService, ServerLayout
from station_desktop.services.fleet import FleetService
from station_desktop.services.stations import StationService

PROG = "stationd"
ENV_URL = "STATIOND_DATABASE_URL"
ENV_PASSWORD = "STATIOND_DATABASE_PASSWORD"  # the variable's name, not a secret
SUPPORTED_BACKENDS = ("sqlite", "mysql", "mariadb")
URL_EXAMPLES = "sqlite:///path/to/station.db or mysql://user@host/database"

LOOPBACK = "127.0.0.1"  # where a station's telnet listens on its own server
EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2

Handler = Callable[[argparse.Namespace], int]


# --- database URL ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DatabaseTarget:
    """The database a command works on, and how to name it in advice to the user."""

    url: URL
    from_option: bool  # given with --database-url (else the environment or a config)
    config: Path | None = None  # taken from this stationd configuration (not the default)

    @property
    def shown(self) -> str:
        return safe_url(self.url)

    def command(self, words: str) -> str:
        """A ``stationd`` command line for this database, as the user would type it."""
        if self.from_option:
            return f"{PROG} {words} --database-url '{url_without_password(self.url)}'"
        if self.config is not None:
            return f"{PROG} {words} --config {self.config}"
        return f"{PROG} {words}"


def resolve_database(
    option: str | None, environ: Mapping[str, str] | None = None
) -> DatabaseTarget:
    """The database from ``--database-url`` or the environment (see module docstring)."""
    environ = os.environ if environ is None else environ
    raw = option or environ.get(ENV_URL)
    if not raw:
        raise StationError(
            f"No database given: pass --database-url URL or set {ENV_URL} (for example "
            f"{URL_EXAMPLES}; the password can come from {ENV_PASSWORD}), or --config "
            f"with stationd's configuration (read from {DEFAULT_CONFIG} when it exists)."
        )
    source = "--database-url" if option else ENV_URL
    try:
        url = make_url(raw)
    except (sa_exc.ArgumentError, ValueError):
        # The text itself is not repeated: it may hold a password.
        raise StationError(
            f"The database URL in {source} is not a valid URL (expected {URL_EXAMPLES})."
        ) from None
    backend = url.get_backend_name()
    if backend not in SUPPORTED_BACKENDS:
        raise StationError(
            f"The database URL in {source} ({safe_url(url)}) is for {backend!r}; stationd "
            f"works with SQLite and MySQL/MariaDB ({URL_EXAMPLES})."
        )
    try:
        normalize_url(url).get_dialect()
    except sa_exc.NoSuchModuleError:
        raise StationError(
            f"The database URL in {source} ({safe_url(url)}) names the driver "
            f"{url.drivername!r}, which is not available; use {URL_EXAMPLES}."
        ) from None
    password = environ.get(ENV_PASSWORD)
    if password and url.password is None and backend != "sqlite":
        url = url.set(password=password)
    return DatabaseTarget(normalize_url(url), from_option=bool(option))


def _config_if_any(path: Path | None) -> DaemonConfig | None:
    """stationd's configuration: ``path``, else the default file when it exists."""
    if path is not None:
        return load_config(path)
    return load_config(DEFAULT_CONFIG) if DEFAULT_CONFIG.is_file() else None


def database_target(args: argparse.Namespace) -> DatabaseTarget:
    """The database a command works on: ``--database-url``, else ``STATIOND_DATABASE_URL``,
    else stationd's own configuration (``--config``, or the default file when it exists;
    its password is the ``db-password`` secret), so that on a server every command finds
    the database the daemon uses."""
    if args.database_url or os.environ.get(ENV_URL):
        return resolve_database(args.database_url)
    config = _config_if_any(args.config)
    if config is None:
        return resolve_database(None)  # says how to give one
    return DatabaseTarget(config.database_url_with_password(), from_option=False,
                          config=args.config)


def _require_existing_sqlite(target: DatabaseTarget) -> None:
    """Reading commands must not create an empty SQLite file where a typo pointed."""
    url = target.url
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:" \
            and not Path(url.database).is_file():
        raise StationError(f"There is no database file at {url.database}.")


# --- db commands ---------------------------------------------------------------------------


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    target = database_target(args)
    before = migrate.schema_state(target.url)
    after = migrate.upgrade(target.url)
    if before.revision == after.revision:
        print(f"{target.shown} is already at schema revision {after.revision} (the latest); "
              "nothing to do.")
    elif before.revision is None:
        print(f"Created the station schema in {target.shown} (revision {after.revision}).")
    else:
        print(f"Upgraded {target.shown} from schema revision {before.revision} to "
              f"{after.revision}.")
    return EXIT_OK


def cmd_db_adopt(args: argparse.Namespace) -> int:
    target = database_target(args)
    report = adopt.adopt(target.url, upgrade=args.upgrade)
    for line in report.lines(include_next_step=False):
        print(line)
    if report.next_step:
        print(f"Next, bring the schema up to date: {target.command('db upgrade')}")
    return EXIT_OK


def cmd_db_status(args: argparse.Namespace) -> int:
    target = database_target(args)
    _require_existing_sqlite(target)
    state = migrate.schema_state(target.url)
    print(f"database: {target.shown}")
    print(f"revision: {state.revision or 'none'}")
    print(f"latest:   {state.head}")
    print(f"status:   {_status_advice(target, state)}")
    return EXIT_OK


def _status_advice(target: DatabaseTarget, state: migrate.SchemaState) -> str:
    if state.current:
        return "up to date; nothing to do."
    if state.empty:
        return f"no station schema yet. Create it: {target.command('db upgrade')}"
    if state.revision is None:
        blocking = [f for f in adopt.check(target.url) if f.level == "error"]
        if blocking:
            return (
                "the station tables were made by the platform and are not adopted yet, and "
                f"{len(blocking)} difference(s) block adoption; "
                f"{target.command('db adopt')} lists them."
            )
        return (
            "the station tables were made by the platform and are not adopted yet. Adopt "
            f"them: {target.command('db adopt')}"
        )
    if state.revision not in migrate.known_revisions():
        return (
            f"revision {state.revision} is newer than this version of Station Desktop knows. "
            "Update Station Desktop (stationd) on this machine; do not downgrade the database."
        )
    return f"behind. Upgrade it: {target.command('db upgrade')}"


def _add_database_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--database-url", metavar="URL",
        help=f"the station database ({URL_EXAMPLES}); default: ${ENV_URL}, else the one in "
             f"stationd's configuration. A URL without a password takes ${ENV_PASSWORD}",
    )
    parser.add_argument("--config", type=Path, metavar="PATH",
                        help=f"stationd's configuration, for its database (default "
                             f"{DEFAULT_CONFIG} if it exists)")


def _add_db_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    db = commands.add_parser("db", help="create, adopt, upgrade or inspect the database schema",
                             description="Manage the station database's schema.")
    actions = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)

    upgrade = actions.add_parser(
        "upgrade", help="create the schema on an empty database, or upgrade it to the latest",
        description="Create the station schema on an empty database, or bring an existing "
                    "one to the latest revision. Safe to run twice or from two machines at "
                    "once.")
    _add_database_option(upgrade)
    upgrade.set_defaults(handler=cmd_db_upgrade)

    adopt_parser = actions.add_parser(
        "adopt", help="check a database the platform created and take it over",
        description="Check that the station tables the platform created match what Station "
                    "Desktop needs, list every difference, and (if none blocks) stamp the "
                    "database so that 'db upgrade' can manage it. Existing rows are never "
                    "changed.")
    _add_database_option(adopt_parser)
    adopt_parser.add_argument("--upgrade", action="store_true",
                              help="upgrade to the latest schema right after adopting")
    adopt_parser.set_defaults(handler=cmd_db_adopt)

    status = actions.add_parser(
        "status", help="show the schema revision and what to do",
        description="Show the database's schema revision, the latest this version knows, "
                    "and what to run next.")
    _add_database_option(status)
    status.set_defaults(handler=cmd_db_status)


# --- render commands -----------------------------------------------------------------------


DEFAULT_LAYOUT = ServerLayout()


def _layout(args: argparse.Namespace) -> ServerLayout:
    default = DEFAULT_LAYOUT
    return ServerLayout(
        stations_dir=args.stations_dir or default.stations_dir,
        picker_path=args.picker or default.picker_path,
        python=args.python or default.python,
        log_dir=args.log_dir or default.log_dir,
        safety_file=args.safety_file,
        allow_root=args.allow_root,
        auth_socket=getattr(args, "auth_socket", None),
    )


def _secrets(args: argparse.Namespace) -> SecretStore:
    return SecretStore(args.secrets_dir or DEFAULT_SECRETS_DIR)


def _emit(text: str, out_dir: Path | None, filename: str) -> None:
    """To stdout, or atomically into ``out_dir`` (0640: the file holds a password)."""
    if out_dir is None:
        sys.stdout.write(text)
        return
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / filename
    temporary = target.with_name(f".{filename}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o640)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, target)
    print(f"wrote {target}")


def cmd_render_liquidsoap(args: argparse.Namespace) -> int:
    db = Database(database_target(args).url)
    try:
        script = BroadcastService(db).station_script(
            args.station, _layout(args), source_password=_secrets(args).require(SOURCE_SECRET)
        )
    finally:
        db.dispose()
    _emit(script, args.out, SCRIPT_FILE)
    return EXIT_OK


def cmd_render_icecast(args: argparse.Namespace) -> int:
    secrets = _secrets(args)
    db = Database(database_target(args).url)
    try:
        xml = BroadcastService(db).icecast_config(
            args.server, source_password=secrets.require(SOURCE_SECRET),
            admin_password=secrets.require(ADMIN_SECRET), bind_address=args.bind,
        )
    finally:
        db.dispose()
    _emit(xml, args.out, "icecast.xml")
    return EXIT_OK


def cmd_render_programme(args: argparse.Namespace) -> int:
    db = Database(database_target(args).url)
    try:
        layout = _layout(args)
        changed = BroadcastService(db).export_programme(args.station, layout)
    finally:
        db.dispose()
    where = layout.station_dir(args.station)
    print(f"{'updated' if changed else 'unchanged'}: {where}")
    return EXIT_OK


def _add_render_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    render = commands.add_parser(
        "render", help="write a station's Liquidsoap script, a server's icecast.xml, or a "
                       "station's programme",
        description="Render the files the streaming server runs from the database. Secrets "
                    f"({SOURCE_SECRET}, {ADMIN_SECRET}) come from systemd credentials, the "
                    "secrets directory or the keyring, never from the command line.")
    kinds = render.add_subparsers(dest="render_command", metavar="WHAT", required=True)

    def common(parser: argparse.ArgumentParser) -> None:
        _add_database_option(parser)
        parser.add_argument("--secrets-dir", type=Path, metavar="DIR",
                            help=f"where secret files are (default {DEFAULT_SECRETS_DIR})")

    def layout(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--stations-dir", type=Path, metavar="DIR",
                            help=f"per-station directories (default {DEFAULT_LAYOUT.stations_dir})")
        parser.add_argument("--picker", type=Path, metavar="FILE",
                            help=f"the picker script (default {DEFAULT_LAYOUT.picker_path})")
        parser.add_argument("--python", type=Path, metavar="FILE",
                            help=f"the Python that runs it (default {DEFAULT_LAYOUT.python})")
        parser.add_argument("--log-dir", type=Path, metavar="DIR",
                            help=f"Liquidsoap's logs (default {DEFAULT_LAYOUT.log_dir})")
        parser.add_argument("--safety-file", type=Path, metavar="FILE",
                            help="a file to play when nothing else can (default: silence)")
        parser.add_argument("--allow-root", action="store_true",
                            help="let Liquidsoap run as root (containers only)")
        parser.add_argument("--auth-socket", type=Path, metavar="PATH",
                            help="stationd's live-login socket (as [live_auth] socket in "
                                 "stationd.toml); without it the picker checks only the "
                                 "exported logins")

    liquidsoap = kinds.add_parser("liquidsoap", help="a station's Liquidsoap script")
    common(liquidsoap)
    layout(liquidsoap)
    liquidsoap.add_argument("--station", required=True, metavar="ID")
    liquidsoap.add_argument("--out", type=Path, metavar="DIR",
                            help=f"write DIR/{SCRIPT_FILE} instead of printing")
    liquidsoap.set_defaults(handler=cmd_render_liquidsoap)

    icecast = kinds.add_parser("icecast", help="a server's icecast.xml")
    common(icecast)
    icecast.add_argument("--server", required=True, metavar="ID")
    icecast.add_argument("--bind", metavar="ADDRESS", help="listen on this address only")
    icecast.add_argument("--out", type=Path, metavar="DIR",
                         help="write DIR/icecast.xml instead of printing")
    icecast.set_defaults(handler=cmd_render_icecast)

    programme = kinds.add_parser("programme", help="export a station's programme for its picker")
    common(programme)
    layout(programme)
    programme.add_argument("--station", required=True, metavar="ID")
    programme.set_defaults(handler=cmd_render_programme)


# --- statistics and checks ------------------------------------------------------------------


def cmd_collect_once(args: argparse.Namespace) -> int:
    target = database_target(args)
    _require_existing_sqlite(target)
    migrate.ensure_current(target.url)
    db = Database(target.url)
    try:
        collector = Collector(db, icecast_factory(timeout=args.timeout),
                              failure_threshold=args.threshold, timeout=args.timeout)
        report = asyncio.run(collector.collect_once(args.server or None))
    finally:
        db.dispose()
    if not report.servers:
        print("No streaming servers are configured; nothing to collect.")
    for server in report.servers:
        print(server.summary())
    print(f"{len(report.servers)} server(s), {report.failures} failed, "
          f"{report.seconds:.2f} s in all")
    return EXIT_OK


def _check_setup(args: argparse.Namespace) -> tuple[DatabaseTarget, Path]:
    """The database and state directory ``check`` looks at; fills in ``args.server`` and
    ``args.secrets_dir`` from stationd's configuration when they were not given."""
    config = _config_if_any(args.config)
    target = database_target(args)
    if config is not None:
        args.secrets_dir = args.secrets_dir or config.paths.secrets_dir
        args.server = args.server or config.server_id
    # On the server itself, its stations' telnet listens on loopback only.
    args.local_server = config.server_id if config is not None else None
    return target, args.state_dir or (config.paths.state_dir if config else DEFAULT_STATE_DIR)


def cmd_check(args: argparse.Namespace) -> int:
    target, state_dir = _check_setup(args)
    _require_existing_sqlite(target)
    problems = 0

    def say(ok: bool, what: str, advice: str = "") -> None:
        nonlocal problems
        problems += 0 if ok else 1
        print(f"{'ok  ' if ok else 'FAIL'} {what}")
        if advice and not ok:
            print(f"     what to do: {advice}")

    try:
        state = migrate.schema_state(target.url)
    except StationError as error:
        say(False, f"database {target.shown}: {error}",
            "check the URL, that the database server runs, and the password.")
        return EXIT_ERROR
    say(True, f"database {target.shown} is reachable")
    say(state.current, f"schema revision {state.revision or 'none'} (latest {state.head})",
        _status_advice(target, state))
    if not state.current:
        return EXIT_ERROR
    admin_password = _secrets(args).get(ADMIN_SECRET)
    db = Database(target.url)
    try:
        fleet, stations = FleetService(db), StationService(db)
        servers = [fleet.get_server(args.server)] if args.server else fleet.list_servers()
        if not servers:
            print("No streaming servers are configured yet.")
        for server in servers:
            configs = stations.list_configs(server.id)
            local = server.id == args.local_server
            for ok, what, advice in asyncio.run(check_server(
                    server, configs, admin_password, args.timeout,
                    telnet_host=LOOPBACK if local else None)):
                say(ok, what, advice)
    finally:
        db.dispose()
    findings, notes = check_supervisor(state_dir)
    for ok, what, advice in findings:
        say(ok, what, advice)
    for note in notes:
        print(f"note: {note}")
    if admin_password is None:
        print(f"note: the secret {ADMIN_SECRET!r} is not configured here, so Icecast admin "
              "logins were not checked.")
    print("Everything answered." if not problems else f"{problems} problem(s) found.")
    return EXIT_OK if not problems else EXIT_ERROR


def _add_collect_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    collect = commands.add_parser(
        "collect-once", help="read every Icecast once and store one sample per station",
        description="One statistics round: read each server's Icecast status, store one "
                    "sample per station, raise or clear outage alerts, print one line per "
                    "server. Exits with 0 even when an Icecast is down (that is data).")
    _add_database_option(collect)
    collect.add_argument("--server", action="append", metavar="ID",
                         help="only this server (repeat for several; default: all)")
    collect.add_argument("--timeout", type=float, default=5.0, metavar="SECONDS",
                         help="time limit per Icecast (default 5)")
    collect.add_argument("--threshold", type=int, default=3, metavar="N",
                         help="consecutive failures before an alert (default 3; counters "
                              "last for this run only)")
    collect.set_defaults(handler=cmd_collect_once)

    check = commands.add_parser(
        "check", help="check the database, each Icecast and each Liquidsoap, saying what to do",
        description="Check that the database is reachable and current, that each Icecast "
                    "answers (and accepts the admin password when that secret is "
                    "configured), that each station's Liquidsoap answers on its telnet "
                    "port (or is stopped, for a station set inactive), and what stationd's "
                    "supervisor reports. With a stationd configuration (--config, or "
                    f"{DEFAULT_CONFIG} when it exists) its database, server, secrets and "
                    "state directory are used unless given otherwise. Exits with 1 when "
                    "something is wrong.")
    _add_database_option(check)
    check.add_argument("--state-dir", type=Path, metavar="DIR",
                       help="where stationd keeps its state, e.g. the supervisor's status "
                            f"(default: from the configuration, else {DEFAULT_STATE_DIR})")
    check.add_argument("--server", metavar="ID", help="only this server (default: all)")
    check.add_argument("--timeout", type=float, default=5.0, metavar="SECONDS",
                       help="time limit per connection (default 5)")
    check.add_argument("--secrets-dir", type=Path, metavar="DIR",
                       help=f"where secret files are (default {DEFAULT_SECRETS_DIR})")
    check.set_defaults(handler=cmd_check)


# --- the daemon ------------------------------------------------------------------------------


def cmd_run(args: argparse.Namespace) -> int:
    config = load_config(args.config or DEFAULT_CONFIG)
    url = config.database_url_with_password()
    try:
        migrate.ensure_current(url)
    except DatabaseUnavailable as error:  # it may come back: the runner waits for it
        logging.getLogger("station_desktop.daemon").error(
            "the database is unreachable at start (%s); running anyway", error)
    db = Database(url)

    async def serve() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await Runner(config, db).run(stop)

    try:
        asyncio.run(serve())
    finally:
        db.dispose()
    return EXIT_OK


def _add_run_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    run = commands.add_parser(
        "run", help="run the daemon: Liquidsoaps, statistics, live sessions, programmes",
        description="Run stationd until SIGTERM/SIGINT: run each started station's "
                    "Liquidsoap (and Icecast, if configured), collect statistics (buffering "
                    "them on disk while the database is down) and roll them up, record live "
                    "sessions and play history from the stations' events files, export "
                    "programmes and answer live logins from the database. Configuration: a "
                    "TOML file (see stationd.toml.example).")
    run.add_argument("--config", type=Path, metavar="PATH",
                     help="the configuration file (default /etc/stationd/stationd.toml)")
    run.set_defaults(handler=cmd_run)


# --- entry point ---------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Station Desktop's companion daemon for streaming servers.",
    )
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="log progress to stderr (with 'run': debug messages too)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_db_commands(commands)
    _add_render_commands(commands)
    _add_collect_commands(commands)
    _add_run_command(commands)
    return parser


def _configure_logging(verbose: bool, *, daemon: bool = False) -> None:
    """``LEVEL logger: message`` on stderr, no time (journald adds it). The daemon logs
    INFO and up (DEBUG with -v); one-off commands only errors (INFO with -v)."""
    if daemon:
        level = logging.DEBUG if verbose else logging.INFO
    else:
        level = logging.INFO if verbose else logging.ERROR
    logging.basicConfig(
        level=level,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # --help, or a usage error argparse already explained
        return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    _configure_logging(args.verbose, daemon=handler is cmd_run)
    try:
        return handler(args)
    except StationError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_ERROR
    except sa_exc.SQLAlchemyError as error:  # anything the domain layer did not translate
        print(f"error: the database reported a problem: {_driver_message(error)}",
              file=sys.stderr)
        return EXIT_ERROR


def _driver_message(error: sa_exc.SQLAlchemyError) -> str:
    """The driver's own words, without the SQL statement or its parameters."""
    original = getattr(error, "orig", None)
    if original is not None:
        args: tuple[object, ...] = getattr(original, "args", ())
        if len(args) >= 2 and isinstance(args[0], int):  # PyMySQL: (code, message)
            return f"{args[1]} [{args[0]}]"
        return str(original).splitlines()[0] if str(original) else type(original).__name__
    text = str(error)
    return text.splitlines()[0] if text else type(error).__name__


if __name__ == "__main__":
    sys.exit(main())
