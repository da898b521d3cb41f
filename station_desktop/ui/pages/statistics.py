"""Statistics (the page lives in :mod:`station_desktop.ui.statistics`)."""

from station_desktop.ui.statistics.page import StatisticsPage

__all__ = ["StatisticsPage"]
