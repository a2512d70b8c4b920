"""Translate a parsed, read-only nGQL script into one openCypher query for FalkorDB.

The property-graph mapping (see :mod:`momq.engines.ngql_emulation`): a vertex is a node labelled with its tag,
its VID in the property ``_vid``; an edge is a relationship of its type with its rank in ``_rank``. Hence
``v.tag.prop`` becomes ``v.prop`` guarded by a label test, ``id(v)`` becomes ``v._vid``, ``rank(e)`` becomes
``e._rank``. Pipe stages and ``$var = ...;`` assignments are composed as successive ``WITH`` stages (a variable
is collected into a list of maps and unwound where it is read). String literals travel as query parameters.

Semantics kept on purpose: GO returns one row per traversed edge (duplicates kept), walks (vertices and edges may
repeat, because each step is its own MATCH), de-duplicates its start VIDs and, between steps, the frontier, the
way NebulaGraph's executor does; ``M TO N STEPS`` is the union of steps M..N. Edge ends, as NebulaGraph documents
them (tests/engines/test_ngql_directions.py cites the pages): ``$^``/``$$`` and ``<edge>._src``/``<edge>._dst`` follow
the direction travelled (under REVERSELY ``$$`` and ``_dst`` are the vertex reached, ``$^`` and ``_src`` the start),
while ``src(edge)``/``dst(edge)`` are the edge's stored ends in every direction; ``<edge>._type`` (a signed internal
edge type ID) is refused.

In MATCH, a vertex keeps its tag through lists: ``collect(v)``, ``nodes(p)``, their slices (``[..k]``, ``[i..j]``,
``[k..]``), subscripts, ``head``/``last``, list comprehensions, ``WITH`` aliases and ``UNWIND`` are typed statically,
so ``t.tag.prop`` on an element reads the property as NebulaGraph does. ORDER BY of a WITH/RETURN may only name that
clause's own columns (NebulaGraph: "Only column name can be used as sort item"); constant sort items are ignored.

FalkorDB 4.16 collapses parallel edges (same ends, different rank) whose relationship variable is never used, so
every edge the translation matches is named and referenced (``WHERE e IS NOT NULL``).

It deliberately raises :class:`UnsupportedNGQL` instead of guessing for: GET SUBGRAPH, SAMPLE and per-step
LIMIT in GO, ``<edge>._type``, undirected shortest paths (FalkorDB has none), WHERE in FIND PATH, a WHERE reading
a shortestPath()'s path, ``=~``, ``IS EMPTY``, ``RETURN *`` with a path variable, ``v.tag`` on a vertex not known
to carry the tag, patterns inside expressions that introduce variables, date/time strings with fractions or
zones, functions without an exact openCypher counterpart, mixing ``$-`` with ``$var``, a GO from literal VIDs
reading piped columns, and ``x.tag.prop`` where ``x`` may hold a vertex that the static typing above cannot see.
Set operations run as ``CALL { }`` subqueries (UNION [ALL] natively; INTERSECT/MINUS keep the left's rows, with
duplicates, found/not found on the right); a pattern inside an expression is a pattern comprehension (its
existence where a truth value is expected).
It does not execute anything and does not check that the script is read-only (see :mod:`momq.ngql.safety`).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field, replace

from momq.ngql import ast as A
from momq.schema.graph import GraphDatabase

VID, RANK = "_vid", "_rank"
HIDDEN_PROPERTIES = frozenset({VID, RANK})


class UnsupportedNGQL(ValueError):
    """Valid nGQL that this emulation cannot translate faithfully to openCypher."""


class NGQLSemanticError(ValueError):
    """nGQL that NebulaGraph would reject after parsing: unknown tag/edge/column, misplaced reference."""


@dataclass
class Translation:
    cypher: str
    columns: tuple[str, ...]  # output column names as NebulaGraph would name them
    params: dict = field(default_factory=dict)


AGGREGATES = {"count": "count", "sum": "sum", "avg": "avg", "min": "min", "max": "max", "collect": "collect",
              "std": "stDevP"}
# nGQL function (lower-cased) -> openCypher function with the same meaning on FalkorDB
FUNCTIONS = {
    "abs": "abs", "ceil": "ceil", "floor": "floor", "round": "round", "sqrt": "sqrt", "exp": "exp", "log": "log",
    "log10": "log10", "sign": "sign", "sin": "sin", "cos": "cos", "tan": "tan", "asin": "asin", "acos": "acos",
    "atan": "atan", "pi": "pi", "e": "e", "radians": "radians", "degrees": "degrees", "pow": "pow",
    "lower": "toLower", "tolower": "toLower", "upper": "toUpper", "toupper": "toUpper", "trim": "trim",
    "ltrim": "lTrim", "rtrim": "rTrim", "left": "left", "right": "right", "replace": "replace",
    "reverse": "reverse", "split": "split", "substr": "substring", "substring": "substring", "size": "size",
    "tostring": "toString", "tointeger": "toInteger", "toint": "toInteger", "tofloat": "toFloat",
    "toboolean": "toBoolean", "coalesce": "coalesce", "head": "head", "last": "last", "tail": "tail",
    "range": "range", "keys": "keys", "nodes": "nodes", "relationships": "relationships",
    "startnode": "startNode", "endnode": "endNode",
}


# nGQL date/time function -> the FalkorDB function building the same kind of value (datetime has no zone in either)
TEMPORAL_FUNCTIONS = {"date": "date", "datetime": "localdatetime", "time": "localtime", "timestamp": "timestamp",
                      "now": "timestamp"}
# schema types the emulation stores as ISO strings -> the function that reads them back as the same value. DATETIME
# and TIME are stored as ISO strings too, but FalkorDB's localdatetime/localtime would drop their fractional seconds,
# so comparing them with a date/time value is refused instead.
STORED_TEMPORAL = {"date": "date", "datetime": None, "time": None}


# ----------------------------------------------------------------------------------------------- naming
def column_name(expr) -> str:
    """The column name NebulaGraph gives an un-aliased YIELD/RETURN expression (its text, keywords normalised)."""
    e = expr
    if isinstance(e, A.Lit):
        if isinstance(e.value, str):
            return '"' + e.value.replace('"', '\\"') + '"'
        if e.value is None:
            return "NULL"
        if isinstance(e.value, bool):
            return str(e.value).lower()
        return repr(e.value)
    if isinstance(e, A.Name):
        low = e.name.lower()
        return low.upper() if low in ("edge", "vertex") else e.name
    if isinstance(e, A.Prop):
        return f"{column_name(e.base)}.{e.name}"
    if isinstance(e, A.InputProp):
        return f"$-.{e.col}"
    if isinstance(e, A.VarProp):
        return f"${e.var}.{e.col}"
    if isinstance(e, A.VertexRef):
        return "$^" if e.which == "src" else "$$"
    if isinstance(e, A.VertexProp):
        return f"{'$^' if e.which == 'src' else '$$'}.{e.tag}.{e.prop}"
    if isinstance(e, A.Call):
        if e.star:
            return f"{e.name}(*)"
        inner = ", ".join(column_name(a) for a in e.args)
        return f"{e.name}({'DISTINCT ' if e.distinct else ''}{inner})"
    if isinstance(e, A.BinOp):
        return f"({column_name(e.left)}{e.op}{column_name(e.right)})"
    if isinstance(e, A.UnOp):
        if e.op.startswith("IS"):
            return f"{column_name(e.operand)} {e.op}"
        return f"({e.op}{column_name(e.operand)})" if e.op == "-" else f"(NOT {column_name(e.operand)})"
    if isinstance(e, A.ListLit):
        return "[" + ",".join(column_name(i) for i in e.items) + "]"
    if isinstance(e, A.MapLit):
        return "{" + ",".join(f"{k}:{column_name(v)}" for k, v in e.items) + "}"
    if isinstance(e, A.Subscript):
        return f"{column_name(e.base)}[{column_name(e.index)}]"
    if isinstance(e, A.Slice):
        lo = "" if e.start is None else column_name(e.start)
        hi = "" if e.end is None else column_name(e.end)
        return f"{column_name(e.base)}[{lo}..{hi}]"
    if isinstance(e, A.Case):
        return "CASE"
    if isinstance(e, A.PatternExpr):
        return _pattern_text(e.pattern)
    return type(e).__name__


def _pattern_text(p) -> str:
    """A pattern written back as nGQL text, e.g. ``(v)-[:follow]->(:player)``."""
    def node(n):
        labels = "".join(f":{lb}" for lb in n.labels)
        props = "" if n.props is None else column_name(n.props)
        return f"({n.var or ''}{labels}{props})"

    out = [node(p.nodes[0])]
    for rel, nxt in zip(p.rels, p.nodes[1:]):
        body = (rel.var or "") + ("" if not rel.types else ":" + "|".join(rel.types))
        if rel.var_length:
            lo = "" if rel.min_hops is None else str(rel.min_hops)
            hi = "" if rel.max_hops is None else str(rel.max_hops)
            body += f"*{lo}..{hi}" if lo != hi else f"*{lo}"
        if rel.props is not None:
            body += column_name(rel.props)
        left, right = {"out": ("-", "->"), "in": ("<-", "-"), "both": ("-", "-")}[rel.direction]
        out.append(f"{left}[{body}]{right}" if body else {"out": "-->", "in": "<--", "both": "--"}[rel.direction])
        out.append(node(nxt))
    return "".join(out)


def _ident(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _walk(expr):
    """Every sub-expression of ``expr`` (pre-order)."""
    if expr is None:
        return
    yield expr
    if isinstance(expr, (A.ListLit,)):
        for i in expr.items:
            yield from _walk(i)
    elif isinstance(expr, A.MapLit):
        for _, v in expr.items:
            yield from _walk(v)
    elif isinstance(expr, A.Prop):
        yield from _walk(expr.base)
    elif isinstance(expr, A.Call):
        for a in expr.args:
            yield from _walk(a)
    elif isinstance(expr, A.BinOp):
        yield from _walk(expr.left)
        yield from _walk(expr.right)
    elif isinstance(expr, A.UnOp):
        yield from _walk(expr.operand)
    elif isinstance(expr, A.Case):
        yield from _walk(expr.subject)
        for c, r in expr.whens:
            yield from _walk(c)
            yield from _walk(r)
        yield from _walk(expr.default)
    elif isinstance(expr, A.Subscript):
        yield from _walk(expr.base)
        yield from _walk(expr.index)
    elif isinstance(expr, A.Slice):
        yield from _walk(expr.base)
        yield from _walk(expr.start)
        yield from _walk(expr.end)
    elif isinstance(expr, A.ListComp):
        yield from _walk(expr.source)
        yield from _walk(expr.where)
        yield from _walk(expr.project)


def _uses(exprs, cls) -> bool:
    return any(isinstance(s, cls) for e in exprs if e is not None for s in _walk(e))


def _is_aggregate(expr) -> bool:
    return isinstance(expr, A.Call) and expr.name.lower() in AGGREGATES | {"collect_set": 1}


# ----------------------------------------------------------------------------------------------- scope
@dataclass
class _Input:
    """Where ``$-.col`` / ``$var.col`` read from in the current stage: column name -> Cypher expression."""

    cols: dict[str, str] = field(default_factory=dict)
    var: str | None = None  # the $var these columns come from, None for the pipe


@dataclass
class _Ctx:
    """Meaning of the special names inside one statement's expressions."""

    kind: str  # go | fetch_v | fetch_e | lookup_v | lookup_e | yield | match | path
    src: str | None = None  # $^ / vertex
    dst: str | None = None  # $$
    edge: str | None = None  # edge
    edge_types: tuple[str, ...] = ()  # edge names usable as `name.prop`
    tags: tuple[str, ...] = ()  # tag names usable as `tag.prop` on `src`
    input: _Input = field(default_factory=_Input)
    node_vars: dict[str, tuple[str, ...]] = field(default_factory=dict)  # MATCH node var -> static labels
    edge_vars: set[str] = field(default_factory=set)
    list_edge_vars: set[str] = field(default_factory=set)
    path_vars: set[str] = field(default_factory=set)
    node_lists: dict[str, tuple[str, ...]] = field(default_factory=dict)  # lists of vertices -> static labels
    edge_lists: set[str] = field(default_factory=set)  # lists of edges (collect(e), relationships(p), ...)
    aliases: dict[str, str] = field(default_factory=dict)  # name -> Cypher expression (ORDER BY on RETURN)
    plain_names: set[str] = field(default_factory=set)  # other variables in scope (WITH/UNWIND aliases)


class _Translator:
    def __init__(self, schema: GraphDatabase | None, space: str | None):
        self.schema = schema
        self.space = space
        self.params: dict[str, object] = {}
        self.clauses: list[str] = []
        self.carry: list[str] = []  # Cypher names of collected $var lists, kept through every WITH
        self.vars: dict[str, dict[str, str]] = {}  # $var -> column name -> map key
        self._ids = itertools.count()

    # ---- helpers
    def fresh(self, stem: str) -> str:
        return f"__{stem}{next(self._ids)}"

    def param(self, value) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f"${name}"

    def keep(self, *names: str) -> str:
        return ", ".join([*self.carry, *[n for n in names if n]])

    def emit(self, clause: str) -> None:
        self.clauses.append(clause)

    def _tags(self) -> set[str] | None:
        return {nt.label for nt in self.schema.node_types} if self.schema else None

    def _edges(self) -> set[str] | None:
        return {et.type for et in self.schema.edge_types} if self.schema else None

    def check_tag(self, tag: str, prop: str | None = None) -> None:
        if not self.schema:
            return
        try:
            nt = self.schema.node_type(tag)
        except KeyError:
            raise NGQLSemanticError(f"no tag {tag!r} in this space") from None
        if prop is not None and prop not in {p.name for p in nt.properties}:
            raise NGQLSemanticError(f"tag {tag!r} has no property {prop!r}")

    def check_edge(self, edge: str, prop: str | None = None) -> None:
        if not self.schema:
            return
        try:
            et = self.schema.edge_type(edge)
        except KeyError:
            raise NGQLSemanticError(f"no edge type {edge!r} in this space") from None
        if prop is not None and not prop.startswith("_") and prop not in {p.name for p in et.properties}:
            raise NGQLSemanticError(f"edge type {edge!r} has no property {prop!r}")

    # ---- expressions
    def expr(self, e, ctx: _Ctx) -> str:  # noqa: C901 - one dispatch over the expression kinds
        x = lambda sub: self.expr(sub, ctx)  # noqa: E731
        if isinstance(e, A.Lit):
            v = e.value
            if v is None:
                return "null"
            if isinstance(v, bool):
                return "true" if v else "false"
            if isinstance(v, str):
                return self.param(v)
            return repr(v)
        if isinstance(e, A.ListLit):
            return "[" + ", ".join(x(i) for i in e.items) + "]"
        if isinstance(e, A.MapLit):
            return "{" + ", ".join(f"{_ident(k)}: {x(v)}" for k, v in e.items) + "}"
        if isinstance(e, A.InputProp):
            if ctx.input.var is not None or e.col not in ctx.input.cols:
                raise NGQLSemanticError(f"$-.{e.col}: the previous stage has no column {e.col!r}"
                                        f" (columns: {', '.join(ctx.input.cols) or 'none'})")
            return ctx.input.cols[e.col]
        if isinstance(e, A.VarProp):
            if e.var not in self.vars:
                raise NGQLSemanticError(f"${e.var} is not defined")
            if ctx.input.var != e.var:
                raise UnsupportedNGQL(f"${e.var}.{e.col} outside a statement that reads ${e.var}")
            if e.col not in ctx.input.cols:
                raise NGQLSemanticError(f"${e.var} has no column {e.col!r}")
            return ctx.input.cols[e.col]
        if isinstance(e, A.VertexRef):
            var = ctx.src if e.which == "src" else ctx.dst
            if ctx.kind != "go" or var is None:
                raise NGQLSemanticError("$^ and $$ are only valid in GO")
            return var
        if isinstance(e, A.VertexProp):
            if ctx.kind != "go":
                raise NGQLSemanticError("$^.tag.prop and $$.tag.prop are only valid in GO")
            self.check_tag(e.tag, e.prop)
            var = ctx.src if e.which == "src" else ctx.dst
            return f"(CASE WHEN {self.param(e.tag)} IN labels({var}) THEN {var}.{_ident(e.prop)} END)"
        if isinstance(e, A.Name):
            return self.name(e.name, ctx)
        if isinstance(e, A.Prop):
            return self.prop(e, ctx)
        if isinstance(e, A.Call):
            return self.call(e, ctx)
        if isinstance(e, A.BinOp):
            op = {"==": "=", "!=": "<>"}.get(e.op, e.op)
            if op == "=~":
                raise UnsupportedNGQL("=~ (regular expressions) is not supported by FalkorDB")
            if op in ("AND", "OR", "XOR"):
                return f"({self.cond(e.left, ctx)} {op} {self.cond(e.right, ctx)})"
            left, right = x(e.left), x(e.right)
            # a DATE property (an ISO string here) against a date value: read the property as a date
            calls = [_is_temporal_call(e.left), _is_temporal_call(e.right)]
            kinds = (self._temporal(e.left, ctx), self._temporal(e.right, ctx)) if any(calls) else (None, None)
            if all(kinds):
                if kinds[0] != kinds[1]:
                    raise UnsupportedNGQL(f"{column_name(e)}: compares a {kinds[0]} with a {kinds[1]}")
                if not calls[0]:
                    left = f"{kinds[0]}({left})"
                if not calls[1]:
                    right = f"{kinds[1]}({right})"
            return f"({left} {op} {right})"
        if isinstance(e, A.PatternExpr):
            hoisted = getattr(self, "_hoisted", {})
            return hoisted[e] if e in hoisted else self.pattern_value(e.pattern, ctx)
        if isinstance(e, A.UnOp):
            if e.op in ("IS EMPTY", "IS NOT EMPTY"):
                raise UnsupportedNGQL("IS [NOT] EMPTY has no openCypher counterpart (EMPTY is not NULL)")
            if e.op.startswith("IS"):
                return f"({x(e.operand)} {e.op})"
            return f"(NOT {self.cond(e.operand, ctx)})" if e.op == "NOT" else f"(-{x(e.operand)})"
        if isinstance(e, A.Case):
            parts = ["CASE"]
            if e.subject is not None:
                parts.append(x(e.subject))
            for c, r in e.whens:
                parts.append(f"WHEN {x(c)} THEN {x(r)}")
            if e.default is not None:
                parts.append(f"ELSE {x(e.default)}")
            parts.append("END")
            return "(" + " ".join(parts) + ")"
        if isinstance(e, A.Subscript):
            return f"{x(e.base)}[{x(e.index)}]"
        if isinstance(e, A.Slice):
            return f"{x(e.base)}[{'' if e.start is None else x(e.start)}..{'' if e.end is None else x(e.end)}]"
        if isinstance(e, A.ListComp):
            inner = self._bind(ctx, e.var, _element(self.kind_of(e.source, ctx)))
            out = f"[{_ident(e.var)} IN {x(e.source)}"
            if e.where is not None:
                out += f" WHERE {self.expr(e.where, inner)}"
            if e.project is not None:
                out += f" | {self.expr(e.project, inner)}"
            return out + "]"
        raise UnsupportedNGQL(f"expression {type(e).__name__} is not supported")

    def cond(self, e, ctx: _Ctx) -> str:
        """``e`` where a truth value is expected: a pattern there asks whether it has a match."""
        if isinstance(e, A.PatternExpr):
            return f"(size({self.expr(e, ctx)}) > 0)"
        return self.expr(e, ctx)

    def filter_with_patterns(self, where, ctx: _Ctx, scope: list[str]) -> None:
        """``WITH scope WHERE where`` when ``where`` holds patterns: FalkorDB evaluates a pattern comprehension in a
        projection but not inside a filter, so each pattern is projected first and the filter reads its name."""
        names: dict = {}
        for sub in _walk(where):
            if isinstance(sub, A.PatternExpr) and sub not in names:
                names[sub] = self.fresh("pat")
        parts = [f"{self.pattern_value(pe.pattern, ctx)} AS {n}" for pe, n in names.items()]
        self._hoisted = names
        try:
            self.emit(f"WITH {self.keep(*scope, *parts)} WHERE {self.cond(where, ctx)}")
        finally:
            self._hoisted = {}

    def pattern_value(self, p: A.Pattern, ctx: _Ctx) -> str:
        """A pattern inside a MATCH expression: the list of its paths (a pattern comprehension). It may only use
        variables already bound: a new one would be local to the pattern, which NebulaGraph does not document."""
        if ctx.kind != "match":
            raise NGQLSemanticError("a pattern inside an expression is only valid in MATCH statements")
        scope = _in_scope(ctx)
        for var in [n.var for n in p.nodes] + [r.var for r in p.rels]:
            if var and var not in scope:
                raise UnsupportedNGQL(f"a pattern inside an expression introducing the variable `{var}`")
        if any(r.var and r.var in ctx.list_edge_vars for r in p.rels):
            raise UnsupportedNGQL("a pattern inside an expression reusing a variable-length edge variable")
        # FalkorDB refuses a bound relationship variable inside the comprehension: match a fresh one equal to it
        bound = {i: r.var for i, r in enumerate(p.rels) if r.var}
        p = replace(p, rels=tuple(replace(r, var=None) for r in p.rels))
        saved = getattr(self, "_rel_refs", [])
        self._rel_refs = []
        try:
            text = self.pattern(p, replace(ctx, node_vars=dict(ctx.node_vars), edge_vars=set(ctx.edge_vars),
                                          list_edge_vars=set(ctx.list_edge_vars), path_vars=set(ctx.path_vars)))
            refs = self._rel_refs
        finally:
            self._rel_refs = saved
        path = self.fresh("pp")
        conds = [f"{r} IS NOT NULL" for r in refs] + [f"{refs[i]} = {_ident(v)}" for i, v in bound.items()]
        where = f" WHERE {' AND '.join(conds)}" if conds else ""
        return f"[{path} = {text}{where} | {path}]"

    def name(self, name: str, ctx: _Ctx) -> str:
        low = name.lower()
        if name in ctx.aliases:
            return ctx.aliases[name]
        if ctx.kind == "match":
            if name in ctx.list_edge_vars:
                return f"relationships({_ident(name)})"
            if name in _in_scope(ctx):
                return _ident(name)
            raise NGQLSemanticError(f"variable {name!r} is not defined")
        if name in ctx.plain_names:
            return _ident(name)
        if low == "edge" and ctx.edge:
            return ctx.edge
        if low == "vertex" and ctx.src and ctx.kind in ("fetch_v", "lookup_v"):
            return ctx.src
        if low == "path" and ctx.kind == "path":
            return ctx.src
        raise NGQLSemanticError(f"{name!r} is not valid here")

    def prop(self, e: A.Prop, ctx: _Ctx) -> str:
        base = e.base
        if ctx.kind == "match":
            # x.tag.prop on a vertex: a MATCH variable, or a vertex taken back out of a list (UNWIND of
            # collect(v)[..k], nodes(p)[0], head(collect(v)), a list comprehension variable, ...)
            if isinstance(base, A.Prop):
                owner = self.kind_of(base.base, ctx)
                tag = base.name
                if owner is not None and owner[0] == "node":
                    self.check_tag(tag, e.name)
                    v = self.expr(base.base, ctx)
                    if owner[1] == (tag,):
                        return f"{v}.{_ident(e.name)}"
                    return f"(CASE WHEN {self.param(tag)} IN labels({v}) THEN {v}.{_ident(e.name)} END)"
                if owner is None and (self.schema is None or tag in self._tags()):
                    raise UnsupportedNGQL(
                        f"{column_name(e)}: the emulation cannot tell whether {column_name(base.base)} holds a vertex "
                        f"(it can for MATCH variables and for collect(v), nodes(p), their slices, subscripts and "
                        f"UNWIND)")
            kind = self.kind_of(base, ctx)
            if kind is not None and kind[0] == "node" and self.schema is not None and e.name in self._tags():
                return self.tag_map(base, e.name, kind[1], ctx)
            if kind is not None and kind[0] == "node":
                raise UnsupportedNGQL(f"{column_name(base)}.{e.name}: vertex properties are read as "
                                      f"{column_name(base)}.<tag>.<prop> in nGQL")
            if kind is not None and kind[0] == "edge" and e.name in HIDDEN_PROPERTIES:
                raise NGQLSemanticError(f"{e.name} is not a property")
            return f"{self.expr(base, ctx)}.{_ident(e.name)}"
        if isinstance(base, A.Name) and base.name not in ctx.plain_names:
            owner, prop = base.name, e.name
            if ctx.kind in ("go", "fetch_e", "lookup_e") and owner.lower() != "edge" and \
                    (owner in ctx.edge_types or (not ctx.edge_types and ctx.kind == "go")):
                self.check_edge(owner, None if prop.startswith("_") else prop)
                edge = ctx.edge
                if prop == "_type":
                    raise UnsupportedNGQL(
                        f"{owner}._type is NebulaGraph's internal edge type ID (negative when the edge was walked "
                        f"against its direction); the emulation has no such IDs (type(edge) gives the name)")
                if ctx.kind == "go":
                    # GO: _src/_dst are the ends in the direction travelled (REVERSELY: _dst is the vertex reached,
                    # _src the start), unlike src(edge)/dst(edge), which are the edge's stored ends
                    ends = {"_src": f"{ctx.src}.{VID}", "_dst": f"{ctx.dst}.{VID}"}
                else:
                    ends = {"_src": f"startNode({edge}).{VID}", "_dst": f"endNode({edge}).{VID}"}
                value = {**ends, "_rank": f"{edge}.{RANK}"}.get(prop, f"{edge}.{_ident(prop)}")
                if ctx.kind != "go":
                    return value
                return f"(CASE WHEN type({edge}) = {self.param(owner)} THEN {value} END)"
            if ctx.kind in ("fetch_v", "lookup_v") and (not ctx.tags or owner in ctx.tags):
                self.check_tag(owner, prop)
                v = ctx.src
                if ctx.tags == (owner,) and ctx.kind == "lookup_v":
                    return f"{v}.{_ident(prop)}"
                return f"(CASE WHEN {self.param(owner)} IN labels({v}) THEN {v}.{_ident(prop)} END)"
            if owner.lower() == "edge" and ctx.edge:
                return f"{ctx.edge}.{_ident(prop)}"
            raise NGQLSemanticError(f"{owner}.{prop}: {owner!r} is not a tag or edge type of this statement")
        return f"{self.expr(base, ctx)}.{_ident(e.name)}"

    def tag_map(self, vertex, tag: str, labels: tuple[str, ...], ctx: _Ctx) -> str:
        """``v.tag``: the map of the tag's properties (every property of the tag, NULL where unset).

        Only where the vertex is known to carry the tag (a label in the pattern): what NebulaGraph returns for a
        vertex without it is not documented.
        """
        if tag not in labels:
            raise UnsupportedNGQL(f"{column_name(vertex)}.{tag}: the whole tag of a vertex not known to carry it "
                                  f"(label the pattern node :{tag})")
        v = self.expr(vertex, ctx)
        props = self.schema.node_type(tag).properties
        return "{" + ", ".join(f"{_ident(p.name)}: {v}.{_ident(p.name)}" for p in props) + "}"

    def kind_of(self, e, ctx: _Ctx) -> tuple[str, tuple[str, ...]] | None:
        """What a MATCH expression is known to hold, so that ``x.tag.prop`` can be read on it.

        ``("node", labels)``, ``("nodes", labels)`` (a list of vertices), ``("edge", ())``, ``("edges", ())``,
        or None when unknown (a number, a map, a mixed list, CASE, ...). ``labels`` are the static labels that
        every such vertex is known to carry (``()`` when not known).
        """
        if ctx.kind != "match":
            return None
        if isinstance(e, A.Name):
            n = e.name
            if n in ctx.aliases:
                return None
            if n in ctx.node_vars:
                return "node", ctx.node_vars[n]
            if n in ctx.edge_vars:
                return "edge", ()
            if n in ctx.node_lists:
                return "nodes", ctx.node_lists[n]
            if n in ctx.list_edge_vars or n in ctx.edge_lists:
                return "edges", ()
            return None
        if isinstance(e, A.Call) and len(e.args) == 1 and not e.star:
            low, arg = e.name.lower(), e.args[0]
            if low in ("nodes", "relationships") and isinstance(arg, A.Name) and arg.name in ctx.path_vars:
                return ("nodes" if low == "nodes" else "edges"), ()
            inner = self.kind_of(arg, ctx)
            if inner is None:
                return None
            if low in ("collect", "collect_set") and inner[0] in ("node", "edge"):
                return inner[0] + "s", inner[1]
            if low in ("head", "last"):
                return _element(inner)
            if low in ("tail", "reverse") and inner[0] in ("nodes", "edges"):
                return inner
            if low in ("startnode", "endnode") and inner[0] == "edge":
                return "node", ()
            return None
        if isinstance(e, A.Subscript):
            return _element(self.kind_of(e.base, ctx))
        if isinstance(e, A.Slice):
            inner = self.kind_of(e.base, ctx)
            return inner if inner is not None and inner[0] in ("nodes", "edges") else None
        if isinstance(e, A.ListLit) and e.items:
            kinds = [self.kind_of(i, ctx) for i in e.items]
            if any(k is None for k in kinds) or len({k[0] for k in kinds}) != 1 or kinds[0][0] not in ("node", "edge"):
                return None
            return kinds[0][0] + "s", _common_labels(k[1] for k in kinds)
        if isinstance(e, A.BinOp) and e.op == "+":
            left, right = self.kind_of(e.left, ctx), self.kind_of(e.right, ctx)
            if left is not None and right is not None and left[0] == right[0] and left[0] in ("nodes", "edges"):
                return left[0], _common_labels((left[1], right[1]))
            return None
        if isinstance(e, A.ListComp):
            source = self.kind_of(e.source, ctx)
            if e.project is None:
                return source if source is not None and source[0] in ("nodes", "edges") else None
            item = self.kind_of(e.project, self._bind(ctx, e.var, _element(source)))
            return (item[0] + "s", item[1]) if item is not None and item[0] in ("node", "edge") else None
        return None

    @staticmethod
    def _bind(ctx: _Ctx, var: str, kind: tuple[str, tuple[str, ...]] | None) -> _Ctx:
        """A copy of ``ctx`` where ``var`` (a list comprehension variable) holds a value of ``kind``."""
        out = replace(ctx, node_vars={k: v for k, v in ctx.node_vars.items() if k != var},
                      edge_vars=ctx.edge_vars - {var}, list_edge_vars=ctx.list_edge_vars - {var},
                      path_vars=ctx.path_vars - {var}, node_lists={k: v for k, v in ctx.node_lists.items() if k != var},
                      edge_lists=ctx.edge_lists - {var}, plain_names=ctx.plain_names - {var},
                      aliases={k: v for k, v in ctx.aliases.items() if k != var})
        _add(out, var, kind)
        return out

    def _vertex_arg(self, arg, ctx: _Ctx) -> str:
        if isinstance(arg, A.VertexRef):
            return self.expr(arg, ctx)
        if isinstance(arg, A.Name) and arg.name.lower() == "vertex" and ctx.kind in ("fetch_v", "lookup_v"):
            return ctx.src
        if isinstance(arg, A.Name) and ctx.kind == "match" and arg.name in ctx.node_vars:
            return _ident(arg.name)
        if ctx.kind == "match" or isinstance(arg, A.Name) and arg.name in ctx.plain_names \
                or isinstance(arg, (A.InputProp, A.VarProp)):  # a vertex carried by a pipe or a $var column
            return self.expr(arg, ctx)
        raise NGQLSemanticError(f"{column_name(arg)} is not a vertex here")

    def _edge_arg(self, arg, ctx: _Ctx) -> str:
        if isinstance(arg, A.Name) and arg.name.lower() == "edge" and ctx.edge:
            return ctx.edge
        if ctx.kind == "match" or isinstance(arg, A.Name) and arg.name in ctx.plain_names \
                or isinstance(arg, (A.InputProp, A.VarProp)):  # an edge carried by a pipe or a $var column
            return self.expr(arg, ctx)
        raise NGQLSemanticError(f"{column_name(arg)} is not an edge here")

    def temporal_call(self, e: A.Call, ctx: _Ctx) -> str:
        """date() / datetime() / time() (now, from a string or from a map) and timestamp() / now() with no argument.

        FalkorDB's localdatetime/localtime keep whole seconds only and NebulaGraph converts a written time zone
        to UTC, so strings with fractional seconds or a zone are refused rather than silently changed.
        """
        low = e.name.lower()
        if low in ("timestamp", "now"):
            if e.args:
                raise UnsupportedNGQL(f"{e.name}() with an argument (NebulaGraph's epoch seconds of a datetime)")
            return "(timestamp() / 1000)"  # NebulaGraph: seconds; FalkorDB: milliseconds
        if len(e.args) > 1:
            raise NGQLSemanticError(f"{e.name}() takes at most one argument")
        for arg in e.args:
            if isinstance(arg, A.Lit) and isinstance(arg.value, str) and low != "date" \
                    and re.search(r"\.\d|Z$|[+-]\d\d:?\d\d$", arg.value):
                raise UnsupportedNGQL(f"{e.name}({column_name(arg)}): fractional seconds or a time zone")
            if not isinstance(arg, (A.Lit, A.MapLit)) and self._temporal(arg, ctx) != TEMPORAL_FUNCTIONS[low]:
                if low != "date" or self._temporal(arg, ctx) is not None:
                    raise UnsupportedNGQL(f"{e.name}() of a computed value (only of a literal, a map or a "
                                          f"{low} property)")
        return f"{TEMPORAL_FUNCTIONS[low]}(" + ", ".join(self.expr(a, ctx) for a in e.args) + ")"

    def _temporal(self, e, ctx: _Ctx) -> str | None:
        """The FalkorDB temporal function an expression's value belongs to: ``date``/``localdatetime``/``localtime``
        for a date/time call, or for a property read of a DATE/DATETIME property (which the emulation stores as
        an ISO string); None otherwise."""
        if _is_temporal_call(e):
            return TEMPORAL_FUNCTIONS[e.name.lower()]
        prop = self._schema_property(e, ctx)
        if prop is None or prop.type.value not in STORED_TEMPORAL:
            return None
        kind = STORED_TEMPORAL[prop.type.value]
        if kind is None:
            raise UnsupportedNGQL(f"{column_name(e)}: a {prop.type.value} property in a date/time expression "
                                  f"(FalkorDB would drop its fractional seconds)")
        return kind

    def _schema_property(self, e, ctx: _Ctx):
        """The schema :class:`Property` a direct tag/edge property read names, or None."""
        if self.schema is None:
            return None
        owner = None
        if isinstance(e, A.VertexProp):
            owner, prop, tag = e.tag, e.prop, True
        elif isinstance(e, A.Prop) and isinstance(e.base, A.Prop) and ctx.kind == "match":
            owner, prop, tag = e.base.name, e.name, True
        elif isinstance(e, A.Prop) and isinstance(e.base, A.Name) and ctx.kind != "match":
            owner, prop, tag = e.base.name, e.name, e.base.name in self._tags()
        if owner is None:
            return None
        try:
            kind = self.schema.node_type(owner) if tag else self.schema.edge_type(owner)
        except KeyError:
            return None
        return next((p for p in kind.properties if p.name == prop), None)

    def call(self, e: A.Call, ctx: _Ctx) -> str:
        low = e.name.lower()
        args = e.args
        if e.star:
            if low != "count":
                raise NGQLSemanticError(f"{e.name}(*) is not a function")
            return "count(*)"
        if low in ("id",) and len(args) == 1:
            return f"{self._vertex_arg(args[0], ctx)}.{VID}"
        if low in ("src", "dst", "rank", "type") and len(args) == 1:
            edge = self._edge_arg(args[0], ctx)
            return {"src": f"startNode({edge}).{VID}", "dst": f"endNode({edge}).{VID}", "rank": f"{edge}.{RANK}",
                    "type": f"type({edge})"}[low]
        if low == "properties" and len(args) == 1:
            a = args[0]
            if isinstance(a, A.Name) and a.name.lower() == "edge" and ctx.edge:
                return f"properties({ctx.edge})"
            if isinstance(a, A.Name) and ctx.kind == "match" and a.name in ctx.edge_vars:
                return f"properties({_ident(a.name)})"
            return f"properties({self._vertex_arg(a, ctx)})"
        if low == "keys" and len(args) == 1:  # the emulation's own _vid/_rank are no property keys
            hidden = ", ".join(f"'{h}'" for h in sorted(HIDDEN_PROPERTIES))
            return f"[__k IN keys({self.expr(args[0], ctx)}) WHERE NOT __k IN [{hidden}]]"
        if low in ("tags", "labels") and len(args) == 1:
            return f"labels({self._vertex_arg(args[0], ctx)})"
        if low == "length" and len(args) == 1:
            a = args[0]
            if isinstance(a, A.Name) and a.name in ctx.path_vars:
                return f"length({_ident(a.name)})"
            return f"size({self.expr(a, ctx)})"
        if low == "concat":
            if not args:
                raise NGQLSemanticError("concat() needs arguments")
            return "(" + " + ".join(f"toString({self.expr(a, ctx)})" for a in args) + ")"
        if low in AGGREGATES or low == "collect_set":
            if len(args) != 1:
                raise NGQLSemanticError(f"{e.name}() takes one argument")
            distinct = e.distinct or low == "collect_set"
            fn = "collect" if low == "collect_set" else AGGREGATES[low]
            return f"{fn}({'DISTINCT ' if distinct else ''}{self.expr(args[0], ctx)})"
        if low in TEMPORAL_FUNCTIONS:
            return self.temporal_call(e, ctx)
        if low in FUNCTIONS:
            if e.distinct:
                raise NGQLSemanticError(f"DISTINCT is only valid in aggregate functions, not {e.name}()")
            return f"{FUNCTIONS[low]}(" + ", ".join(self.expr(a, ctx) for a in args) + ")"
        raise UnsupportedNGQL(f"function {e.name}() is not supported by the emulation")

    # ---- projections shared by native statements
    def project(self, items: tuple[A.YieldItem, ...], ctx: _Ctx, distinct: bool = False, extra: str = "") \
            -> dict[str, str]:
        """Emit ``WITH [DISTINCT] carry, expr AS cN, ...``; return the new column name -> Cypher name."""
        cols: dict[str, str] = {}
        parts = []
        names = []
        for item in items:
            name = item.alias or column_name(item.expr)
            var = self.fresh("c")
            parts.append(f"{self.expr(item.expr, ctx)} AS {var}")
            cols[name] = var
            names.append((name, var))
        self._last_columns = names
        self.emit(f"WITH {'DISTINCT ' if distinct else ''}{self.keep(*parts)}{extra}")
        return cols

    # ---- queries: pipelines and set operations
    def query(self, q: A.Query) -> list[tuple[str, str]]:
        if isinstance(q, A.SetOp):
            return self.set_operation(q)
        return self.pipeline(q)

    def _branch(self, q: A.Query) -> tuple[str, list[tuple[str, str]]]:
        """``q`` translated on its own, as the body of a ``CALL { }`` branch (outer $var lists imported)."""
        saved, self.clauses = self.clauses, []
        try:
            cols = self.query(q)
            body = self.clauses
        finally:
            self.clauses = saved
        # a branch must open with a plain import (FalkorDB), so give it one row to start from when none is carried
        opening = f"WITH {', '.join(self.carry)}" if self.carry else f"UNWIND [0] AS {self.fresh('one')}"
        return " ".join([opening, *body]), cols

    def set_operation(self, q: A.SetOp) -> list[tuple[str, str]]:
        """UNION [ALL] / INTERSECT / MINUS as NebulaGraph runs them (set operations page; its executors).

        The result has the left query's column names. UNION removes duplicate rows, UNION ALL keeps them;
        INTERSECT keeps the left's rows (duplicates included) that occur on the right, MINUS those that do not.
        """
        left, lcols = self._branch(q.left)
        right, rcols = self._branch(q.right)
        if len(lcols) != len(rcols):
            raise NGQLSemanticError(f"{q.op}: the two sides yield {len(lcols)} and {len(rcols)} columns; "
                                    f"they must have the same number")
        out = [self.fresh("set") for _ in lcols]
        if q.op in ("UNION", "UNION ALL"):
            lret = ", ".join(f"{v} AS {o}" for (_, v), o in zip(lcols, out))
            rret = ", ".join(f"{v} AS {o}" for (_, v), o in zip(rcols, out))
            self.emit(f"CALL {{ {left} RETURN {lret} {q.op} {right} RETURN {rret} }}")
            return [(name, o) for (name, _), o in zip(lcols, out)]
        # rows compare as lists, NULL equal to NULL as in NebulaGraph's row hashing (a sentinel stands for it)
        null = "{__momq_null: true}"
        row = lambda cols: "[" + ", ".join(f"coalesce({v}, {null})" for _, v in cols) + "]"  # noqa: E731
        key, rows = self.fresh("row"), self.fresh("right")
        self.emit(f"CALL {{ {right} RETURN {row(rcols)} AS {key} }}")
        self.emit(f"WITH {self.keep(f'collect({key}) AS {rows}')}")
        lret = ", ".join(f"{v} AS {o}" for (_, v), o in zip(lcols, out))
        self.emit(f"CALL {{ {left} RETURN {lret} }}")
        test = f"{row(list(zip(out, out)))} IN {rows}"
        self.emit(f"WITH {self.keep(*out)} WHERE {'' if q.op == 'INTERSECT' else 'NOT '}{test}")
        return [(name, o) for (name, _), o in zip(lcols, out)]

    def unwind_stage(self, st: A.Unwind, inp: _Input) -> dict[str, str]:
        """``| UNWIND <expr> AS alias``: one row per element; like NebulaGraph's, its only column is the alias."""
        if any(_is_aggregate(s) for s in _walk(st.expr)):
            raise NGQLSemanticError(f"Can't use aggregating expressions in unwind clause, `{column_name(st.expr)}'")
        var = self.fresh("c")
        self.emit(f"UNWIND {self.expr(st.expr, _Ctx('yield', input=inp))} AS {var}")
        return {st.var: var}

    # ---- stages
    def pipeline(self, pipe: A.Pipeline) -> list[tuple[str, str]]:
        cols: dict[str, str] | None = None
        self._last_columns = []
        for i, stage in enumerate(pipe.stages):
            if i > 0 and cols is None:
                raise UnsupportedNGQL(f"{type(pipe.stages[i - 1]).__name__} cannot feed a pipe")
            inp = _Input(dict(cols or {}))
            if isinstance(stage, A.Subquery):
                if i > 0:
                    raise UnsupportedNGQL("a bracketed query after a pipe")
                cols = dict(self.query(stage.query))
            elif isinstance(stage, A.Unwind):
                if i == 0:
                    raise UnsupportedNGQL("UNWIND ... AS alias without RETURN must follow a pipe "
                                          "(`<statement> | UNWIND $-.col AS alias`)")
                cols = self.unwind_stage(stage, inp)
            elif isinstance(stage, A.Go):
                cols = self.go(stage, inp, has_input=i > 0)
            elif isinstance(stage, A.FetchVertices):
                cols = self.fetch_vertices(stage, inp, has_input=i > 0)
            elif isinstance(stage, A.FetchEdges):
                cols = self.fetch_edges(stage, inp, has_input=i > 0)
            elif isinstance(stage, A.Lookup):
                if i > 0:
                    raise UnsupportedNGQL("LOOKUP cannot read a pipe")
                cols = self.lookup(stage)
            elif isinstance(stage, A.Match):
                if i > 0:
                    raise UnsupportedNGQL("MATCH cannot read a pipe")
                cols = self.match(stage)
            elif isinstance(stage, A.FindPath):
                cols = self.find_path(stage, inp, has_input=i > 0)
            elif isinstance(stage, A.YieldStmt):
                cols = self.yield_stmt(stage, inp)
            elif isinstance(stage, A.GroupBy):
                if i == 0:
                    raise NGQLSemanticError("GROUP BY needs a pipe input")
                cols = self.group_by(stage, inp)
            elif isinstance(stage, A.OrderBy):
                if i == 0:
                    raise NGQLSemanticError("ORDER BY needs a pipe input")
                cols = self.order_by(stage, inp)
            elif isinstance(stage, A.Limit):
                if i == 0:
                    raise NGQLSemanticError("LIMIT needs a pipe input")
                keep = self.keep(*cols.values())
                self.emit(f"WITH {keep} SKIP {stage.offset} LIMIT {stage.count}")
            elif isinstance(stage, A.Subgraph):
                raise UnsupportedNGQL("GET SUBGRAPH has no faithful openCypher translation in the emulation")
            elif isinstance(stage, (A.Use, A.Show)):
                raise UnsupportedNGQL(f"{type(stage).__name__.upper()} inside a pipe")
            else:
                raise UnsupportedNGQL(f"{type(stage).__name__} is not a query")
            self._cols = cols
        return list(cols.items())

    def _source(self, sources: tuple, inp: _Input, has_input: bool, what: str):
        """Classify FROM: ('lit', param) | ('pipe', cypher var) | ('var', var name, key)."""
        refs = [s for s in sources if isinstance(s, (A.InputProp, A.VarProp))]
        if refs:
            if len(sources) != 1:
                raise NGQLSemanticError(f"{what}: a $-/$var reference must be the only source")
            ref = refs[0]
            if isinstance(ref, A.InputProp):
                if not has_input:
                    raise NGQLSemanticError(f"{what}: $-.{ref.col} without a pipe input")
                if ref.col not in inp.cols:
                    raise NGQLSemanticError(f"$-.{ref.col}: the previous stage has no column {ref.col!r}")
                return ("pipe", inp.cols[ref.col])
            if ref.var not in self.vars:
                raise NGQLSemanticError(f"${ref.var} is not defined")
            if ref.col not in self.vars[ref.var]:
                raise NGQLSemanticError(f"${ref.var} has no column {ref.col!r}")
            return ("var", ref.var, self.vars[ref.var][ref.col])
        vids = []
        for s in sources:
            if not isinstance(s, A.Lit) or s.value is None or isinstance(s.value, bool):
                raise UnsupportedNGQL(f"{what}: only literal VIDs or one $-/$var column are supported as sources")
            if s.value not in vids:
                vids.append(s.value)
        return ("lit", self.param(vids))

    def _var_input(self, var: str) -> tuple[str, _Input]:
        row = self.fresh("r")
        return row, _Input({col: f"{row}.{key}" for col, key in self.vars[var].items()}, var=var)

    def go(self, st: A.Go, inp: _Input, has_input: bool) -> dict[str, str]:
        if st.sample is not None or st.limit is not None:
            raise UnsupportedNGQL("GO ... SAMPLE/LIMIT [list] picks edges at random per step; not emulated")
        for edge in st.over.edges:
            self.check_edge(edge)
        types = ":" + "|".join(_ident(t) for t in st.over.edges) if st.over.edges else ""
        yield_items = st.yield_.items if st.yield_ else None
        if yield_items is None:
            if len(st.over.edges) != 1:
                raise UnsupportedNGQL("GO without YIELD over several edge types")
            yield_items = (A.YieldItem(A.Prop(A.Name(st.over.edges[0]), "_dst")),)
        exprs = [st.where, *[i.expr for i in yield_items]]
        src = self._source(st.sources, inp, has_input, "GO FROM")
        if src[0] == "var" and _uses(exprs, A.InputProp) or src[0] == "pipe" and _uses(exprs, A.VarProp):
            raise UnsupportedNGQL("mixing $- and $var in one GO")
        join = _uses(exprs, A.InputProp) or _uses(exprs, A.VarProp)
        if src[0] == "lit" and join:
            if has_input or _uses(exprs, A.VarProp):
                raise UnsupportedNGQL("GO from literal VIDs reading $- or $var columns (how NebulaGraph pairs "
                                      "those rows with the edges is not documented)")
            raise NGQLSemanticError("GO from literal VIDs cannot read $- or $var columns")

        root, table = None, None
        roots = self.fresh("root")
        if join:
            table = self.fresh("in")
            if src[0] == "pipe":
                keys = {name: f"k{j}" for j, name in enumerate(inp.cols)}
                mapping = ", ".join(f"{keys[n]}: {v}" for n, v in inp.cols.items())
                self.emit(f"WITH {self.keep(f'collect({{{mapping}}}) AS {table}')}")
                root_key = keys[next(n for n, v in inp.cols.items() if v == src[1])]
                row_cols = dict(keys)
            else:
                self.emit(f"WITH {self.keep(f'{self.fresh_alias(src[1])} AS {table}')}")
                root_key = src[2]
                row_cols = dict(self.vars[src[1]])
            r = self.fresh("r")
            root = self.fresh("rootvid")
            self.emit(f"UNWIND {table} AS {r}")
            self.emit(f"WITH DISTINCT {self.keep(table, f'{r}.{root_key} AS {root}')}")
            self.emit(f"MATCH ({roots}) WHERE {roots}.{VID} = {root}")
        elif src[0] == "lit":
            self.emit(f"MATCH ({roots}) WHERE {roots}.{VID} IN {src[1]}")
        elif src[0] == "pipe":
            vid = self.fresh("vid")
            self.emit(f"WITH DISTINCT {self.keep(f'{src[1]} AS {vid}')}")
            self.emit(f"MATCH ({roots}) WHERE {roots}.{VID} = {vid}")
        else:
            r, vid = self.fresh("r"), self.fresh("vid")
            self.emit(f"UNWIND {self.fresh_alias(src[1])} AS {r}")
            self.emit(f"WITH DISTINCT {self.keep(f'{r}.{src[2]} AS {vid}')}")
            self.emit(f"MATCH ({roots}) WHERE {roots}.{VID} = {vid}")
        keep_join = [table, root] if join else []
        self.emit(f"WITH DISTINCT {self.keep(*keep_join, roots)}")

        a, e, b = self.fresh("src"), self.fresh("e"), self.fresh("dst")
        arrow = {"out": ("-", "->"), "in": ("<-", "-"), "both": ("-", "-")}[st.over.direction]

        kept = [*self.carry, *keep_join]

        def chain(k: int) -> tuple[list[str], str]:
            """Clauses walking k steps from ``roots`` (frontier de-duplicated between steps); last source var."""
            out, cur = [], roots
            for _ in range(k - 1):
                nxt = self.fresh("hop")
                out.append(f"MATCH ({cur}){arrow[0]}[{types}]{arrow[1]}({nxt})")
                out.append(f"WITH DISTINCT {', '.join([*kept, nxt])}")
                cur = nxt
            out.append(f"MATCH ({cur}){arrow[0]}[{e}{types}]{arrow[1]}({b}) WHERE {e} IS NOT NULL")
            return out, cur

        # NebulaGraph: GO 0 STEPS retrieves no edge; GO 0 TO N STEPS is GO 1 TO N STEPS
        min_steps, max_steps = max(st.min_steps, 1), st.max_steps
        if max_steps == 0:
            self.emit(f"WITH {self.keep(*keep_join, roots)} WHERE false")
            min_steps = max_steps = 1
        if min_steps == max_steps:
            body, last = chain(max_steps)
            for clause in body:
                self.emit(clause)
            a = last
        else:
            branches = []
            for k in range(min_steps, max_steps + 1):
                body, last = chain(k)
                branches.append(" ".join([f"WITH {', '.join([*kept, roots])}", *body,
                                          f"RETURN {last} AS {a}, {e}, {b}"]))
            self.emit("CALL { " + " UNION ALL ".join(branches) + " }")

        ctx = _Ctx("go", src=a, dst=b, edge=e, edge_types=st.over.edges)
        if join:
            row = self.fresh("row")
            self.emit(f"UNWIND [{row}x IN {table} WHERE {row}x.{root_key} = {root}] AS {row}")
            ctx.input = _Input({n: f"{row}.{k}" for n, k in row_cols.items()},
                               var=src[1] if src[0] == "var" else None)
            scope = [a, e, b, row]
        else:
            scope = [a, e, b]
        if st.where is not None:
            self.emit(f"WITH {self.keep(*scope)} WHERE {self.expr(st.where, ctx)}")
        return self.project(yield_items, ctx, st.yield_.distinct if st.yield_ else False)

    def fresh_alias(self, var: str) -> str:
        return f"__var_{var}"

    def _vertex_source(self, sources, inp, has_input, what) -> str:
        v = self.fresh("v")
        src = self._source(sources, inp, has_input, what)
        if src[0] == "lit":
            self.emit(f"MATCH ({v}) WHERE {v}.{VID} IN {src[1]}")
        elif src[0] == "pipe":
            vid = self.fresh("vid")
            self.emit(f"WITH DISTINCT {self.keep(f'{src[1]} AS {vid}')}")
            self.emit(f"MATCH ({v}) WHERE {v}.{VID} = {vid}")
        else:
            r, vid = self.fresh("r"), self.fresh("vid")
            self.emit(f"UNWIND {self.fresh_alias(src[1])} AS {r}")
            self.emit(f"WITH DISTINCT {self.keep(f'{r}.{src[2]} AS {vid}')}")
            self.emit(f"MATCH ({v}) WHERE {v}.{VID} = {vid}")
        return v

    def fetch_vertices(self, st: A.FetchVertices, inp: _Input, has_input: bool) -> dict[str, str]:
        if st.yield_ is None:
            raise NGQLSemanticError("FETCH PROP ON needs a YIELD clause (NebulaGraph 3.x)")
        for t in st.tags:
            self.check_tag(t)
        if _uses([i.expr for i in st.yield_.items], (A.InputProp, A.VarProp)):
            raise UnsupportedNGQL("FETCH with $- or $var columns in YIELD")
        v = self._vertex_source(st.vids, inp, has_input, "FETCH")
        if st.tags:
            cond = " OR ".join(f"{self.param(t)} IN labels({v})" for t in st.tags)
            self.emit(f"WITH {self.keep(v)} WHERE {cond}")
        ctx = _Ctx("fetch_v", src=v, tags=st.tags)
        return self.project(st.yield_.items, ctx, st.yield_.distinct)

    def fetch_edges(self, st: A.FetchEdges, inp: _Input, has_input: bool) -> dict[str, str]:
        if st.yield_ is None:
            raise NGQLSemanticError("FETCH PROP ON needs a YIELD clause (NebulaGraph 3.x)")
        self.check_edge(st.edge)
        s, e, d = self.fresh("s"), self.fresh("e"), self.fresh("d")
        pattern = f"MATCH ({s})-[{e}:{_ident(st.edge)}]->({d})"
        refs = [x for k in st.keys for x in (k.src, k.dst, k.rank) if isinstance(x, (A.InputProp, A.VarProp))]
        if refs:
            if len(st.keys) != 1 or any(isinstance(x, A.VarProp) for x in refs):
                raise UnsupportedNGQL("FETCH edges from $var, or from several $- keys")
            key = st.keys[0]
            ctx0 = _Ctx("yield", input=inp)
            ks, kd = self.fresh("ks"), self.fresh("kd")
            kr = self.fresh("kr")
            rank = self.expr(key.rank, ctx0) if key.rank is not None else "0"
            parts = (f"{self.expr(key.src, ctx0)} AS {ks}", f"{self.expr(key.dst, ctx0)} AS {kd}", f"{rank} AS {kr}")
            self.emit(f"WITH DISTINCT {self.keep(*parts)}")
            self.emit(f"{pattern} WHERE {s}.{VID} = {ks} AND {d}.{VID} = {kd} AND {e}.{RANK} = {kr}")
        else:
            keys = []
            for k in st.keys:
                for part in (k.src, k.dst):
                    if not isinstance(part, A.Lit):
                        raise UnsupportedNGQL("FETCH edge keys must be literals or $- columns")
                rank = 0 if k.rank is None else k.rank.value
                key = (k.src.value, k.dst.value, rank)
                if key not in keys:
                    keys.append(key)
            cond = " OR ".join(f"({s}.{VID} = {self.param(a)} AND {d}.{VID} = {self.param(b)} AND {e}.{RANK} = {r})"
                               for a, b, r in keys)
            self.emit(f"{pattern} WHERE {cond}")
        ctx = _Ctx("fetch_e", edge=e, edge_types=(st.edge,))
        return self.project(st.yield_.items, ctx, st.yield_.distinct)

    def lookup(self, st: A.Lookup) -> dict[str, str]:
        if st.yield_ is None:
            raise NGQLSemanticError("LOOKUP needs a YIELD clause (NebulaGraph 3.x)")
        if self.schema is None:
            raise UnsupportedNGQL("LOOKUP needs the space's schema to tell a tag from an edge type")
        if st.schema in self._tags():
            v = self.fresh("v")
            ctx = _Ctx("lookup_v", src=v, tags=(st.schema,))
            self.emit(f"MATCH ({v}:{_ident(st.schema)})")
        elif st.schema in self._edges():
            s, e, d = self.fresh("s"), self.fresh("e"), self.fresh("d")
            ctx = _Ctx("lookup_e", edge=e, edge_types=(st.schema,))
            self.emit(f"MATCH ({s})-[{e}:{_ident(st.schema)}]->({d}) WHERE {e} IS NOT NULL")
        else:
            raise NGQLSemanticError(f"no tag or edge type {st.schema!r} in this space")
        if st.where is not None:
            self.emit(f"WITH {self.keep(*ctx_vars(ctx))} WHERE {self.expr(st.where, ctx)}")
        return self.project(st.yield_.items, ctx, st.yield_.distinct)

    def find_path(self, st: A.FindPath, inp: _Input | None = None, has_input: bool = False) -> dict[str, str]:
        if st.where is not None:
            raise UnsupportedNGQL("FIND PATH ... WHERE is not emulated")
        if st.over.direction == "both" and st.kind in ("shortest", "single"):
            raise UnsupportedNGQL("FIND SHORTEST PATH ... BIDIRECT: FalkorDB has no undirected shortest paths")
        for edge in st.over.edges:
            self.check_edge(edge)
        types = ":" + "|".join(_ident(t) for t in st.over.edges) if st.over.edges else ""
        inp = inp or _Input()
        ends, parts = [], []
        for vids, what in ((st.sources, "FIND PATH FROM"), (st.targets, "FIND PATH TO")):
            src = self._source(vids, inp, has_input, what)
            if src[0] == "lit":
                ends.append(src)
                continue
            # fed by a pipe or a $var: every distinct VID of that column, as one set of ends
            name = self.fresh("ends")
            row = self.fresh("r")
            parts.append(f"collect(DISTINCT {src[1]}) AS {name}" if src[0] == "pipe"
                         else f"[{row} IN {self.fresh_alias(src[1])} | {row}.{src[2]}] AS {name}")
            ends.append(("list", name))
        if len(parts) == 2 and "collect(" in parts[0] + parts[1] and not all("collect(" in x for x in parts):
            raise UnsupportedNGQL("FIND PATH with one end from a pipe and the other from a $var")
        if parts:
            self.emit(f"WITH {self.keep(*parts)}")
        srcs, dsts = ends
        s, t, p = self.fresh("s"), self.fresh("t"), self.fresh("p")
        arrow = {"out": ("-", "->"), "in": ("<-", "-"), "both": ("-", "-")}[st.over.direction]
        hops = f"*1..{st.upto}"
        self.emit(f"MATCH ({s}) WHERE {s}.{VID} IN {srcs[1]}")
        self.emit(f"MATCH ({t}) WHERE {t}.{VID} IN {dsts[1]}")
        self.emit(f"WITH {self.keep(s, t)} WHERE {s} <> {t}")
        rel = f"({s}){arrow[0]}[{types}{hops}]{arrow[1]}({t})"
        if st.kind == "shortest":
            self.emit(f"MATCH {p} = allShortestPaths({rel})")
        elif st.kind == "single":
            self.emit(f"WITH {self.keep(s, t, f'shortestPath({rel}) AS {p}')} WHERE {p} IS NOT NULL")
        else:
            self.emit(f"MATCH {p} = {rel}")
            if st.kind == "noloop":
                n = f"nodes({p})"
                self.emit(f"WITH {self.keep(p)} WHERE ALL(__i IN range(0, size({n}) - 2) WHERE "
                          f"NONE(__j IN range(__i + 1, size({n}) - 1) WHERE {n}[__i] = {n}[__j]))")
        items = st.yield_.items if st.yield_ else (A.YieldItem(A.Name("path"), "path"),)
        ctx = _Ctx("path", src=p)
        return self.project(items, ctx, st.yield_.distinct if st.yield_ else False)

    def yield_stmt(self, st: A.YieldStmt, inp: _Input) -> dict[str, str]:
        exprs = [st.where, *[i.expr for i in st.yield_.items]]
        vars_used = {s.var for e in exprs if e is not None for s in _walk(e) if isinstance(s, A.VarProp)}
        if vars_used:
            if len(vars_used) > 1 or inp.cols:
                raise UnsupportedNGQL("YIELD reading several $vars or a $var and $-")
            var = vars_used.pop()
            if var not in self.vars:
                raise NGQLSemanticError(f"${var} is not defined")
            row, inp = self._var_input(var)
            self.emit(f"UNWIND {self.fresh_alias(var)} AS {row}")
            scope = [row]
        else:
            scope = list(inp.cols.values())
        ctx = _Ctx("yield", input=inp)
        if st.where is not None:
            self.emit(f"WITH {self.keep(*scope)} WHERE {self.expr(st.where, ctx)}")
        if any(_is_aggregate(i.expr) for i in st.yield_.items):
            return self._grouped((), st.yield_, ctx)
        return self.project(st.yield_.items, ctx, st.yield_.distinct)

    def _grouped(self, keys: tuple, yc: A.YieldClause, ctx: _Ctx) -> dict[str, str]:
        key_names = {k: self.fresh("g") for k in keys}
        aggs: dict[object, str] = {}

        def rewrite(e):
            if e in key_names:
                return A.Name(key_names[e])
            if _is_aggregate(e):
                if e not in aggs:
                    aggs[e] = self.fresh("agg")
                return A.Name(aggs[e])
            if isinstance(e, A.BinOp):
                return A.BinOp(e.op, rewrite(e.left), rewrite(e.right))
            if isinstance(e, A.UnOp):
                return A.UnOp(e.op, rewrite(e.operand))
            if isinstance(e, A.Call):
                return A.Call(e.name, tuple(rewrite(a) for a in e.args), e.distinct, e.star)
            if isinstance(e, (A.InputProp, A.VarProp)):
                raise NGQLSemanticError(f"{column_name(e)} must be a GROUP BY key or inside an aggregate")
            return e

        rewritten = [A.YieldItem(rewrite(i.expr), i.alias or column_name(i.expr)) for i in yc.items]
        parts = [f"{self.expr(k, ctx)} AS {v}" for k, v in key_names.items()]
        parts += [f"{self.expr(a, ctx)} AS {v}" for a, v in aggs.items()]
        self.emit(f"WITH {self.keep(*parts)}")
        inner = _Ctx("yield", plain_names=set(key_names.values()) | set(aggs.values()))
        return self.project(tuple(rewritten), inner, yc.distinct)

    def group_by(self, st: A.GroupBy, inp: _Input) -> dict[str, str]:
        return self._grouped(st.keys, st.yield_, _Ctx("yield", input=inp))

    def order_by(self, st: A.OrderBy, inp: _Input) -> dict[str, str]:
        ctx = _Ctx("yield", input=inp)
        order = ", ".join(f"{self.expr(i.expr, ctx)}{' DESC' if i.descending else ''}" for i in st.items)
        self.emit(f"WITH {self.keep(*inp.cols.values())} ORDER BY {order}")
        return dict(inp.cols)

    # ---- MATCH
    def match(self, st: A.Match) -> dict[str, str]:
        ctx = _Ctx("match")
        clauses = list(st.clauses)
        final = clauses[-1]
        if not isinstance(final, A.Projection) or not final.is_return:
            raise NGQLSemanticError("MATCH must end with RETURN")
        for clause in clauses[:-1]:
            if isinstance(clause, A.MatchClause) and any(p.shortest for p in clause.patterns):
                self.match_shortest(clause, ctx)
            elif isinstance(clause, A.MatchClause):
                self.match_clause(clause, ctx)
            elif isinstance(clause, A.UnwindClause):
                if clause.var in _in_scope(ctx):
                    raise NGQLSemanticError(f"UNWIND ... AS {clause.var}: variable `{clause.var}` already declared")
                self.emit(f"UNWIND {self.expr(clause.expr, ctx)} AS {_ident(clause.var)}")
                _add(ctx, clause.var, _element(self.kind_of(clause.expr, ctx)))
            elif isinstance(clause, A.Projection):
                self.with_clause(clause, ctx)
            else:
                raise UnsupportedNGQL(f"{type(clause).__name__} in MATCH")
        if not final.items:
            final = replace(final, items=tuple(A.YieldItem(A.Name(n)) for n in _star_columns(clauses[:-1])))
        if any(_is_aggregate(s) for i in final.items for s in _walk(i.expr)) and self.carry:
            pass  # carried $var lists are constant per row, so they do not change the grouping
        cols: dict[str, str] = {}
        parts, names = [], []
        for item in final.items:
            name = item.alias or column_name(item.expr)
            var = self.fresh("c")
            parts.append(f"{self.expr(item.expr, ctx)} AS {var}")
            cols[name] = var
            names.append((name, var))
        tail = self._order_skip_limit(final, ctx, names)
        self.emit(f"WITH {'DISTINCT ' if final.distinct else ''}{self.keep(*parts)}{tail}")
        return cols

    def match_clause(self, clause: A.MatchClause, ctx: _Ctx) -> None:
        self._rel_refs = []
        pats = ", ".join(self.pattern(p, ctx) for p in clause.patterns)
        conds = [f"{r} IS NOT NULL" for r in self._rel_refs]
        # FalkorDB cannot filter a MATCH on a pattern comprehension: such a WHERE moves to a WITH after it
        later = clause.where is not None and _uses([clause.where], A.PatternExpr)
        if later and clause.optional:
            raise UnsupportedNGQL("a pattern inside the WHERE of an OPTIONAL MATCH")
        if clause.where is not None and not later:
            conds.append(self.cond(clause.where, ctx))
        where = f" WHERE {' AND '.join(conds)}" if conds else ""
        self.emit(f"{'OPTIONAL ' if clause.optional else ''}MATCH {pats}{where}")
        if later:
            self.filter_with_patterns(clause.where, ctx, [_ident(n) for n in sorted(_in_scope(ctx))])

    def match_shortest(self, clause: A.MatchClause, ctx: _Ctx) -> None:
        """``MATCH p = shortestPath((a)-[e:t*..n]->(b))`` / ``allShortestPaths(...)``: the ends are matched first
        (with the clause's WHERE, which may only read them), then the paths between each pair are found.

        FalkorDB computes shortestPath only in WITH/RETURN and only along one direction, so an undirected pattern
        is refused, as is a WHERE that reads the path or its edges (NebulaGraph would filter during the search).
        """
        if clause.optional:
            raise UnsupportedNGQL("OPTIONAL MATCH with shortestPath()/allShortestPaths()")
        plain, paths = [], []
        for p in clause.patterns:
            if not p.shortest:
                plain.append(p)
                continue
            rel = p.rels[0]
            if rel.direction == "both":
                raise UnsupportedNGQL(f"{p.shortest}() over an undirected pattern: FalkorDB has no undirected "
                                      f"shortest paths")
            if rel.props is not None or (rel.min_hops or 1) != 1:
                raise UnsupportedNGQL(f"{p.shortest}() with edge properties or a lower bound other than 1")
            a, b = (replace(n, var=n.var or self.fresh("end")) for n in p.nodes)
            plain += [A.Pattern(None, (a,), ()), A.Pattern(None, (b,), ())]
            paths.append((p, a.var, b.var, rel))
        path_names = {p.path_var for p, *_ in paths} | {r.var for *_, r in paths}
        if clause.where is not None and any(isinstance(x, A.Name) and x.name in path_names
                                            for x in _walk(clause.where)):
            raise UnsupportedNGQL("WHERE reading the path or the edges of shortestPath()/allShortestPaths() "
                                  "(NebulaGraph filters while searching; the emulation can only filter the ends)")
        self.match_clause(replace(clause, patterns=tuple(plain)), ctx)
        for p, a, b, rel in paths:
            for t in rel.types:
                self.check_edge(t)
            types = ":" + "|".join(_ident(t) for t in rel.types) if rel.types else ""
            hops = "" if not rel.var_length and rel.max_hops is None else \
                f"*{'' if rel.min_hops is None else rel.min_hops}..{'' if rel.max_hops is None else rel.max_hops}"
            if not rel.var_length:
                hops = "*1..1"
            left, right = {"out": ("-", "->"), "in": ("<-", "-")}[rel.direction]
            pattern = f"({_ident(a)}){left}[{types}{hops}]{right}({_ident(b)})"
            path = p.path_var or self.fresh("path")
            scope = [_ident(n) for n in sorted(_in_scope(ctx))]
            if p.shortest == "shortestPath":
                self.emit(f"WITH {self.keep(*scope, f'shortestPath({pattern}) AS {_ident(path)}')} "
                          f"WHERE {_ident(path)} IS NOT NULL")
            else:
                self.emit(f"WITH {self.keep(*scope)}")
                self.emit(f"MATCH {_ident(path)} = allShortestPaths({pattern})")
            if p.path_var:
                ctx.path_vars.add(path)
            if rel.var:
                edges = f"relationships({_ident(path)})" + ("" if rel.var_length else "[0]")
                self.emit(f"WITH {self.keep(*scope, _ident(path), f'{edges} AS {_ident(rel.var)}')}")
                (ctx.edge_lists.add if rel.var_length else ctx.edge_vars.add)(rel.var)

    def _order_skip_limit(self, proj: A.Projection, ctx: _Ctx, columns: list[tuple[str, str]]) -> str:
        """ORDER BY / SKIP / LIMIT of a WITH or RETURN whose output ``columns`` are (nGQL name, Cypher name).

        NebulaGraph's MATCH sorts on output column names only: a sort item must be the name (alias) of a column
        of this WITH/RETURN (\"Only column name can be used as sort item\", \"Column `x' not found\"), or a
        constant, which it ignores; duplicated column names are refused when sorting.
        """
        tail = ""
        clause = "RETURN" if proj.is_return else "WITH"
        if proj.order:
            seen: set[str] = set()
            for name, _ in columns:
                if name in seen:
                    raise NGQLSemanticError(f"{clause} ... ORDER BY: duplicated columns not allowed: {name}")
                seen.add(name)
            lookup = dict(columns)
            keys = []
            for item in proj.order:
                e = item.expr
                if _is_constant(e):
                    continue
                if not isinstance(e, A.Name):
                    raise NGQLSemanticError(
                        f"ORDER BY {column_name(e)}: only column name can be used as sort item in NebulaGraph's "
                        f"{clause} (give the expression an alias with AS and sort by the alias)")
                if e.name not in lookup:
                    raise NGQLSemanticError(f"ORDER BY {e.name}: column `{e.name}' not found among the {clause} "
                                            f"columns ({', '.join(lookup)})")
                keys.append(f"{lookup[e.name]}{' DESC' if item.descending else ''}")
            if keys:
                tail += " ORDER BY " + ", ".join(keys)
        if proj.skip is not None:
            tail += f" SKIP {self.expr(proj.skip, ctx)}"
        if proj.limit is not None:
            tail += f" LIMIT {self.expr(proj.limit, ctx)}"
        return tail

    def with_clause(self, proj: A.Projection, ctx: _Ctx) -> None:
        if not proj.items:
            raise UnsupportedNGQL("WITH * (name the carried variables)")
        parts, columns = [], []
        new = _Ctx("match")  # the variables this WITH passes on, typed like their expressions
        for item in proj.items:
            if item.alias is None and not isinstance(item.expr, A.Name):
                raise NGQLSemanticError(f"WITH {column_name(item.expr)} needs an alias (AS name)")
            name = item.alias or item.expr.name
            if name in _in_scope(new):
                raise NGQLSemanticError(f"WITH ... AS {name}: `{name}' is defined twice")
            src = item.expr.name if isinstance(item.expr, A.Name) else None
            if src in ctx.list_edge_vars:  # a variable-length edge variable stays one (read via relationships())
                new.list_edge_vars.add(name)
            elif src in ctx.path_vars:
                new.path_vars.add(name)
            else:
                _add(new, name, self.kind_of(item.expr, ctx))
            value = _ident(src) if src in ctx.list_edge_vars else self.expr(item.expr, ctx)
            parts.append(f"{value} AS {_ident(name)}")
            columns.append((name, _ident(name)))
        tail = self._order_skip_limit(proj, ctx, columns)
        distinct = "DISTINCT " if proj.distinct else ""
        self.emit(f"WITH {distinct}{self.keep(*parts)}{tail}")
        ctx.node_vars, ctx.edge_vars, ctx.list_edge_vars = new.node_vars, new.edge_vars, new.list_edge_vars
        ctx.path_vars, ctx.node_lists, ctx.edge_lists = new.path_vars, new.node_lists, new.edge_lists
        ctx.plain_names, ctx.aliases = new.plain_names, {}
        if proj.where is not None:
            names = [name for name, _ in columns]
            self.filter_with_patterns(proj.where, ctx, [_ident(n) for n in names])

    def pattern(self, p: A.Pattern, ctx: _Ctx) -> str:
        out = []
        for i, node in enumerate(p.nodes):
            for label in node.labels:
                self.check_tag(label)
            if node.var:
                known = ctx.node_vars.get(node.var)
                ctx.node_vars[node.var] = tuple(node.labels) or (known or ())
            labels = "".join(f":{_ident(lb)}" for lb in node.labels)
            props = ""
            if node.props is not None:
                for k, _ in node.props.items:
                    if k in HIDDEN_PROPERTIES:
                        raise NGQLSemanticError(f"{k} is not a property")
                props = " " + self.expr(node.props, ctx)
            out.append(f"({_ident(node.var) if node.var else ''}{labels}{props})")
            if i < len(p.rels):
                rel = p.rels[i]
                for t in rel.types:
                    self.check_edge(t)
                # FalkorDB collapses parallel edges whose variable is never used: name and reference each one
                rel_var = _ident(rel.var) if rel.var else self.fresh("rel")
                self._rel_refs.append(rel_var)
                body = rel_var
                if rel.types:
                    body += ":" + "|".join(_ident(t) for t in rel.types)
                if rel.var_length:
                    lo = "" if rel.min_hops is None else str(rel.min_hops)
                    hi = "" if rel.max_hops is None else str(rel.max_hops)
                    body += f"*{lo}..{hi}" if (lo != hi or not lo) else f"*{lo}"
                    if rel.var:
                        ctx.list_edge_vars.add(rel.var)
                elif rel.var:
                    ctx.edge_vars.add(rel.var)
                if rel.props is not None:
                    body += " " + self.expr(rel.props, ctx)
                left, right = {"out": ("-", "->"), "in": ("<-", "-"), "both": ("-", "-")}[rel.direction]
                out.append(f"{left}[{body}]{right}")
        if p.path_var:
            ctx.path_vars.add(p.path_var)
            return f"{_ident(p.path_var)} = " + "".join(out)
        return "".join(out)

    # ---- script
    def script(self, script: A.Script) -> Translation:
        statements = list(script.statements)
        while statements and _is_use(statements[0]):
            space = statements.pop(0).stages[0].space
            if self.space is not None and space != self.space:
                raise NGQLSemanticError(f"USE {space}: this query runs on space {self.space!r}")
        if not statements:
            raise NGQLSemanticError("no query after USE")
        *assignments, final = statements
        if isinstance(final, A.Assignment):
            raise NGQLSemanticError(f"the script ends with an assignment to ${final.var} and returns nothing")
        for stmt in assignments:
            if not isinstance(stmt, A.Assignment):
                raise NGQLSemanticError("only `$var = ...;` assignments may precede the final statement")
            cols = self.query(stmt.pipeline)
            keys = {name: f"k{j}" for j, (name, _) in enumerate(cols)}
            listed = ", ".join(f"{keys[n]}: {v}" for n, v in cols)
            target = self.fresh_alias(stmt.var)
            self.emit(f"WITH {self.keep(f'collect({{{listed}}}) AS {target}')}")
            if target not in self.carry:
                self.carry.append(target)
            self.vars[stmt.var] = keys
        cols = self.query(final)
        if not cols:
            raise NGQLSemanticError("the query yields no columns")
        self.emit("RETURN " + ", ".join(v for _, v in cols))
        return Translation(" ".join(self.clauses), tuple(n for n, _ in cols), self.params)


def _is_temporal_call(e) -> bool:
    return isinstance(e, A.Call) and e.name.lower() in ("date", "datetime", "time")


def _star_columns(clauses) -> list[str]:
    """The columns of ``RETURN *``: the named variables in the order the patterns introduce them (NebulaGraph's
    RETURN page: ``MATCH (v)-[e]->(v2) RETURN *`` gives v, e, v2); a WITH replaces them with its own columns."""
    names: list[str] = []
    for clause in clauses:
        if isinstance(clause, A.MatchClause):
            for p in clause.patterns:
                if p.path_var:
                    raise UnsupportedNGQL("RETURN * with a path variable (where NebulaGraph puts the path "
                                          "column is not documented)")
                for i, node in enumerate(p.nodes):
                    for var in (node.var, p.rels[i].var if i < len(p.rels) else None):
                        if var and var not in names:
                            names.append(var)
        elif isinstance(clause, A.UnwindClause):
            names.append(clause.var)
        elif isinstance(clause, A.Projection):
            if not clause.items:
                raise UnsupportedNGQL("WITH * (name the carried variables)")
            names = [i.alias or i.expr.name for i in clause.items if i.alias or isinstance(i.expr, A.Name)]
    if not names:
        raise NGQLSemanticError("RETURN * with no named variable in scope")
    return names


def _in_scope(ctx: _Ctx) -> set[str]:
    """Every MATCH variable name in scope (aliases of the RETURN being sorted excluded)."""
    return (set(ctx.node_vars) | ctx.edge_vars | ctx.list_edge_vars | ctx.path_vars | set(ctx.node_lists)
            | ctx.edge_lists | ctx.plain_names)


def _element(kind):
    """The kind of one element of a list of ``kind`` (None unless a list of vertices or edges)."""
    if kind is None or kind[0] not in ("nodes", "edges"):
        return None
    return kind[0][:-1], kind[1]


def _common_labels(labels) -> tuple[str, ...]:
    """The static labels shared by several vertices: their labels if all agree, else none known."""
    distinct = set(labels)
    return distinct.pop() if len(distinct) == 1 else ()


def _add(ctx: _Ctx, var: str, kind) -> None:
    """Record in ``ctx`` that ``var`` holds a value of ``kind`` (see :meth:`_Translator.kind_of`)."""
    if kind is None:
        ctx.plain_names.add(var)
    elif kind[0] == "node":
        ctx.node_vars[var] = kind[1]
    elif kind[0] == "edge":
        ctx.edge_vars.add(var)
    elif kind[0] == "nodes":
        ctx.node_lists[var] = kind[1]
    else:
        ctx.edge_lists.add(var)


def _is_constant(expr) -> bool:
    """Whether ``expr`` reads nothing from the row (NebulaGraph lets such an ORDER BY item through, unused)."""
    return not any(isinstance(s, (A.Name, A.Prop, A.InputProp, A.VarProp, A.VertexRef, A.VertexProp, A.ListComp))
                   or _is_aggregate(s) for s in _walk(expr))


def ctx_vars(ctx: _Ctx) -> list[str]:
    return [v for v in (ctx.src, ctx.edge) if v]


def _is_use(stmt) -> bool:
    return isinstance(stmt, A.Pipeline) and len(stmt.stages) == 1 and isinstance(stmt.stages[0], A.Use)


def translate(script: A.Script, schema: GraphDatabase | None = None, space: str | None = None) -> Translation:
    """One read-only openCypher query equivalent to ``script`` (already checked to be read-only)."""
    return _Translator(schema, space).script(script)
