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
    cypher_load_batches,
    introspect_graph,
    key_indexes,
    single_statement,
    to_plain,
    write_clause,
)
from momq.engines.watchdog import run_watched
from momq.schema import Database, GraphDatabase

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
        import neo4j

        with _mapped_errors(self, db), self._get_driver().session(database=self._target(db),
                                                                 default_access_mode=neo4j.READ_ACCESS) as s:
            def run(q: str) -> list[list]:
                return [[to_plain(v) for v in rec.values()] for rec in s.execute_read(lambda tx: list(tx.run(q)))]

            indexed: set[tuple[str, str]] = set()
            try:
                for labels, props in run("SHOW INDEXES YIELD labelsOrTypes, properties, entityType "
                                         "WHERE entityType = 'NODE' RETURN labelsOrTypes, properties"):
                    indexed.update((label, p) for label in labels or () for p in props or ())
            except neo4j.exceptions.Neo4jError:
                log.info("the server has no SHOW INDEXES; keys are chosen without index information")
            return introspect_graph(db, run, indexed)


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
