"""The dashboard's on-air panel: what Icecast and Liquidsoap say right now, with Start,
Stop and Skip.

The panel only shows; the page asks :class:`~station_desktop.services.stream_control.
StreamControlService` and hands the answer to :meth:`OnAirPanel.show_status`. A program
that does not answer is said in plain words in the panel, never in a dialog (the panel
refreshes every few seconds: a dialog per round would be a storm).
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from station_desktop.services.stream_control import ACTIVE, StreamStatus
from station_desktop.ui import formatting as fmt
from station_desktop.ui.widgets import FactsForm


class OnAirPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.facts = FactsForm([
            ("stream", self.tr("Stream")),
            ("listeners", self.tr("Listeners now")),
            ("playing", self.tr("Now playing")),
            ("source", self.tr("Source")),
            ("uptime", self.tr("Liquidsoap uptime")),
            ("desired", self.tr("Desired state")),
        ])
        layout.addWidget(self.facts)
        buttons = QHBoxLayout()
        self.start_button = QPushButton(self.tr("Start"))
        self.start_button.setToolTip(self.tr("Mark the station to be on air; stationd starts "
                                             "its Liquidsoap within a few seconds."))
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.setToolTip(self.tr("Mark the station to be off air; stationd stops "
                                            "its Liquidsoap (listeners hear the fallback)."))
        self.skip_button = QPushButton(self.tr("Skip track"))
        self.skip_button.setToolTip(self.tr("End the current track now (all bitrates)."))
        for button in (self.start_button, self.stop_button, self.skip_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.message = QLabel()
        self.message.setObjectName("onair-message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: palette(placeholder-text);")
        layout.addWidget(self.message)
        self.status: StreamStatus | None = None
        self.show_waiting()

    def show_waiting(self) -> None:
        self.status = None
        self.facts.set_values({"stream": self.tr("asking Icecast and Liquidsoap\u2026")})
        self.skip_button.setEnabled(False)

    def show_problem(self, text: str) -> None:
        """The status could not be asked at all (e.g. the station has no server)."""
        self.status = None
        self.facts.set_values({"stream": self.tr("unknown")})
        self.message.setText(text)
        self.skip_button.setEnabled(False)

    def show_status(self, status: StreamStatus) -> None:
        self.status = status
        dash = "\u2014"
        if status.online is None:
            stream = self.tr("unknown (Icecast does not answer)")
        elif status.online:
            stream = self.tr("online ({count} of {total} mounts)").format(
                count=len(status.mounts_online), total=len(status.listeners_by_mount))
        else:
            stream = self.tr("offline")
        listeners = dash if status.listeners is None else fmt.number(status.listeners)
        if status.listeners is not None and len(status.listeners_by_bitrate) > 1:
            listeners += "  (" + ", ".join(
                f"{fmt.kbps(kbps)}: {fmt.number(count)}"
                for kbps, count in sorted(status.listeners_by_bitrate.items())) + ")"
        playing = status.now_playing.song or dash
        if status.live_connected is None:
            source = self.tr("unknown (Liquidsoap does not answer)")
        elif status.live_connected:
            source = self.tr("Live DJ")
        else:
            source = self.tr("AutoDJ")
        if status.liquidsoap_uptime is not None:
            uptime = fmt.duration(status.liquidsoap_uptime.total_seconds())
        elif status.liquidsoap_answered:
            uptime = dash
        else:
            uptime = self.tr("not running or unreachable")
        desired = (self.tr("on air (active)") if status.desired == ACTIVE
                   else self.tr("off air ({status})").format(status=status.desired))
        self.facts.set_values({"stream": stream, "listeners": listeners, "playing": playing,
                               "source": source, "uptime": uptime, "desired": desired})
        lines = []
        if "liquidsoap" in status.errors:
            lines.append(self.tr("Liquidsoap: {problem}").format(
                problem=status.errors["liquidsoap"]))
        if "icecast" in status.errors:
            lines.append(self.tr("Icecast: {problem}").format(problem=status.errors["icecast"]))
        lines.append(self.tr("Checked at {time}.").format(
            time=fmt.time_of_day(status.checked_at)))
        self.message.setText("\n".join(lines))
        self.skip_button.setEnabled(status.liquidsoap_answered)

    def value(self, key: str) -> str:
        """The text shown for ``key`` (tests read the panel through this)."""
        return self.facts.values[key].text()
