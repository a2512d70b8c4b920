"""Neo4j's Cypher linter (node + @neo4j-cypher/language-support): valid Neo4j Cypher accepted, invalid rejected
with a position."""

from __future__ import annotations

import pytest

from momq.dialects.cypher_linter import CypherLinter, CypherLinterUnavailable, Diagnostic

VALID = [
    "MATCH (n:Person) RETURN n.name",
    "MATCH (p:Person)-[:LIVES_IN]->(c:City {code: 'LDN'}) RETURN p.name, c.name ORDER BY p.name",
    "MATCH (p:Person) WHERE p.born >= '2000-01-01' AND p.active RETURN count(p) AS n",
    "MATCH (a:Person)-[:KNOWS*1..3]->(b:Person) RETURN DISTINCT b.pid",
    "MATCH (p:Person) OPTIONAL MATCH (p)-[w:WORKS_AT]->(c) RETURN p.name, c.name",
    "MATCH (p:Person) WITH p, size([(p)-[:KNOWS]->() | 1]) AS k WHERE k > 1 RETURN p.name",
    "MATCH p = shortestPath((a:Person {pid: 1})-[*..5]-(b:Person {pid: 3})) RETURN length(p)",
    "MATCH (p:Person) RETURN p.name AS name, avg(p.score) AS s ORDER BY s DESC SKIP 1 LIMIT 10",
    "UNWIND [1, 2, 3] AS x RETURN sum(x)",
    "MATCH (p:Person) WHERE p.name =~ 'A.*' RETURN p",
    "MATCH (p:Person) WHERE EXISTS { (p)-[:KNOWS]->(:Person) } RETURN p.name",
    "MATCH (p:Person) RETURN p.name, COUNT { (p)-[:KNOWS]->() } AS friends",
    "MATCH (p:Person) RETURN CASE WHEN p.score > 1 THEN 'high' ELSE 'low' END AS band",
    "MATCH (p:Person) CALL { WITH p MATCH (p)-[:KNOWS]->(f) RETURN count(f) AS c } RETURN p.name, c",
    "MATCH (n) RETURN labels(n), keys(n), properties(n)",
    "MATCH (a)-[r]->(b) RETURN type(r), startNode(r) = a",
    "MATCH (p:Person) RETURN collect(p.name)[..3] AS first",
    "CALL db.labels() YIELD label RETURN label",
    "MATCH (p:Person)\nWHERE p.pid IN [1, 2]\nRETURN p.name\nUNION\nMATCH (c:City)\nRETURN c.name AS `p.name`",
    "RETURN date('2020-01-02').year AS y, toUpper('a') AS u, coalesce(null, 1) AS c",
]

INVALID = [  # query, line, column, part of the message
    ("MATCH (n:Person RETURN n", 1, 17, "Invalid input 'RETURN'"),
    ("MATCH (n:Person) RETURN m", 1, 25, "Variable `m` not defined"),
    ("MATCH (n)\nWHERE n.x > 1\nRETURN m", 3, 8, "Variable `m` not defined"),
    ("MATCH (n) RETRUN n", 1, 11, "Invalid input 'RETRUN'"),
    ("RETURN 1 +", 1, 11, "Invalid input"),
    ("MATCH (n:Person)", 1, 17, "Query cannot conclude with MATCH"),
    ("MATCH (p:Person) RETURN p.name ORDER BY p.name LIMIT", 1, 53, "Invalid input"),
    ("MATCH (n) WITH n RETURN n.name, count(*) AS c ORDER BY x", 1, 56, "not possible to access variables"),
    ("MATCH (n) WHERE count(n) > 1 RETURN n", 1, 17, "aggregat"),
]


def test_every_valid_query_is_accepted(cypher_linter):
    rejected = {q: cypher_linter.errors(q) for q in VALID if cypher_linter.errors(q)}
    assert rejected == {}


@pytest.mark.parametrize("query,line,column,message", INVALID, ids=[q for q, *_ in INVALID])
def test_invalid_query_is_rejected_with_its_position(cypher_linter, query, line, column, message):
    errors = cypher_linter.errors(query)
    assert errors, f"accepted: {query!r}"
    first = errors[0]
    assert isinstance(first, Diagnostic) and first.severity == "error"
    assert (first.line, first.column) == (line, column) and message in first.message, first


def test_warnings_are_not_errors(cypher_linter):
    diags = cypher_linter.check("MATCH p = shortestPath((a)-[*]-(b)) RETURN p")
    assert diags and all(d.severity == "warning" for d in diags)
    assert cypher_linter.is_valid("MATCH p = shortestPath((a)-[*]-(b)) RETURN p")


def test_empty_query_has_no_diagnostics(cypher_linter):
    assert cypher_linter.check("") == []


def test_missing_package_is_a_clear_error(tmp_path):
    with pytest.raises(CypherLinterUnavailable, match="scripts/setup.sh"):
        CypherLinter(lint_dir=tmp_path).start()


def test_missing_node_is_a_clear_error(tmp_path):
    linter = CypherLinter(node=None)
    linter._node = None  # as if `node` were not on PATH
    with pytest.raises(CypherLinterUnavailable, match="node"):
        linter.start()


def test_close_and_restart():
    linter = CypherLinter()
    with linter:
        assert linter.is_valid("RETURN 1")
    linter.close()  # idempotent
    with linter:
        assert not linter.is_valid("RETURN")
