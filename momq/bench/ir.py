"""The benchmark's query IR: one typed, frozen description of a question over an ER domain.

A :class:`Query` starts at a root entity and may walk one to three relationships (``hops``), or one
relationship from an entity to itself 1 to N times from a known root (a variable-length hop), or one optional
relationship that keeps the roots without a neighbour (LEFT JOIN / OPTIONAL MATCH); the entity reached
after hop ``i`` is node ``i`` (the root is node 0). Attributes are addressed as ``Col(node, attribute)`` (a selected or grouped date
may be cut to its year or month: ``Col(node, attribute, part="year")``); the
attributes of a many-to-many relationship (junction columns, edge properties) as ``Col(i, attribute, edge=True)``,
the link walked by hop ``i`` into node ``i``. Such edge columns may be filtered, projected and aggregated, not
grouped or ranked, and only on ``hops`` (not on special shapes). On top
of that path a query projects columns or aggregates, filters with AND
(comparisons, ranges, lists, prefixes, case-insensitive substrings, the year of a date, NULL and flag tests)
and a disjunction of root conditions (``either``), groups (with HAVING), orders with a
LIMIT, or takes one of three special shapes: an anti-join (``without``), a nested comparison with the average
(``above_average``) and top-k per group (``per_group``). A listing over one hop may be combined with the same path
under other filters by a set operation (``setop``: union, intersect, except); a variable-length hop may ask only for
the length of the shortest walk between two known entities (``Hop.shortest``, selecting ``Agg(Func.HOPS)``); a
ranking may keep unknown values and place them first or last (``Order.nulls``); two text columns may be selected
as one (``Concat``) and a number grouped into two bands (``Case``).

The IR is dialect-neutral: ``momq.bench.compilers`` turn it into query text, ``momq.bench.nl`` into English,
``momq.bench.sample`` draws instances from data. This module does not know any dialect, and validates a query
only against its domain (:func:`Query.check`), not against data.

Difficulty rule (:meth:`Query.difficulty`), in points:
  one per hop; one per filter beyond the first; one for any aggregate; one for GROUP BY; one for HAVING;
  one for ORDER BY/LIMIT; one for DISTINCT over a join; two for an anti-join; two for a nested average;
  four for top-k per group (its ranking, grouping and hop); one for reading relationship attributes (filtering
  or projecting edge columns, counted once per query); one for a percentage or a ratio of counts;
  two for a variable-length hop (a recursive walk); one for an OR; two for a set operation; one more for a shortest
  path; one for a NULL placement; one for a band.
  0-1 points: easy; 2-3: medium; 4-5: hard; 6 or more: extra.
"""

from __future__ import annotations

import datetime as _dt
import decimal as _decimal
import enum
from dataclasses import dataclass
from typing import Any, Union

from momq.bench.er import Attribute, Cardinality, Domain, Entity, Relationship, Role


class Op(enum.Enum):
    EQ = "="
    NE = "!="
    LT = "<"
    LE = "<="
    GT = ">"
    GE = ">="
    BETWEEN = "between"  # two values, inclusive
    IN = "in"  # one or more values
    PREFIX = "prefix"  # one text value: starts with
    IS_NULL = "is_null"
    NOT_NULL = "not_null"
    IS_TRUE = "is_true"  # flags
    IS_FALSE = "is_false"
    YEAR = "year"  # one integer: the calendar year of a date equals it
    CONTAINS = "contains"  # one lower-case text value: a case-insensitive substring test

    @property
    def arity(self) -> int | None:
        """How many values the operator takes (None: one or more)."""
        if self in (Op.IS_NULL, Op.NOT_NULL, Op.IS_TRUE, Op.IS_FALSE):
            return 0
        if self is Op.BETWEEN:
            return 2
        if self is Op.IN:
            return None
        return 1


COMPARISONS = (Op.EQ, Op.NE, Op.LT, Op.LE, Op.GT, Op.GE)


class Func(enum.Enum):
    COUNT = "count"  # COUNT(*) when the column is None
    COUNT_DISTINCT = "count_distinct"
    SUM = "sum"
    AVG = "avg"
    MIN = "min"
    MAX = "max"
    PERCENT = "percent"  # the share of rows meeting ``Agg.cond``, in percent, rounded to one decimal
    PER = "per"  # rows per different value of the column (COUNT(*) / COUNT(DISTINCT col)), rounded to two decimals
    HOPS = "hops"  # the number of links on the shortest walk of a shortest-path hop (no column)


@dataclass(frozen=True)
class Hop:
    relationship: str
    forward: bool = True  # True: from the relationship's source to its target
    #: above 1: a variable-length hop, 1 to ``max_length`` links of a relationship from an entity to itself
    max_length: int = 1
    #: True: keep the rows with no neighbour along this hop (their columns of later nodes are NULL)
    optional: bool = False
    #: True: a variable-length hop between two known entities, of which only the shortest walk counts
    shortest: bool = False

    def __post_init__(self) -> None:
        if not 1 <= self.max_length <= 5:
            raise ValueError("a hop walks 1 to 5 links")
        if self.optional and self.variable:
            raise ValueError("an optional hop walks one link")
        if self.shortest and not self.variable:
            raise ValueError("a shortest-path hop walks 1 to N links (N > 1)")

    @property
    def variable(self) -> bool:
        return self.max_length > 1


#: Parts of a date a query may select and group by: its year (a number) and its month ('YYYY-MM' text).
DATE_PARTS: tuple[str, ...] = ("year", "month")


@dataclass(frozen=True)
class Col:
    node: int  # 0 = root, i = the entity reached after hop i
    attribute: str
    edge: bool = False  # True: an attribute of the relationship walked by hop ``node`` (into node ``node``)
    part: str | None = None  # a part of a date attribute (one of DATE_PARTS) instead of the whole value

    def __post_init__(self) -> None:
        if self.edge and self.node < 1:
            raise ValueError("an edge column names the hop into its node: node >= 1")
        if self.part is not None and (self.part not in DATE_PARTS or self.edge):
            raise ValueError(f"a date part is one of {DATE_PARTS} of a node attribute, not {self.part!r}")


@dataclass(frozen=True)
class Concat:
    """Two text columns written as one: 'first (second)' (``CONCAT`` / ``||`` / ``+`` / ``concat()``)."""

    first: Col
    second: Col

    def __post_init__(self) -> None:
        if any(c.edge or c.part is not None for c in (self.first, self.second)):
            raise ValueError("a concatenation joins two node attributes")
        if self.first == self.second:
            raise ValueError("a concatenation joins two different columns")


@dataclass(frozen=True)
class Case:
    """A number sorted into two bands (``CASE WHEN col >= threshold THEN above ELSE below END``); unknown
    values fall in ``below``. Selected and grouped by, never filtered or ranked."""

    col: Col
    threshold: Any
    above: str
    below: str

    def __post_init__(self) -> None:
        if self.col.edge or self.col.part is not None:
            raise ValueError("a band reads a node attribute")
        if isinstance(self.threshold, bool) or not isinstance(self.threshold, (int, float, _decimal.Decimal)):
            raise ValueError("a band's threshold is a number")
        if not self.above or not self.below or self.above == self.below:
            raise ValueError("a band has two different labels")


@dataclass(frozen=True)
class Agg:
    func: Func
    col: Col | None = None
    cond: "Filter | None" = None  # PERCENT only: the condition whose share of the rows is asked for

    def __post_init__(self) -> None:
        if self.func is Func.PERCENT:
            if self.cond is None or self.col is not None:
                raise ValueError("percent takes a condition and no column")
            if self.cond.col.edge:
                raise ValueError("percent of an edge condition is not part of the IR")
            return
        if self.cond is not None:
            raise ValueError(f"{self.func.value} takes no condition")
        if self.func is Func.HOPS:
            if self.col is not None:
                raise ValueError("hops takes no column")
            return
        if self.col is None and self.func is not Func.COUNT:
            raise ValueError(f"{self.func.value} needs a column")


Item = Union[Col, Agg, Concat, Case]
Value = Any  # int | float | Decimal | str | date | bool


@dataclass(frozen=True)
class Filter:
    col: Col
    op: Op
    values: tuple = ()

    def __post_init__(self) -> None:
        arity = self.op.arity
        if arity is None:
            if not self.values:
                raise ValueError("IN needs at least one value")
        elif len(self.values) != arity:
            raise ValueError(f"{self.op.name} takes {arity} value(s), got {len(self.values)}")
        if any(v is None for v in self.values):
            raise ValueError("filter values cannot be None; use IS_NULL")
        if self.op is Op.PREFIX and not isinstance(self.values[0], str):
            raise ValueError("PREFIX needs a text value")
        if self.op is Op.CONTAINS and not (isinstance(self.values[0], str) and self.values[0]
                                           and self.values[0] == self.values[0].lower()):
            raise ValueError("CONTAINS needs a non-empty lower-case text value")
        if self.op is Op.YEAR and (isinstance(self.values[0], bool) or not isinstance(self.values[0], int)):
            raise ValueError("YEAR needs an integer year")


@dataclass(frozen=True)
class Having:
    agg: Agg
    op: Op
    value: Value

    def __post_init__(self) -> None:
        if self.op not in COMPARISONS:
            raise ValueError(f"HAVING supports comparisons only, not {self.op.name}")


#: Where rows with an unknown ordered value go: before or after all known values.
NULLS_PLACES: tuple[str, ...] = ("first", "last")


@dataclass(frozen=True)
class Order:
    item: Item
    descending: bool = False
    #: None: unknown values are left out of a ranking; "first"/"last": they are kept and placed there
    nulls: str | None = None

    def __post_init__(self) -> None:
        if self.nulls is not None and (self.nulls not in NULLS_PLACES or not isinstance(self.item, Col)):
            raise ValueError(f"NULL placement is one of {NULLS_PLACES}, for a column")


#: Set operations between two sides that walk the same path from the same root and differ in their filters.
SET_KINDS: tuple[str, ...] = ("union", "intersect", "except")


@dataclass(frozen=True)
class SetOp:
    """The query (its filters: the left side) combined with the same path under ``filters`` (the right side)."""

    kind: str
    filters: tuple[Filter, ...]

    def __post_init__(self) -> None:
        if self.kind not in SET_KINDS:
            raise ValueError(f"a set operation is one of {SET_KINDS}, not {self.kind!r}")
        if not self.filters:
            raise ValueError("the right side of a set operation has a filter")


@dataclass(frozen=True)
class PerGroup:
    """Top ``k`` root entities by ``attribute`` within each group reached by ``hop`` (an N:1 hop forward).

    Ties are broken by the root's key; samplers choose ``k`` so that no group's cut falls inside a tie.
    """

    hop: Hop
    attribute: str
    descending: bool = True
    k: int = 1

    def __post_init__(self) -> None:
        if self.k < 1:
            raise ValueError("k must be positive")


@dataclass(frozen=True)
class Query:
    root: str
    select: tuple[Item, ...]
    hops: tuple[Hop, ...] = ()
    filters: tuple[Filter, ...] = ()
    distinct: bool = False
    group_by: tuple[Col, ...] = ()
    having: Having | None = None
    order_by: Order | None = None
    limit: int | None = None
    without: Hop | None = None  # anti-join: root entities with no neighbour along this hop
    above_average: Col | None = None  # root attribute strictly above its average over all root entities
    per_group: PerGroup | None = None
    either: tuple[Filter, ...] = ()  # root conditions of which at least one holds (OR), with the AND filters
    setop: SetOp | None = None  # UNION / INTERSECT / EXCEPT with the same path under other filters

    def disjunction_check(self) -> None:
        if not self.either:
            return
        if len(self.either) < 2:
            raise ValueError("an OR joins at least two conditions")
        if any(f.col.node != 0 or f.col.edge for f in self.either):
            raise ValueError("OR conditions test the root's own attributes")
        if self.without or self.above_average or self.per_group or any(h.variable for h in self.hops):
            raise ValueError("OR conditions go with plain shapes only")

    def setop_check(self) -> None:
        """A set operation: the root's one column, over one plain hop, both sides filtering the reached node."""
        if self.setop is None:
            return
        if len(self.select) != 1 or not isinstance(self.select[0], Col) or self.select[0].node != 0:
            raise ValueError("a set operation returns one column of the root")
        if len(self.hops) != 1 or self.hops[0].variable or self.hops[0].optional:
            raise ValueError("a set operation walks one plain hop")
        if (self.group_by or self.order_by or self.limit or self.distinct or self.either or self.without
                or self.above_average or self.per_group):
            raise ValueError("a set operation goes with a plain listing only")
        if not self.filters or any(f.col.node != 1 or f.col.edge for f in self.filters + self.setop.filters):
            raise ValueError("both sides of a set operation filter the reached node")

    def __post_init__(self) -> None:
        if not self.select:
            raise ValueError("a query selects at least one item")
        self.disjunction_check()
        self.setop_check()
        if any(isinstance(i, Case) for i in self.select + self.group_by):
            bands = [i for i in self.select if isinstance(i, Case)]
            if (len(bands) != 1 or self.group_by != (bands[0],) or self.select[0] != bands[0] or not self.aggregates
                    or self.hops or self.order_by or self.limit or self.having or self.distinct or self.either
                    or self.without or self.above_average or self.per_group or self.setop):
                raise ValueError("a band is the one group of a plain aggregate over the root")
        if any(isinstance(i, Concat) for i in self.select) and (self.group_by or self.order_by or self.distinct):
            raise ValueError("a concatenation is listed, not grouped, ranked or deduplicated")
        if self.order_by is not None and self.order_by.nulls is not None:
            if self.aggregates or self.order_by.item.edge or self.order_by.item.part is not None:
                raise ValueError("NULL placement orders rows by a node attribute")
        if len(self.hops) > 3:
            raise ValueError("at most three hops")
        if self.limit is not None and self.limit < 1:
            raise ValueError("limit must be positive")
        if self.having is not None and not self.group_by:
            raise ValueError("HAVING needs GROUP BY")
        if self.group_by:
            for item in self.select:
                if isinstance(item, Col) and item not in self.group_by:
                    raise ValueError(f"selected column {item} is neither grouped nor aggregated")
            if any(c not in self.select for c in self.group_by):
                raise ValueError("every GROUP BY column is also selected")
        if self.order_by is not None and isinstance(self.order_by.item, Agg) and self.order_by.item not in self.select:
            raise ValueError("an aggregate used for ordering is also selected")
        if self.order_by is not None and self.aggregates and not self.group_by:
            raise ValueError("ordering a single aggregate row is meaningless")
        if self.distinct and self.aggregates:
            raise ValueError("DISTINCT with aggregates is not part of the IR")
        if self.distinct and self.order_by is not None:
            raise ValueError("DISTINCT with ORDER BY is not part of the IR")
        special = [x for x in (self.without, self.above_average, self.per_group) if x is not None]
        if len(special) > 1:
            raise ValueError("at most one of without / above_average / per_group")
        if special and self.hops and self.per_group is None:
            raise ValueError("anti-join and nested queries walk no hops")
        if self.per_group is not None and (self.hops or self.group_by or self.order_by or self.limit):
            raise ValueError("per_group queries carry their own path, grouping and order")
        for col in self.columns():
            if not 0 <= col.node <= self.node_count - 1:
                raise ValueError(f"{col} refers to node {col.node}, the query has {self.node_count} node(s)")
            if col.edge and col.node > len(self.hops):
                raise ValueError(f"{col} names no hop of the query")
        parted = [c for c in self.columns() if c.part is not None]
        allowed = set(self.group_by) | {i for i in self.select if isinstance(i, Col)}
        if any(c not in allowed for c in parted):
            raise ValueError("a date part is only selected, grouped or ordered by, not filtered or aggregated")
        if any(isinstance(c, Col) and c.edge for c in self.group_by):
            raise ValueError("grouping by an edge attribute is not part of the IR")
        if self.order_by is not None and isinstance(self.order_by.item, Col) and self.order_by.item.edge:
            raise ValueError("ordering by an edge attribute is not part of the IR")
        if any(h.variable for h in self.path) or (self.without is not None and self.without.variable):
            self._check_reach()
        if any(h.optional for h in self.path) or (self.without is not None and self.without.optional):
            self._check_optional()

    def _check_optional(self) -> None:
        """An optional hop: the one hop, filters on the root only, the root's columns with the neighbour's
        columns (NULL when there is none) or, grouped by root columns, a count of the neighbours (0 for none)."""
        if len(self.hops) != 1 or self.without or self.above_average or self.per_group:
            raise ValueError("an optional hop is the query's only hop")
        if any(f.col.node != 0 or f.col.edge for f in self.filters):
            raise ValueError("an optional hop's query filters the root only")
        if self.having or self.order_by or self.limit or self.distinct:
            raise ValueError("an optional hop is not ranked, deduplicated or filtered by HAVING")
        if any(isinstance(i, Col) and i.edge for i in self.select):
            raise ValueError("an optional hop reads no relationship attributes")
        for a in self.aggregates:
            if a.func is not Func.COUNT or a.col is None or a.col.node != 1:
                raise ValueError("an optional hop counts the neighbours' column")
        if self.aggregates and any(c.node != 0 for c in self.group_by):
            raise ValueError("an optional hop groups by root columns")

    def _check_reach(self) -> None:
        """A variable-length hop: the one hop from one known root (a key filter), to a distinct set of the
        entities reached (their columns, DISTINCT, or the number of different ones); a shortest-path hop goes
        from one known root to one known end (two key filters) and returns the length of the shortest walk."""
        if len(self.hops) != 1 or self.without or self.above_average or self.per_group:
            raise ValueError("a variable-length hop is the query's only hop")
        if self.group_by or self.having or self.order_by or self.limit:
            raise ValueError("a variable-length hop is not grouped or ordered")
        if self.hops[0].shortest:
            ends = [f.col.node for f in self.filters if f.op is Op.EQ and not f.col.edge]
            if sorted(ends) != [0, 1] or len(self.filters) != 2 or self.select != (Agg(Func.HOPS),):
                raise ValueError("a shortest path joins two entities known by their keys and returns its length")
            return
        if any(isinstance(i, Agg) and i.func is Func.HOPS for i in self.select):
            raise ValueError("hops are counted on a shortest path only")
        if len(self.filters) != 1 or self.filters[0].col.node != 0 or self.filters[0].op is not Op.EQ:
            raise ValueError("a variable-length hop starts from one root known by its key")
        cols = all(isinstance(i, Col) and i.node == 1 and not i.edge for i in self.select) and self.distinct
        count = (len(self.select) == 1 and isinstance(self.select[0], Agg)
                 and self.select[0].func is Func.COUNT_DISTINCT and self.select[0].col.node == 1)
        if not (cols or count):
            raise ValueError("a variable-length hop returns DISTINCT columns of the reached entities or counts "
                             "different ones")

    # ------------------------------------------------------------------ structure
    @property
    def node_count(self) -> int:
        return 1 + len(self.hops) + (1 if self.per_group is not None else 0)

    @property
    def path(self) -> tuple[Hop, ...]:
        """The hops actually walked, including the per-group hop."""
        return self.hops + ((self.per_group.hop,) if self.per_group is not None else ())

    @property
    def aggregates(self) -> tuple[Agg, ...]:
        return tuple(item for item in self.select if isinstance(item, Agg))

    def columns(self) -> list[Col]:
        """Every attribute reference in the query, aggregated or not."""
        items: list[Item] = [x for i in self.select for x in ((i.first, i.second) if isinstance(i, Concat) else (i,))]
        items += ([f.col for f in self.filters] + [f.col for f in self.either] + list(self.group_by)
                  + ([f.col for f in self.setop.filters] if self.setop else []))
        items = [i.col if isinstance(i, Case) else i for i in items]
        if self.having is not None:
            items.append(self.having.agg)
        if self.order_by is not None:
            items.append(self.order_by.item)
        if self.above_average is not None:
            items.append(self.above_average)
        cols: list[Col] = []
        for item in items:
            col = item.col if isinstance(item, Agg) else item
            if col is not None:
                cols.append(col)
            if isinstance(item, Agg) and item.cond is not None:
                cols.append(item.cond.col)
        return cols

    @property
    def conditions(self) -> tuple["Filter", ...]:
        """The filters and the conditions inside PERCENT aggregates."""
        return (self.filters + self.either + (self.setop.filters if self.setop else ())
                + tuple(a.cond for a in self.aggregates if a.cond is not None))

    @property
    def edge_columns(self) -> tuple[Col, ...]:
        """Every reference to a relationship attribute, in :meth:`columns` order."""
        return tuple(c for c in self.columns() if c.edge)

    def attribute(self, domain: Domain, col: Col) -> Attribute:
        """The entity or relationship attribute that ``col`` refers to."""
        if col.edge:
            rel = domain.relationship(self.path[col.node - 1].relationship)
            for attr in rel.attributes:
                if attr.name == col.attribute:
                    return attr
            raise KeyError(f"relationship {rel.name} has no attribute {col.attribute!r}")
        return self.entities(domain)[col.node].attribute(col.attribute)

    def entities(self, domain: Domain) -> list[Entity]:
        """The entity of every node, in node order."""
        ents = [domain.entity(self.root)]
        for hop in self.path:
            rel = domain.relationship(hop.relationship)
            here = rel.source if hop.forward else rel.target
            if here != ents[-1].name:
                raise ValueError(f"hop {hop} does not start at {ents[-1].name}")
            ents.append(domain.entity(rel.target if hop.forward else rel.source))
        return ents

    def check(self, domain: Domain) -> "Query":
        """Validate names and roles against the domain; return self."""
        ents = self.entities(domain)
        if self.per_group is not None:
            rel = domain.relationship(self.per_group.hop.relationship)
            if rel.cardinality is not Cardinality.MANY_TO_ONE or not self.per_group.hop.forward:
                raise ValueError("per_group walks an N:1 relationship forward")
        for hop in self.hops:
            rel = domain.relationship(hop.relationship)
            if hop.variable and rel.source != rel.target:
                raise ValueError(f"a variable-length hop needs a relationship from an entity to itself, not {rel.name}")
            if hop.variable and any(ents[f.col.node].attribute(f.col.attribute).role not in (Role.KEY, Role.NAME)
                                    for f in self.filters):
                raise ValueError("a variable-length hop starts from one root known by its key or (unique) name")
        for col in self.columns():
            if col.edge:
                self.attribute(domain, col)
            else:
                ents[col.node].attribute(col.attribute)
        for item in self.select:
            if isinstance(item, Case) and self.attribute(domain, item.col).role is not Role.NUMBER:
                raise ValueError("a band sorts a number")
            if isinstance(item, Concat) and any(
                    self.attribute(domain, c).role not in (Role.NAME, Role.CATEGORY, Role.TEXT)
                    for c in (item.first, item.second)):
                raise ValueError("a concatenation joins text columns")
        if self.without is not None:
            rel = domain.relationship(self.without.relationship)
            if (rel.source if self.without.forward else rel.target) != self.root:
                raise ValueError(f"anti-join hop {self.without} does not start at {self.root}")
        if self.per_group is not None:
            rel = domain.relationship(self.per_group.hop.relationship)
            if rel.cardinality is not Cardinality.MANY_TO_ONE or not self.per_group.hop.forward:
                raise ValueError("per_group walks an N:1 relationship forward")
            ents[0].attribute(self.per_group.attribute)
        if self.above_average is not None:
            attr = ents[0].attribute(self.above_average.attribute)
            if attr.role is not Role.NUMBER or self.above_average.node != 0:
                raise ValueError("above_average takes a numeric root attribute")
        for c in self.columns():
            if c.part is not None and self.attribute(domain, c).role is not Role.DATE:
                raise ValueError(f"the {c.part} of non-date {c}")
        for f in self.conditions:
            if f.op is Op.YEAR and self.attribute(domain, f.col).role is not Role.DATE:
                raise ValueError(f"the year of non-date {f.col}")
            if f.op is Op.CONTAINS and self.attribute(domain, f.col).role not in (Role.NAME, Role.TEXT):
                raise ValueError(f"a substring test on non-text {f.col}")
        for agg in self.aggregates + ((self.having.agg,) if self.having else ()):
            if agg.func in (Func.SUM, Func.AVG):
                attr = self.attribute(domain, agg.col)
                if attr.role is not Role.NUMBER:
                    raise ValueError(f"{agg.func.value} of non-numeric {agg.col}")
        return self

    def relationships(self, domain: Domain) -> list[Relationship]:
        return [domain.relationship(h.relationship) for h in self.path]

    # ------------------------------------------------------------------ labels
    def features(self) -> tuple[str, ...]:
        feats: list[str] = []
        ops = {f.op for f in self.conditions}
        if self.filters or self.either:
            feats.append("filter")
        if self.either:
            feats.append("or")
        if ops & {Op.LT, Op.LE, Op.GT, Op.GE, Op.NE}:
            feats.append("comparison")
        if Op.BETWEEN in ops:
            feats.append("range")
        if Op.IN in ops:
            feats.append("in")
        if Op.PREFIX in ops:
            feats.append("like")
        if ops & {Op.IS_NULL, Op.NOT_NULL}:
            feats.append("null")
        if ops & {Op.IS_TRUE, Op.IS_FALSE}:
            feats.append("flag")
        parts = {c.part for c in self.columns()}
        if Op.YEAR in ops or "year" in parts:
            feats.append("date_part")
        if "month" in parts:
            feats.append("date_format")
        if Op.CONTAINS in ops:
            feats.append("contains")
        if self.distinct:
            feats.append("distinct")
        funcs = {a.func for a in self.aggregates}
        if funcs & {Func.COUNT, Func.COUNT_DISTINCT}:
            feats.append("count")
        if Func.COUNT_DISTINCT in funcs:
            feats.append("count_distinct")
        if funcs & {Func.SUM, Func.AVG, Func.MIN, Func.MAX}:
            feats.append("aggregate")
        if Func.PERCENT in funcs:
            feats.append("percentage")
        if Func.PER in funcs:
            feats.append("ratio")
        if len(self.aggregates) > 1:
            feats.append("multi_aggregate")
        if self.group_by:
            feats.append("group_by")
        if len(self.group_by) > 1:
            feats.append("group_by_multi")
        if self.having is not None:
            feats.append("having")
        if self.order_by is not None or self.limit is not None:
            feats.append("order_limit")
        if len(self.hops) == 1:
            feats.append("join1")
        if len(self.hops) == 2:
            feats.append("join2")
        if len(self.hops) == 3:
            feats.append("join3")
        if any(h.variable for h in self.hops):
            feats.append("variable_length")
        if any(h.shortest for h in self.hops):
            feats.append("shortest_path")
        if self.setop is not None:
            feats += ["set_op", self.setop.kind]
        if self.order_by is not None and self.order_by.nulls is not None:
            feats.append("null_order")
        if any(isinstance(i, Concat) for i in self.select):
            feats.append("concat")
        if any(isinstance(i, Case) for i in self.select):
            feats.append("case")
        if funcs & {Func.AVG, Func.PERCENT, Func.PER}:
            feats.append("round")  # PostgreSQL's two-argument ROUND needs numeric; graphs scale around round()
        if Func.PER in funcs or any(c.part == "year" for c in self.columns()):
            feats.append("cast")  # ::numeric before a division of counts; toInteger() of a graph date's year
        if any(h.optional for h in self.hops):
            feats.append("optional")
        if self.without is not None:
            feats.append("anti_join")
        if self.above_average is not None:
            feats.append("nested")
        if self.per_group is not None:
            feats.append("topk_per_group")
        if any(f.col.edge for f in self.filters):
            feats.append("edge_filter")
        selected = [i.col if isinstance(i, (Agg, Case)) else i for i in self.select if not isinstance(i, Concat)]
        if any(c is not None and c.edge for c in selected):
            feats.append("edge_attr")
        if not feats:
            feats.append("projection")
        return tuple(feats)

    def points(self) -> int:
        pts = len(self.hops) + max(0, len(self.filters) - 1)
        pts += bool(self.aggregates) + bool(self.group_by) + (self.having is not None)
        pts += (self.order_by is not None or self.limit is not None) + (self.distinct and bool(self.hops))
        pts += 2 * (self.without is not None) + 2 * (self.above_average is not None)
        pts += 4 * (self.per_group is not None)
        pts += bool(self.edge_columns)
        pts += any(a.func in (Func.PERCENT, Func.PER) for a in self.aggregates)
        pts += 2 * any(h.variable for h in self.hops)
        pts += bool(self.either)
        pts += 2 * (self.setop is not None) + any(h.shortest for h in self.hops)
        pts += self.order_by is not None and self.order_by.nulls is not None
        pts += any(isinstance(i, Case) for i in self.select)
        return pts

    def difficulty(self) -> str:
        pts = self.points()
        if pts <= 1:
            return "easy"
        if pts <= 3:
            return "medium"
        if pts <= 5:
            return "hard"
        return "extra"

    # ------------------------------------------------------------------ serialisation
    def to_dict(self) -> dict:
        return {
            "root": self.root,
            "select": [_item_dict(i) for i in self.select],
            "hops": [_hop_dict(h) for h in self.hops],
            "filters": [_filter_dict(f) for f in self.filters],
            "distinct": self.distinct,
            "group_by": [_item_dict(c) for c in self.group_by],
            "having": None if self.having is None else {
                "agg": _item_dict(self.having.agg), "op": self.having.op.value,
                "value": _value_json(self.having.value)},
            "order_by": None if self.order_by is None else {
                "item": _item_dict(self.order_by.item), "descending": self.order_by.descending,
                **({"nulls": self.order_by.nulls} if self.order_by.nulls else {})},
            "limit": self.limit,
            "without": None if self.without is None else _hop_dict(self.without),
            "above_average": None if self.above_average is None else _col_dict(self.above_average),
            "per_group": None if self.per_group is None else {
                "hop": _hop_dict(self.per_group.hop), "attribute": self.per_group.attribute,
                "descending": self.per_group.descending, "k": self.per_group.k},
            **({"either": [_filter_dict(f) for f in self.either]} if self.either else {}),
            **({"setop": {"kind": self.setop.kind, "filters": [_filter_dict(f) for f in self.setop.filters]}}
               if self.setop else {}),
            "features": list(self.features()),
            "difficulty": self.difficulty(),
        }

    @classmethod
    def from_dict(cls, d: dict) -> "Query":
        """Inverse of :meth:`to_dict` (dates come back as ISO strings only where they were strings)."""
        def col(x):
            return Col(x["node"], x["attribute"], x.get("edge", False), x.get("part"))

        def filt(f):
            return Filter(col(f["col"]), Op(f["op"]), tuple(_value_back(v) for v in f["values"]))

        def item(x):
            if "case" in x:
                c = x["case"]
                return Case(col(c["col"]), _value_back(c["threshold"]), c["above"], c["below"])
            if "concat" in x:
                return Concat(col(x["concat"][0]), col(x["concat"][1]))
            if "func" in x:
                return Agg(Func(x["func"]), col(x["col"]) if x.get("col") else None,
                           filt(x["cond"]) if x.get("cond") else None)
            return col(x)

        def hop(x):
            return Hop(x["relationship"], x["forward"], x.get("max_length", 1), x.get("optional", False),
                       x.get("shortest", False))

        return cls(
            root=d["root"],
            select=tuple(item(i) for i in d["select"]),
            hops=tuple(hop(h) for h in d.get("hops", [])),
            filters=tuple(filt(f) for f in d.get("filters", [])),
            distinct=d.get("distinct", False),
            group_by=tuple(item(c) for c in d.get("group_by", [])),
            having=None if not d.get("having") else Having(
                item(d["having"]["agg"]), Op(d["having"]["op"]), _value_back(d["having"]["value"])),
            order_by=None if not d.get("order_by") else Order(item(d["order_by"]["item"]),
                                                               d["order_by"]["descending"],
                                                               d["order_by"].get("nulls")),
            limit=d.get("limit"),
            without=None if not d.get("without") else hop(d["without"]),
            above_average=None if not d.get("above_average") else col(d["above_average"]),
            per_group=None if not d.get("per_group") else PerGroup(
                hop(d["per_group"]["hop"]), d["per_group"]["attribute"], d["per_group"]["descending"],
                d["per_group"]["k"]),
            either=tuple(filt(f) for f in d.get("either", [])),
            setop=None if not d.get("setop") else SetOp(d["setop"]["kind"],
                                                        tuple(filt(f) for f in d["setop"]["filters"])),
        )


def _col_dict(c: Col) -> dict:
    if c.edge:  # written only when set, so dictionaries of node columns stay as they were
        return {"node": c.node, "attribute": c.attribute, "edge": True}
    if c.part is not None:
        return {"node": c.node, "attribute": c.attribute, "part": c.part}
    return {"node": c.node, "attribute": c.attribute}


def _hop_dict(h: Hop) -> dict:
    out = {"relationship": h.relationship, "forward": h.forward}
    if h.variable:  # written only when set, so dictionaries of ordinary hops stay as they were
        out["max_length"] = h.max_length
    if h.optional:
        out["optional"] = True
    if h.shortest:
        out["shortest"] = True
    return out


def _filter_dict(f: Filter) -> dict:
    return {"col": _col_dict(f.col), "op": f.op.value, "values": [_value_json(v) for v in f.values]}


def _item_dict(i: Item) -> dict:
    if isinstance(i, Case):
        return {"case": {"col": _col_dict(i.col), "threshold": _value_json(i.threshold), "above": i.above,
                         "below": i.below}}
    if isinstance(i, Concat):
        return {"concat": [_col_dict(i.first), _col_dict(i.second)]}
    if isinstance(i, Agg) and i.cond is not None:  # written only when set, so other aggregates stay as they were
        return {"func": i.func.value, "col": None, "cond": _filter_dict(i.cond)}
    if isinstance(i, Agg):
        return {"func": i.func.value, "col": None if i.col is None else _col_dict(i.col)}
    return _col_dict(i)


def _value_json(v: Value) -> Any:
    if isinstance(v, _dt.date):
        return {"date": v.isoformat()}
    if isinstance(v, _decimal.Decimal):
        return {"decimal": str(v)}
    return v


def _value_back(v: Any) -> Value:
    if isinstance(v, dict) and "date" in v:
        return _dt.date.fromisoformat(v["date"])
    if isinstance(v, dict) and "decimal" in v:
        return _decimal.Decimal(v["decimal"])
    return v


#: Every feature label :meth:`Query.features` can produce.
ALL_FEATURES: tuple[str, ...] = (
    "projection", "filter", "comparison", "range", "in", "like", "null", "flag", "distinct", "count",
    "count_distinct", "aggregate", "group_by", "having", "order_limit", "join1", "join2", "anti_join", "nested",
    "topk_per_group", "edge_filter", "edge_attr", "date_part", "contains", "percentage", "multi_aggregate",
    "date_format", "variable_length", "ratio", "join3", "optional", "group_by_multi", "or",
    "shortest_path", "set_op", "union", "intersect", "except", "null_order", "concat", "round", "cast", "case",
)

#: Features whose constructs each dialect writes in its own idiom (the data card counts their questions).
DIALECT_FEATURES: tuple[str, ...] = ("date_part", "date_format", "contains", "flag", "percentage", "ratio",
                                     "variable_length", "shortest_path", "union", "intersect", "except",
                                     "null_order", "concat", "round", "cast")
