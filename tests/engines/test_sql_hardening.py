"""Hardening of the SQL engines against the real MariaDB and PostgreSQL servers (issue 11, items 3-5, 8, 9).

- MariaDB: every query starts from a clean session, so no user variable, lock, LAST_INSERT_ID, FOUND_ROWS,
  transaction mode or session setting left by one query reaches the next (also when the statement is sent past
  the textual pre-check);
- PostgreSQL: the read-only role can execute no function with an effect outside its transaction, checked over
  the whole catalog against an explicit allow list of volatile functions;
- both: a byte cap on results, enforced while rows are fetched; typed errors (unknown function or database,
  a conversion the driver cannot do, a lock wait cut by the time limit, a frozen server) and no silent re-run;
- a bare ``\\r`` ends a PostgreSQL ``--`` comment (and not a MariaDB one), in momq as in the servers.
"""

from __future__ import annotations

import os
import signal
import time

import pytest

from momq.engines.base import ExecutionLimits, QueryFailed, QueryTimeout, UnsafeQueryError
from tests.engines.test_sql_hostile import _mysql_fingerprint, _pg_fingerprint
from tests.fixtures.sql_engines import sample_database

DB = "victim"  # the fingerprint helpers of the hostile suite read this database
LIMITS = ExecutionLimits(timeout_s=1.0, max_rows=100)


@pytest.fixture(scope="module")
def maria(mariadb_engine):
    mariadb_engine.load(sample_database(DB))
    conn = mariadb_engine._admin(DB)
    with conn.cursor() as cur:
        cur.execute("CREATE SEQUENCE victim_seq")
        cur.execute("GRANT SELECT, INSERT ON victim.victim_seq TO 'momq_reader'@'127.0.0.1'")  # nextval needs it
    conn.close()
    yield mariadb_engine
    mariadb_engine.drop(DB)


@pytest.fixture(scope="module")
def pg(postgres_engine):
    postgres_engine.load(sample_database(DB))
    with postgres_engine._connect(postgres_engine.user, postgres_engine.password, DB, autocommit=True) as conn:
        conn.execute("CREATE SEQUENCE victim_seq")
        conn.execute("GRANT USAGE, SELECT, UPDATE ON SEQUENCE victim_seq TO momq_reader")
    yield postgres_engine
    postgres_engine.drop(DB)


def _answers_within_one_second(engine) -> None:
    t0 = time.monotonic()
    assert engine.execute(DB, "SELECT COUNT(*) FROM customer", LIMITS).rows == [(4,)]
    assert time.monotonic() - t0 < 1.0


# ============================================================================================== MariaDB
@pytest.mark.parametrize("first,then,clean", [
    ("SELECT @r := 5", "SELECT @r", [(None,)]),
    ("SELECT LAST_INSERT_ID(42)", "SELECT LAST_INSERT_ID()", [(0,)]),
    ("SELECT SQL_CALC_FOUND_ROWS id FROM customer LIMIT 1", "SELECT FOUND_ROWS() = 4", [(0,)]),
    ("SELECT GET_LOCK('momq_leak', 0)", "SELECT IS_USED_LOCK('momq_leak') IS NULL", [(1,)]),
])
def test_mariadb_query_state_does_not_reach_the_next_query(maria, first, then, clean):
    before = _mysql_fingerprint(maria)
    maria.execute(DB, first, LIMITS)
    assert maria.execute(DB, then, LIMITS).rows == clean
    assert _mysql_fingerprint(maria) == before


@pytest.mark.parametrize("setting", ["SET autocommit = 0", "SET SESSION TRANSACTION READ WRITE",
                                     "SET NAMES latin1", "SET SESSION max_statement_time = 0",
                                     "SET SESSION sql_select_limit = DEFAULT"])
def test_mariadb_settings_sent_past_the_pre_check_do_not_persist(maria, setting):
    before = _mysql_fingerprint(maria)
    with pytest.raises(UnsafeQueryError):
        maria.execute(DB, setting, LIMITS)  # the pre-check refuses it ...
    maria._run_read_only(DB, setting, LIMITS)  # ... and the server accepts it for this session only
    rows = maria.execute(DB, "SELECT @@autocommit, @@tx_read_only, @@character_set_client, "
                             "@@max_statement_time, @@sql_select_limit", LIMITS).rows
    assert rows == [(1, 1, "utf8mb4", 1.0, LIMITS.max_rows + 1)]
    with pytest.raises(UnsafeQueryError):
        maria._run_read_only(DB, "SELECT NEXTVAL(victim_seq)", LIMITS)
    assert _mysql_fingerprint(maria) == before


@pytest.mark.parametrize("query", ["SELECT REGEXP_LIKE('a', 'a')", "SELECT FOOBAR(1)", "SELECT * FROM nosuch.t",
                                   "SELECT * FROM mysql.no_such_table"])
def test_mariadb_unknown_names_are_query_failures_not_refusals(maria, query):
    with pytest.raises(QueryFailed, match="has no"):
        maria.execute(DB, query, LIMITS)
    with pytest.raises(UnsafeQueryError):  # a table that exists but is not readable stays a refusal
        maria.execute(DB, "SELECT * FROM mysql.user", LIMITS)


def test_mariadb_lock_wait_cut_by_the_limit_is_a_timeout(maria):
    holder = maria._admin()
    try:
        with holder.cursor() as cur:
            cur.execute("SELECT GET_LOCK('momq_held', 0)")
        with pytest.raises(QueryTimeout):
            maria.execute(DB, "SELECT GET_LOCK('momq_held', 30)", LIMITS)
    finally:
        holder.close()
    _answers_within_one_second(maria)


def test_mariadb_frozen_server_is_a_timeout_not_unavailable(maria, mariadb_server):
    maria.execute(DB, "SELECT 1", LIMITS)  # a kept connection ...
    pid = mariadb_server.pid()
    os.kill(pid, signal.SIGSTOP)
    try:
        with pytest.raises(QueryTimeout):
            maria.execute(DB, "SELECT 1", LIMITS)
        with pytest.raises(QueryTimeout):  # ... and a new one
            maria.execute(DB, "SELECT 1", LIMITS)
    finally:
        os.kill(pid, signal.SIGCONT)
    _answers_within_one_second(maria)


def test_mariadb_result_bytes_are_capped_while_fetching(maria):
    limits = ExecutionLimits(timeout_s=20.0, max_rows=1000, max_result_bytes=8_000_000)
    res = maria.execute(DB, "SELECT REPEAT('x', 1000000) FROM seq_1_to_400", limits)
    assert res.truncated and 1 <= len(res.rows) <= 8
    _answers_within_one_second(maria)


# ============================================================================================== PostgreSQL
#: volatile functions the read-only role may execute: their effects end with the statement or the transaction
READER_VOLATILE_ALLOWED = frozenset({
    "random", "clock_timestamp", "timeofday", "gen_random_uuid", "pg_sleep", "pg_sleep_for", "pg_sleep_until",
    "set_config", "currval", "lastval",
})
#: functions SQL cannot call (triggers, access-method/language handlers) are left out of the check
UNCALLABLE = ("trigger", "event_trigger", "internal", "language_handler", "index_am_handler", "table_am_handler",
              "tsm_handler", "fdw_handler")
#: functions with an effect outside the transaction (WAL, files, sequences, locks, settings, notifications,
#: other sessions, the random seed): never executable by the reader, volatile or not
READER_DENIED = frozenset({
    "pg_logical_emit_message", "setseed", "nextval", "setval", "pg_advisory_lock", "pg_advisory_lock_shared",
    "pg_try_advisory_lock", "pg_try_advisory_lock_shared", "pg_advisory_xact_lock", "pg_advisory_unlock",
    "pg_advisory_unlock_all", "pg_notify", "pg_terminate_backend", "pg_cancel_backend", "lo_creat", "lo_create",
    "lo_from_bytea", "lo_import", "lo_export", "lo_unlink", "lo_put", "pg_read_file", "pg_read_binary_file",
    "pg_ls_dir", "pg_stat_file", "pg_reload_conf", "pg_rotate_logfile", "pg_switch_wal",
    "pg_create_restore_point", "pg_current_xact_id", "txid_current", "pg_export_snapshot",
    "pg_create_logical_replication_slot", "pg_create_physical_replication_slot", "pg_drop_replication_slot",
    "pg_replication_origin_create", "pg_stat_reset", "pg_stat_reset_shared", "dblink", "dblink_exec",
})


def test_postgresql_reader_executes_no_function_with_outside_effects(pg):
    with pg._connect(pg.user, pg.password, DB, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT p.proname, p.provolatile FROM pg_proc p "
            "WHERE has_function_privilege(%s, p.oid, 'EXECUTE') AND p.prorettype::regtype::text <> ALL(%s) "
            "ORDER BY 1", (pg.read_user, list(UNCALLABLE))).fetchall()
    executable = {name for name, _ in rows}
    volatile = {name for name, vol in rows if vol == "v"}
    assert len(executable) > 1000, "the reader must still have the ordinary functions"
    assert not executable & READER_DENIED, sorted(executable & READER_DENIED)
    assert volatile <= READER_VOLATILE_ALLOWED, sorted(volatile - READER_VOLATILE_ALLOWED)
    for fn in ("lower", "abs", "round", "date_trunc", "string_agg", "count", "upper", "to_char", "now"):
        assert fn in executable, fn


@pytest.mark.parametrize("query", [
    "SELECT pg_logical_emit_message(false, 'momq', 'x')",  # writes the WAL, even in BEGIN READ ONLY
    "SELECT pg_logical_emit_message(true, 'momq', 'x')",
    "SELECT setseed(0.5)",  # the seed outlives the rollback
    "SELECT pg_advisory_xact_lock(1)",
    "SELECT txid_current()",
])
def test_postgresql_reader_cannot_act_outside_its_transaction(pg, query):
    before = _pg_fingerprint(pg)
    with pytest.raises(UnsafeQueryError):
        pg.execute(DB, query, LIMITS)
    assert _pg_fingerprint(pg) == before
    _answers_within_one_second(pg)


def test_postgresql_conversion_error_is_a_query_failure_and_is_not_re_run(pg):
    pg.execute(DB, "SELECT 1", LIMITS)  # keep a connection, as the retry path needs
    calls = []
    real = pg._run_once

    def counting(*args):
        calls.append(args)
        return real(*args)

    pg._run_once = counting
    try:
        with pytest.raises(QueryFailed):
            pg.execute(DB, "SELECT 'infinity'::date AS d", LIMITS)
    finally:
        del pg._run_once
    assert len(calls) == 1
    _answers_within_one_second(pg)


def test_postgresql_backend_memory_is_capped_by_the_os(pg, postgres_server):
    """Three 400 MB values in one row: the backend's address-space limit (RLIMIT_AS) fails the query."""
    before = _pg_fingerprint(pg)
    with pytest.raises(QueryFailed, match="memory"):
        pg.execute(DB, "SELECT repeat('x', 400000000) AS a, repeat('y', 400000000) AS b, "
                       "repeat('z', 400000000) AS c", ExecutionLimits(timeout_s=30.0))
    assert _pg_fingerprint(pg) == before
    limits = open(f"/proc/{postgres_server.pid()}/limits").read()
    assert str(postgres_server.memory_limit_mb * 1024 * 1024) in limits
    _answers_within_one_second(pg)


def test_postgresql_result_bytes_are_capped_while_fetching(pg):
    limits = ExecutionLimits(timeout_s=20.0, max_rows=1000, max_result_bytes=8_000_000)
    res = pg.execute(DB, "SELECT repeat('x', 1000000) FROM generate_series(1, 400)", limits)
    assert res.truncated and 1 <= len(res.rows) <= 8
    _answers_within_one_second(pg)


def test_bare_cr_ends_a_comment_in_postgresql_only_as_in_the_servers(pg, maria):
    assert pg.execute(DB, "SELECT 1 --note\r+ 1 AS v", LIMITS).rows == [(2,)]
    assert maria.execute(DB, "SELECT 1 -- note\r+ 1 AS v", LIMITS).rows == [(1,)]
