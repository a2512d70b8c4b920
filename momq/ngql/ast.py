"""The nGQL syntax tree: frozen dataclasses for expressions, statements, pipelines and scripts.

Built by :mod:`momq.ngql.parser` and read by :mod:`momq.ngql.translate` and :mod:`momq.ngql.safety`. Nodes
carry no source positions and no engine knowledge. Mutation and DDL statements are kept only as
:class:`Mutation` (their kind and text) because this project never runs them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Union


# ----------------------------------------------------------------------------------------------- expressions
@dataclass(frozen=True)
class Lit:
    value: Any  # int, float, str, bool or None (NULL)


@dataclass(frozen=True)
class ListLit:
    items: tuple["Expr", ...]


@dataclass(frozen=True)
class MapLit:
    items: tuple[tuple[str, "Expr"], ...]


@dataclass(frozen=True)
class Name:
    """A bare identifier: a MATCH variable, an edge type name in GO (``follow.degree``), ``vertex``/``edge``."""

    name: str


@dataclass(frozen=True)
class Prop:
    base: "Expr"
    name: str


@dataclass(frozen=True)
class InputProp:
    """``$-.col``: a column of the previous pipe stage."""

    col: str


@dataclass(frozen=True)
class VarProp:
    """``$var.col``: a column of a variable assigned earlier in the script."""

    var: str
    col: str


@dataclass(frozen=True)
class VertexRef:
    """``$^`` (source, ``which='src'``) or ``$$`` (destination, ``which='dst'``) of the traversed edge."""

    which: str


@dataclass(frozen=True)
class VertexProp:
    """``$^.tag.prop`` / ``$$.tag.prop``."""

    which: str
    tag: str
    prop: str


@dataclass(frozen=True)
class Call:
    name: str  # as written; compare lower-cased
    args: tuple["Expr", ...]
    distinct: bool = False
    star: bool = False  # count(*)


@dataclass(frozen=True)
class BinOp:
    op: str  # + - * / % == != < <= > >= AND OR XOR IN CONTAINS STARTS WITH ENDS WITH =~
    left: "Expr"
    right: "Expr"


@dataclass(frozen=True)
class UnOp:
    op: str  # NOT, -, IS NULL, IS NOT NULL, IS EMPTY, IS NOT EMPTY
    operand: "Expr"


@dataclass(frozen=True)
class Case:
    subject: "Expr | None"
    whens: tuple[tuple["Expr", "Expr"], ...]
    default: "Expr | None"


@dataclass(frozen=True)
class Subscript:
    base: "Expr"
    index: "Expr"


@dataclass(frozen=True)
class Slice:
    base: "Expr"
    start: "Expr | None"
    end: "Expr | None"


@dataclass(frozen=True)
class ListComp:
    var: str
    source: "Expr"
    where: "Expr | None"
    project: "Expr | None"


@dataclass(frozen=True)
class PatternExpr:
    """A MATCH pattern used inside an expression: a list of paths as a value, their existence as a predicate."""

    pattern: "Pattern"


Expr = Union[Lit, ListLit, MapLit, Name, Prop, InputProp, VarProp, VertexRef, VertexProp, Call, BinOp, UnOp,
             Case, Subscript, Slice, ListComp, PatternExpr]


@dataclass(frozen=True)
class YieldItem:
    expr: Expr
    alias: str | None = None


@dataclass(frozen=True)
class YieldClause:
    items: tuple[YieldItem, ...]
    distinct: bool = False


@dataclass(frozen=True)
class SortItem:
    expr: Expr
    descending: bool = False


# ----------------------------------------------------------------------------------------------- native statements
@dataclass(frozen=True)
class Over:
    edges: tuple[str, ...]  # empty tuple means ``*`` (every edge type)
    direction: str = "out"  # out | in (REVERSELY) | both (BIDIRECT)


@dataclass(frozen=True)
class Go:
    min_steps: int
    max_steps: int
    sources: tuple[Expr, ...]  # literal VIDs or one InputProp / VarProp
    over: Over
    where: Expr | None
    yield_: YieldClause | None
    sample: Expr | None = None
    limit: Expr | None = None


@dataclass(frozen=True)
class EdgeKey:
    src: Expr
    dst: Expr
    rank: Expr | None = None


@dataclass(frozen=True)
class FetchVertices:
    tags: tuple[str, ...]  # empty tuple means ``*``
    vids: tuple[Expr, ...]
    yield_: YieldClause | None


@dataclass(frozen=True)
class FetchEdges:
    edge: str
    keys: tuple[EdgeKey, ...]
    yield_: YieldClause | None


@dataclass(frozen=True)
class Lookup:
    schema: str  # a tag or an edge type
    where: Expr | None
    yield_: YieldClause | None


@dataclass(frozen=True)
class FindPath:
    kind: str  # shortest (all shortest paths) | single (SINGLE SHORTEST: one of them) | all | noloop
    sources: tuple[Expr, ...]
    targets: tuple[Expr, ...]
    over: Over
    where: Expr | None
    upto: int
    yield_: YieldClause | None
    with_prop: bool = False


@dataclass(frozen=True)
class Subgraph:
    steps: int
    sources: tuple[Expr, ...]
    edges: tuple[tuple[str, tuple[str, ...]], ...]  # (IN|OUT|BOTH, edge types)
    where: Expr | None
    yield_: YieldClause | None
    with_prop: bool = False


@dataclass(frozen=True)
class YieldStmt:
    yield_: YieldClause
    where: Expr | None = None


@dataclass(frozen=True)
class GroupBy:
    keys: tuple[Expr, ...]
    yield_: YieldClause


@dataclass(frozen=True)
class OrderBy:
    items: tuple[SortItem, ...]


@dataclass(frozen=True)
class Limit:
    offset: int
    count: int


@dataclass(frozen=True)
class Use:
    space: str


@dataclass(frozen=True)
class Show:
    text: str


# ----------------------------------------------------------------------------------------------- MATCH
@dataclass(frozen=True)
class NodePattern:
    var: str | None
    labels: tuple[str, ...]
    props: MapLit | None


@dataclass(frozen=True)
class RelPattern:
    var: str | None
    types: tuple[str, ...]
    direction: str  # out | in | both
    min_hops: int | None = None  # None, None: a single edge
    max_hops: int | None = None
    var_length: bool = False
    props: MapLit | None = None


@dataclass(frozen=True)
class Pattern:
    path_var: str | None
    nodes: tuple[NodePattern, ...]
    rels: tuple[RelPattern, ...]
    shortest: str | None = None  # "shortestPath" | "allShortestPaths" when the pattern is wrapped in one


@dataclass(frozen=True)
class MatchClause:
    patterns: tuple[Pattern, ...]
    where: Expr | None = None
    optional: bool = False


@dataclass(frozen=True)
class UnwindClause:
    expr: Expr
    var: str


@dataclass(frozen=True)
class Projection:
    """WITH or RETURN: items (empty means ``*``), DISTINCT, ORDER BY, SKIP, LIMIT and (WITH only) WHERE."""

    items: tuple[YieldItem, ...]
    distinct: bool = False
    order: tuple[SortItem, ...] = ()
    skip: Expr | None = None
    limit: Expr | None = None
    where: Expr | None = None
    is_return: bool = False


@dataclass(frozen=True)
class CypherMutation:
    kind: str  # SET, DELETE, DETACH DELETE, REMOVE, CREATE, MERGE


@dataclass(frozen=True)
class Match:
    clauses: tuple[MatchClause | UnwindClause | Projection | CypherMutation, ...]


# ----------------------------------------------------------------------------------------------- mutations
@dataclass(frozen=True)
class Mutation:
    """A statement that changes data or schema, or administers the cluster. Never executed here."""

    kind: str  # e.g. "INSERT VERTEX", "DROP SPACE", "SUBMIT JOB"
    text: str = ""


@dataclass(frozen=True)
class Unwind:
    """``| UNWIND <expr> AS <alias>``: a pipe stage that turns each element of a list into a row."""

    expr: Expr
    var: str


@dataclass(frozen=True)
class Subquery:
    """``( <query> )`` used as one pipe stage (brackets around a set operation or a pipeline)."""

    query: "Query"


Statement = Union[Go, FetchVertices, FetchEdges, Lookup, FindPath, Subgraph, YieldStmt, GroupBy, OrderBy, Limit,
                  Use, Show, Match, Mutation, Unwind, Subquery]


@dataclass(frozen=True)
class Pipeline:
    stages: tuple[Statement, ...]


@dataclass(frozen=True)
class SetOp:
    """``<left> UNION [DISTINCT|ALL] | INTERSECT | MINUS <right>`` (equal precedence, left to right)."""

    op: str  # UNION (distinct) | UNION ALL | INTERSECT | MINUS
    left: "Query"
    right: "Query"


Query = Union[Pipeline, SetOp]


@dataclass(frozen=True)
class Assignment:
    var: str  # without the leading $
    pipeline: Query


@dataclass(frozen=True)
class Script:
    statements: tuple[Query | Assignment, ...] = field(default_factory=tuple)
