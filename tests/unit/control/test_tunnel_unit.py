"""SshTunnel without a server: state and messages (the real OpenSSH server is exercised in
``tests/integration/test_control_real.py``)."""

from __future__ import annotations

import pytest

from station_desktop.control.errors import ControlError
from station_desktop.control.tunnel import SshAuthError, SshHostKeyError, SshTunnel


def test_closed_tunnel_has_no_local_port() -> None:
    tunnel = SshTunnel("vps.example", username="radio", remote_port=1234)
    assert not tunnel.is_open
    assert "closed" in repr(tunnel) and "vps.example:22" in repr(tunnel)
    with pytest.raises(RuntimeError, match="not open"):
        _ = tunnel.local_port
    with pytest.raises(RuntimeError):
        tunnel.liquidsoap_client()


def test_ssh_errors_name_the_server_and_what_to_do() -> None:
    auth = SshAuthError("vps.example:22", "radio", "Permission denied")
    assert isinstance(auth, ControlError)
    assert "'radio'" in str(auth) and "authorized_keys" in str(auth)
    host = SshHostKeyError("[::1]:2222", "Host key is not trusted")
    assert "[::1]:2222" in str(host) and "known_hosts" in str(host)
    assert "intercepting" in str(host)
