"""MariaDB (MySQL dialect) on a real local server: what only MariaDB has — MySQL 8 settings, kept connections.

The checks both SQL engines share (round trip, introspection, limits, errors, server down/hung, status) are
table-driven in ``test_sql_engines.py``.
"""

from __future__ import annotations

import pytest

from momq.engines.base import QueryFailed
from momq.engines.mariadb import COLLATION, SQL_MODE
from tests.fixtures.servers import loaded
from tests.fixtures.sql_engines import sample_database


@pytest.fixture(scope="module")
def shop(mariadb_engine):
    yield from loaded(mariadb_engine, sample_database("shop_m"))


def test_server_behaves_like_mysql8(mariadb_server, mariadb_engine, shop):
    assert mariadb_engine.version().startswith("10.11.") and "MariaDB" in mariadb_engine.version()
    rows = mariadb_engine.execute(shop.name, "SELECT @@sql_mode, @@collation_server, @@character_set_server").rows
    assert rows == [(SQL_MODE, COLLATION, "utf8mb4")]
    with pytest.raises(QueryFailed, match="1055"):  # ONLY_FULL_GROUP_BY is on
        mariadb_engine.execute(shop.name, "SELECT city, name FROM customer GROUP BY city")


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
    from momq.engines.sql_common import MAX_KEPT
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
