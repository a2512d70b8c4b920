"""``momq ask`` through the real command (a subprocess of the installed entry point): failures are one
``error:`` line with the documented exit status, and a demo database is served by engines started on demand."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from momq.cli import EXIT_BAD_INPUT, EXIT_ENGINE


def momq(home: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {**os.environ, "MOMQ_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "momq.cli", *args], capture_output=True, text=True, env=env,
                          timeout=timeout)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def assert_one_error_line(result, code: int, *fragments: str) -> None:
    assert result.returncode == code, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in errors[0]


@pytest.mark.parametrize("url", [
    "mysql://someone:s3cr3t@127.0.0.1:{port}/shop",
    "postgresql://someone@127.0.0.1:{port}/shop",
    "falkordb://127.0.0.1:{port}/shop",
])
def test_an_engine_that_is_down(tmp_path, url):
    result = momq(tmp_path, "ask", "--db", url.format(port=free_port()), "How many shops?")
    assert_one_error_line(result, EXIT_ENGINE)
    assert "s3cr3t" not in result.stderr


@pytest.mark.parametrize("url, fragment", [
    ("oracle://h/db", "unknown URL scheme 'oracle'"),
    ("mysql://h:notaport/db", "malformed connection URL"),
    ("localhost/db", "malformed connection URL"),
    ("demo:atlantis", "unknown demo database"),
])
def test_bad_urls(tmp_path, url, fragment):
    assert_one_error_line(momq(tmp_path, "ask", "--db", url, "q?"), EXIT_BAD_INPUT, fragment)


def test_unknown_dialect(tmp_path):
    assert_one_error_line(momq(tmp_path, "ask", "--db", "demo:company", "--dialect", "sparql", "q?"),
                          EXIT_BAD_INPUT, "unknown dialect")


@pytest.mark.slow
def test_demo_database_end_to_end_through_the_command(tmp_path, tiny_llama_dir, tiny_adapter_dir):
    """demo:<domain> starts our own FalkorDB in MOMQ_HOME, loads the domain, asks in nGQL with the tiny model and
    a named adapter; the random model finds no answer: exit status 1 with every attempt shown."""
    from momq.engines.manager import EngineManager

    home = tmp_path / "home"
    try:
        args = ["ask", "--db", "demo:company", "--dialect", "ngql", "--base", str(tiny_llama_dir),
                "--adapter", str(tiny_adapter_dir), "--retries", "1", "--max-new-tokens", "16"]
        result = momq(home, *args, "--json", "How many employees are there?")
        assert result.returncode in (0, 1), result.stderr
        answer = json.loads(result.stdout)
        assert answer["dialect"] == "ngql" and answer["database"] == "company"
        assert answer["found"] == (result.returncode == 0)
        assert 1 <= len(answer["attempts"]) <= 2
        assert list((home / "schemas").glob("*.json"))  # the live schema was cached on disk
        shown = momq(home, *args, "--show-attempts", "How many employees are there?")
        assert shown.returncode == result.returncode
        assert "attempt 1:" in shown.stdout
    finally:
        EngineManager(home).down()


def test_serve_refuses_bad_configuration_before_loading_a_model(tmp_path):
    assert_one_error_line(momq(tmp_path, "serve"), EXIT_BAD_INPUT, "no connections")
    assert_one_error_line(momq(tmp_path, "serve", "--connection", "x=oracle://h/db"), EXIT_BAD_INPUT,
                          "connection 'x'", "unknown URL scheme")
    bad = tmp_path / "serve.yaml"
    bad.write_text("connections: {shop: 'mysql://h/db'}\nlisten: everywhere\n")
    assert_one_error_line(momq(tmp_path, "serve", "--config", str(bad)), EXIT_BAD_INPUT, "unknown field")
