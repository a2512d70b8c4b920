"""Connection URLs: scheme -> engine kind and dialect, overrides, and the malformed ones (no engine contacted)."""

from __future__ import annotations

import pytest

from momq.serve.connections import ConnectionURLError, parse_url


@pytest.mark.parametrize("url, kind, dialect, db, port", [
    ("mysql://u:p@db.example:3307/shop", "mysql", "mysql", "shop", 3307),
    ("postgresql://u@localhost/shop", "postgresql", "postgresql", "shop", 5432),
    ("postgres://u@localhost:6543/shop", "postgresql", "postgresql", "shop", 6543),
    ("bolt://neo:pw@localhost:7687", "bolt", "cypher", "neo4j", 7687),
    ("neo4j://localhost/movies", "bolt", "cypher", "movies", 7687),
    ("falkordb://localhost:6380/g", "falkordb", "cypher", "g", 6380),
    ("nebula://root:nebula@graphd:9669/space1", "nebula", "ngql", "space1", 9669),
])
def test_scheme_picks_engine_and_dialect(url, kind, dialect, db, port):
    c = parse_url(url)
    assert (c.kind, c.dialect, c.database, c.port) == (kind, dialect, db, port)


def test_password_never_shown_and_not_part_of_the_cache_key():
    c = parse_url("mysql://alice:s3cret@h:1/db")
    assert c.password == "s3cret"
    assert "s3cret" not in c.display and "s3cret" not in c.key and "s3cret" not in repr(c.display)


def test_dialect_override_only_where_the_engine_runs_it():
    assert parse_url("falkordb://h:1/g", "ngql").dialect == "ngql"
    assert parse_url("demo:company", "cypher").dialect == "cypher"
    assert parse_url("demo:company").dialect == "mysql"
    with pytest.raises(ConnectionURLError, match="cannot run"):
        parse_url("mysql://h/db", "cypher")
    with pytest.raises(ConnectionURLError, match="unknown dialect"):
        parse_url("mysql://h/db", "sparql")


@pytest.mark.parametrize("url, message", [
    ("oracle://h/db", "unknown URL scheme 'oracle'"),
    ("just-text", "malformed"),
    ("mysql:///db", "no host"),
    ("mysql://h:99999/db", "malformed"),
    ("mysql://h:port/db", "malformed"),
    ("postgresql://h", "no database name"),
    ("demo:atlantis", "unknown demo database 'atlantis'"),
    ("", "empty"),
])
def test_malformed_urls_are_refused(url, message):
    with pytest.raises(ConnectionURLError, match=message):
        parse_url(url)


def test_a_refused_url_does_not_show_its_password():
    with pytest.raises(ConnectionURLError) as info:
        parse_url("mysql://u:topsecret@h:notaport/db")
    assert "topsecret" not in str(info.value)
