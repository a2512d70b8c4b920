"""The Cypher engine: FalkorDB (standing in for Neo4j) through the ``falkordb`` client.

Loads a :class:`GraphDatabase` as a named graph, runs one untrusted query with ``GRAPH.RO_QUERY`` (the server
refuses anything that writes) under a server-side timeout, a client-side watchdog as a backstop (a huge reply
can take far longer to transfer and decode than to compute) and a row cap, and infers a graph schema from a
loaded graph. The server process itself is
:class:`momq.engines.falkordb_server.FalkorDBServer`; this module never starts or stops it.

Server-wide settings it raises when they are unlimited (never lowers): ``RESULTSET_SIZE`` (so a huge result is
cut on the server; rows beyond ``max_rows`` are dropped here and ``truncated`` is set) and
``QUERY_MEM_CAPACITY`` (so a query that builds a huge list fails instead of exhausting memory).

Before the server sees a query, :func:`check_cypher_text` refuses text its parser could stall on (length,
nesting: the parser is exponential in nesting depth and its timeout does not cover parsing) and ``LOAD CSV``
(reads files and URLs from the server). FalkorDB checks its timeout between operations, so one expression that
computes for a long time keeps a server thread busy after the timeout; on our own server
(:class:`~momq.engines.falkordb_server.FalkorDBServer`) :func:`recover_after` then restarts it with its data,
so one query cannot deny service to the next.
"""

from __future__ import annotations

import contextlib
import logging
import math
import re
import time
import uuid
from typing import TYPE_CHECKING, Any, Iterator

from momq.engines.base import (
    Engine,
    EngineError,
    EngineUnavailable,
    ExecutionLimits,
    InvalidDatabase,
    QueryFailed,
    QueryResult,
    QueryTimeout,
    ResultBudget,
    UnknownDatabase,
    UnsafeQueryError,
)
from momq.dialects.lexical import scan
from momq.dialects.names import quote_name
from momq.engines.graph_values import (
    check_falkordb_names, cypher_load_batches, file_or_network_clause, introspect_graph, key_indexes, single_statement,
    to_plain,
)
from momq.engines.watchdog import run_watched
from momq.schema import Database, GraphDatabase

if TYPE_CHECKING:
    from momq.engines.falkordb_server import FalkorDBServer

try:  # the client's own decoder of compact result cells (needs the graph for label/property names)
    from falkordb.query_result import parse_scalar
except ImportError:  # pragma: no cover - dependency of the package
    parse_scalar = None

log = logging.getLogger(__name__)

#: The deepest expression nesting sent to FalkorDB (see :func:`parser_nesting`). Its parser takes time exponential
#: in nesting and its query timeout does not cover parsing; measured here (FalkorDB 4.16, one query alone):
#: 12 nested ``(`` 0.012 s, 14 0.18 s, 16 0.65 s; ``(NOT (NOT ...`` grows ~4x a level (6: 0.009 s, 8: 0.24 s,
#: 10: 1.8 s). At 12 the worst measured shape (nested maps) takes 0.07 s.
MAX_PARSER_NESTING = 12
_NESTING_TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|[^\sA-Za-z0-9_]")

#: Marks a graph that a load is still filling (see :meth:`FalkorDBEngine.staged`); such graphs are never listed.
STAGING_MARK = "__momq_loading__"

#: Rows the server may return per query at least (internal queries such as schema sampling rely on it).
MIN_SERVER_RESULTSET = 10_001
DEFAULT_QUERY_MEMORY_MB = 1024


class FalkorDBEngine(Engine):
    name = "falkordb"
    dialect = "cypher"
    stands_in_for = "Neo4j"

    def __init__(self, host: str, port: int, password: str | None = None, *, socket_grace_s: float = 2.0,
                 max_query_memory_mb: int = DEFAULT_QUERY_MEMORY_MB, load_batch_size: int = 2000,
                 server: "FalkorDBServer | None" = None):
        if socket_grace_s <= 0:
            raise ValueError("socket_grace_s must be positive")
        if max_query_memory_mb < 1:
            raise ValueError("max_query_memory_mb must be at least 1")
        self.host, self.port, self._password = host, int(port), password
        self.socket_grace_s = socket_grace_s
        self.max_query_memory_mb = max_query_memory_mb
        self.load_batch_size = load_batch_size
        self._server = server  # our own server: persisted after loads, restarted when stuck (see recover_after)
        self._admin = None

    # ---- connections
    def _client(self):
        """The admin client (loads, schema, settings); untrusted queries get a client of their own."""
        if self._admin is None:
            from falkordb import FalkorDB

            self._admin = FalkorDB(host=self.host, port=self.port, password=self._password,
                                   socket_connect_timeout=2.0, socket_timeout=300.0)
        return self._admin

    def _command(self, *args):
        with _mapped_errors(self):
            return self._client().connection.execute_command(*args)

    def close(self) -> None:
        admin, self._admin = self._admin, None
        if admin is not None:
            try:
                admin.connection.close()
            except Exception:  # noqa: BLE001 - closing must not fail
                pass

    # ---- Engine
    def version(self) -> str:
        for entry in self._command("MODULE", "LIST"):
            mod = _as_dict(entry)
            if mod.get("name") == "graph":
                ver = int(mod["ver"])
                return f"FalkorDB {ver // 10000}.{ver // 100 % 100}.{ver % 100}"
        raise EngineUnavailable(f"the server at {self.host}:{self.port} has no FalkorDB module loaded")

    def databases(self) -> list[str]:
        return sorted(g for g in map(_text, self._command("GRAPH.LIST")) if STAGING_MARK not in g)

    def drop(self, name: str) -> None:
        if name in self.databases():
            self._command("GRAPH.DELETE", name)
            self._persist()

    def _persist(self) -> None:
        if self._server is not None:
            with _mapped_errors(self):
                self._server.persist()

    @contextlib.contextmanager
    def staged(self, name: str) -> Iterator[Any]:
        """A new, empty graph under a temporary name, for a load to fill.

        When the ``with`` block ends normally the graph replaces ``name`` in one step (``RENAME`` overwrites
        atomically, so readers see the old graph or the new one, never a half-loaded one) and the data is saved;
        when it raises, the temporary graph is deleted and the graph ``name``, if any, is untouched.
        """
        tmp = f"{name}{STAGING_MARK}{uuid.uuid4().hex[:12]}"
        with _mapped_errors(self, tmp):
            graph = self._client().select_graph(tmp)
        try:
            with _mapped_errors(self, tmp):
                graph.query("RETURN 1")  # creates the empty graph, so a graph without nodes still exists
            yield graph
            self._command("RENAME", tmp, name)
        except BaseException:
            try:
                self._command("GRAPH.DELETE", tmp)
            except EngineError as exc:  # the load's own error is the one to report
                log.warning("could not delete the staging graph %s: %s", tmp, exc)
            raise
        self._persist()

    def load(self, db: Database) -> None:
        if not isinstance(db, GraphDatabase):
            raise TypeError(f"FalkorDB loads graph databases, not {type(db).__name__}")
        t0 = time.monotonic()
        try:  # validates everything before the server sees anything
            check_falkordb_names(db)
            batches = list(cypher_load_batches(db, batch_size=self.load_batch_size))
        except ValueError as exc:
            raise InvalidDatabase(f"graph {db.name} cannot be loaded: {exc}") from exc
        with self.staged(db.name) as graph, _mapped_errors(self, db.name):
            for label, prop in key_indexes(db):
                graph.query(f"CREATE INDEX FOR (n:{quote_name(label, 'cypher')}) ON (n.{quote_name(prop, 'cypher')})")
            for stmt in batches:
                res = graph.query(stmt.query, params=stmt.params)
                made = res.nodes_created if stmt.kind == "nodes" else res.relationships_created
                if int(made) != stmt.count:
                    raise InvalidDatabase(f"graph {db.name} cannot be loaded: {stmt.kind} {stmt.label} created "
                                          f"{int(made)} of {stmt.count} (an edge endpoint was not found by its key?)"
                                          f"; the graph {db.name}, if any, is unchanged")
        log.info("loaded graph %s into FalkorDB: %d nodes, %d edges in %.2f s", db.name, len(db.nodes),
                 len(db.edges), time.monotonic() - t0)

    def execute(self, db: str, query: str, limits: ExecutionLimits = ExecutionLimits()) -> QueryResult:
        check_cypher_text(query, limits)
        body = single_statement(query)
        self._ensure_server_caps(limits.max_rows + 1)
        timeout_ms = max(1, math.ceil(limits.timeout_s * 1000))
        budget_s = limits.timeout_s + self.socket_grace_s
        from falkordb import FalkorDB

        # a client of its own: the watchdog below may have to cut its connection without touching other calls
        client = FalkorDB(host=self.host, port=self.port, password=self._password, socket_connect_timeout=2.0,
                          socket_timeout=budget_s)
        graph = client.select_graph(db)  # a fresh label/property-name cache for every call

        def run() -> tuple[tuple[str, ...], list[tuple], bool]:
            with _mapped_errors(self, db, limits.timeout_s):
                reply = graph.execute_command("GRAPH.RO_QUERY", db, body, "--compact", "timeout", timeout_ms)
                columns, raw_rows = _raw_result(reply)
                kept, budget = [], ResultBudget(limits)
                for raw in raw_rows[:limits.max_rows]:  # convert only the rows that are kept
                    row = tuple(to_plain(parse_scalar(cell, graph)) for cell in raw)
                    if not budget.take(row):
                        return columns, kept, True
                    kept.append(row)
            return columns, kept, len(raw_rows) > limits.max_rows

        t0 = time.monotonic()
        try:
            outcome = run_watched(run, budget_s, "momq-falkordb-query")
        finally:
            client.connection.connection_pool.disconnect()  # also ends a worker still reading the reply
        try:
            if outcome is None:
                raise QueryTimeout(f"no complete answer from FalkorDB within {limits.timeout_s} s (+ "
                                   f"{self.socket_grace_s} s grace); query abandoned")
            return outcome.query_result(t0)
        except (QueryTimeout, EngineUnavailable) as exc:
            restarts = getattr(self._server, "restarts", 0)
            error = recover_after(exc, self._server, db, stalled=outcome is None)
            if getattr(self._server, "restarts", 0) != restarts:
                self.close()  # the admin connection went with the old process
            raise error from exc.__cause__

    def schema(self, db: str) -> GraphDatabase:
        if db not in self.databases():
            raise UnknownDatabase(f"FalkorDB has no graph named {db!r}")
        self._ensure_server_caps(MIN_SERVER_RESULTSET)
        graph = self._client().select_graph(db)

        def run(q: str) -> list[list]:
            with _mapped_errors(self, db):
                return [[to_plain(v) for v in row] for row in graph.ro_query(q).result_set]

        indexed = set()
        for label, props, entity in run("CALL db.indexes() YIELD label, properties, entitytype "
                                        "RETURN label, properties, entitytype"):
            if entity == "NODE":
                indexed.update((label, p) for p in props)
        return introspect_graph(db, run, indexed)

    # ---- server settings
    def _ensure_server_caps(self, rows_needed: int) -> None:
        with _mapped_errors(self):
            ensure_server_caps(self._client().connection, rows_needed, self.max_query_memory_mb)


def ensure_server_caps(connection: Any, rows_needed: int,
                       max_query_memory_mb: int = DEFAULT_QUERY_MEMORY_MB) -> None:
    """Raise RESULTSET_SIZE to at least ``rows_needed`` and bound QUERY_MEM_CAPACITY when unlimited.

    Every engine that runs untrusted queries on a FalkorDB server calls this before each query (the Cypher engine
    and the nGQL emulation), so the bounds hold whichever engine a server meets first and after a restart.
    """
    config = {_text(k): v for k, v in connection.execute_command("GRAPH.CONFIG", "GET", "*")}
    size = int(config.get("RESULTSET_SIZE", -1))
    wanted = max(rows_needed, MIN_SERVER_RESULTSET)
    if size < 0 or size < wanted:
        # never lower a cap another client raised; only bound an unlimited one or raise a smaller one
        connection.execute_command("GRAPH.CONFIG", "SET", "RESULTSET_SIZE", wanted)
    if int(config.get("QUERY_MEM_CAPACITY", 0)) <= 0:
        connection.execute_command("GRAPH.CONFIG", "SET", "QUERY_MEM_CAPACITY", max_query_memory_mb * 1024 * 1024)


# ----------------------------------------------------------------------------------------------- input checks
def parser_nesting(cypher: str) -> int:
    """How deep FalkorDB's parser must nest for ``cypher``: brackets ``( [ {`` and ``CASE ... END`` count one level,
    a bracket right after ``NOT`` or a sign (``-(``, ``+(``) counts two (measured ~4x slower per level)."""
    stack: list[int] = []
    depth = deepest = 0
    prev = ""
    for seg in scan(cypher, "cypher"):
        if seg.kind != "code":
            if seg.kind != "comment":
                prev = "'"
            continue
        for tok in _NESTING_TOKEN.findall(cypher, seg.start, seg.end):
            upper = tok.upper()
            if tok in "([{" or upper == "CASE":
                weight = 2 if tok in "([{" and prev in ("NOT", "-", "+") else 1
                stack.append(weight)
                depth += weight
                deepest = max(deepest, depth)
            elif (tok in ")]}" or upper == "END") and stack:
                depth -= stack.pop()
            prev = upper
    return deepest


def check_cypher_text(cypher: str, limits: ExecutionLimits | None = None) -> None:
    """Refuse, before FalkorDB sees it, Cypher that its parser could stall on or that reaches files or URLs.

    Raises :class:`UnsafeQueryError`. ``limits`` adds the caller's length and nesting limits (the nGQL emulation
    checks its own source text against those and passes None for the translation).
    """
    if limits is not None:
        limits.check_text(cypher, "cypher")
    depth = parser_nesting(cypher)
    if depth > MAX_PARSER_NESTING:
        raise UnsafeQueryError(f"refused: expressions nest {depth} levels deep; FalkorDB's parser allows "
                               f"{MAX_PARSER_NESTING} here (its parsing time grows exponentially with depth)")
    clause = file_or_network_clause(cypher)
    if clause:
        raise UnsafeQueryError(f"refused: {clause} reads files or URLs from the server")


def recover_after(error: EngineError, server: "FalkorDBServer | None", graph: str, *, stalled: bool) -> EngineError:
    """After a query on our own ``server`` ended in ``error``, make sure the next query is answered; return the
    error to raise. Shared by the Cypher engine and the nGQL emulation.

    - ``stalled`` (no answer within the time limit plus a grace): FalkorDB did not return control, and its
      threads may stay busy for minutes (parsing is not covered by its timeout): restart it;
    - a timeout FalkorDB reported: restart only if a trivial query is not answered within a second;
    - the connection broke and the server does not answer (an allocation past its address-space limit aborts
      redis): restart it and report the query as failed (QueryFailed), since the server is available again.
    """
    if server is None:
        return error
    if isinstance(error, QueryTimeout):
        if stalled or not server.answers(graph):
            server.recover(f"a query got no answer within its limit ({error})")
        return error
    if not server.answers(graph):  # gone, or aborting (redis writes a crash report first)
        server.recover(f"the server stopped answering during a query ({error})")
        limit = f" of {server.memory_limit_mb} MB" if server.memory_limit_mb else ""
        return QueryFailed(f"FalkorDB stopped while running this query (it may have crossed the server's memory "
                           f"limit{limit}); it was restarted with its data")
    return error


# ----------------------------------------------------------------------------------------------- errors
class _mapped_errors:
    """Turn redis/FalkorDB exceptions into EngineErrors with messages for people."""

    def __init__(self, engine: FalkorDBEngine, graph: str | None = None, timeout_s: float | None = None):
        self.engine, self.graph, self.timeout_s = engine, graph, timeout_s

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc is None or not isinstance(exc, Exception):
            return False
        from redis import exceptions as rx

        where = f"FalkorDB at {self.engine.host}:{self.engine.port}"
        if isinstance(exc, rx.TimeoutError):
            raise QueryTimeout(f"no answer from {where} within {self.timeout_s} s (+ grace); query abandoned") from exc
        if isinstance(exc, rx.ConnectionError):
            raise EngineUnavailable(f"cannot reach {where}: {exc}") from exc
        if isinstance(exc, rx.ResponseError):
            msg = str(exc)
            low = msg.lower()
            if "timed out" in low:
                raise QueryTimeout(f"query ran past its {self.timeout_s} s limit and was stopped by FalkorDB") from exc
            if "read-only" in low or "readonly" in low:
                raise UnsafeQueryError(f"refused: the query writes (FalkorDB: {msg})") from exc
            if "empty key" in low:
                raise UnknownDatabase(f"FalkorDB has no graph named {self.graph!r}") from exc
            if "more than one statement" in low:
                raise UnsafeQueryError(f"only one statement per call is allowed (FalkorDB: {msg})") from exc
            if "mem consumption exceeded" in low:
                raise QueryFailed(f"the query used more than the {self.engine.max_query_memory_mb} MB memory "
                                  f"limit (FalkorDB: {msg})") from exc
            raise QueryFailed(f"FalkorDB rejected the query: {msg}") from exc
        if isinstance(exc, rx.RedisError):
            raise QueryFailed(f"{where}: {exc}") from exc
        return False


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _as_dict(entry: Any) -> dict[str, Any]:
    if isinstance(entry, dict):
        items = entry.items()
    else:  # RESP2 flat list [name, value, ...]
        it = iter(entry)
        items = zip(it, it)
    return {_text(k): (_text(v) if isinstance(v, bytes) else v) for k, v in items}


def _raw_result(reply: list) -> tuple[tuple[str, ...], list]:
    """Column names and unconverted rows of a compact GRAPH.RO_QUERY reply; raises the reply's error if any."""
    from redis.exceptions import ResponseError

    if reply and isinstance(reply[0], ResponseError):
        raise reply[0]
    if reply and isinstance(reply[-1], ResponseError):  # run-time error after the header
        raise reply[-1]
    if len(reply) < 3:  # statistics only: a query without RETURN
        return (), []
    return tuple(_column_name(h) for h in reply[0]), reply[1]


def _column_name(header_entry: Any) -> str:
    # compact result sets give [column type, name]; plain ones give the name
    if isinstance(header_entry, (list, tuple)):
        header_entry = header_entry[-1]
    return _text(header_entry)
