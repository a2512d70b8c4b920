"""Tests of every registered benchmark domain: model shape, vocabulary, identifiers and generated data."""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter

import pytest
from sqlglot.dialects.mysql import MySQL
from sqlglot.dialects.postgres import Postgres

from momq.bench.domains import all_domains, domain_names, get_domain, get_spec
from momq.bench.domains._dsl import identifiers
from momq.bench.domains._reserved import reserved_in
from momq.bench.er import Cardinality, Role
from momq.bench.generate import generate, validate
from momq.schema.types import ValueType

NAMES = domain_names()
SEEDS = (0, 1)
MIN_ROWS, MAX_ROWS = 12, 200  # per entity at scale 1.0

# Words sqlglot's MySQL/PostgreSQL tokenizers treat as keywords but that are plain identifiers in all four
# dialects; ``name`` is the conventional name column.
SQLGLOT_ALLOWED = {"NAME"}
SQLGLOT_KEYWORDS = {k for k in (*MySQL.Tokenizer.KEYWORDS, *Postgres.Tokenizer.KEYWORDS) if k.isidentifier()}


@functools.cache
def data_for(name: str, seed: int):
    return generate(get_domain(name), seed)


def test_registry_has_enough_distinct_domains():
    assert len(NAMES) >= 16
    assert NAMES == sorted(NAMES)
    assert [d.name for d in all_domains()] == NAMES
    for required in ("company", "movies", "publishing", "music", "retail", "hospital", "flights", "library",
                     "sports", "social", "university", "banking", "logistics", "real_estate", "video_games",
                     "recipes"):
        assert required in NAMES
    with pytest.raises(KeyError, match="unknown domain"):
        get_domain("no_such_domain")


def test_the_set_covers_every_role_type_and_relationship_shape():
    roles, types = set(), set()
    self_rels, nm_with_attrs, nullable = 0, 0, 0
    for domain in all_domains():
        for ent in domain.entities:
            roles |= {a.role for a in ent.attributes}
            types |= {a.type for a in ent.attributes}
            nullable += sum(a.nullable for a in ent.attributes)
        for rel in domain.relationships:
            self_rels += rel.source == rel.target
            nm_with_attrs += rel.cardinality is Cardinality.MANY_TO_MANY and bool(rel.attributes)
    assert roles == set(Role)
    # the benchmark domains use every scalar type that every engine stores (not the SQL-only time types)
    assert types == set(ValueType) - {ValueType.DATETIME, ValueType.TIME, ValueType.INTERVAL}
    assert self_rels >= 4 and nm_with_attrs >= 14 and nullable >= 20


@pytest.mark.parametrize("name", NAMES)
def test_model_shape(name):
    domain = get_domain(name)
    assert 3 <= len(domain.entities) <= 6
    assert 3 <= len(domain.relationships) <= 6
    kinds = {r.cardinality for r in domain.relationships}
    assert kinds == {Cardinality.MANY_TO_ONE, Cardinality.MANY_TO_MANY}
    linked = {r.source for r in domain.relationships} | {r.target for r in domain.relationships}
    for ent in domain.entities:
        assert ent.key.name == "id" and ent.attributes[0] is ent.key
        assert len(ent.attributes) >= 3
        assert ent.name in linked, f"{ent.name} takes part in no relationship"
    for rel in domain.relationships:
        if rel.source == rel.target:  # self-relationships name both junction/fk columns explicitly
            column = rel.fk_column if rel.cardinality is Cardinality.MANY_TO_ONE else rel.source_column
            assert column != f"{rel.source}_id" or rel.target_column != f"{rel.target}_id"
    # a relational table's columns and every table/graph name must be unique after projection
    tables = [e.name for e in domain.entities] + [r.name for r in domain.relationships
                                                   if r.cardinality is Cardinality.MANY_TO_MANY]
    assert len(set(tables)) == len(tables)
    labels = [e.label for e in domain.entities] + [r.edge_type for r in domain.relationships]
    assert len({x.lower() for x in labels}) == len(labels)


@pytest.mark.parametrize("name", NAMES)
def test_no_reserved_identifiers(name):
    domain = get_domain(name)
    names = identifiers(domain)
    assert {n: reserved_in(n) for n in names if reserved_in(n)} == {}
    assert [n for n in names if n.upper() in SQLGLOT_KEYWORDS - SQLGLOT_ALLOWED] == []


@pytest.mark.parametrize("word, dialects", [
    ("order", {"mysql", "postgresql", "cypher", "ngql"}), ("rank", {"mysql", "ngql"}),
    ("user", {"postgresql", "ngql"}), ("year", {"risky"}), ("match", {"mysql", "cypher", "ngql"}),
    ("Status", {"ngql", "risky"}), ("name", set()), ("id", set()), ("salary", set()),
])
def test_reserved_word_lists(word, dialects):
    assert set(reserved_in(word)) == dialects


@pytest.mark.parametrize("name", NAMES)
def test_vocabulary_reads_naturally(name):
    domain = get_domain(name)
    assert domain.description.endswith(".")
    for ent in domain.entities:
        assert ent.noun and ent.plural and ent.noun == ent.noun.lower()
        assert "_" not in ent.noun + ent.plural
        for attr in ent.attributes:
            assert attr.phrase and "_" not in attr.phrase, (ent.name, attr.name)
    for rel in domain.relationships:
        for verb in (rel.verb, rel.inverse_verb):
            assert verb and verb == verb.strip() and "_" not in verb and verb[0].islower(), (rel.name, verb)
        assert rel.verb != rel.inverse_verb
        for attr in rel.attributes:
            assert attr.phrase and "_" not in attr.phrase
    inverse = Counter((r.target, r.inverse_verb) for r in domain.relationships)
    assert max(inverse.values()) == 1  # "Which teams hosted X" must point at one relationship


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("seed", SEEDS)
def test_generated_data_is_valid(name, seed):
    validate(data_for(name, seed))


@pytest.mark.parametrize("name", NAMES)
def test_generation_is_deterministic(name):
    again = generate(get_domain(name), SEEDS[0])
    first, other = data_for(name, SEEDS[0]), data_for(name, SEEDS[1])
    assert again.rows == first.rows and again.links == first.links
    assert other.rows != first.rows and other.links != first.links


def test_every_domain_generates_valid_data_at_other_scales():
    for name in NAMES:
        for scale in (0.05, 3.0):
            data = generate(get_domain(name), 5, scale)
            validate(data)
            counts = [len(rows) for rows in data.rows.values()]
            assert min(counts) >= 3 and (scale < 1 or max(counts) > MAX_ROWS)


@pytest.mark.parametrize("name", NAMES)
def test_sizes_are_in_range(name):
    data = data_for(name, SEEDS[0])
    for ent, rows in data.rows.items():
        assert MIN_ROWS <= len(rows) <= MAX_ROWS, (ent, len(rows))
    for rel in data.domain.relationships:
        assert len(data.links[rel.name]) >= 10, rel.name


@pytest.mark.parametrize("name", NAMES)
def test_values_are_realistic(name):
    data = data_for(name, SEEDS[0])
    spec = get_spec(name)
    for ent in data.domain.entities:
        rows = data.rows[ent.name]
        for attr in ent.attributes:
            values = [r[attr.name] for r in rows]
            present = [v for v in values if v is not None]
            if attr.nullable and spec.entities[ent.name].fields[attr.name].null_rate:
                assert len(present) < len(values), f"{ent.name}.{attr.name} is nullable but never NULL"
            assert present, f"{ent.name}.{attr.name} is always NULL"
            if attr.role is Role.NAME and spec.entities[ent.name].fields[attr.name].unique:
                assert len(set(present)) == len(present), f"{ent.name}.{attr.name} repeats"
            if attr.role is Role.CATEGORY:
                counts = Counter(present)
                assert len(counts) >= 2, f"{ent.name}.{attr.name} has one value"
            if attr.role is Role.FLAG:
                assert set(present) == {True, False}, f"{ent.name}.{attr.name} is constant"
            if attr.role in (Role.NUMBER, Role.DATE):
                assert len(set(present)) >= 3, f"{ent.name}.{attr.name} barely varies"


@pytest.mark.parametrize("name", NAMES)
def test_some_instances_are_unlinked(name):
    """Anti-join questions ("departments without employees") need instances with no link."""
    data = data_for(name, SEEDS[0])
    domain = data.domain
    unlinked = []
    for rel in domain.relationships:
        targets = {r["id"] for r in data.rows[rel.target]}
        sources = {r["id"] for r in data.rows[rel.source]}
        if targets - {t for _, t, _ in data.links[rel.name]}:
            unlinked.append((rel.name, "target"))
        if sources - {s for s, _, _ in data.links[rel.name]}:
            unlinked.append((rel.name, "source"))
    assert len(unlinked) >= 2, unlinked


def test_dates_are_plausible():
    """No death, closing or delivery dates in the far future; nothing before the oldest artists."""
    for n in NAMES:
        data = data_for(n, SEEDS[0])
        values = [v for rows in data.rows.values() for r in rows for v in r.values()]
        values += [v for links in data.links.values() for _, _, attrs in links for v in attrs.values()]
        dates = [v for v in values if isinstance(v, dt.date)]
        assert dates and min(dates) >= dt.date(1400, 1, 1) and max(dates) <= dt.date(2026, 12, 31), n


def test_some_names_carry_apostrophes():
    """Compilers must escape quotes in literals; the data has to exercise that."""
    hits = [r for n in NAMES for rows in data_for(n, SEEDS[0]).rows.values() for r in rows
            if any(isinstance(v, str) and "'" in v for v in r.values())]
    assert len(hits) >= 20


def test_categories_are_skewed_for_grouping():
    """GROUP BY / HAVING questions need groups of clearly different sizes."""
    skewed = 0
    for n in NAMES:
        data = data_for(n, SEEDS[0])
        for ent in data.domain.entities:
            for attr in ent.attributes:
                if attr.role is Role.CATEGORY:
                    counts = Counter(r[attr.name] for r in data.rows[ent.name] if r[attr.name] is not None)
                    skewed += max(counts.values()) >= 2 * min(counts.values())
    assert skewed >= 30
