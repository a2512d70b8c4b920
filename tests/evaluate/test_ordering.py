"""Whether a gold query orders its output, per dialect: only the outermost/final ORDER BY counts."""

from __future__ import annotations

import re

import pytest

from momq.dialects.base import UnknownDialectError
from momq.evaluate import OrderingError, query_orders

SQL_CASES = [
    # (query, orders)
    ("SELECT name FROM person ORDER BY name", True),
    ("SELECT name FROM person ORDER BY name DESC LIMIT 3", True),
    ("SELECT name FROM person", False),
    ("SELECT name FROM person LIMIT 3", False),
    ("SELECT name FROM (SELECT name FROM person ORDER BY age LIMIT 5) AS s", False),  # subquery only
    ("SELECT name, ROW_NUMBER() OVER (ORDER BY age) AS r FROM person", False),  # window only
    ("SELECT name FROM person WHERE age > (SELECT age FROM person ORDER BY age LIMIT 1)", False),
    ("SELECT name FROM person UNION SELECT name FROM pet ORDER BY name", True),  # the union's ORDER BY
    ("SELECT name FROM person UNION ALL SELECT name FROM pet", False),
    ("(SELECT name FROM person ORDER BY name LIMIT 2) UNION (SELECT name FROM pet)", False),  # one branch
    ("WITH c AS (SELECT name FROM person ORDER BY name) SELECT name FROM c", False),  # CTE only
    ("WITH c AS (SELECT name, age FROM person) SELECT name FROM c ORDER BY age", True),
    ("SELECT city, COUNT(*) FROM person GROUP BY city HAVING COUNT(*) > 1 ORDER BY 2 DESC", True),
    ("(SELECT name FROM person ORDER BY name)", True),  # the whole query in parentheses
    ("SELECT name FROM person ORDER BY name;", True),
    ("-- names\nSELECT name /* ORDER BY x */ FROM person WHERE note = 'ORDER BY'", False),
]


@pytest.mark.parametrize("dialect", ["mysql", "postgresql"])
@pytest.mark.parametrize("query, orders", SQL_CASES)
def test_sql(query, orders, dialect):
    assert query_orders(query, dialect) is orders


@pytest.mark.parametrize(
    "query, dialect, orders",
    [
        ("SELECT string_agg(name, ',' ORDER BY name) FROM person", "postgresql", False),  # aggregate order
        ("SELECT GROUP_CONCAT(name ORDER BY name) FROM person", "mysql", False),
        ("SELECT DISTINCT ON (city) city, name FROM person ORDER BY city, age", "postgresql", True),
        ("SELECT name FROM person INTERSECT SELECT name FROM pet ORDER BY 1", "postgresql", True),
        ("SELECT `order` FROM person", "mysql", False),
    ],
)
def test_sql_dialect_specific(query, dialect, orders):
    assert query_orders(query, dialect) is orders


CYPHER_CASES = [
    ("MATCH (p:Person) RETURN p.name ORDER BY p.name", True),
    ("MATCH (p:Person) RETURN p.name AS name ORDER BY name DESC SKIP 1 LIMIT 3", True),
    ("MATCH (p:Person) RETURN p.name", False),
    ("MATCH (p:Person) RETURN p.name LIMIT 3", False),
    ("MATCH (p:Person) WITH p ORDER BY p.age LIMIT 3 RETURN p.name", False),  # only WITH orders
    ("MATCH (p:Person) WITH p ORDER BY p.age RETURN p.name ORDER BY p.name", True),
    ("MATCH (p:Person) RETURN p.name ORDER BY p.name UNION MATCH (q:Pet) RETURN q.name ORDER BY q.name", False),
    ("CALL { MATCH (p:Person) RETURN p ORDER BY p.age LIMIT 1 } RETURN p.name", False),  # subquery only
    ("MATCH (p:Person) RETURN p.order, p.name", False),  # a property called "order"
    ("MATCH (p:Person {note: 'ORDER BY x'}) RETURN p.name // ORDER BY p.name", False),  # string, comment
    ("MATCH (p:Person) RETURN p.name /* then */ ORDER BY p.name;", True),
    ("MATCH (p:Person)-[:KNOWS]->(q) RETURN p.name, count(q) AS n ORDER BY n DESC, p.name", True),
    ("MATCH (p:`ORDER BY`) RETURN [x IN p.tags WHERE x <> 'y' | x] AS tags", False),
]


@pytest.mark.parametrize("query, orders", CYPHER_CASES)
def test_cypher(query, orders):
    assert query_orders(query, "cypher") is orders


NGQL_CASES = [
    ('GO FROM "p1" OVER knows YIELD dst(edge) AS id | ORDER BY $-.id', True),
    ('GO FROM "p1" OVER knows YIELD dst(edge) AS id | ORDER BY $-.id DESC | LIMIT 3', True),  # LIMIT keeps it
    ('GO FROM "p1" OVER knows YIELD dst(edge) AS id | LIMIT 3', False),
    ('GO FROM "p1" OVER knows YIELD dst(edge) AS id', False),
    ('GO FROM "p1" OVER knows YIELD dst(edge) AS id | ORDER BY $-.id | YIELD $-.id AS x', False),
    ('GO FROM "p1" OVER knows YIELD dst(edge) AS id | GROUP BY $-.id YIELD $-.id AS id, count(*) AS n', False),
    ('LOOKUP ON person YIELD person.name AS name | ORDER BY $-.name', True),
    ("MATCH (v:person) RETURN v.person.name AS name ORDER BY name LIMIT 2", True),
    ("MATCH (v:person) WITH v ORDER BY v.person.age RETURN v.person.name", False),
    ("MATCH (v:person)--(w) RETURN w.person.name ORDER BY w.person.name", True),  # -- is a pattern here
    ('$a = GO FROM "p1" OVER knows YIELD dst(edge) AS id; FETCH PROP ON person $a.id YIELD properties(vertex).name'
     ' AS name | ORDER BY $-.name', True),
    ('$a = LOOKUP ON person YIELD id(vertex) AS id | ORDER BY $-.id; GO FROM $a.id OVER knows YIELD dst(edge)', False),
    ('GO FROM "p1" OVER knows YIELD dst(edge) AS id UNION GO FROM "p2" OVER knows YIELD dst(edge) AS id'
     ' | ORDER BY $-.id', False),  # the pipe binds tighter: only the second branch is sorted
    ('(GO FROM "p1" OVER knows YIELD dst(edge) AS id UNION GO FROM "p2" OVER knows YIELD dst(edge) AS id)'
     ' | ORDER BY $-.id', True),
    ('FIND SHORTEST PATH FROM "p1" TO "p2" OVER * YIELD path AS p', False),
    ('GET SUBGRAPH 1 STEPS FROM "p1" YIELD VERTICES AS nodes', False),
    ('# ORDER BY in a comment\nFETCH PROP ON person "p1" YIELD person.name AS name -- | ORDER BY $-.name', False),
    ('LOOKUP ON person WHERE person.note == "| ORDER BY x" YIELD person.order AS o', False),
]


@pytest.mark.parametrize("query, orders", NGQL_CASES)
def test_ngql(query, orders):
    assert query_orders(query, "ngql") is orders


@pytest.mark.parametrize(
    "query, dialect, message",
    [
        ("", "mysql", "empty query"),
        ("SELECT 1; SELECT 2", "postgresql", "expected one SQL statement, found 2"),
        ("SELECT FROM WHERE (", "mysql", "cannot parse"),
        ("MATCH (n RETURN n", "cypher", "never closed"),
        ("MATCH (n) RETURN n; MATCH (m) RETURN m", "cypher", "expected one Cypher statement"),
        ("MATCH (n {name: 'x}) RETURN n", "cypher", "unterminated ' quote"),
        ("GO FROM 1 OVER e /* never closed", "ngql", "unterminated /* comment"),
        ("GO FROM 1 OVER e )", "ngql", "unbalanced ')'"),
    ],
)
def test_errors_are_clear(query, dialect, message):
    with pytest.raises(OrderingError, match=re.escape(message)):
        query_orders(query, dialect)


def test_unknown_dialect():
    with pytest.raises(UnknownDialectError):
        query_orders("SELECT 1", "sqlite")
