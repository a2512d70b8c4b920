"""Cypher for Neo4j: the prompt instruction, the property-graph schema text and the ```cypher fence.

Schema text: node labels with typed properties (key marked, a few example values) and relationship types drawn
as ``(:Source)-[:TYPE]->(:Target)`` with their properties. Dates are stored as ISO strings in our graphs and the
schema says so. This module does not execute, lint or validate queries.
"""

from __future__ import annotations

from momq.dialects.base import Family
from momq.dialects.prompt import (
    EXAMPLES_PER_COLUMN,
    GraphValues,
    PromptDialect,
    SchemaItem,
    SchemaLayout,
    describe,
    format_value,
    terms_of,
    value_terms,
)
from momq.schema import Database, GraphDatabase, Property, ValueType

_TYPES = {
    ValueType.INTEGER: "INTEGER",
    ValueType.FLOAT: "FLOAT",
    ValueType.DECIMAL: "FLOAT (2 decimals)",
    ValueType.TEXT: "STRING",
    ValueType.DATE: "STRING (date 'YYYY-MM-DD')",
    ValueType.BOOLEAN: "BOOLEAN",
}


def property_lines(props: tuple[Property, ...], values: dict[str, list], key: str | None,
                   type_names: dict[ValueType, str], quote: str) -> tuple[list[str], list[str], set[str]]:
    """(lines with examples, lines without, relevance terms) for a label's or an edge type's properties."""
    full, compact, terms = [], [], set()
    for prop in props:
        flags = [type_names[prop.type]]
        if prop.name == key:
            flags.append("key")
        if not prop.nullable and prop.name != key:
            flags.append("always set")
        if prop.description and terms_of(prop.description) != terms_of(prop.name):
            flags.append(prop.description)
        line = f"  {prop.name}: " + ", ".join(flags)
        compact.append(line)
        terms |= terms_of(prop.name, prop.description)
        vals = values.get(prop.name, [])
        if vals and prop.name != key:
            line += ", e.g. " + ", ".join(format_value(v, quote) for v in vals[:EXAMPLES_PER_COLUMN])
            terms |= value_terms(vals)
        full.append(line)
    return full, compact, terms


class Cypher(PromptDialect):
    name = "cypher"
    family = Family.GRAPH
    fence = "cypher"
    line_comments = ("//",)
    instruction = (
        "You are an expert in Cypher for Neo4j 5. Read the graph schema below and write one read-only Cypher "
        "query that answers the question. Use only the node labels, relationship types and properties listed, "
        "follow the relationship directions shown, and return the query in a ```cypher code block."
    )

    def schema_layout(self, spec: Database) -> SchemaLayout:
        self.check_spec(spec)
        assert isinstance(spec, GraphDatabase)
        values = GraphValues.of(spec)
        items: list[SchemaItem] = []
        for nt in spec.node_types:
            head = f"(:{nt.label})" + describe(nt.label, nt.description)
            full, compact, terms = property_lines(nt.properties, values.node.get(nt.label, {}), nt.key, _TYPES, '"')
            items.append(SchemaItem(
                name=nt.label, section="nodes", full="\n".join([head, *full]), compact="\n".join([head, *compact]),
                terms=frozenset(terms | terms_of(nt.label, nt.description)), name_terms=terms_of(nt.label),
            ))
        for et in spec.edge_types:
            head = (f"(:{et.source})-[:{et.type}]->(:{et.target})"
                    + describe(et.type, et.description))
            full, compact, terms = property_lines(et.properties, values.edge.get(et.type, {}), None, _TYPES, '"')
            items.append(SchemaItem(
                name=f"rel:{et.type}", section="edges", full="\n".join([head, *full]),
                compact="\n".join([head, *compact]),
                terms=frozenset(terms | terms_of(et.type, et.description)), name_terms=terms_of(et.type),
                requires=tuple(dict.fromkeys((et.source, et.target))), auto=True,
            ))
        return SchemaLayout(
            header=f"Graph {spec.name}" + (f" -- {spec.description}" if spec.description else ""),
            sections=(("nodes", "Node labels:"), ("edges", "Relationship types:")),
            items=tuple(items), unit="node labels",
        )


DIALECT = Cypher()
