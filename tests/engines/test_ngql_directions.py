"""Edge ends in GO under each direction (forward, REVERSELY, BIDIRECT), each checked against hand-written Cypher.

NebulaGraph does not give every end-reference one rule; each is implemented as its documentation says:
- ``$^`` / ``$$``: the vertex where the step started / the vertex it reached, in the direction travelled;
- ``<edge>._src`` / ``<edge>._dst``: the same, in the direction travelled;
- ``src(edge)`` / ``dst(edge)``: the edge's stored source / destination, whatever the direction;
- ``<edge>._type``: NebulaGraph's signed internal edge type ID, which the emulation cannot give, so it is refused.

The graph is tests/ngql/sample_graph.py; from ``player_2`` there are 3 outgoing and 5 incoming ``follow`` edges
(two of them parallel, ranks 0 and 1, from ``player_1``), so the directions give different answers.
"""

from __future__ import annotations

from collections import Counter

import pytest

from momq.engines.base import ExecutionLimits, QueryFailed
from tests.engines.test_ngql_emulation import SPACE, _key, _plain
from tests.engines.test_ngql_emulation import loaded as _loaded  # noqa: F401 - a fixture


@pytest.fixture(scope="module")
def loaded(_loaded):
    """The shared graph, after one untimed-in-practice query: a fresh server's first answer can take seconds on a
    loaded machine, which is no part of what these tests check."""
    _loaded[0].execute(SPACE, "YIELD 1 AS warm", ExecutionLimits(timeout_s=120))
    return _loaded

START = "player_2"
_ARROWS = {"": ("-", "->"), " REVERSELY": ("<-", "-"), " BIDIRECT": ("-", "-")}
DIRECTIONS = list(_ARROWS)


def _pair(yield_: str, returns: str, direction: str) -> tuple[str, str]:
    left, right = _ARROWS[direction]
    ngql = f'GO FROM "{START}" OVER follow{direction} YIELD {yield_}'
    cypher = (f"MATCH (a {{vid:'{START}'}}){left}[e:follow]{right}(b) WHERE e IS NOT NULL RETURN {returns}")
    return ngql, cypher


def _same_rows(engine, graph, ngql: str, cypher: str) -> None:
    got = engine.execute(SPACE, ngql)
    want = [tuple(_plain(v) for v in row) for row in graph.ro_query(cypher).result_set]
    assert want, "the Cypher side must return rows, or the comparison proves nothing"
    assert Counter(_key(r) for r in got.rows) == Counter(_key(r) for r in want), ngql


def _ids(d: str) -> str:
    return {"": "forward", " REVERSELY": "reversely", " BIDIRECT": "bidirect"}[d]


@pytest.mark.parametrize("direction", DIRECTIONS, ids=_ids)
def test_underscore_dst_is_the_vertex_reached(loaded, direction):
    """``<edge>._dst`` is the vertex reached in the direction travelled: under REVERSELY the followers of the start.

    NebulaGraph 1.x GO syntax: ``GO FROM 100 OVER follow REVERSELY YIELD follow._dst AS id | GO FROM $-.id ...``
    walks "all players who follow 100", and ``GO FROM 102 OVER follow BIDIRECT`` (default ``follow._dst``) returns
    "the players 102 follows and the players who follow 102":
    https://docs.nebula-graph.com.cn/1.2.0/manual-CN/2.query-language/4.statement-syntax/2.data-query-and-manipulation-statements/go-syntax
    The 3.x style guide keeps the same query (``OVER follow REVERSELY YIELD follow._dst AS id | GO FROM $-.id OVER
    serve ... AS FriendOf``): https://docs.nebula-graph.io/3.6.0/3.ngql-guide/1.nGQL-overview/ngql-style-guide/
    """
    engine, graph = loaded
    _same_rows(engine, graph, *_pair("follow._dst", "b.vid", direction))


@pytest.mark.parametrize("direction", DIRECTIONS, ids=_ids)
def test_underscore_src_is_the_start_vertex(loaded, direction):
    """``<edge>._src`` is the vertex the step started from: ``GO FROM 100 OVER follow REVERSELY YIELD follow._src``
    "returns 100" (NebulaGraph 1.x GO syntax, reverse traversal):
    https://docs.nebula-graph.com.cn/1.2.0/manual-CN/2.query-language/4.statement-syntax/2.data-query-and-manipulation-statements/go-syntax
    """
    engine, graph = loaded
    _same_rows(engine, graph, *_pair("follow._src", "a.vid", direction))


@pytest.mark.parametrize("direction", DIRECTIONS, ids=_ids)
def test_src_function_is_the_stored_source(loaded, direction):
    """``src(edge)`` is the edge's stored source: ``GO FROM "player100" OVER follow REVERSELY YIELD src(edge) AS
    destination`` returns the players who follow player100, the same as ``MATCH (v)<-[e:follow]-(v2) ... RETURN
    id(v2)`` (schema functions and GO pages):
    https://docs.nebula-graph.com.cn/3.0.2/3.ngql-guide/6.functions-and-expressions/4.schema/
    https://docs.nebula-graph.io/3.6.0/3.ngql-guide/7.general-query-statements/3.go/
    """
    engine, graph = loaded
    _same_rows(engine, graph, *_pair("src(edge)", "startNode(e).vid", direction))


@pytest.mark.parametrize("direction", DIRECTIONS, ids=_ids)
def test_dst_function_is_the_stored_destination(loaded, direction):
    """``dst(edge)`` is the edge's stored destination ("返回边的目的点 ID"), so under REVERSELY it is the start vertex
    itself, the counterpart of ``src(edge)`` being the follower:
    https://docs.nebula-graph.com.cn/3.0.2/3.ngql-guide/6.functions-and-expressions/4.schema/
    """
    engine, graph = loaded
    _same_rows(engine, graph, *_pair("dst(edge)", "endNode(e).vid", direction))


@pytest.mark.parametrize("direction", DIRECTIONS, ids=_ids)
def test_dollar_dollar_is_the_vertex_reached(loaded, direction):
    """``$$`` is "the end point of the exploration" (探索结束的终点), in the direction travelled:
    https://docs.nebula-graph.com.cn/3.4.1/3.ngql-guide/6.functions-and-expressions/4.schema/
    """
    engine, graph = loaded
    _same_rows(engine, graph, *_pair("id($$), $$.player.name, properties($$)", "b.vid, b.name, "
                                     "{name: b.name, age: b.age}", direction))


@pytest.mark.parametrize("direction", DIRECTIONS, ids=_ids)
def test_dollar_caret_is_the_start_vertex(loaded, direction):
    """``$^`` is the vertex where the exploration starts: "in ``GO FROM "player100" OVER follow reversely YIELD
    properties($^)``, ``$^`` is player100":
    https://docs.nebula-graph.com.cn/3.4.1/3.ngql-guide/6.functions-and-expressions/4.schema/
    """
    engine, graph = loaded
    _same_rows(engine, graph, *_pair("id($^), $^.player.name", "a.vid, a.name", direction))


@pytest.mark.parametrize("direction", DIRECTIONS, ids=_ids)
def test_rank_and_type_name_do_not_depend_on_direction(loaded, direction):
    """``rank(edge)``, ``follow._rank`` and ``type(edge)`` describe the edge itself (its rank, its type name):
    https://docs.nebula-graph.com.cn/3.4.1/3.ngql-guide/6.functions-and-expressions/4.schema/
    """
    engine, graph = loaded
    _same_rows(engine, graph, *_pair("rank(edge), follow._rank, type(edge)", "e.rank AS r, e.rank AS r2, type(e)", direction))


@pytest.mark.parametrize("direction", DIRECTIONS, ids=_ids)
def test_underscore_type_is_refused(loaded, direction):
    """``<edge>._type`` is the edge type's internal ID, positive for a forward and negative for a reverse edge
    ("通过返回 <edge_type>._type 字段判断方向,其正数为正向,负数为反向"); the emulation has no such IDs:
    https://docs.nebula-graph.com.cn/3.4.1/3.ngql-guide/7.general-query-statements/3.go/
    """
    engine, _ = loaded
    with pytest.raises(QueryFailed) as info:
        engine.execute(SPACE, _pair("follow._type", "", direction)[0])
    assert "follow._type" in str(info.value) and "not supported" in str(info.value)


def test_reversely_pipe_walks_the_followers(loaded):
    """The documented REVERSELY pipe: followers of the start (``_dst``), then the teams they serve, with ``$^`` the
    follower in the second GO (https://docs.nebula-graph.io/3.6.0/3.ngql-guide/1.nGQL-overview/ngql-style-guide/).
    """
    engine, graph = loaded
    ngql = (f'GO FROM "{START}" OVER follow REVERSELY YIELD follow._dst AS id | GO FROM $-.id OVER serve '
            f'YIELD $^.player.name AS FriendOf, $$.team.name AS Team')
    cypher = (f"MATCH ({{vid:'{START}'}})<-[f:follow]-(m) WHERE f IS NOT NULL WITH DISTINCT m "
              f"MATCH (m)-[s:serve]->(t) WHERE s IS NOT NULL RETURN m.name, t.name")
    _same_rows(engine, graph, ngql, cypher)
