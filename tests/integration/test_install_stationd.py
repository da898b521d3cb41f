"""``packaging/install-stationd --root DIR``: the real script, the real pip, a real venv.

The script runs twice into one staging directory (a first install, then an upgrade over
it, as an operator re-running it would), and the staged venv's own ``stationd`` runs:
``--help``, and ``db upgrade`` on a scratch SQLite database from a directory outside the
checkout, which only works when the Alembic scripts ship inside the installed package.
``--root`` skips what needs the real system (apt-get, useradd, chown, systemctl); the
test checks it says so. About 15 s for the first install, 10 s for the second (pip,
with the wheels it has seen before in its cache).
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "packaging" / "install-stationd"
QT_DISTRIBUTIONS = ("PySide6-Essentials", "PySide6", "shiboken6", "pyqtgraph", "qasync")
OLD_CODE = "\n# the previous version's code\n"
EDITED_CONFIG = '# edited by the operator\n[database]\nurl = "sqlite:////srv/x.db"\n'


@dataclass(frozen=True)
class Staged:
    root: Path
    first: subprocess.CompletedProcess[str]  # the first install
    second: subprocess.CompletedProcess[str]  # the re-run over it (an upgrade)

    @property
    def venv(self) -> Path:
        return self.root / "opt" / "stationd"


def _clean_env() -> dict[str, str]:
    """The environment without anything that could make the staged venv see this checkout
    (PYTHONPATH) or a database/config of the test run."""
    return {key: value for key, value in os.environ.items()
            if not key.startswith(("PYTHON", "STATIOND_", "VIRTUAL_ENV"))}


def _install(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(SCRIPT), "--root", str(root)], capture_output=True, text=True,
                          timeout=600, env=_clean_env(), check=False, cwd=root.parent)


def _failed(what: str, result: subprocess.CompletedProcess[str]) -> str:
    return f"{what} exited with {result.returncode}\n--- stdout\n{result.stdout}\n" \
           f"--- stderr\n{result.stderr[-4000:]}"


@pytest.fixture(scope="module")
def staged(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Staged]:
    if not Path("/usr/bin/python3").is_file():
        pytest.skip("no /usr/bin/python3 (the script's default Python)")
    had_build_dir = (REPO / "build").exists()
    root = tmp_path_factory.mktemp("install") / "root"
    first = _install(root)
    assert first.returncode == 0, _failed("the first install", first)
    config = root / "etc" / "stationd" / "stationd.toml"
    config.write_text(EDITED_CONFIG, encoding="utf-8")
    picker = root / "usr" / "lib" / "station-desktop" / "picker.py"
    picker.write_text("# an old picker\n", encoding="utf-8")
    installed = _installed_module(root)
    installed.write_text(installed.read_text(encoding="utf-8") + OLD_CODE, encoding="utf-8")
    second = _install(root)
    assert second.returncode == 0, _failed("the second run", second)
    assert (REPO / "build").exists() == had_build_dir, "the install built inside the checkout"
    yield Staged(root, first, second)
    shutil.rmtree(root.parent, ignore_errors=True)


def _installed_module(root: Path) -> Path:
    """The installed copy of station_desktop/daemon/cli.py in the staged venv."""
    found = list((root / "opt" / "stationd" / "lib").glob(
        "python3.*/site-packages/station_desktop/daemon/cli.py"))
    assert len(found) == 1, found
    return found[0]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def test_the_layout_the_unit_expects(staged: Staged) -> None:
    root = staged.root
    link = root / "usr" / "bin" / "stationd"
    assert link.is_symlink()
    assert os.readlink(link) == "/opt/stationd/bin/stationd"  # as the real system sees it
    assert (staged.venv / "bin" / "stationd").is_file()
    files = {
        "usr/lib/station-desktop/picker.py": (REPO / "liquidsoap" / "picker.py", 0o755),
        "etc/systemd/system/stationd.service": (REPO / "packaging" / "stationd.service", 0o644),
        "usr/share/doc/stationd/stationd.toml.example":
            (REPO / "packaging" / "stationd.toml.example", 0o644),
    }
    for relative, (source, mode) in files.items():
        target = root / relative
        assert target.read_bytes() == source.read_bytes(), relative
        assert _mode(target) == mode, f"{relative}: {_mode(target):04o}"
    directories = {"etc/stationd/secrets": 0o700, "etc/stationd": 0o755,
                   "var/lib/stationd": 0o750, "var/log/stationd": 0o750}
    for relative, mode in directories.items():
        assert (root / relative).is_dir(), relative
        assert _mode(root / relative) == mode, f"{relative}: {_mode(root / relative):04o}"
    assert _mode(root / "etc" / "stationd" / "stationd.toml") == 0o640
    assert not list((root / "etc" / "stationd" / "secrets").iterdir())  # never makes secrets
    unit = (root / "etc/systemd/system/stationd.service").read_text(encoding="utf-8")
    assert "ExecStart=/usr/bin/stationd run --config /etc/stationd/stationd.toml" in unit


def test_the_first_install_fills_in_the_config_and_says_what_it_skipped(staged: Staged) -> None:
    out = staged.first.stdout
    for skipped in ("useradd stationd", "chown stationd:stationd", "systemctl daemon-reload"):
        assert f"--- skipped (--root): {skipped}" in out, out
    assert "configuration: /etc/stationd/stationd.toml (from the example" in out
    assert "Installed stationd" in out
    for step in ("stationd check", "systemctl enable --now stationd", "icecast-source-password"):
        assert step in out, out


def test_a_second_run_upgrades_in_place_and_keeps_the_config(staged: Staged) -> None:
    root, out = staged.root, staged.second.stdout
    config = root / "etc" / "stationd" / "stationd.toml"
    assert config.read_text(encoding="utf-8") == EDITED_CONFIG
    assert "kept /etc/stationd/stationd.toml" in out
    assert "upgrading the venv /opt/stationd (now station-desktop" in out
    assert "systemctl restart stationd" in out
    # New code went into the venv: the module the first install left (marked) is replaced.
    installed = _installed_module(root)
    assert installed.read_bytes() == (REPO / "station_desktop/daemon/cli.py").read_bytes()
    # The files that are ours are replaced (the picker was "old" before the second run).
    picker = root / "usr" / "lib" / "station-desktop" / "picker.py"
    assert picker.read_bytes() == (REPO / "liquidsoap" / "picker.py").read_bytes()
    assert "unit: /etc/systemd/system/stationd.service (unchanged)" in out
    leftovers = [p for p in root.rglob(".*.new.*") if "opt" not in p.parts]
    assert not leftovers, leftovers


def test_the_staged_stationd_runs_and_has_no_qt(staged: Staged, tmp_path: Path) -> None:
    stationd = staged.venv / "bin" / "stationd"
    help_ = subprocess.run([str(stationd), "--help"], capture_output=True, text=True,
                           env=_clean_env(), cwd=tmp_path, timeout=60, check=False)
    assert help_.returncode == 0, _failed("stationd --help", help_)
    assert "db" in help_.stdout and "run" in help_.stdout
    python = staged.venv / "bin" / "python"
    probe = subprocess.run(
        [str(python), "-c",
         "import importlib.metadata as m, importlib.util as u, sys, station_desktop\n"
         "print(station_desktop.__file__)\n"
         "names = {d.metadata['Name'].lower() for d in m.distributions()}\n"
         f"print(sorted(n for n in {[q.lower() for q in QT_DISTRIBUTIONS]!r} if n in names))\n"
         "print([n for n in ('PySide6', 'pyqtgraph', 'qasync') if u.find_spec(n)])"],
        capture_output=True, text=True, env=_clean_env(), cwd=tmp_path, timeout=60,
        check=False)
    assert probe.returncode == 0, _failed("the venv's python", probe)
    where, distributions, modules = probe.stdout.splitlines()
    assert Path(where).is_relative_to(staged.venv), where  # the installed copy, not the checkout
    assert distributions == "[]", f"Qt distributions in stationd's venv: {distributions}"
    assert modules == "[]", f"Qt modules importable in stationd's venv: {modules}"


def test_the_staged_stationd_creates_a_schema(staged: Staged, tmp_path: Path) -> None:
    """The migrations ship in the wheel: ``db upgrade`` from the venv, outside the checkout."""
    stationd = staged.venv / "bin" / "stationd"
    url = f"sqlite:///{tmp_path / 'scratch.db'}"
    upgrade = subprocess.run([str(stationd), "db", "upgrade", "--database-url", url],
                             capture_output=True, text=True, env=_clean_env(), cwd=tmp_path,
                             timeout=120, check=False)
    assert upgrade.returncode == 0, _failed("stationd db upgrade", upgrade)
    assert "Created the station schema" in upgrade.stdout
    status = subprocess.run([str(stationd), "db", "status", "--database-url", url],
                            capture_output=True, text=True, env=_clean_env(), cwd=tmp_path,
                            timeout=120, check=False)
    assert status.returncode == 0, _failed("stationd db status", status)
    assert "up to date" in status.stdout


def test_bad_arguments_are_refused_before_anything_is_done(tmp_path: Path) -> None:
    result = subprocess.run([str(SCRIPT), "--root", str(tmp_path / "r"), "--frobnicate"],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 2
    assert "unknown argument" in result.stderr and "Usage:" in result.stderr
    assert not (tmp_path / "r").exists()
