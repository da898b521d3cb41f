"""The data files the desktop bundle must carry: what the app reads by path at run time.

``packaging/station-desktop.spec`` imports this (PyInstaller runs a spec as plain Python),
and ``tests/packaging/test_desktop_bundle.py`` checks it without building anything. The
list is not kept twice: it is the package data of ``pyproject.toml``
(``[tool.setuptools.package-data]``), the same files a wheel or ``pip install`` carries:
the compiled translations, the window icons and the Alembic scripts. The migrations are
loaded by path (``station_desktop.db.migrate.migrations_dir``), so their ``versions/*.py``
ship as source files, not only compiled into the bundle's archive.

Standard library only: the spec runs it inside PyInstaller's interpreter.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

PACKAGE = "station_desktop"


class BundleFilesError(Exception):
    """The package data cannot be collected; the message says what to fix."""


def package_data(pyproject: Path) -> dict[str, list[str]]:
    """``[tool.setuptools.package-data]`` of ``pyproject``: package name → glob patterns."""
    try:
        config = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise BundleFilesError(f"cannot read {pyproject}: {exc}") from exc
    table = config.get("tool", {}).get("setuptools", {}).get("package-data")
    if not isinstance(table, dict) or not table:
        raise BundleFilesError(f"{pyproject} has no [tool.setuptools.package-data] table")
    return {str(name): [str(pattern) for pattern in patterns] for name, patterns in table.items()}


def data_files(package_dir: Path, patterns: dict[str, list[str]]) -> list[tuple[str, str]]:
    """PyInstaller ``datas`` for ``patterns`` (see :func:`package_data`) in ``package_dir``
    (the ``station_desktop`` folder): ``(source file, destination folder in the bundle)``,
    sorted. The destination mirrors the package layout (``station_desktop/ui/i18n``), so
    code that finds its files beside its modules finds them in the bundle too.

    Raises :class:`BundleFilesError` for a package outside ``station_desktop`` or a pattern
    that matches no file (say, translations not compiled yet), rather than building a
    bundle that fails at its first start.
    """
    root = package_dir.resolve().parent
    found: set[tuple[str, str]] = set()
    for name, globs in patterns.items():
        parts = name.split(".")
        if parts[0] != PACKAGE:
            raise BundleFilesError(f"package data for {name!r}: only {PACKAGE}.* is bundled")
        base = root.joinpath(*parts)
        for pattern in globs:
            matches = sorted(path for path in base.glob(pattern) if path.is_file())
            if not matches:
                raise BundleFilesError(
                    f"no file matches {pattern!r} in {base}: build the package data first "
                    "(scripts/update-translations for .qm catalogs, packaging/make-icons "
                    "for the icons)")
            for path in matches:
                found.add((str(path), path.parent.relative_to(root).as_posix()))
    return sorted(found)


def shipped_languages(datas: list[tuple[str, str]]) -> set[str]:
    """The languages of the app's own catalogs in ``datas`` (``station_desktop_es.qm`` → es)."""
    return {Path(source).stem.removeprefix(f"{PACKAGE}_") for source, _ in datas
            if Path(source).suffix == ".qm" and Path(source).stem.startswith(f"{PACKAGE}_")}


def unused_qt_translation(dest_name: str, languages: set[str]) -> bool:
    """Whether ``dest_name`` (a path in the bundle) is one of Qt's own catalogs for a
    language the app does not ship: Qt brings ~100 of them (7 MB), the app needs its own
    languages' (``qtbase_es.qm`` for the standard buttons in Spanish)."""
    path = Path(dest_name)
    if path.suffix != ".qm" or "translations" not in path.parts[:-1]:
        return False
    language = path.stem.split("_", 1)[1] if "_" in path.stem else ""
    return language.split("_")[0] not in languages
