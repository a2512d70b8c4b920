"""The relational compiler shared by MySQL and PostgreSQL: SELECT with joins, NOT EXISTS, subqueries, windows.

The two dialects differ in identifier quoting, string-literal escaping and their idioms (date literals, date
parts, boolean tests, case-insensitive matching, rounding), which the subclasses in ``mysql.py`` and
``postgresql.py`` define. Single-table queries use bare column names; joins use short table
aliases (initials of the table name). It does not handle dialect features the IR does not need.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import decimal as _decimal

from momq.bench.er import Cardinality, Entity, Relationship
from momq.bench.ir import Col, Func, Hop, Op, Query
from momq.bench.compilers.base import Compiler, implicit_filters, initials, number_text, unique_names


class SqlCompiler(Compiler):
    #: lower-case words that must be quoted when used as identifiers
    reserved: frozenset[str] = frozenset()
    quote_char: str = '"'
    functions = {Func.COUNT: "COUNT", Func.COUNT_DISTINCT: "COUNT", Func.SUM: "SUM", Func.AVG: "AVG",
                 Func.MIN: "MIN", Func.MAX: "MAX"}

    # ----------------------------------------------------------------- literals and names
    def ident(self, name: str) -> str:
        if name.lower() in self.reserved:
            return f"{self.quote_char}{name}{self.quote_char}"
        return name

    def string(self, text: str) -> str:
        return "'" + text.replace("'", "''") + "'"

    def literal(self, value) -> str:
        if isinstance(value, bool):
            return "TRUE" if value else "FALSE"
        if isinstance(value, str):
            return self.string(value)
        if isinstance(value, _dt.date):
            return f"'{value.isoformat()}'"
        if isinstance(value, (int, float, _decimal.Decimal)):
            return number_text(value)
        raise TypeError(f"no SQL literal for {value!r}")

    # ----------------------------------------------------------------- compile
    def compile(self, query: Query) -> str:
        if query.setop is not None:  # two SELECTs over the same path, combined by the set operation
            left = dataclasses.replace(query, setop=None)
            right = dataclasses.replace(left, filters=query.setop.filters)
            return f"{self.compile(left)}\n{query.setop.kind.upper()}\n{self.compile(right)}"
        ents = self.entities(query)
        if query.per_group is not None:
            return self._per_group(query, ents)
        if query.hops and query.hops[0].variable:
            return self._reach(query, ents)
        single = len(ents) == 1 and query.without is None
        self._aliases = [None] if single else self._alias_nodes(ents)
        self._junctions = self._junction_aliases(query)
        self._ents = ents
        lines = []
        items = ", ".join(self.item(i) for i in query.select)
        lines.append(f"SELECT {'DISTINCT ' if query.distinct else ''}{items}")
        lines.append(f"FROM {self.table_ref(ents[0].name, self._aliases[0])}")
        lines += self._joins(query, ents)
        conds = [self.condition(f) for f in implicit_filters(query, ents)] + self.disjunction(query)
        if query.without is not None:
            conds.append(self._anti(query.without, ents[0]))
        if query.above_average is not None:
            attr = self.ident(query.above_average.attribute)
            conds.append(f"{self.col(query.above_average)} > (SELECT AVG({attr}) FROM {self.ident(ents[0].name)})")
        if conds:
            lines.append("WHERE " + " AND ".join(conds))
        if query.group_by:
            lines.append("GROUP BY " + ", ".join(self.item(c) for c in query.group_by))
        if query.having is not None:
            h = query.having
            lines.append(f"HAVING {self.agg(h.agg, rounded=False)} {self.op_text(h.op)} {self.literal(h.value)}")
        if query.order_by is not None:
            lines.append("ORDER BY " + ", ".join(self._order_terms(query, ents)))
        if query.limit is not None:
            lines.append(f"LIMIT {query.limit}")
        return "\n".join(lines)

    def _alias_nodes(self, ents: list[Entity]) -> list[str]:
        return unique_names([initials(e.name) for e in ents])

    def table_ref(self, table: str, alias: str | None) -> str:
        return self.ident(table) if alias is None else f"{self.ident(table)} AS {alias}"

    def col(self, c: Col) -> str:
        if c.edge:  # a junction column: the junction table is joined under its own alias
            return f"{self._junctions[c.node - 1]}.{self.ident(c.attribute)}"
        alias = self._aliases[c.node]
        name = self.ident(c.attribute)
        text = name if alias is None else f"{alias}.{name}"
        return text if c.part is None else self.date_part(text, c.part)

    def round2(self, text: str) -> str:
        return f"ROUND({text}, 2)"

    @staticmethod
    def op_text(op: Op) -> str:
        return "<>" if op is Op.NE else op.value

    def between(self, c: str, low: str, high: str) -> str:
        return f"{c} BETWEEN {low} AND {high}"

    def in_list(self, c: str, values: list[str]) -> str:
        return f"{c} IN ({', '.join(values)})"

    def prefix(self, c: str, text: str) -> str:
        return f"{c} LIKE {self.string(_like_escape(text) + '%')}"

    def contains(self, c: str, text: str) -> str:
        return f"{c} {self.like_ci} {self.string('%' + _like_escape(text) + '%')}"

    def year_equals(self, c: str, year: int) -> str:
        return f"{self.year_of(c)} = {int(year)}"

    # ----------------------------------------------------------------- dialect idioms
    #: the operator of a case-insensitive LIKE
    like_ci: str = "LIKE"

    def year_of(self, c: str) -> str:
        """The calendar year of a date expression."""
        raise NotImplementedError

    def date_part(self, c: str, part: str) -> str:
        return self.year_of(c) if part == "year" else self.year_month(c)

    def year_month(self, c: str) -> str:
        """A date expression formatted as 'YYYY-MM' text."""
        raise NotImplementedError

    # ----------------------------------------------------------------- joins
    def _hop_join(self, hop: Hop, here: str, there: str, ents_here: Entity, ents_there: Entity,
                  junction_alias: str | None) -> list[str]:
        rel = self.domain.relationship(hop.relationship)
        q = self.ident
        join = "LEFT JOIN" if hop.optional else "JOIN"
        if rel.cardinality is Cardinality.MANY_TO_ONE:
            if hop.forward:  # here holds the foreign key
                return [f"{join} {self.table_ref(ents_there.name, there)} "
                        f"ON {there}.{q(ents_there.key.name)} = {here}.{q(rel.fk_column)}"]
            return [f"{join} {self.table_ref(ents_there.name, there)} "
                    f"ON {there}.{q(rel.fk_column)} = {here}.{q(ents_here.key.name)}"]
        near, far = (rel.source_column, rel.target_column) if hop.forward else (rel.target_column, rel.source_column)
        j = junction_alias
        return [f"{join} {self.table_ref(rel.name, j)} ON {j}.{q(near)} = {here}.{q(ents_here.key.name)}",
                f"{join} {self.table_ref(ents_there.name, there)} ON {there}.{q(ents_there.key.name)} = {j}.{q(far)}"]

    def _junction_aliases(self, query: Query) -> list[str | None]:
        """The alias of each hop's junction table (None for an N:1 hop), clear of the node aliases."""
        out: list[str | None] = []
        taken = set(self._aliases) - {None}
        for hop in query.hops:
            rel = self.domain.relationship(hop.relationship)
            j = None
            if rel.cardinality is Cardinality.MANY_TO_MANY:
                j = unique_names([initials(rel.name)], taken)[0]
                taken.add(j)
            out.append(j)
        return out

    def _joins(self, query: Query, ents: list[Entity]) -> list[str]:
        lines: list[str] = []
        for i, hop in enumerate(query.hops):
            lines += self._hop_join(hop, self._aliases[i], self._aliases[i + 1], ents[i], ents[i + 1],
                                    self._junctions[i])
        return lines

    def _anti(self, hop: Hop, root: Entity) -> str:
        rel: Relationship = self.domain.relationship(hop.relationship)
        q = self.ident
        here = self._aliases[0]
        if rel.cardinality is Cardinality.MANY_TO_ONE:
            if hop.forward:
                return f"{here}.{q(rel.fk_column)} IS NULL"
            other = self.domain.entity(rel.source)
            inner = unique_names([initials(other.name)], {here})[0]
            return (f"NOT EXISTS (SELECT 1 FROM {self.table_ref(other.name, inner)} "
                    f"WHERE {inner}.{q(rel.fk_column)} = {here}.{q(root.key.name)})")
        near = rel.source_column if hop.forward else rel.target_column
        inner = unique_names([initials(rel.name)], {here})[0]
        return (f"NOT EXISTS (SELECT 1 FROM {self.table_ref(rel.name, inner)} "
                f"WHERE {inner}.{q(near)} = {here}.{q(root.key.name)})")

    def _order_terms(self, query: Query, ents: list[Entity]) -> list[str]:
        order = query.order_by
        if order.nulls is not None:
            terms = self.nulls_order(self.item(order.item), order.descending, order.nulls)
        else:
            terms = [self.item(order.item) + (" DESC" if order.descending else "")]
        if query.aggregates:  # grouped: break ties by the group columns
            terms += [self.col(c) for c in query.group_by if self.col(c) != self.item(order.item)]
        else:  # rows: break ties by every node's key
            terms += [self.col(Col(i, e.key.name)) for i, e in enumerate(ents)]
        return terms

    # ----------------------------------------------------------------- variable-length hops
    def _reach(self, query: Query, ents: list[Entity]) -> str:
        """A recursive CTE of the entities reached in 1..N links from the known root (with their depth, so that
        it stops), joined back to the table for their columns or counted."""
        hop = query.hops[0]
        rel = self.domain.relationship(hop.relationship)
        ent = ents[0]
        q = self.ident
        table, key = q(ent.name), q(ent.key.name)
        start = self._pin(next(f for f in query.filters if f.col.node == 0), ent)
        n = hop.max_length
        if rel.cardinality is Cardinality.MANY_TO_ONE:
            fk = q(rel.fk_column)
            if hop.forward:  # up the foreign key: from a row to the row it points at
                seed = f"SELECT {fk}, 1 FROM {table} WHERE {key} = {start} AND {fk} IS NOT NULL"
                step = (f"SELECT x.{fk}, r.depth + 1 FROM reach AS r JOIN {table} AS x ON x.{key} = r.id "
                        f"WHERE r.depth < {n} AND x.{fk} IS NOT NULL")
            else:  # down the foreign key: the rows that point at the current ones
                seed = f"SELECT {key}, 1 FROM {table} WHERE {fk} = {start}"
                step = (f"SELECT x.{key}, r.depth + 1 FROM reach AS r JOIN {table} AS x ON x.{fk} = r.id "
                        f"WHERE r.depth < {n}")
        else:
            near, far = (rel.source_column, rel.target_column) if hop.forward else (rel.target_column,
                                                                                    rel.source_column)
            link = q(rel.name)
            seed = f"SELECT {q(far)}, 1 FROM {link} WHERE {q(near)} = {start}"
            step = (f"SELECT x.{q(far)}, r.depth + 1 FROM reach AS r JOIN {link} AS x ON x.{q(near)} = r.id "
                    f"WHERE r.depth < {n}")
        lines = ["WITH RECURSIVE reach (id, depth) AS (", f"  {seed}", "  UNION ALL", f"  {step}", ")"]
        if hop.shortest:  # the fewest links after which the walk reaches the known end
            end = next(f for f in query.filters if f.col.node == 1)
            lines.append("SELECT MIN(depth) AS hops")
            lines.append(f"FROM reach WHERE id = {self._pin(end, ents[1])}")
            return "\n".join(lines)
        if query.distinct:
            t = unique_names([initials(ent.name)], {"r", "x"})[0]
            self._ents, self._aliases, self._junctions = ents, [None, t], [None]
            lines.append("SELECT DISTINCT " + ", ".join(self.col(c) for c in query.select))
            lines.append(f"FROM reach AS r JOIN {table} AS {t} ON {t}.{key} = r.id")
        else:
            lines.append("SELECT COUNT(DISTINCT id)")
            lines.append("FROM reach")
        return "\n".join(lines)

    def _pin(self, f, ent: Entity) -> str:
        """The key of the entity a filter pins: its literal, or a subquery from its (unique) name."""
        if f.col.attribute == ent.key.name:
            return self.literal(f.values[0])
        q = self.ident
        return (f"(SELECT {q(ent.key.name)} FROM {q(ent.name)} WHERE {q(f.col.attribute)} = "
                f"{self.literal(f.values[0])})")

    # ----------------------------------------------------------------- top-k per group
    def _per_group(self, query: Query, ents: list[Entity]) -> str:
        pg = query.per_group
        rel = self.domain.relationship(pg.hop.relationship)
        root, group = ents[0], ents[1]
        r, g = unique_names([initials(root.name), initials(group.name)])
        q = self.ident
        self._ents = ents
        # inner query: bare columns of the root table
        self._aliases = [None, None]
        needed = []
        for c in query.select:
            if isinstance(c, Col) and c.node == 0 and c.attribute not in needed:
                needed.append(c.attribute)
        inner_cols = ", ".join(q(a) for a in needed + [rel.fk_column])
        direction = " DESC" if pg.descending else ""
        window = (f"ROW_NUMBER() OVER (PARTITION BY {q(rel.fk_column)} "
                  f"ORDER BY {q(pg.attribute)}{direction}, {q(root.key.name)}) AS rn")
        conds = [self.condition(f) for f in implicit_filters(query, ents)]
        inner = f"SELECT {inner_cols}, {window} FROM {q(root.name)}"
        if conds:
            inner += " WHERE " + " AND ".join(conds)
        self._aliases = [r, g]
        items = ", ".join(self.col(c) for c in query.select)
        return "\n".join([
            f"SELECT {items}",
            f"FROM ({inner}) AS {r}",
            f"JOIN {self.table_ref(group.name, g)} ON {g}.{q(group.key.name)} = {r}.{q(rel.fk_column)}",
            f"WHERE {r}.rn <= {pg.k}",
        ])


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
