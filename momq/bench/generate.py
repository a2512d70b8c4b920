"""Deterministic data generation for benchmark domains, and a validity check for the generated data.

A domain module pairs its ER model (``momq.bench.er.Domain``) with a :class:`DomainSpec`: how many instances
each entity has, a value generator per attribute, and how densely each relationship links instances.
:func:`generate` turns (domain, seed, scale) into a :class:`~momq.bench.er.DomainData` using only
``random.Random`` seeded from the seed and a stable (unsalted) hash of the domain and part names, so the same
seed gives the same data on every machine and Python run; no Faker (its output changes across versions).
:func:`validate` checks a ``DomainData`` against its model. This module does not define domains
(``momq.bench.domains``), project data onto engines' schemas (``momq.bench.project``) or load engines.
"""

from __future__ import annotations

import abc
import datetime as dt
import decimal
import hashlib
import itertools
import logging
import math
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from momq.bench.er import Cardinality, Domain, DomainData, Role
from momq.schema.types import ValueType

log = logging.getLogger(__name__)

_CENT = decimal.Decimal("0.01")
_UNIQUE_TRIES = 50  # random draws before a unique value is picked from what is left of the generator's universe


# ---------------------------------------------------------------------------------------------- value generators


class ValueGen(abc.ABC):
    """Makes one non-NULL value of :attr:`value_type`; ``row`` holds the values made so far for this row."""

    value_type: ValueType

    @abc.abstractmethod
    def __call__(self, rng: random.Random, row: Mapping[str, Any]) -> Any: ...

    def universe(self) -> tuple | None:
        """Every value this generator can make, when that is a small finite set (for unique draws)."""
        return None


def zipf_weights(n: int, skew: float) -> list[float]:
    """Cumulative weights 1/(i+1)^skew for i < n: the first items are the most frequent."""
    total, cum = 0.0, []
    for i in range(n):
        total += 1.0 / (i + 1) ** skew
        cum.append(total)
    return cum


@dataclass(frozen=True)
class Pick(ValueGen):
    """One of ``values``, skewed towards the first ones (skew 0 = uniform) so GROUP BY counts differ."""

    values: tuple[str, ...]
    skew: float = 0.8
    value_type = ValueType.TEXT

    def __post_init__(self) -> None:
        if not self.values:
            raise ValueError("Pick needs at least one value")

    def __call__(self, rng, row):
        return rng.choices(self.values, cum_weights=zipf_weights(len(self.values), self.skew))[0]

    def universe(self) -> tuple:
        return self.values


@dataclass(frozen=True)
class Combo(ValueGen):
    """``template`` filled with one uniform draw from each pool, e.g. first + last name."""

    pools: tuple[tuple[str, ...], ...]
    template: str = "{} {}"
    value_type = ValueType.TEXT

    def __post_init__(self) -> None:
        if self.template.count("{}") != len(self.pools):
            raise ValueError(f"Combo template {self.template!r} needs {len(self.pools)} placeholders")

    @property
    def size(self) -> int:
        return math.prod(len(p) for p in self.pools)

    def __call__(self, rng, row):
        return self.template.format(*(rng.choice(pool) for pool in self.pools))

    def universe(self) -> tuple | None:
        if self.size > 200_000:
            return None
        return tuple(self.template.format(*parts) for parts in itertools.product(*self.pools))


@dataclass(frozen=True)
class Code(ValueGen):
    """A code from a pattern: ``#`` is a digit, ``@`` an upper-case letter, anything else is copied."""

    pattern: str
    value_type = ValueType.TEXT

    def __call__(self, rng, row):
        out = []
        for ch in self.pattern:
            if ch == "#":
                out.append(str(rng.randrange(10)))
            elif ch == "@":
                out.append(chr(ord("A") + rng.randrange(26)))
            else:
                out.append(ch)
        return "".join(out)


@dataclass(frozen=True)
class Ints(ValueGen):
    """An integer in [lo, hi]; ``log`` draws log-uniformly (many small, few large values)."""

    lo: int
    hi: int
    log: bool = False
    value_type = ValueType.INTEGER

    def __post_init__(self) -> None:
        if self.lo > self.hi or (self.log and self.lo <= 0):
            raise ValueError(f"bad Ints range [{self.lo}, {self.hi}] (log={self.log})")

    def __call__(self, rng, row):
        if self.log:
            return min(self.hi, int(math.exp(rng.uniform(math.log(self.lo), math.log(self.hi + 1)))))
        return rng.randint(self.lo, self.hi)


@dataclass(frozen=True)
class Floats(ValueGen):
    """A float in [lo, hi] rounded to ``digits`` decimals."""

    lo: float
    hi: float
    digits: int = 2
    value_type = ValueType.FLOAT

    def __post_init__(self) -> None:
        if self.lo > self.hi:
            raise ValueError(f"bad Floats range [{self.lo}, {self.hi}]")

    def __call__(self, rng, row):
        return round(rng.uniform(self.lo, self.hi), self.digits)


@dataclass(frozen=True)
class Money(ValueGen):
    """An exact amount (Decimal, 2 places) in [lo, hi]; ``log`` draws log-uniformly; ``step`` rounds to it."""

    lo: float
    hi: float
    log: bool = False
    step: float = 0.0
    value_type = ValueType.DECIMAL

    def __post_init__(self) -> None:
        if self.lo > self.hi or (self.log and self.lo <= 0):
            raise ValueError(f"bad Money range [{self.lo}, {self.hi}] (log={self.log})")

    def __call__(self, rng, row):
        x = math.exp(rng.uniform(math.log(self.lo), math.log(self.hi))) if self.log else rng.uniform(self.lo, self.hi)
        if self.step:
            x = max(self.lo, round(x / self.step) * self.step)
        return decimal.Decimal(f"{x:.2f}").quantize(_CENT)


@dataclass(frozen=True)
class Dates(ValueGen):
    """A date uniformly in [start, end] (ISO strings)."""

    start: str
    end: str
    value_type = ValueType.DATE

    def __post_init__(self) -> None:
        if dt.date.fromisoformat(self.start) > dt.date.fromisoformat(self.end):
            raise ValueError(f"bad Dates range {self.start}..{self.end}")

    def __call__(self, rng, row):
        lo, hi = dt.date.fromisoformat(self.start), dt.date.fromisoformat(self.end)
        return lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))


@dataclass(frozen=True)
class DateAfter(ValueGen):
    """A date ``lo_days``..``hi_days`` after the row's ``attr`` (NULL when that is NULL); negative days go back.

    In a relationship's attributes ``attr`` may be ``source.<attr>`` or ``target.<attr>`` (see :class:`PriceFrom`).
    """

    attr: str
    lo_days: int
    hi_days: int
    latest: str = ""  # a later date has not happened yet: NULL instead (e.g. a death or closing date)
    value_type = ValueType.DATE

    def __call__(self, rng, row):
        base = row.get(self.attr)
        if base is None:
            return None
        value = base + dt.timedelta(days=rng.randint(self.lo_days, self.hi_days))
        if self.latest and value > dt.date.fromisoformat(self.latest):
            return None
        return value


@dataclass(frozen=True)
class PriceFrom(ValueGen):
    """An amount derived from another value: ``base`` x uniform(lo, hi) x the row's ``times`` (if given).

    In a relationship's attributes, ``source.<attr>`` and ``target.<attr>`` name the linked instances' values,
    e.g. an order line's unit price near the product's list price. NULL when a named value is NULL.
    """

    base: str
    lo: float = 1.0
    hi: float = 1.0
    times: str = ""
    value_type = ValueType.DECIMAL

    def __call__(self, rng, row):
        base = row[self.base]
        factor = row[self.times] if self.times else 1
        if base is None or factor is None:
            return None
        x = float(base) * rng.uniform(self.lo, self.hi) * float(factor)
        return decimal.Decimal(f"{x:.2f}").quantize(_CENT)


@dataclass(frozen=True)
class Lookup(ValueGen):
    """A fact about the row's ``attr``: the value paired with it, or with the longest key it starts with
    (so "Lisbon Office" finds "Lisbon"). Keeps related attributes consistent, e.g. a city and its country."""

    attr: str
    pairs: tuple[tuple[str, str], ...]
    value_type = ValueType.TEXT

    def __call__(self, rng, row):
        value = str(row[self.attr])
        keys = [k for k, _ in self.pairs if value == k or value.startswith(k + " ")]
        if not keys:
            raise ValueError(f"Lookup: no entry for {value!r} (attribute {self.attr})")
        best = max(keys, key=len)
        return next(v for k, v in self.pairs if k == best)

    def universe(self) -> tuple:
        return tuple(sorted({v for _, v in self.pairs}))


@dataclass(frozen=True)
class Flag(ValueGen):
    """True with probability ``p``."""

    p: float = 0.5
    value_type = ValueType.BOOLEAN

    def __call__(self, rng, row):
        return rng.random() < self.p


@dataclass(frozen=True)
class Email(ValueGen):
    """An e-mail address made from the row's ``attr`` (a person's name) at ``host``."""

    attr: str
    host: str = "example.com"
    value_type = ValueType.TEXT

    def __call__(self, rng, row):
        base = "".join(ch for ch in str(row[self.attr]).lower() if ch.isalnum() or ch == " ")
        return ".".join(base.split()) + "@" + self.host


@dataclass(frozen=True)
class Phone(ValueGen):
    """A phone number like ``+1-555-0142-318``."""

    value_type = ValueType.TEXT

    def __call__(self, rng, row):
        return f"+{rng.choice((1, 31, 33, 44, 49, 81))}-555-{rng.randint(1000, 9999)}-{rng.randint(100, 999)}"


# ------------------------------------------------------------------------------------------------------ specs


@dataclass(frozen=True)
class FieldSpec:
    """How one attribute is filled: its generator, the NULL rate (nullable attributes only), uniqueness."""

    gen: ValueGen
    null_rate: float = 0.0
    unique: bool = False

    def __post_init__(self) -> None:
        if not 0.0 <= self.null_rate < 1.0:
            raise ValueError(f"null_rate must be in [0, 1), got {self.null_rate}")


@dataclass(frozen=True)
class EntitySpec:
    """Instances at scale 1.0 and a field spec per non-key attribute."""

    count: int
    fields: Mapping[str, FieldSpec]
    max_count: int | None = None  # at any scale: e.g. the size of a fixed pool of unique names

    def __post_init__(self) -> None:
        if self.count < 1:
            raise ValueError(f"entity count must be positive, got {self.count}")
        if self.max_count is not None and self.max_count < self.count:
            raise ValueError(f"entity count {self.count} exceeds max_count {self.max_count}")

    def instances(self, scale: float) -> int:
        n = scaled_count(self.count, scale)
        return n if self.max_count is None else min(n, self.max_count)


@dataclass(frozen=True)
class LinkSpec:
    """How a relationship links instances.

    N:1: each source links to one target with probability ``coverage`` (1.0 unless the relationship is
    optional). N:M: each source links to ``per_source`` distinct targets, except an ``empty_share`` of sources
    that link to none. Targets are drawn, skewed (``skew``), from a random ``target_share`` of the target
    instances, so the rest are never linked (anti-join questions have answers). ``acyclic`` (self-relationships)
    only links a source to targets with smaller keys: trees and DAGs such as ``reports_to``/``prerequisite``.
    ``distinct_from`` keeps two N:1 links of one source apart (a game's home and away teams).
    """

    coverage: float = 1.0
    per_source: tuple[int, int] = (1, 3)
    empty_share: float = 0.1
    target_share: float = 0.85
    skew: float = 0.7
    acyclic: bool = False
    fields: Mapping[str, FieldSpec] = field(default_factory=dict)
    distinct_from: str = ""  # an earlier N:1 relationship between the same entities whose target must differ

    def __post_init__(self) -> None:
        lo, hi = self.per_source
        if not (0 <= lo <= hi):
            raise ValueError(f"bad per_source range {self.per_source}")
        for name in ("coverage", "empty_share", "target_share"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be in [0, 1], got {value}")
        if self.target_share == 0.0:
            raise ValueError("target_share must be positive")


@dataclass(frozen=True)
class DomainSpec:
    """A domain's ER model with how to generate its data; checked against the model when built."""

    domain: Domain
    entities: Mapping[str, EntitySpec]
    links: Mapping[str, LinkSpec]

    def __post_init__(self) -> None:
        d = self.domain
        if set(self.entities) != {e.name for e in d.entities}:
            raise ValueError(f"domain {d.name}: entity specs {sorted(self.entities)} do not match the model")
        if set(self.links) != {r.name for r in d.relationships}:
            raise ValueError(f"domain {d.name}: link specs {sorted(self.links)} do not match the model")
        for ent in d.entities:
            _check_fields(f"{d.name}.{ent.name}", [a for a in ent.attributes if a.role is not Role.KEY],
                          self.entities[ent.name].fields)
        for rel in d.relationships:
            spec = self.links[rel.name]
            _check_fields(f"{d.name}.{rel.name}", list(rel.attributes), spec.fields)
            if rel.cardinality is Cardinality.MANY_TO_ONE and not rel.optional and spec.coverage < 1.0:
                raise ValueError(f"{d.name}.{rel.name}: a required N:1 relationship needs coverage 1.0")
            if spec.acyclic and rel.source != rel.target:
                raise ValueError(f"{d.name}.{rel.name}: acyclic is for self-relationships only")
            if spec.distinct_from:
                names = [r.name for r in d.relationships]
                other = d.relationship(spec.distinct_from) if spec.distinct_from in names else None
                if (other is None or names.index(other.name) > names.index(rel.name)
                        or (other.source, other.target) != (rel.source, rel.target)):
                    raise ValueError(f"{d.name}.{rel.name}: distinct_from must name an earlier relationship "
                                     f"between the same entities, not {spec.distinct_from!r}")
            if (rel.cardinality is Cardinality.MANY_TO_ONE and rel.source == rel.target
                    and not (rel.optional and spec.acyclic)):
                raise ValueError(f"{d.name}.{rel.name}: a self N:1 relationship must be optional and acyclic")


def _check_fields(where: str, attributes, fields: Mapping[str, FieldSpec]) -> None:
    names = {a.name for a in attributes}
    if set(fields) != names:
        raise ValueError(f"{where}: field specs {sorted(fields)} do not match attributes {sorted(names)}")
    for attr in attributes:
        spec = fields[attr.name]
        if spec.gen.value_type is not attr.type:
            raise ValueError(f"{where}.{attr.name}: generator makes {spec.gen.value_type.value}, "
                             f"attribute is {attr.type.value}")
        if spec.null_rate and not attr.nullable:
            raise ValueError(f"{where}.{attr.name}: null_rate set on a non-nullable attribute")


# ------------------------------------------------------------------------------------------------- generation


def stable_hash(text: str) -> int:
    """A hash of ``text`` that is the same in every process (unlike the salted built-in ``hash``)."""
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def _rng(seed: int, domain: str, part: str) -> random.Random:
    # One stream per entity/relationship, so adding an attribute elsewhere does not shift every other value.
    return random.Random(seed + stable_hash(f"{domain}/{part}"))


def scaled_count(count: int, scale: float) -> int:
    if scale <= 0:
        raise ValueError(f"scale must be positive, got {scale}")
    return max(3, round(count * scale))


def _fill(rng: random.Random, attributes, fields: Mapping[str, FieldSpec], row: dict[str, Any],
          seen: dict[str, set], where: str) -> None:
    for attr in attributes:
        spec = fields[attr.name]
        if spec.null_rate and rng.random() < spec.null_rate:
            row[attr.name] = None
            continue
        value = spec.gen(rng, row)
        if spec.unique:
            used = seen.setdefault(attr.name, set())
            tries = 0
            while value in used:
                tries += 1
                if tries > _UNIQUE_TRIES:
                    value = _unused(spec.gen, used, rng, f"{where}.{attr.name}")
                    break
                value = spec.gen(rng, row)
            used.add(value)
        if value is None and not attr.nullable:
            raise ValueError(f"{where}.{attr.name}: generator gave NULL for a non-nullable attribute")
        row[attr.name] = value


def _unused(gen: ValueGen, used: set, rng: random.Random, where: str) -> Any:
    universe = gen.universe()
    left = sorted(v for v in universe if v not in used) if universe is not None else []
    if not left:
        raise ValueError(f"{where}: cannot draw another unique value after {len(used)}; enlarge the pool")
    return rng.choice(left)


def generate(domain: Domain, seed: int, scale: float = 1.0, spec: DomainSpec | None = None) -> DomainData:
    """Generate one instance of ``domain``: same (domain, seed, scale) → identical data.

    ``spec`` defaults to the registered domain module's spec (``momq.bench.domains.get_spec``).
    """
    if spec is None:
        from momq.bench.domains import get_spec

        spec = get_spec(domain.name)
    if spec.domain != domain:
        raise ValueError(f"spec is for domain {spec.domain.name!r}, not for the given {domain.name!r} model")
    data = DomainData(domain=domain, seed=seed)
    for ent in domain.entities:
        rng = _rng(seed, domain.name, ent.name)
        espec = spec.entities[ent.name]
        attrs = [a for a in ent.attributes if a.role is not Role.KEY]
        seen: dict[str, set] = {}
        rows = []
        for key in range(1, espec.instances(scale) + 1):
            row: dict[str, Any] = {ent.key.name: key}
            _fill(rng, attrs, espec.fields, row, seen, f"{domain.name}.{ent.name}")
            rows.append({a.name: row.get(a.name) for a in ent.attributes})
        data.rows[ent.name] = rows
    for rel in domain.relationships:
        rng = _rng(seed, domain.name, rel.name)
        data.links[rel.name] = _links(rng, rel, spec.links[rel.name], data)
    log.debug("generated %s (seed %d, scale %g): %d rows, %d links", domain.name, seed, scale,
              sum(map(len, data.rows.values())), sum(map(len, data.links.values())))
    return data


def _links(rng: random.Random, rel, lspec: LinkSpec, data: DomainData) -> list[tuple[int, int, dict[str, Any]]]:
    domain = data.domain
    src_key = domain.entity(rel.source).key.name
    dst_key = domain.entity(rel.target).key.name
    sources = [r[src_key] for r in data.rows[rel.source]]
    targets = [r[dst_key] for r in data.rows[rel.target]]
    rng.shuffle(targets)
    pool = targets[:max(1, round(len(targets) * lspec.target_share))]
    cum = zipf_weights(len(pool), lspec.skew)
    self_rel = rel.source == rel.target
    avoid: dict[int, int] = {}
    if lspec.distinct_from:
        avoid = {s: t for s, t, _ in data.links[lspec.distinct_from]}
    links: list[tuple[int, int, dict[str, Any]]] = []
    where = f"{domain.name}.{rel.name}"

    def draw(src: int, taken: set[int]) -> int | None:
        allowed = [t for t in pool if t not in taken and t != avoid.get(src) and not (self_rel and t == src)
                   and not (lspec.acyclic and t >= src)]
        if not allowed:
            return None
        allowed_set = set(allowed)
        for _ in range(20):  # skewed draw from the whole pool; fall back to uniform over what is allowed
            t = rng.choices(pool, cum_weights=cum)[0]
            if t in allowed_set:
                return t
        return rng.choice(allowed)

    many = rel.cardinality is Cardinality.MANY_TO_MANY
    src_rows = {r[src_key]: r for r in data.rows[rel.source]}
    dst_rows = {r[dst_key]: r for r in data.rows[rel.target]}
    for src in sources:
        if many:
            k = 0 if rng.random() < lspec.empty_share else rng.randint(*lspec.per_source)
        else:
            k = 1 if rng.random() < lspec.coverage else 0
        taken: set[int] = set()
        for _ in range(k):
            dst = draw(src, taken)
            if dst is None:
                break
            taken.add(dst)
            context = {f"source.{attr}": value for attr, value in src_rows[src].items()}
            context.update({f"target.{attr}": value for attr, value in dst_rows[dst].items()})
            _fill(rng, rel.attributes, lspec.fields, context, {}, where)
            links.append((src, dst, {a.name: context[a.name] for a in rel.attributes}))
    return links


# ------------------------------------------------------------------------------------------------- validation


def validate(data: DomainData) -> None:
    """Raise ``ValueError`` listing every way ``data`` breaks its domain's model (types, keys, NULLs, links)."""
    domain = data.domain
    problems: list[str] = []
    keys: dict[str, set[int]] = {}
    for ent in domain.entities:
        rows = data.rows.get(ent.name)
        if rows is None:
            problems.append(f"{ent.name}: no rows generated")
            continue
        names = {a.name for a in ent.attributes}
        seen: set = set()
        for i, row in enumerate(rows):
            if set(row) != names:
                problems.append(f"{ent.name}[{i}]: attributes {sorted(row)} differ from the model {sorted(names)}")
                continue
            for attr in ent.attributes:
                problems += _check_value(f"{ent.name}[{i}].{attr.name}", attr, row[attr.name])
            key = row[ent.key.name]
            if key in seen:
                problems.append(f"{ent.name}: duplicate key {key}")
            seen.add(key)
        keys[ent.name] = seen
    for name in set(data.rows) - {e.name for e in domain.entities}:
        problems.append(f"rows for unknown entity {name!r}")
    for rel in domain.relationships:
        links = data.links.get(rel.name)
        if links is None:
            problems.append(f"{rel.name}: no links generated")
            continue
        pairs: set[tuple[int, int]] = set()
        sources: set[int] = set()
        for i, (src, dst, attrs) in enumerate(links):
            if src not in keys.get(rel.source, ()):
                problems.append(f"{rel.name}[{i}]: source key {src} is not a {rel.source}")
            if dst not in keys.get(rel.target, ()):
                problems.append(f"{rel.name}[{i}]: target key {dst} is not a {rel.target}")
            if (src, dst) in pairs:
                problems.append(f"{rel.name}[{i}]: duplicate link {src} -> {dst}")
            pairs.add((src, dst))
            if rel.cardinality is Cardinality.MANY_TO_ONE:
                if src in sources:
                    problems.append(f"{rel.name}: source {src} has more than one link (N:1)")
                sources.add(src)
            if set(attrs) != {a.name for a in rel.attributes}:
                problems.append(f"{rel.name}[{i}]: attributes {sorted(attrs)} differ from the model")
                continue
            for attr in rel.attributes:
                problems += _check_value(f"{rel.name}[{i}].{attr.name}", attr, attrs[attr.name])
        if rel.cardinality is Cardinality.MANY_TO_ONE and not rel.optional:
            missing = keys.get(rel.source, set()) - sources
            if missing:
                problems.append(f"{rel.name}: required N:1 relationship missing for {len(missing)} sources")
    for name in set(data.links) - {r.name for r in domain.relationships}:
        problems.append(f"links for unknown relationship {name!r}")
    if problems:
        shown = "\n  ".join(problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise ValueError(f"domain {domain.name} (seed {data.seed}): invalid data:\n  {shown}{more}")


def _check_value(where: str, attr, value) -> list[str]:
    if value is None:
        return [] if attr.nullable else [f"{where}: NULL in a non-nullable attribute"]
    if not attr.type.accepts(value):
        return [f"{where}: {value!r} is not a {attr.type.value}"]
    if isinstance(value, str) and any(ch in value for ch in "\\\n\r\"\0"):
        return [f"{where}: {value!r} holds a backslash, quote or control character"]
    if isinstance(value, float) and round(value, 2) != value:
        return [f"{where}: float {value!r} has more than 2 decimals"]
    if isinstance(value, decimal.Decimal) and value != value.quantize(_CENT):
        return [f"{where}: decimal {value!r} has more than 2 places"]
    return []
