"""A property-graph definition: node types (labels/tags) and edge types with typed properties, optional data.

Engine-neutral: FalkorDB/Neo4j load it as labelled nodes and typed relationships; the nGQL side treats node
types as tags, ``Node.vid`` as the vertex id and ``Edge.rank`` as the edge rank. Every node has exactly one
label. This module does not hold indexes or engine options.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from momq.schema.types import ValueType, check_identifier


@dataclass(frozen=True)
class Property:
    name: str
    type: ValueType
    nullable: bool = True
    description: str = ""

    def __post_init__(self) -> None:
        check_identifier(self.name, "property")


@dataclass(frozen=True)
class NodeType:
    label: str  # Cypher label == nGQL tag
    properties: tuple[Property, ...]
    key: str  # the property that identifies a node of this type (unique within the label)
    description: str = ""

    def __post_init__(self) -> None:
        check_identifier(self.label, "label")
        if self.key not in {p.name for p in self.properties}:
            raise ValueError(f"node type {self.label}: key {self.key!r} is not a property")


@dataclass(frozen=True)
class EdgeType:
    type: str  # Cypher relationship type == nGQL edge type
    source: str  # label of the source node type
    target: str  # label of the target node type
    properties: tuple[Property, ...] = ()
    description: str = ""

    def __post_init__(self) -> None:
        check_identifier(self.type, "edge type")


@dataclass
class Node:
    label: str
    vid: str  # graph-wide unique vertex id (nGQL VID); Cypher queries use the key property instead
    properties: dict[str, Any]


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

    def without_data(self) -> "GraphDatabase":
        return GraphDatabase(self.name, self.node_types, self.edge_types, [], [], self.description)
