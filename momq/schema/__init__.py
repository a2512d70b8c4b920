"""Engine-neutral database definitions: a relational database and a property graph, with or without data.

These plain dataclasses are what the benchmark produces, what engines load and what engines return from
schema introspection (with no rows), and what prompts render. They carry no engine-specific SQL or Cypher.
"""

from momq.schema.graph import EdgeType, Edge, GraphDatabase, Node, NodeType, Property
from momq.schema.relational import Column, ForeignKey, RelationalDatabase, Table, View
from momq.schema.types import FieldType, ListType, ValueType, field_type

Database = RelationalDatabase | GraphDatabase

__all__ = [
    "Column",
    "Database",
    "Edge",
    "EdgeType",
    "FieldType",
    "ForeignKey",
    "GraphDatabase",
    "ListType",
    "Node",
    "NodeType",
    "Property",
    "RelationalDatabase",
    "Table",
    "ValueType",
    "View",
    "field_type",
]
