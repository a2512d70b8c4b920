"""PostgreSQL on a real local server: what only PostgreSQL has — its settings, booleans, a force-dropped session.

The checks both SQL engines share (round trip, introspection, limits, errors, server down/hung, status) are
table-driven in ``test_sql_engines.py``.
"""

from __future__ import annotations

import pytest

from momq.engines.base import UnknownDatabase
from tests.fixtures.servers import loaded
from tests.fixtures.sql_engines import sample_database


@pytest.fixture(scope="module")
def shop(postgres_engine):
    yield from loaded(postgres_engine, sample_database("shop_p"))


def test_server_settings(postgres_engine, shop):
    assert postgres_engine.version().startswith("PostgreSQL 15")
    rows = postgres_engine.execute(shop.name, "SELECT current_user, current_setting('transaction_read_only'), "
                                              "current_setting('server_encoding'), current_setting('lc_collate')").rows
    assert rows == [("momq_reader", "on", "UTF8", "C.UTF-8")]
    # byte order, not a language collation: upper case sorts before lower case
    got = postgres_engine.execute(shop.name, "SELECT city FROM customer WHERE city IS NOT NULL ORDER BY city").rows
    assert got == [("Paris",), ("Zürich",), ("paris",)]


def test_booleans_come_back_as_bool(postgres_engine, shop):
    assert all(type(v) is bool for (v,) in postgres_engine.execute(shop.name, "SELECT vip FROM customer "
                                                                          "WHERE vip IS NOT NULL").rows)


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
