"""``momq db load`` through the real command, for the four dialects, against real engines in a private
MOMQ_HOME: a load prints its counts and the data answers; a bad dump or script fails in one ``error:`` line with
the right exit status and leaves the database / graph already loaded under that name as it was, with nothing
left behind (no temporary database, no staging graph)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from momq.cli import EXIT_BAD_INPUT, EXIT_ENGINE
from momq.engines.base import ExecutionLimits
from momq.engines.manager import dialect_engines
from tests.fixtures.cli import assert_one_line_failure, momq
from tests.ingest.roundtrip import CYPHER_SCRIPT, NGQL_SCRIPT

DUMPS = Path(__file__).parents[1] / "fixtures" / "dumps"
LIMITS = ExecutionLimits(timeout_s=60)  # the machine may be busy; these are tiny queries


@pytest.fixture(scope="module")
def engines(home):
    engines = dialect_engines(home)
    yield engines
    for engine in engines.values():
        engine.close()


def everything(engines, dialect: str) -> list[str]:
    """Every database (SQL) or graph (FalkorDB, staging ones included) on the dialect's server."""
    engine = engines[dialect]
    if dialect in ("cypher", "ngql"):
        return sorted(g.decode() if isinstance(g, bytes) else g for g in engines["cypher"]._command("GRAPH.LIST"))
    return engine.databases()


# ----------------------------------------------------------------------------------------------- success
@pytest.mark.parametrize("dialect,path,name,printed,query,rows", [
    ("mysql", DUMPS / "mysql_source.sql", "cli_shop",
     r"into MariaDB database cli_shop: 10 statements run, 0 skipped, 3 tables, 2 views",
     "SELECT COUNT(*) FROM customer", [(3,)]),
    ("postgresql", DUMPS / "pg_source.sql", "cli_shop",
     r"into PostgreSQL database cli_shop: 13 statements run, 0 skipped, 4 tables, 1 views",
     "SELECT COUNT(*) FROM customer", [(3,)]),
    ("cypher", CYPHER_SCRIPT, "cli_movies",
     r"into FalkorDB graph cli_movies: \d+ statements, [1-9]\d* nodes and [1-9]\d* relationships created, "
     r"[1-9]\d* CSV rows",
     "MATCH (m:Movie {title: 'The Matrix'}) RETURN m.released", [(1999,)]),
    ("ngql", NGQL_SCRIPT, "cli_bball",
     r"into the nGQL emulation as space cli_bball: 3 tags, 2 edge types, 7 vertices \(2 with several tags\), "
     r"9 edges",
     'FETCH PROP ON player "player104" YIELD player.age AS age', [(30,)]),
], ids=["mysql", "postgresql", "cypher", "ngql"])
def test_a_load_prints_its_counts_and_answers(home, engines, dialect, path, name, printed, query, rows):
    result = momq(home, "db", "load", str(path), "--dialect", dialect, "--name", name)
    assert result.exit_code == 0, result.output
    assert re.search(printed, result.stdout), result.stdout
    try:
        assert engines[dialect].execute(name, query, LIMITS).rows == rows
    finally:
        engines[dialect].drop(name)


def test_a_dump_is_named_after_its_file_without_the_dialect_suffix(home, engines, tmp_path):
    path = tmp_path / "cli_stem.postgresql.sql"
    path.write_text("CREATE TABLE t (a int);\nINSERT INTO t VALUES (7);\n", encoding="utf-8")
    result = momq(home, "db", "load", str(path), "--dialect", "postgresql")
    assert result.exit_code == 0 and "database cli_stem:" in result.stdout, result.output
    engines["postgresql"].drop("cli_stem")


# ----------------------------------------------------------------------------------------------- failures
NGQL_HEAD = ("CREATE SPACE s(vid_type=FIXED_STRING(8));\nUSE s;\nCREATE TAG t(a int NOT NULL);\n"
             "CREATE EDGE e(w double);\n")
#: dialect -> (file suffix, what loads first under the name, a read-only query and what it answers)
KEPT = {
    "mysql": ("sql", "CREATE TABLE t (a int PRIMARY KEY);\nINSERT INTO t VALUES (42);\n", "SELECT a FROM t", [(42,)]),
    "postgresql": ("sql", "CREATE TABLE t (a int PRIMARY KEY);\nINSERT INTO t VALUES (42);\n", "SELECT a FROM t",
                   [(42,)]),
    "cypher": ("cypher", "CREATE (:Old {v: 42});\n", "MATCH (n:Old) RETURN n.v", [(42,)]),
    "ngql": ("ngql", NGQL_HEAD + 'INSERT VERTEX t(a) VALUES "x":(42);\n', 'FETCH PROP ON t "x" YIELD t.a AS a',
             [(42,)]),
}
FAILING = [  # (dialect, text, exit status, what the error line says)
    ("mysql", "CREATE TABLE t (a int PRIMARY KEY);\n\nINSERT INTO t VALUES (1), (1);\n", EXIT_BAD_INPUT,
     r"statement 2 \(line 3\) failed in MariaDB: .*Duplicate"),
    ("mysql", "CREATE TABLE t (a int;\n", EXIT_BAD_INPUT, r"statement 1 \(line 1\) failed in MariaDB: .*syntax"),
    ("mysql", "CREATE TABLE t (a int);\nCREATE USER evil;\n", EXIT_BAD_INPUT, r"statement 2 \(line 2\) creates a user"),
    ("mysql", "CREATE TABLE t (a int);\nLOAD DATA INFILE '/etc/passwd' INTO TABLE t;\n", EXIT_BAD_INPUT,
     r"statement 2 \(line 2\) reads a file"),
    ("mysql", "CREATE DATABASE shop;\nCREATE TABLE t (a int);\nUSE `other`;\n", EXIT_BAD_INPUT,
     r"statement 3 \(line 3\) names database 'other'"),
    ("postgresql", "CREATE TABLE t (a int PRIMARY KEY);\n\nINSERT INTO t VALUES (1), (1);\n", EXIT_BAD_INPUT,
     r"statement 2 \(line 3\) failed in PostgreSQL: .*duplicate"),
    ("postgresql", "CREATE TABLE t (a int);\nCOPY t FROM '/etc/passwd';\n", EXIT_BAD_INPUT,
     r"statement 2 \(line 2\) copies from or to a file"),
    ("postgresql", "CREATE TABLE t (a int);\nCREATE ROLE evil SUPERUSER;\n", EXIT_BAD_INPUT,
     r"statement 2 \(line 2\) creates a role"),
    ("cypher", "CREATE (:A {x: 1});\nCREATE (:B {y: });\n", EXIT_BAD_INPUT, r"bad\.cypher:2: statement 2 .*FalkorDB"),
    ("cypher", "CREATE (:A);\nLOAD CSV FROM '/etc/passwd' AS r CREATE (:B);\n", EXIT_BAD_INPUT, r"only files inside"),
    ("cypher", "LOAD CSV FROM 'file:///../outside.csv' AS r CREATE (:B);\n", EXIT_BAD_INPUT, r"only files inside"),
    ("ngql", NGQL_HEAD + 'INSERT VERTEX t(a) VALUES "y":(2);\nINSERT EDGE e(w) VALUES "y"->"z":(1.0);\n',
     EXIT_BAD_INPUT, r"bad\.ngql:6: statement 6 .*no INSERT VERTEX created 'z'"),
    ("ngql", NGQL_HEAD + 'INSERT VERTEX t(a) VALUES "y":("one");\n', EXIT_BAD_INPUT, r"not a valid integer"),
]


@pytest.mark.parametrize("dialect,text,exit_code,message", FAILING,
                         ids=[f"{d}-{i}" for i, (d, *_) in enumerate(FAILING)])
def test_a_failed_load_is_one_line_and_keeps_what_was_there(home, engines, tmp_path, dialect, text, exit_code,
                                                           message):
    suffix, kept, query, rows = KEPT[dialect]
    (tmp_path / "data").mkdir()
    (tmp_path / "outside.csv").write_text("a\n1\n", encoding="utf-8")
    good, bad = tmp_path / "data" / f"good.{suffix}", tmp_path / "data" / f"bad.{suffix}"
    good.write_text(kept, encoding="utf-8")
    bad.write_text(text, encoding="utf-8")
    assert momq(home, "db", "load", str(good), "--dialect", dialect, "--name", "cli_keep").exit_code == 0
    try:
        before = everything(engines, dialect)
        line = assert_one_line_failure(momq(home, "db", "load", str(bad), "--dialect", dialect, "--name", "cli_keep"),
                              exit_code)
        assert re.search(message, line), line
        assert str(bad) in line or bad.name in line, line  # names the file
        assert engines[dialect].execute("cli_keep", query, LIMITS).rows == rows
        assert everything(engines, dialect) == before
    finally:
        engines[dialect].drop("cli_keep")


@pytest.mark.parametrize("dialect", ["mysql", "postgresql", "cypher", "ngql"])
def test_a_file_that_is_not_utf8_is_bad_input(home, engines, tmp_path, dialect):
    path = tmp_path / "binary.txt"
    path.write_bytes(b"CREATE TABLE t (a int);\n\xff\xfe\x00")
    before = everything(engines, dialect)
    line = assert_one_line_failure(momq(home, "db", "load", str(path), "--dialect", dialect, "--name", "cli_bin"),
                          EXIT_BAD_INPUT)
    assert "not UTF-8" in line
    assert everything(engines, dialect) == before


@pytest.mark.parametrize("dialect,server", [("mysql", "mariadb"), ("postgresql", "postgresql"),
                                            ("cypher", "falkordb"), ("ngql", "falkordb")])
def test_no_server_running_is_exit_3_naming_it(tmp_path, dialect, server):
    path = tmp_path / "x.sql"
    path.write_text("CREATE TABLE t (a int);\n", encoding="utf-8")
    line = assert_one_line_failure(momq(tmp_path / "home", "db", "load", str(path), "--dialect", dialect), EXIT_ENGINE)
    assert f"the {server} server is not running" in line and f"momq engines up {server}" in line
