"""Draw diverse, answerable IR queries from a domain's generated data.

``sample_queries(data, n, seed)`` cycles through query shapes (one generator per construct, the dialect-distinctive
ones more often: :data:`WEIGHTS`), picks entities,
relationships and attributes at random and takes constants from the actual rows (for relationship attributes,
from the actual links), so that filters match something. Every candidate is evaluated here on the data by a small reference evaluator and kept only if its
answer is non-empty and not too large, if a LIMIT does not cut through a tie of the ranked value, and if text
constants match the same rows under a case- and accent-insensitive collation (MariaDB's) as byte-wise
(PostgreSQL's and the graph engines'). Duplicates are dropped. The result is deterministic for a seed.

It does not compile, render or execute anything on an engine; the evaluator is a filter for sampling, not the
judge of gold answers (``momq.bench.verify`` is).
"""

from __future__ import annotations

import dataclasses
import logging
import random
import unicodedata
from collections import defaultdict
from decimal import Decimal
from typing import Any, Callable

from momq.bench.er import Attribute, Cardinality, DomainData, Entity, Role
from momq.bench.ir import SET_KINDS, Agg, Case, Col, Concat, Filter, Func, Having, Hop, Op, Order, PerGroup, Query, SetOp
from momq.schema.types import ValueType

log = logging.getLogger(__name__)

#: Answers with more rows than this are not kept (they make poor questions and slow verification).
MAX_ROWS = 400


# ----------------------------------------------------------------------------------------------- evaluator
class _Data:
    """Indexes of one DomainData for evaluation."""

    def __init__(self, data: DomainData):
        self.data = data
        self.domain = data.domain
        self.rows = {e.name: {r[e.key.name]: r for r in data.rows.get(e.name, [])} for e in self.domain.entities}
        #: (relationship, forward) -> key -> [(neighbour key, link attributes)]
        self.adj: dict[tuple[str, bool], dict[int, list[tuple[int, dict]]]] = {}
        for rel in self.domain.relationships:
            fwd: dict[int, list[tuple[int, dict]]] = defaultdict(list)
            back: dict[int, list[tuple[int, dict]]] = defaultdict(list)
            for s, t, attrs in data.links.get(rel.name, []):
                fwd[s].append((t, attrs))
                back[t].append((s, attrs))
            self.adj[(rel.name, True)] = fwd
            self.adj[(rel.name, False)] = back

    @staticmethod
    def reach(adj, start, n: int) -> set:
        return _reach_from(adj, start, n)

    def paths(self, root: str, hops: tuple[Hop, ...]) -> list["_Path"]:
        ents = [self.domain.entity(root)]
        out = [_Path((r,), ()) for r in self.rows[root].values()]
        for hop in hops:
            rel = self.domain.relationship(hop.relationship)
            ent = self.domain.entity(rel.target if hop.forward else rel.source)
            adj = self.adj[(hop.relationship, hop.forward)]
            here = ents[-1]
            if hop.variable:  # one path per different entity reached in 1..max_length links (no link attributes)
                out = [_Path(p + (self.rows[ent.name][k],), p.edges + ({},))
                       for p in out for k in sorted(self.reach(adj, p[-1][here.key.name], hop.max_length))]
                ents.append(ent)
                continue
            nxt = []
            for p in out:
                for k, attrs in adj.get(p[-1][here.key.name], ()):
                    nxt.append(_Path(p + (self.rows[ent.name][k],), p.edges + (attrs,)))
                if hop.optional and not adj.get(p[-1][here.key.name]):  # no neighbour: one row of NULLs
                    nxt.append(_Path(p + ({},), p.edges + ({},)))
            ents.append(ent)
            out = nxt
        return out


def _reach_from(adj, start, n: int) -> set:
    """The keys reached from ``start`` by walks of 1..n links (the start itself when a cycle comes back)."""
    reached: set = set()
    frontier = {start}
    for _ in range(n):
        frontier = {k for here in frontier for k, _ in adj.get(here, ())}
        reached |= frontier
    return reached


class _Path(tuple):
    """The node rows of one path, with the attribute dicts of the links walked in ``edges``."""

    def __new__(cls, nodes: tuple, edges: tuple):
        self = super().__new__(cls, nodes)
        self.edges = edges
        return self


def _cell(p: _Path, c):
    """The value of column ``c`` on path ``p`` (None when missing; a date's year or 'YYYY-MM' for a part)."""
    if isinstance(c, Case):
        value = _cell(p, c.col)
        return c.above if value is not None and value >= c.threshold else c.below
    if isinstance(c, Concat):
        first, second = _cell(p, c.first), _cell(p, c.second)
        return None if first is None or second is None else f"{first} ({second})"
    value = (p.edges[c.node - 1] if c.edge else p[c.node]).get(c.attribute)
    if c.part is None or value is None:
        return value
    return value.year if c.part == "year" else f"{value:%Y-%m}"


def _fold(text: str) -> str:
    """Case- and accent-insensitive form (roughly MariaDB's utf8mb4_uca1400_ai_ci)."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)).casefold()


def _test(value: Any, f: Filter, fold: bool = False) -> bool:
    op = f.op
    if op is Op.IS_NULL:
        return value is None
    if op is Op.NOT_NULL:
        return value is not None
    if value is None:
        return False
    if op is Op.IS_TRUE:
        return value is True
    if op is Op.IS_FALSE:
        return value is False
    vals = f.values
    if fold and isinstance(value, str):
        value = _fold(value)
        vals = tuple(_fold(v) if isinstance(v, str) else v for v in vals)
    if op is Op.EQ:
        return value == vals[0]
    if op is Op.NE:
        return value != vals[0]
    if op is Op.LT:
        return value < vals[0]
    if op is Op.LE:
        return value <= vals[0]
    if op is Op.GT:
        return value > vals[0]
    if op is Op.GE:
        return value >= vals[0]
    if op is Op.BETWEEN:
        return vals[0] <= value <= vals[1]
    if op is Op.IN:
        return value in vals
    if op is Op.PREFIX:
        return value.startswith(vals[0])
    if op is Op.CONTAINS:  # case-insensitive (lower-case on both sides; folded already when ``fold``)
        return vals[0] in (value if fold else value.lower())
    if op is Op.YEAR:
        return value.year == vals[0]
    raise AssertionError(op)


def _aggregate(agg: Agg, paths: list[tuple[dict, ...]]):
    if agg.func is Func.PERCENT:
        if not paths:
            return None
        met = sum(_test(_cell(p, agg.cond.col), agg.cond) for p in paths)
        return Decimal(100 * met) / len(paths)
    if agg.func is Func.PER:
        groups = {_cell(p, agg.col) for p in paths} - {None}
        return Decimal(len(paths)) / len(groups) if groups else None
    if agg.col is None:
        return len(paths)
    vals = [_cell(p, agg.col) for p in paths]
    vals = [v for v in vals if v is not None]
    if agg.func is Func.COUNT:
        return len(vals)
    if agg.func is Func.COUNT_DISTINCT:
        return len(set(vals))
    if not vals:
        return None
    if agg.func is Func.SUM:
        return sum(vals)
    if agg.func is Func.AVG:
        return sum(Decimal(str(v)) for v in vals) / len(vals)
    if agg.func is Func.MIN:
        return min(vals)
    return max(vals)


class Rejected(Exception):
    """A candidate query that would make a poor or ambiguous benchmark item."""


def evaluate(data: DomainData | _Data, q: Query) -> list[tuple]:
    """The answer rows of ``q`` on ``data`` (unordered unless the query orders); raise Rejected for bad shapes."""
    d = data if isinstance(data, _Data) else _Data(data)
    ents = q.entities(d.domain)
    if q.setop is not None:
        return _setop(d, q, ents)
    if q.hops and q.hops[0].shortest:
        return _shortest(d, q)
    paths = d.paths(q.root, q.path)
    filters = list(q.filters)
    for f in filters:
        if any(isinstance(v, str) for v in f.values):
            exact = [p for p in paths if _test(_cell(p, f.col), f)]
            folded = [p for p in paths if _test(_cell(p, f.col), f, fold=True)]
            if len(exact) != len(folded):
                raise Rejected("text constant matches differently under a case/accent-insensitive collation")
        paths = [p for p in paths if _test(_cell(p, f.col), f)]
    if q.either:
        if any(isinstance(v, str) for f in q.either for v in f.values):
            exact = [p for p in paths if any(_test(_cell(p, f.col), f) for f in q.either)]
            folded = [p for p in paths if any(_test(_cell(p, f.col), f, fold=True) for f in q.either)]
            if len(exact) != len(folded):
                raise Rejected("text constant matches differently under a case/accent-insensitive collation")
        for f in q.either:  # each side must matter: neither alone gives the whole answer
            if all(_test(_cell(p, f.col), f) or not any(_test(_cell(p, g.col), g) for g in q.either) for p in paths):
                raise Rejected("one side of an OR covers the other")
        paths = [p for p in paths if any(_test(_cell(p, f.col), f) for f in q.either)]
    if q.order_by is not None and isinstance(q.order_by.item, Col) and q.order_by.nulls is None:
        c = q.order_by.item
        paths = [p for p in paths if p[c.node].get(c.attribute) is not None]
    if q.without is not None:
        adj = d.adj[(q.without.relationship, q.without.forward)]
        paths = [p for p in paths if not adj.get(p[0][ents[0].key.name])]
    if q.above_average is not None:
        attr = q.above_average.attribute
        vals = [Decimal(str(r[attr])) for r in d.rows[q.root].values() if r.get(attr) is not None]
        avg = sum(vals) / len(vals)
        paths = [p for p in paths if p[0].get(attr) is not None and Decimal(str(p[0][attr])) > avg]
    if q.per_group is not None:
        return _per_group(q, ents, paths)

    cell = _cell

    if q.aggregates:
        groups: dict[tuple, list] = defaultdict(list)
        for p in paths:
            groups[tuple(cell(p, c) for c in q.group_by)].append(p)
        if not q.group_by and not groups:
            groups[()] = []
        rows = []
        for key, members in groups.items():
            if q.having is not None:
                hv = _aggregate(q.having.agg, members)
                if hv is None or not _test(hv, Filter(Col(0, "_"), q.having.op, (q.having.value,))):
                    continue
            vals = {c: v for c, v in zip(q.group_by, key)}
            row = tuple(vals[i] if isinstance(i, (Col, Case)) else _aggregate(i, members) for i in q.select)
            for item, v in zip(q.select, row):
                if isinstance(item, Agg) and item.func is Func.AVG and v is not None and _on_rounding_edge(v):
                    raise Rejected("an average on a rounding boundary")
                if isinstance(item, Agg) and item.func is Func.PERCENT and _on_rounding_edge(v / 10):
                    raise Rejected("a percentage on a rounding boundary")
                if isinstance(item, Agg) and item.func is Func.PER and (v is None or _on_rounding_edge(v)):
                    raise Rejected("a ratio on a rounding boundary or of nothing")
            rows.append(row)
        if any(isinstance(c, Case) for c in q.group_by) and len(rows) < 2:
            raise Rejected("a band that every row falls into")
        if q.order_by is not None:
            idx = q.select.index(q.order_by.item)
            if any(r[idx] is None for r in rows):
                raise Rejected("ordering by an aggregate that is NULL for some group")
            ranked = sorted(rows, key=lambda r: r[idx], reverse=q.order_by.descending)
            _check_cut([r[idx] for r in ranked], q.limit, strict=True)
            rows = ranked[: q.limit] if q.limit else ranked
        return rows
    rows = [tuple(cell(p, i) for i in q.select) for p in paths]
    if q.order_by is not None and q.order_by.nulls is not None:
        # every dialect breaks ties by the nodes' keys: sort by keys, then (stably) by the value, then place NULLs
        c = q.order_by.item
        by_key = sorted(paths, key=lambda p: tuple(p[i][e.key.name] for i, e in enumerate(ents)))
        known = sorted([p for p in by_key if p[c.node].get(c.attribute) is not None],
                       key=lambda p: p[c.node][c.attribute], reverse=q.order_by.descending)
        unknown = [p for p in by_key if p[c.node].get(c.attribute) is None]
        if not known or not unknown:
            raise Rejected("a NULL placement with no unknown or no known values")
        ranked = unknown + known if q.order_by.nulls == "first" else known + unknown
        rows = [tuple(cell(p, i) for i in q.select) for p in ranked]
        return rows[: q.limit] if q.limit else rows
    if q.order_by is not None:
        c = q.order_by.item
        ranked = sorted(paths, key=lambda p: p[c.node][c.attribute], reverse=q.order_by.descending)
        _check_cut([p[c.node][c.attribute] for p in ranked], q.limit, strict=True)
        rows = [tuple(cell(p, i) for i in q.select) for p in ranked]
        if q.limit:
            rows = rows[: q.limit]
    elif q.limit:
        raise Rejected("LIMIT without ORDER BY is not deterministic")
    if q.distinct:
        rows = list(dict.fromkeys(rows))
    return rows


def _setop(d: _Data, q: Query, ents: list[Entity]) -> list[tuple]:
    """Both sides evaluated on their own, combined over the returned values (as SQL does) and over the root
    entities (as the graph forms do); the two must agree and each side must matter."""
    key = Col(0, ents[0].key.name)
    base = dataclasses.replace(q, setop=None, select=(key,) + q.select)
    left, right = ({k: v for k, v in evaluate(d, dataclasses.replace(base, filters=fs))}
                   for fs in (q.filters, q.setop.filters))
    if not left or not right:
        raise Rejected("a side of a set operation is empty")
    combine = {"union": set.__or__, "intersect": set.__and__, "except": set.__sub__}[q.setop.kind]
    values = combine(set(left.values()), set(right.values()))
    entities = combine(set(left), set(right))
    if values != {left.get(k, right.get(k)) for k in entities}:
        raise Rejected("a set operation over values differs from one over entities")
    if values in (set(left.values()), set(right.values())) or not values:
        raise Rejected("one side of a set operation decides the answer")
    return [(v,) for v in sorted(values, key=str)]


def _shortest(d: _Data, q: Query) -> list[tuple]:
    """The fewest links from the root to the end (breadth first, at most ``max_length``); no row if unreachable."""
    hop = q.hops[0]
    adj = d.adj[(hop.relationship, hop.forward)]
    ent = q.entities(d.domain)[0]

    def key_of(f):  # the pinned entity's key (by key or by its unique name)
        if f.col.attribute == ent.key.name:
            return f.values[0]
        return next(k for k, r in d.rows[ent.name].items() if r.get(f.col.attribute) == f.values[0])

    start = key_of(next(f for f in q.filters if f.col.node == 0))
    end = key_of(next(f for f in q.filters if f.col.node == 1))
    frontier, seen = {start}, set()
    for depth in range(1, hop.max_length + 1):
        frontier = {k for here in frontier for k, _ in adj.get(here, ())} - seen
        if end in frontier:
            return [(depth,)]
        seen |= frontier
    return []


def _on_rounding_edge(value) -> bool:
    """Whether an average lies (within float noise) halfway between two 2-decimal values: engines that average
    exactly (SQL DECIMAL) and in doubles (graph engines, FLOAT columns) then round it to different sides."""
    frac = abs(Decimal(value) * 100) % 1
    return abs(frac - Decimal("0.5")) < Decimal("1e-6")


def _check_cut(values: list, limit: int | None, strict: bool = False) -> None:
    """Reject a LIMIT that cuts through a tie; ``strict`` also rejects ties inside the kept rows, so that the
    answer's order does not depend on a tie-breaker (NebulaGraph's MATCH cannot order by an unreturned key)."""
    if limit is not None and len(values) > limit and values[limit - 1] == values[limit]:
        raise Rejected("LIMIT cuts through a tie")
    if strict:
        head = values[: limit + 1] if limit is not None else values
        if len(set(head)) != len(head):
            raise Rejected("ties among the ranked rows")


def _per_group(q: Query, ents: list[Entity], paths) -> list[tuple]:
    pg = q.per_group
    groups: dict[Any, list] = defaultdict(list)
    for p in paths:
        if p[0].get(pg.attribute) is not None:
            groups[p[1][ents[1].key.name]].append(p)
    rows = []
    for members in groups.values():
        ranked = sorted(members, key=lambda p: p[0][pg.attribute], reverse=pg.descending)
        _check_cut([p[0][pg.attribute] for p in ranked], pg.k)
        for p in ranked[: pg.k]:
            rows.append(tuple(_cell(p, i) for i in q.select))
    return rows


# ----------------------------------------------------------------------------------------------- generators
class _Gen:
    def __init__(self, data: DomainData, rng: random.Random):
        self.d = _Data(data)
        self.dom = data.domain
        self.rng = rng
        self._setop_turns = 0

    # helpers
    def entities(self) -> list[Entity]:
        return [e for e in self.dom.entities if self.d.rows[e.name]]

    def attrs(self, ent: Entity, *roles: Role, nullable: bool | None = None) -> list[Attribute]:
        return [a for a in ent.attributes if a.role in roles and (nullable is None or a.nullable == nullable)]

    def pick_entity(self, *roles: Role, nullable: bool | None = None) -> tuple[Entity, Attribute] | None:
        cands = [(e, a) for e in self.entities() for a in self.attrs(e, *roles, nullable=nullable)]
        return self.rng.choice(cands) if cands else None

    def value(self, ent: Entity, attr: Attribute):
        vals = [r[attr.name] for r in self.d.rows[ent.name].values() if r.get(attr.name) is not None]
        return self.rng.choice(vals) if vals else None

    def distinct_values(self, ent: Entity, attr: Attribute) -> list:
        return sorted({r[attr.name] for r in self.d.rows[ent.name].values() if r.get(attr.name) is not None},
                      key=lambda v: (str(type(v)), v))

    def pin(self, ent: Entity, key, node: int = 0) -> Filter:
        """A filter naming one instance: by its name where names are unique in the data (as a person would ask),
        else by its key."""
        name = ent.name_attribute
        if name is not None and self.rng.random() < 0.8:
            value = self.d.rows[ent.name][key].get(name.name)
            values = [r.get(name.name) for r in self.d.rows[ent.name].values()]
            if value is not None and values.count(value) == 1:
                return Filter(Col(node, name.name), Op.EQ, (value,))
        return Filter(Col(node, ent.key.name), Op.EQ, (key,))

    def label(self, ent: Entity, node: int = 0) -> Col:
        return Col(node, (ent.name_attribute or ent.key).name)

    def hops(self, start: Entity | None = None) -> list[tuple[Hop, Entity, Entity]]:
        out = []
        for rel in self.dom.relationships:
            if not self.d.data.links.get(rel.name):
                continue
            for fwd in (True, False):
                a, b = (rel.source, rel.target) if fwd else (rel.target, rel.source)
                if start is None or a == start.name:
                    out.append((Hop(rel.name, fwd), self.dom.entity(a), self.dom.entity(b)))
        return out

    def edge_hops(self, *roles: Role) -> list[tuple[Hop, Entity, Entity, list[Attribute]]]:
        """Hops along linked many-to-many relationships with attributes of these roles, and those attributes."""
        out = []
        for hop, a, b in self.hops():
            rel = self.dom.relationship(hop.relationship)
            attrs = [x for x in rel.attributes if x.role in roles]
            if rel.cardinality is Cardinality.MANY_TO_MANY and attrs:
                out.append((hop, a, b, attrs))
        return out

    def link(self, hop: Hop, attr: Attribute | None = None) -> tuple[int, int, dict]:
        """A random link of the hop's relationship (one with a value for ``attr``), as (here key, there key, attrs)."""
        links = [x for x in self.d.data.links[hop.relationship] if attr is None or x[2].get(attr.name) is not None]
        s, t, attrs = self.rng.choice(links) if links else (None, None, None)
        return (s, t, attrs) if hop.forward else (t, s, attrs)

    def edge_filter(self, hop: Hop, attr: Attribute, value, node: int = 1) -> Filter:
        """A filter on a relationship attribute around ``value`` (a value some link has)."""
        col = Col(node, attr.name, edge=True)
        if attr.role is Role.FLAG:
            return Filter(col, Op.IS_TRUE if value else Op.IS_FALSE)
        if attr.role is Role.CATEGORY:
            vals = sorted({x[2][attr.name] for x in self.d.data.links[hop.relationship]
                           if x[2].get(attr.name) is not None})
            r = self.rng.random()
            if r < 0.3 and len(vals) >= 3:
                others = [v for v in vals if v != value]
                return Filter(col, Op.IN, tuple(sorted([value] + self.rng.sample(others, 1))))
            return Filter(col, Op.NE if r > 0.85 and len(vals) > 1 else Op.EQ, (value,))
        if self.rng.random() < 0.2:
            other = self.link(hop, attr)[2][attr.name]
            if other != value:
                return Filter(col, Op.BETWEEN, (min(value, other), max(value, other)))
        ops = [Op.LT, Op.LE, Op.GT, Op.GE]
        if attr.type is ValueType.INTEGER or attr.role is Role.DATE:
            ops += [Op.EQ]
        return Filter(col, self.rng.choice(ops), (value,))

    def comparison(self, ent: Entity, node: int = 0) -> Filter | None:
        cands = self.attrs(ent, Role.NUMBER, Role.DATE)
        if not cands:
            return None
        attr = self.rng.choice(cands)
        v = self.value(ent, attr)
        if v is None:
            return None
        ops = [Op.LT, Op.LE, Op.GT, Op.GE]
        if attr.type is ValueType.INTEGER or attr.role is Role.DATE:
            ops += [Op.EQ, Op.NE]
        return Filter(Col(node, attr.name), self.rng.choice(ops), (v,))

    def category_eq(self, ent: Entity, node: int = 0) -> Filter | None:
        cands = self.attrs(ent, Role.CATEGORY)
        if not cands:
            return None
        attr = self.rng.choice(cands)
        v = self.value(ent, attr)
        return None if v is None else Filter(Col(node, attr.name), self.rng.choice([Op.EQ, Op.EQ, Op.NE]), (v,))

    def year_filter(self, ent: Entity, node: int = 0) -> Filter | None:
        """'hired in 2019': the year of a date some row has."""
        cands = self.attrs(ent, Role.DATE)
        if not cands:
            return None
        attr = self.rng.choice(cands)
        v = self.value(ent, attr)
        return None if v is None else Filter(Col(node, attr.name), Op.YEAR, (v.year,))

    def text_match(self, ent: Entity, node: int = 0) -> Filter | None:
        """'whose title contains "war"': a word (or a word's first letters) of a name or text some row has,
        lower-cased, as a person searching in any letter case would type it."""
        cands = self.attrs(ent, Role.NAME, Role.TEXT)
        if not cands:
            return None
        attr = self.rng.choice(cands)
        v = self.value(ent, attr)
        if not v:
            return None
        words = [w.lower() for w in v.split() if len(w) >= 3 and w.isascii() and w.isalpha()]
        if not words:
            return None
        word = self.rng.choice(words)
        if self.rng.random() < 0.3 and len(word) > 4:
            word = word[: self.rng.choice([3, 4])]
        return Filter(Col(node, attr.name), Op.CONTAINS, (word,))

    def any_filter(self, ent: Entity, node: int = 0) -> Filter | None:
        make = self.rng.choice([self.comparison, self.comparison, self.category_eq, self.category_eq,
                                self.year_filter, self.text_match])
        return make(ent, node) or self.rng.choice([self.comparison, self.category_eq])(ent, node)

    def projection(self, ent: Entity, extra: Attribute | None = None, node: int = 0) -> tuple[Col, ...]:
        cols = [self.label(ent, node)]
        if extra is not None and extra.name != cols[0].attribute and extra.role is not Role.FLAG:
            cols.append(Col(node, extra.name))
        return tuple(cols)

    # one generator per construct -------------------------------------------------------------
    def g_compare(self):
        ent = self.rng.choice(self.entities())
        f = self.comparison(ent)
        if f is None:
            return None
        filters = [f]
        if self.rng.random() < 0.35 and (g := self.category_eq(ent)) is not None and g.col != f.col:
            filters.append(g)
        return Query(ent.name, self.projection(ent, ent.attribute(f.col.attribute)), filters=tuple(filters))

    def g_range(self):
        pick = self.pick_entity(Role.NUMBER, Role.DATE)
        if pick is None:
            return None
        ent, attr = pick
        a, b = self.value(ent, attr), self.value(ent, attr)
        if a is None or a == b:
            return None
        lo, hi = min(a, b), max(a, b)
        return Query(ent.name, self.projection(ent, attr), filters=(Filter(Col(0, attr.name), Op.BETWEEN, (lo, hi)),))

    def g_in(self):
        pick = self.pick_entity(Role.CATEGORY)
        if pick is None:
            return None
        ent, attr = pick
        vals = self.distinct_values(ent, attr)
        if len(vals) < 3:
            return None
        chosen = tuple(sorted(self.rng.sample(vals, min(len(vals) - 1, self.rng.choice([2, 2, 3])))))
        return Query(ent.name, self.projection(ent, attr), filters=(Filter(Col(0, attr.name), Op.IN, chosen),))

    def g_like(self):
        pick = self.pick_entity(Role.NAME, Role.TEXT)
        if pick is None:
            return None
        ent, attr = pick
        v = self.value(ent, attr)
        if not v:
            return None
        size = self.rng.choice([1, 2, 3])
        prefix = v[:size]
        if not prefix.isascii() or not prefix.replace(" ", "").isalnum():
            return None
        return Query(ent.name, self.projection(ent, attr), filters=(Filter(Col(0, attr.name), Op.PREFIX, (prefix,)),))

    def g_null(self):
        pick = self.pick_entity(Role.NUMBER, Role.DATE, Role.TEXT, Role.CATEGORY, nullable=True)
        if pick is None:
            return None
        ent, attr = pick
        op = self.rng.choice([Op.IS_NULL, Op.NOT_NULL])
        return Query(ent.name, (self.label(ent),), filters=(Filter(Col(0, attr.name), op),))

    def g_flag(self):
        pick = self.pick_entity(Role.FLAG)
        if pick is None:
            return None
        ent, attr = pick
        filters = [Filter(Col(0, attr.name), self.rng.choice([Op.IS_TRUE, Op.IS_FALSE]))]
        if self.rng.random() < 0.4 and (g := self.any_filter(ent)) is not None:
            filters.append(g)
        return Query(ent.name, (self.label(ent),), filters=tuple(filters))

    def g_year(self):
        """Rows, or a count of them, whose date falls in a given year."""
        pick = self.pick_entity(Role.DATE)
        if pick is None:
            return None
        ent, attr = pick
        f = self.year_filter(ent)
        if f is None:
            return None
        if self.rng.random() < 0.4:
            return Query(ent.name, (Agg(Func.COUNT),), filters=(f,))
        return Query(ent.name, self.projection(ent, attr), filters=(f,))

    def g_contains(self):
        """Rows whose name or text contains a piece of text, in any letter case (optionally with a second filter)."""
        ent = self.rng.choice(self.entities())
        f = self.text_match(ent)
        if f is None:
            return None
        filters = [f]
        if self.rng.random() < 0.3 and (g := self.any_filter(ent)) is not None and g.col != f.col:
            filters.append(g)
        return Query(ent.name, self.projection(ent, ent.attribute(f.col.attribute)), filters=tuple(filters))

    def g_percent(self):
        """The share of rows meeting a condition, in percent to one decimal, overall or per category (with the
        group's size next to it). Conditions read non-nullable attributes only: MySQL's SUM(condition) over
        nothing but NULLs is NULL where the other dialects count zero."""
        ent = self.rng.choice(self.entities())
        attrs = self.attrs(ent, Role.FLAG, Role.NUMBER, Role.DATE, nullable=False)
        if not attrs:
            return None
        attr = self.rng.choice(attrs)
        v = self.value(ent, attr)
        if v is None:
            return None
        if attr.role is Role.FLAG:
            cond = Filter(Col(0, attr.name), self.rng.choice([Op.IS_TRUE, Op.IS_FALSE]))
        elif attr.role is Role.DATE and self.rng.random() < 0.5:
            cond = Filter(Col(0, attr.name), Op.YEAR, (v.year,))
        else:
            cond = Filter(Col(0, attr.name), self.rng.choice([Op.LT, Op.LE, Op.GT, Op.GE]), (v,))
        agg = Agg(Func.PERCENT, cond=cond)
        cats = self.attrs(ent, Role.CATEGORY)
        if cats and self.rng.random() < 0.5:
            key = Col(0, self.rng.choice(cats).name)
            select = (key, Agg(Func.COUNT), agg) if self.rng.random() < 0.5 else (key, agg)
            return Query(ent.name, select, group_by=(key,))
        return Query(ent.name, (agg,))

    def g_timeline(self):
        """A breakdown by year or month of a (non-nullable) date: a count, or a count and an average, per period,
        sometimes in chronological order."""
        pick = self.pick_entity(Role.DATE, nullable=False)
        if pick is None:
            return None
        ent, attr = pick
        key = Col(0, attr.name, part=self.rng.choice(["year", "month"]))
        nums = self.attrs(ent, Role.NUMBER)
        aggs: tuple = (Agg(Func.COUNT),)
        if nums and self.rng.random() < 0.4:
            aggs += (Agg(Func.AVG, Col(0, self.rng.choice(nums).name)),)
        f = self.category_eq(ent) if self.rng.random() < 0.3 else None
        order = Order(key, self.rng.random() < 0.3) if self.rng.random() < 0.5 else None
        return Query(ent.name, (key,) + aggs, filters=(f,) if f else (), group_by=(key,), order_by=order)

    def g_reach(self):
        """Entities 1 to N links away from a known one along a relationship from the entity to itself: 'everyone
        in X's reporting line up to three levels down', 'papers that a paper cites, directly or indirectly'."""
        cands = [(h, a) for h, a, b in self.hops() if a.name == b.name]
        if not cands:
            return None
        hop, ent = self.rng.choice(cands)
        adj = self.d.adj[(hop.relationship, hop.forward)]
        n = self.rng.choice([2, 3, 3])
        # prefer starts where the longer chain reaches more than one link does (the data may be flat)
        starts = [k for k in adj if len(_reach_from(adj, k, n)) > len(_reach_from(adj, k, 1))] or sorted(adj)
        if not starts:
            return None
        start = self.rng.choice(sorted(starts))
        var = Hop(hop.relationship, hop.forward, n)
        key = self.pin(ent, start, 0)
        if self.rng.random() < 0.3:
            return Query(ent.name, (Agg(Func.COUNT_DISTINCT, Col(1, ent.key.name)),), hops=(var,), filters=(key,))
        return Query(ent.name, self.projection(ent, node=1), hops=(var,), filters=(key,), distinct=True)

    def g_ratio(self):
        """'On average, how many employees does a department have?': rows along an N:1 hop per different entity
        reached (those that have at least one), to two decimals, overall or per category of the root."""
        cands = [(h, a, b) for h, a, b in self.hops() if h.forward and a.name != b.name
                 and self.dom.relationship(h.relationship).cardinality is Cardinality.MANY_TO_ONE]
        if not cands:
            return None
        hop, a, b = self.rng.choice(cands)
        agg = Agg(Func.PER, Col(1, b.key.name))
        f = self.any_filter(a) if self.rng.random() < 0.3 else None
        return Query(a.name, (agg,), hops=(hop,), filters=(f,) if f else ())

    def g_optional(self):
        """Roots with their neighbours, keeping roots that have none: the neighbours' names (NULL when there
        are none) or, per root, how many there are (0 when there are none)."""
        cands = []
        for hop, a, b in self.hops():
            adj = self.d.adj[(hop.relationship, hop.forward)]
            if any(not adj.get(k) for k in self.d.rows[a.name]):  # some roots have no neighbour
                cands.append((hop, a, b))
        if not cands:
            return None
        hop, a, b = self.rng.choice(cands)
        opt = Hop(hop.relationship, hop.forward, optional=True)
        f = self.any_filter(a)
        label = self.label(a, 0)
        to_one = hop.forward and self.dom.relationship(hop.relationship).cardinality is Cardinality.MANY_TO_ONE
        if not to_one and self.rng.random() < 0.5:  # counting makes sense where there can be several
            return Query(a.name, (label, Agg(Func.COUNT, Col(1, b.key.name))), hops=(opt,),
                         filters=(f,) if f else (), group_by=(label,))
        return Query(a.name, (label, self.label(b, 1)), hops=(opt,), filters=(f,) if f else ())

    def g_distinct(self):
        if self.rng.random() < 0.5:
            pick = self.pick_entity(Role.CATEGORY)
            if pick is None:
                return None
            ent, attr = pick
            f = self.comparison(ent)
            return Query(ent.name, (Col(0, attr.name),), filters=(f,) if f else (), distinct=True)
        hop, a, b = self.rng.choice(self.hops())
        cands = self.attrs(b, Role.CATEGORY, Role.NAME)
        if not cands:
            return None
        f = self.any_filter(a)
        return Query(a.name, (Col(1, self.rng.choice(cands).name),), hops=(hop,), filters=(f,) if f else (),
                     distinct=True)

    def g_count(self):
        ent = self.rng.choice(self.entities())
        f = self.any_filter(ent)
        cats = [c for c in self.attrs(ent, Role.CATEGORY) if f is None or c.name != f.col.attribute]
        if cats and self.rng.random() < 0.3:
            return Query(ent.name, (Agg(Func.COUNT_DISTINCT, Col(0, self.rng.choice(cats).name)),),
                         filters=(f,) if f else ())
        return Query(ent.name, (Agg(Func.COUNT),), filters=(f,) if f else ())

    def g_aggregate(self):
        pick = self.pick_entity(Role.NUMBER, Role.DATE)
        if pick is None:
            return None
        ent, attr = pick
        funcs = [Func.MIN, Func.MAX] + ([Func.AVG] if attr.role is Role.NUMBER else [])
        funcs += [Func.SUM] if attr.summable else []  # totals of additive measures only
        f = self.category_eq(ent) if self.rng.random() < 0.5 else None
        return Query(ent.name, (Agg(self.rng.choice(funcs), Col(0, attr.name)),), filters=(f,) if f else ())

    def g_group(self):
        pick = self.pick_entity(Role.CATEGORY)
        if pick is None:
            return None
        ent, cat = pick
        nums = self.attrs(ent, Role.NUMBER)
        if nums and self.rng.random() < 0.4:  # several aggregates: the group's size and a measure, or a spread
            num = Col(0, self.rng.choice(nums).name)
            pairs = [(Agg(Func.COUNT), Agg(Func.AVG, num)), (Agg(Func.COUNT), Agg(Func.SUM if
                                                                             ent.attribute(num.attribute).summable
                                                                             else Func.AVG, num)),
                     (Agg(Func.MIN, num), Agg(Func.MAX, num))]
            aggs = self.rng.choice(pairs)
            return Query(ent.name, (Col(0, cat.name),) + aggs, group_by=(Col(0, cat.name),))
        if nums and self.rng.random() < 0.6:
            num = self.rng.choice(nums)
            agg = Agg(self.rng.choice([Func.SUM if num.summable else Func.AVG, Func.AVG, Func.MIN, Func.MAX]),
                      Col(0, num.name))
        else:
            agg = Agg(Func.COUNT)
        return Query(ent.name, (Col(0, cat.name), agg), group_by=(Col(0, cat.name),))

    def g_or(self):
        """Rows meeting one of two conditions on different attributes, listed or counted."""
        ent = self.rng.choice(self.entities())
        makers = [self.category_eq, self.comparison, self.year_filter, self.text_match]
        drawn = [f for f in (self.rng.choice(makers)(ent) for _ in range(6)) if f is not None]
        first = drawn[0] if drawn else None
        second = next((f for f in drawn if f.col != first.col), None) if first else None
        if first is None or second is None:
            return None
        if self.rng.random() < 0.3:
            return Query(ent.name, (Agg(Func.COUNT),), either=(first, second))
        extra = ent.attribute(first.col.attribute)
        return Query(ent.name, self.projection(ent, extra), either=(first, second))

    def g_group2(self):
        """Grouping by two columns of the root: two categories, or a category and the year of a date."""
        pick = self.pick_entity(Role.CATEGORY)
        if pick is None:
            return None
        ent, cat = pick
        others = [Col(0, c.name) for c in self.attrs(ent, Role.CATEGORY) if c.name != cat.name]
        others += [Col(0, d.name, part=self.rng.choice(["year", "month"]))
                   for d in self.attrs(ent, Role.DATE, nullable=False)]
        if not others:
            return None
        keys = (Col(0, cat.name), self.rng.choice(others))
        nums = self.attrs(ent, Role.NUMBER)
        if nums and self.rng.random() < 0.4:
            num = self.rng.choice(nums)
            agg = Agg(self.rng.choice([Func.AVG, Func.SUM if num.summable else Func.AVG, Func.MAX]), Col(0, num.name))
        else:
            agg = Agg(Func.COUNT)
        return Query(ent.name, keys + (agg,), group_by=keys)

    def g_having(self):
        if self.rng.random() < 0.5:
            pick = self.pick_entity(Role.CATEGORY)
            if pick is None:
                return None
            ent, cat = pick
            key, hops, root = Col(0, cat.name), (), ent
        else:
            hop, a, b = self.rng.choice(self.hops())
            key, hops, root = self.label(b, 1), (hop,), a
        counts = sorted({v for (_, v) in evaluate(self.d, Query(root.name, (key, Agg(Func.COUNT)), hops=hops,
                                                                  group_by=(key,)))})
        if len(counts) < 2:
            return None
        # the filter must drop at least one group: ">= the smallest count" or "> the largest" would be no-ops
        op = self.rng.choice([Op.GT, Op.GE])
        if op is Op.GE:
            threshold = self.rng.choice(counts[1: max(2, len(counts) // 2 + 1)])
        else:
            threshold = self.rng.choice(counts[: max(1, len(counts) // 2)])
        return Query(root.name, (key, Agg(Func.COUNT)), hops=hops, group_by=(key,),
                     having=Having(Agg(Func.COUNT), op, threshold))

    def g_order(self):
        if self.rng.random() < 0.6:
            pick = self.pick_entity(Role.NUMBER, Role.DATE)
            if pick is None:
                return None
            ent, attr = pick
            order = Order(Col(0, attr.name), self.rng.random() < 0.6)
            f = self.category_eq(ent) if self.rng.random() < 0.3 else None
            return Query(ent.name, self.projection(ent, attr), filters=(f,) if f else (), order_by=order,
                         limit=self.rng.choice([1, 3, 5]))
        hop, a, b = self.rng.choice(self.hops())
        key = self.label(b, 1)
        return Query(a.name, (key, Agg(Func.COUNT)), hops=(hop,), group_by=(key,),
                     order_by=Order(Agg(Func.COUNT), True), limit=self.rng.choice([1, 3]))

    def g_join1(self):
        hop, a, b = self.rng.choice(self.hops())
        select = (self.label(a, 0), self.label(b, 1))
        r = self.rng.random()
        if r < 0.4:
            f = self.any_filter(b, 1)
        elif r < 0.7:
            f = self.any_filter(a, 0)
        else:  # a known instance by key: one-hop neighbours
            key = self.rng.choice(list(self.d.rows[a.name]))
            f = self.pin(a, key)
            select = (self.label(b, 1),) + tuple(
                Col(1, x.name) for x in self.attrs(b, Role.NUMBER, Role.DATE, Role.CATEGORY)[:1])
        return Query(a.name, select, hops=(hop,), filters=(f,) if f else ())

    def g_join1_count(self):
        # a count along an N:1 link walked forward is always 0 or 1 ('how many departments does X work in'):
        # only links that can lead to several are counted
        cands = [(h, a, b) for h, a, b in self.hops()
                 if not (h.forward and self.dom.relationship(h.relationship).cardinality is Cardinality.MANY_TO_ONE)]
        if not cands:
            return None
        hop, a, b = self.rng.choice(cands)
        if self.rng.random() < 0.5:
            key = self.rng.choice(list(self.d.rows[a.name]))
            f = self.pin(a, key)
        else:
            name = a.name_attribute
            if name is None:
                return None
            f = Filter(Col(0, name.name), Op.EQ, (self.value(a, name),))
        return Query(a.name, (Agg(Func.COUNT),), hops=(hop,), filters=(f,))

    def g_join2(self):
        first = self.rng.choice(self.hops())
        hop1, a, b = first
        seconds = [h for h in self.hops(b) if h[0].relationship != hop1.relationship]
        if not seconds:
            return None
        hop2, _, c = self.rng.choice(seconds)
        f = None
        if self.rng.random() < 0.5:
            node, ent = self.rng.choice([(0, a), (2, c)])
            f = self.any_filter(ent, node)
        if f is None:
            name = a.name_attribute
            if name is not None:
                f = Filter(Col(0, name.name), Op.EQ, (self.value(a, name),))
        # two-hop answers are sets: "which Cs are linked to As through some B" (FalkorDB also collapses
        # duplicate paths when the middle node is not returned, so bags would not verify)
        select = (self.label(c, 2),) if self.rng.random() < 0.5 else (self.label(a, 0), self.label(c, 2))
        return Query(a.name, select, hops=(hop1, hop2), filters=(f,) if f else (), distinct=True)

    def g_join3(self):
        """Three hops, e.g. 'which offices house a department that employs someone assigned to project X': the
        different entities at the end of the chain (never walking straight back along the same relationship)."""
        hop1, a, b = self.rng.choice(self.hops())
        chain, ents = [hop1], [a, b]
        for _ in range(2):
            nexts = [h for h in self.hops(ents[-1]) if h[0].relationship != chain[-1].relationship]
            if not nexts:
                return None
            hop, _, c = self.rng.choice(nexts)
            chain.append(hop)
            ents.append(c)
        name = a.name_attribute
        f = None
        if self.rng.random() < 0.5:
            f = self.any_filter(ents[3], 3)
        if f is None and name is not None:
            f = Filter(Col(0, name.name), Op.EQ, (self.value(a, name),))
        select = (self.label(ents[3], 3),) if self.rng.random() < 0.6 else (self.label(a, 0), self.label(ents[3], 3))
        return Query(a.name, select, hops=tuple(chain), filters=(f,) if f else (), distinct=True)

    def g_complex(self):
        """Grouping along one or two hops, with a root filter, a HAVING and/or a top-k over the counts."""
        hop1, a, b = self.rng.choice(self.hops())
        hops, last = (hop1,), b
        if self.rng.random() < 0.5:
            seconds = [h for h in self.hops(b) if h[0].relationship != hop1.relationship]
            if seconds:
                hop2, _, c = self.rng.choice(seconds)
                hops, last = (hop1, hop2), c
        key = self.label(last, len(hops))
        # over two hops count different roots: a path count depends on how many middle nodes link them
        agg = Agg(Func.COUNT_DISTINCT, Col(0, a.key.name)) if len(hops) == 2 else Agg(Func.COUNT)
        f = self.any_filter(a) if self.rng.random() < 0.6 else None
        base = Query(a.name, (key, agg), hops=hops, group_by=(key,), filters=(f,) if f else ())
        having = None
        if self.rng.random() < 0.5:
            counts = sorted({v for _, v in evaluate(self.d, base)})
            if len(counts) >= 3:
                having = Having(agg, Op.GE, self.rng.choice(counts[1: len(counts) // 2 + 1]))
        order = self.rng.random() < 0.6 or having is None
        return Query(a.name, (key, agg), hops=hops, group_by=(key,), filters=base.filters, having=having,
                     order_by=Order(agg, True) if order else None, limit=self.rng.choice([1, 3]) if order else None)

    def g_anti(self):
        hop, a, _ = self.rng.choice(self.hops())
        return Query(a.name, (self.label(a),), without=hop)

    def g_nested(self):
        pick = self.pick_entity(Role.NUMBER)
        if pick is None:
            return None
        ent, attr = pick
        f = self.category_eq(ent) if self.rng.random() < 0.3 else None
        return Query(ent.name, self.projection(ent, attr), filters=(f,) if f else (), above_average=Col(0, attr.name))

    def g_topk(self):
        cands = [(h, a, b) for h, a, b in self.hops()
                 if h.forward and self.dom.relationship(h.relationship).cardinality is Cardinality.MANY_TO_ONE
                 and a.name != b.name and self.attrs(a, Role.NUMBER, Role.DATE)]
        if not cands:
            return None
        hop, a, b = self.rng.choice(cands)
        attr = self.rng.choice(self.attrs(a, Role.NUMBER, Role.DATE))
        return Query(a.name, (self.label(b, 1), self.label(a, 0), Col(0, attr.name)),
                     per_group=PerGroup(hop, attr.name, self.rng.random() < 0.7, self.rng.choice([1, 1, 2, 3])))

    def g_fetch(self):
        ent = self.rng.choice(self.entities())
        key = self.rng.choice(list(self.d.rows[ent.name]))
        f = self.pin(ent, key)
        others = [a for a in ent.attributes if a.role not in (Role.KEY, Role.FLAG) and a.name != f.col.attribute]
        if not others:
            return None
        cols = tuple(Col(0, a.name) for a in self.rng.sample(others, min(len(others), self.rng.choice([1, 2, 3]))))
        return Query(ent.name, cols, filters=(f,))

    def g_edge_filter(self):
        """Paths restricted by an attribute of the link walked: 'actors billed first in a movie after 2010'."""
        cands = self.edge_hops(Role.NUMBER, Role.DATE, Role.CATEGORY, Role.FLAG)
        if not cands:
            return None
        hop, a, b, attrs = self.rng.choice(cands)
        attr = self.rng.choice(attrs)
        here, _, link = self.link(hop, attr)
        f = self.edge_filter(hop, attr, link[attr.name])
        edge_col = Col(1, attr.name, edge=True)
        shown = (edge_col,) if attr.role is not Role.FLAG and f.op not in (Op.EQ,) else ()
        r = self.rng.random()
        if r < 0.35:  # a known instance: its neighbours over the qualifying links
            key = self.pin(a, here)
            return Query(a.name, (self.label(b, 1),) + shown, hops=(hop,), filters=(key, f))
        if r < 0.5:
            key = self.pin(a, here)
            return Query(a.name, (Agg(Func.COUNT),), hops=(hop,), filters=(key, f))
        if r < 0.7:
            seconds = [h for h in self.hops(b) if h[0].relationship != hop.relationship]
            if seconds:
                hop2, _, c = self.rng.choice(seconds)
                select = (self.label(c, 2),) if self.rng.random() < 0.5 else (self.label(a, 0), self.label(c, 2))
                return Query(a.name, select, hops=(hop, hop2), filters=(f,), distinct=True)
        filters = [f]
        node, ent = self.rng.choice([(0, a), (1, b)])
        if self.rng.random() < 0.5 and (g := self.any_filter(ent, node)) is not None:
            filters.append(g)
        return Query(a.name, (self.label(a, 0), self.label(b, 1)) + shown, hops=(hop,), filters=tuple(filters))

    def g_edge_attr(self):
        """Relationship attributes read out: 'each student and their grade in course X', 'total quantity per
        product'."""
        cands = self.edge_hops(Role.NUMBER, Role.DATE, Role.CATEGORY)
        if not cands:
            return None
        hop, a, b, attrs = self.rng.choice(cands)
        attr = self.rng.choice(attrs)
        col = Col(1, attr.name, edge=True)
        r = self.rng.random()
        if r < 0.4:  # a known instance, its neighbours and the value on each link
            here = self.link(hop)[0]
            key = self.pin(a, here)
            return Query(a.name, (self.label(b, 1), col), hops=(hop,), filters=(key,))
        funcs = [Func.MIN, Func.MAX] + ([Func.AVG] if attr.role is Role.NUMBER else [])
        funcs += [Func.SUM] if attr.summable else []  # totals of additive measures only
        if attr.role is Role.CATEGORY:
            return None
        agg = Agg(self.rng.choice(funcs), col)
        if r < 0.8:  # per group: one side's name with an aggregate over its links
            key = self.label(a, 0) if self.rng.random() < 0.5 else self.label(b, 1)
            # ranking groups by their smallest or largest value reads 'the highest lowest hours': sums and
            # averages only
            ranked = self.rng.random() < 0.5 and agg.func in (Func.SUM, Func.AVG)
            return Query(a.name, (key, agg), hops=(hop,), group_by=(key,),
                         order_by=Order(agg, self.rng.random() < 0.7) if ranked else None,
                         limit=self.rng.choice([1, 3]) if ranked else None)
        name = a.name_attribute
        if name is None:
            return None
        here = self.link(hop, attr)[0]
        value = self.d.rows[a.name][here].get(name.name)
        if value is None:
            return None
        return Query(a.name, (agg,), hops=(hop,), filters=(Filter(Col(0, name.name), Op.EQ, (value,)),))


    def g_walk(self):
        """One or two links from an entity named by its name: 'which projects is Ann Smith assigned to', 'in
        which cities are the offices of the department Ann Smith works in' (a set over two links), sometimes with
        a condition on what is reached."""
        hop1, a, b = self.rng.choice(self.hops())
        name = a.name_attribute
        if name is None or not self.attrs(a, Role.NAME):
            return None
        hops, last, ents = (hop1,), b, [a, b]
        if self.rng.random() < 0.5:
            seconds = [h for h in self.hops(b) if h[0].relationship != hop1.relationship]
            if seconds:
                hop2, _, c = self.rng.choice(seconds)
                hops, last = (hop1, hop2), c
        node = len(hops)
        here = self.rng.choice(sorted(k for k in self.d.adj[(hop1.relationship, hop1.forward)]))
        value = self.d.rows[a.name][here].get(name.name)
        if value is None:
            return None
        filters = [Filter(Col(0, name.name), Op.EQ, (value,))]
        if self.rng.random() < 0.3 and (g := self.any_filter(last, node)) is not None:
            if last.attribute(g.col.attribute).role is not Role.KEY:
                filters.append(g)
        return Query(a.name, (self.label(last, node),), hops=hops, filters=tuple(filters), distinct=node == 2)

    #: labels of the two bands of a number, by the kind of measure
    BANDS = (("high", "low"), ("large", "small"), ("upper", "lower"))

    def g_case(self):
        """'How many employees earn at least 90,000 USD ("high") and how many less ("low")?': a number sorted into
        two bands at a threshold from the data, with the size (or another measure) of each band."""
        pick = self.pick_entity(Role.NUMBER, nullable=False)
        if pick is None:
            return None
        ent, attr = pick
        vals = self.distinct_values(ent, attr)
        if len(vals) < 4:
            return None
        threshold = vals[len(vals) // 2 + self.rng.randrange(-len(vals) // 4, len(vals) // 4 + 1)]
        above, below = self.rng.choice(self.BANDS)
        band = Case(Col(0, attr.name), threshold, above, below)
        others = [n for n in self.attrs(ent, Role.NUMBER) if n.name != attr.name]
        aggs: tuple = (Agg(Func.COUNT),)
        if others and self.rng.random() < 0.4:
            aggs += (Agg(Func.AVG, Col(0, self.rng.choice(others).name)),)
        f = self.category_eq(ent) if self.rng.random() < 0.3 else None
        return Query(ent.name, (band,) + aggs, filters=(f,) if f else (), group_by=(band,))

    def g_setop(self):
        """'Clients who own a savings account and also (or: or else; but not) an account over 1,000 USD': the
        root's name over one hop, the two sides filtering the entity reached differently."""
        cands = [(h, a, b) for h, a, b in self.hops() if a.name != b.name]
        if not cands:
            return None
        kind = SET_KINDS[self._setop_turns % len(SET_KINDS)]  # the kinds in turn, so each gets its share
        self._setop_turns += 1
        for _ in range(8):  # most random pairs of conditions make one side decide the answer: draw a few
            hop, a, b = self.rng.choice(cands)
            first, second = self.any_filter(b, 1), self.any_filter(b, 1)
            if first is None or second is None or first == second:
                continue
            q = Query(a.name, (self.label(a, 0),), hops=(hop,), filters=(first,), setop=SetOp(kind, (second,)))
            try:
                evaluate(self.d, q)
            except Rejected:
                continue
            return q
        return None

    def g_nulls(self):
        """Rows ranked by a nullable attribute, the ones without a value kept and listed first or last."""
        pick = self.pick_entity(Role.NUMBER, Role.DATE, nullable=True)
        if pick is None:
            return None
        ent, attr = pick
        f = self.category_eq(ent)
        if f is not None and f.op is Op.NE:
            f = Filter(f.col, Op.EQ, f.values)
        order = Order(Col(0, attr.name), self.rng.random() < 0.6, self.rng.choice(["first", "last"]))
        return Query(ent.name, self.projection(ent, attr), filters=(f,) if f else (), order_by=order)

    def g_concat(self):
        """'Each office as one text: city (country)': a name with a category or another text in parentheses."""
        cands = []
        for ent in self.entities():
            texts = self.attrs(ent, Role.NAME, Role.CATEGORY, Role.TEXT, nullable=False)
            first = ent.name_attribute
            if first is not None and first.nullable is False:
                cands += [(ent, first, x) for x in texts if x.name != first.name]
        if not cands:
            return None
        ent, first, second = self.rng.choice(cands)
        f = self.any_filter(ent) if self.rng.random() < 0.7 else None
        return Query(ent.name, (Concat(Col(0, first.name), Col(0, second.name)),), filters=(f,) if f else ())

    def g_shortest(self):
        """'How few links separate X from Y along R': the shortest walk between two known entities of an entity
        related to itself, at most N links long (ends chosen so that the walk is longer than one link mostly)."""
        cands = [(h, a) for h, a, b in self.hops() if a.name == b.name]
        if not cands:
            return None
        hop, ent = self.rng.choice(cands)
        adj = self.d.adj[(hop.relationship, hop.forward)]
        n = self.rng.choice([3, 4, 4])
        # prefer starts from which some entity is more than one link away (the data may be flat)
        starts = (sorted(k for k in adj if len(_reach_from(adj, k, n)) > len(_reach_from(adj, k, 1)))
                  or sorted(k for k in adj if _reach_from(adj, k, 1) - {k}))
        if not starts:
            return None
        start = self.rng.choice(starts)
        far = sorted(_reach_from(adj, start, n) - _reach_from(adj, start, 1) - {start})
        near = sorted(_reach_from(adj, start, 1) - {start})
        ends = far if far and (self.rng.random() < 0.85 or not near) else near
        if not ends:
            return None
        end = self.rng.choice(ends)
        return Query(ent.name, (Agg(Func.HOPS),), hops=(Hop(hop.relationship, hop.forward, n, shortest=True),),
                     filters=(self.pin(ent, start, 0), self.pin(ent, end, 1)))


GENERATORS: tuple[str, ...] = tuple(name for name in vars(_Gen) if name.startswith("g_"))

#: How many turns of the sampling cycle a generator gets (1 when not listed): the shapes whose text differs
#: between dialects (dates, percentages, ratios, recursive walks, set operations, shortest paths, NULL placement,
#: concatenation) are drawn more often, so that each appears in enough questions for the benchmark to teach it
#: (set operations and shortest paths are often rejected or need an entity related to itself).
WEIGHTS: dict[str, int] = {"g_year": 3, "g_timeline": 2, "g_percent": 2, "g_ratio": 2, "g_reach": 8,
                           "g_setop": 5, "g_nulls": 4, "g_concat": 3, "g_shortest": 6, "g_walk": 3, "g_case": 2}


def _cycle() -> tuple[str, ...]:
    """The generators in sampling order: every generator once, then the weighted ones again, spread out."""
    extra = [name for name in GENERATORS for _ in range(WEIGHTS.get(name, 1) - 1)]
    return GENERATORS + tuple(extra)


CYCLE: tuple[str, ...] = _cycle()


def sample_queries(data: DomainData, n: int, seed: int, rejections: dict[str, int] | None = None) -> list[Query]:
    """``n`` distinct answerable queries over ``data`` (fewer if the domain cannot supply them).

    When ``rejections`` is given, the candidates discarded before compilation are counted into it by reason
    (ambiguous answers such as a LIMIT through a tie, empty answers, random combinations the IR refuses).
    """
    rng = random.Random(seed)
    gen = _Gen(data, rng)
    out: list[Query] = []
    seen: set[Query] = set()
    rejected: dict[str, int] = defaultdict(int)
    attempts = 0
    while len(out) < n and attempts < 60 * n + 200:
        attempts += 1
        name = CYCLE[attempts % len(CYCLE)]
        make: Callable[[], Query | None] = getattr(gen, name)
        try:
            q = make()
            if q is None or q in seen:
                continue
            q.check(data.domain)
            rows = evaluate(gen.d, q)
        except Rejected as exc:
            rejected[str(exc)] += 1
            continue
        except ValueError as exc:  # an invalid combination drawn at random
            rejected[f"invalid: {exc}"] += 1
            continue
        if not rows or len(rows) > MAX_ROWS or all(v is None for r in rows for v in r):
            rejected["empty or too large"] += 1
            continue
        seen.add(q)
        out.append(q)
    if len(out) < n:
        log.warning("%s: sampled %d of %d queries (rejections: %s)", data.domain.name, len(out), n, dict(rejected))
    if rejections is not None:
        for reason, count in rejected.items():
            key = "invalid combination drawn at random" if reason.startswith("invalid: ") else reason
            rejections[key] = rejections.get(key, 0) + count
    return out
