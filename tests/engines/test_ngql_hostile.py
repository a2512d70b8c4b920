"""Hostile nGQL against the emulation: every input is refused or stopped with a clear EngineError, in time,
and the FalkorDB graph behind the space is byte-for-byte the same afterwards."""

from __future__ import annotations

import hashlib
import time

import pytest

from momq.engines.base import EngineError, ExecutionLimits, QueryFailed, QueryTimeout, UnsafeQueryError
from momq.engines.ngql_emulation import GRAPH_PREFIX
from momq.schema.graph import Edge, EdgeType, GraphDatabase, Node, NodeType, Property
from momq.schema.types import ValueType
from tests.ngql.sample_graph import basketball

SPACE = "ngql_hostile"
DENSE = "ngql_dense"
LIMITS = ExecutionLimits(timeout_s=1.0, max_rows=1000)
HEAVY = ExecutionLimits(timeout_s=0.5, max_rows=1000)  # the dense-graph cases need ~1.7 s or far more here
SLACK_S = 4.0  # generous bound over the limit: catches a hang, not a slow machine


def dense(n: int = 150) -> GraphDatabase:
    """A complete directed graph on n vertices: every traversal fans out n-1 ways."""
    return GraphDatabase(
        DENSE, (NodeType("d", (Property("k", ValueType.INTEGER),), key="k"),),
        (EdgeType("link", "d", "d", (Property("w", ValueType.INTEGER),)),),
        nodes=[Node("d", f"d_{i}", {"k": i}) for i in range(n)],
        edges=[Edge("link", f"d_{i}", f"d_{j}", {"w": i * n + j}) for i in range(n) for j in range(n) if i != j])


@pytest.fixture(scope="module")
def spaces(ngql_engine):
    ngql_engine.load(basketball(SPACE))
    ngql_engine.load(dense())
    yield ngql_engine
    ngql_engine.drop(SPACE)
    ngql_engine.drop(DENSE)


def checksum(falkordb_server, space: str) -> str:
    graph = falkordb_server.client().select_graph(GRAPH_PREFIX + space)
    nodes = graph.ro_query("MATCH (n) RETURN labels(n), properties(n)").result_set
    edges = graph.ro_query("MATCH (a)-[e]->(b) RETURN a._vid, type(e), properties(e), b._vid").result_set
    indexes = graph.ro_query("CALL db.indexes()").result_set
    text = repr(sorted(map(repr, nodes))) + repr(sorted(map(repr, edges))) + repr(sorted(map(repr, indexes)))
    return hashlib.sha256(text.encode()).hexdigest()


HOSTILE = [
    # nGQL mutations and DDL
    ('INSERT VERTEX player(name, age) VALUES "x":("X", 1)', UnsafeQueryError),
    ('INSERT EDGE follow(degree) VALUES "player_1"->"player_5":(1)', UnsafeQueryError),
    ('UPDATE VERTEX ON player "player_1" SET age = 99', UnsafeQueryError),
    ('UPSERT VERTEX ON player "player_1" SET age = 99', UnsafeQueryError),
    ('UPDATE EDGE ON follow "player_1"->"player_2"@0 SET degree = 0', UnsafeQueryError),
    ('DELETE VERTEX "player_1" WITH EDGE', UnsafeQueryError),
    ('DELETE EDGE follow "player_1"->"player_2"@0', UnsafeQueryError),
    ('DELETE TAG player FROM "player_1"', UnsafeQueryError),
    ('DROP SPACE ngql_hostile', UnsafeQueryError),
    ('DROP TAG player', UnsafeQueryError),
    ('CREATE SPACE evil(vid_type=FIXED_STRING(8))', UnsafeQueryError),
    ('CREATE TAG evil(a int)', UnsafeQueryError),
    ('CREATE TAG INDEX evil ON player(name(8))', UnsafeQueryError),
    ('ALTER TAG player DROP (age)', UnsafeQueryError),
    ('CLEAR SPACE ngql_hostile', UnsafeQueryError),
    ('SUBMIT JOB COMPACT', UnsafeQueryError),
    ('REBUILD TAG INDEX player_idx', UnsafeQueryError),
    ('CREATE USER evil WITH PASSWORD "x"', UnsafeQueryError),
    ('GRANT ROLE ADMIN ON ngql_hostile TO evil', UnsafeQueryError),
    ('KILL QUERY (plan=1)', UnsafeQueryError),
    # several statements, and statements hidden behind comments or pipes
    ('GO FROM "player_1" OVER follow YIELD dst(edge); DELETE VERTEX "player_1"', UnsafeQueryError),
    ('YIELD 1; YIELD 2', UnsafeQueryError),
    ('/* harmless */ DROP SPACE ngql_hostile', UnsafeQueryError),
    ('# just a comment\nDELETE VERTEX "player_2"', UnsafeQueryError),
    ('GO FROM "player_1" OVER follow YIELD dst(edge) -- note\n; CLEAR SPACE ngql_hostile', UnsafeQueryError),
    ('GO FROM "player_1" OVER follow YIELD dst(edge) AS id | DELETE VERTEX $-.id', UnsafeQueryError),
    ('$v = GO FROM "player_1" OVER follow YIELD dst(edge) AS id; DELETE VERTEX $v.id', UnsafeQueryError),
    ('DELETE VERTEX "player_1" /* unterminated', UnsafeQueryError),
    # Cypher writes smuggled into MATCH
    ('MATCH (v) SET v.x = 1', UnsafeQueryError),
    ('MATCH (v:player) SET v.player.age = 0 RETURN v', UnsafeQueryError),
    ('MATCH (v) DETACH DELETE v', UnsafeQueryError),
    ('MATCH (v)-[e]->() DELETE e', UnsafeQueryError),
    ('MATCH (v) REMOVE v.name RETURN v', UnsafeQueryError),
    ('MATCH (v) CREATE (v)-[:follow]->(:player {name: "x"}) RETURN v', UnsafeQueryError),
    ('MATCH (v) MERGE (v)-[:follow]->(w) RETURN v', UnsafeQueryError),
    ('MATCH (v) WITH v SET v:evil RETURN v', UnsafeQueryError),
    ('MATCH (v) CALL db.idx.fulltext.drop("player") RETURN v', QueryFailed),
    ('MATCH (v) RETURN v UNION MATCH (w) DELETE w', UnsafeQueryError),  # UNION parses: the DELETE is named
    ('CREATE (:player {name: "x"})', UnsafeQueryError),
    # work that must be stopped by the time limit
    ('GO 1 TO 20 STEPS FROM "d_0" OVER link YIELD dst(edge) AS d, link.w AS w '
     '| GROUP BY $-.d YIELD $-.d, count(*), sum($-.w)', QueryTimeout),
    ('MATCH p = (a:d)-[:link*1..20]->(b:d) WHERE id(a) == "d_0" RETURN count(p)', QueryTimeout),
    ('MATCH (a:d), (b:d), (c:d), (e:d), (f:d) RETURN count(*)', QueryTimeout),
    ('FIND ALL PATH FROM "d_0" TO "d_1" OVER link UPTO 20 STEPS YIELD path AS p | YIELD count(*)', QueryTimeout),
]


@pytest.mark.parametrize("query,error", HOSTILE)
def test_hostile_input_is_stopped_and_changes_nothing(spaces, falkordb_server, query, error):
    space = DENSE if '"d_' in query or ":d)" in query else SPACE
    limits = HEAVY if space == DENSE else LIMITS
    before = checksum(falkordb_server, space)
    t0 = time.monotonic()
    with pytest.raises(EngineError) as info:
        spaces.execute(space, query, limits)
    elapsed = time.monotonic() - t0
    assert isinstance(info.value, error), f"{type(info.value).__name__}: {info.value}"
    assert str(info.value).strip()
    assert elapsed < limits.timeout_s + SLACK_S
    assert checksum(falkordb_server, space) == before


def test_engine_still_answers_after_hostile_inputs(spaces):
    res = spaces.execute(SPACE, 'GO FROM "player_1" OVER follow YIELD dst(edge)', LIMITS)
    assert sorted(r[0] for r in res.rows) == ["player_2", "player_2", "player_3"]


def test_read_only_is_enforced_by_falkordb_too(spaces, falkordb_server):
    """Even a translated query that wrote would be refused: the engine sends GRAPH.RO_QUERY."""
    graph = falkordb_server.client().select_graph(GRAPH_PREFIX + SPACE)
    with pytest.raises(Exception, match="read-only"):
        graph.ro_query("MATCH (v) SET v.x = 1")
