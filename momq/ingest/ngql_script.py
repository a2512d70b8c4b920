"""Read an nGQL script's schema and data (CREATE SPACE/TAG/EDGE/INDEX, USE, INSERT VERTEX/EDGE) into graphs.

A dedicated small grammar (Lark, :data:`GRAMMAR`) reads the statements that build a space; the nGQL *query*
parser (:mod:`momq.ngql`) is not involved. Statements are cut by :func:`momq.ingest.script.split_script` and
read one at a time, so a failure names the file, line and statement. What it follows from NebulaGraph:

- ``INSERT VERTEX t1(a), t2(b) VALUES "v":(1, 2)`` gives one vertex both tags; inserting a VID again with
  another tag adds that tag (a multi-tag vertex), with the same tag overwrites its listed properties;
- a property left out of an INSERT takes its ``DEFAULT``, else NULL; a ``NOT NULL`` one without default
  is an error, as in NebulaGraph; an edge is identified by (type, source, destination, rank);
- ``date("...")`` values are dates; ``datetime("...")``, ``time("...")`` values follow their property types;
- ``DROP SPACE [IF EXISTS]`` of a space, ``REBUILD ... INDEX``, ``SHOW``/``DESCRIBE`` and nebula-console's
  ``:sleep`` are accepted and change nothing here; tag/edge indexes are read and otherwise ignored (the
  emulation needs none).

What it refuses, naming the statement: edges whose vertices no INSERT created (NebulaGraph keeps such dangling
edges; the emulation cannot), two tags of one vertex giving one property name different values or types
(the emulation keeps a vertex's properties in one map), property types with no counterpart here
(``duration``, ``geography``, ``timestamp`` is read as an integer), ALTER/DELETE/UPDATE and anything else.
Tags have no key (a vertex is identified by its VID); an edge type's endpoints are the most specific tags
every stored edge's endpoints share (or the most common pair). Loading into the emulation is
:func:`load_ngql_script`, all-or-nothing through :meth:`NGQLEmulationEngine.load`.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import LarkError, UnexpectedInput, VisitError

from momq.ingest.script import ScriptError, Statement, read_script, split_script
from momq.schema.graph import Edge, EdgeType, GraphDatabase, Node, NodeType, Property
from momq.schema.types import FieldType, ValueType

if TYPE_CHECKING:
    from momq.engines.ngql_emulation import NGQLEmulationEngine

GRAMMAR = r"""
?start: create_space | use | create_schema | create_index | insert_vertex | insert_edge | ignored

create_space: _CREATE _SPACE if_not_exists? name ["(" [space_opt ("," space_opt)*] ")"] (_COMMENT "="? STRING)? (_AS name)?
space_opt: NAME "=" (NAME ["(" INT ")"] | INT | STRING)
use: _USE name
create_schema: _CREATE SCHEMA_KIND if_not_exists? name "(" [prop_def ("," prop_def)*] ")" [schema_opt ("," schema_opt)*]
prop_def: name type_name null_spec? default? (_COMMENT STRING)?
type_name: NAME ["(" INT ")"]
null_spec: NOT? _NULL
default: _DEFAULT value
schema_opt: NAME "=" (INT | STRING)
create_index: _CREATE SCHEMA_KIND _INDEX if_not_exists? name _ON name "(" [index_field ("," index_field)*] ")" (_COMMENT STRING)?
index_field: name ["(" INT ")"]
insert_vertex: _INSERT _VERTEX if_not_exists? tag_props ("," tag_props)* _VALUES vertex_row ("," vertex_row)*
tag_props: name "(" [name ("," name)*] ")"
vertex_row: value ":" "(" [value ("," value)*] ")"
insert_edge: _INSERT _EDGE if_not_exists? name "(" [name ("," name)*] ")" _VALUES edge_row ("," edge_row)*
edge_row: value "->" value ["@" INT] ":" "(" [value ("," value)*] ")"
ignored: DROP_SPACE | REBUILD | SHOW | DESCRIBE
if_not_exists: _IF NOT _EXISTS

?value: STRING -> string
      | SIGNED_NUMBER -> number
      | TRUE -> true
      | FALSE -> false
      | _NULL -> null
      | NAME "(" [value ("," value)*] ")" -> call
      | "[" [value ("," value)*] "]" -> list

name: NAME | BACKQUOTED

SCHEMA_KIND.2: /(TAG|EDGE)\b/i
DROP_SPACE.2: /DROP\s+SPACE\b[^;]*/i
REBUILD.2: /REBUILD\s+(TAG|EDGE)\s+INDEX\b[^;]*/i
SHOW.2: /SHOW\b[^;]*/i
DESCRIBE.2: /(DESCRIBE|DESC)\b[^;]*/i
_CREATE.2: /CREATE\b/i
_SPACE.2: /SPACE\b/i
_USE.2: /USE\b/i
_INDEX.2: /INDEX\b/i
_ON.2: /ON\b/i
_INSERT.2: /INSERT\b/i
_VERTEX.2: /VERTEX\b/i
_EDGE.2: /EDGE\b/i
_VALUES.2: /VALUES\b/i
_IF.2: /IF\b/i
NOT.2: /NOT\b/i
_EXISTS.2: /EXISTS\b/i
_NULL.2: /NULL\b/i
_DEFAULT.2: /DEFAULT\b/i
_COMMENT.2: /COMMENT\b/i
_AS.2: /AS\b/i
TRUE.2: /TRUE\b/i
FALSE.2: /FALSE\b/i
NAME: /[A-Za-z_][A-Za-z0-9_]*/
BACKQUOTED: /`[^`]+`/
STRING: /"(\\.|[^"\\])*"/ | /'(\\.|[^'\\])*'/
INT: /\d+/
SIGNED_NUMBER: /[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?/
COMMENT_LINE: /(#|\/\/|--)[^\n]*/
COMMENT_BLOCK: /\/\*(.|\n)*?\*\//
%import common.WS
%ignore WS
%ignore COMMENT_LINE
%ignore COMMENT_BLOCK
"""

_TYPES: dict[str, FieldType] = {
    "int64": ValueType.INTEGER, "int32": ValueType.INTEGER, "int16": ValueType.INTEGER, "int8": ValueType.INTEGER,
    "int": ValueType.INTEGER, "timestamp": ValueType.INTEGER, "double": ValueType.FLOAT, "float": ValueType.FLOAT,
    "string": ValueType.TEXT, "fixed_string": ValueType.TEXT, "bool": ValueType.BOOLEAN, "date": ValueType.DATE,
    "datetime": ValueType.DATETIME, "time": ValueType.TIME,
}

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "0": "\0"}


def _unescape(text: str) -> str:
    body, out, i = text[1:-1], [], 0
    while i < len(body):
        if body[i] == "\\" and i + 1 < len(body):
            out.append(_ESCAPES.get(body[i + 1], body[i + 1]))
            i += 2
        else:
            out.append(body[i])
            i += 1
    return "".join(out)


@dataclass(frozen=True)
class Call:
    """A function call in a value position (``date("2020-01-01")``), applied once the property type is known."""

    name: str
    args: tuple


@v_args(inline=True)
class _Tree(Transformer):
    def string(self, tok):
        return _unescape(str(tok))

    def number(self, tok):
        text = str(tok)
        return float(text) if any(c in text for c in ".eE") else int(text)

    def true(self, _):
        return True

    def false(self, _):
        return False

    def null(self, *_):
        return None

    def call(self, name, *args):
        return Call(str(name).lower(), tuple(a for a in args if not isinstance(a, Token) or a is not None))

    def list(self, *items):
        return [i for i in items if i is not None or items != (None,)]

    def name(self, tok):
        text = str(tok)
        return text[1:-1] if text.startswith("`") else text


_PARSER = Lark(GRAMMAR, parser="lalr", maybe_placeholders=False)


# ----------------------------------------------------------------------------------------------- reading
@dataclass
class _Schema:
    props: dict[str, Property]
    kind: str  # "tag" or "edge"


@dataclass
class _Space:
    name: str
    tags: dict[str, _Schema] = field(default_factory=dict)
    edges: dict[str, _Schema] = field(default_factory=dict)
    vertices: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)  # vid -> tag -> props
    edge_rows: dict[tuple[str, str, str, int], dict[str, Any]] = field(default_factory=dict)
    edge_from: dict[tuple[str, str, str, int], Statement] = field(default_factory=dict)  # the INSERT of each edge
    int_vids: bool = False


def read_ngql_script(path: Path | str) -> dict[str, GraphDatabase]:
    """The spaces an nGQL script creates, each as a GraphDatabase with its data (see the module docstring)."""
    path = Path(path)
    statements = split_script(read_script(path), "ngql", path)
    spaces: dict[str, _Space] = {}
    current: _Space | None = None
    for st in statements:
        text = st.text
        while text.lstrip().startswith(":"):  # nebula-console commands: one line each, no ';' needed
            line, _, text = text.lstrip().partition("\n")
            command = (line[1:].split() or [""])[0].lower()
            if command != "sleep":
                raise st.error(path, f"nebula-console command :{command} is not supported in a script load")
        if not text.strip():
            continue
        try:
            tree = _Tree().transform(_PARSER.parse(text))
        except UnexpectedInput as exc:
            line = st.line + exc.line - 1 if getattr(exc, "line", -1) > 0 else st.line
            raise ScriptError(f"{path}:{line}: statement {st.index} ({st.excerpt()!r}): not a statement this "
                              f"loader reads (CREATE SPACE/TAG/EDGE/INDEX, USE, INSERT VERTEX/EDGE) at column "
                              f"{getattr(exc, 'column', '?')}") from exc
        except (LarkError, VisitError) as exc:
            raise st.error(path, f"cannot read: {exc}") from exc
        kind = tree.data
        try:
            if kind == "create_space":
                name = _children(tree)[0]
                space = spaces.setdefault(name, _Space(name))
                for opt in tree.find_data("space_opt"):
                    key, *rest = [str(c) for c in opt.children]
                    if key.lower() == "vid_type" and rest and rest[0].upper() in ("INT64", "INT"):
                        space.int_vids = True
            elif kind == "use":
                name = _children(tree)[0]
                if name not in spaces:
                    raise ValueError(f"USE {name}: the script did not create space {name}")
                current = spaces[name]
            elif kind == "ignored":
                continue
            else:
                if current is None:
                    raise ValueError("no space chosen yet (USE <space>)")
                _apply(current, tree, st)
        except ScriptError:
            raise
        except ValueError as exc:
            raise st.error(path, str(exc)) from exc
    if not spaces:
        raise ScriptError(f"{path}: the script creates no space (CREATE SPACE)")
    out = {}
    for name, space in spaces.items():
        try:
            out[name] = _database(space, path)
        except ScriptError:
            raise
        except ValueError as exc:
            raise ScriptError(f"{path}: space {name}: {exc}") from exc
    return out


def _children(tree) -> list:
    return [c for c in tree.children if not (isinstance(c, Token) and c.type in ("NOT",))
            and not (hasattr(c, "data") and c.data == "if_not_exists")]


def _apply(space: _Space, tree, st: Statement) -> None:
    kind = tree.data
    if kind == "create_schema":
        schema_kind, name, *rest = _children(tree)
        props = {}
        for pd in (c for c in rest if hasattr(c, "data") and c.data == "prop_def"):
            prop = _prop(name, pd)
            if prop.name in props:
                raise ValueError(f"{name}: property {prop.name} is declared twice")
            props[prop.name] = prop
        table = space.tags if str(schema_kind).upper() == "TAG" else space.edges
        if name in table and list(table[name].props) != list(props):
            raise ValueError(f"{schema_kind} {name} already exists with other properties")
        table[name] = _Schema(props, str(schema_kind).lower())
    elif kind == "create_index":
        schema_kind, _index, owner = _children(tree)[:3]
        table = space.tags if str(schema_kind).upper() == "TAG" else space.edges
        if owner not in table:
            raise ValueError(f"index on unknown {str(schema_kind).lower()} {owner}")
    elif kind == "insert_vertex":
        parts = _children(tree)
        heads = [p for p in parts if p.data == "tag_props"]
        for row in (p for p in parts if p.data == "vertex_row"):
            vid, *values = row.children
            vid = _vid(space, vid)
            offset = 0
            for head in heads:
                tag, *names = head.children
                if tag not in space.tags:
                    raise ValueError(f"INSERT VERTEX: no tag {tag} in space {space.name}")
                given = values[offset:offset + len(names)]
                offset += len(names)
                if len(given) != len(names):
                    raise ValueError(f"vertex {vid!r}: {len(names)} properties listed but fewer values given")
                space.vertices.setdefault(vid, {})[tag] = _row(space.tags[tag], tag, names, given, f"vertex {vid!r}")
            if offset != len(values):
                raise ValueError(f"vertex {vid!r}: {len(values)} values for {offset} listed properties")
    elif kind == "insert_edge":
        etype, *rest = _children(tree)
        if etype not in space.edges:
            raise ValueError(f"INSERT EDGE: no edge type {etype} in space {space.name}")
        names = [c for c in rest if not hasattr(c, "data")]
        for row in (c for c in rest if hasattr(c, "data") and c.data == "edge_row"):
            src, dst, *tail = row.children
            rank = 0
            if tail and isinstance(tail[0], Token) and tail[0].type == "INT":
                rank, tail = int(tail[0]), tail[1:]
            key = (etype, _vid(space, src), _vid(space, dst), rank)
            if len(tail) != len(names):
                raise ValueError(f"edge {key[1]}->{key[2]}: {len(tail)} values for {len(names)} properties")
            space.edge_rows[key] = _row(space.edges[etype], etype, names, tail, f"edge {key[1]}->{key[2]}@{rank}")
            space.edge_from[key] = st


def _prop(owner: str, pd) -> Property:
    name, type_tree, *rest = pd.children
    tname = str(type_tree.children[0]).lower()
    if tname not in _TYPES:
        raise ValueError(f"{owner}.{name}: property type {tname} has no counterpart here")
    ptype = _TYPES[tname]
    nullable = True
    default = None
    for part in rest:
        if hasattr(part, "data") and part.data == "null_spec":
            nullable = not any(isinstance(c, Token) and c.type == "NOT" for c in part.children)
        elif hasattr(part, "data") and part.data == "default":
            default = _typed(part.children[0], ptype, f"{owner}.{name} DEFAULT")
    return Property(name, ptype, nullable=nullable, default=default)


def _typed(value: Any, ptype: FieldType, where: str) -> Any:
    """A literal (or date/datetime/time call) as a value of ``ptype``; ValueError when it is not one."""
    if value is None:
        return None
    if isinstance(value, Call):
        if len(value.args) != 1 or not isinstance(value.args[0], str):
            raise ValueError(f"{where}: {value.name}(...) with these arguments is not supported here")
        parse = {"date": (ValueType.DATE, _dt.date.fromisoformat),
                 "datetime": (ValueType.DATETIME, _dt.datetime.fromisoformat),
                 "time": (ValueType.TIME, _dt.time.fromisoformat)}.get(value.name)
        if parse is None:
            raise ValueError(f"{where}: function {value.name}() is not supported in values here")
        try:
            value = parse[1](value.args[0])
        except ValueError as exc:
            raise ValueError(f"{where}: {value.name}({value.args[0]!r}) is not a valid {value.name}") from exc
    if ptype is ValueType.FLOAT and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not ptype.accepts(value):
        raise ValueError(f"{where}: {value!r} is not a valid {ptype.value}")
    return value


def _row(schema: _Schema, owner: str, names: list[str], values: list, where: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in zip(names, values):
        if name not in schema.props:
            raise ValueError(f"{where}: {owner} has no property {name}")
        out[name] = _typed(value, schema.props[name].type, f"{where}, {owner}.{name}")
    for name, prop in schema.props.items():
        if out.get(name) is None:
            out[name] = prop.default
        if out[name] is None and not prop.nullable:
            raise ValueError(f"{where}: {owner}.{name} is NOT NULL and has no value or default")
    return out


def _vid(space: _Space, value: Any) -> str:
    if space.int_vids:
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValueError(f"VID {value!r}: space {space.name} has INT64 VIDs")
        return str(value)
    if not isinstance(value, str):
        raise ValueError(f"VID {value!r}: space {space.name} has string VIDs")
    return value


def _database(space: _Space, path: Path) -> GraphDatabase:
    nodes, labels_of = [], {}
    for vid, by_tag in space.vertices.items():
        tags = tuple(by_tag)
        props: dict[str, Any] = {}
        for tag, values in by_tag.items():
            for name, value in values.items():
                if name in props and props[name] != value:
                    raise ValueError(f"vertex {vid!r}: tags {', '.join(tags)} give {name} two values "
                                     f"({props[name]!r}, {value!r}); the emulation keeps one map per vertex")
                props[name] = value
        nodes.append(Node(tags[0], vid, props, tags[1:]))
        labels_of[vid] = tags
    co: dict[str, set[str]] = {t: set() for t in space.tags}
    for tags in labels_of.values():
        for t in tags:
            co[t].update(x for x in tags if x != t)
    node_types = tuple(NodeType(t, tuple(s.props.values()), key=None, with_labels=tuple(sorted(co[t])))
                       for t, s in space.tags.items())
    edges, ends = [], {}
    for (etype, src, dst, rank), props in space.edge_rows.items():
        for vid in (src, dst):
            if vid not in labels_of:
                raise space.edge_from[(etype, src, dst, rank)].error(
                    path, f"edge {etype} {src}->{dst}@{rank}: no INSERT VERTEX created {vid!r} (NebulaGraph keeps "
                          f"such dangling edges; the emulation cannot)")
        edges.append(Edge(etype, src, dst, props, rank))
        ends.setdefault(etype, []).append((labels_of[src], labels_of[dst]))
    counts = {t: sum(t in tags for tags in labels_of.values()) for t in space.tags}
    edge_types = []
    for etype, schema in space.edges.items():
        pair = _endpoints(ends.get(etype, []), counts) or (next(iter(space.tags), None),) * 2
        if pair[0] is None:
            raise ValueError(f"edge type {etype} needs at least one tag in the space")
        edge_types.append(EdgeType(etype, pair[0], pair[1], tuple(schema.props.values()),
                                   "" if etype in ends else "endpoints unknown (no edges stored)"))
    db = GraphDatabase(space.name, node_types, tuple(edge_types), nodes, edges)
    for node in nodes:
        db.properties_of(node.labels)  # one property name with two types on one vertex
    return db


def _endpoints(pairs: list[tuple[tuple, tuple]], counts: dict[str, int]) -> tuple[str, str] | None:
    """The most specific tags all sources / all targets share, else the most common (source, target) pair."""
    if not pairs:
        return None
    def shared(side: int):
        common = set.intersection(*(set(p[side]) for p in pairs))
        return min(common, key=lambda t: (counts[t], t)) if common else None
    s, t = shared(0), shared(1)
    if s and t:
        return s, t
    tally: dict[tuple[str, str], int] = {}
    for a, b in pairs:
        tally[(a[0], b[0])] = tally.get((a[0], b[0]), 0) + 1
    return sorted(tally, key=lambda p: (-tally[p], p))[0]


def load_ngql_script(engine: "NGQLEmulationEngine", path: Path | str, name: str | None = None,
                     space: str | None = None) -> GraphDatabase:
    """Read the script and load one of its spaces (``space``; may be left out when it creates one) into the
    emulation as ``name`` (default: the space's own name). Returns what was loaded."""
    import dataclasses

    spaces = read_ngql_script(path)
    if space is None:
        if len(spaces) != 1:
            raise ScriptError(f"{path}: the script creates spaces {', '.join(sorted(spaces))}; choose one")
        space = next(iter(spaces))
    if space not in spaces:
        raise ScriptError(f"{path}: the script creates no space {space!r} (it creates {', '.join(sorted(spaces))})")
    db = spaces[space]
    if name is not None and name != db.name:
        db = dataclasses.replace(db, name=name)
    engine.load(db)
    return db


__all__ = ["GRAMMAR", "load_ngql_script", "read_ngql_script"]
