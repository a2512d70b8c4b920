"""Project a domain's ER model and generated data onto a relational database and a property graph.

The naming conventions here are the contract the per-dialect compilers rely on:
- relational: one table per entity (``entity.name``), its attributes as columns in order, then one foreign-key
  column per many-to-one relationship leaving it (``rel.fk_column``, NULL-able iff ``rel.optional``); primary
  key = the key attribute. One junction table per many-to-many relationship (``rel.name``) with
  ``rel.source_column``, ``rel.target_column`` and the relationship's attributes; primary key = both ends.
- graph: one label per entity (``entity.label``), its attributes as properties (NULL → property absent), key =
  the key attribute, VID = ``entity.vid(key)``; one edge type per relationship (``rel.edge_type``) directed
  source → target, with the relationship's attributes as properties, rank 0. Foreign keys are edges only.
It does not generate data (``momq.bench.generate``) or talk to engines.
"""

from __future__ import annotations

from momq.bench.er import Cardinality, DomainData, Entity
from momq.schema import (
    Column,
    Edge,
    EdgeType,
    ForeignKey,
    GraphDatabase,
    Node,
    NodeType,
    Property,
    RelationalDatabase,
    Table,
)
from momq.schema.types import ValueType


def to_relational(data: DomainData) -> RelationalDatabase:
    domain = data.domain
    tables: list[Table] = []
    for entity in domain.entities:
        outgoing = [r for r in domain.relationships
                    if r.source == entity.name and r.cardinality is Cardinality.MANY_TO_ONE]
        columns = [Column(a.name, a.type, nullable=a.nullable, description=a.phrase) for a in entity.attributes]
        columns += [Column(r.fk_column, ValueType.INTEGER, nullable=r.optional,
                           description=f"{r.verb} ({domain.entity(r.target).noun})") for r in outgoing]
        fks = tuple(ForeignKey((r.fk_column,), r.target, (domain.entity(r.target).key.name,)) for r in outgoing)
        fk_of = {r.name: {src: dst for src, dst, _ in data.links.get(r.name, [])} for r in outgoing}
        key = entity.key.name
        rows = []
        for inst in data.rows.get(entity.name, []):
            values = [inst.get(a.name) for a in entity.attributes]
            values += [fk_of[r.name].get(inst[key]) for r in outgoing]
            rows.append(tuple(values))
        tables.append(Table(entity.name, tuple(columns), (key,), fks, rows, description=entity.plural))
    for rel in domain.relationships:
        if rel.cardinality is not Cardinality.MANY_TO_MANY:
            continue
        src, dst = domain.entity(rel.source), domain.entity(rel.target)
        columns = (
            Column(rel.source_column, ValueType.INTEGER, nullable=False, description=src.noun),
            Column(rel.target_column, ValueType.INTEGER, nullable=False, description=dst.noun),
            *(Column(a.name, a.type, nullable=a.nullable, description=a.phrase) for a in rel.attributes),
        )
        fks = (ForeignKey((rel.source_column,), src.name, (src.key.name,)),
               ForeignKey((rel.target_column,), dst.name, (dst.key.name,)))
        rows = [(s, t, *(attrs.get(a.name) for a in rel.attributes)) for s, t, attrs in data.links.get(rel.name, [])]
        tables.append(Table(rel.name, columns, (rel.source_column, rel.target_column), fks, rows,
                            description=f"{src.noun} {rel.verb} {dst.noun}"))
    return RelationalDatabase(domain.name, tuple(tables), domain.description)


def node_type(entity: Entity) -> NodeType:
    props = tuple(Property(a.name, a.type, nullable=a.nullable, description=a.phrase) for a in entity.attributes)
    return NodeType(entity.label, props, entity.key.name, description=entity.plural)


def to_graph(data: DomainData) -> GraphDatabase:
    domain = data.domain
    node_types = tuple(node_type(e) for e in domain.entities)
    edge_types = tuple(
        EdgeType(r.edge_type, domain.entity(r.source).label, domain.entity(r.target).label,
                 tuple(Property(a.name, a.type, nullable=a.nullable, description=a.phrase) for a in r.attributes),
                 description=f"{domain.entity(r.source).noun} {r.verb} {domain.entity(r.target).noun}")
        for r in domain.relationships
    )
    nodes: list[Node] = []
    for entity in domain.entities:
        key = entity.key.name
        for inst in data.rows.get(entity.name, []):
            props = {a.name: inst.get(a.name) for a in entity.attributes if inst.get(a.name) is not None}
            nodes.append(Node(entity.label, entity.vid(inst[key]), props))
    edges: list[Edge] = []
    for rel in domain.relationships:
        src, dst = domain.entity(rel.source), domain.entity(rel.target)
        for s, t, attrs in data.links.get(rel.name, []):
            props = {k: v for k, v in attrs.items() if v is not None}
            edges.append(Edge(rel.edge_type, src.vid(s), dst.vid(t), props))
    return GraphDatabase(domain.name, node_types, edge_types, nodes, edges, domain.description)
