"""``stationd run``'s configuration file (TOML, read with :mod:`tomllib`).

Default location :data:`DEFAULT_CONFIG` (``--config PATH`` overrides it). Every key is
checked and every problem names ``file:section.key``; an unknown key is refused, so a typo
never silently falls back to a default. ``packaging/stationd.toml.example`` documents every
key and default::

    [database]
    url = "mysql://stationd@db.example.net/station"   # no password here
    [server]
    id = "clx...."                                     # this VPS's StreamServer id
    [paths]      stations_dir, picker, python, log_dir, secrets_dir, state_dir
    [intervals]  stats = 300, events = 5, export = 30, supervise = 5, rollup = 3600 (s)
    [alerts]     failure_threshold = 3, webhook_url = "https://..." (optional)
    [retention]  raw_days = 90                         (0 = keep raw samples forever)
    [live_auth]  enabled = true, socket = "/run/stationd/live-auth.sock"
    [supervisor] liquidsoap = true, liquidsoap_command = [...], icecast = "off", ...

The database password is never in the file (a URL holding one is refused): it is the
secret ``db-password`` (systemd credential, secrets directory or keyring, see
:class:`~station_desktop.config.secrets.SecretStore`), put into the URL in memory only by
:meth:`DaemonConfig.database_url_with_password` and never logged.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import URL, make_url
from sqlalchemy import exc as sa_exc

from station_desktop.config.secrets import DEFAULT_SECRETS_DIR, SecretStore
from station_desktop.db.engine import normalize_url, safe_url
from station_desktop.errors import StationError
from station_desktop.services.broadcast import ServerLayout

DEFAULT_CONFIG = Path("/etc/stationd/stationd.toml")
DB_PASSWORD_SECRET = "db-password"
SOURCE_SECRET = "icecast-source-password"
ADMIN_SECRET = "icecast-admin-password"
DEFAULT_STATE_DIR = Path("/var/lib/stationd/state")
DEFAULT_AUTH_SOCKET = Path("/run/stationd/live-auth.sock")
MAX_INTERVAL = 24 * 3600.0
MAX_RETENTION_DAYS = 100 * 366
# A unix socket's path must fit sockaddr_un.sun_path (108 bytes on Linux, with the NUL).
MAX_SOCKET_PATH = 107
ICECAST_MODES = ("off", "process", "restart-command")
COMMAND_FIELDS = ("script", "station")  # what a liquidsoap_command may name: {script} ...
_BACKENDS = ("sqlite", "mysql", "mariadb")
_LAYOUT = ServerLayout()


class ConfigError(StationError):
    """The configuration file is missing, unreadable or wrong."""


@dataclass(frozen=True, slots=True)
class PathsConfig:
    stations_dir: Path = _LAYOUT.stations_dir
    picker: Path = _LAYOUT.picker_path
    python: Path = _LAYOUT.python
    log_dir: Path = _LAYOUT.log_dir
    secrets_dir: Path = DEFAULT_SECRETS_DIR
    state_dir: Path = DEFAULT_STATE_DIR


@dataclass(frozen=True, slots=True)
class IntervalsConfig:
    stats: float = 300.0  # seconds between statistics rounds
    events: float = 5.0  # seconds between reads of the events files
    export: float = 30.0  # seconds between programme exports
    supervise: float = 5.0  # seconds between supervisor passes (desired state, Icecast)
    rollup: float = 3600.0  # seconds between roll-ups and retention (first one at start)


@dataclass(frozen=True, slots=True)
class AlertsConfig:
    failure_threshold: int = 3
    webhook_url: str | None = None


@dataclass(frozen=True, slots=True)
class RetentionConfig:
    raw_days: int = 90  # raw 5-minute samples older than this go (once rolled up); 0: never


@dataclass(frozen=True, slots=True)
class LiveAuthConfig:
    """The unix socket on which stationd answers the harbor logins the picker forwards."""

    enabled: bool = True
    socket: Path = DEFAULT_AUTH_SOCKET


@dataclass(frozen=True, slots=True)
class SupervisorConfig:
    """What :mod:`station_desktop.daemon.supervisor` runs (see that module)."""

    liquidsoap: bool = True  # run each active station's Liquidsoap
    liquidsoap_command: tuple[str, ...] = ("/usr/bin/liquidsoap", "{script}")
    allow_root: bool = False  # the rendered script may run as root (containers only)
    harbor_bind_address: str = "0.0.0.0"  # where DJs connect
    safety_file: Path | None = None  # played when nothing else can be (else silence)
    restart_on_change: bool = True  # restart a Liquidsoap whose script changed
    icecast: str = "off"  # "off" | "process" | "restart-command"
    icecast_command: tuple[str, ...] = ("/usr/bin/icecast2", "-c", "/etc/icecast2/icecast.xml")
    icecast_restart_command: tuple[str, ...] = ("/bin/systemctl", "restart", "icecast2")
    stop_grace: float = 10.0  # seconds between SIGTERM and SIGKILL
    backoff_initial: float = 1.0  # seconds before the first restart after a crash
    backoff_max: float = 300.0  # restarts back off (doubling) up to this
    stable_after: float = 60.0  # a process up this long is healthy again
    crash_alert_count: int = 5  # this many crashes ...
    crash_alert_window: float = 600.0  # ... within this many seconds raise an alert

    @property
    def enabled(self) -> bool:
        return self.liquidsoap or self.icecast != "off"


@dataclass(frozen=True, slots=True)
class DaemonConfig:
    source: Path  # the file it was read from (for messages)
    database_url: URL  # never with a password
    server_id: str
    paths: PathsConfig = field(default_factory=PathsConfig)
    intervals: IntervalsConfig = field(default_factory=IntervalsConfig)
    alerts: AlertsConfig = field(default_factory=AlertsConfig)
    retention: RetentionConfig = field(default_factory=RetentionConfig)
    live_auth: LiveAuthConfig = field(default_factory=LiveAuthConfig)
    supervisor: SupervisorConfig = field(default_factory=SupervisorConfig)

    @property
    def shown_url(self) -> str:
        return safe_url(self.database_url)

    def layout(self) -> ServerLayout:
        supervisor = self.supervisor
        return ServerLayout(stations_dir=self.paths.stations_dir,
                            picker_path=self.paths.picker, python=self.paths.python,
                            log_dir=self.paths.log_dir, safety_file=supervisor.safety_file,
                            allow_root=supervisor.allow_root,
                            harbor_bind_address=supervisor.harbor_bind_address,
                            auth_socket=self.live_auth.socket if self.live_auth.enabled
                            else None)

    def secrets(self) -> SecretStore:
        return SecretStore(self.paths.secrets_dir)

    def database_url_with_password(self, secrets: SecretStore | None = None) -> URL:
        """The URL to connect with: the ``db-password`` secret added (in memory only).
        SQLite needs none; a server URL without that secret connects without a password
        (e.g. socket authentication)."""
        if self.database_url.get_backend_name() == "sqlite":
            return self.database_url
        password = (secrets or self.secrets()).get(DB_PASSWORD_SECRET)
        return self.database_url.set(password=password) if password else self.database_url


_SECTIONS: dict[str, tuple[str, ...]] = {
    "database": ("url",),
    "server": ("id",),
    "paths": ("stations_dir", "picker", "python", "log_dir", "secrets_dir", "state_dir"),
    "intervals": ("stats", "events", "export", "supervise", "rollup"),
    "alerts": ("failure_threshold", "webhook_url"),
    "retention": ("raw_days",),
    "live_auth": ("enabled", "socket"),
    "supervisor": tuple(f.name for f in fields(SupervisorConfig)),
}
_REQUIRED = {"database": ("url",), "server": ("id",)}


def load_config(path: Path | None = None) -> DaemonConfig:
    """Read and check the file (see module docstring); :class:`ConfigError` on any problem."""
    path = path or DEFAULT_CONFIG
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(
            f"There is no configuration file at {path}: create it from "
            "stationd.toml.example (or pass --config PATH)."
        ) from None
    except OSError as error:
        raise ConfigError(f"Cannot read the configuration file {path}: "
                          f"{error.strerror or error}.") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path} is not valid TOML: {error}.") from None
    return parse_config(data, path)


def _check_keys(data: dict[str, Any], path: Path) -> None:
    for section, value in data.items():
        if section not in _SECTIONS:
            raise ConfigError(f"{path}: unknown section [{section}] (known: "
                              f"{', '.join(_SECTIONS)}).")
        if not isinstance(value, dict):
            raise ConfigError(f"{path}:{section} must be a table ([{section}]).")
        for key in value:
            if key not in _SECTIONS[section]:
                raise ConfigError(f"{path}:{section}.{key} is not a known key (known in "
                                  f"[{section}]: {', '.join(_SECTIONS[section])}).")
    for section, keys in _REQUIRED.items():
        for key in keys:
            if key not in data.get(section, {}):
                raise ConfigError(f"{path}:{section}.{key} is required.")


def parse_config(data: dict[str, Any], path: Path) -> DaemonConfig:
    _check_keys(data, path)

    def where(section: str, key: str) -> str:
        return f"{path}:{section}.{key}"

    database = data["database"]
    url = _database_url(database["url"], where("database", "url"))
    raw_id = data["server"]["id"]
    if not isinstance(raw_id, str) or not raw_id.strip():
        raise ConfigError(f"{where('server', 'id')} must be a non-empty string (this "
                          "server's id, as the desktop app shows it).")
    server_id = raw_id.strip()

    paths_data = data.get("paths", {})
    paths = PathsConfig(**{
        key: _path(paths_data[key], where("paths", key)) if key in paths_data
        else getattr(PathsConfig(), key)
        for key in _SECTIONS["paths"]
    })

    intervals_data = data.get("intervals", {})
    intervals = IntervalsConfig(**{
        key: _seconds(intervals_data[key], where("intervals", key)) if key in intervals_data
        else getattr(IntervalsConfig(), key)
        for key in _SECTIONS["intervals"]
    })

    alerts_data = data.get("alerts", {})
    threshold = alerts_data.get("failure_threshold", AlertsConfig().failure_threshold)
    if isinstance(threshold, bool) or not isinstance(threshold, int) or not 1 <= threshold <= 1000:
        raise ConfigError(f"{where('alerts', 'failure_threshold')} must be a whole number "
                          "from 1 to 1000.")
    webhook = alerts_data.get("webhook_url")
    if webhook is not None:
        webhook = _webhook(webhook, where("alerts", "webhook_url"))

    retention_data = data.get("retention", {})
    raw_days = retention_data.get("raw_days", RetentionConfig().raw_days)
    if isinstance(raw_days, bool) or not isinstance(raw_days, int) \
            or not 0 <= raw_days <= MAX_RETENTION_DAYS:
        raise ConfigError(f"{where('retention', 'raw_days')} must be a whole number of days "
                          f"from 0 (keep every raw sample) to {MAX_RETENTION_DAYS}.")

    auth_data = data.get("live_auth", {})
    auth = LiveAuthConfig(
        enabled=_bool(auth_data.get("enabled", True), where("live_auth", "enabled")),
        socket=_socket_path(auth_data["socket"], where("live_auth", "socket"))
        if "socket" in auth_data else LiveAuthConfig().socket,
    )
    supervisor = _supervisor(data.get("supervisor", {}), where)
    return DaemonConfig(path, url, server_id, paths, intervals,
                        AlertsConfig(threshold, webhook), RetentionConfig(raw_days), auth,
                        supervisor)


def _supervisor(section: dict[str, Any], where: Any) -> SupervisorConfig:
    default = SupervisorConfig()

    def at(key: str) -> str:
        return str(where("supervisor", key))

    checks: dict[str, Any] = {
        "liquidsoap": _bool, "allow_root": _bool, "restart_on_change": _bool,
        "stop_grace": _seconds, "backoff_initial": _seconds, "backoff_max": _seconds,
        "stable_after": _seconds, "crash_alert_window": _seconds,
        "crash_alert_count": _alert_count, "liquidsoap_command": _liquidsoap_command,
        "icecast_command": _plain_command, "icecast_restart_command": _plain_command,
        "icecast": _icecast_mode, "harbor_bind_address": _address, "safety_file": _path,
    }
    values = {key: checks[key](section[key], at(key)) for key in checks if key in section}
    config = SupervisorConfig(**{**{f.name: getattr(default, f.name)
                                    for f in fields(SupervisorConfig)}, **values})
    if config.backoff_initial > config.backoff_max:
        raise ConfigError(f"{at('backoff_initial')} must not be above "
                          f"supervisor.backoff_max ({config.backoff_max:g} s).")
    return config


def _alert_count(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 1000:
        raise ConfigError(f"{where} must be a whole number from 1 to 1000.")
    return value


def _liquidsoap_command(value: object, where: str) -> tuple[str, ...]:
    command = _command(value, where)
    if not any("{script}" in word for word in command):
        raise ConfigError(f"{where} must name the script as \"{{script}}\" (e.g. "
                          "[\"/usr/bin/liquidsoap\", \"{script}\"]).")
    return command


def _plain_command(value: object, where: str) -> tuple[str, ...]:
    return _command(value, where, placeholders=False)


def _icecast_mode(value: object, where: str) -> str:
    if value not in ICECAST_MODES:
        raise ConfigError(f"{where} must be one of "
                          f"{', '.join(repr(m) for m in ICECAST_MODES)} (got {value!r}).")
    return str(value)


def _address(value: object, where: str) -> str:
    if not isinstance(value, str) or not value.strip() or any(
            c.isspace() for c in value.strip()):
        raise ConfigError(f"{where} must be an IP address such as \"0.0.0.0\" or "
                          "\"127.0.0.1\".")
    return value.strip()


def _bool(value: object, where: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{where} must be true or false.")
    return value


def _command(value: object, where: str, *, placeholders: bool = True) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(
            isinstance(word, str) and word for word in value):
        raise ConfigError(f"{where} must be a non-empty list of non-empty strings, the "
                          "program first (e.g. [\"/usr/bin/icecast2\", \"-c\", \"/etc/"
                          "icecast2/icecast.xml\"]); it is run directly, not by a shell.")
    if placeholders:
        for word in value:
            try:
                word.format(**{name: "" for name in COMMAND_FIELDS})
            except (KeyError, IndexError, ValueError):
                raise ConfigError(
                    f"{where}: {word!r} names an unknown field; only "
                    f"{', '.join('{' + n + '}' for n in COMMAND_FIELDS)} can be used (write "
                    "{{ and }} for literal braces).") from None
    return tuple(value)


def _socket_path(value: object, where: str) -> Path:
    path = _path(value, where)
    if len(str(path).encode()) > MAX_SOCKET_PATH:
        raise ConfigError(f"{where} is too long for a unix socket (at most "
                          f"{MAX_SOCKET_PATH} bytes); choose a shorter path.")
    return path


def _database_url(value: object, where: str) -> URL:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where} must be a non-empty string such as "
                          "\"mysql://stationd@db-host/station\".")
    try:
        url = make_url(value.strip())
    except (sa_exc.ArgumentError, ValueError):
        # The text is not repeated: it may hold a password.
        raise ConfigError(f"{where} is not a valid database URL (expected e.g. "
                          "mysql://user@host/database or sqlite:///path/station.db).") from None
    if url.password is not None:
        raise ConfigError(
            f"{where} contains a password. Remove it from the file and store it as the "
            f"secret {DB_PASSWORD_SECRET!r} (the systemd credential "
            f"LoadCredential={DB_PASSWORD_SECRET}:..., or a 0600 file named "
            f"{DB_PASSWORD_SECRET} in the secrets directory)."
        )
    backend = url.get_backend_name()
    if backend not in _BACKENDS:
        raise ConfigError(f"{where} ({safe_url(url)}) is for {backend!r}; stationd works "
                          "with MySQL/MariaDB and SQLite.")
    try:
        url = normalize_url(url)
        url.get_dialect()
    except sa_exc.NoSuchModuleError:
        raise ConfigError(f"{where} ({safe_url(url)}) names the driver {url.drivername!r}, "
                          "which is not available.") from None
    return url


def _path(value: object, where: str) -> Path:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where} must be a non-empty path string.")
    path = Path(value.strip())
    if not path.is_absolute():
        raise ConfigError(f"{where} must be an absolute path (got {value!r}).")
    return path


def _seconds(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) \
            or not math.isfinite(value) or not 0 < value <= MAX_INTERVAL:
        raise ConfigError(f"{where} must be a number of seconds above 0 and at most "
                          f"{MAX_INTERVAL:g}.")
    return float(value)


def _webhook(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"{where} must be a string (an http:// or https:// URL).")
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"{where} must be an http:// or https:// URL.")
    return value.strip()


__all__ = [
    "ADMIN_SECRET",
    "DB_PASSWORD_SECRET",
    "DEFAULT_CONFIG",
    "DEFAULT_STATE_DIR",
    "SOURCE_SECRET",
    "AlertsConfig",
    "ConfigError",
    "DaemonConfig",
    "IntervalsConfig",
    "LiveAuthConfig",
    "PathsConfig",
    "RetentionConfig",
    "SupervisorConfig",
    "load_config",
    "parse_config",
]
