"""A station's Liquidsoap script: a pure function of :class:`StationScriptSpec`.

The script never contains playlists or the schedule ("programme export + local picker",
see liquidsoap/README.md): Liquidsoap asks ``liquidsoap/picker.py`` for every AutoDJ
track, so playlist and schedule edits reach the air at the next track with no restart.
Only stream settings (bitrates, crossfade, normalisation, live input, ports) are in the
script; changing them means rendering again and restarting Liquidsoap (Icecast's
fallback file keeps the listeners meanwhile, see ``render/icecast.py``).

Source graph (top = highest priority)::

    live (harbor, only if live input is enabled)      -- fallback, track_sensitive=false,
    music = crossfade(amplify(fallback(               --   1 s fade on each handover
              requests  (request.queue, telnet push; plays after the current track)
              autodj    (request.dynamic -> picker.py next; only if AutoDJ is enabled)
              fallback  (playlist main.m3u, reload on change; only if AutoDJ is enabled))))
    -> normalize (optional) -> volume -> events hook -> jingle title mask
    -> fallback(safety file, blank) -> one output.icecast per bitrate

Decisions (and why):

- **Picker call**: ``process.run(env=[...], process.quote.command(python, args=[...]))``.
  The harbor password goes to ``picker.py auth`` in the *environment* (``SD_PASSWORD``),
  never in argv (``ps`` shows argv to every user). With ``auth_socket`` set, the picker
  first asks stationd on that unix socket (``--socket PATH --station ID``), which answers
  from the database, so a regenerated password works (and the old one stops working) at
  once; only when stationd does not answer does the picker check the exported hashes.
  Liquidsoap 2.1.3 passes only the given variables when ``env`` is not empty, so the
  picker runs in a clean environment. The
  ``timeout`` of ``process.run`` is not enforced by 2.1.3 (checked: a 3 s child returns
  after 3 s with ``timeout=1.``), so the picker bounds itself with a 2 s alarm. The
  expected start of the next track (now + the remaining time of the current AutoDJ
  track) is passed as ``--at``, so a schedule block starts with the first track that
  begins inside it, not one track late.
- **Events** (now playing, history, live sessions): Liquidsoap appends JSON lines itself
  (``file.write(append=true)``; one short write per event, no process spawned in the
  streaming thread). Track events come from ``source.on_metadata`` on the final source,
  i.e. what is really on air after crossfade and live switching, with ``kind`` from
  ``sd_kind`` (``music``/``jingle``/``safety``, ``live`` for harbor metadata), and
  ``source`` (autodj/fallback/requests). Live connect/disconnect events carry the harbor
  user, the DJ name the picker returned and the encoder's ``Ice-Name``; disconnect is
  emitted once even though the harbor calls the handler several times on a kick.
- **Jingles** keep their ``sd_kind="jingle"`` in the events (the daemon leaves them out of
  history and now playing) and, for Icecast's title, carry the title/artist of the music
  that was on air before them (listeners' players keep showing the song).
- **Normalisation**: Liquidsoap 2.1's ``normalize(lufs=true, target=<level>)``, a dynamic
  gain towards the configured loudness (LUFS) with gain limited to -12..+12 dB, a 3 s
  window (EBU short-term) and no boost below -40 LUFS (silence stays silence). It also
  covers live DJs. Track-based gain is possible on top: a track's ``gain_db`` in the
  programme becomes ``liq_amplify`` and the music chain's ``amplify`` applies it.
- **Outputs**: one ``output.icecast`` per bitrate, ``id="out<kbps>"``, mount
  ``<mountpoint>-<kbps>`` (``render.icecast.bitrate_mount``); metadata in UTF-8. Each
  output registers ``out<kbps>.start/stop/status`` telnet commands (the protocol
  ``control/liquidsoap.py`` expects) and is ``fallible=true`` so ``stop`` works.
- Telnet listens on 127.0.0.1 (no authentication: reach it through an SSH tunnel).

Every version-dependent piece of text comes from :class:`LiquidsoapDialect`; every value
embedded in the script goes through ``escaping.liq_string`` (or the number helpers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from station_desktop.control.render.escaping import (
    RenderError,
    UnsafePath,
    annotate_uri,
    check_path,
    liq_bool,
    liq_float,
    liq_int,
    liq_string,
)
from station_desktop.control.render.icecast import station_mounts

LIVE_HARBOR_MOUNT = "live"
LIVE_HANDOVER_S = 1.0
NORMALIZE_GAIN_LIMIT_DB = 12.0
NORMALIZE_WINDOW_S = 3.0
NORMALIZE_THRESHOLD_DB = -40.0
AUTODJ_RETRY_S = 5.0
PICKER_TIMEOUT_S = 5.0
MP3_SAMPLERATE = 44100

_VERSION_RE = re.compile(r"\s*v?(\d+)\.(\d+)(?:\.(\d+))?")


class StreamSettingsLike(Protocol):
    """The stream settings the script needs (``services.stations.StreamSettings`` fits;
    control/ may not import services/, hence a protocol)."""

    @property
    def mountpoint(self) -> str: ...
    @property
    def bitrates(self) -> tuple[int, ...]: ...
    @property
    def autodj_enabled(self) -> bool: ...
    @property
    def crossfade_duration(self) -> float: ...
    @property
    def normalize_audio(self) -> bool: ...
    @property
    def normalization_level(self) -> float: ...
    @property
    def live_input_enabled(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class LiquidsoapDialect:
    """Version-dependent Liquidsoap syntax. 2.1: ``settings.x.set(v)``, ``!r``,
    ``icy_metadata="true"``. 2.2+: ``settings.x := v``, ``r()``, ``send_icy_metadata=true``."""

    major: int
    minor: int
    patch: int = 0

    @classmethod
    def for_version(cls, version: str) -> LiquidsoapDialect:
        """From ``"2.1.3"``, ``"Liquidsoap 2.2.5"`` or ``"v2.3"``; only 2.1 and later."""
        text = version.strip()
        if text.lower().startswith("liquidsoap"):
            text = text[len("liquidsoap"):]
        match = _VERSION_RE.match(text)
        if match is None:
            raise RenderError(f"not a Liquidsoap version: {version!r}")
        major, minor, patch = int(match[1]), int(match[2]), int(match[3] or 0)
        if (major, minor) < (2, 1):
            raise RenderError(f"Liquidsoap {major}.{minor} is not supported (2.1 or later)")
        return cls(major, minor, patch)

    @property
    def modern(self) -> bool:
        """2.2 or later."""
        return (self.major, self.minor) >= (2, 2)

    @property
    def label(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"

    def setting(self, name: str, value: str) -> str:
        """Assign an already rendered ``value`` to ``settings.<name>``."""
        if self.modern:
            return f"settings.{name} := {value}"
        return f"settings.{name}.set({value})"

    def deref(self, ref: str) -> str:
        return f"{ref}()" if self.modern else f"!{ref}"

    def null(self) -> str:
        return "null()"

    def icy_metadata_argument(self) -> str:
        return "send_icy_metadata=true" if self.modern else 'icy_metadata="true"'

    def on_metadata(self, source: str, handler: str) -> str:
        return f"source.on_metadata({source}, {handler})"


LIQUIDSOAP_2_1 = LiquidsoapDialect(2, 1, 3)


@dataclass(frozen=True, slots=True)
class StationScriptSpec:
    """Everything one station's script needs. Paths are absolute paths on the VPS."""

    station_id: str
    station_name: str
    settings: StreamSettingsLike
    icecast_host: str
    icecast_port: int
    icecast_source_password: str
    telnet_port: int
    harbor_port: int | None
    programme_dir: str
    picker_path: str
    python_executable: str
    log_path: str
    events_path: str
    safety_file: str | None = None
    icecast_source_user: str = "source"
    description: str = ""
    genre: str = ""
    url: str = ""
    harbor_bind_address: str = "0.0.0.0"
    telnet_bind_address: str = "127.0.0.1"
    harbor_buffer: float = 2.0
    harbor_max: float = 10.0
    allow_root: bool = False
    log_level: int = 3
    auth_socket: str | None = None  # stationd's live-login socket; None: exported hashes only


def _check_absolute(path: str, what: str) -> str:
    if not path.startswith("/") or "\x00" in path:
        raise RenderError(f"{what} must be an absolute path: {path!r}")
    return path


def _check_port(port: int, what: str) -> int:
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        raise RenderError(f"{what} {port!r} is not a TCP port")
    return port


def _validate_paths(spec: StationScriptSpec) -> None:
    for path, what in ((spec.programme_dir, "programme_dir"), (spec.picker_path, "picker_path"),
                       (spec.python_executable, "python_executable"),
                       (spec.log_path, "log_path"), (spec.events_path, "events_path")):
        _check_absolute(path, what)
    for optional, what in ((spec.safety_file, "safety_file"), (spec.auth_socket, "auth_socket")):
        if optional is not None:
            try:
                check_path(optional)
            except UnsafePath as exc:
                raise RenderError(f"{what}: {exc}") from None


def _validate(spec: StationScriptSpec) -> None:
    _validate_paths(spec)
    _check_port(spec.icecast_port, "Icecast port")
    _check_port(spec.telnet_port, "telnet port")
    if spec.settings.live_input_enabled:
        if spec.harbor_port is None:
            raise RenderError("the live input is enabled but the station has no harbor port")
        _check_port(spec.harbor_port, "harbor port")
        if spec.harbor_port == spec.telnet_port:
            raise RenderError("harbor and telnet ports must differ")
    if not 0 <= spec.settings.crossfade_duration <= 30:
        raise RenderError(f"crossfade of {spec.settings.crossfade_duration} s is not 0..30")
    if not -70 <= spec.settings.normalization_level <= 0:
        raise RenderError(f"normalisation level {spec.settings.normalization_level} LUFS "
                          "is not -70..0")
    if not 0 < spec.harbor_buffer <= spec.harbor_max:
        raise RenderError("harbor buffer must be > 0 and <= harbor max")
    if not 1 <= spec.log_level <= 5:
        raise RenderError(f"log level {spec.log_level} is not 1..5")
    if not spec.icecast_source_password:
        raise RenderError("the Icecast source password must not be empty")


class _Script:
    def __init__(self, dialect: LiquidsoapDialect) -> None:
        self.dialect = dialect
        self.lines: list[str] = []

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def setting(self, name: str, value: str) -> None:
        self.lines.append(self.dialect.setting(name, value))

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def _header(out: _Script, spec: StationScriptSpec) -> None:
    d = out.dialect
    out.add(
        "# Station Desktop: generated Liquidsoap script. Do not edit: stationd renders it",
        f"# again from the database. Dialect: Liquidsoap {d.major}.{d.minor}.",
        "",
    )
    if spec.allow_root:
        out.setting("init.allow_root", "true")
    out.setting("log.stdout", "false")
    out.setting("log.file", "true")
    out.setting("log.file.path", liq_string(spec.log_path))
    out.setting("log.level", liq_int(spec.log_level))
    out.setting("server.telnet", "true")
    out.setting("server.telnet.bind_addr", liq_string(spec.telnet_bind_address))
    out.setting("server.telnet.port", liq_int(spec.telnet_port))
    if spec.settings.live_input_enabled:
        out.setting("harbor.bind_addrs", f"[{liq_string(spec.harbor_bind_address)}]")
    out.add("", f"sd_station_id = {liq_string(spec.station_id)}")
    if _uses_picker(spec):
        out.add(
            f"sd_programme_dir = {liq_string(spec.programme_dir)}",
            f"sd_python = {liq_string(spec.python_executable)}",
            f"sd_picker = {liq_string(spec.picker_path)}",
        )
    if spec.settings.live_input_enabled and spec.auth_socket is not None:
        out.add(f"sd_auth_socket = {liq_string(spec.auth_socket)}")
    out.add(f"sd_events_path = {liq_string(spec.events_path)}", "")


def _uses_picker(spec: StationScriptSpec) -> bool:
    return spec.settings.autodj_enabled or spec.settings.live_input_enabled


def _events(out: _Script, spec: StationScriptSpec) -> None:
    out.add(
        "# Events for stationd: one JSON object per line, appended (never rewritten).",
        "def sd_emit(name, fields) =",
        "  event = json()",
        '  event.add("event", name)',
        '  event.add("station_id", sd_station_id)',
        '  event.add("ts", time())',
        "  list.iter(fun (f) -> event.add(fst(f), snd(f)), fields)",
        '  line = event.stringify(compact=true) ^ "\\n"',
        "  try",
        "    file.write(append=true, data=line, sd_events_path)",
        "  catch err do",
        '    log.severe(label="events", "cannot append to the events file: " ^ err.message)',
        "  end",
        "end",
        "",
        'sd_emit("started", [])',
        "",
    )
    if not _uses_picker(spec):
        return
    out.add(
        "# The picker: python -I -S picker.py <command> <programme dir> ...",
        "def sd_picker_command(args) =",
        '  process.quote.command(sd_python, args=list.append(["-I", "-S", sd_picker], args))',
        "end",
        "",
        "def sd_log_picker(label, r) =",
        '  if r.stderr != "" then',
        "    log.important(label=label, string.trim(r.stderr))",
        "  end",
        "end",
        "",
    )


def _autodj(out: _Script, spec: StationScriptSpec) -> None:
    d = out.dialect
    m3u = spec.programme_dir.rstrip("/") + "/main.m3u"
    out.add(
        "# AutoDJ: the picker chooses every track from programme.json (schedule, rotation,",
        "# jingles), so playlist and schedule edits need no restart.",
        "sd_autodj_remaining = ref(fun () -> 0.)",
        "def sd_next() =",
        f"  remaining_fn = {d.deref('sd_autodj_remaining')}",
        "  remaining = remaining_fn()",
        "  ahead = if remaining > 0. and remaining < 86400. then remaining else 0. end",
        "  r = process.run(",
        f"    timeout={liq_float(PICKER_TIMEOUT_S)},",
        '    env=[("LC_ALL", "C.UTF-8")],',
        '    sd_picker_command(["next", sd_programme_dir, "--at", string_of(time() + ahead)])',
        "  )",
        '  sd_log_picker("picker", r)',
        "  uri = string.trim(r.stdout)",
        '  if uri == "" then',
        f"    {d.null()}",
        "  else",
        "    request.create(uri)",
        "  end",
        "end",
        f'autodj = request.dynamic(id="autodj", retry_delay={liq_float(AUTODJ_RETRY_S)}, '
        "sd_next)",
        "sd_autodj_remaining := fun () -> source.remaining(autodj)",
        "",
        "# Local fallback: the exported main playlist, reloaded whenever stationd replaces it.",
        f'fallback_playlist = playlist(id="fallback", mode="randomize", reload_mode="watch", '
        f"{liq_string(m3u)})",
        "",
    )


def _music(out: _Script, spec: StationScriptSpec) -> None:
    s = spec.settings
    children = '[requests, autodj, fallback_playlist]' if s.autodj_enabled else "[requests]"
    out.add(
        '# Pushed requests (telnet "requests.push <uri>") play after the current track.',
        'requests = request.queue(id="requests")',
        f'music = fallback(id="music", track_sensitive=true, {children})',
        "# Per-track gain from the programme (liq_amplify metadata), 1.0 otherwise.",
        'music = amplify(id="track_gain", 1., music)',
    )
    if s.crossfade_duration > 0:
        xf = liq_float(s.crossfade_duration)
        out.add(f'music = crossfade(id="crossfade", duration={xf}, fade_in={xf}, '
                f"fade_out={xf}, music)")
    out.add("")


def _live(out: _Script, spec: StationScriptSpec) -> str:
    d = out.dialect
    if not spec.settings.live_input_enabled:
        out.add("radio = music", "")
        return "radio"
    assert spec.harbor_port is not None
    handover = liq_float(LIVE_HANDOVER_S)
    if spec.auth_socket is not None:
        auth_args = ('["auth", sd_programme_dir, "--socket", sd_auth_socket, "--station", '
                     "sd_station_id]")
        how = ["# Live input: the picker asks stationd (the database) on its socket, and",
               "# checks the exported salted hashes only when stationd does not answer;"]
    else:
        auth_args = '["auth", sd_programme_dir]'
        how = ["# Live input: logins checked by the picker against the exported salted hashes;"]
    out.add(
        *how,
        "# the password travels in the environment, not on the command line.",
        "sd_live_connected = ref(false)",
        'sd_live_user = ref("")',
        'sd_live_dj = ref("")',
        "def sd_live_auth(login) =",
        "  r = process.run(",
        f"    timeout={liq_float(PICKER_TIMEOUT_S)},",
        '    env=[("LC_ALL", "C.UTF-8"), ("SD_USER", login.user), '
        '("SD_PASSWORD", login.password),',
        '         ("SD_ADDRESS", login.address)],',
        f"    sd_picker_command({auth_args})",
        "  )",
        '  sd_log_picker("harbor", r)',
        '  ok = r.status == "exit" and r.status.code == 0',
        "  if ok then",
        "    sd_live_user := login.user",
        "    sd_live_dj := string.trim(r.stdout)",
        "  end",
        '  log.important(label="harbor", "live login of " ^ login.user ^ " from " ^ '
        'login.address ^ (if ok then ": accepted" else ": refused" end))',
        "  ok",
        "end",
        "def sd_header(headers, name) =",
        "  lower = list.map(fun (h) -> (string.case(lower=true, fst(h)), snd(h)), headers)",
        '  list.assoc(default="", name, lower)',
        "end",
        "def sd_live_connect(headers) =",
        "  sd_live_connected := true",
        f'  sd_emit("live_connect", [("user", {d.deref("sd_live_user")}), '
        f'("dj_name", {d.deref("sd_live_dj")}),',
        '    ("ice_name", sd_header(headers, "ice-name")),',
        '    ("user_agent", sd_header(headers, "user-agent"))])',
        "end",
        "def sd_live_disconnect() =",
        f"  if {d.deref('sd_live_connected')} then",
        "    sd_live_connected := false",
        f'    sd_emit("live_disconnect", [("user", {d.deref("sd_live_user")}), '
        f'("dj_name", {d.deref("sd_live_dj")})])',
        "  end",
        "end",
        f"live = input.harbor(id=\"live\", port={liq_int(spec.harbor_port)}, "
        f"buffer={liq_float(spec.harbor_buffer)}, max={liq_float(spec.harbor_max)},",
        "  auth=sd_live_auth, on_connect=sd_live_connect, on_disconnect=sd_live_disconnect,",
        f"  {liq_string(LIVE_HARBOR_MOUNT)})",
        "def sd_handover(a, b) =",
        f"  add(normalize=false, [fade.in(duration={handover}, b), "
        f"fade.out(duration={handover}, a)])",
        "end",
        f'radio = fallback(id="radio", track_sensitive=false, transition_length={handover},',
        "  transitions=[sd_handover, sd_handover], [live, music])",
        "",
    )
    return "radio"


def _processing(out: _Script, spec: StationScriptSpec) -> None:
    d = out.dialect
    s = spec.settings
    if s.normalize_audio:
        out.add(
            f"radio = normalize(id=\"normalize\", target={liq_float(s.normalization_level)}, "
            f"lufs=true, window={liq_float(NORMALIZE_WINDOW_S)},",
            f"  gain_min={liq_float(-NORMALIZE_GAIN_LIMIT_DB)}, "
            f"gain_max={liq_float(NORMALIZE_GAIN_LIMIT_DB)}, "
            f"threshold={liq_float(NORMALIZE_THRESHOLD_DB)}, track_sensitive=false, radio)",
        )
    safety = None
    if spec.safety_file is not None:
        uri = annotate_uri({"sd_kind": "safety"}, spec.safety_file)
        safety = f'single(id="safety", fallible=true, {liq_string(uri)})'

    out.add(
        '# Operator volume: telnet "var.set volume=0.8" (0..2).',
        'sd_volume = interactive.float("volume", min=0., max=2., 1.)',
        f'radio = amplify(id="volume", override={d.null()}, sd_volume, radio)',
        "",
        "# Safety net: a file if configured, then silence: the mount never goes away.",
        "radio = fallback(id=\"safe\", track_sensitive=false, "
        f"[radio{', ' + safety if safety else ''}, blank(id=\"silence\")])",
        "",
        "# What is really on air, after crossfade and live switching.",
        "def sd_on_metadata(m) =",
        '  kind = m["sd_kind"]',
        f"  live_on = {d.deref('sd_live_connected')}" if s.live_input_enabled
        else "  live_on = false",
        '  kind = if kind != "" then kind elsif live_on then "live" else "unknown" end',
        '  sd_emit("track", [("kind", kind), ("audio_id", m["sd_audio_id"]),',
        '    ("playlist_id", m["sd_playlist_id"]), ("title", m["title"]),',
        '    ("artist", m["artist"]), ("source", m["source"])])',
        "end",
        f"radio = {d.on_metadata('radio', 'sd_on_metadata')}",
        "",
        "# Icecast's title during a jingle: the music that played before it.",
        'sd_last_title = ref("")',
        'sd_last_artist = ref("")',
        "def sd_public_metadata(m) =",
        '  if m["sd_kind"] == "jingle" then',
        f'    [("title", {d.deref("sd_last_title")}), '
        f'("artist", {d.deref("sd_last_artist")})]',
        "  else",
        '    if m["title"] != "" or m["artist"] != "" then',
        '      sd_last_title := m["title"]',
        '      sd_last_artist := m["artist"]',
        "    end",
        "    []",
        "  end",
        "end",
        'radio = metadata.map(id="public_metadata", insert_missing=false, '
        "sd_public_metadata, radio)",
        "",
    )


def _outputs(out: _Script, spec: StationScriptSpec) -> None:
    d = out.dialect
    s = spec.settings
    description = spec.description or spec.station_name
    out.add(
        "# Telnet <output>.start / .stop / .status (Liquidsoap 2 outputs have none).",
        "def sd_output_commands(name, o) =",
        "  def start(_) =",
        "    o.start()",
        '    "Done"',
        "  end",
        "  def stop(_) =",
        "    o.stop()",
        '    "Done"',
        "  end",
        "  def status(_) =",
        '    if o.is_started() then "on" else "off" end',
        "  end",
        '  server.register(namespace=name, description="Start the output.", "start", start)',
        '  server.register(namespace=name, description="Stop the output.", "stop", stop)',
        '  server.register(namespace=name, description="Output state: on or off.", '
        '"status", status)',
        "end",
        "",
    )
    for bitrate, mount in station_mounts(s.mountpoint, tuple(s.bitrates)):
        name = f"out{bitrate}"
        out.add(
            f"{name} = output.icecast(%mp3(bitrate={liq_int(bitrate)}, "
            f"samplerate={liq_int(MP3_SAMPLERATE)}, stereo=true),",
            f"  id={liq_string(name)}, fallible=true,",
            f"  host={liq_string(spec.icecast_host)}, port={liq_int(spec.icecast_port)},",
            f"  user={liq_string(spec.icecast_source_user)}, "
            f"password={liq_string(spec.icecast_source_password)},",
            f"  mount={liq_string(mount)},",
            f"  name={liq_string(spec.station_name)},",
            f"  description={liq_string(description)},",
            *([f"  genre={liq_string(spec.genre)},"] if spec.genre else []),
            *([f"  url={liq_string(spec.url)},"] if spec.url else []),
            f'  public={liq_bool(False)}, encoding="UTF-8", {d.icy_metadata_argument()},',
            "  radio)",
            f"sd_output_commands({liq_string(name)}, {name})",
        )


def render_station_script(
    spec: StationScriptSpec, dialect: LiquidsoapDialect = LIQUIDSOAP_2_1
) -> str:
    """The station's whole Liquidsoap script. Raises RenderError for unusable input."""
    _validate(spec)
    out = _Script(dialect)
    _header(out, spec)
    _events(out, spec)
    if spec.settings.autodj_enabled:
        _autodj(out, spec)
    _music(out, spec)
    _live(out, spec)
    _processing(out, spec)
    _outputs(out, spec)
    return out.text()
