"""Checks a generated query before it runs, and fixes what the schema proves wrong.

Per dialect: SQL gets the engines' read-statement pre-check, a parse by sqlglot to check table names against
the live schema, then the server's own ``EXPLAIN`` through the engine's read-only session (the query is planned,
not run). Cypher gets the write-clause check, Neo4j's linter when one is given, label / relationship-type /
property names checked against the schema, and relationship directions checked against the schema's edge
types: an arrow drawn the wrong way between two labelled nodes is turned round when the schema has that edge
type only the other way (a correction, reported in :attr:`Validated.notes`). nGQL gets our own parser and its
mutation check. A failed check raises :class:`ValidationError` (its message is meant to go back into the prompt);
a query that could write raises the engines' ``UnsafeQueryError``.

It does not run the query, and it is not the safety boundary: the engines' read-only sessions are.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

from momq.dialects.names import write_qualified
from momq.engines.base import Engine, ExecutionLimits, UnsafeQueryError
from momq.schema import Database, GraphDatabase, RelationalDatabase

log = logging.getLogger(__name__)

_SQLGLOT_DIALECT = {"mysql": "mysql", "postgresql": "postgres"}


class ValidationError(Exception):
    """A generated query that failed a check before execution. ``kind``: syntax, names, direction or plan."""

    def __init__(self, kind: str, message: str):
        self.kind = kind
        super().__init__(message)


@dataclass
class Validated:
    """The query to run (possibly corrected) and what was changed."""

    query: str
    notes: list[str] = field(default_factory=list)


def validate(query: str, dialect: str, schema: Database, engine: Engine, db: str,
             limits: ExecutionLimits = ExecutionLimits(), linter: Any = None) -> Validated:
    if not query.strip():
        raise ValidationError("syntax", "the answer holds no query")
    if dialect in _SQLGLOT_DIALECT:
        return _validate_sql(query, dialect, schema, engine, db, limits)
    if dialect == "cypher":
        return _validate_cypher(query, schema, linter)
    if dialect == "ngql":
        return _validate_ngql(query, schema)
    raise ValueError(f"no validation for dialect {dialect!r}")


# ----------------------------------------------------------------------------------------------- SQL
@dataclass(frozen=True)
class TableRef:
    """A table a SQL query names: its schema qualifier (None: none written) and name, as the server reads them
    (PostgreSQL folds an unquoted name to lower case; a quoted one is exact)."""

    schema: str | None
    name: str
    written: str  # as the query wrote it, for messages


def sql_table_refs(query: str, dialect: str) -> list[TableRef]:
    """The tables a SQL query reads (CTE names excluded); ValidationError when sqlglot cannot parse it."""
    import sqlglot
    from sqlglot import exp

    try:
        tree = sqlglot.parse_one(query, read=_SQLGLOT_DIALECT[dialect])
    except sqlglot.errors.ParseError as exc:
        first = str(exc).splitlines()[0] if str(exc) else "cannot parse the query"
        raise ValidationError("syntax", f"syntax error: {first}") from None

    def server_name(ident: Any) -> str | None:
        if not isinstance(ident, exp.Identifier):
            return None
        return ident.this if ident.quoted or dialect != "postgresql" else ident.this.lower()

    ctes = {c.alias_or_name.lower() for c in tree.find_all(exp.CTE)}
    refs = []
    for t in tree.find_all(exp.Table):
        if not t.name or (not t.args.get("db") and t.name.lower() in ctes):
            continue
        written = ".".join(part.sql(dialect=_SQLGLOT_DIALECT[dialect]) for part in (t.args.get("db"), t.this) if part)
        refs.append(TableRef(server_name(t.args.get("db")), server_name(t.this) or t.name, written))
    return refs


def _validate_sql(query: str, dialect: str, schema: Database, engine: Engine, db: str,
                  limits: ExecutionLimits) -> Validated:
    from momq.engines.base import QueryFailed
    from momq.engines.sql_safety import check_read_query

    statement = check_read_query(query, dialect)  # UnsafeQueryError for writes / several statements
    if isinstance(schema, RelationalDatabase):
        relations = (*schema.tables, *schema.views)  # a query may read a view as it reads a table
        unknown = sorted({ref.written for ref in sql_table_refs(statement, dialect)
                          if not any(_names(ref, r.schema, r.name, dialect) for r in relations)})
        if unknown:
            raise ValidationError("names", f"unknown table(s) {', '.join(unknown)}; the tables are "
                                           f"{', '.join(write_qualified(t.schema, t.name, dialect) for t in relations)}")
    explain = getattr(engine, "explain", None)
    if explain is not None:
        try:
            explain(db, statement, limits)
        except QueryFailed as exc:
            raise ValidationError("plan", str(exc)) from None
    return Validated(statement)


def _names(ref: TableRef, schema: str | None, name: str, dialect: str) -> bool:
    """Whether ``ref`` names the relation ``schema.name`` (schema None: the default one). PostgreSQL: the default
    schema is ``public`` (on the search path: also unqualified); names are exact once folded. MySQL: a table
    name's letter case is left to the server (it depends on ``lower_case_table_names``; EXPLAIN decides)."""
    if dialect == "postgresql":
        return ref.name == name and (ref.schema or "public") == (schema or "public")
    return ref.name.lower() == name.lower() and (ref.schema is None) == (schema is None) and (
        ref.schema is None or ref.schema.lower() == schema.lower())


# ----------------------------------------------------------------------------------------------- Cypher
_STRING = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_NAME = r"(?:`(?:[^`]|``)+`|[A-Za-z_]\w*)"  # a label, type or property: bare, or in backticks (`` inside)
_NODE = re.compile(rf"\(\s*(?P<var>[A-Za-z_]\w*)?\s*(?::\s*(?P<label>{_NAME}))?\s*(?:\{{[^{{}}]*\}})?\s*\)")
_REL = re.compile(rf"(?P<left><)?-\s*\[\s*(?P<var>[A-Za-z_]\w*)?\s*(?::\s*(?P<types>{_NAME}"
                  rf"(?:\s*\|\s*:?\s*{_NAME})*))?\s*(?P<rest>[^\[\]]*)\]\s*-(?P<right>>)?")
_PROP = re.compile(rf"(?<![\w.`])(?P<var>[A-Za-z_]\w*)\.(?P<prop>{_NAME})")


def _unquote(name: str) -> str:
    return name[1:-1].replace("``", "`") if name.startswith("`") else name


def _types(m: re.Match) -> list[str]:
    return [_unquote(t) for t in re.findall(_NAME, m.group("types") or "")]


def _mask_strings(text: str) -> str:
    return _STRING.sub(lambda m: m.group(0)[0] + " " * (len(m.group(0)) - 2) + m.group(0)[-1], text)


def _validate_cypher(query: str, schema: Database, linter: Any) -> Validated:
    from momq.engines.graph_values import single_statement, write_clause

    query = single_statement(query)
    reason = write_clause(query)
    if reason:
        raise UnsafeQueryError(f"refused: the query could write ({reason})")
    if linter is not None:
        errors = [d for d in linter.check(query) if d.is_error]
        if errors:
            d = errors[0]
            raise ValidationError("syntax", f"line {d.line}, column {d.column}: {d.message}")
    if not isinstance(schema, GraphDatabase):
        return Validated(query)
    return check_cypher_names(query, schema)


def check_cypher_names(query: str, schema: GraphDatabase) -> Validated:
    """Labels, relationship types, properties and directions of ``query`` against ``schema`` (see module doc)."""
    masked = _mask_strings(query)
    labels = {nt.label: nt for nt in schema.node_types}
    edges = {et.type: et for et in schema.edge_types}
    nodes = list(_NODE.finditer(masked))
    var_label: dict[str, str] = {}
    for m in nodes:
        label = None if m.group("label") is None else _unquote(m.group("label"))
        if label is not None and label not in labels:
            raise ValidationError("names", f"unknown label {label}; the labels are {', '.join(labels)}")
        if label is not None and m.group("var"):
            var_label[m.group("var")] = label
    rels = list(_REL.finditer(masked))
    var_edge: dict[str, str] = {}
    for m in rels:
        types = _types(m)
        for t in types:
            if t not in edges:
                raise ValidationError("names", f"unknown relationship type {t}; the types are {', '.join(edges)}")
        if m.group("var") and len(types) == 1:
            var_edge[m.group("var")] = types[0]
    for m in _PROP.finditer(masked):
        var, prop = m.group("var"), _unquote(m.group("prop"))
        if var in var_label:
            owner, props, what = var_label[var], labels[var_label[var]].properties, "label"
        elif var in var_edge:
            owner, props, what = var_edge[var], edges[var_edge[var]].properties, "relationship type"
        else:
            continue
        if prop not in {p.name for p in props}:
            raise ValidationError("names", f"{what} {owner} has no property {prop}; it has "
                                           f"{', '.join(p.name for p in props) or 'none'}")
    # directions: a relationship between two nodes whose labels are known
    node_end = {m.end(): m for m in nodes}
    node_start = {m.start(): m for m in nodes}
    notes: list[str] = []
    edits: list[tuple[int, int, str]] = []
    for m in rels:
        types = _types(m)
        left_arrow, right_arrow = bool(m.group("left")), bool(m.group("right"))
        if len(types) != 1 or left_arrow == right_arrow or "*" in (m.group("rest") or ""):
            continue
        before = _node_before(masked, m.start(), node_end)
        after = _node_after(masked, m.end(), node_start)
        if before is None or after is None:
            continue
        lab_a = _unquote(before.group("label") or "") or var_label.get(before.group("var") or "")
        lab_b = _unquote(after.group("label") or "") or var_label.get(after.group("var") or "")
        if lab_a is None or lab_b is None:
            continue
        src, dst = (lab_a, lab_b) if right_arrow else (lab_b, lab_a)
        et = edges[types[0]]
        if (src, dst) == (et.source, et.target):
            continue
        if (src, dst) == (et.target, et.source):
            text = query[m.start():m.end()]
            fixed = ("<" + text[:-1]) if right_arrow else (text[1:] + ">")
            edits.append((m.start(), m.end(), fixed))
            notes.append(f"reversed the arrow of {et.type}: the schema has it from {et.source} to {et.target}")
            continue
        raise ValidationError("direction", f"relationship {et.type} goes from {et.source} to {et.target}, "
                                           f"not from {src} to {dst}")
    for start, end, fixed in sorted(edits, reverse=True):
        query = query[:start] + fixed + query[end:]
    return Validated(query, notes)


def _node_before(text: str, pos: int, node_end: dict[int, re.Match]) -> re.Match | None:
    k = pos
    while k > 0 and text[k - 1].isspace():
        k -= 1
    return node_end.get(k)


def _node_after(text: str, pos: int, node_start: dict[int, re.Match]) -> re.Match | None:
    k = pos
    while k < len(text) and text[k].isspace():
        k += 1
    return node_start.get(k)


# ----------------------------------------------------------------------------------------------- nGQL
def _validate_ngql(query: str, schema: Database | None = None) -> Validated:
    """Our parser, the mutation check, then names: the translation against the space's schema refuses unknown
    tags, edge types and properties (and misplaced references) as NebulaGraph would after parsing."""
    from momq.ngql import NGQLSyntaxError, first_mutation, parse
    from momq.ngql.translate import NGQLSemanticError, UnsupportedNGQL, translate

    try:
        script = parse(query)
    except NGQLSyntaxError as exc:
        raise ValidationError("syntax", f"syntax error at {exc}") from None
    kind = first_mutation(script)
    if kind:
        raise UnsafeQueryError(f"refused: {kind} changes data; only read statements run")
    if isinstance(schema, GraphDatabase):
        try:
            translate(script, schema)
        except NGQLSemanticError as exc:
            raise ValidationError("names", str(exc)) from None
        except UnsupportedNGQL:
            pass  # valid nGQL the emulation cannot run; a real NebulaGraph may, so it is not refused here
    return Validated(query)
