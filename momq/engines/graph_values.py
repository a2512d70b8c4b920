"""What every Cypher-speaking engine shares: loading a GraphDatabase, checking statements, converting results.

Four small pieces used by the FalkorDB, Bolt and nGQL-emulation engines:
- :func:`cypher_load_batches` turns a :class:`GraphDatabase` into batched ``UNWIND $rows`` statements (nodes per
  label, then edges matched by their endpoints' key properties), with property values converted to what a
  graph engine stores (NULL -> property absent, DATE -> ISO string, DECIMAL -> float);
- :func:`single_statement` refuses text with more than one statement (a ``;`` outside strings and comments), and
  :func:`write_clause` finds write clauses and non-read procedure calls (a lexical defence in depth), and
  :func:`file_or_network_clause` finds clauses that read files or URLs (LOAD CSV);
- :func:`to_plain` converts driver values (falkordb's Node/Edge/Path, the neo4j driver's Node/Relationship/Path
  and temporal types) into the engine-neutral :class:`GraphNode` / :class:`GraphEdge` / :class:`GraphPath`;
- :func:`introspect_graph` infers labels, relationship types and typed properties from a live graph through
  a caller-supplied read-only query runner.
It holds no connection (introspection runs its queries through the caller's runner); index statements and
write channels belong to each engine module. It is not a Cypher parser: the statement helpers only look at
words outside strings and comments, which the Cypher rule table of :mod:`momq.dialects.lexical` finds.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import decimal as _decimal
import logging
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterator

from momq.dialects.lexical import scan
from momq.engines.base import GraphEdge, GraphNode, GraphPath, QueryFailed, UnsafeQueryError
from momq.schema.graph import EdgeType, GraphDatabase, NodeType, Property
from momq.dialects.names import quote_name
from momq.schema.types import ListType, FieldType, ValueType, check_name

log = logging.getLogger(__name__)


# ----------------------------------------------------------------------------------------------- loading
INT64_MIN, INT64_MAX = -2 ** 63, 2 ** 63 - 1

def stored_value(value: Any, vtype: FieldType) -> Any:
    """A property value as graph engines store it; None means "leave the property out"."""
    if value is None:
        return None
    if not vtype.accepts(value):
        raise ValueError(f"value {value!r} is not a valid {vtype.value}")
    if isinstance(vtype, ListType):  # FalkorDB and Neo4j store lists; NULL elements stay NULL
        return [None if v is None else stored_value(v, vtype.element) for v in value]
    if vtype is ValueType.INTEGER and not INT64_MIN <= value <= INT64_MAX:
        raise ValueError(f"integer {value} does not fit in 64 bits (FalkorDB would silently store its limit)")
    if vtype in (ValueType.DATE, ValueType.DATETIME, ValueType.TIME):  # ISO text, as dates always were
        return value.isoformat()
    if vtype is ValueType.INTERVAL:
        from momq.schema.io import interval_to_text

        return interval_to_text(value)
    if vtype in (ValueType.DECIMAL, ValueType.FLOAT):
        return float(value)
    return value


def _stored_properties(props: dict[str, Any], types: dict[str, FieldType], what: str) -> dict[str, Any]:
    unknown = set(props) - set(types)
    if unknown:
        raise ValueError(f"{what} has properties not in its type: {sorted(unknown)}")
    out = {}
    for name, vtype in types.items():
        value = stored_value(props.get(name), vtype)
        if value is not None:
            out[name] = value
    return out


@dataclass(frozen=True)
class LoadStatement:
    """One write statement of a load, with its parameters (``rows`` is the UNWIND batch)."""

    query: str
    params: dict[str, Any]
    kind: str  # "nodes" or "edges"
    label: str  # the node label(s) (``A:B`` for several) or the edge type it writes
    count: int  # how many nodes/edges it creates


def cypher_load_batches(db: GraphDatabase, *, batch_size: int = 2000, vid_property: str | None = None,
                        rank_property: str | None = None) -> Iterator[LoadStatement]:
    """Batched CREATE statements for all nodes, then all edges, of ``db``; raises ValueError (before anything is
    yielded) for a definition that cannot be loaded as given.

    Nodes are created per combination of labels (``CREATE (n:Person:Actor)``). Edges find their endpoints by
    the endpoint's primary label and that label's key property (the key must be set, and unique within every
    label of the node that has one), so no helper property is needed; an edge type's source / target label may
    be any label of the endpoint. ``vid_property``/``rank_property`` store ``Node.vid``/``Edge.rank`` as real
    properties for callers that model them (the nGQL emulation); the Cypher engines leave both None, so gold
    Cypher queries never see implementation properties. Indexes on the key properties should exist before the
    edge statements run (see :func:`key_indexes`).
    """
    if batch_size < 1:
        raise ValueError("batch_size must be positive")
    node_types = {nt.label: nt for nt in db.node_types}
    for helper, types in ((vid_property, db.node_types), (rank_property, db.edge_types)):
        if helper is not None and any(helper == p.name for t in types for p in t.properties):
            raise ValueError(f"helper property {helper!r} collides with a declared property of {db.name}")
    where: dict[str, tuple[tuple[str, ...], Any]] = {}  # vid -> (labels, stored key value of the primary label)
    seen_keys: set[tuple[str, Any]] = set()
    rows_by_labels: dict[tuple[str, ...], list[dict]] = {(nt.label,): [] for nt in db.node_types}
    for node in db.nodes:
        for label in node.labels:
            if label not in node_types:
                raise ValueError(f"node {node.vid!r} has label {label!r}, which is not a node type of {db.name}")
        if len(set(node.labels)) != len(node.labels):
            raise ValueError(f"node {node.vid!r} repeats a label: {list(node.labels)}")
        props = _stored_properties(node.properties, db.properties_of(node.labels), f"node {node.vid!r}")
        if node.vid in where:
            raise ValueError(f"duplicate vertex id {node.vid!r}")
        for label in node.labels:
            lkey = node_types[label].key
            if lkey is None or props.get(lkey) is None:
                continue
            if (label, props[lkey]) in seen_keys:
                raise ValueError(f"duplicate key {lkey}={props[lkey]!r} in label {label}")
            seen_keys.add((label, props[lkey]))
        nt = node_types[node.label]
        if nt.key is not None and props.get(nt.key) is None:
            raise ValueError(f"node {node.vid!r} ({nt.label}) has no value for its key property {nt.key!r}")
        where[node.vid] = (node.labels, props.get(nt.key) if nt.key is not None else None)
        if vid_property is not None:
            props[vid_property] = node.vid
        rows_by_labels.setdefault(node.labels, []).append(props)

    edge_types = {et.type: et for et in db.edge_types}
    rows_by_ends: dict[tuple[str, str, str], list[dict]] = {}
    for i, edge in enumerate(db.edges):
        et = edge_types.get(edge.type)
        if et is None:
            raise ValueError(f"edge #{i} has type {edge.type!r}, which is not an edge type of {db.name}")
        ends = []
        for vid, label in ((edge.source_vid, et.source), (edge.target_vid, et.target)):
            if vid not in where:
                raise ValueError(f"edge #{i} ({edge.type}) refers to unknown vertex {vid!r}")
            labels, key = where[vid]
            if label not in labels:
                raise ValueError(f"edge #{i} ({edge.type}) expects a {label} at {vid!r}, found {':'.join(labels)}")
            if key is None:
                raise ValueError(f"edge #{i} ({edge.type}): vertex {vid!r} has no value for the key of its label "
                                 f"{labels[0]}, so the edge cannot find it")
            ends.append(key)
        props = _stored_properties(edge.properties, {p.name: p.type for p in et.properties}, f"edge #{i}")
        if rank_property is not None:
            props[rank_property] = edge.rank
        pair = (et.type, where[edge.source_vid][0][0], where[edge.target_vid][0][0])
        rows_by_ends.setdefault(pair, []).append({"s": ends[0], "t": ends[1], "p": props})

    for labels, rows in rows_by_labels.items():
        for chunk in _chunks(rows, batch_size):
            yield LoadStatement(f"UNWIND $rows AS row CREATE (n:{':'.join(map(_quote, labels))}) SET n = row",
                                {"rows": chunk}, "nodes", ":".join(labels), len(chunk))
    for et in db.edge_types:
        for (type_, source, target), rows in rows_by_ends.items():
            if type_ != et.type:
                continue
            src, dst = node_types[source], node_types[target]
            query = (f"UNWIND $rows AS row MATCH (a:{_quote(src.label)} {{{_quote(src.key)}: row.s}}) "
                     f"MATCH (b:{_quote(dst.label)} {{{_quote(dst.key)}: row.t}}) "
                     f"CREATE (a)-[r:{_quote(et.type)}]->(b) SET r = row.p")
            for chunk in _chunks(rows, batch_size):
                yield LoadStatement(query, {"rows": chunk}, "edges", et.type, len(chunk))


def check_falkordb_names(db: GraphDatabase) -> None:
    """ValueError for a label, relationship type or property name FalkorDB cannot write: its parser reads no
    backtick inside a quoted name (Neo4j's doubled ````` is a syntax error there)."""
    names = [(what, name) for nt in db.node_types for what, name in
             [("label", nt.label), *(("property", p.name) for p in nt.properties)]]
    names += [(what, name) for et in db.edge_types for what, name in
              [("relationship type", et.type), *(("property", p.name) for p in et.properties)]]
    for what, name in names:
        if "`" in name:
            raise ValueError(f"{what} name {name!r} holds a backtick, which FalkorDB's Cypher cannot quote")


def key_indexes(db: GraphDatabase) -> list[tuple[str, str]]:
    """(label, key property) pairs that should be indexed before edges are loaded."""
    return [(nt.label, nt.key) for nt in db.node_types if nt.key is not None]


def _chunks(rows: list, size: int) -> Iterator[list]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


# ----------------------------------------------------------------------------------------------- statements
def single_statement(query: str) -> str:
    """Return ``query`` without a trailing ``;``; raise UnsafeQueryError if a ``;`` separates two statements.

    Strings, back-quoted names and comments are found by the Cypher rule table (:mod:`momq.dialects.lexical`), so
    a ``;`` inside them is not a boundary. Text with no statement at all raises QueryFailed.
    """
    boundary = None  # index of the first top-level ';'
    for seg in scan(query, "cypher"):
        if seg.kind == "comment":
            continue
        if seg.kind != "code":
            if boundary is not None:
                raise UnsafeQueryError("only one statement per call is allowed; the query has several")
            continue
        for i in range(seg.start, seg.end):
            ch = query[i]
            if ch == ";":
                if boundary is None:
                    boundary = i
            elif boundary is not None and not ch.isspace():
                raise UnsafeQueryError("only one statement per call is allowed; the query has several")
    body = query if boundary is None else query[:boundary]
    if not _has_code(body):
        raise QueryFailed("the query is empty")
    return body


#: Clauses that change data or the schema, or leave the target database; refused by :func:`write_clause`.
WRITE_KEYWORDS = frozenset({"CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "DROP", "FOREACH", "LOAD",
                            "USE", "GRANT", "DENY", "REVOKE", "ALTER"})
#: Procedures a read-only query may CALL (lower case); every other named procedure is refused.
READ_PROCEDURES = frozenset({"db.labels", "db.relationshiptypes", "db.propertykeys", "db.schema.nodetypeproperties",
                             "db.schema.reltypeproperties", "db.schema.visualization", "db.indexes",
                             "db.constraints"})


def cypher_words(query: str) -> list[str]:
    """The bare words and punctuation of ``query`` outside strings, back-quoted names and comments."""
    out: list[str] = []
    for seg in scan(query, "cypher"):
        if seg.kind in ("string", "ident"):
            out.append("<quoted>")
        elif seg.kind == "code":
            out.extend(_CODE_WORD.findall(query, seg.start, seg.end))
    return out


_CODE_WORD = re.compile(r"[^\W]+|[^\w\s]")


def write_clause(query: str) -> str | None:
    """Why ``query`` could write (a keyword such as CREATE, or a CALL of a procedure not known to be read-only),
    or None. A lexical defence in depth for servers that do not enforce read-only transactions; property names
    and map keys such as ``n.set`` or ``{create: 1}`` are not mistaken for clauses."""
    words = cypher_words(query)
    for k, word in enumerate(words):
        prev = words[k - 1] if k else ""
        nxt = words[k + 1] if k + 1 < len(words) else ""
        if prev in (".", "$", ":") or nxt == ":":  # property access, parameter, label/map key
            continue
        upper = word.upper()
        if upper in WRITE_KEYWORDS:
            return upper
        if upper == "IN" and nxt.upper() == "TRANSACTIONS":
            return "CALL ... IN TRANSACTIONS"
        if upper == "CALL" and nxt not in ("{", "(", ""):
            name = [nxt]
            j = k + 2
            while j + 1 < len(words) and words[j] == ".":
                name.append(words[j + 1])
                j += 2
            proc = ".".join(name)
            if proc.lower() not in READ_PROCEDURES:
                return f"CALL {proc}"
    return None


def file_or_network_clause(query: str) -> str | None:
    """``"LOAD CSV"`` when ``query`` would read a file or a URL (FalkorDB fetches ``https://`` itself, and a failed
    fetch silently returns no rows), else None. Property names and map keys such as ``n.load`` do not count."""
    words = cypher_words(query)
    for k, word in enumerate(words[:-1]):
        if word.upper() == "LOAD" and words[k + 1].upper() == "CSV" and (k == 0 or words[k - 1] not in ".$:"):
            return "LOAD CSV"
    return None


def _has_code(text: str) -> bool:
    """Whether ``text`` holds anything but whitespace and comments."""
    return any(seg.kind != "comment" and text[seg.start:seg.end].strip() for seg in scan(text, "cypher"))


# ----------------------------------------------------------------------------------------------- results
def to_plain(value: Any) -> Any:
    """A driver value as plain Python: graph values become GraphNode/GraphEdge/GraphPath, containers recurse.

    Temporal values stay Python ``date``/``datetime``/``time``; durations become their ISO-8601 text; points
    become dicts of their coordinates. Numbers, strings, booleans and None pass through.
    """
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, _decimal.Decimal):
        return value
    if isinstance(value, (_dt.date, _dt.time)):
        return value
    converter = _converter_for(value)
    if converter is None:
        raise TypeError(f"cannot convert a {type(value).__module__}.{type(value).__qualname__} result value")
    return converter(value)


def _converter_for(value: Any):
    for find in (_falkordb_converter, _neo4j_converter):
        try:
            converter = find(value)
        except ImportError:  # that driver is not installed, so the value is not one of its types
            continue
        if converter is not None:
            return converter
    if type(value).__name__ == "relativedelta":  # falkordb durations
        return _relativedelta_iso
    return None


def _falkordb_converter(value: Any):
    from falkordb import Edge, Node, Path

    if isinstance(value, Node):
        return lambda v: GraphNode(tuple(v.labels or ()), _props(v.properties))
    if isinstance(value, Edge):
        return lambda v: GraphEdge(str(v.relation), _props(v.properties))
    if isinstance(value, Path):
        return lambda v: GraphPath(tuple(to_plain(n) for n in v.nodes()), tuple(to_plain(e) for e in v.edges()))
    return None


def _neo4j_converter(value: Any):
    from neo4j.graph import Node, Path, Relationship
    from neo4j.spatial import Point
    from neo4j.time import Date, DateTime, Duration, Time

    if isinstance(value, Node):
        return lambda v: GraphNode(tuple(sorted(v.labels)), _props(dict(v.items())))
    if isinstance(value, Relationship):
        return lambda v: GraphEdge(str(v.type), _props(dict(v.items())))
    if isinstance(value, Path):
        return lambda v: GraphPath(tuple(to_plain(n) for n in v.nodes),
                                   tuple(to_plain(r) for r in v.relationships))
    if isinstance(value, (Date, DateTime, Time)):
        return lambda v: v.to_native()
    if isinstance(value, Duration):
        return lambda v: v.iso_format()
    if isinstance(value, Point):
        return lambda v: {"srid": v.srid, "coordinates": list(v)}
    return None


def _props(props: dict) -> dict[str, Any]:
    return {str(k): to_plain(v) for k, v in props.items()}


def _relativedelta_iso(d: Any) -> str:
    date_part = "".join(f"{int(n)}{u}" for n, u in ((d.years, "Y"), (d.months, "M"), (d.days, "D")) if n)
    secs = d.seconds + d.microseconds / 1e6
    time_part = "".join(f"{n:g}{u}" for n, u in ((d.hours, "H"), (d.minutes, "M"), (secs, "S")) if n)
    return "P" + date_part + ("T" + time_part if time_part else "") if (date_part or time_part) else "PT0S"



# ----------------------------------------------------------------------------------------------- schema
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SCHEMA_SAMPLE = 1000  # nodes/edges sampled per label/type to infer property types


def infer_type(values: list[Any]) -> FieldType:
    """The type of sampled non-NULL property values (DECIMAL is stored as float, so it reads as FLOAT); lists give
    a :class:`ListType` of their elements' type (TEXT when elements disagree or all lists are empty)."""
    if values and all(isinstance(v, (list, tuple)) for v in values):
        elements = [x for v in values for x in v if x is not None]
        element = infer_type(elements) if elements else ValueType.TEXT
        return ListType(element if isinstance(element, ValueType) else ValueType.TEXT)
    if values and all(isinstance(v, bool) for v in values):
        return ValueType.BOOLEAN
    if values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return ValueType.INTEGER
    if values and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return ValueType.FLOAT
    if values and all(isinstance(v, _dt.date) and not isinstance(v, _dt.datetime) for v in values):
        return ValueType.DATE
    if values and all(isinstance(v, str) and _ISO_DATE.match(v) for v in values):
        return ValueType.DATE
    return ValueType.TEXT


def _key_preference(label: str, name: str, indexed: bool) -> tuple:
    low, lab = name.lower(), label.lower()
    return (
        not indexed,
        low not in ("id", f"{lab}_id", f"{lab}id", "key", f"{lab}_key"),
        not (low.endswith("id") or low.endswith("_key") or low.endswith("code")),
        low not in ("name", "title"),
    )


def introspect_graph(name: str, run: Callable[[str], list[list]],
                     indexed: set[tuple[str, str]] = frozenset()) -> GraphDatabase:
    """Infer a GraphDatabase (no data) from a live graph, using only portable read-only Cypher.

    ``run(query)`` executes one read query and returns rows as lists of plain values (the caller bounds its time).
    Per label, up to :data:`SCHEMA_SAMPLE` nodes are sampled: a property's type comes from its sampled values
    (:func:`infer_type`; lists give a list type), it is nullable when some sampled node lacks it, and the other
    labels seen on the sampled nodes become the type's ``with_labels``. The key of a label is the first
    property, in this order of preference, whose values are set and distinct on every node of the label (checked
    with a count over the whole label): indexed properties ``indexed`` first, then names like
    ``id``/``<label>_id``/``key``, then names ending in ``id``/``_key``/``code``, then ``name``/``title``, then
    the sampled order. When no property is unique, the first always-set property is used (and a warning
    logged). An edge type's endpoints are, from up to :data:`SCHEMA_SAMPLE` sampled edges, the most specific
    labels (fewest nodes) that every sampled source / target carries; when the sources (or targets) share no
    label, the most common (source label, target label) pair, and the other pairs are logged. Labels without
    any property are left out.
    """
    node_types = []
    totals: dict[str, int] = {}
    labels = sorted(r[0] for r in run("MATCH (n) UNWIND labels(n) AS label RETURN DISTINCT label"))
    for label in labels:
        lq = _quote(label)
        total = totals[label] = run(f"MATCH (n:{lq}) RETURN count(n)")[0][0]
        sampled = run(f"MATCH (n:{lq}) WITH n LIMIT {SCHEMA_SAMPLE} RETURN properties(n), labels(n)")
        props = _infer_properties([r[0] for r in sampled])
        if not props:
            log.warning("graph %s: label %s has no properties; left out of the schema", name, label)
            continue
        others = sorted({other for r in sampled for other in (r[1] or ()) if other != label and other in labels})
        always = [p for p in props if not p.nullable]
        order = sorted(always, key=lambda p: _key_preference(label, p.name, (label, p.name) in indexed))
        key = None
        for prop in order:
            if not isinstance(prop.type, ValueType) or prop.type in (ValueType.FLOAT, ValueType.BOOLEAN):
                continue
            pq = _quote(prop.name)
            count, distinct = run(f"MATCH (n:{lq}) RETURN count(n.{pq}), count(DISTINCT n.{pq})")[0]
            if count == total and distinct == total:
                key = prop.name
                break
        if key is None:
            key = (always or props)[0].name
            log.warning("graph %s: no property of label %s is unique; using %s as its key", name, label, key)
        node_types.append(NodeType(label, tuple(props), key, with_labels=tuple(others)))

    kept = {nt.label for nt in node_types}
    node_types = [dataclasses.replace(nt, with_labels=tuple(x for x in nt.with_labels if x in kept))
                  for nt in node_types]
    edge_types = []
    for (rel_type,) in sorted(run("MATCH ()-[r]->() RETURN DISTINCT type(r)")):
        rq = _quote(rel_type)
        sampled = run(f"MATCH (a)-[r:{rq}]->(b) WITH a, r, b LIMIT {SCHEMA_SAMPLE} "
                      f"RETURN labels(a), labels(b), properties(r)")
        ends = _edge_ends(name, rel_type, [(r[0] or [], r[1] or []) for r in sampled], kept, totals)
        if ends is None:
            log.warning("graph %s: relationship type %s joins no known labels; left out", name, rel_type)
            continue
        edge_types.append(EdgeType(rel_type, ends[0], ends[1], tuple(_infer_properties([r[2] for r in sampled]))))
    return GraphDatabase(name, tuple(node_types), tuple(edge_types))


def _edge_ends(graph: str, rel_type: str, ends: list[tuple[list, list]], kept: set[str],
               totals: dict[str, int]) -> tuple[str, str] | None:
    """(source label, target label) of a relationship type from its sampled endpoints' labels (see
    :func:`introspect_graph`), or None when no endpoint carries a known label."""
    def shared(side: int) -> str | None:
        common = set.intersection(*(set(e[side]) & kept for e in ends)) if ends else set()
        return min(common, key=lambda lb: (totals.get(lb, 0), lb)) if common else None

    source, target = shared(0), shared(1)
    if source is not None and target is not None:
        return source, target
    pairs: dict[tuple[str, str], int] = {}
    for a, b in ends:
        for s in a:
            for t in b:
                if s in kept and t in kept:
                    pairs[(s, t)] = pairs.get((s, t), 0) + 1
    if not pairs:
        return None
    ranked = sorted(pairs, key=lambda p: (-pairs[p], p))
    log.warning("graph %s: relationship type %s joins several label pairs %s; keeping the most common", graph,
                rel_type, ranked)
    return ranked[0]


def _infer_properties(samples: list[dict]) -> list[Property]:
    values: dict[str, list] = {}
    present: dict[str, int] = {}
    for sample in samples:
        for k, v in (sample or {}).items():
            values.setdefault(k, [])
            if v is not None:
                values[k].append(v)
                present[k] = present.get(k, 0) + 1
    out = []
    for k, vals in values.items():
        try:
            check_name(k, "property")
        except ValueError as exc:
            log.warning("%s; left out of the schema", exc)
            continue
        out.append(Property(k, infer_type(vals), nullable=present.get(k, 0) < len(samples)))
    return out


def _quote(name: str) -> str:
    return quote_name(name, "cypher")
