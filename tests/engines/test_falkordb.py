"""FalkorDBEngine on a real FalkorDB server: load round trip, value conversion, schema introspection, errors."""

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
    UnknownDatabase,
)
from momq.engines.falkordb import FalkorDBEngine
from momq.engines.process import free_port
from momq.schema import Edge, GraphDatabase, ValueType
from tests.fixtures.graph_engines import make_sample_graph

GRAPH = "cy_roundtrip"

ANN = {"pid": 1, "name": "Ann \"the\" O'Neil \\ ;", "born": "1990-01-02", "score": 1.25, "salary": 1234.5,
       "active": True}
BOB = {"pid": 2, "name": "Bob", "score": 3.0, "active": False}  # NULLs are absent properties
CHLOE = {"pid": 3, "name": "Chloé 北京", "born": "2001-12-31", "score": -0.5, "salary": 0.1}


@pytest.fixture(scope="module")
def loaded(falkordb_engine):
    falkordb_engine.load(make_sample_graph(GRAPH))
    yield falkordb_engine
    falkordb_engine.drop(GRAPH)


def rows(engine, query, **limits):
    return engine.execute(GRAPH, query, ExecutionLimits(**limits) if limits else ExecutionLimits()).rows


def test_version(falkordb_engine):
    assert falkordb_engine.version().startswith("FalkorDB 4.")
    assert falkordb_engine.dialect == "cypher" and falkordb_engine.stands_in_for == "Neo4j"


def test_nodes_round_trip_with_types_and_nulls(loaded):
    got = rows(loaded, "MATCH (p:Person) RETURN p ORDER BY p.pid")
    assert got == [(GraphNode(("Person",), ANN),), (GraphNode(("Person",), BOB),), (GraphNode(("Person",), CHLOE),)]
    # exact Python types, not only equal values (1 == 1.0 == True would hide a conversion bug)
    ann = got[0][0].properties
    assert [type(ann[k]) for k in ("pid", "name", "born", "score", "salary", "active")] == \
        [int, str, str, float, float, bool]


@pytest.mark.parametrize("query,expected", [
    ("MATCH (p:Person {pid: 1}) RETURN p.salary, p.born, p.active, p.score", [(1234.5, "1990-01-02", True, 1.25)]),
    ("MATCH (p:Person {pid: 2}) RETURN p.salary, p.born, p.active", [(None, None, False)]),
    ("MATCH (c:City) RETURN c.code, c.population ORDER BY c.code", [("LDN", 8_900_000), ("PAR", None)]),
    ("MATCH (n) RETURN labels(n)[0] AS l, count(*) ORDER BY l", [("City", 2), ("Company", 1), ("Person", 3)]),
    ("MATCH ()-[r]->() RETURN type(r) AS t, count(*) ORDER BY t", [("KNOWS", 2), ("LIVES_IN", 3), ("WORKS_AT", 2)]),
    ("MATCH (:Person {pid: 1})-[r:LIVES_IN]->(c) RETURN r.since, r.rent, c.name", [("2015-06-01", 999.99, "London")]),
    ("MATCH (:Person {pid: 2})-[r:WORKS_AT]->() RETURN r.role, r.hours, r.remote", [("manager", None, False)]),
    ("MATCH (p:Person) WHERE p.born >= '2000-01-01' RETURN p.name", [("Chloé 北京",)]),
    ("RETURN [1, 'a', null, {k: [true]}] AS v", [([1, "a", None, {"k": [True]}],)]),
])
def test_scalar_values(loaded, query, expected):
    assert rows(loaded, query) == expected


def test_edges_and_paths_are_converted(loaded):
    got = rows(loaded, "MATCH p = (a:Person {pid: 1})-[r:WORKS_AT]->(c:Company) RETURN r, p")
    edge = GraphEdge("WORKS_AT", {"role": "engineer", "hours": 37.5, "remote": True})
    assert got == [(edge, GraphPath((GraphNode(("Person",), ANN), GraphNode(("Company",),
                                                                           {"company_id": 10, "name": "Acme"})),
                                    (edge,)))]
    two_hops = rows(loaded, "MATCH p = (:Person {pid: 1})-[:KNOWS*2]->(:Person) RETURN p")
    path = two_hops[0][0]
    assert [n.properties["pid"] for n in path.nodes] == [1, 2, 3]
    assert [e.type for e in path.edges] == ["KNOWS", "KNOWS"]
    assert rows(loaded, "MATCH (:Person {pid: 3})-[r:LIVES_IN]->() RETURN r") == [(GraphEdge("LIVES_IN", {}),)]


def test_no_implementation_properties_are_visible(loaded):
    db = make_sample_graph(GRAPH)
    declared = {p.name for nt in db.node_types for p in nt.properties}
    edge_declared = {p.name for et in db.edge_types for p in et.properties}
    node_keys = {r[0] for r in rows(loaded, "MATCH (n) UNWIND keys(n) AS k RETURN DISTINCT k")}
    edge_keys = {r[0] for r in rows(loaded, "MATCH ()-[r]->() UNWIND keys(r) AS k RETURN DISTINCT k")}
    assert node_keys == declared and edge_keys == edge_declared


def test_key_properties_are_indexed(loaded):
    got = rows(loaded, "CALL db.indexes() YIELD label, properties RETURN label, properties ORDER BY label")
    assert got == [("City", ["code"]), ("Company", ["company_id"]), ("Person", ["pid"])]


@pytest.mark.parametrize("max_rows,truncated", [(5, True), (6, False), (7, False)])
def test_row_cap(loaded, max_rows, truncated):
    res = loaded.execute(GRAPH, "MATCH (n) RETURN n.name ORDER BY n.name", ExecutionLimits(max_rows=max_rows))
    assert len(res.rows) == min(6, max_rows) and res.truncated is truncated
    assert res.columns == ("n.name",)


def test_load_replaces_and_drop_removes(falkordb_engine):
    db = make_sample_graph("cy_replace")
    falkordb_engine.load(db)
    smaller = dataclasses.replace(db, nodes=db.nodes[:2], edges=[db.edges[-2]])
    falkordb_engine.load(smaller)
    assert falkordb_engine.execute("cy_replace", "MATCH (n) RETURN count(n)").rows == [(2,)]
    assert falkordb_engine.execute("cy_replace", "MATCH ()-[r]->() RETURN count(r)").rows == [(1,)]
    assert "cy_replace" in falkordb_engine.databases()
    falkordb_engine.drop("cy_replace")
    falkordb_engine.drop("cy_replace")  # no error the second time
    assert "cy_replace" not in falkordb_engine.databases()


def test_empty_graph_exists_after_load(falkordb_engine):
    db = make_sample_graph("cy_empty").without_data()
    falkordb_engine.load(db)
    try:
        assert falkordb_engine.execute("cy_empty", "MATCH (n) RETURN count(n)").rows == [(0,)]
    finally:
        falkordb_engine.drop("cy_empty")


@pytest.mark.parametrize("bad_edge,message", [
    (Edge("KNOWS", "p1", "nobody"), "unknown vertex"),
    (Edge("LIVES_IN", "p1", "p2"), "expects a City"),
    (Edge("KNOWS", "p1", "p2", {"weight": 1}), "not in its type"),
])
def test_invalid_graph_is_rejected_before_the_old_one_is_dropped(loaded, bad_edge, message):
    db = make_sample_graph(GRAPH)
    broken = dataclasses.replace(db, edges=db.edges + [bad_edge])
    with pytest.raises(ValueError, match=message):
        loaded.load(broken)
    assert rows(loaded, "MATCH ()-[r]->() RETURN count(r)") == [(7,)]


def test_schema_introspection(loaded):
    got = loaded.schema(GRAPH)
    assert isinstance(got, GraphDatabase) and got.nodes == [] and got.edges == []
    assert [nt.label for nt in got.node_types] == ["City", "Company", "Person"]
    person = got.node_type("Person")
    assert person.key == "pid"
    types = {p.name: (p.type, p.nullable) for p in person.properties}
    assert types == {
        "pid": (ValueType.INTEGER, False), "name": (ValueType.TEXT, False), "born": (ValueType.DATE, True),
        "score": (ValueType.FLOAT, False), "salary": (ValueType.FLOAT, True),  # DECIMAL is stored as float
        "active": (ValueType.BOOLEAN, True),
    }
    assert got.node_type("City").key == "code" and got.node_type("Company").key == "company_id"
    assert {(et.type, et.source, et.target) for et in got.edge_types} == {
        ("KNOWS", "Person", "Person"), ("LIVES_IN", "Person", "City"), ("WORKS_AT", "Person", "Company")}
    works = {p.name: p.type for p in got.edge_type("WORKS_AT").properties}
    assert works == {"role": ValueType.TEXT, "hours": ValueType.FLOAT, "remote": ValueType.BOOLEAN}


def test_schema_key_heuristic_without_index(falkordb_server, falkordb_engine):
    """A graph loaded by someone else: no index, so the unique id-like property wins over an earlier one."""
    g = falkordb_server.client().select_graph("cy_foreign")
    g.query("UNWIND range(1, 5) AS i CREATE (:Item {colour: 'red', name: 'n' + toString(i % 2), item_id: i})")
    try:
        item = falkordb_engine.schema("cy_foreign").node_type("Item")
        assert item.key == "item_id"
    finally:
        falkordb_engine.drop("cy_foreign")


@pytest.mark.parametrize("graph,query,error,message", [
    ("cy_no_such_graph", "MATCH (n) RETURN n", UnknownDatabase, "no graph named 'cy_no_such_graph'"),
    (GRAPH, "MATC (n) RETURN n", QueryFailed, "line: 1, column: 5"),
    (GRAPH, "RETURN 1/0", QueryFailed, "Division by zero"),
    (GRAPH, "MATCH (n) RETURN m", QueryFailed, "'m' not defined"),
    (GRAPH, "   // nothing but a comment", QueryFailed, "empty"),
])
def test_errors(loaded, graph, query, error, message):
    with pytest.raises(error, match=message):
        loaded.execute(graph, query)


def test_unknown_graph_schema(loaded):
    with pytest.raises(UnknownDatabase):
        loaded.schema("cy_no_such_graph")
    assert "cy_no_such_graph" not in loaded.databases()  # asking did not create it


@pytest.mark.parametrize("call", [
    lambda e: e.execute("g", "RETURN 1"),
    lambda e: e.version(),
    lambda e: e.databases(),
    lambda e: e.load(make_sample_graph("cy_down")),
])
def test_server_down_is_engine_unavailable(call):
    engine = FalkorDBEngine("127.0.0.1", free_port())  # nothing listens there
    with pytest.raises(EngineUnavailable, match="cannot reach FalkorDB"):
        call(engine)


TRICKY_TEXT = ["", "line\nbreak\ttab", "back\\slash \\n not a newline", "quote ' and \" and `", "emoji 🙂 ü 北京",
               "/* not a comment */ // nor this", "$param {map: 1}", "  padded  "]


def test_tricky_strings_survive_loading(falkordb_engine):
    from momq.schema import Node, NodeType, Property

    note = NodeType("Note", (Property("nid", ValueType.INTEGER), Property("text", ValueType.TEXT)), key="nid")
    db = GraphDatabase("cy_tricky", (note,), (), [Node("Note", f"n{i}", {"nid": i, "text": t})
                                                  for i, t in enumerate(TRICKY_TEXT)])
    falkordb_engine.load(db)
    try:
        got = falkordb_engine.execute("cy_tricky", "MATCH (n:Note) RETURN n.text ORDER BY n.nid").rows
        assert [r[0] for r in got] == TRICKY_TEXT
    finally:
        falkordb_engine.drop("cy_tricky")


def test_load_batches_can_store_vid_and_rank_for_the_ngql_emulation():
    from momq.engines.graph_values import cypher_load_batches

    db = make_sample_graph("cy_batches")
    stmts = list(cypher_load_batches(db, batch_size=2, vid_property="_vid", rank_property="_rank"))
    persons = [row for s in stmts if s.label == "Person" for row in s.params["rows"]]
    assert [r["_vid"] for r in persons] == ["p1", "p2", "p3"]
    assert [s.count for s in stmts if s.label == "Person"] == [2, 1]
    knows = [row for s in stmts if s.label == "KNOWS" for row in s.params["rows"]]
    assert knows == [{"s": 1, "t": 2, "p": {"_rank": 0}}, {"s": 2, "t": 3, "p": {"_rank": 0}}]
    with pytest.raises(ValueError, match="collides"):
        list(cypher_load_batches(db, vid_property="name"))


# ----------------------------------------------------------------------------------------------- real graphs
def _raw_graphs(engine) -> list[str]:
    """Every graph on the server, staging graphs included (``databases()`` hides those)."""
    return sorted(g.decode() if isinstance(g, bytes) else g for g in engine._command("GRAPH.LIST"))


@pytest.fixture(scope="module")
def movies(falkordb_engine):
    from tests.fixtures.graph_engines import make_real_graph

    falkordb_engine.load(make_real_graph("cy_movies"))
    yield falkordb_engine
    falkordb_engine.drop("cy_movies")


@pytest.mark.parametrize("query,expected", [
    ("MATCH (n:Person:Actor:Director) RETURN n.name", [("Clint Eastwood",)]),
    ("MATCH (n:Actor) RETURN n.name ORDER BY n.name", [("Carrie-Anne Moss",), ("Clint Eastwood",), ("Keanu Reeves",)]),
    ("MATCH (n {name: 'Lana Wachowski'}) RETURN labels(n)", [(["Person", "Director"],)]),
    ("MATCH (m:Movie {title: 'The Matrix'}) RETURN m.genres, m.ratings", [(["Action", "Sci-Fi"], [8.7, 9.0])]),
    ("MATCH (a)-[r:ACTED_IN]->(:Movie {title: 'The Matrix'}) RETURN a.name, r.roles ORDER BY a.name",
     [("Carrie-Anne Moss", ["Trinity", "Trinity (voice)"]), ("Keanu Reeves", ["Neo"])]),
    ("MATCH (p:Person) WHERE 'Oscar' IN p.awards RETURN p.name", [("Clint Eastwood",)]),
    ("MATCH (p:Person {name: 'Carrie-Anne Moss'}) RETURN size(p.awards)", [(0,)]),
    ("MATCH (d:Director)-[:DIRECTED]->(m) RETURN d.name, m.title ORDER BY m.title",
     [("Lana Wachowski", "The Matrix"), ("Clint Eastwood", "Unforgiven")]),
])
def test_multi_label_nodes_and_lists_load(movies, query, expected):
    assert movies.execute("cy_movies", query).rows == expected


def test_introspection_sees_lists_and_label_combinations(movies):
    from momq.schema.types import ListType

    spec = movies.schema("cy_movies")
    person, movie = spec.node_type("Person"), spec.node_type("Movie")
    assert set(person.with_labels) == {"Actor", "Director"}
    assert {p.name: p.type for p in movie.properties}["genres"] == ListType(ValueType.TEXT)
    assert {p.name: p.type for p in movie.properties}["ratings"] == ListType(ValueType.FLOAT)
    acted = spec.edge_type("ACTED_IN")
    assert (acted.source, acted.target) == ("Actor", "Movie")
    assert {p.name: p.type for p in acted.properties} == {"roles": ListType(ValueType.TEXT)}


def test_failed_load_leaves_the_old_graph_and_no_staging_graph(falkordb_engine):
    """The server fails the load half way (a NaN it cannot read, in the third node batch)."""
    from momq.engines.base import InvalidDatabase, QueryFailed
    from momq.engines.falkordb import FalkorDBEngine

    db = make_sample_graph("cy_atomic")
    falkordb_engine.load(db)
    engine = FalkorDBEngine(falkordb_engine.host, falkordb_engine.port, load_batch_size=1)
    nodes = [dataclasses.replace(n, properties={**n.properties, "score": float("nan")}) if n.vid == "p3" else n
             for n in db.nodes]
    try:
        with pytest.raises((QueryFailed, InvalidDatabase)):
            engine.load(dataclasses.replace(db, nodes=nodes))
        assert falkordb_engine.execute("cy_atomic", "MATCH (n) RETURN count(n)").rows == [(6,)]
        assert falkordb_engine.execute("cy_atomic", "MATCH ()-[r]->() RETURN count(r)").rows == [(7,)]
        assert not [g for g in _raw_graphs(falkordb_engine) if "cy_atomic" in g and g != "cy_atomic"]
    finally:
        engine.close()
        falkordb_engine.drop("cy_atomic")


def test_load_whose_edges_find_no_endpoint_is_a_typed_error_and_changes_nothing(falkordb_engine):
    """An endpoint whose key the server cannot match (a list key): the edge batch creates fewer edges than sent."""
    from momq.engines.base import InvalidDatabase

    db = make_sample_graph("cy_endpoints")
    falkordb_engine.load(db)
    before = _raw_graphs(falkordb_engine)
    with pytest.raises(InvalidDatabase, match="unknown vertex 'ghost'"):
        falkordb_engine.load(dataclasses.replace(db, edges=db.edges + [Edge("KNOWS", "p1", "ghost")]))
    assert _raw_graphs(falkordb_engine) == before
    assert falkordb_engine.execute("cy_endpoints", "MATCH ()-[r]->() RETURN count(r)").rows == [(7,)]
    falkordb_engine.drop("cy_endpoints")


def test_a_loaded_graph_survives_a_restart_under_its_final_name(falkordb_server, falkordb_engine):
    """The graph was renamed from its staging name: after a restart from the saved data it is still there."""
    falkordb_engine.load(make_sample_graph("cy_restart"))
    try:
        falkordb_server.recover("test: restart after a staged load")
        falkordb_engine.close()
        assert falkordb_engine.execute("cy_restart", "MATCH (n:Person) RETURN count(n)").rows == [(3,)]
        assert "cy_restart" in falkordb_engine.databases()
        assert ("Person", "pid") in {(i[0], p) for i in falkordb_engine._client().select_graph("cy_restart")
                                     .ro_query("CALL db.indexes() YIELD label, properties RETURN label, properties")
                                     .result_set for p in i[1]}
    finally:
        falkordb_engine.drop("cy_restart")


def test_integers_beyond_64_bits_are_refused_before_loading(falkordb_engine):
    """FalkorDB would store 2**70 as 2**63-1 without a word."""
    from momq.engines.base import InvalidDatabase

    db = make_sample_graph("cy_int64")
    nodes = [dataclasses.replace(n, properties={**n.properties, "pid": 2 ** 70}) if n.vid == "p3" else n
             for n in db.nodes]
    with pytest.raises(InvalidDatabase, match="does not fit in 64 bits"):
        falkordb_engine.load(dataclasses.replace(db, nodes=nodes))
    assert "cy_int64" not in falkordb_engine.databases()
