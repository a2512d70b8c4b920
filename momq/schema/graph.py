"""A property-graph definition: node types (labels/tags) and edge types with typed properties, optional data.

Engine-neutral: FalkorDB/Neo4j load it as labelled nodes and typed relationships; the nGQL side treats node
types as tags, ``Node.vid`` as the vertex id and ``Edge.rank`` as the edge rank.

Real graphs need more than one label per node (Cypher ``:Person:Actor``) and more than one tag per vertex
(nGQL ``INSERT VERTEX player(..), team(..)``): a node has a primary ``label`` and ``extra_labels``; its
properties are one flat map, each declared on one of its labels (a name declared on two of them is one
property, so nGQL tags that give one name two different values cannot be modelled and are refused by the
readers). ``NodeType.with_labels`` records, at schema level, which other labels nodes of a type also carry, so
a schema without data (introspection) still says so. Properties may be lists (:class:`ListType`) and carry a
default. This module does not hold indexes or engine options.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from momq.schema.types import ListType, FieldType, ValueType, check_identifier, check_name


@dataclass(frozen=True)
class Property:
    name: str
    type: FieldType
    nullable: bool = True
    description: str = ""
    default: Any = None  # the value a writer gets when it sets none (nGQL DEFAULT); None: no default

    def __post_init__(self) -> None:
        check_name(self.name, "property")
        if not isinstance(self.type, (ValueType, ListType)):
            raise ValueError(f"property {self.name}: {self.type!r} is not a property type")
        if self.default is not None and not self.type.accepts(self.default):
            raise ValueError(f"property {self.name}: default {self.default!r} is not a valid {self.type.value}")


@dataclass(frozen=True)
class NodeType:
    label: str  # Cypher label == nGQL tag
    properties: tuple[Property, ...]
    #: the property that identifies a node of this type (unique within the label); None when no property does
    #: (an nGQL tag, whose vertices are identified by their VID; such a label cannot be loaded as Cypher)
    key: str | None
    description: str = ""
    with_labels: tuple[str, ...] = ()  # other labels / tags that some nodes of this type also carry

    def __post_init__(self) -> None:
        check_name(self.label, "label")
        if self.key is not None and self.key not in {p.name for p in self.properties}:
            raise ValueError(f"node type {self.label}: key {self.key!r} is not a property")
        if self.label in self.with_labels:
            raise ValueError(f"node type {self.label}: lists itself among its other labels")


@dataclass(frozen=True)
class EdgeType:
    type: str  # Cypher relationship type == nGQL edge type
    source: str  # label of the source node type
    target: str  # label of the target node type
    properties: tuple[Property, ...] = ()
    description: str = ""

    def __post_init__(self) -> None:
        check_name(self.type, "edge type")


@dataclass
class Node:
    label: str  # the primary label / tag (its key identifies the node in Cypher loads)
    vid: str  # graph-wide unique vertex id (nGQL VID); Cypher queries use the key property instead
    properties: dict[str, Any]  # one flat map over all labels
    extra_labels: tuple[str, ...] = ()  # further labels / tags of the same node

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.label, *self.extra_labels)


@dataclass
class Edge:
    type: str
    source_vid: str
    target_vid: str
    properties: dict[str, Any] = field(default_factory=dict)
    rank: int = 0


@dataclass
class GraphDatabase:
    name: str
    node_types: tuple[NodeType, ...]
    edge_types: tuple[EdgeType, ...]
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    description: str = ""

    def __post_init__(self) -> None:
        check_identifier(self.name, "graph")
        labels = {n.label for n in self.node_types}
        if len(labels) != len(self.node_types):
            raise ValueError(f"graph {self.name}: duplicate node labels")
        for nt in self.node_types:
            unknown = [other for other in nt.with_labels if other not in labels]
            if unknown:
                raise ValueError(f"node type {nt.label}: other labels {unknown} are not node labels")
        for et in self.edge_types:
            if et.source not in labels or et.target not in labels:
                raise ValueError(f"edge type {et.type}: endpoints {et.source}->{et.target} are not node labels")

    def node_type(self, label: str) -> NodeType:
        for nt in self.node_types:
            if nt.label == label:
                return nt
        raise KeyError(f"graph {self.name} has no node label {label!r}")

    def edge_type(self, type_: str) -> EdgeType:
        for et in self.edge_types:
            if et.type == type_:
                return et
        raise KeyError(f"graph {self.name} has no edge type {type_!r}")

    def properties_of(self, labels: tuple[str, ...]) -> dict[str, FieldType]:
        """Name -> type of every property declared on any of ``labels`` (a node's labels).

        Raises KeyError for an unknown label and ValueError when two labels declare one name with two types.
        """
        out: dict[str, FieldType] = {}
        for label in labels:
            for prop in self.node_type(label).properties:
                if out.setdefault(prop.name, prop.type) != prop.type:
                    raise ValueError(f"property {prop.name!r} has type {out[prop.name].value} on one label and "
                                     f"{prop.type.value} on {label}")
        return out

    def without_data(self) -> "GraphDatabase":
        return GraphDatabase(self.name, self.node_types, self.edge_types, [], [], self.description)
