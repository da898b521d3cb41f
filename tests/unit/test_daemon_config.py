"""stationd's TOML configuration: defaults, every key checked, unknown keys and passwords
refused; and the systemd unit shipped next to it."""

from __future__ import annotations

import configparser
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import make_url

from station_desktop.config.secrets import SecretStore
from station_desktop.daemon.config import ConfigError, load_config

PACKAGING = Path(__file__).resolve().parents[2] / "packaging"
MINIMAL = '[database]\nurl = "mysql://stationd@db.example.net/station"\n[server]\nid = "srv1"\n'


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "stationd.toml"
    path.write_text(text)
    return path


def test_defaults(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, MINIMAL))
    assert config.server_id == "srv1"
    assert config.database_url.drivername == "mysql+pymysql"
    assert config.database_url.password is None
    assert (config.intervals.stats, config.intervals.events, config.intervals.export) == \
        (300, 5, 30)
    assert config.alerts.failure_threshold == 3 and config.alerts.webhook_url is None
    assert config.paths.state_dir == Path("/var/lib/stationd/state")
    assert config.layout().stations_dir == Path("/var/lib/stationd/stations")


def test_defaults_of_the_supervisor_retention_and_live_logins(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, MINIMAL))
    assert (config.intervals.supervise, config.intervals.rollup) == (5, 3600)
    assert config.retention.raw_days == 90
    assert config.live_auth.enabled and config.live_auth.socket == \
        Path("/run/stationd/live-auth.sock")
    supervisor = config.supervisor
    assert supervisor.liquidsoap and supervisor.icecast == "off" and supervisor.enabled
    assert supervisor.liquidsoap_command == ("/usr/bin/liquidsoap", "{script}")
    assert (supervisor.stop_grace, supervisor.backoff_initial, supervisor.backoff_max) == \
        (10, 1, 300)
    layout = config.layout()
    assert layout.auth_socket == Path("/run/stationd/live-auth.sock")
    assert layout.allow_root is False and layout.harbor_bind_address == "0.0.0.0"


def test_every_supervisor_key(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, MINIMAL + """
[intervals]
supervise = 2
rollup = 600
[retention]
raw_days = 0
[live_auth]
enabled = false
socket = "/run/x/auth.sock"
[supervisor]
liquidsoap = false
liquidsoap_command = ["/usr/bin/setpriv", "--reuid=radio", "/usr/bin/liquidsoap", "{script}",
                      "--", "{station}", "{{literal}}"]
allow_root = true
harbor_bind_address = "127.0.0.1"
safety_file = "/srv/safety.mp3"
restart_on_change = false
icecast = "restart-command"
icecast_command = ["/usr/bin/icecast2", "-c", "/srv/icecast.xml"]
icecast_restart_command = ["/usr/bin/sudo", "/bin/systemctl", "restart", "icecast2"]
stop_grace = 3
backoff_initial = 0.5
backoff_max = 30
stable_after = 20
crash_alert_count = 2
crash_alert_window = 120
"""))
    assert (config.intervals.supervise, config.intervals.rollup) == (2, 600)
    assert config.retention.raw_days == 0
    assert not config.live_auth.enabled and config.layout().auth_socket is None
    s = config.supervisor
    assert s.enabled and not s.liquidsoap and s.icecast == "restart-command"
    assert s.liquidsoap_command[-1] == "{{literal}}" and s.allow_root
    assert s.icecast_restart_command[0] == "/usr/bin/sudo" and not s.restart_on_change
    assert (s.stop_grace, s.backoff_initial, s.backoff_max, s.stable_after) == (3, 0.5, 30, 20)
    assert (s.crash_alert_count, s.crash_alert_window) == (2, 120)
    layout = config.layout()
    assert layout.safety_file == Path("/srv/safety.mp3") and layout.allow_root
    assert layout.harbor_bind_address == "127.0.0.1"
    off = load_config(write(tmp_path, MINIMAL + "[supervisor]\nliquidsoap = false\n"))
    assert not off.supervisor.enabled


def test_every_key(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, MINIMAL + """
[paths]
stations_dir = "/srv/st"
picker = "/opt/picker.py"
python = "/opt/py"
log_dir = "/srv/log"
secrets_dir = "/srv/secrets"
state_dir = "/srv/state"
[intervals]
stats = 60
events = 0.5
export = 10
[alerts]
failure_threshold = 5
webhook_url = "https://hooks.example.net/x"
"""))
    assert config.paths.stations_dir == Path("/srv/st")
    assert config.layout().picker_path == Path("/opt/picker.py")
    assert config.paths.state_dir == Path("/srv/state")
    assert (config.intervals.stats, config.intervals.events, config.intervals.export) == \
        (60.0, 0.5, 10.0)
    assert config.alerts.failure_threshold == 5
    assert config.alerts.webhook_url == "https://hooks.example.net/x"


@pytest.mark.parametrize(("extra", "where"), [
    ("[paths]\nstations_dir = \"relative\"\n", "paths.stations_dir"),
    ("[paths]\nstate_dir = 3\n", "paths.state_dir"),
    ("[intervals]\nstats = 0\n", "intervals.stats"),
    ("[intervals]\nevents = -1\n", "intervals.events"),
    ("[intervals]\nexport = \"30\"\n", "intervals.export"),
    ("[intervals]\nstats = true\n", "intervals.stats"),
    ("[intervals]\nstats = 1e9\n", "intervals.stats"),
    ("[alerts]\nfailure_threshold = 0\n", "alerts.failure_threshold"),
    ("[alerts]\nfailure_threshold = 2.5\n", "alerts.failure_threshold"),
    ("[alerts]\nwebhook_url = \"ftp://x\"\n", "alerts.webhook_url"),
    ("[paths]\nstation_dir = \"/x\"\n", "paths.station_dir"),  # a typo
    ("[alert]\nfailure_threshold = 3\n", "[alert]"),
    ("[intervals]\nsupervise = 0\n", "intervals.supervise"),
    ("[intervals]\nrollup = -5\n", "intervals.rollup"),
    ("[retention]\nraw_days = -1\n", "retention.raw_days"),
    ("[retention]\nraw_days = 1.5\n", "retention.raw_days"),
    ("[retention]\nraw_days = 99999\n", "retention.raw_days"),
    ("[live_auth]\nenabled = \"yes\"\n", "live_auth.enabled"),
    ("[live_auth]\nsocket = \"relative.sock\"\n", "live_auth.socket"),
    ("[live_auth]\nsocket = \"/" + "x" * 120 + "\"\n", "live_auth.socket"),
    ("[supervisor]\nliquidsoap = 1\n", "supervisor.liquidsoap"),
    ("[supervisor]\nliquidsoap_command = \"/usr/bin/liquidsoap {script}\"\n",
     "supervisor.liquidsoap_command"),
    ("[supervisor]\nliquidsoap_command = [\"/usr/bin/liquidsoap\"]\n",
     "supervisor.liquidsoap_command"),
    ("[supervisor]\nliquidsoap_command = [\"/bin/x\", \"{script}\", \"{user}\"]\n",
     "supervisor.liquidsoap_command"),
    ("[supervisor]\nliquidsoap_command = [\"/bin/x\", \"{script\"]\n",
     "supervisor.liquidsoap_command"),
    ("[supervisor]\nicecast = \"systemd\"\n", "supervisor.icecast"),
    ("[supervisor]\nicecast_command = []\n", "supervisor.icecast_command"),
    ("[supervisor]\nicecast_restart_command = [\"\"]\n",
     "supervisor.icecast_restart_command"),
    ("[supervisor]\nstop_grace = 0\n", "supervisor.stop_grace"),
    ("[supervisor]\ncrash_alert_count = 0\n", "supervisor.crash_alert_count"),
    ("[supervisor]\nbackoff_initial = 10\nbackoff_max = 5\n", "supervisor.backoff_initial"),
    ("[supervisor]\nharbor_bind_address = \"0.0.0.0 1\"\n", "supervisor.harbor_bind_address"),
    ("[supervisor]\nsafety_file = \"safety.mp3\"\n", "supervisor.safety_file"),
    ("[supervisor]\nrestart = true\n", "supervisor.restart"),
])
def test_invalid_values_name_the_file_and_key(tmp_path: Path, extra: str, where: str) -> None:
    path = write(tmp_path, MINIMAL + extra)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(path) in str(info.value) and where in str(info.value)


@pytest.mark.parametrize(("text", "where"), [
    ('[server]\nid = "x"\n', "database.url"),
    ('[database]\nurl = "sqlite:////tmp/x.db"\n', "server.id"),
    ('[database]\nurl = "sqlite:////tmp/x.db"\n[server]\nid = "  "\n', "server.id"),
    ('[database]\nurl = "postgresql://u@h/d"\n[server]\nid = "x"\n', "database.url"),
    ('[database]\nurl = "not a url"\n[server]\nid = "x"\n', "database.url"),
    ('[database]\nurl = 1\n[server]\nid = "x"\n', "database.url"),
    ('database = 3\n', "database"),
])
def test_missing_and_wrong_required_keys(tmp_path: Path, text: str, where: str) -> None:
    with pytest.raises(ConfigError, match=where.replace(".", r"\.")):
        load_config(write(tmp_path, text))


def test_a_password_in_the_url_is_refused_without_repeating_it(tmp_path: Path) -> None:
    path = write(tmp_path, '[database]\nurl = "mysql://u:s3cr3tpw@h/d"\n[server]\nid = "x"\n')
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert "database.url" in message and "db-password" in message
    assert "s3cr3tpw" not in message


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no configuration file"):
        load_config(tmp_path / "missing.toml")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(write(tmp_path, "[database\n"))


def test_the_password_comes_from_the_secret_in_memory_only(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "db-password").write_text("pw-from-secret\n")
    (secrets / "db-password").chmod(0o600)
    config = load_config(write(tmp_path, MINIMAL))
    url = config.database_url_with_password(SecretStore(secrets, use_keyring=False))
    assert url.password == "pw-from-secret"
    assert "pw-from-secret" not in config.shown_url
    assert config.database_url.password is None
    none = config.database_url_with_password(SecretStore(tmp_path / "empty",
                                                         use_keyring=False))
    assert none.password is None
    sqlite = load_config(write(tmp_path, '[database]\nurl = "sqlite:////tmp/x.db"\n'
                                         '[server]\nid = "x"\n'))
    assert sqlite.database_url_with_password(SecretStore(secrets, use_keyring=False)) == \
        make_url("sqlite:////tmp/x.db")


def test_the_example_file_is_a_valid_configuration(tmp_path: Path) -> None:
    config = load_config(PACKAGING / "stationd.toml.example")
    assert config.intervals.stats == 300 and config.alerts.failure_threshold == 3
    # Uncommenting every default keeps it valid and changes nothing.
    text = (PACKAGING / "stationd.toml.example").read_text()
    uncommented = "\n".join(
        line[2:].split("  #")[0] if line.startswith("# ") and " = " in line
        and not line.startswith("#  ") else line for line in text.splitlines())
    assert "# stats = 300" in text and "# webhook_url" in text
    full = load_config(write(tmp_path, uncommented))
    assert (full.paths, full.intervals) == (config.paths, config.intervals)
    assert full.alerts.failure_threshold == 3 and full.alerts.webhook_url
    assert (full.retention, full.live_auth) == (config.retention, config.live_auth)
    assert full.supervisor == replace(config.supervisor, safety_file=full.supervisor.safety_file)
    assert "# raw_days = 90" in text and "# icecast = \"off\"" in text


def test_the_systemd_unit(tmp_path: Path) -> None:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read(PACKAGING / "stationd.service")
    service = unit["Service"]
    assert service["ExecStart"] == "/usr/bin/stationd run --config /etc/stationd/stationd.toml"
    assert service["Restart"] == "on-failure" and service["RestartSec"] == "5"
    assert service["User"] == "stationd" and service["Type"] in ("exec", "simple")
    assert service["KillSignal"] == "SIGTERM" and service["TimeoutStopSec"] == "30"
    for key, value in [("NoNewPrivileges", "yes"), ("ProtectSystem", "strict"),
                       ("PrivateTmp", "yes"), ("ProtectHome", "yes"),
                       ("ProtectKernelTunables", "yes"),
                       ("RestrictAddressFamilies", "AF_UNIX AF_INET AF_INET6"),
                       ("ReadWritePaths", "/var/lib/stationd /var/log/stationd")]:
        assert service[key] == value, key
    assert service["RuntimeDirectory"] == "stationd"  # the live-login socket's directory
    assert service["KillMode"] == "process"  # the Liquidsoaps outlive a stationd restart
    credentials = [line.split("=", 1)[1] for line in
                   (PACKAGING / "stationd.service").read_text().splitlines()
                   if line.startswith("LoadCredential=")]
    assert "db-password:/etc/stationd/secrets/db-password" in credentials
    assert any(c.startswith("icecast-admin-password:") for c in credentials)
    assert unit["Install"]["WantedBy"] == "multi-user.target"
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    result = subprocess.run([analyze, "verify", "--man=no", str(PACKAGING / "stationd.service")],
                            capture_output=True, text=True, check=False, timeout=60)
    # /usr/bin/stationd and the stationd user need not exist on a build machine.
    problems = [line for line in (result.stdout + result.stderr).splitlines()
                if line.strip() and "stationd" in line and "not found" not in line.lower()
                and "No such file" not in line and "executable" not in line.lower()
                and "Failed to" not in line]
    assert not [p for p in problems if "Unknown" in p or "unknown" in p], problems
