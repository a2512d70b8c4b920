"""A NebulaGraph cluster reached through ``nebula3-python``, for users who have one (none can run here).

Loads a :class:`~momq.schema.graph.GraphDatabase` as a space (CREATE SPACE / TAG / EDGE / INDEX, then INSERT
batches, waiting for schema propagation), runs untrusted nGQL read-only and introspects a space with SHOW TAGS /
DESCRIBE TAG. Read-only is enforced before anything is sent: our own parser must accept the query and
:func:`momq.ngql.safety.first_mutation` must find no mutation; NebulaGraph has no read-only session to rely on.
The statement text that loading sends is produced by pure functions (:func:`space_ddl`, :func:`schema_ddl`,
:func:`insert_statements`) so that it can be checked against our parser without a cluster. This module does not
start NebulaGraph and has not been run against a real cluster in this project's CI.
"""

from __future__ import annotations

import datetime as _dt
import decimal as _decimal
import logging
import time
from typing import Any

from momq.engines.base import (
    Engine, EngineUnavailable, ExecutionLimits, GraphEdge, GraphNode, GraphPath, QueryFailed, QueryResult,
    QueryTimeout, UnknownDatabase,
)
from momq.engines.ngql_emulation import read_only_script
from momq.ngql.parser import NGQLSyntaxError, parse
from momq.schema.graph import EdgeType, GraphDatabase, NodeType, Property
from momq.schema.types import ValueType

log = logging.getLogger(__name__)

NGQL_TYPES = {
    ValueType.INTEGER: "int64", ValueType.FLOAT: "double", ValueType.DECIMAL: "double",
    ValueType.TEXT: "string", ValueType.DATE: "date", ValueType.BOOLEAN: "bool",
}
_FROM_NGQL = {"int64": ValueType.INTEGER, "int32": ValueType.INTEGER, "int16": ValueType.INTEGER,
              "int8": ValueType.INTEGER, "double": ValueType.FLOAT, "float": ValueType.FLOAT,
              "string": ValueType.TEXT, "date": ValueType.DATE, "bool": ValueType.BOOLEAN}


# ----------------------------------------------------------------------------------------------- statement text
def literal(value: Any) -> str:
    """An nGQL literal for a Python value (strings double-quoted and escaped, dates as ``date("...")``)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (float, _decimal.Decimal)):
        return repr(float(value))
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return f'date("{value.isoformat()}")'
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") \
            .replace("\t", "\\t")
        return f'"{escaped}"'
    raise TypeError(f"no nGQL literal for {type(value).__name__}")


def _columns(props: tuple[Property, ...]) -> str:
    return ", ".join(f"`{p.name}` {NGQL_TYPES[p.type]} {'NULL' if p.nullable else 'NOT NULL'}" for p in props)


def space_ddl(db: GraphDatabase, space: str) -> str:
    vid_len = max([len(n.vid.encode()) for n in db.nodes] + [8])
    return (f"CREATE SPACE IF NOT EXISTS `{space}`(partition_num=1, replica_factor=1, "
            f"vid_type=FIXED_STRING({vid_len}))")


def schema_ddl(db: GraphDatabase) -> list[str]:
    """CREATE TAG/EDGE statements, then one property-less index per tag and edge type (LOOKUP/MATCH need one)."""
    out = [f"CREATE TAG IF NOT EXISTS `{nt.label}`({_columns(nt.properties)})" for nt in db.node_types]
    out += [f"CREATE EDGE IF NOT EXISTS `{et.type}`({_columns(et.properties)})" for et in db.edge_types]
    out += [f"CREATE TAG INDEX IF NOT EXISTS `idx_{nt.label}` ON `{nt.label}`()" for nt in db.node_types]
    out += [f"CREATE EDGE INDEX IF NOT EXISTS `idx_{et.type}` ON `{et.type}`()" for et in db.edge_types]
    return out


def insert_statements(db: GraphDatabase, batch: int = 200) -> list[str]:
    out = []
    for nt in db.node_types:
        names = [p.name for p in nt.properties]
        cols = ", ".join(f"`{n}`" for n in names)
        rows = [f"{literal(n.vid)}:({', '.join(literal(n.properties.get(c)) for c in names)})"
                for n in db.nodes if n.label == nt.label]
        for i in range(0, len(rows), batch):
            out.append(f"INSERT VERTEX `{nt.label}`({cols}) VALUES " + ", ".join(rows[i:i + batch]))
    for et in db.edge_types:
        names = [p.name for p in et.properties]
        cols = ", ".join(f"`{n}`" for n in names)
        rows = [f"{literal(e.source_vid)}->{literal(e.target_vid)}@{e.rank}:"
                f"({', '.join(literal(e.properties.get(c)) for c in names)})" for e in db.edges if e.type == et.type]
        for i in range(0, len(rows), batch):
            out.append(f"INSERT EDGE `{et.type}`({cols}) VALUES " + ", ".join(rows[i:i + batch]))
    return out


# ----------------------------------------------------------------------------------------------- engine
class NebulaEngine(Engine):
    name = "nebula"
    dialect = "ngql"
    stands_in_for = None

    def __init__(self, hosts: list[tuple[str, int]] | str, user: str = "root", password: str = "nebula",
                 space_prefix: str = "", timeout_s: float = 30.0, schema_wait_s: float = 60.0):
        from nebula3.Config import Config
        from nebula3.gclient.net import ConnectionPool

        if isinstance(hosts, str):
            hosts = [(h.rsplit(":", 1)[0], int(h.rsplit(":", 1)[1])) for h in hosts.split(",")]
        self.hosts, self.user, self.password = list(hosts), user, password
        self.space_prefix, self.schema_wait_s = space_prefix, schema_wait_s
        config = Config()
        config.max_connection_pool_size = 4
        config.timeout = int(timeout_s * 1000)  # socket timeout for connecting and for every statement
        self._pool = ConnectionPool()
        try:
            ok = self._pool.init(self.hosts, config)
        except Exception as exc:  # noqa: BLE001 - the client raises several unrelated types for "down"
            self._pool = None
            raise EngineUnavailable(f"NebulaGraph at {self._where()} is not reachable: {exc}") from exc
        if not ok:
            self._pool = None
            raise EngineUnavailable(f"NebulaGraph at {self._where()} is not reachable")
        try:
            self._session = self._pool.get_session(user, password)
        except Exception as exc:  # noqa: BLE001
            self.close()
            raise EngineUnavailable(f"NebulaGraph at {self._where()} refused user {user!r}: {exc}") from exc

    def _where(self) -> str:
        return ", ".join(f"{h}:{p}" for h, p in self.hosts)

    def space(self, db: str) -> str:
        return f"{self.space_prefix}{db}"

    def _run(self, stmt: str):
        res = self._session.execute(stmt)
        if not res.is_succeeded():
            raise QueryFailed(f"NebulaGraph rejected {stmt[:80]!r}: {res.error_msg()}")
        return res

    def _retry(self, stmt: str, what: str):
        deadline = time.monotonic() + self.schema_wait_s
        while True:
            try:
                return self._run(stmt)
            except QueryFailed:
                if time.monotonic() > deadline:
                    raise
                log.debug("waiting for %s to propagate", what)
                time.sleep(1.0)

    # ---- Engine
    def version(self) -> str:
        res = self._run("SHOW HOSTS GRAPH")
        rows = [[_value(v) for v in row.values] for row in res.rows()]
        versions = {str(r[-1]) for r in rows if r}
        return "NebulaGraph " + ", ".join(sorted(versions))

    def databases(self) -> list[str]:
        res = self._run("SHOW SPACES")
        names = [_value(row.values[0]) for row in res.rows()]
        return sorted(n[len(self.space_prefix):] for n in names if n.startswith(self.space_prefix))

    def load(self, db: GraphDatabase) -> None:
        space = self.space(db.name)
        self.drop(db.name)
        self._run(space_ddl(db, space))
        self._retry(f"USE `{space}`", f"space {space}")
        for stmt in schema_ddl(db):
            self._retry(stmt, "the schema")
        for stmt in insert_statements(db):
            self._retry(stmt, "tags and edge types")  # inserts fail until the schema reached every storaged

    def drop(self, name: str) -> None:
        self._run(f"DROP SPACE IF EXISTS `{self.space(name)}`")

    def execute(self, db: str, query: str, limits: ExecutionLimits = ExecutionLimits()) -> QueryResult:
        read_only_script(query)
        capped = f"{query.rstrip().rstrip(';')}\n| LIMIT {limits.max_rows + 1}"
        try:
            parse(capped)  # the row cap must not change what the query means
        except NGQLSyntaxError:
            capped = query
        if db not in self.databases():
            raise UnknownDatabase(f"space {self.space(db)!r} does not exist")
        t0 = time.monotonic()
        self._run(f"USE `{self.space(db)}`")
        try:
            res = self._session.execute(capped)
        except Exception as exc:  # noqa: BLE001 - socket timeouts surface as several exception types
            if "timed out" in str(exc).lower() or "timeout" in type(exc).__name__.lower():
                raise QueryTimeout(f"query exceeded {limits.timeout_s:g} s") from exc
            raise EngineUnavailable(f"NebulaGraph connection failed: {exc}") from exc
        elapsed = time.monotonic() - t0
        if not res.is_succeeded():
            raise QueryFailed(f"NebulaGraph: {res.error_msg()}")
        if elapsed > limits.timeout_s:
            raise QueryTimeout(f"query took {elapsed:.1f} s, over its {limits.timeout_s:g} s limit")
        rows = [tuple(_value(v) for v in row.values) for row in res.rows()]
        return QueryResult(tuple(res.keys()), rows[:limits.max_rows], len(rows) > limits.max_rows, elapsed)

    def schema(self, db: str) -> GraphDatabase:
        if db not in self.databases():
            raise UnknownDatabase(f"space {self.space(db)!r} does not exist")
        self._run(f"USE `{self.space(db)}`")
        tags = [_value(r.values[0]) for r in self._run("SHOW TAGS").rows()]
        edges = [_value(r.values[0]) for r in self._run("SHOW EDGES").rows()]

        def props(kind: str, name: str) -> tuple[Property, ...]:
            out = []
            for row in self._run(f"DESCRIBE {kind} `{name}`").rows():
                field, type_, null = (_value(v) for v in row.values[:3])
                base = str(type_).split("(")[0].lower()
                vt = ValueType.TEXT if base.startswith("fixed_string") else _FROM_NGQL.get(base, ValueType.TEXT)
                out.append(Property(field, vt, str(null).upper() != "NO"))
            return tuple(out)

        node_types = []
        for t in tags:
            p = props("TAG", t)
            if not p:  # a tag without properties: give it a placeholder key so the schema stays valid
                p = (Property("id", ValueType.TEXT),)
            node_types.append(NodeType(t, p, key=p[0].name))
        edge_types = []
        for e in edges:
            ends = self._run(f"MATCH (a)-[r:`{e}`]->(b) RETURN tags(a)[0], tags(b)[0] LIMIT 1").rows()
            src, dst = ((_value(ends[0].values[0]), _value(ends[0].values[1])) if ends
                        else (tags[0], tags[0]) if tags else ("", ""))
            edge_types.append(EdgeType(e, src, dst, props("EDGE", e),
                                       "" if ends else "endpoints unknown (no edges stored)"))
        return GraphDatabase(db, tuple(node_types), tuple(edge_types))

    def close(self) -> None:
        session, self._session = getattr(self, "_session", None), None
        if session is not None:
            try:
                session.release()
            except Exception:  # noqa: BLE001 - best effort
                pass
        if getattr(self, "_pool", None) is not None:
            self._pool.close()
            self._pool = None


def _value(v) -> Any:
    """nebula3 ValueWrapper -> plain Python / GraphNode / GraphEdge / GraphPath."""
    if v.is_null() or v.is_empty():
        return None
    if v.is_bool():
        return v.as_bool()
    if v.is_int():
        return v.as_int()
    if v.is_double():
        return v.as_double()
    if v.is_string():
        return v.as_string()
    if v.is_list():
        return [_value(x) for x in v.as_list()]
    if v.is_set():
        return [_value(x) for x in v.as_set()]
    if v.is_map():
        return {k: _value(x) for k, x in v.as_map().items()}
    if v.is_date():
        d = v.as_date()
        return _dt.date(d.get_year(), d.get_month(), d.get_day()).isoformat()
    if v.is_vertex():
        return _node(v.as_node())
    if v.is_edge():
        return _edge(v.as_relationship())
    if v.is_path():
        p = v.as_path()
        return GraphPath(tuple(_node(n) for n in p.nodes()), tuple(_edge(r) for r in p.relationships()))
    return str(v)


def _node(n) -> GraphNode:
    tags = tuple(n.tags())
    props: dict[str, Any] = {}
    for t in tags:
        props.update({k: _value(x) for k, x in n.properties(t).items()})
    return GraphNode(tags, props)


def _edge(r) -> GraphEdge:
    return GraphEdge(r.edge_name(), {k: _value(x) for k, x in r.properties().items()})
