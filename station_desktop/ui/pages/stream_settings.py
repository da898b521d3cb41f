"""Stream settings: every StreamConfig field of the station in one form.

Apply saves through :meth:`StationService.update_config` with the version the form was
loaded at (someone else's newer save is refused, not overwritten); a ``ValidationError``
marks the input it names. stationd takes the change to the air (daemon/supervisor.py): its
next pass renders the station's script again and restarts Liquidsoap only when the script
text changed, while Icecast's fallback file keeps the listeners connected; settings the
AutoDJ's picker reads from the exported programme need no restart. Switching station with
unsaved edits asks whether to apply them to the station they were made on.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QScrollArea, QWidget

from station_desktop.errors import Conflict, StationError, ValidationError
from station_desktop.services.stations import StreamConfigRecord, StreamSettings
from station_desktop.services.workspace import Workspace
from station_desktop.ui.asyncslot import async_slot
from station_desktop.ui.fleet.stream_form import StreamForm
from station_desktop.ui.page import StationPage
from station_desktop.ui.widgets import FactsForm
from station_desktop.ui.worker import DbWorker

SUPERVISE_SECONDS = 5  # stationd's default ``intervals.supervise``
SCRIPT_FIELDS = frozenset({"mountpoint", "bitrates", "autodj_enabled", "crossfade_duration",
                           "normalize_audio", "normalization_level", "live_input_enabled"})
PROGRAMME_FIELDS = frozenset({"playback_mode", "jingles_enabled", "jingles_frequency"})


@dataclass(frozen=True)
class Draft:
    """Unsaved edits of one station, kept while the user decides what to do with them."""

    workspace: Workspace
    station_id: str
    station_name: str
    settings: StreamSettings
    version: str


def changed_fields(before: StreamSettings, after: StreamSettings) -> set[str]:
    return {name for name in StreamSettings.__dataclass_fields__
            if getattr(before, name) != getattr(after, name)}


class StreamSettingsPage(StationPage):
    def __init__(self, worker: DbWorker, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Stream settings"),
            self.tr("How the station sounds and who can listen. Apply saves; stationd takes "
                    "the change to the air within seconds."),
            worker, parent)
        self.config: StreamConfigRecord | None = None
        self.station_name = ""
        self.server_name = ""
        self.guard: QMessageBox | None = None
        self.facts = FactsForm([  # what is saved and not edited here
            ("server", self.tr("Server")),
            ("mount", self.tr("Saved mountpoint")),
            ("harbor", self.tr("Live input port")),
            ("telnet", self.tr("Control port")),
        ])
        self.content.addWidget(self.facts)
        self.form = StreamForm()
        self.form.edited.connect(self._update_buttons)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        self.content.addWidget(scroll, 1)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.content.addWidget(self.message)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.revert_button = QPushButton(self.tr("Revert"))
        self.revert_button.setToolTip(self.tr("Show the saved values again"))
        self.revert_button.clicked.connect(self.revert)
        self.apply_button = QPushButton(self.tr("Apply"))
        self.apply_button.setDefault(True)
        self.apply_button.clicked.connect(self._apply_clicked)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.apply_button)
        self.content.addLayout(buttons)
        self._update_buttons()

    # -- state -------------------------------------------------------------------------

    @property
    def dirty(self) -> bool:
        return self.config is not None and self.form.settings() != self.config.settings

    def _update_buttons(self) -> None:
        self.apply_button.setEnabled(self.dirty)
        self.revert_button.setEnabled(self.dirty)

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #c0392b;" if error else "")

    # -- loading -----------------------------------------------------------------------

    async def set_context(self, workspace: Workspace | None, station_id: str | None) -> None:
        if (self.dirty and self.config is not None and self.workspace is not None
                and (workspace is not self.workspace or station_id != self.station_id)):
            self._ask_about(Draft(self.workspace, self.config.client_id, self.station_name,
                                  self.form.settings(), self.config.version))
        await super().set_context(workspace, station_id)

    async def load_station(self, workspace: Workspace, station_id: str | None) -> None:
        assert station_id is not None
        self.config = None
        self._say("")
        station = await self.run(workspace.stations.get_station, station_id)
        if station is None or not self.is_current(workspace, station_id):
            return
        if station.server_id is None:
            self.show_empty(self.tr("{station} is not assigned to a streaming server yet, so it "
                                    "has no stream settings. An admin assigns it on the "
                                    "Stations page.").format(station=station.name))
            return
        config = await self.run(workspace.stations.get_config, station_id)
        if config is None or not self.is_current(workspace, station_id):
            return
        self.station_name = station.name
        self.server_name = station.server_name or ""
        self.show_config(config)

    def show_config(self, config: StreamConfigRecord) -> None:
        self.config = config
        self.facts.set_values({
            "server": self.server_name,
            "mount": config.mountpoint,
            "harbor": str(config.harbor_port) if config.harbor_port is not None else "—",
            "telnet": str(config.telnet_port) if config.telnet_port is not None else "—",
        })
        self.form.set_settings(config.settings)
        self._update_buttons()
        self.show_content()

    def revert(self) -> None:
        if self.config is not None:
            self.form.set_settings(self.config.settings)
            self._say(self.tr("The saved values are shown again."))
        self._update_buttons()

    # -- saving ------------------------------------------------------------------------

    @async_slot()
    async def _apply_clicked(self) -> None:
        await self.apply()

    async def apply(self) -> bool:
        """Save the form; True when it was saved."""
        workspace, config = self.workspace, self.config
        if workspace is None or config is None:
            return False
        settings = self.form.settings()
        self.apply_button.setEnabled(False)
        saved = await self._save(workspace, config.client_id, settings, config.version)
        if saved is None or not self.is_current(workspace, config.client_id):
            self._update_buttons()
            return False
        self.show_config(saved)
        self._say(self.result_message(config.settings, saved.settings))
        return True

    async def _save(self, workspace: Workspace, station_id: str, settings: StreamSettings,
                    version: str) -> StreamConfigRecord | None:
        try:
            return await self.worker.call(workspace.stations.update_config, station_id,
                                          settings, version)
        except ValidationError as error:
            self.form.highlight(error.field)
            self._say(str(error), error=True)
        except Conflict:
            self._say(self.tr("Someone else changed these settings since you opened them, so "
                              "nothing was saved. Note your changes, press Revert to load the "
                              "current values, and apply them again."), error=True)
        except StationError as error:
            self._say(str(error), error=True)
        return None

    def result_message(self, before: StreamSettings, after: StreamSettings) -> str:
        changed = changed_fields(before, after)
        if not changed:
            return self.tr("Saved. Nothing changed.")
        parts: list[str] = []
        if "status" in changed and after.status == "inactive":
            parts.append(self.tr("its next pass stops the station's Liquidsoap (the stream goes "
                                 "off the air)."))
        elif "status" in changed and before.status == "inactive":
            parts.append(self.tr("its next pass starts the station's Liquidsoap."))
        elif changed & SCRIPT_FIELDS:
            parts.append(self.tr("it renders the station's Liquidsoap script again and restarts "
                                 "Liquidsoap only because the script changed; listeners stay "
                                 "connected through Icecast's fallback file meanwhile."))
        if changed & PROGRAMME_FIELDS:
            parts.append(self.tr("Playback order and jingles are playlist-level settings: the "
                                 "AutoDJ uses them from the next track, with no restart."))
        if "max_listeners" in changed:
            parts.append(self.tr("The listener limit lives in the server's icecast.xml: it "
                                 "takes effect when an admin renders it again (stationd "
                                 "render) and reloads Icecast."))
        return self.tr("Saved. stationd applies it within {seconds} s: {details}").format(
            seconds=SUPERVISE_SECONDS, details=" ".join(parts))

    # -- the unsaved-changes guard -----------------------------------------------------

    def _ask_about(self, draft: Draft) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Question, self.tr("Unsaved stream settings"),
            self.tr("You changed the stream settings of {station} without applying them. "
                    "Apply them now?").format(station=draft.station_name),
            QMessageBox.StandardButton.Apply | QMessageBox.StandardButton.Discard, self)
        box.setDefaultButton(QMessageBox.StandardButton.Apply)

        @async_slot(int)
        async def finished(result: int) -> None:
            if box.clickedButton() is box.button(QMessageBox.StandardButton.Apply):
                await self.apply_draft(draft)
            self.guard = None

        box.finished.connect(finished)
        self.guard = box
        box.open()  # never exec() inside a coroutine

    async def apply_draft(self, draft: Draft) -> None:
        try:
            saved = await self.worker.call(draft.workspace.stations.update_config,
                                           draft.station_id, draft.settings, draft.version)
        except StationError as error:
            self.show_error(self.tr("The stream settings of {station} were not saved").format(
                station=draft.station_name), str(error))
            return
        self._say(self.tr("Saved the stream settings of {station}.").format(
            station=draft.station_name))
        if self.is_current(draft.workspace, draft.station_id):
            self.show_config(saved)
