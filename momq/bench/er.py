"""Entity-relationship models: the one definition of a benchmark domain, before projection.

A :class:`Domain` names entities (typed attributes with a semantic role and NL vocabulary) and relationships
(many-to-one or many-to-many, with a verb phrase for each direction). ``momq.bench.project`` turns a domain and
its generated data into a relational database and a property graph; the query IR and the NL renderer read the
roles and vocabulary here. This module holds no data generation and no dialect-specific naming.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from momq.schema.types import ValueType, check_identifier


class Role(enum.Enum):
    """What an attribute means, which decides the questions that can be asked about it."""

    KEY = "key"  # integer identifier; never shown in questions
    NAME = "name"  # the human-readable name/title of the entity (text, unique-ish)
    CATEGORY = "category"  # a small set of text values: filter with =, IN; group by
    NUMBER = "number"  # a measure: compare, range, aggregate (sum/avg/min/max)
    DATE = "date"  # compare, range, order
    TEXT = "text"  # free text: prefix / LIKE filters only
    FLAG = "flag"  # boolean


class Cardinality(enum.Enum):
    MANY_TO_ONE = "N:1"  # each source has at most one target: a foreign key on the source table
    MANY_TO_MANY = "N:M"  # a junction table; may carry attributes


#: Words of attribute names that mark a non-additive measure (see :attr:`Attribute.summable`).
_NOT_ADDITIVE = frozenset({"rate", "score", "rating", "order", "billing", "year", "years", "appeared", "number",
                           "gpa", "grade", "index", "factor", "stars", "reliability", "slot", "height", "dosage",
                           "experience", "age", "position", "rank", "level", "unit", "max", "min", "median", "avg"})


@dataclass(frozen=True)
class Attribute:
    name: str
    type: ValueType
    role: Role
    phrase: str = ""  # how questions name it, e.g. "hire date"; defaults to name with spaces
    nullable: bool = False
    unit: str = ""  # e.g. "USD", "minutes"; for NL rendering
    #: whether a SUM of the attribute means something (None: decided by :attr:`summable` from its name and unit)
    additive: bool | None = None

    @property
    def summable(self) -> bool:
        """Whether totals of this number make sense: amounts, counts and durations do; rates, scores, ratings,
        positions, years, per-unit prices, maxima and medians do not ('the total interest rate')."""
        if self.role is not Role.NUMBER:
            return False
        if self.additive is not None:
            return self.additive
        words = self.name.lower().split("_")
        if self.unit == "percent" or _NOT_ADDITIVE.intersection(words):
            return False
        if "per" in words:  # a quantity per something: additive only for time spent ('hours per week')
            return self.unit in ("hours", "minutes")
        # a list, ticket or asking price is per item; a total price is an amount
        return not (words[-1] == "price" and len(words) > 1 and words[0] != "total")

    def __post_init__(self) -> None:
        check_identifier(self.name, "attribute")
        if self.role is Role.KEY and self.type is not ValueType.INTEGER:
            raise ValueError(f"key attribute {self.name} must be INTEGER")
        if self.role is Role.NUMBER and self.type not in (ValueType.INTEGER, ValueType.FLOAT, ValueType.DECIMAL):
            raise ValueError(f"number attribute {self.name} must be numeric, not {self.type}")
        if self.role is Role.DATE and self.type is not ValueType.DATE:
            raise ValueError(f"date attribute {self.name} must be DATE")
        if self.role is Role.FLAG and self.type is not ValueType.BOOLEAN:
            raise ValueError(f"flag attribute {self.name} must be BOOLEAN")
        if self.role in (Role.NAME, Role.CATEGORY, Role.TEXT) and self.type is not ValueType.TEXT:
            raise ValueError(f"{self.role.value} attribute {self.name} must be TEXT")
        if not self.phrase:
            object.__setattr__(self, "phrase", self.name.replace("_", " "))


@dataclass(frozen=True)
class Entity:
    name: str  # snake_case singular: the table name; the graph label is its CamelCase form
    attributes: tuple[Attribute, ...]  # the first KEY attribute is the identifier
    noun: str = ""  # "employee"
    plural: str = ""  # "employees"

    def __post_init__(self) -> None:
        check_identifier(self.name, "entity")
        names = [a.name for a in self.attributes]
        if len(set(names)) != len(names):
            raise ValueError(f"entity {self.name}: duplicate attributes")
        if [a.role for a in self.attributes].count(Role.KEY) != 1:
            raise ValueError(f"entity {self.name}: exactly one KEY attribute is required")
        if not self.noun:
            object.__setattr__(self, "noun", self.name.replace("_", " "))
        if not self.plural:
            object.__setattr__(self, "plural", self.noun + "s")

    @property
    def key(self) -> Attribute:
        return next(a for a in self.attributes if a.role is Role.KEY)

    @property
    def name_attribute(self) -> Attribute | None:
        return next((a for a in self.attributes if a.role is Role.NAME), None)

    def attribute(self, name: str) -> Attribute:
        for attr in self.attributes:
            if attr.name == name:
                return attr
        raise KeyError(f"entity {self.name} has no attribute {name!r}")

    def vid(self, key: int) -> str:
        """The graph-wide vertex id (nGQL VID) of the instance with this key, e.g. ``employee_12``."""
        return f"{self.name}_{key}"

    @property
    def label(self) -> str:
        """The graph label / nGQL tag: CamelCase of the entity name."""
        return "".join(part.capitalize() for part in self.name.split("_"))


@dataclass(frozen=True)
class Relationship:
    name: str  # snake_case: junction table name (N:M); edge type is its UPPER_CASE form
    source: str  # entity name
    target: str  # entity name
    cardinality: Cardinality
    verb: str  # source -> target, e.g. "works in"
    inverse_verb: str  # target -> source, e.g. "employs"
    attributes: tuple[Attribute, ...] = ()  # N:M only: junction columns / edge properties
    fk_column: str = ""  # N:1 only: column on the source table; default "<target>_id"
    source_column: str = ""  # N:M only: junction column for the source key; default "<source>_id"
    target_column: str = ""  # N:M only: junction column for the target key; default "<target>_id"
    optional: bool = False  # N:1 only: whether the foreign key may be NULL (and the edge absent)

    def __post_init__(self) -> None:
        check_identifier(self.name, "relationship")
        if self.cardinality is Cardinality.MANY_TO_ONE:
            if self.attributes:
                raise ValueError(f"relationship {self.name}: N:1 relationships carry no attributes")
            if not self.fk_column:
                object.__setattr__(self, "fk_column", f"{self.target}_id")
        else:
            if self.fk_column:
                raise ValueError(f"relationship {self.name}: fk_column is for N:1 only")
            if not self.source_column:
                object.__setattr__(self, "source_column", f"{self.source}_id")
            if not self.target_column:
                object.__setattr__(self, "target_column", f"{self.target}_id")
            if self.source_column == self.target_column:
                raise ValueError(f"relationship {self.name}: name source_column and target_column explicitly "
                                 "when both ends are the same entity")
        if any(a.role is Role.KEY for a in self.attributes):
            raise ValueError(f"relationship {self.name}: attributes cannot be keys")

    @property
    def edge_type(self) -> str:
        return self.name.upper()


@dataclass(frozen=True)
class Domain:
    name: str  # database id, snake_case
    description: str
    entities: tuple[Entity, ...]
    relationships: tuple[Relationship, ...]

    def __post_init__(self) -> None:
        check_identifier(self.name, "domain")
        names = {e.name for e in self.entities}
        if len(names) != len(self.entities):
            raise ValueError(f"domain {self.name}: duplicate entity names")
        rel_names = [r.name for r in self.relationships]
        if len(set(rel_names)) != len(rel_names) or set(rel_names) & names:
            raise ValueError(f"domain {self.name}: relationship names must be unique and differ from entity names")
        for rel in self.relationships:
            if rel.source not in names or rel.target not in names:
                raise ValueError(f"relationship {rel.name}: unknown entity {rel.source!r} or {rel.target!r}")
            if rel.cardinality is Cardinality.MANY_TO_ONE:
                src = self.entity(rel.source)
                if rel.fk_column in {a.name for a in src.attributes}:
                    raise ValueError(f"relationship {rel.name}: fk column {rel.fk_column} clashes with an attribute")

    def entity(self, name: str) -> Entity:
        for ent in self.entities:
            if ent.name == name:
                return ent
        raise KeyError(f"domain {self.name} has no entity {name!r}")

    def relationship(self, name: str) -> Relationship:
        for rel in self.relationships:
            if rel.name == name:
                return rel
        raise KeyError(f"domain {self.name} has no relationship {name!r}")


@dataclass
class DomainData:
    """One generated instance of a domain.

    ``rows[entity]`` holds one dict per entity instance (attribute name -> value, None for NULL), keys unique.
    ``links[relationship]`` holds (source key, target key, attribute dict) triples; for N:1 relationships at most
    one link per source key.
    """

    domain: Domain
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    links: dict[str, list[tuple[int, int, dict[str, Any]]]] = field(default_factory=dict)
    seed: int = 0
