"""Cypher for Neo4j: the prompt instruction, the property-graph schema text and the ```cypher fence.

Schema text: node labels with typed properties (key marked, a few example values) and relationship types drawn
as ``(:Source)-[:TYPE]->(:Target)`` with their properties; the layout is the shared graph one
(``momq.dialects.prompt.GraphPromptDialect``), this module gives its words and patterns. Dates are stored as ISO
strings in our graphs and the schema says so. This module does not execute, lint or validate queries.
"""

from __future__ import annotations

from momq.dialects.prompt import GraphPromptDialect
from momq.schema import ValueType

_TYPES = {
    ValueType.INTEGER: "INTEGER",
    ValueType.FLOAT: "FLOAT",
    ValueType.DECIMAL: "FLOAT (2 decimals)",
    ValueType.TEXT: "STRING",
    ValueType.DATE: "STRING (date 'YYYY-MM-DD')",
    ValueType.BOOLEAN: "BOOLEAN",
    ValueType.DATETIME: "DATETIME",
    ValueType.TIME: "TIME",
    ValueType.INTERVAL: "DURATION",
}


class Cypher(GraphPromptDialect):
    name = "cypher"
    fence = "cypher"
    instruction = (
        "You are an expert in Cypher for Neo4j 5. Read the graph schema below and write one read-only Cypher "
        "query that answers the question. Use only the node labels, relationship types and properties listed, "
        "follow the relationship directions shown, and return the query in a ```cypher code block."
    )
    property_types = _TYPES
    schema_word = "Graph"
    node_section = ("nodes", "Node labels:")
    edge_section = ("edges", "Relationship types:")
    node_head = "(:{label})"
    edge_head = "(:{source})-[:{type}]->(:{target})"
    edge_item = "rel:{type}"
    unit = "node labels"
    with_labels_note = "  (some also labelled {labels})"
    with_label = ":{label}"


DIALECT = Cypher()
