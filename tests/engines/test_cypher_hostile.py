"""Hostile Cypher against the real FalkorDB engine: every input is refused or bounded and no data changes.

Each case runs through :meth:`FalkorDBEngine.execute` with a short timeout and a small row cap, then a checksum
of the whole server (every graph's nodes with labels and properties, edges with endpoints and properties, and
its indexes, read through a separate admin connection) must equal the one taken before. The statement-splitting
and write-clause helpers are checked on their own at the end.
"""

from __future__ import annotations

import hashlib
import time

import pytest

from momq.engines.base import (
    EngineError,
    ExecutionLimits,
    QueryFailed,
    QueryTimeout,
    UnsafeQueryError,
)
from momq.engines.graph_values import single_statement, write_clause
from momq.schema import Edge, GraphDatabase, Node, NodeType, Property, EdgeType, ValueType

GRAPH = "cy_hostile"
LIMITS = ExecutionLimits(timeout_s=1.0, max_rows=100)
TRUNCATED = "truncated"  # the expected outcome of a huge result: capped rows, no error

U, F, T = UnsafeQueryError, QueryFailed, QueryTimeout
HOSTILE = [
    # writes refused by GRAPH.RO_QUERY
    ("create", "CREATE (:Evil {x: 1})", U),
    ("create-lowercase", "create (:Evil)", U),
    ("create-unlabelled-return", "CREATE (n) RETURN n", U),
    ("create-many", "UNWIND range(1, 10) AS i CREATE (:Evil {i: i})", U),
    ("merge-node", "MERGE (n:Person {pid: 999})", U),
    ("merge-path", "MERGE (a:Person {pid: 1})-[:KNOWS]->(b:Person {pid: 2})", U),
    ("set-property", "MATCH (n:Person) SET n.name = 'pwned'", U),
    ("set-map", "MATCH (n) SET n += {hacked: true}", U),
    ("set-label", "MATCH (n:Person) SET n:Hacked", U),
    ("remove-property", "MATCH (n:Person) REMOVE n.name", U),
    ("remove-label", "MATCH (n:Person) REMOVE n:Person", U),
    ("delete-edges", "MATCH ()-[r]->() DELETE r", U),
    ("delete-one", "MATCH (n:Person) WITH n ORDER BY n.pid LIMIT 1 DETACH DELETE n", U),
    ("detach-delete-all", "MATCH (n) DETACH DELETE n", U),
    ("create-index", "CREATE INDEX FOR (n:Person) ON (n.name)", U),
    ("drop-index", "DROP INDEX FOR (n:Person) ON (n.pid)", (U, F)),
    ("fulltext-create", "CALL db.idx.fulltext.createNodeIndex('Person', 'name')", U),
    ("fulltext-drop", "CALL db.idx.fulltext.drop('Person')", (U, F)),
    ("dbms-admin", "CALL dbms.security.createUser('x', 'y', false)", F),
    ("dbms-config", "CALL dbms.setConfigValue('db.logs.query.enabled', 'off')", F),
    ("load-csv-read", "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row", U),
    ("load-csv-write", "LOAD CSV FROM 'file:///etc/passwd' AS row CREATE (:Evil {r: row})", U),
    ("foreach-create", "FOREACH (x IN [1, 2] | CREATE (:Evil {x: x}))", U),
    ("foreach-set", "MATCH (n:Person) FOREACH (x IN [1] | SET n.name = 'pwned')", U),
    ("call-subquery-create", "CALL { CREATE (:Evil) RETURN 1 AS one } RETURN one", U),
    ("call-subquery-set", "MATCH (n:Person) CALL { WITH n SET n.name = 'pwned' } RETURN n", (U, F)),
    ("with-then-create", "WITH 1 AS x CREATE (:Evil {x: x})", U),
    ("params-header-create", "CYPHER x=1 CREATE (:Evil {x: $x})", U),
    ("comment-hides-create", "MATCH (n) RETURN count(n) /* harmless */ CREATE (:Evil)", (U, F)),
    # several statements
    ("two-statements", "MATCH (n) RETURN count(n); MATCH (n) DETACH DELETE n", U),
    ("read-then-create", "RETURN 1; CREATE (:Evil)", U),
    ("semicolon-in-block-comment", "RETURN 1 /* ; */ ; CREATE (:Evil)", U),
    ("semicolon-after-line-comment", "RETURN 1 // note\n; CREATE (:Evil)", U),
    ("semicolon-after-string", "RETURN ';' AS s; CREATE (:Evil)", U),
    ("procedure-then-read", "CALL db.idx.fulltext.createNodeIndex('Person', 'name'); RETURN 1", U),
    # long-running and huge
    ("range-count", "UNWIND range(1, 100000000) AS x RETURN count(x)", (T, F)),
    ("cartesian-5", "MATCH (a), (b), (c), (d), (e) RETURN count(*)", T),
    ("collect-unwind-5", "MATCH (a) WITH collect(a) AS xs UNWIND xs AS x1 UNWIND xs AS x2 UNWIND xs AS x3 "
                         "UNWIND xs AS x4 UNWIND xs AS x5 RETURN count(*)", T),
    ("var-length-paths", "MATCH p = (a)-[*]-(b) RETURN p", (T, TRUNCATED)),
    ("var-length-count", "MATCH p = (a)-[*]-(b) RETURN count(p)", T),
    ("cartesian-3-rows", "MATCH (a), (b), (c) RETURN a, b, c", TRUNCATED),
    ("range-rows", "UNWIND range(1, 1000000) AS x RETURN x", TRUNCATED),
    ("huge-list", "UNWIND range(1, 30000000) AS x RETURN collect(x)[0]", (T, F)),
    # nothing to run
    ("empty", "", F),
    ("only-comment", "// CREATE (:Evil)", F),
]


def _hostile_graph() -> GraphDatabase:
    person = NodeType("Person", (Property("pid", ValueType.INTEGER), Property("name", ValueType.TEXT)), "pid")
    knows = EdgeType("KNOWS", "Person", "Person", (Property("w", ValueType.FLOAT),))
    nodes = [Node("Person", f"p{i}", {"pid": i, "name": f"person {i}"}) for i in range(60)]
    edges = [Edge("KNOWS", f"p{i}", f"p{(i * step + 1) % 60}", {"w": i / 10}) for i in range(60) for step in (1, 7)]
    return GraphDatabase(GRAPH, (person,), (knows,), nodes, edges)


def server_checksum(server) -> str:
    """Everything stored on the server, read through its own admin connection, as one digest."""
    client = server.client()
    parts = []
    for name in sorted(g.decode() if isinstance(g, bytes) else g for g in client.connection.execute_command(
            "GRAPH.LIST")):
        g = client.select_graph(name)
        nodes = g.ro_query("MATCH (n) RETURN labels(n), properties(n)").result_set
        edges = g.ro_query("MATCH (a)-[r]->(b) RETURN type(r), properties(r), properties(a), properties(b)"
                           ).result_set
        indexes = g.ro_query("CALL db.indexes() YIELD label, properties RETURN label, properties").result_set
        parts.append(repr((name, sorted(map(repr, nodes)), sorted(map(repr, edges)), sorted(map(repr, indexes)))))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


@pytest.fixture(scope="module")
def hostile_engine(falkordb_engine):
    falkordb_engine.load(_hostile_graph())
    yield falkordb_engine
    falkordb_engine.drop(GRAPH)


def test_enough_hostile_inputs():
    assert len(HOSTILE) >= 30 and len({name for name, _, _ in HOSTILE}) == len(HOSTILE)


@pytest.mark.parametrize("name,query,expected", HOSTILE, ids=[c[0] for c in HOSTILE])
def test_hostile_input_is_contained(hostile_engine, falkordb_server, name, query, expected):
    before = server_checksum(falkordb_server)
    allowed = expected if isinstance(expected, tuple) else (expected,)
    t0 = time.monotonic()
    try:
        result = hostile_engine.execute(GRAPH, query, LIMITS)
        outcome = TRUNCATED if result.truncated else result
    except EngineError as exc:
        outcome = exc
    elapsed = time.monotonic() - t0
    assert server_checksum(falkordb_server) == before, f"{name} changed data"
    if isinstance(outcome, EngineError):
        assert isinstance(outcome, tuple(a for a in allowed if a is not TRUNCATED)), f"{name}: {outcome!r}"
        assert str(outcome), "errors must explain themselves"
    else:
        assert outcome == TRUNCATED and TRUNCATED in allowed, f"{name} ran: {outcome!r}"
    # The contract, not a benchmark: the server timeout or the socket backstop returns control in time.
    assert elapsed < LIMITS.timeout_s + hostile_engine.socket_grace_s + 5.0, f"{name} took {elapsed:.1f} s"


def test_truncated_result_keeps_the_cap(hostile_engine):
    res = hostile_engine.execute(GRAPH, "MATCH (a), (b) RETURN a.pid, b.pid", LIMITS)
    assert res.truncated and len(res.rows) == LIMITS.max_rows


def test_engine_still_answers_after_the_suite(hostile_engine):
    assert hostile_engine.execute(GRAPH, "MATCH (n:Person) RETURN count(n)").rows == [(60,)]


# ----------------------------------------------------------------------------------------------- helpers
@pytest.mark.parametrize("query,body", [
    ("RETURN 1", "RETURN 1"),
    ("RETURN 1;", "RETURN 1"),
    ("RETURN 1 ;  // done\n", "RETURN 1 "),
    ("RETURN 'a;b' AS s", "RETURN 'a;b' AS s"),
    ('RETURN "a\\";b" AS s', 'RETURN "a\\";b" AS s'),
    ("MATCH (`a;b`) RETURN 1", "MATCH (`a;b`) RETURN 1"),
    ("RETURN 1 /* ; RETURN 2 */", "RETURN 1 /* ; RETURN 2 */"),
    ("RETURN 1 // ; RETURN 2", "RETURN 1 // ; RETURN 2"),
    ("RETURN 1;;", "RETURN 1"),
])
def test_single_statement_accepts(query, body):
    assert single_statement(query) == body


@pytest.mark.parametrize("query", [
    "RETURN 1; RETURN 2",
    "RETURN 1;RETURN 2;",
    "RETURN 'x'; CREATE (:E)",
    "RETURN 1 /* */ ; /* */ CREATE (:E)",
    "RETURN 1;\n// c\nCREATE (:E)",
    "RETURN `a`; DELETE x",
])
def test_single_statement_refuses_several(query):
    with pytest.raises(UnsafeQueryError, match="one statement"):
        single_statement(query)


@pytest.mark.parametrize("query,why", [
    ("MATCH (n) RETURN n.set, n.create, n.delete", None),
    ("MATCH (n {remove: 1}) RETURN n", None),
    ("MATCH (n:Set) RETURN n", None),
    ("RETURN 'CREATE (:E)' AS s", None),
    ("MATCH (n) RETURN n // DELETE n", None),
    ("CALL db.labels() YIELD label RETURN label", None),
    ("MATCH (n) CALL { WITH n RETURN n.x AS x } RETURN x", None),
    ("MATCH (n) WHERE n.name STARTS WITH 'a' RETURN n", None),
    ("create (:E)", "CREATE"),
    ("WITH 1 AS x MERGE (:E {x: x})", "MERGE"),
    ("MATCH (n) SET n.x = 1", "SET"),
    ("MATCH (n) DETACH DELETE n", "DETACH"),
    ("MATCH (n) REMOVE n:Person", "REMOVE"),
    ("FOREACH (x IN [1] | CREATE (:E))", "FOREACH"),
    ("LOAD CSV FROM 'file:///x' AS r RETURN r", "LOAD"),
    ("USE system SHOW USERS", "USE"),
    ("DROP INDEX i", "DROP"),
    ("CALL dbms.killQuery('1')", "CALL dbms.killQuery"),
    ("CALL db.idx.fulltext.createNodeIndex('P', 'n')", "CALL db.idx.fulltext.createNodeIndex"),
    ("MATCH (n) CALL { WITH n RETURN n AS m } IN TRANSACTIONS RETURN m", "CALL ... IN TRANSACTIONS"),
])
def test_write_clause(query, why):
    assert write_clause(query) == why
