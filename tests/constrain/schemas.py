"""A small relational database and property graph (with data-free definitions) for grammar tests."""

from __future__ import annotations

from momq.schema import (Column, EdgeType, ForeignKey, GraphDatabase, NodeType, Property, RelationalDatabase,
                         Table, ValueType, View)

I, T, D = ValueType.INTEGER, ValueType.TEXT, ValueType.DATE

SHOP = RelationalDatabase("shop", (
    Table("customer", (Column("id", I), Column("name", T), Column("city", T)), primary_key=("id",)),
    Table("orders", (Column("id", I), Column("customer_id", I), Column("total", I), Column("placed_on", D)),
          primary_key=("id",), foreign_keys=(ForeignKey(("customer_id",), "customer", ("id",)),)),
))

LIBRARY = GraphDatabase("library", (
    NodeType("Author", (Property("id", I), Property("name", T)), key="id"),
    NodeType("Book", (Property("id", I), Property("title", T), Property("year", I)), key="id"),
    NodeType("Member", (Property("id", I), Property("name", T)), key="id"),
), (
    EdgeType("WRITTEN_BY", "Book", "Author"),
    EdgeType("BORROWED", "Member", "Book", (Property("on_date", T),)),
))

#: a database as real dumps have them: names that need quoting, a table in a named schema, a view
REAL = RelationalDatabase("real", (
    Table("Schools", (Column("CDSCode", T), Column("Free Meal Count (K-12)", I), Column("order", I),
                      Column('say "hi"', T), Column("back`tick", T)), primary_key=("CDSCode",)),
    Table("region", (Column("code", T), Column("name", T)), primary_key=("code",), schema="geo"),
), views=(View("school_meals", (Column("meals", I),), schema="geo"),))

#: a graph with names that need backticks: spaces, a reserved word, a backtick inside
QUOTED_GRAPH = GraphDatabase("quoted", (
    NodeType("School Type", (Property("name", T), Property("Free Meal Count (K-12)", I)), key="name"),
    NodeType("back`tick", (Property("id", I), Property("order", I)), key="id"),
), (
    EdgeType("IN DISTRICT", "School Type", "back`tick", (Property("since year", I),)),
))
