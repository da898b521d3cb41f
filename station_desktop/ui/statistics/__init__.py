"""The Statistics page: listener charts, play history, top songs and exports."""

from station_desktop.ui.statistics.page import StatisticsPage

__all__ = ["StatisticsPage"]
