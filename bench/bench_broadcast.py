"""Issue 4's bench: parse Icecast statistics for 1,000 mounts; render 1,000 station scripts.

The statistics documents are real captures (tests/data/control/icecast/, from Icecast
2.4.4 on this machine) with their <source> / source entries repeated to 1,000 distinct
mounts, so the parser sees exactly what Icecast writes. Scripts are rendered from varied
station settings (bitrates, crossfade, live on/off, jingles, hostile names).

    .venv/bin/python bench/bench_broadcast.py [--mounts 1000] [--scripts 1000]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from station_desktop.control.icecast import parse_admin_stats, parse_status_json
from station_desktop.control.render import (
    LiquidsoapDialect,
    StationScriptSpec,
    render_station_script,
)

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "control" / "icecast"


@dataclass(frozen=True)
class Settings:  # what the renderer reads of StreamSettings
    mountpoint: str
    bitrates: tuple[int, ...]
    max_listeners: int
    autodj_enabled: bool
    crossfade_duration: float
    normalize_audio: bool
    normalization_level: float
    playback_mode: str
    live_input_enabled: bool
    jingles_enabled: bool
    jingles_frequency: int
    status: str = "active"


def scaled_admin_stats(mounts: int) -> bytes:
    text = (DATA / "admin_stats_three_mounts.xml").read_text()
    sources = re.findall(r'<source mount="[^"]*">.*?</source>', text, flags=re.S)
    head = text[: text.index("<source ")]
    body = [
        re.sub(r'mount="[^"]*"', f'mount="/station-{i}-{128 if i % 2 else 64}"',
               sources[i % len(sources)], count=1)
        for i in range(mounts)
    ]
    return (head + "".join(body) + "</icestats>").encode()


def scaled_status_json(mounts: int) -> bytes:
    data = json.loads((DATA / "status_json_three_mounts.json").read_text())
    template = data["icestats"]["source"]
    data["icestats"]["source"] = [
        {**template[i % len(template)], "listenurl": f"http://127.0.0.1:8000/station-{i}"}
        for i in range(mounts)
    ]
    return json.dumps(data).encode()


def spec(i: int) -> StationScriptSpec:
    settings = Settings(
        mountpoint=f"/station-{i}", bitrates=((64, 128, 320), (128,), (64, 128))[i % 3],
        max_listeners=100, autodj_enabled=True, crossfade_duration=float(i % 6),
        normalize_audio=i % 2 == 0, normalization_level=-14.0,
        playback_mode=("random", "sequential")[i % 2], live_input_enabled=i % 4 != 0,
        jingles_enabled=i % 3 == 0, jingles_frequency=4,
    )
    return StationScriptSpec(
        station_id=f"c{i:024d}", station_name=f'Radio "{i}" #{{1+1}} <&> ñ',
        settings=settings, icecast_host="127.0.0.1", icecast_port=8000,
        icecast_source_password="src\"pw", telnet_port=1234 + i, harbor_port=8010 + i,
        programme_dir=f"/var/lib/stationd/stations/c{i}", picker_path="/usr/lib/sd/picker.py",
        python_executable="/usr/bin/python3", log_path=f"/var/log/stationd/c{i}.log",
        events_path=f"/var/lib/stationd/stations/c{i}/events.jsonl",
    )


def timed(label: str, runs: int, items: int, fn: Callable[[], object]) -> None:
    fn()  # warm up imports and caches
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    best, median = min(times), statistics.median(times)
    print(f"{label:<44} {items:>5} items  median {median * 1000:8.1f} ms  best "
          f"{best * 1000:8.1f} ms  per item {median / items * 1e6:8.1f} µs")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mounts", type=int, default=1000)
    parser.add_argument("--scripts", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    xml, status = scaled_admin_stats(args.mounts), scaled_status_json(args.mounts)
    parsed = parse_admin_stats(xml)
    assert len(parsed.mounts) == args.mounts, len(parsed.mounts)
    assert len(parse_status_json(status)) == args.mounts
    print(f"/admin/stats document: {len(xml) / 1024:.0f} KiB; status-json: "
          f"{len(status) / 1024:.0f} KiB")
    timed("parse /admin/stats (XML, defusedxml)", args.runs, args.mounts,
          lambda: parse_admin_stats(xml))
    timed("parse status-json.xsl (JSON)", args.runs, args.mounts,
          lambda: parse_status_json(status))

    specs = [spec(i) for i in range(args.scripts)]
    for name, dialect in (("2.1", LiquidsoapDialect.for_version("2.1.3")),
                          ("2.2", LiquidsoapDialect.for_version("2.2.5"))):
        timed(f"render station scripts (Liquidsoap {name})", args.runs, args.scripts,
              lambda d=dialect: [render_station_script(s, d) for s in specs])
    size = sum(len(render_station_script(s)) for s in specs) / len(specs)
    print(f"average script size: {size / 1024:.1f} KiB")


if __name__ == "__main__":
    main()
