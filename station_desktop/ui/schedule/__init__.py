"""The weekly schedule page (issue #7)."""

from station_desktop.ui.schedule.page import SchedulePage

__all__ = ["SchedulePage"]
