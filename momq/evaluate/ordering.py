"""Does a gold query order its output? Decides whether execution accuracy compares rows in order.

Only the ORDER BY that shapes the final result counts:
- SQL (MySQL, PostgreSQL), parsed with sqlglot: an ORDER BY of the outermost query, including the final
  ORDER BY of a UNION / INTERSECT / EXCEPT (sqlglot attaches it to the set operation) and one of a query that
  is wrapped whole in parentheses. An ORDER BY inside a subquery, a CTE, a window (``OVER (ORDER BY ...)``),
  an aggregate (``string_agg(x, ',' ORDER BY x)``) or one branch of a set operation does not count.
- Cypher: the RETURN clause that ends the query has ORDER BY. An ORDER BY on an earlier WITH does not count,
  nor does one inside ``CALL { ... }``. A top-level UNION is never ordered: Cypher has no ORDER BY for a whole
  union, and one written in the last branch sorts that branch only.
- nGQL: in the last statement (after the last top-level ``;``), with no top-level set operator (a pipe binds
  tighter than UNION/INTERSECT/MINUS, so ``A UNION B | ORDER BY $-.x`` sorts B only), the last pipe segment
  that is not a bare ``LIMIT``/``OFFSET``/``SKIP`` (those keep the order they receive) is ``ORDER BY ...``, or
  is a MATCH whose final RETURN has ORDER BY, or contains a top-level ORDER BY.

The Cypher and nGQL checks use a small tokenizer over the shared lexical scanner (strings, backquoted names and
comments skipped by :mod:`momq.dialects.lexical`; bracket depth tracked) rather than a grammar: there is no maintained Python parser for openCypher
or nGQL, and whether the final clause has ORDER BY needs only tokens and nesting depth, which a tokenizer
gets right even for queries a full parser would reject.

Deliberately out of scope: ORDER BY ... LIMIT that cuts through ties (several results are then correct;
the comparator accepts only the one the engine returned), and order kept implicitly by an engine without
ORDER BY (never relied on).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from momq.dialects.base import check_dialect
from momq.dialects.lexical import LexicalError, scan

__all__ = ["OrderingError", "query_orders"]

_SQLGLOT_DIALECT = {"mysql": "mysql", "postgresql": "postgres"}


class OrderingError(ValueError):
    """The query could not be read well enough to say whether it orders its output."""


def query_orders(query: str, dialect: str) -> bool:
    """True when the outermost query in ``dialect`` orders its result (see the module docstring)."""
    dialect = check_dialect(dialect)
    if not isinstance(query, str) or not query.strip():
        raise OrderingError("empty query")
    if dialect in _SQLGLOT_DIALECT:
        return _sql_orders(query, _SQLGLOT_DIALECT[dialect])
    if dialect == "cypher":
        return _cypher_orders(_tokenize(query, ngql=False))
    return _ngql_orders(_tokenize(query, ngql=True))


# ----------------------------------------------------------------------------------------------- SQL
def _sql_orders(query: str, read: str) -> bool:
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import SqlglotError

    try:
        statements = [s for s in sqlglot.parse(query, read=read) if s is not None]
    except SqlglotError as e:
        raise OrderingError(f"cannot parse the {read} query to find its ORDER BY: {e}") from e
    if len(statements) != 1:
        raise OrderingError(f"expected one SQL statement, found {len(statements)}")
    node = statements[0]
    while True:
        if node.args.get("order") is not None:
            return True
        if isinstance(node, (exp.Subquery, exp.Paren)) and isinstance(node.this, exp.Expression):
            node = node.this  # a query wrapped whole in parentheses
            continue
        return False


# ----------------------------------------------------------------------------------------------- tokens
@dataclass(frozen=True)
class _Token:
    text: str  # upper-cased for words; the symbol otherwise; "'" for any string or quoted name
    depth: int  # nesting depth of ( [ { at this token
    after_dot: bool  # a word right after "." is a property name, never a keyword


_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SPACE = re.compile(r"\s+")
_NUMBER = re.compile(r"\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")


def _tokenize(query: str, *, ngql: bool) -> list[_Token]:
    """Words, symbols and string placeholders with their bracket depth; strings, quoted names and comments are
    found by the dialect's rule table (:mod:`momq.dialects.lexical`)."""
    try:
        segments = list(scan(query, "ngql" if ngql else "cypher", strict=True))
    except LexicalError as exc:
        raise OrderingError(str(exc)) from exc
    tokens: list[_Token] = []
    depth = 0
    for seg in segments:
        if seg.kind == "comment":
            continue
        if seg.kind != "code":
            tokens.append(_Token("'", depth, False))
            continue
        i, n = seg.start, seg.end
        while i < n:
            c = query[i]
            if c.isspace():
                i = _SPACE.match(query, i, n).end()
                continue
            m = _WORD.match(query, i, n)
            if m:
                after_dot = bool(tokens) and tokens[-1].text == "."
                tokens.append(_Token(m.group().upper(), depth, after_dot))
                i = m.end()
                continue
            m = _NUMBER.match(query, i, n)
            if m:
                tokens.append(_Token("0", depth, False))
                i = m.end()
                continue
            if c in "([{":
                tokens.append(_Token(c, depth, False))
                depth += 1
            elif c in ")]}":
                depth -= 1
                if depth < 0:
                    raise OrderingError(f"unbalanced {c!r} at offset {i}")
                tokens.append(_Token(c, depth, False))
            elif query.startswith("||", i) and i + 1 < n:
                tokens.append(_Token("||", depth, False))
                i += 2
                continue
            else:
                tokens.append(_Token(c, depth, False))
            i += 1
    if depth != 0:
        raise OrderingError("unbalanced brackets: a '(' '[' or '{' is never closed")
    return tokens


def _is_kw(tok: _Token, word: str) -> bool:
    return tok.depth == 0 and not tok.after_dot and tok.text == word


def _has_order_by(tokens: list[_Token]) -> bool:
    return any(_is_kw(a, "ORDER") and b.text == "BY" for a, b in zip(tokens, tokens[1:]))


def _split(tokens: list[_Token], is_separator) -> list[list[_Token]]:
    parts: list[list[_Token]] = [[]]
    for tok in tokens:
        if tok.depth == 0 and is_separator(tok):
            parts.append([])
        else:
            parts[-1].append(tok)
    return parts


# ----------------------------------------------------------------------------------------------- Cypher
def _cypher_orders(tokens: list[_Token]) -> bool:
    statements = [s for s in _split(tokens, lambda t: t.text == ";") if s]
    if len(statements) != 1:
        raise OrderingError(f"expected one Cypher statement, found {len(statements)}")
    return _return_orders(statements[0])


def _return_orders(tokens: list[_Token]) -> bool:
    """A MATCH/UNWIND/CALL ... RETURN query: does its final RETURN have ORDER BY (and no top-level UNION)?"""
    if any(_is_kw(t, "UNION") for t in tokens):
        return False
    returns = [k for k, t in enumerate(tokens) if _is_kw(t, "RETURN")]
    if not returns:
        return False
    return _has_order_by(tokens[returns[-1] + 1:])


# ----------------------------------------------------------------------------------------------- nGQL
_SET_OPERATORS = ("UNION", "INTERSECT", "MINUS")
_ORDER_KEEPING = ("LIMIT", "OFFSET", "SKIP")


def _ngql_orders(tokens: list[_Token]) -> bool:
    statements = [s for s in _split(tokens, lambda t: t.text == ";") if s]
    if not statements:
        raise OrderingError("empty nGQL query")
    last = statements[-1]
    if any(_is_kw(t, op) for t in last for op in _SET_OPERATORS):
        return False
    segments = [s for s in _split(last, lambda t: t.text == "|") if s]
    while len(segments) > 1 and any(_is_kw(segments[-1][0], word) for word in _ORDER_KEEPING):
        segments.pop()
    segment = segments[-1]
    if len(segment) >= 2 and _is_kw(segment[0], "ORDER") and segment[1].text == "BY":
        return True
    if any(_is_kw(t, "RETURN") for t in segment):
        return _return_orders(segment)
    return _has_order_by(segment)
