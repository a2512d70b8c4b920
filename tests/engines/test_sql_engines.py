"""What MariaDB and PostgreSQL must both do, on real local servers: one table of per-engine differences, each
test run against both engines with the same assertions.

Covered: the round trip of every value type, joins/NULLs/text, schema introspection, foreign keys checked at
load, the row cap, errors, timeouts, a hung then stopped server, and an idempotent start with its status.
What only one engine has (MySQL 8 settings, PostgreSQL's settings and booleans, how a kept connection is
dropped by the server, the bound on kept connections) stays in ``test_mariadb.py`` / ``test_postgres.py``.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

from momq.engines.base import (
    EngineUnavailable, ExecutionLimits, QueryFailed, QueryTimeout, UnknownDatabase, UnsafeQueryError,
)
from momq.engines.local import LocalServer
from momq.engines.mariadb import MariaDBServer
from momq.engines.postgres import PostgresServer
from tests.fixtures.servers import loaded, running
from tests.fixtures.sql_engines import sample_database


@dataclass(frozen=True)
class SQLCase:
    """Where the two SQL engines differ in these tests: fixtures, names and their dialect's spelling."""

    server_fixture: str
    engine_fixture: str
    suffix: str  # of the database names this module loads: shop_<suffix>, bad_fk_<suffix>
    quote: str  # identifier quote
    big_query: str  # a query with its own LIMIT far above the row cap
    sleep_query: str  # a query that runs for 20 s
    forbidden_query: str  # reads a system table outside the reader's grants
    version_prefix: str
    server_class: type[LocalServer]
    spare_dir: str
    spare_teardown: str  # the spare server's method that removes it

    @property
    def shop(self) -> str:
        return f"shop_{self.suffix}"


CASES = {
    "mariadb": SQLCase(
        server_fixture="mariadb_server", engine_fixture="mariadb_engine", suffix="m", quote="`",
        big_query=("WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 1000) "
                   "SELECT a.n, b.n FROM s a, s b LIMIT 500000"),
        sleep_query="SELECT SLEEP(20)", forbidden_query="SELECT * FROM mysql.user", version_prefix="10.11.",
        server_class=MariaDBServer, spare_dir="mariadb_spare", spare_teardown="stop"),
    "postgresql": SQLCase(
        server_fixture="postgres_server", engine_fixture="postgres_engine", suffix="p", quote='"',
        big_query="SELECT a, b FROM generate_series(1, 1000) a, generate_series(1, 1000) b LIMIT 500000",
        sleep_query="SELECT pg_sleep(20)", forbidden_query="SELECT * FROM pg_authid",
        version_prefix="PostgreSQL 15", server_class=PostgresServer, spare_dir="postgres_spare",
        # the cluster may live outside tmp_path (running as root): destroy removes it too
        spare_teardown="destroy"),
}


@pytest.fixture(scope="module", params=sorted(CASES))
def case(request) -> SQLCase:
    return CASES[request.param]


@pytest.fixture(scope="module")
def engine(case, request):
    return request.getfixturevalue(case.engine_fixture)


@pytest.fixture(scope="module")
def shop(case, engine):
    yield from loaded(engine, sample_database(case.shop))


def test_round_trip_every_value_type(case, engine, shop):
    q = case.quote
    for table in shop.tables:
        order = ", ".join(f"{q}{c}{q}" for c in table.primary_key)
        got = engine.execute(shop.name, f"SELECT * FROM {q}{table.name}{q} ORDER BY {order}")
        assert got.columns == table.column_names and not got.truncated
        expected = sorted(table.rows, key=lambda r: tuple(r[table.column_names.index(k)] for k in table.primary_key))
        # BOOLEAN is TINYINT(1) in MariaDB: the driver gives 1/0, equal to True/False
        assert got.rows == [tuple(r) for r in expected]
    price = engine.execute(shop.name, "SELECT price, joined FROM product, customer WHERE sku = 'B-2' "
                                      "AND id = 1").rows
    assert price == [(Decimal("1234567.50"), dt.date(2020, 1, 31))]


def test_joins_nulls_and_text_survive(engine, shop):
    rows = engine.execute(shop.name, "SELECT c.name, SUM(o.qty) FROM customer c JOIN order_line o ON "
                                     "o.customer_id = c.id GROUP BY c.id, c.name ORDER BY c.id").rows
    assert rows == [("Ann", Decimal(3)), ("Bo", Decimal(7)), ("zoe", Decimal(3))]
    assert engine.execute(shop.name, "SELECT name FROM customer WHERE city IS NULL").rows == [("Bo",)]
    assert engine.execute(shop.name, "SELECT name FROM customer WHERE name LIKE 'A%'").rows == [("Ann",)]
    assert engine.execute(shop.name, "SELECT city FROM customer WHERE id = 3").rows == [("Zürich",)]


def test_schema_introspection_matches_what_was_loaded(engine, shop):
    assert engine.schema(shop.name) == shop.without_rows()
    assert shop.name in engine.databases()


def test_foreign_keys_are_enforced_at_load(case, engine):
    name = f"bad_fk_{case.suffix}"
    bad = sample_database(name)
    bad.table("order_line").rows.append((99, "A-1", 1, None))
    with pytest.raises(QueryFailed, match=name):
        engine.load(bad)
    engine.drop(name)


@pytest.mark.parametrize("max_rows,expected_rows,truncated",
                         [(1, 1, True), (3, 3, True), (4, 4, False), (50, 4, False)])
def test_row_cap(engine, shop, max_rows, expected_rows, truncated):
    got = engine.execute(shop.name, "SELECT id FROM customer ORDER BY id", ExecutionLimits(max_rows=max_rows))
    assert len(got.rows) == expected_rows and got.truncated is truncated
    assert got.rows == [(i,) for i in range(1, expected_rows + 1)]


def test_row_cap_with_an_explicit_large_limit_and_reuse_afterwards(case, engine, shop):
    got = engine.execute(shop.name, case.big_query, ExecutionLimits(timeout_s=5, max_rows=10))
    assert got.truncated and len(got.rows) == 10
    assert engine.execute(shop.name, "SELECT COUNT(*) FROM customer").rows == [(4,)]


SHOP, FORBIDDEN = object(), object()  # stand for the case's database and its forbidden query


@pytest.mark.parametrize("db,query,error", [
    ("no_such_db", "SELECT 1", UnknownDatabase),
    (SHOP, "SELEC * FROM customer", UnsafeQueryError),  # not a read statement: refused before the server
    (SHOP, "SELECT * FROM customer WHERE", QueryFailed),
    (SHOP, "SELECT * FROM no_such_table", QueryFailed),
    (SHOP, "SELECT no_such_column FROM customer", QueryFailed),
    (SHOP, "SELECT 'unterminated", QueryFailed),
    (SHOP, "-- only a comment", QueryFailed),
    (SHOP, FORBIDDEN, UnsafeQueryError),  # outside the reader's grants
], ids=["unknown_db", "not_a_read", "syntax", "no_table", "no_column", "unterminated", "comment_only",
        "outside_grants"])
def test_errors(case, engine, shop, db, query, error):
    with pytest.raises(error):
        engine.execute(case.shop if db is SHOP else db, case.forbidden_query if query is FORBIDDEN else query)
    assert engine.execute(shop.name, "SELECT 1").rows == [(1,)]  # still usable afterwards


def test_sleep_times_out(case, engine, shop):
    with pytest.raises(QueryTimeout):
        engine.execute(shop.name, case.sleep_query, ExecutionLimits(timeout_s=1))


@pytest.fixture(scope="module")
def spare_server(case, tmp_path_factory):
    """A second server this module may pause and stop without disturbing the shared one."""
    server = case.server_class(tmp_path_factory.mktemp(case.spare_dir))
    yield from running(server, teardown=getattr(server, case.spare_teardown))


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


def test_server_is_idempotent_and_reports_status(case, request):
    server = request.getfixturevalue(case.server_fixture)
    before = server.status()
    again = server.start()
    assert again.running and again.pid == before.pid and again.port == before.port
    assert again.version and again.version.startswith(case.version_prefix)
