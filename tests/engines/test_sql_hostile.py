"""Hostile SQL against the real MariaDB and PostgreSQL engines: nothing may change data, every call must end.

Each case is one untrusted query with its expected outcome: a specific EngineError subclass, a truncated result
(row cap), or HARMLESS (the server may answer, but nothing may change). For every case the test checks that the
call returns within its time limit (plus a generous margin for a loaded machine) and that a checksum of every
table, sequence, database, account and grant is unchanged. Cases the textual pre-check refuses are run a second
time straight at the read-only session (no pre-check), to show that the server itself refuses or neutralises
them: the pre-check is not the safety boundary.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import pytest

from momq.engines.base import EngineError, ExecutionLimits, QueryFailed, QueryTimeout, UnsafeQueryError
from momq.engines.sql_safety import check_read_query
from tests.fixtures.sql_engines import sample_database

TRUNCATED = "truncated"
HARMLESS = "harmless"
MARGIN_S = 5.0  # a returned call must come back within timeout + this (a loaded 2-core CI machine)
SENTINELS = [Path("/tmp/momq_hostile_outfile"), Path("/tmp/momq_hostile_dumpfile"),
             Path("/tmp/momq_hostile_program")]

MYSQL_CASES = [
    ("drop_table", "DROP TABLE customer", UnsafeQueryError),
    ("drop_database", "DROP DATABASE victim", UnsafeQueryError),
    ("delete", "DELETE FROM customer", UnsafeQueryError),
    ("update", "UPDATE customer SET name = 'x'", UnsafeQueryError),
    ("insert", "INSERT INTO customer (id, name) VALUES (99, 'x')", UnsafeQueryError),
    ("replace", "REPLACE INTO customer (id, name) VALUES (1, 'x')", UnsafeQueryError),
    ("create_table", "CREATE TABLE evil (id INT)", UnsafeQueryError),
    ("create_temporary_table", "CREATE TEMPORARY TABLE evil (id INT)", UnsafeQueryError),
    ("alter_table", "ALTER TABLE customer ADD COLUMN evil INT", UnsafeQueryError),
    ("truncate", "TRUNCATE TABLE order_line", UnsafeQueryError),
    ("rename_table", "RENAME TABLE customer TO c2", UnsafeQueryError),
    ("grant", "GRANT ALL PRIVILEGES ON *.* TO 'momq_reader'@'127.0.0.1'", UnsafeQueryError),
    ("create_user", "CREATE USER evil IDENTIFIED BY 'x'", UnsafeQueryError),
    ("load_data", "LOAD DATA INFILE '/etc/hostname' INTO TABLE customer", UnsafeQueryError),
    ("into_outfile", "SELECT * FROM customer INTO OUTFILE '/tmp/momq_hostile_outfile'", UnsafeQueryError),
    ("into_dumpfile", "SELECT name FROM customer LIMIT 1 INTO DUMPFILE '/tmp/momq_hostile_dumpfile'",
     UnsafeQueryError),
    ("into_variable", "SELECT name INTO @stolen FROM customer LIMIT 1", UnsafeQueryError),
    ("set_global", "SET GLOBAL max_connections = 1", UnsafeQueryError),
    ("set_session_no_timeout", "SET SESSION max_statement_time = 0", UnsafeQueryError),
    ("set_statement_sleep", "SET STATEMENT max_statement_time = 0 FOR SELECT SLEEP(30)", UnsafeQueryError),
    ("call_procedure", "CALL sys.ps_truncate_all_tables(FALSE)", UnsafeQueryError),
    ("lock_tables", "LOCK TABLES customer WRITE", UnsafeQueryError),
    ("for_update", "SELECT * FROM customer FOR UPDATE", UnsafeQueryError),
    ("lock_in_share_mode", "SELECT * FROM customer LOCK IN SHARE MODE", UnsafeQueryError),
    ("handler", "HANDLER customer OPEN", UnsafeQueryError),
    ("prepare", "PREPARE s FROM 'DROP TABLE customer'", UnsafeQueryError),
    ("do_sleep", "DO SLEEP(30)", UnsafeQueryError),
    ("kill", "KILL CONNECTION 1", UnsafeQueryError),
    ("shutdown", "SHUTDOWN", UnsafeQueryError),
    ("flush", "FLUSH PRIVILEGES", UnsafeQueryError),
    ("install_plugin", "INSTALL SONAME 'ha_connect'", UnsafeQueryError),
    ("two_statements", "SELECT 1; DROP TABLE customer", UnsafeQueryError),
    ("line_comment_hides_second", "SELECT 1; -- harmless\nDELETE FROM customer", UnsafeQueryError),
    ("hash_comment_hides_second", "SELECT 1 # comment\n; DROP TABLE customer", UnsafeQueryError),
    ("block_comment_hides_second", "SELECT 1 /* ; */ ; DELETE FROM customer", UnsafeQueryError),
    ("string_hides_semicolon", "SELECT ';' ; DROP TABLE customer", UnsafeQueryError),
    ("executable_comment", "SELECT 1 /*! ; DROP TABLE customer */", UnsafeQueryError),
    ("versioned_executable_comment", "/*!50000 DROP TABLE customer */", UnsafeQueryError),
    ("mariadb_executable_comment", "SELECT 1 /*M!100000 ; TRUNCATE order_line */", UnsafeQueryError),
    ("nextval", "SELECT NEXTVAL(victim_seq)", UnsafeQueryError),  # refused by the read-only transaction
    ("setval", "SELECT SETVAL(victim_seq, 100)", UnsafeQueryError),
    ("system_table", "SELECT * FROM mysql.user", UnsafeQueryError),  # refused by the reader's grants
    ("sleep", "SELECT SLEEP(30)", QueryTimeout),
    ("sleep_per_row", "SELECT * FROM customer WHERE SLEEP(30) = 0", QueryTimeout),
    ("benchmark", "SELECT BENCHMARK(100000000000, MD5('x'))", HARMLESS),  # MariaDB stops it and answers 0
    ("recursive_cte_billions",
     "WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 1000) "
     "SELECT COUNT(*) FROM s a, s b, s c", QueryTimeout),
    ("cartesian_rows",
     "WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 1000) "
     "SELECT * FROM s a, s b, s c", TRUNCATED),
    ("cartesian_self_join_count", "SELECT COUNT(*) FROM " + ", ".join(f"customer c{i}" for i in range(16)),
     QueryTimeout),
]

PG_CASES = [
    ("drop_table", "DROP TABLE customer", UnsafeQueryError),
    ("drop_database", "DROP DATABASE victim", UnsafeQueryError),
    ("delete", "DELETE FROM customer", UnsafeQueryError),
    ("update", "UPDATE customer SET name = 'x'", UnsafeQueryError),
    ("insert", "INSERT INTO customer (id, name) VALUES (99, 'x')", UnsafeQueryError),
    ("merge", "MERGE INTO customer c USING product p ON false WHEN NOT MATCHED THEN INSERT (id, name) "
              "VALUES (100, 'x')", UnsafeQueryError),
    ("create_table", "CREATE TABLE evil (id int)", UnsafeQueryError),
    ("create_temp_table", "CREATE TEMP TABLE evil (id int)", UnsafeQueryError),
    ("alter_table", "ALTER TABLE customer ADD COLUMN evil int", UnsafeQueryError),
    ("truncate", "TRUNCATE order_line", UnsafeQueryError),
    ("grant", "GRANT ALL ON customer TO PUBLIC", UnsafeQueryError),
    ("create_role", "CREATE ROLE evil SUPERUSER LOGIN", UnsafeQueryError),
    ("copy_to_program", "COPY customer TO PROGRAM 'touch /tmp/momq_hostile_program'", UnsafeQueryError),
    ("copy_from_file", "COPY customer FROM '/etc/hostname'", UnsafeQueryError),
    ("select_into_table", "SELECT * INTO evil FROM customer", UnsafeQueryError),
    ("set_read_write", "SET default_transaction_read_only = off", UnsafeQueryError),
    ("set_session_authorization", "SET SESSION AUTHORIZATION postgres", UnsafeQueryError),
    ("alter_system", "ALTER SYSTEM SET fsync = on", UnsafeQueryError),
    ("do_block", "DO $$ BEGIN DELETE FROM customer; END $$", UnsafeQueryError),
    ("call_procedure", "CALL evil()", UnsafeQueryError),
    ("lock_table", "LOCK TABLE customer IN ACCESS EXCLUSIVE MODE", UnsafeQueryError),
    ("vacuum", "VACUUM FULL customer", UnsafeQueryError),
    ("explain_analyze_delete", "EXPLAIN ANALYZE DELETE FROM customer", UnsafeQueryError),
    ("prepare", "PREPARE p AS DELETE FROM customer", UnsafeQueryError),
    ("for_update", "SELECT * FROM customer FOR UPDATE", UnsafeQueryError),
    ("for_no_key_update", "SELECT * FROM customer FOR NO KEY UPDATE", UnsafeQueryError),
    ("two_statements", "SELECT 1; DROP TABLE customer", UnsafeQueryError),
    ("line_comment_hides_second", "SELECT 1; -- harmless\nDROP TABLE customer", UnsafeQueryError),
    ("nested_comment_hides_second", "SELECT 1 /* outer /* inner ; */ still comment */ ; DROP TABLE customer",
     UnsafeQueryError),
    ("dollar_quote_hides_semicolon", "SELECT $$;$$; DELETE FROM customer", UnsafeQueryError),
    ("escape_string_hides_semicolon", "SELECT E'\\';'; DROP TABLE customer", UnsafeQueryError),
    ("writable_cte", "WITH d AS (DELETE FROM customer RETURNING *) SELECT * FROM d", UnsafeQueryError),
    ("nextval", "SELECT nextval('victim_seq')", UnsafeQueryError),  # refused by the read-only transaction
    ("setval", "SELECT setval('victim_seq', 100)", UnsafeQueryError),
    ("pg_terminate_backend", "SELECT pg_terminate_backend(pg_backend_pid())", UnsafeQueryError),
    ("pg_cancel_backend", "SELECT pg_cancel_backend(pid) FROM pg_stat_activity", UnsafeQueryError),
    ("lo_import", "SELECT lo_import('/etc/hostname')", UnsafeQueryError),
    ("lo_creat", "SELECT lo_creat(-1)", UnsafeQueryError),
    ("pg_read_file", "SELECT pg_read_file('/etc/hostname')", UnsafeQueryError),
    ("advisory_lock", "SELECT pg_advisory_lock(1)", UnsafeQueryError),
    ("pg_reload_conf", "SELECT pg_reload_conf()", UnsafeQueryError),
    ("pg_notify", "SELECT pg_notify('c', 'x')", UnsafeQueryError),
    ("system_catalog", "SELECT * FROM pg_authid", UnsafeQueryError),
    ("dblink_absent", "SELECT * FROM dblink('dbname=postgres', 'DROP TABLE customer') AS t(x text)", QueryFailed),
    ("set_config_read_write", "SELECT set_config('default_transaction_read_only', 'off', false)", HARMLESS),
    ("set_config_no_timeout_then_sleep", "SELECT set_config('statement_timeout', '0', true), pg_sleep(30)",
     QueryTimeout),
    ("pg_sleep", "SELECT pg_sleep(30)", QueryTimeout),
    ("recursive_cte_unbounded", "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) "
                                "SELECT count(*) FROM r", QueryTimeout),
    ("cartesian_count", "SELECT count(*) FROM generate_series(1, 100000) a, generate_series(1, 100000) b",
     QueryTimeout),
    ("cartesian_rows", "SELECT * FROM generate_series(1, 100000) a, generate_series(1, 100000) b", TRUNCATED),
]

LIMITS = ExecutionLimits(timeout_s=1.0, max_rows=100)


# ----------------------------------------------------------------------------------------------- fingerprints
def _mysql_fingerprint(engine) -> str:
    conn = engine._admin()
    parts = []
    try:
        with conn.cursor() as cur:
            for sql in ("SHOW DATABASES", "SELECT user, host FROM mysql.user ORDER BY user, host",
                        "SHOW GRANTS FOR 'momq_reader'@'127.0.0.1'",
                        "SELECT @@global.max_connections, @@global.read_only, @@global.sql_mode",
                        "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE FROM information_schema.COLUMNS "
                        "WHERE TABLE_SCHEMA = 'victim' ORDER BY 1, 2",
                        "SELECT * FROM victim.victim_seq"):
                cur.execute(sql)
                parts.append(cur.fetchall())
            for table in sample_database().tables:
                cur.execute(f"SELECT * FROM victim.`{table.name}` ORDER BY {', '.join(table.primary_key)}")
                parts.append(cur.fetchall())
    finally:
        conn.close()
    parts.append([p.exists() for p in SENTINELS])
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _pg_fingerprint(engine) -> str:
    parts = []
    with engine._connect(engine.user, engine.password, "victim", autocommit=True) as conn:
        for sql in ("SELECT datname FROM pg_database ORDER BY 1",
                    "SELECT rolname, rolsuper, rolcanlogin, rolconfig FROM pg_roles ORDER BY 1",
                    "SELECT c.relname, c.relkind, c.relacl::text FROM pg_class c JOIN pg_namespace n "
                    "ON n.oid = c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', "
                    "'pg_toast') ORDER BY 1",
                    "SELECT table_name, column_name, data_type FROM information_schema.columns "
                    "WHERE table_schema = 'public' ORDER BY 1, 2",
                    "SELECT last_value, is_called FROM victim_seq",
                    "SELECT count(*) FROM pg_largeobject_metadata",
                    "SELECT name, setting FROM pg_settings WHERE name IN ('fsync', "
                    "'default_transaction_read_only') ORDER BY 1"):
            parts.append(conn.execute(sql).fetchall())
        for table in sample_database().tables:
            parts.append(conn.execute(f'SELECT * FROM "{table.name}" ORDER BY '
                                      f'{", ".join(table.primary_key)}').fetchall())
    parts.append([p.exists() for p in SENTINELS])
    return hashlib.sha256(repr(parts).encode()).hexdigest()


# ----------------------------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def mysql_victim(mariadb_engine):
    mariadb_engine.load(sample_database("victim"))
    conn = mariadb_engine._admin("victim")
    with conn.cursor() as cur:
        cur.execute("CREATE SEQUENCE victim_seq")
        cur.execute("GRANT SELECT, INSERT ON victim.victim_seq TO 'momq_reader'@'127.0.0.1'")  # nextval needs it
    conn.close()
    yield mariadb_engine
    mariadb_engine.drop("victim")


@pytest.fixture(scope="module")
def pg_victim(postgres_engine):
    postgres_engine.load(sample_database("victim"))
    with postgres_engine._connect(postgres_engine.user, postgres_engine.password, "victim", autocommit=True) as conn:
        conn.execute("CREATE SEQUENCE victim_seq")
        # grant what nextval/setval need, so that only the read-only transaction stands in their way
        conn.execute("GRANT USAGE, SELECT, UPDATE ON SEQUENCE victim_seq TO momq_reader")
    yield postgres_engine
    postgres_engine.drop("victim")


# ----------------------------------------------------------------------------------------------- the check
def _attempt(run, query: str):
    t0 = time.monotonic()
    try:
        outcome = run(query)
    except EngineError as exc:
        outcome = exc
    return outcome, time.monotonic() - t0


def _check(engine, dialect: str, fingerprint, query: str, expected) -> None:
    before = fingerprint(engine)
    outcome, elapsed = _attempt(lambda q: engine.execute("victim", q, LIMITS), query)
    assert elapsed < LIMITS.timeout_s + MARGIN_S, f"took {elapsed:.1f} s"
    if expected is TRUNCATED:
        assert not isinstance(outcome, Exception) and outcome.truncated and len(outcome.rows) == LIMITS.max_rows
    elif expected is not HARMLESS:
        assert isinstance(outcome, expected), f"expected {expected.__name__}, got {outcome!r}"
    assert fingerprint(engine) == before, "data changed"

    try:
        check_read_query(query, dialect)
    except EngineError:  # refused by the pre-check: now send it to the read-only session directly
        outcome, elapsed = _attempt(lambda q: engine._run_read_only("victim", q, LIMITS), query)
        assert elapsed < LIMITS.timeout_s + MARGIN_S, f"unchecked run took {elapsed:.1f} s"
        assert fingerprint(engine) == before, f"data changed when the pre-check was bypassed ({outcome!r})"
    # the engine is still usable and still read-only
    assert engine.execute("victim", "SELECT COUNT(*) FROM customer", LIMITS).rows == [(4,)]


def test_every_dialect_gets_at_least_30_hostile_inputs():
    assert len(MYSQL_CASES) >= 30 and len(PG_CASES) >= 30
    assert len({c[0] for c in MYSQL_CASES}) == len(MYSQL_CASES) and len({c[0] for c in PG_CASES}) == len(PG_CASES)


@pytest.mark.parametrize("query,expected", [c[1:] for c in MYSQL_CASES], ids=[c[0] for c in MYSQL_CASES])
def test_mysql_hostile(mysql_victim, query, expected):
    _check(mysql_victim, "mysql", _mysql_fingerprint, query, expected)


@pytest.mark.parametrize("query,expected", [c[1:] for c in PG_CASES], ids=[c[0] for c in PG_CASES])
def test_postgresql_hostile(pg_victim, query, expected):
    _check(pg_victim, "postgresql", _pg_fingerprint, query, expected)


def test_postgresql_session_settings_do_not_outlive_a_call(pg_victim):
    """A query that turns the session's default to read-write cannot help the next query write."""
    pg_victim.execute("victim", "SELECT set_config('default_transaction_read_only', 'off', false)", LIMITS)
    rows = pg_victim.execute("victim", "SELECT current_setting('default_transaction_read_only')", LIMITS).rows
    assert rows == [("on",)]
    with pytest.raises(UnsafeQueryError):
        pg_victim._run_read_only("victim", "SELECT nextval('victim_seq')", LIMITS)


# ----------------------------------------------------------------------------------------------- pre-check lexing
@pytest.mark.parametrize("dialect,query,sent", [
    ("mysql", "SELECT 1;", "SELECT 1"),
    ("mysql", "  SELECT 1 ;  -- done\n", "SELECT 1"),
    ("mysql", "SELECT 2--1", "SELECT 2--1"),  # MySQL: "--" needs a space to start a comment
    ("mysql", "SELECT 'it\\'s; fine', \"a;b\", `odd;name` FROM t", None),
    ("mysql", "SELECT SUBSTRING(name FROM 1 FOR 3) FROM customer", None),
    ("mysql", "SELECT 'INTO' AS `into`, name AS `for update` FROM customer", None),
    ("mysql", "SELECT 1 /*! + 1 */", None),
    ("mysql", "(SELECT 1) UNION (SELECT 2)", None),
    ("mysql", "WITH x AS (SELECT 1 AS a) SELECT a FROM x", None),
    ("postgresql", "SELECT 1 --; comment\n", "SELECT 1"),
    ("postgresql", "SELECT $q$ ; $q$, $$x$$, E'\\';', 'a''b;'", None),
    ("postgresql", "SELECT \"select\" FROM \"weird;table\"", None),
    ("postgresql", "SELECT 1 /* a /* nested ; */ b */ + 1", None),
    ("postgresql", "VALUES (1), (2)", None),
    ("postgresql", "TABLE customer", None),
    ("postgresql", "SELECT price::numeric FROM product WHERE sku LIKE 'A%'", None),
])
def test_pre_check_accepts_legitimate_queries(dialect, query, sent):
    assert check_read_query(query, dialect) == (sent if sent is not None else query)


@pytest.mark.parametrize("dialect,query,error", [
    ("mysql", "SELECT 1 --; DROP TABLE t", UnsafeQueryError),  # "--;" is not a comment in MySQL
    ("postgresql", "SELECT 1 /* unterminated", QueryFailed),
    ("mysql", "SELECT 'unterminated", QueryFailed),
    ("postgresql", "SELECT $tag$ never closed", QueryFailed),
    ("mysql", "SELECT 1 /*! unterminated executable comment", QueryFailed),
    ("postgresql", "   ", QueryFailed),
    ("mysql", "SHOW TABLES", UnsafeQueryError),
    ("postgresql", "EXPLAIN SELECT 1", UnsafeQueryError),
])
def test_pre_check_refusals(dialect, query, error):
    with pytest.raises(error):
        check_read_query(query, dialect)
