"""BoltEngine through the real ``neo4j`` driver against FalkorDB's own Bolt listener.

What this covers for real: connecting, loading over a write session, reading with the driver's own hydration
of Node/Relationship/Path into GraphNode/GraphEdge/GraphPath, the row cap, schema introspection over Bolt, the
pre-execution refusal of writes, the watchdog, and errors. What it cannot cover: FalkorDB's Bolt listener
ignores READ access mode, transaction rollback, transaction timeouts and database names, and mangles string
parameters holding quotes, so the server-side guarantees the engine relies on with Neo4j or Memgraph (READ
transactions, rollback, server timeout) are untested here; no Neo4j or Memgraph server can be installed.
"""

from __future__ import annotations

import dataclasses

import pytest

from momq.engines.base import (
    EngineUnavailable,
    ExecutionLimits,
    GraphEdge,
    GraphNode,
    GraphPath,
    QueryFailed,
    QueryTimeout,
    UnsafeQueryError,
)
from momq.engines.bolt import BoltEngine
from momq.engines.process import free_port
from momq.schema import ValueType
from tests.engines.test_cypher_hostile import server_checksum
from tests.fixtures.graph_engines import make_sample_graph

GRAPH = "cy_bolt"  # FalkorDB's Bolt listener ignores database names; the engine runs in fixed-database mode


def bolt_safe_sample():
    """The sample graph without quotes/backslashes in strings, which FalkorDB's Bolt parameters mishandle."""
    db = make_sample_graph(GRAPH)
    nodes = [dataclasses.replace(n, properties={**n.properties, "name": "Ann O Neil"}) if n.vid == "p1" else n
             for n in db.nodes]
    return dataclasses.replace(db, nodes=nodes)


@pytest.fixture(scope="module")
def bolt_engine(falkordb_bolt_server):
    engine = BoltEngine(f"bolt://127.0.0.1:{falkordb_bolt_server.bolt_port}", None, None, database="falkordb",
                        watchdog_grace_s=0.5)
    engine.load(bolt_safe_sample())
    yield engine
    engine.close()


def test_version_and_databases(bolt_engine):
    assert "(Bolt 5." in bolt_engine.version()
    assert bolt_engine.databases() == ["falkordb"]


def test_nodes_edges_paths_hydrated_by_the_driver(bolt_engine):
    got = bolt_engine.execute(GRAPH, "MATCH p = (a:Person {pid: 1})-[r:WORKS_AT]->(c:Company) RETURN a, r, c, p")
    ann = GraphNode(("Person",), {"pid": 1, "name": "Ann O Neil", "born": "1990-01-02", "score": 1.25,
                                  "salary": 1234.5, "active": True})
    works = GraphEdge("WORKS_AT", {"role": "engineer", "hours": 37.5, "remote": True})
    acme = GraphNode(("Company",), {"company_id": 10, "name": "Acme"})
    assert got.columns == ("a", "r", "c", "p")
    assert got.rows == [(ann, works, acme, GraphPath((ann, acme), (works,)))]


@pytest.mark.parametrize("query,expected", [
    ("MATCH (p:Person {pid: 2}) RETURN p.salary, p.born, p.active, p.score", [(None, None, False, 3.0)]),
    ("MATCH (p:Person {pid: 3}) RETURN p.name", [("Chloé 北京",)]),
    ("MATCH (n) RETURN labels(n)[0] AS l, count(*) ORDER BY l", [("City", 2), ("Company", 1), ("Person", 3)]),
    ("MATCH ()-[r]->() RETURN type(r) AS t, count(*) ORDER BY t", [("KNOWS", 2), ("LIVES_IN", 3), ("WORKS_AT", 2)]),
    ("RETURN [1, 'a', null, {k: [true]}] AS v", [([1, "a", None, {"k": [True]}],)]),
])
def test_scalar_values(bolt_engine, query, expected):
    assert bolt_engine.execute(GRAPH, query).rows == expected


@pytest.mark.parametrize("max_rows,truncated", [(5, True), (6, False)])
def test_row_cap(bolt_engine, max_rows, truncated):
    res = bolt_engine.execute(GRAPH, "MATCH (n) RETURN n.name", ExecutionLimits(max_rows=max_rows))
    assert len(res.rows) == min(6, max_rows) and res.truncated is truncated


def test_schema_over_bolt(bolt_engine):
    got = bolt_engine.schema(GRAPH)
    assert [nt.label for nt in got.node_types] == ["City", "Company", "Person"]
    assert {nt.label: nt.key for nt in got.node_types} == {"City": "code", "Company": "company_id", "Person": "pid"}
    assert {p.name: p.type for p in got.node_type("Person").properties}["born"] is ValueType.DATE
    assert {(et.type, et.source, et.target) for et in got.edge_types} == {
        ("KNOWS", "Person", "Person"), ("LIVES_IN", "Person", "City"), ("WORKS_AT", "Person", "Company")}


@pytest.mark.parametrize("query", [
    "CREATE (:Evil)",
    "MATCH (n) DETACH DELETE n",
    "MATCH (n:Person) SET n.name = 'pwned'",
    "WITH 1 AS x MERGE (:Evil {x: x})",
    "CALL db.idx.fulltext.createNodeIndex('Person', 'name')",
    "FOREACH (x IN [1] | CREATE (:Evil))",
    "RETURN 1; CREATE (:Evil)",
    "MATCH (n) RETURN n /* */ REMOVE n.name",
])
def test_writes_are_refused_before_they_reach_the_server(bolt_engine, falkordb_bolt_server, query):
    before = server_checksum(falkordb_bolt_server)
    with pytest.raises(UnsafeQueryError):
        bolt_engine.execute(GRAPH, query)
    assert server_checksum(falkordb_bolt_server) == before


def test_syntax_error_is_query_failed(bolt_engine):
    with pytest.raises(QueryFailed):
        bolt_engine.execute(GRAPH, "MATC (n) RETURN n")
    assert bolt_engine.execute(GRAPH, "RETURN 1 AS one").rows == [(1,)]  # the engine recovers


def test_watchdog_gives_up_on_a_server_that_ignores_the_timeout(bolt_engine):
    slow = "UNWIND range(1, 10000) AS a UNWIND range(1, 3000) AS b RETURN count(*)"
    with pytest.raises(QueryTimeout):
        bolt_engine.execute(GRAPH, slow, ExecutionLimits(timeout_s=0.2))


def test_closed_port_is_engine_unavailable():
    engine = BoltEngine(f"bolt://127.0.0.1:{free_port()}", "neo4j", "secret", connection_timeout_s=1.0)
    with pytest.raises(EngineUnavailable, match="cannot use the Bolt server"):
        engine.execute("neo4j", "RETURN 1")
    with pytest.raises(EngineUnavailable):
        engine.version()


@pytest.mark.parametrize("uri", ["http://localhost:7474", "localhost:7687", ""])
def test_bad_uri(uri):
    with pytest.raises(ValueError, match="not a Bolt URI"):
        BoltEngine(uri, "neo4j", "x")


def test_load_refuses_relational_databases(bolt_engine):
    from momq.schema import Column, RelationalDatabase, Table

    with pytest.raises(TypeError):
        bolt_engine.load(RelationalDatabase("r", (Table("t", (Column("id", ValueType.INTEGER),), ("id",)),)))


# ----------------------------------------------------------------------------------------------- Neo4j's catalog
# Rows shaped as Neo4j 5 documents db.schema.nodeTypeProperties / relTypeProperties (one row per label combination
# and property; a list property reports "StringArray"). No Neo4j server runs here, so this maps rows we wrote
# after the documentation; the procedure calls themselves are untested (FalkorDB's Bolt listener lacks them and
# takes the sampling path above).
NEO4J_NODE_ROWS = [
    [["Person", "Actor"], "name", ["String"], True],
    [["Person", "Actor"], "born", ["Long"], False],
    [["Person", "Actor"], "awards", ["StringArray"], False],
    [["Person", "Director"], "name", ["String"], True],
    [["Person"], "name", ["String"], True],
    [["Person"], "born", ["Long", "Double"], True],
    [["Movie"], "title", ["String"], True],
    [["Movie"], "released", ["Date"], False],
    [["Movie"], "ratings", ["DoubleArray"], False],
    [["Movie"], "location", ["Point"], False],
    [["Empty"], None, None, False],
]
NEO4J_REL_ROWS = [
    [":`ACTED_IN`", "roles", ["StringArray"], False],
    [":`DIRECTED`", None, None, False],
]


def test_schema_from_neo4j_catalog_rows():
    from momq.engines.bolt import schema_from_catalog
    from momq.schema.types import ListType

    ends = {"ACTED_IN": [(["Person", "Actor"], ["Movie"])] * 2, "DIRECTED": [(["Person", "Director"], ["Movie"])]}
    spec = schema_from_catalog("g", NEO4J_NODE_ROWS, NEO4J_REL_ROWS, ends, {("Movie", "title")})
    person = spec.node_type("Person")
    assert person.with_labels == ("Actor", "Director") and person.key == "name"
    types = {p.name: (p.type, p.nullable) for p in person.properties}
    assert types == {"name": (ValueType.TEXT, False), "born": (ValueType.FLOAT, True),
                     "awards": (ListType(ValueType.TEXT), True)}
    movie = {p.name: p.type for p in spec.node_type("Movie").properties}
    assert movie == {"title": ValueType.TEXT, "released": ValueType.DATE, "ratings": ListType(ValueType.FLOAT),
                     "location": ValueType.TEXT}
    assert "Empty" not in {nt.label for nt in spec.node_types}
    acted, directed = spec.edge_type("ACTED_IN"), spec.edge_type("DIRECTED")
    assert (acted.source, acted.target, directed.source) == ("Actor", "Movie", "Director")
    assert acted.properties[0].type == ListType(ValueType.TEXT) and directed.properties == ()
