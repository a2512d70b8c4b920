"""Exact-match normalisation: equal forms for layout and keyword-case differences, different ones otherwise."""

from __future__ import annotations

import pytest

from momq.evaluate.normalize import exact_match, normalize_query

CASES = [
    # (dialect, prediction, gold, exact match?)
    ("mysql", "select a as x from t where b=1;", "SELECT a AS x FROM t WHERE b = 1", True),
    ("mysql", "SELECT a x FROM t", "SELECT a AS x FROM t", True),  # optional AS
    ("mysql", "SELECT count(*) FROM t", "SELECT COUNT(*) FROM t", True),
    ("mysql", "SELECT a FROM t WHERE b = 1", "SELECT a FROM t WHERE b = 2", False),
    ("mysql", "SELECT a FROM t WHERE b = 'X'", "SELECT a FROM t WHERE b = 'x'", False),  # literals keep case
    ("postgresql", 'select "A" from t', 'SELECT "A" FROM t', True),
    ("postgresql", 'SELECT "A" FROM t', 'SELECT "a" FROM t', False),  # quoted identifiers keep case
    ("postgresql", "SELECT FROM WHERE (", "SELECT FROM WHERE (", True),  # unparsable: text form, still equal
    ("cypher", "match (p:Person)  return p.name order by p.name;",
     "MATCH (p:Person) RETURN p.name ORDER BY p.name", True),
    ("cypher", "MATCH (p:Person) RETURN count(p)", "MATCH (p:Person) RETURN COUNT(p)", True),
    ("cypher", "MATCH (p:person) RETURN p", "MATCH (p:Person) RETURN p", False),  # labels keep case
    ("cypher", "MATCH (p) RETURN p.Name", "MATCH (p) RETURN p.name", False),  # properties keep case
    ("cypher", "MATCH (p) WHERE p.name = 'ann' RETURN p", "MATCH (p) WHERE p.name = 'Ann' RETURN p", False),
    ("cypher", "MATCH (p) // all\nRETURN p", "MATCH (p) RETURN p", True),  # comments dropped
    ("ngql", 'go from "p1" over follow yield dst(edge) as d | order by $-.d',
     'GO FROM "p1" OVER follow YIELD dst(edge) AS d | ORDER BY $-.d', True),
    ("ngql", 'GO FROM "p1" OVER follow YIELD dst(edge) AS d', 'GO FROM "p2" OVER follow YIELD dst(edge) AS d', False),
    ("ngql", "", "YIELD 1", False),  # empty never matches
]


@pytest.mark.parametrize("dialect, prediction, gold, expected", CASES)
def test_exact_match(dialect, prediction, gold, expected):
    assert exact_match(prediction, gold, dialect) is expected


def test_sql_normal_form_is_sqlglot_output():
    assert normalize_query("select  a from t ;", "mysql") == "SELECT a FROM t"
