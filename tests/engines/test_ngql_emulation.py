"""The nGQL emulation on a real FalkorDB: loading, schema, limits, and nGQL vs equivalent Cypher on one graph."""

from __future__ import annotations

from collections import Counter

import pytest

from momq.engines.base import (
    ExecutionLimits, GraphEdge, GraphNode, GraphPath, QueryFailed, UnknownDatabase, UnsafeQueryError,
)
from momq.engines.falkordb_server import FalkorDBServer
from momq.engines.ngql_emulation import DISPLAY_NAME, GRAPH_PREFIX, NGQLEmulationEngine
from tests.ngql.sample_graph import basketball

SPACE = "ngql_cmp"
CYPHER_GRAPH = "ngql_cmp_cypher"


@pytest.fixture(scope="module")
def loaded(ngql_engine, falkordb_server):
    db = basketball(SPACE)
    ngql_engine.load(db)
    graph = falkordb_server.client().select_graph(CYPHER_GRAPH)
    graph.query("MATCH (n) DETACH DELETE n")
    for n in db.nodes:  # plain Cypher copy of the same GraphDatabase: VID and rank as ordinary properties
        graph.query(f"CREATE (n:{n.label}) SET n = $p, n.vid = $v",
                    {"p": {k: v for k, v in n.properties.items() if v is not None}, "v": n.vid})
    for e in db.edges:
        graph.query(f"MATCH (a {{vid: $s}}), (b {{vid: $d}}) CREATE (a)-[e:{e.type}]->(b) SET e = $p, e.rank = $r",
                    {"s": e.source_vid, "d": e.target_vid, "p": e.properties, "r": e.rank})
    yield ngql_engine, graph
    ngql_engine.drop(SPACE)
    graph.delete()


def _plain(v):
    """Cypher-side values -> the emulation's plain values (the Cypher copy stores VID/rank as `vid`/`rank`)."""
    from falkordb.edge import Edge
    from falkordb.node import Node
    from falkordb.path import Path

    if isinstance(v, Node):
        return GraphNode(tuple(v.labels), {k: x for k, x in v.properties.items() if k != "vid"})
    if isinstance(v, Edge):
        return GraphEdge(v.relation, {k: x for k, x in v.properties.items() if k != "rank"})
    if isinstance(v, Path):
        return GraphPath(tuple(_plain(n) for n in v.nodes()), tuple(_plain(e) for e in v.edges()))
    if isinstance(v, list):
        return [_plain(x) for x in v]
    return v


def _key(v):
    """A hashable, order-insensitive-for-maps form; integral floats equal ints (FalkorDB's sum is a float).

    Note for the Cypher oracles below: FalkorDB 4.16 collapses parallel edges (player_1 -> player_2 at ranks 0
    and 1) when the relationship variable is never used, so each oracle names and references its edges.
    """
    if isinstance(v, GraphNode):
        return ("node", v.labels, _key(v.properties))
    if isinstance(v, GraphEdge):
        return ("edge", v.type, _key(v.properties))
    if isinstance(v, GraphPath):
        return ("path", tuple(_key(n) for n in v.nodes), tuple(_key(e) for e in v.edges))
    if isinstance(v, dict):
        return tuple(sorted((k, _key(x)) for k, x in v.items()))
    if isinstance(v, (list, tuple)):
        return tuple(_key(x) for x in v)
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, float):
        return round(v, 9)
    return v


PAIRS = [
    ('GO FROM "player_1" OVER follow YIELD dst(edge)',
     "MATCH ({vid:'player_1'})-[e:follow]->(b) WHERE e IS NOT NULL RETURN b.vid"),
    ('GO FROM "player_1" OVER follow YIELD $$.player.name, follow.degree, rank(edge), src(edge)',
     "MATCH (a {vid:'player_1'})-[e:follow]->(b) RETURN b.name, e.degree, e.rank, a.vid"),
    ('GO 2 STEPS FROM "player_1" OVER follow YIELD dst(edge)',
     "MATCH ({vid:'player_1'})-[:follow]->(m) WITH DISTINCT m MATCH (m)-[:follow]->(b) RETURN b.vid"),
    ('GO FROM "player_1" OVER follow REVERSELY YIELD src(edge), dst(edge), $$.player.name, $^.player.name',
     "MATCH (a {vid:'player_1'})<-[:follow]-(b) RETURN b.vid, a.vid, b.name, a.name"),
    ('GO FROM "player_2" OVER follow BIDIRECT YIELD id($$)',
     "MATCH ({vid:'player_2'})-[e:follow]-(b) WHERE e IS NOT NULL RETURN b.vid"),
    ('GO 1 TO 2 STEPS FROM "player_5" OVER follow YIELD dst(edge), $^.player.name',
     "CALL { MATCH (a {vid:'player_5'})-[:follow]->(b) RETURN a, b UNION ALL MATCH ({vid:'player_5'})-[:follow]->(m)"
     " WITH DISTINCT m MATCH (m)-[:follow]->(b) RETURN m AS a, b } RETURN b.vid, a.name"),
    ('GO FROM "player_6" OVER follow WHERE $$.player.age > 35 YIELD $$.player.name AS n',
     "MATCH ({vid:'player_6'})-[:follow]->(b) WHERE b.age > 35 RETURN b.name"),
    ('GO FROM "player_1", "player_2", "player_1" OVER serve YIELD $^.player.name, $$.team.name, serve.start_year',
     "MATCH (a)-[e:serve]->(t) WHERE a.vid IN ['player_1', 'player_2'] RETURN a.name, t.name, e.start_year"),
    ('GO FROM "player_1" OVER * YIELD type(edge), dst(edge), follow.degree, serve.end_year',
     "MATCH ({vid:'player_1'})-[e]->(b) RETURN type(e), b.vid, CASE WHEN type(e) = 'follow' THEN e.degree END,"
     " CASE WHEN type(e) = 'serve' THEN e.end_year END"),
    ('GO FROM "player_1" OVER follow YIELD dst(edge) AS id | GO FROM $-.id OVER serve YIELD $-.id, $$.team.name',
     "MATCH ({vid:'player_1'})-[f:follow]->(m) WHERE f IS NOT NULL MATCH (m)-[:serve]->(t) RETURN m.vid, t.name"),
    ('$a = GO FROM "player_1" OVER follow YIELD dst(edge) AS id; GO FROM $a.id OVER serve YIELD $a.id, $$.team.name',
     "MATCH ({vid:'player_1'})-[f:follow]->(m) WHERE f IS NOT NULL MATCH (m)-[:serve]->(t) RETURN m.vid, t.name"),
    ('GO FROM "player_1" OVER follow YIELD dst(edge) AS id | GO FROM $-.id OVER serve YIELD dst(edge)',
     "MATCH ({vid:'player_1'})-[:follow]->(m) WITH DISTINCT m MATCH (m)-[:serve]->(t) RETURN t.vid"),
    ('GO FROM "player_6" OVER follow YIELD dst(edge) AS id | YIELD count(*) AS n',
     "MATCH ({vid:'player_6'})-[:follow]->(b) RETURN count(*)"),
    ('GO FROM "player_6", "player_4" OVER follow YIELD dst(edge) AS id, follow.degree AS d '
     '| GROUP BY $-.id YIELD $-.id AS id, count(*) AS n, sum($-.d) AS s',
     "MATCH (a)-[e:follow]->(b) WHERE a.vid IN ['player_6', 'player_4'] RETURN b.vid, count(*), sum(e.degree)"),
    ('FETCH PROP ON player "player_1", "player_7", "team_1" YIELD player.name, player.age, id(vertex)',
     "MATCH (v:player) WHERE v.vid IN ['player_1', 'player_7'] RETURN v.name, v.age, v.vid"),
    ('FETCH PROP ON * "team_1", "player_3" YIELD vertex AS v',
     "MATCH (v) WHERE v.vid IN ['team_1', 'player_3'] RETURN v"),
    ('FETCH PROP ON follow "player_1"->"player_2"@1, "player_1"->"player_3" YIELD follow.degree, edge',
     "MATCH ({vid:'player_1'})-[e:follow]->(b) WHERE (b.vid = 'player_2' AND e.rank = 1) OR"
     " (b.vid = 'player_3' AND e.rank = 0) RETURN e.degree, e"),
    ('LOOKUP ON player WHERE player.age >= 36 YIELD id(vertex), player.name',
     "MATCH (v:player) WHERE v.age >= 36 RETURN v.vid, v.name"),
    ('LOOKUP ON serve WHERE serve.end_year > 2018 YIELD src(edge), dst(edge), serve.start_year',
     "MATCH (a)-[e:serve]->(b) WHERE e.end_year > 2018 RETURN a.vid, b.vid, e.start_year"),
    ('MATCH (v:player)-[e:follow]->(w:player) WHERE v.player.age > 40 RETURN v.player.name, w.player.name, e.degree',
     "MATCH (v:player)-[e:follow]->(w:player) WHERE v.age > 40 RETURN v.name, w.name, e.degree"),
    ('MATCH p=(v)-[e:follow*2]->(w) WHERE id(v) == "player_5" RETURN length(p), w.player.name, size(e)',
     "MATCH p=(v {vid:'player_5'})-[:follow*2]->(w) RETURN length(p), w.name, 2"),
    ('MATCH (v:player) OPTIONAL MATCH (v)-[:serve]->(t:team{name:"Hornets"}) RETURN v.player.name, t.team.name',
     "MATCH (v:player) OPTIONAL MATCH (v)-[:serve]->(t:team {name:'Hornets'}) RETURN v.name, t.name"),
    ('UNWIND ["player_1", "player_2"] AS x MATCH (v) WHERE id(v) == x RETURN x, v.player.age, properties(v)',
     "UNWIND ['player_1', 'player_2'] AS x MATCH (v) WHERE v.vid = x RETURN x, v.age, {name: v.name, age: v.age}"),
    ('FIND SHORTEST PATH FROM "player_5" TO "team_3", "player_3" OVER * YIELD path AS p',
     "MATCH (a {vid:'player_5'}), (b) WHERE b.vid IN ['team_3', 'player_3'] WITH a, b "
     "MATCH p=allShortestPaths((a)-[*1..5]->(b)) RETURN p"),
    ('FIND SHORTEST PATH FROM "player_1" TO "player_4" OVER follow YIELD path AS p',  # two paths: ranks 0 and 1
     "MATCH (a {vid:'player_1'}), (b {vid:'player_4'}) WITH a, b "
     "MATCH p=allShortestPaths((a)-[:follow*1..5]->(b)) RETURN p"),
    ('FIND NOLOOP PATH FROM "player_5" TO "player_1" OVER follow UPTO 3 STEPS YIELD path AS p',
     "MATCH p=(a {vid:'player_5'})-[:follow*1..3]->(b {vid:'player_1'}) "
     "WITH p, nodes(p) AS ns WHERE ALL(i IN range(0, size(ns) - 1) WHERE "
     "size([x IN ns WHERE x = ns[i]]) = 1) RETURN p"),
    ('GO 0 TO 2 STEPS FROM "player_5" OVER follow YIELD dst(edge)',
     "CALL { MATCH ({vid:'player_5'})-[:follow]->(b) RETURN b UNION ALL MATCH ({vid:'player_5'})-[:follow]->(m)"
     " WITH DISTINCT m MATCH (m)-[e:follow]->(b) WHERE e IS NOT NULL RETURN b } RETURN b.vid"),
    ('YIELD 7 / 2, 7 % 3, -7 / 2, 7.0 / 2, "abc" < "abd", 1 == 1.0, NULL IS NULL',
     "RETURN 7 / 2, 7 % 3, -7 / 2, 7.0 / 2, 'abc' < 'abd', 1 = 1.0, null IS NULL"),
    ('GO 3 STEPS FROM "player_7" OVER follow YIELD dst(edge), follow.degree',  # a walk around a self-loop
     "MATCH ({vid:'player_7'})-[:follow]->(m) WITH DISTINCT m MATCH (m)-[:follow]->(n) WITH DISTINCT n "
     "MATCH (n)-[e:follow]->(b) RETURN b.vid, e.degree"),
    ('MATCH (v:player) WHERE v.player.name STARTS WITH "T" OR v.player.name CONTAINS "ar" '
     'RETURN toUpper(v.player.name), v.player.age IS NULL',
     "MATCH (v:player) WHERE v.name STARTS WITH 'T' OR v.name CONTAINS 'ar' RETURN toUpper(v.name), v.age IS NULL"),
]

ORDERED_PAIRS = [
    ('MATCH (v:player)-[:serve]->(t) WITH t, count(v) AS c ORDER BY c DESC LIMIT 2 RETURN t.team.name, c',
     "MATCH (v:player)-[s:serve]->(t) WHERE s IS NOT NULL WITH t, count(v) AS c ORDER BY c DESC LIMIT 2 "
     "RETURN t.name, c"),
    ('GO FROM "player_6" OVER follow YIELD $$.player.name AS n | ORDER BY $-.n DESC | LIMIT 1, 2',
     "MATCH ({vid:'player_6'})-[:follow]->(b) RETURN b.name AS n ORDER BY n DESC SKIP 1 LIMIT 2"),
    ('MATCH (v:player)-[:serve]->(t:team) RETURN t.team.name AS team, count(*) AS n, avg(v.player.age) AS a '
     'ORDER BY n DESC',
     "MATCH (v:player)-[:serve]->(t:team) RETURN t.name AS team, count(*) AS n, avg(v.age) ORDER BY n DESC"),
]


# Vertices and edges taken back out of lists (collect(v) and its slices, subscripts, head/last, nodes(p),
# relationships(p), list comprehensions, UNWIND) keep their tag, so `x.tag.prop` reads the property as in
# NebulaGraph instead of coming back NULL; ORDER BY of a WITH/RETURN names that clause's columns.
LIST_PAIRS = [
    ('MATCH (v:player) WITH v, v.player.age AS a ORDER BY a DESC WITH collect(v)[..3] AS top '
     'UNWIND top AS t RETURN t.player.name, id(t)',
     "MATCH (v:player) WITH v ORDER BY v.age DESC WITH collect(v)[..3] AS top UNWIND top AS t RETURN t.name, t.vid"),
    ('MATCH (v:player) WITH v, v.player.name AS n ORDER BY n WITH collect(v)[0..2] AS top '
     'UNWIND top AS t RETURN t.player.name, t.player.age',
     "MATCH (v:player) WITH v ORDER BY v.name WITH collect(v)[0..2] AS top UNWIND top AS t RETURN t.name, t.age"),
    ('MATCH (v:player) WITH v, v.player.name AS n ORDER BY n WITH collect(v)[4..] AS rest UNWIND rest AS r RETURN r',
     "MATCH (v:player) WITH v ORDER BY v.name WITH collect(v)[4..] AS rest UNWIND rest AS r RETURN r"),
    ('MATCH (v:player) WITH v, v.player.name AS n ORDER BY n WITH collect(v)[-2..] AS rest '
     'UNWIND rest AS r RETURN r.player.name',
     "MATCH (v:player) WITH v ORDER BY v.name WITH collect(v)[-2..] AS rest UNWIND rest AS r RETURN r.name"),
    ('MATCH (v:player)-[:serve]->(t:team) WITH t, v, v.player.age AS a ORDER BY a DESC '
     'WITH t, collect(v)[..2] AS top UNWIND top AS p RETURN t.team.name, p.player.name',
     "MATCH (v:player)-[s:serve]->(t:team) WHERE s IS NOT NULL WITH t, v ORDER BY v.age DESC "
     "WITH t, collect(v)[..2] AS top UNWIND top AS p RETURN t.name, p.name"),
    ('MATCH (v:player) WITH v, v.player.name AS n ORDER BY n WITH collect(v) AS l '
     'RETURN l[0].player.name, l[-1].player.age, head(l).player.name, last(l).player.name, size(l[1..3])',
     "MATCH (v:player) WITH v ORDER BY v.name WITH collect(v) AS l "
     "RETURN l[0].name, l[-1].age, head(l).name, last(l).name, size(l[1..3])"),
    ('MATCH (v:player)-[:serve]->(t) WITH v, t, t.team.name AS n ORDER BY n '
     'WITH v, collect(t)[0] AS first RETURN v.player.name, first.team.name',
     "MATCH (v:player)-[s:serve]->(t) WHERE s IS NOT NULL WITH v, t ORDER BY t.name "
     "WITH v, collect(t)[0] AS first RETURN v.name, first.name"),
    ('MATCH p=(v:player)-[:follow*2]->(w) WHERE id(v) == "player_5" '
     'RETURN [n IN nodes(p) | n.player.name] AS names, nodes(p)[1].player.age, [r IN relationships(p) | r.degree] AS d',
     "MATCH p=(v {vid:'player_5'})-[:follow*2]->(w) "
     "RETURN [n IN nodes(p) | n.name], nodes(p)[1].age, [r IN relationships(p) | r.degree]"),
    ('MATCH p=(v:player)-[:follow]->(w) WHERE id(v) == "player_6" UNWIND nodes(p) AS n RETURN n.player.name',
     "MATCH p=(v {vid:'player_6'})-[e:follow]->(w) WHERE e IS NOT NULL UNWIND nodes(p) AS n RETURN n.name"),
    ('MATCH (v:player)-[e:follow]->() WHERE id(v) == "player_1" WITH collect(e) AS es '
     'UNWIND es AS f RETURN f.degree, rank(f), dst(f)',
     "MATCH (v {vid:'player_1'})-[e:follow]->(w) WITH collect(e) AS es UNWIND es AS f "
     "RETURN f.degree, f.rank, endNode(f).vid"),
    ('MATCH (v:player)-[:serve]->(t:team) WHERE id(v) == "player_4" '
     'WITH collect(t) + collect(v)[..1] AS xs UNWIND xs AS x RETURN x.team.name, x.player.name',
     "MATCH (v {vid:'player_4'})-[:serve]->(t:team) WITH collect(t) + collect(v)[..1] AS xs UNWIND xs AS x "
     "RETURN CASE WHEN x:team THEN x.name END, CASE WHEN x:player THEN x.name END"),
    ('MATCH (v:player) WITH v AS p, v.player.age AS a WHERE a > 35 RETURN p.player.name, a',
     "MATCH (v:player) WHERE v.age > 35 RETURN v.name, v.age"),
]

ORDERED_ALIAS_PAIRS = [
    ('MATCH (v:player) WITH v.player.age AS a ORDER BY a RETURN a',
     "MATCH (v:player) RETURN v.age AS a ORDER BY a"),
    ('MATCH (v:player) WITH v.player.name AS n, v.player.age AS a ORDER BY a DESC, n LIMIT 3 RETURN n, a',
     "MATCH (v:player) RETURN v.name AS n, v.age AS a ORDER BY a DESC, n LIMIT 3"),
    ('MATCH (v:player) WITH v AS p, v.player.age AS a ORDER BY a SKIP 1 LIMIT 3 RETURN p.player.name',
     "MATCH (v:player) RETURN v.name ORDER BY v.age SKIP 1 LIMIT 3"),
    ('MATCH (v:player) RETURN v.player.name AS n ORDER BY n DESC',
     "MATCH (v:player) RETURN v.name AS n ORDER BY n DESC"),
    ('MATCH (v:player) WITH v.player.name AS name RETURN name ORDER BY name',
     "MATCH (v:player) RETURN v.name AS name ORDER BY name"),
    ('MATCH (v:player) RETURN DISTINCT v.player.age AS age ORDER BY age DESC',
     "MATCH (v:player) RETURN DISTINCT v.age AS age ORDER BY age DESC"),
    ('MATCH (v:player)-[:serve]->(t:team) WITH t.team.name AS team, count(*) AS n ORDER BY n DESC, team '
     'RETURN team, n',
     "MATCH (v:player)-[s:serve]->(t:team) WHERE s IS NOT NULL RETURN t.name AS team, count(*) AS n "
     "ORDER BY n DESC, team"),
    ('MATCH (v:player) RETURN v.player.name AS n, v.player.age AS a ORDER BY 1, a, n',  # constants are ignored
     "MATCH (v:player) RETURN v.name AS n, v.age AS a ORDER BY a, n"),
    ('MATCH (v:player) WITH v, v.player.age AS a ORDER BY a DESC WITH collect(v)[1..4] AS mid '
     'UNWIND mid AS m RETURN m.player.name AS n, m.player.age AS a ORDER BY a',
     "MATCH (v:player) WITH v ORDER BY v.age DESC WITH collect(v)[1..4] AS mid UNWIND mid AS m "
     "RETURN m.name AS n, m.age AS a ORDER BY a"),
]


@pytest.mark.parametrize("ngql,cypher", LIST_PAIRS)
def test_vertices_out_of_lists_match_cypher(loaded, ngql, cypher):
    engine, graph = loaded
    got = engine.execute(SPACE, ngql)
    want = [tuple(_plain(v) for v in row) for row in graph.ro_query(cypher).result_set]
    assert want, "the Cypher side of a pair must return rows, or the pair proves nothing"
    assert any(v is not None for row in got.rows for v in row), "properties read back as NULL"
    assert Counter(_key(r) for r in got.rows) == Counter(_key(r) for r in want)


@pytest.mark.parametrize("ngql,cypher", ORDERED_ALIAS_PAIRS)
def test_order_by_column_names_matches_cypher_in_order(loaded, ngql, cypher):
    engine, graph = loaded
    got = engine.execute(SPACE, ngql)
    want = [tuple(_plain(v) for v in row) for row in graph.ro_query(cypher).result_set]
    assert want, "the Cypher side of a pair must return rows, or the pair proves nothing"
    assert [_key(r) for r in got.rows] == [_key(r) for r in want]


@pytest.mark.parametrize("query,fragment", [
    ('MATCH (v:player) WITH v ORDER BY v.player.age RETURN v.player.name', "only column name"),
    ('MATCH (v:player) RETURN v.player.name AS n ORDER BY v.player.age', "only column name"),
    ('MATCH (v:player) WITH v.player.name AS n, v.player.age AS a RETURN n ORDER BY a', "column `a' not found"),
    ('MATCH (v:player) WITH collect(v) AS l UNWIND l AS t RETURN t.name', "t.<tag>.<prop>"),
])
def test_order_and_list_refusals_are_clear(loaded, query, fragment):
    engine, _ = loaded
    with pytest.raises(QueryFailed) as info:
        engine.execute(SPACE, query)
    assert fragment in str(info.value)


@pytest.mark.parametrize("ngql,cypher", PAIRS)
def test_ngql_matches_equivalent_cypher(loaded, ngql, cypher):
    engine, graph = loaded
    got = engine.execute(SPACE, ngql)
    want = [tuple(_plain(v) for v in row) for row in graph.ro_query(cypher).result_set]
    assert want, "the Cypher side of a pair must return rows, or the pair proves nothing"
    assert Counter(_key(r) for r in got.rows) == Counter(_key(r) for r in want)


@pytest.mark.parametrize("ngql,cypher", ORDERED_PAIRS)
def test_ordered_ngql_matches_cypher_in_order(loaded, ngql, cypher):
    engine, graph = loaded
    got = engine.execute(SPACE, ngql)
    want = [tuple(_plain(v) for v in row) for row in graph.ro_query(cypher).result_set]
    assert [_key(r) for r in got.rows] == [_key(r) for r in want]


def test_columns_are_named_as_nebula_would(loaded):
    engine, _ = loaded
    res = engine.execute(SPACE, 'GO FROM "player_1" OVER serve YIELD dst(edge) AS t, $$.team.name, serve.start_year')
    assert res.columns == ("t", "$$.team.name", "serve.start_year")
    res = engine.execute(SPACE, 'FETCH PROP ON player "player_1" YIELD properties(vertex), id(vertex)')
    assert res.columns == ("properties(VERTEX)", "id(VERTEX)")
    assert res.rows == [({"name": "Tim", "age": 42}, "player_1")]  # _vid hidden from properties()


def test_vertices_and_edges_hide_vid_and_rank(loaded):
    engine, _ = loaded
    res = engine.execute(SPACE, 'GO FROM "player_1" OVER follow WHERE rank(edge) == 1 YIELD $$ AS d, edge AS e')
    assert res.rows == [(GraphNode(("player",), {"name": "Tony", "age": 36}), GraphEdge("follow", {"degree": 80}))]
    node, edge = res.rows[0]
    # hidden from the properties, but kept as the values' nGQL identity, as NebulaGraph shows them
    assert (node.vid, edge.rank) == ("player_2", 1)


def test_paths_carry_vertex_and_edge_identity(loaded):
    engine, _ = loaded
    res = engine.execute(SPACE, 'MATCH p = (a:player)-[:serve]->(t:team) WHERE id(a) == "player_4" RETURN p')
    paths = sorted((row[0] for row in res.rows), key=lambda p: p.nodes[-1].vid)
    assert [[n.vid for n in p.nodes] for p in paths] == [["player_4", "team_1"], ["player_4", "team_3"]]
    assert [(e.source_vid, e.target_vid, e.rank) for p in paths for e in p.edges] == [
        ("player_4", "team_1", 0), ("player_4", "team_3", 0)]


def test_schema_round_trip(loaded):
    engine, _ = loaded
    assert engine.schema(SPACE) == basketball(SPACE).without_data()
    fresh = NGQLEmulationEngine(port=engine.port)  # read back from the server, not from the cache
    try:
        assert fresh.schema(SPACE) == basketball(SPACE).without_data()
        assert SPACE in fresh.databases()
    finally:
        fresh.close()


def test_identity_and_graph_name(ngql_engine):
    assert ngql_engine.name == "ngql-emulation" and ngql_engine.dialect == "ngql"
    assert ngql_engine.stands_in_for == "NebulaGraph"
    assert "nGQL emulation (openCypher over FalkorDB)" in DISPLAY_NAME
    assert ngql_engine.version().startswith(DISPLAY_NAME) and "FalkorDB 4." in ngql_engine.version()


def test_graph_is_separate_from_cypher_graph_of_same_name(loaded, falkordb_server):
    graphs = falkordb_server.client().list_graphs()
    assert GRAPH_PREFIX + SPACE in graphs and SPACE not in graphs


def test_row_cap_truncates(loaded):
    engine, _ = loaded
    res = engine.execute(SPACE, 'GO FROM "player_6" OVER follow YIELD dst(edge)', ExecutionLimits(max_rows=2))
    assert len(res.rows) == 2 and res.truncated
    res = engine.execute(SPACE, 'GO FROM "player_6" OVER follow YIELD dst(edge)', ExecutionLimits(max_rows=4))
    assert len(res.rows) == 4 and not res.truncated


@pytest.mark.parametrize("query,error,fragment", [
    ('GO FROM "player_1" OVER follow YIELD', QueryFailed, "line 1, column"),
    ('GO FROM "player_1" OVER nosuch YIELD dst(edge)', QueryFailed, "no edge type 'nosuch'"),
    ('GO FROM "player_1" OVER follow YIELD $$.player.height', QueryFailed, "no property 'height'"),
    ('GET SUBGRAPH FROM "player_1" YIELD VERTICES AS nodes', QueryFailed, "not supported"),
    ('MATCH (v) WHERE v.player.name =~ "T.*" RETURN v', QueryFailed, "=~"),
    ('FIND SHORTEST PATH FROM "a" TO "b" OVER * BIDIRECT YIELD path AS p', QueryFailed, "undirected"),
    ('USE otherspace; GO FROM "player_1" OVER follow YIELD dst(edge)', QueryFailed, "otherspace"),
    ('YIELD 1; YIELD 2', UnsafeQueryError, "several statements"),
    ('INSERT VERTEX player(name) VALUES "x":("X")', UnsafeQueryError, "INSERT VERTEX"),
])
def test_errors_are_clear(loaded, query, error, fragment):
    engine, _ = loaded
    with pytest.raises(error) as info:
        engine.execute(SPACE, query)
    assert fragment in str(info.value)


def test_unknown_space(ngql_engine):
    with pytest.raises(UnknownDatabase):
        ngql_engine.execute("no_such_space", 'YIELD 1')


def test_load_rejects_reserved_and_duplicate_data(ngql_engine):
    from momq.schema.graph import Edge

    db = basketball("ngql_bad")
    db.edges.append(Edge("follow", "player_1", "player_2", {"degree": 1}, rank=0))  # same key as an existing edge
    with pytest.raises(ValueError, match="duplicate edge"):
        ngql_engine.load(db)
    assert "ngql_bad" not in ngql_engine.databases()


def test_parallel_edges_count_once_each(loaded):
    """Edges differing only by rank are distinct rows in nGQL, even when the pattern leaves them anonymous."""
    engine, _ = loaded
    res = engine.execute(SPACE, 'MATCH (v)-[:follow]->(w) WHERE id(v) == "player_1" RETURN id(w)')
    assert Counter(r[0] for r in res.rows) == Counter({"player_2": 2, "player_3": 1})
    res = engine.execute(SPACE, 'GO FROM "player_1" OVER follow YIELD $$.player.name AS n | YIELD count(*)')
    assert res.rows == [(3,)]


def test_zero_steps_retrieve_no_edge(loaded):
    engine, _ = loaded
    assert engine.execute(SPACE, 'GO 0 STEPS FROM "player_1" OVER follow YIELD dst(edge)').rows == []


def _graph_config(server: FalkorDBServer) -> dict[str, int]:
    conn = server.client().connection
    try:
        pairs = conn.execute_command("GRAPH.CONFIG", "GET", "*")
    finally:
        conn.close()
    text = {(k.decode() if isinstance(k, bytes) else k): v for k, v in pairs}
    return {k: int(text[k]) for k in ("QUERY_MEM_CAPACITY", "RESULTSET_SIZE")}


def test_emulation_alone_bounds_server_memory_and_result_size(tmp_path):
    """The caps must not depend on the Cypher engine having run first on the same server."""
    server = FalkorDBServer(tmp_path / "falkordb")
    server.start()
    try:
        assert _graph_config(server)["QUERY_MEM_CAPACITY"] <= 0  # a fresh FalkorDB is unbounded
        engine = NGQLEmulationEngine(port=server.port)
        engine.load(basketball("capped"))
        engine.execute("capped", 'FETCH PROP ON player "player_1" YIELD player.name AS name')
        caps = _graph_config(server)
        assert caps["QUERY_MEM_CAPACITY"] > 0 and caps["RESULTSET_SIZE"] > 0
        engine.close()
    finally:
        server.stop()
