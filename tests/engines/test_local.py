"""The shared server life cycle: a missing binary, a server that dies while starting, a taken port."""

from __future__ import annotations

import socket
import sys

import pytest

from momq.engines.base import EngineUnavailable
from momq.engines.local import LocalServer
from momq.engines.mariadb import _binary
from momq.engines.process import LOOPBACK, port_in_use


class _Scripted(LocalServer):
    """A real process started from a command line the test chooses (no mock: exec really happens)."""

    name = "scripted"
    start_timeout_s = 5.0

    def __init__(self, root, argv, port=None):
        super().__init__(root, port)
        self.argv = argv

    def _prepare(self) -> None:
        pass

    def _argv(self, port: int) -> list[str]:
        return self.argv

    def _ready(self, port: int) -> bool:
        return port_in_use(port)

    def _version(self) -> str:
        return "scripted"

    def connect(self):
        raise NotImplementedError


def test_missing_binary_is_a_clear_error_and_leaves_no_state(tmp_path):
    server = _Scripted(tmp_path, ["/nonexistent/momq-no-such-server", "--port", "1"])
    with pytest.raises(EngineUnavailable, match="binary not found: /nonexistent/momq-no-such-server"):
        server.start()
    assert server.pid() is None
    assert not server.status().running


def test_server_that_exits_while_starting_reports_its_log(tmp_path):
    argv = [sys.executable, "-c", "import sys; print('bad config line 3', flush=True); sys.exit(7)"]
    server = _Scripted(tmp_path, argv)
    with pytest.raises(EngineUnavailable, match=r"(?s)exited with code 7.*bad config line 3"):
        server.start()
    assert server.pid() is None


def test_taken_port_is_refused_before_starting(tmp_path):
    with socket.socket() as holder:
        holder.bind((LOOPBACK, 0))
        holder.listen(1)
        port = holder.getsockname()[1]
        server = _Scripted(tmp_path, [sys.executable, "-c", "import time; time.sleep(30)"], port=port)
        with pytest.raises(EngineUnavailable, match=f"port {port} .* already taken"):
            server.start()
        assert server.pid() is None


def test_mariadb_binary_lookup_names_the_install_command():
    with pytest.raises(EngineUnavailable, match="apt-get install -y mariadb-server"):
        _binary("mariadbd-that-does-not-exist")
    assert _binary("mariadbd").endswith("mariadbd")
