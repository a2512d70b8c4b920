"""Query text normalisation for exact match (EM): two queries are an exact match when their normal forms agree.

- MySQL and PostgreSQL: parsed and generated again by sqlglot in the dialect (keywords upper-cased, whitespace,
  optional ``AS`` and parentheses made canonical). Text sqlglot cannot parse as exactly one statement falls back
  to the graph-style normal form below, so a query sqlglot rejects still equals an identical query.
- Cypher and nGQL: a small tokenizer (quoted strings and backquoted names kept verbatim, comments dropped)
  joins the tokens with single spaces and upper-cases keywords and function names (case-insensitive in both
  languages); labels, property names, variables and literals keep their case.

A trailing ``;`` never matters. What it deliberately does not do: decide semantic equivalence (reordered
conjuncts, different aliases or joins written another way are different texts; execution accuracy is the
measure of meaning), or validate a query.
"""

from __future__ import annotations

import functools
import re

from momq.dialects.base import check_dialect

__all__ = ["exact_match", "normalize_query"]

_SQLGLOT_DIALECT = {"mysql": "mysql", "postgresql": "postgres"}

#: keywords of Cypher and nGQL that are case-insensitive; one set serves both (a word that is a keyword in one
#: language and an identifier in the other is rare, and both sides of a comparison are normalised alike)
_GRAPH_KEYWORDS = frozenset("""
    MATCH OPTIONAL WHERE RETURN WITH ORDER BY ASC DESC ASCENDING DESCENDING LIMIT SKIP OFFSET DISTINCT AS AND OR
    NOT XOR IN IS NULL TRUE FALSE UNWIND UNION ALL CASE WHEN THEN ELSE END CONTAINS STARTS ENDS EXISTS CALL YIELD
    GO FROM OVER REVERSELY BIDIRECT STEP STEPS UPTO TO LOOKUP ON FETCH PROP GET SUBGRAPH FIND PATH SHORTEST
    NOLOOP GROUP INTERSECT MINUS VERTEX VERTICES EDGE EDGES SAMPLE USE COUNT
""".split())

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NUMBER = re.compile(r"\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")


def normalize_query(query: str, dialect: str) -> str:
    """The normal form of ``query`` in ``dialect`` (see the module docstring)."""
    dialect = check_dialect(dialect)
    if not isinstance(query, str):
        raise TypeError(f"expected query text, got {type(query).__name__}")
    return _normal_form(query, dialect)


@functools.lru_cache(maxsize=8192)  # gold queries repeat across items and methods; parsing them once is enough
def _normal_form(query: str, dialect: str) -> str:
    if dialect in _SQLGLOT_DIALECT:
        sql = _sql_normal_form(query, _SQLGLOT_DIALECT[dialect])
        if sql is not None:
            return sql
    return " ".join(_graph_tokens(query, dialect)).removesuffix(" ;").removesuffix(";")


def exact_match(prediction: str, gold: str, dialect: str) -> bool:
    """True when ``prediction`` and ``gold`` have the same normal form; an empty prediction never matches."""
    if not prediction.strip():
        return False
    return normalize_query(prediction, dialect) == normalize_query(gold, dialect)


def _sql_normal_form(query: str, read: str) -> str | None:
    import sqlglot
    from sqlglot.errors import SqlglotError

    try:
        statements = [s for s in sqlglot.parse(query, read=read) if s is not None]
        if len(statements) != 1:
            return None
        return statements[0].sql(dialect=read, normalize_functions="upper")
    except (SqlglotError, ValueError, RecursionError):
        return None


def _graph_tokens(query: str, dialect: str) -> list[str]:
    """Words (keywords and function names upper-cased), numbers, quoted strings and names, and symbols of a
    Cypher/nGQL query; comments dropped. Strings and comments are found by the dialect's lexical rules."""
    from momq.dialects.lexical import scan

    tokens: list[str] = []
    for seg in scan(query, dialect):
        if seg.kind == "comment":
            continue
        if seg.kind != "code":
            tokens.append(query[seg.start:seg.end])
            continue
        i, n = seg.start, seg.end
        while i < n:
            c = query[i]
            if c.isspace():
                i += 1
                continue
            m = _WORD.match(query, i, n)
            if m:
                word = m.group()
                after = query[m.end():].lstrip()[:1]
                previous = tokens[-1] if tokens else ""
                named = previous in (".", ":")  # a property name or a label: case-sensitive
                if not named and (word.upper() in _GRAPH_KEYWORDS or after == "("):
                    word = word.upper()
                tokens.append(word)
                i = m.end()
                continue
            m = _NUMBER.match(query, i, n)
            if m:
                tokens.append(m.group())
                i = m.end()
                continue
            tokens.append(c)
            i += 1
    return tokens
