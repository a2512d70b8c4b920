"""The JSON round trip of database definitions for every value type, list-valued properties included."""

from __future__ import annotations

import datetime as dt
import decimal

import pytest

from momq.schema import (Column, GraphDatabase, ListType, NodeType, Node, Property, RelationalDatabase, Table,
                         ValueType, field_type)
from momq.schema.io import SchemaFormatError, database_from_json, database_to_json

V = ValueType
SAMPLES = [  # (type, a value, a JSON value that is not valid for it)
    (V.INTEGER, 7, "7"), (V.FLOAT, 2.5, "x"), (V.DECIMAL, decimal.Decimal("12.30"), "twelve"),
    (V.TEXT, "café", 3), (V.DATE, dt.date(2020, 2, 29), "2020-02-30"), (V.BOOLEAN, True, "yes"),
    (V.DATETIME, dt.datetime(2021, 3, 4, 5, 6, 7, 890000), "2021-13-01T00:00:00"),
    (V.TIME, dt.time(23, 59, 1, 5), "25:00"),
    (V.INTERVAL, dt.timedelta(days=-3, seconds=5, microseconds=7), "3 days"),
    (ListType(V.TEXT), ["Neo", None, "Thomas"], ["Neo", 3]), (ListType(V.DATE), [dt.date(2000, 1, 1)], "x"),
]


@pytest.mark.parametrize("vtype,value,bad", SAMPLES, ids=[s[0].value for s in SAMPLES])
def test_every_type_round_trips_through_json_and_refuses_bad_values(vtype, value, bad):
    db = RelationalDatabase("db", (Table("t", (Column("id", V.INTEGER), Column("v", vtype)), ("id",),
                                         rows=[(1, value), (2, None)]),))
    back = database_from_json(database_to_json(db))
    assert back.table("t").rows == [(1, value), (2, None)]
    assert back.table("t").column("v").type == vtype
    obj = database_to_json(db)
    obj["tables"][0]["rows"][0][1] = bad
    with pytest.raises(SchemaFormatError, match=r"row #0, column v"):
        database_from_json(obj)


@pytest.mark.parametrize("name,want", [("text", V.TEXT), ("interval", V.INTERVAL),
                                       ("list<integer>", ListType(V.INTEGER))])
def test_field_type_reads_type_names(name, want):
    assert field_type(name) == want and field_type(want.value) == want


@pytest.mark.parametrize("name", ["list<list<text>>", "list<>", "varchar", "List<text>"])
def test_unknown_type_names_are_refused(name):
    with pytest.raises(ValueError):
        field_type(name)


def test_a_list_valued_graph_property_round_trips():
    graph = GraphDatabase("movies", (NodeType("Person", (Property("name", V.TEXT),), "name"),
                                     NodeType("Movie", (Property("title", V.TEXT),
                                                        Property("roles", ListType(V.TEXT))), "title")), (),
                          [Node("Movie", "m1", {"title": "The Matrix", "roles": ["Neo", "Trinity"]})])
    back = database_from_json(database_to_json(graph))
    assert back.nodes[0].properties["roles"] == ["Neo", "Trinity"]
    assert back.node_type("Movie").properties[1].type == ListType(V.TEXT)
