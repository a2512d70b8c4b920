"""Cypher (Neo4j): MATCH patterns with labels, relationship types and directions, WITH for staged queries.

:class:`PatternCompiler` holds the pattern-query logic that nGQL's MATCH shares; the dialect hooks are property
access, string literals, the equality operator, how a known instance is pinned, and whether ORDER BY may use
expressions (Cypher) or only returned column names (NebulaGraph). A hop whose relationship attributes the query
reads binds a relationship variable (``-[wo:WORKS_ON]->``, initials of the relationship) and reads ``wo.attr``
in both dialects; other hops stay anonymous. A variable-length hop is ``-[:R*1..N]->`` on a named path, an
optional hop an ``OPTIONAL MATCH`` after the root's MATCH and WHERE. Dates are ISO strings in our graphs, so
their year and month are string prefixes; percentages count a ``CASE`` without ``ELSE``; rounding scales by
10 or 100 around one-argument ``round`` (FalkorDB has no ``round(x, n)``). It emits read-only queries only and
relies on no engine-specific procedure or function (no APOC).
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import decimal as _decimal

from momq.bench.er import Entity
from momq.bench.ir import Case, Col, Concat, Func, Hop, Op, Query
from momq.bench.compilers.base import Compiler, implicit_filters, initials, number_text, unique_names


class PatternCompiler(Compiler):
    eq_op = "="
    functions = {Func.COUNT: "count", Func.COUNT_DISTINCT: "count", Func.SUM: "sum", Func.AVG: "avg",
                 Func.MIN: "min", Func.MAX: "max"}
    #: whether ORDER BY may name expressions (True) or only returned/WITH column names (False)
    order_by_expressions = True
    #: the keyword joining two queries for each set operation the dialect writes as one (the others are written
    #: as a second MATCH or an OPTIONAL MATCH that finds nothing)
    set_keywords: dict[str, str] = {"union": "UNION"}

    # ----------------------------------------------------------------- dialect hooks
    def prop(self, var: str, ent: Entity, attr: str) -> str:
        return f"{var}.{attr}"

    def string(self, text: str) -> str:
        if "'" in text and '"' not in text:
            return '"' + text.replace("\\", "\\\\") + '"'
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"

    def node(self, var: str, ent: Entity, key_value=None) -> str:
        if key_value is None:
            return f"({var}:{ent.label})"
        return f"({var}:{ent.label} {{{ent.key.name}: {self.literal(key_value)}}})"

    def key_condition(self, var: str, ent: Entity, value) -> str | None:
        """A WHERE condition pinning a node by key, or None when :meth:`node` already does."""
        return None

    # ----------------------------------------------------------------- literals
    def literal(self, value) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, str):
            return self.string(value)
        if isinstance(value, _dt.date):
            return self.string(value.isoformat())  # graph dates are ISO strings
        if isinstance(value, _decimal.Decimal):
            return repr(float(value))  # graph decimals are floats
        if isinstance(value, (int, float)):
            return number_text(value)
        raise TypeError(f"no literal for {value!r}")

    # ----------------------------------------------------------------- pieces
    def col(self, c: Col) -> str:
        if c.edge:  # edge properties are read on the relationship variable in both Cypher and nGQL MATCH
            return f"{self._edge_vars[c.node - 1]}.{c.attribute}"
        text = self.prop(self._vars[c.node], self._ents[c.node], c.attribute)
        return text if c.part is None else self.date_part(text, c.part)

    def date_part(self, c: str, part: str) -> str:
        # graph dates are ISO strings 'YYYY-MM-DD': the year is their first four characters, the month seven
        return f"toInteger(left({c}, 4))" if part == "year" else f"left({c}, 7)"

    def _bind_edges(self, query: Query) -> None:
        """Name the relationship of every hop whose attributes the query reads (and only those)."""
        read = sorted({c.node - 1 for c in query.edge_columns})
        names = unique_names([initials(query.hops[i].relationship) for i in read], set(self._vars))
        self._edge_vars = dict(zip(read, names))

    def round2(self, text: str) -> str:
        # round(x, 2) is Neo4j-only (FalkorDB's round takes one argument): scale, round, scale back
        return f"round({text} * 100) / 100.0"

    def percent(self, cond: str) -> str:
        # count() skips the NULL of an unmatched CASE; one decimal with the same scaling as round2
        return f"round(1000.0 * count(CASE WHEN {cond} THEN 1 END) / count(*)) / 10.0"

    def per(self, rows: str, groups: str) -> str:
        # count / count is an integer division here too: a float factor first
        return f"round(100.0 * {rows} / {groups}) / 100.0"

    def alias(self, i) -> str:
        return self._alias[i]

    def _make_aliases(self, query: Query) -> None:
        names: dict = {}
        used: set[str] = set()
        cols = [i for i in query.select if isinstance(i, Col)]
        clash = {c.attribute for c in cols if sum(d.attribute == c.attribute for d in cols) > 1}
        items = list(query.select)
        if query.having is not None and query.having.agg not in items:
            items.append(query.having.agg)
        for i in items:
            if isinstance(i, Concat):
                base = f"{i.first.attribute}_{i.second.attribute}"
            elif isinstance(i, Case):
                base = f"{i.col.attribute}_band"
            elif isinstance(i, Col) and i.edge:
                rel = query.hops[i.node - 1].relationship
                base = f"{rel}_{i.attribute}" if i.attribute in clash else i.attribute
            elif isinstance(i, Col) and i.part is not None:
                base = f"{i.attribute}_{i.part}"
            elif isinstance(i, Col):
                base = f"{self._ents[i.node].name}_{i.attribute}" if i.attribute in clash else i.attribute
            elif i.func is Func.PERCENT:
                base = f"percent_{i.cond.col.attribute}"
            elif i.func is Func.HOPS:
                base = "hops"
            elif i.func is Func.PER:
                base = "per_" + self._ents[i.col.node].name
            elif i.col is None:
                base = "num_" + self._ents[0].plural.replace(" ", "_").replace("-", "_")
                base = "".join(ch for ch in base if ch.isalnum() or ch == "_")
            else:
                func = "count_distinct" if i.func is Func.COUNT_DISTINCT else i.func.value
                base = f"{func}_{i.col.attribute}"
            names[i] = unique_names([base], used)[0]
            used.add(names[i])
        self._alias = names

    def op_text(self, op: Op) -> str:
        return {Op.EQ: self.eq_op, Op.NE: "<>"}.get(op, op.value)

    def between(self, c: str, low: str, high: str) -> str:
        return f"{c} >= {low} AND {c} <= {high}"

    def in_list(self, c: str, values: list[str]) -> str:
        return f"{c} IN [{', '.join(values)}]"

    def prefix(self, c: str, text: str) -> str:
        return f"{c} STARTS WITH {self.string(text)}"

    #: the lower-casing function of the dialect
    lower_function = "toLower"

    def contains(self, c: str, text: str) -> str:
        return f"{self.lower_function}({c}) CONTAINS {self.string(text)}"

    def year_equals(self, c: str, year: int) -> str:
        # graph dates are ISO strings 'YYYY-MM-DD': the year is their first four characters
        return f"{c} STARTS WITH {self.string(f'{int(year):04d}')}"

    def edge(self, hop: Hop, var: str = "") -> str:
        rel = self.domain.relationship(hop.relationship)
        length = f"*1..{hop.max_length}" if hop.variable else ""
        return (f"-[{var}:{rel.edge_type}{length}]->" if hop.forward
                else f"<-[{var}:{rel.edge_type}{length}]-")

    def pattern(self, query: Query, path: tuple[Hop, ...], pinned: dict[int, object]) -> str:
        parts = [self.node(self._vars[0], self._ents[0], pinned.get(0))]
        for i, hop in enumerate(path, start=1):
            parts.append(self.edge(hop, self._edge_vars.get(i - 1, "")))
            parts.append(self.node(self._vars[i], self._ents[i], pinned.get(i)))
        if any(h.variable for h in path):
            # a named path: FalkorDB 4.16 returns wrong end nodes for an unnamed *1..N pattern (it merges paths
            # whose ends it does not need to tell apart); Neo4j reads both forms the same
            return unique_names(["p"], set(self._vars))[0] + " = " + "".join(parts)
        return "".join(parts)

    def _split_filters(self, query: Query) -> tuple[dict[int, object], list[str]]:
        """Key equality filters become pinned nodes; the rest become WHERE conditions."""
        pinned: dict[int, object] = {}
        conds: list[str] = []
        for f in implicit_filters(query, self._ents):
            ent = self._ents[f.col.node]
            if f.op is Op.EQ and not f.col.edge and f.col.attribute == ent.key.name and f.col.node not in pinned:
                pinned[f.col.node] = f.values[0]
                extra = self.key_condition(self._vars[f.col.node], ent, f.values[0])
                if extra:
                    conds.append(extra)
            else:
                conds.append(self.condition(f))
        return pinned, conds + self.disjunction(query)

    # ----------------------------------------------------------------- compile
    def compile(self, query: Query) -> str:
        if query.setop is not None and query.setop.kind in self.set_keywords:
            # each side returns its different values: UNION removes repeats, NebulaGraph's INTERSECT and MINUS keep them
            left = dataclasses.replace(query, setop=None, distinct=query.setop.kind != "union")
            right = dataclasses.replace(left, filters=query.setop.filters)
            return f"{self.compile(left)}\n{self.set_keywords[query.setop.kind]}\n{self.compile(right)}"
        ents = self.entities(query)
        self._ents = ents
        self._vars = unique_names([initials(e.name) for e in ents])
        self._bind_edges(query)
        self._make_aliases(query)
        if query.setop is not None:
            return self._setop(query)
        if query.hops and query.hops[0].shortest:
            return self._shortest(query)
        if query.per_group is not None:
            return self._per_group(query)
        if query.without is not None:
            return self._anti(query)
        pinned, conds = self._split_filters(query)
        lines = []
        if query.above_average is not None:
            ent = ents[0]
            other = unique_names([self._vars[0]], set(self._vars))[0]
            attr = self.prop(other, ent, query.above_average.attribute)
            lines.append(f"MATCH ({other}:{ent.label})")
            lines.append(f"WITH avg({attr}) AS average")
            conds.append(f"{self.col(query.above_average)} > average")
        if query.hops and query.hops[0].optional:
            # the root is matched (and filtered) first; the neighbour is optional, NULL where there is none
            lines.append("MATCH " + self.node(self._vars[0], self._ents[0], pinned.get(0)))
            if conds:
                lines.append("WHERE " + " AND ".join(conds))
            lines.append(f"OPTIONAL MATCH ({self._vars[0]}){self.edge(query.hops[0])}"
                         + self.node(self._vars[1], self._ents[1]))
            lines += self._projection(query)
            return "\n".join(lines)
        lines.append("MATCH " + self.pattern(query, query.hops, pinned))
        if conds:
            lines.append("WHERE " + " AND ".join(conds))
        lines += self._projection(query)
        return "\n".join(lines)

    def _returns(self, items, distinct: bool = False) -> str:
        return ("RETURN DISTINCT " if distinct else "RETURN ") + ", ".join(
            f"{self.item(i)} AS {self.alias(i)}" for i in items)

    def _projection(self, query: Query) -> list[str]:
        lines: list[str] = []
        if query.having is not None:
            h = query.having
            with_items = list(query.select) + ([h.agg] if h.agg not in query.select else [])
            hv = self._alias[h.agg]
            having_text = self.agg(h.agg, rounded=False)
            lines.append("WITH " + ", ".join(
                f"{having_text if i == h.agg else self.item(i)} AS {self.alias(i)}" for i in with_items))
            lines.append(f"WHERE {hv} {self.op_text(h.op)} {self.literal(h.value)}")
            lines.append("RETURN " + ", ".join(self.alias(i) for i in query.select))
            lines += self._order(query)
            return lines
        if (query.order_by is not None and not query.aggregates and not self.order_by_expressions
                and query.order_by.item in query.select and query.order_by.nulls is None):
            # ORDER BY may only name returned columns: rank on the returned value (the sampler keeps only
            # queries without ties among the ranked rows, so no key tie-breaker is needed)
            lines.append(self._returns(query.select, query.distinct))
            o = query.order_by
            lines.append(f"ORDER BY {self.alias(o.item)}" + (" DESC" if o.descending else ""))
            if query.limit is not None:
                lines.append(f"LIMIT {query.limit}")
            return lines
        if query.order_by is not None and not query.aggregates and not self.order_by_expressions:
            # ORDER BY may only name columns: stage the ranked values and keys in a WITH
            keys = [Col(i, e.key.name) for i, e in enumerate(self._ents)]
            staged = list(query.select)
            order_item = query.order_by.item
            extra = [c for c in [order_item] + keys if c not in staged]
            names = dict(self._alias)
            used = set(names.values())
            for c in extra:
                names[c] = unique_names([f"{self._vars[c.node]}_{c.attribute}"], used)[0]
                used.add(names[c])
            staged_text = [f"{self.item(i)} AS {names[i]}" for i in staged + extra]
            terms = [names[order_item] + (" DESC" if query.order_by.descending else "")]
            nulls = query.order_by.nulls
            if nulls is not None:  # the unknown test is a staged column too
                missing = unique_names(["unknown"], used)[0]
                staged_text.append(f"{self.item(order_item)} IS NULL AS {missing}")
                terms.insert(0, missing + (" DESC" if nulls == "first" else ""))
            lines.append("WITH " + ", ".join(staged_text))
            terms += [names[k] for k in keys if k != order_item]
            lines.append("ORDER BY " + ", ".join(terms))
            if query.limit is not None:
                lines.append(f"LIMIT {query.limit}")
            lines.append("RETURN " + ", ".join(f"{names[i]} AS {self.alias(i)}"
                                               if names[i] != self.alias(i) else names[i] for i in query.select))
            return lines
        lines.append(self._returns(query.select, query.distinct))
        lines += self._order(query)
        return lines

    def _order(self, query: Query) -> list[str]:
        lines = []
        if query.order_by is not None:
            o = query.order_by
            if o.nulls is not None:  # no NULLS FIRST/LAST: order by the unknown test first
                terms = self.nulls_order(self.item(o.item), o.descending, o.nulls)
                terms += [self.col(Col(i, e.key.name)) for i, e in enumerate(self._ents)]
            elif query.aggregates:
                first = self.alias(o.item)
                terms = [first + (" DESC" if o.descending else "")]
                terms += [self.alias(c) for c in query.group_by if self.alias(c) != first]
            else:
                first = self.alias(o.item) if o.item in query.select else self.item(o.item)
                terms = [first + (" DESC" if o.descending else "")]
                terms += [self.col(Col(i, e.key.name)) for i, e in enumerate(self._ents)]
            lines.append("ORDER BY " + ", ".join(terms))
        if query.limit is not None:
            lines.append(f"LIMIT {query.limit}")
        return lines

    def concat(self, parts: list[str]) -> str:
        return " + ".join(parts)

    def nulls_order(self, c: str, descending: bool, nulls: str) -> list[str]:
        # false sorts before true: 'c IS NULL' puts unknown values last, 'c IS NULL DESC' first
        return [f"{c} IS NULL" + (" DESC" if nulls == "first" else ""), c + (" DESC" if descending else "")]

    # ----------------------------------------------------------------- special shapes
    def _setop(self, query: Query) -> str:
        """INTERSECT as a second MATCH of the same path, EXCEPT as an OPTIONAL MATCH that finds nothing, UNION
        (where the dialect has no UNION) as one MATCH under either side's conditions."""
        so = query.setop
        r, b = self._vars[0], self._vars[1]
        hop = query.hops[0]
        left = " AND ".join(self.condition(f) for f in query.filters)
        b2 = unique_names([b], set(self._vars))[0]
        lines = ["MATCH " + self.pattern(query, query.hops, {})]
        self._vars = [r, b2]
        right = " AND ".join(self.condition(f) for f in so.filters)
        self._vars = [r, b]
        lines.append("WHERE " + left)
        other = f"({r}){self.edge(hop)}{self.node(b2, self._ents[1])}"
        if so.kind == "union":
            either = " AND ".join(self.condition(f) for f in so.filters)
            return "\n".join([lines[0], f"WHERE ({left}) OR ({either})",
                              self._returns(query.select, True)])
        if so.kind == "intersect":
            lines += [f"MATCH {other}", "WHERE " + right]
        else:
            lines += [f"OPTIONAL MATCH {other}", "WHERE " + right,
                      f"WITH {r}, count({b2}) AS matches", f"WHERE matches {self.eq_op} 0"]
        lines.append(self._returns(query.select, True))
        return "\n".join(lines)

    def _shortest(self, query: Query) -> str:
        """The length of the shortest walk between two known entities (``shortestPath`` in a WITH, the form both
        Neo4j and FalkorDB accept)."""
        start = next(f for f in query.filters if f.col.node == 0)
        end = next(f for f in query.filters if f.col.node == 1)
        a, b = self._vars
        p = unique_names(["p"], set(self._vars))[0]

        def pinned(var, ent, f):
            return f"({var}:{ent.label} {{{f.col.attribute}: {self.literal(f.values[0])}}})"

        return "\n".join([
            f"MATCH {pinned(a, self._ents[0], start)}, {pinned(b, self._ents[1], end)}",
            f"WITH shortestPath(({a}){self.edge(query.hops[0])}({b})) AS {p}",
            f"RETURN length({p}) AS {self.alias(query.select[0])}",
        ])

    def _anti(self, query: Query) -> str:
        pinned, conds = self._split_filters(query)
        hop = query.without
        rel = self.domain.relationship(hop.relationship)
        other = self.domain.entity(rel.target if hop.forward else rel.source)
        conds.append(f"NOT ({self._vars[0]}){self.edge(hop)}(:{other.label})")
        lines = ["MATCH " + self.node(self._vars[0], self._ents[0], pinned.get(0)), "WHERE " + " AND ".join(conds)]
        lines.append(self._returns(query.select, query.distinct))
        lines += self._order(query)
        return "\n".join(lines)

    def _per_group(self, query: Query) -> str:
        pg = query.per_group
        pinned, conds = self._split_filters(query)
        r, g = self._vars[0], self._vars[1]
        lines = ["MATCH " + self.pattern(query, (pg.hop,), pinned)]
        if conds:
            lines.append("WHERE " + " AND ".join(conds))
        lines += self._per_group_rank(query, r, g)
        lines.append(f"WITH {g}, collect({r})[..{pg.k}] AS top")
        lines.append(f"UNWIND top AS {r}")
        lines.append(self._returns(query.select))
        return "\n".join(lines)

    def _per_group_rank(self, query: Query, r: str, g: str) -> list[str]:
        pg = query.per_group
        root = self._ents[0]
        direction = " DESC" if pg.descending else ""
        return [f"WITH {g}, {r} ORDER BY {self.prop(r, root, pg.attribute)}{direction}, "
                f"{self.prop(r, root, root.key.name)}"]


class CypherCompiler(PatternCompiler):
    dialect = "cypher"
