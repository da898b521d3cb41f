"""settings.ini: where it lives, what it keeps, and what a damaged value falls back to."""

from __future__ import annotations

from pathlib import Path

import pytest

from station_desktop.ui.settings import AppSettings, settings_path


def test_settings_live_in_the_config_directory_and_survive_a_restart(
    station_home: Path,
) -> None:
    settings = AppSettings()
    assert settings.path == settings_path() == station_home / "config" / "settings.ini"
    assert settings.language == "system"
    settings.language = "es"
    settings.set_last_station("profile:Producción", "clvA")
    settings.set_last_station("embedded", "clvB")
    settings.set_value("library/sort_column", 3)
    settings.set_value("library/show_covers", False)
    settings.sync()

    again = AppSettings()
    assert again.language == "es"
    assert again.last_station("profile:Producción") == "clvA"
    assert again.last_station("embedded") == "clvB"
    assert again.last_station("profile:Other") is None
    assert again.value("library/sort_column", 0) == 3
    assert again.value("library/show_covers", True) is False
    assert again.value("library/missing", "title") == "title"
    again.set_last_station("embedded", None)
    assert again.last_station("embedded") is None
    assert "Producción" not in settings.path.read_text(encoding="utf-8")  # keys are hashed


def test_damaged_values_fall_back_to_the_defaults(station_home: Path) -> None:
    path = settings_path()
    path.parent.mkdir(parents=True)
    path.write_text("[ui]\nlanguage=klingon\n[library]\nsort_column=abc\nshow_covers=maybe\n")
    settings = AppSettings()
    assert settings.language == "system"
    assert settings.value("library/sort_column", 2) == 2
    assert settings.value("library/show_covers", True) is True
    with pytest.raises(ValueError, match="unknown language"):
        settings.language = "klingon"
