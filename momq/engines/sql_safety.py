"""A cheap pre-check of untrusted SQL before it reaches MariaDB or PostgreSQL: one read statement, no locking.

The dialect's lexical rule table (:mod:`momq.dialects.lexical`: MySQL ``#`` and ``-- `` comments and
*executable* comments ``/*! ... */`` / ``/*M! ... */``, whose content MariaDB runs as code; PostgreSQL nested
``/* */`` comments, ``--`` comments that a bare ``\\r`` ends, ``E'...'`` strings and ``$tag$`` dollar quotes)
splits the text into top-level statements. The check refuses, with :class:`UnsafeQueryError`, anything but exactly one statement
that starts like a query (SELECT, WITH, VALUES, TABLE or a parenthesis) and carries no ``INTO`` (SELECT INTO a
table, a file or a variable) and no row-locking clause (FOR UPDATE/SHARE, LOCK IN SHARE MODE).

This is a convenience for clear error messages, NOT the safety boundary: the engines run every query as a
read-only user in a read-only transaction with a statement timeout, so a query this check lets through still
cannot change data. It does not parse SQL; a query it accepts may still be invalid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from momq.dialects.lexical import LexicalError, scan
from momq.engines.base import QueryFailed, UnsafeQueryError

DIALECTS = ("mysql", "postgresql")
READ_STARTS = frozenset({"SELECT", "WITH", "VALUES", "TABLE"})
_LOCK_AFTER_FOR = frozenset({"UPDATE", "SHARE", "NO", "KEY"})
_WORD = re.compile(r"[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*")
_NUMBER = re.compile(r"(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


@dataclass(frozen=True)
class Token:
    kind: str  # "word", "number", "string", "ident", "punct"; "marker" opens/closes a MySQL /*! comment
    text: str
    start: int
    end: int


def tokenize(query: str, dialect: str) -> list[Token]:
    """The code tokens of ``query`` (comments dropped). Raises :class:`QueryFailed` on an unterminated lexeme.

    Strings, quoted names and comments are found by the dialect's rule table (:mod:`momq.dialects.lexical`);
    this function only splits the code between them into words, numbers and punctuation.
    """
    if dialect not in DIALECTS:
        raise ValueError(f"unknown SQL dialect {dialect!r}; expected one of {DIALECTS}")
    tokens: list[Token] = []
    try:
        segments = list(scan(query, dialect, strict=True))
    except LexicalError as exc:
        raise QueryFailed(str(exc)) from exc
    for seg in segments:
        if seg.kind in ("string", "ident"):
            tokens.append(Token(seg.kind, query[seg.start:seg.end], seg.start, seg.end))
        elif seg.kind in ("exec_open", "exec_close"):  # MariaDB executes the body of /*! ... */: it is code
            tokens.append(Token("marker", query[seg.start:seg.end], seg.start, seg.end))
        elif seg.kind == "code":
            _code_tokens(query, seg.start, seg.end, tokens)
    return tokens


def _code_tokens(query: str, i: int, end: int, out: list[Token]) -> None:
    while i < end:
        ch = query[i]
        if ch.isspace():
            i += 1
            continue
        m = _WORD.match(query, i, end) or _NUMBER.match(query, i, end)
        if m:
            out.append(Token("word" if _WORD.match(m.group(0)) else "number", m.group(0), i, m.end()))
            i = m.end()
            continue
        out.append(Token("punct", ch, i, i + 1))
        i += 1


def split_statements(query: str, dialect: str) -> list[list[Token]]:
    """Top-level statements as token lists; empty statements (``;;``, a trailing ``;``) are dropped."""
    statements: list[list[Token]] = [[]]
    for tok in tokenize(query, dialect):
        if tok.kind == "punct" and tok.text == ";":
            statements.append([])
        else:
            statements[-1].append(tok)
    return [s for s in statements if any(t.kind != "marker" for t in s)]


def check_read_query(query: str, dialect: str) -> str:
    """Refuse anything but one read-only query; return the text to send (trailing ``;`` and comments cut).

    Raises :class:`UnsafeQueryError` (several statements, a non-query statement, INTO, a locking clause) or
    :class:`QueryFailed` (empty or unterminated text).
    """
    statements = split_statements(query, dialect)
    if not statements:
        raise QueryFailed("empty query: no SQL statement found (only whitespace or comments)")
    if len(statements) > 1:
        raise UnsafeQueryError(f"refused: {len(statements)} statements found; exactly one query is allowed per call")
    tokens = statements[0]
    first = next(t for t in tokens if t.kind != "marker")
    if not (first.kind == "punct" and first.text == "(") and first.text.upper() not in READ_STARTS:
        raise UnsafeQueryError(
            f"refused: only read queries (SELECT, WITH, VALUES, TABLE) are allowed, got {first.text.upper()!r}")
    words = [t.text.upper() if t.kind == "word" else None for t in tokens]
    for k, word in enumerate(words):
        if word == "INTO":
            raise UnsafeQueryError("refused: INTO (SELECT INTO a table, a file or a variable) writes data")
        if word == "FOR" and k + 1 < len(words) and words[k + 1] in _LOCK_AFTER_FOR:
            raise UnsafeQueryError("refused: row-locking clause (FOR UPDATE/SHARE) in a read-only query")
        if word == "LOCK" and words[k + 1:k + 4] == ["IN", "SHARE", "MODE"]:
            raise UnsafeQueryError("refused: row-locking clause (LOCK IN SHARE MODE) in a read-only query")
    return query[tokens[0].start:tokens[-1].end]
