"""The NebulaGraph client engine, as far as it can be checked without a cluster (none can run here):
a closed port fails fast and clearly, and every statement it would send to load a space parses with our parser."""

from __future__ import annotations

import datetime as dt
import decimal
import socket
import time

import pytest

from momq.engines.base import EngineUnavailable
from momq.engines.nebula import NebulaEngine, insert_statements, literal, schema_ddl, space_ddl
from momq.ngql import ast as A
from momq.ngql.parser import parse
from momq.ngql.safety import first_mutation
from momq.schema.graph import Edge, EdgeType, GraphDatabase, Node, NodeType, Property
from momq.schema.types import ValueType
from tests.ngql.sample_graph import basketball


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the block ends


def test_closed_port_is_unavailable_quickly():
    port = _closed_port()
    t0 = time.monotonic()
    with pytest.raises(EngineUnavailable) as info:
        NebulaEngine([("127.0.0.1", port)], timeout_s=2.0)
    assert f"127.0.0.1:{port}" in str(info.value)
    assert time.monotonic() - t0 < 30  # a hang would show here; the real figure is well under a second


def test_hosts_string_form():
    with pytest.raises(EngineUnavailable, match="not reachable"):
        NebulaEngine(f"127.0.0.1:{_closed_port()}", timeout_s=2.0)


def every_type() -> GraphDatabase:
    props = (Property("i", ValueType.INTEGER), Property("f", ValueType.FLOAT), Property("m", ValueType.DECIMAL),
             Property("t", ValueType.TEXT), Property("d", ValueType.DATE), Property("b", ValueType.BOOLEAN, False))
    return GraphDatabase(
        "types", (NodeType("thing", props, key="t"),),
        (EdgeType("rel", "thing", "thing", (Property("w", ValueType.FLOAT),)),),
        nodes=[Node("thing", "a", {"i": -3, "f": 1.5, "m": decimal.Decimal("2.25"), "t": 'say "hi"\\ \n\tnow',
                                   "d": dt.date(2020, 2, 29), "b": True}),
               Node("thing", "b'q", {"i": None, "f": None, "m": None, "t": None, "d": None, "b": False})],
        edges=[Edge("rel", "a", "b'q", {"w": 0.25}, rank=3), Edge("rel", "b'q", "a", {"w": None})])


@pytest.mark.parametrize("db", [basketball(), every_type()], ids=["basketball", "every_type"])
def test_generated_statements_parse_and_are_mutations(db):
    statements = [space_ddl(db, f"momq_{db.name}"), *schema_ddl(db), *insert_statements(db, batch=4)]
    kinds = [first_mutation(parse(s)) for s in statements]
    assert kinds[0] == "CREATE SPACE"
    assert kinds.count("CREATE TAG/EDGE") == len(db.node_types) + len(db.edge_types)
    assert kinds.count("CREATE INDEX") == len(db.node_types) + len(db.edge_types)
    inserts_v = [s for s, k in zip(statements, kinds) if k == "INSERT VERTEX"]
    inserts_e = [s for s, k in zip(statements, kinds) if k == "INSERT EDGE"]
    assert sum(s.count(":(") for s in inserts_v) == len(db.nodes)
    assert sum(s.count(":(") for s in inserts_e) == len(db.edges)


@pytest.mark.parametrize("value,parsed", [
    (42, 42), (-7, -7), (1.5, 1.5), (decimal.Decimal("2.25"), 2.25), (True, True), (None, None),
    ('say "hi"\\ \n\tnow', 'say "hi"\\ \n\tnow'), ("", ""),
])
def test_literals_round_trip_through_the_parser(value, parsed):
    (pipe,) = parse(f"YIELD {literal(value)} AS x").statements
    assert pipe.stages[0].yield_.items[0].expr == A.Lit(parsed)


def test_date_literal_is_a_date_call():
    (pipe,) = parse(f"YIELD {literal(dt.date(2020, 2, 29))}").statements
    assert pipe.stages[0].yield_.items[0].expr == A.Call("date", (A.Lit("2020-02-29"),))


def test_space_ddl_sizes_fixed_string_vids():
    db = basketball()
    assert f"FIXED_STRING({max(len(n.vid) for n in db.nodes)})" in space_ddl(db, "s")
    assert "`momq_s`" in space_ddl(db, "momq_s")
