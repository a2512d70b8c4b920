"""SQL dumps: split like the real clients, screened for what reaches outside the database, run by the real
engine as a loader account, swapped in atomically, and read back the same as the database they came from."""

from __future__ import annotations

import pytest

from benchmarks.dump_roundtrip import CASES, run_case
from momq.engines.base import UnsafeQueryError
from momq.engines.sql_dump import DumpLoadFailed, DumpRefused, read_dump

MYSQL_DUMP = """/*M!999999\\- enable the sandbox mode */
-- MariaDB dump 10.19
/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
DROP DATABASE IF EXISTS `shop`;
CREATE DATABASE /*!32312 IF NOT EXISTS*/ `shop`;
USE `shop`;
CREATE TABLE `t` (`a` int, `b` varchar(10) DEFAULT 'x;y');
INSERT INTO `t` VALUES (1,'it''s; fine'),(2,"q\\";");
DELIMITER ;;
CREATE DEFINER=`root`@`localhost` PROCEDURE p() BEGIN SELECT 1; SELECT 2; END ;;
DELIMITER ;
/*!50013 DEFINER=`root`@`localhost` SQL SECURITY DEFINER */
/*!50001 VIEW `v` AS select 1 AS `x` */;
"""

PG_DUMP = """--
-- PostgreSQL database dump
--
\\restrict abc123

SET statement_timeout = 0;
SELECT pg_catalog.set_config('search_path', '', false);
CREATE SCHEMA sales;
ALTER SCHEMA sales OWNER TO postgres;
CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;
COPY sales.t (a, b) FROM stdin;
1\tit's; not SQL
2\t\\N
\\.

GRANT SELECT ON sales.t TO someone;
\\unrestrict abc123
"""


@pytest.mark.parametrize("dialect,text,want", [
    ("mysql", MYSQL_DUMP, [
        (1, "run", "/*M!999999"), (4, "skip", "DROP DATABASE"), (5, "skip", "CREATE DATABASE"), (6, "skip", "USE"),
        (7, "run", "CREATE TABLE"), (8, "run", "INSERT INTO `t` VALUES (1,'it''s; fine'),(2,\"q\\\";\")"),
        (9, "skip", "DELIMITER ;;"), (10, "run", "CREATE  PROCEDURE p() BEGIN SELECT 1; SELECT 2; END"),
        (11, "skip", "DELIMITER ;"), (12, "run", "/*!50013  SQL SECURITY DEFINER */"),
    ]),
    ("postgresql", PG_DUMP, [
        (4, "skip", "\\restrict"), (6, "run", "SET statement_timeout"), (7, "run", "SELECT pg_catalog.set_config"),
        (8, "run", "CREATE SCHEMA"), (9, "skip", "ALTER SCHEMA sales OWNER"), (10, "run", "CREATE FUNCTION f()"),
        (11, "run", "COPY sales.t"), (16, "skip", "GRANT"), (17, "skip", "\\unrestrict"),
    ]),
])
def test_dumps_are_split_like_the_real_clients(dialect, text, want):
    dump = read_dump(text, dialect, "shop")
    got = [(s.line, s.action, s.text) for s in dump.statements]
    assert [(line, action) for line, action, _ in got] == [(line, action) for line, action, _ in want]
    for (_, _, text_got), (_, _, prefix) in zip(got, want):
        assert text_got.startswith(prefix), (text_got, prefix)
    if dialect == "postgresql":
        copy = next(s for s in dump.statements if s.text.startswith("COPY"))
        assert copy.copy_data == "1\tit's; not SQL\n2\t\\N\n"
    else:
        assert dump.database == "shop" and "DEFINER=" not in "".join(s.text for s in dump.to_run)


@pytest.mark.parametrize("dialect,statement,why", [
    ("mysql", "CREATE USER 'x'@'%' IDENTIFIED BY 'y'", "creates a user"),
    ("mysql", "GRANT ALL ON *.* TO 'x'@'%'", "grants privileges"),
    ("mysql", "SET GLOBAL max_connections = 1", "server-wide setting"),
    ("mysql", "SET @@GLOBAL.read_only = 1", "server-wide setting"),
    ("mysql", "SET sql_mode = '', GLOBAL max_connections = 1", "server-wide setting"),
    ("mysql", "LOAD DATA INFILE '/etc/passwd' INTO TABLE t", "reads a file"),
    ("mysql", "SELECT * FROM t INTO OUTFILE '/tmp/x'", "writes a file"),
    ("mysql", "INSERT INTO t VALUES (LOAD_FILE('/etc/passwd'))", "reads a file"),
    ("mysql", "INSTALL SONAME 'ha_connect'", "installs a plugin"),
    ("mysql", "CREATE EVENT e ON SCHEDULE EVERY 1 SECOND DO DELETE FROM t", "schedules work"),
    ("mysql", "\\! rm -rf /", "client command"),
    ("mysql", "USE `other`", "names database 'other'"),
    ("mysql", "DROP DATABASE `mysql`", "names database 'mysql'"),
    ("postgresql", "CREATE ROLE evil SUPERUSER", "creates a role"),
    ("postgresql", "ALTER SYSTEM SET fsync = on", "server-wide setting"),
    ("postgresql", "COPY t FROM '/etc/passwd'", "copies from or to a file"),
    ("postgresql", "COPY t FROM PROGRAM 'id'", "copies from or to a file"),
    ("postgresql", "COPY t TO STDOUT", "copies from or to a file"),
    ("postgresql", "SET SESSION AUTHORIZATION postgres", "session's user"),
    ("postgresql", "SET ROLE postgres", "session's role"),
    ("postgresql", "SELECT pg_read_file('/etc/passwd')", "reads a file"),
    ("postgresql", "\\! id", "client command"),
    ("postgresql", "\\copy t from '/etc/passwd'", "client command"),
    ("postgresql", "\\connect other", "names database 'other'"),
    ("postgresql", "CREATE SUBSCRIPTION s CONNECTION 'host=x' PUBLICATION p", "subscribes"),
])
def test_statements_that_reach_outside_the_database_are_refused_with_statement_and_line(dialect, statement, why):
    header = "CREATE DATABASE shop;\n" if dialect == "mysql" else "\\connect shop\n"
    end = "" if statement.startswith("\\") else ";"  # a client command ends at the end of its line
    text = header + "CREATE TABLE t (a int);\n\n" + statement + end + "\n"
    with pytest.raises(DumpRefused, match=rf"statement 3 \(line 4\) .*{why}") as info:
        read_dump(text, dialect, "shop")
    assert isinstance(info.value, UnsafeQueryError)


def engine_for(dialect, mariadb_engine, postgres_engine):
    return mariadb_engine if dialect == "mysql" else postgres_engine


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_real_tool_and_benchmark_style_dumps_load_and_read_back_like_their_source(case, mariadb_engine,
                                                                                  postgres_engine):
    outcome = run_case(case, mariadb_engine, postgres_engine)
    assert outcome.loaded, outcome.detail
    assert outcome.queries >= 2 and outcome.equal == outcome.queries, outcome.detail
    assert outcome.schema_equal, outcome.detail
    engine = engine_for(case.dialect, mariadb_engine, postgres_engine)
    assert not [d for d in engine.databases() if d.startswith("momq_load_")]


FAILING = {  # the third statement, on line 5, fails in the engine
    "mysql": "DROP DATABASE IF EXISTS keep;\nCREATE TABLE t (a int PRIMARY KEY);\n\n\n"
             "INSERT INTO t VALUES (1), (1);\n",
    "postgresql": "CREATE SCHEMA s;\nCREATE TABLE s.t (a int PRIMARY KEY);\n\n\n"
                  "INSERT INTO s.t VALUES (1), (1);\n",
}


@pytest.mark.parametrize("dialect", ["mysql", "postgresql"])
def test_a_failed_load_leaves_nothing_behind_and_keeps_the_previous_database(dialect, mariadb_engine,
                                                                             postgres_engine):
    engine = engine_for(dialect, mariadb_engine, postgres_engine)
    good = "CREATE TABLE t (a int);\nINSERT INTO t VALUES (42);\n"
    engine.load_dump("keep", good)
    before = engine.databases()
    with pytest.raises(DumpLoadFailed, match=r"statement 3 \(line 5\) failed in (MariaDB|PostgreSQL): .*[Dd]uplicate"):
        engine.load_dump("keep", FAILING[dialect])
    assert engine.databases() == before
    assert engine.execute("keep", "SELECT a FROM t").rows == [(42,)]
    with pytest.raises(DumpRefused):
        engine.load_dump("fresh", "CREATE TABLE t (a int);\nCREATE USER evil;\n")
    assert engine.databases() == before
    with pytest.raises(UnsafeQueryError):  # loaded data is read through the read-only account
        engine.execute("keep", "DELETE FROM t")
    engine.drop("keep")


def test_postgres_loads_trusted_extensions_and_refuses_the_others(postgres_engine):
    postgres_engine.load_dump("ext_ok", "CREATE EXTENSION IF NOT EXISTS pgcrypto;\n"
                                        "CREATE TABLE t (h text DEFAULT encode(digest('x', 'sha1'), 'hex'));\n")
    assert postgres_engine.schema("ext_ok").table("t").column("h").default.startswith("encode(")
    with pytest.raises(DumpRefused, match=r"statement 1 \(line 1\) creates extension file_fdw"):
        postgres_engine.load_dump("ext_bad", "CREATE EXTENSION file_fdw;\n")
    assert "ext_bad" not in postgres_engine.databases()
    postgres_engine.drop("ext_ok")


def test_introspection_covers_namespaces_keys_defaults_views_and_time_types(postgres_engine, mariadb_engine):
    from benchmarks.dump_roundtrip import FIXTURES
    from momq.schema import ListType, ValueType as V

    postgres_engine.load_dump("intro_pg", (FIXTURES / "pg_source.sql").read_text())
    spec = postgres_engine.schema("intro_pg")
    assert spec.namespaces == ("geo", "sales")
    geo, sales = spec.table("geo.region"), spec.table("sales.region")
    assert geo.primary_key == ("country", "code") and geo.column("opened").default == "now()"
    assert sales.unique_keys == (("country", "code"),)
    assert [(fk.columns, fk.ref_qualified, fk.ref_columns) for fk in sales.foreign_keys] == [
        (("country", "code"), "geo.region", ("country", "code"))]
    customer = spec.table("customer")
    assert customer.schema is None and customer.foreign_keys[0].ref_qualified == "sales.region"
    assert [customer.column(c).type for c in ("seen", "opens", "trial", "tags", "tier", "balance")] == [
        V.DATETIME, V.TIME, V.INTERVAL, ListType(V.TEXT), V.TEXT, V.DECIMAL]
    assert not customer.column("vip").nullable and customer.column("vip").default == "false"
    assert [v.qualified_name for v in spec.views] == ["sales.customer_region"]
    assert "JOIN geo.region" in spec.views[0].definition and spec.views[0].column_names[-1] == "region_name"
    postgres_engine.drop("intro_pg")

    mariadb_engine.load_dump("intro_my", (FIXTURES / "mysql_source.sql").read_text())
    spec = mariadb_engine.schema("intro_my")
    region, customer = spec.table("region"), spec.table("customer")
    assert region.primary_key == ("country", "code") and region.column("opened").type is V.DATETIME
    assert customer.unique_keys == (("name", "born"),) and customer.column("opens").type is V.TIME
    assert customer.column("tier").default == "'bronze'" and customer.column("born").default is None
    assert customer.column("vip").type is V.BOOLEAN and not customer.column("vip").nullable
    assert [(fk.columns, fk.ref_table) for fk in customer.foreign_keys] == [(("country", "code"), "region")]
    assert sorted(v.name for v in spec.views) == ["customer_region", "gold_region"]
    # the routines and the trigger moved with the tables: the trigger wrote one audit row per customer
    assert mariadb_engine.execute("intro_my", "SELECT COUNT(*) FROM audit").rows == [(3,)]
    # the read-only account may not run routines; the refusal is UnsafeQueryError, not "no function": it exists
    with pytest.raises(UnsafeQueryError, match="tier_rank"):
        mariadb_engine.execute("intro_my", "SELECT tier_rank('gold')")
    mariadb_engine.drop("intro_my")
