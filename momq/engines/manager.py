"""The registry of local servers and their life cycle as a group: up, down, status; and engines per dialect.

State lives in ``$MOMQ_HOME`` (default ``~/.momq``), one directory per server: ``engines/<name>`` with its data,
log, pid and port files, and ``started.json`` (how long the last ``up`` took). A server keeps the port it had
last time when that port is still free; ``ports={"mariadb": 3307}`` asks for a specific one (refused with a
clear error when taken). ``down`` stops every server and then checks that no process mentioning the server's
directories is left, ending any it finds.

It does not load benchmark data and knows nothing about queries; see the engine modules for that.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from momq.engines.base import Engine, EngineUnavailable, ServerStatus
from momq.engines.falkordb_server import FalkorDBServer
from momq.engines.local import LocalServer
from momq.engines.mariadb import MariaDBServer
from momq.engines.postgres import PostgresServer
from momq.engines.process import LOOPBACK, port_in_use, terminate

log = logging.getLogger(__name__)

#: every local server this project can run, by name
SERVERS: dict[str, type[LocalServer]] = {
    "mariadb": MariaDBServer,
    "postgresql": PostgresServer,
    "falkordb": FalkorDBServer,
}
#: which local server executes each dialect
DIALECT_SERVERS = {"mysql": "mariadb", "postgresql": "postgresql", "cypher": "falkordb", "ngql": "falkordb"}


def momq_home(home: Path | str | None = None) -> Path:
    """The state root: ``home`` if given, else ``$MOMQ_HOME``, else ``~/.momq``."""
    if home is not None:
        return Path(home).expanduser().resolve()
    return Path(os.environ.get("MOMQ_HOME") or Path.home() / ".momq").expanduser().resolve()


@dataclass
class UpReport:
    status: ServerStatus
    already_running: bool
    start_s: float | None  # wall time of this start (None when it was already running)
    initialised: bool  # True when this start created the data directory (a cold start)


def _check_names(names) -> list[str]:
    if not names:
        return list(SERVERS)
    unknown = [n for n in names if n not in SERVERS]
    if unknown:
        raise ValueError(f"unknown engine(s) {', '.join(unknown)}; known: {', '.join(SERVERS)}")
    return list(dict.fromkeys(names))


class EngineManager:
    def __init__(self, home: Path | str | None = None):
        self.home = momq_home(home)
        if self.home.exists() and not self.home.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, "the engines' state folder ($MOMQ_HOME or --home) is not a folder",
                                     str(self.home))

    def server_dir(self, name: str) -> Path:
        return self.home / "engines" / name

    def server(self, name: str, port: int | None = None) -> LocalServer:
        _check_names([name])
        return SERVERS[name](self.server_dir(name), port=port)

    # ---- up
    def up(self, names=None, ports: dict[str, int] | None = None) -> list[UpReport]:
        ports = dict(ports or {})
        names = _check_names(names)
        _check_names(list(ports))
        reports = []
        for name in names:
            reports.append(self._up_one(name, ports.get(name)))
        return reports

    def _up_one(self, name: str, port: int | None) -> UpReport:
        probe = self.server(name)
        if probe.pid() is not None:
            status = probe.status()
            if port is not None and status.port != port:
                log.warning("%s is already running on port %s, not %d; run `momq engines down %s` first to move it",
                            name, status.port, port, name)
            log.info("%s already running (pid %s, port %s)", name, status.pid, status.port)
            return UpReport(status, True, None, False)
        if port is None:  # keep the port of the last run when it is still free
            remembered = probe.port
            if remembered is not None and not port_in_use(remembered):
                port = remembered
        server = self.server(name, port)
        fresh = not _initialised(server)
        t0 = time.monotonic()
        status = server.start()
        elapsed = time.monotonic() - t0
        (server.root / "started.json").write_text(json.dumps(
            {"start_s": round(elapsed, 3), "initialised": fresh, "at": time.strftime("%Y-%m-%dT%H:%M:%S")}))
        log.info("%s up in %.2f s%s", name, elapsed, " (first start: data directory initialised)" if fresh else "")
        return UpReport(status, False, elapsed, fresh)

    # ---- down
    def down(self, names=None) -> list[str]:
        """Stop the named (default: all) servers; returns the names that were running."""
        stopped = []
        for name in _check_names(names):
            server = self.server(name)
            was_running = server.pid() is not None
            server.stop()
            for pid in leftover_processes(self.server_dirs(server)):
                log.warning("%s: process %d outlived the server; ending it", name, pid)
                terminate(pid, what=f"{name} leftover process")
            if was_running:
                stopped.append(name)
        return stopped

    @staticmethod
    def server_dirs(server: LocalServer) -> list[Path]:
        """Directories a server's processes may name on their command line (state dir, external cluster)."""
        dirs = [server.root]
        cluster = getattr(server, "cluster_dir", None)
        if cluster is not None and server.root not in cluster.parents:
            dirs.append(cluster)
        return dirs

    # ---- status
    def status(self, names=None) -> list[dict]:
        rows = []
        for name in _check_names(names):
            server = self.server(name)
            row = asdict(server.status())
            try:
                started = json.loads((server.root / "started.json").read_text())
            except (OSError, ValueError):
                started = {}
            row["start_s"] = started.get("start_s")
            row["initialised_on_start"] = started.get("initialised")
            rows.append(row)
        return rows


def _initialised(server: LocalServer) -> bool:
    if isinstance(server, MariaDBServer):
        return (server.data_dir / "mysql").is_dir()
    if isinstance(server, PostgresServer):
        return (server.cluster_dir / "PG_VERSION").exists()
    return (server.root / "data").is_dir()


#: executables of the servers we run; only these are ever ended as leftovers
SERVER_EXECUTABLES = frozenset({"mariadbd", "postgres", "redis-server"})


def leftover_processes(dirs: list[Path]) -> list[int]:
    """Pids of live server processes (see SERVER_EXECUTABLES) whose command line mentions one of ``dirs`` or whose
    working directory is inside one (servers chdir into their data directory; PostgreSQL's helpers and redis
    rewrite their titles). A shell that merely sits in such a directory is not a server and is never listed."""
    needles = [str(d).encode() for d in dirs]
    roots = [str(d) for d in dirs]
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            state = (entry / "stat").read_text().rsplit(") ", 1)[1][:1]
        except (OSError, IndexError):
            continue
        try:
            exe = os.path.basename(os.readlink(entry / "exe")).removesuffix(" (deleted)")
        except OSError:
            exe = ""
        if exe not in SERVER_EXECUTABLES:
            continue
        try:
            cwd = os.readlink(entry / "cwd")
        except OSError:
            cwd = ""
        inside = any(cwd == r or cwd.startswith(r + os.sep) for r in roots)
        if state != "Z" and (inside or any(n in cmdline for n in needles)):
            found.append(int(entry.name))
    return found


def dialect_engines(home: Path | str | None = None) -> dict[str, Engine]:
    """Connected engines for the four dialects on the running local servers.

    ``mysql`` → MariaDB, ``postgresql`` → PostgreSQL, ``cypher`` → FalkorDB, ``ngql`` → the nGQL emulation over
    the same FalkorDB server. Raises :class:`EngineUnavailable` naming the first server that is not up.
    """
    manager = EngineManager(home)
    servers = {name: manager.server(name) for name in set(DIALECT_SERVERS.values())}
    for dialect, name in DIALECT_SERVERS.items():
        if servers[name].pid() is None:
            raise EngineUnavailable(f"the {name} server (for {dialect}) is not running in {manager.home}; "
                                    f"start it with `momq engines up {name}`")
    engines: dict[str, Engine] = {}
    try:
        engines["mysql"] = servers["mariadb"].connect()
        engines["postgresql"] = servers["postgresql"].connect()
        engines["cypher"] = servers["falkordb"].connect()
        from momq.engines.ngql_emulation import NGQLEmulationEngine

        engines["ngql"] = NGQLEmulationEngine(LOOPBACK, servers["falkordb"].port, server=servers["falkordb"])
    except BaseException:
        for engine in engines.values():
            engine.close()
        raise
    return engines
