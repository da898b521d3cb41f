"""The desktop bundle (packaging/station-desktop.spec).

Fast, always: the data files the spec collects (packaging/bundle_files.py) cover every
file the installed package reads at run time, the migrations as sources, the icons.

Integration: builds the bundle with the real PyInstaller (~45 s on 2 cores) and starts it
offscreen with a private home, as packaging/build-desktop does: it must migrate a new
embedded database, seed the demo station, save a screenshot of the main window, and load
the Spanish catalog from the bundle.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from packaging_support import PACKAGING, ROOT, load_packaging_module, require_tool
from PIL import Image

import station_desktop
from station_desktop.db.migrate import head_revision
from station_desktop.services.demo import DEMO_STATION

PACKAGE_DIR = Path(station_desktop.__file__).resolve().parent
ICON_SIZES = (16, 32, 48, 64, 128, 256, 512)


def _is_runtime_file(path: Path) -> bool:
    """What the package reads by path: everything but Python modules and their caches,
    and all of the Alembic scripts (loaded by path, .py included)."""
    if "__pycache__" in path.parts or path.suffix == ".pyc":
        return False
    in_migrations = path.relative_to(PACKAGE_DIR).parts[0] == "migrations"
    return in_migrations or path.suffix != ".py"


@pytest.fixture(scope="module")
def datas(bundle_files: ModuleType) -> list[tuple[str, str]]:
    patterns = bundle_files.package_data(ROOT / "pyproject.toml")
    result: list[tuple[str, str]] = bundle_files.data_files(PACKAGE_DIR, patterns)
    return result


# -- the spec's data files ----------------------------------------------------------------


def test_every_runtime_file_of_the_package_is_bundled_where_the_code_looks(
    datas: list[tuple[str, str]],
) -> None:
    expected = {
        (str(path), path.parent.relative_to(PACKAGE_DIR.parent).as_posix())
        for path in PACKAGE_DIR.rglob("*") if path.is_file() and _is_runtime_file(path)
    }
    missing = expected - set(datas)
    assert not missing, (f"not in the bundle (add them to [tool.setuptools.package-data] in "
                         f"pyproject.toml): {sorted(missing)}")
    assert all(Path(source).is_file() for source, _ in datas)


def test_each_migration_is_bundled_as_python_source(datas: list[tuple[str, str]]) -> None:
    versions = sorted((PACKAGE_DIR / "migrations" / "versions").glob("*.py"))
    assert len(versions) >= 10
    bundled = {Path(source).name for source, dest in datas
               if dest == "station_desktop/migrations/versions"}
    assert bundled == {path.name for path in versions}
    assert all(name.endswith(".py") for name in bundled)
    env_files = {Path(source).name for source, dest in datas
                 if dest == "station_desktop/migrations"}
    assert {"env.py", "script.py.mako"} <= env_files


def test_translations_and_window_icons_are_bundled(
    datas: list[tuple[str, str]], bundle_files: ModuleType,
) -> None:
    by_dest: dict[str, set[str]] = {}
    for source, dest in datas:
        by_dest.setdefault(dest, set()).add(Path(source).name)
    assert {"station_desktop_en.qm", "station_desktop_es.qm"} <= by_dest["station_desktop/ui/i18n"]
    assert by_dest["station_desktop/ui/icons"] == {
        f"station-desktop-{size}.png" for size in ICON_SIZES}
    assert bundle_files.shipped_languages(datas) == {"en", "es"}


def test_icons_are_rendered_at_their_sizes() -> None:
    """The committed outputs of packaging/make-icons: each PNG at its size, not blank;
    the .ico and .icns with the sizes Windows and macOS ask for."""
    for size in ICON_SIZES:
        with Image.open(PACKAGE_DIR / "ui" / "icons" / f"station-desktop-{size}.png") as png:
            assert png.size == (size, size)
            assert png.mode == "RGBA"
            colours = png.getcolors(maxcolors=size * size) or []
            assert len(colours) >= 3  # the tile, the drawing, the transparent corners
    with Image.open(PACKAGING / "icons" / "station-desktop.ico") as ico:
        assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= ico.info["sizes"]
    with Image.open(PACKAGING / "icons" / "station-desktop.icns") as icns:
        assert (512, 512, 2) in icns.info["sizes"] and (16, 16, 2) in icns.info["sizes"]


def test_only_the_app_languages_of_qt_catalogs_are_kept(bundle_files: ModuleType) -> None:
    unused = bundle_files.unused_qt_translation
    languages = {"en", "es"}
    assert not unused("PySide6/Qt/translations/qtbase_es.qm", languages)
    assert not unused("PySide6/Qt/translations/qt_en.qm", languages)
    assert unused("PySide6/Qt/translations/qtbase_de.qm", languages)
    assert unused("PySide6/Qt/translations/qt_help_pt_BR.qm", languages)
    assert not unused("station_desktop/ui/i18n/station_desktop_es.qm", languages)
    assert not unused("PySide6/Qt/plugins/imageformats/libqsvg.so", languages)


def test_a_pattern_matching_nothing_is_a_clear_error(
    bundle_files: ModuleType, tmp_path: Path,
) -> None:
    package = tmp_path / "station_desktop"
    (package / "ui" / "i18n").mkdir(parents=True)
    with pytest.raises(bundle_files.BundleFilesError, match=r"scripts/update-translations"):
        bundle_files.data_files(package, {"station_desktop.ui": ["i18n/*.qm"]})
    with pytest.raises(bundle_files.BundleFilesError, match=r"only station_desktop"):
        bundle_files.data_files(package, {"other": ["*.txt"]})
    broken = tmp_path / "pyproject.toml"
    broken.write_text("[tool.setuptools]\n", encoding="utf-8")
    with pytest.raises(bundle_files.BundleFilesError, match=r"package-data"):
        bundle_files.package_data(broken)


def test_the_spec_and_launcher_compile() -> None:
    for path in (PACKAGING / "station-desktop.spec", PACKAGING / "launcher.py"):
        compile(path.read_text(encoding="utf-8"), str(path), "exec")


def test_programs_the_bundle_runs_get_the_users_library_path() -> None:
    """ffmpeg, ffprobe and xdg-open, run from the bundle, must load their own libraries."""
    launcher = load_packaging_module("launcher")
    environ = {"LD_LIBRARY_PATH": "/opt/bundle/_internal", "LD_LIBRARY_PATH_ORIG": "/opt/mine"}
    launcher.restore_library_path(environ, frozen=True)
    assert environ == {"LD_LIBRARY_PATH": "/opt/mine"}
    environ = {"LD_LIBRARY_PATH": "/opt/bundle/_internal", "PATH": "/usr/bin"}
    launcher.restore_library_path(environ, frozen=True)
    assert environ == {"PATH": "/usr/bin"}
    environ = {"LD_LIBRARY_PATH": "/opt/mine"}  # not frozen: a source or pip install
    launcher.restore_library_path(environ, frozen=False)
    assert environ == {"LD_LIBRARY_PATH": "/opt/mine"}


# -- the built bundle, started ------------------------------------------------------------


@dataclass(frozen=True)
class Started:
    bundle: Path
    english: Any  # smoke_bundle.Run
    spanish: Any


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if importlib.util.find_spec("PyInstaller") is None:
        require_tool("PyInstaller", "pip install -e '.[dev]' (or the package extra)")
    work = tmp_path_factory.mktemp("pyinstaller")
    done = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
         "--distpath", str(work / "dist"), "--workpath", str(work / "build"),
         str(PACKAGING / "station-desktop.spec")],
        cwd=ROOT, capture_output=True, text=True, timeout=900, check=False,
    )
    assert done.returncode == 0, f"PyInstaller failed:\n{done.stderr[-4000:]}"
    return work / "dist" / "station-desktop"


@pytest.fixture(scope="module")
def started(bundle: Path, smoke_bundle: ModuleType,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[Started]:
    work = tmp_path_factory.mktemp("smoke")
    home = work / "home"
    english = smoke_bundle.run_bundle(bundle, home, work / "main-window.png")
    spanish = smoke_bundle.run_bundle(bundle, home, work / "main-window-es.png",
                                      language="es_ES.UTF-8")
    yield Started(bundle, english, spanish)


@pytest.mark.integration
def test_bundle_opens_the_embedded_demo_database(
    started: Started, smoke_bundle: ModuleType,
) -> None:
    run = started.english
    assert smoke_bundle.problems_of(run) == []
    database = run.home / "data" / "station-desktop.db"
    assert database.is_file()
    assert smoke_bundle.stations(run.home) == [DEMO_STATION]
    assert smoke_bundle.schema_revision(run.home) == head_revision()
    log = run.log_text()
    assert "demo station" in log and "screenshot saved" in log


@pytest.mark.integration
def test_bundle_screenshot_is_the_main_window(started: Started, smoke_bundle: ModuleType) -> None:
    shot = smoke_bundle.picture(started.english.screenshot)
    assert smoke_bundle.picture_problems(shot) == []
    assert shot.width >= 800 and shot.height >= 500
    assert shot.colours >= 100 and shot.commonest_share < 0.9


@pytest.mark.integration
def test_bundle_loads_the_spanish_catalog_it_carries(
    started: Started, smoke_bundle: ModuleType,
) -> None:
    run = started.spanish
    assert smoke_bundle.problems_of(run) == []
    log = run.log_text()
    catalog = next(line for line in log.splitlines() if "interface language es" in line)
    assert str(started.bundle) in catalog and "station_desktop_es.qm" in catalog
    with Image.open(started.english.screenshot) as english, \
            Image.open(run.screenshot) as spanish:
        assert english.tobytes() != spanish.tobytes()  # the labels are in Spanish


@pytest.mark.integration
def test_bundle_carries_what_a_start_does_not_prove(
    started: Started, smoke_bundle: ModuleType,
) -> None:
    assert smoke_bundle.bundled_files_problems(started.bundle) == []


@pytest.mark.gui
def test_window_icon_has_every_rendered_size(qapp: Any) -> None:
    from station_desktop.ui.app import application_icon  # Qt: gui tests only

    sizes = {(size.width(), size.height()) for size in application_icon().availableSizes()}
    assert sizes == {(size, size) for size in ICON_SIZES}
