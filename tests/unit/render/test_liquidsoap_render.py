"""The station script as text: structure, options, dialects (2.1 and 2.2+) and escaping.
Whether Liquidsoap accepts it: tests/integration/test_render_real.py."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from station_desktop.control.render.escaping import RenderError
from station_desktop.control.render.liquidsoap import (
    LIQUIDSOAP_2_1,
    LiquidsoapDialect,
    StationScriptSpec,
    render_station_script,
)
from station_desktop.services.stations import StreamSettings

HOSTILE = 'Ra"dio \\ \n #{1+1} <&> \' $(id) ñ 日本 #'


def make_spec(**changes: object) -> StationScriptSpec:
    spec = StationScriptSpec(
        station_id="st1", station_name="Jazz FM",
        settings=StreamSettings(mountpoint="/jazz", bitrates=(64, 128)),
        icecast_host="127.0.0.1", icecast_port=8000, icecast_source_password="srcpass",
        telnet_port=1234, harbor_port=8010, programme_dir="/var/lib/stationd/st1",
        picker_path="/usr/lib/stationd/picker.py", python_executable="/usr/bin/python3",
        log_path="/var/log/stationd/st1.log", events_path="/var/lib/stationd/st1/events.jsonl",
    )
    return replace(spec, **changes)  # type: ignore[arg-type]


def with_settings(**changes: object) -> StationScriptSpec:
    spec = make_spec()
    assert isinstance(spec.settings, StreamSettings)
    return replace(spec, settings=replace(spec.settings, **changes))  # type: ignore[arg-type]


def test_default_script_shape() -> None:
    script = render_station_script(make_spec())
    assert 'request.dynamic(id="autodj"' in script
    assert '"next", sd_programme_dir, "--at"' in script
    assert 'playlist(id="fallback", mode="randomize", reload_mode="watch", ' \
           '"/var/lib/stationd/st1/main.m3u")' in script
    assert 'request.queue(id="requests")' in script
    assert 'input.harbor(id="live", port=8010, buffer=2.0, max=10.0' in script
    assert "[live, music]" in script and "track_sensitive=false" in script
    assert "crossfade(id=\"crossfade\", duration=3.0, fade_in=3.0, fade_out=3.0" in script
    assert "normalize(id=\"normalize\", target=-14.0, lufs=true" in script
    assert 'blank(id="silence")' in script and 'single(id="safety"' not in script
    assert 'settings.server.telnet.bind_addr.set("127.0.0.1")' in script
    assert "settings.server.telnet.port.set(1234)" in script
    assert "allow_root" not in script
    assert 'file.write(append=true, data=line, sd_events_path)' in script
    assert 'sd_emit("track"' in script and 'sd_emit("live_connect"' in script


def test_one_output_per_bitrate_with_its_mount() -> None:
    script = render_station_script(make_spec())
    outputs = re.findall(r'(out\d+) = output\.icecast\(%mp3\(bitrate=(\d+),', script)
    assert outputs == [("out64", "64"), ("out128", "128")]
    assert 'mount="/jazz-64"' in script and 'mount="/jazz-128"' in script
    assert 'id="out64", fallible=true' in script
    assert 'sd_output_commands("out128", out128)' in script
    assert script.count('encoding="UTF-8", icy_metadata="true"') == 2


def test_password_goes_through_the_environment_not_argv() -> None:
    script = render_station_script(make_spec())
    auth = script[script.index("def sd_live_auth"):script.index("def sd_header")]
    assert '("SD_PASSWORD", login.password)' in auth
    assert re.search(r"sd_picker_command\(\[\"auth\", sd_programme_dir\]\)", auth)
    assert "args=" not in auth.replace("sd_picker_command", "")


def test_options_turn_parts_off() -> None:
    script = render_station_script(with_settings(
        live_input_enabled=False, autodj_enabled=False, crossfade_duration=0,
        normalize_audio=False))
    for absent in ("input.harbor", "request.dynamic", "crossfade(", "normalize(",
                   "sd_picker", "harbor.bind_addrs", "playlist("):
        assert absent not in script
    assert "radio = music" in script
    assert 'fallback(id="music", track_sensitive=true, [requests])' in script


def test_safety_file_allow_root_and_extras() -> None:
    script = render_station_script(make_spec(
        safety_file="/srv/safe #1.mp3", allow_root=True, genre="Jazz", url="https://x.example",
        telnet_bind_address="10.0.0.5", harbor_bind_address="127.0.0.1", log_level=4))
    assert ('single(id="safety", fallible=true, ("annotate:sd_kind=\\"safety\\":/srv/safe " '
            '^ "#" ^ "1.mp3"))') in script
    assert script.startswith("# Station Desktop")
    assert "settings.init.allow_root.set(true)" in script
    assert 'genre="Jazz"' in script and 'url="https://x.example"' in script
    assert 'settings.server.telnet.bind_addr.set("10.0.0.5")' in script
    assert 'settings.harbor.bind_addrs.set(["127.0.0.1"])' in script


@pytest.mark.parametrize("field", ["station_name", "station_id", "icecast_source_password",
                                   "description", "genre", "programme_dir", "events_path"])
def test_hostile_values_cannot_inject_code(field: str) -> None:
    value = HOSTILE if not field.endswith(("_dir", "_path")) else "/x/" + HOSTILE
    script = render_station_script(make_spec(**{field: value}))
    assert "#{" not in script
    assert "$(id)" in script  # present, but only inside a string literal
    for line in script.splitlines():
        if "$(id)" in line:
            # the line's string literals are all closed and the hostile text sits inside one
            assert line.count('"') - line.count('\\"') >= 2
    # no line starts with the text after the newline of the hostile value
    assert not any(line.startswith(" #{") or (line.startswith(" ") and "<&>" in line
                   and '"' not in line) for line in script.splitlines())


def test_dialect_2_1_text() -> None:
    script = render_station_script(make_spec(), LIQUIDSOAP_2_1)
    assert ":=" not in re.sub(r"sd_\w+ := ", "", script)  # only ref assignments use :=
    assert "settings.log.file.set(true)" in script
    assert "!sd_live_connected" in script and "sd_live_connected()" not in script
    assert 'icy_metadata="true"' in script and "send_icy_metadata" not in script


def test_dialect_2_2_text() -> None:
    dialect = LiquidsoapDialect.for_version("Liquidsoap 2.2.5")
    script = render_station_script(make_spec(allow_root=True), dialect)
    assert "settings.init.allow_root := true" in script
    assert "settings.server.telnet.port := 1234" in script
    assert ".set(" not in script.replace("sd_", "")
    assert "!" not in script.replace("!=", "")
    assert "sd_live_connected()" in script and "remaining_fn = sd_autodj_remaining()" in script
    assert "send_icy_metadata=true" in script and "icy_metadata=\"true\"" not in script
    assert "Dialect: Liquidsoap 2.2." in script


@pytest.mark.parametrize(("text", "expected"), [
    ("2.1.3", (2, 1, 3)), ("Liquidsoap 2.1.3", (2, 1, 3)), ("v2.2", (2, 2, 0)),
    ("2.3.0+git@abc", (2, 3, 0)), ("  2.4.1 ", (2, 4, 1)),
])
def test_dialect_for_version(text: str, expected: tuple[int, int, int]) -> None:
    dialect = LiquidsoapDialect.for_version(text)
    assert (dialect.major, dialect.minor, dialect.patch) == expected
    assert dialect.modern == (expected[:2] >= (2, 2))


@pytest.mark.parametrize("text", ["", "two", "1.4.4", "2.0.7"])
def test_dialect_refuses_unknown_or_old_versions(text: str) -> None:
    with pytest.raises(RenderError):
        LiquidsoapDialect.for_version(text)


@pytest.mark.parametrize("spec", [
    make_spec(harbor_port=None),
    make_spec(harbor_port=1234),
    make_spec(telnet_port=0),
    make_spec(icecast_port=70000),
    make_spec(programme_dir="relative/dir"),
    make_spec(python_executable="python3"),
    make_spec(safety_file="safe.mp3"),
    make_spec(safety_file="/safe\n.mp3"),
    make_spec(icecast_source_password=""),
    make_spec(harbor_buffer=20.0),
    with_settings(crossfade_duration=31),
    with_settings(normalization_level=5),
    with_settings(bitrates=()),
    with_settings(bitrates=(128000,)),
    with_settings(mountpoint="/bad mount"),
])
def test_invalid_specs_are_refused(spec: StationScriptSpec) -> None:
    with pytest.raises(RenderError):
        render_station_script(spec)


def test_live_disabled_needs_no_harbor_port() -> None:
    spec = replace(with_settings(live_input_enabled=False), harbor_port=None)
    assert "input.harbor" not in render_station_script(spec)


def test_rendering_is_pure() -> None:
    assert render_station_script(make_spec()) == render_station_script(make_spec())


@pytest.mark.parametrize("dialect", [LIQUIDSOAP_2_1, LiquidsoapDialect.for_version("2.3.0")])
def test_with_stationds_socket_the_picker_asks_it_first(dialect: LiquidsoapDialect) -> None:
    script = render_station_script(make_spec(auth_socket="/run/stationd/live-auth.sock"),
                                   dialect)
    assert 'sd_auth_socket = "/run/stationd/live-auth.sock"' in script
    auth = script[script.index("def sd_live_auth"):script.index("def sd_header")]
    assert ('sd_picker_command(["auth", sd_programme_dir, "--socket", sd_auth_socket, '
            '"--station", sd_station_id])') in auth
    assert '("SD_PASSWORD", login.password)' in auth  # still in the environment
    assert "stationd (the database)" in script
    # without the live input there is nothing to ask
    quiet = render_station_script(replace(
        make_spec(auth_socket="/run/stationd/live-auth.sock"),
        settings=StreamSettings(mountpoint="/jazz", live_input_enabled=False)), dialect)
    assert "sd_auth_socket" not in quiet


@pytest.mark.parametrize("path", ["relative.sock", "/run/x\n.sock", 'run/"x'])
def test_an_unusable_socket_path_is_refused(path: str) -> None:
    with pytest.raises(RenderError, match="auth_socket"):
        render_station_script(make_spec(auth_socket=path))


def test_a_hostile_socket_path_stays_a_string() -> None:
    script = render_station_script(make_spec(auth_socket='/run/a"b#{1+1}.sock'))
    assert 'sd_auth_socket = ("/run/a\\"b" ^ "#" ^ "{1+1}.sock")' in script
