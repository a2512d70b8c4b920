"""A live database's schema for prompts: the engine's own introspection plus a few sample values per column,
cached per connection (in memory for a server; also on disk under ``$MOMQ_HOME/schemas`` for the CLI).

Samples are read through the engine's read-only ``execute`` with the caller's limits (``SELECT * ... LIMIT n``
per table for SQL, ``MATCH (n:Label) RETURN n LIMIT n`` per label for Cypher and nGQL); a label or table whose
sample query fails keeps its definition without values (logged). Values are coerced to the schema's types
(graph engines store dates as ISO strings) and anything that does not fit is dropped, so the cached definition
is always a valid ``momq.schema`` value. It does not choose the part of a large schema that goes into a prompt:
``fit_prompt``'s budget does that.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import decimal as _decimal
import hashlib
import logging
import threading
import time
from pathlib import Path
from typing import Any, Callable

from momq.dialects.names import quote_name
from momq.engines.base import Engine, EngineError, ExecutionLimits, GraphNode
from momq.schema import Database, FieldType, GraphDatabase, ListType, Node, RelationalDatabase, Table, ValueType

log = logging.getLogger(__name__)

#: sample rows / nodes read per table / label
SAMPLE_ROWS = 5


def coerce(value: Any, vtype: FieldType) -> Any:
    """``value`` as a valid value of ``vtype``, or None when it is not one."""
    if value is None:
        return None
    if isinstance(vtype, ListType):
        return [coerce(v, vtype.element) for v in value] if isinstance(value, (list, tuple)) else None
    try:
        if vtype is ValueType.DATETIME and isinstance(value, str):
            value = _dt.datetime.fromisoformat(value)
        elif vtype is ValueType.TIME and isinstance(value, str):
            value = _dt.time.fromisoformat(value)
        elif vtype is ValueType.TIME and isinstance(value, _dt.timedelta):  # MariaDB returns TIME as a duration
            value = (_dt.datetime.min + value).time() if _dt.timedelta(0) <= value < _dt.timedelta(days=1) else None
        elif vtype is ValueType.DATE and isinstance(value, str):
            value = _dt.date.fromisoformat(value[:10])
        elif vtype is ValueType.DATE and isinstance(value, _dt.datetime):
            value = value.date()
        elif vtype is ValueType.DECIMAL and isinstance(value, (str, float)):
            value = _decimal.Decimal(str(value))
        elif vtype is ValueType.FLOAT and isinstance(value, _decimal.Decimal):
            value = float(value)
        elif vtype is ValueType.BOOLEAN and isinstance(value, int) and not isinstance(value, bool):
            value = bool(value)
    except (ValueError, _decimal.InvalidOperation):
        return None
    return value if vtype.accepts(value) else None


def _sql_name(table: Table, dialect: str) -> str:
    name = quote_name(table.name, dialect)
    return f"{quote_name(table.schema, dialect)}.{name}" if table.schema else name


def sample_relational(engine: Engine, spec: RelationalDatabase, dialect: str, limits: ExecutionLimits,
                      n: int = SAMPLE_ROWS) -> RelationalDatabase:
    tables = []
    for table in spec.tables:
        rows: list[tuple] = []
        try:
            result = engine.execute(spec.name, f"SELECT * FROM {_sql_name(table, dialect)} LIMIT {n}", limits)
            index = {c: k for k, c in enumerate(result.columns)}
            for row in result.rows:
                rows.append(tuple(coerce(row[index[c.name]], c.type) if c.name in index else None
                                  for c in table.columns))
        except EngineError as exc:
            log.warning("no sample values for table %s: %s", table.name, exc)
        tables.append(dataclasses.replace(table, rows=rows))
    return RelationalDatabase(spec.name, tuple(tables), spec.description, spec.views)


def sample_graph(engine: Engine, spec: GraphDatabase, dialect: str, limits: ExecutionLimits,
                 n: int = SAMPLE_ROWS) -> GraphDatabase:
    nodes: list[Node] = []
    for nt in spec.node_types:
        query = f"MATCH (v:{quote_name(nt.label, dialect)}) RETURN v LIMIT {n}"  # the same text in Cypher and nGQL
        try:
            result = engine.execute(spec.name, query, limits)
        except EngineError as exc:
            log.warning("no sample values for label %s: %s", nt.label, exc)
            continue
        types = {p.name: p.type for p in nt.properties}
        for k, (value, *_rest) in enumerate(result.rows):
            if not isinstance(value, GraphNode):
                continue
            props = {name: coerce(value.properties.get(name), vtype) for name, vtype in types.items()}
            vid = value.vid if value.vid is not None else f"{nt.label}_{props.get(nt.key, k)}"
            nodes.append(Node(nt.label, str(vid), props))
    return GraphDatabase(spec.name, spec.node_types, spec.edge_types, nodes, [], spec.description)


def introspect(engine: Engine, db: str, dialect: str, limits: ExecutionLimits, samples: bool = True) -> Database:
    """The engine's schema of ``db`` with sample values (see the module docstring)."""
    spec = engine.schema(db)
    if not samples:
        return spec
    if isinstance(spec, RelationalDatabase):
        return sample_relational(engine, spec, dialect, limits)
    return sample_graph(engine, spec, dialect, limits)


class SchemaCache:
    """Live schemas per connection key: in memory, and under ``folder`` when one is given. Thread-safe."""

    def __init__(self, folder: Path | str | None = None):
        self.folder = Path(folder) if folder is not None else None
        self._memory: dict[str, Database] = {}
        self._lock = threading.Lock()

    def path(self, key: str) -> Path | None:
        if self.folder is None:
            return None
        return self.folder / f"{hashlib.sha256(key.encode()).hexdigest()[:24]}.json"

    def get(self, key: str, load: Callable[[], Database], refresh: bool = False) -> tuple[Database, bool]:
        """(schema, whether it came from the cache); ``load()`` introspects when the cache has nothing."""
        from momq.schema.io import SchemaFormatError, read_database, write_database

        with self._lock:
            if not refresh and key in self._memory:
                return self._memory[key], True
            path = self.path(key)
            if not refresh and path is not None and path.is_file():
                try:
                    spec = read_database(path)
                    self._memory[key] = spec
                    return spec, True
                except SchemaFormatError as exc:
                    log.warning("ignoring a damaged cached schema %s: %s", path, exc)
        t0 = time.monotonic()
        spec = load()
        log.info("introspected %s in %.2f s", spec.name, time.monotonic() - t0)
        with self._lock:
            self._memory[key] = spec
            if path is not None:
                write_database(path, spec)
        return spec, False
