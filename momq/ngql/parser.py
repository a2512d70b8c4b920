"""Parse nGQL text into the syntax tree of :mod:`momq.ngql.ast`, with readable syntax errors.

``parse(text)`` returns a :class:`~momq.ngql.ast.Script` (statements separated by ``;``, each a pipeline of
stages joined by ``|``) or raises :class:`NGQLSyntaxError` carrying the line, the column, the offending token and
what the grammar expected there. ``check(text)`` returns the same problems as a list of diagnostics instead.
The grammar (``grammar.lark``) is LALR(1); this module does not decide what is safe to run (see
:mod:`momq.ngql.safety`) and does not translate (see :mod:`momq.ngql.translate`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from lark import Lark, Token, Transformer
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken
from lark.lexer import PatternStr

from momq.ngql import ast as A

_GRAMMAR = Path(__file__).with_name("grammar.lark")


class NGQLSyntaxError(ValueError):
    """nGQL text the grammar does not accept. ``line``/``column`` are 1-based."""

    def __init__(self, message: str, line: int, column: int, token: str | None, expected: tuple[str, ...]):
        self.line, self.column, self.token, self.expected = line, column, token, expected
        self.reason = message
        super().__init__(f"line {line}, column {column}: {message}")


@dataclass(frozen=True)
class Diagnostic:
    line: int
    column: int
    message: str
    token: str | None = None
    expected: tuple[str, ...] = ()


# ----------------------------------------------------------------------------------------------- tree -> AST
def _name(tok: Token | str) -> str:
    text = str(tok)
    return text[1:-1] if text.startswith("`") else text


def _unquote(tok: str) -> str:
    body = tok[1:-1]
    if "\\" not in body:
        return body
    out, i = [], 0
    simple = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "0": "\0"}
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            out.append(simple.get(nxt, nxt))
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _int(tok: str) -> int:
    return int(tok, 16) if tok.lower().startswith("0x") else int(tok)


def _tagged(children, tag):
    for c in children:
        if isinstance(c, tuple) and len(c) == 2 and c[0] == tag:
            return c[1]
    return None


def _tok(children, *types) -> Token | None:
    for c in children:
        if isinstance(c, Token) and c.type in types:
            return c
    return None


class _ToAST(Transformer):
    # ---- literals and atoms
    def int_lit(self, c):
        return A.Lit(_int(c[0]))

    def float_lit(self, c):
        return A.Lit(float(c[0]))

    def string_lit(self, c):
        return A.Lit(_unquote(c[0]))

    def true_lit(self, c):
        return A.Lit(True)

    def false_lit(self, c):
        return A.Lit(False)

    def null_lit(self, c):
        return A.Lit(None)

    def expr_list(self, c):
        return tuple(c)

    def list_lit(self, c):
        return A.ListLit(c[0] or ())

    def map_entry(self, c):
        return (_name(c[0]), c[1])

    def map_lit(self, c):
        return A.MapLit(tuple(x for x in c if x is not None))

    def call(self, c):
        return A.Call(_name(c[0]), c[2] or (), distinct=c[1] is not None)

    def call_star(self, c):
        return A.Call(_name(c[0]), (), star=True)

    def case_when(self, c):
        return ("when", (c[0], c[1]))

    def case_expr(self, c):
        whens = tuple(x[1] for x in c if isinstance(x, tuple) and x and x[0] == "when")
        first_when = next(i for i, x in enumerate(c) if isinstance(x, tuple) and x and x[0] == "when")
        subject = c[0] if first_when == 1 else None
        rest = [x for x in c[first_when:] if not (isinstance(x, tuple) and x and x[0] == "when")]
        return A.Case(subject, whens, rest[0] if rest else None)

    def input_prop(self, c):
        return A.InputProp(_name(c[1]))

    def var_prop(self, c):
        return A.VarProp(str(c[0])[1:], _name(c[1]))

    def src_prop(self, c):
        return A.VertexProp("src", _name(c[1]), _name(c[2]))

    def dst_prop(self, c):
        return A.VertexProp("dst", _name(c[1]), _name(c[2]))

    def src_vertex(self, c):
        return A.VertexRef("src")

    def dst_vertex(self, c):
        return A.VertexRef("dst")

    def name(self, c):
        return A.Name(_name(c[0]))

    def list_comp(self, c):
        return A.ListComp(_name(c[0]), c[2], c[3], c[4])

    # ---- patterns inside expressions
    def node_atom(self, c):
        return A.NodePattern(next((_name(x) for x in c if isinstance(x, Token)), None), _tagged(c, "labels") or (),
                             _first(c, A.MapLit))

    def pattern_step(self, c):
        left, rel, node = c
        if isinstance(left, A.PatternExpr):
            p = left.pattern
            return A.PatternExpr(A.Pattern(None, (*p.nodes, node), (*p.rels, rel)))
        if isinstance(left, A.Name):
            left = A.NodePattern(left.name, (), None)
        if not isinstance(left, A.NodePattern):
            raise _SemanticError("a pattern inside an expression must start with a node, e.g. (v)-->()")
        return A.PatternExpr(A.Pattern(None, (left, node), (rel,)))

    def prop(self, c):
        return A.Prop(c[0], _name(c[1]))

    def subscript(self, c):
        return A.Subscript(c[0], c[1])

    def slice(self, c):
        return A.Slice(c[0], c[1], c[3])

    # ---- operators
    def or_(self, c):
        return A.BinOp("OR", c[0], c[1])

    def xor_(self, c):
        return A.BinOp("XOR", c[0], c[1])

    def and_(self, c):
        return A.BinOp("AND", c[0], c[1])

    def not_(self, c):
        return A.UnOp("NOT", c[0])

    def compare(self, c):
        return A.BinOp(str(c[1]), c[0], c[2])

    def arith(self, c):
        return A.BinOp(str(c[1]), c[0], c[2])

    def neg(self, c):
        inner = c[1]
        if isinstance(inner, A.Lit) and isinstance(inner.value, (int, float)) and not isinstance(inner.value, bool):
            return A.Lit(-inner.value)
        return A.UnOp("-", inner)

    def pos(self, c):
        return c[1]

    def in_(self, c):
        return A.BinOp("IN", c[0], c[2])

    def not_in(self, c):
        return A.UnOp("NOT", A.BinOp("IN", c[0], c[2]))

    def contains(self, c):
        return A.BinOp("CONTAINS", c[0], c[1])

    def not_contains(self, c):
        return A.UnOp("NOT", A.BinOp("CONTAINS", c[0], c[1]))

    def starts_with(self, c):
        return A.BinOp("STARTS WITH", c[0], c[1])

    def not_starts_with(self, c):
        return A.UnOp("NOT", A.BinOp("STARTS WITH", c[0], c[1]))

    def ends_with(self, c):
        return A.BinOp("ENDS WITH", c[0], c[1])

    def not_ends_with(self, c):
        return A.UnOp("NOT", A.BinOp("ENDS WITH", c[0], c[1]))

    def is_null(self, c):
        return A.UnOp("IS NULL", c[0])

    def is_not_null(self, c):
        return A.UnOp("IS NOT NULL", c[0])

    def is_empty(self, c):
        return A.UnOp("IS EMPTY", c[0])

    def is_not_empty(self, c):
        return A.UnOp("IS NOT EMPTY", c[0])

    def regex(self, c):
        return A.BinOp("=~", c[0], c[2])

    # ---- clauses shared by statements
    def alias(self, c):
        return _name(c[0])

    def yield_item(self, c):
        return A.YieldItem(c[0], c[1] if len(c) > 1 else None)

    proj_item = yield_item

    def yield_clause(self, c):
        distinct = _tok(c, "DISTINCT") is not None
        return A.YieldClause(tuple(x for x in c if isinstance(x, A.YieldItem)), distinct)

    def where_clause(self, c):
        return ("where", c[0])

    def vid_string(self, c):
        return A.Lit(_unquote(c[0]))

    def vid_int(self, c):
        return A.Lit(_int(c[0]))

    def vid_neg_int(self, c):
        return A.Lit(-_int(c[1]))

    def vid_call(self, c):
        return A.Call(_name(c[0]), c[1] or ())

    def vid_list(self, c):
        return ("vids", tuple(c))

    def name_list(self, c):
        return ("names", tuple(_name(x) for x in c))

    def n_steps(self, c):
        n = _int(c[0])
        return ("steps", (n, n))

    def m_to_n_steps(self, c):
        return ("steps", (_int(c[0]), _int(c[1])))

    def edge_list(self, c):
        if _tok(c, "STAR"):
            return ()
        return tuple(_name(x) for x in c)

    def direction(self, c):
        return {"REVERSELY": "in", "BIDIRECT": "both"}[c[0].type]

    def over_clause(self, c):
        return ("over", A.Over(c[0], c[1] if len(c) > 1 else "out"))

    def sample_clause(self, c):
        return ("sample", c[0])

    def go_limit(self, c):
        return ("limit", c[0])

    def go_stmt(self, c):
        steps = _tagged(c, "steps") or (1, 1)
        if steps[0] > steps[1] and steps[1] > 0:
            raise _SemanticError(f"GO {steps[0]} TO {steps[1]} STEPS: the lower bound exceeds the upper bound")
        return A.Go(steps[0], steps[1], _tagged(c, "vids"), _tagged(c, "over"), _tagged(c, "where"),
                    _first(c, A.YieldClause), _tagged(c, "sample"), _tagged(c, "limit"))

    def rank_value(self, c):
        return A.Lit(_int(c[0])) if isinstance(c[0], Token) else c[0]

    def neg_rank(self, c):
        return A.Lit(-_int(c[1]))

    def fetch_key(self, c):
        if len(c) == 1:
            return ("vid", c[0])
        return A.EdgeKey(c[0], c[2], c[3] if len(c) > 3 else None)

    def fetch_stmt(self, c):
        names = () if _tok(c, "STAR") else _tagged(c, "names")
        keys = [x for x in c if isinstance(x, A.EdgeKey) or (isinstance(x, tuple) and x and x[0] == "vid")]
        yield_ = _first(c, A.YieldClause)
        edge_keys = [k for k in keys if isinstance(k, A.EdgeKey)]
        if edge_keys:
            if len(edge_keys) != len(keys):
                raise _SemanticError("FETCH PROP ON: mixes vertex IDs and edge keys (src->dst)")
            if len(names) != 1:
                raise _SemanticError("FETCH PROP ON edges takes exactly one edge type")
            return A.FetchEdges(names[0], tuple(edge_keys), yield_)
        return A.FetchVertices(names, tuple(k[1] for k in keys), yield_)

    def lookup_stmt(self, c):
        return A.Lookup(_name(c[0]), _tagged(c, "where"), _first(c, A.YieldClause))

    def path_kind(self, c):
        return ("kind", c[0].type.lower())  # shortest | single (SINGLE SHORTEST) | all | noloop

    def with_prop(self, c):
        return ("with_prop", True)

    def upto(self, c):
        return ("upto", _int(c[0]))

    def find_path_stmt(self, c):
        vids = [x[1] for x in c if isinstance(x, tuple) and x and x[0] == "vids"]
        return A.FindPath(_tagged(c, "kind"), vids[0], vids[1], _tagged(c, "over"), _tagged(c, "where"),
                          _tagged(c, "upto") or 5, _first(c, A.YieldClause), bool(_tagged(c, "with_prop")))

    def subgraph_edges(self, c):
        return ("edges", (c[0].type.lower(), c[1][1]))

    def subgraph_stmt(self, c):
        steps_tok = _tok(c, "INT")
        edges = tuple(x[1] for x in c if isinstance(x, tuple) and x and x[0] == "edges")
        return A.Subgraph(_int(steps_tok) if steps_tok else 1, _tagged(c, "vids"), edges, _tagged(c, "where"),
                          _first(c, A.YieldClause), bool(_tagged(c, "with_prop")))

    def yield_stmt(self, c):
        return A.YieldStmt(c[0], _tagged(c, "where"))

    def group_by_stmt(self, c):
        return A.GroupBy(tuple(c[0]), c[1])

    def sort_item(self, c):
        desc = len(c) > 1 and c[1].type in ("DESC", "DESCENDING")
        return A.SortItem(c[0], desc)

    def order_by(self, c):
        return ("order", tuple(c))

    def order_by_stmt(self, c):
        return A.OrderBy(c[0][1])

    def limit_stmt(self, c):
        if len(c) == 2:
            return A.Limit(_int(c[0]), _int(c[1]))
        return A.Limit(0, _int(c[0]))

    def offset_limit_stmt(self, c):
        return A.Limit(_int(c[0]), _int(c[1]))

    def use_stmt(self, c):
        return A.Use(_name(c[0]))

    def show_stmt(self, c):
        return A.Show("SHOW " + (str(c[0]) if c else ""))

    def describe_stmt(self, c):
        return A.Show("DESCRIBE " + " ".join(str(x) for x in c if x.type == "REST"))

    # ---- MATCH
    def labels(self, c):
        return ("labels", tuple(_name(x) for x in c))

    def node_pat(self, c):
        var = next((_name(x) for x in c if isinstance(x, Token)), None)
        return A.NodePattern(var, _tagged(c, "labels") or (), _first(c, A.MapLit))

    def rel_types(self, c):
        return ("types", tuple(_name(x) for x in c))

    def var_length(self, c):
        ints = [x for x in c if x.type == "INT"]
        dots = _tok(c, "RANGE_DOTS") is not None
        if not dots:
            lo = hi = _int(ints[0]) if ints else None
            if not ints:
                lo, hi = 1, None
        else:
            lo = _int(ints[0]) if ints and c[1].type == "INT" else 1
            after = [x for x in c[c.index(_tok(c, "RANGE_DOTS")) + 1:] if x.type == "INT"]
            hi = _int(after[0]) if after else None
        return ("varlen", (lo, hi))

    def rel_body(self, c):
        var = next((_name(x) for x in c if isinstance(x, Token)), None)
        return ("body", (var, _tagged(c, "types") or (), _tagged(c, "varlen"), _first(c, A.MapLit)))

    def _rel(self, c, direction):
        body = _tagged(c, "body") or (None, (), None, None)
        var, types, varlen, props = body
        lo, hi = varlen if varlen else (None, None)
        return A.RelPattern(var, types, direction, lo, hi, varlen is not None, props)

    def rel_out(self, c):
        return self._rel(c, "out")

    def rel_in(self, c):
        return self._rel(c, "in")

    def rel_both(self, c):
        return self._rel(c, "both")

    def pattern(self, c):
        path_var = _name(c[0]) if isinstance(c[0], Token) else None
        return A.Pattern(path_var, tuple(x for x in c if isinstance(x, A.NodePattern)),
                         tuple(x for x in c if isinstance(x, A.RelPattern)))

    def path_function(self, c):
        names = [x for x in c if isinstance(x, Token)]
        fn = names[-1]
        canonical = _PATH_FUNCTIONS.get(str(fn).lower())
        if canonical is None:
            raise _SemanticError(f"{fn}(...) around a pattern: only shortestPath() and allShortestPaths() take one",
                                 fn.line, fn.column)
        nodes = tuple(x for x in c if isinstance(x, A.NodePattern))
        rels = tuple(x for x in c if isinstance(x, A.RelPattern))
        if len(rels) != 1:
            raise _SemanticError(f"{canonical}() takes a pattern with exactly one relationship", fn.line, fn.column)
        return A.Pattern(_name(names[0]) if len(names) == 2 else None, nodes, rels, canonical)

    def pattern_list(self, c):
        return ("patterns", tuple(c))

    def match_clause(self, c):
        return A.MatchClause(_tagged(c, "patterns"), _tagged(c, "where"), _tok(c, "OPTIONAL") is not None)

    def unwind_clause(self, c):
        return A.UnwindClause(c[0], _name(c[1]))

    def projection(self, c):
        if len(c) == 1 and isinstance(c[0], Token) and c[0].type == "STAR":
            return ("proj", ())
        return ("proj", tuple(c))

    def skip(self, c):
        return ("skip", c[0])

    def limit(self, c):
        return ("limit", c[0])

    def _projection(self, c, is_return):
        return A.Projection(_tagged(c, "proj"), _tok(c, "DISTINCT") is not None, _tagged(c, "order") or (),
                            _tagged(c, "skip"), _tagged(c, "limit"), _tagged(c, "where"), is_return)

    def with_clause(self, c):
        return self._projection(c, False)

    def return_clause(self, c):
        return self._projection(c, True)

    def set_item(self, c):
        return None

    def cypher_set(self, c):
        return A.CypherMutation("SET")

    def cypher_delete(self, c):
        return A.CypherMutation("DETACH DELETE" if _tok(c, "DETACH") else "DELETE")

    def cypher_remove(self, c):
        return A.CypherMutation("REMOVE")

    def cypher_create(self, c):
        return A.CypherMutation("CREATE")

    def cypher_merge(self, c):
        return A.CypherMutation("MERGE")

    def match_stmt(self, c):
        return A.Match(tuple(c))

    # ---- mutations, DDL, admin: only their kind is kept
    def insert_vertex(self, c):
        return A.Mutation("INSERT VERTEX")

    def insert_edge(self, c):
        return A.Mutation("INSERT EDGE")

    def update_stmt(self, c):
        verb = _tok(c, "UPDATE", "UPSERT")
        return A.Mutation(f"{verb.type}")

    def delete_vertex(self, c):
        return A.Mutation("DELETE VERTEX")

    def delete_edge(self, c):
        return A.Mutation("DELETE EDGE")

    def delete_tag(self, c):
        return A.Mutation("DELETE TAG")

    def create_space(self, c):
        return A.Mutation("CREATE SPACE")

    def create_schema(self, c):
        return A.Mutation("CREATE TAG/EDGE")

    def create_index(self, c):
        return A.Mutation("CREATE INDEX")

    def create_other(self, c):
        return A.Mutation("CREATE", str(c[0]))

    def drop_stmt(self, c):
        return A.Mutation("DROP")

    def drop_other(self, c):
        return A.Mutation("DROP", str(c[0]))

    def alter_stmt(self, c):
        return A.Mutation("ALTER", str(c[0]))

    def rebuild_stmt(self, c):
        return A.Mutation("REBUILD", str(c[0]))

    def admin_stmt(self, c):
        rest = str(c[1]) if len(c) > 1 else ""
        return A.Mutation(f"{c[0].type} {rest.split()[0].upper() if rest.split() else ''}".strip(), rest)

    # ---- script
    def pipeline(self, c):
        return A.Pipeline(tuple(c))

    def unwind_stage(self, c):
        return A.Unwind(c[0], _name(c[1]))

    def subquery(self, c):
        return A.Subquery(c[0])

    def set_op(self, c):
        kinds = [t.type for t in c]
        if kinds[0] == "UNION":
            return "UNION ALL" if "ALL" in kinds else "UNION"
        return {"INTERSECT": "INTERSECT", "SET_MINUS": "MINUS"}[kinds[0]]

    def set_query(self, c):
        return A.SetOp(c[1], c[0], c[2])

    def assignment(self, c):
        return A.Assignment(str(c[0])[1:], c[1])

    def start(self, c):
        return A.Script(tuple(c))


def _first(children, cls):
    return next((x for x in children if isinstance(x, cls)), None)


class _SemanticError(Exception):
    """A rule the grammar cannot express, found while building the tree; where it is known, with its position."""

    def __init__(self, message: str, line: int = 1, column: int = 1):
        super().__init__(message)
        self.line, self.column = line, column


_PATH_FUNCTIONS = {"shortestpath": "shortestPath", "allshortestpaths": "allShortestPaths"}


# ----------------------------------------------------------------------------------------------- public API
@functools.lru_cache(maxsize=1)
def _parser() -> Lark:
    return Lark(_GRAMMAR.read_text(), parser="lalr", lexer="contextual", transformer=_ToAST(),
                maybe_placeholders=True, propagate_positions=False)


@functools.lru_cache(maxsize=1)
def _terminal_names() -> dict[str, str]:
    out = {}
    for t in _parser().terminals:
        if isinstance(t.pattern, PatternStr):
            value = t.pattern.value
            out[t.name] = value.upper() if value.isalpha() else f"'{value}'"
    out.update({"NAME": "a name", "STRING": "a string", "INT": "an integer", "FLOAT": "a number",
                "VARIABLE": "a $variable", "INPUT_REF": "'$-'", "SRC_REF": "'$^'", "DST_REF": "'$$'",
                "COMP_OP": "a comparison", "REST": "the rest of the statement", "$END": "end of input",
                "REGEX_OP": "'=~'"})
    return out


def _describe_expected(names) -> tuple[str, ...]:
    table = _terminal_names()
    out = sorted({table.get(n, n.lstrip("_")) for n in names})
    return tuple(out)


def _line_col(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return line, col


def _syntax_error(text: str, exc: UnexpectedInput) -> NGQLSyntaxError:
    if isinstance(exc, UnexpectedEOF) or (isinstance(exc, UnexpectedToken) and exc.token.type == "$END"):
        expected = _describe_expected(getattr(exc, "expected", ()) or ())
        line, col = _line_col(text, len(text))
        return NGQLSyntaxError(f"unexpected end of input; expected {_join(expected)}", line, col, None, expected)
    if isinstance(exc, UnexpectedToken):
        expected = _describe_expected(exc.expected)
        tok = str(exc.token)
        return NGQLSyntaxError(f"unexpected {tok!r}; expected {_join(expected)}", exc.line, exc.column, tok,
                               expected)
    if isinstance(exc, UnexpectedCharacters):
        expected = _describe_expected(exc.allowed or ())
        ch = text[exc.pos_in_stream] if exc.pos_in_stream < len(text) else ""
        return NGQLSyntaxError(f"unexpected character {ch!r}; expected {_join(expected)}", exc.line, exc.column,
                               ch, expected)
    return NGQLSyntaxError(str(exc), getattr(exc, "line", 1), getattr(exc, "column", 1), None, ())


def _join(items: tuple[str, ...], limit: int = 20) -> str:
    if not items:
        return "nothing more"
    shown = ", ".join(items[:limit])
    return shown + (f" (or {len(items) - limit} more)" if len(items) > limit else "")


def parse(text: str) -> A.Script:
    """Parse an nGQL script. Raise :class:`NGQLSyntaxError` when the grammar rejects it."""
    if not isinstance(text, str):
        raise TypeError("nGQL text must be a str")
    try:
        script = _parser().parse(text)
    except UnexpectedInput as exc:
        raise _syntax_error(text, exc) from None
    except _SemanticError as exc:
        raise NGQLSyntaxError(str(exc), exc.line, exc.column, None, ()) from None
    if not script.statements:
        raise NGQLSyntaxError("empty statement: no nGQL to run", 1, 1, None, ())
    return script


def check(text: str) -> list[Diagnostic]:
    """Problems the parser finds in ``text`` (an empty list when it parses)."""
    try:
        parse(text)
    except NGQLSyntaxError as exc:
        return [Diagnostic(exc.line, exc.column, exc.reason, exc.token, exc.expected)]
    return []


__all__ = ["NGQLSyntaxError", "Diagnostic", "parse", "check"]
