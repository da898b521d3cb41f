"""Harbor logins answered from the database, on the REAL Liquidsoap 2.1.3 with a real
ffmpeg DJ, everything run by a :class:`Runner` (its supervisor starts Icecast and the
station's Liquidsoap from the rendered script; its unix socket answers the picker):

1. the station's live password opens the harbor;
2. a password regenerated in the database works at once and the old one is refused (401)
   at once: no programme export, no restart;
3. with stationd's socket gone (stationd down, Liquidsoap still on air), the picker falls
   back to the logins exported with the programme: the old password again, until an
   export lets the new one in;
4. a DJ's own account (DjAccount) opens the harbor, as stationd answers and, once
   exported, from the programme's hashes; a disabled DJ account is refused both ways.

The station is built as in test_supervisor_real.py (no music, live input on).
"""

from __future__ import annotations

import asyncio
import subprocess
from dataclasses import replace

import pytest
from helpers.onair import ffmpeg_source_argv, wait_for
from helpers.stack import tail
from test_supervisor_real import MOUNTS, Setup, mounts_of, station_setup

from station_desktop.daemon.runner import Runner
from station_desktop.services.dj_accounts import DjAccountService
from station_desktop.services.stations import StationService

pytestmark = [pytest.mark.integration, pytest.mark.asyncio]


def harbor_login(setup: Setup, password: str,
                 user: str = "source") -> subprocess.CompletedProcess[bytes]:
    """A DJ (ffmpeg) streaming one second to the harbor; exit 0 when let in."""
    port = StationService(setup.db).get_live_credentials(setup.station_id).port
    url = f"icecast://{user}:{password}@127.0.0.1:{port}/live"
    return subprocess.run(ffmpeg_source_argv(url, seconds=1.0), capture_output=True,
                          timeout=30, check=False)


async def test_live_logins_follow_the_database_at_once_and_fall_back_to_the_export() -> None:
    with station_setup("station-liveauth-") as setup:
        # export only at start: the exported logins stay those of the first password
        config = replace(setup.config, intervals=replace(setup.config.intervals, export=3600))
        runner = Runner(config, setup.db)
        assert runner.live_auth is not None
        auth = runner.live_auth
        stations = StationService(setup.db)
        liquidsoap_log = config.paths.log_dir / f"{setup.station_id}.log"

        def logs() -> str:
            return f"{setup.logs()}\n--- answered: {auth.answered}"

        async def login(password: str,
                        user: str = "source") -> subprocess.CompletedProcess[bytes]:
            return await asyncio.to_thread(harbor_login, setup, password, user)

        def let_in(result: subprocess.CompletedProcess[bytes]) -> bool:
            return result.returncode == 0 and b"401" not in result.stderr

        def refused(result: subprocess.CompletedProcess[bytes]) -> bool:
            return result.returncode != 0 and b"401" in result.stderr

        stop = asyncio.Event()
        task = asyncio.create_task(runner.run(stop))
        try:
            await wait_for("both mounts on air",
                           lambda: asyncio.to_thread(mounts_of, setup.icecast_port),
                           lambda m: set(MOUNTS) <= m, 40, logs)
            script = (config.paths.stations_dir / setup.station_id / "station.liq").read_text()
            assert f'sd_auth_socket = "{auth.path}"' in script
            first = stations.get_live_credentials(setup.station_id).password

            # 1. the password in the database opens the harbor, as stationd answers
            result = await login(first)
            assert let_in(result), result.stderr.decode(errors="replace") + logs()
            assert auth.answered["accept"] == 1

            # 2. regenerated: the new one works and the old one is refused, at once
            second = stations.regenerate_live_password(setup.station_id).password
            result = await login(first)
            assert refused(result), result.stderr.decode(errors="replace") + logs()
            result = await login(second)
            assert let_in(result), result.stderr.decode(errors="replace") + logs()
            assert (auth.answered["accept"], auth.answered["refuse"]) == (2, 1)
            assert "(database)" in liquidsoap_log.read_text("utf-8", "replace")

            # 4a. DJ accounts, answered by stationd: the active one in, the disabled out
            djs = DjAccountService(setup.db)
            ana = djs.create(setup.station_id, "Ana Torres", "ana")
            bob = djs.create(setup.station_id, "Bob", "bob")
            djs.set_active(bob.account.id, False)
            result = await login(ana.password, "ana")
            assert let_in(result), result.stderr.decode(errors="replace") + logs()
            result = await login(bob.password, "bob")
            assert refused(result), result.stderr.decode(errors="replace") + logs()
            assert (auth.answered["accept"], auth.answered["refuse"]) == (3, 2)

            # 3. stationd's socket gone: the exported logins (still the first password)
            await auth.close()
            result = await login(second)
            assert refused(result), result.stderr.decode(errors="replace") + logs()
            result = await login(first)
            assert let_in(result), result.stderr.decode(errors="replace") + logs()
            text = liquidsoap_log.read_text("utf-8", "replace")
            assert "checking the exported logins" in text
            assert first not in text and second not in text
            await runner.export_round()  # the next export brings the new password
            result = await login(second)
            assert let_in(result), result.stderr.decode(errors="replace") + logs()
            # 4b. ... and the DJ accounts from the exported hashes (socket still gone)
            result = await login(ana.password, "ana")
            assert let_in(result), result.stderr.decode(errors="replace") + logs()
            result = await login(bob.password, "bob")
            assert refused(result), result.stderr.decode(errors="replace") + logs()
            assert ana.password not in liquidsoap_log.read_text("utf-8", "replace")
            assert (auth.answered["accept"], auth.answered["refuse"]) == (3, 2)
        finally:
            stop.set()
            await asyncio.wait_for(task, 30)
        assert not auth.path.exists()
        assert tail(liquidsoap_log)  # Liquidsoap logged all along
