"""nGQL (NebulaGraph 3.x): native FETCH / GO / LOOKUP where a NebulaGraph user would use them, MATCH otherwise.

- The properties of one vertex known by its VID: ``FETCH PROP ON Tag "vid" YIELD Tag.prop AS ...``.
- Neighbours of one known vertex along one edge type: ``GO FROM "vid" OVER EDGE [REVERSELY] WHERE $$... YIELD``,
  piped into ``| YIELD count(*)`` for counts; the edge's own properties as ``EDGE.prop`` in WHERE and YIELD;
  vertices 1 to N links away: ``GO 1 TO N STEPS FROM "vid" OVER EDGE [REVERSELY] YIELD DISTINCT $$...``.
- Walks from a vertex named by its name (one or two links), or two links from a known VID: ``LOOKUP ... YIELD
  id(vertex) AS vid | GO FROM $-.vid OVER E YIELD id($$) AS vid | GO FROM $-.vid OVER F WHERE $$... YIELD``.
- Attribute filters on one tag: ``LOOKUP ON Tag WHERE Tag.prop ... YIELD Tag.prop AS ...`` (only operators
  LOOKUP supports: comparisons, ranges and STARTS WITH; no IN, no NULL tests, no flags).
- Everything else: MATCH with ``v.Tag.prop`` access, ``e.prop`` on a bound edge variable, ``id(v) == "vid"`` for
  known vertices, ``==`` equality,
  ORDER BY on column names only (NebulaGraph refuses expressions there), OPTIONAL MATCH + count for anti-joins.
Set operations join two MATCH statements with UNION / INTERSECT / MINUS (each side DISTINCT: NebulaGraph's INTERSECT
and MINUS keep repeated rows). Shortest paths are ``min(length(p))`` over a MATCH of 1..N links: the
emulation cannot read the length of a FIND SHORTEST PATH result through a pipe. It does not emit DDL, variables
(``$var``) or GET SUBGRAPH.
"""

from __future__ import annotations

from momq.bench.er import Entity, Role
from momq.bench.ir import Agg, Col, Func, Op, Query
from momq.bench.compilers.base import unique_names
from momq.bench.compilers.cypher import PatternCompiler

_LOOKUP_OPS = (Op.EQ, Op.LT, Op.LE, Op.GT, Op.GE, Op.BETWEEN, Op.PREFIX)


class NGQLCompiler(PatternCompiler):
    dialect = "ngql"
    eq_op = "=="
    order_by_expressions = False
    set_keywords = {"union": "UNION", "intersect": "INTERSECT", "except": "MINUS"}

    # ----------------------------------------------------------------- hooks
    def prop(self, var: str, ent: Entity, attr: str) -> str:
        return f"{var}.{ent.label}.{attr}"

    def string(self, text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    def node(self, var: str, ent: Entity, key_value=None) -> str:
        return f"({var}:{ent.label})"

    def key_condition(self, var: str, ent: Entity, value) -> str | None:
        return f"id({var}) == {self.vid(ent, value)}"

    def vid(self, ent: Entity, key) -> str:
        return self.string(ent.vid(key))

    def op_text(self, op: Op) -> str:
        return {Op.EQ: "==", Op.NE: "!="}.get(op, op.value)

    lower_function = "lower"

    # ----------------------------------------------------------------- compile
    def compile(self, query: Query) -> str:
        ents = self.entities(query)
        self._ents = ents
        native = (self._fetch(query, ents) or self._go(query, ents) or self._go_pipe(query, ents)
                  or self._lookup(query, ents))
        if native is not None:
            return native
        return super().compile(query)

    @staticmethod
    def _plain(query: Query) -> bool:
        return (query.without is None and query.above_average is None and query.per_group is None
                and not query.group_by and query.order_by is None and query.limit is None and not query.either
                and query.setop is None and not any(h.shortest for h in query.hops))

    def _native_aliases(self, query: Query) -> None:
        self._vars = ["v"] * len(self._ents)
        self._edge_vars = {}
        self._make_aliases(query)

    def _yield_cols(self, query: Query, ref) -> str:
        return ", ".join(f"{ref(c)} AS {self.alias(c)}" for c in query.select)

    def _fetch(self, query: Query, ents: list[Entity]) -> str | None:
        key = self.key_filter(query, ents)
        if (key is None or query.hops or not self._plain(query) or query.distinct
                or not all(isinstance(i, Col) for i in query.select)):
            return None
        self._native_aliases(query)
        tag = ents[0].label
        return (f"FETCH PROP ON {tag} {self.vid(ents[0], key.values[0])} "
                f"YIELD {self._yield_cols(query, lambda c: f'{tag}.{c.attribute}')}")

    def _go(self, query: Query, ents: list[Entity]) -> str | None:
        key = self.key_filter(query, ents)
        named = None
        if key is None and query.hops and query.hops[0].variable:  # a walk from a root known by its name
            key = named = self.name_filter(query, ents)
        if key is None or len(query.hops) != 1 or not self._plain(query) or query.hops[0].optional:
            return None
        if any(f.col.node != 1 for f in query.filters if f is not key):
            return None
        counts = query.select == (Agg(Func.COUNT),)
        reached = query.hops[0].variable and len(query.select) == 1 and isinstance(query.select[0], Agg) \
            and query.select[0].func is Func.COUNT_DISTINCT
        if not counts and not reached and not all(isinstance(i, Col) and i.node == 1 for i in query.select):
            return None
        if any(f.col.node == 1 and not f.col.edge and ents[1].attribute(f.col.attribute).role is Role.KEY
               for f in query.filters if f is not key):
            return None
        self._native_aliases(query)
        hop = query.hops[0]
        rel = self.domain.relationship(hop.relationship)
        steps = f"1 TO {hop.max_length} STEPS " if hop.variable else ""
        if named is not None:
            tag = ents[0].label
            text = (f"LOOKUP ON {tag} WHERE {tag}.{named.col.attribute} {self.eq_op} {self.literal(named.values[0])} "
                    f"YIELD id(vertex) AS vid | GO {steps}FROM $-.vid OVER {rel.edge_type}")
        else:
            text = f"GO {steps}FROM {self.vid(ents[0], key.values[0])} OVER {rel.edge_type}"
        text += "" if hop.forward else " REVERSELY"
        self._vars = ["$^", "$$"]
        self._edge_vars = {0: rel.edge_type}  # GO reads edge properties as EDGE_TYPE.prop
        conds = [self.condition(f) for f in query.filters if f is not key]
        if conds:
            text += " WHERE " + " AND ".join(conds)
        if counts:
            return text + f" YIELD id($$) AS vid | YIELD count(*) AS {self.alias(query.select[0])}"
        if reached:  # GO yields one row per edge walked: count the different destinations
            return text + f" YIELD DISTINCT id($$) AS vid | YIELD count(*) AS {self.alias(query.select[0])}"
        distinct = "DISTINCT " if query.distinct else ""
        return text + f" YIELD {distinct}{self._yield_cols(query, self.col)}"

    def _go_pipe(self, query: Query, ents: list[Entity]) -> str | None:
        """Walks from one root named by its (unique) name, or two links from a known one: the start found by
        ``LOOKUP`` (or given as a VID), each link a ``GO FROM $-.vid`` stage, the last one filtering and yielding
        the reached vertex's properties through ``$$``:
        ``LOOKUP ON T WHERE T.name == "x" YIELD id(vertex) AS vid | GO FROM $-.vid OVER E YIELD id($$) AS vid |
        GO FROM $-.vid OVER F WHERE $$.U.p > 1 YIELD DISTINCT $$.U.q AS q``."""
        hops = query.hops
        if not hops or len(hops) > 2 or not self._plain(query) or any(h.variable or h.optional for h in hops):
            return None
        last = len(hops)
        roots = [f for f in query.filters if f.col.node == 0]
        if len(roots) != 1 or roots[0].op is not Op.EQ or roots[0].col.edge:
            return None
        pin = roots[0]
        role = ents[0].attribute(pin.col.attribute).role
        if role is Role.KEY and last == 1:
            return None  # one link from a known VID: a plain GO (see _go)
        if role is not Role.KEY and (ents[0].name_attribute is None
                                     or pin.col.attribute != ents[0].name_attribute.name):
            return None
        others = [f for f in query.filters if f is not pin]
        if any(f.col.node != last or f.col.edge for f in others) or query.edge_columns:
            return None
        if any(ents[last].attribute(f.col.attribute).role is Role.KEY for f in others):
            return None
        counts = query.select == (Agg(Func.COUNT),) and last == 1
        if not counts and not all(isinstance(i, Col) and i.node == last for i in query.select):
            return None
        if last == 2 and not query.distinct:
            return None
        self._native_aliases(query)
        if role is Role.KEY:
            stages = [f"GO FROM {self.vid(ents[0], pin.values[0])} OVER {self._over(hops[0])} YIELD id($$) AS vid"]
        else:
            tag = ents[0].label
            stages = [f"LOOKUP ON {tag} WHERE {tag}.{pin.col.attribute} {self.eq_op} {self.literal(pin.values[0])} "
                      "YIELD id(vertex) AS vid",
                      f"GO FROM $-.vid OVER {self._over(hops[0])} YIELD id($$) AS vid"]
        if last == 2:
            stages.append(f"GO FROM $-.vid OVER {self._over(hops[1])}")
        else:
            stages[-1] = stages[-1][: -len(" YIELD id($$) AS vid")]
        self._vars = [None] * last + ["$$"]
        self._edge_vars = {}
        conds = [self.condition(f) for f in others]
        if conds:
            stages[-1] += " WHERE " + " AND ".join(conds)
        if counts:
            stages[-1] += " YIELD id($$) AS vid"
            stages.append(f"YIELD count(*) AS {self.alias(query.select[0])}")
        else:
            distinct = "DISTINCT " if query.distinct else ""
            stages[-1] += f" YIELD {distinct}{self._yield_cols(query, self.col)}"
        return " | ".join(stages)

    def _over(self, hop) -> str:
        rel = self.domain.relationship(hop.relationship)
        return rel.edge_type + ("" if hop.forward else " REVERSELY")

    def _lookup(self, query: Query, ents: list[Entity]) -> str | None:
        if query.hops or not query.filters or not self._plain(query):
            return None
        for f in query.filters:
            attr = ents[0].attribute(f.col.attribute)
            if f.op not in _LOOKUP_OPS or attr.role is Role.KEY:
                return None
        counts = query.select == (Agg(Func.COUNT),)
        if not counts and not all(isinstance(i, Col) for i in query.select):
            return None
        self._native_aliases(query)
        tag = ents[0].label
        self._vars = [None]
        conds = []
        for f in query.filters:
            c = f"{tag}.{f.col.attribute}"
            if f.op is Op.BETWEEN:
                conds.append(self.between(c, self.literal(f.values[0]), self.literal(f.values[1])))
            elif f.op is Op.PREFIX:
                conds.append(self.prefix(c, f.values[0]))
            else:
                conds.append(f"{c} {self.op_text(f.op)} {self.literal(f.values[0])}")
        text = f"LOOKUP ON {tag} WHERE " + " AND ".join(conds)
        if counts:
            return text + f" YIELD id(vertex) AS vid | YIELD count(*) AS {self.alias(query.select[0])}"
        distinct = "DISTINCT " if query.distinct else ""
        return text + f" YIELD {distinct}{self._yield_cols(query, lambda c: f'{tag}.{c.attribute}')}"

    def concat(self, parts: list[str]) -> str:
        return f"concat({', '.join(parts)})"

    def _shortest(self, query: Query) -> str:
        """FIND SHORTEST PATH yields paths whose length the emulation cannot read through a pipe, so the fewest
        links are the minimum over the matched walks of 1..N links between the two known vertices."""
        start = next(f for f in query.filters if f.col.node == 0)
        end = next(f for f in query.filters if f.col.node == 1)
        a, b = self._vars
        p = unique_names(["p"], set(self._vars))[0]

        def pinned(var, ent, f):
            if f.col.attribute == ent.key.name:
                return f"id({var}) == {self.vid(ent, f.values[0])}"
            return f"{self.prop(var, ent, f.col.attribute)} == {self.literal(f.values[0])}"

        return "\n".join([
            f"MATCH {p} = {self.node(a, self._ents[0])}{self.edge(query.hops[0])}{self.node(b, self._ents[1])}",
            f"WHERE {pinned(a, self._ents[0], start)} AND {pinned(b, self._ents[1], end)}",
            f"RETURN min(length({p})) AS {self.alias(query.select[0])}",
        ])

    # ----------------------------------------------------------------- MATCH specials
    def col(self, c: Col) -> str:
        var = self._vars[c.node]
        if var in ("$^", "$$") and not c.edge:
            text = f"{var}.{self._ents[c.node].label}.{c.attribute}"
            return text if c.part is None else self.date_part(text, c.part)
        return super().col(c)

    def _anti(self, query: Query) -> str:
        pinned, conds = self._split_filters(query)
        hop = query.without
        rel = self.domain.relationship(hop.relationship)
        other_ent = self.domain.entity(rel.target if hop.forward else rel.source)
        v = self._vars[0]
        o = "o" if v != "o" else "o2"
        lines = ["MATCH " + self.node(v, self._ents[0])]
        if conds:
            lines.append("WHERE " + " AND ".join(conds))
        lines.append(f"OPTIONAL MATCH ({v}){self.edge(hop)}({o}:{other_ent.label})")
        lines.append(f"WITH {v}, count({o}) AS links")
        lines.append("WHERE links == 0")
        lines.append(self._returns(query.select, query.distinct))
        return "\n".join(lines)

    def _per_group(self, query: Query) -> str:
        """Rank by counting the group's members that rank at least as high (the member itself included).

        NebulaGraph's MATCH cannot sort on an expression, so the ROW_NUMBER/collect forms do not carry over;
        with no tie at the cut (the sampler's guarantee) this count selects exactly the top k.
        """
        pg = query.per_group
        pinned, conds = self._split_filters(query)
        r, g = self._vars[0], self._vars[1]
        root = self._ents[0]
        other = "peer" if "peer" not in self._vars else "peer2"
        cmp = "<=" if not pg.descending else ">="
        lines = ["MATCH " + self.pattern(query, (pg.hop,), pinned)]
        if conds:
            lines.append("WHERE " + " AND ".join(conds))
        lines.append(f"MATCH ({other}:{root.label}){self.edge(pg.hop)}({g})")
        peer_conds = [c.replace(f"{r}.{root.label}.", f"{other}.{root.label}.") for c in conds]
        peer_conds.append(f"{self.prop(other, root, pg.attribute)} {cmp} {self.prop(r, root, pg.attribute)}")
        lines.append("WHERE " + " AND ".join(peer_conds))
        lines.append(f"WITH {g}, {r}, count({other}) AS place")
        lines.append(f"WHERE place <= {pg.k}")
        lines.append(self._returns(query.select))
        return "\n".join(lines)
