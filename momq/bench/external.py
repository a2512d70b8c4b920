"""Items written by others: databases as JSON or SQL dumps, items as JSONL, checked the way our gold is.

Database definitions travel as JSON of the ``momq.schema`` dataclasses (:func:`database_to_json` /
:func:`database_from_json`, ``"kind": "relational"`` or ``"graph"``); the benchmark build writes its own
databases this way, so anyone can rebuild the engines' contents. A relational database may also come as a SQL
dump (``CREATE TABLE`` + ``INSERT ... VALUES``), which is PARSED with sqlglot into a
:class:`~momq.schema.RelationalDatabase` rather than executed on an engine's admin connection, because:
(1) the same definition must load into both MariaDB and PostgreSQL, and a MySQL dump does not run on PostgreSQL;
(2) the definition is then available without an engine (prompt schema text with example values, JSON export);
(3) nothing from a stranger's file runs with admin rights (no GRANT, DROP DATABASE, procedures).
The price: only tables, columns of our six value types, primary/foreign keys and literal rows are understood;
anything else that is not harmless dump boilerplate (SET, LOCK/UNLOCK, DROP TABLE IF EXISTS, transactions,
CREATE INDEX, USE) is refused with the statement number.

An external suite (:class:`ExternalSuite`) is a JSONL file of items (``question``, ``dialect``, ``db_id``,
``query``; optional ``id``, ``evidence``, ``difficulty``, ``features``) plus a folder of database files named
after their db id (``<db_id>.sql`` and/or ``<db_id>.json``). :func:`check_suite` loads the databases into the
engines and keeps the items whose gold executes and returns rows. This module does not build our benchmark.
"""

from __future__ import annotations

import datetime as _dt
import decimal as _decimal
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

from momq.bench.records import BenchItem, RecordError, json_lines
from momq.dialects.base import Family, check_dialect, family_of
from momq.engines.base import Engine, EngineError, ExecutionLimits
from momq.schema import (
    Column,
    Edge,
    EdgeType,
    ForeignKey,
    GraphDatabase,
    Node,
    NodeType,
    Property,
    RelationalDatabase,
    Table,
    ValueType,
)

log = logging.getLogger(__name__)

FORMAT_VERSION = 1


class ExternalFormatError(ValueError):
    """A database or item file that does not follow the documented format."""


# ----------------------------------------------------------------------------------------------- values
def value_to_json(value: Any, vtype: ValueType) -> Any:
    """A JSON value for a typed value: dates as ISO strings, decimals as exact strings."""
    if value is None:
        return None
    if vtype is ValueType.DATE:
        return value.isoformat() if isinstance(value, _dt.date) else str(value)
    if vtype is ValueType.DECIMAL:
        return format(_decimal.Decimal(str(value)), "f")
    return value


def value_from_json(value: Any, vtype: ValueType, where: str) -> Any:
    """Inverse of :func:`value_to_json`, checked against the type."""
    if value is None:
        return None
    try:
        if vtype is ValueType.DATE and isinstance(value, str):
            value = _dt.date.fromisoformat(value)
        elif vtype is ValueType.DECIMAL and isinstance(value, (str, int, float)) and not isinstance(value, bool):
            value = _decimal.Decimal(str(value))
        elif vtype is ValueType.FLOAT and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
    except (ValueError, _decimal.InvalidOperation) as exc:
        raise ExternalFormatError(f"{where}: {value!r} is not a valid {vtype.value}") from exc
    if not vtype.accepts(value):
        raise ExternalFormatError(f"{where}: {value!r} is not a valid {vtype.value}")
    return value


def _vtype(name: Any, where: str) -> ValueType:
    try:
        return ValueType(name)
    except ValueError as exc:
        raise ExternalFormatError(f"{where}: unknown type {name!r}; expected one of "
                                  f"{', '.join(t.value for t in ValueType)}") from exc


def _need(obj: Any, key: str, where: str, kind: type | tuple[type, ...] = str) -> Any:
    if not isinstance(obj, dict):
        raise ExternalFormatError(f"{where}: expected an object, got {type(obj).__name__}")
    if key not in obj:
        raise ExternalFormatError(f"{where}: missing field {key!r}")
    if not isinstance(obj[key], kind):
        raise ExternalFormatError(f"{where}: field {key!r} has the wrong type ({type(obj[key]).__name__})")
    return obj[key]


# ----------------------------------------------------------------------------------------------- relational JSON
def relational_to_json(db: RelationalDatabase) -> dict[str, Any]:
    return {
        "kind": "relational",
        "format": FORMAT_VERSION,
        "name": db.name,
        "description": db.description,
        "tables": [
            {
                "name": t.name,
                "description": t.description,
                "columns": [{"name": c.name, "type": c.type.value, "nullable": c.nullable,
                             "description": c.description} for c in t.columns],
                "primary_key": list(t.primary_key),
                "foreign_keys": [{"columns": list(fk.columns), "ref_table": fk.ref_table,
                                  "ref_columns": list(fk.ref_columns)} for fk in t.foreign_keys],
                "rows": [[value_to_json(v, c.type) for v, c in zip(row, t.columns)] for row in t.rows],
            }
            for t in db.tables
        ],
    }


def relational_from_json(obj: Mapping[str, Any]) -> RelationalDatabase:
    where = "relational database"
    name = _need(obj, "name", where)
    tables = []
    for ti, t in enumerate(_need(obj, "tables", f"database {name}", list)):
        tname = _need(t, "name", f"database {name}: table #{ti}")
        tw = f"table {tname}"
        columns = tuple(
            Column(_need(c, "name", f"{tw}: column #{ci}"), _vtype(c.get("type"), f"{tw}: column #{ci}"),
                   nullable=bool(c.get("nullable", True)), description=str(c.get("description", "")))
            for ci, c in enumerate(_need(t, "columns", tw, list))
        )
        rows = []
        for ri, row in enumerate(t.get("rows", [])):
            if not isinstance(row, list) or len(row) != len(columns):
                raise ExternalFormatError(f"{tw}: row #{ri} must be a list of {len(columns)} values")
            rows.append(tuple(value_from_json(v, c.type, f"{tw}: row #{ri}, column {c.name}")
                              for v, c in zip(row, columns)))
        fks = tuple(ForeignKey(tuple(fk["columns"]), fk["ref_table"], tuple(fk["ref_columns"]))
                    for fk in t.get("foreign_keys", []))
        try:
            tables.append(Table(tname, columns, tuple(t.get("primary_key", [])), fks, rows,
                                str(t.get("description", ""))))
        except (ValueError, KeyError) as exc:
            raise ExternalFormatError(f"{tw}: {exc}") from exc
    try:
        return RelationalDatabase(name, tuple(tables), str(obj.get("description", "")))
    except (ValueError, KeyError) as exc:
        raise ExternalFormatError(f"database {name}: {exc}") from exc


# ----------------------------------------------------------------------------------------------- graph JSON
def _props_to_json(props: tuple[Property, ...]) -> list[dict[str, Any]]:
    return [{"name": p.name, "type": p.type.value, "nullable": p.nullable, "description": p.description}
            for p in props]


def _props_from_json(items: Any, where: str) -> tuple[Property, ...]:
    if not isinstance(items, list):
        raise ExternalFormatError(f"{where}: properties must be a list")
    return tuple(Property(_need(p, "name", f"{where}: property #{i}"), _vtype(p.get("type"), f"{where}: property #{i}"),
                          nullable=bool(p.get("nullable", True)), description=str(p.get("description", "")))
                 for i, p in enumerate(items))


def graph_to_json(db: GraphDatabase) -> dict[str, Any]:
    ntypes = {nt.label: {p.name: p.type for p in nt.properties} for nt in db.node_types}
    etypes = {et.type: {p.name: p.type for p in et.properties} for et in db.edge_types}
    return {
        "kind": "graph",
        "format": FORMAT_VERSION,
        "name": db.name,
        "description": db.description,
        "node_types": [{"label": nt.label, "key": nt.key, "description": nt.description,
                        "properties": _props_to_json(nt.properties)} for nt in db.node_types],
        "edge_types": [{"type": et.type, "source": et.source, "target": et.target, "description": et.description,
                        "properties": _props_to_json(et.properties)} for et in db.edge_types],
        "nodes": [{"label": n.label, "vid": n.vid,
                   "properties": {k: value_to_json(v, ntypes[n.label][k]) for k, v in n.properties.items()}}
                  for n in db.nodes],
        "edges": [{"type": e.type, "source_vid": e.source_vid, "target_vid": e.target_vid, "rank": e.rank,
                   "properties": {k: value_to_json(v, etypes[e.type][k]) for k, v in e.properties.items()}}
                  for e in db.edges],
    }


def graph_from_json(obj: Mapping[str, Any]) -> GraphDatabase:
    name = _need(obj, "name", "graph database")
    gw = f"graph {name}"
    try:
        node_types = tuple(
            NodeType(_need(nt, "label", f"{gw}: node type #{i}"), _props_from_json(nt.get("properties", []),
                     f"{gw}: node type {nt.get('label')}"), _need(nt, "key", f"{gw}: node type {nt.get('label')}"),
                     str(nt.get("description", "")))
            for i, nt in enumerate(_need(obj, "node_types", gw, list)))
        edge_types = tuple(
            EdgeType(_need(et, "type", f"{gw}: edge type #{i}"), _need(et, "source", f"{gw}: edge type #{i}"),
                     _need(et, "target", f"{gw}: edge type #{i}"),
                     _props_from_json(et.get("properties", []), f"{gw}: edge type {et.get('type')}"),
                     str(et.get("description", "")))
            for i, et in enumerate(obj.get("edge_types", [])))
    except ValueError as exc:
        if isinstance(exc, ExternalFormatError):
            raise
        raise ExternalFormatError(f"{gw}: {exc}") from exc
    ntypes = {nt.label: {p.name: p.type for p in nt.properties} for nt in node_types}
    etypes = {et.type: {p.name: p.type for p in et.properties} for et in edge_types}
    nodes, vids = [], {}
    for i, n in enumerate(obj.get("nodes", [])):
        label, vid = _need(n, "label", f"{gw}: node #{i}"), _need(n, "vid", f"{gw}: node #{i}")
        if label not in ntypes:
            raise ExternalFormatError(f"{gw}: node {vid!r} has unknown label {label!r}")
        if vid in vids:
            raise ExternalFormatError(f"{gw}: duplicate vid {vid!r}")
        props = {}
        for k, v in (n.get("properties") or {}).items():
            if k not in ntypes[label]:
                raise ExternalFormatError(f"{gw}: node {vid!r}: property {k!r} is not declared on {label}")
            props[k] = value_from_json(v, ntypes[label][k], f"{gw}: node {vid!r}, property {k}")
        vids[vid] = label
        nodes.append(Node(label, vid, props))
    edges = []
    for i, e in enumerate(obj.get("edges", [])):
        etype = _need(e, "type", f"{gw}: edge #{i}")
        if etype not in etypes:
            raise ExternalFormatError(f"{gw}: edge #{i} has unknown type {etype!r}")
        src, dst = _need(e, "source_vid", f"{gw}: edge #{i}"), _need(e, "target_vid", f"{gw}: edge #{i}")
        et = next(t for t in edge_types if t.type == etype)
        if vids.get(src) != et.source or vids.get(dst) != et.target:
            raise ExternalFormatError(f"{gw}: edge #{i} {src}-[:{etype}]->{dst} does not join a {et.source} "
                                      f"to a {et.target}")
        props = {k: value_from_json(v, etypes[etype].get(k) or _undeclared(gw, etype, k), f"{gw}: edge #{i}, {k}")
                 for k, v in (e.get("properties") or {}).items()}
        edges.append(Edge(etype, src, dst, props, int(e.get("rank", 0))))
    try:
        return GraphDatabase(name, node_types, edge_types, nodes, edges, str(obj.get("description", "")))
    except ValueError as exc:
        raise ExternalFormatError(f"{gw}: {exc}") from exc


def _undeclared(gw: str, etype: str, key: str) -> ValueType:
    raise ExternalFormatError(f"{gw}: edge property {key!r} is not declared on {etype}")


def database_to_json(db: RelationalDatabase | GraphDatabase) -> dict[str, Any]:
    if isinstance(db, RelationalDatabase):
        return relational_to_json(db)
    if isinstance(db, GraphDatabase):
        return graph_to_json(db)
    raise TypeError(f"not a database definition: {type(db).__name__}")


def database_from_json(obj: Mapping[str, Any]) -> RelationalDatabase | GraphDatabase:
    kind = obj.get("kind") if isinstance(obj, Mapping) else None
    if kind == "relational":
        return relational_from_json(obj)
    if kind == "graph":
        return graph_from_json(obj)
    raise ExternalFormatError(f"a database definition needs \"kind\": \"relational\" or \"graph\", got {kind!r}")


def write_database(path: str | Path, db: RelationalDatabase | GraphDatabase) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(database_to_json(db), ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def read_database(path: str | Path) -> RelationalDatabase | GraphDatabase:
    path = Path(path)
    try:
        obj = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ExternalFormatError(f"{path}: not valid JSON ({exc.msg}, line {exc.lineno})") from exc
    except UnicodeDecodeError as exc:
        raise ExternalFormatError(f"{path}: not UTF-8 text (byte {exc.start}); not a database definition") from exc
    try:
        return database_from_json(obj)
    except ExternalFormatError as exc:
        raise ExternalFormatError(f"{path}: {exc}") from exc


# ----------------------------------------------------------------------------------------------- SQL dumps
_SQL_TYPES: dict[str, ValueType] = {}
for _vt, _names in {
    ValueType.INTEGER: "INT TINYINT SMALLINT MEDIUMINT BIGINT UINT UTINYINT USMALLINT UMEDIUMINT UBIGINT SERIAL "
                       "BIGSERIAL SMALLSERIAL INT128 INT256",
    ValueType.FLOAT: "FLOAT DOUBLE",
    ValueType.DECIMAL: "DECIMAL MONEY SMALLMONEY UDECIMAL BIGDECIMAL",
    ValueType.TEXT: "CHAR VARCHAR NCHAR NVARCHAR TEXT TINYTEXT MEDIUMTEXT LONGTEXT NAME BPCHAR ENUM",
    ValueType.DATE: "DATE",
    ValueType.BOOLEAN: "BOOLEAN BIT",
}.items():
    for _n in _names.split():
        _SQL_TYPES[_n] = _vt


def _sql_type(kind: Any, where: str) -> ValueType:
    from sqlglot import exp

    if not isinstance(kind, exp.DataType):
        raise ExternalFormatError(f"{where}: column without a type")
    tname = kind.this.name
    params = [p.sql() for p in kind.expressions]
    if tname == "TINYINT" and params == ["1"]:  # MySQL's boolean
        return ValueType.BOOLEAN
    if tname not in _SQL_TYPES:
        raise ExternalFormatError(f"{where}: column type {kind.sql()} is not supported (supported: integers, "
                                  "FLOAT/DOUBLE, DECIMAL/NUMERIC, CHAR/VARCHAR/TEXT, DATE, BOOLEAN)")
    return _SQL_TYPES[tname]


def _literal(node: Any, vtype: ValueType, where: str) -> Any:
    from sqlglot import exp

    if isinstance(node, exp.Null):
        return None
    if isinstance(node, exp.Cast):
        return _literal(node.this, vtype, where)
    if isinstance(node, exp.Boolean):
        raw: Any = bool(node.this)
    elif isinstance(node, exp.Neg) and isinstance(node.this, exp.Literal) and not node.this.is_string:
        raw = "-" + node.this.name
    elif isinstance(node, exp.Literal):
        raw = node.name
        if node.is_string:
            if vtype is ValueType.TEXT:
                return raw
            if vtype is ValueType.DATE:
                try:
                    return _dt.date.fromisoformat(raw)
                except ValueError as exc:
                    raise ExternalFormatError(f"{where}: {raw!r} is not a date (YYYY-MM-DD)") from exc
    else:
        raise ExternalFormatError(f"{where}: only literal values are supported, got {node.sql()!r}")
    try:
        if vtype is ValueType.BOOLEAN:
            if isinstance(raw, bool):
                return raw
            if str(raw) in ("0", "1"):
                return raw == "1"
        elif vtype is ValueType.INTEGER and not isinstance(raw, bool):
            return int(raw)
        elif vtype is ValueType.FLOAT and not isinstance(raw, bool):
            return float(raw)
        elif vtype is ValueType.DECIMAL and not isinstance(raw, bool):
            return _decimal.Decimal(raw)
    except (ValueError, _decimal.InvalidOperation):
        pass
    raise ExternalFormatError(f"{where}: {node.sql()} is not a valid {vtype.value}")


def _harmless(stmt: Any) -> bool:
    from sqlglot import exp

    if isinstance(stmt, (exp.Set, exp.Transaction, exp.Commit, exp.Use)):
        return True
    if isinstance(stmt, exp.Drop) and stmt.args.get("exists") and str(stmt.args.get("kind", "")).upper() == "TABLE":
        return True
    if isinstance(stmt, exp.Create) and str(stmt.args.get("kind", "")).upper() in ("INDEX", "DATABASE", "SCHEMA"):
        return True
    if isinstance(stmt, exp.Command):
        words = stmt.this.upper().split() if isinstance(stmt.this, str) else []
        return bool(words) and words[0] in ("LOCK", "UNLOCK", "SET", "USE", "START", "BEGIN", "COMMIT")
    return False


def relational_from_sql(sql: str, name: str, read: str = "mysql", description: str = "") -> RelationalDatabase:
    """Parse a SQL dump (``CREATE TABLE`` + ``INSERT ... VALUES``) written for ``read`` (a sqlglot dialect name)."""
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ParseError

    sqlglot_log = logging.getLogger("sqlglot")
    level = sqlglot_log.level
    sqlglot_log.setLevel(logging.ERROR)  # dump boilerplate (LOCK TABLES) falls back to Command with a warning
    try:
        statements = [s for s in sqlglot.parse(sql, read=read) if s is not None]
    except ParseError as exc:
        raise ExternalFormatError(f"SQL dump for {name}: cannot parse: {exc}") from exc
    finally:
        sqlglot_log.setLevel(level)
    specs: dict[str, dict[str, Any]] = {}
    for no, stmt in enumerate(statements, start=1):
        where = f"SQL dump for {name}, statement {no}"
        if isinstance(stmt, exp.Create) and str(stmt.args.get("kind", "")).upper() == "TABLE":
            schema = stmt.this
            if not isinstance(schema, exp.Schema):
                raise ExternalFormatError(f"{where}: CREATE TABLE ... AS SELECT is not supported")
            tname = schema.this.name
            if tname in specs:
                raise ExternalFormatError(f"{where}: table {tname} is created twice")
            spec: dict[str, Any] = {"columns": [], "pk": [], "fks": [], "rows": []}
            for part in schema.expressions:
                pw = f"{where}, table {tname}"
                if isinstance(part, exp.ColumnDef):
                    cname = part.this.name
                    vtype = _sql_type(part.args.get("kind"), f"{pw}, column {cname}")
                    nullable = True
                    for cons in part.args.get("constraints") or []:
                        kind = cons.args.get("kind")
                        if isinstance(kind, exp.NotNullColumnConstraint) and not kind.args.get("allow_null"):
                            nullable = False
                        elif isinstance(kind, exp.PrimaryKeyColumnConstraint):
                            spec["pk"].append(cname)
                            nullable = False
                        elif isinstance(kind, exp.Reference):
                            spec["fks"].append(([cname], *_reference(kind)))
                    spec["columns"].append((cname, vtype, nullable))
                    continue
                # table constraints, possibly named (CONSTRAINT x ...); UNIQUE / KEY / CHECK are ignored
                for p in (list(part.expressions) if isinstance(part, exp.Constraint) else [part]):
                    if isinstance(p, exp.PrimaryKey):
                        spec["pk"].extend(e.name for e in p.expressions)
                    elif isinstance(p, exp.ForeignKey):
                        spec["fks"].append(([e.name for e in p.expressions], *_reference(p.args["reference"])))
            specs[tname] = spec
        elif isinstance(stmt, exp.Insert):
            target = stmt.this
            tname = target.this.name if isinstance(target, exp.Schema) else target.name
            if tname not in specs:
                raise ExternalFormatError(f"{where}: INSERT into {tname}, which was not created before")
            spec = specs[tname]
            names = [c[0] for c in spec["columns"]]
            cols = [c.name for c in target.expressions] if isinstance(target, exp.Schema) else names
            unknown = [c for c in cols if c not in names]
            if unknown:
                raise ExternalFormatError(f"{where}: INSERT into {tname} names unknown columns {unknown}")
            values = stmt.expression
            if not isinstance(values, exp.Values):
                raise ExternalFormatError(f"{where}: only INSERT ... VALUES is supported")
            types = {c[0]: c[1] for c in spec["columns"]}
            for ri, tup in enumerate(values.expressions):
                vals = tup.expressions if isinstance(tup, exp.Tuple) else [tup]
                if len(vals) != len(cols):
                    raise ExternalFormatError(f"{where}: row {ri + 1} has {len(vals)} values for {len(cols)} columns")
                got = {c: _literal(v, types[c], f"{where}, row {ri + 1}, column {c}") for c, v in zip(cols, vals)}
                spec["rows"].append(tuple(got.get(c) for c in names))
        elif _harmless(stmt):
            continue
        else:
            raise ExternalFormatError(f"{where}: unsupported statement {stmt.sql(dialect=read)[:80]!r} "
                                      "(a dump may hold CREATE TABLE and INSERT ... VALUES)")
    if not specs:
        raise ExternalFormatError(f"SQL dump for {name}: no CREATE TABLE statement")
    tables = []
    for tname, spec in specs.items():
        pk = list(dict.fromkeys(spec["pk"]))
        columns = tuple(Column(c, t, nullable=(n and c not in pk)) for c, t, n in spec["columns"])
        fks = tuple(dict.fromkeys(ForeignKey(tuple(a), ref, tuple(b) or tuple(pk_of(specs, ref)))
                                  for a, ref, b in spec["fks"]))
        try:
            tables.append(Table(tname, columns, tuple(pk), fks, spec["rows"]))
        except ValueError as exc:
            raise ExternalFormatError(f"SQL dump for {name}: {exc}") from exc
    try:
        return RelationalDatabase(name, tuple(tables), description)
    except (ValueError, KeyError) as exc:
        raise ExternalFormatError(f"SQL dump for {name}: {exc}") from exc


def _reference(ref: Any) -> tuple[str, list[str]]:
    """(table, columns) of a REFERENCES clause; no columns means the referenced table's primary key."""
    from sqlglot import exp

    target = ref.this
    if isinstance(target, exp.Schema):
        return target.this.name, [c.name for c in target.expressions]
    return target.name, []


def pk_of(specs: Mapping[str, Mapping[str, Any]], table: str) -> list[str]:
    """A ``REFERENCES t`` without columns means t's primary key."""
    if table not in specs:
        raise ExternalFormatError(f"foreign key to unknown table {table!r}")
    return list(specs[table]["pk"])


# ----------------------------------------------------------------------------------------------- suites
ITEM_FIELDS = ("id", "question", "dialect", "db_id", "query", "evidence", "difficulty", "features")


def read_external_items(path: str | Path, source: str) -> list[BenchItem]:
    """Items of an external suite. Required per line: question, dialect, db_id, query; others optional."""
    path = Path(path)
    items: list[BenchItem] = []
    ignored: set[str] = set()
    for lineno, obj in json_lines(path):
        if not isinstance(obj, dict):
            raise RecordError("a record must be a JSON object", path, lineno)
        missing = [k for k in ("question", "dialect", "db_id", "query") if k not in obj]
        if missing:
            raise RecordError(f"missing field(s) {', '.join(missing)} (an external item needs question, "
                              "dialect, db_id and query)", path, lineno)
        ignored |= set(obj) - set(ITEM_FIELDS)
        fields_ = {k: obj[k] for k in ITEM_FIELDS if k in obj and obj[k] is not None}
        fields_.setdefault("id", f"{source}-{lineno}")
        fields_["id"] = str(fields_["id"])
        try:
            items.append(BenchItem(**fields_, source=source, split="test"))
        except RecordError as exc:
            raise RecordError(str(exc), path, lineno) from exc
    if ignored:
        log.info("%s: ignored fields %s", path, ", ".join(sorted(ignored)))
    ids = [it.id for it in items]
    if len(set(ids)) != len(ids):
        raise RecordError("duplicate item ids", path)
    return items


@dataclass
class ExternalSuite:
    """External items with the databases they run on (relational and/or graph per db id)."""

    name: str
    items: list[BenchItem]
    relational: dict[str, RelationalDatabase] = field(default_factory=dict)
    graphs: dict[str, GraphDatabase] = field(default_factory=dict)

    def database_for(self, item: BenchItem) -> RelationalDatabase | GraphDatabase:
        family = family_of(item.dialect)
        table = self.relational if family is Family.RELATIONAL else self.graphs
        if item.db_id not in table:
            kind = "SQL dump or relational JSON" if family is Family.RELATIONAL else "graph JSON"
            raise ExternalFormatError(f"item {item.id} ({item.dialect}) needs a {kind} for database {item.db_id!r}")
        return table[item.db_id]

    def with_schema_text(self) -> "ExternalSuite":
        """Items with their prompt-ready schema text filled in (from the database definitions)."""
        from momq.dialects import get_dialect

        cache: dict[tuple[str, str], str] = {}
        out = []
        for item in self.items:
            key = (item.db_id, item.dialect)
            if key not in cache:
                cache[key] = get_dialect(item.dialect).render_schema(self.database_for(item))
            out.append(item.replace(schema=cache[key]))
        return ExternalSuite(self.name, out, dict(self.relational), dict(self.graphs))


def load_suite(items_path: str | Path, databases_dir: str | Path, name: str | None = None,
               sql_dialect: str = "mysql") -> ExternalSuite:
    """Read a suite: items JSONL + a folder with ``<db_id>.sql`` (dump) and/or ``<db_id>.json`` definitions."""
    items_path, databases_dir = Path(items_path), Path(databases_dir)
    name = name or items_path.stem
    items = read_external_items(items_path, source=name)
    relational: dict[str, RelationalDatabase] = {}
    graphs: dict[str, GraphDatabase] = {}
    if not databases_dir.is_dir():
        raise ExternalFormatError(f"{databases_dir}: not a folder of database definitions")
    for path in sorted(databases_dir.iterdir()):
        if path.suffix == ".sql":
            db_id = path.stem
            db: RelationalDatabase | GraphDatabase = relational_from_sql(
                path.read_text(encoding="utf-8"), db_id, read=sql_dialect)
        elif path.suffix == ".json":
            db = read_database(path)
        else:
            continue
        table: dict = relational if isinstance(db, RelationalDatabase) else graphs
        if db.name in table:
            raise ExternalFormatError(f"{path}: a second {'relational' if table is relational else 'graph'} "
                                      f"definition of database {db.name!r}")
        table[db.name] = db
    suite = ExternalSuite(name, items, relational, graphs)
    for item in items:
        suite.database_for(item)  # every item has its database
    return suite.with_schema_text()


@dataclass(frozen=True)
class GoldCheck:
    item_id: str
    dialect: str
    ok: bool
    reason: str  # "ok", "gold_error", "empty_result", "lint_error"
    detail: str = ""
    rows: int = 0


def check_suite(suite: ExternalSuite, engines: Mapping[str, Engine],
                limits: ExecutionLimits = ExecutionLimits(),
                linter: Any = None) -> list[GoldCheck]:
    """Load the suite's databases into ``engines`` (dialect -> engine) and execute every gold query.

    An item passes when its gold runs and returns at least one row (and, for Cypher with a ``linter``, when the
    linter reports no error; see :func:`momq.bench.build.lint_function`).
    """
    from momq.bench.build import lint_function

    lint = lint_function(linter)
    needed = {check_dialect(it.dialect) for it in suite.items}
    missing = sorted(needed - set(engines))
    if missing:
        raise ValueError(f"no engine for dialect(s) {', '.join(missing)}")
    loaded: set[tuple[str, str]] = set()
    results = []
    for item in suite.items:
        engine = engines[item.dialect]
        key = (item.dialect, item.db_id)
        if key not in loaded:
            engine.load(suite.database_for(item))
            loaded.add(key)
        if lint is not None and item.dialect == "cypher":
            try:
                problems = lint(item.query)
            except Exception as exc:  # the linter's own error type is not known here
                problems = [str(exc)]
            if problems:
                results.append(GoldCheck(item.id, item.dialect, False, "lint_error", str(problems)[:500]))
                continue
        try:
            result = engine.execute(item.db_id, item.query, limits)
        except EngineError as exc:
            results.append(GoldCheck(item.id, item.dialect, False, "gold_error", f"{type(exc).__name__}: {exc}"))
            continue
        if not result.rows:
            results.append(GoldCheck(item.id, item.dialect, False, "empty_result"))
        else:
            results.append(GoldCheck(item.id, item.dialect, True, "ok", rows=len(result.rows)))
    return results


def load_databases(paths: Iterable[str | Path]) -> list[RelationalDatabase | GraphDatabase]:
    return [read_database(p) for p in paths]


__all__ = [
    "ExternalFormatError",
    "ExternalSuite",
    "GoldCheck",
    "check_suite",
    "database_from_json",
    "database_to_json",
    "graph_from_json",
    "graph_to_json",
    "load_databases",
    "load_suite",
    "read_database",
    "read_external_items",
    "relational_from_json",
    "relational_from_sql",
    "relational_to_json",
    "write_database",
]
