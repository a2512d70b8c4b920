"""Database definitions as JSON: the round trip of the ``momq.schema`` dataclasses, with their data.

A definition is one JSON object with ``"kind": "relational"`` or ``"graph"`` (:func:`database_to_json` /
:func:`database_from_json`; :func:`write_database` / :func:`read_database` for files). Dates travel as ISO
strings and decimals as exact strings, so a definition read back equals the one written. The benchmark build
writes its databases this way, and external suites may bring theirs. The newer parts of the relational model
(namespaces, views, defaults, unique keys) are written only when used, so older definitions read and write
unchanged. This module does not read SQL dumps (engines run them: ``momq.engines.sql_dump``) and does not load
definitions into engines (``momq.bench.dataset``).
"""

from __future__ import annotations

import datetime as _dt
import decimal as _decimal
import json
import re
from pathlib import Path
from typing import Any, Mapping

from momq.schema.graph import Edge, EdgeType, GraphDatabase, Node, NodeType, Property
from momq.schema.relational import Column, ForeignKey, RelationalDatabase, Table, View
from momq.schema.types import FieldType, ListType, ValueType, field_type

FORMAT_VERSION = 1


class SchemaFormatError(ValueError):
    """A database definition (JSON) that does not follow the documented format."""


# ----------------------------------------------------------------------------------------------- values
_DURATION = re.compile(r"^(-?)P(\d+)DT(\d+)(?:\.(\d{1,6}))?S$")


def interval_to_text(value: _dt.timedelta) -> str:
    """A duration as ``[-]P<days>DT<seconds>[.<micro>]S`` (ISO 8601, days and seconds only), exact."""
    sign = "-" if value < _dt.timedelta(0) else ""
    value = abs(value)
    text = f"{sign}P{value.days}DT{value.seconds}"
    return text + (f".{value.microseconds:06d}S" if value.microseconds else "S")


def interval_from_text(text: str) -> _dt.timedelta:
    match = _DURATION.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not a duration like P1DT3600S")
    sign, days, seconds, micro = match.groups()
    value = _dt.timedelta(days=int(days), seconds=int(seconds), microseconds=int((micro or "0").ljust(6, "0")))
    return -value if sign else value


def value_to_json(value: Any, vtype: FieldType) -> Any:
    """A JSON value for a typed value: dates, times and durations as ISO strings, decimals as exact strings,
    lists item by item."""
    if value is None:
        return None
    if isinstance(vtype, ListType):
        return [value_to_json(v, vtype.element) for v in value]
    if vtype in (ValueType.DATE, ValueType.DATETIME, ValueType.TIME):
        return value.isoformat() if isinstance(value, (_dt.date, _dt.time)) else str(value)
    if vtype is ValueType.INTERVAL:
        return interval_to_text(value) if isinstance(value, _dt.timedelta) else str(value)
    if vtype is ValueType.DECIMAL:
        return format(_decimal.Decimal(str(value)), "f")
    return value


def value_from_json(value: Any, vtype: FieldType, where: str) -> Any:
    """Inverse of :func:`value_to_json`, checked against the type."""
    if value is None:
        return None
    if isinstance(vtype, ListType):
        if not isinstance(value, list):
            raise SchemaFormatError(f"{where}: {value!r} is not a valid {vtype.value}")
        return [value_from_json(v, vtype.element, f"{where}[{i}]") for i, v in enumerate(value)]
    try:
        if vtype is ValueType.DATE and isinstance(value, str):
            value = _dt.date.fromisoformat(value)
        elif vtype is ValueType.DATETIME and isinstance(value, str):
            value = _dt.datetime.fromisoformat(value)
        elif vtype is ValueType.TIME and isinstance(value, str):
            value = _dt.time.fromisoformat(value)
        elif vtype is ValueType.INTERVAL and isinstance(value, str):
            value = interval_from_text(value)
        elif vtype is ValueType.DECIMAL and isinstance(value, (str, int, float)) and not isinstance(value, bool):
            value = _decimal.Decimal(str(value))
        elif vtype is ValueType.FLOAT and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
    except (ValueError, _decimal.InvalidOperation) as exc:
        raise SchemaFormatError(f"{where}: {value!r} is not a valid {vtype.value}") from exc
    if not vtype.accepts(value):
        raise SchemaFormatError(f"{where}: {value!r} is not a valid {vtype.value}")
    return value


def _vtype(name: Any, where: str) -> FieldType:
    try:
        return field_type(name)
    except ValueError as exc:
        raise SchemaFormatError(f"{where}: unknown type {name!r}; expected one of "
                                  f"{', '.join(t.value for t in ValueType)} or list<one of them>") from exc


def _need(obj: Any, key: str, where: str, kind: type | tuple[type, ...] = str) -> Any:
    if not isinstance(obj, dict):
        raise SchemaFormatError(f"{where}: expected an object, got {type(obj).__name__}")
    if key not in obj:
        raise SchemaFormatError(f"{where}: missing field {key!r}")
    if not isinstance(obj[key], kind):
        raise SchemaFormatError(f"{where}: field {key!r} has the wrong type ({type(obj[key]).__name__})")
    return obj[key]


# ----------------------------------------------------------------------------------------------- relational JSON
def _columns_to_json(columns: tuple[Column, ...]) -> list[dict[str, Any]]:
    out = []
    for c in columns:
        obj: dict[str, Any] = {"name": c.name, "type": c.type.value, "nullable": c.nullable,
                               "description": c.description}
        if c.default is not None:
            obj["default"] = c.default
        out.append(obj)
    return out


def _optional(obj: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """``obj`` with the fields that are set (the newer, optional parts of the format stay out when unused, so
    definitions without them read and write exactly as before)."""
    obj.update({k: v for k, v in fields.items() if v})
    return obj


def _fk_to_json(fk: ForeignKey) -> dict[str, Any]:
    return _optional({"columns": list(fk.columns), "ref_table": fk.ref_table, "ref_columns": list(fk.ref_columns)},
                     ref_schema=fk.ref_schema)


def relational_to_json(db: RelationalDatabase) -> dict[str, Any]:
    return _optional({
        "kind": "relational",
        "format": FORMAT_VERSION,
        "name": db.name,
        "description": db.description,
        "tables": [
            _optional({
                "name": t.name,
                "description": t.description,
                "columns": _columns_to_json(t.columns),
                "primary_key": list(t.primary_key),
                "foreign_keys": [_fk_to_json(fk) for fk in t.foreign_keys],
                "rows": [[value_to_json(v, c.type) for v, c in zip(row, t.columns)] for row in t.rows],
            }, schema=t.schema, unique_keys=[list(u) for u in t.unique_keys])
            for t in db.tables
        ],
    }, views=[_optional({"name": v.name, "description": v.description, "columns": _columns_to_json(v.columns),
                         "definition": v.definition}, schema=v.schema) for v in db.views])


def _columns_from_json(items: Any, where: str) -> tuple[Column, ...]:
    if not isinstance(items, list):
        raise SchemaFormatError(f"{where}: columns must be a list")
    try:
        return tuple(
            Column(_need(c, "name", f"{where}: column #{ci}"), _vtype(c.get("type"), f"{where}: column #{ci}"),
                   nullable=bool(c.get("nullable", True)), description=str(c.get("description", "")),
                   default=None if c.get("default") is None else str(c["default"]))
            for ci, c in enumerate(items))
    except ValueError as exc:
        if isinstance(exc, SchemaFormatError):
            raise
        raise SchemaFormatError(f"{where}: {exc}") from exc


def relational_from_json(obj: Mapping[str, Any]) -> RelationalDatabase:
    where = "relational database"
    name = _need(obj, "name", where)
    tables = []
    for ti, t in enumerate(_need(obj, "tables", f"database {name}", list)):
        tname = _need(t, "name", f"database {name}: table #{ti}")
        tw = f"table {tname}"
        columns = _columns_from_json(_need(t, "columns", tw, list), tw)
        rows = []
        for ri, row in enumerate(t.get("rows", [])):
            if not isinstance(row, list) or len(row) != len(columns):
                raise SchemaFormatError(f"{tw}: row #{ri} must be a list of {len(columns)} values")
            rows.append(tuple(value_from_json(v, c.type, f"{tw}: row #{ri}, column {c.name}")
                              for v, c in zip(row, columns)))
        try:
            fks = tuple(ForeignKey(tuple(fk["columns"]), fk["ref_table"], tuple(fk["ref_columns"]),
                                   fk.get("ref_schema")) for fk in t.get("foreign_keys", []))
            tables.append(Table(tname, columns, tuple(t.get("primary_key", [])), fks, rows,
                                str(t.get("description", "")), t.get("schema"),
                                tuple(tuple(u) for u in t.get("unique_keys", []))))
        except (ValueError, KeyError, TypeError) as exc:
            raise SchemaFormatError(f"{tw}: {exc}") from exc
    views = []
    for vi, v in enumerate(obj.get("views", [])):
        vw = f"database {name}: view #{vi}"
        try:
            views.append(View(_need(v, "name", vw), _columns_from_json(v.get("columns", []), vw),
                              str(v.get("definition", "")), v.get("schema"), str(v.get("description", ""))))
        except ValueError as exc:
            if isinstance(exc, SchemaFormatError):
                raise
            raise SchemaFormatError(f"{vw}: {exc}") from exc
    try:
        return RelationalDatabase(name, tuple(tables), str(obj.get("description", "")), tuple(views))
    except (ValueError, KeyError) as exc:
        raise SchemaFormatError(f"database {name}: {exc}") from exc


# ----------------------------------------------------------------------------------------------- graph JSON
def _props_to_json(props: tuple[Property, ...]) -> list[dict[str, Any]]:
    out = []
    for p in props:
        item = {"name": p.name, "type": p.type.value, "nullable": p.nullable, "description": p.description}
        if p.default is not None:  # written only when set, so definitions without defaults stay as they were
            item["default"] = value_to_json(p.default, p.type)
        out.append(item)
    return out


def _props_from_json(items: Any, where: str) -> tuple[Property, ...]:
    if not isinstance(items, list):
        raise SchemaFormatError(f"{where}: properties must be a list")
    out = []
    for i, p in enumerate(items):
        pw = f"{where}: property #{i}"
        name, ptype = _need(p, "name", pw), _vtype(p.get("type"), pw)
        default = value_from_json(p.get("default"), ptype, f"{where}: property {name}, default")
        out.append(Property(name, ptype, nullable=bool(p.get("nullable", True)),
                            description=str(p.get("description", "")), default=default))
    return tuple(out)


def _node_type_to_json(nt: NodeType) -> dict[str, Any]:
    out = {"label": nt.label, "key": nt.key, "description": nt.description,
           "properties": _props_to_json(nt.properties)}
    if nt.with_labels:
        out["with_labels"] = list(nt.with_labels)
    return out


def _node_to_json(db: GraphDatabase, n: Node) -> dict[str, Any]:
    types = db.properties_of(n.labels)
    out = {"label": n.label, "vid": n.vid,
           "properties": {k: value_to_json(v, types[k]) for k, v in n.properties.items()}}
    if n.extra_labels:
        out["extra_labels"] = list(n.extra_labels)
    return out


def graph_to_json(db: GraphDatabase) -> dict[str, Any]:
    etypes = {et.type: {p.name: p.type for p in et.properties} for et in db.edge_types}
    return {
        "kind": "graph",
        "format": FORMAT_VERSION,
        "name": db.name,
        "description": db.description,
        "node_types": [_node_type_to_json(nt) for nt in db.node_types],
        "edge_types": [{"type": et.type, "source": et.source, "target": et.target, "description": et.description,
                        "properties": _props_to_json(et.properties)} for et in db.edge_types],
        "nodes": [_node_to_json(db, n) for n in db.nodes],
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
                     f"{gw}: node type {nt.get('label')}"),
                     _need(nt, "key", f"{gw}: node type {nt.get('label')}", (str, type(None))),
                     str(nt.get("description", "")), tuple(_need_list_of_str(nt, "with_labels", gw)))
            for i, nt in enumerate(_need(obj, "node_types", gw, list)))
        edge_types = tuple(
            EdgeType(_need(et, "type", f"{gw}: edge type #{i}"), _need(et, "source", f"{gw}: edge type #{i}"),
                     _need(et, "target", f"{gw}: edge type #{i}"),
                     _props_from_json(et.get("properties", []), f"{gw}: edge type {et.get('type')}"),
                     str(et.get("description", "")))
            for i, et in enumerate(obj.get("edge_types", [])))
    except ValueError as exc:
        if isinstance(exc, SchemaFormatError):
            raise
        raise SchemaFormatError(f"{gw}: {exc}") from exc
    try:
        shape = GraphDatabase(name, node_types, edge_types)
    except ValueError as exc:
        raise SchemaFormatError(f"{gw}: {exc}") from exc
    etypes = {et.type: {p.name: p.type for p in et.properties} for et in edge_types}
    nodes, vids = [], {}
    for i, n in enumerate(obj.get("nodes", [])):
        label, vid = _need(n, "label", f"{gw}: node #{i}"), _need(n, "vid", f"{gw}: node #{i}")
        labels = (label, *_need_list_of_str(n, "extra_labels", f"{gw}: node {vid!r}"))
        try:
            types = shape.properties_of(labels)
        except KeyError as exc:
            raise SchemaFormatError(f"{gw}: node {vid!r} has an unknown label among {list(labels)}") from exc
        except ValueError as exc:
            raise SchemaFormatError(f"{gw}: node {vid!r}: {exc}") from exc
        if vid in vids:
            raise SchemaFormatError(f"{gw}: duplicate vid {vid!r}")
        props = {}
        for k, v in (n.get("properties") or {}).items():
            if k not in types:
                raise SchemaFormatError(f"{gw}: node {vid!r}: property {k!r} is not declared on {'/'.join(labels)}")
            props[k] = value_from_json(v, types[k], f"{gw}: node {vid!r}, property {k}")
        vids[vid] = labels
        nodes.append(Node(label, vid, props, labels[1:]))
    edges = []
    for i, e in enumerate(obj.get("edges", [])):
        etype = _need(e, "type", f"{gw}: edge #{i}")
        if etype not in etypes:
            raise SchemaFormatError(f"{gw}: edge #{i} has unknown type {etype!r}")
        src, dst = _need(e, "source_vid", f"{gw}: edge #{i}"), _need(e, "target_vid", f"{gw}: edge #{i}")
        et = next(t for t in edge_types if t.type == etype)
        if et.source not in vids.get(src, ()) or et.target not in vids.get(dst, ()):
            raise SchemaFormatError(f"{gw}: edge #{i} {src}-[:{etype}]->{dst} does not join a {et.source} "
                                      f"to a {et.target}")
        props = {k: value_from_json(v, etypes[etype].get(k) or _undeclared(gw, etype, k), f"{gw}: edge #{i}, {k}")
                 for k, v in (e.get("properties") or {}).items()}
        edges.append(Edge(etype, src, dst, props, int(e.get("rank", 0))))
    try:
        return GraphDatabase(name, node_types, edge_types, nodes, edges, str(obj.get("description", "")))
    except ValueError as exc:
        raise SchemaFormatError(f"{gw}: {exc}") from exc


def _need_list_of_str(obj: Mapping[str, Any], key: str, where: str) -> list[str]:
    value = obj.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SchemaFormatError(f"{where}: {key!r} must be a list of names")
    return value


def _undeclared(gw: str, etype: str, key: str) -> ValueType:
    raise SchemaFormatError(f"{gw}: edge property {key!r} is not declared on {etype}")


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
    raise SchemaFormatError(f"a database definition needs \"kind\": \"relational\" or \"graph\", got {kind!r}")


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
        raise SchemaFormatError(f"{path}: not valid JSON ({exc.msg}, line {exc.lineno})") from exc
    except UnicodeDecodeError as exc:
        raise SchemaFormatError(f"{path}: not UTF-8 text (byte {exc.start}); not a database definition") from exc
    try:
        return database_from_json(obj)
    except SchemaFormatError as exc:
        raise SchemaFormatError(f"{path}: {exc}") from exc


__all__ = [
    "FORMAT_VERSION",
    "SchemaFormatError",
    "database_from_json",
    "database_to_json",
    "graph_from_json",
    "graph_to_json",
    "read_database",
    "relational_from_json",
    "relational_to_json",
    "value_from_json",
    "value_to_json",
    "write_database",
]
