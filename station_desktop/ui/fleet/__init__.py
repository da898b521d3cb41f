"""Stream settings and the fleet (servers, stations, alerts): the bigger widgets behind
the pages in :mod:`station_desktop.ui.pages.stream_settings` and
:mod:`station_desktop.ui.pages.fleet`."""
