"""The integration stack helper's process handling (no Icecast/Liquidsoap needed)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from helpers.stack import ManagedProcess, StackError, free_port, port_is_open, wait_until


def test_stop_kills_a_process_that_ignores_sigterm(tmp_path: Path) -> None:
    script = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); " \
             "print('ready', flush=True); time.sleep(60)"
    proc = ManagedProcess.spawn("stubborn", [sys.executable, "-c", script], tmp_path / "s.log")
    wait_until("the child", lambda: "ready" in (tmp_path / "s.log").read_text(), 10,
               logs=proc.describe)
    start = time.monotonic()
    code = proc.stop(grace=0.5)
    assert code == -9
    assert 0.4 < time.monotonic() - start < 5
    assert not proc.running()


def test_stop_of_a_polite_process_is_quick(tmp_path: Path) -> None:
    proc = ManagedProcess.spawn("sleeper", ["sleep", "60"], tmp_path / "p.log")
    assert proc.running()
    assert proc.stop() == -15
    assert proc.stop() == -15  # idempotent


def test_wait_until_failure_carries_the_logs(tmp_path: Path) -> None:
    log = tmp_path / "x.log"
    log.write_text("line 1\nFATAL: the reason\n")
    proc = ManagedProcess.spawn("x", ["true"], log)
    proc.popen.wait(5)
    with pytest.raises(StackError) as info:
        wait_until("something", lambda: False, 0.2, logs=proc.describe)
    assert "FATAL: the reason" in str(info.value)
    assert "exited with 0" in str(info.value)


def test_free_port_is_free() -> None:
    assert not port_is_open(free_port())
