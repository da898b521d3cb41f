"""The Linux desktop integration files (packaging/linux/): valid for the real validators
(desktop-file-validate, appstreamcli), and consistent with the app and each other."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

from packaging_support import PACKAGING, ROOT, require_tool
from PIL import Image

import station_desktop

DESKTOP_FILE = PACKAGING / "linux" / "station-desktop.desktop"
METAINFO = PACKAGING / "linux" / "org.stationdesktop.StationDesktop.metainfo.xml"
SCREENSHOT_BASE = "https://example.org/station-desktop/"


def _tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        require_tool(name, f"apt-get install -y --no-install-recommends {package}")
    assert path is not None
    return path


def _desktop_entry(path: Path = DESKTOP_FILE) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_file_passes_desktop_file_validate() -> None:
    done = subprocess.run([_tool("desktop-file-validate", "desktop-file-utils"),
                           str(DESKTOP_FILE)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == ""  # not even a warning or a hint


def test_desktop_file_validate_would_catch_a_broken_entry(tmp_path: Path) -> None:
    broken = tmp_path / "broken.desktop"
    broken.write_text(DESKTOP_FILE.read_text(encoding="utf-8").replace(
        "Type=Application\n", ""), encoding="utf-8")
    done = subprocess.run([_tool("desktop-file-validate", "desktop-file-utils"), str(broken)],
                          capture_output=True, text=True, check=False)
    assert done.returncode != 0 and "Type" in done.stdout


def test_metainfo_passes_appstreamcli_validate() -> None:
    done = subprocess.run([_tool("appstreamcli", "appstream"), "validate", "--no-net",
                           "--no-color", str(METAINFO)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_appstreamcli_would_catch_a_broken_metainfo(tmp_path: Path) -> None:
    broken = tmp_path / METAINFO.name
    broken.write_text(METAINFO.read_text(encoding="utf-8").replace(
        "<summary>", "<summary>A summary that ends in a full stop.").replace(
        "<metadata_license>CC0-1.0", "<metadata_license>Proprietary"), encoding="utf-8")
    done = subprocess.run([_tool("appstreamcli", "appstream"), "validate", "--no-net",
                           "--no-color", str(broken)],
                          capture_output=True, text=True, check=False)
    assert done.returncode != 0 and "metadata-license" in done.stdout


def test_desktop_file_names_the_app_icon_and_command() -> None:
    entry = _desktop_entry()
    assert entry["Icon"] == "station-desktop"
    assert (ROOT / "packaging" / "icons" / f"{entry['Icon']}.svg").is_file()
    assert entry["Exec"].split()[0] == "station-desktop"  # the bundle's and pip's command
    assert entry["Categories"].split(";")[:3] == ["AudioVideo", "Audio", "Music"]
    assert entry["Name[es]"] and entry["Comment[es]"] and entry["Keywords[es]"]
    # The app names this file for Wayland/GNOME (QGuiApplication.setDesktopFileName).
    app_source = (ROOT / "station_desktop" / "ui" / "app.py").read_text(encoding="utf-8")
    assert f'setDesktopFileName("{DESKTOP_FILE.stem}")' in app_source


def test_metainfo_matches_the_app() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == METAINFO.name.removesuffix(".metainfo.xml")
    assert root.findtext("project_license") == "GPL-3.0-or-later"
    assert root.findtext("launchable") == DESKTOP_FILE.name
    assert root.findtext("provides/binary") == _desktop_entry()["Exec"].split()[0]
    releases = root.findall("releases/release")
    assert releases[0].get("version") == station_desktop.__version__


def test_metainfo_screenshots_are_the_repository_screenshots_at_their_sizes() -> None:
    images = ET.parse(METAINFO).getroot().findall("screenshots/screenshot/image")
    assert len(images) >= 3
    for image in images:
        url = image.text or ""
        assert url.startswith(SCREENSHOT_BASE), url
        path = ROOT / url.removeprefix(SCREENSHOT_BASE)
        assert path.is_file(), f"{url}: no {path}"
        with Image.open(path) as picture:
            assert (str(picture.width), str(picture.height)) == (
                image.get("width"), image.get("height")), url
