"""The engine manager and `momq engines` CLI on real servers: idempotent up, status, down leaves no process."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from momq.engines.base import EngineUnavailable
from momq.engines.cli import app
from momq.engines.manager import SERVERS, EngineManager, dialect_engines, leftover_processes, momq_home
from momq.engines.postgres import PostgresServer

SERVER_BINARIES = (b"mariadbd", b"postgres", b"redis-server")


@pytest.fixture
def home(tmp_path):
    yield tmp_path
    manager = EngineManager(tmp_path)
    manager.down()
    PostgresServer(manager.server_dir("postgresql")).destroy()  # its cluster may live outside tmp_path


def _server_processes_mentioning(dirs: list[Path]) -> list[int]:
    """Live mariadbd / postgres / redis-server processes that name one of ``dirs`` or work inside one."""
    found = []
    for pid in leftover_processes(dirs):
        try:
            exe = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0", 1)[0]
        except OSError:
            continue
        if any(name in exe for name in SERVER_BINARIES):
            found.append(pid)
    return found


def _children_of(pids: set[int]) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(") ", 1)[1].split()
            except (OSError, IndexError):
                continue
            if fields[0] != "Z" and int(fields[1]) in pids:
                out.append(int(entry.name))
    return out


def test_up_is_idempotent_status_reports_and_down_leaves_nothing(home):
    manager = EngineManager(home)
    first = manager.up()
    assert [r.status.name for r in first] == list(SERVERS)
    assert all(r.status.running and not r.already_running and r.start_s is not None for r in first)
    assert all(r.initialised for r in first)  # a cold start: data directories were created

    second = manager.up()
    assert all(r.already_running for r in second)
    assert [r.status.pid for r in second] == [r.status.pid for r in first]

    rows = {row["name"]: row for row in manager.status()}
    for rep in first:
        row = rows[rep.status.name]
        assert row["running"] and row["pid"] == rep.status.pid and row["port"] == rep.status.port
        assert row["version"] and row["start_s"] == pytest.approx(rep.start_s, abs=1e-3)
    assert rows["mariadb"]["version"].startswith("10.11.")
    assert rows["postgresql"]["version"].startswith("PostgreSQL 15")
    assert rows["falkordb"]["version"].startswith("FalkorDB 4")

    engines = dialect_engines(home)
    try:
        assert {d: e.dialect for d, e in engines.items()} == {
            "mysql": "mysql", "postgresql": "postgresql", "cypher": "cypher", "ngql": "ngql"}
        assert engines["mysql"].version() == rows["mariadb"]["version"]
        assert engines["postgresql"].version() == rows["postgresql"]["version"]
    finally:
        for engine in engines.values():
            engine.close()

    pids = {r.status.pid for r in first}
    children = set(_children_of(pids))  # PostgreSQL backends and helpers
    assert children, "PostgreSQL runs helper processes; finding none means the check is blind"
    dirs = [d for name in SERVERS for d in manager.server_dirs(manager.server(name))]
    found = set(_server_processes_mentioning(dirs))
    # (short-lived backends may come and go between two scans; the long-lived helpers must be seen)
    assert found >= pids and found & children

    assert manager.down() == list(SERVERS)
    for pid in pids | children:
        assert not Path(f"/proc/{pid}").exists() or _is_zombie(pid), f"process {pid} survived down"
    assert _server_processes_mentioning(dirs) == []
    assert not any(row["running"] for row in manager.status())
    assert manager.down() == []  # down is idempotent too

    # a warm start reuses the data directories and the ports of the last run
    again = manager.up(["mariadb"])
    assert not again[0].initialised and again[0].status.port == first[0].status.port
    manager.down(["mariadb"])


def _is_zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1][0] == "Z"
    except OSError:
        return True


@pytest.mark.parametrize("name", ["falkordb", "postgresql"])
def test_port_taken_is_a_clear_error(home, name):
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen(1)
        port = blocker.getsockname()[1]
        with pytest.raises(EngineUnavailable, match=f"port {port}.*already taken"):
            EngineManager(home).up([name], ports={name: port})
    assert not EngineManager(home).status([name])[0]["running"]


def test_unknown_engine_names_are_refused(home):
    with pytest.raises(ValueError, match="unknown engine.*nope"):
        EngineManager(home).up(["nope"])


def test_dialect_engines_names_the_server_that_is_down(home):
    with pytest.raises(EngineUnavailable, match="mariadb.*momq engines up mariadb"):
        dialect_engines(home)


def test_home_comes_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("MOMQ_HOME", str(tmp_path / "h"))
    assert momq_home() == (tmp_path / "h").resolve()
    assert EngineManager().server_dir("mariadb") == (tmp_path / "h" / "engines" / "mariadb").resolve()


def test_cli_status_json_and_port_syntax(home):
    runner = CliRunner()
    result = runner.invoke(app, ["status", "--json", "--home", str(home)])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [r["name"] for r in rows] == list(SERVERS) and not any(r["running"] for r in rows)
    bad = runner.invoke(app, ["up", "falkordb", "--port", "falkordb:1", "--home", str(home)])
    assert bad.exit_code != 0 and "NAME=PORT" in bad.output


def test_cli_up_status_down(home):
    runner = CliRunner()
    up = runner.invoke(app, ["up", "falkordb", "--home", str(home)])
    assert up.exit_code == 0 and "falkordb" in up.output and "started in" in up.output, up.output
    again = runner.invoke(app, ["up", "falkordb", "--home", str(home)])
    assert again.exit_code == 0 and "already running" in again.output
    status = runner.invoke(app, ["status", "falkordb", "--json", "--home", str(home)])
    assert json.loads(status.output)[0]["running"] is True
    down = runner.invoke(app, ["down", "--home", str(home)])
    assert down.exit_code == 0 and "falkordb" in down.output


def test_a_port_that_failed_to_start_is_not_remembered(home):
    """Issue 11: `up --port` that failed used to be remembered, and the next plain `up` failed on it again."""
    from momq.cli import EXIT_ENGINE, app as momq_app

    runner = CliRunner()
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))  # bound but not listening: the free-port probe passes, FalkorDB's bind fails
        port = squatter.getsockname()[1]
        failed = runner.invoke(momq_app, ["engines", "up", "falkordb", "--port", f"falkordb={port}",
                                          "--home", str(home)])
        assert failed.exit_code == EXIT_ENGINE, failed.output
        assert failed.stderr.startswith("error: falkordb exited with code") and len(failed.stderr.splitlines()) == 1
        plain = runner.invoke(momq_app, ["engines", "up", "falkordb", "--home", str(home)])
        assert plain.exit_code == 0, plain.output
        assert EngineManager(home).status(["falkordb"])[0]["port"] not in (None, port)
