"""Every failure of issue 11 (items 10 and 11) through the real ``momq`` command: one line on stderr, no traceback,
a non-zero exit, and nothing of the user's deleted.

The engines are real: one private set of servers (its own ``MOMQ_HOME``) for the whole module, and a tiny build
made with ``momq bench build``. A server is killed at the moment that matters by wrapping the function the
commands use to connect (``momq.engines.manager.dialect_engines``): the real engines connect, then the real
server process is killed, then the command carries on against it. The killed server is restarted afterwards.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from momq.cli import EXIT_BAD_INPUT, EXIT_ENGINE
from momq.engines import manager as manager_module
from momq.engines.manager import EngineManager
from momq.engines.process import pid_alive
from tests.fixtures.cli import assert_one_line_failure, momq

DOMAINS = "company,movies"
BUILD = ["bench", "build", "--domains", DOMAINS, "--queries", "2", "--no-lint", "--no-progress"]
VERIFY = ["bench", "verify", "--no-lint", "--no-progress"]


# ----------------------------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def built(home, tmp_path_factory):
    """A tiny build made by the command itself."""
    out = tmp_path_factory.mktemp("builds") / "bench"
    result = momq(home, *BUILD, "--out", str(out))
    assert result.exit_code == 0, result.output
    check = momq(home, *VERIFY, str(out))  # the undamaged build verifies: the failures below are the damage's
    assert check.exit_code == 0 and "100.00%" in check.stdout, check.output
    return out


@pytest.fixture
def copy_of(built, tmp_path):
    """A fresh copy of the tiny build, to damage."""
    def make(name: str = "b") -> Path:
        return Path(shutil.copytree(built, tmp_path / name))
    return make


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): (b"<dir>" if p.is_dir() else p.read_bytes()) for p in sorted(root.rglob("*"))}


# ----------------------------------------------------------------------------------------------- broken inputs
def _corrupt_card(b: Path) -> list[str]:
    (b / "card.json").write_text("{oops")
    return ["bench", "stats", str(b)]


def _card_of_another_shape(b: Path) -> list[str]:
    (b / "card.json").write_text('{"name": "x", "colour": "red"}')
    return ["bench", "stats", str(b)]


def _binary_items(b: Path) -> list[str]:
    (b / "items.jsonl").write_bytes(bytes(range(128, 256)) * 4 + b"\n")
    return [*VERIFY, str(b)]


def _empty_items(b: Path) -> list[str]:
    (b / "items.jsonl").write_text("")
    return [*VERIFY, str(b)]


def _no_databases(b: Path) -> list[str]:
    shutil.rmtree(b / "databases")
    return [*VERIFY, str(b)]


def _database_not_json(b: Path) -> list[str]:
    (b / "databases" / "company.graph.json").write_text('{"kind": "graph", "name": ')
    return [*VERIFY, str(b)]


def _database_of_another_shape(b: Path) -> list[str]:
    (b / "databases" / "movies.relational.json").write_text('{"kind": "relational", "name": 3}')
    return [*VERIFY, str(b)]


def _database_binary(b: Path) -> list[str]:
    (b / "databases" / "movies.relational.json").write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    return [*VERIFY, str(b)]


def _edited_gold_query(b: Path) -> list[str]:
    rows = [json.loads(line) for line in (b / "items.jsonl").read_text().splitlines()]
    victim = next(r for r in rows if r["dialect"] == "postgresql" and r["id"].endswith("-p0-postgresql")
                  and sum(o["query_id"] == r["query_id"] and o["dialect"] == "postgresql" for o in rows) > 1)
    victim["query"] += " LIMIT 1"  # one paraphrase now has a different gold query than its siblings
    (b / "items.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    return [*VERIFY, str(b)]


def _out_is_a_file(b: Path) -> list[str]:
    (b.parent / "a-file").write_text("precious")
    return [*BUILD, "--out", str(b.parent / "a-file")]


def _out_inside_a_file(b: Path) -> list[str]:
    (b.parent / "a-file").write_text("precious")
    return [*BUILD, "--out", str(b.parent / "a-file" / "bench")]


def _out_unwritable(b: Path) -> list[str]:
    return [*BUILD, "--out", "/proc/momq-cannot-write-here/bench"]  # not even root may create folders in /proc


BROKEN = {
    "corrupt card.json": (_corrupt_card, EXIT_BAD_INPUT, "card.json: not valid JSON"),
    "card.json of another shape": (_card_of_another_shape, EXIT_BAD_INPUT, "card.json: not a data card"),
    "binary items.jsonl": (_binary_items, EXIT_BAD_INPUT, "items.jsonl:1: not UTF-8 text"),
    "empty items.jsonl": (_empty_items, EXIT_BAD_INPUT, "items.jsonl: no items to verify"),
    "missing databases/": (_no_databases, EXIT_BAD_INPUT, "not a benchmark build (missing databases)"),
    "database not JSON": (_database_not_json, EXIT_BAD_INPUT, "company.graph.json: not valid JSON"),
    "database of another shape": (_database_of_another_shape, EXIT_BAD_INPUT, "field 'name' has the wrong type"),
    "binary database": (_database_binary, EXIT_BAD_INPUT, "movies.relational.json: not UTF-8 text"),
    "edited gold query": (_edited_gold_query, EXIT_BAD_INPUT, "two different postgresql gold queries"),
    "build --out on a file": (_out_is_a_file, EXIT_BAD_INPUT, "a-file is not a folder"),
    "build --out inside a file": (_out_inside_a_file, EXIT_BAD_INPUT, "a-file, which is not a folder"),
    "build --out unwritable": (_out_unwritable, EXIT_BAD_INPUT, "cannot create a folder in /proc"),
}


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_broken_inputs_fail_in_one_line(home, copy_of, case):
    damage, code, message = BROKEN[case]
    b = copy_of()
    args = damage(b)
    before = snapshot(b.parent)
    assert_one_line_failure(momq(home, *args), code, message)
    assert snapshot(b.parent) == before  # a failing command changes nothing


HOME_IS_A_FILE = {
    "engines up": lambda tmp: ["engines", "up", "falkordb"],
    "engines down": lambda tmp: ["engines", "down"],
    "engines status": lambda tmp: ["engines", "status"],
    "bench verify": lambda tmp: [*VERIFY, str(tmp / "build")],
    "bench build": lambda tmp: [*BUILD, "--out", str(tmp / "new")],
}


@pytest.mark.parametrize("case", HOME_IS_A_FILE, ids=list(HOME_IS_A_FILE))
def test_momq_home_pointing_at_a_file(tmp_path, case):
    (tmp_path / "home").write_text("not a folder")
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "items.jsonl").write_text('{"id": "a", "db_id": "d", "dialect": "mysql", '
                                                    '"question": "q", "query": "SELECT 1"}\n')
    before = snapshot(tmp_path)
    result = momq(tmp_path / "home", *HOME_IS_A_FILE[case](tmp_path))
    assert_one_line_failure(result, EXIT_BAD_INPUT, "state folder", str(tmp_path / "home"))
    assert snapshot(tmp_path) == before


# ----------------------------------------------------------------------------------------------- servers that die
@pytest.fixture
def kill_after_connect(home, monkeypatch):
    """``kill_after_connect(name)``: the next command connects to the real engines, then ``name``'s server is
    killed (SIGKILL) before the command uses them; ``kill_after_connect.restart()`` (and the teardown) starts the
    killed servers again."""
    real = manager_module.dialect_engines

    class Killer:
        def __init__(self) -> None:
            self.killed: list[str] = []

        def __call__(self, name: str) -> None:
            def connect_then_kill(*args, **kwargs):
                monkeypatch.setattr(manager_module, "dialect_engines", real)  # only the next command
                engines = real(*args, **kwargs)
                pid = EngineManager(home).server(name).pid()
                os.kill(pid, signal.SIGKILL)
                deadline = time.monotonic() + 10
                while pid_alive(pid) and time.monotonic() < deadline:
                    time.sleep(0.02)
                return engines
            monkeypatch.setattr(manager_module, "dialect_engines", connect_then_kill)
            self.killed.append(name)

        def restart(self) -> None:
            for name in self.killed:
                EngineManager(home).down([name])  # also ends what a killed server left (PostgreSQL backends)
                EngineManager(home).up([name])
            self.killed.clear()

    killer = Killer()
    yield killer
    killer.restart()


KILLED = {
    "MariaDB while verify loads": ("mariadb", ["--load"], "MariaDB is not reachable"),
    "PostgreSQL while verify loads": ("postgresql", ["--load"], "PostgreSQL is not reachable"),
    "FalkorDB while verify loads": ("falkordb", ["--load"], "cannot reach FalkorDB"),
    "FalkorDB while verify queries": ("falkordb", ["--no-load"], "cannot reach FalkorDB"),
}


@pytest.mark.parametrize("case", KILLED, ids=list(KILLED))
def test_a_server_killed_during_verify_is_one_line(home, copy_of, kill_after_connect, case):
    name, load, message = KILLED[case]
    b = copy_of()
    kill_after_connect(name)
    result = momq(home, *VERIFY, *load, str(b))
    assert_one_line_failure(result, EXIT_ENGINE, message)
    assert not result.stdout.strip()  # no agreement table: nothing was concluded about the gold queries


def test_a_server_killed_during_build_leaves_the_earlier_build(home, copy_of, kill_after_connect):
    b = copy_of()
    (b / "databases" / "stale.graph.json").write_text("{}")  # a name a build writes: ours to replace
    before = snapshot(b.parent)
    kill_after_connect("falkordb")
    assert_one_line_failure(momq(home, *BUILD, "--out", str(b)), EXIT_ENGINE, "cannot reach FalkorDB")
    assert snapshot(b.parent) == before  # the old build is intact and no half-written stage is left

    kill_after_connect.restart()
    result = momq(home, *BUILD, "--out", str(b))  # with the server back, the new build replaces the old one
    assert result.exit_code == 0, result.output
    assert not (b / "databases" / "stale.graph.json").exists()
    assert json.loads((b / "card.json").read_text())["name"] == "b"
    assert sorted(p.name for p in b.parent.iterdir()) == ["b"]


# ----------------------------------------------------------------------------------------------- item 10: --out
def _users_folder(folder: Path) -> Path:
    """What a user lost in issue 11 item 10."""
    (folder / "databases").mkdir(parents=True)
    (folder / "databases" / "prod_dump.sql").write_text("CREATE TABLE customers (id int);\n")
    (folder / "splits").mkdir()
    (folder / "splits" / "train.jsonl").write_text('{"mine": true}\n')
    (folder / "manifest.json").write_text('{"project": "not momq"}\n')
    return folder


OUT_OPTIONS = {
    "bad domain": (["--domains", "company,nope"], "unknown domain"),
    "one domain": (["--domains", "company"], "at least two domains"),
    "good options": (["--domains", DOMAINS, "--queries", "2"], "not a benchmark build"),
}


@pytest.mark.parametrize("case", OUT_OPTIONS, ids=list(OUT_OPTIONS))
def test_build_never_deletes_a_users_files(home, tmp_path, case):
    options, message = OUT_OPTIONS[case]
    out = _users_folder(tmp_path / "mine")
    before = snapshot(tmp_path)
    result = momq(home, "bench", "build", "--no-lint", "--no-progress", *options, "--out", str(out))
    assert result.exit_code == 2, result.output  # an option error or a refused folder
    assert isinstance(result.exception, SystemExit) and "Traceback" not in result.output
    assert message in result.output
    assert snapshot(tmp_path) == before  # byte-identical, nothing added or removed


# ----------------------------------------------------------------------------------------------- the real entry point
def test_the_entry_point_prints_one_line_and_v_adds_the_traceback(tmp_path):
    (tmp_path / "card.json").write_text("[1, 2")
    cmd = [sys.executable, "-m", "momq.cli"]
    plain = subprocess.run([*cmd, "bench", "stats", str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert plain.returncode == EXIT_BAD_INPUT
    assert plain.stderr.strip().splitlines() == [f"error: {tmp_path / 'card.json'}: not valid JSON "
                                                 f"(Expecting ',' delimiter, line 1); rebuild it with "
                                                 f"`momq bench build`"]
    verbose = subprocess.run([*cmd, "-v", "bench", "stats", str(tmp_path)], capture_output=True, text=True,
                             timeout=120)
    assert verbose.returncode == EXIT_BAD_INPUT
    assert "Traceback" in verbose.stderr and "JSONDecodeError" in verbose.stderr
    assert verbose.stderr.strip().splitlines()[-1] == plain.stderr.strip()


def test_a_bug_keeps_its_traceback():
    """Only expected failures are shortened: an unexpected exception type is not in the table."""
    from momq.cli import describe

    assert describe(KeyError("x")) is None and describe(TypeError("x")) is None
    assert describe(FileNotFoundError(2, "No such file or directory", "/x")) == (
        "No such file or directory: /x", EXIT_BAD_INPUT)
