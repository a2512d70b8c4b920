"""Validation of the engine-neutral database specs and value types that every engine and prompt relies on."""

from __future__ import annotations

import datetime as dt
import decimal

import pytest

from momq.schema import (
    Column, Edge, EdgeType, ForeignKey, GraphDatabase, Node, NodeType, Property, RelationalDatabase, Table, ValueType,
    View,
)

I, T = ValueType.INTEGER, ValueType.TEXT


@pytest.mark.parametrize("vtype,value,ok", [
    (ValueType.INTEGER, 3, True), (ValueType.INTEGER, True, False), (ValueType.INTEGER, 3.0, False),
    (ValueType.FLOAT, 2, True), (ValueType.FLOAT, 2.5, True), (ValueType.FLOAT, False, False),
    (ValueType.DECIMAL, decimal.Decimal("2.50"), True), (ValueType.DECIMAL, "2.50", False),
    (ValueType.TEXT, "x", True), (ValueType.TEXT, 1, False),
    (ValueType.DATE, dt.date(2020, 1, 2), True), (ValueType.DATE, dt.datetime(2020, 1, 2), False),
    (ValueType.DATE, "2020-01-02", False),
    (ValueType.BOOLEAN, False, True), (ValueType.BOOLEAN, 0, False),
    (ValueType.TEXT, None, False),
])
def test_value_type_accepts(vtype, value, ok):
    assert vtype.accepts(value) is ok


def _dept():
    return Table("dept", (Column("id", I, nullable=False), Column("name", T)), ("id",))


@pytest.mark.parametrize("name", ["Free Meal Count (K-12)", "1st", "Order", "MixedCase", 'say "hi"', "back`tick",
                                  "é", "x" * 256])
def test_names_that_need_quoting_are_schema_names(name):
    table = Table(name, (Column(name, I),), (name,), schema=name)
    view = View("v", (Column(name, I),), schema=name)
    db = RelationalDatabase("db", (table,), views=(view,))
    assert db.table(f"{name}.{name}").column(name).name == name
    nt = NodeType(name, (Property(name, I),), name)
    assert GraphDatabase("g", (nt,), (EdgeType(name, name, name),)).node_type(name).key == name


@pytest.mark.parametrize("build,message", [
    (lambda: Column("", I), "must be non-empty"),
    (lambda: Column("a\0b", I), "contains NUL"),
    (lambda: Column("x" * 257, I), "longer than 256"),
    (lambda: Table("", (Column("a", I),)), "table name '' must be non-empty"),
    (lambda: View("v\0", (Column("a", I),)), "view name .* contains NUL"),
    (lambda: Property(7, I), "property name 7 must be non-empty text"),
    (lambda: NodeType("", (), None), "label name '' must be non-empty"),
    (lambda: RelationalDatabase("my db", ()), "database name 'my db' is not a plain identifier"),
    (lambda: GraphDatabase("g-1", (), ()), "graph name 'g-1' is not a plain identifier"),
    (lambda: Table("t", (Column("a", I), Column("a", T))), "duplicate column"),
    (lambda: Table("t", (Column("a", I),), ("b",)), "primary key column 'b'"),
    (lambda: Table("t", (Column("a", I),), (), (ForeignKey(("b",), "dept", ("id",)),)), "foreign key column 'b'"),
    (lambda: ForeignKey(("a", "b"), "dept", ("id",)), "arity mismatch"),
    (lambda: RelationalDatabase("db", (_dept(), _dept())), "duplicate table"),
    (lambda: RelationalDatabase("db", (Table("emp", (Column("d", I),), (), (ForeignKey(("d",), "nope", ("id",)),)),)),
     "unknown table 'nope'"),
    (lambda: RelationalDatabase("db", (_dept(), Table("emp", (Column("d", I),), (),
                                                     (ForeignKey(("d",), "dept", ("nope",)),)))), "no column 'nope'"),
    (lambda: NodeType("Person", (Property("name", T),), key="id"), "key 'id' is not a property"),
    (lambda: GraphDatabase("g", (NodeType("A", (Property("id", I),), "id"),),
                           (EdgeType("R", "A", "B"),)), "endpoints A->B are not node labels"),
    (lambda: GraphDatabase("g", (NodeType("A", (Property("id", I),), "id"),) * 2, ()), "duplicate node labels"),
])
def test_invalid_specs_are_refused_with_the_reason(build, message):
    with pytest.raises(ValueError, match=message):
        build()


def test_without_rows_and_without_data_keep_the_schema_only():
    db = RelationalDatabase("db", (Table("dept", _dept().columns, ("id",), rows=[(1, "Sales")]),))
    bare = db.without_rows()
    assert bare.table("dept").rows == [] and db.table("dept").rows == [(1, "Sales")]
    assert bare.table("dept").column_names == ("id", "name")
    graph = GraphDatabase("g", (NodeType("A", (Property("id", I),), "id"),), (EdgeType("R", "A", "A"),),
                          [Node("A", "a_1", {"id": 1})], [Edge("R", "a_1", "a_1")])
    assert graph.without_data().nodes == [] and graph.without_data().edge_type("R").source == "A"
    assert len(graph.nodes) == 1
