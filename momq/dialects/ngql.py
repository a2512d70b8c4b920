"""nGQL for NebulaGraph 3: the prompt instruction, the space schema text (tags, edge types, VIDs), ```ngql fence.

Schema text: tags with typed properties and a sample vertex id (VID), edge types drawn as
``(Source)-[:TYPE]->(Target)`` with their properties, and a note on how nGQL reads VIDs and properties.
Answer extraction keeps ``USE space;`` and ``$var = ...;`` statements with the statement that follows them (one
composite query).
This module does not parse, execute or validate nGQL (see ``momq.ngql``).
"""

from __future__ import annotations

import re

from momq.dialects.base import Family
from momq.dialects.cypher import property_lines
from momq.dialects.prompt import GraphValues, describe, PromptDialect, SchemaItem, SchemaLayout, terms_of
from momq.schema import Database, GraphDatabase, ValueType

_TYPES = {
    ValueType.INTEGER: "int64",
    ValueType.FLOAT: "double",
    ValueType.DECIMAL: "double (2 decimals)",
    ValueType.TEXT: "string",
    ValueType.DATE: "string (date 'YYYY-MM-DD')",
    ValueType.BOOLEAN: "bool",
}

_ASSIGNMENT = re.compile(r"^\s*\$[A-Za-z_][A-Za-z0-9_]*\s*=")
_USE = re.compile(r"^\s*USE\s+[`A-Za-z_][`A-Za-z0-9_]*\s*$", re.IGNORECASE)


class NGQL(PromptDialect):
    name = "ngql"
    family = Family.GRAPH
    fence = "ngql"
    line_comments = ("#", "//")
    instruction = (
        "You are an expert in nGQL for NebulaGraph 3. Read the graph space schema below and write one read-only "
        "nGQL query that answers the question. Use only the tags, edge types and properties listed, follow the "
        "edge directions shown, use MATCH for patterns and GO / FETCH / LOOKUP where they fit, and return the "
        "query in a ```ngql code block."
    )

    def schema_layout(self, spec: Database) -> SchemaLayout:
        self.check_spec(spec)
        assert isinstance(spec, GraphDatabase)
        values = GraphValues.of(spec)
        items: list[SchemaItem] = []
        for nt in spec.node_types:
            head = f"Tag {nt.label}" + describe(nt.label, nt.description)
            vid = values.sample_vid.get(nt.label)
            full, compact, terms = property_lines(nt.properties, values.node.get(nt.label, {}), nt.key, _TYPES, '"')
            vid_line = f'  (VID: string, e.g. "{vid}")' if vid else "  (VID: string)"
            items.append(SchemaItem(
                name=nt.label, section="tags", full="\n".join([head, vid_line, *full]),
                compact="\n".join([head, *compact]),
                terms=frozenset(terms | terms_of(nt.label, nt.description)), name_terms=terms_of(nt.label),
            ))
        for et in spec.edge_types:
            head = (f"Edge {et.type}: ({et.source})-[:{et.type}]->({et.target})"
                    + describe(et.type, et.description))
            full, compact, terms = property_lines(et.properties, values.edge.get(et.type, {}), None, _TYPES, '"')
            items.append(SchemaItem(
                name=f"edge:{et.type}", section="edges", full="\n".join([head, *full]),
                compact="\n".join([head, *compact]),
                terms=frozenset(terms | terms_of(et.type, et.description)), name_terms=terms_of(et.type),
                requires=tuple(dict.fromkeys((et.source, et.target))), auto=True,
            ))
        return SchemaLayout(
            header=f"Space {spec.name}" + (f" -- {spec.description}" if spec.description else ""),
            sections=(("tags", "Tags:"), ("edges", "Edge types:")),
            items=tuple(items), unit="tags",
            footer=("Notes: every vertex has one tag and a string VID (read it with id(v)); in MATCH read "
                    "properties as v.Tag.property; in GO use $$.Tag.property / $^.Tag.property and "
                    "EDGE_TYPE.property."),
        )

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
