"""What every per-dialect compiler shares: the base class, variable naming and value helpers.

The base class also writes aggregates and filter conditions from the IR; a dialect supplies the syntax that
differs (function names, rounding, ranges, IN lists, prefix tests, operators, literals) through small hooks.

A compiler turns one :class:`momq.bench.ir.Query` over a domain into the text of one query in its dialect,
following the naming contract of ``momq.bench.project``. Compilers never execute anything and do not decide
whether a query is worth asking (``momq.bench.sample`` does).
"""

from __future__ import annotations

import abc
import decimal as _decimal
from typing import ClassVar

from momq.bench.er import Attribute, Domain, Entity, Role
from momq.bench.ir import Agg, Case, Col, Concat, Filter, Func, Op, Query


def initials(name: str) -> str:
    """``employee`` -> ``e``; ``order_item`` -> ``oi``."""
    return "".join(part[0] for part in name.split("_") if part) or "x"


#: Short words that are keywords in at least one dialect, never used as aliases or variables.
ALIAS_KEYWORDS = frozenset("""
add all and any as asc at by case desc div do else end exists for from if in is join key like limit match
merge mod no nor not null of on or order over row rows set then to top union use when with xor yes
""".split())


def unique_names(bases: list[str], taken: set[str] | None = None) -> list[str]:
    """Make short variable names unique by numbering repeats (e, d, e2) and keep them off keywords (do -> do2)."""
    taken = set(taken or ()) | ALIAS_KEYWORDS
    out = []
    for base in bases:
        name, i = base, 1
        while name in taken:
            i += 1
            name = f"{base}{i}"
        taken.add(name)
        out.append(name)
    return out


def implicit_filters(query: Query, ents: list[Entity]) -> tuple[Filter, ...]:
    """The query's filters plus the NOT NULL tests that ordering by a nullable attribute implies.

    NULLs sort differently across engines, so a ranked attribute never includes unknown values.
    """
    extra: list[Filter] = []
    order = query.order_by
    if order is not None and isinstance(order.item, Col) and order.nulls is None:
        col = order.item
        if ents[col.node].attribute(col.attribute).nullable:
            extra.append(Filter(col, Op.NOT_NULL))
    if query.per_group is not None and ents[0].attribute(query.per_group.attribute).nullable:
        extra.append(Filter(Col(0, query.per_group.attribute), Op.NOT_NULL))
    present = set(query.filters)
    return query.filters + tuple(f for f in extra if f not in present)


def rounds(agg: Agg, ents: list[Entity]) -> bool:
    """Averages are rounded to 2 decimals in every dialect: engines return them with different precisions
    (MariaDB keeps 4 extra digits, PostgreSQL NUMERIC many, graph engines a double)."""
    return agg.func is Func.AVG


def number_text(value) -> str:
    if isinstance(value, bool):
        raise TypeError("booleans are not numbers here")
    if isinstance(value, _decimal.Decimal):
        text = format(value.normalize(), "f")
        return text
    if isinstance(value, float):
        return repr(value)
    return str(int(value))


class Compiler(abc.ABC):
    """Compiles IR queries for one domain into one dialect."""

    dialect: ClassVar[str]
    #: aggregate function names (COUNT_DISTINCT is written with the COUNT name: ``count(DISTINCT x)``)
    functions: ClassVar[dict[Func, str]]

    def __init__(self, domain: Domain):
        self.domain = domain

    @abc.abstractmethod
    def compile(self, query: Query) -> str:
        """The query text (no trailing semicolon)."""

    # ----------------------------------------------------------------- dialect hooks
    @abc.abstractmethod
    def col(self, c: Col) -> str:
        """A reference to a node's attribute in the query being compiled."""

    @abc.abstractmethod
    def literal(self, value) -> str:
        """A literal for a filter or HAVING value."""

    @abc.abstractmethod
    def op_text(self, op: Op) -> str:
        """A comparison operator."""

    @abc.abstractmethod
    def round2(self, text: str) -> str:
        """An aggregate rounded to 2 decimals."""

    @abc.abstractmethod
    def between(self, c: str, low: str, high: str) -> str:
        """An inclusive range test of ``c`` between two literals."""

    @abc.abstractmethod
    def in_list(self, c: str, values: list[str]) -> str:
        """A membership test of ``c`` in a list of literals."""

    @abc.abstractmethod
    def prefix(self, c: str, text: str) -> str:
        """A test that ``c`` starts with the (unquoted) ``text``."""

    @abc.abstractmethod
    def contains(self, c: str, text: str) -> str:
        """A case-insensitive test that ``c`` contains the (unquoted, lower-case) ``text``."""

    @abc.abstractmethod
    def year_equals(self, c: str, year: int) -> str:
        """A test that the calendar year of the date ``c`` is ``year``."""

    @abc.abstractmethod
    def date_part(self, c: str, part: str) -> str:
        """The ``part`` (``year``: a number; ``month``: 'YYYY-MM' text) of the date ``c``."""

    @abc.abstractmethod
    def percent(self, cond: str) -> str:
        """The percentage of the rows (of the group) meeting the condition ``cond``, rounded to one decimal."""

    @abc.abstractmethod
    def per(self, rows: str, groups: str) -> str:
        """The count ``rows`` divided by the count ``groups``, rounded to two decimals."""

    @abc.abstractmethod
    def concat(self, parts: list[str]) -> str:
        """Text expressions (columns and quoted literals, already written) joined into one text."""

    @abc.abstractmethod
    def nulls_order(self, c: str, descending: bool, nulls: str) -> list[str]:
        """ORDER BY terms ranking ``c`` with its unknown values placed ``nulls`` ("first"/"last")."""

    def concat_item(self, item: Concat) -> str:
        """'first (second)' as one text."""
        return self.concat([self.col(item.first), self.string(" ("), self.col(item.second), self.string(")")])

    def flag(self, c: str, value: bool) -> str:
        """A test that the boolean ``c`` is ``value``."""
        return f"{c} {self.op_text(Op.EQ)} {self.literal(value)}"

    # ----------------------------------------------------------------- shared pieces
    def agg(self, a: Agg, rounded: bool = True) -> str:
        count = self.functions[Func.COUNT]
        if a.func is Func.PERCENT:
            return self.percent(self.condition(a.cond))
        if a.func is Func.PER:
            return self.per(f"{count}(*)", f"{count}(DISTINCT {self.col(a.col)})")
        if a.col is None:
            text = f"{count}(*)"
        elif a.func is Func.COUNT_DISTINCT:
            text = f"{count}(DISTINCT {self.col(a.col)})"
        else:
            text = f"{self.functions[a.func]}({self.col(a.col)})"
        if rounded and rounds(a, self._ents):
            text = self.round2(text)
        return text

    def case_item(self, item: Case) -> str:
        """The band of a number: the same CASE expression in every dialect (with its own operators and quotes)."""
        c = self.col(item.col)
        return (f"CASE WHEN {c} {self.op_text(Op.GE)} {self.literal(item.threshold)} THEN {self.string(item.above)} "
                f"ELSE {self.string(item.below)} END")

    def item(self, i) -> str:
        if isinstance(i, Case):
            return self.case_item(i)
        if isinstance(i, Concat):
            return self.concat_item(i)
        return self.agg(i) if isinstance(i, Agg) else self.col(i)

    def condition(self, f: Filter) -> str:
        c = self.col(f.col)
        op = f.op
        if op in (Op.EQ, Op.NE, Op.LT, Op.LE, Op.GT, Op.GE):
            return f"{c} {self.op_text(op)} {self.literal(f.values[0])}"
        if op is Op.BETWEEN:
            return self.between(c, self.literal(f.values[0]), self.literal(f.values[1]))
        if op is Op.IN:
            return self.in_list(c, [self.literal(v) for v in f.values])
        if op is Op.PREFIX:
            return self.prefix(c, f.values[0])
        if op is Op.IS_NULL:
            return f"{c} IS NULL"
        if op is Op.NOT_NULL:
            return f"{c} IS NOT NULL"
        if op is Op.IS_TRUE:
            return self.flag(c, True)
        if op is Op.IS_FALSE:
            return self.flag(c, False)
        if op is Op.CONTAINS:
            return self.contains(c, f.values[0])
        if op is Op.YEAR:
            return self.year_equals(c, f.values[0])
        raise AssertionError(op)

    def disjunction(self, query: Query) -> list[str]:
        """The query's OR conditions as one parenthesised condition (none when it has none)."""
        if not query.either:
            return []
        return ["(" + " OR ".join(self.condition(f) for f in query.either) + ")"]

    def entities(self, query: Query) -> list[Entity]:
        self._query = query
        return query.check(self.domain).entities(self.domain)

    def attribute(self, c: Col) -> Attribute:
        """The entity or relationship attribute a column of the query being compiled refers to."""
        return self._query.attribute(self.domain, c)

    @staticmethod
    def name_filter(query: Query, ents: list[Entity]) -> Filter | None:
        """The filter that names the root by its (unique) name, if that is the only root filter."""
        root_filters = [f for f in query.filters if f.col.node == 0]
        name = ents[0].name_attribute
        if len(root_filters) == 1 and name is not None:
            f = root_filters[0]
            if f.op is Op.EQ and not f.col.edge and f.col.attribute == name.name:
                return f
        return None

    @staticmethod
    def key_filter(query: Query, ents: list[Entity]) -> Filter | None:
        """The filter that pins the root to one known instance by its key, if that is the only root filter."""
        root_filters = [f for f in query.filters if f.col.node == 0]
        if len(root_filters) == 1:
            f = root_filters[0]
            if f.op is Op.EQ and ents[0].attribute(f.col.attribute).role is Role.KEY:
                return f
        return None
