"""Hardening of the graph paths against the real FalkorDB (issue 11, items 1, 2, 6, 7, 8).

Every input here once kept FalkorDB or our nGQL parser busy far past the time limit, took the machine's memory,
reached the network, or failed with an untyped error. Each test checks the typed error, that no data changed
(the server checksum of the Cypher hostile suite), and that the server answers a normal query within one second
afterwards, through both graph paths.
"""

from __future__ import annotations

import threading
import time

import pytest

from momq.engines.base import EngineUnavailable, ExecutionLimits, QueryFailed, QueryTimeout, UnsafeQueryError
from momq.engines.falkordb_server import FalkorDBServer
from tests.engines.test_cypher_hostile import GRAPH, _hostile_graph, server_checksum
from tests.ngql.sample_graph import basketball

SPACE = "ngql_hardening"
LIMITS = ExecutionLimits(timeout_s=1.0, max_rows=100)


@pytest.fixture(scope="module")
def graphs(falkordb_engine, ngql_engine):
    falkordb_engine.load(_hostile_graph())
    ngql_engine.load(basketball(SPACE))
    ngql_engine.execute(SPACE, "YIELD 1")  # builds the nGQL parser once (~1 s), outside the measured calls
    yield falkordb_engine, ngql_engine
    falkordb_engine.drop(GRAPH)
    ngql_engine.drop(SPACE)


def _answers_within_one_second(cypher, ngql) -> None:
    t0 = time.monotonic()
    assert cypher.execute(GRAPH, "MATCH (n:Person) RETURN count(n)", LIMITS).rows == [(60,)]
    assert ngql.execute(SPACE, 'FETCH PROP ON player "player_1" YIELD player.name AS n', LIMITS).rows
    assert time.monotonic() - t0 < 1.0


def _contained(graphs, server, engine_index: int, db: str, query: str, error) -> EngineUnavailable | Exception:
    before = server_checksum(server)
    with pytest.raises(error) as info:
        graphs[engine_index].execute(db, query, LIMITS)
    assert str(info.value).strip()
    assert server_checksum(server) == before
    _answers_within_one_second(*graphs)
    return info.value


CYPHER = 0
NGQL = 1
NESTED_NOT = "RETURN " + "(NOT " * 14 + "true" + ")" * 14  # 95 bytes: stalled FalkorDB for ~340 s
HOSTILE = [
    # (engine, name, query, error)
    (CYPHER, "nested-not", NESTED_NOT, UnsafeQueryError),
    (CYPHER, "nested-parens", "RETURN " + "(" * 20 + "1" + ")" * 20, UnsafeQueryError),
    (CYPHER, "nested-lists", "RETURN " + "[" * 20 + "1" + "]" * 20, UnsafeQueryError),
    (CYPHER, "nested-case", "RETURN " + "CASE WHEN true THEN " * 20 + "1" + " END" * 20, UnsafeQueryError),
    (CYPHER, "long-text", "RETURN 1" + " " * 30_000, UnsafeQueryError),
    (CYPHER, "load-csv-https", "LOAD CSV FROM 'https://example.com/x.csv' AS r RETURN r", UnsafeQueryError),
    (CYPHER, "load-csv-with-headers", "load csv with headers from 'http://127.0.0.1:1/' AS r RETURN count(r)",
     UnsafeQueryError),
    (CYPHER, "range-size", "RETURN size(range(1, 1000000000))", (QueryFailed, QueryTimeout)),
    (CYPHER, "range-unwind", "UNWIND range(1, 1000000000) AS x RETURN count(x)", (QueryFailed, QueryTimeout)),
    (NGQL, "nested-not", "YIELD " + "NOT " * 14 + "true", UnsafeQueryError),  # 66 bytes, parenthesised per NOT
    (NGQL, "nested-parens", "YIELD " + "(" * 100 + "1" + ")" * 100, UnsafeQueryError),
    (NGQL, "chained-plus", "YIELD " + " + ".join(["1"] * 500), (UnsafeQueryError, QueryFailed)),
    (NGQL, "semicolons-3mb", ";" * 3_000_000, UnsafeQueryError),
    (NGQL, "parens-1m", "YIELD " + "(" * 1_000_000 + "1" + ")" * 1_000_000, UnsafeQueryError),
    (NGQL, "load-csv", "LOAD CSV FROM 'https://example.com/x.csv' AS r RETURN r", UnsafeQueryError),
    (NGQL, "range-size", "YIELD size(range(1, 1000000000))", (QueryFailed, QueryTimeout)),
]


@pytest.mark.parametrize("engine,name,query,error", HOSTILE, ids=[f"{'cypher' if c[0] == CYPHER else 'ngql'}-{c[1]}"
                                                                   for c in HOSTILE])
def test_hostile_graph_input_is_contained(graphs, falkordb_server, engine, name, query, error):
    db = GRAPH if engine == CYPHER else SPACE
    t0 = time.monotonic()
    _contained(graphs, falkordb_server, engine, db, query, error)
    assert time.monotonic() - t0 < 20, "caught a hang, not a slow machine"


def test_range_allocation_stays_under_the_servers_memory_limit(graphs, falkordb_server):
    """range(1, 1e9) bypasses FalkorDB's query memory cap; the address-space limit makes redis fail the
    allocation (it aborts), and the engine restarts it with its data."""
    restarts = falkordb_server.restarts
    with pytest.raises((QueryFailed, QueryTimeout)):
        graphs[0].execute(GRAPH, "RETURN size(range(1, 1000000000))", LIMITS)
    assert falkordb_server.restarts == restarts + 1
    limits = open(f"/proc/{falkordb_server.pid()}/limits").read()
    line = next(x for x in limits.splitlines() if x.startswith("Max address space"))
    assert str(falkordb_server.memory_limit_mb * 1024 * 1024) in line
    _answers_within_one_second(*graphs)


def test_stalled_server_is_restarted_with_its_data(graphs, falkordb_server):
    """Worker threads stuck in FalkorDB's parser (sent past our checks) make the next query time out without an
    answer; the engine restarts the server, so the query after that is answered at once, on the same data."""
    before = server_checksum(falkordb_server)
    stall = "RETURN " + "(NOT " * 13 + "true" + ")" * 13  # minutes of parsing per query here

    def occupy() -> None:
        from falkordb import FalkorDB

        try:
            FalkorDB(port=falkordb_server.port, socket_timeout=60).connection.execute_command(
                "GRAPH.RO_QUERY", GRAPH, stall)
        except Exception:  # noqa: BLE001 - ends when the server is killed
            pass

    threads = [threading.Thread(target=occupy, daemon=True) for _ in range(4)]
    for t in threads:
        t.start()
    time.sleep(0.5)
    restarts = falkordb_server.restarts
    with pytest.raises(QueryTimeout):
        graphs[0].execute(GRAPH, "MATCH (n:Person) RETURN count(n)", LIMITS)
    assert falkordb_server.restarts == restarts + 1
    _answers_within_one_second(*graphs)
    assert server_checksum(falkordb_server) == before


def test_ngql_engine_reports_a_stopped_server_as_unavailable(tmp_path):
    from momq.engines.ngql_emulation import NGQLEmulationEngine

    server = FalkorDBServer(tmp_path / "falkordb")
    server.start()
    engine = NGQLEmulationEngine(port=server.port)
    engine.load(basketball(SPACE))
    server.stop()
    for call in (lambda: engine.execute("other_space", "YIELD 1", LIMITS), engine.databases,
                 lambda: engine.schema("other_space"), lambda: engine.drop(SPACE)):
        with pytest.raises(EngineUnavailable):
            call()
    engine.close()


def test_result_bytes_are_capped_in_both_graph_paths(graphs):
    limits = ExecutionLimits(timeout_s=10.0, max_rows=100, max_result_bytes=1_000_000)
    res = graphs[CYPHER].execute(GRAPH, "UNWIND range(1, 50) AS i RETURN i, range(1, 20000) AS xs", limits)
    assert res.truncated and 1 <= len(res.rows) <= 3  # ~320 kB a row
    res = graphs[NGQL].execute(SPACE, 'GO FROM "player_1" OVER follow YIELD dst(edge) AS d, range(1, 100000) AS xs',
                               limits)
    assert res.truncated and res.rows == []  # ~1.6 MB: not even the first row fits
    _answers_within_one_second(*graphs)
