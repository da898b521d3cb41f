"""Smoke test of a built desktop bundle: does it start, on its own files, and work?

    .venv/bin/python packaging/smoke_bundle.py dist/station-desktop

Starts the bundle's executable offscreen with a private home (``STATION_DESKTOP_HOME``),
so it must create the embedded SQLite database, run every Alembic migration from the
bundle, seed the demo station and save a screenshot of the main window
(``--screenshot``): that proves the migrations, SQLite, the Qt plugins and the app's own
files are in the bundle. Then starts it again on the same home in Spanish
(``LANG=es_ES.UTF-8``), which must load the bundled Spanish catalog. The log file must
hold no ERROR and no traceback. ``packaging/build-desktop`` runs this after a build, and
``tests/packaging/test_desktop_bundle.py`` and ``bench/bench_bundle.py`` use its parts.

Runs with the project's venv (Pillow to read the screenshot; the demo station's name and
the head revision from the package), never inside the bundle.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

APP_NAME = "station-desktop"
START_TIMEOUT_S = 180.0
MIN_SCREENSHOT = (800, 500)  # the main window opens at 1180 x 720
MIN_COLOURS = 100  # text, icons, tables: a blank or single-colour grab has a handful
# What a started bundle must not log or print (a hidden import or a data file missing
# from the bundle shows up as one of these, not always as a non-zero exit).
BAD_LOG_WORDS = ("ERROR", "CRITICAL", "Traceback")


class SmokeFailure(Exception):
    """The bundle does not work; the message says what is wrong and where to look."""


@dataclass(frozen=True)
class Run:
    """One start of the bundle: until it saved its screenshot and quit."""

    home: Path
    screenshot: Path
    returncode: int
    seconds: float
    stdout: str
    stderr: str

    @property
    def log_file(self) -> Path:
        return self.home / "logs" / f"{APP_NAME}.log"

    def log_text(self) -> str:
        return self.log_file.read_text(encoding="utf-8") if self.log_file.is_file() else ""


def executable(bundle: Path) -> Path:
    """The app's executable in a one-folder bundle (``dist/station-desktop``)."""
    return bundle / (f"{APP_NAME}.exe" if sys.platform == "win32" else APP_NAME)


def bundle_size(bundle: Path) -> int:
    """Bytes of every file in the bundle's folder (a symbolic link counts as nothing: the
    bundle links some libraries to one copy)."""
    return sum(path.stat().st_size for path in bundle.rglob("*")
               if path.is_file() and not path.is_symlink())


def run_bundle(bundle: Path, home: Path, screenshot: Path, *, language: str | None = None,
               timeout: float = START_TIMEOUT_S) -> Run:
    """Start the bundle offscreen on ``home`` and let it save ``screenshot`` and quit.

    ``language`` (``es_ES.UTF-8``) sets the locale the app follows ("system", the
    default setting); without it the run is in the C locale, i.e. English.
    """
    program = executable(bundle)
    if not program.is_file():
        raise SmokeFailure(f"{program} does not exist: build the bundle first "
                           "(packaging/build-desktop)")
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("LC_", "QT_", "PYTHON", "STATION_")) and key != "LANGUAGE"}
    env.update(STATION_DESKTOP_HOME=str(home), QT_QPA_PLATFORM="offscreen",
               LANG=language or "C.UTF-8")
    started = time.monotonic()
    try:
        done = subprocess.run([str(program), "--screenshot", str(screenshot)], env=env,
                              capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise SmokeFailure(f"{program} did not save its screenshot and quit within "
                           f"{timeout:.0f} s; see the log in {home / 'logs'}") from exc
    return Run(home, screenshot, done.returncode, time.monotonic() - started,
               done.stdout, done.stderr)


def problems_of(run: Run) -> list[str]:
    """What went wrong in ``run`` (empty when it worked): exit code, log, output."""
    problems = []
    if run.returncode != 0:
        tail = " | ".join(run.stderr.strip().splitlines()[-3:])
        problems.append(f"exit code {run.returncode}" + (f" ({tail})" if tail else ""))
    if not run.log_file.is_file():
        problems.append(f"no log file at {run.log_file}")
    bad_lines = [line for line in (run.log_text() + run.stderr).splitlines()
                 if any(word in line for word in BAD_LOG_WORDS)]
    problems += [f"logged: {line}" for line in bad_lines[:10]]
    if not run.screenshot.is_file():
        problems.append(f"no screenshot at {run.screenshot}")
    return problems


@dataclass(frozen=True)
class Picture:
    width: int
    height: int
    colours: int  # distinct colours
    commonest_share: float  # of the pixels, the share of the most frequent colour


def picture(path: Path) -> Picture:
    with Image.open(path) as image:
        rgb = image.convert("RGB")
        counts = rgb.getcolors(maxcolors=rgb.width * rgb.height) or []
        commonest = max((count for count, _ in counts), default=0)
        return Picture(rgb.width, rgb.height, len(counts),
                       commonest / (rgb.width * rgb.height))


def picture_problems(shot: Picture) -> list[str]:
    problems = []
    if shot.width < MIN_SCREENSHOT[0] or shot.height < MIN_SCREENSHOT[1]:
        problems.append(f"screenshot is {shot.width} x {shot.height}, smaller than the "
                        f"main window ({MIN_SCREENSHOT[0]} x {MIN_SCREENSHOT[1]} at least)")
    if shot.colours < MIN_COLOURS or shot.commonest_share > 0.9:
        problems.append(f"screenshot looks blank ({shot.colours} colours, the commonest "
                        f"covering {shot.commonest_share:.0%})")
    return problems


def database_file(home: Path) -> Path:
    return home / "data" / f"{APP_NAME}.db"


def stations(home: Path) -> list[str]:
    """Names of the stations (``Client`` rows) in the embedded database under ``home``."""
    path = database_file(home)
    if not path.is_file():
        raise SmokeFailure(f"the bundle created no embedded database at {path}")
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        return [name for (name,) in connection.execute('SELECT name FROM "Client"')]


def schema_revision(home: Path) -> str | None:
    with sqlite3.connect(f"file:{database_file(home)}?mode=ro", uri=True) as connection:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        return str(row[0]) if row else None


def bundled_files_problems(bundle: Path) -> list[str]:
    """Files the app only needs in some situations, so a start does not prove them:
    Qt's own Spanish catalog, keyring's entry points (its backends), the migrations as
    sources."""
    problems = []
    checks = {
        "Qt's Spanish catalog (qtbase_es.qm)": "**/qtbase_es.qm",
        "keyring's entry points (keyring-*.dist-info/entry_points.txt)":
            "**/keyring-*.dist-info/entry_points.txt",
        "the migrations as .py sources": "**/station_desktop/migrations/versions/*.py",
    }
    for what, pattern in checks.items():
        if next(bundle.glob(pattern), None) is None:
            problems.append(f"{what} missing from {bundle}")
    return problems


def smoke(bundle: Path, workdir: Path) -> tuple[Run, Run]:
    """The whole smoke test; raises :class:`SmokeFailure` listing every problem found."""
    from station_desktop.db.migrate import head_revision  # noqa: PLC0415 (not needed by --help)
    from station_desktop.services.demo import DEMO_STATION  # noqa: PLC0415

    home = workdir / "home"
    english = run_bundle(bundle, home, workdir / "main-window.png")
    problems = [f"first start: {problem}" for problem in problems_of(english)]
    if english.screenshot.is_file():
        problems += picture_problems(picture(english.screenshot))
    if database_file(home).is_file():
        if DEMO_STATION not in stations(home):
            problems.append(f"no demo station {DEMO_STATION!r} in {database_file(home)}")
        if schema_revision(home) != head_revision():
            problems.append(f"the database is at revision {schema_revision(home)}, "
                            f"not {head_revision()}: migrations missing from the bundle?")
    else:
        problems.append(f"no embedded database at {database_file(home)}")
    spanish = run_bundle(bundle, home, workdir / "main-window-es.png", language="es_ES.UTF-8")
    problems += [f"start in Spanish: {problem}" for problem in problems_of(spanish)]
    if "interface language es" not in spanish.log_text():
        problems.append(f"the Spanish catalog did not load (see {spanish.log_file})")
    problems += bundled_files_problems(bundle)
    if problems:
        raise SmokeFailure("the bundle failed its smoke test:\n  " + "\n  ".join(problems))
    return english, spanish


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bundle", type=Path, help="the one-folder bundle (dist/station-desktop)")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="work in DIR and keep it (screenshots, home, log)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="station-desktop-smoke-") as temporary:
        workdir = args.keep or Path(temporary)
        workdir.mkdir(parents=True, exist_ok=True)
        try:
            english, spanish = smoke(args.bundle, workdir)
        except SmokeFailure as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    print(f"smoke test passed: first start (migrations, demo station) {english.seconds:.1f} s, "
          f"start in Spanish {spanish.seconds:.1f} s; "
          f"bundle {bundle_size(args.bundle) / 1e6:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
