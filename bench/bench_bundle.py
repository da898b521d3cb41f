"""Issue 9's bench: the desktop bundle's build time, size and start-up time.

Builds packaging/station-desktop.spec with PyInstaller into a temporary directory (from
scratch: no earlier build is reused), then starts the bundle offscreen three times on a
private home: the first start creates and migrates the embedded database and seeds the
demo station, the later ones open it. Each start runs until the main window has loaded
and saved its screenshot (``--screenshot``).

    .venv/bin/python bench/bench_bundle.py [--starts 3]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"


def _smoke_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("smoke_bundle", PACKAGING / "smoke_bundle.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--starts", type=int, default=3)
    args = parser.parse_args()
    smoke = _smoke_module()
    with tempfile.TemporaryDirectory(prefix="bench-bundle-") as temporary:
        work = Path(temporary)
        started = time.monotonic()
        subprocess.run(
            [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level",
             "ERROR", "--distpath", str(work / "dist"), "--workpath", str(work / "build"),
             str(PACKAGING / "station-desktop.spec")], cwd=ROOT, check=True)
        build_s = time.monotonic() - started
        bundle = work / "dist" / "station-desktop"
        archive = work / "station-desktop.tar.gz"
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(bundle, arcname="station-desktop")
        starts = []
        for index in range(args.starts):
            run = smoke.run_bundle(bundle, work / "home", work / f"shot-{index}.png")
            problems = smoke.problems_of(run)
            if problems:
                print(f"error: start {index + 1}: {problems}", file=sys.stderr)
                return 1
            starts.append(run.seconds)
        figures = {
            "build_s": round(build_s, 1),
            "bundle_mb": round(smoke.bundle_size(bundle) / 1e6, 1),
            "files": sum(1 for path in bundle.rglob("*") if path.is_file()),
            "tar_gz_mb": round(archive.stat().st_size / 1e6, 1),
            "first_start_s": round(starts[0], 2),  # migrations + demo station + window
            "later_start_s": [round(seconds, 2) for seconds in starts[1:]],
        }
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
