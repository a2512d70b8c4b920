"""The life cycle every local server shares: a state directory, a port file, a pid file, start/stop/status.

A concrete server (MariaDB, PostgreSQL, FalkorDB) subclasses :class:`LocalServer` and supplies only what differs:
how to prepare its data directory, the command line, a readiness probe, its version and how to connect. The
state directory holds ``port``, ``pid``, ``server.log`` and the engine's data, so ``momq engines status`` and
``down`` work from another process. It does not choose which servers exist; see ``momq.engines.manager``.
"""

from __future__ import annotations

import abc
import logging
import time
from pathlib import Path

from momq.engines.base import EngineUnavailable, Server, ServerStatus
from momq.engines.process import free_port, read_pid, require_port_free, spawn, terminate, wait_until

log = logging.getLogger(__name__)


class LocalServer(Server):
    start_timeout_s: float = 60.0
    #: the address-space limit (RLIMIT_AS) of the server's processes, in MB; None for no limit
    default_memory_limit_mb: int | None = None

    def __init__(self, root: Path | str, port: int | None = None, *, memory_limit_mb: int | None = None):
        self.root = Path(root).resolve()
        self._requested_port = port
        self.memory_limit_mb = memory_limit_mb if memory_limit_mb is not None else self.default_memory_limit_mb

    # ---- what subclasses provide
    @abc.abstractmethod
    def _prepare(self) -> None:
        """Create the data directory the first time (idempotent); raise EngineUnavailable if a binary is missing."""

    @abc.abstractmethod
    def _argv(self, port: int) -> list[str]:
        """The server's command line."""

    @abc.abstractmethod
    def _ready(self, port: int) -> bool:
        """True once the server accepts connections."""

    @abc.abstractmethod
    def _version(self) -> str:
        """The running server's version string."""

    def _after_start(self) -> None:
        """One-time set-up once running (users, settings); idempotent."""

    def _env(self) -> dict[str, str] | None:
        return None

    # ---- shared behaviour
    @property
    def pid_file(self) -> Path:
        return self.root / "pid"

    @property
    def port_file(self) -> Path:
        return self.root / "port"

    @property
    def log_file(self) -> Path:
        return self.root / "server.log"

    @property
    def port(self) -> int | None:
        try:
            return int(self.port_file.read_text())
        except (OSError, ValueError):
            return self._requested_port

    def pid(self) -> int | None:
        return read_pid(self.pid_file)

    def start(self) -> ServerStatus:
        if self.pid() is not None:
            return self.status()
        self.root.mkdir(parents=True, exist_ok=True)
        self._prepare()
        port = self._requested_port or free_port()
        require_port_free(port, self.name)
        remembered = self._remembered_port()
        t0 = time.monotonic()
        proc = spawn(self._argv(port), self.log_file, env=self._env(), memory_limit_mb=self.memory_limit_mb)
        self.pid_file.write_text(str(proc.pid))
        self.port_file.write_text(str(port))
        try:
            wait_until(lambda: self._ready(port), self.start_timeout_s, self.name, proc, self.log_file)
            self._after_start()
        except BaseException:
            self.stop()
            self._remember_port(remembered)  # a port the server could not start on is not worth remembering
            raise
        log.info("%s ready on 127.0.0.1:%d in %.2f s (pid %d)", self.name, port, time.monotonic() - t0, proc.pid)
        return self.status()

    def _remembered_port(self) -> str | None:
        try:
            return self.port_file.read_text()
        except OSError:
            return None

    def _remember_port(self, text: str | None) -> None:
        if text is None:
            self.port_file.unlink(missing_ok=True)
        else:
            self.port_file.write_text(text)

    def stop(self) -> None:
        pid = self.pid()
        if pid is not None:
            terminate(pid, what=self.name)
            log.info("%s stopped (pid %d)", self.name, pid)
        self.pid_file.unlink(missing_ok=True)

    def status(self) -> ServerStatus:
        pid = self.pid()
        if pid is None:
            return ServerStatus(self.name, False, data_dir=str(self.root))
        try:
            version = self._version()
            detail = ""
        except Exception as exc:  # noqa: BLE001 - a status report must not fail on a sick server
            version, detail = None, f"running but not answering: {exc}"
        return ServerStatus(self.name, True, pid, self.port, version, str(self.root), detail)

    def _require_running(self) -> int:
        port = self.port
        if self.pid() is None or port is None:
            raise EngineUnavailable(f"{self.name} is not running (start it with `momq engines up`)")
        return port
