"""nGQL for NebulaGraph 3: the prompt instruction, the space schema text (tags, edge types, VIDs), ```ngql fence.

Schema text: tags with typed properties and a sample vertex id (VID), edge types drawn as
``(Source)-[:TYPE]->(Target)`` with their properties, and a note on how nGQL reads VIDs and properties; the
layout is the shared graph one (``momq.dialects.prompt.GraphPromptDialect``), this module gives its words and
patterns.
Answer extraction keeps ``USE space;`` and ``$var = ...;`` statements with the statement that follows them (one
composite query).
This module does not parse, execute or validate nGQL (see ``momq.ngql``).
"""

from __future__ import annotations

import re

from momq.dialects.prompt import GraphPromptDialect, GraphValues
from momq.schema import GraphDatabase, NodeType, ValueType

_TYPES = {
    ValueType.INTEGER: "int64",
    ValueType.FLOAT: "double",
    ValueType.DECIMAL: "double (2 decimals)",
    ValueType.TEXT: "string",
    ValueType.DATE: "string (date 'YYYY-MM-DD')",
    ValueType.BOOLEAN: "bool",
    ValueType.DATETIME: "datetime",
    ValueType.TIME: "time",
    ValueType.INTERVAL: "duration",
}

_ASSIGNMENT = re.compile(r"^\s*\$[A-Za-z_][A-Za-z0-9_]*\s*=")
_USE = re.compile(r"^\s*USE\s+[`A-Za-z_][`A-Za-z0-9_]*\s*$", re.IGNORECASE)


class NGQL(GraphPromptDialect):
    name = "ngql"
    fence = "ngql"
    instruction = (
        "You are an expert in nGQL for NebulaGraph 3. Read the graph space schema below and write one read-only "
        "nGQL query that answers the question. Use only the tags, edge types and properties listed, follow the "
        "edge directions shown, use MATCH for patterns and GO / FETCH / LOOKUP where they fit, and return the "
        "query in a ```ngql code block."
    )
    property_types = _TYPES
    schema_word = "Space"
    node_section = ("tags", "Tags:")
    edge_section = ("edges", "Edge types:")
    node_head = "Tag {label}"
    edge_head = "Edge {type}: ({source})-[:{type}]->({target})"
    edge_item = "edge:{type}"
    unit = "tags"
    footer = ("Notes: every vertex has one tag and a string VID (read it with id(v)); in MATCH read "
              "properties as v.Tag.property; in GO use $$.Tag.property / $^.Tag.property and "
              "EDGE_TYPE.property.")

    list_type = "list<{element}>"
    with_labels_note = "  (some vertices also have tags {labels})"
    multi_tag_footer = ("Notes: a vertex may have several tags and has a string VID (read it with id(v)); in MATCH "
                        "read properties as v.Tag.property; in GO use $$.Tag.property / $^.Tag.property and "
                        "EDGE_TYPE.property.")

    def footer_for(self, spec: GraphDatabase) -> str:
        return self.multi_tag_footer if any(nt.with_labels for nt in spec.node_types) else self.footer

    def node_notes(self, nt: NodeType, values: GraphValues) -> list[str]:
        """The tag's VID with a sample value."""
        vid = values.sample_vid.get(nt.label)
        return [f'  (VID: string, e.g. "{vid}")' if vid else "  (VID: string)"]

    def first_statement(self, text: str) -> str:
        """The first statement, with any ``USE space`` and ``$var = ...`` statements before it (one composite
        query, as NebulaGraph runs it)."""
        kept: list[str] = []
        for part in self.split_statements(text):
            if not part.strip():
                continue
            kept.append(part.strip())
            if not (_ASSIGNMENT.match(part) or _USE.match(part)):
                break
        return "; ".join(kept)


DIALECT = NGQL()
