"""MariaDB (MySQL dialect) on a real local server: round trip, introspection, limits, errors, server down/hung."""

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
from momq.engines.mariadb import COLLATION, SQL_MODE, MariaDBServer
from tests.fixtures.sql_engines import sample_database


@pytest.fixture(scope="module")
def shop(mariadb_engine):
    db = sample_database("shop_m")
    mariadb_engine.load(db)
    yield db
    mariadb_engine.drop(db.name)


def test_server_behaves_like_mysql8(mariadb_server, mariadb_engine, shop):
    assert mariadb_engine.version().startswith("10.11.") and "MariaDB" in mariadb_engine.version()
    rows = mariadb_engine.execute(shop.name, "SELECT @@sql_mode, @@collation_server, @@character_set_server").rows
    assert rows == [(SQL_MODE, COLLATION, "utf8mb4")]
    with pytest.raises(QueryFailed, match="1055"):  # ONLY_FULL_GROUP_BY is on
        mariadb_engine.execute(shop.name, "SELECT city, name FROM customer GROUP BY city")


def test_round_trip_every_value_type(mariadb_engine, shop):
    for table in shop.tables:
        order = ", ".join(f"`{c}`" for c in table.primary_key)
        got = mariadb_engine.execute(shop.name, f"SELECT * FROM `{table.name}` ORDER BY {order}")
        assert got.columns == table.column_names and not got.truncated
        expected = sorted(table.rows, key=lambda r: tuple(r[table.column_names.index(k)] for k in table.primary_key))
        # BOOLEAN is TINYINT(1) in MariaDB: the driver gives 1/0, equal to True/False
        assert got.rows == [tuple(r) for r in expected]
    price = mariadb_engine.execute(shop.name, "SELECT price, joined FROM product, customer WHERE sku = 'B-2' "
                                              "AND id = 1").rows
    assert price == [(Decimal("1234567.50"), dt.date(2020, 1, 31))]


def test_joins_nulls_and_text_survive(mariadb_engine, shop):
    rows = mariadb_engine.execute(shop.name, "SELECT c.name, SUM(o.qty) FROM customer c JOIN order_line o ON "
                                             "o.customer_id = c.id GROUP BY c.id, c.name ORDER BY c.id").rows
    assert rows == [("Ann", Decimal(3)), ("Bo", Decimal(7)), ("zoe", Decimal(3))]
    assert mariadb_engine.execute(shop.name, "SELECT name FROM customer WHERE city IS NULL").rows == [("Bo",)]
    assert mariadb_engine.execute(shop.name, "SELECT name FROM customer WHERE name LIKE 'A%'").rows == [("Ann",)]
    assert mariadb_engine.execute(shop.name, "SELECT city FROM customer WHERE id = 3").rows == [("Zürich",)]


def test_schema_introspection_matches_what_was_loaded(mariadb_engine, shop):
    assert mariadb_engine.schema(shop.name) == shop.without_rows()
    assert shop.name in mariadb_engine.databases()


def test_foreign_keys_are_enforced_at_load(mariadb_engine):
    bad = sample_database("bad_fk_m")
    bad.table("order_line").rows.append((99, "A-1", 1, None))
    with pytest.raises(QueryFailed, match="bad_fk_m"):
        mariadb_engine.load(bad)
    mariadb_engine.drop("bad_fk_m")


@pytest.mark.parametrize("max_rows,expected_rows,truncated",
                         [(1, 1, True), (3, 3, True), (4, 4, False), (50, 4, False)])
def test_row_cap(mariadb_engine, shop, max_rows, expected_rows, truncated):
    got = mariadb_engine.execute(shop.name, "SELECT id FROM customer ORDER BY id", ExecutionLimits(max_rows=max_rows))
    assert len(got.rows) == expected_rows and got.truncated is truncated
    assert got.rows == [(i,) for i in range(1, expected_rows + 1)]


def test_row_cap_with_an_explicit_large_limit_and_reuse_afterwards(mariadb_engine, shop):
    big = ("WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 1000) "
           "SELECT a.n, b.n FROM s a, s b LIMIT 500000")
    got = mariadb_engine.execute(shop.name, big, ExecutionLimits(timeout_s=5, max_rows=10))
    assert got.truncated and len(got.rows) == 10
    assert mariadb_engine.execute(shop.name, "SELECT COUNT(*) FROM customer").rows == [(4,)]


@pytest.mark.parametrize("db,query,error", [
    ("no_such_db", "SELECT 1", UnknownDatabase),
    ("shop_m", "SELEC * FROM customer", UnsafeQueryError),  # not a read statement: refused before the server
    ("shop_m", "SELECT * FROM customer WHERE", QueryFailed),
    ("shop_m", "SELECT * FROM no_such_table", QueryFailed),
    ("shop_m", "SELECT no_such_column FROM customer", QueryFailed),
    ("shop_m", "SELECT 'unterminated", QueryFailed),
    ("shop_m", "-- only a comment", QueryFailed),
    ("shop_m", "SELECT * FROM mysql.user", UnsafeQueryError),  # outside the reader's grants
])
def test_errors(mariadb_engine, shop, db, query, error):
    with pytest.raises(error):
        mariadb_engine.execute(db, query)
    assert mariadb_engine.execute(shop.name, "SELECT 1").rows == [(1,)]  # still usable afterwards


def test_a_kept_connection_the_server_dropped_is_replaced(mariadb_engine, shop):
    assert mariadb_engine.execute(shop.name, "SELECT 1").rows == [(1,)]  # keeps a connection for shop
    conn = mariadb_engine._admin()
    with conn.cursor() as cur:
        cur.execute("SELECT ID FROM information_schema.PROCESSLIST WHERE USER = 'momq_reader' AND DB = %s",
                    (shop.name,))
        ids = [r[0] for r in cur.fetchall()]
        assert ids
        for ident in ids:
            cur.execute(f"KILL CONNECTION {ident}")
    conn.close()
    assert mariadb_engine.execute(shop.name, "SELECT COUNT(*) FROM product").rows == [(4,)]


def test_kept_connections_are_bounded(mariadb_engine):
    from momq.engines.mariadb import MAX_KEPT
    from momq.schema.relational import Column, RelationalDatabase, Table
    from momq.schema.types import ValueType

    names = [f"many_{i}" for i in range(MAX_KEPT + 2)]
    for i, name in enumerate(names):
        mariadb_engine.load(RelationalDatabase(name, (Table("t", (Column("v", ValueType.INTEGER),), rows=[(i,)]),)))
    try:
        for i, name in enumerate(names):
            assert mariadb_engine.execute(name, "SELECT v FROM t").rows == [(i,)]
        assert len(mariadb_engine._readers) == MAX_KEPT and names[0] not in mariadb_engine._readers
        assert mariadb_engine.execute(names[0], "SELECT v FROM t").rows == [(0,)]  # reconnects when needed
    finally:
        for name in names:
            mariadb_engine.drop(name)


def test_sleep_times_out(mariadb_engine, shop):
    with pytest.raises(QueryTimeout):
        mariadb_engine.execute(shop.name, "SELECT SLEEP(20)", ExecutionLimits(timeout_s=1))


@pytest.fixture(scope="module")
def spare_server(tmp_path_factory):
    """A second server this module may pause and stop without disturbing the shared one."""
    server = MariaDBServer(tmp_path_factory.mktemp("mariadb_spare"))
    server.start()
    yield server
    server.stop()


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


def test_server_is_idempotent_and_reports_status(mariadb_server):
    before = mariadb_server.status()
    again = mariadb_server.start()
    assert again.running and again.pid == before.pid and again.port == before.port
    assert again.version and again.version.startswith("10.11.")
