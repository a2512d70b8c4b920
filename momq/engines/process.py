"""Helpers for the local server processes we own: free ports, waiting for readiness, pid files, clean stops.

Shared by every :class:`momq.engines.base.Server`; it knows nothing about any particular engine.
"""

from __future__ import annotations

import errno
import logging
import os
import resource
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import Callable

from momq.engines.base import EngineUnavailable

log = logging.getLogger(__name__)

LOOPBACK = "127.0.0.1"


def free_port() -> int:
    """A TCP port on loopback that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def port_in_use(port: int, host: str = LOOPBACK) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.2)
        return sock.connect_ex((host, port)) == 0


def require_port_free(port: int, what: str) -> None:
    if port_in_use(port):
        raise EngineUnavailable(f"cannot start {what}: port {port} on {LOOPBACK} is already taken by another process")


def wait_until(ready: Callable[[], bool], timeout_s: float, what: str, proc: subprocess.Popen | None = None,
               log_file: Path | None = None) -> None:
    """Poll ``ready`` until it returns True; fail early if ``proc`` exits."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise EngineUnavailable(f"{what} exited with code {proc.returncode} while starting{_tail(log_file)}")
        try:
            if ready():
                return
        except Exception:  # noqa: BLE001 - readiness probes fail until the server is up
            pass
        time.sleep(0.05)
    raise EngineUnavailable(f"{what} did not become ready within {timeout_s:.0f} s{_tail(log_file)}")


def _tail(log_file: Path | None, lines: int = 15) -> str:
    if log_file is None or not log_file.exists():
        return ""
    text = log_file.read_text(errors="replace").splitlines()[-lines:]
    return "\n--- last lines of " + str(log_file) + " ---\n" + "\n".join(text)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError as exc:
        return exc.errno == errno.EPERM
    # a zombie child still answers kill(0); treat it as gone
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(") ", 1)[1][0] != "Z"
    except OSError:
        return False


def read_pid(pid_file: Path) -> int | None:
    try:
        pid = int(pid_file.read_text().strip())
    except (OSError, ValueError):
        return None
    return pid if pid_alive(pid) else None


def terminate(pid: int, timeout_s: float = 10.0, what: str = "process") -> None:
    """SIGTERM, wait, then SIGKILL; returns once the process is gone."""
    for sig, wait in ((signal.SIGTERM, timeout_s), (signal.SIGKILL, 5.0)):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                pass
            if not pid_alive(pid):
                return
            time.sleep(0.05)
        log.warning("%s (pid %d) did not stop on %s", what, pid, sig.name)
    raise EngineUnavailable(f"could not stop {what} (pid {pid})")


def spawn(argv: list[str], log_file: Path, env: dict[str, str] | None = None,
          memory_limit_mb: int | None = None) -> subprocess.Popen:
    """Start a server process detached from our terminal (its own session), output to ``log_file``.

    ``memory_limit_mb`` caps the address space of the process and of every process it forks (``RLIMIT_AS``,
    set between fork and exec): an allocation past it fails inside the server instead of taking the machine's
    memory. What the server does on a failed allocation is its own (PostgreSQL fails the query; redis aborts).
    """
    log_file.parent.mkdir(parents=True, exist_ok=True)
    limit = None if memory_limit_mb is None else memory_limit_mb * 1024 * 1024

    def limit_memory() -> None:  # runs in the child, before exec
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    with open(log_file, "ab") as out:
        try:
            return subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                    start_new_session=True, env=env,
                                    preexec_fn=limit_memory if limit is not None else None)
        except FileNotFoundError as exc:
            raise EngineUnavailable(f"binary not found: {argv[0]} ({exc})") from exc
