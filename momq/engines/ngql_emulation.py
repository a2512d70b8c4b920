"""The nGQL emulation: nGQL parsed by our own grammar, translated to openCypher and run read-only on FalkorDB.

It stands in for NebulaGraph, which cannot be installed here; every report must name it
"nGQL emulation (openCypher over FalkorDB), standing in for NebulaGraph" (:data:`DISPLAY_NAME`).

Property-graph mapping (NebulaGraph -> FalkorDB), kept in a graph of its own named ``ngql__<db>`` so that it
never collides with the Cypher engine's graph of the same database:
- a vertex (``Node``) becomes a node labelled with its tags (a multi-tag vertex is one node with several labels),
  its VID in the property ``_vid`` (indexed per tag), its tag properties as node properties (one flat map, so
  two tags of one vertex cannot give one property name two values; the script reader refuses that);
- an edge (``Edge``) becomes a relationship of its edge type, its rank in the property ``_rank``, its
  properties as relationship properties;
- ``_vid`` and ``_rank`` are hidden again in results: vertices come back as ``GraphNode(tags, props, vid=VID)``,
  edges as ``GraphEdge(type, props, rank=RANK)`` (with endpoint VIDs when inside a path), ``properties(...)`` maps
  without them;
- DATE values are stored as ISO strings and DECIMAL values as floats (FalkorDB has neither type);
- the schema (tags, edge types, typed properties) is kept as JSON (:mod:`momq.schema.io`) under the Redis key
  ``ngql__meta:<db>``;
- a load fills a graph under a temporary name and then, in one transaction, renames it over ``ngql__<db>`` and
  writes the schema: a failed load leaves the space as it was.

Execution: refuse text over the length or nesting limits and ``LOAD CSV`` (before our parser sees it) -> parse ->
refuse mutations (:class:`UnsafeQueryError`) -> refuse several statements unless the script is
``[USE <db>;] ($var = <query>;)* <query>`` (NebulaGraph needs assignments for one logical query) -> translate ->
check the translation as the Cypher engine checks Cypher (:func:`momq.engines.falkordb.check_cypher_text`) ->
``GRAPH.RO_QUERY`` with a server-side timeout, a client socket timeout and a ``LIMIT max_rows + 1``, after the
same server-wide memory and result-size bounds as the Cypher engine (:func:`momq.engines.falkordb.ensure_server_caps`);
rows are kept up to ``max_result_bytes``. Given our own server, loads are persisted and a stuck or dead server
is restarted with its data (:func:`momq.engines.falkordb.recover_after`). It does not
emulate NebulaGraph's storage layout, the index requirements of LOOKUP/MATCH, or GET SUBGRAPH.
"""

from __future__ import annotations

import datetime as _dt
import decimal as _decimal
import json
import logging
import time
import uuid
from collections import OrderedDict, defaultdict
from typing import TYPE_CHECKING, Any

from momq.engines.base import (
    Engine, EngineUnavailable, ExecutionLimits, GraphEdge, GraphNode, GraphPath, InvalidDatabase, QueryFailed,
    QueryResult,
    QueryTimeout, ResultBudget, UnknownDatabase, UnsafeQueryError,
)
from momq.dialects.lexical import code_text
from momq.dialects.names import quote_name
from momq.engines.graph_values import check_falkordb_names, file_or_network_clause
from momq.engines.process import LOOPBACK
from momq.ngql import ast as A
from momq.ngql.parser import NGQLSyntaxError, parse
from momq.ngql.safety import first_mutation, pipelines, statement_leading_mutation
from momq.ngql.translate import HIDDEN_PROPERTIES, RANK, VID, NGQLSemanticError, UnsupportedNGQL, translate
from momq.schema.graph import GraphDatabase
from momq.schema.io import graph_from_json, graph_to_json

if TYPE_CHECKING:
    from momq.engines.falkordb_server import FalkorDBServer

log = logging.getLogger(__name__)

DISPLAY_NAME = "nGQL emulation (openCypher over FalkorDB), standing in for NebulaGraph"
GRAPH_PREFIX = "ngql__"
META_PREFIX = "ngql__meta:"
#: Marks a graph that a load is still filling; it replaces ``ngql__<db>`` only once complete.
STAGING_MARK = "__momq_loading__"
_BATCH = 500


def read_only_script(query: str, note: str = "") -> A.Script:
    """Parse ``query`` and check that it is one read-only logical query (:func:`check_script_shape`).

    Raises UnsafeQueryError naming the mutation (``note`` ends that message), also for text that does not parse
    but starts like a mutation, and QueryFailed for any other syntax error.
    """
    try:
        script = parse(query)
    except NGQLSyntaxError as exc:
        kind = statement_leading_mutation(query)
        if kind:
            raise UnsafeQueryError(f"refused: {kind} changes data or schema{note}") from exc
        raise QueryFailed(f"nGQL syntax error at {exc}") from exc
    kind = first_mutation(script)
    if kind:
        raise UnsafeQueryError(f"refused: {kind} changes data or schema{note}")
    check_script_shape(script)
    return script


def check_script_shape(script: A.Script) -> None:
    """Raise UnsafeQueryError unless ``script`` is one logical query: ``[USE s;]* ($v = q;)* q``."""
    stmts = list(script.statements)
    while stmts and isinstance(stmts[0], A.Pipeline) and len(stmts[0].stages) == 1 \
            and isinstance(stmts[0].stages[0], A.Use):
        stmts.pop(0)
    if not stmts:
        raise QueryFailed("no query to run (only USE)")
    *before, last = stmts
    if any(not isinstance(s, A.Assignment) for s in before) or isinstance(last, A.Assignment):
        raise UnsafeQueryError("refused: several statements in one call; send one query (a script may only "
                               "assign $variables before its final statement)")
    for s in stmts:
        if any(isinstance(st, A.Use) for pipe in pipelines(s) for st in pipe.stages):
            raise UnsafeQueryError("refused: USE may only open the script")


class NGQLEmulationEngine(Engine):
    name = "ngql-emulation"
    dialect = "ngql"
    stands_in_for = "NebulaGraph"
    display_name = DISPLAY_NAME

    def __init__(self, host: str = LOOPBACK, port: int = 6379, *, server: "FalkorDBServer | None" = None):
        from falkordb import FalkorDB

        self.host, self.port = host, port
        self._server = server  # our own server: persisted after loads, restarted when stuck
        try:
            self._client = FalkorDB(host=host, port=port, socket_connect_timeout=3)
            self._client.connection.ping()
        except Exception as exc:  # noqa: BLE001 - any connection failure means the same to the caller
            raise EngineUnavailable(f"FalkorDB at {host}:{port} is not reachable: {exc}") from exc
        self._schemas: dict[str, GraphDatabase] = {}

    def _redis(self):
        """Map redis errors of admin calls (schema, load, drop) to EngineErrors, as the Cypher engine does."""
        return _redis_errors(self.host, self.port)

    def _persist(self) -> None:
        if self._server is not None:
            with self._redis():
                self._server.persist()

    # ---- introspection
    def version(self) -> str:
        with self._redis():
            modules = self._client.connection.execute_command("MODULE", "LIST")
        for entry in modules:
            items = entry.items() if isinstance(entry, dict) else zip(entry[::2], entry[1::2])
            mod = {(k.decode() if isinstance(k, bytes) else k): (v.decode() if isinstance(v, bytes) else v)
                   for k, v in items}
            if mod.get("name") == "graph":
                ver = int(mod["ver"])
                return f"{DISPLAY_NAME}; FalkorDB {ver // 10000}.{ver // 100 % 100}.{ver % 100}"
        raise EngineUnavailable("the FalkorDB module is not loaded on this server")

    def databases(self) -> list[str]:
        with self._redis():
            keys = self._client.connection.keys(META_PREFIX + "*")
        return sorted((k.decode() if isinstance(k, bytes) else k)[len(META_PREFIX):] for k in keys)

    def schema(self, db: str) -> GraphDatabase:
        if db in self._schemas:
            return self._schemas[db]
        with self._redis():
            raw = self._client.connection.get(META_PREFIX + db)
        if raw is None:
            raise UnknownDatabase(f"space {db!r} is not loaded in the nGQL emulation")
        out = graph_from_json(json.loads(raw))
        self._schemas[db] = out
        return out

    # ---- loading
    def load(self, db: GraphDatabase) -> None:
        with self._redis():
            self._load(db)
        self._persist()
        log.info("nGQL emulation: loaded space %s (%d vertices, %d edges)", db.name, len(db.nodes), len(db.edges))

    def _load(self, db: GraphDatabase) -> None:
        try:
            _validate(db)
            check_falkordb_names(db)
        except ValueError as exc:
            raise InvalidDatabase(f"space {db.name} cannot be loaded: {exc}") from exc
        tmp = f"{GRAPH_PREFIX}{db.name}{STAGING_MARK}{uuid.uuid4().hex[:12]}"
        graph = self._client.select_graph(tmp)
        try:
            self._fill(graph, db)
            # the graph and its schema replace the old ones in one transaction (RENAME overwrites atomically)
            pipe = self._client.connection.pipeline(transaction=True)
            pipe.rename(tmp, GRAPH_PREFIX + db.name)
            pipe.set(META_PREFIX + db.name, json.dumps(graph_to_json(db.without_data())))
            pipe.execute()
        except BaseException:
            try:
                self._client.connection.delete(tmp)
            except Exception as exc:  # noqa: BLE001 - the load's own error is the one to report
                log.warning("could not delete the staging graph %s: %s", tmp, exc)
            raise
        self._schemas[db.name] = db.without_data()

    def _fill(self, graph, db: GraphDatabase) -> None:
        """Create the indexes, vertices and edges of ``db`` in ``graph`` (a new, empty graph)."""
        graph.query("RETURN 1")  # creates the graph, so a space without vertices exists
        for nt in db.node_types:
            graph.query(f"CREATE INDEX FOR (n:{_cq(nt.label)}) ON (n.{VID})")
        by_tags: dict[tuple[str, ...], list[dict]] = defaultdict(list)
        for node in db.nodes:  # a vertex with several tags is one node with several labels
            by_tags[node.labels].append({"v": node.vid, "p": _props(node.properties)})
        for tags, rows in by_tags.items():
            labels = "".join(f":{_cq(tag)}" for tag in tags)
            for i in range(0, len(rows), _BATCH):
                graph.query(f"UNWIND $rows AS r CREATE (n{labels}) SET n = r.p, n.{VID} = r.v",
                            {"rows": rows[i:i + _BATCH]})
        labels_of = {n.vid: n.label for n in db.nodes}
        by_type: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
        for edge in db.edges:
            key = (edge.type, labels_of[edge.source_vid], labels_of[edge.target_vid])
            by_type[key].append({"s": edge.source_vid, "d": edge.target_vid, "k": edge.rank,
                                 "p": _props(edge.properties)})
        for (type_, src, dst), rows in by_type.items():
            for i in range(0, len(rows), _BATCH):
                batch = rows[i:i + _BATCH]
                res = graph.query(
                    f"UNWIND $rows AS r MATCH (a:{_cq(src)} {{{VID}: r.s}}) MATCH (b:{_cq(dst)} {{{VID}: r.d}}) "
                    f"CREATE (a)-[e:{_cq(type_)}]->(b) SET e = r.p, e.{RANK} = r.k", {"rows": batch})
                if res.relationships_created != len(batch):
                    raise InvalidDatabase(f"space {db.name} cannot be loaded: created {res.relationships_created} "
                                          f"of {len(batch)} {type_} edges; the space {db.name}, if any, is unchanged")

    def drop(self, name: str) -> None:
        with self._redis():
            self._drop(name)
        self._persist()

    def _drop(self, name: str) -> None:
        from redis.exceptions import ResponseError

        try:
            self._client.select_graph(GRAPH_PREFIX + name).delete()
        except ResponseError:
            pass  # no such graph
        self._client.connection.delete(META_PREFIX + name)
        self._schemas.pop(name, None)

    # ---- execution
    def translate(self, db: str, query: str, limits: ExecutionLimits | None = None):
        """Parse, check and translate ``query``; return the :class:`~momq.ngql.translate.Translation`.

        The text's length and nesting are checked first (``limits``, the defaults when None), so our parser and
        translator only see bounded input; a translation FalkorDB's parser could stall on, or one that reads
        files or URLs, is refused like the same Cypher sent to the Cypher engine.
        """
        from momq.engines.falkordb import check_cypher_text

        (limits or ExecutionLimits()).check_text(query, "ngql")
        if file_or_network_clause(code_text(query, "ngql")):
            raise UnsafeQueryError("refused: LOAD CSV reads files or URLs from the server")
        try:
            script = read_only_script(query, note=" (nGQL is read-only here)")
            schema = self.schema(db)
            tr = translate(script, schema, space=db)
        except UnsupportedNGQL as exc:
            raise QueryFailed(f"not supported by the {DISPLAY_NAME}: {exc}") from exc
        except NGQLSemanticError as exc:
            raise QueryFailed(f"nGQL semantic error: {exc}") from exc
        except RecursionError as exc:  # e.g. hundreds of chained operators: a deep tree, without brackets
            raise QueryFailed("the query's expressions nest too deeply for the nGQL parser and translator") from exc
        check_cypher_text(tr.cypher)
        return tr

    def execute(self, db: str, query: str, limits: ExecutionLimits = ExecutionLimits()) -> QueryResult:
        from falkordb import FalkorDB
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import ResponseError
        from redis.exceptions import TimeoutError as RedisTimeoutError

        from momq.engines.falkordb import ensure_server_caps, recover_after

        t0 = time.monotonic()
        tr = self.translate(db, query, limits)
        cypher = f"{tr.cypher} LIMIT {limits.max_rows + 1}"
        client = FalkorDB(host=self.host, port=self.port, socket_timeout=limits.timeout_s + 1.0,
                          socket_connect_timeout=3)
        stalled = False
        try:
            try:
                ensure_server_caps(client.connection, limits.max_rows + 1)
                res = client.select_graph(GRAPH_PREFIX + db).ro_query(cypher, tr.params,
                                                                     timeout=max(1, int(limits.timeout_s * 1000)))
            except RedisTimeoutError as exc:
                stalled = True
                raise QueryTimeout(f"query exceeded {limits.timeout_s:g} s (client gave up waiting)") from exc
            except ResponseError as exc:
                msg = str(exc)
                if "timed out" in msg.lower():
                    raise QueryTimeout(f"query exceeded {limits.timeout_s:g} s and was cancelled") from exc
                if "read-only" in msg.lower():
                    raise UnsafeQueryError(f"refused by FalkorDB's read-only command: {msg}") from exc
                raise QueryFailed(f"FalkorDB rejected the translated query: {msg}") from exc
            except RedisConnectionError as exc:
                raise EngineUnavailable(f"FalkorDB at {self.host}:{self.port} is not reachable: {exc}") from exc
            finally:
                client.connection.connection_pool.disconnect()
        except (QueryTimeout, EngineUnavailable) as exc:
            restarts = getattr(self._server, "restarts", 0)
            error = recover_after(exc, self._server, GRAPH_PREFIX + db, stalled=stalled)
            if getattr(self._server, "restarts", 0) != restarts:
                self._reconnect()
            raise error from exc.__cause__
        elapsed = time.monotonic() - t0
        if elapsed > limits.timeout_s:
            raise QueryTimeout(f"query took {elapsed:.1f} s, over its {limits.timeout_s:g} s limit")
        rows, budget = [], ResultBudget(limits)
        truncated = len(res.result_set) > limits.max_rows
        for raw in res.result_set[:limits.max_rows]:
            row = tuple(_value(v) for v in raw)
            if not budget.take(row):
                truncated = True
                break
            rows.append(row)
        return QueryResult(tr.columns, rows, truncated, elapsed)

    def _reconnect(self) -> None:
        """A new admin client after the server was restarted (the old one's socket went with the process)."""
        from falkordb import FalkorDB

        self.close()
        self._client = FalkorDB(host=self.host, port=self.port, socket_connect_timeout=3)

    def close(self) -> None:
        try:
            self._client.connection.close()
        except Exception:  # noqa: BLE001 - closing is best effort and idempotent
            pass


class _redis_errors:
    """redis errors of an admin call as EngineErrors: unreachable -> EngineUnavailable, no answer in time ->
    QueryTimeout, anything else the server said -> QueryFailed."""

    def __init__(self, host: str, port: int):
        self.where = f"FalkorDB at {host}:{port}"

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        from redis import exceptions as rx

        if isinstance(exc, rx.TimeoutError):
            raise QueryTimeout(f"{self.where} did not answer in time: {exc}") from exc
        if isinstance(exc, rx.ConnectionError):
            raise EngineUnavailable(f"{self.where} is not reachable: {exc}") from exc
        if isinstance(exc, rx.RedisError):
            raise QueryFailed(f"{self.where}: {exc}") from exc
        return False


# ----------------------------------------------------------------------------------------------- values
def _value(v: Any) -> Any:
    from falkordb.edge import Edge as FEdge
    from falkordb.node import Node as FNode
    from falkordb.path import Path as FPath

    if isinstance(v, FNode):
        return GraphNode(tuple(v.labels or ()), _visible(v.properties), vid=(v.properties or {}).get("_vid"))
    if isinstance(v, FEdge):
        return _edge(v, {})
    if isinstance(v, FPath):
        nodes = [_value(n) for n in v.nodes()]
        vid_of = {n.id: node.vid for n, node in zip(v.nodes(), nodes)}
        return GraphPath(tuple(nodes), tuple(_edge(e, vid_of) for e in v.edges()))
    if isinstance(v, (dict, OrderedDict)):
        return {k: _value(x) for k, x in v.items() if k not in HIDDEN_PROPERTIES}
    if isinstance(v, list):
        return [_value(x) for x in v]
    return v


def _edge(e: Any, vid_of: dict[int, str | None]) -> GraphEdge:
    """An edge with its nGQL identity: endpoint VIDs (known when the edge comes inside a path) and rank."""
    props = e.properties or {}
    return GraphEdge(e.relation, _visible(props), source_vid=vid_of.get(e.src_node),
                     target_vid=vid_of.get(e.dest_node), rank=props.get("_rank"))


def _visible(props: dict) -> dict:
    return {k: v for k, v in (props or {}).items() if k not in HIDDEN_PROPERTIES}


def _props(props: dict) -> dict:
    return {k: _stored(v) for k, v in props.items() if v is not None}


def _stored(v: Any) -> Any:
    if isinstance(v, (_dt.date, _dt.time)):
        return v.isoformat()
    if isinstance(v, _dt.timedelta):
        from momq.schema.io import interval_to_text

        return interval_to_text(v)
    if isinstance(v, _decimal.Decimal):
        return float(v)
    if isinstance(v, (list, tuple)):
        return [_stored(x) for x in v]
    return v


def _validate(db: GraphDatabase) -> None:
    for nt in db.node_types:
        if {p.name for p in nt.properties} & HIDDEN_PROPERTIES:
            raise ValueError(f"tag {nt.label}: {sorted(HIDDEN_PROPERTIES)} are reserved by the nGQL emulation")
    for et in db.edge_types:
        if {p.name for p in et.properties} & HIDDEN_PROPERTIES:
            raise ValueError(f"edge {et.type}: {sorted(HIDDEN_PROPERTIES)} are reserved by the nGQL emulation")
    labels = {nt.label for nt in db.node_types}
    seen: set[str] = set()
    for node in db.nodes:
        for tag in node.labels:
            if tag not in labels:
                raise ValueError(f"vertex {node.vid}: unknown tag {tag}")
        db.properties_of(node.labels)  # two tags that give one property two types cannot share one node
        if node.vid in seen:
            raise ValueError(f"duplicate VID {node.vid!r} (a VID identifies one vertex)")
        seen.add(node.vid)
    types = {et.type for et in db.edge_types}
    keys: set[tuple] = set()
    for edge in db.edges:
        if edge.type not in types:
            raise ValueError(f"edge {edge.source_vid}->{edge.target_vid}: unknown edge type {edge.type}")
        for vid in (edge.source_vid, edge.target_vid):
            if vid not in seen:
                raise ValueError(f"edge {edge.type} {edge.source_vid}->{edge.target_vid}: no vertex {vid!r}")
        key = (edge.type, edge.source_vid, edge.target_vid, edge.rank)
        if key in keys:
            raise ValueError(f"duplicate edge {key} (type, src, dst, rank identify one edge in nGQL)")
        keys.add(key)


def _cq(name: str) -> str:
    """A tag or edge type name as the translated openCypher writes it (backticks, ` doubled)."""
    return quote_name(name, "cypher")


__all__ = ["NGQLEmulationEngine", "DISPLAY_NAME", "GRAPH_PREFIX", "check_script_shape", "read_only_script"]

