"""Each dialect's grammar, specialised to a database, accepts the benchmark's gold queries and refuses invalid
ones (another dialect's syntax, unknown names, reversed relationships, a second statement, writes)."""

from __future__ import annotations

import pytest

from momq.constrain.compiled import accepts, grammar_for
from tests.constrain.schemas import LIBRARY, QUOTED_GRAPH, REAL, SHOP

# (dialect, query, accepted)
CASES = [
    # MySQL
    ("mysql", "SELECT name FROM customer WHERE city = 'Oslo'", True),
    ("mysql", "SELECT c.name, COUNT(*) AS n FROM customer AS c JOIN orders AS o ON o.customer_id = c.id "
              "GROUP BY c.name HAVING COUNT(*) > 2 ORDER BY COUNT(*) DESC LIMIT 5", True),
    ("mysql", "WITH big AS (SELECT customer_id FROM orders WHERE total > 10) SELECT customer_id FROM big", True),
    ("mysql", "SELECT `name` FROM `customer` WHERE name REGEXP '^A' UNION ALL SELECT name FROM customer", True),
    ("mysql", "SELECT name, ROW_NUMBER() OVER (PARTITION BY city ORDER BY id) FROM customer", True),
    ("mysql", "SELECT YEAR(placed_on), DATE_FORMAT(placed_on, '%Y-%m') FROM orders", True),
    ("mysql", "SELECT CASE WHEN total > 5 THEN 'big' ELSE 'small' END FROM orders", True),
    ("mysql", "SELECT id FROM customer WHERE id IN (SELECT customer_id FROM orders)", True),
    ("mysql", "SELECT email FROM customer", False),                       # unknown column
    ("mysql", "SELECT name FROM client", False),                          # unknown table
    ("mysql", "SELECT c.email FROM customer AS c", False),                # unknown qualified column
    ("mysql", "SELECT name::text FROM customer", False),                  # PostgreSQL cast
    ("mysql", "SELECT name FROM customer WHERE name ILIKE 'a%'", False),  # PostgreSQL operator
    ("mysql", "SELECT name FROM customer; SELECT city FROM customer", False),  # a second statement
    ("mysql", "DELETE FROM customer", False),                             # a write
    ("mysql", "UPDATE customer SET name = 'x'", False),
    ("mysql", "MATCH (c:Customer) RETURN c.name", False),                 # Cypher
    ("mysql", "SELECTname FROM customer", False),                         # glued first word
    ("mysql", "SELECT name FROM customer INTER\u017fECT SELECT name FROM customer", False),  # Unicode case fold
    # PostgreSQL
    ("postgresql", "SELECT name || city, total::numeric FROM customer JOIN orders ON orders.customer_id = "
                   "customer.id WHERE name ILIKE 'a%' ORDER BY 1 NULLS LAST", True),
    ("postgresql", "SELECT EXTRACT(YEAR FROM placed_on), COUNT(*) FILTER (WHERE total > 3) FROM orders "
                   "GROUP BY 1", True),
    ("postgresql", 'SELECT "name" FROM "customer" OFFSET 2 FETCH FIRST 3 ROWS ONLY', True),
    ("postgresql", "SELECT name FROM customer WHERE name REGEXP 'a'", False),  # MySQL operator
    ("postgresql", "SELECT `name` FROM customer", False),                    # MySQL quoting
    ("postgresql", "SELECT nickname FROM customer", False),
    ("postgresql", "INSERT INTO customer VALUES (1, 'a', 'b')", False),
    # Cypher
    ("cypher", "MATCH (b:Book)-[:WRITTEN_BY]->(a:Author) WHERE b.year > 2000 RETURN a.name, count(*) AS n "
               "ORDER BY n DESC LIMIT 3", True),
    ("cypher", "MATCH (m:Member)-[r:BORROWED]->(b:Book) RETURN m.name, r.on_date", True),
    ("cypher", "MATCH (m:Member)-[:BORROWED]->(b)-[:WRITTEN_BY]->(a:Author) RETURN DISTINCT a.name", True),
    ("cypher", "MATCH (a:Author) OPTIONAL MATCH (a)<-[:WRITTEN_BY]-(b:Book) WITH a, count(b) AS books "
               "WHERE books = 0 RETURN a.name UNION MATCH (m:Member) RETURN m.name", True),
    ("cypher", "MATCH p = shortestPath((a:Member)-[*..4]-(b:Author)) RETURN length(p)", True),
    ("cypher", "UNWIND [1, 2] AS x RETURN x", True),
    ("cypher", "MATCH (a:Author)-[:WRITTEN_BY]->(b:Book) RETURN b.title", False),   # reversed relationship
    ("cypher", "MATCH (b:Book)<-[:BORROWED]-(m:Author) RETURN b.title", False),     # wrong end label
    ("cypher", "MATCH (b:Book) RETURN b.isbn", False),                            # unknown property
    ("cypher", "MATCH (b:Novel) RETURN b.title", False),                          # unknown label
    ("cypher", "MATCH (b:Book)-[:REVIEWED]->(a) RETURN a", False),                # unknown type
    ("cypher", "MATCH (b:Book) DETACH DELETE b", False),                          # a write
    ("cypher", "MATCH (b:Book) RETURN b.title; MATCH (a:Author) RETURN a.name", False),
    ("cypher", "SELECT title FROM Book", False),
    ("cypher", "MATCH (b:Book) WHERE b.Book.year > 1 RETURN b", False),            # nGQL property access
    # nGQL
    ("ngql", 'MATCH (b:Book)-[:WRITTEN_BY]->(a:Author) WHERE b.Book.year > 2000 RETURN a.Author.name AS name', True),
    ("ngql", 'GO FROM "author_1" OVER WRITTEN_BY REVERSELY YIELD $$.Book.title AS title | YIELD count(*) AS n', True),
    ("ngql", 'LOOKUP ON Book WHERE Book.year >= 1990 YIELD Book.title AS title | ORDER BY $-.title | LIMIT 3', True),
    ("ngql", 'FETCH PROP ON Member "member_2" YIELD Member.name AS name', True),
    ("ngql", 'GO FROM "member_1" OVER BORROWED YIELD BORROWED.on_date AS d, dst(edge) AS b', True),
    ("ngql", 'MATCH (b:Book) RETURN b.Book.isbn', False),                         # unknown property
    ("ngql", 'MATCH (b:Book) RETURN b.Book.name', False),                         # not a property of that tag
    ("ngql", 'MATCH (b:Book) RETURN b.title', False),                             # Cypher property access
    ("ngql", 'MATCH (a:Author)-[:WRITTEN_BY]->(b:Book) RETURN b', False),         # reversed relationship
    ("ngql", 'GO FROM "a" OVER REVIEWED YIELD dst(edge)', False),                 # unknown edge type
    ("ngql", 'INSERT VERTEX Book(title) VALUES "b9":("x")', False),               # a write
    ("ngql", 'LOOKUP ON Book YIELD Book.title AS t; LOOKUP ON Author YIELD Author.name AS n', False),
    ("ngql", 'MATCH (b:Book) WHERE b.Book.year = 1 RETURN b', False),             # = is not a comparison
]


@pytest.mark.parametrize("dialect,query,expected", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_grammar_decides(dialect, query, expected):
    database = SHOP if dialect in ("mysql", "postgresql") else LIBRARY
    ok, error = accepts(dialect, database, query)
    assert ok is expected, (query, error)


# names that need quoting, named schemas and views (tests.constrain.schemas.REAL); (dialect, query, accepted)
REAL_CASES = [
    ("postgresql", 'SELECT "Free Meal Count (K-12)" FROM "Schools"', True),
    ("postgresql", 'SELECT "CDSCode", "order", "say ""hi""", "back`tick" FROM public."Schools" AS s', True),
    ("postgresql", 'SELECT s."CDSCode" FROM "Schools" AS s JOIN geo.region AS r ON r.code = s."CDSCode"', True),
    ("postgresql", 'SELECT geo.region.name FROM geo.region WHERE code IN (SELECT "CDSCode" FROM "Schools")', True),
    ("postgresql", 'SELECT meals FROM geo.school_meals', True),                 # a view reads like a table
    ("postgresql", 'SELECT meals FROM "geo"."school_meals"', True),
    ("postgresql", 'SELECT Free Meal Count (K-12) FROM "Schools"', False),      # not quoted
    ("postgresql", 'SELECT "CDSCode" FROM Schools', False),                     # folds to schools
    ("postgresql", 'SELECT cdscode FROM "Schools"', False),
    ("postgresql", 'SELECT order FROM "Schools"', False),                       # reserved, bare
    ("postgresql", 'SELECT "say "hi"" FROM "Schools"', False),                  # inner quote not doubled
    ("postgresql", 'SELECT name FROM region', False),                           # geo is not on the search path
    ("postgresql", 'SELECT meals FROM school_meals', False),
    ("postgresql", 'SELECT meals FROM public.school_meals', False),
    ("mysql", "SELECT `Free Meal Count (K-12)`, `back``tick`, `order` FROM Schools", True),
    ("mysql", "SELECT CDSCode FROM `Schools` WHERE `say \"hi\"` = 'x'", True),
    ("mysql", "SELECT meals FROM geo.school_meals", True),
    ("mysql", "SELECT name FROM `geo`.`region`", True),
    ("mysql", "SELECT `back`tick` FROM Schools", False),
    ("mysql", "SELECT order FROM Schools", False),
    ("mysql", "SELECT CDSCode FROM schools", False),                            # table names are case-sensitive
    ("mysql", "SELECT name FROM region", False),
    # graphs: a name that is not a plain identifier only in backticks (a backtick inside doubled)
    ("cypher", "MATCH (s:`School Type`)-[r:`IN DISTRICT`]->(d:`back``tick`) "
               "RETURN s.`Free Meal Count (K-12)`, r.`since year`, d.order", True),
    ("cypher", "MATCH (s:`School Type`) RETURN s.name", True),
    ("cypher", "MATCH (s:School Type) RETURN s.name", False),
    ("cypher", "MATCH (s:`School Type`) RETURN s.Free Meal Count", False),
    ("cypher", "MATCH (d:`back`tick`) RETURN d.id", False),
    ("cypher", "MATCH (d:`back``tick`)-[:`IN DISTRICT`]->(s:`School Type`) RETURN d.id", False),  # reversed
    ("ngql", "MATCH (s:`School Type`)-[:`IN DISTRICT`]->(d:`back``tick`) RETURN s.`School Type`.name", True),
    ("ngql", 'FETCH PROP ON `School Type` "s1" YIELD `School Type`.`Free Meal Count (K-12)` AS n', True),
    ("ngql", 'GO FROM "s1" OVER `IN DISTRICT` YIELD `IN DISTRICT`.`since year` AS y', True),
    ("ngql", 'FETCH PROP ON School Type "s1" YIELD School Type.name AS n', False),
    ("ngql", 'GO FROM "s1" OVER `IN DISTRICT` YIELD `IN DISTRICT`.name AS y', False),  # not an edge property
]


@pytest.mark.parametrize("dialect,query,expected", REAL_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(REAL_CASES)])
def test_grammar_quotes_names_and_knows_schemas_and_views(dialect, query, expected):
    ok, error = accepts(dialect, REAL if dialect in ("mysql", "postgresql") else QUOTED_GRAPH, query)
    assert ok is expected, (query, error)


def test_grammar_text_is_built_once_per_schema():
    assert grammar_for("cypher", LIBRARY) is grammar_for("cypher", LIBRARY)
    assert grammar_for("mysql", SHOP) != grammar_for("postgresql", SHOP)


def test_wrong_family_is_refused():
    with pytest.raises(TypeError):
        grammar_for("mysql", LIBRARY)


@pytest.mark.slow
def test_every_gold_query_of_a_build_is_accepted(tiny_bench):
    from momq.bench.dataset import open_build
    from momq.ngql.parser import parse as parse_ngql

    build = open_build(tiny_bench)
    items = build.items()
    assert {it.dialect for it in items} == {"mysql", "postgresql", "cypher", "ngql"}
    rejected = []
    for it in items:
        ok, error = accepts(it.dialect, build.database(it.db_id, it.dialect), it.query)
        if not ok:
            rejected.append((it.dialect, it.query, error))
        if it.dialect == "ngql":
            parse_ngql(it.query)  # the reference parser agrees
    assert not rejected, rejected[:5]
