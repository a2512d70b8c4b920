"""The Cypher engine for users with their own Neo4j or Memgraph server, through the official ``neo4j`` driver.

Untrusted queries run one statement at a time in an explicit transaction opened in READ access mode with a
transaction timeout, and that transaction is always rolled back, never committed: a server that enforces
READ mode (Neo4j) refuses writes, and on a transactional one that does not (Memgraph), the rollback discards
them. Because some Bolt servers honour neither (FalkorDB's own Bolt listener runs every query as a write and
ignores rollback), a query is also refused before it is sent when it holds a write clause or CALLs a
procedure not known to be read-only (:func:`momq.engines.graph_values.write_clause`). Results are fetched
in pages and cut at the row cap. A client-side watchdog gives up on a server that ignores the timeout and
reconnects. :meth:`BoltEngine.load` is for users who want to load a benchmark graph into their own server;
it writes through a separate write session and wipes the target database first.

``database``: with a name, every call goes to that one server database whatever graph name it is given (a
Neo4j Community or Memgraph server holds one graph); with None, a graph name is a server database name.
This module starts no server and does not create databases.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time

from momq.engines.base import (
    Engine,
    EngineError,
    EngineUnavailable,
    ExecutionLimits,
    QueryFailed,
    QueryResult,
    QueryTimeout,
    UnknownDatabase,
    UnsafeQueryError,
)
from momq.engines.graph_values import (
    SCHEMA_SAMPLE,
    cypher_load_batches,
    introspect_graph,
    key_indexes,
    single_statement,
    to_plain,
    write_clause,
)
from momq.engines.watchdog import run_watched
from momq.schema import Database, EdgeType, GraphDatabase, NodeType, Property
from momq.schema.types import ListType, ValueType, check_name

log = logging.getLogger(__name__)


class BoltEngine(Engine):
    name = "bolt"
    dialect = "cypher"
    stands_in_for = None

    def __init__(self, uri: str, user: str | None, password: str | None, database: str | None = None, *,
                 connection_timeout_s: float = 5.0, watchdog_grace_s: float = 5.0, fetch_size: int = 1000,
                 load_batch_size: int = 2000):
        if not uri.startswith(("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")):
            raise ValueError(f"not a Bolt URI: {uri!r} (expected bolt://host:port or neo4j://host:port)")
        if connection_timeout_s <= 0 or watchdog_grace_s <= 0 or fetch_size < 1:
            raise ValueError("timeouts must be positive and fetch_size at least 1")
        self.uri, self.database = uri, database
        self._auth = (user, password or "") if user is not None else None
        self.connection_timeout_s = connection_timeout_s
        self.watchdog_grace_s = watchdog_grace_s
        self.fetch_size = fetch_size
        self.load_batch_size = load_batch_size
        self._driver = None
        self._lock = threading.Lock()

    # ---- connection
    def _get_driver(self):
        with self._lock:
            if self._driver is None:
                import neo4j

                self._driver = neo4j.GraphDatabase.driver(
                    self.uri, auth=self._auth, connection_timeout=self.connection_timeout_s,
                    connection_acquisition_timeout=self.connection_timeout_s, max_transaction_retry_time=0,
                )
            return self._driver

    def close(self) -> None:
        with self._lock:
            driver, self._driver = self._driver, None
        if driver is not None:
            try:
                driver.close()
            except Exception:  # noqa: BLE001 - closing must not fail
                pass

    def _target(self, name: str | None) -> str | None:
        return self.database if self.database is not None else name

    # ---- Engine
    def version(self) -> str:
        with _mapped_errors(self):
            info = self._get_driver().get_server_info()
        return f"{info.agent} (Bolt {'.'.join(map(str, info.protocol_version))})"

    def databases(self) -> list[str]:
        if self.database is not None:
            return [self.database]
        import neo4j

        with _mapped_errors(self), self._get_driver().session(database="system",
                                                             default_access_mode=neo4j.READ_ACCESS) as s:
            rows = s.run("SHOW DATABASES YIELD name, type WHERE type <> 'system' RETURN DISTINCT name").values()
        return sorted(r[0] for r in rows)

    def drop(self, name: str) -> None:
        """Delete every node and relationship of the target database (the database itself stays)."""
        with _mapped_errors(self, name), self._get_driver().session(database=self._target(name)) as s:
            while s.run("MATCH (n) WITH n LIMIT 10000 DETACH DELETE n RETURN count(*)").single()[0]:
                pass

    def load(self, db: Database) -> None:
        if not isinstance(db, GraphDatabase):
            raise TypeError(f"a Bolt server loads graph databases, not {type(db).__name__}")
        t0 = time.monotonic()
        batches = list(cypher_load_batches(db, batch_size=self.load_batch_size))  # validates before wiping
        self.drop(db.name)
        with _mapped_errors(self, db.name), self._get_driver().session(database=self._target(db.name)) as s:
            for label, prop in key_indexes(db):
                self._create_index(s, label, prop)
            for stmt in batches:
                counters = s.execute_write(lambda tx, q=stmt.query, p=stmt.params: tx.run(q, p).consume().counters)
                made = counters.nodes_created if stmt.kind == "nodes" else counters.relationships_created
                if made != stmt.count:
                    raise QueryFailed(f"loading {db.name}: {stmt.kind} {stmt.label} created {made} of {stmt.count}")
        log.info("loaded graph %s over Bolt: %d nodes, %d edges in %.2f s", db.name, len(db.nodes), len(db.edges),
                 time.monotonic() - t0)

    @staticmethod
    def _create_index(session, label: str, prop: str) -> None:
        import neo4j

        for statement in (f"CREATE INDEX IF NOT EXISTS FOR (n:{label}) ON (n.{prop})",  # Neo4j 5
                          f"CREATE INDEX ON :{label}({prop})"):  # Memgraph
            try:
                session.run(statement).consume()
                return
            except neo4j.exceptions.Neo4jError as exc:
                last = exc
        log.warning("no index on %s.%s (the server accepted neither index syntax: %s)", label, prop, last)

    def execute(self, db: str, query: str, limits: ExecutionLimits = ExecutionLimits()) -> QueryResult:
        body = single_statement(query)
        why = write_clause(body)
        if why is not None:
            raise UnsafeQueryError(f"refused before execution: {why} can change data (read-only queries only)")
        t0 = time.monotonic()
        outcome = run_watched(lambda: self._run_read(db, body, limits), limits.timeout_s + self.watchdog_grace_s,
                              "momq-bolt-query")
        if outcome is None:
            self.close()  # drops the connection the query holds; the next call reconnects
            raise QueryTimeout(f"no answer from {self.uri} within {limits.timeout_s} s (+ grace); query abandoned")
        return outcome.query_result(t0)

    def _run_read(self, db: str, body: str, limits: ExecutionLimits) -> tuple[tuple[str, ...], list[tuple], bool]:
        """Columns, rows (at most ``max_rows``) and whether more rows existed; runs in the watchdog's thread."""
        import neo4j

        with _mapped_errors(self, db, limits.timeout_s):
            with self._get_driver().session(database=self._target(db), default_access_mode=neo4j.READ_ACCESS,
                                            fetch_size=min(self.fetch_size, limits.max_rows + 1)) as session:
                tx = session.begin_transaction(timeout=limits.timeout_s)
                try:
                    result = tx.run(body)
                    columns = tuple(result.keys())
                    rows, truncated = [], False
                    for record in result:
                        if len(rows) == limits.max_rows:
                            truncated = True
                            break
                        rows.append(tuple(to_plain(v) for v in record.values()))
                finally:
                    tx.rollback()  # never commit an untrusted query
        return columns, rows, truncated

    def schema(self, db: str) -> GraphDatabase:
        """Neo4j's own catalog (``db.schema.nodeTypeProperties`` / ``relTypeProperties``, ``SHOW INDEXES`` and
        ``SHOW CONSTRAINTS``) mapped by :func:`schema_from_catalog`, with each relationship type's endpoint
        labels from a bounded sample; a server without those procedures (Memgraph, FalkorDB) is sampled with
        portable Cypher (:func:`momq.engines.graph_values.introspect_graph`)."""
        import neo4j

        with _mapped_errors(self, db), self._get_driver().session(database=self._target(db),
                                                                 default_access_mode=neo4j.READ_ACCESS) as s:
            def run(q: str) -> list[list]:
                return [[to_plain(v) for v in rec.values()] for rec in s.execute_read(lambda tx: list(tx.run(q)))]

            indexed: set[tuple[str, str]] = set()
            for query in ("SHOW INDEXES YIELD labelsOrTypes, properties, entityType WHERE entityType = 'NODE' "
                          "RETURN labelsOrTypes, properties",
                          "SHOW CONSTRAINTS YIELD labelsOrTypes, properties, entityType WHERE entityType = 'NODE' "
                          "RETURN labelsOrTypes, properties"):
                try:
                    for labels, props in run(query):
                        indexed.update((label, p) for label in labels or () for p in props or ())
                except neo4j.exceptions.Neo4jError:
                    log.info("the server has no %s; keys are chosen without it", query.split(" YIELD")[0])
            try:
                nodes = run("CALL db.schema.nodeTypeProperties() YIELD nodeLabels, propertyName, propertyTypes, "
                            "mandatory RETURN nodeLabels, propertyName, propertyTypes, mandatory")
                rels = run("CALL db.schema.relTypeProperties() YIELD relType, propertyName, propertyTypes, mandatory "
                           "RETURN relType, propertyName, propertyTypes, mandatory")
            except neo4j.exceptions.Neo4jError:
                log.info("the server has no db.schema procedures; sampling the graph instead")
                return introspect_graph(db, run, indexed)
            ends = {}
            for rel_type in sorted({_rel_name(r[0]) for r in rels}):
                ends[rel_type] = [(r[0] or [], r[1] or []) for r in run(
                    f"MATCH (a)-[r:`{rel_type.replace('`', '``')}`]->(b) WITH a, b LIMIT {SCHEMA_SAMPLE} "
                    f"RETURN labels(a), labels(b)")]
            return schema_from_catalog(db, nodes, rels, ends, indexed)


#: Neo4j's property type names (db.schema.*TypeProperties) -> ours; ``...Array`` is a list of the element type
_NEO4J_TYPES = {"String": ValueType.TEXT, "Long": ValueType.INTEGER, "Integer": ValueType.INTEGER,
                "Double": ValueType.FLOAT, "Float": ValueType.FLOAT, "Boolean": ValueType.BOOLEAN,
                "Date": ValueType.DATE, "LocalDateTime": ValueType.DATETIME, "DateTime": ValueType.DATETIME,
                "LocalTime": ValueType.TIME, "Time": ValueType.TIME, "Duration": ValueType.INTERVAL}


def neo4j_type(names: list[str] | None):
    """Our type for the type names Neo4j reports for one property (several when values differ): numbers that mix
    integers and floats are FLOAT, anything else mixed or unknown (Point, ...) is TEXT."""
    names = [n for n in names or () if n]
    arrays = [n[:-len("Array")] for n in names if n.endswith("Array")]
    if names and len(arrays) == len(names):
        element = neo4j_type(arrays)
        return ListType(element if isinstance(element, ValueType) else ValueType.TEXT)
    types = {_NEO4J_TYPES.get(n) for n in names}
    if len(types) == 1 and None not in types:
        return types.pop()
    if types == {ValueType.INTEGER, ValueType.FLOAT}:
        return ValueType.FLOAT
    return ValueType.TEXT


def _rel_name(rel_type: str) -> str:
    """``:`ACTED_IN``` (as db.schema.relTypeProperties writes it) -> ``ACTED_IN``."""
    name = rel_type[1:] if rel_type.startswith(":") else rel_type
    return name[1:-1].replace("``", "`") if name.startswith("`") and name.endswith("`") else name


def schema_from_catalog(name: str, nodes: list[list], rels: list[list], ends: dict[str, list[tuple[list, list]]],
                        indexed: set[tuple[str, str]] = frozenset()) -> GraphDatabase:
    """A GraphDatabase from Neo4j's catalog rows.

    ``nodes``: rows (nodeLabels, propertyName, propertyTypes, mandatory) of ``db.schema.nodeTypeProperties``, one
    per label combination and property (propertyName None for a combination without properties); ``rels``:
    (relType, propertyName, propertyTypes, mandatory) of ``db.schema.relTypeProperties``; ``ends``: per
    relationship type, the (source labels, target labels) of sampled relationships (the endpoints are the labels
    all sampled sources / targets share, the one in fewest label combinations first). A label's properties are
    those of every combination that holds it (nullable unless mandatory in all of them) and the other labels of
    those combinations are its ``with_labels``; its key is an indexed or constrained property, else the best
    name among the mandatory ones (no uniqueness count is made here). Labels without properties are left out.
    """
    from momq.engines.graph_values import _edge_ends, _key_preference

    combos: dict[tuple[str, ...], dict[str, tuple[list, bool]]] = {}
    for labels, prop, types, mandatory in nodes:
        combo = combos.setdefault(tuple(labels or ()), {})
        if prop is not None:
            combo[prop] = (types or [], bool(mandatory))
    labels = sorted({label for combo in combos for label in combo})
    node_types = []
    for label in labels:
        holding = [(combo, props) for combo, props in combos.items() if label in combo]
        props: dict[str, list] = {}
        for _combo, cprops in holding:
            for prop, (types, _m) in cprops.items():
                props.setdefault(prop, []).extend(types)
        properties = []
        for prop, types in props.items():
            try:
                check_name(prop, "property")
            except ValueError as exc:
                log.warning("%s; left out of the schema", exc)
                continue
            mandatory = all(prop in cprops and cprops[prop][1] for _combo, cprops in holding)
            properties.append(Property(prop, neo4j_type(types), nullable=not mandatory))
        if not properties:
            log.warning("graph %s: label %s has no properties; left out of the schema", name, label)
            continue
        candidates = [p for p in properties if not p.nullable or (label, p.name) in indexed]
        candidates = [p for p in candidates if p.type in (ValueType.TEXT, ValueType.INTEGER)]
        ordered = sorted(candidates, key=lambda p: _key_preference(label, p.name, (label, p.name) in indexed))
        others = sorted({other for combo, _ in holding for other in combo if other != label})
        node_types.append(NodeType(label, tuple(properties), ordered[0].name if ordered else None,
                                   with_labels=tuple(others)))
    kept = {nt.label for nt in node_types}
    node_types = [dataclasses.replace(nt, with_labels=tuple(x for x in nt.with_labels if x in kept))
                  for nt in node_types]
    totals = {label: sum(label in combo for combo in combos) for label in kept}  # more combinations: more general
    edge_props: dict[str, list[Property]] = {}
    for rel_type, prop, types, mandatory in rels:
        rel = _rel_name(rel_type)
        edge_props.setdefault(rel, [])
        if prop is not None:
            edge_props[rel].append(Property(prop, neo4j_type(types), nullable=not mandatory))
    edge_types = []
    for rel, props in sorted(edge_props.items()):
        pair = _edge_ends(name, rel, ends.get(rel, []), kept, totals)
        if pair is None:
            log.warning("graph %s: relationship type %s joins no known labels; left out", name, rel)
            continue
        edge_types.append(EdgeType(rel, pair[0], pair[1], tuple(props)))
    return GraphDatabase(name, tuple(node_types), tuple(edge_types))


# ----------------------------------------------------------------------------------------------- errors
_TIMEOUT_CODES = ("TransactionTimedOut", "TransactionTimedOutClientConfiguration", "Transaction.Terminated")
_UNSAFE_CODES = ("Statement.AccessMode", "Security.Forbidden", "AccessMode")


class _mapped_errors:
    """Turn neo4j driver exceptions into EngineErrors with messages for people."""

    def __init__(self, engine: BoltEngine, db: str | None = None, timeout_s: float | None = None):
        self.engine, self.db, self.timeout_s = engine, db, timeout_s

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc is None or not isinstance(exc, Exception) or isinstance(exc, EngineError):
            return False
        from neo4j import exceptions as nx

        where = self.engine.uri
        if isinstance(exc, (nx.ServiceUnavailable, nx.SessionExpired, nx.AuthError)):
            raise EngineUnavailable(f"cannot use the Bolt server at {where}: {exc}") from exc
        if isinstance(exc, nx.Neo4jError):
            code, msg = exc.code or "", exc.message or str(exc)
            low = msg.lower()
            if any(c in code for c in _TIMEOUT_CODES) or "timed out" in low or "timeout" in low:
                raise QueryTimeout(f"query ran past its {self.timeout_s} s limit ({code or msg})") from exc
            if any(c in code for c in _UNSAFE_CODES) or "read only" in low or "read-only" in low \
                    or "write" in low and "not allowed" in low:
                raise UnsafeQueryError(f"refused: the query writes ({msg})") from exc
            if "DatabaseNotFound" in code or "database does not exist" in low:
                raise UnknownDatabase(f"the Bolt server at {where} has no database {self.db!r}") from exc
            raise QueryFailed(f"the server rejected the query: {msg} ({code})") from exc
        if isinstance(exc, nx.DriverError):
            raise EngineUnavailable(f"Bolt driver error talking to {where}: {exc}") from exc
        if isinstance(exc, OSError):
            raise EngineUnavailable(f"cannot reach {where}: {exc}") from exc
        return False
