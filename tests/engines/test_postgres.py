"""PostgreSQL on a real local server: round trip, introspection, limits, errors, server down/hung."""

from __future__ import annotations

import datetime as dt
import os
import signal
from decimal import Decimal
from pathlib import Path

import pytest

from momq.engines.base import (
    EngineUnavailable, ExecutionLimits, QueryFailed, QueryTimeout, UnknownDatabase, UnsafeQueryError,
)
from momq.engines.postgres import PostgresServer
from tests.fixtures.sql_engines import sample_database


@pytest.fixture(scope="module")
def shop(postgres_engine):
    db = sample_database("shop_p")
    postgres_engine.load(db)
    yield db
    postgres_engine.drop(db.name)


def test_server_settings(postgres_engine, shop):
    assert postgres_engine.version().startswith("PostgreSQL 15")
    rows = postgres_engine.execute(shop.name, "SELECT current_user, current_setting('transaction_read_only'), "
                                              "current_setting('server_encoding'), current_setting('lc_collate')").rows
    assert rows == [("momq_reader", "on", "UTF8", "C.UTF-8")]
    # byte order, not a language collation: upper case sorts before lower case
    got = postgres_engine.execute(shop.name, "SELECT city FROM customer WHERE city IS NOT NULL ORDER BY city").rows
    assert got == [("Paris",), ("Zürich",), ("paris",)]


def test_round_trip_every_value_type(postgres_engine, shop):
    for table in shop.tables:
        order = ", ".join(f'"{c}"' for c in table.primary_key)
        got = postgres_engine.execute(shop.name, f'SELECT * FROM "{table.name}" ORDER BY {order}')
        assert got.columns == table.column_names and not got.truncated
        expected = sorted(table.rows, key=lambda r: tuple(r[table.column_names.index(k)] for k in table.primary_key))
        assert got.rows == [tuple(r) for r in expected]
    price = postgres_engine.execute(shop.name, "SELECT price, joined FROM product, customer WHERE sku = 'B-2' "
                                              "AND id = 1").rows
    assert price == [(Decimal("1234567.50"), dt.date(2020, 1, 31))]


def test_joins_nulls_and_text_survive(postgres_engine, shop):
    rows = postgres_engine.execute(shop.name, "SELECT c.name, SUM(o.qty) FROM customer c JOIN order_line o ON "
                                             "o.customer_id = c.id GROUP BY c.id, c.name ORDER BY c.id").rows
    assert rows == [("Ann", Decimal(3)), ("Bo", Decimal(7)), ("zoe", Decimal(3))]
    assert all(type(v) is bool for (v,) in postgres_engine.execute(shop.name, "SELECT vip FROM customer "
                                                                          "WHERE vip IS NOT NULL").rows)
    assert postgres_engine.execute(shop.name, "SELECT name FROM customer WHERE city IS NULL").rows == [("Bo",)]
    assert postgres_engine.execute(shop.name, "SELECT name FROM customer WHERE name LIKE 'A%'").rows == [("Ann",)]
    assert postgres_engine.execute(shop.name, "SELECT city FROM customer WHERE id = 3").rows == [("Zürich",)]


def test_schema_introspection_matches_what_was_loaded(postgres_engine, shop):
    assert postgres_engine.schema(shop.name) == shop.without_rows()
    assert shop.name in postgres_engine.databases()


def test_foreign_keys_are_enforced_at_load(postgres_engine):
    bad = sample_database("bad_fk_p")
    bad.table("order_line").rows.append((99, "A-1", 1, None))
    with pytest.raises(QueryFailed, match="bad_fk_p"):
        postgres_engine.load(bad)
    postgres_engine.drop("bad_fk_p")


@pytest.mark.parametrize("max_rows,expected_rows,truncated",
                         [(1, 1, True), (3, 3, True), (4, 4, False), (50, 4, False)])
def test_row_cap(postgres_engine, shop, max_rows, expected_rows, truncated):
    got = postgres_engine.execute(shop.name, "SELECT id FROM customer ORDER BY id", ExecutionLimits(max_rows=max_rows))
    assert len(got.rows) == expected_rows and got.truncated is truncated
    assert got.rows == [(i,) for i in range(1, expected_rows + 1)]


def test_row_cap_with_an_explicit_large_limit_and_reuse_afterwards(postgres_engine, shop):
    big = ("SELECT a, b FROM generate_series(1, 1000) a, generate_series(1, 1000) b LIMIT 500000")
    got = postgres_engine.execute(shop.name, big, ExecutionLimits(timeout_s=5, max_rows=10))
    assert got.truncated and len(got.rows) == 10
    assert postgres_engine.execute(shop.name, "SELECT COUNT(*) FROM customer").rows == [(4,)]


@pytest.mark.parametrize("db,query,error", [
    ("no_such_db", "SELECT 1", UnknownDatabase),
    ("shop_p", "SELEC * FROM customer", UnsafeQueryError),  # not a read statement: refused before the server
    ("shop_p", "SELECT * FROM customer WHERE", QueryFailed),
    ("shop_p", "SELECT * FROM no_such_table", QueryFailed),
    ("shop_p", "SELECT no_such_column FROM customer", QueryFailed),
    ("shop_p", "SELECT 'unterminated", QueryFailed),
    ("shop_p", "-- only a comment", QueryFailed),
    ("shop_p", "SELECT * FROM pg_authid", UnsafeQueryError),  # outside the reader's grants
])
def test_errors(postgres_engine, shop, db, query, error):
    with pytest.raises(error):
        postgres_engine.execute(db, query)
    assert postgres_engine.execute(shop.name, "SELECT 1").rows == [(1,)]  # still usable afterwards


def test_a_kept_connection_the_server_dropped_is_replaced(postgres_server, postgres_engine):
    db = sample_database("reloaded_p")
    postgres_engine.load(db)
    assert postgres_engine.execute(db.name, "SELECT 1").rows == [(1,)]  # keeps a connection for the database
    other = postgres_server.connect()
    other.load(db)  # DROP DATABASE ... WITH (FORCE) ends every session on it, the kept one included
    other.close()
    assert postgres_engine.execute(db.name, "SELECT COUNT(*) FROM product").rows == [(4,)]
    postgres_engine.drop(db.name)
    with pytest.raises(UnknownDatabase):
        postgres_engine.execute(db.name, "SELECT 1")


def test_sleep_times_out(postgres_engine, shop):
    with pytest.raises(QueryTimeout):
        postgres_engine.execute(shop.name, "SELECT pg_sleep(20)", ExecutionLimits(timeout_s=1))


@pytest.fixture(scope="module")
def spare_server(tmp_path_factory):
    """A second server this module may pause and stop without disturbing the shared one."""
    server = PostgresServer(tmp_path_factory.mktemp("postgres_spare"))
    server.start()
    yield server
    server.destroy()


def _process_family(pid: int) -> list[int]:
    """The server process and its children (PostgreSQL backends run in sessions of their own)."""
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(") ", 1)[1].split()[1]) == pid:
                    children.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return [pid, *children]


def test_hung_then_stopped_server(spare_server):
    engine = spare_server.connect()
    engine.load(sample_database("spare"))
    assert engine.execute("spare", "SELECT COUNT(*) FROM product").rows == [(4,)]
    family = _process_family(spare_server.pid())
    for pid in family:  # the server hangs: the client's own timeout must end the call
        os.kill(pid, signal.SIGSTOP)
    try:
        with pytest.raises((QueryTimeout, EngineUnavailable)):
            engine.execute("spare", "SELECT COUNT(*) FROM product", ExecutionLimits(timeout_s=1))
    finally:
        for pid in family:
            os.kill(pid, signal.SIGCONT)
    spare_server.stop()
    with pytest.raises(EngineUnavailable):
        engine.execute("spare", "SELECT 1", ExecutionLimits(timeout_s=1))
    with pytest.raises(EngineUnavailable):
        spare_server.connect()
    engine.close()


def test_server_is_idempotent_and_reports_status(postgres_server):
    before = postgres_server.status()
    again = postgres_server.start()
    assert again.running and again.pid == before.pid and again.port == before.port
    assert again.version and again.version.startswith("PostgreSQL 15")
