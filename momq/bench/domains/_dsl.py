"""Small builders that declare an attribute or relationship together with how its data is generated.

A domain module writes each attribute once (name, role, phrase, generator) and gets back both the ER model
(``momq.bench.er``) and the generation spec (``momq.bench.generate.DomainSpec``), so the two cannot drift apart.
The key attribute ``id`` is added to every entity. Identifiers are checked against the reserved words of the
four dialects when the domain is built. This module holds no domain and no randomness.
"""

from __future__ import annotations

from dataclasses import dataclass

from momq.bench.domains._reserved import reserved_in
from momq.bench.er import Attribute, Cardinality, Domain, Entity, Relationship, Role
from momq.bench.generate import (
    Combo,
    DomainSpec,
    EntitySpec,
    FieldSpec,
    Flag,
    LinkSpec,
    Pick,
    ValueGen,
)
from momq.schema.types import ValueType

DEFAULT_NULL_RATE = 0.15


@dataclass(frozen=True)
class FieldDef:
    attribute: Attribute
    spec: FieldSpec


@dataclass(frozen=True)
class EntityDef:
    entity: Entity
    spec: EntitySpec


@dataclass(frozen=True)
class RelDef:
    relationship: Relationship
    spec: LinkSpec


def _field(name: str, role: Role, gen: ValueGen, phrase: str, nullable: bool, null_rate: float | None,
           unit: str, unique: bool) -> FieldDef:
    rate = (DEFAULT_NULL_RATE if nullable else 0.0) if null_rate is None else null_rate
    return FieldDef(Attribute(name, gen.value_type, role, phrase, nullable, unit), FieldSpec(gen, rate, unique))


def name(attr: str, gen: ValueGen | tuple[str, ...], phrase: str = "", unique: bool = True) -> FieldDef:
    """The entity's human-readable name; unique by default so questions naming an instance are unambiguous.

    A tuple of names is drawn uniformly; with ``unique`` it also caps the entity's size at any scale.
    """
    if isinstance(gen, tuple):
        gen = Pick(gen, 0.0)
    return _field(attr, Role.NAME, gen, phrase, False, None, "", unique)


def category(attr: str, values: tuple[str, ...] | ValueGen, phrase: str = "", skew: float = 0.8,
             nullable: bool = False, null_rate: float | None = None) -> FieldDef:
    """A small set of values: drawn from ``values`` with a skew, or made by a generator (e.g. a Lookup)."""
    gen = values if isinstance(values, ValueGen) else Pick(values, skew)
    return _field(attr, Role.CATEGORY, gen, phrase, nullable, null_rate, "", False)


def number(attr: str, gen: ValueGen, phrase: str = "", unit: str = "", nullable: bool = False,
           null_rate: float | None = None) -> FieldDef:
    return _field(attr, Role.NUMBER, gen, phrase, nullable, null_rate, unit, False)


def date(attr: str, gen: ValueGen, phrase: str = "", nullable: bool = False,
         null_rate: float | None = None) -> FieldDef:
    return _field(attr, Role.DATE, gen, phrase, nullable, null_rate, "", False)


def text(attr: str, gen: ValueGen, phrase: str = "", nullable: bool = False, null_rate: float | None = None,
         unique: bool = False) -> FieldDef:
    return _field(attr, Role.TEXT, gen, phrase, nullable, null_rate, "", unique)


def flag(attr: str, p: float, phrase: str = "") -> FieldDef:
    return _field(attr, Role.FLAG, Flag(p), phrase, False, None, "", False)


def entity(entity_name: str, noun: str, plural: str, count: int, *fields: FieldDef) -> EntityDef:
    key = Attribute("id", ValueType.INTEGER, Role.KEY, "id")
    ent = Entity(entity_name, (key, *(f.attribute for f in fields)), noun, plural)
    pools = [len(f.spec.gen.values) for f in fields if f.spec.unique and isinstance(f.spec.gen, Pick)]
    pools += [f.spec.gen.size for f in fields if f.spec.unique and isinstance(f.spec.gen, Combo)]
    cap = min(pools) if pools else None
    if cap is not None and cap < count:
        raise ValueError(f"entity {entity_name}: {count} instances but only {cap} unique names")
    return EntityDef(ent, EntitySpec(count, {f.attribute.name: f.spec for f in fields}, cap))


def many_to_one(rel_name: str, source: str, target: str, verb: str, inverse_verb: str, *, fk_column: str = "",
                optional: bool = False, coverage: float | None = None, target_share: float = 0.85,
                skew: float = 0.7, acyclic: bool = False, distinct_from: str = "") -> RelDef:
    """Each source has at most one target (a foreign key); optional ones are linked with ``coverage``."""
    rel = Relationship(rel_name, source, target, Cardinality.MANY_TO_ONE, verb, inverse_verb,
                       fk_column=fk_column, optional=optional)
    cov = (0.8 if optional else 1.0) if coverage is None else coverage
    return RelDef(rel, LinkSpec(coverage=cov, target_share=target_share, skew=skew, acyclic=acyclic,
                                distinct_from=distinct_from))


def many_to_many(rel_name: str, source: str, target: str, verb: str, inverse_verb: str, *fields: FieldDef,
                 source_column: str = "", target_column: str = "", per_source: tuple[int, int] = (1, 3),
                 empty_share: float = 0.1, target_share: float = 0.85, skew: float = 0.7,
                 acyclic: bool = False) -> RelDef:
    rel = Relationship(rel_name, source, target, Cardinality.MANY_TO_MANY, verb, inverse_verb,
                       tuple(f.attribute for f in fields), source_column=source_column, target_column=target_column)
    spec = LinkSpec(per_source=per_source, empty_share=empty_share, target_share=target_share, skew=skew,
                    acyclic=acyclic, fields={f.attribute.name: f.spec for f in fields})
    return RelDef(rel, spec)


def build(domain_name: str, description: str, entities: list[EntityDef],
          relationships: list[RelDef]) -> tuple[Domain, DomainSpec]:
    """The ER model and its generation spec; raises if an identifier is reserved or a column name clashes."""
    domain = Domain(domain_name, description, tuple(e.entity for e in entities),
                    tuple(r.relationship for r in relationships))
    check_identifiers(domain)
    spec = DomainSpec(domain, {e.entity.name: e.spec for e in entities},
                      {r.relationship.name: r.spec for r in relationships})
    return domain, spec


def identifiers(domain: Domain) -> list[str]:
    """Every name the projections put into a schema: database, tables, columns, labels, edge types, properties."""
    names = [domain.name]
    for ent in domain.entities:
        names += [ent.name, ent.label, *(a.name for a in ent.attributes)]
    for rel in domain.relationships:
        names += [rel.name, rel.edge_type, *(a.name for a in rel.attributes)]
        names += [rel.fk_column] if rel.cardinality is Cardinality.MANY_TO_ONE else [rel.source_column,
                                                                                      rel.target_column]
    return names


def check_identifiers(domain: Domain) -> None:
    bad = {n: reserved_in(n) for n in identifiers(domain) if reserved_in(n)}
    if bad:
        raise ValueError(f"domain {domain.name}: reserved identifiers {bad}")
    for ent in domain.entities:
        fks = [r.fk_column for r in domain.relationships
               if r.source == ent.name and r.cardinality is Cardinality.MANY_TO_ONE]
        if len(set(fks)) != len(fks):
            raise ValueError(f"domain {domain.name}: entity {ent.name} has clashing foreign-key columns {fks}")
