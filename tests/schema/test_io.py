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


def real_schema() -> RelationalDatabase:
    """Two namespaces with a same-named table, a composite foreign key across them, defaults, a view."""
    from momq.schema import ForeignKey, View

    region = Table("region", (Column("country", V.TEXT, False), Column("code", V.TEXT, False),
                              Column("opened", V.DATETIME, default="CURRENT_TIMESTAMP")),
                   ("country", "code"), schema="geo", unique_keys=(("code",),))
    sales_region = Table("region", (Column("id", V.INTEGER, False), Column("country", V.TEXT),
                                    Column("code", V.TEXT), Column("shift", V.TIME), Column("span", V.INTERVAL)),
                         ("id",), (ForeignKey(("country", "code"), "region", ("country", "code"), "geo"),),
                         schema="sales", unique_keys=(("country", "code"),))
    view = View("busy", (Column("country", V.TEXT),), "SELECT country FROM sales.region", "sales")
    return RelationalDatabase("real", (region, sales_region), views=(view,))


def test_namespaces_views_defaults_and_composite_keys_round_trip():
    db = real_schema()
    back = database_from_json(database_to_json(db))
    assert back == db
    assert back.namespaces == ("geo", "sales")
    assert back.table("sales.region").foreign_keys[0].ref_qualified == "geo.region"
    with pytest.raises(KeyError, match="ambiguous"):
        back.table("region")


def test_definitions_without_the_new_parts_write_no_new_fields():
    db = RelationalDatabase("db", (Table("t", (Column("id", V.INTEGER),), ("id",)),))
    obj = database_to_json(db)
    assert "views" not in obj and set(obj["tables"][0]) == {"name", "description", "columns", "primary_key",
                                                            "foreign_keys", "rows"}
    assert set(obj["tables"][0]["columns"][0]) == {"name", "type", "nullable", "description"}


@pytest.mark.parametrize("build,message", [
    (lambda: RelationalDatabase("db", (Table("t", (Column("a", V.INTEGER),), schema="s"),
                                       Table("t", (Column("a", V.INTEGER),), schema="s"))), "duplicate"),
    (lambda: RelationalDatabase("db", (Table("t", (Column("a", V.INTEGER),), (), (
        __import__("momq.schema", fromlist=["ForeignKey"]).ForeignKey(("a",), "t", ("a",), "other"),)),)),
     "unknown table 'other.t'"),
    (lambda: Table("t", (Column("a", V.INTEGER),), unique_keys=(("a", "b"),)), "unique key column 'b'"),
])
def test_invalid_namespaced_definitions_are_refused(build, message):
    with pytest.raises(ValueError, match=message):
        build()
